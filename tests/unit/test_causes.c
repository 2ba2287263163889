/* SPDX-License-Identifier: MIT */
/* causes_classify() alone, with the zone checks filled by hand: the decision logic does not
 * depend on the zone_check replay being right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis_fixtures.h"
#include "causes.h"
#include "memory_accounting.h"
#include "victim.h"

static void set_check(struct oom_zone *z, bool eligible, int64_t usable, int64_t cma, int64_t wm,
                      int64_t reserve, bool order_checked, bool order_ok) {
        struct zone_check *c = &z->check;

        memset(c, 0, sizeof(*c));
        c->evaluated = true;
        c->eligible = eligible;
        c->reason = eligible ? "eligible" : "above the allocation's highest zone";
        c->usable_free_kb = usable;
        c->cma_excluded_kb = cma;
        c->highatomic_excluded_kb = 0;
        c->watermark_kb = wm;
        c->reserve_kb = reserve;
        c->threshold_kb = wm + reserve;
        c->ok = usable > wm + reserve;
        c->margin_kb = usable - (wm + reserve);
        c->order_checked = order_checked;
        c->order_ok = order_ok;
        c->order_ok_at = order_ok ? 3 : -1;
        if (order_checked && !order_ok)
                snprintf(c->order_detail, sizeof(c->order_detail), "no free block of order >= 3");
}

static void classify(struct oom_report *r) {
        assert_int_equal(memory_account(r), 0);
        assert_int_equal(victim_analyze(r), 0);
        assert_int_equal(causes_classify(r), 0);
}

static const struct oom_cause *find(const struct oom_report *r, enum cause_code code) {
        for (size_t i = 0; i < r->n_causes; i++)
                if (r->causes[i].code == code)
                        return &r->causes[i];
        return NULL;
}

static size_t primaries(const struct oom_report *r) {
        size_t n = 0;
        if (r->n_causes > 0)
                assert_true(r->causes[0].primary); /* contract: primary first */
        for (size_t i = 0; i < r->n_causes; i++)
                n += r->causes[i].primary;
        return n;
}

static void seed_trigger(struct oom_report *r) {
        r->trigger.migratetype = "Reclaimable";
        r->trigger.highest_zone = "Normal";
        r->trigger.highest_zone_idx = 0;
        r->trigger.watermark_adjust = "none";
}

static void test_cma(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_cause *c;
        char phrase[128];

        seed_trigger(r);
        set_check(&r->zones[0], true, 2344, 231116, 2488, 0, false, false);
        set_check(&r->zones[1], false, 0, 0, 0, 0, false, false);
        classify(r);
        assert_int_equal(primaries(r), 1);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_CMA_UNUSABLE);
        assert_string_equal(c->explanation,
                            "Zone Normal shows 228.0 MiB free, but 225.7 MiB of it is CMA, which a "
                            "Reclaimable (non-movable) allocation may not use: usable 2344 kB is below "
                            "the min watermark 2488 kB + lowmem reserve 0 kB = 2488 kB. HighMem "
                            "(909036 kB free) cannot serve it: the allocation's highest zone is Normal.");
        cause_short_phrase(r, c, phrase, sizeof(phrase));
        assert_string_equal(phrase, "226 MiB of 228 MiB free is CMA");
        assert_string_equal(zone_verdict_string(&r->zones[0]), "FAIL");
        assert_string_equal(zone_verdict_string(&r->zones[1]), "not eligible");
}

static void test_small_cma_is_not_the_cause(void **state) {
        /* CMA would tip the check, but it is a sliver of the zone: the zone was short anyway. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();

        seed_trigger(r);
        r->zones[0].free_kb = 2600;
        set_check(&r->zones[0], true, 2344, 256, 2488, 0, false, false);
        set_check(&r->zones[1], false, 0, 0, 0, 0, false, false);
        classify(r);
        assert_null(find(r, CAUSE_CMA_UNUSABLE));
        assert_int_equal(primaries(r), 1);
        /* HighMem has 909 MB free that the request may not use: 32-bit lowmem exhaustion */
        assert_int_equal(report_primary_cause(r)->code, CAUSE_LOWMEM_EXHAUSTED);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "909036 kB"));
}

