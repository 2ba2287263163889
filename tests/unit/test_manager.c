/* SPDX-License-Identifier: MIT */
/* The manager end to end on recorded streams (regular files): the real engine, a temp spool and
 * state directory, --oneshot semantics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmsg_state.h"
#include "manager.h"
#include "spool_reader.h"

struct fixture {
        char dir[64], spool[128], state[128], conf[128];
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof *f);
        snprintf(f->dir, sizeof f->dir, "/tmp/test_manager.XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        snprintf(f->spool, sizeof f->spool, "%s/spool", f->dir);
        snprintf(f->state, sizeof f->state, "%s/state", f->dir);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static int run(struct fixture *f, const char *stream, uint32_t burst, struct manager_counters *ret) {
        struct manager_options o = { .config_path = "/nonexistent", .oneshot = true, .overrides.journal = 0 };
        struct daemon_config cfg;
        struct manager *m = NULL;
        int code, k;

        daemon_config_defaults(&cfg);
        cfg.keep_free_bytes = 0;
        cfg.rate_burst = burst;
        o.overrides.kmsg_path = stream;
        o.overrides.spool_dir = f->spool;
        o.overrides.state_dir = f->state;
        manager_apply_overrides(&o.overrides, &cfg);
        assert_false(cfg.journal);
        k = manager_new(&o, &cfg, &m);
        assert_int_equal(k, 0);
        k = manager_start(m, &code);
        if (k < 0) {
                manager_free(m);
                return -code;
        }
        code = manager_run(m);
        manager_get_counters(m, ret);
        manager_free(m);
        return code;
}

static size_t files(struct fixture *f) {
        struct spool_entry *v = NULL;
        size_t n = 0;
        int fd;
        assert_int_equal(spool_open(f->spool, &fd), 0);
        assert_int_equal(spool_list(fd, &v, &n), 0);
        free(v);
        close(fd);
        return n;
}

static void test_gap_stream_and_restart(void **state) {
        struct fixture *f = *state;
        struct manager_counters c;
        struct kmsg_state s;
        int fd;

        /* Report A goes on across its hole (caller ids), incomplete. */
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 0, &c), 0);
        assert_int_equal(c.records, 273);
        assert_int_equal(c.gaps, 2);
        assert_int_equal(c.records_lost, 110);
        assert_int_equal(c.reports, 2);
        assert_int_equal(c.reports_incomplete, 1);
        assert_int_equal(c.files_written, 2);
        assert_int_equal(files(f), 2);

        /* The position is saved: the last record of the stream is 1382. */
        fd = open(f->state, O_RDONLY | O_DIRECTORY);
        assert_int_equal(kmsg_state_load(fd, &s), 0);
        close(fd);
        assert_int_equal(s.next_seq, 1383);
        assert_int_equal(strncmp(s.boot_id, "stream-", 7), 0);

        /* A second run on the same stream skips everything, writes nothing. */
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 0, &c), 0);
        assert_int_equal(c.records_skipped_seen, 273);
        assert_int_equal(c.reports, 0);
        assert_int_equal(files(f), 2);

        /* Lost state: everything is re-read, the spool recognises both reports. */
        fd = open(f->state, O_RDONLY | O_DIRECTORY);
        assert_int_equal(unlinkat(fd, KMSG_STATE_FILE, 0), 0);
        close(fd);
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 0, &c), 0);
        assert_int_equal(c.reports, 2);
        assert_int_equal(c.reports_duplicate, 2);
        assert_int_equal(c.files_written, 0);
        assert_int_equal(files(f), 2);
}

static void test_forged_and_storm(void **state) {
        struct fixture *f = *state;
        struct manager_counters c;

        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/forged.kmsg", 0, &c), 0);
        assert_int_equal(c.records_ignored_facility, 79);
        assert_int_equal(c.reports, 0);
        assert_int_equal(files(f), 0);

        /* Burst 1: of the two reports in gap.kmsg one is written, one suppressed (counted). */
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 1, &c), 0);
        assert_int_equal(c.reports, 2);
        assert_int_equal(c.reports_suppressed, 1);
        assert_int_equal(files(f), 1);
}

