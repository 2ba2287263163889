/* SPDX-License-Identifier: MIT */
/* Report assembler on real corpus excerpts. The input layer is not used: a small helper
 * below turns dmesg / syslog / kmsg text into struct log_line the way the input layer is
 * specified to (prefix stripped, ts/seq/caller/facility filled, prose marked). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "report.h"
#include "report_assembler.h"
#include "report_line.h"

/* ------------------------------------------------------------------------------------------
 * Test input helper */

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

static struct log_line *lines_add(struct lines *ls, const char *text, size_t len) {
        struct log_line *l;

        if (ls->n == ls->cap) {
                ls->cap = ls->cap ? ls->cap * 2 : 256;
                ls->v = realloc(ls->v, ls->cap * sizeof(*ls->v));
                assert_non_null(ls->v);
        }
        l = &ls->v[ls->n++];
        *l = (struct log_line) {
                .ts_usec = NUM_UNSET, .seq = NUM_UNSET, .level = -1, .facility = -1,
                .wall_sec = NUM_UNSET,
        };
        l->text = strndup(text, len);
        assert_non_null(l->text);
        l->len = strlen(l->text);
        l->raw = l->text;
        return l;
}

static void line_append_text(struct log_line *l, const char *more) {
        size_t m = strlen(more);
        char *t = malloc(l->len + 1 + m + 1);

        assert_non_null(t);
        memcpy(t, l->text, l->len);
        t[l->len] = ' ';
        memcpy(t + l->len + 1, more, m + 1);
        free(l->text);
        l->text = l->raw = t;
        l->len = strlen(t);
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* "[ 1234.567890]" -> usec; returns the rest or NULL */
static const char *parse_ts(const char *s, int64_t *ret) {
        long long sec;
        long usec;
        int n = 0;

        if (sscanf(s, "[%lld.%ld]%n", &sec, &usec, &n) == 2 && n > 0) {
                *ret = sec * 1000000LL + usec;
                s += n;
                return *s == ' ' ? s + 1 : s;
        }
        return NULL;
}

/* One input line -> zero or more log lines (kmsg "\x0a" splits). */
static void parse_input_line(struct lines *ls, char *buf, bool *prev_prefixed) {
        struct log_line meta = { .ts_usec = NUM_UNSET, .seq = NUM_UNSET, .level = -1, .facility = -1,
                                 .wall_sec = NUM_UNSET };
        const char *s = buf, *r;
        bool prefixed = false;
        char *semi = strchr(buf, ';');

        /* raw /dev/kmsg: "prio,seq,ts,flag[,caller=X];text" */
        if (buf[0] >= '0' && buf[0] <= '9' && semi) {
                int prio, n = 0;
                long long seq, ts;
                char flag;
                if (sscanf(buf, "%d,%lld,%lld,%c%n", &prio, &seq, &ts, &flag, &n) == 4) {
                        const char *c = strstr(buf, "caller=");
                        meta.level = prio & 7;
                        meta.facility = prio >> 3;
                        meta.seq = seq;
                        meta.ts_usec = ts;
                        if (c && c < semi) {
                                size_t cl = (size_t) (semi - (c + 7));
                                memcpy(meta.caller, c + 7, MIN(cl, sizeof(meta.caller) - 1));
                        }
                        /* the Mem-Info record carries its lines joined by "\x0a" */
                        s = semi + 1;
                        for (;;) {
                                const char *nl = strstr(s, "\\x0a");
                                size_t len = nl ? (size_t) (nl - s) : strlen(s);
                                struct log_line *l = lines_add(ls, s, len);
                                char *keep = l->text;
                                *l = meta;
                                l->text = l->raw = keep;
                                l->len = strlen(keep);
                                if (!nl)
                                        break;
                                s = nl + 4;
                        }
                        *prev_prefixed = true;
                        return;
                }
        }

        /* syslog "Mon dd hh:mm:ss host tag: text" */
        for (size_t m = 0; m < ELEMENTSOF(months); m++) {
                int day, hh, mm, ss, n = 0;
                char host[128], tag[128];
                if (strncmp(buf, months[m], 3) != 0)
                        continue;
                if (sscanf(buf + 3, " %d %d:%d:%d %127s %127[^:]:%n", &day, &hh, &mm, &ss, host, tag, &n) >= 6 &&
                    n > 0) {
                        meta.wall_sec = (((int64_t) m * 31 + day) * 24 + hh) * 3600 + mm * 60 + ss;
                        /* only "kernel:" is the kernel; any other tag is a daemon (facility 3) */
                        meta.facility = strcmp(tag, "kernel") == 0 ? 0 : 3;
                        s = buf + 3 + n;
                        if (*s == ' ')
                                s++;
                        prefixed = true;
                }
                break;
        }
        if (s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>') {
                meta.level = s[1] - '0';
                s += 3;
                prefixed = true;
        }
        if ((r = parse_ts(s, &meta.ts_usec))) {
                s = r;
                prefixed = true;
                const char *p = s + 1;
                while (*p == ' ')
                        p++;
                /* printk caller id "[  T123]" / "[    C1]" (5.1+ CONFIG_PRINTK_CALLER) */
                if (s[0] == '[' && (*p == 'T' || *p == 'C') && p[1] >= '0' && p[1] <= '9' && strchr(s, ']') &&
                    strchr(s, ']') - s < 12) {
                        const char *e = strchr(s, ']');
                        memcpy(meta.caller, p, MIN((size_t) (e - p), sizeof(meta.caller) - 1));
                        s = e + 1;
                        if (*s == ' ')
                                s++;
                }
        }

        if (!prefixed) {
                enum line_kind k = report_line_classify(s, strlen(s));
                /* a hard wrap of the previous (prefixed) zone / buddy line: rejoin it */
                if (*prev_prefixed && ls->n > 0 && s[0] != '\0' && (unsigned char) s[0] < 0x80) {
                        enum line_kind pk = report_line_classify(ls->v[ls->n - 1].text, ls->v[ls->n - 1].len);
                        if ((pk == LINE_ZONE || pk == LINE_BUDDY) &&
                            (k == LINE_ZONE || k == LINE_BUDDY || strstr(s, "kB") || strstr(s, "all_unreclaimable"))) {
                                line_append_text(&ls->v[ls->n - 1], s);
                                return;
                        }
                }
                meta.no_prefix = true;
                /* prefix-less text among prefixed log lines that is no report line: commentary */
                meta.prose = *prev_prefixed && k == LINE_UNKNOWN;
        }
        *prev_prefixed = prefixed || (*prev_prefixed && !meta.prose);

        struct log_line *l = lines_add(ls, s, strlen(s));
        char *keep = l->text;
        *l = meta;
        l->text = l->raw = keep;
        l->len = strlen(keep);
}

static void load(const char *name, struct lines *ret) {
        char path[1024], buf[1 << 16];
        FILE *f;
        bool prev_prefixed = false;

        snprintf(path, sizeof(path), "%s/assembler/%s", OOMLENS_TEST_DATA, name);
        f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open %s", path);
        *ret = (struct lines) {};
        while (fgets(buf, sizeof(buf), f)) {
                size_t l = strlen(buf);
                while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
                        buf[--l] = '\0';
                parse_input_line(ret, buf, &prev_prefixed);
        }
        fclose(f);
}

static void load_text(const char *text, struct lines *ret) {
        char *dup = strdup(text), *save = NULL;
        bool prev_prefixed = false;

        assert_non_null(dup);
        *ret = (struct lines) {};
        for (char *t = strtok_r(dup, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
                parse_input_line(ret, t, &prev_prefixed);
        free(dup);
}

/* ------------------------------------------------------------------------------------------
 * Collecting what the assembler emits */

#define MAX_GOT 16

struct got_report {
        enum raw_report_type type;
        bool complete, spans_gap;
        size_t n_lines;
        int64_t first_seq, last_seq, first_ts, last_ts;
        char first[256], last[256];
        char *all; /* all lines joined by '\n' */
};

struct got {
        struct got_report r[MAX_GOT];
        size_t n;
        int fail_after; /* callback returns -ECANCELED on this report index, -1 never */
};

static int collect(const struct raw_report *rr, void *userdata) {
        struct got *g = userdata;
        struct got_report *o;
        size_t total = 1;

        if (g->fail_after >= 0 && (size_t) g->fail_after == g->n)
                return -ECANCELED;
        assert_true(g->n < MAX_GOT);
        assert_true(rr->n_lines > 0);
        o = &g->r[g->n++];
        *o = (struct got_report) {
                .type = rr->type, .complete = rr->complete, .spans_gap = rr->spans_gap,
                .n_lines = rr->n_lines, .first_seq = rr->first_seq, .last_seq = rr->last_seq,
                .first_ts = rr->first_ts_usec, .last_ts = rr->last_ts_usec,
        };
        snprintf(o->first, sizeof(o->first), "%s", rr->lines[0].text);
        snprintf(o->last, sizeof(o->last), "%s", rr->lines[rr->n_lines - 1].text);
        for (size_t i = 0; i < rr->n_lines; i++)
                total += rr->lines[i].len + 1;
        o->all = malloc(total);
        assert_non_null(o->all);
        o->all[0] = '\0';
        for (size_t i = 0; i < rr->n_lines; i++) {
                strcat(o->all, rr->lines[i].text);
                strcat(o->all, "\n");
        }
        return 0;
}

static void got_free(struct got *g) {
        for (size_t i = 0; i < g->n; i++)
                free(g->r[i].all);
        g->n = 0;
}

static void run(const struct report_assembler_config *cfg, const struct lines *ls, struct got *g,
                struct report_assembler_stats *ret_stats) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;

        *g = (struct got) { .fail_after = -1 };
        assert_int_equal(report_assembler_new(cfg, &a), 0);
        for (size_t i = 0; i < ls->n; i++)
                assert_int_equal(report_assembler_feed(a, &ls->v[i], collect, g), 0);
        assert_int_equal(report_assembler_flush(a, collect, g), 0);
        assert_false(report_assembler_busy(a));
        if (ret_stats)
                report_assembler_get_stats(a, ret_stats);
}

static void run_file(const char *name, struct got *g, struct report_assembler_stats *ret_stats) {
        struct lines ls;

        load(name, &ls);
        run(NULL, &ls, g, ret_stats);
        lines_free(&ls);
}

static size_t count_substr(const char *hay, const char *needle) {
        size_t n = 0;
        for (const char *p = hay; (p = strstr(p, needle)); p++)
                n++;
        return n;
}

/* ------------------------------------------------------------------------------------------
 * Corpus tests */

/* The seed: one complete 3.14 report, then the blog re-quotes pieces of it (2.1 header +
 * trace, 2.2 Mem-info, 2.2.1-2.2.4 per-cpu / counters / zones / buddy) between commentary. */
static void test_seed(void **state) {
        struct got g;
        struct report_assembler_stats st;
        size_t complete = 0;

        run_file("seed-000.txt", &g, &st);
        for (size_t i = 0; i < g.n; i++)
                if (g.r[i].complete)
                        complete++;
        assert_int_equal(complete, 1);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].type, RAW_REPORT_OOM);
        assert_string_equal(g.r[0].first,
                            "systemd-journal invoked oom-killer: gfp_mask=0x800d0, order=0, oom_score_adj=0");
        assert_string_equal(g.r[0].last,
                            "Killed process 5575 thread_x total-vm:106212kB, anon-rss:18036kB, file-rss:2704kB");
        assert_int_equal(count_substr(g.r[0].all, "Kill process 5575"), 1);
        /* every task row, the hard-wrapped zone lines rejoined, no commentary */
        assert_int_equal(count_substr(g.r[0].all, "\n[ "), 26 + 1);
        assert_null(strstr(g.r[0].all, "\xe5")); /* no CJK commentary inside */
        assert_int_equal(g.r[0].first_ts, 12345342532LL);
        assert_int_equal(g.r[0].last_ts, 12346124212LL);

        /* the re-quotes: incomplete, never a second kill */
        assert_int_equal(g.n, 3);
        for (size_t i = 1; i < g.n; i++) {
                assert_false(g.r[i].complete);
                assert_int_equal(g.r[i].type, RAW_REPORT_OOM);
                assert_null(strstr(g.r[i].all, "Killed process"));
        }
        /* 2.1 (header + trace) continues in time with 2.2 (Mem-info ... totals) */
        assert_string_equal(g.r[1].first, g.r[0].first);
        assert_string_equal(g.r[1].last, "0 pages swap cached");
        /* 2.2.1 starts 243 ms *before* 2.2 ended: a re-quote, its own fragment */
        assert_string_equal(g.r[2].first, "Normal per-cpu:");
        assert_true(st.lines_foreign > 0);
        got_free(&g);
}

