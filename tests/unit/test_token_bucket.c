/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "token_bucket.h"

static void test_burst_then_suppress(void **state) {
        struct token_bucket b;
        token_bucket_init(&b, 3, 3000000, 1000);
        assert_true(token_bucket_take(&b, 1000));
        assert_true(token_bucket_take(&b, 1000));
        assert_true(token_bucket_take(&b, 1000));
        assert_false(token_bucket_take(&b, 1000));
        assert_false(token_bucket_take(&b, 1500));
        assert_int_equal(b.suppressed, 2);
        assert_int_equal(token_bucket_reset_suppressed(&b), 2);
        assert_int_equal(b.suppressed, 0);
        assert_int_equal(b.suppressed_total, 2);
}

static void test_refill_rate(void **state) {
        struct token_bucket b;
        token_bucket_init(&b, 2, 2000000, 0); /* one token per second */
        assert_true(token_bucket_take(&b, 0));
        assert_true(token_bucket_take(&b, 0));
        assert_false(token_bucket_take(&b, 999999));
        assert_int_equal(token_bucket_next_token_usec(&b, 999999), 1000000);
        assert_true(token_bucket_take(&b, 1000000));
        assert_false(token_bucket_take(&b, 1000001));
        /* A long pause refills only up to the burst. */
        assert_true(token_bucket_take(&b, 100000000));
        assert_true(token_bucket_take(&b, 100000000));
        assert_false(token_bucket_take(&b, 100000000));
}

static void test_time_backwards_mints_nothing(void **state) {
        struct token_bucket b;
        token_bucket_init(&b, 1, 1000000, 5000000);
        assert_true(token_bucket_take(&b, 5000000));
        assert_false(token_bucket_take(&b, 10));
        assert_false(token_bucket_take(&b, 5000001));
        assert_true(token_bucket_take(&b, 6000000));
}

static void test_unlimited(void **state) {
        struct token_bucket b;
        token_bucket_init(&b, 0, 1000000, 0);
        for (int i = 0; i < 10000; i++)
                assert_true(token_bucket_take(&b, 0));
        assert_int_equal(b.suppressed_total, 0);
}

static void test_reconfigure_clamps(void **state) {
        struct token_bucket b;
        token_bucket_init(&b, 10, 1000000, 0);
        token_bucket_reconfigure(&b, 1, 1000000);
        assert_int_equal(b.tokens, 1);
        assert_true(token_bucket_take(&b, 0));
        assert_false(token_bucket_take(&b, 0));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_burst_then_suppress),
                cmocka_unit_test(test_refill_rate),
                cmocka_unit_test(test_time_backwards_mints_nothing),
                cmocka_unit_test(test_unlimited),
                cmocka_unit_test(test_reconfigure_clamps),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
