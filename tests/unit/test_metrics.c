/* SPDX-License-Identifier: MIT */
/* The Prometheus textfile: names, HELP/TYPE lines, label escaping, values from reports and the
 * manager's counters (rendering is pure); the writer on a real sd-event loop: written after a
 * dispatch, not rewritten when nothing changed, changes coalesced by a timer, errors reported
 * once. The file is also parsed by prometheus_client in tests/integration/daemon_metrics.sh. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon_config.h"
#include "file_read.h"
#include "manager.h"
#include "metrics.h"

static struct oom_report *report(enum report_kind kind, enum cause_code cause, bool victim, int64_t ts_usec) {
        struct oom_report *r = NULL;
        assert_int_equal(oom_report_new(&r), 0);
        r->kind = kind;
        r->has_victim = victim;
        r->ts_usec = ts_usec;
        r->n_causes = 2;
        r->causes[0].code = CAUSE_UNKNOWN; /* not primary: the primary one counts */
        r->causes[1].code = cause;
        r->causes[1].primary = true;
        return r;
}

/* The value of the sample line that starts with `series ` (NULL if none). */
static const char *sample(const char *text, const char *series) {
        size_t l = strlen(series);
        for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, series, l) == 0 && p[l] == ' ')
                        return p + l + 1;
        return NULL;
}

/* The integer value of a series; it must be there, followed by the end of the line. */
static long value(const char *text, const char *series) {
        const char *v = sample(text, series);
        char *end = NULL;
        long n;

        if (!v) {
                print_error("no sample for %s\n", series);
                fail();
        }
        n = strtol(v, &end, 10);
        assert_true(end > v && *end == '\n');
        return n;
}

static long count_lines(const char *text, const char *prefix) {
        long n = 0;
        for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, prefix, strlen(prefix)) == 0)
                        n++;
        return n;
}

static void test_escape(void **state) {
        char buf[64];
        (void)state;
        assert_int_equal(metrics_escape_label_value("memcg_limit", buf, sizeof buf), 11);
        assert_string_equal(buf, "memcg_limit");
        assert_int_equal(metrics_escape_label_value("a\"b\\c\nd", buf, sizeof buf), 10);
        assert_string_equal(buf, "a\\\"b\\\\c\\nd");
        assert_int_equal(metrics_escape_label_value("", buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(metrics_escape_label_value("abcd", buf, 4), -ENOBUFS);
        assert_int_equal(metrics_escape_label_value("a\"", buf, 3), -ENOBUFS);
        assert_int_equal(metrics_escape_label_value("ab", buf, 3), 2);
}

static void test_render_zero(void **state) {
        struct metrics_state s;
        struct manager_counters c = {};
        char *text = NULL;
        size_t len = 0;
        (void)state;

        metrics_state_init(&s, 1700000000123456);
        assert_int_equal(metrics_render(&s, &c, &text, &len), 0);
        assert_int_equal(strlen(text), len);
        /* Every kill kind x cause and every allocation-failure cause, present at zero. */
        assert_int_equal(count_lines(text, "oomlens_kills_total{"), 5 * _CAUSE_MAX);
        assert_int_equal(count_lines(text, "oomlens_allocation_failures_total{"), _CAUSE_MAX);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"memcg\",cause=\"memcg_limit\"}"), 0);
        assert_null(sample(text, "oomlens_kills_total{kind=\"alloc_failure\",cause=\"unknown\"}"));
        /* One HELP and one TYPE per metric family, each before its samples. */
        assert_int_equal(count_lines(text, "# HELP "), count_lines(text, "# TYPE "));
        assert_int_equal(count_lines(text, "# TYPE oomlens_kills_total counter"), 1);
        assert_int_equal(count_lines(text, "# TYPE oomlens_spool_pending_files gauge"), 1);
        assert_true(strstr(text, "# TYPE oomlens_reports_total counter\noomlens_reports_total 0\n") != NULL);
        /* No kill yet: no timestamp rather than 1970. */
        assert_null(strstr(text, "oomlens_last_kill_timestamp_seconds "));
        assert_non_null(strstr(text, "oomlens_start_time_seconds 1700000000.123456\n"));
        /* Counters end in _total, the text ends in a newline. */
        assert_int_equal(text[len - 1], '\n');
        free(text);
}