/* Three "invoked oom-killer" dumps within 33 ms, then one kill: three reports, the last one
 * with the kill. */
static void test_storm_010(void **state) {
        struct got g;

        run_file("010-forum-ubuntu-2.6.22-x86-firefox-oom-storm-3-headers.log", &g, NULL);
        assert_int_equal(g.n, 3);
        assert_true(strstr(g.r[0].first, "gpg-agent invoked oom-killer") == g.r[0].first);
        assert_true(strstr(g.r[1].first, "dd invoked oom-killer") == g.r[1].first);
        assert_true(strstr(g.r[2].first, "bash invoked oom-killer") == g.r[2].first);
        assert_false(g.r[0].complete);
        assert_false(g.r[1].complete);
        assert_true(g.r[2].complete);
        for (size_t i = 0; i < 2; i++) {
                assert_int_equal(g.r[i].type, RAW_REPORT_OOM);
                assert_string_equal(g.r[i].last, "1409 pages pagetables");
                assert_null(strstr(g.r[i].all, "kill process"));
        }
        assert_string_equal(g.r[2].last, "Killed process 9846 (firefox-bin)");
        assert_int_equal(count_substr(g.r[2].all, "Out of memory: kill process 9837"), 1);
        assert_int_equal(g.r[2].n_lines, 47); /* "bash invoked" to the end of the file */
        got_free(&g);
}

