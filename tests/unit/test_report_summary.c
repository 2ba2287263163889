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
#include "file_read.h"
#include "log_line.h"
#include "report_assembler.h"
#include "report_json.h"
#include "report_summary.h"

#include <fcntl.h>

/* The producer's side for real: a captured log through the engine into the JSON oomlensd
 * writes, so a change of either side that breaks the other fails here. */
struct first_of_kind {
        const char *kind;
        struct report_assembler *assembler;
        char *json;
};

static int on_report(const struct raw_report *raw, void *userdata) {
        struct first_of_kind *c = userdata;
        struct oom_report *r = NULL;

        if (c->json || report_build(raw, &r) < 0)
                return 0;
        if (strcmp(report_kind_to_string(r->kind), c->kind) == 0) {
                snprintf(r->id, sizeof r->id, "20261201T093000Z-0123abcd-000000000042");
                assert_int_equal(report_to_json_string(r, &c->json), 0);
        }
        oom_report_free(r);
        return 0;
}

static int on_line(const struct log_line *l, void *userdata) {
        struct first_of_kind *c = userdata;
        return report_assembler_feed(c->assembler, l, on_report, c);
}

static char *engine_json(const char *file, const char *kind) {
        struct first_of_kind c = {.kind = kind};
        struct report_assembler_config cfg;
        struct log_reader *reader = NULL;
        char path[512], *buf = NULL;
        size_t len = 0;

        snprintf(path, sizeof path, "%s/%s", OOMLENS_TEST_DATA, file);
        assert_int_equal(read_file_bounded(AT_FDCWD, path, false, 16 << 20, &buf, &len), 0);
        report_assembler_config_default(&cfg);
        assert_int_equal(report_assembler_new(&cfg, &c.assembler), 0);
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &reader), 0);
        assert_int_equal(log_reader_feed(reader, buf, len, on_line, &c), 0);
        assert_int_equal(log_reader_flush(reader, on_line, &c), 0);
        assert_int_equal(report_assembler_flush(c.assembler, on_report, &c), 0);
        log_reader_free(reader);
        report_assembler_free(c.assembler);
        free(buf);
        assert_non_null(c.json);
        return c.json;
}

#define NAME "20261201T093000Z-0123abcd-000000000042.json"

static void test_real_memcg(void **state) {
        char *json = engine_json("kmsg/memcg-6.18.kmsg", "memcg");
        struct report_summary s;
        char b[CONTAINER_ID_SHORT + 1];

        assert_int_equal(report_summary_from_json(NAME, json, strlen(json), &s), 0);
        assert_string_equal(s.id, "20261201T093000Z-0123abcd-000000000042");
        assert_int_equal(s.time_usec, 1796117400LL * 1000000); /* 2026-12-01 09:30:00 UTC */
        assert_string_equal(s.boot, "0123abcd");
        assert_int_equal(s.seq, 42); /* the name's, not the JSON's */
        assert_string_equal(s.kind, "memcg");
        assert_string_equal(s.cause, "memcg_limit");
        assert_true(s.has_victim);
        assert_string_equal(s.comm, "python3");
        assert_int_equal(s.pid, 8012);
        assert_int_equal(s.rss_kb, 39124);
        assert_string_equal(s.memcg, "/process_api/c76722b33f8252e548653af95445d0af/oomlensd-capture");
        /* no "workload" in this report: the memcg path is the unit column */
        assert_string_equal(report_summary_where(&s, b), s.memcg);
        assert_true(s.complete);
        assert_false(s.spans_gap);
        assert_false(s.panic);
        free(json);
}

static void test_real_global_and_alloc_failure(void **state) {
        char *json = engine_json("golden/seed-3.14-arm-cma.txt", "global");
        struct report_summary s;
        char b[CONTAINER_ID_SHORT + 1];

        assert_int_equal(report_summary_from_json(NAME, json, strlen(json), &s), 0);
        assert_string_equal(s.kind, "global");
        assert_string_equal(s.cause, "cma_unusable");
        assert_string_equal(s.comm, "thread_x");
        assert_int_equal(s.pid, 5575);
        assert_int_equal(s.rss_kb, 20740);
        assert_string_equal(report_summary_where(&s, b), "-");
        free(json);

        /* A page allocation failure kills nothing: the task whose allocation failed. */
        json = engine_json("lab/amd64-alloc-failure.log", "alloc_failure");
        assert_int_equal(report_summary_from_json(NAME, json, strlen(json), &s), 0);
        assert_string_equal(s.kind, "alloc_failure");
        assert_string_equal(s.cause, "fragmentation");
        assert_false(s.has_victim);
        assert_string_equal(s.comm, "frag");
        assert_int_equal(s.pid, 97);
        assert_int_equal(s.rss_kb, NUM_UNSET);
        free(json);
}

