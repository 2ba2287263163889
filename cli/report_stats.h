/* SPDX-License-Identifier: MIT */
/* `oomlens stats`: how many reports, by primary cause, by victim name, by unit (the list's
 * "unit or container" column) and per boot; as a text table or one JSON object. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "list_output.h"
#include "report_summary.h"

struct stats_count {
        char *key; /* owned */
        size_t count;
        int64_t first_usec, last_usec;
};

struct report_stats {
        size_t total;
        int64_t first_usec, last_usec;
        struct stats_count *by_cause, *by_victim, *by_unit, *by_boot;
        size_t n_cause, n_victim, n_unit, n_boot;
};

/* Count rows (oldest first). by_boot stays in order of first report; the others are sorted by
 * count, most first, then by name. */
int report_stats_compute(const struct report_summary *rows, size_t n, struct report_stats *ret);
void report_stats_done(struct report_stats *st);

/* current_boot: marks that boot's row (may be NULL). */
int report_stats_print(FILE *f, const struct report_stats *st, const char *current_boot,
                       const struct list_style *style);
int report_stats_print_json(FILE *f, const struct report_stats *st, const char *current_boot);
