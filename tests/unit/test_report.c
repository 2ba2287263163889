/* SPDX-License-Identifier: MIT */
/* The data model's constructors, destructors and string tables (report.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

#define ASSERT_UNSET(x) assert_true((x) == NUM_UNSET)

static void test_report_new_unset(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        assert_non_null(r);
        ASSERT_UNSET(r->ts_usec);
        ASSERT_UNSET(r->seq);
        ASSERT_UNSET(r->wall_sec);
        assert_int_equal(r->page_kb, 4);
        assert_false(r->kernel.known);

        ASSERT_UNSET(r->trigger.pid);
        ASSERT_UNSET(r->trigger.order);
        ASSERT_UNSET(r->trigger.oom_score_adj);
        ASSERT_UNSET(r->trigger.oom_adj);
        assert_int_equal(r->trigger.highest_zone_idx, -1);
        assert_false(r->trigger.has_gfp_mask);

        ASSERT_UNSET(r->victim.pid);
        ASSERT_UNSET(r->victim.uid);
        ASSERT_UNSET(r->victim.score);
        ASSERT_UNSET(r->victim.total_vm_kb);
        ASSERT_UNSET(r->victim.anon_rss_kb);
        ASSERT_UNSET(r->victim.file_rss_kb);
        ASSERT_UNSET(r->victim.shmem_rss_kb);
        ASSERT_UNSET(r->victim.pgtables_kb);
        ASSERT_UNSET(r->victim.oom_score_adj);
        ASSERT_UNSET(r->victim.selected_pid);
        ASSERT_UNSET(r->victim.reaped_anon_rss_kb);
        ASSERT_UNSET(r->victim.reaped_file_rss_kb);
        ASSERT_UNSET(r->victim.reaped_shmem_rss_kb);
        ASSERT_UNSET(r->victim.rss_kb);
        ASSERT_UNSET(r->victim.badness);
        assert_int_equal(r->victim.rank, 0);
        assert_false(r->has_victim);

        ASSERT_UNSET(r->memcg.usage_kb);
        ASSERT_UNSET(r->memcg.limit_kb);
        ASSERT_UNSET(r->memcg.failcnt);
        ASSERT_UNSET(r->memcg.swap_usage_kb);
        ASSERT_UNSET(r->memcg.swap_limit_kb);
        ASSERT_UNSET(r->memcg.swap_failcnt);
        ASSERT_UNSET(r->memcg.kmem_usage_kb);
        ASSERT_UNSET(r->memcg.kmem_limit_kb);
        ASSERT_UNSET(r->memcg.kmem_failcnt);
        assert_false(r->memcg.present);
        assert_false(r->memcg.stats_bytes);

        ASSERT_UNSET(r->memory.pages_ram);
        ASSERT_UNSET(r->memory.pages_highmem);
        ASSERT_UNSET(r->memory.pages_reserved);
        ASSERT_UNSET(r->memory.pages_cma_reserved);
        ASSERT_UNSET(r->memory.total_pagecache_pages);
        ASSERT_UNSET(r->memory.swap_cache_pages);
        ASSERT_UNSET(r->memory.free_swap_kb);
        ASSERT_UNSET(r->memory.total_swap_kb);
        ASSERT_UNSET(r->memory.hugepages_total);
        ASSERT_UNSET(r->memory.hugepages_free);
        ASSERT_UNSET(r->memory.hugepages_size_kb);
        ASSERT_UNSET(r->memory.total_kb);
        ASSERT_UNSET(r->memory.free_kb);
        ASSERT_UNSET(r->memory.user_rss_kb);
        ASSERT_UNSET(r->memory.anon_kb);
        ASSERT_UNSET(r->memory.file_kb);
        ASSERT_UNSET(r->memory.shmem_kb);
        ASSERT_UNSET(r->memory.slab_reclaimable_kb);
        ASSERT_UNSET(r->memory.slab_unreclaimable_kb);
        ASSERT_UNSET(r->memory.kernel_stack_kb);
        ASSERT_UNSET(r->memory.pagetables_kb);
        ASSERT_UNSET(r->memory.cma_free_kb);
        ASSERT_UNSET(r->memory.reserved_kb);
        ASSERT_UNSET(r->memory.unaccounted_kb);
        ASSERT_UNSET(r->memory.hugepages_kb);
        ASSERT_UNSET(r->tasks_oom_disabled);

        assert_int_equal(r->n_zones, 0);
        assert_int_equal(r->n_tasks, 0);
        assert_null(r->tasks);
        assert_int_equal(r->n_causes, 0);
        assert_string_equal(r->id, "");
}

static void test_zone_task_init(void **state) {
        (void) state;
        struct oom_zone z;
        struct oom_task t;

        memset(&z, 0x5a, sizeof(z));
        oom_zone_init(&z);
        assert_int_equal(z.node, -1);
        assert_int_equal(z.zone_idx, -1);
        assert_int_equal(z.all_unreclaimable, -1);
        assert_string_equal(z.name, "");
        ASSERT_UNSET(z.free_kb);
        ASSERT_UNSET(z.boost_kb);
        ASSERT_UNSET(z.min_kb);
        ASSERT_UNSET(z.low_kb);
        ASSERT_UNSET(z.high_kb);
        ASSERT_UNSET(z.reserved_highatomic_kb);
        ASSERT_UNSET(z.free_highatomic_kb);
        ASSERT_UNSET(z.present_kb);
        ASSERT_UNSET(z.managed_kb);
        ASSERT_UNSET(z.free_cma_kb);
        ASSERT_UNSET(z.free_pcp_kb);
        ASSERT_UNSET(z.buddy_total_kb);
        assert_null(z.fields);
        assert_int_equal(z.n_fields, 0);
        assert_int_equal(z.n_lowmem_reserve, 0);
        assert_int_equal(z.n_buddy, 0);
        assert_false(z.check.evaluated);

        memset(&t, 0x5a, sizeof(t));
        oom_task_init(&t);
        ASSERT_UNSET(t.pid);
        ASSERT_UNSET(t.uid);
        ASSERT_UNSET(t.tgid);
        ASSERT_UNSET(t.total_vm_pages);
        ASSERT_UNSET(t.rss_pages);
        ASSERT_UNSET(t.rss_anon_pages);
        ASSERT_UNSET(t.rss_file_pages);
        ASSERT_UNSET(t.rss_shmem_pages);
        ASSERT_UNSET(t.nr_ptes);
        ASSERT_UNSET(t.nr_pmds);
        ASSERT_UNSET(t.pgtables_bytes);
        ASSERT_UNSET(t.swapents_pages);
        ASSERT_UNSET(t.oom_score_adj);
        ASSERT_UNSET(t.badness);
        assert_int_equal(t.rank, 0);
        assert_string_equal(t.name, "");
}

static void test_log_line_copy(void **state) {
        (void) state;
        char text[] = "Node 0 DMA32 free:44592kB min:44640kB";
        char raw[] = "<4>[  619.527519] Node 0 DMA32 free:44592kB min:44640kB";
        struct log_line src = {
                .text = text, .len = strlen(text), .raw = raw, .ts_usec = 619527519,
                .seq = 19685374, .level = 4, .facility = 0, .caller = "T12845",
                .wall_sec = NUM_UNSET, .seq_end = 19685374,
        };
        struct log_line c;

        assert_int_equal(log_line_copy(&src, &c), 0);
        assert_ptr_not_equal(c.text, src.text);
        assert_ptr_not_equal(c.raw, src.raw);
        assert_ptr_not_equal(c.raw, c.text);
        assert_string_equal(c.text, text);
        assert_string_equal(c.raw, raw);
        assert_int_equal(c.len, strlen(text));
        assert_int_equal(c.ts_usec, 619527519);
        assert_int_equal(c.seq, 19685374);
        assert_int_equal(c.level, 4);
        assert_string_equal(c.caller, "T12845");
        log_line_done(&c);
        assert_null(c.text);
        assert_null(c.raw);
        assert_int_equal(c.len, 0);

        /* raw == text: the copy aliases too, and log_line_done frees it once (ASan). */
        src.raw = src.text;
        assert_int_equal(log_line_copy(&src, &c), 0);
        assert_ptr_equal(c.raw, c.text);
        assert_ptr_not_equal(c.text, src.text);
        assert_string_equal(c.raw, text);
        log_line_done(&c);

        /* raw NULL: the copy's raw is its text. */
        src.raw = NULL;
        assert_int_equal(log_line_copy(&src, &c), 0);
        assert_ptr_equal(c.raw, c.text);
        log_line_done(&c);

        /* text carries bytes after len (not NUL-terminated at len): the copy stops at len. */
        src.len = 6;
        assert_int_equal(log_line_copy(&src, &c), 0);
        assert_string_equal(c.text, "Node 0");
        assert_int_equal(c.len, 6);
        log_line_done(&c);

        log_line_done(NULL);
}

