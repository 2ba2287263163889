/* SPDX-License-Identifier: MIT */
/* The dump_tasks() table (kernel-facts §5.5). The header line names the columns; rows are
 * mapped by column name, so layouts we have never seen (vendor patches such as 008's
 * "(01)nrss") still yield pid/uid/rss/name. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

enum task_col {
        TASK_COL_UNKNOWN,
        TASK_COL_UID,
        TASK_COL_TGID,
        TASK_COL_TOTAL_VM,
        TASK_COL_RSS,
        TASK_COL_RSS_ANON,
        TASK_COL_RSS_FILE,
        TASK_COL_RSS_SHMEM,
        TASK_COL_NR_PTES,
        TASK_COL_NR_PMDS,
        TASK_COL_PGTABLES_BYTES,
        TASK_COL_SWAPENTS,
        TASK_COL_OOM_SCORE_ADJ,
        TASK_COL_OOM_ADJ,
        TASK_COL_CPU,
};

#define TASK_MAX_COLS 24

struct task_columns {
        enum task_col col[TASK_MAX_COLS]; /* numeric columns after "[ pid ]", before "name" */
        size_t n;
        char layout[32];                  /* "3.6-3.14", "4.19-6.6", ..., "custom" */
};

/* "[ pid ]   uid  tgid total_vm ... name" → 1 and *ret filled; 0 if not a task header. */
int task_table_parse_header(const char *t, size_t len, struct task_columns *ret);
/* The column set used when rows come without a header (cut by the paster). */
void task_table_default_columns(struct task_columns *ret);
/* "[ 1366]     0  1366      459 ... sh" → 1 and *ret filled (oom_task_init first). */
int task_table_parse_row(const struct task_columns *c, const char *t, size_t len, struct oom_task *ret);
