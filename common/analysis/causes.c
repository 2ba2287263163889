/* SPDX-License-Identifier: MIT */
/* Decision logic (first match is the primary cause; the rest become secondary):
 *
 *  1. memcg OOM            -> memcg_limit (usage vs limit), then what fills the memcg
 *                             (anon / shmem / kernel from memory.stat) as secondary.
 *  2. manual (sysrq-f)     -> manual: order -1 is no evidence of a shortage.
 *  3. cpuset / mempolicy   -> cpuset_constraint / mempolicy_constraint, then the zone and
 *                             memory findings below as secondary.
 *  4. zone checks (global OOM and allocation failures), over the zones the allocation may
 *     use (zone_check's "eligible"), and only when none of them passes:
 *       a. a zone would pass without excluding free CMA            -> cma_unusable
 *       b. a zone would pass without its lowmem_reserve            -> lowmem_reserve
 *          (a and b only when the hidden memory is a notable share of the eligible zones:
 *           the DMA zone's huge reserve against GFP_KERNEL is by design, not a cause)
 *       c. order > 0 and a zone passes at order 0 but has no usable
 *          free block of the requested order or larger              -> fragmentation
 *       d. 32-bit: HighMem has free memory the request cannot use
 *          while every lowmem zone fails                            -> lowmem_exhausted
 *  5. where the memory went (memory_accounting.c), the largest of
 *       user anon (minus shmem) -> userspace_memory, shmem -> shmem,
 *       slab + kernel stacks + unaccounted -> kernel_memory,
 *     when it is dominant (DOMINANT_PCT of total, or SOLE_PCT and 1.5x the runner-up).
 *  6. otherwise unknown, with the numbers we do have.
 */
#include "causes.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "human_size.h"
#include "memory_accounting.h"
#include "victim.h"

/* A category "dominates" at 40% of RAM (memcg: of usage): a box where one kind of memory holds
 * less than that has several contributors and naming one would mislead. */
#define DOMINANT_PCT 40
/* ... or at 25% when it is also 1.5x the next largest category (clearly the biggest). */
#define SOLE_PCT 25
/* Other categories at 20% or more are mentioned as secondary causes. */
#define SECONDARY_PCT 20
/* CMA / lowmem_reserve are causes when the memory they hide is at least 1/8 of the eligible
 * zones' managed memory. Below that the zones were short anyway. */
#define HIDDEN_FRACTION 8

/* ------------------------------------------------------------------------------------------ */
struct text {
        char *buf;
        size_t size, len;
};

static void _printf_(2, 3) text_append(struct text *t, const char *fmt, ...) {
        va_list ap;
        int k;

        if (t->len + 1 >= t->size)
                return;
        va_start(ap, fmt);
        k = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
        va_end(ap);
        if (k < 0)
                return;
        t->len = MIN(t->len + (size_t)k, t->size - 1);
}

static char *hk(int64_t kb, char buf[static HUMAN_SIZE_MAX]) {
        return human_kb(kb, buf, HUMAN_SIZE_MAX);
}

static int pct(int64_t part, int64_t whole) {
        double p;

        if (!num_set(part) || !num_set(whole) || whole <= 0 || part <= 0)
                return 0;
        p = (double)part * 100.0 / (double)whole;
        return p > 1000.0 ? 1000 : (int)p;
}

static void zone_label(const struct oom_zone *z, char *buf, size_t n) {
        if (z->node >= 0)
                snprintf(buf, n, "Node %d %s", z->node, z->name);
        else
                snprintf(buf, n, "%s", z->name);
}

/* ------------------------------------------------------------------------------------------ */
enum zone_fail { ZF_SKIP, ZF_PASS, ZF_CMA, ZF_HIGHATOMIC, ZF_RESERVE, ZF_ORDER, ZF_LOW };

static enum zone_fail zone_fail_reason(const struct oom_zone *z) {
        const struct zone_check *c = &z->check;

        if (!c->evaluated || !c->eligible)
                return ZF_SKIP;
        if (c->ok)
                return c->order_checked && !c->order_ok ? ZF_ORDER : ZF_PASS;
        if (!num_set(c->usable_free_kb) || !num_set(c->threshold_kb))
                return ZF_LOW;
        /* Would pass if free CMA counted (the kernel fails on free <= threshold). */
        if (num_set(c->cma_excluded_kb) && c->cma_excluded_kb > 0 &&
            num_add(c->usable_free_kb, c->cma_excluded_kb) > c->threshold_kb)
                return ZF_CMA;
        /* Would pass if the highatomic reserve counted: free pages exist, but only in the
         * pageblocks set aside for high-order atomic allocations (4.4+; corpus 007, 059). */
        if (num_set(c->highatomic_excluded_kb) && c->highatomic_excluded_kb > 0 &&
            num_add(c->usable_free_kb, c->highatomic_excluded_kb) > c->threshold_kb)
                return ZF_HIGHATOMIC;
        /* Would pass against the plain watermark: the lowmem reserve is what blocks it. */
        if (num_set(c->reserve_kb) && c->reserve_kb > 0 && num_set(c->watermark_kb) &&
            c->usable_free_kb > c->watermark_kb)
                return ZF_RESERVE;
        return ZF_LOW;
}

struct zone_summary {
        size_t n_eligible, n_pass, n_fail;
        size_t n_cma, n_reserve, n_order, n_low, n_highatomic;
        int64_t eligible_size_kb; /* managed (present on old kernels) of eligible zones */
        int64_t hidden_cma_kb, hidden_reserve_kb;
        const struct oom_zone *worst_cma, *worst_reserve, *first_order, *first_low;
        const struct oom_zone *highmem; /* an ineligible HighMem zone with memory above high */
        int64_t highmem_free_kb;        /* its free memory, or inferred when 6.1+ hid the zone */
        bool highmem_inferred;
        /* eligible zones that could serve the request in this snapshot: for an OOM, at the
         * high watermark the last-chance attempt uses (__alloc_pages_may_oom, ALLOC_WMARK_HIGH
         * [V 3.14, 4.4, 4.19, 6.6]); for an allocation failure, at the checked (min) mark */
        size_t n_avail;
        const struct oom_zone *first_avail;
};

