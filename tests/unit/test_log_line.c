/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmsg_record.h"
#include "log_line.h"

struct lines {
        struct log_line *v;
        size_t n, cap;
};

static void lines_free(struct lines *ls) {
        for (size_t i = 0; i < ls->n; i++)
                log_line_done(&ls->v[i]);
        free(ls->v);
        *ls = (struct lines) {};
}

static int collect(const struct log_line *l, void *userdata) {
        struct lines *ls = userdata;

        /* the borrowed line must be self-consistent */
        assert_non_null(l->text);
        assert_non_null(l->raw);
        assert_int_equal(strlen(l->text), l->len);
        if (ls->n == ls->cap) {
                ls->cap = ls->cap ? ls->cap * 2 : 64;
                ls->v = realloc(ls->v, ls->cap * sizeof(*ls->v));
                assert_non_null(ls->v);
        }
        assert_int_equal(log_line_copy(l, &ls->v[ls->n]), 0);
        ls->n++;
        return 0;
}

/* Feed in chunks of `chunk` bytes (0 = all at once). */
static struct lines read_buf(enum log_format fmt, const char *buf, size_t len, size_t chunk) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct lines ls = {};

        assert_int_equal(log_reader_new(fmt, &r), 0);
        if (chunk == 0)
                chunk = len ? len : 1;
        for (size_t off = 0; off < len; off += chunk)
                assert_int_equal(log_reader_feed(r, buf + off, MIN(chunk, len - off), collect, &ls), 0);
        assert_int_equal(log_reader_flush(r, collect, &ls), 0);
        return ls;
}

static struct lines read_str(const char *s) {
        return read_buf(LOG_FORMAT_AUTO, s, strlen(s), 0);
}

static char *load(const char *name, size_t *ret_len) {
        char path[512];
        FILE *f;
        char *buf;
        long n;

        snprintf(path, sizeof(path), "%s/input/%s", OOMLENS_TEST_DATA, name);
        f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n > 0);
        rewind(f);
        buf = malloc((size_t) n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
        buf[n] = '\0';
        fclose(f);
        *ret_len = (size_t) n;
        return buf;
}

static struct lines read_file(const char *name) {
        size_t n;
        char *buf = load(name, &n);
        struct lines ls = read_buf(LOG_FORMAT_AUTO, buf, n, 4096);

        free(buf);
        return ls;
}

static const struct log_line *find_prefix(const struct lines *ls, const char *prefix) {
        for (size_t i = 0; i < ls->n; i++)
                if (strncmp(ls->v[i].text, prefix, strlen(prefix)) == 0)
                        return &ls->v[i];
        return NULL;
}

static const struct log_line *find_bare(const struct lines *ls, const char *prefix) {
        for (size_t i = 0; i < ls->n; i++)
                if (ls->v[i].no_prefix && strncmp(ls->v[i].text, prefix, strlen(prefix)) == 0)
                        return &ls->v[i];
        return NULL;
}

static size_t count_prefix(const struct lines *ls, const char *prefix) {
        size_t c = 0;

        for (size_t i = 0; i < ls->n; i++)
                c += strncmp(ls->v[i].text, prefix, strlen(prefix)) == 0;
        return c;
}

/* ---------------------------------------------------------------------------------------- */

static void test_seed_wrapped_zone_line(void **state) {
        struct lines ls = read_file("seed-000-cn-blog-3.14-arm-cma.txt");
        const struct log_line *z = find_prefix(&ls, "Normal free:233460kB");
        const struct log_line *b = find_prefix(&ls, "Normal: 1165*4kB");
        const struct log_line *h = find_prefix(&ls, "HighMem free:909036kB");

        /* the zone line is wrapped over 6 physical lines in the blog */
        assert_non_null(z);
        assert_non_null(strstr(z->text, "all_unreclaimable? yes"));
        assert_non_null(strstr(z->text, "active_anon:17312kB inactive_anon:10824kB"));
        assert_non_null(strstr(z->text, "free_cma:231116kB writeback_tmp:0kB pages_scanned:1648"));
        assert_true(z->ts_usec == 12345581839LL);
        assert_int_equal(z->level, 4);
        assert_int_equal(z->facility, 0);
        assert_false(z->prose);
        assert_non_null(strchr(z->raw, '\n')); /* raw keeps the physical lines */
        assert_non_null(h);
        assert_non_null(strstr(h->text, "all_unreclaimable? no"));
        /* buddy lines over 2 */
        assert_non_null(b);
        assert_non_null(strstr(b->text, "1068*64kB (RC) 748*128kB (C)"));
        assert_non_null(strstr(b->text, "= 233460kB"));
        /* the wrap never leaks a continuation as its own line */
        assert_null(find_prefix(&ls, "inactive_anon:10824kB"));
        assert_null(find_prefix(&ls, "748*128kB"));
        assert_int_equal(count_prefix(&ls, "lowmem_reserve[]: 0 10168 10168"), 3);
        lines_free(&ls);
}

