/* SPDX-License-Identifier: MIT */
/* report_to_json / report_to_json_string / utf8_sanitize: parse the output back with json-c
 * and check names, types and values of the contract fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis.h"
#include "analysis_fixtures.h"
#include "report_json.h"

static json_object *get(json_object *o, const char *path) {
        /* "a.b.c" */
        char buf[128], *save = NULL, *tok;
        json_object *cur = o;

        snprintf(buf, sizeof(buf), "%s", path);
        for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
                json_object *next = NULL;
                if (!cur || !json_object_object_get_ex(cur, tok, &next))
                        fail_msg("missing %s (at %s)", path, tok);
                cur = next;
        }
        return cur;
}

static void assert_type(json_object *o, const char *path, json_type t) {
        json_object *v = get(o, path);
        if (json_object_get_type(v) != t)
                fail_msg("%s: type %s, expected %s", path, json_type_to_name(json_object_get_type(v)),
                         json_type_to_name(t));
}

static json_object *parse_strict(const char *s) {
        json_tokener *tok = json_tokener_new();
        json_object *o;

        assert_non_null(tok);
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
        o = json_tokener_parse_ex(tok, s, (int)strlen(s));
        if (json_tokener_get_error(tok) != json_tokener_success)
                fail_msg("invalid JSON: %s", json_tokener_error_desc(json_tokener_get_error(tok)));
        json_tokener_free(tok);
        return o;
}

static json_object *seed_json(struct oom_report *r, char **text) {
        char *s = NULL;

        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(report_to_json_string(r, &s), 0);
        assert_null(strchr(s, '\n')); /* one line */
        *text = s;
        return parse_strict(s);
}

static void test_seed_fields(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ char *s = NULL;
        json_object *o = seed_json(r, &s), *z, *chk, *c;

        assert_string_equal(json_object_get_string(get(o, "schema")), "oomlens.report/1");
        assert_string_equal(json_object_get_string(get(o, "id")), r->id);
        assert_string_equal(json_object_get_string(get(o, "kind")), "global");
        assert_type(o, "complete", json_type_boolean);
        assert_true(json_object_get_boolean(get(o, "complete")));
        assert_string_equal(json_object_get_string(get(o, "kernel.version")), "3.14.31-00017-g40fab71");
        assert_int_equal(json_object_get_int64(get(o, "ts_usec")), 12345342532LL);
        assert_type(o, "seq", json_type_null);

        assert_string_equal(json_object_get_string(get(o, "trigger.comm")), "systemd-journal");
        assert_int_equal(json_object_get_int64(get(o, "trigger.pid")), 1371);
        assert_string_equal(json_object_get_string(get(o, "trigger.gfp_mask")), "0x800d0");
        assert_type(o, "trigger.gfp_flags", json_type_array);
        assert_type(o, "trigger.order", json_type_int);
        assert_int_equal(json_object_get_int64(get(o, "trigger.order")), 0);
        assert_string_equal(json_object_get_string(get(o, "trigger.migratetype")), "Reclaimable");
        assert_string_equal(json_object_get_string(get(o, "trigger.highest_zone")), "Normal");
        assert_type(o, "trigger.may_use_cma", json_type_boolean);
        assert_false(json_object_get_boolean(get(o, "trigger.may_use_cma")));
        {
                json_object *flags = get(o, "trigger.gfp_flags");
                bool fs = false;
                for (size_t i = 0; i < json_object_array_length(flags); i++)
                        fs |= strcmp(json_object_get_string(json_object_array_get_idx(flags, i)), "__GFP_FS") == 0;
                assert_true(fs);
        }
        assert_type(o, "constraint", json_type_object);
        assert_type(o, "constraint.type", json_type_null);

        assert_int_equal(json_object_get_int64(get(o, "victim.pid")), 5575);
        assert_string_equal(json_object_get_string(get(o, "victim.comm")), "thread_x");
        assert_type(o, "victim.uid", json_type_null); /* NUM_UNSET -> null */
        assert_int_equal(json_object_get_int64(get(o, "victim.score")), 481);
        assert_int_equal(json_object_get_int64(get(o, "victim.total_vm_kb")), 106212);
        assert_int_equal(json_object_get_int64(get(o, "victim.anon_rss_kb")), 18036);
        assert_int_equal(json_object_get_int64(get(o, "victim.file_rss_kb")), 2704);
        assert_type(o, "victim.shmem_rss_kb", json_type_null);
        assert_type(o, "victim.in_task_table", json_type_boolean);
        assert_false(json_object_get_boolean(get(o, "victim.in_task_table")));
        assert_type(o, "victim.rank", json_type_null);
        assert_type(o, "memcg", json_type_null);

        assert_int_equal(json_object_get_int64(get(o, "memory.total_kb")), 1689072);
        assert_int_equal(json_object_get_int64(get(o, "memory.printed.meminfo_pages.free_cma")), 57779);

        assert_int_equal(json_object_array_length(get(o, "zones")), 2);
        z = json_object_array_get_idx(get(o, "zones"), 0);
        assert_string_equal(json_object_get_string(get(z, "name")), "Normal");
        assert_type(z, "node", json_type_null);
        assert_int_equal(json_object_get_int64(get(z, "free_kb")), 233460);
        assert_int_equal(json_object_get_int64(get(z, "min_kb")), 2488);
        assert_int_equal(json_object_get_int64(get(z, "low_kb")), 3108);
        assert_int_equal(json_object_get_int64(get(z, "high_kb")), 3732);
        assert_int_equal(json_object_get_int64(get(z, "free_cma_kb")), 231116);
        assert_int_equal(json_object_get_int64(get(z, "present_kb")), 774144);
        assert_int_equal(json_object_get_int64(get(z, "managed_kb")), 387568);
        assert_int_equal(json_object_array_length(get(z, "lowmem_reserve_pages")), 3);
        assert_int_equal(json_object_get_int64(json_object_array_get_idx(get(z, "lowmem_reserve_pages"), 1)), 10168);
        assert_int_equal(json_object_array_length(get(z, "buddy")), 11);
        assert_string_equal(json_object_get_string(get(json_object_array_get_idx(get(z, "buddy"), 0), "types")), "MRC");
        chk = get(z, "check");
        assert_true(json_object_get_boolean(get(chk, "eligible")));
        assert_int_equal(json_object_get_int64(get(chk, "usable_free_kb")), 2344);
        assert_int_equal(json_object_get_int64(get(chk, "cma_excluded_kb")), 231116);
        assert_int_equal(json_object_get_int64(get(chk, "reserve_kb")), 0);
        assert_int_equal(json_object_get_int64(get(chk, "threshold_kb")), 2488);
        assert_false(json_object_get_boolean(get(chk, "ok")));
        assert_int_equal(json_object_get_int64(get(chk, "margin_kb")), 2344 - 2488);
        z = json_object_array_get_idx(get(o, "zones"), 1);
        assert_false(json_object_get_boolean(get(z, "check.eligible")));

        assert_int_equal(json_object_array_length(get(o, "tasks")), 26);
        assert_type(o, "task_groups", json_type_array);
        assert_int_equal(json_object_get_int64(get(o, "tasks_oom_disabled")), 1);
        c = json_object_array_get_idx(get(o, "analysis.causes"), 0);
        assert_string_equal(json_object_get_string(get(c, "code")), "cma_unusable");
        assert_true(json_object_get_boolean(get(c, "primary")));
        assert_type(c, "explanation", json_type_string);
        assert_string_equal(json_object_get_string(get(o, "analysis.summary")), r->summary);
        assert_int_equal(json_object_get_int64(get(o, "unparsed_lines")), 0);
        assert_int_equal(json_object_array_length(get(o, "lines")), 4);
        assert_string_equal(json_object_get_string(json_object_array_get_idx(get(o, "lines"), 2)),
                            "Out of memory: Kill process 5575 thread_x score 481 or sacrifice child");
        json_object_put(o);
}