static void test_render_values(void **state) {
        struct metrics_state s;
        struct manager_counters c = {
                .reports = 7, .reports_incomplete = 2, .reports_unanalysable = 1, .reports_suppressed = 3,
                .gaps = 4, .records_lost = 110, .records_ignored_facility = 79, .file_errors = 5,
                .files_written = 6, .files_dropped = 1, .files_pending = 2, .journal_errors = 9,
                .records = 123456, /* not exported */
        };
        struct oom_report *a = report(REPORT_KIND_MEMCG, CAUSE_MEMCG_LIMIT, true, 1);
        struct oom_report *b = report(REPORT_KIND_GLOBAL, CAUSE_USERSPACE_MEMORY, true, 1);
        struct oom_report *f = report(REPORT_KIND_ALLOC_FAILURE, CAUSE_FRAGMENTATION, false, 1);
        struct oom_report *p = report(REPORT_KIND_GLOBAL, CAUSE_UNKNOWN, false, 1); /* panic: no victim */
        char *text = NULL;
        size_t len = 0;
        (void)state;

        metrics_state_init(&s, 0);
        metrics_state_note_report(&s, a, 1700000100000001);
        metrics_state_note_report(&s, a, 1700000300000000);
        metrics_state_note_report(&s, b, 1700000200500000); /* older than the newest: kept newest */
        metrics_state_note_report(&s, f, 1700000400000000); /* no kill: not the last kill */
        metrics_state_note_report(&s, p, 1700000500000000);
        assert_int_equal(metrics_render(&s, &c, &text, &len), 0);

        assert_int_equal(value(text, "oomlens_kills_total{kind=\"memcg\",cause=\"memcg_limit\"}"), 2);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"global\",cause=\"userspace_memory\"}"), 1);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"global\",cause=\"unknown\"}"), 0);
        assert_int_equal(value(text, "oomlens_allocation_failures_total{cause=\"fragmentation\"}"), 1);
        assert_int_equal(value(text, "oomlens_reports_total"), 7);
        assert_int_equal(value(text, "oomlens_reports_incomplete_total"), 2);
        assert_int_equal(value(text, "oomlens_reports_unanalysable_total"), 1);
        assert_int_equal(value(text, "oomlens_reports_suppressed_total"), 3);
        assert_int_equal(value(text, "oomlens_kmsg_gaps_total"), 4);
        assert_int_equal(value(text, "oomlens_kmsg_records_lost_total"), 110);
        assert_int_equal(value(text, "oomlens_kmsg_userspace_records_total"), 79);
        assert_int_equal(value(text, "oomlens_spool_errors_total"), 5);
        assert_int_equal(value(text, "oomlens_spool_files_written_total"), 6);
        assert_int_equal(value(text, "oomlens_spool_files_dropped_total"), 1);
        assert_int_equal(value(text, "oomlens_spool_pending_files"), 2);
        assert_int_equal(value(text, "oomlens_journal_errors_total"), 9);
        assert_null(strstr(text, "123456"));
        assert_non_null(strstr(text, "\noomlens_last_kill_timestamp_seconds 1700000300.000000\n"));
        free(text);
        oom_report_free(a);
        oom_report_free(b);
        oom_report_free(f);
        oom_report_free(p);
}

/* ---------------------------------------------------------------------------------------
 * The writer on the manager's event loop (sd_event_default(), shared with the manager). */

static int log_calls;
static void count_log(void *userdata, int prio, const char *fmt, va_list ap) {
        log_calls++;
}

static int on_defer(sd_event_source *s, void *userdata) {
        return 0;
}

/* One dispatch of something else, as the kmsg source would be; the post source runs in the
 * next iteration. Iterate until nothing is pending (a timer the post source arms is not). */
static void dispatch_something(sd_event *e) {
        sd_event_source *d = NULL;
        int n = 0;
        assert_true(sd_event_add_defer(e, &d, on_defer, NULL) >= 0);
        while (sd_event_run(e, 0) > 0)
                assert_true(++n < 10);
        assert_true(n >= 2);
        sd_event_source_disable_unref(d);
}

static ino_t inode_of(const char *dir) {
        char path[512];
        struct stat st;
        snprintf(path, sizeof path, "%s/" METRICS_FILE, dir);
        if (stat(path, &st) < 0)
                return 0;
        return st.st_ino;
}

