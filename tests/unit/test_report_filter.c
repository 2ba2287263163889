/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_filter.h"

static struct report_summary make(const char *kind, const char *cause, const char *comm, int64_t t,
                                  const char *boot) {
        struct report_summary s;
        report_summary_init(&s);
        snprintf(s.kind, sizeof s.kind, "%s", kind);
        snprintf(s.cause, sizeof s.cause, "%s", cause);
        snprintf(s.comm, sizeof s.comm, "%s", comm);
        snprintf(s.boot, sizeof s.boot, "%s", boot);
        s.time_usec = t;
        s.has_victim = true;
        s.pid = 1;
        return s;
}

static void test_values(void **state) {
        struct report_filter f;
        const char *bad = NULL;

        report_filter_init(&f);
        assert_int_equal(report_filter_add_causes(&f, "memcg_limit,fragmentation", &bad), 0);
        assert_int_equal(f.n_causes, 2);
        assert_int_equal(report_filter_add_causes(&f, "cma_unusable,nonsense,shmem", &bad), -EINVAL);
        assert_int_equal(strncmp(bad, "nonsense", 8), 0);
        assert_int_equal(f.n_causes, 3); /* the good one before it stays */
        assert_int_equal(report_filter_add_kinds(&f, "memcg", &bad), 0);
        assert_int_equal(report_filter_add_kinds(&f, "unknown", &bad),
                         0); /* an unanalysable report's entry */
        assert_int_equal(report_filter_add_kinds(&f, "oom", &bad), -EINVAL);
        assert_int_equal(report_filter_add_comms(&f, ",,python*,"), 0); /* empty parts are nothing */
        assert_int_equal(f.n_comms, 1);
        for (int i = 0; i < FILTER_MAX_VALUES - 1; i++)
                assert_int_equal(report_filter_add_units(&f, "u"), 0);
        assert_int_equal(report_filter_add_units(&f, "u,v"), -E2BIG);
        report_filter_done(&f);

        /* the lists for --cause=help / completion are the engine's codes */
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        report_filter_list_causes(m);
        report_filter_list_kinds(m);
        fclose(m);
        assert_non_null(strstr(buf, "\nmemcg_limit\n"));
        assert_non_null(strstr(buf, "\nhighatomic_reserve\n"));
        assert_non_null(strstr(buf, "\nalloc_failure\n"));
        free(buf);
}

static void test_match(void **state) {
        struct report_filter f;
        struct report_summary a = make("memcg", "memcg_limit", "python3", 1000, "0123abcd");
        struct report_summary b = make("global", "fragmentation", "java", 2000, "0123abcd");
        struct report_summary c =
                make("alloc_failure", "cma_unusable", "kworker/0:1", NUM_UNSET, "ffff0000");

        report_filter_init(&f);
        assert_true(report_filter_match(&f, &a) && report_filter_match(&f, &c)); /* no matches: all */

        f.since_usec = 1500;
        assert_false(report_filter_match(&f, &a));
        assert_true(report_filter_match(&f, &b));
        assert_false(report_filter_match(&f, &c)); /* unknown time never passes a time match */
        f.since_usec = NUM_UNSET;
        f.until_usec = 1000; /* inclusive */
        assert_true(report_filter_match(&f, &a));
        assert_false(report_filter_match(&f, &b));
        f.until_usec = NUM_UNSET;

        assert_int_equal(report_filter_add_causes(&f, "memcg_limit,cma_unusable", NULL), 0);
        assert_true(report_filter_match(&f, &a));
        assert_false(report_filter_match(&f, &b));
        assert_true(report_filter_match(&f, &c));
        assert_int_equal(report_filter_add_comms(&f, "py*"), 0); /* and: both options apply */
        assert_true(report_filter_match(&f, &a));
        assert_false(report_filter_match(&f, &c));
        report_filter_done(&f);

        report_filter_init(&f);
        assert_int_equal(report_filter_add_comms(&f, "kworker/*"), 0);
        assert_true(report_filter_match(&f, &c));
        assert_int_equal(report_filter_add_kinds(&f, "memcg", NULL), 0);
        assert_false(report_filter_match(&f, &c));
        report_filter_done(&f);
}

static void test_unit_match(void **state) {
        struct report_filter f;
        struct report_summary s = make("memcg", "memcg_limit", "nginx", 1, "b");

        snprintf(s.workload.unit, sizeof s.workload.unit, "nginx.service");
        snprintf(s.workload.slice, sizeof s.workload.slice, "system.slice");
        snprintf(s.memcg, sizeof s.memcg, "/system.slice/nginx.service");

        static const struct {
                const char *pattern;
                bool match;
        } unit_cases[] = {
                {"nginx.service", true},
                {"nginx", true}, /* .service implied, as journalctl -u */
                {"ngin*", true},
                {"system.slice", true},
                {"apache", false},
                {"nginx.socket", false},
                {"/system.slice/nginx.service", true},
        };
        for (size_t i = 0; i < ELEMENTSOF(unit_cases); i++) {
                report_filter_init(&f);
                assert_int_equal(report_filter_add_units(&f, unit_cases[i].pattern), 0);
                if (report_filter_match(&f, &s) != unit_cases[i].match)
                        fail_msg("--unit %s", unit_cases[i].pattern);
                report_filter_done(&f);
        }

        /* containers and pods: ids typed as prefixes; without workload, the cgroup path */
        struct report_summary k = make("memcg", "memcg_limit", "app", 1, "b");
        snprintf(k.workload.container_id, sizeof k.workload.container_id, "0123456789abcdef0123");
        snprintf(k.workload.pod_uid, sizeof k.workload.pod_uid, "6f1c2a3b-0000-1111-2222-333344445555");
        snprintf(k.memcg, sizeof k.memcg, "/kubepods/burstable/pod6f1c/0123456789ab");
        static const struct {
                const char *pattern;
                bool match;
        } k_cases[] = {
                {"0123456789ab", true},  {"0123456789AB", true}, {"123456", false},     {"6f1c2a3b", true},
                {"0123456789ab*", true}, {"pod6f1c", false},     {"/kubepods/*", true},
        };
        for (size_t i = 0; i < ELEMENTSOF(k_cases); i++) {
                report_filter_init(&f);
                assert_int_equal(report_filter_add_units(&f, k_cases[i].pattern), 0);
                if (report_filter_match(&f, &k) != k_cases[i].match)
                        fail_msg("--unit %s", k_cases[i].pattern);
                report_filter_done(&f);
        }
        /* the last path component, for a cgroup the workload table does not name */
        struct report_summary p = make("memcg", "memcg_limit", "x", 1, "b");
        snprintf(p.memcg, sizeof p.memcg, "/user.slice/oomlensd-test-42");
        report_filter_init(&f);
        assert_int_equal(report_filter_add_units(&f, "oomlensd-test-42"), 0);
        assert_true(report_filter_match(&f, &p));
        report_filter_done(&f);
}

