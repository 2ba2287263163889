/* SPDX-License-Identifier: MIT */
/* human_kb()/human_kb_mib() at the unit boundaries; values from real reports (lab hog-512M:
 * managed 451036kB, corpus 046: present 6724288kB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "human_size.h"
#include "report.h"

static const char *H(int64_t kb, char *buf) { return human_kb(kb, buf, HUMAN_SIZE_MAX); }
static const char *M(int64_t kb, char *buf) { return human_kb_mib(kb, buf, HUMAN_SIZE_MAX); }

static void test_kb_range(void **state) {
        (void) state;
        char b[HUMAN_SIZE_MAX];

        assert_string_equal(H(0, b), "0 kB");
        assert_string_equal(H(4, b), "4 kB");
        assert_string_equal(H(1023, b), "1023 kB");
        assert_string_equal(H(1024, b), "1.0 MiB");
        assert_string_equal(H(1536, b), "1.5 MiB");
        assert_string_equal(H(451036, b), "440.5 MiB");
        assert_ptr_equal(human_kb(1, b, sizeof(b)), b);
}

static void test_unit_switch(void **state) {
        (void) state;
        char b[HUMAN_SIZE_MAX];

        /* Just below 1 GiB: switch to GiB only when "%.1f MiB" would print 1024.0. */
        assert_string_equal(H(1048575, b), "1.0 GiB");
        assert_string_equal(H(1048473, b), "1023.9 MiB");
        assert_string_equal(H(1048576, b), "1.0 GiB");
        assert_string_equal(H(6724288, b), "6.4 GiB");
        assert_string_equal(H(INT64_C(1) << 30, b), "1.0 TiB");
        assert_string_equal(H((INT64_C(1) << 30) * 3 / 2, b), "1.5 TiB");
        assert_string_equal(H(INT64_C(1) << 40, b), "1.0 PiB");
        assert_string_equal(H(INT64_C(1) << 50, b), "1.0 EiB");
        /* INT64_MAX kB = 8 ZiB: the last unit, no overrun of the unit table. */
        assert_string_equal(H(INT64_MAX, b), "8.0 ZiB");
}

static void test_negative_unset(void **state) {
        (void) state;
        char b[HUMAN_SIZE_MAX];

        assert_string_equal(H(NUM_UNSET, b), "?");
        assert_string_equal(H(-1, b), "-1 kB");
        assert_string_equal(H(-1023, b), "-1023 kB");
        assert_string_equal(H(-1024, b), "-1.0 MiB");
        assert_string_equal(H(-2048 * 1024, b), "-2.0 GiB");
        /* The most negative set value must not overflow when negated. */
        assert_string_equal(H(INT64_MIN + 1, b), "-8.0 ZiB");
}

static void test_small_buffers(void **state) {
        (void) state;
        char b[8];

        memset(b, 'X', sizeof(b));
        human_kb(451036, b, 4);
        assert_string_equal(b, "440");
        memset(b, 'X', sizeof(b));
        human_kb(451036, b, 1);
        assert_string_equal(b, "");
        b[0] = 'X';
        human_kb(451036, b, 0);
        assert_int_equal(b[0], 'X');
        human_kb_mib(451036, b, 0);
        assert_int_equal(b[0], 'X');
        human_kb_mib(NUM_UNSET, b, 2);
        assert_string_equal(b, "?");
}

static void test_mib(void **state) {
        (void) state;
        char b[HUMAN_SIZE_MAX];

        assert_string_equal(M(0, b), "0 MiB");
        assert_string_equal(M(511, b), "0 MiB");
        assert_string_equal(M(512, b), "1 MiB"); /* rounds half up */
        assert_string_equal(M(1024, b), "1 MiB");
        assert_string_equal(M(231424, b), "226 MiB");
        assert_string_equal(M(231936, b), "227 MiB");
        assert_string_equal(M(NUM_UNSET, b), "?");
        assert_string_equal(M(-2048, b), "-2 MiB");
        /* No overflow at the top: (kb + 512) would wrap. */
        assert_string_equal(M(INT64_MAX, b), "9007199254740991 MiB");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kb_range),
                cmocka_unit_test(test_unit_switch),
                cmocka_unit_test(test_negative_unset),
                cmocka_unit_test(test_small_buffers),
                cmocka_unit_test(test_mib),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