static void zones_summarize(const struct oom_report *r, struct zone_summary *s) {
        memset(s, 0, sizeof(*s));
        s->highmem_free_kb = NUM_UNSET;
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                const struct oom_zone *z = &r->zones[i];
                enum zone_fail f = zone_fail_reason(z);
                int64_t size = num_set(z->managed_kb) ? z->managed_kb : z->present_kb;

                if (f == ZF_SKIP) {
                        if (z->check.evaluated && !z->check.eligible &&
                            strcmp(z->name, "HighMem") == 0 && num_set(z->free_kb) &&
                            z->free_kb > 0 && (!num_set(z->high_kb) || z->free_kb > z->high_kb) &&
                            (!s->highmem || z->free_kb > s->highmem->free_kb))
                                s->highmem = z;
                        continue;
                }
                s->n_eligible++;
                s->eligible_size_kb = num_add_opt(s->eligible_size_kb, size);
                if ((r->kind == REPORT_KIND_ALLOC_FAILURE ? z->check.ok : z->check.high_ok) &&
                    !(z->check.order_checked && !z->check.order_ok)) {
                        s->n_avail++;
                        if (!s->first_avail)
                                s->first_avail = z;
                }
                switch (f) {
                case ZF_PASS:
                        s->n_pass++;
                        break;
                case ZF_CMA:
                        s->n_fail++;
                        s->n_cma++;
                        s->hidden_cma_kb = num_add_opt(s->hidden_cma_kb, z->check.cma_excluded_kb);
                        if (!s->worst_cma || z->check.cma_excluded_kb > s->worst_cma->check.cma_excluded_kb)
                                s->worst_cma = z;
                        break;
                case ZF_HIGHATOMIC:
                        s->n_fail++;
                        s->n_highatomic++;
                        break;
                case ZF_RESERVE:
                        s->n_fail++;
                        s->n_reserve++;
                        s->hidden_reserve_kb = num_add_opt(s->hidden_reserve_kb, z->check.usable_free_kb);
                        if (!s->worst_reserve || z->check.usable_free_kb > s->worst_reserve->check.usable_free_kb)
                                s->worst_reserve = z;
                        break;
                case ZF_ORDER:
                        s->n_fail++;
                        s->n_order++;
                        if (!s->first_order)
                                s->first_order = z;
                        break;
                case ZF_LOW:
                        s->n_fail++;
                        s->n_low++;
                        if (!s->first_low)
                                s->first_low = z;
                        break;
                case ZF_SKIP:
                        break;
                }
        }
        if (s->highmem) {
                s->highmem_free_kb = s->highmem->free_kb;
                return;
        }
        /* 6.1+ show_mem omits zones above the request's highest zone, so a 32-bit HighMem zone
         * may be missing; "pages HighMem/MovableOnly" still says it exists, and the global free
         * counter minus the zones shown is its free memory. Claimed only when it is a real
         * amount: 4 MiB and 1% of RAM. */
        if (num_set(r->memory.pages_highmem) && r->memory.pages_highmem > 0 &&
            num_set(r->memory.free_kb) && r->trigger.highest_zone &&
            strcmp(r->trigger.highest_zone, "HighMem") != 0 &&
            strcmp(r->trigger.highest_zone, "Movable") != 0) {
                int64_t shown = 0, rest;
                for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                        if (strcmp(r->zones[i].name, "HighMem") == 0)
                                return;
                        shown = num_add_opt(shown, r->zones[i].free_kb);
                }
                rest = num_sub(r->memory.free_kb, shown);
                if (num_set(rest) && rest >= 4096 && num_set(r->memory.total_kb) &&
                    rest >= r->memory.total_kb / 100) {
                        s->highmem_free_kb = rest;
                        s->highmem_inferred = true;
                }
        }
}

static bool hidden_significant(const struct zone_summary *s, int64_t hidden) {
        if (!num_set(hidden) || hidden <= 0)
                return false;
        if (!num_set(s->eligible_size_kb) || s->eligible_size_kb <= 0)
                return true; /* sizes not printed (<3.8 has no managed): the check alone decides */
        return hidden >= s->eligible_size_kb / HIDDEN_FRACTION;
}

/* ------------------------------------------------------------------------------------------ */
/* Memory categories for step 5. */
struct mem_shares {
        int64_t base;   /* total RAM (global) or memcg usage */
        int64_t user, shmem, kernel, file;
        enum cause_code dominant; /* CAUSE_UNKNOWN if none */
        enum cause_code second[3];
        size_t n_second;
};

static int64_t pos(int64_t v) {
        return num_set(v) && v > 0 ? v : 0;
}

