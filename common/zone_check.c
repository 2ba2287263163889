/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "zone_check.h"

#include <errno.h>

int zone_check_report(struct oom_report *r) { return -EOPNOTSUPP; }
