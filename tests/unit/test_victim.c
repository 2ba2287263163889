/* SPDX-License-Identifier: MIT */
/* oom_badness() per version range (kernel-facts §6), totalpages, ranks, ties, OOM-disabled tasks,
 * name aggregation. Rows come from real task tables: seed (3.14), corpus 022 (3.13), 031 (3.0
 * era), 013 (5.15), 046 (5.10), lab hog/cmatrap (6.1). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memory_accounting.h"
#include "victim.h"

static struct oom_report *new_report(const char *release) {
        struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        if (release)
                assert_int_equal(kernel_version_parse(release, &r->kernel), 0);
        return r;
}

/* One row: the columns that matter for badness. NUM_UNSET for columns the layout lacks. */
static struct oom_task *add(struct oom_report *r, int64_t pid, int64_t uid, int64_t rss,
                            int64_t nr_ptes, int64_t pgtables_bytes, int64_t swapents,
                            int64_t adj, const char *name) {
        struct oom_task *t;

        r->tasks = reallocarray(r->tasks, r->n_tasks + 1, sizeof(*r->tasks));
        assert_non_null(r->tasks);
        t = &r->tasks[r->n_tasks++];
        oom_task_init(t);
        t->pid = t->tgid = pid;
        t->uid = uid;
        t->rss_pages = rss;
        t->nr_ptes = nr_ptes;
        t->pgtables_bytes = pgtables_bytes;
        t->swapents_pages = swapents;
        t->oom_score_adj = adj;
        snprintf(t->name, sizeof(t->name), "%s", name);
        return t;
}

static void test_rule_table(void **state) {
        (void) state;
        static const struct {
                int64_t kv;
                const char *name;
                enum badness_scale scale;
                bool root, clamp;
                int64_t disabled;
        } cases[] = {
                { KV(2, 6, 32), "2.6.32", BADNESS_NOT_RECOMPUTABLE, false, false, -17 },
                { KV(2, 6, 35), "2.6.32", BADNESS_NOT_RECOMPUTABLE, false, false, -17 },
                { KV(2, 6, 36), "2.6.36-3.5", BADNESS_POINTS_1000, true, true, -1000 },
                { KV(3, 0, 101), "2.6.36-3.5", BADNESS_POINTS_1000, true, true, -1000 },
                { KV(3, 5, 7), "2.6.36-3.5", BADNESS_POINTS_1000, true, true, -1000 },
                { KV(3, 6, 0), "3.6-4.18", BADNESS_PAGES, true, true, -1000 },
                { KV(3, 14, 29), "3.6-4.18", BADNESS_PAGES, true, true, -1000 },
                { KV(4, 18, 20), "3.6-4.18", BADNESS_PAGES, true, true, -1000 },
                { KV(4, 19, 0), "4.19-5.9", BADNESS_PAGES, false, true, -1000 },
                { KV(5, 4, 0), "4.19-5.9", BADNESS_PAGES, false, true, -1000 },
                { KV(5, 9, 16), "4.19-5.9", BADNESS_PAGES, false, true, -1000 },
                { KV(5, 10, 0), "5.10+", BADNESS_PAGES, false, false, -1000 },
                { KV(6, 18, 0), "5.10+", BADNESS_PAGES, false, false, -1000 },
                { KV_MAX - 1, "5.10+", BADNESS_PAGES, false, false, -1000 }, /* unknown */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const struct badness_rule *b = badness_rule_for(cases[i].kv);
                assert_non_null(b);
                assert_string_equal(b->name, cases[i].name);
                assert_int_equal(b->scale, cases[i].scale);
                assert_int_equal(b->root_bonus, cases[i].root);
                assert_int_equal(b->clamp_min_1, cases[i].clamp);
                assert_int_equal(b->disabled_adj, cases[i].disabled);
                assert_true(kv_range_contains(b->kernels, cases[i].kv));
        }
}

