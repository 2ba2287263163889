/* SPDX-License-Identifier: MIT */
#include "json_writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"

static const char hex_upper[] = "0123456789ABCDEF";

/* Room for n more bytes (and the NUL json_writer_finish() adds). */
static bool reserve(struct json_writer *w, size_t n) {
        size_t cap;
        char *p;

        if (w->err < 0)
                return false;
        if (n < w->cap - w->len)
                return true;
        if (n > SIZE_MAX / 2 - w->len) {
                w->err = -ENOMEM;
                return false;
        }
        cap = MAX(w->cap, (size_t) 4096);
        while (cap - w->len <= n)
                cap *= 2;
        p = realloc(w->buf, cap);
        if (!p) {
                w->err = -ENOMEM;
                return false;
        }
        w->buf = p;
        w->cap = cap;
        return true;
}

static void put(struct json_writer *w, const char *s, size_t n) {
        if (!reserve(w, n))
                return;
        memcpy(w->buf + w->len, s, n);
        w->len += n;
}

static void put_char(struct json_writer *w, char c) {
        if (!reserve(w, 1))
                return;
        w->buf[w->len++] = c;
}

void json_writer_init(struct json_writer *w) {
        *w = (struct json_writer) { .first = true };
}

void json_writer_done(struct json_writer *w) {
        free(w->buf);
        json_writer_init(w);
}

int json_writer_finish(struct json_writer *w, char **ret) {
        int k = w->err;

        if (k >= 0 && reserve(w, 0)) {
                w->buf[w->len] = '\0';
                *ret = TAKE_PTR(w->buf);
        } else if (k >= 0)
                k = w->err;
        json_writer_done(w);
        return k;
}

struct json_writer_mark json_writer_mark(const struct json_writer *w) {
        return (struct json_writer_mark) { .len = w->len, .first = w->first, .after_key = w->after_key };
}

void json_writer_rewind(struct json_writer *w, struct json_writer_mark m) {
        if (m.len > w->len)
                return;
        w->len = m.len;
        w->first = m.first;
        w->after_key = m.after_key;
}

/* ------------------------------------------------------------------------------------------
 * Strings */

/* Length of the valid UTF-8 sequence p starts with (RFC 3629: no overlong, no surrogate,
 * <= U+10FFFF; NUL is not one: it would cut a C string), 0 if none. n >= 1. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
        unsigned char c = p[0];
        uint32_t cp, min;
        size_t need;

        if (c < 0x80)
                return c != 0;
        if (c >= 0xC2 && c <= 0xDF)
                need = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
                need = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
                need = 3, cp = c & 0x07, min = 0x10000;
        else
                return 0;
        if (n <= need)
                return 0;
        for (size_t k = 1; k <= need; k++) {
                if ((p[k] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (p[k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        return need + 1;
}

int utf8_sanitize(const char *s, size_t len, char **ret) {
        const unsigned char *p = (const unsigned char *) s;
        _cleanup_free_ char *out = NULL;
        size_t o = 0, i = 0;

        if (!s && len > 0)
                return -EINVAL;
        if (len > (SIZE_MAX - 1) / 4)
                return -ENOMEM;
        out = malloc(len * 4 + 1); /* worst case: every byte becomes "\xNN" */
        if (!out)
                return -ENOMEM;
        while (i < len) {
                size_t n = utf8_sequence(p + i, len - i);

                if (n > 0) {
                        memcpy(out + o, p + i, n);
                        o += n;
                        i += n;
                        continue;
                }
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = hex_upper[p[i] >> 4];
                out[o++] = hex_upper[p[i] & 0xF];
                i++;
        }
        out[o] = '\0';
        *ret = TAKE_PTR(out);
        return 0;
}