static void test_lowmem_reserve(void **state) {
        /* 32-bit: a HighMem request, HighMem empty, Normal has 200 MiB but reserves it. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_cause *c;

        r->trigger.migratetype = "Movable";
        r->trigger.highest_zone = "HighMem";
        r->trigger.highest_zone_idx = 1;
        r->zones[0].free_cma_kb = 0;
        r->zones[0].free_kb = 300000;
        r->zones[1].free_kb = 400;
        set_check(&r->zones[0], true, 300000, 0, 2488, 10168 * 4 * 8, false, false);
        set_check(&r->zones[1], true, 400, 0, 512, 0, false, false);
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_LOWMEM_RESERVE);
        assert_non_null(strstr(c->explanation, "lowmem reserve of 325376 kB"));
        assert_non_null(strstr(c->explanation, "highest zone is HighMem"));
        assert_int_equal(primaries(r), 1);
}

static void test_dma_reserve_not_primary(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);

        r->trigger.migratetype = "Movable";
        r->trigger.highest_zone = "Normal";
        set_check(&r->zones[0], true, 15360, 0, 260, 15608, false, false); /* DMA: reserve */
        set_check(&r->zones[1], true, 12000, 0, 12292, 3768, false, false);
        set_check(&r->zones[2], true, 4000, 0, 4048, 0, false, false);
        classify(r);
        assert_int_equal(report_primary_cause(r)->code, CAUSE_USERSPACE_MEMORY);
        assert_null(find(r, CAUSE_LOWMEM_RESERVE));
        /* the zone state leads the memory paragraph */
        assert_non_null(strstr(report_primary_cause(r)->explanation,
                               "Every zone the allocation may use is below its watermark"));
}

/* A non-DMA zone held back by its reserve is named even when user memory is the primary cause
 * (the lab's i386 lowmem-reserve capture: Normal 63080 kB free, min 42236 + reserve 20988). */
static void test_normal_reserve_named_as_secondary(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        r->trigger.migratetype = "Movable";
        r->trigger.highest_zone = "Normal";
        set_check(&r->zones[0], true, 15360, 0, 260, 15608, false, false); /* DMA: reserve */
        set_check(&r->zones[1], true, 63080, 0, 42236, 20988, false, false); /* DMA32: reserve */
        set_check(&r->zones[2], true, 400, 0, 512, 0, false, false);
        classify(r);
        assert_int_equal(primaries(r), 1);
        c = find(r, CAUSE_LOWMEM_RESERVE);
        assert_non_null(c);
        assert_false(c->primary);
        assert_non_null(strstr(c->explanation, "20988 kB"));
}

/* Free pages exist, but only in highatomic pageblocks (corpus 059): the reserve is the cause. */
static void test_highatomic_reserve(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        r->trigger.migratetype = "Movable";
        r->trigger.highest_zone = "Normal";
        set_check(&r->zones[0], false, 0, 0, 260, 0, false, false);
        set_check(&r->zones[1], false, 0, 0, 260, 0, false, false);
        set_check(&r->zones[2], true, -18728, 0, 7440, 0, false, false);
        r->zones[2].check.highatomic_excluded_kb = 32768;
        r->zones[2].free_kb = 14040;
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_HIGHATOMIC_RESERVE);
        assert_string_equal(cause_code_to_string(c->code), "highatomic_reserve");
        assert_non_null(strstr(c->explanation, "-18728 kB"));
        /* without the exclusion the zone would pass: no highatomic blame when it would not */
        r->zones[2].check.highatomic_excluded_kb = 1000;
        classify(r);
        assert_null(find(r, CAUSE_HIGHATOMIC_RESERVE));
}

