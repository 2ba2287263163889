/* SPDX-License-Identifier: MIT */
#include "parse_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void scan_ws(struct scan *s) {
        while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
                s->p++;
}

bool scan_lit(struct scan *s, const char *lit) {
        size_t n = strlen(lit);

        if (scan_left(s) < n || memcmp(s->p, lit, n) != 0)
                return false;
        s->p += n;
        return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool scan_i64(struct scan *s, int64_t *ret) {
        const char *p = s->p;
        bool neg = false;
        uint64_t v = 0;

        if (p < s->end && *p == '-') {
                neg = true;
                p++;
        }
        if (p >= s->end || !is_digit(*p))
                return false;
        for (; p < s->end && is_digit(*p); p++) {
                unsigned d = (unsigned)(*p - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        /* INT64_MIN is NUM_UNSET, so the negative range stops one short of it. */
        if (v > (uint64_t)INT64_MAX)
                return false;
        *ret = neg ? -(int64_t)v : (int64_t)v;
        s->p = p;
        return true;
}

bool scan_hex(struct scan *s, uint64_t *ret, const char **ret_start, size_t *ret_len) {
        const char *start = s->p, *p;
        uint64_t v = 0;
        size_t digits = 0;

        if (scan_left(s) < 3 || start[0] != '0' || (start[1] != 'x' && start[1] != 'X'))
                return false;
        for (p = start + 2; p < s->end && hex_digit_value(*p) >= 0; p++) {
                if (++digits > 16)
                        return false;
                v = (v << 4) | (uint64_t)hex_digit_value(*p);
        }
        if (digits == 0)
                return false;
        *ret = v;
        if (ret_start)
                *ret_start = start;
        if (ret_len)
                *ret_len = (size_t)(p - start);
        s->p = p;
        return true;
}

bool scan_token(struct scan *s, const char **ret, size_t *ret_len) {
        const char *start;

        scan_ws(s);
        start = s->p;
        while (s->p < s->end && *s->p != ' ' && *s->p != '\t')
                s->p++;
        if (s->p == start)
                return false;
        *ret = start;
        *ret_len = (size_t)(s->p - start);
        return true;
}

bool parse_i64_full(const char *p, size_t len, int64_t *ret) {
        struct scan s = scan_make(p, len);
        int64_t v;

        if (!scan_i64(&s, &v) || !scan_eof(&s))
                return false;
        *ret = v;
        return true;
}

bool parse_value_unit(const char *p, size_t len, int64_t *ret, bool *ret_kb) {
        struct scan s = scan_make(p, len);
        int64_t v;
        bool kb = false;

        if (!scan_i64(&s, &v))
                return false;
        if (scan_lit(&s, "kB") || scan_lit(&s, "KB") || scan_lit(&s, "k"))
                kb = true;
        if (!scan_eof(&s))
                return false;
        *ret = v;
        if (ret_kb)
                *ret_kb = kb;
        return true;
}

const char *find_str(const char *hay, size_t len, const char *needle) {
        size_t n = strlen(needle);

        if (n == 0)
                return hay;
        return memmem(hay, len, needle, n);
}

bool has_prefix(const char *p, size_t len, const char *prefix) {
        size_t n = strlen(prefix);
        return len >= n && memcmp(p, prefix, n) == 0;
}

bool is_blank(const char *p, size_t len) {
        for (size_t i = 0; i < len; i++)
                if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
                        return false;
        return true;
}

void trim(const char **p, size_t *len) {
        while (*len > 0 && ((*p)[0] == ' ' || (*p)[0] == '\t' || (*p)[0] == '\r')) {
                (*p)++;
                (*len)--;
        }
        while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t' || (*p)[*len - 1] == '\r'))
                (*len)--;
}

void copy_bounded(char *dst, size_t dstsz, const char *src, size_t len) {
        size_t n = 0;

        if (dstsz == 0)
                return;
        while (n < len && n < dstsz - 1 && src[n] != '\0')
                n++;
        /* Cut short: drop a trailing partial UTF-8 sequence rather than emit half a character. */
        if (n < len && src[n] != '\0') {
                size_t k = n;
                while (k > 0 && ((unsigned char)src[k - 1] & 0xC0) == 0x80)
                        k--;
                if (k > 0 && ((unsigned char)src[k - 1] & 0xC0) == 0xC0) {
                        unsigned char lead = (unsigned char)src[k - 1];
                        /* The lead byte says how long the sequence is; keep it when whole. */
                        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                        if (n - (k - 1) < want)
                                n = k - 1;
                }
        }
        memcpy(dst, src, n);
        dst[n] = '\0';
}

bool add_overflow_i64(int64_t a, int64_t b, int64_t *ret) {
        return __builtin_add_overflow(a, b, ret);
}

int array_grow(void **arr, size_t n, size_t elsz, size_t cap) {
        void *p;
        size_t newcap;

        if (n >= cap)
                return -E2BIG;
        /* Capacity is implicitly the next power of two >= n; grow when n hits it. */
        if (n != 0 && (n & (n - 1)) != 0)
                return 0;
        newcap = n == 0 ? 4 : n * 2;
        if (n != 0 && n < 4)
                return 0;
        if (newcap > cap)
                newcap = cap;
        p = reallocarray(*arr, newcap, elsz);
        if (!p)
                return -ENOMEM;
        *arr = p;
        return 0;
}

int kv_append(struct key_value **arr, size_t *n, const char *key, size_t keylen, int64_t value) {
        int r = array_grow((void **) arr, *n, sizeof(**arr), KV_LIST_MAX);
        if (r < 0)
                return r;
        copy_bounded((*arr)[*n].key, sizeof((*arr)[*n].key), key, keylen);
        (*arr)[*n].value = value;
        (*n)++;
        return 0;
}

int kv_accumulate(struct key_value **arr, size_t *n, const char *key, size_t keylen, int64_t value) {
        char k[OOM_NAME_MAX];

        copy_bounded(k, sizeof(k), key, keylen);
        for (size_t i = 0; i < *n; i++)
                if (strcmp((*arr)[i].key, k) == 0) {
                        int64_t sum;
                        if (add_overflow_i64((*arr)[i].value, value, &sum) || sum == NUM_UNSET)
                                sum = value < 0 ? INT64_MIN + 1 : INT64_MAX;
                        (*arr)[i].value = sum;
                        return 0;
                }
        return kv_append(arr, n, key, keylen, value);
}

const struct key_value *kv_find(const struct key_value *arr, size_t n, const char *key) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(arr[i].key, key) == 0)
                        return &arr[i];
        return NULL;
}
