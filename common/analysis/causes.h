/* SPDX-License-Identifier: MIT */
/* Cause classification: exactly one primary cause and any secondary ones, each a stable code
 * (report.c cause_code_to_string) with a plain-words paragraph that cites the numbers. Runs
 * after the gfp decode, the zone checks (zone_check.h), memory_account() and victim_analyze(),
 * and uses whatever of those is present: missing data lowers confidence, it never fails. */
#pragma once

#include <stddef.h>

#include "report.h"

int causes_classify(struct oom_report *r);

/* A few words for the one-line summary ("226 MiB of 228 MiB free is CMA"). */
void cause_short_phrase(const struct oom_report *r, const struct oom_cause *c, char *buf,
                        size_t n);

/* The primary cause, NULL before causes_classify(). */
const struct oom_cause *report_primary_cause(const struct oom_report *r);

/* Zone verdict for text/JSON: "ok", "FAIL", "not eligible", "order FAIL", "-" (not checked). */
const char *zone_verdict_string(const struct oom_zone *z);
