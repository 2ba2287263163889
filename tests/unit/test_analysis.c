/* SPDX-License-Identifier: MIT */
/* report_analyze() end to end on hand-built reports: gfp decode -> zone checks -> memory
 * accounting -> victim -> causes -> summary -> id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis.h"
#include "analysis_fixtures.h"
#include "causes.h"
#include "report_json.h"
#include "report_text.h"
#include "victim.h"

static const struct oom_cause *find_cause(const struct oom_report *r, enum cause_code code) {
        for (size_t i = 0; i < r->n_causes; i++)
                if (r->causes[i].code == code)
                        return &r->causes[i];
        return NULL;
}

static size_t count_primary(const struct oom_report *r) {
        size_t n = 0;
        if (r->n_causes > 0)
                assert_true(r->causes[0].primary); /* contract: primary first */
        for (size_t i = 0; i < r->n_causes; i++)
                n += r->causes[i].primary;
        return n;
}

static const struct oom_zone *zone_named(const struct oom_report *r, const char *name) {
        for (size_t i = 0; i < r->n_zones; i++)
                if (strcmp(r->zones[i].name, name) == 0)
                        return &r->zones[i];
        return NULL;
}

static const struct oom_task *task_pid(const struct oom_report *r, int64_t pid) {
        for (size_t i = 0; i < r->n_tasks; i++)
                if (r->tasks[i].pid == pid)
                        return &r->tasks[i];
        return NULL;
}

/* ---- the seed: full chain ------------------------------------------------------------- */

static void test_seed_cma_full_chain(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_zone *normal, *high;
        const struct oom_cause *c;

        assert_int_equal(report_analyze(r), 0);

        /* gfp decode (gfp.c) */
        assert_non_null(r->trigger.migratetype);
        assert_string_equal(r->trigger.migratetype, "Reclaimable");
        assert_non_null(r->trigger.highest_zone);
        assert_string_equal(r->trigger.highest_zone, "Normal");
        assert_false(r->trigger.may_use_cma);

        /* zone check (zone_check.c) */
        normal = zone_named(r, "Normal");
        high = zone_named(r, "HighMem");
        assert_non_null(normal);
        assert_non_null(high);
        assert_true(normal->check.evaluated);
        assert_true(normal->check.eligible);
        assert_int_equal(normal->check.usable_free_kb, 2344);
        assert_int_equal(normal->check.threshold_kb, 2488);
        assert_false(normal->check.ok);
        assert_true(high->check.evaluated);
        assert_false(high->check.eligible);

        /* causes */
        assert_int_equal(count_primary(r), 1);
        c = report_primary_cause(r);
        assert_non_null(c);
        assert_string_equal(cause_code_to_string(c->code), "cma_unusable");
        assert_non_null(strstr(c->explanation, "usable 2344 kB"));
        assert_non_null(strstr(c->explanation, "2488 kB"));
        assert_non_null(strstr(c->explanation, "Reclaimable"));
        assert_non_null(strstr(c->explanation, "HighMem (909036 kB free) cannot serve it"));
        /* lowmem_exhausted is folded into the CMA paragraph, not a separate cause */
        assert_null(find_cause(r, CAUSE_LOWMEM_EXHAUSTED));

        /* victim */
        assert_false(r->victim.in_task_table);
        assert_int_equal(r->victim.rss_kb, 18036 + 2704);
        assert_int_equal(r->victim.rank, 0);

        /* summary */
        assert_non_null(strstr(r->summary, "oom-kill (global, 3.14.31-00017-g40fab71): systemd-journal "
                                           "order-0 Reclaimable allocation failed in Normal"));
        assert_non_null(strstr(r->summary, "226 MiB of 228 MiB free is CMA"));
        assert_non_null(strstr(r->summary, "killed thread_x[5575] (rss 20.3 MiB)"));
}

