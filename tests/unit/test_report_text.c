/* SPDX-License-Identifier: MIT */
/* report_write_text: the ticket text for the seed and a few edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis.h"
#include "analysis_fixtures.h"
#include "human_size.h"
#include "report_text.h"

static char *render(const struct oom_report *r) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        assert_non_null(f);
        assert_int_equal(report_write_text(r, f), 0);
        assert_int_equal(fclose(f), 0);
        return buf;
}

/* the line of text containing needle */
static const char *line_with(const char *text, const char *needle, char *buf, size_t n) {
        const char *p = strstr(text, needle), *s, *e;
        if (!p)
                fail_msg("no line with \"%s\" in:\n%s", needle, text);
        for (s = p; s > text && s[-1] != '\n'; s--)
                ;
        e = strchr(p, '\n');
        snprintf(buf, n, "%.*s", (int)(e ? e - s : (ptrdiff_t)strlen(s)), s);
        return buf;
}

static void test_seed_text(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ char *t = NULL;
        char line[512];

        assert_int_equal(report_analyze(r), 0);
        t = render(r);
        /* summary first */
        assert_int_equal(strncmp(t, r->summary, strlen(r->summary)), 0);
        assert_non_null(strstr(t, "Cause: cma_unusable\n"));
        assert_non_null(strstr(t, "usable 2344 kB is below the min watermark 2488 kB"));
        /* trigger decoded */
        line_with(t, "Trigger: systemd-journal", line, sizeof(line));
        assert_non_null(strstr(line, "gfp_mask=0x800d0"));
        assert_non_null(strstr(line, "order=0"));
        line_with(t, "migratetype Reclaimable", line, sizeof(line));
        assert_non_null(strstr(line, "highest zone Normal"));
        assert_non_null(strstr(line, "may use CMA: no"));
        assert_non_null(strstr(t, "__GFP_FS"));
        /* zone table: exact kB for the check, human sizes for the rest */
        line_with(t, "  Normal ", line, sizeof(line));
        assert_non_null(strstr(line, "228.0 MiB"));
        assert_non_null(strstr(line, "2344"));
        assert_non_null(strstr(line, "2488"));
        assert_non_null(strstr(line, "FAIL"));
        assert_non_null(strstr(line, "-144"));
        line_with(t, "  HighMem ", line, sizeof(line));
        assert_non_null(strstr(line, "not eligible"));
        /* memory and victim */
        assert_non_null(strstr(t, "Where the memory went (total 1.6 GiB):"));
        line_with(t, "Victim: thread_x[5575]", line, sizeof(line));
        assert_non_null(strstr(line, "score 481"));
        assert_non_null(strstr(t, "rss 20.3 MiB (anon 17.6 MiB, file 2.6 MiB, shmem ?)"));
        assert_non_null(strstr(t, "NOT in the task table (26 rows)"));
        /* top tasks: seed first by rss, rank 1 */
        line_with(t, "  seed", line, sizeof(line));
        assert_non_null(strstr(line, "34.5 MiB"));
        assert_non_null(strstr(t, "1 with oom_score_adj -1000"));
        assert_non_null(strstr(t, "2 × sh,"));
        /* notes */
        assert_non_null(strstr(t, "victim 5575 is missing from the task table"));
        assert_null(strstr(t, "incomplete"));
}

static void test_control_chars_escaped(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ char *t = NULL;

        snprintf(r->victim.comm, sizeof(r->victim.comm), "evil\x1b[2J\xff");
        assert_int_equal(report_analyze(r), 0);
        t = render(r);
        assert_null(strchr(t, 0x1b));
        assert_non_null(strstr(t, "evil\\x1B[2J\\xFF[5575]"));
}

static void test_notes_incomplete(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        _cleanup_free_ char *t = NULL;

        r->complete = false;
        r->unparsed_lines = 3;
        r->spans_gap = true;
        assert_int_equal(report_analyze(r), 0);
        t = render(r);
        assert_non_null(strstr(t, "Notes:\n"));
        assert_non_null(strstr(t, "the report is incomplete"));
        assert_non_null(strstr(t, "3 line(s) were not understood"));
        assert_non_null(strstr(t, "sequence gap"));
}

static void test_write_error(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = fixture_seed();
        FILE *f = fopen("/dev/full", "w");

        if (!f)
                skip();
        assert_int_equal(report_analyze(r), 0);
        setvbuf(f, NULL, _IONBF, 0);
        assert_int_equal(report_write_text(r, f), -EIO);
        fclose(f);
        assert_int_equal(report_write_text(NULL, stdout), -EINVAL);
}

static void test_human_sizes(void **state) {
        char b[HUMAN_SIZE_MAX];

        assert_string_equal(human_kb(0, b, sizeof(b)), "0 kB");
        assert_string_equal(human_kb(1023, b, sizeof(b)), "1023 kB");
        assert_string_equal(human_kb(1024, b, sizeof(b)), "1.0 MiB");
        assert_string_equal(human_kb(233460, b, sizeof(b)), "228.0 MiB");
        assert_string_equal(human_kb(1048523, b, sizeof(b)), "1023.9 MiB");
        assert_string_equal(human_kb(1048575, b, sizeof(b)), "1.0 GiB");
        assert_string_equal(human_kb(12897485, b, sizeof(b)), "12.3 GiB");
        assert_string_equal(human_kb(-2048, b, sizeof(b)), "-2.0 MiB");
        assert_string_equal(human_kb(NUM_UNSET, b, sizeof(b)), "?");
        assert_string_equal(human_kb(INT64_MAX, b, sizeof(b)), "8.0 ZiB");
        assert_string_equal(human_kb_mib(231116, b, sizeof(b)), "226 MiB");
        assert_string_equal(human_kb_mib(233460, b, sizeof(b)), "228 MiB");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_text),
                cmocka_unit_test(test_control_chars_escaped),
                cmocka_unit_test(test_notes_incomplete),
                cmocka_unit_test(test_write_error),
                cmocka_unit_test(test_human_sizes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
