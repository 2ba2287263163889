/* SPDX-License-Identifier: MIT */
/* Parse the lines of one raw report into struct oom_report ("as printed" fields only). Every
 * line is either recognised or counted in unparsed_lines. Never trusts input: all numbers are
 * range-checked, all strings bounded. */
#pragma once

#include "report.h"

int report_parse(const struct raw_report *raw, struct oom_report **ret);