static void test_start_failures(void **state) {
        struct fixture *f = *state;
        struct manager_counters c;
        char notdir[sizeof f->spool];

        assert_int_equal(run(f, "/nonexistent/kmsg", 0, &c), -MANAGER_EXIT_KMSG);
        snprintf(notdir, sizeof notdir, "%.64s/file", f->dir);
        close(open(notdir, O_CREAT | O_WRONLY, 0600));
        /* An unusable spool is retried, not fatal: the reports wait in memory. */
        snprintf(f->spool, sizeof f->spool, "%s", notdir);
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 0, &c), 0);
        assert_int_equal(c.reports, 2);
        assert_int_equal(c.files_written, 0);
        assert_int_equal(c.files_pending, 2);
        /* An unusable state directory is. */
        snprintf(f->spool, sizeof f->spool, "%.64s/spool", f->dir);
        snprintf(f->state, sizeof f->state, "%s", notdir);
        assert_int_equal(run(f, OOMLENS_TEST_DATA "/kmsg/gap.kmsg", 0, &c), -MANAGER_EXIT_DIRECTORY);
}

/* A record's timestamp is the stream's word (up to INT64_MAX usec): the spool name built from
 * it must neither overflow (UB: realtime offset + timestamp) nor come out as "-<year>...". */
/* A hole right after a report's last line takes nothing of it: the report is whole. The reader
 * holds the last line back (for a '+' fragment), so the daemon must hand it on before noting
 * the hole (daemon_overrun found the kill line of an intact report counted after the hole). */
static void test_gap_after_kill_line(void **state) {
        struct fixture *f = *state;
        struct manager_counters c;
        struct spool_entry *v = NULL;
        char path[256], buf[1 << 16];
        size_t n = 0;
        FILE *in, *out;
        int fd;

        snprintf(path, sizeof path, "%s/stream.kmsg", f->dir);
        in = fopen(OOMLENS_TEST_DATA "/kmsg/memcg-6.18.kmsg", "r");
        out = fopen(path, "w");
        assert_non_null(in);
        assert_non_null(out);
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
                assert_int_equal(fwrite(buf, 1, n, out), n);
        /* the report ends at seq 601; 602..609 are lost */
        fputs("6,610,551600000,-;usb 1-1: new high-speed USB device number 3\n", out);
        fclose(in);
        assert_int_equal(fclose(out), 0);

        assert_int_equal(run(f, path, 0, &c), 0);
        assert_int_equal(c.gaps, 1);
        assert_int_equal(c.records_lost, 8);
        assert_int_equal(c.reports, 1);
        assert_int_equal(c.reports_incomplete, 0);
        assert_int_equal(spool_open(f->spool, &fd), 0);
        assert_int_equal(spool_list(fd, &v, &n), 0);
        assert_int_equal(n, 1);
        snprintf(path, sizeof path, "%s/%s", f->spool, v[0].name);
        free(v);
        close(fd);
        in = fopen(path, "r");
        assert_non_null(in);
        n = fread(buf, 1, sizeof buf - 1, in);
        buf[n] = '\0';
        fclose(in);
        assert_non_null(strstr(buf, "\"complete\":true"));
        assert_non_null(strstr(buf, "\"spans_gap\":false"));
}

static void test_extreme_timestamp(void **state) {
        struct fixture *f = *state;
        struct manager_counters c;
        struct spool_entry *v = NULL;
        char stream[sizeof f->dir + 16];
        size_t n = 0;
        FILE *s;
        int fd;

        snprintf(stream, sizeof stream, "%s/stream", f->dir);
        s = fopen(stream, "w");
        assert_non_null(s);
        fputs("3,601,9223372036854775807,-;Memory cgroup out of memory: Killed process 8012 (python3) "
              "total-vm:221368kB, anon-rss:32384kB, file-rss:6740kB, shmem-rss:0kB, UID:0 pgtables:132kB "
              "oom_score_adj:0\n",
              s);
        assert_int_equal(fclose(s), 0);
        assert_int_equal(run(f, stream, 0, &c), 0);
        assert_int_equal(c.files_written, 1);
        assert_int_equal(spool_open(f->spool, &fd), 0);
        assert_int_equal(spool_list(fd, &v, &n), 0);
        close(fd);
        assert_int_equal(n, 1);
        assert_true(v[0].name[0] >= '0' && v[0].name[0] <= '9');
        assert_true(spool_name_valid(v[0].name));
        free(v);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_gap_stream_and_restart, setup, teardown),
                cmocka_unit_test_setup_teardown(test_forged_and_storm, setup, teardown),
                cmocka_unit_test_setup_teardown(test_start_failures, setup, teardown),
                cmocka_unit_test_setup_teardown(test_gap_after_kill_line, setup, teardown),
                cmocka_unit_test_setup_teardown(test_extreme_timestamp, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
