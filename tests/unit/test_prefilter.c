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

/* ------------------------------------------------------------------------------------------
 * prefilter_feed() (with the buffer-level bulk path, log_reader_skip_bulk()) against the slow
 * pipeline: the same reports, line by line with their metadata, the same assembler and reader
 * counters, for inputs fed in chunks of many sizes. */

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

/* Returns the recorded output with the counters appended; the caller frees it. */
/* *ret_bulk: the lines delivered in bulk. */
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
        prefilter_init(&pf, r, a, pipe_line, &p, pipe_report, &p);
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
                *ret_skipped = rs.bulk_lines;
        return p.out.buf;
}

struct gen {
        char *buf;
        size_t len, cap;
        int64_t ts; /* usec */
        uint64_t rnd;
};

static unsigned gen_rand(struct gen *g, unsigned n) {
        g->rnd = g->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
        return (unsigned) ((g->rnd >> 33) % n);
}

static void gen_printf(struct gen *g, const char *fmt, ...) _printf_(2, 3);
static void gen_printf(struct gen *g, const char *fmt, ...) {
        va_list ap;
        int n;

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

static void gen_line(struct gen *g, int64_t dt, const char *text) {
        g->ts += dt;
        if (g->ts < 0)
                g->ts = 0;
        gen_printf(g, "[%5lld.%06lld] %s\n", (long long) (g->ts / 1000000), (long long) (g->ts % 1000000), text);
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

                if (strcmp(slow, fast) != 0)
                        fail_msg("chunk %zu: the fast pipeline differs", chunks[i]);
                *ret_skipped = MAX(*ret_skipped, skipped);
                free(fast);
        }
        free(slow);
}

/* Reports between runs of chatter whose timestamps crawl, jump forward (> 2 s after a kill
 * line: the reaper wait is over; > 5 s: a gap), jump backward, or stall; a report's reaper
 * line late after chatter; reports back to back. */
static void test_bulk_pipeline_dmesg(void **state) {
        (void) state;
        for (uint64_t seed = 1; seed <= 6; seed++) {
                struct gen g = { .rnd = seed };
                size_t skipped;
                unsigned n_reports = 0;
                static const int64_t dts[] = { 731, 0, 100, 300000, 1999999, 2000001, 5000001, 7000000, -40000, -60000 };

                for (unsigned i = 0; i < 400; i++) {
                        unsigned what = gen_rand(&g, 10);

                        if (what == 0) {
                                gen_report(&g, 100 + i, gen_rand(&g, 2));
                                n_reports++;
                        } else
                                gen_chatter(&g, gen_rand(&g, 120), dts[gen_rand(&g, ELEMENTSOF(dts))]);
                }
                check_pipelines(g.buf, g.len, &skipped);
                print_message("dmesg seed %llu: %u reports, %zu lines in bulk\n", (unsigned long long) seed, n_reports,
                              skipped);
                assert_true(n_reports > 10);
                assert_true(skipped > 5000); /* the bulk path was really taken */
                free(g.buf);
        }
}

/* The key phrases at every offset of a line and every line at every offset of a block: the
 * report a header opens must be found by both pipelines alike, and "SysRq" must be seen. */
