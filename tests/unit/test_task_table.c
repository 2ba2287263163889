/* SPDX-License-Identifier: MIT */
/* dump_tasks() headers of every layout in kernel-facts §5.5 and real rows: 2.6.32 (§5.5 format),
 * 3.0-era (corpus 031/037), 3.13 (022), 4.5/4.8/4.11 (025/034/038), 4.15-style narrow bracket
 * (055, 4.18), 4.19+ (lab, 046), 6.8+ (§5.5 format), a vendor column (008). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "task_table.h"

static int header(const char *t, struct task_columns *c) { return task_table_parse_header(t, strlen(t), c); }
static int row(const struct task_columns *c, const char *t, struct oom_task *ret) {
        return task_table_parse_row(c, t, strlen(t), ret);
}

static void test_layout_2_6_32(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss cpu oom_adj name", &c), 1);
        assert_string_equal(c.layout, "2.6.32");
        assert_int_equal(c.n, 6);
        assert_int_equal(c.col[4], TASK_COL_CPU);
        assert_int_equal(c.col[5], TASK_COL_OOM_ADJ);
        /* [%5d] %5d %5d %8lu %8lu %3d     %3d %s */
        assert_int_equal(row(&c, "[ 2321]   500  2321   127462    56789   1     -17 Xorg", &t), 1);
        assert_int_equal(t.pid, 2321);
        assert_int_equal(t.uid, 500);
        assert_int_equal(t.tgid, 2321);
        assert_int_equal(t.total_vm_pages, 127462);
        assert_int_equal(t.rss_pages, 56789);
        assert_int_equal(t.oom_score_adj, -17); /* oom_adj stands in on 2.6.32 */
        assert_true(t.nr_ptes == NUM_UNSET);
        assert_true(t.swapents_pages == NUM_UNSET);
        assert_string_equal(t.name, "Xorg");
}

static void test_layout_3_0(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        /* corpus 031 (linux-next 2010) and 037 (CentOS 6) */
        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "3.0");
        assert_int_equal(c.n, 7);
        assert_int_equal(row(&c, "[ 1913]     0  1913     1290      365   1       0             0 plymouthd", &t), 1);
        assert_int_equal(t.pid, 1913);
        assert_int_equal(t.rss_pages, 365);
        assert_int_equal(t.oom_score_adj, 0);
        assert_string_equal(t.name, "plymouthd");
        /* Both printed: oom_score_adj wins over oom_adj (-17 vs -1000). */
        assert_int_equal(row(&c, "[  412]     0   412     2757      190   0     -17         -1000 udevd", &t), 1);
        assert_int_equal(t.oom_score_adj, -1000);
}

static void test_layout_3_6_3_14(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "3.6-3.14");
        assert_int_equal(c.n, 7);
        assert_int_equal(row(&c, "[  293]     0   293    12802      154      28        0         -1000 systemd-udevd", &t), 1);
        assert_int_equal(t.pid, 293);
        assert_int_equal(t.total_vm_pages, 12802);
        assert_int_equal(t.rss_pages, 154);
        assert_int_equal(t.nr_ptes, 28);
        assert_int_equal(t.swapents_pages, 0);
        assert_int_equal(t.oom_score_adj, -1000);
        assert_true(t.pgtables_bytes == NUM_UNSET);
        assert_string_equal(t.name, "systemd-udevd");
        /* corpus 004: uid 275858 and 8 million swapents */
        assert_int_equal(row(&c, "[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster", &t), 1);
        assert_int_equal(t.uid, 275858);
        assert_int_equal(t.swapents_pages, 8324326);
        /* whitespace collapsed by the paster (028) and the seed's 3.14 rows */
        assert_int_equal(header("[ pid ] uid tgid total_vm rss nr_ptes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "3.6-3.14");
        assert_int_equal(row(&c, "[ 1367] 0 1367 665 235 4 0 0 propertyd", &t), 1);
        assert_int_equal(t.rss_pages, 235);
        assert_string_equal(t.name, "propertyd");
}

static void test_layout_4_4_4_14(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "4.4-4.14");
        assert_int_equal(c.n, 8);
        assert_int_equal(row(&c, "[ 1667]     0  1667   210894    62557     315       4    91187             0 gunpowder-memho", &t), 1);
        assert_int_equal(t.nr_ptes, 315);
        assert_int_equal(t.nr_pmds, 4);
        assert_int_equal(t.swapents_pages, 91187);
        assert_string_equal(t.name, "gunpowder-memho");
}

