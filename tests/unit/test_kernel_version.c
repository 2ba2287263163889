/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel_version.h"

static void check(const char *release, int a, int b, int c, bool rhel7) {
        struct kernel_version v;

        assert_int_equal(kernel_version_parse(release, &v), 0);
        assert_true(v.known);
        assert_int_equal(v.major, a);
        assert_int_equal(v.minor, b);
        assert_int_equal(v.patch, c);
        assert_int_equal(v.rhel7, rhel7);
        assert_string_equal(v.release, release);
        assert_true(kernel_version_code(&v) == KV(a, b, c));
}

static void test_real_releases(void **state) {
        check("3.14.31-00017-g40fab71", 3, 14, 31, false);
        check("6.1.0-17-arm64", 6, 1, 0, false);
        check("3.10.0-514.6.1.el7.x86_64", 3, 10, 0, true);
        check("3.10.0-1160.49.1.el7.x86_64", 3, 10, 0, true);
        check("5.10.168-gki-gade08d90ed8c-dirty", 5, 10, 168, false);
        check("4.18.0-rc7-work+", 4, 18, 0, false);
        check("2.6.32-24-generic-pae", 2, 6, 32, false);
        check("6.9.0-gentoo-PMacG4", 6, 9, 0, false);
        check("5.13.0-0.rc5.20210611git929d931f2b40.42.fc35.x86_64", 5, 13, 0, false);
        check("4.11.0-rc6-mm1-zram-00289-ge228d67e9677-dirty", 4, 11, 0, false);
        check("5.6.0-rc5+", 5, 6, 0, false);
        check("3.0", 3, 0, 0, false);
        check("6.12", 6, 12, 0, false);
        /* RHEL 7 for ARM is a 4.14 kernel: not the backported 3.10 layout */
        check("4.14.0-115.el7a.aarch64", 4, 14, 0, false);
        /* el8 is not el7 */
        check("4.18.0-305.el8.x86_64", 4, 18, 0, false);
}

static void test_sublevel_and_copy(void **state) {
        struct kernel_version v;

        assert_int_equal(kernel_version_parse("2.6.32.67", &v), 0);
        assert_int_equal(v.patch, 32);
        /* the printed release stops at whitespace */
        assert_int_equal(kernel_version_parse("6.1.0-56-amd64 #1 Debian", &v), 0);
        assert_string_equal(v.release, "6.1.0-56-amd64");
}

static void test_rejects(void **state) {
        struct kernel_version v = { .major = 77 };
        const char *bad[] = {
                "", "abc", "3", "3.", ".3.1", "-3.1", "3.x", "0.1.2", "100.1.1", "3.1000.0",
                "3.14.65536", "3.14.31.2.9", "99999999999999999999.1", "3.14.31.99999999", "3.14.1.",
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(kernel_version_parse(bad[i], &v), -EINVAL);
                assert_int_equal(v.major, 77); /* untouched on failure */
        }
        assert_int_equal(kernel_version_parse(NULL, &v), -EINVAL);
}

static void test_ordering(void **state) {
        struct kernel_version unknown = {};
        struct kv_range r = { KV(3, 8, 0), KV_END(3, 14) };

        assert_true(KV(2, 6, 32) < KV(3, 0, 0));
        assert_true(KV(3, 14, 65) < KV(3, 15, 0));
        assert_true(KV(4, 4, 0) < KV(4, 10, 0));
        assert_true(kernel_version_code(&unknown) == KV_MAX - 1);
        assert_true(kernel_version_code(NULL) == KV_MAX - 1);
        assert_true(kv_range_contains(r, KV(3, 14, 31)));
        assert_true(kv_range_contains(r, KV(3, 8, 0)));
        assert_false(kv_range_contains(r, KV(3, 15, 0)));
        assert_false(kv_range_contains(r, KV(3, 7, 10)));
}

static void test_long_input(void **state) {
        static char buf[1 << 20];
        struct kernel_version v;

        memset(buf, '9', sizeof(buf) - 1);
        buf[sizeof(buf) - 1] = '\0';
        assert_int_equal(kernel_version_parse(buf, &v), -EINVAL);
        memcpy(buf, "5.4.0-", 6);
        memset(buf + 6, 'x', sizeof(buf) - 7);
        assert_int_equal(kernel_version_parse(buf, &v), 0);
        assert_int_equal(strlen(v.release), sizeof(v.release) - 1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_real_releases),
                cmocka_unit_test(test_sublevel_and_copy),
                cmocka_unit_test(test_rejects),
                cmocka_unit_test(test_ordering),
                cmocka_unit_test(test_long_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
