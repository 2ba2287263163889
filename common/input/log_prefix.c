/* SPDX-License-Identifier: MIT */
/* Line prefixes. Scanners for each part of a prefix (timestamps, PRI, host and tag, caller
 * ids), then one row per line shape, tried in the order of the table: the first row whose
 * scanner accepts the line names its format. The rows share scanners, and a row that fails
 * may have remembered a host name on the way, exactly as the scanners did when they were one
 * switch: the order of the rows is part of what they mean. */
#include "log_prefix.h"

#include <stddef.h>
#include <string.h>

#include "ascii.h"
#include "kmsg_record.h"
#include "macro.h"
#include "report.h"

/* ------------------------------------------------------------------------------------------
 * Small scanners. All take [p, end) and never read outside it. */

/* Up to maxd digits into *ret; returns the number of digits read (0 = none). */
static size_t scan_uint(const char *p, const char *end, size_t maxd, uint64_t *ret) {
        /* one bound instead of two tests per digit: this runs on every timestamp */
        size_t lim = p < end ? MIN((size_t) (end - p), maxd) : 0;
        uint64_t v = 0;
        size_t i = 0;

        for (; i < lim; i++) {
                unsigned d = (unsigned) (unsigned char) p[i] - '0'; /* one unsigned test per digit */
                if (d > 9)
                        break;
                v = v * 10 + d;
        }
        *ret = v;
        return i;
}