static void test_raw_report_free(void **state) {
        (void) state;
        struct raw_report *r = calloc(1, sizeof(*r));
        struct log_line src = { .text = (char *) "hog invoked oom-killer:", .len = 23 };

        raw_report_free(NULL);
        assert_non_null(r);
        raw_report_free(r); /* empty: no lines array */

        r = calloc(1, sizeof(*r));
        assert_non_null(r);
        r->lines = calloc(3, sizeof(*r->lines));
        assert_non_null(r->lines);
        src.raw = (char *) "[    4.534393] hog invoked oom-killer:";
        assert_int_equal(log_line_copy(&src, &r->lines[0]), 0);
        src.raw = src.text;
        assert_int_equal(log_line_copy(&src, &r->lines[1]), 0);
        r->n_lines = 2; /* lines[2] allocated but never filled: not touched */
        raw_report_free(r); /* leak/double free caught by ASan */
}

static void test_report_free_partial(void **state) {
        (void) state;
        struct oom_report *r = NULL;
        struct log_line src = { .text = (char *) "Mem-Info:", .len = 9 };

        oom_report_free(NULL);
        assert_int_equal(oom_report_new(&r), 0);
        oom_report_free(r); /* fresh: nothing allocated */

        assert_int_equal(oom_report_new(&r), 0);
        r->zones[0].fields = calloc(4, sizeof(struct key_value));
        r->zones[1].fields = NULL;
        r->n_zones = 2;
        r->tasks = calloc(2, sizeof(*r->tasks));
        r->n_tasks = 2;
        r->call_trace = calloc(4, sizeof(char *));
        r->call_trace[0] = strdup("out_of_memory+0x2e2/0x300");
        r->call_trace[1] = NULL; /* a slot left unfilled by a failed strdup */
        r->n_call_trace = 2;
        r->memcg.stats = calloc(1, sizeof(struct key_value));
        r->memory.meminfo = calloc(1, sizeof(struct key_value));
        r->unparsed_idx = calloc(1, sizeof(size_t));
        r->lines = calloc(2, sizeof(*r->lines));
        assert_int_equal(log_line_copy(&src, &r->lines[0]), 0);
        r->n_lines = 1;
        oom_report_free(r);
}