static void mem_shares_compute(const struct oom_report *r, struct mem_shares *s) {
        const struct oom_memory *m = &r->memory;
        struct {
                enum cause_code code;
                int64_t kb;
        } cat[3];
        bool memcg = r->kind == REPORT_KIND_MEMCG && r->memcg.present;

        memset(s, 0, sizeof(*s));
        s->dominant = CAUSE_UNKNOWN;
        s->base = memcg ? (num_set(r->memcg.usage_kb) ? r->memcg.usage_kb : r->memcg.limit_kb)
                        : m->total_kb;
        s->shmem = pos(m->shmem_kb);
        if (memcg) {
                /* memcg "anon" (v2) / "rss" (v1) already exclude shmem; "file"/"cache"
                 * include it. */
                s->user = pos(m->anon_kb);
                s->file = pos(num_sub(pos(m->file_kb), s->shmem));
        } else if (num_set(m->anon_kb)) {
                /* Global: shmem pages sit on the anon LRU, so take them out of "user". */
                s->user = pos(num_sub(m->anon_kb, s->shmem));
                s->file = pos(m->file_kb);
        } else {
                s->user = pos(m->user_rss_kb);
                s->file = pos(m->file_kb);
        }
        s->kernel = num_add(num_add(pos(m->slab_reclaimable_kb), pos(m->slab_unreclaimable_kb)),
                            num_add(pos(m->kernel_stack_kb), pos(m->unaccounted_kb)));
        s->kernel = pos(s->kernel); /* overflow (corrupt counters): count nothing */
        if (!num_set(s->base) || s->base <= 0)
                return;

        cat[0].code = CAUSE_USERSPACE_MEMORY, cat[0].kb = s->user;
        cat[1].code = CAUSE_SHMEM, cat[1].kb = s->shmem;
        cat[2].code = CAUSE_KERNEL_MEMORY, cat[2].kb = s->kernel;
        /* sort the three by size, descending */
        for (size_t i = 0; i < 3; i++)
                for (size_t j = i + 1; j < 3; j++)
                        if (cat[j].kb > cat[i].kb) {
                                __typeof__(cat[0]) tmp = cat[i];
                                cat[i] = cat[j];
                                cat[j] = tmp;
                        }
        if (pct(cat[0].kb, s->base) >= DOMINANT_PCT ||
            (pct(cat[0].kb, s->base) >= SOLE_PCT && cat[0].kb - cat[1].kb >= cat[1].kb / 2))
                s->dominant = cat[0].code;
        for (size_t i = 0; i < 3; i++)
                if (cat[i].code != s->dominant && pct(cat[i].kb, s->base) >= SECONDARY_PCT)
                        s->second[s->n_second++] = cat[i].code;
}

/* ------------------------------------------------------------------------------------------ */
static struct oom_cause *cause_add(struct oom_report *r, enum cause_code code, bool primary) {
        struct oom_cause *c;

        for (size_t i = 0; i < r->n_causes; i++)
                if (r->causes[i].code == code)
                        return NULL; /* each code once */
        if (r->n_causes >= OOM_MAX_CAUSES)
                return NULL;
        c = &r->causes[r->n_causes++];
        memset(c, 0, sizeof(*c));
        c->code = code;
        c->primary = primary;
        return c;
}

static struct text cause_text(struct oom_cause *c) {
        return (struct text){ c->explanation, sizeof(c->explanation), 0 };
}

static const char *request_kind(const struct oom_report *r) {
        if (r->trigger.migratetype && strcmp(r->trigger.migratetype, "Movable") != 0)
                return r->trigger.migratetype;
        return NULL;
}

static void append_zone_check(struct text *t, const struct oom_zone *z) {
        const struct zone_check *c = &z->check;
        char label[40];

        zone_label(z, label, sizeof(label));
        text_append(t, "%s: usable %" PRId64 " kB %s threshold %" PRId64 " kB", label,
                    c->usable_free_kb, c->usable_free_kb < c->threshold_kb ? "<" : "<=",
                    c->threshold_kb);
}

static void append_unusable_zones(struct text *t, const struct oom_report *r) {
        size_t shown = 0;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                char label[40];

                if (!z->check.evaluated || z->check.eligible || !num_set(z->free_kb) ||
                    z->free_kb <= 0 || (num_set(z->high_kb) && z->free_kb <= z->high_kb))
                        continue;
                zone_label(z, label, sizeof(label));
                text_append(t, " %s (%" PRId64 " kB free) cannot serve it: ", label, z->free_kb);
                if (r->trigger.highest_zone)
                        text_append(t, "the allocation's highest zone is %s.", r->trigger.highest_zone);
                else
                        text_append(t, "%s.", z->check.reason ? z->check.reason : "not eligible");
                shown++;
        }
}

static void explain_cma(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        const char *mt = request_kind(r);
        size_t shown = 0;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                const struct zone_check *k = &z->check;
                char label[40], a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

                if (zone_fail_reason(z) != ZF_CMA)
                        continue;
                zone_label(z, label, sizeof(label));
                text_append(&t, "%sZone %s shows %s free, but %s of it is CMA, ", shown ? " " : "",
                            label, hk(z->free_kb, a), hk(k->cma_excluded_kb, b));
                if (mt)
                        text_append(&t, "which %s %s (non-movable) allocation may not use",
                                    mt[0] && strchr("AEIOUaeiou", mt[0]) ? "an" : "a", mt);
                else
                        text_append(&t, "which the OOM killer's last allocation attempt never "
                                        "counts (no ALLOC_CMA)");
                text_append(&t, ": usable %" PRId64 " kB is %s the %smin watermark %" PRId64
                                " kB + lowmem reserve %" PRId64 " kB = %" PRId64 " kB.",
                            k->usable_free_kb, k->usable_free_kb < k->threshold_kb ? "below" : "not above",
                            r->trigger.watermark_adjust && strcmp(r->trigger.watermark_adjust, "none") != 0
                                    ? "adjusted " : "",
                            num_set(k->watermark_kb) ? k->watermark_kb : z->min_kb,
                            num_set(k->reserve_kb) ? k->reserve_kb : 0, k->threshold_kb);
                shown++;
        }
        append_unusable_zones(&t, r);
}

