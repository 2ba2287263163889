/* SPDX-License-Identifier: MIT */
/* The analyze fast path: report_line_may_open() against the classifier on every corpus line,
 * log_reader_skip() against plain feeding, and prefilter_feed() against the slow pipeline on
 * generated input. tests/golden/prefilter_equivalence.sh compares whole CLI outputs. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log_line.h"
#include "prefilter.h"
#include "report_assembler.h"
#include "report_line.h"

/* Kinds the assembler acts on with no report in progress (report_assembler.c: headers, kill
 * group, reaper, kind_opens_headless(), the ratelimit counter). */
static bool kind_matters(enum line_kind k) {
        switch (k) {
        case LINE_OOM_HEADER: case LINE_ALLOC_FAIL_HEADER: case LINE_ALLOC_STALL:
        case LINE_OOM_SUMMARY: case LINE_KILL_PROCESS: case LINE_KILLED_PROCESS:
        case LINE_OOM_VICTIM_EXITING: case LINE_OOM_GROUP: case LINE_NO_KILLABLE:
        case LINE_PANIC_ON_OOM: case LINE_OOM_REAPER: case LINE_RATELIMIT:
        case LINE_MEMINFO_START: case LINE_PERCPU_HEADER: case LINE_MEMINFO_COUNTERS:
        case LINE_NODE: case LINE_ZONE: case LINE_LOWMEM_RESERVE: case LINE_BUDDY:
        case LINE_UNRECLAIMABLE_SLAB_START: case LINE_MEMCG_TASK_IN: case LINE_MEMCG_USAGE:
        case LINE_MEMCG_STATS_START: case LINE_TASK_HEADER: case LINE_TASK_ROW:
                return true;
        default:
                return false;
        }
}

struct may_open_stats {
        size_t lines, mattering, rejected;
};

static void check_text(const char *t, size_t n, struct may_open_stats *st) {
        enum line_kind k = report_line_classify(t, n);
        bool must = kind_matters(k) || memmem(t, n, "SysRq", 5);

        st->lines++;
        if (must) {
                st->mattering++;
                if (!report_line_may_open(t, n))
                        fail_msg("may_open rejects a %s line: \"%.*s\"", line_kind_to_string(k), (int) n, t);
        } else if (!report_line_may_open(t, n))
                st->rejected++;
}

static int check_line(const struct log_line *l, void *userdata) {
        struct may_open_stats *st = userdata;
        char buf[512];
        size_t n = l->len < sizeof(buf) ? l->len : sizeof(buf);

        check_text(l->text, l->len, st);
        /* the same text as a pasted copy would carry it: indented, trailing blanks, a caller id
         * the input layer left in place, and every prefix length (a line cut by the paster) */
        memcpy(buf, l->text, n);
        for (size_t cut = 1; cut <= n && cut <= 48; cut++)
                check_text(buf, cut, st);
        if (n + 16 < sizeof(buf)) {
                char alt[sizeof(buf)];
                int m = snprintf(alt, sizeof(alt), "  [  T12] %.*s \t", (int) n, buf);
                check_text(alt, (size_t) m, st);
        }
        return 0;
}

static void feed_file(const char *path, log_line_cb cb, void *userdata) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        FILE *f = fopen(path, "rb");
        char buf[65536];
        size_t n;

        if (!f)
                return;
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                assert_int_equal(log_reader_feed(r, buf, n, cb, userdata), 0);
        assert_int_equal(log_reader_flush(r, cb, userdata), 0);
        fclose(f);
}

static void feed_dir(const char *dir, log_line_cb cb, void *userdata, size_t *files) {
        DIR *d = opendir(dir);
        struct dirent *e;

        if (!d)
                return;
        while ((e = readdir(d))) {
                char p[4096];
                if (e->d_name[0] == '.')
                        continue;
                snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
                if (e->d_type == DT_DIR) {
                        feed_dir(p, cb, userdata, files);
                        continue;
                }
                feed_file(p, cb, userdata);
                (*files)++;
        }
        closedir(d);
}

static void test_may_open_covers_classifier(void **state) {
        struct may_open_stats st = {};
        size_t files = 0;

        (void) state;
        feed_dir(OOMLENS_TEST_DATA, check_line, &st, &files);
        feed_dir(OOMLENS_SHARED_DIR "/corpus", check_line, &st, &files);
        feed_dir(OOMLENS_SHARED_DIR "/seed", check_line, &st, &files);
        if (files < 10)
                skip(); /* the shared corpus is missing */
        print_message("may_open: %zu lines from %zu files, %zu matter, %zu rejected\n", st.lines, files,
                      st.mattering, st.rejected);
        assert_true(st.mattering > 1000);
        assert_true(st.rejected > 0);
}