static void test_seed_prose_not_joined(void **state) {
        struct lines ls = read_file("seed-000-cn-blog-3.14-arm-cma.txt");
        const struct log_line *l;
        size_t prose = 0;

        /* "Killed process 5575 ..." is followed by "2 OOM信息分析": not glued */
        l = find_prefix(&ls, "Killed process 5575 thread_x");
        assert_non_null(l);
        assert_null(strstr(l->text, "OOM"));
        assert_true(l->text[l->len - 1] == 'B'); /* ends in "file-rss:2704kB" */

        l = find_prefix(&ls, "systemd-joural:");
        assert_non_null(l);
        assert_true(l->prose);
        assert_true(l->no_prefix);
        assert_int_equal(l->facility, -1);
        l = find_prefix(&ls, "2 OOM");
        assert_non_null(l);
        assert_true(l->prose);
        /* a kernel-looking line quoted after commentary is not a continuation either */
        l = find_bare(&ls, "CPU 0: hi: 42, btch: 7 usd: 23");
        assert_non_null(l);
        assert_true(l->prose);
        l = find_prefix(&ls, "static bool __zone_watermark_ok");
        assert_non_null(l);
        assert_true(l->prose);

        for (size_t i = 0; i < ls.n; i++) {
                prose += ls.v[i].prose;
                /* no kernel line carries Chinese commentary */
                if (!ls.v[i].prose)
                        for (size_t j = 0; j < ls.v[i].len; j++)
                                assert_true((unsigned char) ls.v[i].text[j] < 0x80);
        }
        assert_true(prose >= 60);
        /* every report line of the first copy is there, prefix stripped */
        assert_non_null(find_prefix(&ls, "systemd-journal invoked oom-killer: gfp_mask=0x800d0"));
        assert_int_equal(count_prefix(&ls, "Out of memory: Kill process 5575 thread_x score 481"), 1);
        lines_free(&ls);
}

static void test_kmsg_raw(void **state) {
        struct lines ls = read_file("046-lkml-android-gki-5.10-devkmsg-raw-order3-movable-zone.log");
        const struct log_line *h = find_prefix(&ls, "dumpsys invoked oom-killer:");
        const struct log_line *a = find_prefix(&ls, "active_anon:174140");
        const struct log_line *f = find_prefix(&ls, " active_file:115388");
        const struct log_line *k = find_prefix(&ls, "Out of memory: Killed process 10192");

        assert_non_null(h);
        assert_true(h->seq == 19685342);
        assert_true(h->ts_usec == 241227987454LL);
        assert_int_equal(h->level, 4);
        assert_int_equal(h->facility, 0);
        assert_string_equal(h->caller, "T12845");
        /* one record, several logical lines, same seq/ts */
        assert_non_null(a);
        assert_non_null(f);
        assert_true(a->seq == 19685370 && f->seq == 19685370);
        assert_true(a->ts_usec == f->ts_usec);
        assert_null(strstr(a->text, "\\x0a"));
        assert_non_null(k);
        assert_int_equal(k->level, 3);
        /* the "c" records of 4.10+ are whole lines */
        assert_non_null(find_prefix(&ls, "[ dump_slubinfo ]: Slubmirror-Info begin:"));
        assert_non_null(find_prefix(&ls, "[ dump_slubinfo ]: Slubmirror-Info end"));
        assert_non_null(find_prefix(&ls, "lowmem_reserve[]: 0 0 40960"));
        assert_int_equal(count_prefix(&ls, " dump_backtrace.cfi_jt+0x0/0x8"), 1);
        for (size_t i = 0; i < ls.n; i++)
                assert_false(ls.v[i].prose);
        lines_free(&ls);
}

