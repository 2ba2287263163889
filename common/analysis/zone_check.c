/* SPDX-License-Identifier: MIT */
/* Replay of the zone watermark check for the kernel that wrote the report
 * (../shared/reference/kernel-facts.md §3, §4, §5.4).
 *
 * 1. Which zone types this machine has configured. The zone enum is DMA, DMA32, Normal, HighMem,
 *    Movable, Device (each only if configured; Normal and Movable always), and every zone line's
 *    lowmem_reserve[] has one column per configured type, so the column count plus the zone
 *    names seen pin the layout down (6.1+ hides zones above gfp_zone(), so a missing name may be
 *    filtered rather than absent).
 * 2. gfp_zone() mapped onto that machine gives the requested index; zones above it are not
 *    eligible, and lowmem_reserve[that index] of each checked zone is the reserve the kernel adds.
 * 3. The order-0 arithmetic of __zone_watermark_ok per version (variants A-G) at min with the
 *    request's reductions, at low (fast path) and at high (the OOM last-chance attempt, which
 *    never has ALLOC_CMA), then the order>0 part from the buddy line.
 * Everything is computed in pages, like the kernel, and reported in kB. */
#include "zone_check.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gfp.h"

/* ------------------------------------------------------------------------------------------
 * Watermark arithmetic per version (§4.2). */
enum order_term {
        ORDER_TERM_MINUS_1, /* free = F - (2^o - 1)  [A, C-G] */
        ORDER_TERM_PLUS_1,  /* free = F - 2^o - 1    [B: the 2.6.37-3.5 off-by-two] */
};
enum cma_mode {
        CMA_NOT_SUBTRACTED, /* no CMA accounting in the check */
        CMA_UPFRONT,        /* free -= NR_FREE_CMA_PAGES before everything (D, F, G) */
        CMA_ORDER0_ONLY,    /* only in the order-0 test; the order loop keeps CMA (E) */
};
enum highatomic_mode {
        HA_NOT_SUBTRACTED,
        HA_UNLESS_HARDER,   /* free -= nr_reserved_highatomic unless ALLOC_HARDER(|OOM) (F) */
        HA_UNLESS_RESERVES, /* ... unless any ALLOC_RESERVES flag (G) */
};
enum order_mode {
        ORDER_COUNT_LOOP, /* k < o: free -= nr_free[k] << k; min >>= 1; fail if free <= min */
        ORDER_FREE_LISTS, /* F': k >= o, pass on a non-empty free list the request may use */
};
enum highatomic_list {
        HAL_NONE,             /* no MIGRATE_HIGHATOMIC */
        HAL_HARDER,           /* 4.4-4.5 */
        HAL_HARDER_ANY_TYPE,  /* 4.6-4.13: harder passes on any non-empty order */
        HAL_HARDER_OR_OOM,    /* 4.14-6.2 */
        HAL_HIGHATOMIC_OR_OOM, /* 6.3+: ALLOC_HIGHATOMIC (order>0, non-blocking) or ALLOC_OOM */
};

struct wmark_variant {
        struct kv_range kv;
        const char *name;
        enum order_term order_term;
        enum cma_mode cma;
        enum highatomic_mode highatomic;
        enum order_mode order;
        enum highatomic_list hal;
        const char *usable_letters; /* buddy letters of the U/M/E lists for that enum */
        bool boost_retry;           /* order-0 atomic retry with the unboosted min (5.x+) */
        bool highatomic_free;       /* 6.12+: the free highatomic pages, not the reservation */
};