/* syslog: a complete memcg report, three other programs' lines after the kill, then the
 * first line of the next OOM. */
static void test_syslog_interleaved_013(void **state) {
        struct got g;
        struct report_assembler_stats st;

        run_file("013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log", &g, &st);
        assert_int_equal(g.n, 2);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].type, RAW_REPORT_OOM);
        assert_true(strstr(g.r[0].last, "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm)") ==
                    g.r[0].last);
        assert_null(strstr(g.r[0].all, "systemd"));
        assert_null(strstr(g.r[0].all, "TaskOOM"));
        assert_null(strstr(g.r[0].all, "log_monitor"));
        assert_int_equal(g.r[0].n_lines, 87 - 1 + 1 - 1 + 1 - 1); /* syslog lines 1..85 + kill */
        assert_int_equal(g.r[0].first_ts, 8523347168LL);
        assert_int_equal(g.r[0].last_ts, 8523347333LL);
        assert_false(g.r[1].complete);
        assert_int_equal(g.r[1].n_lines, 1);
        assert_int_equal(st.lines_ignored_facility, 3);
        assert_int_equal(st.reports_emitted, 2);
        assert_int_equal(st.reports_incomplete, 1);
        got_free(&g);
}

/* Two memcg reports among docker/veth lines, each with its oom_reaper line. */
static void test_memcg_x2_034(void **state) {
        struct got g;

        run_file("034-cadvisor-gunpowder-4.8-memcg-x2-interleaved.log", &g, NULL);
        assert_int_equal(g.n, 2);
        for (size_t i = 0; i < 2; i++) {
                assert_true(g.r[i].complete);
                assert_int_equal(g.r[i].type, RAW_REPORT_OOM);
                assert_true(strstr(g.r[i].first, "gunpowder-memho invoked oom-killer") == g.r[i].first);
                assert_true(strstr(g.r[i].last, "oom_reaper: reaped process") == g.r[i].last);
                assert_null(strstr(g.r[i].all, "docker0"));
                assert_null(strstr(g.r[i].all, "veth"));
                assert_int_equal(g.r[i].n_lines, 30);
        }
        assert_non_null(strstr(g.r[0].all, "Killed process 1381"));
        assert_non_null(strstr(g.r[1].all, "Killed process 1667"));
        assert_null(strstr(g.r[0].all, "1667"));
        got_free(&g);
}

/* Kill lines only: the <=5.0 "Kill process ... sacrifice child" + "Killed process" (a child)
 * pair, then the 5.3 oom-kill:/Killed/oom_reaper triple. The mail client's hard wraps are
 * undone here as the input layer does. */
static void test_bare_kills_032(void **state) {
        static const char text[] =
                "Nov 14 15:23:48 oldserver kernel: [337631.991218] Out of memory: Kill process 19961 (python) score 17 or sacrifice child\n"
                "Nov 14 15:23:48 oldserver kernel: [337631.991237] Killed process 31357 (sh) total-vm:5400kB, anon-rss:252kB, file-rss:4kB, shmem-rss:0kB\n"
                "Jul 22 10:42:40 newserver kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-10383.slice/user@10383.service,task=oomprocs,pid=3035,uid=10383\n"
                "Jul 22 10:42:40 newserver kernel: Out of memory: Killed process 3035 (oomprocs) total-vm:1056800kB, anon-rss:8kB, file-rss:4kB, shmem-rss:0kB\n"
                "Jul 22 10:42:40 newserver kernel: oom_reaper: reaped process 3035 (oomprocs), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
        struct lines ls;
        struct got g;

        load_text(text, &ls);
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 2);
        assert_int_equal(g.r[0].type, RAW_REPORT_BARE_KILL);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 2);
        assert_true(strstr(g.r[0].first, "Kill process 19961") != NULL);
        assert_true(strstr(g.r[0].last, "Killed process 31357") != NULL);
        assert_int_equal(g.r[1].type, RAW_REPORT_BARE_KILL);
        assert_true(g.r[1].complete);
        assert_int_equal(g.r[1].n_lines, 3);
        assert_true(strstr(g.r[1].first, "oom-kill:") == g.r[1].first);
        assert_true(strstr(g.r[1].last, "oom_reaper: reaped process 3035") == g.r[1].last);
        got_free(&g);
        lines_free(&ls);
}

/* grep-filtered syslog: three events months apart, six lines each. */
static void test_grep_filtered_017(void **state) {
        struct got g;

        run_file("017-blog-centos8-grep-oom-filtered-3-events.log", &g, NULL);
        assert_int_equal(g.n, 3);
        for (size_t i = 0; i < 3; i++) {
                assert_true(g.r[i].complete);
                assert_int_equal(g.r[i].type, RAW_REPORT_OOM);
                assert_int_equal(g.r[i].n_lines, 6);
                assert_true(strstr(g.r[i].first, "invoked oom-killer") != NULL);
                assert_true(strstr(g.r[i].last, "oom_reaper: reaped process") == g.r[i].last);
        }
        assert_non_null(strstr(g.r[1].all, "Killed process 633552 (webpack)"));
        got_free(&g);
}

