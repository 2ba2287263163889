/* SPDX-License-Identifier: MIT */
/* Input normaliser. Every physical input line is classified by its prefix (hand-written
 * scanners, no regex: this runs on every line of multi-GB logs), its text decoded into the
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

#include "kmsg_record.h"

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

enum esc {
        ESC_NONE, /* take the bytes as they are (only NUL is replaced) */
        ESC_TEXT, /* rsyslog "#ooo" control escapes, literal "\x0a" (059: pasted kmsg text) */
        ESC_KMSG, /* /dev/kmsg "\xNN" */
};

/* One classified physical line. */
struct pline {
        const char *text;
        size_t len;
        enum esc esc;
        bool prefixed;
        bool kmsg;
        char kflag;
        int64_t ts_usec, seq, wall_sec;
        int level, facility;
        char caller[16];
};

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
        char host[64];          /* host of the last syslog/journal line (short-monotonic) */
        unsigned host_gen;      /* bumped when host is written (log_reader_skip undoes a probe) */
        struct log_reader_stats stats;
};

/* ------------------------------------------------------------------------------------------
 * Small scanners. All take [p, end) and never read outside it. */

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
static inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
static inline bool is_blank_c(char c) { return c == ' ' || c == '\t'; }

/* Up to maxd digits into *ret; returns the number of digits read (0 = none). */
static size_t scan_uint(const char *p, const char *end, size_t maxd, uint64_t *ret) {
        /* one bound instead of two tests per digit: this runs on every timestamp */
        size_t lim = p < end ? MIN((size_t) (end - p), maxd) : 0;
        uint64_t v = 0;
        size_t i = 0;

        while (i < lim && is_digit(p[i])) {
                v = v * 10 + (uint64_t) (p[i] - '0');
                i++;
        }
        *ret = v;
        return i;
}

static int month_index(const char *p, const char *end) {
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

        if (end - p < 3 || !is_upper(p[0]))
                return -1;
        for (size_t i = 0; i < 12; i++)
                if (memcmp(p, months + 3 * i, 3) == 0)
                        return (int) i;
        return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
        int64_t era;
        unsigned yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = (unsigned) (y - era * 400);
        doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t) doe - 719468;
}

