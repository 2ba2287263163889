/* SPDX-License-Identifier: MIT */
/* Input normaliser. Every physical input line is classified by its prefix (log_prefix.c),
 * its text decoded into the
 * "pending" line, and the pending line is handed to the callback once the next physical line
 * shows it cannot grow any more (kmsg '+' fragment, hard wrap, end of input).
 *
 * Memory is bounded: one input line is cut at PHYS_MAX_BYTES, one logical line at
 * LINE_MAX_BYTES, a logical line takes at most MAX_JOINS physical lines. All buffers are reused
 * across lines, so the steady state does no allocation at all. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memrchr(); the build defines it, a bare compiler command may not */
#endif
#include "log_line.h"

#include <errno.h>
#include <json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "kmsg_record.h"
#include "log_prefix.h"

#define LINE_MAX_BYTES ((size_t) 64 * 1024)
/* A journal JSON line carries MESSAGE as an array of byte values: 4 input bytes per text byte. */
#define PHYS_MAX_BYTES (4U * LINE_MAX_BYTES + 4096U)
#define MAX_JOINS 32
/* Nobody hard-wraps narrower than this; a shorter line followed by a prefix-less one is a line
 * followed by something else (user-space output on a serial console, an author's remark). */
#define WRAP_MIN_COLS 60
/* After this many prefix-less lines that did not continue a log line we are in bare text. */
#define PREFIX_REGION_LINES 64
#define JSON_MAX_DEPTH 8

struct buf {
        char *p;
        size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t want) {
        size_t n;
        char *q;

        if (want < b->cap)
                return 0;
        n = b->cap ? b->cap : 256;
        while (n <= want)
                n *= 2; /* want is bounded by PHYS_MAX_BYTES: no overflow */
        q = realloc(b->p, n);
        if (!q)
                return -ENOMEM;
        b->p = q;
        b->cap = n;
        return 0;
}

/* Append at most (limit - len) bytes; *cut is set when something did not fit. */
static int buf_append(struct buf *b, const char *s, size_t n, size_t limit, bool *cut) {
        int k;

        if (b->len >= limit) {
                if (n > 0)
                        *cut = true;
                return 0;
        }
        if (n > limit - b->len) {
                n = limit - b->len;
                *cut = true;
        }
        k = buf_reserve(b, b->len + n);
        if (k < 0)
                return k;
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
        return 0;
}

static void buf_free(struct buf *b) {
        free(b->p);
        *b = (struct buf) {};
}

struct pending {
        bool active;
        struct log_line meta; /* text/raw are set only when emitting */
        struct buf text, raw;
        bool input_has_nul; /* the current physical line holds a NUL byte (rare: skip scans) */
        bool prefixed; /* it came from (or inherits) a recognised prefix: it may be continued */
        bool kmsg;
        bool truncated;
        size_t joins;
};

struct log_reader {
        enum log_format format;
        struct buf partial; /* an input line split across feed() calls */
        bool partial_cut;
        struct buf scratch; /* BBCode-stripped copy of a line */
        struct buf jtext;   /* decoded journal MESSAGE */
        struct json_tokener *tok;
        struct pending pend;
        size_t prefix_region;
        size_t last_phys_len;   /* length of the previous physical line */
        size_t wrap_evidence;   /* a line this long was seen unwrapped: wrap width is >= it */
        size_t last_phys_space; /* offset of the last space in the previous physical line */
        bool last_loggy;        /* ... which belonged to a prefixed log line */
        bool last_kmsg;         /* previous physical line was a kmsg record: dictionary may follow */
        struct log_host host;   /* of the last syslog/journal line (short-monotonic) */
        struct log_reader_stats stats;
};

static bool format_allows(const struct log_reader *r, enum log_format f) {
        return r->format == LOG_FORMAT_AUTO || r->format == f;
}

/* ------------------------------------------------------------------------------------------
 * Heuristics for prefix-less lines. */

/* A token that could only come from kernel output: numbers, key:value, key=value, (comm),
 * [addr], NkB, N*NkB, hex, symbol+off/len, flag|flag. */
static bool kernel_token(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (ascii_digit(c) || c == '_' || c == '=' || c == '*' || c == '(' || c == '[' || c == '<' || c == '|' ||
                    c == '/' || c == '+')
                        return true;
                if (c == ':' && i + 1 < n)
                        return true;
        }
        return false;
}

/* Printable ASCII with enough kernel-shaped tokens. *first_tok gets the first token's length. */
static bool looks_like_kernel_text(const char *p, size_t n, size_t *first_tok) {
        size_t toks = 0, ktoks = 0, i = 0;

        *first_tok = 0;
        for (size_t j = 0; j < n; j++)
                if ((unsigned char) p[j] >= 0x7f || ((unsigned char) p[j] < 0x20 && p[j] != '\t'))
                        return false;
        while (i < n) {
                size_t s;
                bool alnum = false;

                while (i < n && ascii_blank(p[i]))
                        i++;
                if (i >= n)
                        break;
                s = i;
                while (i < n && !ascii_blank(p[i])) {
                        alnum = alnum || ascii_alnum(p[i]);
                        i++;
                }
                if (toks == 0) {
                        *first_tok = i - s;
                        if (!alnum)
                                return false; /* "===", "...", ":" (an elision mark) */
                }
                toks++;
                ktoks += kernel_token(p + s, i - s);
        }
        return toks > 0 && ktoks * 10 >= toks * 3;
}