/* 2.6.2x Mem-Info has no anon/file split; a full swap still says processes filled memory. */
static void test_swap_full_means_userspace(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        free(r->memory.meminfo);
        r->memory.meminfo = NULL;
        r->memory.n_meminfo = 0;
        free(r->memory.node_fields);
        r->memory.node_fields = NULL;
        r->memory.n_node_fields = 0;
        r->memory.total_swap_kb = 610428;
        r->memory.free_swap_kb = 0;
        r->trigger.highest_zone = "Normal";
        set_check(&r->zones[0], true, 3048, 0, 72, 2984, false, false);
        set_check(&r->zones[1], true, 3444, 0, 3456, 0, false, false);
        set_check(&r->zones[2], true, 3444, 0, 3456, 0, false, false);
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_USERSPACE_MEMORY);
        assert_non_null(strstr(c->explanation, "Swap is full"));
        /* half the swap free: no such conclusion */
        r->memory.free_swap_kb = 300000;
        classify(r);
        assert_int_not_equal(report_primary_cause(r)->code, CAUSE_USERSPACE_MEMORY);
}

static void test_fragmentation(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 300000, 1000, 10000, 250000);
        const struct oom_cause *c;

        r->trigger.order = 3;
        r->trigger.migratetype = "Unmovable";
        set_check(&r->zones[0], true, 15360, 0, 260, 15608, false, false);
        set_check(&r->zones[1], true, 500000, 0, 12292, 3768, true, false);
        set_check(&r->zones[2], true, 480000, 0, 4048, 0, true, false);
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_FRAGMENTATION);
        assert_non_null(strstr(c->explanation, "order 3 (32 kB)"));
        assert_non_null(strstr(c->explanation, "DMA32 passes the order-0 check (usable 500000 kB > threshold 16060 kB)"));
        assert_string_equal(zone_verdict_string(&r->zones[1]), "order FAIL");
        assert_int_equal(primaries(r), 1);
}

static void test_zone_passes_means_no_zone_cause(void **state) {
        /* One eligible zone passes at min: zone causes are not claimed. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();

        seed_trigger(r);
        set_check(&r->zones[0], true, 100000, 131116, 2488, 0, false, false);
        set_check(&r->zones[1], false, 0, 0, 0, 0, false, false);
        classify(r);
        assert_null(find(r, CAUSE_CMA_UNUSABLE));
        assert_int_equal(report_primary_cause(r)->code, CAUSE_UNKNOWN);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "pass the min-watermark check"));
}

static void test_cpuset_primary_with_secondary(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        r->kind = REPORT_KIND_CPUSET;
        snprintf(r->constraint.cpuset, sizeof(r->constraint.cpuset), "/test");
        snprintf(r->constraint.mems_allowed, sizeof(r->constraint.mems_allowed), "0");
        classify(r);
        assert_int_equal(primaries(r), 1);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_CPUSET_CONSTRAINT);
        assert_non_null(strstr(c->explanation, "cpuset /test (mems_allowed=0)"));
        c = find(r, CAUSE_USERSPACE_MEMORY);
        assert_non_null(c);
        assert_false(c->primary);
}

static void test_mempolicy(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 7840);

        r->kind = REPORT_KIND_MEMPOLICY;
        snprintf(r->constraint.nodemask, sizeof(r->constraint.nodemask), "1");
        classify(r);
        assert_int_equal(report_primary_cause(r)->code, CAUSE_MEMPOLICY_CONSTRAINT);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "nodemask=1"));
}

static void test_pagefault_gfp0(void **state) {
        /* Free memory plenty, gfp 0: pagefault OOM, nothing dominates. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 300000, 1000, 10000, 700000);

        r->trigger.gfp_mask_value = 0;
        r->memory.pages_ram = 1048442;
        classify(r);
        /* 2.7 GiB free + 1.1 GiB cache: unaccounted small */
        assert_int_equal(report_primary_cause(r)->code, CAUSE_UNKNOWN);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "pagefault_out_of_memory"));
}

