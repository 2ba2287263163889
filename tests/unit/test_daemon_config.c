/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_config.h"

static int parse(struct daemon_config *c, const char *text, struct config_error *err) {
        daemon_config_defaults(c);
        return daemon_config_parse_buffer(c, "test.conf", text, strlen(text), err);
}

static void test_defaults_and_values(void **state) {
        struct daemon_config c;
        struct config_error err;
        assert_int_equal(parse(&c,
                               "# comment\n; other comment\n\n[Spool]\nDirectory = /tmp/x\nMaxReports=5\n"
                               "MaxUse=1.5M\nKeepFree=2G\nRetrySec=250ms\n[Kmsg]\nMaxRecordsPerDispatch=7\n"
                               "[Journal]\nEnabled=no\n[RateLimit]\nBurst=3\nIntervalSec=2min\n"
                               "[Assembler]\nReaperWaitSec=1.5\n",
                               &err),
                         0);
        assert_string_equal(c.spool_dir, "/tmp/x");
        assert_int_equal(c.max_reports, 5);
        assert_int_equal(c.max_use_bytes, 1572864);
        assert_int_equal(c.keep_free_bytes, 2ULL << 30);
        assert_int_equal(c.retry_usec, 250000);
        assert_int_equal(c.max_records_per_dispatch, 7);
        assert_false(c.journal);
        assert_int_equal(c.rate_burst, 3);
        assert_int_equal(c.rate_interval_usec, 120000000);
        assert_int_equal(c.reaper_wait_usec, 1500000);
        assert_string_equal(c.kmsg_path, "/dev/kmsg"); /* untouched default */
}

static void test_empty_value_resets(void **state) {
        struct daemon_config c, d;
        struct config_error err;
        daemon_config_defaults(&d);
        assert_int_equal(parse(&c, "[Spool]\nMaxReports=5\nMaxReports=\nDirectory=/a\nDirectory=\n", &err), 0);
        assert_int_equal(c.max_reports, d.max_reports);
        assert_string_equal(c.spool_dir, d.spool_dir);
}

static void test_metrics_directory(void **state) {
        struct daemon_config c;
        struct config_error err;

        assert_int_equal(parse(&c, "", &err), 0);
        assert_string_equal(c.metrics_dir, ""); /* off by default */
        assert_int_equal(parse(&c, "[Metrics]\nTextfileDirectory=/var/lib/prometheus/node-exporter\n", &err), 0);
        assert_string_equal(c.metrics_dir, "/var/lib/prometheus/node-exporter");
        assert_int_equal(parse(&c, "[Metrics]\nTextfileDirectory=/x\nTextfileDirectory=\n", &err), 0);
        assert_string_equal(c.metrics_dir, "");
        assert_int_equal(parse(&c, "[Metrics]\nTextfileDirectory=node-exporter\n", &err), -EINVAL);
        assert_int_equal(err.line, 2);
        assert_non_null(strstr(err.reason, "absolute"));
}

static void test_errors_name_line(void **state) {
        struct daemon_config c;
        struct config_error err;

        assert_int_equal(parse(&c, "[Spool]\n\nMaxReprts=5\n", &err), -EINVAL);
        assert_string_equal(err.file, "test.conf");
        assert_int_equal(err.line, 3);
        assert_non_null(strstr(err.reason, "unknown key MaxReprts="));

        assert_int_equal(parse(&c, "[Bogus]\n", &err), -EINVAL);
        assert_int_equal(err.line, 1);
        assert_non_null(strstr(err.reason, "unknown section"));

        assert_int_equal(parse(&c, "MaxReports=1\n", &err), -EINVAL);
        assert_non_null(strstr(err.reason, "outside of any section"));

        assert_int_equal(parse(&c, "[Spool]\nMaxUse=lots\n", &err), -EINVAL);
        assert_int_equal(err.line, 2);
        assert_non_null(strstr(err.reason, "MaxUse="));

        assert_int_equal(parse(&c, "[Spool]\nDirectory=relative/path\n", &err), -EINVAL);
        assert_non_null(strstr(err.reason, "absolute"));

        assert_int_equal(parse(&c, "[Journal]\nEnabled=maybe\n", &err), -EINVAL);
        assert_int_equal(parse(&c, "[Spool]\nMaxReports=-1\n", &err), -EINVAL);
        assert_int_equal(parse(&c, "[Spool]\nMaxReports=99999999999999999999999\n", &err), -EINVAL);
        assert_non_null(strstr(err.reason, "out of range"));
        assert_int_equal(parse(&c, "[Kmsg]\nMaxRecordsPerDispatch=0\n", &err), -EINVAL);
        assert_int_equal(parse(&c, "[Kmsg\n", &err), -EINVAL);
        assert_int_equal(parse(&c, "[Spool]\njunk\n", &err), -EINVAL);
        assert_int_equal(parse(&c, "[Kmsg]\nBootId=a/b\n", &err), -EINVAL);
}

