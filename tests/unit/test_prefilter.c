/* SPDX-License-Identifier: MIT */
/* The analyze fast path: report_line_may_open() against the classifier on every corpus line,
 * log_reader_skip() against plain feeding, and prefilter_feed() against the slow pipeline on
 * generated input in every format. tests/golden/prefilter_equivalence.sh compares whole CLI
 * outputs. */
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
        size_t lines, mattering, rejected, keyless;
};

static bool holds_key(const char *t, size_t n) {
        for (size_t i = 0; i < REPORT_LINE_N_ANYWHERE_KEYS; i++)
                if (memmem(t, n, report_line_anywhere_keys[i], 4))
                        return true;
        for (size_t i = 0; i < REPORT_LINE_N_ANYWHERE_BYTES; i++)
                if (memchr(t, report_line_anywhere_bytes[i], n))
                        return true;
        return false;
}

/* What the fast path relies on: a text with none of the keys is judged by the head test alone,
 * and the head test is false wherever its table says so. */
static void check_split(const char *t, size_t n, struct may_open_stats *st) {
        static struct report_line_starts starts;
        static bool starts_ready;
        bool head = report_line_may_open_head(t, n);

        if (!starts_ready) {
                report_line_starts_init(&starts);
                starts_ready = true;
        }
        if (!holds_key(t, n)) {
                st->keyless++;
                if (report_line_may_open(t, n) != head)
                        fail_msg("may_open and the head test disagree on a line without keys: \"%.*s\"", (int) n, t);
        }
        if (head && !report_line_starts_may_open(&starts, t, n))
                fail_msg("the table rejects a line the head test takes: \"%.*s\"", (int) n, t);
}

static void check_text(const char *t, size_t n, struct may_open_stats *st) {
        enum line_kind k = report_line_classify(t, n);
        bool must = kind_matters(k) || memmem(t, n, "SysRq", 5);

        check_split(t, n, st);

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
        print_message("may_open: %zu lines from %zu files, %zu matter, %zu rejected, %zu without keys\n", st.lines,
                      files, st.mattering, st.rejected, st.keyless);
        assert_true(st.mattering > 1000);
        assert_true(st.rejected > 0);
}

/* Every shape of the classifier's table, through its example line: a row added for a kind the
 * assembler acts on must be let through by report_line_may_open() too (with the same
 * variations as the corpus lines), even before the corpus holds such a line. */