static void explain_highatomic(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        size_t shown = 0;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                const struct zone_check *k = &z->check;
                char label[40], a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

                if (zone_fail_reason(z) != ZF_HIGHATOMIC)
                        continue;
                zone_label(z, label, sizeof(label));
                text_append(&t, "%sZone %s shows %s free, but %s of the zone are reserved as "
                                "highatomic pageblocks (kept for high-order atomic allocations), "
                                "which the watermark check does not count for this request. Usable %" PRId64 " kB is %s the min "
                                "watermark %" PRId64 " kB + lowmem reserve %" PRId64 " kB = %" PRId64
                                " kB.",
                            shown ? " " : "", label, hk(z->free_kb, a), hk(k->highatomic_excluded_kb, b),
                            k->usable_free_kb, k->usable_free_kb < k->threshold_kb ? "below" : "not above",
                            num_set(k->watermark_kb) ? k->watermark_kb : z->min_kb,
                            num_set(k->reserve_kb) ? k->reserve_kb : 0, k->threshold_kb);
                shown++;
        }
        text_append(&t, " The reserve (up to about 1%% of the zone) is released only under "
                        "pressure by unreserve_highatomic_pageblock(); buddy blocks marked H show it.");
}

static void explain_reserve(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        size_t shown = 0;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                const struct zone_check *k = &z->check;
                char label[40];

                if (zone_fail_reason(z) != ZF_RESERVE)
                        continue;
                zone_label(z, label, sizeof(label));
                text_append(&t, "%sZone %s has %" PRId64 " kB usable free, above its min watermark %"
                                PRId64 " kB, but it keeps a lowmem reserve of %" PRId64
                                " kB against allocations whose highest zone is %s: %" PRId64
                                " kB %s %" PRId64 " kB + %" PRId64 " kB = %" PRId64 " kB.",
                            shown ? " " : "", label, k->usable_free_kb, k->watermark_kb,
                            k->reserve_kb, r->trigger.highest_zone ? r->trigger.highest_zone : "higher",
                            k->usable_free_kb, k->usable_free_kb < k->threshold_kb ? "<" : "<=",
                            k->watermark_kb, k->reserve_kb, k->threshold_kb);
                shown++;
        }
        text_append(&t, " The reserve protects lower zones from allocations that could have used "
                        "higher ones; those higher zones are exhausted.");
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                const struct oom_zone *z = &r->zones[i];
                /* A reserve can never exceed the memory of the zones above it, so not RAM. */
                int64_t size = r->memory.total_kb;
                if (num_set(z->present_kb) && (!num_set(size) || z->present_kb < size))
                        size = z->present_kb;
                if (num_set(z->managed_kb) && (!num_set(size) || z->managed_kb < size))
                        size = z->managed_kb;
                if (zone_fail_reason(z) == ZF_RESERVE && num_set(size) &&
                    z->check.reserve_kb > size) {
                        text_append(&t, " But the reserve of %s (%" PRId64 " kB) is larger than %s "
                                        "(%" PRId64 " kB): the watermark/reserve values are corrupt "
                                        "(e.g. a managed_pages underflow), a kernel bug.",
                                    z->name, z->check.reserve_kb,
                                    size == r->memory.total_kb ? "all of RAM" : "the zone", size);
                        break;
                }
        }
        append_unusable_zones(&t, r);
}

static void explain_fragmentation(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        size_t shown = 0;
        int64_t order = r->trigger.order;
        char a[HUMAN_SIZE_MAX];

        text_append(&t, "The request needs a physically contiguous block of order %" PRId64
                        " (%s).", order,
                    hk(num_set(order) && order >= 0 && order < 40 ? (report_page_kb(r) << order) : NUM_UNSET, a));
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                const struct zone_check *k = &z->check;
                char label[40];

                if (zone_fail_reason(z) != ZF_ORDER)
                        continue;
                zone_label(z, label, sizeof(label));
                text_append(&t, " Zone %s passes the order-0 check (usable %" PRId64
                                " kB > threshold %" PRId64 " kB) but has no usable free block of "
                                "order %" PRId64 " or larger",
                            label, k->usable_free_kb, k->threshold_kb, order);
                if (k->order_detail[0])
                        text_append(&t, " (%s)", k->order_detail);
                text_append(&t, ".");
                shown++;
        }
        text_append(&t, " Memory is free but fragmented; compaction could not assemble a block.");
}

static void explain_lowmem(struct oom_report *r, struct oom_cause *c, const struct zone_summary *s) {
        struct text t = cause_text(c);
        char a[HUMAN_SIZE_MAX];
        size_t shown = 0;

        text_append(&t, "32-bit lowmem exhausted: the allocation may only use zones up to %s, and ",
                    r->trigger.highest_zone ? r->trigger.highest_zone : "Normal");
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES && shown < 3; i++) {
                const struct oom_zone *z = &r->zones[i];
                enum zone_fail f = zone_fail_reason(z);

                if (f == ZF_SKIP || f == ZF_PASS)
                        continue;
                text_append(&t, "%s", shown ? ", " : "");
                append_zone_check(&t, z);
                shown++;
        }
        text_append(&t, ". HighMem still has %s free (%" PRId64 " kB%s), which kernel (lowmem) "
                        "allocations cannot use.",
                    hk(s->highmem_free_kb, a), s->highmem_free_kb,
                    s->highmem_inferred ? "; the zone is not printed, this is the free counter "
                                          "minus the zones shown" : "");
}

static void append_swap(struct text *t, const struct oom_report *r) {
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        if (!num_set(r->memory.total_swap_kb))
                return;
        if (r->memory.total_swap_kb == 0)
                text_append(t, " No swap is configured, so anonymous memory cannot be reclaimed.");
        else if (num_set(r->memory.free_swap_kb))
                text_append(t, " Swap: %s free of %s.", hk(r->memory.free_swap_kb, a),
                            hk(r->memory.total_swap_kb, b));
}