static bool mostly_non_ascii(const char *p, size_t n) {
        size_t hi = 0;

        for (size_t i = 0; i < n; i++)
                hi += (unsigned char) p[i] >= 0x80;
        return hi >= 6 && hi * 5 >= n;
}

/* kmsg dictionary line " KEY=value" (3.5+). */
static bool kmsg_dict_line(const char *p, size_t n) {
        size_t i = 1;

        if (n < 3 || p[0] != ' ')
                return false;
        while (i < n && (ascii_upper(p[i]) || ascii_digit(p[i]) || p[i] == '_'))
                i++;
        return i > 1 && i < n && p[i] == '=';
}

static bool is_blank_line(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!ascii_blank(p[i]))
                        return false;
        return true;
}

static size_t last_space(const char *p, size_t n) {
        const char *q = memrchr(p, ' ', n);

        return q ? (size_t) (q - p) : 0;
}

/* ------------------------------------------------------------------------------------------
 * Decoding and the pending line. */

/* Append n bytes of s decoded per esc to the pending text; *nl is set if a newline resulted. */
static int decode_append(struct pending *pd, const char *s, size_t n, enum log_escape esc, bool *nl) {
        struct buf *b = &pd->text;
        size_t room, o;
        int k;

        if (esc == LOG_ESC_NONE || (!memchr(s, '\\', n) && (esc != LOG_ESC_TEXT || !memchr(s, '#', n)))) {
                size_t start = b->len;
                k = buf_append(b, s, n, LINE_MAX_BYTES, &pd->truncated);
                if (k < 0)
                        return k;
                if (pd->input_has_nul)
                        for (char *q = b->p + start; (q = memchr(q, '\0', (size_t) (b->p + b->len - q))); q++)
                                *q = ' ';
                if (esc == LOG_ESC_NONE && memchr(b->p + start, '\n', b->len - start))
                        *nl = true;
                return 0;
        }

        room = b->len < LINE_MAX_BYTES ? LINE_MAX_BYTES - b->len : 0;
        k = buf_reserve(b, b->len + MIN(n, room));
        if (k < 0)
                return k;
        o = b->len;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];

                if (o >= LINE_MAX_BYTES) {
                        pd->truncated = true;
                        break;
                }
                if (c == '\\' && i + 3 < n && s[i + 1] == 'x') {
                        char dec[4];
                        if (kmsg_unescape(s + i, 4, dec) == 1 && (esc == LOG_ESC_KMSG || dec[0] == '\n')) {
                                c = dec[0];
                                i += 3;
                        }
                } else if (c == '#' && esc == LOG_ESC_TEXT && i + 3 < n && s[i + 1] == '0' && s[i + 2] >= '0' &&
                           s[i + 2] <= '3' && s[i + 3] >= '0' && s[i + 3] <= '7') {
                        /* rsyslog escapes control characters as "#ooo" (#012 newline, #011 tab) */
                        int v = (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
                        if (v != 0) {
                                c = (char) v;
                                i += 3;
                        }
                }
                if (c == '\0')
                        c = ' ';
                if (c == '\n')
                        *nl = true;
                b->p[o++] = c;
        }
        b->len = o;
        b->p[o] = '\0';
        return 0;
}

static int raw_set(struct pending *pd, const char *raw, size_t n, bool append) {
        bool cut = false;
        size_t start;
        int k;

        if (!append)
                pd->raw.len = 0;
        else if (pd->raw.len < LINE_MAX_BYTES) {
                k = buf_append(&pd->raw, "\n", 1, LINE_MAX_BYTES, &cut);
                if (k < 0)
                        return k;
        }
        start = pd->raw.len;
        k = buf_append(&pd->raw, raw, n, LINE_MAX_BYTES, &cut);
        if (k < 0)
                return k;
        if (buf_reserve(&pd->raw, pd->raw.len) < 0) /* raw is always a string, even if empty */
                return -ENOMEM;
        pd->raw.p[pd->raw.len] = '\0';
        if (pd->input_has_nul)
                for (char *q = pd->raw.p + start; (q = memchr(q, '\0', (size_t) (pd->raw.p + pd->raw.len - q))); q++)
                        *q = ' ';
        return 0;
}

static int call_line(struct log_reader *r, struct pending *pd, char *text, size_t len, log_line_cb cb, void *userdata) {
        struct log_line l = pd->meta;

        l.text = text;
        l.len = len;
        l.raw = pd->raw.p;
        r->stats.output_lines++;
        if (l.prose)
                r->stats.prose_lines++;
        return cb ? cb(&l, userdata) : 0;
}

static int emit_pending(struct log_reader *r, log_line_cb cb, void *userdata) {
        struct pending *pd = &r->pend;

        if (!pd->active)
                return 0;
        pd->active = false;
        if (pd->truncated)
                r->stats.truncated_lines++;
        if (buf_reserve(&pd->text, 0) < 0)
                return -ENOMEM;
        pd->text.p[pd->text.len] = '\0';
        return call_line(r, pd, pd->text.p, pd->text.len, cb, userdata);
}

/* The pending text holds embedded newlines ("\x0a", "#012", journal MESSAGE): emit every
 * complete piece as its own line (same metadata), keep the last piece pending. */
