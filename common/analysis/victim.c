/* SPDX-License-Identifier: MIT */
#include "victim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memory_accounting.h"

/* oom_badness() by version (kernel-facts §6). The page-table term follows the table's columns
 * (nr_ptes [+ nr_pmds 4.0-4.14] or pgtables_bytes/PAGE_SIZE 4.15+), so it needs no row here. */
static const struct badness_rule badness_rules[] = {
        /* badness(): total_vm, children, cpu/run time, nice, capabilities, oom_adj shifts. */
        { { KV_MIN, KV(2, 6, 35) }, "2.6.32", BADNESS_NOT_RECOMPUTABLE, false, false, -17 },
        /* 2.6.36 rewrite: (rss + nr_ptes + swapents) * 1000 / totalpages, -30 for
         * CAP_SYS_ADMIN, + oom_score_adj, clamped to 1..1000 [V 3.0; 3.1-3.5 assumed]. */
        { { KV(2, 6, 36), KV(3, 5, 0xffff) }, "2.6.36-3.5", BADNESS_POINTS_1000, true, true, -1000 },
        /* 3.6: page units; 3% root bonus until 4.18 (gone in 4.19). */
        { { KV(3, 6, 0), KV(4, 18, 0xffff) }, "3.6-4.18", BADNESS_PAGES, true, true, -1000 },
        { { KV(4, 19, 0), KV(5, 9, 0xffff) }, "4.19-5.9", BADNESS_PAGES, false, true, -1000 },
        /* 5.10: no clamp, may be negative (5.9 boundary unverified). */
        { { KV(5, 10, 0), KV_MAX }, "5.10+", BADNESS_PAGES, false, false, -1000 },
};

const struct badness_rule *badness_rule_for(int64_t kv) {
        for (size_t i = 0; i < ELEMENTSOF(badness_rules); i++)
                if (kv_range_contains(badness_rules[i].kernels, kv))
                        return &badness_rules[i];
        return &badness_rules[ELEMENTSOF(badness_rules) - 1];
}

static int64_t page_kb(const struct oom_report *r) {
        return report_page_kb(r);
}

int64_t task_rss_kb(const struct oom_report *r, const struct oom_task *t) {
        int64_t pages = t->rss_pages;

        if (!num_set(pages))
                pages = num_add(num_add(t->rss_anon_pages, t->rss_file_pages), t->rss_shmem_pages);
        return num_mul(pages, page_kb(r));
}

int64_t report_totalpages(const struct oom_report *r) {
        int64_t pkb = page_kb(r), total_kb, swap_kb;

        /* memcg: mem_cgroup_get_max() - the limit (swap part ignored: not printed reliably). */
        if (r->kind == REPORT_KIND_MEMCG) {
                if (!num_set(r->memcg.limit_kb))
                        return NUM_UNSET;
                return r->memcg.limit_kb / pkb > 0 ? r->memcg.limit_kb / pkb : 1;
        }
        /* global: totalram_pages + total_swap_pages; cpuset/mempolicy: present pages of the
         * allowed nodes + swap, approximated by the zones shown (show_mem filters nodes). */
        total_kb = r->memory.total_kb;
        if (r->kind == REPORT_KIND_CPUSET || r->kind == REPORT_KIND_MEMPOLICY) {
                int64_t present = 0;
                for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++)
                        present = num_add_opt(present, r->zones[i].present_kb);
                if (num_set(present) && present > 0)
                        total_kb = present;
        }
        if (!num_set(total_kb))
                return NUM_UNSET;
        swap_kb = num_set(r->memory.total_swap_kb) ? r->memory.total_swap_kb : 0;
        return num_add(total_kb / pkb, swap_kb / pkb);
}

static int64_t task_pgtables_pages(const struct oom_report *r, const struct oom_task *t) {
        if (num_set(t->nr_ptes))
                return num_add_opt(t->nr_ptes, t->nr_pmds);
        if (num_set(t->pgtables_bytes))
                return t->pgtables_bytes / (page_kb(r) * 1024);
        return 0;
}