static char *read_metrics(const char *dir) {
        char path[512], *buf = NULL;
        size_t n = 0;
        snprintf(path, sizeof path, "%s/" METRICS_FILE, dir);
        assert_int_equal(read_file_bounded(AT_FDCWD, path, true, 1 << 20, &buf, &n), 0);
        return buf;
}

static void test_writer(void **state) {
        char dir[] = "/tmp/oomlens-metrics.XXXXXX", dir2[] = "/tmp/oomlens-metrics2.XXXXXX", missing[300];
        struct manager_options opts = {};
        struct daemon_config cfg;
        struct manager *m = NULL;
        struct metrics_writer *w = NULL;
        struct oom_report *r = report(REPORT_KIND_MEMCG, CAUSE_MEMCG_LIMIT, true, NUM_UNSET);
        sd_event *e = NULL;
        ino_t ino;
        char *text;
        struct stat st;
        (void)state;

        assert_non_null(mkdtemp(dir));
        assert_non_null(mkdtemp(dir2));
        daemon_config_defaults(&cfg); /* TextfileDirectory= empty: the manager's writer writes nothing */
        assert_int_equal(manager_new(&opts, &cfg, &m), 0);
        assert_true(sd_event_default(&e) >= 0);
        assert_int_equal(metrics_writer_new(e, m, dir, count_log, NULL, &w), 0);
        assert_int_equal(inode_of(dir), 0); /* nothing before the loop ran */

        dispatch_something(e);
        ino = inode_of(dir);
        assert_true(ino != 0);
        assert_int_equal(stat(dir, &st), 0);
        text = read_metrics(dir);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"memcg\",cause=\"memcg_limit\"}"), 0);
        free(text);

        /* Nothing changed: not rewritten (a rewrite is a rename: a new inode). */
        dispatch_something(e);
        assert_int_equal(inode_of(dir), ino);

        /* A kill within the interval: not at once, but by the timer the post source armed. */
        metrics_note_report(w, r);
        dispatch_something(e);
        assert_int_equal(inode_of(dir), ino);
        for (int i = 0; i < 10 && inode_of(dir) == ino; i++)
                assert_true(sd_event_run(e, METRICS_MIN_INTERVAL_USEC) >= 0);
        assert_true(inode_of(dir) != ino);
        text = read_metrics(dir);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"memcg\",cause=\"memcg_limit\"}"), 1);
        /* No kmsg time in the report: the time it was counted. */
        assert_non_null(sample(text, "oomlens_last_kill_timestamp_seconds"));
        free(text);

        /* flush: nothing changed, nothing written; a new directory gets the file at once. */
        ino = inode_of(dir);
        assert_int_equal(metrics_writer_flush(w), 0);
        assert_int_equal(inode_of(dir), ino);
        assert_int_equal(metrics_writer_set_directory(w, dir2), 0);
        assert_int_equal(metrics_writer_flush(w), 0);
        text = read_metrics(dir2);
        assert_int_equal(value(text, "oomlens_kills_total{kind=\"memcg\",cause=\"memcg_limit\"}"), 1);
        free(text);

        /* A directory that is not there: an error, logged once, not per attempt. */
        snprintf(missing, sizeof missing, "%s/not-there", dir);
        assert_int_equal(metrics_writer_set_directory(w, missing), 0);
        log_calls = 0;
        assert_int_equal(metrics_writer_flush(w), -ENOENT);
        metrics_note_report(w, r);
        assert_int_equal(metrics_writer_flush(w), -ENOENT);
        assert_int_equal(log_calls, 1);
        /* ...and said once when it works again. */
        assert_int_equal(mkdir(missing, 0755), 0);
        metrics_note_report(w, r);
        assert_int_equal(metrics_writer_flush(w), 0);
        assert_int_equal(log_calls, 2);
        assert_true(inode_of(missing) != 0);

        /* Off: no file, no error. */
        assert_int_equal(metrics_writer_set_directory(w, ""), 0);
        assert_int_equal(metrics_writer_flush(w), 0);

        metrics_writer_free(w);
        manager_free(m);
        sd_event_unref(e);
        oom_report_free(r);
        metrics_writer_free(NULL);
        metrics_note_report(NULL, NULL);
        assert_int_equal(metrics_writer_flush(NULL), 0);
        {
                char cmd[700];
                snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, dir2);
                assert_int_equal(system(cmd), 0);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_escape),
                cmocka_unit_test(test_render_zero),
                cmocka_unit_test(test_render_values),
                cmocka_unit_test(test_writer),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