static int split_pending(struct log_reader *r, log_line_cb cb, void *userdata) {
        struct pending *pd = &r->pend;
        char *s = pd->text.p, *end = pd->text.p + pd->text.len, *nl;
        int k;

        while ((nl = memchr(s, '\n', (size_t) (end - s)))) {
                *nl = '\0';
                k = call_line(r, pd, s, (size_t) (nl - s), cb, userdata);
                if (k < 0)
                        return k;
                s = nl + 1;
        }
        pd->text.len = (size_t) (end - s);
        memmove(pd->text.p, s, pd->text.len);
        pd->text.p[pd->text.len] = '\0';
        pd->joins = 0;
        return 0;
}

/* The metadata of a classified line (log_prefix_init() left raw, seq_end, no_prefix and
 * prose at their defaults; the scanners set only what a prefix states). */
static void meta_from_pline(struct log_line *m, const struct log_prefix *pl, bool no_prefix) {
        *m = pl->line;
        m->text = NULL;
        m->len = 0;
        m->no_prefix = no_prefix;
}

static int start_pending(struct log_reader *r, const struct log_prefix *pl, const char *raw, size_t rawn, log_line_cb cb,
                         void *userdata) {
        struct pending *pd = &r->pend;
        bool nl = false;
        int k;

        k = emit_pending(r, cb, userdata);
        if (k < 0)
                return k;
        pd->text.len = 0;
        pd->truncated = false;
        pd->joins = 0;
        pd->prefixed = pl->prefixed;
        pd->kmsg = pl->kmsg;
        meta_from_pline(&pd->meta, pl, !pl->prefixed);
        k = raw_set(pd, raw, rawn, false);
        if (k < 0)
                return k;
        k = decode_append(pd, pl->line.text, pl->line.len, pl->esc, &nl);
        if (k < 0)
                return k;
        if (buf_reserve(&pd->text, 0) < 0)
                return -ENOMEM;
        pd->text.p[pd->text.len] = '\0';
        pd->active = true;
        return nl ? split_pending(r, cb, userdata) : 0;
}

/* Continue the pending line: a kmsg '+' fragment (sep = "") or a hard wrap (sep = " "). */
static int join_pending(struct log_reader *r, const char *s, size_t n, enum log_escape esc, bool wrap, const char *raw,
                        size_t rawn, log_line_cb cb, void *userdata) {
        struct pending *pd = &r->pend;
        bool nl = false;
        int k;

        if (wrap) {
                while (pd->text.len > 0 && ascii_blank(pd->text.p[pd->text.len - 1]))
                        pd->text.len--;
                if (pd->text.len > 0) {
                        k = buf_append(&pd->text, " ", 1, LINE_MAX_BYTES, &pd->truncated);
                        if (k < 0)
                                return k;
                }
        }
        k = decode_append(pd, s, n, esc, &nl);
        if (k < 0)
                return k;
        k = raw_set(pd, raw, rawn, true);
        if (k < 0)
                return k;
        pd->joins++;
        r->stats.joined_lines++;
        return nl ? split_pending(r, cb, userdata) : 0;
}

/* ------------------------------------------------------------------------------------------
 * Journal JSON (journalctl -o json). */

static bool json_int(struct json_object *o, const char *key, int64_t min, int64_t max, int64_t *ret) {
        struct json_object *v;
        const char *s;
        uint64_t x;
        size_t n;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return false;
        s = json_object_get_string(v);
        n = strlen(s);
        if (n == 0 || n > 19)
                return false;
        x = 0;
        for (size_t i = 0; i < n; i++) {
                if (!ascii_digit(s[i]))
                        return false;
                x = x * 10 + (uint64_t) (s[i] - '0'); /* 19 digits: no overflow */
        }
        if (x > (uint64_t) max || (int64_t) x < min)
                return false;
        *ret = (int64_t) x;
        return true;
}

static bool json_str_eq(struct json_object *o, const char *key, const char *want) {
        struct json_object *v;

        return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) &&
               strcmp(json_object_get_string(v), want) == 0;
}

