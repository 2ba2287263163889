/* SPDX-License-Identifier: MIT */
/* log_prefix_parse(): every row of the shape table, under --format auto and under each format
 * that does or does not allow it, with the metadata the prefix states; the host memory of
 * short-monotonic lines. (tests/unit/test_log_line.c covers the normaliser around it.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log_prefix.h"
#include "macro.h"
#include "report.h"

struct shape_case {
        const char *line;
        unsigned formats; /* bit per enum log_format that recognises it (auto always does) */
        const char *text; /* under auto; NULL: not recognised */
        int64_t ts_usec, seq;
        int level, facility;
        const char *caller;
};

#define F(x) (1u << LOG_FORMAT_##x)
#define U NUM_UNSET

static const struct shape_case cases[] = {
        { "[ 1234.567890] usb 1-1: x", F(DMESG) | F(SYSLOG), "usb 1-1: x", 1234567890, U, -1, -1, "" },
        { "[12345.5] [  T123] caller", F(DMESG) | F(SYSLOG), "caller", 12345500000, U, -1, -1, "T123" },
        { "[    1.000000] myhost kernel: mono", F(DMESG) | F(SYSLOG), "mono", 1000000, U, -1, 0, "" },
        { "<4>1 2025-11-25T19:08:54Z myhost kernel - - - [ 1.5] rfc", F(SYSLOG) | F(DMESG), "rfc", 1500000, U, 4, 0,
          "" },
        { "<6>Nov 25 19:08:54 myhost kernel: pri bsd", F(SYSLOG) | F(DMESG), "pri bsd", U, U, 6, 0, "" },
        { "<4>[    3.000000] dmesg -r", F(DMESG), "dmesg -r", 3000000, U, 4, 0, "" },
        { "... kernel: [    3.5] elided", F(SYSLOG), "elided", 3500000, U, -1, 0, "" },
        { "6,17,3000000,-,caller=T9;kmsg text", F(KMSG), "kmsg text", 3000000, 17, 6, 0, "T9" },
        { "2025-11-25T19:08:54.123456+01:00 myhost kernel: [ 9.0] iso", F(SYSLOG), "iso", 9000000, U, -1, 0, "" },
        { "Nov 25 19:08:54 myhost kernel: [ 9.25] bsd", F(SYSLOG), "bsd", 9250000, U, -1, 0, "" },
        { "Nov 25 19:08:54 myhost sshd[12]: daemon", F(SYSLOG), "daemon", U, U, -1, 3, "" },
        { "kern  :warn  : [    3.000002] dmesg -x", F(DMESG), "dmesg -x", 3000002, U, 4, 0, "" },
        { "  [    2.000000] indented", F(DMESG) | F(SYSLOG), "indented", 2000000, U, -1, -1, "" },
        { "{\"MESSAGE\":\"json\"}", 0, NULL, U, U, -1, -1, "" },
        { "plain text", 0, NULL, U, U, -1, -1, "" },
        { "Nov 32 19:08:54 myhost kernel: bad day", 0, NULL, U, U, -1, -1, "" },
        { "<4", 0, NULL, U, U, -1, -1, "" },
};

/* Under auto the line gives c->text and the metadata; under a forced format it is recognised
 * exactly when c->formats says so (maybe by another row: dmesg -r takes any "<N>"). */
static void check(const struct shape_case *c, enum log_format format) {
        struct log_host host = {};
        struct log_prefix pl;
        const char *t;

        log_prefix_init(&pl);
        t = log_prefix_parse(format, &host, c->line, strlen(c->line), &pl);
        if (format != LOG_FORMAT_AUTO) {
                if (!t != !(c->formats & (1u << format)))
                        fail_msg("\"%s\" under format %d: %s", c->line, (int) format, t ? "recognised" : "not recognised");
                return;
        }
        if (!c->text) {
                if (t)
                        fail_msg("\"%s\" recognised", c->line);
                return;
        }
        if (!t)
                fail_msg("\"%s\" not recognised", c->line);
        assert_string_equal(t, c->text);
        assert_int_equal(pl.line.ts_usec, c->ts_usec);
        assert_int_equal(pl.line.seq, c->seq);
        assert_int_equal(pl.line.level, c->level);
        assert_int_equal(pl.line.facility, c->facility);
        assert_string_equal(pl.line.caller, c->caller);
}

static void test_rows(void **state) {
        static const enum log_format formats[] = { LOG_FORMAT_AUTO, LOG_FORMAT_KMSG, LOG_FORMAT_DMESG,
                                                   LOG_FORMAT_SYSLOG, LOG_FORMAT_JOURNAL_JSON, LOG_FORMAT_PLAIN };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                for (size_t f = 0; f < ELEMENTSOF(formats); f++)
                        check(&cases[i], formats[f]);
}

/* short-monotonic: an unknown host is taken only with a "kernel:" tag; once known, its other
 * tags mark daemons' lines; a dmesg line whose first word is not the host stays dmesg. */
static void test_host_memory(void **state) {
        static const char *const lines[] = { "[ 1.0] myhost sshd[1]: before", "[ 1.1] myhost kernel: learnt",
                                              "[ 1.2] myhost sshd[1]: after", "[ 1.3] usb 1-1: dmesg" };
        static const char *const texts[] = { "myhost sshd[1]: before", "learnt", "after", "usb 1-1: dmesg" };
        static const int facilities[] = { -1, 0, 3, -1 };
        struct log_host host = {};

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(lines); i++) {
                struct log_prefix pl;
                const char *t;

                log_prefix_init(&pl);
                t = log_prefix_parse(LOG_FORMAT_AUTO, &host, lines[i], strlen(lines[i]), &pl);
                assert_non_null(t);
                assert_string_equal(t, texts[i]);
                assert_int_equal(pl.line.facility, facilities[i]);
        }
        assert_string_equal(host.name, "myhost");
}

/* "[sec.frac]" with every count of digits on either side, with and without text after it:
 * the fraction is read eight digits at a time where the line has them. */
static void test_bracket_ts_digits(void **state) {
        static const char digits[] = "9876543210987654";

        (void) state;
        for (int nd = 0; nd <= 13; nd++)
                for (int nf = 0; nf <= 10; nf++)
                        for (int tail = 0; tail < 2; tail++) {
                                struct log_host host = {};
                                struct log_prefix pl;
                                char line[64];
                                const char *t;
                                int64_t frac = 0;
                                bool ok = nd >= 1 && nd <= 12 && nf >= 1 && nf <= 9;
                                int n = snprintf(line, sizeof(line), "[%.*s.%.*s]%s", nd, digits, nf, digits + 3,
                                                 tail ? " text" : "");

                                for (int i = 0; i < 6; i++)
                                        frac = frac * 10 + (i < nf ? digits[3 + i] - '0' : 0);
                                log_prefix_init(&pl);
                                t = log_prefix_parse(LOG_FORMAT_DMESG, &host, line, (size_t) n, &pl);
                                if (!ok) {
                                        /* not a kernel time: at most the -T/-H date scanner, which fails too */
                                        assert_null(t);
                                        continue;
                                }
                                assert_non_null(t);
                                assert_string_equal(t, tail ? "text" : "");
                                {
                                        int64_t sec = 0;
                                        for (int i = 0; i < nd; i++)
                                                sec = sec * 10 + (digits[i] - '0');
                                        assert_int_equal(pl.line.ts_usec, sec * 1000000 + frac);
                                }
                        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rows),
                cmocka_unit_test(test_host_memory),
                cmocka_unit_test(test_bracket_ts_digits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