static void test_seed_memory_accounting(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_memory *m = &r->memory;

        assert_int_equal(report_analyze(r), 0);
        /* 3.14 "pages reserved" is unreliable, so total = sum of managed = 387568 + 1301504 */
        assert_int_equal(m->total_kb, 1689072);
        assert_int_equal(m->free_kb, 285748 * 4);
        assert_int_equal(m->anon_kb, (21860 + 14790) * 4);
        assert_int_equal(m->file_kb, (41585 + 10422) * 4);
        assert_int_equal(m->shmem_kb, 14857 * 4);
        assert_int_equal(m->slab_reclaimable_kb, 2100 * 4);
        assert_int_equal(m->slab_unreclaimable_kb, 26286 * 4);
        assert_int_equal(m->kernel_stack_kb, 1168);
        assert_int_equal(m->pagetables_kb, 687 * 4);
        assert_int_equal(m->cma_free_kb, 57779 * 4);
        assert_int_equal(m->reserved_kb, 774144 - 387568);
        assert_int_equal(m->user_rss_kb, 30827 * 4);
        /* total - (free + anon + file + slab + stacks + pagetables) */
        assert_int_equal(m->unaccounted_kb,
                         1689072 - (1142992 + 146600 + 208028 + 8400 + 105144 + 1168 + 2748));
}

static void test_seed_badness_and_ranks(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_task *seed, *weston, *udevd, *dbus;

        assert_int_equal(report_analyze(r), 0);
        seed = task_pid(r, 1368);
        weston = task_pid(r, 2558);
        udevd = task_pid(r, 1375);
        dbus = task_pid(r, 2451);
        /* 3.14: rss + nr_ptes + swapents, minus 3% for root (uid 0) */
        assert_int_equal(seed->badness, 8893 - 8893 * 3 / 100);
        assert_int_equal(seed->rank, 1);
        assert_int_equal(weston->badness, 5409 - 5409 * 3 / 100);
        assert_int_equal(weston->rank, 2);
        /* -1000: never chosen, ranked last */
        assert_int_equal(udevd->badness, 0);
        assert_int_equal(udevd->rank, (int)r->n_tasks);
        /* -900 * (totalpages/1000) drives it below 1: clamped to 1 on 3.14 */
        assert_int_equal(dbus->badness, 1);
        assert_int_equal(r->tasks_oom_disabled, 1);
        assert_int_equal(report_totalpages(r), 1689072 / 4);
}

static void test_victim_in_table(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();

        r->victim.pid = 1368; /* "seed" is in the table */
        snprintf(r->victim.comm, sizeof(r->victim.comm), "seed");
        r->victim.anon_rss_kb = NUM_UNSET;
        r->victim.file_rss_kb = NUM_UNSET;
        assert_int_equal(report_analyze(r), 0);
        assert_true(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 1);
        assert_int_equal(r->victim.badness, 8893 - 8893 * 3 / 100);
        /* no kill-line rss: the table's */
        assert_int_equal(r->victim.rss_kb, 8835 * 4);
}

static void test_id_stable(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *a = fixture_seed();
        _cleanup_(oom_report_freep) struct oom_report *b = fixture_seed();
        char id[80];

        assert_int_equal(report_analyze(a), 0);
        assert_int_equal(report_analyze(b), 0);
        assert_string_equal(a->id, b->id);
        assert_int_equal(strncmp(a->id, "0000012345342532-5575-", 22), 0);
        assert_int_equal(strlen(a->id), 22 + 8);
        /* analyze twice: same id and same causes */
        assert_int_equal(report_analyze(a), 0);
        assert_string_equal(a->id, b->id);
        assert_int_equal(a->n_causes, b->n_causes);

        /* any line change changes the hash part only */
        free(b->lines[0].text);
        b->lines[0].text = b->lines[0].raw = strdup("systemd-journal invoked oom-killer: gfp_mask=0x800d0, order=1");
        b->lines[0].len = strlen(b->lines[0].text);
        assert_int_equal(report_make_id(b, id, sizeof(id)), 0);
        assert_int_equal(strncmp(id, a->id, 22), 0);
        assert_string_not_equal(id, a->id);
        assert_int_equal(report_make_id(b, id, 10), -ENOBUFS);
}

