/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "gfp.h"

#include <errno.h>

int gfp_decode(uint64_t mask, int64_t kv, const char *printed_names, struct gfp_decoded *ret) { return -EOPNOTSUPP; }
const char *gfp_highest_zone_name(const struct gfp_decoded *d) { return "Normal"; }