static void test_boot_spec(void **state) {
        struct boot_spec b;

        assert_int_equal(boot_spec_parse(NULL, &b), 0);
        assert_true(b.set && b.is_offset && b.offset == 0);
        assert_int_equal(boot_spec_parse("-1", &b), 0);
        assert_true(b.is_offset && b.offset == -1);
        assert_int_equal(boot_spec_parse("+2", &b), 0);
        assert_true(b.is_offset && b.offset == 2);
        assert_int_equal(boot_spec_parse("3", &b), 0);
        assert_true(b.is_offset && b.offset == 3);
        assert_int_equal(boot_spec_parse("0123ABCD-4567-89ab-cdef-0123456789ab", &b), 0);
        assert_false(b.is_offset);
        assert_string_equal(b.id, "0123abcd456789abcdef0123456789ab");
        assert_int_equal(boot_spec_parse("12345678", &b), 0); /* 8 digits: an id's start, not an offset */
        assert_false(b.is_offset);
        assert_int_equal(boot_spec_parse("lab_boot", &b), 0); /* a recorded stream's BootId= */
        assert_string_equal(b.id, "lab_boot");
        assert_int_equal(boot_spec_parse("abc", &b), -EINVAL);
        assert_int_equal(boot_spec_parse("--1", &b), -EINVAL);
        assert_int_equal(boot_spec_parse("-99999999", &b), -ERANGE);
        assert_int_equal(boot_spec_parse("a/b", &b), -EINVAL);
        assert_true(boot_spec_looks_like("-1"));
        assert_true(boot_spec_looks_like("0123abcd"));
        assert_false(boot_spec_looks_like("--json"));
        assert_false(boot_spec_looks_like(""));

        assert_true(boot_id_matches("0123abcd", "0123ABCD-4567-89ab-cdef-0123456789ab"));
        assert_false(boot_id_matches("0123abce", "0123abcd456789abcdef0123456789ab"));
        assert_false(boot_id_matches("", "0123abcd"));
}

static void test_boot_resolve(void **state) {
        const char *boots[] = {"aaaaaaaa", "bbbbbbbb", "cccccccc"};
        char out[REPORT_SUMMARY_BOOT_MAX];
        struct boot_spec b;

        /* the running boot has reports: it is 0, the one before -1 */
        boot_spec_parse("", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, "bbbbbbbb1111", out), 0);
        assert_string_equal(out, "bbbbbbbb");
        boot_spec_parse("-1", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, "bbbbbbbb1111", out), 0);
        assert_string_equal(out, "aaaaaaaa");
        boot_spec_parse("-2", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, "bbbbbbbb1111", out), -ENXIO);
        /* ... or none yet: it comes after all of them */
        boot_spec_parse("-1", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, "dddddddd", out), 0);
        assert_string_equal(out, "cccccccc");
        boot_spec_parse("0", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, "dddddddd", out), 0);
        assert_string_equal(out, "dddddddd");
        assert_int_equal(boot_spec_resolve(&b, boots, 3, NULL, out), -ENXIO);
        /* positive: from the oldest */
        boot_spec_parse("1", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, NULL, out), 0);
        assert_string_equal(out, "aaaaaaaa");
        boot_spec_parse("4", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, NULL, out), -ENXIO);
        /* an id is taken as given */
        boot_spec_parse("eeeeeeee", &b);
        assert_int_equal(boot_spec_resolve(&b, boots, 3, NULL, out), 0);
        assert_string_equal(out, "eeeeeeee");

        /* and the match against summaries */
        struct report_filter f;
        struct report_summary s = make("memcg", "memcg_limit", "x", 1, "aaaaaaaa");
        report_filter_init(&f);
        boot_spec_parse("-1", &f.boot);
        assert_int_equal(boot_spec_resolve(&f.boot, boots, 3, "bbbbbbbbffff", f.boot_resolved), 0);
        assert_true(report_filter_match(&f, &s));
        snprintf(s.boot, sizeof s.boot, "bbbbbbbb");
        assert_false(report_filter_match(&f, &s));
        report_filter_done(&f);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_values),       cmocka_unit_test(test_match),
                cmocka_unit_test(test_unit_match),   cmocka_unit_test(test_boot_spec),
                cmocka_unit_test(test_boot_resolve),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
