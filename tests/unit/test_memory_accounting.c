/* SPDX-License-Identifier: MIT */
/* memory_account() on reports built by hand from real captures: lab amd64-hog-512M (6.1, global),
 * corpus 022 (3.13, the "pages reserved" bug), 004/011 (memcg v1 inline kB pairs), 013 (5.15,
 * cgroup v2 memory.stat lines in bytes). Expected values are written as the arithmetic on the
 * printed numbers so a reader can check them against the log. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memory_accounting.h"
#include "parse_util.h"

static struct oom_report *new_report(const char *release) {
        struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        if (release)
                assert_int_equal(kernel_version_parse(release, &r->kernel), 0);
        return r;
}

static void add_kv(struct key_value **arr, size_t *n, const char *k, int64_t v) {
        assert_int_equal(kv_append(arr, n, k, strlen(k), v), 0);
}

static struct oom_zone *add_zone(struct oom_report *r, const char *name, int64_t free_kb,
                                 int64_t present_kb, int64_t managed_kb, int64_t cma_kb) {
        struct oom_zone *z = &r->zones[r->n_zones++];

        oom_zone_init(z);
        z->node = 0;
        snprintf(z->name, sizeof(z->name), "%s", name);
        z->free_kb = free_kb;
        z->present_kb = present_kb;
        z->managed_kb = managed_kb;
        z->free_cma_kb = cma_kb;
        return z;
}

static void add_task(struct oom_report *r, int64_t pid, int64_t rss) {
        r->tasks = reallocarray(r->tasks, r->n_tasks + 1, sizeof(*r->tasks));
        assert_non_null(r->tasks);
        oom_task_init(&r->tasks[r->n_tasks]);
        r->tasks[r->n_tasks].pid = pid;
        r->tasks[r->n_tasks].rss_pages = rss;
        r->n_tasks++;
}

/* lab/amd64-hog-512M.log */
static struct oom_report *hog_report(void) {
        struct oom_report *r = new_report("6.1.0-56-amd64");
        struct oom_memory *m = &r->memory;
        static const struct { const char *k; int64_t v; } mi[] = {
                { "active_anon", 502 }, { "inactive_anon", 108534 }, { "isolated_anon", 0 },
                { "active_file", 0 }, { "inactive_file", 0 }, { "isolated_file", 0 },
                { "unevictable", 0 }, { "dirty", 0 }, { "writeback", 0 },
                { "slab_reclaimable", 2191 }, { "slab_unreclaimable", 1549 },
                { "mapped", 562 }, { "shmem", 861 }, { "pagetables", 226 },
                { "sec_pagetables", 0 }, { "bounce", 0 }, { "kernel_misc_reclaimable", 0 },
                { "free", 1088 }, { "free_pcp", 110 }, { "free_cma", 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(mi); i++)
                add_kv(&m->meminfo, &m->n_meminfo, mi[i].k, mi[i].v);
        add_kv(&m->node_fields, &m->n_node_fields, "active_anon", 2008);
        add_kv(&m->node_fields, &m->n_node_fields, "inactive_anon", 434136);
        add_kv(&m->node_fields, &m->n_node_fields, "kernel_stack", 736);
        add_kv(&m->node_fields, &m->n_node_fields, "pagetables", 904);
        add_zone(r, "DMA", 1804, 15992, 15360, 0);
        add_zone(r, "DMA32", 2548, 507776, 451036, 0);
        m->pages_ram = 130942;
        m->pages_reserved = 14343;
        m->total_swap_kb = 0;
        m->free_swap_kb = 0;
        m->hugepages_total = 0;
        m->hugepages_size_kb = 2048;
        add_task(r, 90, 108322);
        return r;
}

static void test_global_hog(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = hog_report();
        struct oom_memory *m = &r->memory;

        assert_int_equal(memory_account(r), 0);
        assert_int_equal(m->total_kb, (130942 - 14343) * 4);
        assert_int_equal(m->total_kb, 15360 + 451036); /* = sum of managed, as it must */
        assert_int_equal(m->reserved_kb, (15992 + 507776) - (15360 + 451036));
        assert_int_equal(m->free_kb, 1088 * 4);
        assert_int_equal(m->anon_kb, (502 + 108534) * 4);
        assert_int_equal(m->file_kb, 0);
        assert_int_equal(m->shmem_kb, 861 * 4);
        assert_int_equal(m->slab_reclaimable_kb, 2191 * 4);
        assert_int_equal(m->slab_unreclaimable_kb, 1549 * 4);
        assert_int_equal(m->kernel_stack_kb, 736);     /* node line (5.10+) */
        assert_int_equal(m->pagetables_kb, 226 * 4);   /* counters first */
        assert_int_equal(m->cma_free_kb, 0);
        assert_int_equal(m->hugepages_kb, 0);
        assert_int_equal(m->user_rss_kb, 108322 * 4);
        /* total - (free + anon + file + slab + free_pcp + kernel_stack + pagetables + ...) */
        assert_int_equal(m->unaccounted_kb,
                         (130942 - 14343) * 4 -
                                 ((1088 + 502 + 108534 + 2191 + 1549 + 110 + 226) * 4 + 736));
        assert_int_equal(m->unaccounted_kb, 8860);
}

static void test_global_fallbacks(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = hog_report();
        struct oom_memory *m = &r->memory;

        /* No "pages RAM": total from the managed sum; no free counter: zone sum; no anon
         * counters: the node lines. */
        m->pages_ram = NUM_UNSET;
        for (size_t i = 0; i < m->n_meminfo; i++)
                if (!strcmp(m->meminfo[i].key, "free") || !strcmp(m->meminfo[i].key, "active_anon") ||
                    !strcmp(m->meminfo[i].key, "pagetables") || !strcmp(m->meminfo[i].key, "free_cma"))
                        strcpy(m->meminfo[i].key, "gone");
        r->zones[1].free_cma_kb = 4096;
        m->hugepages_total = 10;
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(m->total_kb, 15360 + 451036);
        assert_int_equal(m->free_kb, 1804 + 2548);
        assert_int_equal(m->anon_kb, 2008 + 434136);
        assert_int_equal(m->pagetables_kb, 904);
        assert_int_equal(m->cma_free_kb, 4096);
        assert_int_equal(m->hugepages_kb, 10 * 2048);
        /* pages_reserved alone still gives reserved via present - managed */
        assert_int_equal(m->reserved_kb, 57372);

        /* 2.6.32-3.6: no managed at all -> total is the present sum */
        r->zones[0].managed_kb = NUM_UNSET;
        r->zones[1].managed_kb = NUM_UNSET;
        m->pages_reserved = NUM_UNSET;
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(m->total_kb, 15992 + 507776);
        assert_true(m->reserved_kb == NUM_UNSET);

        /* A zone with unknown free makes the zone sum unknown rather than short. */
        r->zones[1].free_kb = NUM_UNSET;
        assert_int_equal(memory_account(r), 0);
        assert_true(m->free_kb == NUM_UNSET);
        assert_true(m->unaccounted_kb == NUM_UNSET);
}

static void test_global_empty_and_hostile(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report(NULL);
        struct oom_memory *m = &r->memory;

        /* Nothing printed: everything stays unknown, nothing crashes. */
        m->total_kb = 5; /* stale values are reset */
        assert_int_equal(memory_account(r), 0);
        assert_true(m->total_kb == NUM_UNSET);
        assert_true(m->free_kb == NUM_UNSET);
        assert_true(m->anon_kb == NUM_UNSET);
        assert_true(m->user_rss_kb == NUM_UNSET);
        assert_true(m->unaccounted_kb == NUM_UNSET);
        assert_true(m->reserved_kb == NUM_UNSET);

        /* Overflowing numbers (corpus 023 has min:99395541895224kB) give unknown, not wrap. */
        m->pages_ram = INT64_MAX;
        m->pages_reserved = 0;
        add_kv(&m->meminfo, &m->n_meminfo, "active_anon", INT64_MAX);
        add_kv(&m->meminfo, &m->n_meminfo, "inactive_anon", INT64_MAX);
        add_task(r, 1, INT64_MAX);
        add_task(r, 2, INT64_MAX);
        assert_int_equal(memory_account(r), 0);
        assert_true(m->total_kb == NUM_UNSET);
        assert_true(m->anon_kb == NUM_UNSET);
        assert_true(m->user_rss_kb == NUM_UNSET);

        /* A negative remainder (racy counters) is clamped to 0. */
        {
                _cleanup_(oom_report_freep) struct oom_report *h = hog_report();
                h->memory.pages_reserved = 100000; /* total far below the counters */
                h->kernel.known = false;
                assert_int_equal(memory_account(h), 0);
                assert_int_equal(h->memory.total_kb, (130942 - 100000) * 4);
                assert_int_equal(h->memory.unaccounted_kb, 0);
        }
}

/* corpus 022: 3.13.0-27-generic, "10614 pages reserved" = the DMA32 zone only. */
static void test_reserved_bug_3_13(void **state) {
        (void) state;
        static const char *const releases[] = { "3.13.0-27-generic", "3.14.29" };

        for (size_t k = 0; k < ELEMENTSOF(releases); k++) {
                _cleanup_(oom_report_freep) struct oom_report *r = new_report(releases[k]);
                struct oom_memory *m = &r->memory;

                add_zone(r, "DMA", 7124, 15992, 15908, 0);
                add_zone(r, "DMA32", 44592, 1765368, 1722912, 0);
                m->pages_ram = 445340;
                m->pages_reserved = 10614;
                assert_int_equal(10614 * 4, 1765368 - 1722912); /* the bug, in the capture */
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(m->total_kb, 15908 + 1722912);
                assert_int_equal(m->reserved_kb, (15992 - 15908) + (1765368 - 1722912));

                /* Without zone managed figures the printed total is the fallback (the present
                 * sum would count every reserved page as usable). */
                r->zones[0].managed_kb = r->zones[1].managed_kb = NUM_UNSET;
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(m->total_kb, (445340 - 10614) * 4);
                assert_true(m->reserved_kb == NUM_UNSET); /* not from the buggy figure */
        }

        /* 3.12 and 4.4 sum correctly: the printed figure is used. */
        {
                _cleanup_(oom_report_freep) struct oom_report *r = new_report("4.4.0-21-generic");
                add_zone(r, "DMA", 7124, 15992, 15908, 0);
                add_zone(r, "DMA32", 44592, 1765368, 1722912, 0);
                r->memory.pages_ram = 445340;
                r->memory.pages_reserved = 10635;
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(r->memory.total_kb, (445340 - 10635) * 4);
                /* With a deliberately different printed value, 4.4 prefers the printed one. */
                r->memory.pages_reserved = 10000;
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(r->memory.total_kb, (445340 - 10000) * 4);
                r->kernel.minor = 14; /* 4.14 */
                r->kernel.major = 3;  /* -> 3.14: the zones win again */
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(r->memory.total_kb, 15908 + 1722912);
                r->kernel.minor = 12; /* 3.12: before the bug */
                assert_int_equal(memory_account(r), 0);
                assert_int_equal(r->memory.total_kb, (445340 - 10000) * 4);
        }
}

static void test_memcg_v1_inline(void **state) {
        (void) state;
        /* corpus 011 (5.2, v1): "cache:80KB rss:516948KB ... shmem:0KB swap:2068268KB" */
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.2.0");
        struct oom_memcg *mc = &r->memcg;

        r->kind = REPORT_KIND_MEMCG;
        mc->present = true;
        mc->usage_kb = 524288;
        mc->limit_kb = 524288;
        mc->memsw = true;
        add_kv(&mc->stats, &mc->n_stats, "cache", 80);
        add_kv(&mc->stats, &mc->n_stats, "rss", 516948);
        add_kv(&mc->stats, &mc->n_stats, "rss_huge", 0);
        add_kv(&mc->stats, &mc->n_stats, "shmem", 0);
        add_kv(&mc->stats, &mc->n_stats, "swap", 2068268);
        add_task(r, 23777, 400);
        add_task(r, 23793, 126942);

        assert_false(memcg_stats_v2(r));
        assert_int_equal(memcg_stat_kb(r, "rss"), 516948); /* kB as printed */
        assert_true(memcg_stat_kb(r, "anon") == NUM_UNSET);
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(r->memory.total_kb, 524288);
        assert_int_equal(r->memory.free_kb, 0);
        assert_int_equal(r->memory.anon_kb, 516948);
        assert_int_equal(r->memory.file_kb, 80);
        assert_int_equal(r->memory.shmem_kb, 0);
        assert_int_equal(r->memory.user_rss_kb, (400 + 126942) * 4);
        assert_true(r->memory.unaccounted_kb == NUM_UNSET); /* v1: kmem in usage is unknowable */

        /* v1 prints one stats line per memcg of the subtree: the values add up. */
        add_kv(&mc->stats, &mc->n_stats, "rss", 1000);
        assert_int_equal(memcg_stat_kb(r, "rss"), 517948);

        /* memcg report whose memcg block was lost: global accounting instead. */
        mc->present = false;
        assert_int_equal(memory_account(r), 0);
        assert_true(r->memory.total_kb == NUM_UNSET);
        assert_int_equal(r->memory.user_rss_kb, (400 + 126942) * 4);
}

static void test_memcg_v1_text_bytes(void **state) {
        (void) state;
        /* v1 on 5.x+/6.x prints memory.stat text lines: "rss 33423360" (bytes) for a 32M limit.
         * The parser flags it with stats_bytes; the key set alone does not say. */
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("6.18.0");
        struct oom_memcg *mc = &r->memcg;

        r->kind = REPORT_KIND_MEMCG;
        mc->present = true;
        mc->usage_kb = 32768;
        mc->limit_kb = 32768;
        add_kv(&mc->stats, &mc->n_stats, "cache", 1048576);
        add_kv(&mc->stats, &mc->n_stats, "rss", 33423360);
        add_kv(&mc->stats, &mc->n_stats, "shmem", 8192);
        mc->stats_bytes = false;
        assert_int_equal(memcg_stat_kb(r, "rss"), 33423360); /* read as kB without the flag */
        mc->stats_bytes = true;
        assert_int_equal(memcg_stat_kb(r, "rss"), 33423360 / 1024);
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(r->memory.anon_kb, 32640);
        assert_int_equal(r->memory.file_kb, 1024);
        assert_int_equal(r->memory.shmem_kb, 8);
        assert_true(r->memory.unaccounted_kb == NUM_UNSET);
}

static void test_memcg_v2(void **state) {
        (void) state;
        /* corpus 013: 5.15 AKS pod, memory.stat lines in bytes */
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.15.0-1019-azure");
        struct oom_memcg *mc = &r->memcg;

        r->kind = REPORT_KIND_MEMCG;
        mc->present = true;
        mc->stats_bytes = true;
        mc->usage_kb = 102400;
        mc->limit_kb = 102400;
        add_kv(&mc->stats, &mc->n_stats, "anon", 98742272);
        add_kv(&mc->stats, &mc->n_stats, "file", 2469888);
        add_kv(&mc->stats, &mc->n_stats, "kernel_stack", 131072);
        add_kv(&mc->stats, &mc->n_stats, "pagetables", 851968);
        add_kv(&mc->stats, &mc->n_stats, "percpu", 11752);
        add_kv(&mc->stats, &mc->n_stats, "sock", 0);
        add_kv(&mc->stats, &mc->n_stats, "shmem", 2297856);
        add_kv(&mc->stats, &mc->n_stats, "slab_reclaimable", 204800);
        add_kv(&mc->stats, &mc->n_stats, "slab_unreclaimable", 307200);
        add_task(r, 181537, 1835);

        assert_true(memcg_stats_v2(r));
        assert_int_equal(memory_account(r), 0);
        struct oom_memory *m = &r->memory;
        assert_int_equal(m->total_kb, 102400);
        assert_int_equal(m->free_kb, 0);
        assert_int_equal(m->anon_kb, 98742272 / 1024);
        assert_int_equal(m->file_kb, 2469888 / 1024);
        assert_int_equal(m->shmem_kb, 2297856 / 1024);
        assert_int_equal(m->kernel_stack_kb, 128);
        assert_int_equal(m->pagetables_kb, 832);
        assert_int_equal(m->slab_reclaimable_kb, 200);
        assert_int_equal(m->slab_unreclaimable_kb, 300);
        assert_int_equal(m->user_rss_kb, 1835 * 4);
        /* usage - (anon + file + slab + kernel_stack + pagetables + percpu + sock) */
        assert_int_equal(m->unaccounted_kb,
                         102400 - (96428 + 2412 + 200 + 300 + 128 + 832 + 11752 / 1024 + 0));

        /* The v2 key set is recognised even without the flag ("anon" only exists in v2). */
        mc->stats_bytes = false;
        assert_int_equal(memcg_stat_kb(r, "anon"), 96428);

        /* 4.18/4.19 v2: only "slab" */
        {
                _cleanup_(oom_report_freep) struct oom_report *o = new_report("4.18.0");
                o->kind = REPORT_KIND_MEMCG;
                o->memcg.present = true;
                o->memcg.usage_kb = 4096;
                o->memcg.limit_kb = 2048; /* usage above limit: free clamps to 0 */
                add_kv(&o->memcg.stats, &o->memcg.n_stats, "anon", 2097152);
                add_kv(&o->memcg.stats, &o->memcg.n_stats, "file", 1048576);
                add_kv(&o->memcg.stats, &o->memcg.n_stats, "slab", 524288);
                assert_int_equal(memory_account(o), 0);
                assert_int_equal(o->memory.slab_unreclaimable_kb, 512);
                assert_true(o->memory.slab_reclaimable_kb == NUM_UNSET);
                assert_int_equal(o->memory.free_kb, 0);
                assert_int_equal(o->memory.unaccounted_kb, 4096 - (2048 + 1024 + 512));
        }
}

static void test_num_helpers_and_lookups(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = hog_report();

        assert_true(num_add(INT64_MAX, 1) == NUM_UNSET);
        assert_true(num_add(-INT64_MAX, -1) == NUM_UNSET); /* would be INT64_MIN */
        assert_true(num_sub(-INT64_MAX, 1) == NUM_UNSET);
        assert_true(num_mul(INT64_MAX / 2 + 1, 2) == NUM_UNSET);
        assert_true(num_add(NUM_UNSET, 1) == NUM_UNSET);
        assert_int_equal(num_add_opt(5, NUM_UNSET), 5);
        assert_int_equal(num_add_opt(5, 3), 8);
        assert_int_equal(num_mul(108322, 4), 433288);

        r->page_kb = 0;
        assert_int_equal(report_page_kb(r), 4);
        r->page_kb = INT64_C(1) << 21;
        assert_int_equal(report_page_kb(r), 4);
        r->page_kb = 64;
        assert_int_equal(report_page_kb(r), 64);

        assert_int_equal(meminfo_pages(r, "inactive_anon"), 108534);
        assert_true(meminfo_pages(r, "nope") == NUM_UNSET);
        assert_int_equal(node_field_kb(r, "kernel_stack"), 736);
        add_kv(&r->zones[0].fields, &r->zones[0].n_fields, "kernel_stack", 16);
        add_kv(&r->zones[1].fields, &r->zones[1].n_fields, "kernel_stack", 720);
        assert_int_equal(zone_field_sum_kb(r, "kernel_stack"), 736);
        assert_true(zone_field_sum_kb(r, "bounce") == NUM_UNSET);

        /* 64K pages scale the page counters */
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(r->memory.free_kb, 1088 * 64);
        assert_int_equal(r->memory.user_rss_kb, 108322 * 64);
}

static void test_table_rss_6_8(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = hog_report();

        /* 6.8+ rows: rss = anon + file + shmem when rss is not printed */
        r->tasks[0].rss_pages = NUM_UNSET;
        r->tasks[0].rss_anon_pages = 100000;
        r->tasks[0].rss_file_pages = 8000;
        r->tasks[0].rss_shmem_pages = 322;
        add_task(r, 91, NUM_UNSET); /* nothing known: skipped, not counted as 0-and-known */
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(r->memory.user_rss_kb, 108322 * 4);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_global_hog),
                cmocka_unit_test(test_global_fallbacks),
                cmocka_unit_test(test_global_empty_and_hostile),
                cmocka_unit_test(test_reserved_bug_3_13),
                cmocka_unit_test(test_memcg_v1_inline),
                cmocka_unit_test(test_memcg_v1_text_bytes),
                cmocka_unit_test(test_memcg_v2),
                cmocka_unit_test(test_num_helpers_and_lookups),
                cmocka_unit_test(test_table_rss_6_8),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