static void test_may_open_covers_table(void **state) {
        struct may_open_stats st = {};
        struct line_shape_info info;

        (void) state;
        for (size_t i = 0; report_line_shape_info(i, &info); i++) {
                struct log_line l = { .text = (char *) info.example, .len = strlen(info.example) };

                check_line(&l, &st);
        }
        assert_true(st.mattering > 40);
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
 * log_reader_skip() against plain feeding: every line arrives, in order, with the same text
 * and metadata, whether the reader delivered it or offered it; the counters agree. */

struct rec {
        char *buf;
        size_t len, cap;
        size_t n_lines, n_offered;
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
        char meta[192];
        int m = snprintf(meta, sizeof(meta), "%lld|%lld|%s|%d|%d|%lld|%lld|%d|%d|", (long long) l->ts_usec,
                         (long long) l->seq, l->caller, l->facility, l->level, (long long) l->wall_sec,
                         (long long) l->seq_end, l->no_prefix, l->prose);

        r->n_lines++;
        rec_add(r, meta, (size_t) m);
        rec_add(r, l->text, l->len);
        rec_add(r, "\n", 1);
        return 0;
}

/* Offered lines are taken unless they hold a 'W'; a taken line is recorded like a delivered
 * one, so both runs must record the same. */
static int offer_w(const struct log_line *l, void *userdata) {
        struct rec *r = userdata;

        assert_null(l->raw);
        if (memchr(l->text, 'W', l->len))
                return 0;
        r->n_offered++;
        rec_line(l, r);
        return 1;
}

static const char test_keys[1][4] = { { 'K', 'E', 'Y', '!' } };

static int offer_keyless(const struct log_line *l, void *userdata) {
        if (memmem(l->text, l->len, "KEY!", 4))
                fail_msg("a line holding a key was offered: \"%.*s\"", (int) l->len, l->text);
        return offer_w(l, userdata);
}

static void run_skip(struct log_reader *r, const char *p, size_t n, const struct log_skip *skip, struct rec *out) {
        while (n > 0) {
                size_t used, l;
                const char *nl;

                assert_int_equal(log_reader_skip(r, p, n, skip, rec_line, out, &used), 0);
                assert_true(used <= n);
                p += used;
                n -= used;
                if (n == 0)
                        break;
                nl = memchr(p, '\n', n);
                l = nl ? (size_t) (nl - p) + 1 : n;
                assert_int_equal(log_reader_feed(r, p, l, rec_line, out), 0);
                p += l;
                n -= l;
        }
}

/* Feeds input in chunks to a plain and to a skipping reader; returns the lines offered and
 * taken. */
static size_t run_both(const char *input, size_t len, size_t chunk, enum log_format format) {
        _cleanup_(log_reader_freep) struct log_reader *a = NULL, *b = NULL;
        struct log_reader_stats sa, sb;
        struct rec plain = {}, fast = {};
        struct log_skip skip;
        size_t offered;

        assert_int_equal(log_reader_new(format, &a), 0);
        assert_int_equal(log_reader_new(format, &b), 0);
        assert_int_equal(log_skip_init(&skip, test_keys, 1, NULL, 0, offer_keyless, &fast), 0);
        for (size_t off = 0; off < len; off += chunk)
                assert_int_equal(log_reader_feed(a, input + off, MIN(chunk, len - off), rec_line, &plain), 0);
        assert_int_equal(log_reader_flush(a, rec_line, &plain), 0);
        for (size_t off = 0; off < len; off += chunk)
                run_skip(b, input + off, MIN(chunk, len - off), &skip, &fast);
        assert_int_equal(log_reader_flush(b, rec_line, &fast), 0);
        if (strcmp(plain.buf ? plain.buf : "", fast.buf ? fast.buf : "") != 0) {
                size_t i = 0;
                while (plain.buf && fast.buf && plain.buf[i] == fast.buf[i])
                        i++;
                fail_msg("format %d chunk %zu: lines differ at byte %zu: \"%.60s\" / \"%.60s\"", (int) format, chunk, i,
                         plain.buf ? plain.buf + i : "", fast.buf ? fast.buf + i : "");
        }
        log_reader_get_stats(a, &sa);
        log_reader_get_stats(b, &sb);
        assert_int_equal(sa.input_lines, sb.input_lines);
        assert_int_equal(sa.output_lines, sb.output_lines);
        assert_int_equal(sa.joined_lines, sb.joined_lines);
        assert_int_equal(sa.truncated_lines, sb.truncated_lines);
        assert_int_equal(sa.prose_lines, sb.prose_lines);
        assert_int_equal(sb.skipped_lines, fast.n_offered);
        offered = fast.n_offered;
        free(plain.buf);
        free(fast.buf);
        return offered;
}

/* Every input format the reader knows, each with the cases where taking a line would be
 * wrong: a hard wrap after a run, kmsg 'c'/'+' fragments and dictionary lines, escapes,
 * BBCode, CRLF, NUL; "W" lines are declined, "KEY!" lines must never be offered. */
static const char *const skip_inputs[] = {
        /* dmesg, with a hard-wrapped line after a run */
        "[    1.000000] a b c\n[    1.000001] d e f\n[    1.000002] g h i j k l m n o p q r s t u v w x y z 0123456789 "
        "0123456789 0123456789\n~continued: wrapped text key=1 val=2 (x) [y]\n[    1.000003] W wanted\n[    1.000004] x\n"
        "[    1.000005] y KEY! z\n[    1.000006] z\n",
        /* kmsg with a 'c' record continued by '+', dictionary lines, a seq gap, caller ids */
        "6,1,100,-;one\n6,2,101,-;two\n6,3,102,c;three~\n6,4,103,+;+more\n6,5,104,-;four\n SUBSYSTEM=usb\n DEVICE=c1:2\n"
        "6,9,105,-;five\n6,10,106,-,caller=T12;W six\n6,11,107,-;seven\n SUBSYSTEM=usb\n6,12,108,-;eight KEY!\n"
        "6,13,109,-;nine\\x0aten\n6,14,110,-;eleven\n 6,15,111,-;indented\n6,16,112,-;twelve\n",
        /* escapes, BBCode, CRLF, a NUL-free line with '#' that is no escape */
        "[    2.000000] plain\r\n[    2.000001] esc\\x0a~split\r\n[    2.000002] [B]bb~[/B]\n[    2.000003] x #1\n"
        "[    2.000004] #012~hash\n[    2.000005] z [ \n[    2.000006] [  T12] caller\n[    2.000007] [UFW BLOCK] IN=eth0\n",
        /* syslog BSD (with and without the kernel's time), a daemon's line, rsyslog "#012" */
        "Nov 25 19:08:54 myhost kernel: [ 1234.567890] usb 1-1: new device\nNov 25 19:08:54 myhost kernel: [ 1234.567891] "
        "more text\nNov 25 19:08:55 myhost systemd[1]: Started x.\nNov 25 19:08:55 myhost kernel: no time here\n"
        "Nov 25 19:08:56 myhost kernel: multi#012~line\nNov 25 19:08:56 otherhost kernel: [ 1235.0] host changed\n"
        "Nov 25 19:08:57 otherhost kernel: W wanted\nNov  5 19:08:57 otherhost kernel: day 5\n",
        /* syslog RFC 3339 and RFC 5424 */
        "2025-11-25T19:08:54.123456+01:00 myhost kernel: [ 1234.567890] iso one\n2025-11-25T19:08:54.223456+01:00 myhost "
        "kernel: iso two\n<4>1 2025-11-25T19:08:54.3Z myhost kernel - - - [ 1234.6] rfc5424 one\n<4>1 "
        "2025-11-25T19:08:54.4Z myhost kernel - - [sd@1 a=\"b\"] rfc5424 two\n<6>Nov 25 19:08:54 myhost kernel: pri bsd\n",
        /* journalctl: short-monotonic (host learnt from a kernel: line), short-iso, json */
        "[  118.364824] myhost kernel: monotonic one\n[  118.364825] myhost kernel: monotonic two\n[  118.364826] myhost "
        "sshd[12]: daemon\n[  118.364827] usb 1-1: plain dmesg after a host\n2025-11-25T19:08:54+0100 myhost kernel: iso\n"
        "{\"__MONOTONIC_TIMESTAMP\":\"118364828\",\"_TRANSPORT\":\"kernel\",\"MESSAGE\":\"json line\"}\n"
        "[  118.364829] myhost kernel: monotonic three\n",
        /* a long line early in a run proves the wrap width: a later line of 90 columns is not
         * hard-wrapped by the one after it (the run must carry wrap_evidence) */
        "[    4.000000] a long line that shows how wide this console is: 0123456789 0123456789 0123456789 "
        "0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 end\n[    4.000001] short a\n"
        "[    4.000002] short b\n[    4.000003] a line of seventy-five characters which ends right here x\n"
        "continuation=1 (x) [y] looks like kernel text\n[    4.000004] W end\n",
        /* ... and the last line taken is the widest, declined "W" line after it */
        "[    5.000000] short a\n[    5.000001] short b\n[    5.000002] a long line that shows how wide this "
        "console is: 0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 end\n"
        "[    5.000003] W declined\n[    5.000004] a line of seventy-five characters which ends right here x\n"
        "continuation=1 (x) [y] looks like kernel text\n[    5.000005] end\n",
        /* dmesg -r, -x, -T, Android, caller ids, an indented paste, elided syslog */
        "<4>[    3.000000] dmesg -r one\n<4>[    3.000001] dmesg -r two\nkern  :warn  : [    3.000002] dmesg -x\n"
        "[Wed Nov 25 19:08:54 2026] dmesg -T\n[    3.000003] [3:  Binder:9343_3:22875] android\n"
        "[    3.000004] [  T123] caller id\n  [    3.000005] indented\n... kernel: [    3.000006] elided\n"
        "[    3.000007] last\n",
};

static void test_skip_equivalent(void **state) {
        static const enum log_format formats[] = { LOG_FORMAT_AUTO, LOG_FORMAT_DMESG, LOG_FORMAT_KMSG,
                                                   LOG_FORMAT_SYSLOG, LOG_FORMAT_JOURNAL_JSON, LOG_FORMAT_PLAIN };
        size_t offered[ELEMENTSOF(skip_inputs)] = {};

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(skip_inputs); i++)
                for (size_t f = 0; f < ELEMENTSOF(formats); f++)
                        for (size_t chunk = 1; chunk <= 4096; chunk = chunk * 2 + 1) {
                                size_t n = run_both(skip_inputs[i], strlen(skip_inputs[i]), chunk, formats[f]);
                                if (formats[f] == LOG_FORMAT_AUTO && chunk > 1000)
                                        offered[i] = n;
                        }
        for (size_t i = 0; i < ELEMENTSOF(skip_inputs); i++)
                if (offered[i] == 0)
                        fail_msg("input %zu: no line was taken: the test proves nothing", i);
}

