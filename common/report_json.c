/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "report_json.h"

#include <errno.h>

int report_to_json(const struct oom_report *r, json_object **ret) { return -EOPNOTSUPP; }
int report_to_json_string(const struct oom_report *r, char **ret) { return -EOPNOTSUPP; }
int utf8_sanitize(const char *s, size_t len, char **ret) { return -EOPNOTSUPP; }