/* Returns 1 if the line was a journal entry (consumed), 0 if not JSON, negative errno. */
static int handle_json(struct log_reader *r, const char *p, size_t n, const char *raw, size_t rawn, log_line_cb cb,
                       void *userdata) {
        struct json_object *o, *m;
        struct log_prefix pl;
        int64_t v;
        int k;

        log_prefix_init(&pl);
        pl.esc = LOG_ESC_NONE;
        pl.prefixed = true;
        if (n < 2 || p[n - 1] != '}' || n > INT32_MAX)
                return 0;
        if (!r->tok) {
                r->tok = json_tokener_new_ex(JSON_MAX_DEPTH);
                if (!r->tok)
                        return -ENOMEM;
        }
        json_tokener_reset(r->tok);
        o = json_tokener_parse_ex(r->tok, p, (int) n);
        if (!o)
                return 0;
        if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "MESSAGE", &m)) {
                json_object_put(o);
                return 0;
        }
        r->jtext.len = 0;
        if (json_object_is_type(m, json_type_string)) {
                bool cut = false;
                k = buf_append(&r->jtext, json_object_get_string(m), (size_t) json_object_get_string_len(m),
                               LINE_MAX_BYTES, &cut);
        } else if (json_object_is_type(m, json_type_array)) {
                /* non-UTF-8 messages are exported as an array of byte values */
                size_t len = json_object_array_length(m);
                bool cut = false;
                k = 0;
                for (size_t i = 0; i < len && k >= 0; i++) {
                        struct json_object *e = json_object_array_get_idx(m, i);
                        int64_t b = json_object_get_int64(e);
                        char c;
                        if (!json_object_is_type(e, json_type_int) || b < 0 || b > 255)
                                continue;
                        c = (char) b;
                        k = buf_append(&r->jtext, &c, 1, LINE_MAX_BYTES, &cut);
                }
        } else
                k = 0; /* null MESSAGE: an empty line */
        if (k >= 0 && buf_reserve(&r->jtext, 0) < 0)
                k = -ENOMEM;
        if (k < 0) {
                json_object_put(o);
                return k;
        }
        r->jtext.p[r->jtext.len] = '\0';

        if (json_int(o, "_SOURCE_MONOTONIC_TIMESTAMP", 0, INT64_MAX, &v) || json_int(o, "__MONOTONIC_TIMESTAMP", 0, INT64_MAX, &v))
                pl.line.ts_usec = v;
        if (json_int(o, "__REALTIME_TIMESTAMP", 0, INT64_MAX, &v))
                pl.line.wall_sec = v / 1000000;
        if (json_int(o, "PRIORITY", 0, 7, &v))
                pl.line.level = (int) v;
        if (json_int(o, "SYSLOG_FACILITY", 0, KMSG_PRIO_MAX >> 3, &v))
                pl.line.facility = (int) v;
        /* the kernel's by its transport, else (older exports) by its identifier */
        bool has_transport = json_object_object_get_ex(o, "_TRANSPORT", NULL);
        bool kernel = has_transport ? json_str_eq(o, "_TRANSPORT", "kernel")
                                    : pl.line.facility < 0 && json_str_eq(o, "SYSLOG_IDENTIFIER", "kernel");
        if (kernel)
                pl.line.facility = 0;
        else if (has_transport && pl.line.facility <= 0)
                pl.line.facility = pl.line.facility == 0 ? 1 : 3; /* user space is never facility 0 */
        /* the kernel's seqnum is not exported by journald: seq stays unset */

        pl.line.text = r->jtext.p;
        pl.line.len = r->jtext.len;
        if (memchr(pl.line.text, '\0', pl.line.len)) /* "\u0000" or a 0 in a byte array */
                r->pend.input_has_nul = true;
        k = start_pending(r, &pl, raw, rawn, cb, userdata);
        json_object_put(o);
        return k < 0 ? k : 1;
}

/* ------------------------------------------------------------------------------------------
 * BBCode left by forum posts (050): [COLOR="Red"]...[/COLOR] around fragments. */

static size_t bbcode_tag_len(const char *p, const char *end) {
        static const char *const tags[] = { "COLOR", "SIZE", "FONT", "B", "I", "U", "CODE", "QUOTE", "HIGHLIGHT" };
        const char *s = p + 1, *q;

        if (s < end && *s == '/')
                s++;
        for (size_t i = 0; i < ELEMENTSOF(tags); i++) {
                size_t tl = strlen(tags[i]);
                if ((size_t) (end - s) <= tl || strncasecmp(s, tags[i], tl) != 0)
                        continue;
                q = s + tl;
                if (*q == ']')
                        return (size_t) (q + 1 - p);
                if (*q == '=' && s == p + 1) {
                        const char *c = memchr(q, ']', (size_t) MIN(end - q, 64));
                        if (c)
                                return (size_t) (c + 1 - p);
                }
        }
        return 0;
}

/* Returns true and fills r->scratch if the line held BBCode. */
static int strip_bbcode(struct log_reader *r, const char *p, size_t n, bool *stripped) {
        const char *end = p + n, *s = p, *q;
        bool cut = false;
        int k;

        *stripped = false;
        for (q = p; (q = memchr(q, '[', (size_t) (end - q))); q++) {
                size_t tl;
                if (q + 1 >= end || !(ascii_alpha(q[1]) || q[1] == '/'))
                        continue;
                tl = bbcode_tag_len(q, end);
                if (tl == 0)
                        continue;
                if (!*stripped)
                        r->scratch.len = 0;
                *stripped = true;
                k = buf_append(&r->scratch, s, (size_t) (q - s), PHYS_MAX_BYTES, &cut);
                if (k < 0)
                        return k;
                s = q + tl;
                q = s - 1;
        }
        if (*stripped)
                return buf_append(&r->scratch, s, (size_t) (end - s), PHYS_MAX_BYTES, &cut);
        return 0;
}

/* ------------------------------------------------------------------------------------------
 * One physical line. */