static int64_t make_wall(uint64_t y, uint64_t mon, uint64_t d, uint64_t h, uint64_t mi, uint64_t s) {
        if (y < 1970 || y > 9999 || mon < 1 || mon > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
                return NUM_UNSET;
        return days_from_civil((int64_t) y, (unsigned) mon, (unsigned) d) * 86400 + (int64_t) (h * 3600 + mi * 60 + s);
}

/* "hh:mm:ss" */
static const char *scan_hms(const char *p, const char *end, uint64_t *h, uint64_t *m, uint64_t *s) {
        if (end - p < 8 || scan_uint(p, end, 2, h) != 2 || p[2] != ':' || scan_uint(p + 3, end, 2, m) != 2 ||
            p[5] != ':' || scan_uint(p + 6, end, 2, s) != 2)
                return NULL;
        return p + 8;
}

/* "[ 1234.567890]" or dmesg --reltime "[  +0.002367]" -> usec. p points at '['. */
static const char *scan_bracket_ts(const char *p, const char *end, int64_t *ts, bool *relative) {
        uint64_t sec, frac;
        size_t nd, nf;

        if (p >= end || *p != '[')
                return NULL;
        p++;
        while (p < end && *p == ' ')
                p++;
        *relative = p < end && *p == '+';
        if (*relative)
                p++;
        nd = scan_uint(p, end, 12, &sec);
        if (nd == 0)
                return NULL;
        p += nd;
        if (p >= end || *p != '.')
                return NULL;
        p++;
        nf = scan_uint(p, end, 9, &frac);
        if (nf == 0)
                return NULL;
        p += nf;
        if (p >= end || *p != ']')
                return NULL;
        for (; nf < 6; nf++)
                frac *= 10;
        for (; nf > 6; nf--)
                frac /= 10;
        *ts = (int64_t) (sec * 1000000 + frac); /* sec < 10^12: fits */
        return p + 1;
}

/* dmesg -T "[Wed Nov 25 19:08:54 2026]" and dmesg -H "[Nov25 19:08]". p points at '['. */
static const char *scan_bracket_date(const char *p, const char *end, int64_t *wall) {
        uint64_t d, h, mi, s, y;
        int mon;
        size_t n;

        if (end - p < 12 || *p != '[')
                return NULL;
        p++;
        if (is_upper(p[0]) && is_lower(p[1]) && is_lower(p[2]) && p[3] == ' ' && month_index(p + 4, end) >= 0) {
                mon = month_index(p + 4, end);
                p += 7;
                while (p < end && *p == ' ')
                        p++;
                n = scan_uint(p, end, 2, &d);
                if (n == 0 || p + n >= end || p[n] != ' ')
                        return NULL;
                p = scan_hms(p + n + 1, end, &h, &mi, &s);
                if (!p || p >= end || *p != ' ')
                        return NULL;
                p++;
                if (scan_uint(p, end, 4, &y) != 4 || p + 4 >= end || p[4] != ']')
                        return NULL;
                *wall = make_wall(y, (uint64_t) mon + 1, d, h, mi, s);
                return p + 5;
        }
        mon = month_index(p, end);
        if (mon >= 0) { /* -H: no year, so no wall clock */
                p += 3;
                n = scan_uint(p, end, 2, &d);
                if (n == 0 || p + n + 6 >= end || p[n] != ' ')
                        return NULL;
                p += n + 1;
                if (scan_uint(p, end, 2, &h) != 2 || p[2] != ':' || scan_uint(p + 3, end, 2, &mi) != 2 || p[5] != ']')
                        return NULL;
                *wall = NUM_UNSET;
                return p + 6;
        }
        return NULL;
}

/* printk caller id right after the timestamp (5.1+ CONFIG_PRINTK_CALLER): "[T1234]", "[   T18]",
 * "[    C0]". */
static const char *scan_caller(const char *p, const char *end, char caller[static 16]) {
        const char *s;
        size_t n;

        if (p >= end || *p != '[')
                return NULL;
        p++;
        while (p < end && *p == ' ')
                p++;
        if (p >= end || (*p != 'T' && *p != 'C'))
                return NULL;
        s = p++;
        while (p < end && is_digit(*p))
                p++;
        n = (size_t) (p - s);
        if (n < 2 || n > 15 || p >= end || *p != ']')
                return NULL;
        memcpy(caller, s, n);
        caller[n] = '\0';
        return p + 1;
}

/* Android vendor prefix "[3:  Binder:9343_3:22875]" (cpu: comm:pid), 007. */
static const char *scan_android(const char *p, const char *end, char caller[static 16]) {
        const char *q, *lim = end - p > 64 ? p + 64 : end;
        size_t n;

        if (p >= end || *p != '[' || p + 1 >= end || !is_digit(p[1]))
                return NULL;
        q = p + 1;
        while (q < lim && is_digit(*q))
                q++;
        if (q >= lim || *q != ':')
                return NULL;
        q = memchr(q, ']', (size_t) (lim - q));
        if (!q)
                return NULL;
        /* walk back over the pid digits to the last ':' */
        n = 0;
        while (q - n - 1 > p && is_digit(q[-(ptrdiff_t) n - 1]))
                n++;
        if (n == 0 || n > 10 || q[-(ptrdiff_t) n - 1] != ':')
                return NULL;
        caller[0] = 'T';
        memcpy(caller + 1, q - n, n);
        caller[n + 1] = '\0';
        return q + 1;
}

/* What follows a dmesg timestamp: optional caller id, optional Android bracket, one space. */
static const char *after_ts(const char *p, const char *end, struct pline *pl) {
        const char *q = p, *c;

        if (q < end && *q == ' ')
                q++;
        c = scan_caller(q, end, pl->caller);
        if (c)
                p = c;
        q = p;
        for (int i = 0; i < 3 && q < end && *q == ' '; i++)
                q++;
        c = scan_android(q, end, pl->caller);
        if (c)
                p = c;
        if (p < end && *p == ' ')
                p++;
        return p;
}

/* "[ts] text" and its variants; p at '['. Returns the text start or NULL. */
static const char *scan_dmesg(const char *p, const char *end, struct pline *pl) {
        const char *q;
        bool rel = false;
        int64_t ts, wall = NUM_UNSET;

        q = scan_bracket_ts(p, end, &ts, &rel);
        if (q) {
                if (!rel)
                        pl->ts_usec = ts; /* relative deltas have no absolute base */
        } else {
                q = scan_bracket_date(p, end, &wall);
                if (!q)
                        return NULL;
                pl->wall_sec = wall;
        }
        return after_ts(q, end, pl);
}

/* "<N>" -> prio. p at '<'. */
static const char *scan_pri(const char *p, const char *end, int *ret) {
        uint64_t v;
        size_t n;

        if (p >= end || *p != '<')
                return NULL;
        n = scan_uint(p + 1, end, 4, &v);
        if (n == 0 || p + 1 + n >= end || p[1 + n] != '>' || v > KMSG_PRIO_MAX)
                return NULL;
        *ret = (int) v;
        return p + 2 + n;
}

/* syslog tag "name[pid]:" or "name:", then one space. */
static const char *scan_tag(const char *p, const char *end, bool *kernel) {
        const char *s = p;

        while (p < end && p - s < 64 && *p != ' ' && *p != ':' && *p != '[')
                p++;
        if (p == s || p >= end)
                return NULL;
        *kernel = p - s == 6 && memcmp(s, "kernel", 6) == 0;
        if (*p == '[') {
                p++;
                while (p < end && is_digit(*p))
                        p++;
                if (p >= end || *p != ']')
                        return NULL;
                p++;
        }
        if (p >= end || *p != ':')
                return NULL;
        p++;
        if (p < end && *p != ' ')
                return NULL;
        if (p < end)
                p++;
        return p;
}

static void remember_host(struct log_reader *r, const char *h, size_t n) {
        if (n >= sizeof(r->host))
                n = sizeof(r->host) - 1;
        memcpy(r->host, h, n);
        r->host[n] = '\0';
        r->host_gen++;
}

/* The kernel's own text inside a syslog/journal line may still carry "[ts] " (printk.time=1
 * and rsyslog imklog / journalctl), possibly followed by a caller id. */
static const char *kernel_text_ts(const char *p, const char *end, struct pline *pl) {
        const char *q;

        if (p < end && *p == '[') {
                q = scan_dmesg(p, end, pl);
                if (q)
                        return q;
        }
        return p;
}

/* After the syslog timestamp: "host tag: text", or (047, serial logger) "[ts] text". */
static const char *scan_syslog_rest(struct log_reader *r, const char *p, const char *end, struct pline *pl) {
        const char *h, *q;
        bool kernel;

        if (p >= end || *p != ' ')
                return NULL;
        p++;
        if (p < end && *p == '[') {
                q = scan_dmesg(p, end, pl);
                if (q)
                        return q;
        }
        h = p;
        while (p < end && *p != ' ' && p - h < 256)
                p++;
        if (p == h || p >= end || *p != ' ')
                return NULL;
        remember_host(r, h, (size_t) (p - h));
        p++;
        q = scan_tag(p, end, &kernel);
        if (!q) {
                pl->facility = 3; /* "host text" without a tag: some daemon, not the kernel */
                return p;
        }
        if (!kernel) {
                pl->facility = 3;
                return q;
        }
        pl->facility = 0;
        return kernel_text_ts(q, end, pl);
}

/* BSD "Nov 25 19:08:54[.123456]" (also journalctl short/short-precise). */
static const char *scan_bsd_ts(const char *p, const char *end) {
        uint64_t d, h, m, s, f;
        size_t n;

        if (month_index(p, end) < 0 || end - p < 15 || p[3] != ' ')
                return NULL;
        p += 4;
        if (*p == ' ')
                p++;
        n = scan_uint(p, end, 2, &d);
        if (n == 0 || d < 1 || d > 31 || p + n >= end || p[n] != ' ')
                return NULL;
        p = scan_hms(p + n + 1, end, &h, &m, &s);
        if (!p || h > 23 || m > 59 || s > 60)
                return NULL;
        if (p < end && *p == '.') {
                n = scan_uint(p + 1, end, 9, &f);
                if (n == 0)
                        return NULL;
                p += 1 + n;
        }
        return p;
}

/* RFC 3339 "2026-11-25T19:08:54[.123456](Z|+00:00|+0000)" (short-iso, rsyslog, RFC 5424). */
static const char *scan_iso_ts(const char *p, const char *end, int64_t *wall) {
        uint64_t y, mo, d, h, mi, s, f, oh, om;
        int64_t off = 0, w;
        size_t n;

        if (end - p < 19 || scan_uint(p, end, 4, &y) != 4 || p[4] != '-' || scan_uint(p + 5, end, 2, &mo) != 2 ||
            p[7] != '-' || scan_uint(p + 8, end, 2, &d) != 2 || (p[10] != 'T' && p[10] != ' '))
                return NULL;
        p = scan_hms(p + 11, end, &h, &mi, &s);
        if (!p)
                return NULL;
        if (p < end && (*p == '.' || *p == ',')) {
                n = scan_uint(p + 1, end, 9, &f);
                if (n == 0)
                        return NULL;
                p += 1 + n;
        }
        if (p < end && *p == 'Z')
                p++;
        else if (p < end && (*p == '+' || *p == '-')) {
                int sign = *p == '-' ? -1 : 1;
                if (scan_uint(p + 1, end, 2, &oh) != 2)
                        return NULL;
                p += 3;
                if (p < end && *p == ':')
                        p++;
                if (scan_uint(p, end, 2, &om) != 2 || oh > 23 || om > 59)
                        return NULL;
                p += 2;
                off = sign * (int64_t) (oh * 3600 + om * 60);
        }
        w = make_wall(y, mo, d, h, mi, s);
        *wall = w == NUM_UNSET ? NUM_UNSET : w - off;
        return p;
}

/* Skip one space-delimited token followed by one space. */
static const char *skip_token(const char *p, const char *end, const char **tok, size_t *tokn) {
        const char *s = p;

        while (p < end && *p != ' ')
                p++;
        if (p == s || p >= end)
                return NULL;
        *tok = s;
        *tokn = (size_t) (p - s);
        return p + 1;
}

/* RFC 5424 after "<PRI>": "1 TS HOST APP PROCID MSGID SD [MSG]". */
static const char *scan_rfc5424(struct log_reader *r, const char *p, const char *end, int prio, struct pline *pl) {
        const char *t, *app;
        size_t tn, appn;
        int64_t wall = NUM_UNSET;

        if (end - p < 2 || p[0] != '1' || p[1] != ' ')
                return NULL;
        p += 2;
        if (p < end && *p == '-') {
                p++;
                if (p >= end || *p != ' ')
                        return NULL;
                p++;
        } else {
                p = scan_iso_ts(p, end, &wall);
                if (!p || p >= end || *p != ' ')
                        return NULL;
                p++;
        }
        p = skip_token(p, end, &t, &tn); /* host */
        if (!p)
                return NULL;
        remember_host(r, t, tn);
        p = skip_token(p, end, &app, &appn);
        if (!p)
                return NULL;
        p = skip_token(p, end, &t, &tn); /* procid */
        if (!p)
                return NULL;
        p = skip_token(p, end, &t, &tn); /* msgid */
        if (!p)
                return NULL;
        if (p < end && *p == '[') { /* structured data: [id k="v"]..., "\]" escapes inside */
                while (p < end && *p == '[') {
                        bool quoted = false;
                        for (p++; p < end; p++) {
                                if (quoted && *p == '\\' && p + 1 < end)
                                        p++;
                                else if (*p == '"')
                                        quoted = !quoted;
                                else if (!quoted && *p == ']')
                                        break;
                        }
                        if (p >= end)
                                return NULL;
                        p++;
                }
        } else if (p < end && *p == '-')
                p++;
        else
                return NULL;
        if (p < end && *p == ' ')
                p++;
        if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
                p += 3;
        pl->wall_sec = wall;
        pl->level = prio & 7;
        pl->facility = prio >> 3;
        if (appn == 6 && memcmp(app, "kernel", 6) == 0 && pl->facility == 0)
                return kernel_text_ts(p, end, pl);
        if (pl->facility == 0)
                pl->facility = 1; /* only the kernel is facility 0 */
        return p;
}

/* dmesg -x "kern  :warn  : " */
static const char *scan_decode_prefix(const char *p, const char *end, struct pline *pl) {
        static const char *const facs[] = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
                                            "uucp", "cron", "authpriv", "ftp" };
        static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
        const char *s = p;
        int fac = -1, lvl = -1;
        size_t n;

        while (p < end && is_lower(*p) && p - s < 9)
                p++;
        n = (size_t) (p - s);
        for (size_t i = 0; i < ELEMENTSOF(facs); i++)
                if (strlen(facs[i]) == n && memcmp(s, facs[i], n) == 0)
                        fac = (int) i;
        if (fac < 0 && n == 6 && memcmp(s, "local", 5) == 0 && s[5] >= '0' && s[5] <= '7')
                fac = 16 + s[5] - '0';
        if (fac < 0)
                return NULL;
        while (p < end && *p == ' ')
                p++;
        if (p >= end || *p != ':')
                return NULL;
        s = ++p;
        while (p < end && is_lower(*p) && p - s < 7)
                p++;
        n = (size_t) (p - s);
        for (size_t i = 0; i < ELEMENTSOF(levels); i++)
                if (strlen(levels[i]) == n && memcmp(s, levels[i], n) == 0)
                        lvl = (int) i;
        if (lvl < 0)
                return NULL;
        while (p < end && *p == ' ')
                p++;
        if (p >= end || *p != ':')
                return NULL;
        p++;
        if (p < end && *p == ' ')
                p++;
        pl->facility = fac;
        pl->level = lvl;
        if (p < end && *p == '[') {
                const char *q = scan_dmesg(p, end, pl);
                if (q)
                        return q;
        }
        return p;
}