static void test_kmsg_fragments_dict(void **state) {
        /* 3.5-4.9: 'c' starts a line, '+' continues it; dictionary lines are not log lines */
        struct lines ls = read_str("4,10,100,c;Node 0 \n"
                                   "4,11,101,+;DMA free:7120kB\n"
                                   "4,12,102,+; min:412kB\n"
                                   "6,13,103,-;usb 1-1: new device\n"
                                   " SUBSYSTEM=usb\n"
                                   " DEVICE=c189:1\n"
                                   "4,14,104,c;lowmem_reserve[]:\n"
                                   "4,15,105,-;Node 0 DMA32\n"
                                   "14,16,106,-;user\\x0amessage\n");

        assert_int_equal(ls.n, 6);
        assert_string_equal(ls.v[0].text, "Node 0 DMA free:7120kB min:412kB");
        assert_true(ls.v[0].seq == 10);
        assert_string_equal(ls.v[1].text, "usb 1-1: new device");
        assert_int_equal(ls.v[1].level, 6);
        assert_string_equal(ls.v[2].text, "lowmem_reserve[]:");
        assert_string_equal(ls.v[3].text, "Node 0 DMA32");
        assert_string_equal(ls.v[4].text, "user");
        assert_string_equal(ls.v[5].text, "message");
        assert_int_equal(ls.v[4].facility, 1);
        assert_true(ls.v[5].seq == 16);
        lines_free(&ls);
}

static void test_feed_kmsg(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        static const char *const recs[] = {
                "4,10,100,c,caller=T5;Normal: ",
                "4,11,101,+,caller=T5;1*4kB (U) = 4kB",
                "4,12,102,-,caller=T5;Mem-Info:\\x0aactive_anon:1 inactive_anon:2\\x0a active_file:3",
        };
        struct lines ls = {};

        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        for (size_t i = 0; i < 3; i++) {
                struct kmsg_record k = {};
                assert_int_equal(kmsg_record_parse(recs[i], strlen(recs[i]), &k), 0);
                assert_int_equal(log_reader_feed_kmsg(r, &k, collect, &ls), 0);
                kmsg_record_done(&k);
        }
        assert_int_equal(log_reader_flush(r, collect, &ls), 0);
        assert_int_equal(ls.n, 4);
        assert_string_equal(ls.v[0].text, "Normal: 1*4kB (U) = 4kB");
        assert_string_equal(ls.v[0].caller, "T5");
        assert_string_equal(ls.v[1].text, "Mem-Info:");
        assert_string_equal(ls.v[2].text, "active_anon:1 inactive_anon:2");
        assert_string_equal(ls.v[3].text, " active_file:3");
        assert_true(ls.v[3].seq == 12 && ls.v[3].ts_usec == 102);
        lines_free(&ls);
}

static void test_dmesg_variants(void **state) {
        struct lines ls = read_str("[  118.364824] plain dmesg\n"
                                   "<4>[  118.364825] dmesg -r\n"
                                   "<12>[  118.364826] user space via /dev/kmsg\n"
                                   "[Wed Nov 25 19:08:54 2026] dmesg -T\n"
                                   "[  +0.002367] dmesg --reltime\n"
                                   "[Nov25 19:08] dmesg -H minute\n"
                                   "[  118.364827] [T1234] caller with space\n"
                                   "[ 1629.930998][T14021] idle-priority invoked oom-killer: gfp_mask=0x100dca\n"
                                   "[ 1629.931000][    C0] cpu caller\n"
                                   "[ 1629.931001]  dump_stack+0x71/0xa5\n"
                                   "kern  :warn  : [  118.400000] dmesg -x\n"
                                   "  [  238.324946] indented paste\n");

        assert_int_equal(ls.n, 12);
        assert_string_equal(ls.v[0].text, "plain dmesg");
        assert_true(ls.v[0].ts_usec == 118364824);
        assert_int_equal(ls.v[0].facility, -1);
        assert_string_equal(ls.v[1].text, "dmesg -r");
        assert_int_equal(ls.v[1].level, 4);
        assert_int_equal(ls.v[1].facility, 0);
        assert_int_equal(ls.v[2].facility, 1);
        assert_string_equal(ls.v[3].text, "dmesg -T");
        assert_true(ls.v[3].wall_sec == 1795633734LL); /* 2026-11-25 19:08:54 UTC */
        assert_string_equal(ls.v[4].text, "dmesg --reltime");
        assert_true(ls.v[4].ts_usec == NUM_UNSET);
        assert_false(ls.v[4].no_prefix);
        assert_string_equal(ls.v[5].text, "dmesg -H minute");
        assert_string_equal(ls.v[6].text, "caller with space");
        assert_string_equal(ls.v[6].caller, "T1234");
        assert_string_equal(ls.v[7].text, "idle-priority invoked oom-killer: gfp_mask=0x100dca");
        assert_string_equal(ls.v[7].caller, "T14021");
        assert_string_equal(ls.v[8].caller, "C0");
        assert_string_equal(ls.v[9].text, " dump_stack+0x71/0xa5"); /* the kernel's indent is kept */
        assert_string_equal(ls.v[10].text, "dmesg -x");
        assert_int_equal(ls.v[10].level, 4);
        assert_int_equal(ls.v[10].facility, 0);
        assert_true(ls.v[10].ts_usec == 118400000);
        assert_string_equal(ls.v[11].text, "indented paste");
        lines_free(&ls);
}