static void append_largest_task(struct text *t, const struct oom_report *r) {
        _cleanup_free_ size_t *idx = NULL;
        char a[HUMAN_SIZE_MAX];
        int64_t rss;

        if (r->n_tasks == 0 || tasks_sorted_by_rss(r, &idx) < 0)
                return;
        rss = task_rss_kb(r, &r->tasks[idx[0]]);
        if (!num_set(rss))
                return;
        text_append(t, " The largest process in the task table is %s[%" PRId64 "] with rss %s.",
                    r->tasks[idx[0]].name, r->tasks[idx[0]].pid, hk(rss, a));
}

static void explain_memory(struct oom_report *r, struct oom_cause *c, const struct mem_shares *s) {
        struct text t = cause_text(c);
        const struct oom_memory *m = &r->memory;
        bool memcg = r->kind == REPORT_KIND_MEMCG && r->memcg.present;
        const char *of = memcg ? "of the memcg's usage" : "of RAM";
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX], d[HUMAN_SIZE_MAX], e[HUMAN_SIZE_MAX],
                f[HUMAN_SIZE_MAX];

        switch (c->code) {
        case CAUSE_USERSPACE_MEMORY:
                text_append(&t, "User-space memory dominates: anonymous memory (excluding shmem) is "
                                "%s, %d%% %s (%s).",
                            hk(s->user, a), pct(s->user, s->base), of, hk(s->base, b));
                if (num_set(m->user_rss_kb))
                        text_append(&t, " The task table accounts %s of RSS in %zu processes.",
                                    hk(m->user_rss_kb, a), r->n_tasks);
                append_largest_task(&t, r);
                if (!memcg)
                        append_swap(&t, r);
                break;
        case CAUSE_SHMEM:
                text_append(&t, "Shared memory (tmpfs, SysV/POSIX shm, memfd) holds %s, %d%% %s "
                                "(%s). Shmem is only reclaimable to swap and killing a process "
                                "does not free tmpfs files, so the OOM killer may not help.",
                            hk(s->shmem, a), pct(s->shmem, s->base), of, hk(s->base, b));
                if (!memcg)
                        append_swap(&t, r);
                break;
        case CAUSE_KERNEL_MEMORY:
                text_append(&t, "Kernel memory dominates: %s, %d%% %s (%s): slab %s unreclaimable "
                                "+ %s reclaimable, kernel stacks %s",
                            hk(s->kernel, a), pct(s->kernel, s->base), of, hk(s->base, b),
                            hk(m->slab_unreclaimable_kb, d), hk(m->slab_reclaimable_kb, e),
                            hk(m->kernel_stack_kb, f));
                if (num_set(m->unaccounted_kb))
                        text_append(&t, ", and %s that no counter accounts for (vmalloc, "
                                        "drivers/GPU buffers, page allocations by modules)",
                                    hk(m->unaccounted_kb, a));
                text_append(&t, ". Killing user processes frees little of it.");
                if (m->n_unreclaimable_slab > 0 && m->unreclaimable_slab) {
                        const struct key_value *top = &m->unreclaimable_slab[0];
                        for (size_t i = 1; i < m->n_unreclaimable_slab; i++)
                                if (m->unreclaimable_slab[i].value > top->value)
                                        top = &m->unreclaimable_slab[i];
                        text_append(&t, " Largest unreclaimable slab cache: %s (%s).", top->key,
                                    hk(top->value, a));
                }
                break;
        default:
                break;
        }
}

static void explain_unknown(struct oom_report *r, struct oom_cause *c, const struct mem_shares *s,
                            const struct zone_summary *z) {
        struct text t = cause_text(c);
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX], d[HUMAN_SIZE_MAX], e[HUMAN_SIZE_MAX],
                f[HUMAN_SIZE_MAX];

        if (!num_set(s->base) || s->base <= 0) {
                text_append(&t, "The report does not contain the memory information (Mem-Info or "
                                "memcg usage) needed to say where the memory went");
                if (!r->complete)
                        text_append(&t, "; it is incomplete");
                text_append(&t, ".");
                return;
        }
        text_append(&t, "%s: user %s, shmem %s, kernel %s, page cache %s of %s.",
                    z->n_avail > 0 && s->dominant != CAUSE_UNKNOWN
                            ? "Memory was not short where this allocation could go; usage is"
                            : "No single kind of memory dominates",
                    hk(s->user, a), hk(s->shmem, b), hk(s->kernel, d), hk(s->file, e),
                    hk(s->base, f));
        if (z->n_avail > 0) {
                const struct zone_check *k = &z->first_avail->check;
                char label[40];
                zone_label(z->first_avail, label, sizeof(label));
                text_append(&t, " %zu zone(s) the allocation may use could have served it in this "
                                "snapshot (%s: usable %" PRId64 " kB against a min threshold of %"
                                PRId64 " kB%s): the shortage was transient, the counters raced, or "
                                "the OOM did not come from a failed allocation.",
                            z->n_avail, label, k->usable_free_kb, k->threshold_kb,
                            r->kind == REPORT_KIND_ALLOC_FAILURE
                                    ? ""
                                    : "; it passes even the high watermark the OOM killer's last "
                                      "allocation attempt checks");
                text_append(&t, " Reclaim may also have given up early (no progress heuristics).");
        } else if (z->n_pass > 0)
                text_append(&t, " %zu eligible zone(s) pass the min-watermark check in this "
                                "snapshot but not the high one the OOM killer's last attempt uses.",
                            z->n_pass);
        if (pct(s->file, s->base) >= DOMINANT_PCT)
                text_append(&t, " Page cache is large (%d%%) but was not reclaimed: look for dirty "
                                "or writeback pages, mlocked or unevictable mappings.",
                            pct(s->file, s->base));
        if (r->trigger.has_gfp_mask && r->trigger.gfp_mask_value == 0 &&
            r->kind == REPORT_KIND_GLOBAL)
                text_append(&t, " gfp_mask=0 means the OOM came from a page fault "
                                "(pagefault_out_of_memory): a fault handler returned VM_FAULT_OOM, "
                                "which need not mean memory was short.");
}

