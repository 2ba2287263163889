/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "kernel_version.h"

#include <errno.h>

int kernel_version_parse(const char *release, struct kernel_version *ret) { return -EOPNOTSUPP; }
int64_t kernel_version_code(const struct kernel_version *v) { return KV_MAX - 1; }
bool kv_range_contains(struct kv_range r, int64_t code) { return code >= r.from && code <= r.to; }
