/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "timestamp.h"

#define S 1000000LL
/* "now" for every test: Tue 2026-12-01 10:20:30.5 UTC */
#define NOW (1796120430LL * S + 500000)

static void set_tz(const char *tz) {
        setenv("TZ", tz, 1);
        tzset();
}

static int64_t parse(const char *s) {
        int64_t v = 12345;
        int k = timestamp_parse(s, NOW, &v);
        if (k < 0)
                return k;
        return v;
}

static void test_spans(void **state) {
        uint64_t v;

        assert_int_equal(timespan_parse_usec("5min", &v), 0);
        assert_int_equal(v, 300 * S);
        assert_int_equal(timespan_parse_usec("1h 30min", &v), 0);
        assert_int_equal(v, 5400 * S);
        assert_int_equal(timespan_parse_usec("1h30min5s", &v), 0);
        assert_int_equal(v, 5405 * S);
        assert_int_equal(timespan_parse_usec("2 days", &v), 0);
        assert_int_equal(v, 2 * 86400 * S);
        assert_int_equal(timespan_parse_usec("1.5s", &v), 0);
        assert_int_equal(v, 1500000);
        assert_int_equal(timespan_parse_usec("300ms", &v), 0);
        assert_int_equal(v, 300000);
        assert_int_equal(timespan_parse_usec("1w", &v), 0);
        assert_int_equal(v, 7 * 86400 * S);
        assert_int_equal(timespan_parse_usec("1M", &v), 0); /* months, not minutes */
        assert_int_equal(v, 2629800 * S);
        assert_int_equal(timespan_parse_usec("1m", &v), 0);
        assert_int_equal(v, 60 * S);
        assert_int_equal(timespan_parse_usec("90", &v), 0); /* bare: seconds */
        assert_int_equal(v, 90 * S);
        assert_int_equal(timespan_parse_usec("", &v), -EINVAL);
        assert_int_equal(timespan_parse_usec("h", &v), -EINVAL);
        assert_int_equal(timespan_parse_usec("5 parsecs", &v), -EINVAL);
        assert_int_equal(timespan_parse_usec("1h 30", &v), -EINVAL);
        assert_int_equal(timespan_parse_usec("99999999999999999999999y", &v), -ERANGE);
        assert_int_equal(timespan_parse_usec("600000y", &v), -ERANGE);
}

static void test_words_and_relative(void **state) {
        set_tz("UTC0");
        assert_int_equal(parse("now"), NOW);
        assert_int_equal(parse("today"), 1796083200LL * S); /* 2026-12-01 00:00 UTC */
        assert_int_equal(parse("yesterday"), 1795996800LL * S);
        assert_int_equal(parse("tomorrow"), 1796169600LL * S);
        assert_int_equal(parse("-1h"), NOW - 3600 * S);
        assert_int_equal(parse("+5min"), NOW + 300 * S);
        assert_int_equal(parse("1h 30min ago"), NOW - 5400 * S);
        assert_int_equal(parse("2 days left"), NOW + 2 * 86400 * S);
        assert_int_equal(parse("  -10s  "), NOW - 10 * S);
        assert_int_equal(parse("@1796120430"), 1796120430LL * S);
        assert_int_equal(parse("@1796120430.25"), 1796120430LL * S + 250000);
        assert_int_equal(parse("@"), -EINVAL);
        assert_int_equal(parse("@12s"), -EINVAL);
        assert_int_equal(parse("-"), -EINVAL);
        assert_int_equal(parse("-1 fortnight"), -EINVAL);
        assert_int_equal(parse("-100000y"), -ERANGE);
        assert_int_equal(parse(""), -EINVAL);
        assert_int_equal(parse("soon"), -EINVAL);
}

static void test_absolute_utc(void **state) {
        set_tz("UTC0");
        assert_int_equal(parse("2026-12-01"), 1796083200LL * S);
        assert_int_equal(parse("2026-12-01 10:00"), 1796119200LL * S);
        assert_int_equal(parse("2026-12-01 10:00:00"), 1796119200LL * S);
        assert_int_equal(parse("2026-12-01T10:00:00"), 1796119200LL * S);
        assert_int_equal(parse("2026-12-01 10:00:00.75"), 1796119200LL * S + 750000);
        assert_int_equal(parse("Tue 2026-12-01 10:00:00"), 1796119200LL * S);
        assert_int_equal(parse("Tuesday 2026-12-01 10:00"), 1796119200LL * S);
        assert_int_equal(parse("Mon 2026-12-01 10:00:00"), -EINVAL); /* wrong weekday */
        assert_int_equal(parse("10:00"), 1796119200LL * S);          /* today's */
        assert_int_equal(parse("10:00:05"), 1796119205LL * S);
        assert_int_equal(parse("2026-02-30"), -EINVAL);
        assert_int_equal(parse("2026-13-01"), -EINVAL);
        assert_int_equal(parse("2026-12-01 25:00"), -EINVAL);
        assert_int_equal(parse("2026-12-01 10"), -EINVAL);
        assert_int_equal(parse("2026-12-01x"), -EINVAL);
        assert_int_equal(parse("2026/12/01"), -EINVAL);
        assert_int_equal(parse("1969-12-31 23:00 UTC"), -ERANGE);
}

static void test_zones(void **state) {
        /* Central European: UTC+1 in winter, +2 in summer (DST chosen by mktime). */
        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        assert_int_equal(parse("2026-12-01 10:00"), 1796115600LL * S); /* 09:00 UTC */
        assert_int_equal(parse("2026-07-01 10:00"), 1782892800LL * S); /* 08:00 UTC */
        assert_int_equal(parse("today"), 1796079600LL * S);            /* 00:00 CET = 23:00 UTC */
        assert_int_equal(parse("2026-12-01 10:00 UTC"), 1796119200LL * S);
        assert_int_equal(parse("2026-12-01T10:00:00Z"), 1796119200LL * S);
        assert_int_equal(parse("2026-12-01T10:00:00+01:00"), 1796115600LL * S);
        assert_int_equal(parse("2026-12-01T10:00:00-0500"), 1796137200LL * S);
        assert_int_equal(parse("2026-12-01 10:00+02"), 1796112000LL * S);
        /* a date alone keeps its "-01": not an offset */
        assert_int_equal(parse("2026-12-01"), 1796079600LL * S);
        set_tz("UTC0");
}

static void test_format(void **state) {
        char buf[TIMESTAMP_TEXT_MAX];

        set_tz("UTC0");
        assert_string_equal(timestamp_format(1796119200LL * S, true, buf), "Tue 2026-12-01 10:00:00 UTC");
        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        assert_string_equal(timestamp_format(1796119200LL * S, false, buf), "Tue 2026-12-01 11:00:00 CET");
        assert_string_equal(timestamp_format(1796119200LL * S, true, buf), "Tue 2026-12-01 10:00:00 UTC");
        assert_string_equal(timestamp_format(NUM_UNSET, false, buf), "-");
        /* what is printed reads back */
        int64_t v;
        assert_int_equal(timestamp_parse("Tue 2026-12-01 11:00:00", NOW, &v), 0);
        assert_int_equal(v, 1796119200LL * S);
        set_tz("UTC0");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_spans),        cmocka_unit_test(test_words_and_relative),
                cmocka_unit_test(test_absolute_utc), cmocka_unit_test(test_zones),
                cmocka_unit_test(test_format),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
