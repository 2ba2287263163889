/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "journal_sink.h"
#include "log_line.h"
#include "report_assembler.h"
#include "workload.h"

static struct oom_report *memcg_report(void) {
        struct oom_report *r = NULL;
        assert_int_equal(oom_report_new(&r), 0);
        r->kind = REPORT_KIND_MEMCG;
        r->has_victim = true;
        r->victim.pid = 2668;
        snprintf(r->victim.comm, sizeof r->victim.comm, "python3");
        r->victim.uid = 1000;
        r->victim.rss_kb = 32768;
        snprintf(r->trigger.comm, sizeof r->trigger.comm, "python3");
        r->trigger.pid = 2669;
        snprintf(r->trigger.gfp_mask, sizeof r->trigger.gfp_mask, "0xcc0");
        r->trigger.order = 0;
        snprintf(r->constraint.type, sizeof r->constraint.type, "memcg");
        snprintf(r->constraint.memcg, sizeof r->constraint.memcg, "/system.slice/x.service");
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg, "/system.slice/x.service");
        r->memcg.limit_kb = 32768;
        r->seq = 523;
        r->complete = true;
        r->n_causes = 1;
        r->causes[0].code = CAUSE_MEMCG_LIMIT;
        r->causes[0].primary = true;
        return r;
}

static void test_report_fields(void **state) {
        struct oom_report *r = memcg_report();
        struct journal_entry e = {};

        assert_int_equal(journal_entry_from_report(r, "ID1", "/var/spool/oomlens/ID1.json", &e), 0);
        assert_string_equal(journal_entry_get(&e, "MESSAGE"),
                            "oom-kill: python3[2668] in /system.slice/x.service — cgroup limit 32.0 MiB reached");
        assert_string_equal(journal_entry_get(&e, "MESSAGE_ID"), OOMLENS_MESSAGE_ID_REPORT);
        assert_string_equal(journal_entry_get(&e, "PRIORITY"), "3");
        assert_string_equal(journal_entry_get(&e, "OOM_REPORT_ID"), "ID1");
        assert_string_equal(journal_entry_get(&e, "OOM_KIND"), "memcg");
        assert_string_equal(journal_entry_get(&e, "OOM_CAUSE"), "memcg_limit");
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_PID"), "2668");
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_COMM"), "python3");
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_UID"), "1000");
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_RSS_KB"), "32768");
        assert_string_equal(journal_entry_get(&e, "OOM_TRIGGER_COMM"), "python3");
        assert_string_equal(journal_entry_get(&e, "OOM_GFP_MASK"), "0xcc0");
        assert_string_equal(journal_entry_get(&e, "OOM_ORDER"), "0");
        assert_string_equal(journal_entry_get(&e, "OOM_CONSTRAINT"), "memcg");
        assert_string_equal(journal_entry_get(&e, "OOM_MEMCG"), "/system.slice/x.service");
        assert_string_equal(journal_entry_get(&e, "OOM_TASK_MEMCG"), "/system.slice/x.service");
        assert_string_equal(journal_entry_get(&e, "OOM_TRIGGER_PID"), "2669");
        assert_string_equal(journal_entry_get(&e, "OOM_SPOOL_FILE"), "/var/spool/oomlens/ID1.json");
        assert_string_equal(journal_entry_get(&e, "OOM_KERNEL_SEQNUM"), "523");
        assert_null(journal_entry_get(&e, "OOM_SPANS_GAP"));
        assert_null(journal_entry_get(&e, "OOM_"));
        journal_entry_done(&e);
        assert_int_equal(e.n, 0);
        oom_report_free(r);
}