static void test_totalpages(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("6.1.0-56-amd64");

        /* global: totalram + swap (lab hog: 466396 kB managed, no swap) */
        assert_true(report_totalpages(r) == NUM_UNSET);
        r->memory.total_kb = 466396;
        assert_int_equal(report_totalpages(r), 466396 / 4);
        r->memory.total_swap_kb = 1048576;
        assert_int_equal(report_totalpages(r), 466396 / 4 + 1048576 / 4);
        r->page_kb = 64;
        assert_int_equal(report_totalpages(r), 466396 / 64 + 1048576 / 64);
        r->page_kb = 4;

        /* cpuset/mempolicy: present of the zones shown + swap */
        r->kind = REPORT_KIND_CPUSET;
        r->zones[0].present_kb = 15992;
        r->zones[1].present_kb = 507776;
        r->n_zones = 2;
        assert_int_equal(report_totalpages(r), (15992 + 507776) / 4 + 1048576 / 4);
        r->kind = REPORT_KIND_MEMPOLICY;
        assert_int_equal(report_totalpages(r), (15992 + 507776) / 4 + 1048576 / 4);
        /* no zone shows present: fall back to the global total */
        r->zones[0].present_kb = r->zones[1].present_kb = NUM_UNSET;
        assert_int_equal(report_totalpages(r), 466396 / 4 + 1048576 / 4);

        /* memcg: the limit (corpus 013: 102400 kB), swap ignored; 0 counts as 1 */
        r->kind = REPORT_KIND_MEMCG;
        assert_true(report_totalpages(r) == NUM_UNSET);
        r->memcg.limit_kb = 102400;
        assert_int_equal(report_totalpages(r), 25600);
        r->memcg.limit_kb = 0;
        assert_int_equal(report_totalpages(r), 1);
        r->memcg.limit_kb = 2; /* below one page */
        assert_int_equal(report_totalpages(r), 1);
}

/* 3.14 seed + 3.13 corpus 022 rows: rss + nr_ptes + swapents, 3% root bonus, adj term. */
static void test_badness_3_6_4_18(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("3.13.0-27-generic");
        int64_t tp;

        r->memory.total_kb = 1738820; /* 022's managed sum */
        r->memory.total_swap_kb = 0;
        tp = 1738820 / 4;
        add(r, 273, 0, 50, 13, NUM_UNSET, 0, 0, "upstart-udev-br");
        add(r, 293, 0, 154, 28, NUM_UNSET, 0, -1000, "systemd-udevd");
        add(r, 1532, 1000, 402583, 806, NUM_UNSET, 0, 0, "badsysprogram");
        add(r, 1600, 1000, 10000, 20, NUM_UNSET, 100, 500, "chrome");
        add(r, 1601, 0, 10000, 20, NUM_UNSET, 100, 0, "rootd");
        add(r, 1602, 1000, 100, 1, NUM_UNSET, 0, -999, "protected");
        assert_int_equal(victim_analyze(r), 0);

        /* root: 63 - 63*3/100 = 62 */
        assert_int_equal(r->tasks[0].badness, 63 - 63 * 3 / 100);
        assert_int_equal(r->tasks[0].badness, 62);
        assert_int_equal(r->tasks[1].badness, 0); /* -1000: never chosen */
        assert_int_equal(r->tasks[2].badness, 402583 + 806);
        /* adj 500: + 500 * (totalpages / 1000), the division first */
        assert_int_equal(r->tasks[3].badness, 10120 + 500 * (tp / 1000));
        assert_int_equal(r->tasks[4].badness, 10120 - 10120 * 3 / 100);
        assert_int_equal(r->tasks[4].badness, 10120 - 303);
        /* large negative adj clamps to 1 (<= 5.8) */
        assert_int_equal(r->tasks[5].badness, 1);

        /* ranks: badsysprogram (403389) > chrome (10120 + 500*434) > rootd > upstart >
         * protected > udevd */
        assert_int_equal(r->tasks[2].rank, 1);
        assert_int_equal(r->tasks[3].rank, 2);
        assert_int_equal(r->tasks[4].rank, 3);
        assert_int_equal(r->tasks[0].rank, 4);
        assert_int_equal(r->tasks[5].rank, 5);
        assert_int_equal(r->tasks[1].rank, 6);
        assert_int_equal(r->tasks_oom_disabled, 1);

        /* 4.4-4.14: nr_pmds join the page-table term */
        r->kernel.minor = 4;
        r->kernel.major = 4;
        r->tasks[2].nr_pmds = 4;
        assert_int_equal(victim_analyze(r), 0);
        assert_int_equal(r->tasks[2].badness, 402583 + 806 + 4);
}