static void test_id_without_time(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        assert_int_equal(report_analyze(r), 0);
        /* no time, no victim, no lines: zeros, pid 0, FNV-1a offset basis */
        assert_string_equal(r->id, "0000000000000000-0-811c9dc5");
        r->wall_sec = 1700000000;
        assert_int_equal(report_analyze(r), 0);
        assert_string_equal(r->id, "w000001700000000-0-811c9dc5");
}

static void test_fnv1a(void **state) {
        /* reference values of 32-bit FNV-1a */
        assert_int_equal(fnv1a_32(FNV1A_32_INIT, "", 0), 0x811c9dc5);
        assert_int_equal(fnv1a_32(FNV1A_32_INIT, "a", 1), 0xe40c292c);
        assert_int_equal(fnv1a_32(FNV1A_32_INIT, "foobar", 6), 0xbf9cf968);
}

/* ---- other causes, full chain --------------------------------------------------------- */

static struct oom_report *memcg_v1_report(void) {
        struct oom_report *r = NULL;

        if (oom_report_new(&r) < 0)
                abort();
        r->kind = REPORT_KIND_MEMCG;
        r->complete = true;
        r->ts_usec = 337533314322LL;
        fx_kernel(r, "5.2.0-rc7", 5, 2, 0);
        snprintf(r->trigger.comm, sizeof(r->trigger.comm), "leaker");
        snprintf(r->trigger.gfp_mask, sizeof(r->trigger.gfp_mask), "0x100cca");
        snprintf(r->trigger.gfp_printed_names, sizeof(r->trigger.gfp_printed_names), "GFP_HIGHUSER_MOVABLE");
        r->trigger.gfp_mask_value = 0x100cca;
        r->trigger.has_gfp_mask = true;
        r->trigger.order = 0;
        snprintf(r->constraint.type, sizeof(r->constraint.type), "memcg");
        snprintf(r->constraint.memcg, sizeof(r->constraint.memcg), "/leaker");
        r->memcg.present = true;
        snprintf(r->memcg.path, sizeof(r->memcg.path), "/leaker");
        r->memcg.usage_kb = 524288;
        r->memcg.limit_kb = 524288;
        r->memcg.failcnt = 1240247;
        r->memcg.memsw = true;
        r->memcg.swap_usage_kb = 2592556;
        r->memcg.swap_limit_kb = 9007199254740988LL;
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "cache", 80);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "rss", 516948);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "rss_huge", 0);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "shmem", 0);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "swap", 2068268);
        fx_task(r, 23777, 0, 596, 400, NUM_UNSET, 4, 0, "sh");
        r->tasks[0].pgtables_bytes = 36864;
        fx_task(r, 23778, 0, 648186, 128950, NUM_UNSET, 517080, 0, "leaker");
        r->tasks[1].pgtables_bytes = 5222400;
        r->has_victim = true;
        r->victim.pid = 23778;
        snprintf(r->victim.comm, sizeof(r->victim.comm), "leaker");
        r->victim.anon_rss_kb = 515752;
        r->victim.file_rss_kb = 0;
        r->victim.shmem_rss_kb = 0;
        fx_line(r, "leaker invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0");
        return r;
}

