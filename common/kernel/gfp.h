/* SPDX-License-Identifier: MIT */
/* GFP bit layouts per kernel version range (data, from the kernel headers; see
 * ../shared/reference/kernel-facts.md section 2) and what an allocation's flags imply. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_version.h"

struct oom_report;

enum gfp_migratetype {
        MT_UNMOVABLE,
        MT_MOVABLE,
        MT_RECLAIMABLE,
        MT_HIGHATOMIC, /* 4.4+: both mobility bits set (the kernel warns) */
        MT_UNKNOWN,
        MT_RESERVE,    /* <=4.3: both mobility bits set gives MIGRATE_RESERVE (3) */
};

/* The kernel's zone types in enum order (include/linux/mmzone.h). Which of them a machine has
 * configured is a property of the report (zone_check.c), not of the GFP mask. */
enum gfp_zone_type {
        GFP_ZONE_DMA,
        GFP_ZONE_DMA32,
        GFP_ZONE_NORMAL,
        GFP_ZONE_HIGHMEM,
        GFP_ZONE_MOVABLE,
        GFP_ZONE_DEVICE,
        _GFP_ZONE_MAX,
        GFP_ZONE_INVALID = -1, /* GFP_ZONE_BAD combination of zone modifiers */
};

/* How the slowpath reduces the min watermark for this request (§4.2 "Result for min"). */
enum gfp_wmark_adjust {
        WMARK_ADJ_NONE,   /* min */
        WMARK_ADJ_HIGH,   /* ALLOC_HIGH / ALLOC_MIN_RESERVE: min - min/2 */
        WMARK_ADJ_ATOMIC, /* HIGH then HARDER (or MIN_RESERVE+NON_BLOCK): ~3/8 min */
        WMARK_ADJ_HARDER, /* ALLOC_HARDER alone: min - min/4 */
};

struct gfp_decoded {
        const char *layout;               /* table row name, e.g. "3.8-3.14" */
        const char *flags[40];            /* "__GFP_WAIT", ... in bit order */
        size_t n_flags;
        char composite[256];              /* "GFP_KERNEL|__GFP_RECLAIMABLE" */
        uint64_t unknown_bits;            /* bits the layout does not name */
        /* semantics */
        bool dma, dma32, highmem, movable, reclaimable, high, atomic, can_direct_reclaim, kswapd,
                io, fs, nowarn, noretry, retry_mayfail, nofail, memalloc, nomemalloc, thisnode,
                hardwall, comp, account;
        enum gfp_migratetype migratetype;
        const char *migratetype_name;     /* kernel's name for that version: "Reclaimable" */
        bool may_use_cma;                 /* ALLOC_CMA: movable only (3.8+); never in the OOM attempt */
        enum gfp_wmark_adjust wmark_adjust;
        /* how the layout was chosen */
        bool ambiguous;        /* no version and no printed names: newest layout consistent
                                * with the hex was assumed */
        bool names_matched;    /* printed %pGg names given and reproduced by the chosen layout */
        bool names_mismatch;   /* printed names given but no layout reproduces them; the
                                * version (or newest layout) was used instead */
        int64_t kv;            /* version the rules were applied for: the kernel's, or (unknown
                                * kernel) a version inside the chosen layout's range */
        enum gfp_zone_type zone; /* gfp_zone() */
};

/* Decode mask for kernel kv (KV() code; KV_MAX-1 when unknown). When printed_names (the
 * "%pGg" text, may be NULL/"") is given it wins over the version guess for the bit layout. */
int gfp_decode(uint64_t mask, int64_t kv, const char *printed_names, struct gfp_decoded *ret);
/* Same, with the kernel's parsed release (knows about RHEL 7's backported 3.10 layout). */
int gfp_decode_kernel(uint64_t mask, const struct kernel_version *k, const char *printed_names,
                      struct gfp_decoded *ret);
/* Decode r->trigger's mask with r->kernel. -ENODATA when the report printed no gfp mask. */
int gfp_decode_trigger(const struct oom_report *r, struct gfp_decoded *ret);
/* Fill r->trigger's analysis fields (flags, composite, layout, migratetype, zone, CMA, wait,
 * watermark class) from gfp_decode_trigger(). highest_zone_idx is left to zone_check.
 * -ENODATA when no gfp mask was printed (fields untouched). */
int gfp_fill_trigger(struct oom_report *r);
/* The same from a decode the caller already has (analysis decodes once per report). */
void gfp_fill_trigger_from(struct oom_report *r, const struct gfp_decoded *d);

/* Zone the allocation may use at most (gfp_zone()): "DMA", "DMA32", "Normal", "HighMem",
 * "Movable"; "invalid" for a GFP_ZONE_BAD combination. */
const char *gfp_highest_zone_name(const struct gfp_decoded *d);
const char *gfp_zone_type_name(enum gfp_zone_type t);
const char *gfp_migratetype_name(enum gfp_migratetype mt, int64_t kv);
const char *gfp_wmark_adjust_name(enum gfp_wmark_adjust a); /* "none"|"high"|"atomic"|"harder" */