static int64_t task_badness(const struct oom_report *r, const struct badness_rule *rule,
                            const struct oom_task *t, int64_t totalpages) {
        int64_t rss = task_rss_kb(r, t), points, adj = t->oom_score_adj;

        if (rule->scale == BADNESS_NOT_RECOMPUTABLE || !num_set(rss))
                return NUM_UNSET;
        rss /= page_kb(r);
        points = num_add(rss, task_pgtables_pages(r, t));
        points = num_add_opt(points, t->swapents_pages);
        if (!num_set(points))
                return NUM_UNSET;
        if (num_set(adj) && adj == rule->disabled_adj)
                return 0; /* never chosen; ranked after every eligible task */

        if (rule->scale == BADNESS_POINTS_1000) {
                if (!num_set(totalpages) || totalpages <= 0)
                        return NUM_UNSET;
                points = num_mul(points, 1000);
                if (!num_set(points))
                        return NUM_UNSET;
                points /= totalpages;
                if (rule->root_bonus && t->uid == 0)
                        points = num_sub(points, 30);
                if (num_set(adj))
                        points = num_add(points, adj);
                if (!num_set(points))
                        return NUM_UNSET;
                return points <= 0 ? 1 : MIN(points, 1000);
        }

        /* uid 0 stands in for CAP_SYS_ADMIN, which the table does not show. */
        if (rule->root_bonus && t->uid == 0 && points > 0)
                points -= points / 100 * 3 + points % 100 * 3 / 100; /* = points*3/100, no overflow */
        if (num_set(adj) && adj != 0) {
                if (!num_set(totalpages))
                        return NUM_UNSET;
                /* totalpages / 1000 first: the kernel's integer order. */
                points = num_add(points, num_mul(adj, totalpages / 1000));
                if (!num_set(points))
                        return NUM_UNSET;
        }
        if (!num_set(points))
                return NUM_UNSET;
        if (rule->clamp_min_1 && points < 1)
                points = 1;
        return points;
}

struct rank_ctx {
        const struct oom_report *r;
        int64_t disabled_adj;
};

static bool task_disabled(const struct oom_task *t, int64_t disabled_adj) {
        return num_set(t->oom_score_adj) && t->oom_score_adj == disabled_adj;
}

static int cmp_badness(const void *a, const void *b, void *userdata) {
        const struct rank_ctx *c = userdata;
        size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
        const struct oom_task *ta = &c->r->tasks[ia], *tb = &c->r->tasks[ib];
        bool da = task_disabled(ta, c->disabled_adj), db = task_disabled(tb, c->disabled_adj);

        if (da != db)
                return da ? 1 : -1;
        if (ta->badness != tb->badness)
                return ta->badness > tb->badness ? -1 : 1;
        return ia < ib ? -1 : ia > ib; /* stable: table order */
}

static void rank_tasks(struct oom_report *r, const struct badness_rule *rule) {
        _cleanup_free_ size_t *idx = NULL;
        struct rank_ctx ctx = { r, rule->disabled_adj };

        if (r->n_tasks == 0)
                return;
        for (size_t i = 0; i < r->n_tasks; i++)
                if (!num_set(r->tasks[i].badness))
                        return; /* a partial ranking would mislead */
        idx = calloc(r->n_tasks, sizeof(*idx));
        if (!idx)
                return;
        for (size_t i = 0; i < r->n_tasks; i++)
                idx[i] = i;
        qsort_r(idx, r->n_tasks, sizeof(*idx), cmp_badness, &ctx);
        for (size_t i = 0; i < r->n_tasks; i++)
                r->tasks[idx[i]].rank = i + 1 > (size_t)INT32_MAX ? INT32_MAX : (int)(i + 1);
}