static void test_invalid_utf8_comm(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ char *s = NULL;
        json_object *o;

        /* invalid byte, a C1-range lone continuation, a control char, a valid multibyte */
        snprintf(r->victim.comm, sizeof(r->victim.comm), "th\xff" "re\x80" "ad\x01_\xc3\xa9");
        snprintf(r->tasks[0].name, sizeof(r->tasks[0].name), "\xed\xa0\x80x"); /* surrogate */
        free(r->lines[0].text);
        r->lines[0].text = r->lines[0].raw = malloc(5);
        memcpy(r->lines[0].text, "a\0b\xfe", 5); /* embedded NUL, len 4 */
        r->lines[0].len = 4;
        o = seed_json(r, &s);
        assert_string_equal(json_object_get_string(get(o, "victim.comm")), "th\\xFFre\\x80ad\x01_\xc3\xa9");
        assert_string_equal(json_object_get_string(get(json_object_array_get_idx(get(o, "tasks"), 0), "name")),
                            "\\xED\\xA0\\x80x");
        assert_string_equal(json_object_get_string(json_object_array_get_idx(get(o, "lines"), 0)),
                            "a\\x00b\\xFE");
        /* the control char is escaped by json-c in the text */
        assert_non_null(strstr(s, "ad\\u0001_"));
        json_object_put(o);
}

