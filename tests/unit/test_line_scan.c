/* SPDX-License-Identifier: MIT */
/* line_scan(): every vector width this CPU runs against a byte-by-byte reference, on random
 * buffers dense in the bytes it looks for, at every length and alignment, with the buffer end
 * anywhere in a block. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "line_scan.h"
#include "macro.h"

static const char keys[LINE_SCAN_MAX_KEYS][4] = {
        { 'm', '-', 'k', 'i' }, { 'a', 'l', 'l', 'o' }, { 'S', 'y', 's', 'R' },
        { 'r', 'e', 'e', ':' }, { 'r', '-', 'c', 'p' }, { 'l', 'l', 'b', 'a' },
};
static const char key_bytes[LINE_SCAN_MAX_BYTES] = { '*' };

/* The reference: bit i of block b is byte 64b + i of [p, end). */
static void reference(const char *p, const char *end, size_t n_keys, size_t n_bytes, size_t block,
                      struct line_scan_masks *ret) {
        *ret = (struct line_scan_masks) {};
        for (unsigned i = 0; i < LINE_SCAN_BLOCK; i++) {
                const char *q = p + block * LINE_SCAN_BLOCK + i;
                char next = q + 1 < end ? q[1] : '\0';

                if (q >= end)
                        break;
                if (*q == '\n')
                        ret->nl |= 1ULL << i;
                if (*q == '\0' || *q == '\\' || (*q == '#' && next == '0') ||
                    (*q == '[' && ((signed char) next > '@' || next == '/')))
                        ret->special |= 1ULL << i;
                for (size_t k = 0; k < n_keys; k++)
                        if (end - q >= 4 && memcmp(q, keys[k], 4) == 0)
                                ret->key |= 1ULL << i;
                for (size_t k = 0; k < n_bytes; k++)
                        if (*q == key_bytes[k])
                                ret->key |= 1ULL << i;
        }
}

/* Bytes that make the tests fire, and their neighbours. */
static const char alphabet[] = "\n\n\0\\#0[[aZ/ -kimlloSysRx9\xc3\xa9@`{re:cpb*";

static void fill(char *buf, size_t n, uint64_t *rnd) {
        for (size_t i = 0; i < n; i++) {
                *rnd = *rnd * 6364136223846793005ULL + 1442695040888963407ULL;
                buf[i] = alphabet[(*rnd >> 33) % (sizeof(alphabet) - 1)];
        }
        /* whole keys now and then, so that the full compare is reached */
        for (size_t i = 0; i + 4 <= n; i += 37)
                memcpy(buf + i, keys[(i / 37) % LINE_SCAN_MAX_KEYS], 4);
}

static void check_isa(enum line_scan_isa isa, size_t n_keys, size_t n_bytes) {
        struct line_scan s;
        uint64_t rnd = 42 + isa + n_keys + 7 * n_bytes;
        char buf[3 * LINE_SCAN_BLOCK + 80];
        int k = line_scan_init(&s, keys, n_keys, key_bytes, n_bytes, isa);

        if (k == -EOPNOTSUPP) {
                print_message("isa %d not on this CPU\n", (int) isa);
                return;
        }
        assert_int_equal(k, 0);
        for (unsigned round = 0; round < 6; round++) {
                fill(buf, sizeof(buf), &rnd);
                for (size_t off = 0; off < 8; off++)
                        for (size_t len = 0; off + len <= sizeof(buf); len++) {
                                struct line_scan_masks got[4], want;
                                const char *p = buf + off, *end = p + len;
                                size_t n = line_scan(&s, p, end, got, 4);

                                assert_int_equal(n, MIN((size_t) 4, (len + LINE_SCAN_BLOCK - 1) / LINE_SCAN_BLOCK));
                                for (size_t b = 0; b < n; b++) {
                                        reference(p, end, n_keys, n_bytes, b, &want);
                                        if (got[b].nl != want.nl || got[b].special != want.special ||
                                            got[b].key != want.key)
                                                fail_msg("isa %d keys %zu/%zu off %zu len %zu block %zu: "
                                                         "nl %llx/%llx special %llx/%llx key %llx/%llx",
                                                         (int) isa, n_keys, n_bytes, off, len, b,
                                                         (unsigned long long) got[b].nl, (unsigned long long) want.nl,
                                                         (unsigned long long) got[b].special,
                                                         (unsigned long long) want.special,
                                                         (unsigned long long) got[b].key, (unsigned long long) want.key);
                                }
                        }
        }
}

static void test_every_isa(void **state) {
        (void) state;
        for (enum line_scan_isa isa = LINE_SCAN_AUTO; isa <= LINE_SCAN_AVX512; isa++)
                for (size_t n_keys = 0; n_keys <= LINE_SCAN_MAX_KEYS; n_keys++)
                        for (size_t n_bytes = 0; n_bytes <= LINE_SCAN_MAX_BYTES; n_bytes++)
                                check_isa(isa, n_keys, n_bytes);
}

/* max_blocks bounds the work; a buffer shorter than the look-ahead still gets its block. */
static void test_limits(void **state) {
        struct line_scan s;
        struct line_scan_masks m[2];
        char buf[4 * LINE_SCAN_BLOCK];

        (void) state;
        memset(buf, 'x', sizeof(buf));
        buf[5] = '\n';
        assert_int_equal(line_scan_init(&s, keys, 3, key_bytes, 1, LINE_SCAN_AUTO), 0);
        assert_int_equal(line_scan(&s, buf, buf + sizeof(buf), m, 2), 2);
        assert_int_equal(m[0].nl, 1ULL << 5);
        assert_int_equal(line_scan(&s, buf, buf + 1, m, 2), 1);
        assert_int_equal(m[0].nl, 0);
        assert_int_equal(line_scan(&s, buf, buf, m, 2), 0);
        assert_int_equal(line_scan(&s, buf, buf + sizeof(buf), m, 0), 0);
}

static void test_bad_keys(void **state) {
        static const char nl_key[1][4] = { { 'a', '\n', 'b', 'c' } }, nul_key[1][4] = { { 'a', 'b', 'c', '\0' } };
        struct line_scan s;

        (void) state;
        assert_int_equal(line_scan_init(&s, nl_key, 1, NULL, 0, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, nul_key, 1, NULL, 0, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, keys, LINE_SCAN_MAX_KEYS + 1, NULL, 0, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, keys, 1, "\n", 1, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, keys, 1, "", 1, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, keys, 1, key_bytes, LINE_SCAN_MAX_BYTES + 1, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(NULL, keys, 1, NULL, 0, LINE_SCAN_AUTO), -EINVAL);
        assert_int_equal(line_scan_init(&s, keys, 3, NULL, 0, (enum line_scan_isa) 99), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_isa),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_bad_keys),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