static void test_android_prefix(void **state) {
        struct lines ls = read_file("007-lkml-android-binder-allocfail-atomic-cma-prefixed.log");

        assert_non_null(ls.v);
        assert_string_equal(ls.v[0].text,
                            "Binder:9343_3: page allocation failure: order:0, mode:0x480020(GFP_ATOMIC), nodemask=(null)");
        assert_string_equal(ls.v[0].caller, "T22875");
        assert_int_equal(ls.v[0].level, 4);
        assert_non_null(find_prefix(&ls, " active_file:59102 inactive_file:68924"));
        assert_non_null(find_prefix(&ls, "Normal free:10908kB min:6192kB"));
        lines_free(&ls);
}

static void test_syslog_variants(void **state) {
        struct lines ls = read_str(
                "Nov 25 19:08:54 host kernel: [  118.36] bsd with ts\n"
                "Nov 25 19:08:55 host kernel: bsd without ts\n"
                "2026-11-25T19:08:54.123456+01:00 host kernel: iso\n"
                "<4>1 2026-11-25T19:08:54.123Z host kernel - - - rfc5424\n"
                "<30>1 2026-11-25T19:08:54.123Z host systemd 1 - [meta x=\"a]b\"] started\n"
                "Nov 25 19:08:56 host systemd[1]: Started Session 3.\n"
                "Jul 21 16:20:58.985209 [  530.412043] serial logger\n"
                "... kernel: [430837.193448] Xorg invoked oom-killer: gfp_mask=0x2d0\n"
                "<6>Nov 25 19:08:57 host kernel: with pri\n"
                "[  118.364824] myhost kernel: short-monotonic\n"
                "[  118.364825] myhost containerd[812]: not kernel\n"
                "Jun  3 13:58:18 ywamrest kernel: \n");

        assert_int_equal(ls.n, 12);
        assert_string_equal(ls.v[0].text, "bsd with ts");
        assert_true(ls.v[0].ts_usec == 118360000);
        assert_int_equal(ls.v[0].facility, 0);
        assert_string_equal(ls.v[1].text, "bsd without ts");
        assert_true(ls.v[1].ts_usec == NUM_UNSET);
        assert_string_equal(ls.v[2].text, "iso");
        assert_true(ls.v[2].wall_sec == 1795633734LL - 3600);
        assert_string_equal(ls.v[3].text, "rfc5424");
        assert_int_equal(ls.v[3].level, 4);
        assert_int_equal(ls.v[3].facility, 0);
        assert_string_equal(ls.v[4].text, "started");
        assert_int_equal(ls.v[4].facility, 3);
        assert_string_equal(ls.v[5].text, "Started Session 3.");
        assert_true(ls.v[5].facility != 0 && ls.v[5].facility != -1);
        assert_string_equal(ls.v[6].text, "serial logger");
        assert_true(ls.v[6].ts_usec == 530412043);
        assert_string_equal(ls.v[7].text, "Xorg invoked oom-killer: gfp_mask=0x2d0");
        assert_int_equal(ls.v[7].facility, 0);
        assert_string_equal(ls.v[8].text, "with pri");
        assert_int_equal(ls.v[8].level, 6);
        assert_int_equal(ls.v[8].facility, 0);
        assert_string_equal(ls.v[9].text, "short-monotonic");
        assert_int_equal(ls.v[9].facility, 0);
        assert_string_equal(ls.v[10].text, "not kernel");
        assert_int_equal(ls.v[10].facility, 3);
        assert_string_equal(ls.v[11].text, "");
        assert_int_equal(ls.v[11].facility, 0);
        lines_free(&ls);
}

