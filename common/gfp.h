/* SPDX-License-Identifier: MIT */
/* GFP bit layouts per kernel version range (data, from the kernel headers; see
 * ../shared/reference/kernel-facts.md section 2) and what an allocation's flags imply. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_version.h"

enum gfp_migratetype { MT_UNMOVABLE, MT_MOVABLE, MT_RECLAIMABLE, MT_HIGHATOMIC, MT_UNKNOWN };

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
        enum { WMARK_ADJ_NONE, WMARK_ADJ_HIGH, WMARK_ADJ_ATOMIC, WMARK_ADJ_HARDER } wmark_adjust;
};

/* Decode mask for kernel kv (KV() code; KV_MAX-1 when unknown). When printed_names (the
 * "%pGg" text, may be NULL/"") is given it wins over the version guess for the bit layout. */
int gfp_decode(uint64_t mask, int64_t kv, const char *printed_names, struct gfp_decoded *ret);

/* Zone the allocation may use at most (gfp_zone()): "DMA", "DMA32", "Normal", "HighMem",
 * "Movable". */
const char *gfp_highest_zone_name(const struct gfp_decoded *d);