/* Raw /dev/kmsg with caller ids; the curator cut the task table (seq 19685398 -> 19685755). */
static void test_kmsg_seq_gap_046(void **state) {
        struct got g;

        run_file("046-lkml-android-gki-5.10-devkmsg-raw-order3-movable-zone.log", &g, NULL);
        /* one report across the hole (the caller id shows the same task printed both sides),
         * incomplete: its lines in the hole are missing */
        assert_int_equal(g.n, 1);
        assert_false(g.r[0].complete);
        assert_true(g.r[0].spans_gap);
        assert_int_equal(g.r[0].first_seq, 19685342);
        assert_true(g.r[0].last_seq > 19685755);
        assert_true(strstr(g.r[0].last, "Killed process") != NULL);
        /* the Mem-Info record's "\x0a" lines arrived as separate lines */
        assert_non_null(strstr(g.r[0].all, "\n active_file:"));
        got_free(&g);
}

/* Three kill pairs without headers, a SysRq-m Mem-Info (no report), an allocation stall. */
static void test_storm_sysrq_040(void **state) {
        struct got g;
        struct report_assembler_stats st;
        size_t bare = 0;

        run_file("040-linuxmm-tetsuo-4.9-oom-storm-sysrq-m-alloc-stall-torn-cont-lines.log", &g, &st);
        for (size_t i = 0; i < g.n; i++) {
                if (g.r[i].type == RAW_REPORT_BARE_KILL) {
                        assert_true(g.r[i].complete);
                        assert_int_equal(g.r[i].n_lines, 2);
                        bare++;
                }
                /* the SysRq-m show_mem block is not a report */
                assert_null(strstr(g.r[i].first, "Mem-Info:"));
        }
        assert_int_equal(bare, 3);
        assert_int_equal(st.reports_discarded, 1);
        assert_int_equal(g.r[0].type, RAW_REPORT_BARE_KILL);
        assert_true(strstr(g.r[0].first, "Kill process 5092") != NULL);
        assert_true(g.n >= 4);
        assert_int_equal(g.r[3].type, RAW_REPORT_ALLOC_FAILURE);
        got_free(&g);
}

/* ppc64 2010: a complete report, then "Kernel panic - not syncing: Out of memory and no
 * killable processes..." from the next invocation. */
static void test_panic_031(void **state) {
        struct got g;

        run_file("031-linuxmm-ppc64-linux-next-2010-slab-leak-panic.log", &g, NULL);
        assert_int_equal(g.n, 2);
        assert_int_equal(g.r[0].type, RAW_REPORT_OOM);
        assert_true(g.r[0].complete);
        assert_true(strstr(g.r[0].last, "Killed process 1913 (plymouthd)") == g.r[0].last);
        assert_int_equal(g.r[1].type, RAW_REPORT_PANIC);
        assert_true(g.r[1].complete);
        assert_int_equal(g.r[1].n_lines, 1);
        got_free(&g);
}

/* An excerpt that starts with the previous victim's oom_reaper line and ends inside the task
 * table. */
static void test_reaper_first_cut_043(void **state) {
        struct got g;

        run_file("043-lkml-thinkpad-x60-i386-5.7-next-xorg-pagefault-oom-highmem.log", &g, NULL);
        assert_int_equal(g.n, 2);
        assert_int_equal(g.r[0].type, RAW_REPORT_BARE_KILL);
        assert_false(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 1);
        assert_true(strstr(g.r[0].first, "oom_reaper:") == g.r[0].first);
        assert_int_equal(g.r[1].type, RAW_REPORT_OOM);
        assert_false(g.r[1].complete);
        assert_true(strstr(g.r[1].first, "invoked oom-killer") != NULL);
        assert_true(strstr(g.r[1].last, "Xorg") != NULL);
        /* the i915 lines before the header are no part of it */
        assert_null(strstr(g.r[1].all, "Purging GPU memory"));
        got_free(&g);
}

/* warn_alloc on 6.1 arm64: complete once the Mem-Info totals were seen. */
static void test_alloc_failure_001(void **state) {
        struct got g;

        run_file("001-netdev-veth-arm64-6.1-allocfail-order5-numa-cma.log", &g, NULL);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.r[0].type, RAW_REPORT_ALLOC_FAILURE);
        assert_true(g.r[0].complete);
        assert_true(strstr(g.r[0].first, "dockerd: page allocation failure: order:5") == g.r[0].first);
        assert_string_equal(g.r[0].last, "0 pages hwpoisoned");
        got_free(&g);
}

/* ------------------------------------------------------------------------------------------
 * Synthetic cases */

static const char hdr[] = "[  100.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                          "[  100.000100] CPU: 0 PID: 7 Comm: a Not tainted 6.1.0 #1\n"
                          "[  100.000200] Mem-Info:\n"
                          "[  100.000300] active_anon:1 inactive_anon:2 isolated_anon:0\n"
                          "[  100.000400] Tasks state (memory values in pages):\n"
                          "[  100.000500] [     77]     0    77      100       50    4096        0             0 a\n";
static const char kill[] = "[  100.000600] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=a,pid=77,uid=0\n"
                           "[  100.000700] Out of memory: Killed process 77 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";

