/* SPDX-License-Identifier: MIT */
/* STUB */
#include "report_line.h"
const char *line_kind_to_string(enum line_kind k) { return "unknown"; }
enum line_kind report_line_classify(const char *text, size_t len) { return LINE_UNKNOWN; }
bool line_kind_is_body(enum line_kind k) { return false; }