/* A byte that needs decoding ('\\', "#0", "[B]", NUL-free here) or the key at every position
 * of lines of every length up to 48 (a line ends at every offset of a scan block): a line to
 * decode is never taken, a line with the key never offered, and all lines arrive alike. */
static void test_skip_special_positions(void **state) {
        static const char *const specials[] = { "\\x0a", "#012", "[B]", "[/B]", "KEY!" };

        (void) state;
        for (size_t k = 0; k < ELEMENTSOF(specials); k++)
                for (size_t len = strlen(specials[k]) + 1; len <= 48; len++)
                        for (size_t at = 0; at + strlen(specials[k]) < len; at++) {
                                char body[64], input[256];
                                int n;

                                memset(body, 'a', len);
                                body[len - 1] = '~';
                                memcpy(body + at, specials[k], strlen(specials[k]));
                                n = snprintf(input, sizeof(input),
                                             "[    1.000000] a\n[    1.000001] b\n[    1.000002] %.*s\n"
                                             "[    1.000003] c\n[    1.000004] W\n",
                                             (int) len, body);
                                assert_true(run_both(input, (size_t) n, 256, LOG_FORMAT_AUTO) > 0);
                        }
}

static int offer_never(const struct log_line *l, void *userdata) {
        (void) l;
        (void) userdata;
        fail_msg("offered");
        return 0;
}

static void test_skip_invalid(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct log_skip skip;
        size_t used = 99;

        (void) state;
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        assert_int_equal(log_skip_init(&skip, test_keys, 1, NULL, 0, offer_never, NULL), 0);
        assert_int_equal(log_skip_init(&skip, test_keys, 1, NULL, 0, NULL, NULL), -EINVAL);
        assert_int_equal(log_reader_skip(NULL, "x\n", 2, &skip, NULL, NULL, &used), -EINVAL);
        assert_int_equal(log_reader_skip(r, "x\n", 2, NULL, NULL, NULL, &used), -EINVAL);
        /* not at a line boundary: nothing taken */
        assert_int_equal(log_reader_feed(r, "[    1.0] partial", 17, NULL, NULL), 0);
        assert_int_equal(log_reader_skip(r, "[    1.1] a\n[    1.2] b\n[    1.3] c\n", 36, &skip, NULL, NULL, &used), 0);
        assert_int_equal(used, 0);
}

/* ------------------------------------------------------------------------------------------
 * prefilter_feed() against the slow pipeline: the same reports, line by line with their
 * metadata, the same assembler and reader counters, for inputs in every format fed in chunks
 * of many sizes. */

struct pipe {
        struct report_assembler *a;
        struct rec out;
};

static int pipe_report(const struct raw_report *rep, void *userdata) {
        struct pipe *p = userdata;
        char meta[160];
        int m = snprintf(meta, sizeof(meta), "REPORT type=%d complete=%d gap=%d lines=%zu seq=%lld..%lld ts=%lld..%lld\n",
                         (int) rep->type, rep->complete, rep->spans_gap, rep->n_lines, (long long) rep->first_seq,
                         (long long) rep->last_seq, (long long) rep->first_ts_usec, (long long) rep->last_ts_usec);

        rec_add(&p->out, meta, (size_t) m);
        for (size_t i = 0; i < rep->n_lines; i++)
                rec_line(&rep->lines[i], &p->out);
        return 0;
}

static int pipe_line(const struct log_line *l, void *userdata) {
        struct pipe *p = userdata;

        return report_assembler_feed(p->a, l, pipe_report, p);
}

/* Returns the recorded output with the counters appended; the caller frees it. *ret_skipped:
 * the lines the reader skipped. */