static void test_syslog_interleaved(void **state) {
        struct lines ls = read_file("013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log");
        size_t kern = 0, other = 0;

        for (size_t i = 0; i < ls.n; i++) {
                if (ls.v[i].facility == 0)
                        kern++;
                else {
                        other++;
                        assert_int_equal(ls.v[i].facility, 3);
                }
                assert_false(ls.v[i].prose);
        }
        assert_true(kern > 60);
        assert_true(other >= 3);
        assert_non_null(find_prefix(&ls, "stress-ng-vm invoked oom-killer:"));
        lines_free(&ls);
}

static void test_rsyslog_escapes(void **state) {
        struct lines ls = read_file("053-oomanalyser-example-rhel7-3.10-numa-012.log");
        const struct log_line *a = find_prefix(&ls, "active_anon:7355653 inactive_anon:660960 isolated_anon:0");
        struct lines t = read_str("Nov 25 19:08:54 host kernel: a#011b#012 c#0129\n");

        assert_non_null(a);
        assert_null(strstr(a->text, "#012"));
        assert_non_null(find_prefix(&ls, " active_file:1263 inactive_file:1167 isolated_file:32"));
        assert_non_null(find_prefix(&ls, " free:39513 free_pcp:2958 free_cma:0"));
        assert_int_equal(t.n, 3);
        assert_string_equal(t.v[0].text, "a\tb");
        assert_string_equal(t.v[1].text, " c");
        assert_string_equal(t.v[2].text, "9");
        assert_int_equal(t.v[2].facility, 0);
        lines_free(&ls);
        lines_free(&t);
}

static void test_bbcode(void **state) {
        struct lines ls = read_file("050-forum-ubuntu-2.6.22-amule-syslog-bbcode-markup.log");
        const struct log_line *h = find_prefix(&ls, "hostname invoked oom-killer: gfp_mask=0x280d2");

        assert_non_null(h);
        assert_string_equal(h->text, "hostname invoked oom-killer: gfp_mask=0x280d2, order=0, oomkilladj=-17");
        assert_true(h->ts_usec == 135404406178LL);
        assert_non_null(find_prefix(&ls, "Out of memory: kill process 18662 (amule) score 56923 or a child"));
        for (size_t i = 0; i < ls.n; i++)
                assert_null(strstr(ls.v[i].text, "COLOR"));
        lines_free(&ls);
}