static int summarise(const char *name, const char *json, struct report_summary *s) {
        return report_summary_from_json(name, json, strlen(json), s);
}

static void test_workload_column(void **state) {
        struct report_summary s;
        char b[CONTAINER_ID_SHORT + 1];
        const char *base = "{\"schema\":\"oomlens.report/1\",\"kind\":\"memcg\","
                           "\"constraint\":{\"memcg\":\"/kubepods\",\"task_memcg\":\"/kubepods/pod1/c1\"},"
                           "\"memcg\":{\"path\":\"/kubepods\"},";
        char json[1024];

        snprintf(json, sizeof json,
                 "%s\"workload\":{\"unit\":\"nginx.service\",\"slice\":\"system.slice\","
                 "\"container_id\":null,\"pod_uid\":null,\"qos\":null}}",
                 base);
        assert_int_equal(summarise(NAME, json, &s), 0);
        assert_string_equal(report_summary_where(&s, b), "nginx.service");
        assert_string_equal(s.workload.slice, "system.slice");
        assert_string_equal(s.memcg, "/kubepods/pod1/c1"); /* the victim's cgroup first */

        snprintf(json, sizeof json,
                 "%s\"workload\":{\"unit\":null,\"container_id\":"
                 "\"0123456789abcdef0123456789abcdef\",\"pod_uid\":\"u-1\",\"qos\":\"burstable\"}}",
                 base);
        assert_int_equal(summarise(NAME, json, &s), 0);
        assert_string_equal(report_summary_where(&s, b), "0123456789ab");
        assert_string_equal(s.workload.qos, "burstable");

        snprintf(json, sizeof json, "%s\"workload\":{\"unit\":\"\",\"pod_uid\":\"6f1c-22\"}}", base);
        assert_int_equal(summarise(NAME, json, &s), 0);
        assert_string_equal(report_summary_where(&s, b), "6f1c-22");

        /* wrong types count as absent, never as a crash */
        snprintf(json, sizeof json, "%s\"workload\":{\"unit\":7,\"container_id\":[1],\"pod_uid\":{}}}",
                 base);
        assert_int_equal(summarise(NAME, json, &s), 0);
        assert_string_equal(report_summary_where(&s, b), "/kubepods/pod1/c1");
        snprintf(json, sizeof json, "%s\"workload\":\"nginx\"}", base);
        assert_int_equal(summarise(NAME, json, &s), 0);
        assert_string_equal(s.workload.unit, "");
}

static void test_bad_files(void **state) {
        struct report_summary s, untouched;

        memset(&s, 0x5a, sizeof s);
        untouched = s;
        assert_int_equal(summarise(NAME, "", &s), -EBADMSG);
        assert_int_equal(summarise(NAME, "not json", &s), -EBADMSG);
        assert_int_equal(summarise(NAME, "[1,2]", &s), -EBADMSG);
        assert_int_equal(summarise(NAME, "{\"schema\":\"oomlens.report/1\"", &s), -EBADMSG);     /* cut */
        assert_int_equal(summarise(NAME, "{\"schema\":\"oomlens.report/1\"} {}", &s), -EBADMSG); /* two */
        assert_int_equal(summarise(NAME, "{\"schema\":\"oomlens.report/1\"}junk", &s), -EBADMSG);
        assert_int_equal(summarise(NAME, "{\"name\":\"a package.json\"}", &s), -ENOMSG); /* foreign */
        assert_int_equal(summarise(NAME, "{\"schema\":\"other/1\"}", &s), -ENOMSG);
        assert_int_equal(summarise(NAME, "{\"schema\":7}", &s), -ENOMSG);
        assert_int_equal(summarise(NAME, "{\"schema\":\"oomlens.report/2\"}", &s), -EPROTONOSUPPORT);
        /* a NUL inside: the bytes after it are not whitespace */
        assert_int_equal(report_summary_from_json(NAME, "{\"schema\":\"oomlens.report/1\"}\0x", 32, &s),
                         -EBADMSG);
        assert_memory_equal(&s, &untouched, sizeof s);

        /* the minimum is enough, with whitespace and a newline after it */
        assert_int_equal(summarise(NAME, "  {\"schema\":\"oomlens.report/1\"}\n\n", &s), 0);
        assert_string_equal(s.kind, "unknown");
        assert_string_equal(s.cause, "unknown");
        assert_string_equal(s.comm, "");
        assert_int_equal(s.pid, NUM_UNSET);

        /* numbers out of range or of the wrong type are unknown */
        assert_int_equal(
                summarise(
                        NAME,
                        "{\"schema\":\"oomlens.report/1\",\"victim\":{\"pid\":-5,\"comm\":\"x\","
                        "\"rss_kb\":1e300},\"analysis\":{\"causes\":[{\"code\":5},"
                        "{\"code\":\"shmem\",\"primary\":\"yes\"},{\"code\":\"manual\",\"primary\":true}]}}",
                        &s),
                0);
        assert_int_equal(s.pid, NUM_UNSET);
        assert_int_equal(s.rss_kb, NUM_UNSET);
        assert_string_equal(s.cause, "manual"); /* the primary one */
        /* without a primary: the first with a code */
        assert_int_equal(summarise(NAME,
                                   "{\"schema\":\"oomlens.report/1\",\"analysis\":{\"causes\":[{},"
                                   "{\"code\":\"shmem\"},{\"code\":\"manual\"}]}}",
                                   &s),
                         0);
        assert_string_equal(s.cause, "shmem");
        /* rss from its parts when rss_kb is missing */
        assert_int_equal(summarise(NAME,
                                   "{\"schema\":\"oomlens.report/1\",\"victim\":{\"anon_rss_kb\":1,"
                                   "\"file_rss_kb\":2,\"shmem_rss_kb\":4}}",
                                   &s),
                         0);
        assert_int_equal(s.rss_kb, 7);
        /* deep nesting is refused by json-c's depth limit, not by the stack */
        {
                char deep[4096];
                size_t n = 0;
                n += (size_t)snprintf(deep, sizeof deep, "{\"schema\":\"oomlens.report/1\",\"x\":");
                for (int i = 0; i < 1000; i++)
                        deep[n++] = '[';
                deep[n] = '\0';
                assert_int_equal(summarise(NAME, deep, &s), -EBADMSG);
        }
        /* overlong strings are cut, not overflowed */
        {
                char big[8192];
                int n = snprintf(big, sizeof big, "{\"schema\":\"oomlens.report/1\",\"kind\":\"");
                memset(big + n, 'k', 5000);
                snprintf(big + n + 5000, sizeof big - (size_t)n - 5000, "\"}");
                assert_int_equal(summarise(NAME, big, &s), 0);
                assert_int_equal(strlen(s.kind), sizeof s.kind - 1);
        }
}

