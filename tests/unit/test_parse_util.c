/* SPDX-License-Identifier: MIT */
/* Bounded scanners, number range checks at the int64 edges, UTF-8-safe copies and the growable
 * key/value arrays of parse_util. Inputs are pieces of real report lines (corpus 022, 046, lab). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_util.h"

static struct scan S(const char *s) { return scan_make(s, strlen(s)); }

static void test_scan_ws_lit(void **state) {
        (void) state;
        struct scan s = S(" \t lowmem_reserve[]: 0 1679");

        scan_ws(&s);
        assert_int_equal(*s.p, 'l');
        assert_false(scan_lit(&s, "lowmem_reserve[]:X"));
        assert_int_equal(*s.p, 'l'); /* untouched on failure */
        assert_true(scan_lit(&s, "lowmem_reserve[]:"));
        assert_int_equal(scan_left(&s), strlen(" 0 1679"));
        /* A literal longer than what is left must not be compared past end. */
        s = scan_make("abc", 2);
        assert_false(scan_lit(&s, "abc"));
        assert_true(scan_lit(&s, "ab"));
        assert_true(scan_eof(&s));
        scan_ws(&s);
        assert_true(scan_eof(&s));
}

static void test_scan_i64(void **state) {
        (void) state;
        struct scan s;
        int64_t v = 42;

        s = S("1165*4kB");
        assert_true(scan_i64(&s, &v));
        assert_int_equal(v, 1165);
        assert_int_equal(*s.p, '*');

        s = S("-1000 systemd-udevd");
        assert_true(scan_i64(&s, &v));
        assert_int_equal(v, -1000);

        /* INT64_MAX is the last accepted value; one more overflows. */
        s = S("9223372036854775807");
        assert_true(scan_i64(&s, &v));
        assert_true(v == INT64_MAX);
        assert_true(scan_eof(&s));
        v = 7;
        s = S("9223372036854775808");
        assert_false(scan_i64(&s, &v));
        assert_int_equal(v, 7);
        assert_ptr_equal(s.p, s.end - 19); /* not advanced */
        s = S("99999999999999999999999");
        assert_false(scan_i64(&s, &v));
        s = S("18446744073709551616"); /* 2^64: wraps a naive uint64 parser to 0 */
        assert_false(scan_i64(&s, &v));
        assert_int_equal(v, 7);

        /* The negative range stops at -INT64_MAX: INT64_MIN is NUM_UNSET. */
        s = S("-9223372036854775807");
        assert_true(scan_i64(&s, &v));
        assert_true(v == -INT64_MAX);
        s = S("-9223372036854775808");
        v = 7;
        assert_false(scan_i64(&s, &v));
        assert_int_equal(v, 7);

        s = S("-");
        assert_false(scan_i64(&s, &v));
        s = S("x1");
        assert_false(scan_i64(&s, &v));
        s = S("");
        assert_false(scan_i64(&s, &v));
        /* Bounded: digits past end are not read. */
        s = scan_make("12345", 3);
        assert_true(scan_i64(&s, &v));
        assert_int_equal(v, 123);
}

static void test_scan_hex(void **state) {
        (void) state;
        struct scan s = S("0x800d0, order=0");
        uint64_t v = 0;
        const char *start = NULL;
        size_t len = 0;

        assert_true(scan_hex(&s, &v, &start, &len));
        assert_int_equal(v, 0x800d0);
        assert_int_equal(len, 7);
        assert_memory_equal(start, "0x800d0", 7);
        assert_int_equal(*s.p, ',');

        s = S("0xCC0(GFP_KERNEL)");
        assert_true(scan_hex(&s, &v, NULL, NULL));
        assert_int_equal(v, 0xcc0);
        assert_int_equal(*s.p, '(');

        s = S("0xffffffffffffffff");
        assert_true(scan_hex(&s, &v, NULL, NULL));
        assert_true(v == UINT64_MAX);
        v = 5;
        s = S("0x1ffffffffffffffff"); /* 17 digits: beyond 64 bits */
        assert_false(scan_hex(&s, &v, NULL, NULL));
        assert_int_equal(v, 5);
        s = S("0x");
        assert_false(scan_hex(&s, &v, NULL, NULL));
        s = S("0xg");
        assert_false(scan_hex(&s, &v, NULL, NULL));
        s = S("800d0");
        assert_false(scan_hex(&s, &v, NULL, NULL));
        s = scan_make("0x12", 2);
        assert_false(scan_hex(&s, &v, NULL, NULL));
}

