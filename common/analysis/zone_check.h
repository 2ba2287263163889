/* SPDX-License-Identifier: MIT */
/* Replay of the kernel's zone watermark check (__zone_watermark_ok and friends) for the version
 * that wrote the report: which zones the allocation may use, usable free pages (minus free CMA
 * when not ALLOC_CMA, minus the highatomic reserve), threshold = adjusted min + lowmem_reserve
 * of the requested zone index, and the order>0 free-area check from the buddy letters. */
#pragma once

#include "report.h"

/* Fills zones[].zone_idx and zones[].check and trigger's highest_zone_idx.
 * Requires trigger gfp decoding to have run (analysis.c does it). */
int zone_check_report(struct oom_report *r);
/* The same with the trigger's gfp already decoded (NULL: no gfp mask printed). */
struct gfp_decoded;
int zone_check_report_decoded(struct oom_report *r, const struct gfp_decoded *d);
