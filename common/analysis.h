/* SPDX-License-Identifier: MIT */
/* The analysis engine entry point: decode gfp, replay the zone checks, account where the memory
 * went, rank the victim, and classify causes with stable codes and plain-words explanations. */
#pragma once

#include "report.h"

int report_analyze(struct oom_report *r);

/* Convenience for programs: parse + analyze one raw report. */
int report_build(const struct raw_report *raw, struct oom_report **ret);