static const struct wmark_variant wmark_variants[] = {
        /* A [V 2.6.32] */
        { { KV_MIN, KV(2, 6, 36) }, "A (2.6.32)", ORDER_TERM_MINUS_1, CMA_NOT_SUBTRACTED,
          HA_NOT_SUBTRACTED, ORDER_COUNT_LOOP, HAL_NONE, "UEM", false, false },
        /* B [V 3.0; 2.6.37 start and 3.6 fix U] */
        { { KV(2, 6, 37), KV_END(3, 5) }, "B (2.6.37-3.5)", ORDER_TERM_PLUS_1, CMA_NOT_SUBTRACTED,
          HA_NOT_SUBTRACTED, ORDER_COUNT_LOOP, HAL_NONE, "UEM", false, false },
        /* C [V 3.6] */
        { { KV(3, 6, 0), KV_END(3, 7) }, "C (3.6-3.7)", ORDER_TERM_MINUS_1, CMA_NOT_SUBTRACTED,
          HA_NOT_SUBTRACTED, ORDER_COUNT_LOOP, HAL_NONE, "UEM", false, false },
        /* D [V 3.8] */
        { { KV(3, 8, 0), KV_END(3, 9) }, "D (3.8-3.9)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_NOT_SUBTRACTED, ORDER_COUNT_LOOP, HAL_NONE, "UEM", false, false },
        /* E [V 3.10, 3.13, 3.14; 3.15-4.3 U] */
        { { KV(3, 10, 0), KV_END(4, 3) }, "E (3.10-4.3)", ORDER_TERM_MINUS_1, CMA_ORDER0_ONLY,
          HA_NOT_SUBTRACTED, ORDER_COUNT_LOOP, HAL_NONE, "UEM", false, false },
        /* F + F' [V 4.4] */
        { { KV(4, 4, 0), KV_END(4, 5) }, "F (4.4-4.5)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_HARDER, ORDER_FREE_LISTS, HAL_HARDER, "UME", false, false },
        /* [V 4.6, 4.9, 4.10, 4.12; 4.13 U] */
        { { KV(4, 6, 0), KV_END(4, 13) }, "F (4.6-4.13)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_HARDER, ORDER_FREE_LISTS, HAL_HARDER_ANY_TYPE, "UME", false, false },
        /* [V 4.14, 4.19]; boost from 5.0 [V 5.0, 5.10] */
        { { KV(4, 14, 0), KV_END(4, 20) }, "F (4.14-4.20)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_HARDER, ORDER_FREE_LISTS, HAL_HARDER_OR_OOM, "UME", false, false },
        { { KV(5, 0, 0), KV_END(6, 2) }, "F (5.0-6.2)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_HARDER, ORDER_FREE_LISTS, HAL_HARDER_OR_OOM, "UME", true, false },
        /* G [V 6.4, 6.5, 6.6, 6.8] */
        { { KV(6, 3, 0), KV_END(6, 11) }, "G (6.3-6.11)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_RESERVES, ORDER_FREE_LISTS, HAL_HIGHATOMIC_OR_OOM, "UME", true, false },
        /* [V 6.12, 6.19]: nr_free_highatomic */
        { { KV(6, 12, 0), KV_MAX }, "G (6.12+)", ORDER_TERM_MINUS_1, CMA_UPFRONT,
          HA_UNLESS_RESERVES, ORDER_FREE_LISTS, HAL_HIGHATOMIC_OR_OOM, "UME", true, true },
};

static const struct wmark_variant *variant_for(int64_t kv) {
        for (size_t i = 0; i < ELEMENTSOF(wmark_variants); i++)
                if (kv_range_contains(wmark_variants[i].kv, kv))
                        return &wmark_variants[i];
        return &wmark_variants[ELEMENTSOF(wmark_variants) - 1];
}

/* 6.15-6.18+: ALLOC_HIGHATOMIC also needs __GFP_HIGH [V 6.18, 6.19; 6.14 not]. */
#define KV_HIGHATOMIC_NEEDS_HIGH KV(6, 15, 0)
/* ZONE_DEVICE exists from 4.3 [U]; it needs a 64-bit kernel (no HighMem). */
#define KV_ZONE_DEVICE KV(4, 3, 0)

/* ------------------------------------------------------------------------------------------
 * Reason strings (static: the report keeps the pointer). */
#define ABOVE(z, h) "zone above the allocation's highest zone (" z " > " h ")"
static const char *const reason_above[_GFP_ZONE_MAX][_GFP_ZONE_MAX] = {
        [GFP_ZONE_DMA32] = { [GFP_ZONE_DMA] = ABOVE("DMA32", "DMA") },
        [GFP_ZONE_NORMAL] = { [GFP_ZONE_DMA] = ABOVE("Normal", "DMA"),
                              [GFP_ZONE_DMA32] = ABOVE("Normal", "DMA32") },
        [GFP_ZONE_HIGHMEM] = { [GFP_ZONE_DMA] = ABOVE("HighMem", "DMA"),
                               [GFP_ZONE_NORMAL] = ABOVE("HighMem", "Normal") },
        [GFP_ZONE_MOVABLE] = { [GFP_ZONE_DMA] = ABOVE("Movable", "DMA"),
                               [GFP_ZONE_DMA32] = ABOVE("Movable", "DMA32"),
                               [GFP_ZONE_NORMAL] = ABOVE("Movable", "Normal"),
                               [GFP_ZONE_HIGHMEM] = ABOVE("Movable", "HighMem") },
        [GFP_ZONE_DEVICE] = { [GFP_ZONE_DMA] = ABOVE("Device", "DMA"),
                              [GFP_ZONE_DMA32] = ABOVE("Device", "DMA32"),
                              [GFP_ZONE_NORMAL] = ABOVE("Device", "Normal"),
                              [GFP_ZONE_HIGHMEM] = ABOVE("Device", "HighMem"),
                              [GFP_ZONE_MOVABLE] = ABOVE("Device", "Movable") },
};

/* ------------------------------------------------------------------------------------------
 * Zone layout of the machine. */
struct zone_layout {
        unsigned configured; /* bit per enum gfp_zone_type */
        bool from_columns;   /* pinned by the lowmem_reserve[] column count */
};

static int zone_type_from_name(const char *name) {
        for (int t = 0; t < _GFP_ZONE_MAX; t++)
                if (strcmp(name, gfp_zone_type_name(t)) == 0)
                        return t;
        return -1;
}

static int zone_index_in(unsigned configured, int type) {
        if (type < 0 || !(configured & (1u << type)))
                return -1;
        return __builtin_popcount(configured & ((1u << type) - 1));
}

/* How unlikely an optional zone type is when no zone line shows it. DMA32 is the common unseen
 * one (arm64/x86_64 machines whose memory all sits in DMA or below 4G); Device is never printed
 * but rarer; HighMem hides behind the 6.1+ zone filter on 32-bit (then "pages HighMem" says so). */
static unsigned unseen_penalty(int type, bool highmem_hint) {
        switch (type) {
        case GFP_ZONE_DMA32:
                return 1;
        case GFP_ZONE_HIGHMEM:
                return highmem_hint ? 0 : 2;
        default:
                return 2;
        }
}

static int infer_zone_layout(const struct oom_report *r, int64_t kv, struct zone_layout *ret) {
        unsigned seen = 0, best = 0, best_penalty = UINT32_MAX;
        size_t ncols = 0;
        bool highmem_hint;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                int t = zone_type_from_name(r->zones[i].name);
                if (t >= 0)
                        seen |= 1u << t;
                if (r->zones[i].n_lowmem_reserve > ncols)
                        ncols = r->zones[i].n_lowmem_reserve;
        }
        if (ncols > OOM_MAX_ZONE_TYPES)
                ncols = OOM_MAX_ZONE_TYPES;
        /* "pages HighMem/MovableOnly" > 0 while no Movable zone is shown: most likely HighMem */
        highmem_hint = num_set(r->memory.pages_highmem) && r->memory.pages_highmem > 0 &&
                       !(seen & (1u << GFP_ZONE_MOVABLE));

        if (ncols == 0) {
                /* No lowmem_reserve line: the zones seen, plus the always-present ones. */
                ret->configured = seen | (1u << GFP_ZONE_NORMAL) | (1u << GFP_ZONE_MOVABLE);
                ret->from_columns = false;
                return 0;
        }
        /* Enumerate every configuration: Normal and Movable are unconditional (mmzone.h
         * [V 2.6.32, 3.14, 6.6]); DMA32 and HighMem exclude each other (64- vs 32-bit), so do
         * Device and HighMem. */
        for (unsigned c = 0; c < (1u << _GFP_ZONE_MAX); c++) {
                unsigned penalty = 0;
                if (!(c & (1u << GFP_ZONE_NORMAL)) || !(c & (1u << GFP_ZONE_MOVABLE)))
                        continue;
                if ((c & seen) != seen || (size_t)__builtin_popcount(c) != ncols)
                        continue;
                if ((c & (1u << GFP_ZONE_HIGHMEM)) &&
                    (c & ((1u << GFP_ZONE_DMA32) | (1u << GFP_ZONE_DEVICE))))
                        continue;
                if ((c & (1u << GFP_ZONE_DEVICE)) && kv < KV_ZONE_DEVICE)
                        continue;
                for (int t = 0; t < _GFP_ZONE_MAX; t++)
                        if ((c & (1u << t)) && !(seen & (1u << t)) && t != GFP_ZONE_NORMAL &&
                            t != GFP_ZONE_MOVABLE)
                                penalty += unseen_penalty(t, highmem_hint);
                if (penalty < best_penalty) {
                        best = c;
                        best_penalty = penalty;
                }
        }
        if (best_penalty == UINT32_MAX)
                return -EBADMSG; /* the column count fits no known zone configuration */
        ret->configured = best;
        ret->from_columns = true;
        return 0;
}

/* gfp_zone() onto this machine: a type the kernel was built without becomes ZONE_NORMAL
 * (OPT_ZONE_* in gfp.h [V 2.6.32, 3.14, 6.6]). */
static int requested_zone_type(enum gfp_zone_type z, unsigned configured) {
        if (z == GFP_ZONE_INVALID)
                return -1;
        if (!(configured & (1u << z)))
                return GFP_ZONE_NORMAL;
        return z;
}

/* ------------------------------------------------------------------------------------------
 * Node filter: "0-1,3" lists. */
static bool parse_nodelist(const char *s, uint64_t *ret) {
        uint64_t mask = 0;
        const char *p = s;

        if (!s || !*s || strcmp(s, "(null)") == 0)
                return false;
        while (*p) {
                long a = 0, b;
                int n = 0;
                while (*p >= '0' && *p <= '9' && n < 4) {
                        a = a * 10 + (*p++ - '0');
                        n++;
                }
                if (n == 0 || a > 63)
                        return false;
                b = a;
                if (*p == '-') {
                        p++;
                        b = 0;
                        n = 0;
                        while (*p >= '0' && *p <= '9' && n < 4) {
                                b = b * 10 + (*p++ - '0');
                                n++;
                        }
                        if (n == 0 || b > 63 || b < a)
                                return false;
                }
                for (long i = a; i <= b; i++)
                        mask |= UINT64_C(1) << i;
                if (*p == ',')
                        p++;
                else if (*p)
                        return false;
        }
        *ret = mask;
        return true;
}

static bool allowed_nodes(const struct oom_report *r, uint64_t *ret) {
        uint64_t m;

        if (parse_nodelist(r->trigger.nodemask, &m) || parse_nodelist(r->constraint.nodemask, &m)) {
                *ret = m;
                return true;
        }
        /* A cpuset-constrained OOM restricts the allocation to the cpuset's mems (ALLOC_CPUSET);
         * for a global OOM mems_allowed is just every node and says nothing. */
        if (strcmp(r->constraint.type, "cpuset") == 0 &&
            (parse_nodelist(r->constraint.mems_allowed, &m) ||
             parse_nodelist(r->trigger.mems_allowed, &m))) {
                *ret = m;
                return true;
        }
        return false;
}

/* ------------------------------------------------------------------------------------------
 * Arithmetic helpers: the report's numbers are untrusted (corpus 023 has min:99395541895224kB). */
static bool to_pages(int64_t kb, int64_t page_kb, int64_t *ret) {
        if (!num_set(kb) || kb < 0)
                return false;
        *ret = kb / page_kb;
        return true;
}

static int64_t sat_mul(int64_t a, int64_t b) {
        int64_t v;
        if (__builtin_mul_overflow(a, b, &v))
                return (a < 0) != (b < 0) ? INT64_MIN + 1 : INT64_MAX;
        return v;
}

static int64_t sat_add(int64_t a, int64_t b) {
        int64_t v;
        if (__builtin_add_overflow(a, b, &v))
                return b < 0 ? INT64_MIN + 1 : INT64_MAX;
        return v;
}

static int64_t sat_sub(int64_t a, int64_t b) {
        int64_t v;
        if (__builtin_sub_overflow(a, b, &v))
                return b > 0 ? INT64_MIN + 1 : INT64_MAX;
        return v;
}

/* min after the request's reductions (§4.2): HIGH min -= min/2, HARDER min -= min/4, in that
 * order; 6.3's MIN_RESERVE/NON_BLOCK pair does the same arithmetic. */
static int64_t adjust_min(int64_t min, enum gfp_wmark_adjust a) {
        if (a == WMARK_ADJ_HIGH || a == WMARK_ADJ_ATOMIC)
                min -= min / 2;
        if (a == WMARK_ADJ_HARDER || a == WMARK_ADJ_ATOMIC)
                min -= min / 4;
        return min;
}

struct check_input {
        int64_t free, cma, highatomic, reserve, order_excl; /* pages */
};

/* ------------------------------------------------------------------------------------------
 * order > 0 */
static bool letters_have_any(const char *letters, const char *set) {
        for (const char *p = letters; *p; p++)
                if (strchr(set, *p))
                        return true;
        return false;
}

static void check_order_count_loop(const struct oom_zone *z, const struct wmark_variant *v,
                                   int order, const struct check_input *in, int64_t min,
                                   int64_t page_kb, struct zone_check *c) {
        /* A-E: the loop continues from the order-0 free (CMA subtracted only for D) and drops
         * the blocks too small for the request, halving min each step. */
        int64_t free = sat_sub(in->free, in->order_excl);
        int failed_at = -1;

        if (v->cma == CMA_UPFRONT)
                free = sat_sub(free, in->cma);
        for (int k = 0; k < order; k++) {
                free = sat_sub(free, sat_mul(z->buddy[k].count, INT64_C(1) << k));
                min >>= 1;
                if (free <= min) {
                        failed_at = k;
                        break;
                }
        }
        c->order_ok = failed_at < 0;
        c->order_ok_at = -1;
        for (size_t k = (size_t)order; k < z->n_buddy; k++)
                if (z->buddy[k].count > 0) {
                        c->order_ok_at = (int)k;
                        break;
                }
        if (c->order_ok)
                snprintf(c->order_detail, sizeof(c->order_detail),
                         "count-based check (%s): %" PRId64 " kB left in blocks >= order %d",
                         v->name, sat_mul(free, page_kb), order);
        else
                snprintf(c->order_detail, sizeof(c->order_detail),
                         "count-based check (%s): only %" PRId64 " kB left after dropping "
                         "order-%d blocks, min/2^%d is %" PRId64 " kB",
                         v->name, sat_mul(free, page_kb), failed_at, failed_at + 1,
                         sat_mul(min, page_kb));
}

static void check_order_free_lists(const struct oom_zone *z, const struct wmark_variant *v,
                                   int order, int64_t kv, const struct gfp_decoded *d,
                                   struct zone_check *c) {
        bool harder = d->wmark_adjust == WMARK_ADJ_ATOMIC || d->wmark_adjust == WMARK_ADJ_HARDER;
        bool may_h = false, any_type = false, no_letters = false;
        int64_t other_blocks = 0;
        char other_letters[16] = "";

        switch (v->hal) {
        case HAL_NONE:
                break;
        case HAL_HARDER:
        case HAL_HARDER_OR_OOM: /* an OOM victim's ALLOC_OOM is not visible in the report */
                may_h = harder;
                break;
        case HAL_HARDER_ANY_TYPE:
                any_type = harder;
                break;
        case HAL_HIGHATOMIC_OR_OOM:
                may_h = order > 0 && !d->can_direct_reclaim && !d->nomemalloc &&
                        (kv < KV_HIGHATOMIC_NEEDS_HIGH || d->high);
                break;
        }

        c->order_ok = false;
        c->order_ok_at = -1;
        for (size_t k = (size_t)order; k < z->n_buddy; k++) {
                const char *t = z->buddy[k].types;
                bool usable;

                if (z->buddy[k].count <= 0)
                        continue;
                if (t[0] == '\0') {
                        /* letters cut off or not printed: a block exists, type unknown */
                        no_letters = true;
                        usable = true;
                } else
                        usable = any_type || letters_have_any(t, v->usable_letters) ||
                                 (d->may_use_cma && strchr(t, 'C')) || (may_h && strchr(t, 'H'));
                if (usable) {
                        c->order_ok = true;
                        c->order_ok_at = (int)k;
                        break;
                }
                other_blocks = sat_add(other_blocks, z->buddy[k].count);
                for (const char *p = t; *p; p++)
                        if (!strchr(other_letters, *p) && strlen(other_letters) + 1 < sizeof(other_letters))
                                strncat(other_letters, p, 1);
        }
        if (c->order_ok && no_letters)
                snprintf(c->order_detail, sizeof(c->order_detail),
                         "free block at order %d (migratetype letters not printed, assumed usable)",
                         c->order_ok_at);
        else if (c->order_ok)
                snprintf(c->order_detail, sizeof(c->order_detail),
                         "usable free block at order %d (%s)", c->order_ok_at,
                         z->buddy[c->order_ok_at].types);
        else if (other_blocks > 0)
                snprintf(c->order_detail, sizeof(c->order_detail),
                         "no free block >= order %d in U/M/E%s; %" PRId64
                         " blocks at order >= %d are %s only",
                         order, d->may_use_cma ? "/C" : "", other_blocks, order, other_letters);
        else
                snprintf(c->order_detail, sizeof(c->order_detail), "no free block >= order %d",
                         order);
}

/* ------------------------------------------------------------------------------------------ */

static void check_unset(struct zone_check *c) {
        c->usable_free_kb = c->cma_excluded_kb = c->highatomic_excluded_kb = NUM_UNSET;
        c->watermark_kb = c->reserve_kb = c->threshold_kb = c->margin_kb = NUM_UNSET;
        c->order_excluded_kb = c->high_usable_kb = c->high_threshold_kb = NUM_UNSET;
        c->order_ok_at = -1;
        c->order_detail[0] = '\0';
}

static void check_zone(const struct oom_report *r, struct oom_zone *z, const struct gfp_decoded *d,
                       const struct wmark_variant *v, int req_idx, int order, int64_t page_kb) {
        struct zone_check *c = &z->check;
        struct check_input in = {};
        int64_t min, low, high, boost = 0, wmin, usable, threshold, hi_usable;
        bool harder = d->wmark_adjust == WMARK_ADJ_ATOMIC || d->wmark_adjust == WMARK_ADJ_HARDER;
        bool reserves = d->high || (d->atomic && !d->nomemalloc);
        bool reserve_known = true, highatomic_known = true, boosted_pass = false;
        int64_t ha_kb;

        c->variant = v->name;
        if (!to_pages(z->free_kb, page_kb, &in.free) || !to_pages(z->min_kb, page_kb, &min)) {
                c->evaluated = false;
                c->reason = "zone line without free/min: not checked";
                return;
        }
        if (!to_pages(z->low_kb, page_kb, &low))
                low = -1;
        if (!to_pages(z->high_kb, page_kb, &high))
                high = -1;
        if (v->cma != CMA_NOT_SUBTRACTED && !to_pages(z->free_cma_kb, page_kb, &in.cma))
                in.cma = 0; /* not printed: nothing to subtract that we know of */
        ha_kb = v->highatomic_free && num_set(z->free_highatomic_kb) ? z->free_highatomic_kb
                                                                      : z->reserved_highatomic_kb;
        if (v->highatomic != HA_NOT_SUBTRACTED && !to_pages(ha_kb, page_kb, &in.highatomic)) {
                in.highatomic = 0;
                highatomic_known = false;
        }
        if (req_idx >= 0 && (size_t)req_idx < z->n_lowmem_reserve && z->lowmem_reserve_pages[req_idx] >= 0)
                in.reserve = z->lowmem_reserve_pages[req_idx];
        else {
                in.reserve = 0;
                reserve_known = false;
        }
        in.order_excl = (v->order_term == ORDER_TERM_PLUS_1) ? (INT64_C(1) << order) + 1
                                                             : (INT64_C(1) << order) - 1;

        /* The slowpath check at min with the request's own flags. */
        usable = sat_sub(in.free, in.order_excl);
        c->cma_excluded_kb = 0;
        if (v->cma != CMA_NOT_SUBTRACTED && !d->may_use_cma) {
                usable = sat_sub(usable, in.cma);
                c->cma_excluded_kb = sat_mul(in.cma, page_kb);
        }
        c->highatomic_excluded_kb = 0;
        if ((v->highatomic == HA_UNLESS_HARDER && !harder) ||
            (v->highatomic == HA_UNLESS_RESERVES && !reserves)) {
                usable = sat_sub(usable, in.highatomic);
                c->highatomic_excluded_kb = sat_mul(in.highatomic, page_kb);
        }
        wmin = adjust_min(min, d->wmark_adjust);
        threshold = sat_add(wmin, in.reserve);
        c->ok = usable > threshold;

        /* 5.x+: an order-0 __GFP_ATOMIC (≤6.2) / ALLOC_MIN_RESERVE (6.3+) request that fails
         * against a boosted zone is retried with the unboosted min [V 5.10, 6.12]. */
        if (!c->ok && v->boost_retry && order == 0 && num_set(z->boost_kb) && z->boost_kb > 0 &&
            (d->kv >= KV(6, 3, 0) ? d->high : d->atomic)) {
                (void)to_pages(z->boost_kb, page_kb, &boost);
                if (boost < min) {
                        int64_t t2 = sat_add(adjust_min(min - boost, d->wmark_adjust), in.reserve);
                        if (usable > t2) {
                                wmin = adjust_min(min - boost, d->wmark_adjust);
                                threshold = t2;
                                c->ok = true;
                                boosted_pass = true;
                        }
                }
        }

        c->usable_free_kb = sat_mul(usable, page_kb);
        c->order_excluded_kb = sat_mul(in.order_excl, page_kb);
        c->watermark_kb = sat_mul(wmin, page_kb);
        c->reserve_kb = sat_mul(in.reserve, page_kb);
        c->threshold_kb = sat_mul(threshold, page_kb);
        c->margin_kb = sat_sub(c->usable_free_kb, c->threshold_kb);

        /* Fast path at low: no reductions, ALLOC_CMA for movable requests. */
        if (low >= 0) {
                int64_t u = sat_sub(in.free, in.order_excl);
                if (v->cma != CMA_NOT_SUBTRACTED && !d->may_use_cma)
                        u = sat_sub(u, in.cma);
                if (v->highatomic != HA_NOT_SUBTRACTED)
                        u = sat_sub(u, in.highatomic);
                c->low_ok = u > sat_add(low, in.reserve);
        }
        /* OOM last-chance attempt: ALLOC_WMARK_HIGH|ALLOC_CPUSET only, so never CMA and no
         * reserves [V 3.14, 4.4, 4.19, 6.6]. */
        hi_usable = sat_sub(in.free, in.order_excl);
        if (v->cma != CMA_NOT_SUBTRACTED)
                hi_usable = sat_sub(hi_usable, in.cma);
        if (v->highatomic != HA_NOT_SUBTRACTED)
                hi_usable = sat_sub(hi_usable, in.highatomic);
        c->high_usable_kb = sat_mul(hi_usable, page_kb);
        if (high >= 0) {
                c->high_threshold_kb = sat_mul(sat_add(high, in.reserve), page_kb);
                c->high_ok = hi_usable > sat_add(high, in.reserve);
        }

        c->order_checked = false;
        if (order > 0) {
                if (z->n_buddy == 0)
                        snprintf(c->order_detail, sizeof(c->order_detail),
                                 "buddy line not printed: order-%d part not checked", order);
                else if (v->order == ORDER_COUNT_LOOP) {
                        c->order_checked = true;
                        check_order_count_loop(z, v, order, &in, wmin, page_kb, c);
                } else {
                        c->order_checked = true;
                        check_order_free_lists(z, v, order, d->kv, d, c);
                }
        }

        if (boosted_pass)
                c->reason = "eligible; passes only with the unboosted min (order-0 atomic retry)";
        else if (!reserve_known)
                c->reason = "eligible; lowmem_reserve[] column not printed, reserve taken as 0";
        else if (v->highatomic != HA_NOT_SUBTRACTED && !highatomic_known &&
                 c->highatomic_excluded_kb == 0 && !(harder || reserves))
                c->reason = "eligible; highatomic reserve not printed (before 5.10), taken as 0";
        else if (v->highatomic_free && !num_set(z->free_highatomic_kb) && in.highatomic > 0)
                c->reason = "eligible; free highatomic not printed, reserved_highatomic used as upper bound";
        else
                c->reason = "eligible; checked at min with the request's flags";
        c->evaluated = true;
}

int zone_check_report(struct oom_report *r) {
        struct gfp_decoded d;

        if (!r)
                return -EINVAL;
        return zone_check_report_decoded(r, gfp_decode_trigger(r, &d) >= 0 ? &d : NULL);
}

int zone_check_report_decoded(struct oom_report *r, const struct gfp_decoded *dp) {
        struct zone_layout layout;
        struct gfp_decoded d = {};
        bool have_gfp = dp != NULL;
        int64_t kv, page_kb;
        int req_type = -1, req_idx = -1, order, k;
        uint64_t nodes = 0;
        bool node_filter;
        const struct wmark_variant *v;

        if (!r)
                return -EINVAL;
        page_kb = (num_set(r->page_kb) && r->page_kb > 0 && r->page_kb <= 1024) ? r->page_kb : 4;
        kv = kernel_version_code(&r->kernel);

        if (have_gfp)
                d = *dp;
        if (have_gfp && !r->kernel.known)
                kv = d.kv; /* the layout the printed names matched dates the kernel */

        k = infer_zone_layout(r, kv, &layout);
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++)
                r->zones[i].zone_idx =
                        k < 0 ? -1 : zone_index_in(layout.configured, zone_type_from_name(r->zones[i].name));
        r->trigger.highest_zone_idx = -1;
        if (have_gfp && k >= 0) {
                req_type = requested_zone_type(d.zone, layout.configured);
                req_idx = zone_index_in(layout.configured, req_type);
                r->trigger.highest_zone_idx = req_idx;
                /* gfp_zone() on this machine: __GFP_HIGHMEM on a 64-bit kernel is Normal */
                if (req_type >= 0)
                        r->trigger.highest_zone = gfp_zone_type_name(req_type);
        }

        order = (num_set(r->trigger.order) && r->trigger.order > 0) ? (int)MIN(r->trigger.order, 64) : 0;
        node_filter = allowed_nodes(r, &nodes);
        v = have_gfp ? variant_for(d.kv) : variant_for(kv);

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                struct oom_zone *z = &r->zones[i];
                struct zone_check *c = &z->check;
                int ztype = zone_type_from_name(z->name);

                memset(c, 0, sizeof(*c));
                check_unset(c);
                c->evaluated = true;
                if (!have_gfp) {
                        c->evaluated = false;
                        c->reason = "no gfp mask printed: allocation zone unknown";
                        continue;
                }
                if (k < 0 || z->zone_idx < 0 || req_idx < 0) {
                        c->evaluated = false;
                        c->reason = req_type < 0 && k >= 0
                                            ? "invalid zone modifiers in the gfp mask (GFP_ZONE_BAD)"
                                            : "zone layout not recognised: not checked";
                        continue;
                }
                if (z->zone_idx > req_idx) {
                        c->eligible = false;
                        c->reason = (ztype >= 0 && req_type >= 0 && reason_above[ztype][req_type])
                                            ? reason_above[ztype][req_type]
                                            : "zone above the allocation's highest zone";
                        continue;
                }
                if (node_filter && z->node >= 0 && (z->node > 63 || !(nodes & (UINT64_C(1) << z->node)))) {
                        c->eligible = false;
                        c->reason = "node not in the allocation's nodemask / cpuset";
                        continue;
                }
                if (order >= OOM_MAX_ORDERS + 4) {
                        c->eligible = true;
                        c->evaluated = false;
                        c->reason = "order out of range: not checked";
                        continue;
                }
                c->eligible = true;
                check_zone(r, z, &d, v, req_idx, r->trigger.order < 0 && num_set(r->trigger.order) ? 0 : order,
                           page_kb);
                if (num_set(r->trigger.order) && r->trigger.order < 0)
                        c->reason = "eligible; manual OOM (order=-1), checked as order 0 for reference";
        }
        return 0;
}
