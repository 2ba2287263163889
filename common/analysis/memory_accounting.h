/* SPDX-License-Identifier: MIT */
/* Where the memory went: fills the analysis part of struct oom_memory (kB) from the Mem-Info
 * counters, the zone and node lines, the task table, and for memcg OOMs from the memcg's usage,
 * limit and memory.stat lines. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* Overflow-safe arithmetic on report numbers: NUM_UNSET in, or an overflow, gives NUM_UNSET.
 * Report numbers come from untrusted text (the corpus has min:99395541895224kB). */
static inline int64_t num_add(int64_t a, int64_t b) {
        int64_t r;
        if (!num_set(a) || !num_set(b) || __builtin_add_overflow(a, b, &r) || r == NUM_UNSET)
                return NUM_UNSET;
        return r;
}
static inline int64_t num_sub(int64_t a, int64_t b) {
        int64_t r;
        if (!num_set(a) || !num_set(b) || __builtin_sub_overflow(a, b, &r) || r == NUM_UNSET)
                return NUM_UNSET;
        return r;
}
static inline int64_t num_mul(int64_t a, int64_t b) {
        int64_t r;
        if (!num_set(a) || !num_set(b) || __builtin_mul_overflow(a, b, &r) || r == NUM_UNSET)
                return NUM_UNSET;
        return r;
}
/* a + b where an unset b counts as 0 (optional terms of a sum). */
static inline int64_t num_add_opt(int64_t a, int64_t b) {
        return num_set(b) ? num_add(a, b) : a;
}

/* The page size in kB, sane even if the report struct is not: 1 kB .. 1 GiB, else 4. */
static inline int64_t report_page_kb(const struct oom_report *r) {
        return r->page_kb >= 1 && r->page_kb <= (INT64_C(1) << 20) ? r->page_kb : 4;
}

/* Lookups in the printed counters; NUM_UNSET when absent. */
int64_t meminfo_pages(const struct oom_report *r, const char *key);
int64_t node_field_kb(const struct oom_report *r, const char *key);
int64_t zone_field_sum_kb(const struct oom_report *r, const char *key); /* over all zones */
/* memcg memory.stat value in kB, summed over every memcg line printed (v1 prints one line per
 * memcg of the subtree with local counters). v2 (5.3+) stats are bytes, v1 are kB: the unit
 * is recognised from the key set ("anon" is v2 only, "rss" v1 only). */
int64_t memcg_stat_kb(const struct oom_report *r, const char *key);
bool memcg_stats_v2(const struct oom_report *r);

/* Fills r->memory.{total_kb … hugepages_kb}. Always succeeds (returns 0): what cannot be
 * derived stays NUM_UNSET. */
int memory_account(struct oom_report *r);
