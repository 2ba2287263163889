/* SPDX-License-Identifier: MIT */
/* The tests are written once (DEFINE_BLOCKS) with GCC/clang vector extensions and compiled for
 * each vector width: 16 bytes for every CPU, and on x86-64 also 32 (AVX2) and 64 (AVX-512BW)
 * bytes in functions with a target attribute, picked at run time. The keys are screened on
 * their middle two bytes in the vectors; the rare positions that pass are compared in full. */
#include "line_scan.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "macro.h"

typedef unsigned char u8x16 __attribute__((vector_size(16)));

/* Bit i of the result is the top bit of byte i of a 0/0xff vector. */
static inline uint64_t movemask16(u8x16 m) {
#if defined(__SSE2__)
        return (uint32_t) __builtin_ia32_pmovmskb128((__attribute__((vector_size(16))) char) m);
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint64_t w[2];

        memcpy(w, &m, sizeof(w));
        /* the top bit of byte j of each half lands in bit 56 + j of the product */
        return ((((w[0] & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL) >> 56) |
               ((((w[1] & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL) >> 56) << 8;
#else
        uint64_t r = 0;

        for (unsigned i = 0; i < 16; i++)
                r |= (uint64_t) (m[i] >> 7) << i;
        return r;
#endif
}

/* n blocks: the masks of p[0..64 n) (reads 3 bytes more). A '[' counts as special before any
 * byte above '@' or '/' (a superset of strip_bbcode()'s letter or '/': one compare less). The
 * keys are screened on their middle two bytes (unused key slots repeat key 0), the key bytes
 * compared in full (unused slots masked off). */
/* NOLINTBEGIN(bugprone-macro-parentheses): target_attr is an attribute, not an expression */
#define DEFINE_BLOCKS(name, W, target_attr, MOVEMASK)                                                          \
        typedef unsigned char name##_u __attribute__((vector_size(W)));                                        \
        typedef signed char name##_s __attribute__((vector_size(W)));                                          \
        target_attr static void name(const struct line_scan *s, const char *p, size_t n,                       \
                                     struct line_scan_masks *ret) {                                            \
                unsigned char k1[LINE_SCAN_MAX_KEYS], k2[LINE_SCAN_MAX_KEYS], kb[LINE_SCAN_MAX_BYTES],         \
                        kb_on[LINE_SCAN_MAX_BYTES];                                                            \
                for (size_t j = 0; j < LINE_SCAN_MAX_KEYS; j++) {                                              \
                        k1[j] = (unsigned char) s->keys[j][1];                                                 \
                        k2[j] = (unsigned char) s->keys[j][2];                                                 \
                }                                                                                              \
                for (size_t j = 0; j < LINE_SCAN_MAX_BYTES; j++) {                                             \
                        kb[j] = (unsigned char) s->bytes[j];                                                   \
                        kb_on[j] = j < s->n_bytes ? 0xff : 0;                                                  \
                }                                                                                              \
                for (size_t i = 0; i < n; i++, p += LINE_SCAN_BLOCK) {                                         \
                        uint64_t nl = 0, special = 0, screen = 0;                                              \
                        _Pragma("GCC unroll 4") for (int o = 0; o < LINE_SCAN_BLOCK; o += (W)) {               \
                                name##_u a, b, c, sp, ky = {};                                                 \
                                name##_s bs;                                                                   \
                                memcpy(&a, p + o, W);                                                          \
                                memcpy(&b, p + o + 1, W);                                                      \
                                memcpy(&c, p + o + 2, W);                                                      \
                                bs = (name##_s) b; /* signed: bytes >= 0x80 are below '@' */                   \
                                sp = (name##_u) (a == 0) | (name##_u) (a == '\\') |                            \
                                     ((name##_u) (a == '#') & (name##_u) (b == '0')) |                         \
                                     ((name##_u) (a == '[') & ((name##_u) (bs > '@') | (name##_u) (b == '/'))); \
                                _Pragma("GCC unroll 8") for (size_t j = 0; j < LINE_SCAN_MAX_KEYS; j++)        \
                                        ky |= (name##_u) ((b == k1[j]) & (c == k2[j]));                        \
                                _Pragma("GCC unroll 8") for (size_t j = 0; j < LINE_SCAN_MAX_BYTES; j++)       \
                                        ky |= (name##_u) (a == kb[j]) & kb_on[j];                              \
                                nl |= MOVEMASK((name##_u) (a == '\n')) << o;                                   \
                                special |= MOVEMASK(sp) << o;                                                  \
                                screen |= MOVEMASK(ky) << o;                                                   \
                        }                                                                                      \
                        ret[i] = (struct line_scan_masks) { .nl = nl, .special = special,                      \
                                                            .key = screen ? keys_at(s, p, screen) : 0 };       \
                }                                                                                              \
        }
/* NOLINTEND(bugprone-macro-parentheses) */

/* The positions of screen where a key starts or a key byte is, in full. */
static uint64_t keys_at(const struct line_scan *s, const char *p, uint64_t screen) {
        uint64_t r = 0;

        for (; screen; screen &= screen - 1) {
                unsigned i = (unsigned) __builtin_ctzll(screen);
                uint32_t w;

                memcpy(&w, p + i, sizeof(w));
                for (size_t j = 0; j < s->n_keys; j++)
                        if (w == s->key_words[j])
                                r |= 1ULL << i;
                for (size_t j = 0; j < s->n_bytes; j++)
                        if (p[i] == s->bytes[j])
                                r |= 1ULL << i;
        }
        return r;
}

DEFINE_BLOCKS(blocks_generic, 16, , movemask16)

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define X86_DISPATCH 1
#define MOVEMASK32(m) ((uint64_t) (uint32_t) __builtin_ia32_pmovmskb256((__attribute__((vector_size(32))) char) (m)))
#define MOVEMASK64(m) ((uint64_t) __builtin_ia32_cvtb2mask512((__attribute__((vector_size(64))) char) (m)))
DEFINE_BLOCKS(blocks_avx2, 32, __attribute__((target("avx2"))), MOVEMASK32)
DEFINE_BLOCKS(blocks_avx512, 64, __attribute__((target("avx512bw"))), MOVEMASK64)
#endif

static bool key_byte_ok(char c) {
        return c != '\n' && c != '\0';
}

static bool key_ok(const char key[4]) {
        for (int i = 0; i < 4; i++)
                if (!key_byte_ok(key[i]))
                        return false;
        return true;
}

int line_scan_init(struct line_scan *s, const char (*keys)[4], size_t n_keys, const char *bytes, size_t n_bytes,
                   enum line_scan_isa isa) {
        if (!s || n_keys > LINE_SCAN_MAX_KEYS || (n_keys > 0 && !keys) || n_bytes > LINE_SCAN_MAX_BYTES ||
            (n_bytes > 0 && !bytes))
                return -EINVAL;
        for (size_t i = 0; i < n_keys; i++)
                if (!key_ok(keys[i]))
                        return -EINVAL;
        for (size_t i = 0; i < n_bytes; i++)
                if (!key_byte_ok(bytes[i]))
                        return -EINVAL;
        *s = (struct line_scan) { .n_keys = n_keys, .n_bytes = n_bytes, .blocks = blocks_generic };
        /* unused key slots repeat key 0 (or, with no keys, a pair the screen's full compare
         * then rejects) */
        for (size_t i = 0; i < LINE_SCAN_MAX_KEYS; i++) {
                memcpy(s->keys[i], n_keys > 0 ? keys[i < n_keys ? i : 0] : "\n\n\n\n", 4);
                memcpy(&s->key_words[i], s->keys[i], 4);
        }
        memset(s->bytes, '\n', sizeof(s->bytes)); /* unused slots: masked off in the scan */
        if (n_bytes > 0)
                memcpy(s->bytes, bytes, n_bytes);
        switch (isa) {
        case LINE_SCAN_GENERIC:
                return 0;
#ifdef X86_DISPATCH
        case LINE_SCAN_AUTO:
                if (__builtin_cpu_supports("avx512bw"))
                        s->blocks = blocks_avx512;
                else if (__builtin_cpu_supports("avx2"))
                        s->blocks = blocks_avx2;
                return 0;
        case LINE_SCAN_AVX2:
                if (!__builtin_cpu_supports("avx2"))
                        return -EOPNOTSUPP;
                s->blocks = blocks_avx2;
                return 0;
        case LINE_SCAN_AVX512:
                if (!__builtin_cpu_supports("avx512bw"))
                        return -EOPNOTSUPP;
                s->blocks = blocks_avx512;
                return 0;
#else
        case LINE_SCAN_AUTO:
                return 0;
        case LINE_SCAN_AVX2:
        case LINE_SCAN_AVX512:
                return -EOPNOTSUPP;
#endif
        }
        return -EINVAL;
}

size_t line_scan(const struct line_scan *s, const char *p, const char *end, struct line_scan_masks *ret,
                 size_t max_blocks) {
        /* whole blocks whose 3 bytes of look-ahead lie inside the buffer */
        size_t avail = p < end ? (size_t) (end - p) : 0, n = avail >= 3 ? (avail - 3) / LINE_SCAN_BLOCK : 0;

        n = MIN(n, max_blocks);
        if (n > 0)
                s->blocks(s, p, n, ret);
        /* the rest (at most two blocks): on a copy padded with zero bytes, bits beyond end
         * cleared; a key read partly from the padding cannot match (keys hold no NUL) */
        for (size_t off = n * LINE_SCAN_BLOCK; n < max_blocks && off < avail; n++, off += LINE_SCAN_BLOCK) {
                char tail[LINE_SCAN_BLOCK + 3] = {};
                size_t rest = avail - off;
                uint64_t valid = rest >= LINE_SCAN_BLOCK ? UINT64_MAX : (1ULL << rest) - 1;

                memcpy(tail, p + off, MIN(rest, sizeof(tail)));
                s->blocks(s, tail, 1, &ret[n]);
                ret[n].nl &= valid;
                ret[n].special &= valid;
                ret[n].key &= valid;
        }
        return n;
}
