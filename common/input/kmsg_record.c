/* SPDX-License-Identifier: MIT */
/* /dev/kmsg record parser (kernel 3.5+; the format is in Documentation/ABI/testing/dev-kmsg and
 * kernel/printk/printk.c msg_print_ext_header()/info_print_ext_header()). Nothing here trusts
 * the input: every number is range-checked and every length bounded by len. */
#include "kmsg_record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "parse_util.h"

/* The header is short ("6,19685342,241227987454,-,caller=T12845;"); unknown fields may follow
 * (the ABI doc tells readers to ignore them) but a kernel never printed one longer than this. */
#define KMSG_HEADER_MAX 512

/* Decimal u64 at *p (< end), at least one digit, no sign, overflow-checked against max. */
static int parse_u64(const char **p, const char *end, uint64_t max, uint64_t *ret) {
        const char *s = *p;
        /* v * 10 + d > max, without a division per digit (every record header has three) */
        const uint64_t vmax = max / 10, dmax = max % 10;
        uint64_t v = 0;

        if (s >= end || *s < '0' || *s > '9')
                return -EINVAL;
        for (; s < end && *s >= '0' && *s <= '9'; s++) {
                unsigned d = (unsigned) (*s - '0');
                if (v > vmax || (v == vmax && d > dmax))
                        return -ERANGE;
                v = v * 10 + d;
        }
        *p = s;
        *ret = v;
        return 0;
}

/* "T123" or "C1": the printk caller id (5.1+, CONFIG_PRINTK_CALLER). */
static bool caller_valid(const char *s, size_t n) {
        if (n < 2 || n > 15 || (s[0] != 'T' && s[0] != 'C'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

int kmsg_record_parse_header(const char *buf, size_t len, struct kmsg_record *ret) {
        const char *p = buf, *end;
        struct kmsg_record r = {};
        uint64_t prio, seq, ts;
        int k;

        if (!buf)
                return -EINVAL;
        end = buf + MIN(len, (size_t) KMSG_HEADER_MAX);
        k = parse_u64(&p, end, KMSG_PRIO_MAX, &prio);
        if (k < 0)
                return -EINVAL;
        if (p >= end || *p++ != ',')
                return -EINVAL;
        if (parse_u64(&p, end, UINT64_MAX, &seq) < 0)
                return -EINVAL;
        if (p >= end || *p++ != ',')
                return -EINVAL;
        if (parse_u64(&p, end, UINT64_MAX, &ts) < 0)
                return -EINVAL;
        if (p >= end || *p++ != ',')
                return -EINVAL;
        /* flags: one character, '-', 'c' or '+' (3.5-4.9). Anything else is not a record. */
        if (p >= end || (*p != '-' && *p != 'c' && *p != '+'))
                return -EINVAL;
        r.flag = *p++;
        for (;;) {
                const char *f, *fe;

                if (p >= end)
                        return -EINVAL;
                if (*p == ';')
                        break;
                if (*p != ',')
                        return -EINVAL;
                f = ++p;
                while (p < end && *p != ',' && *p != ';')
                        p++;
                fe = p;
                if ((size_t) (fe - f) > 7 && memcmp(f, "caller=", 7) == 0 && caller_valid(f + 7, (size_t) (fe - f - 7))) {
                        memcpy(r.caller, f + 7, (size_t) (fe - f - 7));
                        r.caller[fe - f - 7] = '\0';
                }
                /* other fields: ignored, as the ABI document asks */
        }
        r.priority = (int) prio;
        r.level = (int) (prio & 7);
        r.facility = (int) (prio >> 3);
        r.seq = seq;
        r.ts_usec = ts;

        ret->priority = r.priority;
        ret->level = r.level;
        ret->facility = r.facility;
        ret->seq = r.seq;
        ret->ts_usec = r.ts_usec;
        ret->flag = r.flag;
        memcpy(ret->caller, r.caller, sizeof(r.caller));
        return (int) (p + 1 - buf);
}

bool kmsg_record_looks_like(const char *buf, size_t len) {
        struct kmsg_record r;

        return kmsg_record_parse_header(buf, len, &r) >= 0;
}

size_t kmsg_unescape(const char *src, size_t n, char *dst) {
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                if (src[i] == '\\' && i + 3 < n && src[i + 1] == 'x') {
                        int h = hex_digit_value(src[i + 2]), l = hex_digit_value(src[i + 3]);
                        if (h >= 0 && l >= 0 && (h | l) != 0) {
                                dst[o++] = (char) (h * 16 + l);
                                i += 3;
                                continue;
                        }
                }
                dst[o++] = src[i];
        }
        return o;
}

void kmsg_record_done(struct kmsg_record *r) {
        if (!r)
                return;
        free(r->text);
        free(r->dict);
        r->text = r->dict = NULL;
        r->text_len = 0;
}

int kmsg_record_parse(const char *buf, size_t len, struct kmsg_record *ret) {
        _cleanup_free_ char *text = NULL, *dict = NULL;
        struct kmsg_record r = {};
        const char *t, *nl, *end;
        size_t tn, dn = 0;
        int off;

        if (!buf || !ret)
                return -EINVAL;
        off = kmsg_record_parse_header(buf, len, &r);
        if (off < 0)
                return off;
        end = buf + len;
        t = buf + off;
        nl = memchr(t, '\n', (size_t) (end - t));
        tn = (size_t) ((nl ? nl : end) - t);
        text = malloc(tn + 1);
        if (!text)
                return -ENOMEM;
        r.text_len = kmsg_unescape(t, tn, text);
        /* a raw NUL can only come from a corrupted stream; the text must stay a C string */
        for (size_t i = 0; i < r.text_len; i++)
                if (text[i] == '\0')
                        text[i] = ' ';
        text[r.text_len] = '\0';

        /* Dictionary: " KEY=value" lines (3.5+; only SUBSYSTEM/DEVICE from 5.10). */
        if (nl && nl + 1 < end && nl[1] == ' ') {
                size_t rest = (size_t) (end - (nl + 1));
                dict = malloc(rest + 1);
                if (!dict)
                        return -ENOMEM;
                for (const char *p = nl + 1; p < end && *p == ' ';) {
                        const char *le = memchr(p, '\n', (size_t) (end - p));
                        size_t ln;

                        if (!le)
                                le = end;
                        ln = (size_t) (le - p - 1);
                        if (dn > 0)
                                dict[dn++] = '\n';
                        dn += kmsg_unescape(p + 1, ln, dict + dn);
                        p = le + 1;
                }
                for (size_t i = 0; i < dn; i++)
                        if (dict[i] == '\0')
                                dict[i] = ' ';
                dict[dn] = '\0';
        }

        r.text = TAKE_PTR(text);
        r.dict = TAKE_PTR(dict);
        *ret = r;
        return 0;
}