static char *run_pipeline(const char *input, size_t len, size_t chunk, bool fast, size_t *ret_skipped) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct report_assembler_config cfg;
        struct report_assembler_stats as;
        struct log_reader_stats rs;
        struct prefilter pf;
        struct pipe p = {};
        char tail[256];
        int m;

        report_assembler_config_default(&cfg);
        cfg.kernel_only = true;
        cfg.no_prefilter = !fast;
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        assert_int_equal(report_assembler_new(&cfg, &a), 0);
        p.a = a;
        assert_int_equal(prefilter_init(&pf, r, a, pipe_line, &p, pipe_report, &p), 0);
        for (size_t off = 0; off < len; off += chunk) {
                size_t n = MIN(chunk, len - off);
                if (fast)
                        assert_int_equal(prefilter_feed(&pf, input + off, n), 0);
                else
                        assert_int_equal(log_reader_feed(r, input + off, n, pipe_line, &p), 0);
        }
        assert_int_equal(log_reader_flush(r, pipe_line, &p), 0);
        assert_int_equal(report_assembler_flush(a, pipe_report, &p), 0);
        report_assembler_get_stats(a, &as);
        log_reader_get_stats(r, &rs);
        m = snprintf(tail, sizeof(tail), "STATS seen=%zu ignored=%zu emitted=%zu incomplete=%zu late=%zu discarded=%zu "
                     "in=%zu out=%zu joined=%zu truncated=%zu prose=%zu\n",
                     as.lines_seen, as.lines_ignored_facility, as.reports_emitted, as.reports_incomplete,
                     as.lines_late_reaper, as.reports_discarded, rs.input_lines, rs.output_lines, rs.joined_lines,
                     rs.truncated_lines, rs.prose_lines);
        rec_add(&p.out, tail, (size_t) m);
        if (ret_skipped)
                *ret_skipped = rs.skipped_lines;
        return p.out.buf;
}

/* The formats the generator writes every line in. */
enum gen_format {
        GEN_DMESG,
        GEN_DMESG_R,       /* "<4>[ts] text" */
        GEN_CALLER,        /* "[ts] [  T1] text" */
        GEN_KMSG,          /* raw records, with seq gaps, dictionary lines, 'c'/'+' fragments */
        GEN_SYSLOG,        /* "Nov 25 19:08:54 myhost kernel: [ts] text", rsyslog "#012" */
        GEN_SYSLOG_ISO,    /* RFC 3339 time */
        GEN_RFC5424,       /* "<4>1 2025-11-25T19:08:54.5Z myhost kernel - - - [ts] text" */
        GEN_JOURNAL,       /* journalctl -k: no kernel time */
        GEN_JOURNAL_MONO,  /* journalctl -o short-monotonic */
        GEN_JOURNAL_ISO,   /* journalctl -o short-iso */
        GEN_JOURNAL_JSON,  /* journalctl -o json */
        _GEN_FORMAT_MAX,
};

struct gen {
        char *buf;
        size_t len, cap;
        int64_t ts; /* usec */
        uint64_t rnd;
        enum gen_format format;
        unsigned seq;
};

static unsigned gen_rand(struct gen *g, unsigned n) {
        g->rnd = g->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
        return (unsigned) ((g->rnd >> 33) % n);
}

static void gen_printf(struct gen *g, const char *fmt, ...) _printf_(2, 3);
static void gen_printf(struct gen *g, const char *fmt, ...) {
        va_list ap;
        int n;

        if (!g->buf) {
                /* NULL + 0 is undefined behaviour (UBSan stops here) */
                g->cap = 4096;
                g->buf = malloc(g->cap);
                assert_non_null(g->buf);
        }
        for (;;) {
                va_start(ap, fmt);
                /* no buffer yet: vsnprintf(NULL, 0) measures (NULL + 0 is UB, clang UBSan) */
                n = vsnprintf(g->buf ? g->buf + g->len : NULL, g->cap - g->len, fmt, ap);
                va_end(ap);
                assert_true(n >= 0);
                if ((size_t) n < g->cap - g->len)
                        break;
                g->cap = (g->cap + (size_t) n + 1) * 2;
                g->buf = realloc(g->buf, g->cap);
                assert_non_null(g->buf);
        }
        g->len += (size_t) n;
}

/* The wall clock of the syslog formats: 19:00 plus the kernel's time. */
static void gen_hms(const struct gen *g, unsigned *h, unsigned *m, unsigned *s) {
        int64_t t = 19 * 3600 + g->ts / 1000000;

        *h = (unsigned) (t / 3600 % 24);
        *m = (unsigned) (t / 60 % 60);
        *s = (unsigned) (t % 60);
}

static void gen_kmsg(struct gen *g, const char *text) {
        size_t n = strlen(text);

        g->seq += gen_rand(g, 100) == 0 ? 2 : 1; /* now and then a lost record */
        if (n > 20 && gen_rand(g, 30) == 0) {
                /* a 'c' record continued by a '+' one (3.5-4.9) */
                gen_printf(g, "6,%u,%lld,c;%.*s\n", g->seq, (long long) g->ts, (int) (n / 2), text);
                g->seq++;
                gen_printf(g, "6,%u,%lld,+;%s\n", g->seq, (long long) g->ts, text + n / 2);
                return;
        }
        gen_printf(g, "%d,%u,%lld,-;%s\n", gen_rand(g, 50) == 0 ? 14 : 6, g->seq, (long long) g->ts, text);
        if (gen_rand(g, 10) == 0)
                gen_printf(g, " SUBSYSTEM=usb\n DEVICE=c189:1\n");
}

