/* SPDX-License-Identifier: MIT */
/* Human-readable explanation a support engineer can paste into a ticket. */
#pragma once

#include <stdio.h>

#include "report.h"

int report_write_text(const struct oom_report *r, FILE *f);