/* A userspace process writes a complete fake report to /dev/kmsg: facility 1, ignored. */
static void test_forged_facility(void **state) {
        static const char forged[] =
                "12,500,100000000,-;a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "12,501,100000100,-;Mem-Info:\n"
                "11,502,100000200,-;Out of memory: Killed process 1 (systemd) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
                "14,503,100000300,-;oom_reaper: reaped process 1 (systemd), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
        struct lines ls;
        struct got g;
        struct report_assembler_stats st;
        struct report_assembler_config cfg;

        load_text(forged, &ls);
        assert_int_equal(ls.v[0].facility, 1);
        run(NULL, &ls, &g, &st);
        assert_int_equal(g.n, 0);
        assert_int_equal(st.lines_ignored_facility, 4);
        assert_int_equal(st.lines_seen, 4);

        /* kernel_only off: the caller asked for everything */
        report_assembler_config_default(&cfg);
        cfg.kernel_only = false;
        run(&cfg, &ls, &g, &st);
        assert_int_equal(g.n, 1);
        assert_int_equal(st.lines_ignored_facility, 0);
        got_free(&g);
        lines_free(&ls);

        /* a forged kill line inside a real report is not taken as its end */
        {
                char text[4096];
                snprintf(text, sizeof(text), "%s%s%s", "4,10,100000000,-;a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
                         "11,11,100000100,-;Out of memory: Killed process 1 (systemd) total-vm:1kB\n",
                         "4,12,100000200,-;Mem-Info:\n");
                load_text(text, &ls);
                run(NULL, &ls, &g, &st);
                assert_int_equal(g.n, 1);
                assert_false(g.r[0].complete);
                assert_int_equal(g.r[0].n_lines, 2);
                assert_null(strstr(g.r[0].all, "systemd"));
                got_free(&g);
                lines_free(&ls);
        }
}

static void test_cut_at_eof(void **state) {
        struct lines ls;
        struct got g;

        load_text(hdr, &ls);
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 1);
        assert_false(g.r[0].complete);
        assert_int_equal(g.r[0].type, RAW_REPORT_OOM);
        assert_int_equal(g.r[0].n_lines, 6);
        assert_int_equal(g.r[0].first_ts, 100000000);
        assert_int_equal(g.r[0].last_ts, 100000500);
        assert_int_equal(g.r[0].first_seq, NUM_UNSET);
        got_free(&g);
        lines_free(&ls);
}

static void test_second_header_before_end(void **state) {
        char text[8192];
        struct lines ls;
        struct got g;

        /* the first report is cut after its task table, the second is whole */
        snprintf(text, sizeof(text), "%s"
                 "[  100.000550] some unrelated line\n"
                 "[  100.100000] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                 "[  100.100100] Mem-Info:\n"
                 "[  100.100700] Out of memory: Killed process 78 (b) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n",
                 hdr);
        load_text(text, &ls);
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 2);
        assert_false(g.r[0].complete);
        /* the trailing unrecognised line is not kept: nothing after it showed it belongs */
        assert_int_equal(g.r[0].n_lines, 6);
        assert_null(strstr(g.r[0].all, "b invoked"));
        assert_true(g.r[1].complete);
        assert_int_equal(g.r[1].n_lines, 3);
        assert_true(strstr(g.r[1].first, "b invoked") == g.r[1].first);
        got_free(&g);
        lines_free(&ls);
}

/* An unrecognised line between report lines is kept (the parser counts it as unparsed);
 * another subsystem's "prefix: message" line is not. */
static void test_unknown_inside_kept(void **state) {
        static const char text[] =
                "[  100.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "[  100.000100] some vendor debug text without a prefix\n"
                "[  100.000150] usb 1-1: new high-speed USB device number 3 using xhci_hcd\n"
                "[  100.000200] Mem-Info:\n"
                "[  100.000700] Out of memory: Killed process 77 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n";
        struct lines ls;
        struct got g;
        struct report_assembler_stats st;

        load_text(text, &ls);
        run(NULL, &ls, &g, &st);
        assert_int_equal(g.n, 1);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 4);
        assert_non_null(strstr(g.r[0].all, "vendor debug text"));
        assert_null(strstr(g.r[0].all, "usb 1-1"));
        assert_int_equal(st.lines_foreign, 1);
        got_free(&g);
        lines_free(&ls);
}

/* A jump of minutes between lines ends a report (corpus 049: a thrashing box logged one line
 * every few minutes). */
static void test_time_gap(void **state) {
        static const char text[] =
                "[  100.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "[  100.000200] Mem-Info:\n"
                "[  400.000000] Mem-Info:\n"
                "[  400.000100] active_anon:1 inactive_anon:2 isolated_anon:0\n";
        struct lines ls;
        struct got g;

        load_text(text, &ls);
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 2);
        assert_int_equal(g.r[0].n_lines, 2);
        assert_int_equal(g.r[1].n_lines, 2);
        assert_true(strstr(g.r[1].first, "Mem-Info:") == g.r[1].first);
        assert_false(g.r[0].complete);
        assert_false(g.r[1].complete);
        got_free(&g);
        lines_free(&ls);
}

/* Records lost without caller ids: the hole may hold the end of one report and the header of
 * the next, so the report in progress ends there (spans_gap, incomplete) and the dump that goes
 * on headless after it is another report, marked too; a header after a hole starts a whole one. */
static void test_seq_gap_splits(void **state) {
        static const char text[] =
                "4,100,100000000,-;a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "4,101,100000100,-;CPU: 0 PID: 77 Comm: a Not tainted 6.1.0 #1\n"
                "4,102,100000200,-;Mem-Info:\n"
                /* 103..140 lost: the rest of a's report, the header of b's */
                "6,141,100010000,-;[     88]     0    88      100       50    4096        0             0 b\n"
                "3,142,100010100,-;Out of memory: Killed process 88 (b) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n"
                "6,143,100020000,-;eth0: link up\n"
                /* 144..149 lost */
                "4,150,100030000,-;c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "4,151,100030100,-;Mem-Info:\n"
                "3,152,100030200,-;Out of memory: Killed process 99 (c) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n";
        struct lines ls;
        struct got g;

        load_text(text, &ls);
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 3);
        assert_int_equal(g.r[0].n_lines, 3);
        assert_true(g.r[0].spans_gap);
        assert_false(g.r[0].complete);
        assert_null(strstr(g.r[0].all, "Killed process"));
        assert_int_equal(g.r[1].first_seq, 141);
        assert_true(g.r[1].spans_gap);
        assert_false(g.r[1].complete);
        assert_null(strstr(g.r[1].all, "invoked oom-killer"));
        assert_non_null(strstr(g.r[1].all, "Killed process 88"));
        /* b's report had ended when the second hole came: emitted as it was (marked for the
         * first hole, where it began); c's starts with its header after the hole: whole */
        assert_int_equal(g.r[2].first_seq, 150);
        assert_false(g.r[2].spans_gap);
        assert_true(g.r[2].complete);
        got_free(&g);
        lines_free(&ls);
}

/* 5.1+ caller ids: another task's allocation failure warning interleaves with the OOM dump;
 * the oom_reaper kthread's line (another caller) still joins the report it reaps. */