static void test_memcg_limit(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = memcg_v1_report();
        const struct oom_cause *c;

        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(count_primary(r), 1);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_MEMCG_LIMIT);
        assert_non_null(strstr(c->explanation, "/leaker"));
        assert_non_null(strstr(c->explanation, "usage 512.0 MiB (524288 kB) of limit 512.0 MiB (524288 kB)"));
        assert_non_null(strstr(c->explanation, "failcnt 1240247"));
        /* anon fills the memcg: secondary */
        c = find_cause(r, CAUSE_USERSPACE_MEMORY);
        assert_non_null(c);
        assert_false(c->primary);
        /* memcg accounting: v1 stats are kB */
        assert_int_equal(r->memory.total_kb, 524288);
        assert_int_equal(r->memory.free_kb, 0);
        assert_int_equal(r->memory.anon_kb, 516948);
        assert_int_equal(r->memory.file_kb, 80);
        /* 5.2: badness = rss + swapents + pgtables/4096 (4.19-5.9: clamp, no root bonus) */
        assert_int_equal(r->tasks[1].badness, 128950 + 517080 + 5222400 / 4096);
        assert_int_equal(r->tasks[1].rank, 1);
        assert_true(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 1);
        assert_non_null(strstr(r->summary, "oom-kill (memcg, 5.2.0-rc7): leaker order-0"));
        assert_non_null(strstr(r->summary, "memcg /leaker at its limit (512.0 MiB)"));
}

static void test_memcg_v2_stats_bytes(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = memcg_v1_report();

        free(r->memcg.stats);
        r->memcg.stats = NULL;
        r->memcg.n_stats = 0;
        r->memcg.memsw = false;
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "anon", 98742272);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "file", 2469888);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "kernel_stack", 131072);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "shmem", 2297856);
        r->memcg.usage_kb = r->memcg.limit_kb = 102400;
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(r->memory.anon_kb, 98742272 / 1024);
        assert_int_equal(r->memory.file_kb, 2469888 / 1024);
        assert_int_equal(r->memory.shmem_kb, 2297856 / 1024);
        assert_int_equal(r->memory.kernel_stack_kb, 128);
        assert_int_equal(r->memory.unaccounted_kb, 102400 - (96428 + 2412 + 128));
        assert_int_equal(report_primary_cause(r)->code, CAUSE_MEMCG_LIMIT);
}

static void test_userspace_hog(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        fx_task(r, 100, 1000, 1000000, 850000, NUM_UNSET, 0, 0, "hog");
        r->tasks[0].pgtables_bytes = 7000000;
        fx_task(r, 101, 0, 5000, 1000, NUM_UNSET, 0, 0, "sshd");
        r->tasks[1].pgtables_bytes = 40960;
        r->has_victim = true;
        r->victim.pid = 100;
        snprintf(r->victim.comm, sizeof(r->victim.comm), "hog");
        r->victim.anon_rss_kb = 3400000;
        r->victim.file_rss_kb = 0;
        r->victim.shmem_rss_kb = 0;

        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(count_primary(r), 1);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_USERSPACE_MEMORY);
        assert_non_null(strstr(c->explanation, "hog[100]"));
        assert_non_null(strstr(c->explanation, "No swap is configured"));
        /* the DMA zone's reserve is by design: not a cause */
        assert_null(find_cause(r, CAUSE_LOWMEM_RESERVE));
        assert_null(find_cause(r, CAUSE_CMA_UNUSABLE));
        assert_non_null(strstr(r->summary, "user memory"));
        assert_true(r->victim.in_task_table);
        assert_int_equal(r->victim.rank, 1);
}

static void test_slab_heavy(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 800000, 7840);
        const struct oom_cause *c;

        assert_int_equal(report_analyze(r), 0);
        c = report_primary_cause(r);
        assert_non_null(c);
        assert_int_equal(c->code, CAUSE_KERNEL_MEMORY);
        assert_non_null(strstr(c->explanation, "3.1 GiB unreclaimable"));
        assert_int_equal(count_primary(r), 1);
        assert_non_null(strstr(r->summary, "no kill line in the report"));
}

