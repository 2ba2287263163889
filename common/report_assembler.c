/* SPDX-License-Identifier: MIT */
/* STUB: to be replaced by the module's implementation. */
#include "report_assembler.h"

#include <errno.h>

void report_assembler_config_default(struct report_assembler_config *ret) {}
int report_assembler_new(const struct report_assembler_config *cfg, struct report_assembler **ret) { return -EOPNOTSUPP; }
void report_assembler_free(struct report_assembler *a) {}
int report_assembler_feed(struct report_assembler *a, const struct log_line *line, raw_report_cb cb, void *userdata) { return -EOPNOTSUPP; }
void report_assembler_note_gap(struct report_assembler *a, uint64_t lost_records) {}
int report_assembler_tick(struct report_assembler *a, int64_t now_usec, raw_report_cb cb, void *userdata) { return -EOPNOTSUPP; }
int report_assembler_flush(struct report_assembler *a, raw_report_cb cb, void *userdata) { return -EOPNOTSUPP; }
bool report_assembler_busy(const struct report_assembler *a) { return false; }
void report_assembler_get_stats(const struct report_assembler *a, struct report_assembler_stats *ret) {}
