/* SPDX-License-Identifier: MIT */
/* The show_mem() part of a report ("Mem-Info:" block, kernel-facts §5.4): global counters,
 * per-node lines, zone lines, lowmem_reserve, buddy lists, hugepages. Each function returns 1
 * when the line had its shape and was consumed, 0 when it is not that kind of line (nothing is
 * changed then), or a negative errno (-ENOMEM). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* "active_anon:21860 inactive_anon:14790 ..." (pages; 2.6.22 "Active:90336 ..." too).
 * rsyslog's "#012" and a literal "\x0a" count as separators. */
int meminfo_parse_counters(struct oom_memory *m, const char *t, size_t len);
/* "Node 0 active_anon:696560kB ... all_unreclaimable? no" (4.8+), summed into node_fields. */
int meminfo_parse_node(struct oom_memory *m, const char *t, size_t len);
/* "[Node N ]Name free:233460kB min:..." → a new zone; *ret_zone = its index. A
 * "lowmem_reserve[]:" glued onto the end (rsyslog, 053/059) is applied to it as well. */
int meminfo_parse_zone(struct oom_report *r, const char *t, size_t len, size_t *ret_zone);
/* "lowmem_reserve[]: 0 10168 10168" → z. */
int meminfo_parse_lowmem_reserve(struct oom_zone *z, const char *t, size_t len);
/* "[Node N ]Name: 1165*4kB (MRC) ... = 233460kB" → that zone's buddy[] (created if absent).
 * Sets r->page_kb from the order-0 block size the first time. */
int meminfo_parse_buddy(struct oom_report *r, const char *t, size_t len);
/* "[Node N ]Name per-cpu:" and "CPU    0: hi:  186, btch:  31 usd:  27" (<=3.x). */
bool meminfo_is_percpu(const char *t, size_t len);

struct hugepage_sizes {
        struct {
                int64_t size_kb, total, free;
        } size[8];
        size_t n;
};
/* "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB". */
int meminfo_parse_hugepages(struct hugepage_sizes *h, const char *t, size_t len);
/* Fold the per-size sums into m: the size holding the most memory (the first size if none). */
void meminfo_hugepages_finish(const struct hugepage_sizes *h, struct oom_memory *m);

/* "Unreclaimable slab info:" rows: "dentry   1234KB   5678KB" (name, used, total). The column
 * header "Name  Used  Total" returns 1 without storing. */
int meminfo_parse_slab_row(struct oom_memory *m, const char *t, size_t len);