static int month_index(const char *p, const char *end) {
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        int i;

        if (end - p < 3)
                return -1;
        /* the first letter narrows it to at most three names (this runs on every syslog line) */
        switch (p[0]) {
        case 'J': i = p[1] == 'a' ? 0 : p[2] == 'n' ? 5 : 6; break;
        case 'F': i = 1; break;
        case 'M': i = p[2] == 'r' ? 2 : 4; break;
        case 'A': i = p[1] == 'p' ? 3 : 7; break;
        case 'S': i = 8; break;
        case 'O': i = 9; break;
        case 'N': i = 10; break;
        case 'D': i = 11; break;
        default: return -1;
        }
        return memcmp(p, months + (size_t)3 * (size_t)i, 3) == 0 ? i : -1;
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
/* The leading digits of the 8 bytes at p (inside the line), at once: their number and value.
 * Each test stays inside its byte (no carries across), the value is built in pairs, quads,
 * octets. For the fraction of a timestamp (6 digits on every dmesg line). */
static inline __attribute__((always_inline)) unsigned digits8(const char *p, uint64_t *ret) {
        const uint64_t lo = 0x0F0F0F0F0F0F0F0FULL, hi = 0xF0F0F0F0F0F0F0F0ULL;
        uint64_t x, bad, v;
        unsigned k;

        memcpy(&x, p, sizeof(x));
        bad = ((x & hi) ^ 0x3030303030303030ULL) | (((x & lo) + 0x0606060606060606ULL) & hi);
        k = bad ? (unsigned) __builtin_ctzll(bad) / 8 : 8;
        if (k == 0) {
                *ret = 0;
                return 0;
        }
        v = (x & lo) << (8 * (8 - k)); /* the digits to the top bytes: zeros lead */
        v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
        v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
        *ret = (v * 10000 + (v >> 32)) & 0x00000000FFFFFFFFULL;
        return k;
}

/* Two digits at p (inside the line): their value, or -1. */
static inline int two_digits(const char *p) {
        unsigned a = (unsigned) (unsigned char) p[0] - '0', b = (unsigned) (unsigned char) p[1] - '0';

        return a <= 9 && b <= 9 ? (int) (a * 10 + b) : -1;
}

static const char *scan_hms(const char *p, const char *end, uint64_t *h, uint64_t *m, uint64_t *s) {
        int hh, mm, ss;

        if (end - p < 8 || p[2] != ':' || p[5] != ':')
                return NULL;
        hh = two_digits(p);
        mm = two_digits(p + 3);
        ss = two_digits(p + 6);
        if (hh < 0 || mm < 0 || ss < 0)
                return NULL;
        *h = (uint64_t) hh;
        *m = (uint64_t) mm;
        *s = (uint64_t) ss;
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
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (end - p >= 9) {
                /* up to 9 digits: 8 at once, the ninth (rare) by scan_uint() */
                nf = digits8(p, &frac);
                if (nf == 8 && ascii_digit(p[8])) {
                        frac = frac * 10 + (uint64_t) (p[8] - '0');
                        nf = 9;
                }
        } else
#endif
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
        if (ascii_upper(p[0]) && ascii_lower(p[1]) && ascii_lower(p[2]) && p[3] == ' ' && month_index(p + 4, end) >= 0) {
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
        while (p < end && ascii_digit(*p))
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

        if (p >= end || *p != '[' || p + 1 >= end || !ascii_digit(p[1]))
                return NULL;
        q = p + 1;
        while (q < lim && ascii_digit(*q))
                q++;
        if (q >= lim || *q != ':')
                return NULL;
        q = memchr(q, ']', (size_t) (lim - q));
        if (!q)
                return NULL;
        /* walk back over the pid digits to the last ':' */
        n = 0;
        while (q - n - 1 > p && ascii_digit(q[-(ptrdiff_t) n - 1]))
                n++;
        if (n == 0 || n > 10 || q[-(ptrdiff_t) n - 1] != ':')
                return NULL;
        caller[0] = 'T';
        memcpy(caller + 1, q - n, n);
        caller[n + 1] = '\0';
        return q + 1;
}

/* What follows a dmesg timestamp: optional caller id, optional Android bracket, one space. */
static const char *after_ts(const char *p, const char *end, struct log_prefix *pl) {
        const char *q = p, *c;

        if (q < end && *q == ' ')
                q++;
        /* most text starts with neither: what the scans below then return */
        if (q < end && *q != '[' && *q != ' ')
                return q;
        c = scan_caller(q, end, pl->line.caller);
        if (c)
                p = c;
        q = p;
        for (int i = 0; i < 3 && q < end && *q == ' '; i++)
                q++;
        c = scan_android(q, end, pl->line.caller);
        if (c)
                p = c;
        if (p < end && *p == ' ')
                p++;
        return p;
}

/* "[ts] text" and its variants; p at '['. Returns the text start or NULL. */
static const char *scan_dmesg(const char *p, const char *end, struct log_prefix *pl) {
        const char *q;
        bool rel = false;
        int64_t ts, wall = NUM_UNSET;

        q = scan_bracket_ts(p, end, &ts, &rel);
        if (q) {
                if (!rel)
                        pl->line.ts_usec = ts; /* relative deltas have no absolute base */
        } else {
                q = scan_bracket_date(p, end, &wall);
                if (!q)
                        return NULL;
                pl->line.wall_sec = wall;
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

        if (end - p >= 7 && memcmp(p, "kernel:", 7) == 0) {
                /* what the loop below finds on almost every line of a kern.log */
                *kernel = true;
                p += 6;
        } else {
                while (p < end && p - s < 64 && *p != ' ' && *p != ':' && *p != '[')
                        p++;
                if (p == s || p >= end)
                        return NULL;
                *kernel = p - s == 6 && memcmp(s, "kernel", 6) == 0;
        }
        if (*p == '[') {
                p++;
                while (p < end && ascii_digit(*p))
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

static void remember_host(struct log_host *host, const char *h, size_t n) {
        if (n >= sizeof(host->name))
                n = sizeof(host->name) - 1;
        /* every syslog line names its host, almost always the same one: compare before copying
         * (a loop: host names are short, a memcmp() call cost 3% of a kern.log run) */
        if (host->name[n] == '\0') {
                size_t i = 0;

                while (i < n && host->name[i] == h[i])
                        i++;
                if (i == n)
                        return;
        }
        memcpy(host->name, h, n);
        host->name[n] = '\0';
}

/* The kernel's own text inside a syslog/journal line may still carry "[ts] " (printk.time=1
 * and rsyslog imklog / journalctl), possibly followed by a caller id. */
static const char *kernel_text_ts(const char *p, const char *end, struct log_prefix *pl) {
        const char *q;

        if (p < end && *p == '[') {
                q = scan_dmesg(p, end, pl);
                if (q)
                        return q;
        }
        return p;
}

/* After the syslog timestamp: "host tag: text", or (047, serial logger) "[ts] text". */
static const char *scan_syslog_rest(struct log_host *host, const char *p, const char *end, struct log_prefix *pl) {
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
        remember_host(host, h, (size_t) (p - h));
        p++;
        q = scan_tag(p, end, &kernel);
        if (!q) {
                pl->line.facility = 3; /* "host text" without a tag: some daemon, not the kernel */
                return p;
        }
        if (!kernel) {
                pl->line.facility = 3;
                return q;
        }
        pl->line.facility = 0;
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

/* RFC 5424 STRUCTURED-DATA: "-" or [id k="v"]... with "\]" escapes inside quotes. */
static const char *skip_structured_data(const char *p, const char *end) {
        if (p < end && *p == '-')
                return p + 1;
        if (p >= end || *p != '[')
                return NULL;
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
        return p;
}

/* RFC 5424 after "<PRI>": "1 TS HOST APP PROCID MSGID SD [MSG]". */
static const char *scan_rfc5424(struct log_host *host, const char *p, const char *end, int prio, struct log_prefix *pl) {
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
        remember_host(host, t, tn);
        p = skip_token(p, end, &app, &appn);
        if (!p)
                return NULL;
        p = skip_token(p, end, &t, &tn); /* procid */
        if (!p)
                return NULL;
        p = skip_token(p, end, &t, &tn); /* msgid */
        if (!p)
                return NULL;
        p = skip_structured_data(p, end);
        if (!p)
                return NULL;
        if (p < end && *p == ' ')
                p++;
        if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
                p += 3;
        pl->line.wall_sec = wall;
        pl->line.level = prio & 7;
        pl->line.facility = prio >> 3;
        if (appn == 6 && memcmp(app, "kernel", 6) == 0 && pl->line.facility == 0)
                return kernel_text_ts(p, end, pl);
        if (pl->line.facility == 0)
                pl->line.facility = 1; /* only the kernel is facility 0 */
        return p;
}

/* dmesg -x "kern  :warn  : " */
static const char *scan_decode_prefix(const char *p, const char *end, struct log_prefix *pl) {
        static const char *const facs[] = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
                                            "uucp", "cron", "authpriv", "ftp" };
        static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
        const char *s = p;
        int fac = -1, lvl = -1;
        size_t n;

        while (p < end && ascii_lower(*p) && p - s < 9)
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
        while (p < end && ascii_lower(*p) && p - s < 7)
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
        pl->line.facility = fac;
        pl->line.level = lvl;
        if (p < end && *p == '[') {
                const char *q = scan_dmesg(p, end, pl);
                if (q)
                        return q;
        }
        return p;
}

/* memchr(p, ' ', min(end - p, max)), the first eight bytes without a call: the first word of
 * a kernel message is short, and this runs on every dmesg line. */
static const char *first_space(const char *p, const char *end, size_t max) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (end - p >= 8 && max >= 8) {
                uint64_t x, zero;

                memcpy(&x, p, sizeof(x));
                x ^= 0x2020202020202020ULL; /* a space becomes a zero byte */
                /* the lowest bit set is the first zero byte's (higher ones may be false) */
                zero = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
                if (zero)
                        return p + __builtin_ctzll(zero) / 8;
        }
#endif
        return memchr(p, ' ', MIN((size_t) (end - p), max));
}

/* journalctl -o short-monotonic "[  118.364824] host kernel: text": the dmesg scanner already
 * took the timestamp; decide whether "host tag:" follows. */
static const char *scan_journal_monotonic(struct log_host *host, const char *p, const char *end, struct log_prefix *pl) {
        const char *h = p, *q, *t;
        bool kernel, known_host;
        size_t hn;

        /* cheap rejection first: this runs on every dmesg line */
        q = first_space(p, end, 65);
        if (!q || q == p)
                return NULL;
        hn = (size_t) (q - h);
        t = q + 1;
        known_host = host->name[0] && hn < sizeof(host->name) && strncmp(host->name, h, hn) == 0 &&
                     host->name[hn] == '\0';
        /* a host we have not seen is only taken with a "kernel:" tag: kernel text like
         * "usb 1-1: new device" has the same shape as "host tag: text" */
        if (!known_host && !(end - t >= 7 && memcmp(t, "kernel:", 7) == 0))
                return NULL;
        while (p < q && (ascii_alnum(*p) || *p == '-' || *p == '.' || *p == '_'))
                p++;
        if (p != q)
                return NULL;
        q = scan_tag(p + 1, end, &kernel);
        if (!q)
                return NULL;
        if (kernel) {
                pl->line.facility = 0;
                remember_host(host, h, hn);
                return q;
        }
        pl->line.facility = 3; /* known host, some daemon's tag */
        return q;
}

/* ------------------------------------------------------------------------------------------
 * The line shapes. Each row's scanner gets the line from its first non-blank byte p and
 * returns the text start or NULL; a row is tried only if the format allows it and p's first
 * byte is of its class. */

struct shape_call {
        enum log_format format;
        struct log_host *host;
        const char *line, *end; /* the whole line; p may lie after leading blanks */
};

static bool format_allows(enum log_format format, enum log_format f) {
        return format == LOG_FORMAT_AUTO || format == f;
}

/* "[ts] text" and its variants, and journalctl -o short-monotonic "[ts] host kernel: text" */
static const char *shape_bracket(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        const char *q = scan_dmesg(p, c->end, pl), *j;

        if (!q)
                return NULL;
        if (format_allows(c->format, LOG_FORMAT_SYSLOG)) {
                j = scan_journal_monotonic(c->host, q, c->end, pl);
                if (j)
                        return j;
        }
        return q;
}

/* "<PRI>1 TS HOST APP PROCID MSGID SD MSG" */
static const char *shape_rfc5424(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        int prio;
        const char *q = scan_pri(p, c->end, &prio);

        if (!q || q >= c->end || *q != '1')
                return NULL;
        return scan_rfc5424(c->host, q, c->end, prio, pl);
}

/* "<PRI>Nov 25 19:08:54 host tag: text" (rsyslog forwarding format) */
static const char *shape_pri_bsd(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        int prio;
        const char *q = scan_pri(p, c->end, &prio), *s;

        if (!q || month_index(q, c->end) < 0)
                return NULL;
        s = scan_bsd_ts(q, c->end);
        if (!s)
                return NULL;
        s = scan_syslog_rest(c->host, s, c->end, pl);
        if (!s)
                return NULL;
        /* the PRI is authoritative, but only the kernel is 0 */
        pl->line.level = prio & 7;
        if (pl->line.facility != 0)
                pl->line.facility = (prio >> 3) ? prio >> 3 : 1;
        else
                pl->line.facility = prio >> 3;
        return s;
}

/* dmesg -r / /proc/kmsg: "<4>[ts] text", or "<4>text" with printk.time=0 */
static const char *shape_pri_dmesg(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        int prio;
        const char *q = scan_pri(p, c->end, &prio), *s;

        if (!q)
                return NULL;
        pl->line.level = prio & 7;
        pl->line.facility = prio >> 3;
        if (q < c->end && *q == '[') {
                s = scan_dmesg(q, c->end, pl);
                if (s)
                        return s;
        }
        return q;
}

/* 056: the poster replaced "Mon dd hh:mm:ss host" with "... " */
static const char *shape_elided_syslog(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        bool kernel;
        const char *q;

        if (c->end - p <= 4 || memcmp(p, "... ", 4) != 0)
                return NULL;
        q = scan_tag(p + 4, c->end, &kernel);
        if (!q)
                return NULL;
        pl->line.facility = kernel ? 0 : 3;
        return kernel ? kernel_text_ts(q, c->end, pl) : q;
}

/* "6,1234,5678901,-;text": a raw /dev/kmsg record, never indented */
static const char *shape_kmsg(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        struct kmsg_record k;
        int off;

        if (p != c->line)
                return NULL;
        off = kmsg_record_parse_header(p, (size_t) (c->end - p), &k);
        if (off < 0)
                return NULL;
        pl->kmsg = true;
        pl->kflag = k.flag;
        pl->line.seq = (int64_t) MIN(k.seq, (uint64_t) INT64_MAX);
        pl->line.ts_usec = (int64_t) MIN(k.ts_usec, (uint64_t) INT64_MAX);
        pl->line.level = k.level;
        pl->line.facility = k.facility;
        memcpy(pl->line.caller, k.caller, sizeof(k.caller));
        pl->esc = LOG_ESC_KMSG;
        return p + off;
}

/* "2026-11-25T19:08:54.123456+01:00 host tag: text" (rsyslog's RFC 3339 file format) */
static const char *shape_iso_syslog(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        int64_t wall;
        const char *q = scan_iso_ts(p, c->end, &wall);

        if (!q)
                return NULL;
        q = scan_syslog_rest(c->host, q, c->end, pl);
        if (q)
                pl->line.wall_sec = wall;
        return q;
}

/* "Nov 25 19:08:54 host tag: text": syslog, journalctl -o short / short-precise */
static const char *shape_bsd_syslog(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        const char *q = scan_bsd_ts(p, c->end);

        return q ? scan_syslog_rest(c->host, q, c->end, pl) : NULL;
}

/* dmesg -x "kern  :warn  : text" */
static const char *shape_decode(const struct shape_call *c, const char *p, struct log_prefix *pl) {
        return scan_decode_prefix(p, c->end, pl);
}

typedef const char *(*shape_scan)(const struct shape_call *c, const char *p, struct log_prefix *pl);

struct shape {
        const char *name;
        unsigned formats; /* the --format values that allow it (auto allows every row) */
        shape_scan scan;
};

#define F(x) (1u << LOG_FORMAT_##x)

/* A new format is a new row (and its scanner), in the list of the first byte its lines start
 * with. Rows of a list are tried in order: "<" lines are RFC 5424 before BSD syslog before
 * dmesg -r. */
static const struct shape rows_bracket[] = {
        { "dmesg [ts] / journalctl short-monotonic", F(DMESG) | F(SYSLOG), shape_bracket },
};
static const struct shape rows_angle[] = {
        { "syslog <PRI>1 (RFC 5424)", F(SYSLOG), shape_rfc5424 },
        { "syslog <PRI>Mmm dd", F(SYSLOG), shape_pri_bsd },
        { "dmesg -r <N>", F(DMESG), shape_pri_dmesg },
};
static const struct shape rows_dot[] = {
        { "syslog with elided time and host", F(SYSLOG), shape_elided_syslog },
};
static const struct shape rows_digit[] = {
        { "raw /dev/kmsg record", F(KMSG), shape_kmsg },
        { "syslog RFC 3339 / journalctl short-iso", F(SYSLOG), shape_iso_syslog },
};
static const struct shape rows_upper[] = {
        { "syslog / journalctl short", F(SYSLOG), shape_bsd_syslog },
};
static const struct shape rows_lower[] = {
        { "dmesg -x", F(DMESG), shape_decode },
};

#undef F

enum first_class { FIRST_OTHER, FIRST_BRACKET, FIRST_ANGLE, FIRST_DOT, FIRST_DIGIT, FIRST_UPPER, FIRST_LOWER };

/* '{' is FIRST_OTHER: journal JSON is recognised before prefixes */
static const unsigned char first_class[256] = {
        ['['] = FIRST_BRACKET, ['<'] = FIRST_ANGLE, ['.'] = FIRST_DOT,  ['0' ... '9'] = FIRST_DIGIT,
        ['A' ... 'Z'] = FIRST_UPPER, ['a' ... 'z'] = FIRST_LOWER,
};

static const struct {
        const struct shape *rows;
        size_t n;
} rows_by_first[] = {
        [FIRST_OTHER] = { NULL, 0 },
        [FIRST_BRACKET] = { rows_bracket, ELEMENTSOF(rows_bracket) },
        [FIRST_ANGLE] = { rows_angle, ELEMENTSOF(rows_angle) },
        [FIRST_DOT] = { rows_dot, ELEMENTSOF(rows_dot) },
        [FIRST_DIGIT] = { rows_digit, ELEMENTSOF(rows_digit) },
        [FIRST_UPPER] = { rows_upper, ELEMENTSOF(rows_upper) },
        [FIRST_LOWER] = { rows_lower, ELEMENTSOF(rows_lower) },
};

/* Member by member: an initialised compound literal compiles to a "rep stos" of the whole
 * struct, 4.5% of a kern.log run in perf (this runs on every line). Every member is set; the
 * assertion fails when struct log_line (report.h) grows, so the new member gets set here. */
_Static_assert(sizeof(struct log_line) ==
                       (offsetof(struct log_line, prose) + sizeof(bool) + _Alignof(struct log_line) - 1) /
                               _Alignof(struct log_line) * _Alignof(struct log_line),
               "struct log_line grew: set the new member in log_prefix_init()");
void log_prefix_init(struct log_prefix *pl) {
        struct log_line *l = &pl->line;

        l->text = NULL;
        l->len = 0;
        l->raw = NULL;
        l->ts_usec = NUM_UNSET;
        l->seq = NUM_UNSET;
        l->level = -1;
        l->facility = -1;
        memset(l->caller, 0, sizeof(l->caller));
        l->wall_sec = NUM_UNSET;
        l->seq_end = 0;
        l->no_prefix = false;
        l->prose = false;
        pl->esc = LOG_ESC_TEXT;
        pl->prefixed = false;
        pl->kmsg = false;
        pl->kflag = 0;
}

const char *log_prefix_parse(enum log_format format, struct log_host *host, const char *line, size_t n,
                             struct log_prefix *pl) {
        struct shape_call c = { .format = format, .host = host, .line = line, .end = line + n };
        const char *p = line, *t;
        const struct shape *rows;
        size_t n_rows;

        while (p < c.end && ascii_blank(*p) && p - line < 16)
                p++; /* 023: an author indented the whole paste */
        if (p >= c.end || format == LOG_FORMAT_PLAIN)
                return NULL;
        rows = rows_by_first[first_class[(unsigned char) *p]].rows;
        n_rows = rows_by_first[first_class[(unsigned char) *p]].n;
        for (size_t i = 0; i < n_rows; i++) {
                if (format != LOG_FORMAT_AUTO && !(rows[i].formats & (1u << format)))
                        continue;
                t = rows[i].scan(&c, p, pl);
                if (t)
                        /* a scan returns a pointer into line (c only bounds it), never into c */
                        // cppcheck-suppress returnDanglingLifetime
                        return t;
        }
        return NULL;
}