/* corpus 013's paths: the victim's unit, container and pod become filterable fields. */
static void test_workload_fields(void **state) {
        struct oom_report *r = memcg_report();
        struct journal_entry e = {};

#define POD_SLICE "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice"
        snprintf(r->constraint.memcg, sizeof r->constraint.memcg, "%s", POD_SLICE);
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg, "%s",
                 POD_SLICE "/cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope");
        assert_int_equal(workload_identify(r), 1);
        assert_int_equal(journal_entry_from_report(r, "ID1", NULL, &e), 0);
        assert_string_equal(journal_entry_get(&e, "OOM_UNIT"),
                            "cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope");
        assert_string_equal(journal_entry_get(&e, "OOM_SLICE"),
                            "kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice");
        assert_string_equal(journal_entry_get(&e, "OOM_CONTAINER_ID"),
                            "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca");
        assert_string_equal(journal_entry_get(&e, "OOM_CONTAINER_RUNTIME"), "containerd");
        assert_string_equal(journal_entry_get(&e, "OOM_POD_UID"), "5931aa75-4603-4e65-b552-7c71cf55cfb5");
        assert_string_equal(journal_entry_get(&e, "OOM_POD_QOS"), "burstable");
        assert_null(journal_entry_get(&e, "OOM_USER_UNIT"));
        journal_entry_done(&e);

        /* A user service: the system unit is the user manager, the user's unit is its own field. */
        snprintf(r->constraint.task_memcg, sizeof r->constraint.task_memcg,
                 "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service");
        assert_int_equal(workload_identify(r), 1);
        assert_int_equal(journal_entry_from_report(r, "ID1", NULL, &e), 0);
        assert_string_equal(journal_entry_get(&e, "OOM_UNIT"), "user@1000.service");
        assert_string_equal(journal_entry_get(&e, "OOM_USER_UNIT"), "foo.service");
        assert_string_equal(journal_entry_get(&e, "OOM_SLICE"), "user-1000.slice");
        assert_null(journal_entry_get(&e, "OOM_CONTAINER_ID"));
        assert_null(journal_entry_get(&e, "OOM_POD_UID"));
        assert_null(journal_entry_get(&e, "OOM_POD_QOS"));
        journal_entry_done(&e);
        oom_report_free(r);
}

static void test_unset_fields_omitted(void **state) {
        struct oom_report *r = NULL;
        struct journal_entry e = {};
        assert_int_equal(oom_report_new(&r), 0);
        r->kind = REPORT_KIND_GLOBAL;
        snprintf(r->trigger.comm, sizeof r->trigger.comm, "kworker/0:1");
        r->spans_gap = true;
        assert_int_equal(journal_entry_from_report(r, "ID2", NULL, &e), 0);
        assert_null(journal_entry_get(&e, "OOM_VICTIM_PID"));
        assert_null(journal_entry_get(&e, "OOM_UNIT"));
        assert_null(journal_entry_get(&e, "OOM_CONTAINER_ID"));
        assert_null(journal_entry_get(&e, "OOM_SPOOL_FILE"));
        assert_null(journal_entry_get(&e, "OOM_KERNEL_SEQNUM"));
        assert_string_equal(journal_entry_get(&e, "OOM_CAUSE"), "unknown");
        assert_string_equal(journal_entry_get(&e, "OOM_SPANS_GAP"), "1");
        assert_string_equal(journal_entry_get(&e, "MESSAGE"),
                            "oom: kworker/0:1 invoked the OOM killer — system out of memory");
        journal_entry_done(&e);
        oom_report_free(r);
}

static void test_gap_suppressed_raw(void **state) {
        struct journal_entry e = {};
        struct log_line line = { .text = (char *)"python3 invoked oom-killer: gfp_mask=0xcc0", .seq = 77 };
        struct raw_report raw = { .lines = &line, .n_lines = 1, .first_seq = 77, .last_seq = 77 };

        assert_int_equal(journal_entry_gap(100, 104, 5, 1, "reader overrun (EPIPE)", &e), 0);
        assert_string_equal(journal_entry_get(&e, "MESSAGE_ID"), OOMLENS_MESSAGE_ID_GAP);
        assert_string_equal(journal_entry_get(&e, "OOM_GAP_FIRST_SEQNUM"), "100");
        assert_string_equal(journal_entry_get(&e, "OOM_GAP_RECORDS"), "5");
        assert_string_equal(journal_entry_get(&e, "OOM_GAP_EVENTS"), "1");
        assert_non_null(strstr(journal_entry_get(&e, "MESSAGE"), "100..104"));
        journal_entry_done(&e);
        assert_int_equal(journal_entry_gap(100, 300, 110, 2, "sequence gap", &e), 0);
        assert_string_equal(journal_entry_get(&e, "OOM_GAP_LAST_SEQNUM"), "300");
        assert_non_null(strstr(journal_entry_get(&e, "MESSAGE"), "110 kernel log records in 2 gaps between 100 and 300"));
        journal_entry_done(&e);

        assert_int_equal(journal_entry_suppressed(7, 9, 20, &e), 0);
        assert_string_equal(journal_entry_get(&e, "MESSAGE_ID"), OOMLENS_MESSAGE_ID_SUPPRESSED);
        assert_string_equal(journal_entry_get(&e, "OOM_SUPPRESSED"), "7");
        assert_string_equal(journal_entry_get(&e, "OOM_REPORTS_TOTAL"), "20");
        journal_entry_done(&e);

        assert_int_equal(journal_entry_from_raw(&raw, "ID3", -EBADMSG, &e), 0);
        assert_string_equal(journal_entry_get(&e, "MESSAGE_ID"), OOMLENS_MESSAGE_ID_REPORT);
        assert_string_equal(journal_entry_get(&e, "OOM_KERNEL_SEQNUM"), "77");
        assert_non_null(strstr(journal_entry_get(&e, "MESSAGE"), "python3 invoked oom-killer"));
        assert_non_null(journal_entry_get(&e, "OOM_ANALYSIS_ERROR"));
        journal_entry_done(&e);
}