static int process_phys(struct log_reader *r, const char *line, size_t n, log_line_cb cb, void *userdata) {
        struct pending *pd = &r->pend;
        struct log_prefix pl;
        const char *raw = line, *p = line, *t = NULL;
        size_t rawn, first_tok;
        bool stripped, unwrapped = true;
        int k;

        log_prefix_init(&pl);
        r->stats.input_lines++;
        if (n > PHYS_MAX_BYTES) {
                n = PHYS_MAX_BYTES;
                r->stats.truncated_lines++;
        }
        if (n > 0 && line[n - 1] == '\r')
                n--;
        rawn = n;
        pd->input_has_nul = memchr(line, '\0', n) != NULL;

        k = strip_bbcode(r, line, n, &stripped);
        if (k < 0)
                return k;
        if (stripped) {
                p = r->scratch.p;
                n = r->scratch.len;
        }

        if (format_allows(r, LOG_FORMAT_JOURNAL_JSON)) {
                size_t i = 0;
                while (i < n && ascii_blank(p[i]))
                        i++;
                if (i < n && p[i] == '{') {
                        k = handle_json(r, p + i, n - i, raw, rawn, cb, userdata);
                        if (k != 0) {
                                r->prefix_region = PREFIX_REGION_LINES;
                                r->last_kmsg = false;
                                goto done;
                        }
                }
        }

        t = log_prefix_parse(r->format, &r->host, p, n, &pl);
        if (t) {
                pl.line.text = (char *) t; /* borrowed from the input */
                pl.line.len = (size_t) (p + n - t);
                pl.prefixed = true;
                r->prefix_region = PREFIX_REGION_LINES;
                r->last_kmsg = pl.kmsg;
                /* 3.5-4.9: a '+' record continues the previous 'c'/'+' record of the same caller */
                if (pl.kmsg && pl.kflag == '+' && pd->active && pd->kmsg && pd->joins < MAX_JOINS &&
                    (!pl.line.caller[0] || !pd->meta.caller[0] || strcmp(pl.line.caller, pd->meta.caller) == 0)) {
                        /* the joined line covers this record's seq too: no false gap after it */
                        pd->meta.seq_end = pl.line.seq;
                        k = join_pending(r, pl.line.text, pl.line.len, pl.esc, false, raw, rawn, cb, userdata);
                        goto done;
                }
                k = start_pending(r, &pl, raw, rawn, cb, userdata);
                goto done;
        }

        /* no prefix */
        if (r->last_kmsg && kmsg_dict_line(p, n)) {
                k = 0; /* dictionary of the previous record: not a log line */
                goto done_nolen;
        }
        r->last_kmsg = false;
        pl.line.text = (char *) p;
        pl.line.len = n;
        if (is_blank_line(p, n)) {
                pl.esc = LOG_ESC_NONE;
                k = start_pending(r, &pl, raw, rawn, cb, userdata);
                pd->meta.prose = true;
                goto done;
        }
        if (pd->active && pd->prefixed && pd->joins < MAX_JOINS && looks_like_kernel_text(p, n, &first_tok)) {
                if (ascii_blank(p[0])) {
                        /* an indented line after a log line: the next line of a multi-line record
                         * printed without its prefix (025: Mem-Info summary in 4.5 dmesg). It
                         * inherits the record's metadata. */
                        struct log_line m = pd->meta;
                        k = start_pending(r, &pl, raw, rawn, cb, userdata);
                        if (k >= 0) {
                                m.no_prefix = true;
                                m.prose = false;
                                pd->meta = m;
                                pd->prefixed = true;
                        }
                        goto done;
                }
                /* a hard wrap: the previous physical line was long enough to have been broken
                 * before this line's first word, and no line seen unwrapped proves the wrap width
                 * is much larger (serial consoles interleave user-space output after long lines) */
                if (r->last_phys_len + 1 + first_tok >= WRAP_MIN_COLS &&
                    (r->last_phys_len + 1 + first_tok) * 3 >= r->wrap_evidence * 2) {
                        unwrapped = false;
                        k = join_pending(r, p, n, LOG_ESC_TEXT, true, raw, rawn, cb, userdata);
                        goto done;
                }
        }
        pl.prefixed = false;
        if (r->prefix_region > 0) {
                /* between log lines: an author's commentary */
                r->prefix_region--;
                pl.esc = LOG_ESC_NONE;
                k = start_pending(r, &pl, raw, rawn, cb, userdata);
                pd->meta.prose = true;
                goto done;
        }
        k = start_pending(r, &pl, raw, rawn, cb, userdata);
        if (mostly_non_ascii(p, n))
                pd->meta.prose = true;
done:
        /* the previous log line was not continued: whatever wrapped this text (if anything)
         * had room for it, so the wrap width is at least its last space */
        if (unwrapped && r->last_loggy)
                r->wrap_evidence = MAX(r->wrap_evidence, r->last_phys_space);
        r->last_phys_len = rawn;
        r->last_phys_space = last_space(raw, rawn);
        r->last_loggy = pd->active && pd->prefixed && !pd->meta.prose;
        if (!t && r->prefix_region == 0)
                r->wrap_evidence = 0;
done_nolen:
        return k;
}

/* ------------------------------------------------------------------------------------------
 * Public API. */

int log_format_from_string(const char *s, enum log_format *ret) {
        static const struct {
                const char *name;
                enum log_format f;
        } names[] = {
                { "auto", LOG_FORMAT_AUTO },     { "kmsg", LOG_FORMAT_KMSG },
                { "dmesg", LOG_FORMAT_DMESG },   { "syslog", LOG_FORMAT_SYSLOG },
                { "journal", LOG_FORMAT_SYSLOG }, { "json", LOG_FORMAT_JOURNAL_JSON },
                { "journal-json", LOG_FORMAT_JOURNAL_JSON }, { "plain", LOG_FORMAT_PLAIN },
        };

        if (!s || !ret)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(s, names[i].name) == 0) {
                        *ret = names[i].f;
                        return 0;
                }
        return -EINVAL;
}

