/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "report_text.h"

#include <errno.h>

int report_write_text(const struct oom_report *r, FILE *f) { return -EOPNOTSUPP; }