static void test_may_open_chatter(void **state) {
        static const char *const chatter[] = {
                "usb 1-1: new high-speed USB device number 3 using xhci_hcd",
                "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
                "audit: type=1400 audit(1700000000.1:42): apparmor=\"STATUS\"",
                "systemd[1]: Started Session 4 of User root.",
                "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
                "Call Trace:",
                "CPU: 1 PID: 12 Comm: kworker/1:2 Not tainted 6.1.0 #1",
        };
        static const char *const openers[] = {
                "hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0",
                "kworker/u4:1: page allocation failure: order:5, mode:0x40cc0",
                "Out of memory: Killed process 90 (hog) total-vm:435760kB",
                "OUT OF MEMORY: KILL PROCESS 90 (hog) score 9 or sacrifice child",
                "oom_reaper: reaped process 90 (hog), now anon-rss:0kB",
                "Mem-Info:",
                "active_anon:502 inactive_anon:108534 isolated_anon:0",
                "Node 0 DMA free:1804kB min:88kB",
                "DMA32: 1*4kB (U) 2*8kB = 20kB",
                "lowmem_reserve[]: 0 1677 1677",
                "0 1677 1677 1677",
                "[ 1366]     0  1366      459      125",
                "[  pid  ]   uid  tgid total_vm",
                "sysrq: SysRq : Show Memory",
                "warn_alloc: 3 callbacks suppressed",
                "memory: usage 1024kB, limit 1024kB, failcnt 12",
                "Normal per-cpu:",
        };

        (void) state;
        for (size_t i = 0; i < sizeof(chatter) / sizeof(chatter[0]); i++)
                assert_false(report_line_may_open(chatter[i], strlen(chatter[i])));
        for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
                assert_true(report_line_may_open(openers[i], strlen(openers[i])));
        assert_false(report_line_may_open(NULL, 3));
        assert_false(report_line_may_open("", 0));
}

/* The vector scans in report_line_may_open() (phrases anywhere in the line, the first-byte index of
 * the prefix keys): every key at every offset of lines of every length up to 80, above all in the
 * last 16 positions that a partial vector step covers; near misses stay rejected. */
static void test_may_open_key_positions(void **state) {
        static const char *const anywhere[] = { "invoked oom-killer:", "page allocation failure", "SysRq" };
        static const char *const near_miss[] = { "invoked oom_killer:", "page alocation failure", "SysQq" };

        (void) state;
        for (size_t k = 0; k < sizeof(anywhere) / sizeof(anywhere[0]); k++)
                for (size_t len = strlen(anywhere[k]); len <= 80; len++)
                        for (size_t at = 0; at + strlen(anywhere[k]) <= len; at++) {
                                char line[96];

                                memset(line, 'x', len);
                                memcpy(line + at, anywhere[k], strlen(anywhere[k]));
                                if (!report_line_may_open(line, len))
                                        fail_msg("\"%s\" at %zu of %zu rejected", anywhere[k], at, len);
                                memcpy(line + at, near_miss[k], strlen(near_miss[k]));
                                if (report_line_may_open(line, len))
                                        fail_msg("\"%s\" at %zu of %zu accepted", near_miss[k], at, len);
                        }
}