int log_reader_new(enum log_format format, struct log_reader **ret) {
        struct log_reader *r;

        if (!ret || (unsigned) format > LOG_FORMAT_PLAIN)
                return -EINVAL;
        r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        r->format = format;
        *ret = r;
        return 0;
}

void log_reader_free(struct log_reader *r) {
        if (!r)
                return;
        buf_free(&r->partial);
        buf_free(&r->scratch);
        buf_free(&r->jtext);
        buf_free(&r->pend.text);
        buf_free(&r->pend.raw);
        if (r->tok)
                json_tokener_free(r->tok);
        free(r);
}

int log_reader_feed(struct log_reader *r, const char *buf, size_t len, log_line_cb cb, void *userdata) {
        int k;

        if (!r || (!buf && len > 0))
                return -EINVAL;
        while (len > 0) {
                const char *nl = memchr(buf, '\n', len);
                size_t n = nl ? (size_t) (nl - buf) : len;

                if (!nl) {
                        /* keep the start of the line; a line longer than the cap is cut */
                        k = buf_append(&r->partial, buf, n, PHYS_MAX_BYTES, &r->partial_cut);
                        return k < 0 ? k : 0;
                }
                if (r->partial.len == 0 && !r->partial_cut)
                        k = process_phys(r, buf, n, cb, userdata);
                else {
                        k = buf_append(&r->partial, buf, n, PHYS_MAX_BYTES, &r->partial_cut);
                        if (k >= 0) {
                                if (r->partial_cut)
                                        r->stats.truncated_lines++;
                                k = process_phys(r, r->partial.p, r->partial.len, cb, userdata);
                        }
                        r->partial.len = 0;
                        r->partial_cut = false;
                }
                if (k < 0)
                        return k;
                buf += n + 1;
                len -= n + 1;
        }
        return 0;
}

int log_reader_flush(struct log_reader *r, log_line_cb cb, void *userdata) {
        int k;

        if (!r)
                return -EINVAL;
        if (r->partial.len > 0 || r->partial_cut) {
                /* a missing final newline */
                if (r->partial_cut)
                        r->stats.truncated_lines++;
                k = process_phys(r, r->partial.p ? r->partial.p : "", r->partial.len, cb, userdata);
                r->partial.len = 0;
                r->partial_cut = false;
                if (k < 0)
                        return k;
        }
        return emit_pending(r, cb, userdata);
}

int log_reader_feed_kmsg(struct log_reader *r, const struct kmsg_record *rec, log_line_cb cb, void *userdata) {
        struct pending *pd;
        struct log_prefix pl = {};
        int k;

        if (!r || !rec || (!rec->text && rec->text_len > 0))
                return -EINVAL;
        pd = &r->pend;
        pl = (struct log_prefix) {
                .line = {
                        .text = rec->text ? rec->text : (char *) "",
                        .len = rec->text_len,
                        .ts_usec = (int64_t) MIN(rec->ts_usec, (uint64_t) INT64_MAX),
                        .seq = (int64_t) MIN(rec->seq, (uint64_t) INT64_MAX),
                        .wall_sec = NUM_UNSET,
                        .level = rec->level,
                        .facility = rec->facility,
                },
                .esc = LOG_ESC_NONE, /* kmsg_record_parse() already unescaped it */
                .prefixed = true,
                .kmsg = true,
                .kflag = rec->flag,
        };
        memcpy(pl.line.caller, rec->caller, sizeof(pl.line.caller));
        pl.line.caller[sizeof(pl.line.caller) - 1] = '\0';
        r->stats.input_lines++;
        r->last_kmsg = false;
        r->prefix_region = PREFIX_REGION_LINES;
        pd->input_has_nul = memchr(pl.line.text, '\0', pl.line.len) != NULL;
        if (pl.kflag == '+' && pd->active && pd->kmsg && pd->joins < MAX_JOINS &&
            (!pl.line.caller[0] || !pd->meta.caller[0] || strcmp(pl.line.caller, pd->meta.caller) == 0)) {
                pd->meta.seq_end = pl.line.seq;
                return join_pending(r, pl.line.text, pl.line.len, LOG_ESC_NONE, false, pl.line.text, pl.line.len, cb, userdata);
        }
        k = start_pending(r, &pl, pl.line.text, pl.line.len, cb, userdata);
        return k;
}

/* ------------------------------------------------------------------------------------------
 * log_reader_skip(): runs of "simple" lines, accounted for without being decoded. A simple
 * line is one that process_phys() would turn into exactly one new pending line whose text is
 * a byte-exact substring of the input: a prefix log_prefix_parse() recognises (so it is never
 * joined onto the line before, and the rules for prefix-less lines never run), not a kmsg '+'
 * fragment, nothing that strip_bbcode() or decode_append() would change, no NUL, no cut. For
 * such a line process_phys() only changes the pending line (emits the previous one), the
 * counters, prefix_region (full), last_kmsg and the wrap bookkeeping (last_phys_len/space,
 * last_loggy, wrap_evidence), which run_finish() reproduces. A kmsg dictionary line after a
 * record changes nothing but input_lines. Which lines hold a byte worth a closer look, and
 * the consumer's keys, line_scan() finds for a few kilobytes at a time. */

/* Mask batches: 64 blocks, 4 KiB of input. */
#define SCAN_BATCH 64

/* Walks the complete lines of a buffer with the line_scan() masks: the bits of the block at
 * hand not consumed yet, the rest of the batch behind them. */