static void test_scan_token(void **state) {
        (void) state;
        struct scan s = S("  Web Content\tx ");
        const char *t;
        size_t l;

        assert_true(scan_token(&s, &t, &l));
        assert_int_equal(l, 3);
        assert_memory_equal(t, "Web", 3);
        assert_true(scan_token(&s, &t, &l));
        assert_int_equal(l, 7);
        assert_memory_equal(t, "Content", 7);
        assert_true(scan_token(&s, &t, &l));
        assert_int_equal(l, 1);
        assert_false(scan_token(&s, &t, &l));
}

static void test_parse_full_and_unit(void **state) {
        (void) state;
        int64_t v = 0;
        bool kb = false;

        assert_true(parse_i64_full("4096", 4, &v));
        assert_int_equal(v, 4096);
        assert_false(parse_i64_full("4096kB", 6, &v));
        assert_false(parse_i64_full("", 0, &v));
        assert_true(parse_i64_full("-17", 3, &v));
        assert_int_equal(v, -17);
        v = 1;
        assert_false(parse_i64_full("9223372036854775808", 19, &v));
        assert_int_equal(v, 1);

        /* 5.10+ zone lines print "reserved_highatomic:4096KB" with a capital K (corpus 046). */
        assert_true(parse_value_unit("4096KB", 6, &v, &kb));
        assert_int_equal(v, 4096);
        assert_true(kb);
        kb = true;
        assert_true(parse_value_unit("233460", 6, &v, &kb));
        assert_int_equal(v, 233460);
        assert_false(kb);
        assert_true(parse_value_unit("106384kB", 8, &v, &kb));
        assert_int_equal(v, 106384);
        assert_true(kb);
        assert_true(parse_value_unit("333768k", 7, &v, NULL));
        assert_int_equal(v, 333768);
        /* 059's damaged "333768k B" and other trailing junk are rejected. */
        assert_false(parse_value_unit("333768k B", 9, &v, &kb));
        assert_false(parse_value_unit("12MB", 4, &v, &kb));
        assert_false(parse_value_unit("kB", 2, &v, &kb));
        assert_false(parse_value_unit("99999999999999999999kB", 22, &v, &kb));
}

static void test_find_prefix_blank_trim(void **state) {
        (void) state;
        const char *line = "Node 0 DMA32 free:44592kB min:44640kB";
        const char *p;
        size_t l;

        assert_ptr_equal(find_str(line, strlen(line), "min:"), line + 26);
        assert_null(find_str(line, 26, "min:")); /* bounded: the match starts at 26 */
        assert_null(find_str(line, 28, "min:"));  /* ... and must lie wholly inside */
        assert_ptr_equal(find_str(line, strlen(line), ""), line);
        assert_true(has_prefix(line, strlen(line), "Node "));
        assert_false(has_prefix(line, 3, "Node "));
        assert_true(is_blank(" \t\r", 3));
        assert_true(is_blank("", 0));
        assert_false(is_blank("  x", 3));

        p = " \t sh \r";
        l = strlen(p);
        trim(&p, &l);
        assert_int_equal(l, 2);
        assert_memory_equal(p, "sh", 2);
        p = "   ";
        l = 3;
        trim(&p, &l);
        assert_int_equal(l, 0);
}