static void test_may_open_prefixes(void **state) {
        /* every line start may_open knows, with neighbours sharing a first byte */
        static const char *const openers[] = {
                "Kernel panic - not syncing: Out of memory", "oom-kill:constraint=CONSTRAINT_NONE",
                "oom_reaper: reaped process 1 (x)", "Tasks state (memory values in pages):",
                "Task in /user.slice killed as a result of limit of /user.slice",
                "Unreclaimable slab info:", "Node 0 active_anon:1kB", "lowmem_reserve[]: 0 0",
                "kill process 1 (x) score 2", "KILLED PROCESS 1 (x)", "Out of memory: Kill process 1 (x)",
                "memory.oom.group", "Memory cgroup out of memory: Killed process 1 (x)", "Mem-Info:",
                "memory: usage 1kB, limit 2kB, failcnt 0", "memory+swap: usage 1kB, limit 2kB, failcnt 0",
                "swap: usage 0kB, limit 0kB, failcnt 0", "kmem: usage 0kB, limit 0kB, failcnt 0",
                "tcpmem: usage 0kB, limit 0kB, failcnt 0", "active_anon:1 inactive_anon:2 isolated_anon:0",
                "active_file:1 inactive_file:2 isolated_file:0", "isolated_file:0", "unevictable:0 dirty:0",
                "dirty:0", "writeback:0 unstable:0", "unstable:0", "free:1 free_pcp:2 free_cma:0",
                "free:233460kB", "slab_reclaimable:1 slab_unreclaimable:2", "slab_unreclaimable:2",
                "mapped:1 shmem:2 pagetables:3", "shmem:2", "pagetables:3 bounce:0", "sec_pagetables:0",
                "bounce:0", "free_cma:0", "free_pcp:0", "kernel_misc_reclaimable:0", "Active:1 inactive:2",
                "inactive:2", "slab:3", "HighMem free:0kB min:0kB", "Movable: 0*4kB 0*8kB = 0kB",
                "Normal: ", "DMA per-cpu:", "__oom_kill_process: 2 callbacks suppressed",
                "oom_kill_process: 12 callbacks suppressed", "mem_cgroup_out_of_memory: 1 callbacks suppressed",
        };
        static const char *const chatter[] = {
                "slub: something", "sched: RT throttling activated", "mm: 1 pages", "Normal zone ok",
                "DMA: disabled", "dump_header: x callbacks suppressed", "frob: 3 callbacks suppressed",
                "pci 0000:00:1f.0: [8086:a30e] type 00 class 0x060100",
        };

        (void) state;
        for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
                if (!report_line_may_open(openers[i], strlen(openers[i])))
                        fail_msg("rejected: \"%s\"", openers[i]);
        for (size_t i = 0; i < sizeof(chatter) / sizeof(chatter[0]); i++)
                if (report_line_may_open(chatter[i], strlen(chatter[i])))
                        fail_msg("accepted: \"%s\"", chatter[i]);
}

/* ------------------------------------------------------------------------------------------
 * log_reader_skip() against plain feeding: the lines it does not skip arrive identical. */

struct rec {
        char *buf;
        size_t len, cap;
        size_t n_lines, n_skipped;
};

static void rec_add(struct rec *r, const char *s, size_t n) {
        if (r->len + n + 1 > r->cap) {
                r->cap = (r->len + n + 1) * 2;
                r->buf = realloc(r->buf, r->cap);
                assert_non_null(r->buf);
        }
        memcpy(r->buf + r->len, s, n);
        r->len += n;
        r->buf[r->len] = '\0';
}

static int rec_line(const struct log_line *l, void *userdata) {
        struct rec *r = userdata;
        char meta[128];
        int m = snprintf(meta, sizeof(meta), "%lld|%lld|%s|%d|", (long long) l->ts_usec, (long long) l->seq,
                         l->caller, l->facility);

        r->n_lines++;
        rec_add(r, meta, (size_t) m);
        rec_add(r, l->text, l->len);
        rec_add(r, "\n", 1);
        return 0;
}

static int rec_skipped(const struct log_line *l, void *userdata) {
        struct rec *r = userdata;

        assert_null(l->text);
        r->n_skipped++;
        return 0;
}

/* "Wanted" here: anything containing "W"; the plain run drops the same lines afterwards. */
static bool want_w(const char *text, size_t len, void *userdata) {
        (void) userdata;
        return memchr(text, 'W', len) != NULL;
}

static int rec_line_w(const struct log_line *l, void *userdata) {
        /* the plain run: keep what the skipping run can also see */
        if (!memchr(l->text, 'W', l->len) && !memchr(l->text, '+', l->len) && !memchr(l->text, '~', l->len))
                return 0;
        return rec_line(l, userdata);
}

static void run_both(const char *input, size_t chunk, struct rec *plain, struct rec *fast, size_t *skipped_lines) {
        _cleanup_(log_reader_freep) struct log_reader *a = NULL, *b = NULL;
        struct log_reader_stats sa, sb;
        size_t len = strlen(input);

        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &a), 0);
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &b), 0);
        for (size_t off = 0; off < len; off += chunk)
                assert_int_equal(log_reader_feed(a, input + off, MIN(chunk, len - off), rec_line_w, plain), 0);
        assert_int_equal(log_reader_flush(a, rec_line_w, plain), 0);

        for (size_t off = 0; off < len; off += chunk) {
                const char *p = input + off;
                size_t n = MIN(chunk, len - off);
                while (n > 0) {
                        size_t used, l;
                        const char *nl;
                        assert_int_equal(log_reader_skip(b, p, n, want_w, rec_skipped, fast, rec_line_w, fast, &used), 0);
                        p += used;
                        n -= used;
                        if (n == 0)
                                break;
                        nl = memchr(p, '\n', n);
                        l = nl ? (size_t) (nl - p) + 1 : n;
                        assert_int_equal(log_reader_feed(b, p, l, rec_line_w, fast), 0);
                        p += l;
                        n -= l;
                }
        }
        assert_int_equal(log_reader_flush(b, rec_line_w, fast), 0);
        log_reader_get_stats(a, &sa);
        log_reader_get_stats(b, &sb);
        assert_int_equal(sa.input_lines, sb.input_lines);
        assert_int_equal(sa.output_lines, sb.output_lines);
        assert_int_equal(sa.joined_lines, sb.joined_lines);
        assert_int_equal(sb.skipped_lines, fast->n_skipped);
        *skipped_lines = sb.skipped_lines;
}

