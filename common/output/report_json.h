/* SPDX-License-Identifier: MIT */
/* The "oomlens.report/1" JSON object (docs/report-schema.md). Numbers are numbers, unknown is
 * null, strings are valid UTF-8 (invalid bytes escaped as "\\xNN" text). */
#pragma once

#include <json-c/json.h>

#include "json_writer.h" /* utf8_sanitize() */
#include "report.h"

#define OOMLENS_REPORT_SCHEMA "oomlens.report/1"

/* One line of JSON (no newline), malloc'd. */
int report_to_json_string(const struct oom_report *r, char **ret);
/* The same, parsed back into json-c objects (for callers that want to walk it). */
int report_to_json(const struct oom_report *r, json_object **ret);
