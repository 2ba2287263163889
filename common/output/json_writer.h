/* SPDX-License-Identifier: MIT */
/* A JSON text written front to back into one growing buffer, with no tree in between: what
 * report_json.c builds a report with (oomlens analyze prints thousands of them). The text is
 * byte for byte what json-c prints with JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
 * for the same values in the same order (tests/unit/test_json_writer.c compares the two), so
 * every reader of the spool and of `oomlens analyze --json` sees the same bytes as before.
 *
 * Strings are made valid UTF-8 first (utf8_sanitize() below), then escaped as json-c does:
 * '"', '\\', \b \f \n \r \t by name, other bytes below 0x20 as \u00xx, the rest as they are.
 *
 * The first failure (-ENOMEM) is kept and every later call does nothing, so a writer of many
 * fields checks once, at json_writer_finish(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer {
        char *buf;
        size_t len, cap;
        int err;        /* the first failure, 0 if none */
        bool first;     /* nothing written yet in the innermost open object or array */
        bool after_key; /* a key was written: its value follows without a comma */
};

void json_writer_init(struct json_writer *w);
void json_writer_done(struct json_writer *w);
/* The text (NUL-terminated, owned by the caller) and the writer reset, or the first error. */
int json_writer_finish(struct json_writer *w, char **ret);

/* key: the member's name inside an object (any bytes, len given), NULL for an array element
 * or the top-level value. */
void json_write_key(struct json_writer *w, const char *key, size_t len);
void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
void json_write_null(struct json_writer *w, const char *key);
void json_write_bool(struct json_writer *w, const char *key, bool v);
void json_write_int(struct json_writer *w, const char *key, int64_t v);
/* len bytes of s (any bytes; NULL with len 0 is ""), made valid UTF-8 and escaped */
void json_write_string(struct json_writer *w, const char *key, const char *s, size_t len);

/* A point to go back to: json_writer_rewind() forgets everything written since (a member that
 * turned out to be a duplicate). */
struct json_writer_mark {
        size_t len;
        bool first, after_key;
};
struct json_writer_mark json_writer_mark(const struct json_writer *w);
void json_writer_rewind(struct json_writer *w, struct json_writer_mark m);

/* Make any byte string valid UTF-8: every byte that is not part of a valid (RFC 3629: no
 * overlong, no surrogate, <= U+10FFFF) sequence, and NUL, becomes the 4-character text "\xNN"
 * (upper-case hex). malloc'd, NUL-terminated; -ENOMEM. */
int utf8_sanitize(const char *s, size_t len, char **ret);