static void test_unaccounted_kernel_memory(void **state) {
        /* Counters explain little of the 3.9 GiB: a driver/vmalloc leak. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        assert_int_equal(report_analyze(r), 0);
        assert_true(r->memory.unaccounted_kb > 3000000);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_KERNEL_MEMORY);
        assert_non_null(strstr(c->explanation, "no counter accounts for"));
}

static void test_shmem_heavy(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 800000, 10000, 7840);

        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(report_primary_cause(r)->code, CAUSE_SHMEM);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "tmpfs"));
}

static void test_order3_fragmentation(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(500000, 100000, 1000, 10000, 250000);
        static const int64_t counts[11] = { 50000, 20000, 8750, 0, 0, 0, 0, 0, 0, 0, 0 };
        static const char *const types[11] = { "UME", "UME", "UM", "", "", "", "", "", "", "", "" };
        const struct oom_cause *c;

        snprintf(r->trigger.gfp_mask, sizeof(r->trigger.gfp_mask), "0x6040c0");
        snprintf(r->trigger.gfp_printed_names, sizeof(r->trigger.gfp_printed_names), "GFP_KERNEL|__GFP_COMP");
        r->trigger.gfp_mask_value = 0x6040c0;
        r->trigger.order = 3;
        for (size_t i = 1; i < 3; i++) { /* DMA32 and Normal: 500000 kB free, all below order 3 */
                r->zones[i].free_kb = 500000;
                fx_buddy(&r->zones[i], 11, counts, types);
        }
        assert_int_equal(report_analyze(r), 0);
        assert_true(r->zones[1].check.ok);
        assert_true(r->zones[1].check.order_checked);
        assert_false(r->zones[1].check.order_ok);
        c = report_primary_cause(r);
        assert_non_null(c);
        assert_int_equal(c->code, CAUSE_FRAGMENTATION);
        assert_non_null(strstr(c->explanation, "order 3"));
        assert_non_null(strstr(r->summary, "no free block of order 3"));
        assert_int_equal(count_primary(r), 1);
}

static void test_manual(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 400000);

        r->kind = REPORT_KIND_MANUAL;
        r->trigger.order = -1;
        snprintf(r->trigger.comm, sizeof(r->trigger.comm), "kworker/0:1");
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(r->n_causes, 1);
        assert_int_equal(r->causes[0].code, CAUSE_MANUAL);
        assert_true(r->causes[0].primary);
        assert_non_null(strstr(r->causes[0].explanation, "sysrq"));
        assert_non_null(strstr(r->summary, "oom-kill (manual"));
}

static void test_empty_report_unknown(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(r->n_causes, 1);
        assert_int_equal(r->causes[0].code, CAUSE_UNKNOWN);
        assert_non_null(strstr(r->causes[0].explanation, "does not contain"));
        assert_false(num_set(r->memory.total_kb));
        assert_false(num_set(r->memory.unaccounted_kb));
        assert_false(num_set(r->tasks_oom_disabled));
        assert_int_equal(report_analyze(NULL), -EINVAL);
}

static void test_huge_numbers_no_overflow(void **state) {
        /* 023: absurd watermarks from a managed-pages underflow; nothing may overflow. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 720717);

        r->zones[2].min_kb = 99395541895224LL;
        r->zones[2].low_kb = 124244427369030LL;
        r->zones[2].managed_kb = INT64_MAX / 2;
        r->zones[2].lowmem_reserve_pages[0] = 72057594037927865LL;
        r->memory.pages_ram = INT64_MAX - 1;
        r->memory.pages_reserved = 0;
        fx_task(r, 1, 0, INT64_MAX - 5, INT64_MAX - 5, NUM_UNSET, INT64_MAX - 5, 1000, "big");
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(count_primary(r), 1);
        assert_false(num_set(r->memory.total_kb)); /* (INT64_MAX-1) * 4 overflows */
}

static void test_badness_rules(void **state) {
        assert_int_equal(badness_rule_for(KV(2, 6, 32))->scale, BADNESS_NOT_RECOMPUTABLE);
        assert_int_equal(badness_rule_for(KV(3, 0, 0))->scale, BADNESS_POINTS_1000);
        assert_int_equal(badness_rule_for(KV(3, 14, 31))->scale, BADNESS_PAGES);
        assert_true(badness_rule_for(KV(4, 14, 0))->root_bonus);
        assert_false(badness_rule_for(KV(4, 19, 0))->root_bonus);
        assert_true(badness_rule_for(KV(5, 4, 0))->clamp_min_1);
        assert_false(badness_rule_for(KV(5, 10, 0))->clamp_min_1);
        assert_false(badness_rule_for(KV_MAX - 1)->clamp_min_1);
}

