/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "report_parser.h"

#include <errno.h>

int report_parse(const struct raw_report *raw, struct oom_report **ret) { return -EOPNOTSUPP; }