static void test_caller_interleave(void **state) {
        static const char text[] =
                "[  100.000000][  T700] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "[  100.000100][  T700] Mem-Info:\n"
                "[  100.000150][  T900] b: page allocation failure: order:3, mode:0xcc0(GFP_KERNEL), nodemask=(null)\n"
                "[  100.000160][  T900] CPU: 1 PID: 900 Comm: b Not tainted 6.1.0 #1\n"
                "[  100.000200][  T700] active_anon:1 inactive_anon:2 isolated_anon:0\n"
                "[  100.000210][  T900] Mem-Info:\n"
                "[  100.000250][    C1] eth0: link up\n"
                "[  100.000300][  T700] [     77]     0    77      100       50    4096        0             0 a\n"
                "[  100.000400][  T700] Out of memory: Killed process 77 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.000500][  T900] active_anon:1 inactive_anon:2 isolated_anon:0\n"
                "[  100.010000][   T30] oom_reaper: reaped process 77 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.010100][  T900] 1000 pages RAM\n";
        struct lines ls;
        struct got g;

        load_text(text, &ls);
        assert_string_equal(ls.v[0].caller, "T700");
        run(NULL, &ls, &g, NULL);
        assert_int_equal(g.n, 2);
        /* the OOM report is emitted at its reaper line, before the warning ends */
        assert_int_equal(g.r[0].type, RAW_REPORT_OOM);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 6);
        assert_null(strstr(g.r[0].all, "page allocation failure"));
        assert_null(strstr(g.r[0].all, "eth0"));
        assert_true(strstr(g.r[0].last, "oom_reaper:") == g.r[0].last);
        assert_int_equal(g.r[1].type, RAW_REPORT_ALLOC_FAILURE);
        assert_int_equal(g.r[1].n_lines, 5);
        assert_true(g.r[1].complete);
        assert_null(strstr(g.r[1].all, "Killed"));
        got_free(&g);
        lines_free(&ls);
}

static void test_max_lines(void **state) {
        struct report_assembler_config cfg;
        struct lines ls;
        struct got g;
        struct report_assembler_stats st;

        report_assembler_config_default(&cfg);
        cfg.max_lines = 10;
        load("010-forum-ubuntu-2.6.22-x86-firefox-oom-storm-3-headers.log", &ls);
        run(&cfg, &ls, &g, &st);
        assert_int_equal(g.n, 3);
        for (size_t i = 0; i < 3; i++) {
                assert_false(g.r[i].complete);
                assert_int_equal(g.r[i].n_lines, 10 + (i == 2 ? 2 : 0)); /* kill lines kept */
        }
        assert_true(strstr(g.r[2].last, "Killed process 9846") != NULL);
        assert_true(st.lines_dropped > 0);
        got_free(&g);
        lines_free(&ls);
}

/* Daemon: the report is held for reaper_wait after its kill line, emitted at once when the
 * reaper line comes, and a quiet report is given up after quiet_timeout. */
static void test_tick(void **state) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct report_assembler_stats st;
        char text[8192];
        struct lines ls;
        struct got g = { .fail_after = -1 };

        snprintf(text, sizeof(text), "%s%s", hdr, kill);
        load_text(text, &ls);
        assert_int_equal(report_assembler_new(NULL, &a), 0);
        assert_int_equal(report_assembler_tick(a, 99000000, collect, &g), 0);
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        assert_true(report_assembler_busy(a));
        /* 100.0007 kill; 300 ms later: still waiting for oom_reaper */
        assert_int_equal(report_assembler_tick(a, 100000700 + 300000, collect, &g), 0);
        assert_int_equal(g.n, 0);
        assert_int_equal(report_assembler_tick(a, 100000700 + 500001, collect, &g), 0);
        assert_int_equal(g.n, 1);
        assert_true(g.r[0].complete);
        assert_false(report_assembler_busy(a));

        /* the reaper line arriving late belongs to the emitted report: no new report */
        {
                struct lines late;
                load_text("[  101.200000] oom_reaper: reaped process 77 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
                          &late);
                assert_int_equal(report_assembler_feed(a, &late.v[0], collect, &g), 0);
                assert_int_equal(g.n, 1);
                assert_false(report_assembler_busy(a));
                lines_free(&late);
        }

        /* reaper in time: emitted on the reaper line, no tick needed */
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        {
                struct lines rp;
                load_text("[  100.001000] oom_reaper: reaped process 77 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
                          &rp);
                assert_int_equal(report_assembler_feed(a, &rp.v[0], collect, &g), 0);
                lines_free(&rp);
        }
        assert_int_equal(g.n, 2);
        assert_true(g.r[1].complete);
        assert_true(strstr(g.r[1].last, "oom_reaper:") == g.r[1].last);

        /* quiet timeout: a header and body, then nothing */
        lines_free(&ls);
        load_text(hdr, &ls);
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        assert_int_equal(report_assembler_tick(a, 100000500 + 4000000, collect, &g), 0);
        assert_int_equal(g.n, 2);
        assert_int_equal(report_assembler_tick(a, 100000500 + 5000001, collect, &g), 0);
        assert_int_equal(g.n, 3);
        assert_false(g.r[2].complete);

        /* lines without timestamps: the daemon clock of their arrival counts */
        lines_free(&ls);
        load_text("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\nMem-Info:\n", &ls);
        assert_int_equal(report_assembler_tick(a, 200000000, collect, &g), 0);
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        assert_int_equal(report_assembler_tick(a, 204000000, collect, &g), 0);
        assert_int_equal(g.n, 3);
        assert_int_equal(report_assembler_tick(a, 205000001, collect, &g), 0);
        assert_int_equal(g.n, 4);

        report_assembler_get_stats(a, &st);
        assert_int_equal(st.lines_late_reaper, 1);
        assert_int_equal(st.reports_emitted, 4);
        assert_int_equal(st.reports_incomplete, 2);
        got_free(&g);
        lines_free(&ls);
}

/* The daemon's tick emits an ended report as soon as nothing more of it can be printed: at once
 * for a 5.0+ cgroup v1 memcg kill (no memory.oom.group on v1), 5 ms after the kill line when the
 * same task may still print oom.group kills (v2, global), after ReaperWaitSec= if that is set;
 * report_assembler_next_deadline() says when. */