static bool format_allows(const struct log_reader *r, enum log_format f) {
        return r->format == LOG_FORMAT_AUTO || r->format == f;
}

/* journalctl -o short-monotonic "[  118.364824] host kernel: text": the dmesg scanner already
 * took the timestamp; decide whether "host tag:" follows. */
static const char *scan_journal_monotonic(struct log_reader *r, const char *p, const char *end, struct pline *pl) {
        const char *h = p, *q, *t;
        bool kernel, known_host;
        size_t hn;

        /* cheap rejection first: this runs on every dmesg line */
        q = memchr(p, ' ', (size_t) MIN(end - p, 65));
        if (!q || q == p)
                return NULL;
        hn = (size_t) (q - h);
        t = q + 1;
        known_host = r->host[0] && strncmp(r->host, h, hn) == 0 && r->host[hn] == '\0';
        /* a host we have not seen is only taken with a "kernel:" tag: kernel text like
         * "usb 1-1: new device" has the same shape as "host tag: text" */
        if (!known_host && !(end - t >= 7 && memcmp(t, "kernel:", 7) == 0))
                return NULL;
        while (p < q && (is_alnum(*p) || *p == '-' || *p == '.' || *p == '_'))
                p++;
        if (p != q)
                return NULL;
        q = scan_tag(p + 1, end, &kernel);
        if (!q)
                return NULL;
        if (kernel) {
                pl->facility = 0;
                remember_host(r, h, hn);
                return q;
        }
        pl->facility = 3; /* known host, some daemon's tag */
        return q;
}