static void test_layout_4_15(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        /* 4.15-4.18 narrow bracket with pgtables_bytes (corpus 055, 4.18) */
        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "4.15");
        assert_int_equal(row(&c, "[ 1969]     0  1969     5121      970    86016        0             0 bash", &t), 1);
        assert_int_equal(t.pgtables_bytes, 86016);
        assert_true(t.nr_ptes == NUM_UNSET);
}

static void test_layout_4_19_6_6(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "4.19-6.6");
        assert_int_equal(c.n, 7);
        /* lab amd64-hog-512M (6.1) */
        assert_int_equal(row(&c, "[     90]     0    90   108535   108322   913408        0             0 hog", &t), 1);
        assert_int_equal(t.pid, 90);
        assert_int_equal(t.total_vm_pages, 108535);
        assert_int_equal(t.rss_pages, 108322);
        assert_int_equal(t.pgtables_bytes, 913408);
        assert_string_equal(t.name, "hog");
        /* corpus 013 (5.15): uid 65535, negative adj */
        assert_int_equal(row(&c, "[ 181505] 65535 181505      243        1    28672        0          -998 pause", &t), 1);
        assert_int_equal(t.pid, 181505);
        assert_int_equal(t.uid, 65535);
        assert_int_equal(t.oom_score_adj, -998);
        /* corpus 046 (5.10 GKI) */
        assert_int_equal(row(&c, "[    265]     0   265 2716383      169   225280      684         -1000 init", &t), 1);
        assert_int_equal(t.swapents_pages, 684);
        assert_int_equal(t.oom_score_adj, -1000);
}

static void test_layout_6_8(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "6.8+");
        assert_int_equal(c.n, 10);
        /* [%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s */
        assert_int_equal(row(&c, "[    812]  1000   812   120712    33417    31305     2112         0   352256        0             0 firefox", &t), 1);
        assert_int_equal(t.rss_pages, 33417);
        assert_int_equal(t.rss_anon_pages, 31305);
        assert_int_equal(t.rss_file_pages, 2112);
        assert_int_equal(t.rss_shmem_pages, 0);
        assert_int_equal(t.pgtables_bytes, 352256);
        assert_int_equal(t.uid, 1000);
        assert_string_equal(t.name, "firefox");
}

static void test_layout_custom(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        /* corpus 008: a vendor patch adds "(01)nrss"; known columns are still mapped by name. */
        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss (01)nrss  pgtables_bytes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "custom");
        assert_int_equal(c.n, 8);
        assert_int_equal(c.col[4], TASK_COL_UNKNOWN);
        assert_int_equal(row(&c, "[  12399]     0 12399  1311306  1311056   262170 10534912        0             0 a.out", &t), 1);
        assert_int_equal(t.pid, 12399);
        assert_int_equal(t.rss_pages, 1311056);
        assert_int_equal(t.pgtables_bytes, 10534912);
        assert_int_equal(t.swapents_pages, 0);
        assert_string_equal(t.name, "a.out");

        /* A layout known by its columns but with the other bracket is not mislabelled. */
        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name", &c), 1);
        assert_string_equal(c.layout, "custom");
}

static void test_headerless_default(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;

        task_table_default_columns(&c);
        assert_string_equal(c.layout, "headerless");
        assert_int_equal(c.n, 7);
        assert_int_equal(c.col[0], TASK_COL_UID);
        assert_int_equal(c.col[3], TASK_COL_RSS);
        assert_int_equal(row(&c, "[  273]     0   273     4869       50      13        0             0 upstart-udev-br", &t), 1);
        assert_int_equal(t.rss_pages, 50);
}