/* 4.19-5.9: no root bonus, still clamped; pgtables_bytes / PAGE_SIZE. */
static void test_badness_4_19_5_9(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.4.0-42-generic");

        r->memory.total_kb = 4000000;
        r->memory.total_swap_kb = 0;
        /* corpus 043 rows (5.7-next) */
        add(r, 2278, 0, 4299, NUM_UNSET, 90112, 44, 0, "systemd-journal");
        add(r, 2501, 0, 151, NUM_UNSET, 40960, 267, -1000, "systemd-udevd");
        add(r, 2600, 1000, 10, NUM_UNSET, 28672, 0, -998, "pause");
        assert_int_equal(victim_analyze(r), 0);
        assert_int_equal(r->tasks[0].badness, 4299 + 90112 / 4096 + 44); /* no root bonus */
        assert_int_equal(r->tasks[1].badness, 0);
        assert_int_equal(r->tasks[2].badness, 1); /* 17 - 998*1000 clamped */
        assert_int_equal(r->tasks[0].rank, 1);
        assert_int_equal(r->tasks[2].rank, 2);
        assert_int_equal(r->tasks[1].rank, 3);
}

/* 5.10+: no clamp, negative allowed (corpus 013 pause: adj -998). */
static void test_badness_5_10(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.15.0-1019-azure");

        r->kind = REPORT_KIND_MEMCG;
        r->memcg.limit_kb = 102400; /* totalpages 25600 */
        add(r, 181505, 65535, 1, NUM_UNSET, 28672, 0, -998, "pause");
        add(r, 181537, 0, 1835, NUM_UNSET, 57344, 0, 988, "nginx");
        add(r, 181600, 0, 500, NUM_UNSET, 28672, 0, -1000, "sidecar");
        assert_int_equal(victim_analyze(r), 0);
        assert_int_equal(r->tasks[0].badness, 1 + 7 + -998 * (25600 / 1000));
        assert_true(r->tasks[0].badness < 0);
        assert_int_equal(r->tasks[1].badness, 1835 + 14 + 988 * 25);
        /* the -1000 task ranks after even a negative score */
        assert_int_equal(r->tasks[1].rank, 1);
        assert_int_equal(r->tasks[0].rank, 2);
        assert_int_equal(r->tasks[2].rank, 3);
        assert_int_equal(r->tasks_oom_disabled, 1);

        /* adj != 0 without a known totalpages: not recomputable, so no ranks at all */
        r->memcg.limit_kb = NUM_UNSET;
        assert_int_equal(victim_analyze(r), 0);
        assert_true(r->tasks[0].badness == NUM_UNSET);
        assert_int_equal(r->tasks[1].rank, 0);
        assert_int_equal(r->tasks[0].rank, 0);
}

/* 2.6.36-3.5 points; 3.0 rows (corpus 031) have no nr_ptes/swapents columns. */
static void test_badness_points_3_0(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("3.0.101-63-default");

        r->memory.total_kb = 1000000;
        r->memory.total_swap_kb = 0; /* totalpages 250000 */
        add(r, 1913, 0, 365, NUM_UNSET, NUM_UNSET, NUM_UNSET, 0, "plymouthd");
        add(r, 7152, 500, 125000, NUM_UNSET, NUM_UNSET, NUM_UNSET, 0, "hog");
        add(r, 7153, 500, 125000, NUM_UNSET, NUM_UNSET, NUM_UNSET, 800, "hog2");
        add(r, 7154, 0, 25000, NUM_UNSET, NUM_UNSET, NUM_UNSET, 0, "rootd");
        assert_int_equal(victim_analyze(r), 0);
        assert_int_equal(r->tasks[0].badness, 1);                   /* 1 - 30 -> 1 */
        assert_int_equal(r->tasks[1].badness, 125000 * 1000 / 250000); /* 500 */
        assert_int_equal(r->tasks[2].badness, 1000);                /* 500 + 800 capped */
        assert_int_equal(r->tasks[3].badness, 100 - 30);
        assert_int_equal(r->tasks[2].rank, 1);
        assert_int_equal(r->tasks[1].rank, 2);
        assert_int_equal(r->tasks[3].rank, 3);
        assert_int_equal(r->tasks[0].rank, 4);

        /* without totalpages the points cannot be computed */
        r->memory.total_kb = NUM_UNSET;
        assert_int_equal(victim_analyze(r), 0);
        assert_true(r->tasks[1].badness == NUM_UNSET);
        assert_int_equal(r->tasks[1].rank, 0);
}

/* 2.6.32: not recomputable; -17 oom_adj is the "never kill" value. */
static void test_badness_2_6_32(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("2.6.32-21-generic-pae");

        r->memory.total_kb = 3000000;
        add(r, 2321, 500, 56789, NUM_UNSET, NUM_UNSET, NUM_UNSET, -17, "Xorg");
        add(r, 2400, 500, 1000, NUM_UNSET, NUM_UNSET, NUM_UNSET, 0, "ureadahead");
        assert_int_equal(victim_analyze(r), 0);
        assert_true(r->tasks[0].badness == NUM_UNSET);
        assert_true(r->tasks[1].badness == NUM_UNSET);
        assert_int_equal(r->tasks[0].rank, 0);
        assert_int_equal(r->tasks_oom_disabled, 1); /* -17, not -1000 */
}