static void explain_memcg(struct oom_report *r, struct oom_cause *c, const struct mem_shares *s) {
        struct text t = cause_text(c);
        const struct oom_memcg *g = &r->memcg;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];
        const char *path = g->path[0] ? g->path : r->constraint.memcg[0] ? r->constraint.memcg : "?";

        if (num_set(g->usage_kb) && num_set(g->limit_kb))
                text_append(&t, "Memory cgroup %s reached its limit: usage %s (%" PRId64
                                " kB) of limit %s (%" PRId64 " kB)",
                            path, hk(g->usage_kb, a), g->usage_kb, hk(g->limit_kb, b), g->limit_kb);
        else
                text_append(&t, "Memory cgroup %s reached its limit (usage/limit not in the report)",
                            path);
        if (num_set(g->failcnt))
                text_append(&t, ", failcnt %" PRId64, g->failcnt);
        text_append(&t, ". The system as a whole need not be short of memory.");
        if (g->present && (s->user || s->shmem || s->file || s->kernel)) {
                text_append(&t, " Inside it: anon %s", hk(s->user, a));
                text_append(&t, ", page cache %s", hk(s->file, a));
                text_append(&t, ", shmem %s", hk(s->shmem, a));
                text_append(&t, ", kernel %s.", hk(s->kernel, a));
        }
        if (num_set(g->swap_usage_kb) && num_set(g->swap_limit_kb))
                text_append(&t, " %s: usage %s, limit %s.", g->memsw ? "memory+swap" : "swap",
                            hk(g->swap_usage_kb, a), hk(g->swap_limit_kb, b));
}

static void explain_constraint(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        const char *cpuset = r->constraint.cpuset[0] ? r->constraint.cpuset : r->trigger.cpuset;
        const char *mems = r->constraint.mems_allowed[0] ? r->constraint.mems_allowed
                                                         : r->trigger.mems_allowed;
        const char *nodemask = r->constraint.nodemask[0] ? r->constraint.nodemask : r->trigger.nodemask;
        char a[HUMAN_SIZE_MAX];

        if (c->code == CAUSE_CPUSET_CONSTRAINT)
                text_append(&t, "The allocation was confined by cpuset %s (mems_allowed=%s): only the "
                                "memory of those nodes counts",
                            cpuset[0] ? cpuset : "?", mems[0] ? mems : "?");
        else
                text_append(&t, "The task's memory policy (mbind/set_mempolicy) restricts it to "
                                "nodemask=%s: only the memory of those nodes counts",
                            nodemask[0] ? nodemask : "?");
        text_append(&t, ", so the OOM can happen while other nodes still have free memory");
        if (num_set(r->memory.free_kb))
                text_append(&t, " (%s free in the zones shown)", hk(r->memory.free_kb, a));
        text_append(&t, ".");
}

static void explain_manual(struct oom_report *r, struct oom_cause *c) {
        struct text t = cause_text(c);
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        text_append(&t, "The OOM killer was invoked by hand (sysrq-f / echo f > /proc/sysrq-trigger: "
                        "order=-1), not by a failed allocation");
        if (num_set(r->memory.free_kb) && num_set(r->memory.total_kb))
                text_append(&t, "; free memory was %s of %s", hk(r->memory.free_kb, a),
                            hk(r->memory.total_kb, b));
        text_append(&t, ". It says nothing about a memory shortage.");
}

/* Zone findings as a lead-in sentence for memory-based primaries. */
static void prepend_zone_state(struct oom_cause *c, const struct zone_summary *z) {
        char tmp[OOM_EXPLANATION_MAX];
        struct text t = { tmp, sizeof(tmp), 0 };
        const struct oom_zone *zone = z->first_low;

        if (!zone || z->n_pass > 0)
                return;
        text_append(&t, "Every zone the allocation may use is below its watermark (");
        append_zone_check(&t, zone);
        if (z->n_fail > 1)
                text_append(&t, "; %zu zones in all", z->n_fail);
        text_append(&t, "). %s", c->explanation);
        memcpy(c->explanation, tmp, sizeof(c->explanation));
}

/* ------------------------------------------------------------------------------------------ */
static void add_memory_cause(struct oom_report *r, enum cause_code code, bool primary,
                             const struct mem_shares *s) {
        struct oom_cause *c = cause_add(r, code, primary);
        if (c)
                explain_memory(r, c, s);
}

/* Does a reserve hold back a material amount of free memory? ZONE_DMA (the 16 MiB ISA zone) is
 * left out: its reserve holds on every x86 OOM by design and naming it would be noise. */
#define RESERVE_MATERIAL_KB 4096
static bool reserve_holds_material(const struct oom_report *r) {
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                const struct oom_zone *zz = &r->zones[i];
                if (zone_fail_reason(zz) == ZF_RESERVE && strcmp(zz->name, "DMA") != 0 &&
                    num_set(zz->check.usable_free_kb) && zz->check.usable_free_kb >= RESERVE_MATERIAL_KB)
                        return true;
        }
        return false;
}

/* Swap full: only anonymous (process) memory and shmem are swapped, so processes filled RAM and
 * swap. Decisive where Mem-Info does not split anon from file (2.6.2x "Active:/inactive:",
 * corpus 010 and 050). */
static bool swap_full(const struct oom_report *r, int64_t *ret_used) {
        const struct oom_memory *m = &r->memory;

        if (!num_set(m->total_swap_kb) || !num_set(m->free_swap_kb) || m->total_swap_kb <= 0 ||
            m->free_swap_kb > m->total_swap_kb / 100)
                return false;
        *ret_used = m->total_swap_kb - m->free_swap_kb;
        return true;
}

