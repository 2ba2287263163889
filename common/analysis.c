/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "analysis.h"

#include <errno.h>

int report_analyze(struct oom_report *r) { return -EOPNOTSUPP; }
int report_build(const struct raw_report *raw, struct oom_report **ret) { return -EOPNOTSUPP; }