static void test_ties_and_victim(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("6.1.0-56-arm64");

        r->memory.total_kb = 486660;
        r->memory.total_swap_kb = 0;
        /* equal badness: table order decides */
        add(r, 10, 0, 1000, NUM_UNSET, 40960, 0, 0, "a");
        add(r, 11, 0, 1000, NUM_UNSET, 40960, 0, 0, "b");
        add(r, 89, 0, 8304, NUM_UNSET, 102400, 0, 0, "hog");
        add(r, 91, 0, 1, NUM_UNSET, 36864, 0, 1000, "pipefill");
        add(r, 12, 0, 1000, NUM_UNSET, 40960, 0, 0, "c");
        r->tasks[3].tgid = 91;
        assert_int_equal(victim_analyze(r), 0);
        /* pipefill: 1 + 9 + 1000 * 121 */
        assert_int_equal(r->tasks[3].badness, 1 + 9 + 1000 * (486660 / 4 / 1000));
        assert_int_equal(r->tasks[3].rank, 1);
        assert_int_equal(r->tasks[2].rank, 2);
        assert_int_equal(r->tasks[0].rank, 3);
        assert_int_equal(r->tasks[1].rank, 4);
        assert_int_equal(r->tasks[4].rank, 5);
        assert_int_equal(r->tasks_oom_disabled, 0);

        /* no victim: victim fields reset */
        assert_false(r->victim.in_task_table);
        assert_true(r->victim.badness == NUM_UNSET);

        /* lab arm64-cmatrap: "Killed process 91 (pipefill) ... anon-rss:4kB, file-rss:0kB" */
        r->has_victim = true;
        r->victim.pid = 91;
        r->victim.anon_rss_kb = 4;
        r->victim.file_rss_kb = 0;
        r->victim.shmem_rss_kb = 0;
        assert_int_equal(victim_analyze(r), 0);
        assert_true(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 1);
        assert_int_equal(r->victim.badness, r->tasks[3].badness);
        assert_int_equal(r->victim.rss_kb, 4);

        /* a killed thread: matched by tgid; rss from the table when the kill line had none */
        r->victim.pid = 2000;
        r->tasks[2].tgid = 2000;
        r->victim.anon_rss_kb = r->victim.file_rss_kb = r->victim.shmem_rss_kb = NUM_UNSET;
        assert_int_equal(victim_analyze(r), 0);
        assert_true(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 2);
        assert_int_equal(r->victim.rss_kb, 8304 * 4);

        /* a victim absent from the table */
        r->victim.pid = 4242;
        assert_int_equal(victim_analyze(r), 0);
        assert_false(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 0);
        assert_true(r->victim.rss_kb == NUM_UNSET);

        /* empty table */
        {
                _cleanup_(oom_report_freep) struct oom_report *e = new_report(NULL);
                assert_int_equal(victim_analyze(e), 0);
                assert_true(e->tasks_oom_disabled == NUM_UNSET);
        }
}

static void test_rss_and_sort(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("6.8.0");
        _cleanup_free_ size_t *idx = NULL;

        add(r, 1, 0, 100, NUM_UNSET, 0, 0, 0, "x");
        add(r, 2, 0, NUM_UNSET, NUM_UNSET, 0, 0, 0, "y");    /* 6.8+: anon+file+shmem */
        r->tasks[1].rss_anon_pages = 300;
        r->tasks[1].rss_file_pages = 20;
        r->tasks[1].rss_shmem_pages = 1;
        add(r, 3, 0, NUM_UNSET, NUM_UNSET, 0, 0, 0, "z");    /* nothing: unknown */
        add(r, 4, 0, 100, NUM_UNSET, 0, 0, 0, "w");
        r->page_kb = 16;
        assert_int_equal(task_rss_kb(r, &r->tasks[0]), 1600);
        assert_int_equal(task_rss_kb(r, &r->tasks[1]), 321 * 16);
        assert_true(task_rss_kb(r, &r->tasks[2]) == NUM_UNSET);

        assert_int_equal(tasks_sorted_by_rss(r, &idx), 0);
        assert_int_equal(idx[0], 1);
        assert_int_equal(idx[1], 0); /* tie with 3: table order */
        assert_int_equal(idx[2], 3);
        assert_int_equal(idx[3], 2); /* unknown last */

        /* one task with unknown rss prevents a (misleading) partial ranking */
        r->memory.total_kb = 100000;
        assert_int_equal(victim_analyze(r), 0);
        for (size_t i = 0; i < r->n_tasks; i++)
                assert_int_equal(r->tasks[i].rank, 0);
        assert_int_equal(r->tasks[1].badness, 321);
}