static void test_nul_and_long_lines(void **state) {
        struct daemon_config c;
        struct config_error err;
        char buf[8192];
        daemon_config_defaults(&c);
        assert_int_equal(daemon_config_parse_buffer(&c, "x", "[Spool]\nMax\0Reports=1\n", 21, &err), -EINVAL);
        assert_int_equal(err.line, 2);
        memset(buf, 'a', sizeof buf);
        assert_int_equal(daemon_config_parse_buffer(&c, "x", buf, sizeof buf, &err), -EINVAL);
        assert_non_null(strstr(err.reason, "too long"));
}

static void test_value_parsers(void **state) {
        uint64_t v;
        bool b;
        assert_int_equal(parse_time_span_usec("10", &v), 0);
        assert_int_equal(v, 10000000);
        assert_int_equal(parse_time_span_usec("3us", &v), 0);
        assert_int_equal(v, 3);
        assert_int_equal(parse_time_span_usec("1h", &v), 0);
        assert_int_equal(v, 3600000000ULL);
        assert_int_equal(parse_time_span_usec("1 x", &v), -EINVAL);
        assert_int_equal(parse_time_span_usec("", &v), -EINVAL);
        assert_int_equal(parse_time_span_usec("99999999999999999999h", &v), -ERANGE);
        assert_int_equal(parse_size_bytes("64K", &v), 0);
        assert_int_equal(v, 65536);
        assert_int_equal(parse_size_bytes("100", &v), 0);
        assert_int_equal(v, 100);
        assert_int_equal(parse_size_bytes("20000000T", &v), -ERANGE);
        assert_int_equal(parse_size_bytes("5X", &v), -EINVAL);
        assert_int_equal(parse_boolean("On", &b), 0);
        assert_true(b);
        assert_int_equal(parse_boolean("off", &b), 0);
        assert_false(b);
}

static void test_load_with_dropins(void **state) {
        char dir[] = "/tmp/test_daemon_config.XXXXXX", path[256], dpath[300], f[400];
        struct daemon_config c;
        struct config_error err;
        FILE *fp;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/oomlensd.conf", dir);
        snprintf(dpath, sizeof dpath, "%s.d", path);
        assert_int_equal(mkdir(dpath, 0755), 0);
        fp = fopen(path, "w");
        fputs("[Spool]\nMaxReports=10\nMaxUse=1M\n", fp);
        fclose(fp);
        snprintf(f, sizeof f, "%s/20-b.conf", dpath);
        fp = fopen(f, "w");
        fputs("[Spool]\nMaxReports=30\n", fp);
        fclose(fp);
        snprintf(f, sizeof f, "%s/10-a.conf", dpath);
        fp = fopen(f, "w");
        fputs("[Spool]\nMaxReports=20\nKeepFree=1K\n", fp);
        fclose(fp);
        snprintf(f, sizeof f, "%s/ignored.txt", dpath);
        fp = fopen(f, "w");
        fputs("garbage\n", fp);
        fclose(fp);

        assert_int_equal(daemon_config_load(path, true, &c, &err), 0);
        assert_int_equal(c.max_reports, 30); /* 20-b after 10-a after the main file */
        assert_int_equal(c.keep_free_bytes, 1024);
        assert_int_equal(c.max_use_bytes, 1 << 20);

        /* An error in a drop-in names the drop-in. */
        fp = fopen(f, "w");
        fclose(fp);
        snprintf(f, sizeof f, "%s/30-bad.conf", dpath);
        fp = fopen(f, "w");
        fputs("[Spool]\n\n\nMaxUse=x\n", fp);
        fclose(fp);
        c.max_reports = 777;
        assert_int_equal(daemon_config_load(path, true, &c, &err), -EINVAL);
        assert_int_equal(c.max_reports, 777); /* untouched on failure */
        assert_non_null(strstr(err.file, "30-bad.conf"));
        assert_int_equal(err.line, 4);
        unlink(f);
        snprintf(f, sizeof f, "%s/ignored.txt", dpath);
        unlink(f);
        snprintf(f, sizeof f, "%s/20-b.conf", dpath);
        unlink(f);
        snprintf(f, sizeof f, "%s/10-a.conf", dpath);
        unlink(f);
        rmdir(dpath);
        unlink(path);

        /* Missing main file: defaults unless it was asked for explicitly. */
        assert_int_equal(daemon_config_load(path, false, &c, &err), 0);
        assert_int_equal(c.max_reports, 1000);
        assert_int_equal(daemon_config_load(path, true, &c, &err), -ENOENT);
        assert_string_equal(err.file, path);
        rmdir(dir);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults_and_values),
                cmocka_unit_test(test_empty_value_resets),
                cmocka_unit_test(test_metrics_directory),
                cmocka_unit_test(test_errors_name_line),
                cmocka_unit_test(test_nul_and_long_lines),
                cmocka_unit_test(test_value_parsers),
                cmocka_unit_test(test_load_with_dropins),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