static void test_names(void **state) {
        int64_t t, seq;
        char boot[REPORT_SUMMARY_BOOT_MAX];
        struct report_summary s;

        assert_int_equal(spool_name_parse("20261201T093000Z-0123abcd-000000000042.json", &t, boot, &seq), 0);
        assert_int_equal(t, 1796117400LL * 1000000);
        assert_string_equal(boot, "0123abcd");
        assert_int_equal(seq, 42);
        /* a recorded stream's BootId= may hold '-': the boot is between the first and last */
        assert_int_equal(spool_name_parse("20000101T000000Z-lab-boot-1-7", &t, boot, &seq), 0);
        assert_string_equal(boot, "lab-boot-1");
        assert_int_equal(seq, 7);
        assert_int_equal(t, 946684800LL * 1000000);
        assert_int_equal(spool_name_parse("report.json", &t, boot, &seq), -EINVAL);
        assert_int_equal(spool_name_parse("20261301T093000Z-0123abcd-42.json", &t, boot, &seq), -EINVAL);
        assert_int_equal(spool_name_parse("20261201T093000Z-0123abcd-.json", &t, boot, &seq), -EINVAL);
        assert_int_equal(spool_name_parse("20261201T093000Z--42.json", &t, boot, &seq), -EINVAL);
        assert_int_equal(spool_name_parse("20261201X093000Z-a-42.json", &t, boot, &seq), -EINVAL);
        assert_int_equal(spool_name_parse("20261201T093000Z-a-1234567890123456789.json", &t, boot, &seq),
                         -EINVAL);

        /* a file not named by oomlensd: the report's own wall time and seq */
        assert_int_equal(
                summarise("mine.json", "{\"schema\":\"oomlens.report/1\",\"wall_sec\":100,\"seq\":9}", &s),
                0);
        assert_string_equal(s.id, "mine");
        assert_int_equal(s.time_usec, 100000000);
        assert_int_equal(s.seq, 9);
        assert_string_equal(s.boot, "");
        assert_int_equal(summarise("mine.json", "{\"schema\":\"oomlens.report/1\"}", &s), 0);
        assert_int_equal(s.time_usec, NUM_UNSET);
}

#define FIELD(s)                                                                                            \
        { s, sizeof(s) - 1 }