static void test_aggregate(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.4.0");
        _cleanup_free_ struct task_group *g = NULL;
        size_t n = 0;

        /* 300 x php-fpm interleaved with other rows */
        for (int i = 0; i < 300; i++) {
                add(r, 1000 + i, 33, 10000 + i, NUM_UNSET, 131072, 0, 0, "php-fpm");
                if (i % 100 == 0)
                        add(r, 5000 + i, 0, 2000, NUM_UNSET, 57344, 0, 0, "nginx");
        }
        add(r, 9000, 27, 500000, NUM_UNSET, 2203648, 0, 0, "mysqld");
        add(r, 9001, 0, NUM_UNSET, NUM_UNSET, 0, 0, 0, "ghost");
        add(r, 9002, 0, 10, NUM_UNSET, 0, 0, 0, "Web Content");
        add(r, 9003, 0, 20, NUM_UNSET, 0, 0, 0, "Web Content");

        assert_int_equal(tasks_aggregate(r, &g, &n), 0);
        assert_int_equal(n, 5);
        /* sorted by rss: php-fpm (300 x ~40 MiB) > mysqld > nginx > Web Content > ghost */
        assert_string_equal(g[0].name, "php-fpm");
        assert_int_equal(g[0].count, 300);
        assert_int_equal(g[0].rss_kb, (300 * 10000 + 299 * 300 / 2) * 4);
        assert_int_equal(g[0].max_rss_kb, 10299 * 4);
        assert_int_equal(g[0].max_rss_pid, 1299);
        assert_string_equal(g[1].name, "mysqld");
        assert_int_equal(g[1].count, 1);
        assert_int_equal(g[1].rss_kb, 2000000);
        assert_string_equal(g[2].name, "nginx");
        assert_int_equal(g[2].count, 3);
        assert_int_equal(g[2].rss_kb, 3 * 2000 * 4);
        assert_int_equal(g[2].max_rss_pid, 5000); /* first of equals */
        assert_string_equal(g[3].name, "Web Content");
        assert_int_equal(g[3].count, 2);
        assert_int_equal(g[3].rss_kb, 120);
        assert_int_equal(g[3].max_rss_pid, 9003);
        assert_string_equal(g[4].name, "ghost");
        assert_int_equal(g[4].count, 1);
        assert_int_equal(g[4].rss_kb, 0);
        assert_true(g[4].max_rss_kb == NUM_UNSET);
        assert_true(g[4].max_rss_pid == NUM_UNSET);

        /* the table itself is not reordered */
        assert_int_equal(r->tasks[0].pid, 1000);
        assert_string_equal(r->tasks[1].name, "nginx");

        /* empty */
        {
                _cleanup_(oom_report_freep) struct oom_report *e = new_report(NULL);
                struct task_group *eg = (struct task_group *) 1;
                size_t en = 7;
                assert_int_equal(tasks_aggregate(e, &eg, &en), 0);
                assert_null(eg);
                assert_int_equal(en, 0);
        }
        /* overflowing rss saturates instead of wrapping */
        {
                _cleanup_(oom_report_freep) struct oom_report *o = new_report(NULL);
                _cleanup_free_ struct task_group *og = NULL;
                size_t on = 0;
                add(o, 1, 0, INT64_MAX / 5, NUM_UNSET, 0, 0, 0, "big");
                add(o, 2, 0, INT64_MAX / 5, NUM_UNSET, 0, 0, 0, "big");
                add(o, 3, 0, 1, NUM_UNSET, 0, 0, 0, "small");
                assert_int_equal(tasks_aggregate(o, &og, &on), 0);
                assert_int_equal(on, 2);
                assert_string_equal(og[0].name, "big");
                assert_true(og[0].rss_kb == INT64_MAX);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rule_table),
                cmocka_unit_test(test_totalpages),
                cmocka_unit_test(test_badness_3_6_4_18),
                cmocka_unit_test(test_badness_4_19_5_9),
                cmocka_unit_test(test_badness_5_10),
                cmocka_unit_test(test_badness_points_3_0),
                cmocka_unit_test(test_badness_2_6_32),
                cmocka_unit_test(test_ties_and_victim),
                cmocka_unit_test(test_rss_and_sort),
                cmocka_unit_test(test_aggregate),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
