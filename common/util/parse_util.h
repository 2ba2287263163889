/* SPDX-License-Identifier: MIT */
/* Bounded text scanning and small growable arrays for the report parser modules
 * (report_parser.c, meminfo_parser.c, task_table.c). Every function works on (pointer, end)
 * ranges, never reads past end, never relies on NUL termination, and rejects numbers that do
 * not fit int64_t instead of wrapping. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

struct scan {
        const char *p;
        const char *end;
};

/* The value of one hex digit, -1 if c is none. */
static inline int hex_digit_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static inline struct scan scan_make(const char *text, size_t len) {
        return (struct scan) { .p = text, .end = text + len };
}
static inline bool scan_eof(const struct scan *s) { return s->p >= s->end; }
static inline size_t scan_left(const struct scan *s) { return (size_t)(s->end - s->p); }

void scan_ws(struct scan *s);                       /* spaces and tabs */
bool scan_lit(struct scan *s, const char *lit);     /* consume lit if it is next */
bool scan_i64(struct scan *s, int64_t *ret);        /* [-]digits, overflow-checked */
bool scan_hex(struct scan *s, uint64_t *ret, const char **ret_start, size_t *ret_len); /* 0x... */
bool scan_token(struct scan *s, const char **ret, size_t *ret_len); /* up to whitespace */

/* Decimal number as the whole of [p, p+len) (optional '-'); false on anything else/overflow. */
bool parse_i64_full(const char *p, size_t len, int64_t *ret);
/* "123", "123kB", "123KB", "123k": value and whether a kB unit was printed. */
bool parse_value_unit(const char *p, size_t len, int64_t *ret, bool *ret_kb);

/* memmem() bounded to [hay, hay+len): pointer to the first match or NULL. */
const char *find_str(const char *hay, size_t len, const char *needle);
bool has_prefix(const char *p, size_t len, const char *prefix);
bool is_blank(const char *p, size_t len);
void trim(const char **p, size_t *len);

/* Copy at most dstsz-1 bytes, stop at NUL, never cut a UTF-8 sequence in half. */
void copy_bounded(char *dst, size_t dstsz, const char *src, size_t len);

bool add_overflow_i64(int64_t a, int64_t b, int64_t *ret);

/* Growable key/value arrays (capacity is the next power of two, so none is stored). */
#define KV_LIST_MAX 4096
int kv_append(struct key_value **arr, size_t *n, const char *key, size_t keylen, int64_t value);
/* Add value to an existing key (saturating at the int64 range), or append it. */
int kv_accumulate(struct key_value **arr, size_t *n, const char *key, size_t keylen, int64_t value);
const struct key_value *kv_find(const struct key_value *arr, size_t n, const char *key);

/* Grow *arr (elements of size elsz) so that index n is writable; cap is a hard element limit. */
int array_grow(void **arr, size_t n, size_t elsz, size_t cap);
