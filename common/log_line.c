/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "log_line.h"

#include <errno.h>

int log_format_from_string(const char *s, enum log_format *ret) { return -EOPNOTSUPP; }
int log_reader_new(enum log_format format, struct log_reader **ret) { return -EOPNOTSUPP; }
void log_reader_free(struct log_reader *r) {}
int log_reader_feed(struct log_reader *r, const char *buf, size_t len, log_line_cb cb, void *userdata) { return -EOPNOTSUPP; }
int log_reader_flush(struct log_reader *r, log_line_cb cb, void *userdata) { return -EOPNOTSUPP; }
int log_reader_feed_kmsg(struct log_reader *r, const struct kmsg_record *rec, log_line_cb cb, void *userdata) { return -EOPNOTSUPP; }
void log_reader_get_stats(const struct log_reader *r, struct log_reader_stats *ret) {}