static void explain_swap_full(struct oom_report *r, struct oom_cause *c, int64_t used) {
        struct text t = cause_text(c);
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        text_append(&t, "Swap is full (%s used of %s; Free swap = %" PRId64 " kB): only process "
                        "(anonymous) memory and shmem are swapped out, so processes had filled RAM "
                        "and swap.", hk(used, a), hk(r->memory.total_swap_kb, b), r->memory.free_swap_kb);
        if (!num_set(r->memory.anon_kb))
                text_append(&t, " This kernel's Mem-Info does not split anonymous from file pages, "
                                "so their share of RAM cannot be given.");
        if (r->has_victim && r->victim.comm[0])
                text_append(&t, " The kernel chose %s[%" PRId64 "].", r->victim.comm, r->victim.pid);
}

/* Steps 4-5: zones, then memory. Returns whether a primary was added. */
static bool classify_zones_and_memory(struct oom_report *r, bool want_primary,
                                      const struct zone_summary *z, const struct mem_shares *s) {
        bool primary_added = false;
        struct oom_cause *c;
        bool none_pass = z->n_eligible > 0 && z->n_pass == 0;
        bool cma = none_pass && hidden_significant(z, z->hidden_cma_kb);
        bool reserve = none_pass && hidden_significant(z, z->hidden_reserve_kb);
        /* A zone that fails only because of its reserve is always part of the story (the lab's
         * i386 lowmem-reserve capture: Normal 63080 kB free, min 42236 kB + reserve 20988 kB),
         * even when it hides too little memory to be the primary cause. */
        bool reserve_minor = none_pass && !reserve && reserve_holds_material(r);
        bool frag = none_pass && z->n_order > 0 && num_set(r->trigger.order) && r->trigger.order > 0;
        bool lowmem = none_pass && num_set(z->highmem_free_kb);

#define ADD(code_, explain_call)                                                    \
        do {                                                                        \
                c = cause_add(r, (code_), want_primary && !primary_added);          \
                if (c) {                                                            \
                        primary_added = primary_added || c->primary;                \
                        explain_call;                                               \
                }                                                                   \
        } while (0)

        /* CMA before reserve: both can hold, and the one hiding more memory leads. */
        if (cma && (!reserve || z->hidden_cma_kb >= z->hidden_reserve_kb)) {
                ADD(CAUSE_CMA_UNUSABLE, explain_cma(r, c));
                if (reserve)
                        ADD(CAUSE_LOWMEM_RESERVE, explain_reserve(r, c));
        } else if (reserve) {
                ADD(CAUSE_LOWMEM_RESERVE, explain_reserve(r, c));
                if (cma)
                        ADD(CAUSE_CMA_UNUSABLE, explain_cma(r, c));
        }
        if (none_pass && z->n_highatomic > 0)
                ADD(CAUSE_HIGHATOMIC_RESERVE, explain_highatomic(r, c));
        if (frag)
                ADD(CAUSE_FRAGMENTATION, explain_fragmentation(r, c));
        /* With CMA primary the HighMem sentence is already in its paragraph. */
        if (lowmem && !cma && !reserve)
                ADD(CAUSE_LOWMEM_EXHAUSTED, explain_lowmem(r, c, z));

        int64_t swap_used;
        if (s->dominant == CAUSE_UNKNOWN && r->kind != REPORT_KIND_MEMCG && swap_full(r, &swap_used)) {
                c = cause_add(r, CAUSE_USERSPACE_MEMORY, want_primary && !primary_added && z->n_avail == 0);
                if (c) {
                        primary_added = primary_added || c->primary;
                        explain_swap_full(r, c, swap_used);
                }
        }
        if (s->dominant != CAUSE_UNKNOWN) {
                bool was = primary_added;
                /* Memory available in an eligible zone: where memory went does not explain
                 * this OOM (pagefault OOM, race); leave the primary to "unknown". */
                c = cause_add(r, s->dominant, want_primary && !primary_added && z->n_avail == 0);
                if (c) {
                        primary_added = primary_added || c->primary;
                        explain_memory(r, c, s);
                        if (!was && c->primary)
                                prepend_zone_state(c, z);
                }
        }
        for (size_t i = 0; i < s->n_second; i++)
                add_memory_cause(r, s->second[i], false, s);
        if (reserve_minor) {
                c = cause_add(r, CAUSE_LOWMEM_RESERVE, want_primary && !primary_added);
                if (c) {
                        primary_added = primary_added || c->primary;
                        explain_reserve(r, c);
                }
        }
#undef ADD
        return primary_added;
}

int causes_classify(struct oom_report *r) {
        struct zone_summary z;
        struct mem_shares s;
        struct oom_cause *c;
        bool have_primary = false;

        r->n_causes = 0;
        zones_summarize(r, &z);
        mem_shares_compute(r, &s);

        switch (r->kind) {
        case REPORT_KIND_MEMCG:
                c = cause_add(r, CAUSE_MEMCG_LIMIT, true);
                if (c)
                        explain_memcg(r, c, &s);
                /* What fills the memcg, as secondary. */
                if (s.dominant != CAUSE_UNKNOWN)
                        add_memory_cause(r, s.dominant, false, &s);
                for (size_t i = 0; i < s.n_second; i++)
                        add_memory_cause(r, s.second[i], false, &s);
                return 0;
        case REPORT_KIND_MANUAL:
                c = cause_add(r, CAUSE_MANUAL, true);
                if (c)
                        explain_manual(r, c);
                return 0;
        case REPORT_KIND_CPUSET:
        case REPORT_KIND_MEMPOLICY:
                c = cause_add(r, r->kind == REPORT_KIND_CPUSET ? CAUSE_CPUSET_CONSTRAINT
                                                                : CAUSE_MEMPOLICY_CONSTRAINT, true);
                if (c)
                        explain_constraint(r, c);
                have_primary = true;
                break;
        case REPORT_KIND_GLOBAL:
        case REPORT_KIND_ALLOC_FAILURE:
        default:
                break;
        }

        if (classify_zones_and_memory(r, !have_primary, &z, &s))
                have_primary = true;
        if (!have_primary) {
                c = cause_add(r, CAUSE_UNKNOWN, true);
                if (c)
                        explain_unknown(r, c, &s, &z);
        }
        /* The primary goes first (JSON contract: causes[0]), secondaries keep their order. */
        for (size_t i = 1; i < r->n_causes; i++)
                if (r->causes[i].primary) {
                        struct oom_cause p = r->causes[i];
                        memmove(&r->causes[1], &r->causes[0], i * sizeof(r->causes[0]));
                        r->causes[0] = p;
                        break;
                }
        return 0;
}