static void test_skip_equivalent(void **state) {
        /* lines with 'W' are wanted; '+'/'~' mark the pieces whose joining must survive */
        static const char *const inputs[] = {
                /* dmesg, with a hard-wrapped line after a skippable run */
                "[    1.000000] a b c\n[    1.000001] d e f\n[    1.000002] g h i j k l m n o p q r s t u v w x y z 0123456789 0123456789 0123456789\n"
                "~continued: wrapped text key=1 val=2 (x) [y]\n[    1.000003] W wanted\n[    1.000004] x\n[    1.000005] y\n",
                /* kmsg with a 'c' record continued by '+', dictionary lines, a seq gap */
                "6,1,100,-;one\n6,2,101,-;two\n6,3,102,c;three~\n6,4,103,+;+more\n6,5,104,-;four\n SUBSYSTEM=usb\n"
                "6,9,105,-;five\n6,10,106,-;W six\n6,11,107,-;seven\n6,12,108,-;eight\n",
                /* escapes, BBCode, CRLF, a NUL: never skipped, never misjoined */
                "[    2.000000] plain\r\n[    2.000001] esc\\x0a~split\r\n[    2.000002] [B]bb~[/B]\n[    2.000003] x\n"
                "[    2.000004] #012~hash\n[    2.000005] z\n",
        };

        (void) state;
        for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
                for (size_t chunk = 1; chunk <= 64; chunk = chunk * 2 + 1) {
                        struct rec plain = {}, fast = {};
                        size_t skipped = 0;
                        run_both(inputs[i], chunk, &plain, &fast, &skipped);
                        assert_string_equal(plain.buf ? plain.buf : "", fast.buf ? fast.buf : "");
                        if (chunk >= 64 && i < 2)
                                assert_true(skipped > 0);
                        free(plain.buf);
                        free(fast.buf);
                }
}

/* A byte that needs decoding ('\\', "#0", "[B]", NUL-free here) at every position of lines of
 * every length up to 48 (the vector pre-scan ends with a partial step): such a line is never
 * skipped, so the marked line ('~') arrives in both runs alike. */
static void test_skip_special_positions(void **state) {
        static const char *const specials[] = { "\\x0a", "#012", "[B]", "[/B]" };

        (void) state;
        for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++)
                for (size_t len = strlen(specials[k]) + 1; len <= 48; len++)
                        for (size_t at = 0; at + strlen(specials[k]) < len; at++) {
                                char body[64], input[256];
                                struct rec plain = {}, fast = {};
                                size_t skipped = 0;

                                memset(body, 'a', len);
                                body[len - 1] = '~';
                                memcpy(body + at, specials[k], strlen(specials[k]));
                                snprintf(input, sizeof(input),
                                         "[    1.000000] a\n[    1.000001] b\n[    1.000002] %.*s\n[    1.000003] c\n"
                                         "[    1.000004] W\n",
                                         (int) len, body);
                                run_both(input, 256, &plain, &fast, &skipped);
                                assert_string_equal(plain.buf ? plain.buf : "", fast.buf ? fast.buf : "");
                                assert_true(skipped > 0);
                                free(plain.buf);
                                free(fast.buf);
                        }
}

static void test_skip_invalid(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        size_t used = 99;

        (void) state;
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        assert_int_equal(log_reader_skip(NULL, "x\n", 2, want_w, NULL, NULL, NULL, NULL, &used), -EINVAL);
        assert_int_equal(log_reader_skip(r, "x\n", 2, NULL, NULL, NULL, NULL, NULL, &used), -EINVAL);
        /* not at a line boundary: nothing skipped */
        assert_int_equal(log_reader_feed(r, "[    1.0] partial", 17, NULL, NULL), 0);
        assert_int_equal(log_reader_skip(r, "[    1.1] a\n[    1.2] b\n[    1.3] c\n", 36, want_w, NULL, NULL, NULL, NULL,
                                         &used), 0);
        assert_int_equal(used, 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_may_open_chatter),
                cmocka_unit_test(test_may_open_covers_classifier),
                cmocka_unit_test(test_skip_equivalent),
                cmocka_unit_test(test_may_open_key_positions),
                cmocka_unit_test(test_may_open_prefixes),
                cmocka_unit_test(test_skip_special_positions),
                cmocka_unit_test(test_skip_invalid),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