static void test_badness_510_negative_and_points(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 7840);
        int64_t totalpages;

        fx_kernel(r, "5.10.0-20-amd64", 5, 10, 0);
        fx_task(r, 10, 0, 1000, 500, NUM_UNSET, 0, -998, "pause");
        r->tasks[0].pgtables_bytes = 8192;
        assert_int_equal(report_analyze(r), 0);
        totalpages = report_totalpages(r);
        assert_int_equal(totalpages, (1048442 - 37422));
        assert_int_equal(r->tasks[0].badness, 500 + 2 - 998 * (totalpages / 1000));
        assert_true(r->tasks[0].badness < 0);

        /* 3.0: points on the 0..1000 scale, -30 for root, clamp 1..1000 */
        fx_kernel(r, "3.0.101", 3, 0, 101);
        r->tasks[0].oom_score_adj = 0;
        r->tasks[0].pgtables_bytes = NUM_UNSET;
        r->tasks[0].nr_ptes = 2;
        r->tasks[0].rss_pages = 500000;
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(r->tasks[0].badness, (500000 + 2) * 1000 / totalpages - 30);

        /* 2.6.32: not recomputable, no rank */
        fx_kernel(r, "2.6.32-24-generic-pae", 2, 6, 32);
        assert_int_equal(report_analyze(r), 0);
        assert_false(num_set(r->tasks[0].badness));
        assert_int_equal(r->tasks[0].rank, 0);
}

static void test_aggregate(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ struct task_group *g = NULL;
        size_t n = 0;

        fx_task(r, 9001, 33, 100, 1000, 1, 0, 0, "php-fpm");
        fx_task(r, 9002, 33, 100, 3000, 1, 0, 0, "php-fpm");
        fx_task(r, 9003, 33, 100, 2000, 1, 0, 0, "php-fpm");
        assert_int_equal(tasks_aggregate(r, &g, &n), 0);
        /* 26 seed rows with 25 distinct names ("sh" twice) + php-fpm */
        assert_int_equal(n, 26);
        assert_string_equal(g[0].name, "seed"); /* 8835 pages */
        assert_string_equal(g[1].name, "php-fpm");
        assert_int_equal(g[1].count, 3);
        assert_int_equal(g[1].rss_kb, 6000 * 4);
        assert_int_equal(g[1].max_rss_kb, 3000 * 4);
        assert_int_equal(g[1].max_rss_pid, 9002);
        for (size_t i = 0; i < n; i++)
                if (strcmp(g[i].name, "sh") == 0)
                        assert_int_equal(g[i].count, 2);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) { /* xorshift64 */
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}
static int64_t nasty(void) {
        static const int64_t v[] = { NUM_UNSET, INT64_MIN + 1, -1000, -1, 0, 1, 3, 4095, 1000,
                                     (int64_t)1 << 40, INT64_MAX - 1, INT64_MAX };
        uint64_t x = rnd();
        return x % 3 == 0 ? (int64_t)rnd() : v[(x >> 8) % ELEMENTSOF(v)];
}
static void mutate(int64_t *p) {
        if (rnd() % 4 == 0)
                *p = nasty();
}

