/* SPDX-License-Identifier: MIT */
/* The "oomlens.report/1" JSON object (docs/report-schema.md). Numbers are numbers, unknown is
 * null, strings are valid UTF-8 (invalid bytes escaped as "\\xNN" text). */
#pragma once

#include <json-c/json.h>

#include "report.h"

#define OOMLENS_REPORT_SCHEMA "oomlens.report/1"

int report_to_json(const struct oom_report *r, json_object **ret);
/* One line of JSON (no newline), malloc'd. */
int report_to_json_string(const struct oom_report *r, char **ret);
/* Make any byte string valid UTF-8: every byte that is not part of a valid (RFC 3629: no
 * overlong, no surrogate, <= U+10FFFF) sequence, and NUL, becomes the 4-character text "\xNN"
 * (upper-case hex). malloc'd, NUL-terminated; -ENOMEM. */
int utf8_sanitize(const char *s, size_t len, char **ret);