struct line_cursor {
        const struct line_scan *scan;
        const char *end;
        const char *next_batch;   /* where line_scan() goes on */
        const char *block;        /* the input byte of bit 0 of the block at hand */
        uint64_t nl, special, key; /* its bits from the next line's start on */
        const struct line_scan_masks *m, *m_end; /* the next block of the batch, its end */
        const char *line;          /* the next line's start */
        struct line_scan_masks masks[SCAN_BATCH];
};

/* One complete physical line. */
struct run_line {
        const char *start;
        size_t n;          /* without the '\n' */
        const char *next;  /* after the '\n' */
        bool special, key; /* line_scan() found such a byte in it */
};

static void cursor_init(struct line_cursor *c, const struct line_scan *scan, const char *buf, size_t len) {
        c->scan = scan;
        c->end = len > 0 ? buf + len : buf; /* buf may be NULL when len is 0: no arithmetic on it */
        c->next_batch = c->line = c->block = buf;
        c->nl = c->special = c->key = 0;
        c->m = c->m_end = c->masks;
}

/* The next block's bits; false at the end of the buffer. */
static bool cursor_advance(struct line_cursor *c) {
        if (c->m == c->m_end) {
                size_t n = line_scan(c->scan, c->next_batch, c->end, c->masks, SCAN_BATCH);

                if (n == 0)
                        return false;
                c->block = c->next_batch; /* batches follow each other */
                c->next_batch += MIN(n * LINE_SCAN_BLOCK, (size_t) (c->end - c->next_batch));
                c->m = c->masks;
                c->m_end = c->masks + n;
        } else
                c->block += LINE_SCAN_BLOCK;
        c->nl = c->m->nl;
        c->special = c->m->special;
        c->key = c->m->key;
        c->m++;
        return true;
}

/* The next complete line, false if none is left (its '\n' is not in the buffer). */
static bool cursor_next(struct line_cursor *c, struct run_line *ret) {
        bool special = false, key = false;
        uint64_t below, upto;
        unsigned b;

        while (!c->nl) {
                /* the line goes on into the next block */
                special = special || c->special;
                key = key || c->key;
                if (!cursor_advance(c))
                        return false;
        }
        b = (unsigned) __builtin_ctzll(c->nl);
        below = (1ULL << b) - 1; /* this line's bits of the block */
        upto = below | (1ULL << b);
        *ret = (struct run_line) { .start = c->line, .n = (size_t) (c->block + b - c->line), .next = c->block + b + 1,
                                   .special = special || (c->special & below), .key = key || (c->key & below) };
        c->line = ret->next;
        c->nl &= ~upto;
        c->special &= ~upto;
        c->key &= ~upto;
        return true;
}

/* The exact test behind a line_scan() special byte: would decoding or BBCode stripping
 * change the line? */
static int needs_decoding(struct log_reader *r, const char *p, size_t n, bool *ret) {
        bool stripped;
        int k;

        if (memchr(p, '\0', n) || memchr(p, '\\', n)) {
                *ret = true;
                return 0;
        }
        for (const char *q = p; (q = memchr(q, '#', (size_t) (p + n - q))); q++)
                if (q + 1 < p + n && q[1] == '0') { /* "#0oo": rsyslog control-character escape */
                        *ret = true;
                        return 0;
                }
        k = strip_bbcode(r, p, n, &stripped);
        if (k < 0)
                return k;
        *ret = stripped;
        return 0;
}

enum run_kind {
        RUN_STOP, /* process_phys() must see it */
        RUN_LINE, /* a simple line */
        RUN_DICT, /* a kmsg dictionary line after a record */
};

/* What process_phys() would make of line l (after_kmsg: the physical line before it was a
 * kmsg record). For a simple line, pl gets its prefix and text. */
static int run_classify(struct log_reader *r, const struct run_line *l, bool after_kmsg, struct log_prefix *pl) {
        size_t n = l->n;
        const char *t;
        bool dec;
        int k;

        if (n >= LINE_MAX_BYTES)
                return RUN_STOP; /* would be cut */
        if (n > 0 && l->start[n - 1] == '\r')
                n--;
        if (n == 0)
                return RUN_STOP;
        if (l->special) {
                k = needs_decoding(r, l->start, n, &dec);
                if (k < 0)
                        return k;
                if (dec)
                        return RUN_STOP;
        }
        log_prefix_init(pl);
        /* a leading blank: an indented paste or a dictionary line; '{': journal JSON */
        if (ascii_blank(l->start[0]) || l->start[0] == '{')
                return after_kmsg && kmsg_dict_line(l->start, n) &&
                                       !log_prefix_parse(r->format, &r->host, l->start, n, pl) ?
                               RUN_DICT :
                               RUN_STOP;
        t = log_prefix_parse(r->format, &r->host, l->start, n, pl);
        if (!t || (pl->kmsg && pl->kflag == '+'))
                return RUN_STOP;
        pl->line.text = (char *) t; /* borrowed from the input */
        pl->line.len = (size_t) (l->start + n - t);
        return RUN_LINE;
}

/* Offset of the last space, computed only when it could raise wrap_evidence (it is < len). */
static size_t evidence_with(size_t evidence, const char *line, size_t len) {
        if (len <= evidence + 1)
                return evidence;
        return MAX(evidence, last_space(line, len));
}

/* A run: the lines accounted for so far, and the line held back until the next one shows
 * that it is complete. */