static void test_bulk_pipeline_key_offsets(void **state) {
        struct gen g = { .rnd = 99 };
        size_t skipped;

        (void) state;
        for (unsigned pad = 0; pad < 40; pad++) {
                char t[200];

                gen_chatter(&g, 20 + pad % 5, 731);
                snprintf(t, sizeof(t), "%.*s invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0", (int) (1 + pad),
                         "hoghoghoghoghoghoghoghoghoghoghoghoghoghoghog");
                gen_line(&g, 731, t);
                gen_chatter(&g, pad % 4, 11); /* the header need not be the last line of a run */
                gen_line(&g, 11, "Out of memory: Killed process 9 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB");
                gen_chatter(&g, 3000000 / 731 + pad, 731); /* past the reaper wait */
                snprintf(t, sizeof(t), "%.*ssysrq: SysRq : Show Memory", (int) pad, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
                gen_line(&g, 731, t);
                gen_chatter(&g, pad % 4, 11);
                gen_line(&g, 11, "Mem-Info:");
                gen_line(&g, 11, "active_anon:502 inactive_anon:108534 isolated_anon:0");
                snprintf(t, sizeof(t), "%.*skworker/u4:1: page allocation failure: order:5, mode:0x40cc0", (int) pad,
                         "                                        ");
                gen_line(&g, 3000000, t);
                gen_chatter(&g, 20, 731);
                gen_line(&g, 11, "Mem-Info:");
                gen_chatter(&g, 20, 731);
        }
        check_pipelines(g.buf, g.len, &skipped);
        print_message("key offsets: %zu lines in bulk\n", skipped);
        assert_true(skipped > 100);
        free(g.buf);
}

/* Mixed input: raw kmsg records with seq gaps (a report in progress is marked spans_gap), kmsg
 * 'c'/'+' fragments, syslog and journal lines, escapes, CRLF and caller ids between runs of
 * plain dmesg lines, so that every way a bulk run can end is taken. */
static void test_bulk_pipeline_mixed(void **state) {
        (void) state;
        for (uint64_t seed = 1; seed <= 4; seed++) {
                struct gen g = { .rnd = seed * 7 };
                size_t skipped;
                unsigned seq = 1;

                for (unsigned i = 0; i < 300; i++) {
                        unsigned what = gen_rand(&g, 12);

                        switch (what) {
                        case 0:
                                gen_report(&g, 200 + i, true);
                                break;
                        case 1:
                                /* kmsg, with a gap of lost records in the middle of a report */
                                gen_printf(&g, "6,%u,%lld,-;hog invoked oom-killer: gfp_mask=0x0(), order=0\n", seq,
                                           (long long) g.ts);
                                seq += 1 + gen_rand(&g, 3);
                                gen_printf(&g, "4,%u,%lld,-;Out of memory: Killed process %u (hog) total-vm:1kB\n", seq,
                                           (long long) g.ts + 10, i);
                                seq += 1 + gen_rand(&g, 3);
                                gen_printf(&g, "6,%u,%lld,c;part one\n6,%u,%lld,+;part two\n SUBSYSTEM=usb\n", seq,
                                           (long long) g.ts + 20, seq + 1, (long long) g.ts + 20);
                                seq += 2;
                                break;
                        case 2:
                                /* a syslog line names a host: from then on no bulk runs
                                 * (log_reader_skip_bulk() needs scan_journal_monotonic() to
                                 * know no host), so only in the last seed */
                                if (seed < 4)
                                        break;
                                gen_printf(&g, "Nov 25 19:08:54 myhost kernel: [%5lld.000000] usb 1-1: syslog line\n",
                                           (long long) (g.ts / 1000000));
                                break;
                        case 3:
                                if (seed < 4)
                                        break;
                                gen_printf(&g, "[%5lld.000100] myhost kernel: journal monotonic line\n",
                                           (long long) (g.ts / 1000000));
                                break;
                        case 4:
                                gen_line(&g, 731, "escaped\\x0aline and #012 more\r");
                                gen_printf(&g, "[%5lld.000200] [  T123] caller id line\n", (long long) (g.ts / 1000000));
                                gen_line(&g, 731, "[B]bbcode[/B] and a trailing bracket [");
                                break;
                        case 5:
                                gen_line(&g, 731, "a long line that will be hard wrapped by a serial console at eighty");
                                gen_printf(&g, "columns here=1 (x)\n");
                                break;
                        default:
                                gen_chatter(&g, gen_rand(&g, 80), gen_rand(&g, 4) == 0 ? 2500000 : 731);
                                break;
                        }
                }
                check_pipelines(g.buf, g.len, &skipped);
                print_message("mixed seed %llu: %zu lines in bulk\n", (unsigned long long) seed, skipped);
                assert_true(seed == 4 || skipped > 1000);
                free(g.buf);
        }
}

/* A fresh assembler waiting for the reaper after a kill at 10 s, fed one skipped plain line
 * at ts: was a report emitted? */
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

/* ------------------------------------------------------------------------------------------
 * log_reader_skip_bulk() against log_reader_skip() at the reader level: the same lines reach
 * cb, and skipped() of the per-line run matches, line by line, skipped() or a skipped_n() of
 * the bulk run, whose lines must have the plain metadata, a timestamp inside the window, and
 * come at most max_lines per call. */

struct bulk_rec {
        struct rec out;        /* lines through cb, then skipped lines' metadata */
        int64_t lo, hi;
        size_t max_lines;
        size_t n_bulk;
};

static int bulk_rec_skipped(const struct log_line *l, void *userdata) {
        struct bulk_rec *b = userdata;
        char meta[160];
        int m = snprintf(meta, sizeof(meta), "S %lld|%lld|%s|%d|%d|%lld|%d|%d\n", (long long) l->ts_usec,
                         (long long) l->seq, l->caller, l->facility, l->level, (long long) l->wall_sec, l->no_prefix,
                         l->prose);

        assert_null(l->text);
        rec_add(&b->out, meta, (size_t) m);
        return 0;
}

static int bulk_rec_n(size_t n, void *userdata) {
        struct bulk_rec *b = userdata;
        char meta[32];
        int m = snprintf(meta, sizeof(meta), "N %zu\n", n);

        assert_true(n > 0 && n <= b->max_lines);
        b->n_bulk += n;
        rec_add(&b->out, meta, (size_t) m);
        return 0;
}

static bool bulk_rec_window(void *userdata, int64_t *lo, int64_t *hi, size_t *max_lines) {
        struct bulk_rec *b = userdata;

        *lo = b->lo;
        *hi = b->hi;
        *max_lines = b->max_lines;
        return true;
}

static bool want_key(const char *text, size_t len, void *userdata) {
        (void) userdata;
        return memmem(text, len, "Want", 4) || (len > 0 && text[0] == 'W');
}

static bool want_head(const char *text, size_t len, void *userdata) {
        (void) userdata;
        return len > 0 && text[0] == 'W';
}

static int bulk_rec_line(const struct log_line *l, void *userdata) {
        return rec_line(l, &((struct bulk_rec *) userdata)->out);
}

static void skip_run(const char *input, size_t len, size_t chunk, struct bulk_rec *b, bool bulk) {
        static const char keys[][4] = { { 'W', 'a', 'n', 't' } };
        const struct log_skip_bulk cfg = {
                .keys = keys, .n_keys = 1, .window = bulk_rec_window, .head_wanted = want_head, .skipped_n = bulk_rec_n,
        };
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct log_reader_stats st;
        char tail[128];
        int m;

        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        for (size_t off = 0; off < len; off += chunk) {
                const char *p = input + off;
                size_t n = MIN(chunk, len - off);
                while (n > 0) {
                        size_t used, l;
                        const char *nl;
                        assert_int_equal(log_reader_skip_bulk(r, p, n, want_key, bulk_rec_skipped, bulk ? &cfg : NULL, b,
                                                              bulk_rec_line, b, &used),
                                         0);
                        p += used;
                        n -= used;
                        if (n == 0)
                                break;
                        nl = memchr(p, '\n', n);
                        l = nl ? (size_t) (nl - p) + 1 : n;
                        assert_int_equal(log_reader_feed(r, p, l, bulk_rec_line, b), 0);
                        p += l;
                        n -= l;
                }
        }
        assert_int_equal(log_reader_flush(r, bulk_rec_line, b), 0);
        log_reader_get_stats(r, &st);
        assert_int_equal(st.bulk_lines, b->n_bulk);
        m = snprintf(tail, sizeof(tail), "STATS in=%zu out=%zu joined=%zu skipped=%zu\n", st.input_lines,
                     st.output_lines, st.joined_lines, st.skipped_lines);
        rec_add(&b->out, tail, (size_t) m);
}

/* Expand the bulk run's "N n" records with the per-line run's records at the same place: they
 * must be plain lines with a timestamp in the window. Returns how many were expanded. */
static size_t compare_bulk(const char *ref, const char *bulk, int64_t lo, int64_t hi) {
        size_t expanded = 0;

        while (*ref || *bulk) {
                const char *re = strchr(ref, '\n'), *be = strchr(bulk, '\n');
                size_t n;

                assert_non_null(re);
                assert_non_null(be);
                if (strncmp(bulk, "N ", 2) != 0) {
                        if ((size_t) (re - ref) != (size_t) (be - bulk) || memcmp(ref, bulk, (size_t) (re - ref)) != 0)
                                fail_msg("differs: \"%.*s\" / \"%.*s\"", (int) (re - ref), ref, (int) (be - bulk), bulk);
                        ref = re + 1;
                        bulk = be + 1;
                        continue;
                }
                n = strtoul(bulk + 2, NULL, 10);
                for (size_t i = 0; i < n; i++) {
                        long long ts;
                        char tail[64];

                        re = strchr(ref, '\n');
                        assert_non_null(re);
                        if (sscanf(ref, "S %lld|%63[^\n]", &ts, tail) != 2 || strcmp(tail, "-9223372036854775808||-1|-1|-9223372036854775808|0|0") != 0)
                                fail_msg("not a plain line in bulk: \"%.*s\"", (int) (re - ref), ref);
                        if (ts < lo || ts > hi)
                                fail_msg("ts %lld outside [%lld, %lld] in bulk", ts, (long long) lo, (long long) hi);
                        ref = re + 1;
                        expanded++;
                }
                bulk = be + 1;
        }
        return expanded;
}

static void test_skip_bulk_reader(void **state) {
        static const size_t chunks[] = { 5, 19, 33, 64, 1000, 1 << 16 };
        struct { int64_t lo, hi; size_t max; } windows[] = {
                { INT64_MIN, INT64_MAX, SIZE_MAX }, { 0, 0, SIZE_MAX }, { INT64_MIN, INT64_MAX, 3 },
        };
        struct gen g = { .rnd = 5 };
        size_t total = 0;

        (void) state;
        for (unsigned i = 0; i < 600; i++) {
                char t[300];

                switch (gen_rand(&g, 14)) {
                case 0:
                        gen_line(&g, 731, "W wanted by its head");
                        break;
                case 1:
                        snprintf(t, sizeof(t), "%.*sWant key", (int) gen_rand(&g, 40), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
                        gen_line(&g, 731, t);
                        break;
                case 2:
                        /* caller ids and Android brackets: metadata the bulk path cannot give */
                        gen_printf(&g, "[%5lld.000001] [  T%u] caller id line\n[%5lld.000002]  [3:  Binder:9343_3:22875] android\n",
                                   (long long) (g.ts / 1000000), gen_rand(&g, 999), (long long) (g.ts / 1000000));
                        break;
                case 3:
                        /* decoded text: escapes, rsyslog "#012", BBCode, CRLF, a lone '[' at the end */
                        gen_line(&g, 731, "esc\\x0asplit");
                        gen_line(&g, 731, "hash #012 split");
                        gen_line(&g, 731, "[B]bold[/B] text");
                        gen_line(&g, 731, "crlf line\r");
                        gen_line(&g, 731, "bracket at the end [");
                        break;
                case 4:
                        /* hard wrap after a run that holds a long line (wrap evidence) */
                        memset(t, 'w', 250);
                        for (size_t k = 10; k < 250; k += 11)
                                t[k] = ' ';
                        t[250] = '\0';
                        gen_line(&g, 731, t);
                        gen_chatter(&g, gen_rand(&g, 4), 731);
                        gen_line(&g, 731, "a line long enough to be wrapped by a console at eighty columns:");
                        gen_printf(&g, "continued text=1 (x)\n");
                        break;
                case 5:
                        /* relative, dated and level-prefixed dmesg, kmsg records, other shapes */
                        gen_printf(&g, "[+0.000100] relative\n[Wed Nov 25 19:08:54 2026] dated\n<6>[%5lld.000003] leveled\n"
                                   "6,%u,%lld,-;kmsg record\n4,%u,%lld,c;frag\n4,%u,%lld,+;ment\n",
                                   (long long) (g.ts / 1000000), i * 3, (long long) g.ts, i * 3 + 1, (long long) g.ts,
                                   i * 3 + 2, (long long) g.ts);
                        break;
                case 6: {
                        /* almost plain: each after plain lines, so that a bulk run meets it */
                        static const char *const odd[] = {
                                "[  100.1234567890] too many fraction digits", "[1234567890123.000001] too many seconds",
                                "[  100.000001]", "[  100.000001] ", "[  100.000001]x no space", "[  100.] no fraction",
                                "[  .000001] no seconds", "[  100.000001 no bracket", "[123456789012.123456789] max digits",
                        };
                        for (size_t k = 0; k < ELEMENTSOF(odd); k++) {
                                gen_chatter(&g, 3, 731);
                                gen_printf(&g, "%s\n", odd[k]);
                        }
                        break;
                }
                default:
                        gen_chatter(&g, gen_rand(&g, 60), gen_rand(&g, 8) == 0 ? 1500000 : 731);
                        break;
                }
        }
        /* last: a journal -o short-monotonic line (it names a host: no bulk runs after it) */
        gen_printf(&g, "[%5lld.000001] myhost kernel: journal line\n", (long long) (g.ts / 1000000));
        gen_chatter(&g, 50, 731);

        /* the second window: the middle half of the log's time */
        windows[1].lo = g.ts / 4;
        windows[1].hi = g.ts * 3 / 4;
        for (size_t w = 0; w < ELEMENTSOF(windows); w++)
                for (size_t c = 0; c < ELEMENTSOF(chunks); c++) {
                        struct bulk_rec ref = { .lo = INT64_MIN, .hi = INT64_MAX, .max_lines = SIZE_MAX };
                        struct bulk_rec bulk = { .lo = windows[w].lo, .hi = windows[w].hi, .max_lines = windows[w].max };
                        size_t n;

                        skip_run(g.buf, g.len, chunks[c], &ref, false);
                        skip_run(g.buf, g.len, chunks[c], &bulk, true);
                        n = compare_bulk(ref.out.buf, bulk.out.buf, windows[w].lo, windows[w].hi);
                        assert_int_equal(n, bulk.n_bulk);
                        if (chunks[c] >= 1000)
                                assert_true(n > (w == 0 ? 1000u : 10u));
                        total += n;
                        free(ref.out.buf);
                        free(bulk.out.buf);
                }
        print_message("bulk reader: %zu lines in bulk\n", total);
        free(g.buf);
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
                cmocka_unit_test(test_bulk_pipeline_dmesg),
                cmocka_unit_test(test_bulk_pipeline_key_offsets),
                cmocka_unit_test(test_bulk_pipeline_mixed),
                cmocka_unit_test(test_quiet_window),
                cmocka_unit_test(test_quiet_window_exact),
                cmocka_unit_test(test_skip_bulk_reader),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