static void test_mail_wraps(void **state) {
        struct lines a = read_file("052-lkml-cpuset-oom-constraint-cpuset-fragment.log");
        struct lines b = read_file("032-lkml-arista-kill-line-old-vs-5.3-format-wrapped.log");

        assert_int_equal(a.n, 2);
        assert_string_equal(a.v[1].text, "Out of memory: Killed process 1968 (memkiller) total-vm:2099436kB, "
                                         "anon-rss:1971712kB, file-rss:1024kB, shmem-rss:0kB, UID:0 "
                                         "pgtables:3904kB oom_score_adj:0");
        assert_true(a.v[1].ts_usec == 65481992);
        assert_non_null(find_prefix(&b, "Killed process 31357 (sh) total-vm:5400kB, anon-rss:252kB"));
        assert_non_null(find_prefix(&b, "Out of memory: Kill process 19961 (python) score 17 or sacrifice child"));
        /* "kernel:" alone on its line, the message wrapped to the next */
        assert_non_null(find_prefix(&b, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null)"));
        assert_non_null(find_prefix(&b, "oom_reaper: reaped process 3035 (oomprocs), now anon-rss:0kB"));
        assert_int_equal(b.n, 5);
        lines_free(&a);
        lines_free(&b);
}

static void test_multiline_record_inherits(void **state) {
        struct lines ls = read_file("025-linuxmm-tetsuo-4.5-rc2-order2-fork-no-highorder-pages.log");
        const struct log_line *a = find_prefix(&ls, "active_anon:46842");
        const struct log_line *f = find_prefix(&ls, " active_file:108974");

        assert_non_null(a);
        assert_non_null(f);
        assert_true(a->ts_usec == f->ts_usec);
        assert_true(f->no_prefix);
        assert_false(f->prose);
        assert_string_equal(a->text, "active_anon:46842 inactive_anon:2094 isolated_anon:0");
        lines_free(&ls);
}

static void test_bare_file(void **state) {
        size_t n, physical = 0;
        char *buf = load("004-cadvisor-memorymonster-3.13-memcg.log", &n);
        struct lines ls = read_buf(LOG_FORMAT_AUTO, buf, n, 0);

        for (size_t i = 0; i < n; i++)
                physical += buf[i] == '\n';
        assert_int_equal(ls.n, physical);
        for (size_t i = 0; i < ls.n; i++) {
                assert_true(ls.v[i].no_prefix);
                assert_false(ls.v[i].prose);
                assert_int_equal(ls.v[i].facility, -1);
        }
        assert_string_equal(ls.v[0].text, "memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0");
        free(buf);
        lines_free(&ls);
}

static void test_serial_console_userspace(void **state) {
        struct lines ls = read_file("lab-amd64-hog-serial-excerpt.log");
        const struct log_line *o = find_prefix(&ls, "=== OOMLAB start");

        assert_non_null(o);
        assert_true(o->prose);
        for (size_t i = 0; i < ls.n; i++)
                assert_null(strchr(ls.v[i].raw, '\n')); /* nothing joined */
        lines_free(&ls);
}

static void test_journal_json(void **state) {
        struct lines ls = read_str(
                "{\"__REALTIME_TIMESTAMP\":\"1795633734123456\",\"__MONOTONIC_TIMESTAMP\":\"118364999\","
                "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"118364824\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"4\","
                "\"SYSLOG_FACILITY\":\"0\",\"MESSAGE\":\"hog invoked oom-killer: gfp_mask=0x140dca, order=0\"}\n"
                "{\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"4\",\"__MONOTONIC_TIMESTAMP\":\"5\","
                "\"MESSAGE\":[78,111,100,101,32,48,10,32,97,99,116,105,118,101,255]}\n"
                "{\"_TRANSPORT\":\"syslog\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\",\"MESSAGE\":\"Started x\"}\n"
                "{\"_TRANSPORT\":\"stdout\",\"MESSAGE\":\"no facility\"}\n"
                "{\"MESSAGE\":\"a\\u0000b\",\"_TRANSPORT\":\"kernel\"}\n"
                "{not json at all}\n");

        assert_int_equal(ls.n, 7);
        assert_string_equal(ls.v[0].text, "hog invoked oom-killer: gfp_mask=0x140dca, order=0");
        assert_true(ls.v[0].ts_usec == 118364824);
        assert_true(ls.v[0].wall_sec == 1795633734LL);
        assert_true(ls.v[0].seq == NUM_UNSET);
        assert_int_equal(ls.v[0].level, 4);
        assert_int_equal(ls.v[0].facility, 0);
        /* byte-array MESSAGE with an embedded newline and a non-UTF-8 byte */
        assert_string_equal(ls.v[1].text, "Node 0");
        assert_string_equal(ls.v[2].text, " active\xff");
        assert_true(ls.v[2].ts_usec == 5);
        assert_int_equal(ls.v[3].facility, 3);
        assert_int_equal(ls.v[3].level, 6);
        assert_true(ls.v[4].facility > 0);
        assert_string_equal(ls.v[5].text, "a b");
        assert_string_equal(ls.v[6].text, "{not json at all}");
        lines_free(&ls);
}

static void assert_same_lines(const struct lines *a, const struct lines *b) {
        assert_int_equal(a->n, b->n);
        for (size_t i = 0; i < a->n; i++) {
                assert_string_equal(a->v[i].text, b->v[i].text);
                assert_string_equal(a->v[i].raw, b->v[i].raw);
                assert_true(a->v[i].ts_usec == b->v[i].ts_usec);
                assert_true(a->v[i].seq == b->v[i].seq);
                assert_int_equal(a->v[i].facility, b->v[i].facility);
                assert_int_equal(a->v[i].level, b->v[i].level);
                assert_int_equal(a->v[i].prose, b->v[i].prose);
                assert_string_equal(a->v[i].caller, b->v[i].caller);
        }
}

static void test_chunked_feeding(void **state) {
        static const char sample[] =
                "4,10,100,c;Node 0 \n4,11,101,+;DMA free:1kB\n 6,x\n"
                "<4>[12345.581839] Normal free:233460kB min:2488kB low:3108kB high:3732kB active_anon:17312kB\r\n"
                "inactive_anon:10824kB active_file:128kB inactive_file:4kB unevictable:0kB isolated(anon):0kB\n"
                "all_unreclaimable? yes\n"
                "Nov 25 19:08:54 host kernel: a#012b\n"
                "commentary 中文\n"
                "{\"_TRANSPORT\":\"kernel\",\"MESSAGE\":\"x\\ny\"}\n"
                "no final newline";
        size_t len = sizeof(sample) - 1;
        struct lines whole = read_buf(LOG_FORMAT_AUTO, sample, len, 0);

        assert_true(whole.n >= 8);
        assert_string_equal(whole.v[whole.n - 1].text, "no final newline");
        for (size_t cut = 1; cut < len; cut++) {
                _cleanup_(log_reader_freep) struct log_reader *r = NULL;
                struct lines ls = {};

                assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
                assert_int_equal(log_reader_feed(r, sample, cut, collect, &ls), 0);
                assert_int_equal(log_reader_feed(r, sample + cut, len - cut, collect, &ls), 0);
                assert_int_equal(log_reader_flush(r, collect, &ls), 0);
                assert_same_lines(&whole, &ls);
                lines_free(&ls);
        }
        for (size_t chunk = 1; chunk < 8; chunk++) {
                struct lines ls = read_buf(LOG_FORMAT_AUTO, sample, len, chunk);
                assert_same_lines(&whole, &ls);
                lines_free(&ls);
        }
        lines_free(&whole);
}

static void test_huge_line(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct log_reader_stats st;
        size_t big = 10 * 1024 * 1024;
        char *buf = malloc(big + 64);
        struct lines ls = {};

        assert_non_null(buf);
        memcpy(buf, "[  1.000000] ", 13);
        memset(buf + 13, 'A', big - 13);
        memcpy(buf + big, "\n[  2.000000] after\n", 20);
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        /* once in one piece, once in 64 KiB chunks */
        assert_int_equal(log_reader_feed(r, buf, big + 20, collect, &ls), 0);
        for (size_t off = 0; off < big + 20; off += 65536)
                assert_int_equal(log_reader_feed(r, buf + off, MIN((size_t) 65536, big + 20 - off), collect, &ls), 0);
        assert_int_equal(log_reader_flush(r, collect, &ls), 0);
        assert_int_equal(ls.n, 4);
        assert_true(ls.v[0].len > 0 && ls.v[0].len <= 64 * 1024);
        assert_true(strlen(ls.v[0].raw) <= 64 * 1024);
        assert_string_equal(ls.v[1].text, "after");
        assert_true(ls.v[2].len <= 64 * 1024);
        assert_string_equal(ls.v[3].text, "after");
        log_reader_get_stats(r, &st);
        assert_true(st.truncated_lines >= 2);
        free(buf);
        lines_free(&ls);
}

static void test_bad_bytes(void **state) {
        static const char nul[] = "[  1.000000] a\0b\n\0\0\0\n\xff\xfe\xc3\x28 invalid utf-8\n[  2.000000] \\x00#000\n";
        struct lines ls = read_buf(LOG_FORMAT_AUTO, nul, sizeof(nul) - 1, 0);
        unsigned seed = 4242;
        char *rnd;

        assert_int_equal(ls.n, 4);
        assert_string_equal(ls.v[0].text, "a b");
        assert_int_equal(ls.v[1].len, 3);
        assert_string_equal(ls.v[3].text, "\\x00#000");
        lines_free(&ls);

        rnd = malloc(1 << 20);
        assert_non_null(rnd);
        for (int round = 0; round < 4; round++) {
                for (size_t i = 0; i < 1 << 20; i++) {
                        static const char alphabet[] = "[]<>0123456789.:, \n{}\"#\\x+-cTkernel";
                        rnd[i] = round & 1 ? (char) rand_r(&seed) : alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
                }
                ls = read_buf((enum log_format) (round % 6), rnd, 1 << 20, 1000 + round);
                assert_true(ls.n > 0);
                lines_free(&ls);
        }
        free(rnd);
}

static int fail_cb(const struct log_line *l, void *userdata) {
        (*(int *) userdata)++;
        return -ECANCELED;
}

static void test_callback_error_and_api(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct log_reader_stats st;
        enum log_format f;
        int calls = 0;

        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        assert_int_equal(log_reader_feed(r, "a\nb\n", 4, fail_cb, &calls), -ECANCELED);
        assert_int_equal(calls, 1);
        log_reader_get_stats(r, &st);
        assert_true(st.input_lines >= 2);

        assert_int_equal(log_format_from_string("kmsg", &f), 0);
        assert_int_equal(f, LOG_FORMAT_KMSG);
        assert_int_equal(log_format_from_string("json", &f), 0);
        assert_int_equal(f, LOG_FORMAT_JOURNAL_JSON);
        assert_int_equal(log_format_from_string("nope", &f), -EINVAL);
        assert_int_equal(f, LOG_FORMAT_JOURNAL_JSON);
        assert_int_equal(log_reader_new((enum log_format) 99, &r), -EINVAL);
}

static int offer_none(const struct log_line *line, void *userdata) {
        return 0;
}

/* No input is a valid input, with no buffer at all: nothing is emitted or consumed, and no
 * arithmetic is done on the NULL pointer (clang's UBSan: "applying zero offset to null"). */
static void test_empty_input_null_buffer(void **state) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        static const char keys[][4] = { { 'o', 'o', 'm', '-' } };
        struct log_skip skip;
        size_t consumed = 99;
        int calls = 0;

        assert_int_equal(log_skip_init(&skip, keys, 1, NULL, 0, offer_none, NULL), 0);
        assert_int_equal(log_reader_new(LOG_FORMAT_AUTO, &r), 0);
        assert_int_equal(log_reader_feed(r, NULL, 0, fail_cb, &calls), 0);
        assert_int_equal(log_reader_skip(r, NULL, 0, &skip, fail_cb, &calls, &consumed), 0);
        assert_int_equal(consumed, 0);
        assert_int_equal(log_reader_skip(r, NULL, 1, &skip, fail_cb, &calls, &consumed), -EINVAL);
        assert_int_equal(log_reader_flush(r, fail_cb, &calls), 0);
        assert_int_equal(calls, 0);
}