static void test_utf8_sanitize_cases(void **state) {
        static const struct {
                const char *in;
                size_t len;
                const char *out;
        } cases[] = {
                { "plain ascii", 11, "plain ascii" },
                { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
                { "\xc0\xaf", 2, "\\xC0\\xAF" },                 /* overlong '/' */
                { "\xe0\x80\xaf", 3, "\\xE0\\x80\\xAF" },        /* overlong 3-byte */
                { "\xed\xa0\x80", 3, "\\xED\\xA0\\x80" },        /* UTF-16 surrogate */
                { "\xf4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80" }, /* > U+10FFFF */
                { "\xe2\x82", 2, "\\xE2\\x82" },                 /* truncated at end */
                { "\xe2\x82x", 3, "\\xE2\\x82x" },               /* truncated mid-string */
                { "\xf5\xff", 2, "\\xF5\\xFF" },
                { "a\0b", 3, "a\\x00b" },
                { "", 0, "" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *out = NULL;
                assert_int_equal(utf8_sanitize(cases[i].in, cases[i].len, &out), 0);
                assert_string_equal(out, cases[i].out);
        }
}

static void test_utf8_sanitize_random(void **state) {
        /* 4 MiB of pseudo-random bytes: output must be valid UTF-8 for json-c's validator. */
        size_t len = 4u << 20;
        _cleanup_free_ char *in = malloc(len), *out = NULL;
        json_object *j, *back;
        uint32_t x = 12345;

        assert_non_null(in);
        for (size_t i = 0; i < len; i++) {
                x = x * 1103515245u + 12345u;
                in[i] = (char)(x >> 16);
        }
        assert_int_equal(utf8_sanitize(in, len, &out), 0);
        assert_int_equal(strlen(out) >= len, true); /* NULs became 4 chars, nothing shrank */
        j = json_object_new_string(out);
        back = parse_strict(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
        assert_string_equal(json_object_get_string(back), out);
        json_object_put(back);
        json_object_put(j);
}

static void test_unset_and_empty(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        _cleanup_free_ char *s = NULL;
        json_object *o;

        assert_int_equal(oom_report_new(&r), 0);
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(report_to_json_string(r, &s), 0);
        o = parse_strict(s);
        assert_type(o, "kernel.version", json_type_null);
        assert_type(o, "trigger.gfp_mask", json_type_null);
        assert_type(o, "trigger.order", json_type_null);
        assert_type(o, "trigger.may_use_cma", json_type_null);
        assert_type(o, "victim", json_type_null);
        assert_type(o, "memory.total_kb", json_type_null);
        assert_type(o, "memory.unaccounted_kb", json_type_null);
        assert_type(o, "tasks_oom_disabled", json_type_null);
        assert_int_equal(json_object_array_length(get(o, "zones")), 0);
        assert_int_equal(json_object_array_length(get(o, "tasks")), 0);
        assert_int_equal(json_object_array_length(get(o, "lines")), 0);
        assert_int_equal(json_object_array_length(get(o, "analysis.causes")), 1);
        {
                json_object *c = json_object_array_get_idx(get(o, "analysis.causes"), 0);
                assert_string_equal(json_object_get_string(get(c, "code")), "unknown");
                assert_true(json_object_get_boolean(get(c, "primary")));
                assert_non_null(strstr(json_object_get_string(get(c, "explanation")), "it is incomplete"));
        }
        json_object_put(o);
        assert_int_equal(report_to_json(NULL, &o), -EINVAL);
}

static void test_memcg_object(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        _cleanup_free_ char *s = NULL;
        json_object *o;

        assert_int_equal(oom_report_new(&r), 0);
        r->kind = REPORT_KIND_MEMCG;
        r->memcg.present = true;
        snprintf(r->memcg.path, sizeof(r->memcg.path), "/kubepods/pod\xff");
        r->memcg.usage_kb = r->memcg.limit_kb = 102400;
        r->memcg.failcnt = 6402;
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "anon", 98742272);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "anon", 1); /* duplicate: first kept */
        /* two keys that only the sanitising makes equal: the first kept too */
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "x\xc3", 7);
        fx_kv(&r->memcg.stats, &r->memcg.n_stats, "x\\xC3", 8);
        assert_int_equal(report_analyze(r), 0);
        assert_int_equal(report_to_json_string(r, &s), 0);
        assert_non_null(strstr(s, "\"stats\":{\"anon\":98742272,\"x\\\\xC3\":7}"));
        o = parse_strict(s);
        assert_string_equal(json_object_get_string(get(o, "kind")), "memcg");
        assert_string_equal(json_object_get_string(get(o, "memcg.path")), "/kubepods/pod\\xFF");
        assert_int_equal(json_object_get_int64(get(o, "memcg.usage_kb")), 102400);
        assert_int_equal(json_object_get_int64(get(o, "memcg.limit_kb")), 102400);
        assert_int_equal(json_object_get_int64(get(o, "memcg.failcnt")), 6402);
        assert_int_equal(json_object_get_int64(get(o, "memcg.stats.anon")), 98742272);
        assert_string_equal(json_object_get_string(get(json_object_array_get_idx(get(o, "analysis.causes"), 0), "code")),
                            "memcg_limit");
        json_object_put(o);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_fields),
                cmocka_unit_test(test_invalid_utf8_comm),
                cmocka_unit_test(test_utf8_sanitize_cases),
                cmocka_unit_test(test_utf8_sanitize_random),
                cmocka_unit_test(test_unset_and_empty),
                cmocka_unit_test(test_memcg_object),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