/* Classify one physical line. Returns the text start, or NULL if no prefix was recognised. */
static const char *parse_prefix(struct log_reader *r, const char *line, size_t n, struct pline *pl) {
        const char *p = line, *end = line + n, *q;
        int prio;

        while (p < end && is_blank_c(*p) && p - line < 16)
                p++; /* 023: an author indented the whole paste */
        if (p >= end || r->format == LOG_FORMAT_PLAIN)
                return NULL;

        switch (*p) {
        case '[':
                if (!format_allows(r, LOG_FORMAT_DMESG) && !format_allows(r, LOG_FORMAT_SYSLOG))
                        return NULL;
                q = scan_dmesg(p, end, pl);
                if (!q)
                        return NULL;
                if (format_allows(r, LOG_FORMAT_SYSLOG)) {
                        const char *j = scan_journal_monotonic(r, q, end, pl);
                        if (j)
                                return j;
                }
                return q;
        case '<':
                q = scan_pri(p, end, &prio);
                if (!q)
                        return NULL;
                if (*q == '1' && format_allows(r, LOG_FORMAT_SYSLOG)) {
                        const char *s = scan_rfc5424(r, q, end, prio, pl);
                        if (s)
                                return s;
                }
                if (month_index(q, end) >= 0 && format_allows(r, LOG_FORMAT_SYSLOG)) {
                        const char *s = scan_bsd_ts(q, end);
                        if (s) {
                                s = scan_syslog_rest(r, s, end, pl);
                                if (s) {
                                        /* the PRI is authoritative, but only the kernel is 0 */
                                        pl->level = prio & 7;
                                        if (pl->facility != 0)
                                                pl->facility = (prio >> 3) ? prio >> 3 : 1;
                                        else
                                                pl->facility = prio >> 3;
                                        return s;
                                }
                        }
                }
                if (!format_allows(r, LOG_FORMAT_DMESG))
                        return NULL;
                /* dmesg -r / /proc/kmsg: "<4>[ts] text", or "<4>text" with printk.time=0 */
                pl->level = prio & 7;
                pl->facility = prio >> 3;
                if (*q == '[') {
                        const char *s = scan_dmesg(q, end, pl);
                        if (s)
                                return s;
                }
                return q;
        case '{':
                return NULL; /* journal JSON is handled before */
        case '.':
                /* 056: the poster replaced "Mon dd hh:mm:ss host" with "..." */
                if (format_allows(r, LOG_FORMAT_SYSLOG) && end - p > 4 && memcmp(p, "... ", 4) == 0) {
                        bool kernel;
                        q = scan_tag(p + 4, end, &kernel);
                        if (q) {
                                pl->facility = kernel ? 0 : 3;
                                return kernel ? kernel_text_ts(q, end, pl) : q;
                        }
                }
                return NULL;
        default:
                break;
        }

        if (is_digit(*p)) {
                if (p == line && format_allows(r, LOG_FORMAT_KMSG)) {
                        struct kmsg_record k;
                        int off = kmsg_record_parse_header(p, (size_t) (end - p), &k);
                        if (off >= 0) {
                                pl->kmsg = true;
                                pl->kflag = k.flag;
                                pl->seq = (int64_t) MIN(k.seq, (uint64_t) INT64_MAX);
                                pl->ts_usec = (int64_t) MIN(k.ts_usec, (uint64_t) INT64_MAX);
                                pl->level = k.level;
                                pl->facility = k.facility;
                                memcpy(pl->caller, k.caller, sizeof(k.caller));
                                pl->esc = ESC_KMSG;
                                return p + off;
                        }
                }
                if (format_allows(r, LOG_FORMAT_SYSLOG)) {
                        int64_t wall;
                        q = scan_iso_ts(p, end, &wall);
                        if (q) {
                                q = scan_syslog_rest(r, q, end, pl);
                                if (q) {
                                        pl->wall_sec = wall;
                                        return q;
                                }
                        }
                }
                return NULL;
        }
        if (is_upper(*p) && format_allows(r, LOG_FORMAT_SYSLOG)) {
                q = scan_bsd_ts(p, end);
                if (q)
                        return scan_syslog_rest(r, q, end, pl);
        }
        if (is_lower(*p) && format_allows(r, LOG_FORMAT_DMESG))
                return scan_decode_prefix(p, end, pl);
        return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Heuristics for prefix-less lines. */

/* A token that could only come from kernel output: numbers, key:value, key=value, (comm),
 * [addr], NkB, N*NkB, hex, symbol+off/len, flag|flag. */
static bool kernel_token(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (is_digit(c) || c == '_' || c == '=' || c == '*' || c == '(' || c == '[' || c == '<' || c == '|' ||
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

                while (i < n && is_blank_c(p[i]))
                        i++;
                if (i >= n)
                        break;
                s = i;
                while (i < n && !is_blank_c(p[i])) {
                        alnum = alnum || is_alnum(p[i]);
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
        while (i < n && (is_upper(p[i]) || is_digit(p[i]) || p[i] == '_'))
                i++;
        return i > 1 && i < n && p[i] == '=';
}

static bool is_blank_line(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!is_blank_c(p[i]))
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
static int decode_append(struct pending *pd, const char *s, size_t n, enum esc esc, bool *nl) {
        struct buf *b = &pd->text;
        size_t room, o;
        int k;

        if (esc == ESC_NONE || (!memchr(s, '\\', n) && (esc != ESC_TEXT || !memchr(s, '#', n)))) {
                size_t start = b->len;
                k = buf_append(b, s, n, LINE_MAX_BYTES, &pd->truncated);
                if (k < 0)
                        return k;
                if (pd->input_has_nul)
                        for (char *q = b->p + start; (q = memchr(q, '\0', (size_t) (b->p + b->len - q))); q++)
                                *q = ' ';
                if (esc == ESC_NONE && memchr(b->p + start, '\n', b->len - start))
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
                        if (kmsg_unescape(s + i, 4, dec) == 1 && (esc == ESC_KMSG || dec[0] == '\n')) {
                                c = dec[0];
                                i += 3;
                        }
                } else if (c == '#' && esc == ESC_TEXT && i + 3 < n && s[i + 1] == '0' && s[i + 2] >= '0' &&
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

/* Field by field rather than "*m = (struct log_line) { ... }": that compiles to a rep stos of
 * the whole struct, whose partial stores then stall the copy log_reader_skip() makes of every
 * skipped line's metadata (a sixth of that loop in perf). Every member is set; the assertion
 * fails when a member is appended to struct log_line (report.h), so it gets set here too. */
_Static_assert(sizeof(struct log_line) ==
                       (offsetof(struct log_line, prose) + sizeof(bool) + _Alignof(struct log_line) - 1) /
                               _Alignof(struct log_line) * _Alignof(struct log_line),
               "struct log_line grew: set the new member in meta_from_pline()");
static void meta_from_pline(struct log_line *m, const struct pline *pl, bool no_prefix) {
        m->text = NULL;
        m->len = 0;
        m->raw = NULL;
        m->ts_usec = pl->ts_usec;
        m->seq = pl->seq;
        m->level = pl->level;
        m->facility = pl->facility;
        memcpy(m->caller, pl->caller, sizeof(m->caller));
        m->wall_sec = pl->wall_sec;
        m->seq_end = 0;
        m->no_prefix = no_prefix;
        m->prose = false;
}

static int start_pending(struct log_reader *r, const struct pline *pl, const char *raw, size_t rawn, log_line_cb cb,
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
        k = decode_append(pd, pl->text, pl->len, pl->esc, &nl);
        if (k < 0)
                return k;
        if (buf_reserve(&pd->text, 0) < 0)
                return -ENOMEM;
        pd->text.p[pd->text.len] = '\0';
        pd->active = true;
        return nl ? split_pending(r, cb, userdata) : 0;
}

/* Continue the pending line: a kmsg '+' fragment (sep = "") or a hard wrap (sep = " "). */
static int join_pending(struct log_reader *r, const char *s, size_t n, enum esc esc, bool wrap, const char *raw,
                        size_t rawn, log_line_cb cb, void *userdata) {
        struct pending *pd = &r->pend;
        bool nl = false;
        int k;

        if (wrap) {
                while (pd->text.len > 0 && is_blank_c(pd->text.p[pd->text.len - 1]))
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
        if (n == 0 || n > 19 || scan_uint(s, s + n, 19, &x) != n || x > (uint64_t) max || (int64_t) x < min)
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
        struct pline pl = { .esc = ESC_NONE, .prefixed = true, .ts_usec = NUM_UNSET, .seq = NUM_UNSET,
                            .wall_sec = NUM_UNSET, .level = -1, .facility = -1 };
        int64_t v;
        int k;

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
                pl.ts_usec = v;
        if (json_int(o, "__REALTIME_TIMESTAMP", 0, INT64_MAX, &v))
                pl.wall_sec = v / 1000000;
        if (json_int(o, "PRIORITY", 0, 7, &v))
                pl.level = (int) v;
        if (json_int(o, "SYSLOG_FACILITY", 0, KMSG_PRIO_MAX >> 3, &v))
                pl.facility = (int) v;
        bool transport = json_object_object_get_ex(o, "_TRANSPORT", NULL);
        if (json_str_eq(o, "_TRANSPORT", "kernel") ||
            (!transport && pl.facility < 0 && json_str_eq(o, "SYSLOG_IDENTIFIER", "kernel")))
                pl.facility = 0;
        else if (transport && pl.facility <= 0)
                pl.facility = pl.facility == 0 ? 1 : 3; /* user space is never facility 0 */
        /* the kernel's seqnum is not exported by journald: seq stays unset */

        pl.text = r->jtext.p;
        pl.len = r->jtext.len;
        if (memchr(pl.text, '\0', pl.len)) /* "\u0000" or a 0 in a byte array */
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
                if (q + 1 >= end || !(is_alpha(q[1]) || q[1] == '/'))
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
        struct pline pl = { .ts_usec = NUM_UNSET, .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = -1,
                            .facility = -1, .esc = ESC_TEXT };
        const char *raw = line, *p = line, *t = NULL;
        size_t rawn, first_tok;
        bool stripped, unwrapped = true;
        int k;

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
                while (i < n && is_blank_c(p[i]))
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

        t = parse_prefix(r, p, n, &pl);
        if (t) {
                pl.text = t;
                pl.len = (size_t) (p + n - t);
                pl.prefixed = true;
                r->prefix_region = PREFIX_REGION_LINES;
                r->last_kmsg = pl.kmsg;
                /* 3.5-4.9: a '+' record continues the previous 'c'/'+' record of the same caller */
                if (pl.kmsg && pl.kflag == '+' && pd->active && pd->kmsg && pd->joins < MAX_JOINS &&
                    (!pl.caller[0] || !pd->meta.caller[0] || strcmp(pl.caller, pd->meta.caller) == 0)) {
                        /* the joined line covers this record's seq too: no false gap after it */
                        pd->meta.seq_end = pl.seq;
                        k = join_pending(r, pl.text, pl.len, pl.esc, false, raw, rawn, cb, userdata);
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
        pl.text = p;
        pl.len = n;
        if (is_blank_line(p, n)) {
                pl.esc = ESC_NONE;
                k = start_pending(r, &pl, raw, rawn, cb, userdata);
                pd->meta.prose = true;
                goto done;
        }
        if (pd->active && pd->prefixed && pd->joins < MAX_JOINS && looks_like_kernel_text(p, n, &first_tok)) {
                if (is_blank_c(p[0])) {
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
                        k = join_pending(r, p, n, ESC_TEXT, true, raw, rawn, cb, userdata);
                        goto done;
                }
        }
        pl.prefixed = false;
        if (r->prefix_region > 0) {
                /* between log lines: an author's commentary */
                r->prefix_region--;
                pl.esc = ESC_NONE;
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
        struct pline pl = {};
        int k;

        if (!r || !rec || (!rec->text && rec->text_len > 0))
                return -EINVAL;
        pd = &r->pend;
        pl = (struct pline) {
                .text = rec->text ? rec->text : "",
                .len = rec->text_len,
                .esc = ESC_NONE, /* kmsg_record_parse() already unescaped it */
                .prefixed = true,
                .kmsg = true,
                .kflag = rec->flag,
                .ts_usec = (int64_t) MIN(rec->ts_usec, (uint64_t) INT64_MAX),
                .seq = (int64_t) MIN(rec->seq, (uint64_t) INT64_MAX),
                .wall_sec = NUM_UNSET,
                .level = rec->level,
                .facility = rec->facility,
        };
        memcpy(pl.caller, rec->caller, sizeof(pl.caller));
        pl.caller[sizeof(pl.caller) - 1] = '\0';
        r->stats.input_lines++;
        r->last_kmsg = false;
        r->prefix_region = PREFIX_REGION_LINES;
        pd->input_has_nul = memchr(pl.text, '\0', pl.len) != NULL;
        if (pl.kflag == '+' && pd->active && pd->kmsg && pd->joins < MAX_JOINS &&
            (!pl.caller[0] || !pd->meta.caller[0] || strcmp(pl.caller, pd->meta.caller) == 0)) {
                pd->meta.seq_end = pl.seq;
                return join_pending(r, pl.text, pl.len, ESC_NONE, false, pl.text, pl.len, cb, userdata);
        }
        k = start_pending(r, &pl, pl.text, pl.len, cb, userdata);
        return k;
}

/* ------------------------------------------------------------------------------------------
 * log_reader_skip(): account for "simple" lines without decoding them. A simple line is one
 * that process_phys() would turn into exactly one new pending line whose text is a byte-exact
 * substring of the input: a recognised prefix (so never joined onto the line before, and the
 * rules for prefix-less lines never run), not a kmsg '+' fragment, nothing that strip_bbcode()
 * or decode_append() would change, no NUL, no cut. For such a line process_phys() only
 * changes: the pending line (emits the previous one), the counters, prefix_region (full),
 * last_kmsg, and the wrap-width bookkeeping (last_phys_len/space, last_loggy, wrap_evidence),
 * which log_reader_skip() reproduces. */

typedef unsigned char u8x16 __attribute__((vector_size(16)));

static inline u8x16 load16(const char *p) {
        u8x16 v;

        memcpy(&v, p, sizeof(v)); /* unaligned load */
        return v;
}

/* Any byte that needs a closer look: NUL, '\\' (kmsg "\xNN", pasted "\x0a"), '#' (rsyslog
 * "#012"), '[' before a letter or '/' (BBCode, caller ids). One vector pass over the line. */
static inline bool special16(const char *p) {
        u8x16 a = load16(p), b = load16(p + 1);
        u8x16 m = (u8x16) (a == 0) | (u8x16) (a == '\\') | (u8x16) (a == '#') |
                  ((u8x16) (a == '[') & ((u8x16) ((u8x16) ((b | 0x20) - 'a') < 26) | (u8x16) (b == '/')));
        uint64_t w[2];

        memcpy(w, &m, sizeof(w));
        return (w[0] | w[1]) != 0;
}

static bool maybe_special(const char *p, size_t n) {
        size_t i = 0;

        for (; i + 17 <= n; i += 16)
                if (special16(p + i))
                        return true;
        if (i + 1 < n && n >= 17) {
                /* positions i .. n-2: one more vector step ending at the end of the line
                 * (re-testing earlier positions is harmless); the last byte, which has no
                 * successor, is tested like the short lines below. The scalar loop over up
                 * to 16 bytes cost a third of log_reader_skip() in perf. */
                if (special16(p + n - 17))
                        return true;
                i = n - 1;
        }
        for (; i < n; i++)
                if (p[i] == '\0' || p[i] == '\\' || p[i] == '#' || p[i] == '[')
                        return true;
        return false;
}

/* The exact version of maybe_special(): would decoding or BBCode stripping change the line? */
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

/* Returns 1 and the text of a simple line, 0 if the line needs process_phys(). May write
 * r->host (a journal line that names its host): the caller checks host_gen and undoes it. */
static int simple_line(struct log_reader *r, const char *line, size_t n, const char **ret_text, size_t *ret_len,
                       size_t *ret_rawn, struct log_line *ret_meta, bool *ret_kmsg) {
        struct pline pl = { .ts_usec = NUM_UNSET, .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = -1,
                            .facility = -1, .esc = ESC_TEXT };
        const char *t;
        bool dec;
        int k;

        if (n >= LINE_MAX_BYTES)
                return 0; /* would be cut */
        if (n > 0 && line[n - 1] == '\r')
                n--;
        if (n == 0 || (line[0] != '[' && !is_digit(line[0])))
                return 0; /* the dmesg and kmsg shapes; a leading blank or '{' takes other paths */
        if (maybe_special(line, n)) {
                k = needs_decoding(r, line, n, &dec);
                if (k < 0)
                        return k;
                if (dec)
                        return 0;
        }
        t = parse_prefix(r, line, n, &pl);
        if (!t || (pl.kmsg && pl.kflag == '+'))
                return 0;
        *ret_text = t;
        *ret_len = (size_t) (line + n - t);
        *ret_rawn = n;
        *ret_kmsg = pl.kmsg;
        meta_from_pline(ret_meta, &pl, false);
        return 1;
}

/* Offset of the last space, computed only when it could raise wrap_evidence (it is < len). */
static size_t evidence_with(size_t evidence, const char *line, size_t len) {
        if (len <= evidence + 1)
                return evidence;
        return MAX(evidence, last_space(line, len));
}


/* ------------------------------------------------------------------------------------------
 * log_reader_skip_bulk(): runs of plain dmesg lines found in one pass over the buffer. */

/* One bit per byte of a 0/0xff vector, bit i for element i. */
static inline unsigned mask16(u8x16 m) {
#if defined(__SSE2__)
        return (unsigned) __builtin_ia32_pmovmskb128((__attribute__((vector_size(16))) char) m);
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint64_t w[2];

        memcpy(w, &m, sizeof(w));
        /* the top bit of byte j of each half lands in bit 56+j of the product */
        return (unsigned) ((((w[0] & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL) >> 56) |
               (unsigned) ((((w[1] & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL) >> 56) << 8;
#else
        unsigned r = 0;

        for (unsigned i = 0; i < 16; i++)
                r |= (unsigned) (m[i] & 1) << i;
        return r;
#endif
}

/* The keys as broadcast vectors: k<j>[i] is byte j of key i (3 of the consumer's, unused ones
 * repeat key 0, and one of the reader's), built once per run; the screen below is unrolled by
 * hand so that its vectors stay in registers. */
struct key_vecs {
        u8x16 k0[4], k1[4], k2[4], k3[4];
};

static void key_vecs_init(struct key_vecs *v, const struct log_skip_bulk *bulk) {
        for (size_t i = 0; i < 4; i++) {
                /* the fourth is the reader's own: "nel:" of "host kernel:", which makes a
                 * "[ts] text" line a journalctl -o short-monotonic one (scan_journal_monotonic()) */
                const char *key = i == 3 ? "nel:" : bulk->keys[i < bulk->n_keys ? i : 0];

                v->k0[i] = (u8x16) {} + (unsigned char) key[0];
                v->k1[i] = (u8x16) {} + (unsigned char) key[1];
                v->k2[i] = (u8x16) {} + (unsigned char) key[2];
                v->k3[i] = (u8x16) {} + (unsigned char) key[3];
        }
}

/* Bytes at p[0..16) that end a bulk run: a key starting there, or a byte that needs a closer
 * look by maybe_special() (plus '\r', and '[' before a line end, which the per-line path
 * handles). Reads p[0..19). */
static inline unsigned hits16(const char *p, const struct key_vecs *kv) {
        u8x16 a = load16(p), b = load16(p + 1), c = load16(p + 2), m, screen;

        m = (u8x16) (a == 0) | (u8x16) (a == '\\') | (u8x16) (a == '#') | (u8x16) (a == '\r') |
            ((u8x16) (a == '[') & ((u8x16) ((u8x16) ((b | 0x20) - 'a') < 26) | (u8x16) (b == '/') |
                                   (u8x16) (b == '\n') | (u8x16) (b == '\r')));
        /* screen on the middle two bytes of each key; the rare blocks that pass are tested
         * in full */
        screen = (u8x16) ((b == kv->k1[0]) & (c == kv->k2[0])) | (u8x16) ((b == kv->k1[1]) & (c == kv->k2[1])) |
                 (u8x16) ((b == kv->k1[2]) & (c == kv->k2[2])) | (u8x16) ((b == kv->k1[3]) & (c == kv->k2[3]));
        if (mask16(screen)) {
                u8x16 d = load16(p + 3), full = {};

                for (size_t i = 0; i < 4; i++)
                        full |= (u8x16) ((a == kv->k0[i]) & (b == kv->k1[i]) & (c == kv->k2[i]) & (d == kv->k3[i]));
                m |= full;
        }
        return mask16(m);
}

/* A plain dmesg line [line, le) (le at its '\n', no byte of hits16() in it): the text after
 * "[ sec.frac] " and the timestamp if parse_prefix() gives exactly that and after_ts() finds no
 * caller id, else NULL. The limits are scan_bracket_ts()'s. */
static const char *plain_dmesg_text(const char *line, const char *le, int64_t *ret_ts) {
        const char *p = line + 1, *d, *t;
        uint64_t sec = 0, frac = 0;
        size_t nf;

        if (le - line >= (ptrdiff_t) LINE_MAX_BYTES || line[0] != '[')
                return NULL;
        while (p < le && *p == ' ')
                p++;
        for (d = p; p < le && is_digit(*p) && p - d < 12; p++)
                sec = sec * 10 + (uint64_t) (*p - '0');
        if (p == d || p >= le || *p != '.')
                return NULL;
        for (d = ++p; p < le && is_digit(*p) && p - d < 9; p++)
                frac = frac * 10 + (uint64_t) (*p - '0');
        nf = (size_t) (p - d);
        if (nf == 0 || p >= le || *p != ']')
                return NULL;
        t = p + 1;
        if (t < le && *t == ' ')
                t++;
        /* no caller id or Android bracket (after_ts()), no empty text */
        if (t >= le || *t == ' ' || *t == '\t' || *t == '[')
                return NULL;
        /* scan_journal_monotonic(): with no host remembered (checked by the caller), only
         * "word kernel:" makes this a journal line, and "nel:" is one of hits16()'s keys */
        for (; nf < 6; nf++)
                frac *= 10;
        for (; nf > 6; nf--)
                frac /= 10;
        *ret_ts = (int64_t) (sec * 1000000 + frac);
        return t;
}

/* At most this many lines per bulk run (their offsets are kept on the stack); the next run
 * starts after one line through the per-line loop. */
#define BULK_RUN_MAX 512

struct bulk_line {
        const char *start;
        size_t rawn;
        int64_t ts;
};

/* The run of whole lines from p that need no decoding, hold no key, are plain dmesg lines with
 * a timestamp in [lo, hi] and for which head_wanted() says no. Returns their number (<= max,
 * <= BULK_RUN_MAX). Stopping at the window keeps a run that cannot be delivered from being
 * scanned again after each line. */
static size_t bulk_scan(const char *p, const char *end, const struct log_skip_bulk *bulk, void *filter_userdata,
                        int64_t lo, int64_t hi, size_t max, struct bulk_line lines[static BULK_RUN_MAX]) {
        struct key_vecs kv;
        const char *ls = p;
        size_t n = 0;

        key_vecs_init(&kv, bulk);
        for (const char *blk = p; blk + 19 <= end; blk += 16) {
                unsigned h = hits16(blk, &kv);
                unsigned nlm = mask16((u8x16) (load16(blk) == '\n'));

                for (; nlm; nlm &= nlm - 1) {
                        unsigned i = (unsigned) __builtin_ctz(nlm);
                        const char *le = blk + i, *t;
                        int64_t ts;

                        if (h & ((1u << i) - 1))
                                return n; /* a hit in this line */
                        t = plain_dmesg_text(ls, le, &ts);
                        if (!t || ts < lo || ts > hi || bulk->head_wanted(t, (size_t) (le - t), filter_userdata))
                                return n;
                        lines[n++] = (struct bulk_line) { ls, (size_t) (le - ls), ts };
                        if (n == BULK_RUN_MAX || n >= max)
                                return n;
                        ls = le + 1;
                        h &= ~((2u << i) - 1);
                }
                if (h)
                        return n; /* a hit in the line that continues */
        }
        return n;
}

int log_reader_skip(struct log_reader *r, const char *buf, size_t len, log_text_filter wanted, log_line_cb skipped,
                    void *filter_userdata, log_line_cb cb, void *userdata, size_t *ret_consumed) {
        return log_reader_skip_bulk(r, buf, len, wanted, skipped, NULL, filter_userdata, cb, userdata, ret_consumed);
}

int log_reader_skip_bulk(struct log_reader *r, const char *buf, size_t len, log_text_filter wanted,
                         log_line_cb skipped, const struct log_skip_bulk *bulk, void *filter_userdata,
                         log_line_cb cb, void *userdata, size_t *ret_consumed) {
        /* wrap bookkeeping after the run so far and after all but its last line (the line
         * before a non-simple one is left to process_phys(): it might be continued) */
        struct acc {
                size_t evidence;
                const char *line; /* last line of the run (its space offset is taken at the end) */
                size_t rawn;
                bool kmsg;
                size_t lines, bytes;
        } cur, prev;
        /* metadata of the line at hand and of the previous line of the run, delivered once
         * the next line shows it was not continued: two slots swapped, not copied per line */
        struct log_line metas[2] = {}, *meta = &metas[0], *last_meta = &metas[1];
        const char *p = buf, *end;
        char saved_host[sizeof(r->host)];
        unsigned gen;
        bool emitted = false, backup = true, last_delivered = false;
        struct bulk_line run[BULK_RUN_MAX];
        int64_t lo, hi;
        size_t max_lines;
        int k;

        if (!r || (!buf && len > 0) || !wanted || !ret_consumed)
                return -EINVAL;
        if (bulk && (!bulk->keys || bulk->n_keys == 0 || bulk->n_keys > 3 || !bulk->window || !bulk->head_wanted ||
                     !bulk->skipped_n))
                return -EINVAL;
        *ret_consumed = 0;
        if (r->partial.len > 0 || r->partial_cut)
                return 0; /* not at a line boundary */
        if (len == 0)
                return 0; /* and buf may be NULL: no arithmetic on it */
        end = buf + len;

        cur = (struct acc) { .evidence = r->wrap_evidence };
        prev = cur;
        memcpy(saved_host, r->host, sizeof(saved_host));
        gen = r->host_gen;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p)), *text;
                size_t n, tlen, rawn;
                bool kmsg;

                if (!nl)
                        break; /* incomplete: the next feed decides what it is */
                n = (size_t) (nl - p);
                k = simple_line(r, p, n, &text, &tlen, &rawn, meta, &kmsg);
                if (k < 0)
                        return k;
                if (r->host_gen != gen) {
                        /* a "host kernel:" line: process_phys() will remember the host */
                        memcpy(r->host, saved_host, sizeof(saved_host));
                        r->host_gen = gen;
                        k = 0;
                }
                if (k == 0)
                        break;
                /* This prefixed line starts a new logical line: the one before it is complete.
                 * Deliver it (the held-back line, or the previous line of the run) before
                 * asking about this one. */
                if (!emitted) {
                        k = emit_pending(r, cb, userdata);
                        emitted = true;
                } else if (skipped && !last_delivered)
                        k = skipped(last_meta, filter_userdata);
                last_delivered = false;
                if (k < 0)
                        return k;
                if (wanted(text, tlen, filter_userdata)) {
                        backup = false; /* a prefixed line: it continues nothing before it */
                        break;
                }
                prev = cur;
                /* process_phys() of this line: the previous line (if a log line) was not
                 * continued, so the wrap width is at least its last space */
                if (cur.lines == 0) {
                        if (r->last_loggy)
                                cur.evidence = MAX(cur.evidence, r->last_phys_space);
                } else
                        cur.evidence = evidence_with(cur.evidence, cur.line, cur.rawn);
                cur.line = p;
                cur.rawn = rawn;
                cur.kmsg = kmsg;
                cur.lines++;
                cur.bytes = (size_t) (nl + 1 - buf);
                {
                        struct log_line *t = last_meta;
                        last_meta = meta;
                        meta = t;
                }
                p = nl + 1;

                if (bulk && format_allows(r, LOG_FORMAT_DMESG) && !r->host[0] && end - p >= 19 &&
                    bulk->window(filter_userdata, &lo, &hi, &max_lines)) {
                        /* Lines L1.. from p that need neither decoding nor wanted(), in the
                         * consumer's window. L1 is a prefixed line, so the line just taken (X)
                         * is complete: deliver it. X may have moved the window: ask again and
                         * cut the run there. All but the last line of the run are delivered at
                         * once; the last goes through the loop above, so the run ends exactly
                         * as a per-line one would. */
                        size_t n_run = bulk_scan(p, end, bulk, filter_userdata, lo, hi, max_lines, run), n_ok = 0;

                        if (n_run > 0) {
                                if (skipped) {
                                        k = skipped(last_meta, filter_userdata);
                                        if (k < 0)
                                                return k;
                                }
                                last_delivered = true;
                                prev = cur; /* all delivered: nothing to back up */
                                if (bulk->window(filter_userdata, &lo, &hi, &max_lines))
                                        while (n_ok < n_run && n_ok < max_lines && run[n_ok].ts >= lo &&
                                               run[n_ok].ts <= hi)
                                                n_ok++;
                        }
                        if (n_ok >= 2) {
                                for (size_t i = 0; i + 1 < n_ok; i++) {
                                        cur.evidence = evidence_with(cur.evidence, cur.line, cur.rawn);
                                        cur.line = run[i].start;
                                        cur.rawn = run[i].rawn;
                                        cur.kmsg = false;
                                        cur.lines++;
                                }
                                cur.bytes = (size_t) (run[n_ok - 1].start - buf);
                                k = bulk->skipped_n(n_ok - 1, filter_userdata);
                                if (k < 0)
                                        return k;
                                r->stats.bulk_lines += n_ok - 1;
                                prev = cur;
                                p = run[n_ok - 1].start;
                        }
                }
        }
        if (backup)
                /* its last line stays (not delivered yet): process_phys() will see what the next
                 * line does with it. Without backup it was delivered when the wanted line came. */
                cur = prev;
        if (cur.lines == 0)
                return 0;

        r->stats.input_lines += cur.lines;
        r->stats.output_lines += cur.lines;
        r->stats.skipped_lines += cur.lines;
        r->pend.active = false;
        r->prefix_region = PREFIX_REGION_LINES;
        r->last_kmsg = cur.kmsg;
        r->wrap_evidence = cur.evidence;
        r->last_phys_len = cur.rawn;
        r->last_phys_space = last_space(cur.line, cur.rawn);
        r->last_loggy = true;
        *ret_consumed = cur.bytes;
        return 0;
}

void log_reader_get_stats(const struct log_reader *r, struct log_reader_stats *ret) {
        if (!r || !ret)
                return;
        *ret = r->stats;
}