static void test_forced_format(void **state) {
        static const char s[] = "4,1,2,-;kmsg\n[  1.000000] dmesg\nNov 25 19:08:54 host kernel: syslog\n";
        struct lines k = read_buf(LOG_FORMAT_KMSG, s, sizeof(s) - 1, 0);
        struct lines p = read_buf(LOG_FORMAT_PLAIN, s, sizeof(s) - 1, 0);

        assert_int_equal(k.n, 3);
        assert_string_equal(k.v[0].text, "kmsg");
        assert_true(k.v[1].no_prefix);
        assert_int_equal(p.n, 3);
        assert_string_equal(p.v[0].text, "4,1,2,-;kmsg");
        assert_true(p.v[2].no_prefix);
        lines_free(&k);
        lines_free(&p);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_wrapped_zone_line),
                cmocka_unit_test(test_seed_prose_not_joined),
                cmocka_unit_test(test_kmsg_raw),
                cmocka_unit_test(test_kmsg_fragments_dict),
                cmocka_unit_test(test_feed_kmsg),
                cmocka_unit_test(test_dmesg_variants),
                cmocka_unit_test(test_android_prefix),
                cmocka_unit_test(test_syslog_variants),
                cmocka_unit_test(test_syslog_interleaved),
                cmocka_unit_test(test_rsyslog_escapes),
                cmocka_unit_test(test_bbcode),
                cmocka_unit_test(test_mail_wraps),
                cmocka_unit_test(test_multiline_record_inherits),
                cmocka_unit_test(test_bare_file),
                cmocka_unit_test(test_serial_console_userspace),
                cmocka_unit_test(test_journal_json),
                cmocka_unit_test(test_chunked_feeding),
                cmocka_unit_test(test_huge_line),
                cmocka_unit_test(test_bad_bytes),
                cmocka_unit_test(test_callback_error_and_api),
                cmocka_unit_test(test_forced_format),
                cmocka_unit_test(test_empty_input_null_buffer),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