static void gen_line(struct gen *g, int64_t dt, const char *text) {
        long long sec, usec;
        unsigned h, m, s;

        g->ts += dt;
        if (g->ts < 0)
                g->ts = 0;
        sec = g->ts / 1000000;
        usec = g->ts % 1000000;
        gen_hms(g, &h, &m, &s);
        switch (g->format) {
        case GEN_DMESG:
                gen_printf(g, "[%5lld.%06lld] %s\n", sec, usec, text);
                break;
        case GEN_DMESG_R:
                gen_printf(g, "<4>[%5lld.%06lld] %s\n", sec, usec, text);
                break;
        case GEN_CALLER:
                gen_printf(g, "[%5lld.%06lld] [%6s] %s\n", sec, usec, gen_rand(g, 4) ? "T1" : "C2", text);
                break;
        case GEN_KMSG:
                gen_kmsg(g, text);
                break;
        case GEN_SYSLOG:
                gen_printf(g, "Nov 25 %02u:%02u:%02u myhost kernel: [%5lld.%06lld] %s\n", h, m, s, sec, usec, text);
                break;
        case GEN_SYSLOG_ISO:
                gen_printf(g, "2025-11-25T%02u:%02u:%02u.%06lld+01:00 myhost kernel: [%5lld.%06lld] %s\n", h, m, s, usec,
                           sec, usec, text);
                break;
        case GEN_RFC5424:
                gen_printf(g, "<4>1 2025-11-25T%02u:%02u:%02u.%06lldZ myhost kernel - - - [%5lld.%06lld] %s\n", h, m, s,
                           usec, sec, usec, text);
                break;
        case GEN_JOURNAL:
                gen_printf(g, "Nov 25 %02u:%02u:%02u myhost kernel: %s\n", h, m, s, text);
                break;
        case GEN_JOURNAL_MONO:
                gen_printf(g, "[%5lld.%06lld] myhost kernel: %s\n", sec, usec, text);
                break;
        case GEN_JOURNAL_ISO:
                gen_printf(g, "2025-11-25T%02u:%02u:%02u+0100 myhost kernel: %s\n", h, m, s, text);
                break;
        case GEN_JOURNAL_JSON:
                gen_printf(g, "{\"__MONOTONIC_TIMESTAMP\":\"%lld\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"6\","
                           "\"MESSAGE\":\"%s\"}\n",
                           (long long) g->ts, text);
                break;
        default:
                fail();
        }
}

/* Chatter of every length from 1 to 70 bytes of text, so line ends fall on every position of
 * a 16-byte block and of the scan's last partial step. */
static void gen_chatter(struct gen *g, size_t n, int64_t dt) {
        for (size_t i = 0; i < n; i++) {
                char t[96];
                size_t l = 1 + gen_rand(g, 70);

                snprintf(t, sizeof(t), "usb %zu-1: new device number %u using xhci_hcd and more words here ok", i,
                         gen_rand(g, 1000));
                t[l] = '\0';
                if (l > 0 && t[l - 1] == ' ')
                        t[l - 1] = 'x';
                if (g->format == GEN_SYSLOG && l > 8 && gen_rand(g, 40) == 0)
                        memcpy(t + 3, "#012", 4); /* rsyslog's escaped newline: two lines */
                gen_line(g, dt, t);
        }
}