struct run {
        struct log_reader *r;
        const struct log_skip *skip;
        log_line_cb cb;
        void *userdata;
        bool emitted;              /* the reader's pending line was emitted */
        struct log_prefix pls[2];  /* prefixes of the held line and of the line at hand */
        struct log_prefix *held_pl, *cur_pl;
        const char *held, *held_next; /* the held line, and the end of its dictionary lines */
        size_t held_n, held_dicts;
        /* accounted for: lines, dictionary lines, the last line, the bytes; wrap evidence
         * after all lines up to the last */
        size_t lines, dicts, evidence;
        const char *last;
        size_t last_n;
        bool last_kmsg;
        const char *consumed;
};

static void run_init(struct run *run, struct log_reader *r, const struct log_skip *skip, const char *buf,
                     log_line_cb cb, void *userdata) {
        *run = (struct run) { .r = r, .skip = skip, .cb = cb, .userdata = userdata, .consumed = buf };
        run->held_pl = &run->pls[0];
        run->cur_pl = &run->pls[1];
        /* process_phys() of the first line: the line before it, if a log line, was not continued */
        run->evidence = r->last_loggy ? MAX(r->wrap_evidence, r->last_phys_space) : r->wrap_evidence;
}

/* The held line is complete: offer it. Returns 1 if the consumer took it (accounted for now),
 * 0 if it is to be fed normally, negative errno. */
static int run_offer_held(struct run *run) {
        const struct log_prefix *pl = run->held_pl;
        int k;

        /* its text and metadata as feeding would emit them, but raw */
        k = run->skip->offer(&pl->line, run->skip->userdata);
        if (k <= 0)
                return k;
        if (run->lines > 0)
                run->evidence = evidence_with(run->evidence, run->last, run->last_n);
        run->lines++;
        run->dicts += run->held_dicts;
        run->last = run->held;
        run->last_n = run->held_n;
        run->last_kmsg = pl->kmsg;
        run->consumed = run->held_next;
        return 1;
}

/* A simple line starts a new logical line: whatever came before it is complete. */
static int run_complete_previous(struct run *run) {
        if (run->held)
                return run_offer_held(run);
        if (!run->emitted) {
                int k = emit_pending(run->r, run->cb, run->userdata);
                if (k < 0)
                        return k;
                run->emitted = true;
        }
        return 1;
}

static void run_hold(struct run *run, const struct run_line *l) {
        struct log_prefix *t = run->held_pl;

        run->held_pl = run->cur_pl;
        run->cur_pl = t;
        run->held = l->start;
        run->held_n = run->held_pl->line.len + (size_t) (run->held_pl->line.text - l->start); /* without '\r' */
        run->held_next = l->next;
        run->held_dicts = 0;
}

/* The reader's state after the lines accounted for, as process_phys() would have left it. */
static void run_finish(struct run *run) {
        struct log_reader *r = run->r;

        if (run->lines == 0)
                return;
        r->stats.input_lines += run->lines + run->dicts;
        r->stats.output_lines += run->lines;
        r->stats.skipped_lines += run->lines;
        r->pend.active = false;
        r->prefix_region = PREFIX_REGION_LINES;
        r->last_kmsg = run->last_kmsg;
        r->wrap_evidence = run->evidence;
        r->last_phys_len = run->last_n;
        r->last_phys_space = last_space(run->last, run->last_n);
        r->last_loggy = true;
}

int log_skip_init(struct log_skip *s, const char (*keys)[4], size_t n_keys, const char *bytes, size_t n_bytes,
                  int (*offer)(const struct log_line *line, void *userdata), void *userdata) {
        int k;

        if (!s || !offer)
                return -EINVAL;
        k = line_scan_init(&s->scan, keys, n_keys, bytes, n_bytes, LINE_SCAN_AUTO);
        if (k < 0)
                return k;
        s->offer = offer;
        s->userdata = userdata;
        return 0;
}

int log_reader_skip(struct log_reader *r, const char *buf, size_t len, const struct log_skip *skip,
                    log_line_cb cb, void *userdata, size_t *ret_consumed) {
        struct line_cursor cur;
        struct run_line l;
        struct run run;
        int k = 0;

        if (!r || (!buf && len > 0) || !skip || !skip->offer || !ret_consumed)
                return -EINVAL;
        *ret_consumed = 0;
        if (r->partial.len > 0 || r->partial_cut)
                return 0; /* not at a line boundary */
        cursor_init(&cur, &skip->scan, buf, len);
        run_init(&run, r, skip, buf, cb, userdata);
        while (cursor_next(&cur, &l)) {
                k = run_classify(r, &l, run.held && run.held_pl->kmsg, run.cur_pl);
                if (k == RUN_DICT) {
                        run.held_next = l.next; /* taken along with the record before it */
                        run.held_dicts++;
                        continue;
                }
                if (k <= RUN_STOP)
                        break;
                k = run_complete_previous(&run);
                if (k <= 0 || l.key)
                        break; /* a line holding a key is wanted: fed normally */
                run_hold(&run, &l);
        }
        if (k < 0)
                return k;
        run_finish(&run);
        *ret_consumed = (size_t) (run.consumed - buf);
        return 0;
}

void log_reader_get_stats(const struct log_reader *r, struct log_reader_stats *ret) {
        if (!r || !ret)
                return;
        *ret = r->stats;
}