static void test_kind_names(void **state) {
        (void) state;
        static const struct {
                enum report_kind k;
                const char *name;
        } kinds[] = {
                { REPORT_KIND_GLOBAL, "global" },   { REPORT_KIND_MEMCG, "memcg" },
                { REPORT_KIND_CPUSET, "cpuset" },   { REPORT_KIND_MEMPOLICY, "mempolicy" },
                { REPORT_KIND_MANUAL, "manual" },   { REPORT_KIND_ALLOC_FAILURE, "alloc_failure" },
        };

        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                assert_string_equal(report_kind_to_string(kinds[i].k), kinds[i].name);
        assert_string_equal(report_kind_to_string((enum report_kind) 99), "unknown");
        assert_string_equal(report_kind_to_string((enum report_kind) -1), "unknown");
}

static void test_cause_names(void **state) {
        (void) state;
        /* The stable codes of the output contract, spelled exactly. */
        static const char *const expect[_CAUSE_MAX] = {
                [CAUSE_CMA_UNUSABLE] = "cma_unusable",
                [CAUSE_LOWMEM_RESERVE] = "lowmem_reserve",
                [CAUSE_FRAGMENTATION] = "fragmentation",
                [CAUSE_MEMCG_LIMIT] = "memcg_limit",
                [CAUSE_CPUSET_CONSTRAINT] = "cpuset_constraint",
                [CAUSE_MEMPOLICY_CONSTRAINT] = "mempolicy_constraint",
                [CAUSE_LOWMEM_EXHAUSTED] = "lowmem_exhausted",
                [CAUSE_KERNEL_MEMORY] = "kernel_memory",
                [CAUSE_USERSPACE_MEMORY] = "userspace_memory",
                [CAUSE_SHMEM] = "shmem",
                [CAUSE_MANUAL] = "manual",
                [CAUSE_UNKNOWN] = "unknown",
                [CAUSE_HIGHATOMIC_RESERVE] = "highatomic_reserve",
        };

        assert_int_equal(_CAUSE_MAX, 13);
        for (int c = 0; c < _CAUSE_MAX; c++) {
                const char *s = cause_code_to_string((enum cause_code) c);
                assert_non_null(expect[c]);
                assert_non_null(s);
                assert_string_equal(s, expect[c]);
                /* Every name is distinct. */
                for (int d = 0; d < c; d++)
                        assert_string_not_equal(s, cause_code_to_string((enum cause_code) d));
        }
        assert_string_equal(cause_code_to_string(_CAUSE_MAX), "unknown");
        assert_string_equal(cause_code_to_string((enum cause_code) -1), "unknown");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_report_new_unset),
                cmocka_unit_test(test_zone_task_init),
                cmocka_unit_test(test_log_line_copy),
                cmocka_unit_test(test_raw_report_free),
                cmocka_unit_test(test_report_free_partial),
                cmocka_unit_test(test_kind_names),
                cmocka_unit_test(test_cause_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
