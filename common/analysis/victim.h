/* SPDX-License-Identifier: MIT */
/* The victim and the task table: oom_badness() recomputed per kernel version (a table of
 * formulas, kernel-facts §6), ranks, OOM-disabled tasks, and tasks aggregated by name. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

enum badness_scale {
        BADNESS_NOT_RECOMPUTABLE, /* 2.6.32: total_vm, cpu time, nice, caps: not in the table */
        BADNESS_POINTS_1000,      /* 2.6.36-3.x: 0..1000 points */
        BADNESS_PAGES,            /* 3.6+: pages + adj * totalpages/1000 */
};

struct badness_rule {
        struct kv_range kernels;
        const char *name;          /* "3.6-4.14", for the report */
        enum badness_scale scale;
        bool root_bonus;           /* CAP_SYS_ADMIN: -3% (pages) or -30 points; uid 0 stands in */
        bool clamp_min_1;          /* max(points, 1) (<=5.8); 5.10+ may go negative */
        int64_t disabled_adj;      /* the "never kill" value: -17 oom_adj (2.6.32), else -1000 */
};

/* The rule for a kernel (KV code; unknown kernels get the newest rule). Never NULL. */
const struct badness_rule *badness_rule_for(int64_t kv);

/* totalpages as constrained_alloc() computes it, from what the report shows. NUM_UNSET if the
 * report lacks the numbers. */
int64_t report_totalpages(const struct oom_report *r);

/* Fills tasks[].badness/.rank, victim.{rss_kb,in_task_table,badness,rank},
 * tasks_oom_disabled. Returns 0. */
int victim_analyze(struct oom_report *r);

/* Tasks grouped by name ("300 x php-fpm, 12.3 GiB"), sorted by rss_kb descending. */
struct task_group {
        char name[OOM_COMM_MAX];
        size_t count;
        int64_t rss_kb;      /* sum over the group (tasks with unknown rss count 0) */
        int64_t max_rss_kb;
        int64_t max_rss_pid;
};
int tasks_aggregate(const struct oom_report *r, struct task_group **ret, size_t *ret_n);

/* rss of one table row in kB (6.8+ rows: anon+file+shmem), NUM_UNSET if not printed. */
int64_t task_rss_kb(const struct oom_report *r, const struct oom_task *t);

/* Indexes of tasks sorted by rss descending (ties: table order). malloc'd, n = r->n_tasks. */
int tasks_sorted_by_rss(const struct oom_report *r, size_t **ret);