/* ASCII bytes written as they are: printable, not '"' or '\\' (0x7f too, as json-c does). */
static bool plain_ascii(unsigned char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* An ASCII byte that JSON escapes (a control character, '"', '\\'), as json-c does. */
static void put_escaped_ascii(struct json_writer *w, unsigned char c) {
        static const char lower_hex[] = "0123456789abcdef";
        char u[6] = { '\\', 'u', '0', '0', lower_hex[c >> 4], lower_hex[c & 0xF] };

        switch (c) {
        case '\b': put(w, "\\b", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        case '\f': put(w, "\\f", 2); break;
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        default: put(w, u, sizeof(u)); break;
        }
}

/* Length of the run of plain_ascii() bytes p starts with, eight at a time (a report is mostly
 * such runs: its lines, names and keys). The word tests are the "has a byte less than n" and
 * "has a zero byte" bit hacks: exact as to whether any byte qualifies, which is all they
 * decide; the scalar loop then finds which. */
static size_t plain_run(const unsigned char *p, size_t n) {
        const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
        size_t i = 0;

        for (; i + 8 <= n; i += 8) {
                uint64_t x, q, b;

                memcpy(&x, p + i, sizeof(x));
                q = x ^ (ones * '"');
                b = x ^ (ones * '\\');
                if ((x & high) | ((x - ones * 0x20) & ~x & high) | ((q - ones) & ~q & high) | ((b - ones) & ~b & high))
                        break;
        }
        while (i < n && plain_ascii(p[i]))
                i++;
        return i;
}

/* utf8_sanitize() then JSON escaping, in one pass. */
static void put_string(struct json_writer *w, const char *s, size_t len) {
        const unsigned char *p = (const unsigned char *) s;
        size_t i = 0;

        put_char(w, '"');
        while (i < len) {
                size_t run = i + plain_run(p + i, len - i), n;

                put(w, s + i, run - i);
                if ((i = run) >= len)
                        break;
                n = utf8_sequence(p + i, len - i);
                if (n > 1)
                        put(w, s + i, n);
                else if (n == 1)
                        put_escaped_ascii(w, p[i]);
                else {
                        /* the sanitised text "\xNN", its backslash escaped */
                        char x[5] = { '\\', '\\', 'x', hex_upper[p[i] >> 4], hex_upper[p[i] & 0xF] };
                        put(w, x, sizeof(x));
                        n = 1;
                }
                i += n;
        }
        put_char(w, '"');
}

/* ------------------------------------------------------------------------------------------
 * Structure */

/* Before a value (or a key): the comma that separates it from the one before. */
static void separate(struct json_writer *w) {
        if (w->after_key)
                w->after_key = false;
        else if (!w->first)
                put_char(w, ',');
        w->first = false;
}

void json_write_key(struct json_writer *w, const char *key, size_t len) {
        separate(w);
        put_string(w, key, len);
        put_char(w, ':');
        w->after_key = true;
}

/* The key, if any, then the separator a value needs. */
static void begin_value(struct json_writer *w, const char *key) {
        if (key)
                json_write_key(w, key, strlen(key));
        separate(w);
}

static void begin_container(struct json_writer *w, const char *key, char open) {
        begin_value(w, key);
        put_char(w, open);
        w->first = true;
}

static void end_container(struct json_writer *w, char close) {
        put_char(w, close);
        w->first = false;
        w->after_key = false;
}

void json_begin_object(struct json_writer *w, const char *key) {
        begin_container(w, key, '{');
}

void json_end_object(struct json_writer *w) {
        end_container(w, '}');
}

void json_begin_array(struct json_writer *w, const char *key) {
        begin_container(w, key, '[');
}

void json_end_array(struct json_writer *w) {
        end_container(w, ']');
}

void json_write_null(struct json_writer *w, const char *key) {
        begin_value(w, key);
        put(w, "null", 4);
}

void json_write_bool(struct json_writer *w, const char *key, bool v) {
        begin_value(w, key);
        if (v)
                put(w, "true", 4);
        else
                put(w, "false", 5);
}

void json_write_int(struct json_writer *w, const char *key, int64_t v) {
        char d[24];
        size_t i = sizeof(d);
        /* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
        uint64_t u = v < 0 ? 0 - (uint64_t) v : (uint64_t) v;

        begin_value(w, key);
        do {
                d[--i] = (char) ('0' + u % 10);
                u /= 10;
        } while (u > 0);
        if (v < 0)
                d[--i] = '-';
        put(w, d + i, sizeof(d) - i);
}

void json_write_string(struct json_writer *w, const char *key, const char *s, size_t len) {
        begin_value(w, key);
        put_string(w, s ? s : "", s ? len : 0);
}