static void test_comm_with_spaces(void **state) {
        (void) state;
        struct task_columns c;
        struct oom_task t;
        char longname[200];

        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", &c), 1);
        assert_int_equal(row(&c, "[   4711]  1000  4711   912345   204800  2203648        0           100 Web Content  \r", &t), 1);
        assert_string_equal(t.name, "Web Content");
        assert_int_equal(t.oom_score_adj, 100);
        assert_int_equal(row(&c, "[   4712]  1000  4712   912345   204800  2203648        0           100 Isolated Web Co", &t), 1);
        assert_string_equal(t.name, "Isolated Web Co");
        /* A name that starts with digits is still a name once all columns are read. */
        assert_int_equal(row(&c, "[   4713]     0  4713      100       10    28672        0             0 0trace", &t), 1);
        assert_string_equal(t.name, "0trace");

        /* An over-long name is cut to OOM_COMM_MAX-1 bytes. */
        memset(longname, 0, sizeof(longname));
        strcpy(longname, "[   4714]     0  4714      100       10    28672        0             0 ");
        memset(longname + strlen(longname), 'n', 120);
        assert_int_equal(row(&c, longname, &t), 1);
        assert_int_equal(strlen(t.name), OOM_COMM_MAX - 1);
}

static void test_malformed(void **state) {
        (void) state;
        struct task_columns c, keep;
        struct oom_task t;

        /* Not headers */
        memset(&keep, 0x11, sizeof(keep));
        c = keep;
        assert_int_equal(header("[ pid ]   uid  tgid total_vm      rss", &c), 0); /* no "name" */
        assert_memory_equal(&c, &keep, sizeof(c));                           /* untouched */
        assert_int_equal(header("[ pid ] name", &c), 0);                      /* no columns */
        assert_int_equal(header("[ 1366]     0  1366      459 sh", &c), 0);
        assert_int_equal(header("Tasks state (memory values in pages):", &c), 0);
        assert_int_equal(header("", &c), 0);
        assert_int_equal(header("[ pid  uid name", &c), 0);
        {
                /* more columns than TASK_MAX_COLS */
                char h[512] = "[ pid ]";
                for (int i = 0; i < TASK_MAX_COLS + 2; i++)
                        strcat(h, " rss");
                strcat(h, " name");
                assert_int_equal(header(h, &c), 0);
        }

        assert_int_equal(header("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", &c), 1);
        memset(&t, 0x22, sizeof(t));
        struct oom_task tkeep = t;
        /* a row missing columns (cut by the paster) */
        assert_int_equal(row(&c, "[     90]     0    90   108535   108322   913408", &t), 0);
        assert_memory_equal(&t, &tkeep, sizeof(t));
        /* all numbers but no name */
        assert_int_equal(row(&c, "[     90]     0    90   108535   108322   913408        0             0   ", &t), 0);
        /* junk glued to a number */
        assert_int_equal(row(&c, "[     90]     0    90   108535   108322kB 913408        0             0 hog", &t), 0);
        /* negative or missing pid, missing bracket */
        assert_int_equal(row(&c, "[    -90]     0    90   108535   108322   913408        0             0 hog", &t), 0);
        assert_int_equal(row(&c, "[       ]     0    90   108535   108322   913408        0             0 hog", &t), 0);
        assert_int_equal(row(&c, "     90]     0    90   108535   108322   913408        0             0 hog", &t), 0);
        assert_int_equal(row(&c, "[     90     0    90   108535   108322   913408        0             0 hog", &t), 0);
        /* a number beyond int64 */
        assert_int_equal(row(&c, "[     90]     0    90   99999999999999999999   108322   913408        0             0 hog", &t), 0);
        assert_memory_equal(&t, &tkeep, sizeof(t));
        /* the header itself is not a row */
        assert_int_equal(row(&c, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", &t), 0);
        /* bounded: a row cut by len before its name */
        {
                const char *full = "[     90]     0    90   108535   108322   913408        0             0 hog";
                assert_int_equal(task_table_parse_row(&c, full, strlen(full) - 4, &t), 0);
                assert_int_equal(task_table_parse_row(&c, full, strlen(full) - 1, &t), 1);
                assert_string_equal(t.name, "ho");
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_layout_2_6_32),
                cmocka_unit_test(test_layout_3_0),
                cmocka_unit_test(test_layout_3_6_3_14),
                cmocka_unit_test(test_layout_4_4_4_14),
                cmocka_unit_test(test_layout_4_15),
                cmocka_unit_test(test_layout_4_19_6_6),
                cmocka_unit_test(test_layout_6_8),
                cmocka_unit_test(test_layout_custom),
                cmocka_unit_test(test_headerless_default),
                cmocka_unit_test(test_comm_with_spaces),
                cmocka_unit_test(test_malformed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