static void test_random_structs(void **state) {
        /* Whatever numbers a (buggy) parser leaves in the struct, analysis + JSON + text must
         * not crash, overflow (UBSan) or emit invalid JSON, and there is exactly one primary. */
        for (int iter = 0; iter < 500; iter++) {
                _cleanup_(oom_report_freep) struct oom_report *r =
                        iter % 2 ? fixture_seed() : fixture_x86(900000, 20000, 1000, 10000, 7840);
                _cleanup_free_ char *json = NULL, *text = NULL;
                size_t text_len = 0;
                FILE *f;
                json_object *o;

                r->kind = (enum report_kind)(rnd() % 6);
                mutate(&r->page_kb);
                mutate(&r->trigger.order);
                if (rnd() % 3 == 0)
                        r->trigger.gfp_mask_value = rnd();
                for (size_t i = 0; i < r->n_zones; i++) {
                        struct oom_zone *z = &r->zones[i];
                        mutate(&z->free_kb), mutate(&z->min_kb), mutate(&z->low_kb), mutate(&z->high_kb);
                        mutate(&z->present_kb), mutate(&z->managed_kb), mutate(&z->free_cma_kb);
                        mutate(&z->reserved_highatomic_kb);
                        for (size_t k = 0; k < z->n_lowmem_reserve; k++)
                                mutate(&z->lowmem_reserve_pages[k]);
                        for (size_t k = 0; k < z->n_buddy; k++)
                                mutate(&z->buddy[k].count);
                        for (size_t k = 0; k < z->n_fields; k++)
                                mutate(&z->fields[k].value);
                }
                for (size_t i = 0; i < r->memory.n_meminfo; i++)
                        mutate(&r->memory.meminfo[i].value);
                mutate(&r->memory.pages_ram), mutate(&r->memory.pages_reserved);
                mutate(&r->memory.pages_highmem), mutate(&r->memory.total_swap_kb);
                for (size_t i = 0; i < r->n_tasks; i++) {
                        struct oom_task *t = &r->tasks[i];
                        mutate(&t->pid), mutate(&t->uid), mutate(&t->rss_pages), mutate(&t->nr_ptes);
                        mutate(&t->swapents_pages), mutate(&t->oom_score_adj), mutate(&t->pgtables_bytes);
                }
                mutate(&r->victim.pid), mutate(&r->victim.score), mutate(&r->victim.anon_rss_kb);
                mutate(&r->victim.file_rss_kb), mutate(&r->victim.shmem_rss_kb);
                if (r->kind == REPORT_KIND_MEMCG) {
                        r->memcg.present = rnd() % 2;
                        r->memcg.usage_kb = nasty();
                        r->memcg.limit_kb = nasty();
                        fx_kv(&r->memcg.stats, &r->memcg.n_stats, rnd() % 2 ? "anon" : "rss", nasty());
                        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "shmem", nasty());
                }
                mutate(&r->ts_usec);

                assert_int_equal(report_analyze(r), 0);
                assert_int_equal(count_primary(r), 1);
                assert_int_equal(report_to_json_string(r, &json), 0);
                o = json_tokener_parse(json);
                assert_non_null(o);
                json_object_put(o);
                f = open_memstream(&text, &text_len);
                assert_non_null(f);
                assert_int_equal(report_write_text(r, f), 0);
                fclose(f);
                assert_true(text_len > 0);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_cma_full_chain),
                cmocka_unit_test(test_seed_memory_accounting),
                cmocka_unit_test(test_seed_badness_and_ranks),
                cmocka_unit_test(test_victim_in_table),
                cmocka_unit_test(test_id_stable),
                cmocka_unit_test(test_id_without_time),
                cmocka_unit_test(test_fnv1a),
                cmocka_unit_test(test_memcg_limit),
                cmocka_unit_test(test_memcg_v2_stats_bytes),
                cmocka_unit_test(test_userspace_hog),
                cmocka_unit_test(test_slab_heavy),
                cmocka_unit_test(test_unaccounted_kernel_memory),
                cmocka_unit_test(test_shmem_heavy),
                cmocka_unit_test(test_order3_fragmentation),
                cmocka_unit_test(test_manual),
                cmocka_unit_test(test_empty_report_unknown),
                cmocka_unit_test(test_huge_numbers_no_overflow),
                cmocka_unit_test(test_badness_rules),
                cmocka_unit_test(test_badness_510_negative_and_points),
                cmocka_unit_test(test_aggregate),
                cmocka_unit_test(test_random_structs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