static void test_max_causes_bounded(void **state) {
        /* classify twice: causes are rebuilt, not appended */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();

        seed_trigger(r);
        set_check(&r->zones[0], true, 2344, 231116, 2488, 0, false, false);
        set_check(&r->zones[1], false, 0, 0, 0, 0, false, false);
        classify(r);
        size_t n = r->n_causes;
        classify(r);
        assert_int_equal(r->n_causes, n);
        assert_true(r->n_causes <= OOM_MAX_CAUSES);
}

static void test_highmem_inferred(void **state) {
        /* 6.1+ hides HighMem for a lowmem request; "pages HighMem" and the free counter reveal
         * its free memory (i386pae lab capture). */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        const struct oom_cause *c;

        seed_trigger(r);
        r->n_zones = 1; /* drop the HighMem line (its fields array is freed below) */
        free(r->zones[1].fields);
        r->zones[1].fields = NULL;
        r->memory.pages_highmem = 325376;
        r->zones[0].free_cma_kb = 0;
        r->zones[0].free_kb = 2344;
        set_check(&r->zones[0], true, 2344, 0, 2488, 0, false, false);
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_LOWMEM_EXHAUSTED);
        /* free counter 1142992 kB minus the 2344 kB shown */
        assert_non_null(strstr(c->explanation, "1140648 kB; the zone is not printed"));
}

static void test_available_zone_not_memory_primary(void **state) {
        /* Normal passes even at high: whatever fills RAM, it does not explain this OOM. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(900000, 20000, 1000, 10000, 7840);
        const struct oom_cause *c;

        r->trigger.migratetype = "Unmovable";
        set_check(&r->zones[1], true, 12000, 0, 12292, 3768, false, false);
        set_check(&r->zones[2], true, 150000, 0, 4048, 0, false, false);
        r->zones[2].check.high_ok = true;
        classify(r);
        c = report_primary_cause(r);
        assert_int_equal(c->code, CAUSE_UNKNOWN);
        assert_non_null(strstr(c->explanation, "Normal: usable 150000 kB"));
        c = find(r, CAUSE_USERSPACE_MEMORY);
        assert_non_null(c);
        assert_false(c->primary);
        assert_int_equal(primaries(r), 1);
}

static void test_corrupt_reserve(void **state) {
        /* 023: managed_pages underflow gives reserves larger than the zone itself. */
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_x86(100000, 20000, 1000, 10000, 700000);

        r->trigger.highest_zone = "Movable";
        set_check(&r->zones[0], true, 15360, 0, 260, 15608, false, false);
        set_check(&r->zones[1], true, 2678000, 0, 12292, 288230376151711460LL, false, false);
        set_check(&r->zones[2], true, 4000, 0, 4048, 0, false, false);
        classify(r);
        assert_int_equal(report_primary_cause(r)->code, CAUSE_LOWMEM_RESERVE);
        assert_non_null(strstr(report_primary_cause(r)->explanation, "values are corrupt"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cma),
                cmocka_unit_test(test_small_cma_is_not_the_cause),
                cmocka_unit_test(test_lowmem_reserve),
                cmocka_unit_test(test_dma_reserve_not_primary),
                cmocka_unit_test(test_normal_reserve_named_as_secondary),
                cmocka_unit_test(test_highatomic_reserve),
                cmocka_unit_test(test_swap_full_means_userspace),
                cmocka_unit_test(test_fragmentation),
                cmocka_unit_test(test_zone_passes_means_no_zone_cause),
                cmocka_unit_test(test_cpuset_primary_with_secondary),
                cmocka_unit_test(test_mempolicy),
                cmocka_unit_test(test_pagefault_gfp0),
                cmocka_unit_test(test_max_causes_bounded),
                cmocka_unit_test(test_highmem_inferred),
                cmocka_unit_test(test_available_zone_not_memory_primary),
                cmocka_unit_test(test_corrupt_reserve),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