static void test_journal_fields(void **state) {
        static const struct journal_field fields[] = {
                FIELD("MESSAGE=oom-kill: python3[8012] in /x"),
                FIELD("OOM_REPORT_ID=20261201T093000Z-0123abcd-000000000042"),
                FIELD("OOM_KIND=memcg"),
                FIELD("OOM_CAUSE=memcg_limit"),
                FIELD("OOM_VICTIM_PID=8012"),
                FIELD("OOM_VICTIM_COMM=python3"),
                FIELD("OOM_VICTIM_RSS_KB=39124"),
                FIELD("OOM_TRIGGER_COMM=python3"),
                FIELD("OOM_MEMCG=/system.slice/app.service"),
                FIELD("OOM_UNIT=app.service"),
                FIELD("OOM_KERNEL_SEQNUM=523"),
                FIELD("OOM_COMPLETE=0"),
                FIELD("OOM_SPANS_GAP=1"),
                FIELD("OOM_SPOOL_FILE=/var/spool/oomlens/x.json"),
                FIELD("OOM_VICTIM_PIDX=1"), /* a longer name is another field */
        };
        struct report_summary s;
        char b[CONTAINER_ID_SHORT + 1];

        assert_int_equal(report_summary_from_journal(fields, ELEMENTSOF(fields), 1796117400000000LL,
                                                     "0123abcd0123abcd0123abcd0123abcd", &s),
                         0);
        assert_string_equal(s.id, "20261201T093000Z-0123abcd-000000000042");
        assert_string_equal(s.kind, "memcg");
        assert_string_equal(s.cause, "memcg_limit");
        assert_true(s.has_victim);
        assert_string_equal(s.comm, "python3");
        assert_int_equal(s.pid, 8012);
        assert_int_equal(s.rss_kb, 39124);
        assert_int_equal(s.seq, 523);
        assert_false(s.complete);
        assert_true(s.spans_gap);
        assert_string_equal(s.boot, "0123abcd0123abcd0123abcd0123abcd");
        assert_int_equal(s.time_usec, 1796117400000000LL);
        assert_string_equal(report_summary_where(&s, b), "app.service");
        assert_string_equal(s.spool_file, "/var/spool/oomlens/x.json");

        /* an allocation failure: no victim fields, the trigger instead; binary bytes survive */
        static const struct journal_field alloc[] = {
                FIELD("OOM_REPORT_ID=r"),
                FIELD("OOM_KIND=alloc_failure"),
                FIELD("OOM_TRIGGER_COMM=a\0b"),
                FIELD("OOM_VICTIM_RSS_KB=12x"),
                FIELD("OOM_CONTAINER_ID=abcdef0123456789abcdef"),
                FIELD("OOM_TRIGGER_PID=97"),
                FIELD("OOM_MEMCG=/a"),
                FIELD("OOM_TASK_MEMCG=/a/b"),
        };
        assert_int_equal(report_summary_from_journal(alloc, ELEMENTSOF(alloc), -1, NULL, &s), 0);
        assert_false(s.has_victim);
        assert_string_equal(s.comm, "a");
        assert_int_equal(s.pid, 97);
        assert_string_equal(s.memcg, "/a/b"); /* the victim's cgroup before the OOM's */
        assert_int_equal(s.rss_kb, NUM_UNSET);
        assert_int_equal(s.time_usec, NUM_UNSET);
        assert_string_equal(report_summary_where(&s, b), "abcdef012345");

        static const struct journal_field none[] = {FIELD("OOM_KIND=memcg"), FIELD("OOM_REPORT_ID=")};
        assert_int_equal(report_summary_from_journal(none, ELEMENTSOF(none), 0, NULL, &s), -ENOMSG);
}

static void test_to_json(void **state) {
        char *json = engine_json("kmsg/memcg-6.18.kmsg", "memcg");
        struct report_summary s;
        json_object *o, *v;

        assert_int_equal(report_summary_from_json(NAME, json, strlen(json), &s), 0);
        /* invalid UTF-8 from a hostile comm comes out valid */
        s.comm[0] = (char)0xff;
        assert_int_equal(report_summary_to_json(&s, &o), 0);
        assert_true(json_object_object_get_ex(o, "victim", &v));
        assert_string_equal(json_object_get_string(json_object_object_get(v, "comm")), "\\xFFython3");
        assert_int_equal(json_object_get_int64(json_object_object_get(v, "rss_kb")), 39124);
        assert_string_equal(json_object_get_string(json_object_object_get(o, "cause")), "memcg_limit");
        assert_int_equal(json_object_get_int64(json_object_object_get(o, "time_usec")),
                         1796117400LL * 1000000);
        assert_true(json_object_object_get_ex(o, "workload", &v));
        assert_null(json_object_object_get(v, "unit"));
        json_object_put(o);
        free(json);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_real_memcg),      cmocka_unit_test(test_real_global_and_alloc_failure),
                cmocka_unit_test(test_workload_column), cmocka_unit_test(test_bad_files),
                cmocka_unit_test(test_names),           cmocka_unit_test(test_journal_fields),
                cmocka_unit_test(test_to_json),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