static void test_copy_bounded(void **state) {
        (void) state;
        char buf[16];
        /* "汉字" is 2 x 3 bytes; "é" 2 bytes; "😀" 4 bytes. */
        const char *han = "ab\xe6\xb1\x89\xe5\xad\x97";

        copy_bounded(buf, sizeof(buf), "php-fpm", 7);
        assert_string_equal(buf, "php-fpm");
        copy_bounded(buf, sizeof(buf), "kworker/u16:2-events", 20);
        assert_string_equal(buf, "kworker/u16:2-e");
        /* Stops at an embedded NUL even when len says more. */
        copy_bounded(buf, sizeof(buf), "ab\0cd", 5);
        assert_string_equal(buf, "ab");
        /* len shorter than the string. */
        copy_bounded(buf, sizeof(buf), "abcdef", 3);
        assert_string_equal(buf, "abc");

        /* Room for 5 bytes: "ab" + the first 3-byte char fits exactly. */
        copy_bounded(buf, 6, han, strlen(han));
        assert_string_equal(buf, "ab\xe6\xb1\x89");
        /* Room for 4 or 3: the first char would be cut, so it is dropped whole. */
        copy_bounded(buf, 5, han, strlen(han));
        assert_string_equal(buf, "ab");
        copy_bounded(buf, 4, han, strlen(han));
        assert_string_equal(buf, "ab");
        /* Room for 7: first char whole, second cut -> dropped. */
        copy_bounded(buf, 8, han, strlen(han));
        assert_string_equal(buf, "ab\xe6\xb1\x89");
        /* Room for 8: everything. */
        copy_bounded(buf, 9, han, strlen(han));
        assert_string_equal(buf, han);
        /* A complete 2-byte character right at the cut stays. */
        copy_bounded(buf, 4, "a\xc3\xa9" "b", 4);
        assert_string_equal(buf, "a\xc3\xa9");
        copy_bounded(buf, 3, "a\xc3\xa9" "b", 4);
        assert_string_equal(buf, "a");
        /* 4-byte character cut after 1, 2 and 3 bytes. */
        for (size_t room = 2; room <= 4; room++) {
                copy_bounded(buf, room + 1, "x\xf0\x9f\x98\x80y", 6);
                assert_string_equal(buf, "x");
        }
        copy_bounded(buf, 6, "x\xf0\x9f\x98\x80y", 6);
        assert_string_equal(buf, "x\xf0\x9f\x98\x80");
        /* Invalid bytes (stray continuation bytes) are copied, not looped on. */
        copy_bounded(buf, 4, "\x80\x80\x80\x80\x80", 5);
        assert_int_equal(strlen(buf), 3);

        buf[0] = 'Z';
        copy_bounded(buf, 0, "abc", 3); /* no room at all: untouched */
        assert_int_equal(buf[0], 'Z');
        copy_bounded(buf, 1, "abc", 3);
        assert_string_equal(buf, "");
}

static void test_add_overflow(void **state) {
        (void) state;
        int64_t r = 0;

        assert_false(add_overflow_i64(INT64_MAX - 1, 1, &r));
        assert_true(r == INT64_MAX);
        assert_true(add_overflow_i64(INT64_MAX, 1, &r));
        assert_true(add_overflow_i64(-INT64_MAX, -2, &r));
        assert_false(add_overflow_i64(-5, 3, &r));
        assert_int_equal(r, -2);
}