static void test_field_limits(void **state) {
        struct journal_entry e = {};
        char big[5000];
        memset(big, 'a', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        assert_int_equal(journal_entry_add(&e, "X", "%s", big), 0);
        assert_int_equal(strlen(journal_entry_get(&e, "X")), JOURNAL_FIELD_VALUE_MAX - 1);
        for (int i = 1; i < JOURNAL_ENTRY_MAX_FIELDS; i++)
                assert_int_equal(journal_entry_add(&e, "Y", "%d", i), 0);
        assert_int_equal(journal_entry_add(&e, "Z", "1"), -E2BIG);
        journal_entry_done(&e);
}

/* The real engine on a recorded memcg OOM from this project's test machine. */
struct collect {
        struct report_assembler *a;
        struct oom_report *r;
};

static int on_raw(const struct raw_report *raw, void *userdata) {
        struct collect *c = userdata;
        if (!c->r)
                assert_int_equal(report_build(raw, &c->r), 0);
        return 0;
}

static int on_line(const struct log_line *l, void *userdata) {
        struct collect *c = userdata;
        return report_assembler_feed(c->a, l, on_raw, c);
}

static void test_real_report_message(void **state) {
        struct collect c = {};
        struct log_reader *rd = NULL;
        struct report_assembler_config cfg;
        struct journal_entry e = {};
        char buf[65536];
        FILE *f = fopen(OOMLENS_TEST_DATA "/kmsg/memcg-6.18.kmsg", "r");
        size_t n;

        assert_non_null(f);
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        report_assembler_config_default(&cfg);
        cfg.kernel_only = true;
        assert_int_equal(log_reader_new(LOG_FORMAT_KMSG, &rd), 0);
        assert_int_equal(report_assembler_new(&cfg, &c.a), 0);
        assert_int_equal(log_reader_feed(rd, buf, n, on_line, &c), 0);
        assert_int_equal(log_reader_flush(rd, on_line, &c), 0);
        assert_int_equal(report_assembler_flush(c.a, on_raw, &c), 0);
        assert_non_null(c.r);
        assert_int_equal(journal_entry_from_report(c.r, "X", NULL, &e), 0);
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_PID"), "8012");
        assert_string_equal(journal_entry_get(&e, "OOM_VICTIM_COMM"), "python3");
        assert_string_equal(journal_entry_get(&e, "OOM_KIND"), "memcg");
        assert_string_equal(journal_entry_get(&e, "OOM_GFP_MASK"), "0xcc0");
        assert_string_equal(journal_entry_get(&e, "OOM_KERNEL_SEQNUM"), "523");
        assert_non_null(strstr(journal_entry_get(&e, "MESSAGE"), "oom-kill: python3[8012] in /process_api/"));
        assert_non_null(strstr(journal_entry_get(&e, "MESSAGE"), "32.0 MiB"));
        journal_entry_done(&e);
        oom_report_free(c.r);
        report_assembler_free(c.a);
        log_reader_free(rd);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_report_fields),
                cmocka_unit_test(test_workload_fields),
                cmocka_unit_test(test_unset_fields_omitted),
                cmocka_unit_test(test_gap_suppressed_raw),
                cmocka_unit_test(test_field_limits),
                cmocka_unit_test(test_real_report_message),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
