/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "kmsg_record.h"

#include <errno.h>

int kmsg_record_parse(const char *buf, size_t len, struct kmsg_record *ret) { return -EOPNOTSUPP; }
void kmsg_record_done(struct kmsg_record *r) {}
bool kmsg_record_looks_like(const char *buf, size_t len) { return false; }