static void test_kv_lists(void **state) {
        (void) state;
        _cleanup_free_ struct key_value *kv = NULL;
        size_t n = 0;
        const struct key_value *f;

        assert_int_equal(kv_append(&kv, &n, "active_anon:21860", 11, 21860), 0);
        assert_int_equal(kv_append(&kv, &n, "free", 4, 535262), 0);
        assert_int_equal(n, 2);
        assert_string_equal(kv[0].key, "active_anon");
        f = kv_find(kv, n, "free");
        assert_non_null(f);
        assert_int_equal(f->value, 535262);
        assert_null(kv_find(kv, n, "fre"));

        /* Summed "Node N" lines. */
        assert_int_equal(kv_accumulate(&kv, &n, "free", 4, 100), 0);
        assert_int_equal(n, 2);
        assert_int_equal(kv_find(kv, n, "free")->value, 535362);
        assert_int_equal(kv_accumulate(&kv, &n, "shmem", 5, 7), 0);
        assert_int_equal(n, 3);
        assert_int_equal(kv_find(kv, n, "shmem")->value, 7);

        /* Saturation instead of wrap-around (corpus has min:99395541895224kB). */
        assert_int_equal(kv_accumulate(&kv, &n, "shmem", 5, INT64_MAX), 0);
        assert_true(kv_find(kv, n, "shmem")->value == INT64_MAX);
        assert_int_equal(kv_append(&kv, &n, "neg", 3, -INT64_MAX), 0);
        assert_int_equal(kv_accumulate(&kv, &n, "neg", 3, -1), 0);
        /* -INT64_MAX - 1 is INT64_MIN, i.e. NUM_UNSET: must saturate one above it. */
        assert_true(kv_find(kv, n, "neg")->value == INT64_MIN + 1);
        assert_true(num_set(kv_find(kv, n, "neg")->value));

        /* A key longer than OOM_NAME_MAX is truncated, NUL-terminated. */
        {
                char longkey[200];
                memset(longkey, 'k', sizeof(longkey));
                assert_int_equal(kv_append(&kv, &n, longkey, sizeof(longkey), 1), 0);
                assert_int_equal(strlen(kv[n - 1].key), OOM_NAME_MAX - 1);
        }
}

static void test_kv_limit(void **state) {
        (void) state;
        _cleanup_free_ struct key_value *kv = NULL;
        size_t n = 0;

        for (size_t i = 0; i < KV_LIST_MAX; i++) {
                char k[16];
                int l = snprintf(k, sizeof(k), "k%zu", i);
                assert_int_equal(kv_append(&kv, &n, k, (size_t) l, (int64_t) i), 0);
        }
        assert_int_equal(n, KV_LIST_MAX);
        assert_int_equal(kv_append(&kv, &n, "x", 1, 1), -E2BIG);
        assert_int_equal(n, KV_LIST_MAX);
        /* Every element written is still there (the growth kept them all). */
        assert_int_equal(kv_find(kv, n, "k0")->value, 0);
        assert_int_equal(kv_find(kv, n, "k4095")->value, 4095);
        assert_int_equal(kv_find(kv, n, "k2049")->value, 2049);
}

static void test_array_grow(void **state) {
        (void) state;
        _cleanup_free_ int64_t *a = NULL;
        size_t n;

        /* Write each index right after growing: ASan catches a capacity that is short. */
        for (n = 0; n < 100; n++) {
                assert_int_equal(array_grow((void **) &a, n, sizeof(*a), 100), 0);
                a[n] = (int64_t) n * 3;
        }
        assert_int_equal(array_grow((void **) &a, n, sizeof(*a), 100), -E2BIG);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(a[i], (int64_t) i * 3);

        /* Caps below the first chunk and between powers of two. */
        {
                _cleanup_free_ int64_t *b = NULL;
                for (n = 0; n < 3; n++) {
                        assert_int_equal(array_grow((void **) &b, n, sizeof(*b), 3), 0);
                        b[n] = 1;
                }
                assert_int_equal(array_grow((void **) &b, 3, sizeof(*b), 3), -E2BIG);
        }
        {
                _cleanup_free_ int64_t *c = NULL;
                assert_int_equal(array_grow((void **) &c, 0, sizeof(*c), 0), -E2BIG);
                assert_null(c);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scan_ws_lit),
                cmocka_unit_test(test_scan_i64),
                cmocka_unit_test(test_scan_hex),
                cmocka_unit_test(test_scan_token),
                cmocka_unit_test(test_parse_full_and_unit),
                cmocka_unit_test(test_find_prefix_blank_trim),
                cmocka_unit_test(test_copy_bounded),
                cmocka_unit_test(test_add_overflow),
                cmocka_unit_test(test_kv_lists),
                cmocka_unit_test(test_kv_limit),
                cmocka_unit_test(test_array_grow),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