static void test_tick_end_rules(void **state) {
        static const char v1[] =
                "4,1,100000000,-;a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "4,2,100000010,-;CPU: 0 UID: 0 PID: 77 Comm: a Not tainted 6.18.0 #1\n"
                "6,3,100000020,-;memory: usage 32768kB, limit 32768kB, failcnt 10\n"
                "6,4,100000030,-;memory+swap: usage 32768kB, limit 32768kB, failcnt 0\n"
                "6,5,100000040,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=a,pid=77,uid=0\n"
                "3,6,100000050,-;Memory cgroup out of memory: Killed process 77 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";
        static const char v2[] =
                "4,2,100000000,-;a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "6,3,100000020,-;memory: usage 32768kB, limit 32768kB, failcnt 10\n"
                "6,4,100000030,-;swap: usage 0kB, limit 0kB, failcnt 0\n"
                "6,5,100000040,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=a,pid=77,uid=0\n"
                "3,6,100000050,-;Memory cgroup out of memory: Killed process 77 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";
        static const char group[] =
                "6,7,100000060,-;Tasks in /x are going to be killed due to memory.oom.group set\n"
                "3,8,100000070,-;Memory cgroup out of memory: Killed process 78 (b) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";
        struct report_assembler_config cfg;
        struct lines ls;

        report_assembler_config_default(&cfg);
        cfg.reaper_wait_usec = 0;
        for (int pass = 0; pass < 3; pass++) {
                _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
                struct got g = { .fail_after = -1 };
                int64_t end = 100000050;

                assert_int_equal(report_assembler_new(&cfg, &a), 0);
                assert_int_equal(report_assembler_tick(a, 99000000, collect, &g), 0);
                assert_int_equal(report_assembler_next_deadline(a), NUM_UNSET);
                load_text(pass == 0 ? v1 : v2, &ls);
                for (size_t i = 0; i < ls.n; i++)
                        assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
                lines_free(&ls);
                if (pass == 0) {
                        /* v1: complete at its kill line */
                        assert_int_equal(report_assembler_next_deadline(a), end);
                        assert_int_equal(report_assembler_tick(a, end, collect, &g), 0);
                        assert_int_equal(g.n, 1);
                        assert_true(g.r[0].complete);
                } else {
                        /* v2: the same task may still print memory.oom.group kills */
                        assert_int_equal(report_assembler_next_deadline(a), end + 5000);
                        assert_int_equal(report_assembler_tick(a, end + 4999, collect, &g), 0);
                        assert_int_equal(g.n, 0);
                        if (pass == 2) {
                                load_text(group, &ls);
                                for (size_t i = 0; i < ls.n; i++)
                                        assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
                                lines_free(&ls);
                                end = 100000070;
                                assert_int_equal(report_assembler_next_deadline(a), end + 5000);
                        }
                        assert_int_equal(report_assembler_tick(a, end + 5000, collect, &g), 0);
                        assert_int_equal(g.n, 1);
                        if (pass == 2)
                                assert_non_null(strstr(g.r[0].all, "Killed process 78"));
                }
                assert_false(report_assembler_busy(a));
                assert_int_equal(report_assembler_next_deadline(a), NUM_UNSET);
                got_free(&g);
        }

        /* ReaperWaitSec= asks to wait for the oom_reaper line even where nothing else follows */
        {
                _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
                struct got g = { .fail_after = -1 };
                cfg.reaper_wait_usec = 1000000;
                assert_int_equal(report_assembler_new(&cfg, &a), 0);
                assert_int_equal(report_assembler_tick(a, 99000000, collect, &g), 0);
                load_text(v1, &ls);
                for (size_t i = 0; i < ls.n; i++)
                        assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
                lines_free(&ls);
                assert_int_equal(report_assembler_next_deadline(a), 100000050 + 1000000);
                assert_int_equal(report_assembler_tick(a, 100000050 + 999999, collect, &g), 0);
                assert_int_equal(g.n, 0);
                assert_int_equal(report_assembler_tick(a, 100000050 + 1000000, collect, &g), 0);
                assert_int_equal(g.n, 1);
                got_free(&g);
        }
}

static void test_note_gap_and_errors(void **state) {
        _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
        struct report_assembler_config cfg;
        struct lines ls;
        struct got g = { .fail_after = 0 };

        report_assembler_config_default(&cfg);
        assert_int_equal(cfg.reaper_wait_usec, 500000);
        assert_int_equal(cfg.quiet_timeout_usec, 5000000);
        assert_true(cfg.kernel_only);
        cfg.max_lines = 0;
        assert_int_equal(report_assembler_new(&cfg, &a), -EINVAL);
        assert_null(a);
        assert_int_equal(report_assembler_new(NULL, NULL), -EINVAL);

        assert_int_equal(report_assembler_new(NULL, &a), 0);
        load_text(hdr, &ls);
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        report_assembler_note_gap(a, 12);
        /* the callback's error comes back, and the report is gone either way */
        assert_int_equal(report_assembler_flush(a, collect, &g), -ECANCELED);
        assert_false(report_assembler_busy(a));
        g.fail_after = -1;
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(report_assembler_feed(a, &ls.v[i], collect, &g), 0);
        report_assembler_note_gap(a, 1);
        assert_int_equal(report_assembler_flush(a, collect, &g), 0);
        assert_int_equal(g.n, 1);
        assert_true(g.r[0].spans_gap);
        assert_int_equal(report_assembler_feed(a, NULL, collect, &g), -EINVAL);
        got_free(&g);
        lines_free(&ls);
}


/* "oom_reaper: unable to reap" comes ~1 s after the kill (10 retries HZ/10 apart): offline it
 * still joins its report. */
static void test_unable_to_reap_058(void **state) {
        struct got g;
        struct report_assembler_stats st;

        run_file("058-linuxmm-tetsuo-4.16-oom-reaper-unable-to-reap.log", &g, &st);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.r[0].type, RAW_REPORT_BARE_KILL);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 2);
        assert_string_equal(g.r[0].last, "oom_reaper: unable to reap pid:7558 (a.out)");
        assert_int_equal(st.lines_late_reaper, 0);
        got_free(&g);
}

/* Random mixtures of real report lines, garbage and random metadata: no crash, every report
 * non-empty and bounded by max_lines (+ the kill group). */