/* A small OOM kill report whose header sits at a varying offset (the comm's length). */
static void gen_report(struct gen *g, unsigned pid, bool reaper) {
        char t[160];
        static const char comm[] = "hog-with-a-long-name-for-offsets";

        snprintf(t, sizeof(t), "%.*s invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
                 (int) (1 + gen_rand(g, sizeof(comm) - 2)), comm);
        gen_line(g, 11, t);
        /* lines the bulk scan passes over: the header must be caught by its key */
        gen_line(g, 11, "hog cpuset=/ mems_allowed=0");
        gen_line(g, 11, "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.15.0-1 04/01/2014");
        gen_line(g, 11, "CPU: 0 PID: 90 Comm: hog Not tainted 6.1.0 #1");
        gen_line(g, 11, "Mem-Info:");
        gen_line(g, 11, "active_anon:502 inactive_anon:108534 isolated_anon:0");
        gen_line(g, 11, "Tasks state (memory values in pages):");
        gen_line(g, 11, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        gen_line(g, 11, "[     90]     0    90   108940   108000   880640        0             0 hog");
        snprintf(t, sizeof(t), "Out of memory: Killed process %u (hog) total-vm:435760kB, anon-rss:432000kB, file-rss:0kB",
                 pid);
        gen_line(g, 11, t);
        if (reaper) {
                /* chatter while the reaper line is awaited: well inside the wait, past its
                 * end (2 s), or with time running backwards (> 50 ms: a new stream) */
                static const int64_t waits[] = { 3000, 3000, 300000, -60000 };
                gen_chatter(g, gen_rand(g, 40), waits[gen_rand(g, ELEMENTSOF(waits))]);
                snprintf(t, sizeof(t), "oom_reaper: reaped process %u (hog), now anon-rss:0kB, file-rss:0kB", pid);
                gen_line(g, 1000, t);
        }
}

static void check_pipelines(const char *input, size_t len, size_t *ret_skipped) {
        static const size_t chunks[] = { 1, 7, 16, 19, 64, 100, 4093, 1 << 17 };
        char *slow = run_pipeline(input, len, 1 << 17, false, NULL);

        *ret_skipped = 0;
        for (size_t i = 0; i < ELEMENTSOF(chunks); i++) {
                size_t skipped = 0;
                char *fast = run_pipeline(input, len, chunks[i], true, &skipped);

                if (strcmp(slow, fast) != 0) {
                        size_t at = 0;
                        while (slow[at] == fast[at])
                                at++;
                        fail_msg("chunk %zu: the fast pipeline differs at byte %zu: \"%.80s\" / \"%.80s\"", chunks[i],
                                 at, slow + at, fast + at);
                }
                *ret_skipped = MAX(*ret_skipped, skipped);
                free(fast);
        }
        free(slow);
}

/* Reports between runs of chatter whose timestamps crawl, jump forward (> 2 s after a kill
 * line: the reaper wait is over; > 5 s: a gap), jump backward, or stall; a report's reaper
 * line late after chatter; reports back to back. In every format. */
static void test_pipeline_formats(void **state) {
        static const int64_t dts[] = { 731, 0, 100, 300000, 1999999, 2000001, 5000001, 7000000, -40000, -60000 };

        (void) state;
        for (enum gen_format f = 0; f < _GEN_FORMAT_MAX; f++)
                for (uint64_t seed = 1; seed <= 3; seed++) {
                        struct gen g = { .rnd = seed, .format = f };
                        size_t skipped;
                        unsigned n_reports = 0;

                        for (unsigned i = 0; i < 300; i++) {
                                if (gen_rand(&g, 10) == 0) {
                                        gen_report(&g, 100 + i, gen_rand(&g, 2));
                                        n_reports++;
                                } else
                                        gen_chatter(&g, gen_rand(&g, 120), dts[gen_rand(&g, ELEMENTSOF(dts))]);
                        }
                        check_pipelines(g.buf, g.len, &skipped);
                        print_message("format %d seed %llu: %u reports, %zu lines skipped\n", (int) f,
                                      (unsigned long long) seed, n_reports, skipped);
                        assert_true(n_reports > 10);
                        /* the fast path was really taken (journal JSON never is: no prefix) */
                        if (f != GEN_JOURNAL_JSON)
                                assert_true(skipped > 5000);
                        free(g.buf);
                }
}

/* The key phrases at every offset of a line and every line at every offset of a block: the
 * report a header opens must be found by both pipelines alike, and "SysRq" must be seen. */
static void test_pipeline_key_offsets(void **state) {
        (void) state;
        for (enum gen_format f = 0; f < _GEN_FORMAT_MAX; f += 4) {
                struct gen g = { .rnd = 99, .format = f };
                size_t skipped;

                for (unsigned pad = 0; pad < 40; pad++) {
                        char t[200];

                        gen_chatter(&g, 20 + pad % 5, 731);
                        snprintf(t, sizeof(t), "%.*s invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0",
                                 (int) (1 + pad), "hoghoghoghoghoghoghoghoghoghoghoghoghoghoghog");
                        gen_line(&g, 731, t);
                        gen_chatter(&g, pad % 4, 11); /* the header need not be the last line of a run */
                        gen_line(&g, 11, "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB");
                        gen_chatter(&g, 3000000 / 731 + pad, 731); /* past the reaper wait */
                        snprintf(t, sizeof(t), "%.*ssysrq: SysRq : Show Memory", (int) pad,
                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
                        gen_line(&g, 731, t);
                        gen_chatter(&g, pad % 4, 11);
                        gen_line(&g, 11, "Mem-Info:");
                        gen_line(&g, 11, "active_anon:502 inactive_anon:108534 isolated_anon:0");
                        snprintf(t, sizeof(t), "%.*skworker/u4:1: page allocation failure: order:5, mode:0x40cc0",
                                 (int) pad, "                                        ");
                        gen_line(&g, 3000000, t);
                        gen_chatter(&g, 20, 731);
                        gen_line(&g, 11, "Mem-Info:");
                        gen_chatter(&g, 20, 731);
                }
                check_pipelines(g.buf, g.len, &skipped);
                print_message("key offsets, format %d: %zu lines skipped\n", (int) f, skipped);
                assert_true(skipped > 100);
                free(g.buf);
        }
}

/* Mixed input: the formats interleaved line by line (a journal line names a host, after which
 * "[ts] text" lines may be short-monotonic ones), kmsg seq gaps in the middle of a report
 * (marked spans_gap), escapes, CRLF, caller ids and hard wraps between runs of chatter, so
 * that every way a run can end is taken. */
static void test_pipeline_mixed(void **state) {
        (void) state;
        for (uint64_t seed = 1; seed <= 4; seed++) {
                struct gen g = { .rnd = seed * 7 };
                size_t skipped;

                for (unsigned i = 0; i < 300; i++) {
                        unsigned what = gen_rand(&g, 12);

                        g.format = (enum gen_format) gen_rand(&g, _GEN_FORMAT_MAX);
                        switch (what) {
                        case 0:
                                gen_report(&g, 200 + i, true);
                                break;
                        case 1:
                                /* kmsg, with a gap of lost records in the middle of a report */
                                gen_printf(&g, "6,%u,%lld,-;hog invoked oom-killer: gfp_mask=0x0(), order=0\n", g.seq,
                                           (long long) g.ts);
                                g.seq += 1 + gen_rand(&g, 3);
                                gen_printf(&g, "4,%u,%lld,-;Out of memory: Killed process %u (hog) total-vm:1kB\n", g.seq,
                                           (long long) g.ts + 10, i);
                                g.seq += 1 + gen_rand(&g, 3);
                                gen_printf(&g, "6,%u,%lld,c;part one\n6,%u,%lld,+;part two\n SUBSYSTEM=usb\n", g.seq,
                                           (long long) g.ts + 20, g.seq + 1, (long long) g.ts + 20);
                                g.seq += 2;
                                break;
                        case 2:
                                gen_line(&g, 731, "escaped\\x0aline and #012 more\r");
                                gen_line(&g, 731, "[B]bbcode[/B] and a trailing bracket [");
                                break;
                        case 3:
                                gen_line(&g, 731, "a long line that will be hard wrapped by a serial console at eighty");
                                gen_printf(&g, "columns here=1 (x)\n");
                                break;
                        case 4:
                                gen_printf(&g, "an author's remark between the log lines\n\n");
                                break;
                        default:
                                gen_chatter(&g, gen_rand(&g, 80), gen_rand(&g, 4) == 0 ? 2500000 : 731);
                                break;
                        }
                }
                check_pipelines(g.buf, g.len, &skipped);
                print_message("mixed seed %llu: %zu lines skipped\n", (unsigned long long) seed, skipped);
                assert_true(skipped > 1000);
                free(g.buf);
        }
}

/* While a report waits for its reaper line, skipped lines only count as long as the
 * assembler's quiet window says so: a report ended by time running backwards, by a line
 * without a kernel time after a kill line that had none, or by 32 lines after such a kill
 * line, must be emitted before a late reaper line arrives, on both paths alike. */
static void test_pipeline_waiting_edges(void **state) {
        static const int64_t steps[] = { -49000, -50000, -50001, -60000, 1999000, 2000001 };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(steps); i++)
                for (unsigned n = 30; n <= 34; n += 2) {
                        struct gen g = { .rnd = i, .format = GEN_DMESG, .ts = 10000000 };
                        size_t skipped;

                        gen_report(&g, 7, false);
                        gen_chatter(&g, 3, 1000);
                        gen_chatter(&g, 1, steps[i]);
                        gen_chatter(&g, n, 100);
                        gen_line(&g, 100, "oom_reaper: reaped process 7 (hog), now anon-rss:0kB, file-rss:0kB");
                        /* a kill line without a kernel time: the wait is 32 lines */
                        g.format = GEN_JOURNAL;
                        gen_line(&g, 100, "Out of memory: Killed process 8 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB");
                        g.format = i % 2 ? GEN_DMESG : GEN_CALLER;
                        gen_chatter(&g, n, 100);
                        gen_line(&g, 100, "oom_reaper: reaped process 8 (hog), now anon-rss:0kB, file-rss:0kB");
                        gen_chatter(&g, 3, 100);
                        check_pipelines(g.buf, g.len, &skipped);
                        assert_true(skipped > 0);
                        free(g.buf);
                }
}

/* Raw kmsg: a report that opens headless (its header lost, or cut out of a paste) is marked
 * spans_gap only after a real hole in the seq numbers. The records the fast path skips in a
 * run before it are no hole (prefilter.c, batch_idle()): both paths must agree, and the hole,
 * right before the report or between the skipped records, must still be seen. */
static void test_pipeline_kmsg_holes(void **state) {
        static const unsigned lens[] = { 1, 3, 40, 300 };

        (void) state;
        for (unsigned hole = 0; hole < 3; hole++)
                for (size_t i = 0; i < ELEMENTSOF(lens); i++) {
                        struct gen g = { .rnd = 1 };
                        unsigned seq = 1, n = lens[i];
                        long long ts = 1000000;
                        size_t skipped;
                        char *slow;
                        /* before the stream's first record a lost one is no hole */
                        bool lost = hole == 1 || (hole == 2 && n / 2 > 0);

                        for (unsigned j = 0; j < n; j++) {
                                /* hole 2: lost records amid the chatter, hole 1: just before the report */
                                if (hole == 2 && j == n / 2)
                                        seq += 5;
                                gen_printf(&g, "6,%u,%lld,-;usb 1-1: chatter line %u of a busy device\n", seq++, ts++, j);
                        }
                        if (hole == 1)
                                seq += 3;
                        gen_printf(&g, "4,%u,%lld,-;Mem-Info:\n", seq++, ts++);
                        gen_printf(&g, "4,%u,%lld,-;active_anon:1 inactive_anon:2 isolated_anon:0\n", seq++, ts++);
                        gen_printf(&g, "3,%u,%lld,-;Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, "
                                   "file-rss:0kB\n", seq++, ts++);
                        check_pipelines(g.buf, g.len, &skipped);
                        slow = run_pipeline(g.buf, g.len, 1 << 17, false, NULL);
                        /* a hole amid the chatter is long past when the report opens only if
                         * more than 5 s of lines followed it: here they are microseconds */
                        assert_non_null(strstr(slow, lost ? "gap=1" : "gap=0"));
                        assert_null(strstr(slow, lost ? "gap=0" : "gap=1"));
                        if (n >= 40)
                                assert_true(skipped > 0);
                        free(slow);
                        free(g.buf);
                }
}

/* What the prefilter relies on when it batches the lines it skips while no report is in
 * progress (prefilter.c, batch_flush()): n report_assembler_feed_skipped() calls equal
 * report_assembler_feed_skipped_n(n - 1) and one feed_skipped() of the last line with a kmsg
 * seq (else of any), whatever the lines' seq, caller, wall time and facility (<= 0). The
 * report after them, whose seq gap check starts from the last seq, and the counters show it. */
static void test_idle_batch_equivalent(void **state) {
        (void) state;
        for (uint64_t seed = 1; seed <= 200; seed++) {
                struct gen g = { .rnd = seed };
                char *out[2];

                for (int batched = 0; batched < 2; batched++) {
                        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
                        struct report_assembler_stats st;
                        struct log_line rep = {}, l;
                        struct pipe p = {};
                        size_t n, n_rep = 0;
                        char tail[96];
                        int m;

                        g.rnd = seed;
                        n = 1 + gen_rand(&g, 20);
                        assert_int_equal(report_assembler_new(NULL, &a), 0);
                        p.a = a;
                        for (size_t i = 0; i < n; i++) {
                                l = (struct log_line) { .ts_usec = gen_rand(&g, 2) ? 1000 + (int64_t) i : NUM_UNSET,
                                                        .seq = gen_rand(&g, 2) ? 10 + (int64_t) gen_rand(&g, 30) : NUM_UNSET,
                                                        .wall_sec = gen_rand(&g, 2) ? 5 : NUM_UNSET,
                                                        .level = 6,
                                                        .facility = -(int) gen_rand(&g, 2) };
                                snprintf(l.caller, sizeof(l.caller), "%s", gen_rand(&g, 2) ? "T1" : "");
                                if (!batched)
                                        assert_int_equal(report_assembler_feed_skipped(a, &l, pipe_report, &p), 0);
                                else if (n_rep++ == 0 || num_set(l.seq))
                                        rep = l;
                        }
                        if (batched) {
                                assert_int_equal(report_assembler_feed_skipped_n(a, n - 1), 0);
                                assert_int_equal(report_assembler_feed_skipped(a, &rep, pipe_report, &p), 0);
                        }
                        /* a report whose header carries no seq and whose kill line does */
                        l = (struct log_line) { .ts_usec = 2000, .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = 4,
                                                .facility = 0,
                                                .text = "hog invoked oom-killer: gfp_mask=0x0(), order=0" };
                        l.len = strlen(l.text);
                        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
                        l.seq = 41;
                        l.text = "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
                        l.len = strlen(l.text);
                        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
                        assert_int_equal(report_assembler_flush(a, pipe_report, &p), 0);
                        report_assembler_get_stats(a, &st);
                        m = snprintf(tail, sizeof(tail), "seen=%zu ignored=%zu foreign=%zu\n", st.lines_seen,
                                     st.lines_ignored_facility, st.lines_foreign);
                        rec_add(&p.out, tail, (size_t) m);
                        out[batched] = p.out.buf;
                }
                assert_string_equal(out[0], out[1]);
                free(out[0]);
                free(out[1]);
        }
}

static bool probe_emits(int64_t ts) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct log_line l = { .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = -1, .facility = -1, .ts_usec = 10000000 };
        struct pipe p = {};
        bool emitted;

        assert_int_equal(report_assembler_new(NULL, &a), 0);
        p.a = a;
        l.text = "hog invoked oom-killer: gfp_mask=0x0(), order=0";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        l.text = "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        assert_null(p.out.buf);
        l.text = NULL;
        l.len = 0;
        l.ts_usec = ts;
        assert_int_equal(report_assembler_feed_skipped(a, &l, pipe_report, &p), 0);
        emitted = p.out.buf != NULL;
        free(p.out.buf);
        return emitted;
}