const struct oom_cause *report_primary_cause(const struct oom_report *r) {
        for (size_t i = 0; i < r->n_causes && i < OOM_MAX_CAUSES; i++)
                if (r->causes[i].primary)
                        return &r->causes[i];
        return NULL;
}

const char *zone_verdict_string(const struct oom_zone *z) {
        if (!z->check.evaluated)
                return "-";
        if (!z->check.eligible)
                return "not eligible";
        if (!z->check.ok)
                return "FAIL";
        if (z->check.order_checked && !z->check.order_ok)
                return "order FAIL";
        return "ok";
}

void cause_short_phrase(const struct oom_report *r, const struct oom_cause *c, char *buf, size_t n) {
        struct zone_summary z;
        struct mem_shares s;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        if (n == 0)
                return;
        buf[0] = '\0';
        if (!c)
                return;
        zones_summarize(r, &z);
        mem_shares_compute(r, &s);
        switch (c->code) {
        case CAUSE_CMA_UNUSABLE:
                if (z.worst_cma)
                        snprintf(buf, n, "%s of %s free is CMA",
                                 human_kb_mib(z.worst_cma->check.cma_excluded_kb, a, sizeof(a)),
                                 human_kb_mib(z.worst_cma->free_kb, b, sizeof(b)));
                else
                        snprintf(buf, n, "free memory is CMA");
                break;
        case CAUSE_LOWMEM_RESERVE:
                if (z.worst_reserve)
                        snprintf(buf, n, "%s free in %s is held back by its lowmem reserve",
                                 human_kb_mib(z.worst_reserve->check.usable_free_kb, a, sizeof(a)),
                                 z.worst_reserve->name);
                else
                        snprintf(buf, n, "free memory is held back by lowmem reserves");
                break;
        case CAUSE_FRAGMENTATION:
                snprintf(buf, n, "no free block of order %" PRId64 " or larger (fragmentation)",
                         r->trigger.order);
                break;
        case CAUSE_LOWMEM_EXHAUSTED:
                snprintf(buf, n, "lowmem exhausted while HighMem has %s free",
                         num_set(z.highmem_free_kb) ? human_kb_mib(z.highmem_free_kb, a, sizeof(a))
                                                    : "memory");
                break;
        case CAUSE_MEMCG_LIMIT:
                if (num_set(r->memcg.limit_kb))
                        snprintf(buf, n, "memcg %s at its limit (%s)",
                                 r->memcg.path[0] ? r->memcg.path
                                                  : r->constraint.memcg[0] ? r->constraint.memcg : "?",
                                 human_kb(r->memcg.limit_kb, a, sizeof(a)));
                else if (r->memcg.path[0] || r->constraint.memcg[0])
                        snprintf(buf, n, "memcg %s reached its limit",
                                 r->memcg.path[0] ? r->memcg.path : r->constraint.memcg);
                else
                        snprintf(buf, n, "a memory cgroup reached its limit");
                break;
        case CAUSE_CPUSET_CONSTRAINT:
                snprintf(buf, n, "confined by cpuset %s",
                         r->constraint.cpuset[0] ? r->constraint.cpuset
                                                 : r->trigger.cpuset[0] ? r->trigger.cpuset : "?");
                break;
        case CAUSE_MEMPOLICY_CONSTRAINT:
                snprintf(buf, n, "confined by mempolicy nodemask=%s",
                         r->constraint.nodemask[0] ? r->constraint.nodemask
                                                   : r->trigger.nodemask[0] ? r->trigger.nodemask : "?");
                break;
        case CAUSE_KERNEL_MEMORY:
                snprintf(buf, n, "kernel memory %s of %s", human_kb(s.kernel, a, sizeof(a)),
                         human_kb(s.base, b, sizeof(b)));
                break;
        case CAUSE_USERSPACE_MEMORY: {
                int64_t used;
                if (s.user <= 0 && swap_full(r, &used))
                        snprintf(buf, n, "swap full (%s): processes filled RAM and swap",
                                 human_kb(used, a, sizeof(a)));
                else
                        snprintf(buf, n, "user memory %s of %s", human_kb(s.user, a, sizeof(a)),
                                 human_kb(s.base, b, sizeof(b)));
                break;
        }
        case CAUSE_SHMEM:
                snprintf(buf, n, "shmem %s of %s", human_kb(s.shmem, a, sizeof(a)),
                         human_kb(s.base, b, sizeof(b)));
                break;
        case CAUSE_MANUAL:
                snprintf(buf, n, "invoked manually (sysrq-f)");
                break;
        case CAUSE_HIGHATOMIC_RESERVE:
                snprintf(buf, n, "free memory only in the highatomic reserve");
                break;
        case CAUSE_UNKNOWN:
        default:
                snprintf(buf, n, "cause unknown");
                break;
        }
}