static int check_bounds(const struct raw_report *r, void *userdata) {
        size_t *max = userdata;
        assert_true(r->n_lines > 0);
        assert_true(r->n_lines <= *max + 16);
        for (size_t i = 0; i < r->n_lines; i++)
                assert_non_null(r->lines[i].text);
        return 0;
}

static void test_random_mix(void **state) {
        static const char *const pool[] = {
                "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
                "b: page allocation failure: order:3, mode:0xcc0(GFP_KERNEL)",
                "Mem-Info:", "active_anon:1 inactive_anon:2", "Node 0 DMA free:1kB min:1kB",
                "lowmem_reserve[]: 0 1 1", "1000 pages RAM", "0 pages hwpoisoned",
                "[     77]     0    77      100       50    4096        0             0 a",
                "oom-kill:constraint=CONSTRAINT_NONE,task=a,pid=77,uid=0",
                "Out of memory: Kill process 77 (a) score 9 or sacrifice child",
                "Out of memory: Killed process 77 (a) total-vm:1kB",
                "Kill process 78 (a) sharing same memory",
                "Tasks in /a are going to be killed due to memory.oom.group set",
                "oom_reaper: reaped process 77 (a), now anon-rss:0kB",
                "oom_reaper: unable to reap pid:",
                "Out of memory and no killable processes...",
                "Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled",
                "docker0: port 2 entered disabled state", "random words", "", "sysrq: SysRq : Show Memory",
                "warn_alloc: 3 callbacks suppressed",
        };
        static const char *const callers[] = { "", "", "T1", "T2", "C0" };
        struct report_assembler_config cfg;
        unsigned seed = 7;
        size_t max = 50;

        report_assembler_config_default(&cfg);
        cfg.max_lines = max;
        for (int round = 0; round < 40; round++) {
                _cleanup_(report_assembler_freep) struct report_assembler *a = NULL;
                int64_t ts = 1000000;
                int64_t seq = 1;

                assert_int_equal(report_assembler_new(&cfg, &a), 0);
                for (int i = 0; i < 3000; i++) {
                        char buf[128];
                        struct log_line l = { .ts_usec = NUM_UNSET, .seq = NUM_UNSET, .level = -1,
                                              .facility = -1, .wall_sec = NUM_UNSET };
                        unsigned r = (unsigned) rand_r(&seed);

                        if (r % 7 == 0) {
                                size_t n = (size_t) (rand_r(&seed) % (int) sizeof(buf));
                                for (size_t j = 0; j < n; j++)
                                        buf[j] = (char) (rand_r(&seed) % 255 + 1);
                                buf[n] = '\0';
                        } else
                                snprintf(buf, sizeof(buf), "%s", pool[r % ELEMENTSOF(pool)]);
                        l.text = buf;
                        l.raw = buf;
                        l.len = strlen(buf);
                        if (r & 0x100) {
                                ts += (int64_t) (rand_r(&seed) % 3000000) - 100000;
                                l.ts_usec = ts;
                        }
                        if (r & 0x200)
                                l.seq = seq += rand_r(&seed) % 3;
                        l.facility = (r & 0x400) ? (int) (rand_r(&seed) % 3) - 1 : -1;
                        snprintf(l.caller, sizeof(l.caller), "%s", callers[(r >> 12) % ELEMENTSOF(callers)]);
                        assert_int_equal(report_assembler_feed(a, &l, check_bounds, &max), 0);
                        if (r % 97 == 0)
                                assert_int_equal(report_assembler_tick(a, ts, check_bounds, &max), 0);
                }
                assert_int_equal(report_assembler_flush(a, check_bounds, &max), 0);
                assert_false(report_assembler_busy(a));
        }
}

/* 4.19+ memory.oom.group: the victim, the group line, the other members; the reaper lines of
 * the members after the report was emitted do not make reports of their own. */
static void test_oom_group(void **state) {
        static const char text[] =
                "[  100.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                "[  100.000100] memory: usage 1024kB, limit 1024kB, failcnt 12\n"
                "[  100.000200] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=a,pid=10,uid=0\n"
                "[  100.000300] Memory cgroup out of memory: Killed process 10 (a) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.000400] Tasks in /g are going to be killed due to memory.oom.group set\n"
                "[  100.000500] Memory cgroup out of memory: Killed process 11 (b) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.000600] Memory cgroup out of memory: Killed process 12 (c) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.010000] oom_reaper: reaped process 10 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.020000] oom_reaper: reaped process 12 (c), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
                "[  100.030000] oom_reaper: reaped process 11 (b), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
        struct lines ls;
        struct got g;
        struct report_assembler_stats st;

        load_text(text, &ls);
        run(NULL, &ls, &g, &st);
        assert_int_equal(g.n, 1);
        assert_true(g.r[0].complete);
        assert_int_equal(g.r[0].n_lines, 8);
        assert_int_equal(count_substr(g.r[0].all, "Killed process"), 3);
        assert_int_equal(st.lines_late_reaper, 2);
        got_free(&g);
        lines_free(&ls);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed),
                cmocka_unit_test(test_storm_010),
                cmocka_unit_test(test_syslog_interleaved_013),
                cmocka_unit_test(test_memcg_x2_034),
                cmocka_unit_test(test_bare_kills_032),
                cmocka_unit_test(test_grep_filtered_017),
                cmocka_unit_test(test_kmsg_seq_gap_046),
                cmocka_unit_test(test_storm_sysrq_040),
                cmocka_unit_test(test_panic_031),
                cmocka_unit_test(test_reaper_first_cut_043),
                cmocka_unit_test(test_alloc_failure_001),
                cmocka_unit_test(test_forged_facility),
                cmocka_unit_test(test_cut_at_eof),
                cmocka_unit_test(test_second_header_before_end),
                cmocka_unit_test(test_unknown_inside_kept),
                cmocka_unit_test(test_time_gap),
                cmocka_unit_test(test_seq_gap_splits),
                cmocka_unit_test(test_caller_interleave),
                cmocka_unit_test(test_max_lines),
                cmocka_unit_test(test_tick),
                cmocka_unit_test(test_tick_end_rules),
                cmocka_unit_test(test_note_gap_and_errors),
                cmocka_unit_test(test_unable_to_reap_058),
                cmocka_unit_test(test_random_mix),
                cmocka_unit_test(test_oom_group),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