/* The quiet window is exact: a line at either end emits nothing, one just outside does. */
static void test_quiet_window_exact(void **state) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct log_line l = { .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = -1, .facility = -1, .ts_usec = 10000000 };
        struct pipe p = {};
        int64_t lo, hi;
        size_t max;

        (void) state;
        assert_int_equal(report_assembler_new(NULL, &a), 0);
        p.a = a;
        l.text = "hog invoked oom-killer: gfp_mask=0x0(), order=0";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        l.text = "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        assert_true(report_assembler_quiet_window(a, &lo, &hi, &max));
        assert_true(lo > INT64_MIN && hi < INT64_MAX && lo < l.ts_usec && hi > l.ts_usec);
        assert_false(probe_emits(lo));
        assert_false(probe_emits(hi));
        assert_false(probe_emits(l.ts_usec));
        assert_true(probe_emits(lo - 1));
        assert_true(probe_emits(hi + 1));
}

/* report_assembler_quiet_window(): all of time while idle; bounded after a kill line; none
 * while a report's body is being printed. */
static void test_quiet_window(void **state) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct log_line l = { .seq = NUM_UNSET, .wall_sec = NUM_UNSET, .level = -1, .facility = -1 };
        int64_t lo, hi;
        size_t max;
        struct pipe p = {};

        (void) state;
        assert_int_equal(report_assembler_new(NULL, &a), 0);
        p.a = a;
        assert_true(report_assembler_quiet_window(a, &lo, &hi, &max));
        assert_true(lo == INT64_MIN && hi == INT64_MAX && max == SIZE_MAX);
        l.ts_usec = 10000000;
        l.text = "hog invoked oom-killer: gfp_mask=0x0(), order=0";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        assert_false(report_assembler_quiet_window(a, &lo, &hi, &max)); /* in the body */
        assert_int_equal(report_assembler_feed_skipped_n(a, 1), -EBUSY);
        l.ts_usec += 10;
        l.text = "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        assert_true(report_assembler_quiet_window(a, &lo, &hi, &max));
        assert_true(lo <= l.ts_usec && hi >= l.ts_usec && hi < l.ts_usec + 5000000);
        assert_int_equal(report_assembler_feed_skipped_n(a, 3), 0);
        assert_null(p.out.buf); /* nothing emitted yet */
        assert_int_equal(report_assembler_flush(a, pipe_report, &p), 0);
        assert_non_null(p.out.buf);
        free(p.out.buf);

        /* a kill line without a timestamp: the reaper wait is counted in lines (32) */
        report_assembler_free(a);
        assert_int_equal(report_assembler_new(NULL, &a), 0);
        p = (struct pipe) { .a = a };
        l.ts_usec = NUM_UNSET;
        l.text = "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
        l.len = strlen(l.text);
        assert_int_equal(report_assembler_feed(a, &l, pipe_report, &p), 0);
        assert_true(report_assembler_busy(a));
        assert_true(report_assembler_quiet_window(a, &lo, &hi, &max));
        assert_int_equal(max, 32);
        assert_int_equal(report_assembler_feed_skipped_n(a, 30), 0);
        assert_true(report_assembler_quiet_window(a, &lo, &hi, &max));
        assert_int_equal(max, 2);
        assert_int_equal(report_assembler_feed_skipped_n(a, 2), 0);
        assert_false(report_assembler_quiet_window(a, &lo, &hi, &max)); /* the next line ends the wait */
        assert_null(p.out.buf);
        assert_int_equal(report_assembler_flush(a, pipe_report, &p), 0);
        free(p.out.buf);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_may_open_chatter),
                cmocka_unit_test(test_may_open_covers_classifier),
                cmocka_unit_test(test_may_open_covers_table),
                cmocka_unit_test(test_may_open_key_positions),
                cmocka_unit_test(test_may_open_prefixes),
                cmocka_unit_test(test_skip_equivalent),
                cmocka_unit_test(test_skip_special_positions),
                cmocka_unit_test(test_skip_invalid),
                cmocka_unit_test(test_pipeline_formats),
                cmocka_unit_test(test_pipeline_key_offsets),
                cmocka_unit_test(test_pipeline_mixed),
                cmocka_unit_test(test_pipeline_waiting_edges),
                cmocka_unit_test(test_pipeline_kmsg_holes),
                cmocka_unit_test(test_idle_batch_equivalent),
                cmocka_unit_test(test_quiet_window),
                cmocka_unit_test(test_quiet_window_exact),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