int victim_analyze(struct oom_report *r) {
        const struct badness_rule *rule = badness_rule_for(kernel_version_code(&r->kernel));
        int64_t totalpages = report_totalpages(r);
        struct oom_victim *v = &r->victim;

        r->tasks_oom_disabled = r->n_tasks > 0 ? 0 : NUM_UNSET;
        for (size_t i = 0; i < r->n_tasks; i++) {
                struct oom_task *t = &r->tasks[i];
                t->badness = task_badness(r, rule, t, totalpages);
                t->rank = 0;
                if (task_disabled(t, rule->disabled_adj))
                        r->tasks_oom_disabled++;
        }
        rank_tasks(r, rule);

        v->in_task_table = false;
        v->rank = 0;
        v->badness = NUM_UNSET;
        v->rss_kb = NUM_UNSET;
        if (!r->has_victim)
                return 0;

        if (num_set(v->anon_rss_kb))
                v->rss_kb = num_add_opt(num_add_opt(v->anon_rss_kb, v->file_rss_kb),
                                        v->shmem_rss_kb);
        for (size_t i = 0; num_set(v->pid) && i < r->n_tasks; i++) {
                const struct oom_task *t = &r->tasks[i];
                /* Rows are thread-group leaders: match pid, or tgid for a killed thread. */
                if (t->pid != v->pid && !(num_set(t->tgid) && t->tgid == v->pid))
                        continue;
                v->in_task_table = true;
                v->badness = t->badness;
                v->rank = t->rank;
                if (!num_set(v->rss_kb))
                        v->rss_kb = task_rss_kb(r, t);
                break;
        }
        return 0;
}

static int cmp_name(const void *a, const void *b, void *userdata) {
        const struct oom_report *r = userdata;
        size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
        int c = strcmp(r->tasks[ia].name, r->tasks[ib].name);

        if (c)
                return c;
        return ia < ib ? -1 : ia > ib;
}

static int cmp_group(const void *a, const void *b) {
        const struct task_group *ga = a, *gb = b;

        if (ga->rss_kb != gb->rss_kb)
                return ga->rss_kb > gb->rss_kb ? -1 : 1;
        if (ga->count != gb->count)
                return ga->count > gb->count ? -1 : 1;
        return strcmp(ga->name, gb->name);
}

int tasks_aggregate(const struct oom_report *r, struct task_group **ret, size_t *ret_n) {
        _cleanup_free_ size_t *idx = NULL;
        _cleanup_free_ struct task_group *groups = NULL;
        size_t n = 0;

        if (r->n_tasks == 0) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        idx = calloc(r->n_tasks, sizeof(*idx));
        groups = calloc(r->n_tasks, sizeof(*groups));
        if (!idx || !groups)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_tasks; i++)
                idx[i] = i;
        qsort_r(idx, r->n_tasks, sizeof(*idx), cmp_name, (void *)r);

        for (size_t i = 0; i < r->n_tasks; i++) {
                const struct oom_task *t = &r->tasks[idx[i]];
                int64_t rss = task_rss_kb(r, t);
                struct task_group *g;

                if (n == 0 || strcmp(groups[n - 1].name, t->name) != 0) {
                        g = &groups[n++];
                        snprintf(g->name, sizeof(g->name), "%s", t->name);
                        g->rss_kb = 0;
                        g->max_rss_kb = NUM_UNSET;
                        g->max_rss_pid = NUM_UNSET;
                } else
                        g = &groups[n - 1];
                g->count++;
                if (num_set(rss)) {
                        g->rss_kb = num_add(g->rss_kb, rss);
                        if (!num_set(g->rss_kb))
                                g->rss_kb = INT64_MAX; /* saturate: only a sort key here */
                        if (!num_set(g->max_rss_kb) || rss > g->max_rss_kb) {
                                g->max_rss_kb = rss;
                                g->max_rss_pid = t->pid;
                        }
                }
        }
        qsort(groups, n, sizeof(*groups), cmp_group);
        *ret = TAKE_PTR(groups);
        *ret_n = n;
        return 0;
}

static int cmp_rss(const void *a, const void *b, void *userdata) {
        const struct oom_report *r = userdata;
        size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
        int64_t ra = task_rss_kb(r, &r->tasks[ia]), rb = task_rss_kb(r, &r->tasks[ib]);

        /* NUM_UNSET is INT64_MIN: sorts last by itself. */
        if (ra != rb)
                return ra > rb ? -1 : 1;
        return ia < ib ? -1 : ia > ib;
}

int tasks_sorted_by_rss(const struct oom_report *r, size_t **ret) {
        size_t *idx;

        idx = calloc(r->n_tasks ? r->n_tasks : 1, sizeof(*idx));
        if (!idx)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_tasks; i++)
                idx[i] = i;
        if (r->n_tasks > 1)
                qsort_r(idx, r->n_tasks, sizeof(*idx), cmp_rss, (void *)r);
        *ret = idx;
        return 0;
}
