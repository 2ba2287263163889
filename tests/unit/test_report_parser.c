/* SPDX-License-Identifier: MIT */
/* Unit tests for common/parse/report_parser.c (+ meminfo_parser.c, task_table.c, parse_util.c).
 * Raw reports are built here from real corpus text (tests/data/parser/, copied from
 * ../shared/corpus and the seed), stripping the log prefixes with a small local helper so the
 * tests do not depend on the input layer or the assembler. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_util.h"
#include "report.h"
#include "report_parser.h"
#include "task_table.h"

#define DATA OOMLENS_TEST_DATA "/parser/"

/* ---------------------------------------------------------------------------------------
 * Building raw reports */

enum cont { CONT_NONE, CONT_SPACE, CONT_NOSPACE };

struct builder {
        struct log_line *l;
        size_t n, cap;
};

static void b_add(struct builder *b, const char *t, size_t len, int64_t ts, int64_t seq) {
        struct log_line *x;

        if (b->n == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 64;
                b->l = realloc(b->l, b->cap * sizeof(*b->l));
                assert_non_null(b->l);
        }
        x = &b->l[b->n++];
        memset(x, 0, sizeof(*x));
        x->text = malloc(len + 1);
        assert_non_null(x->text);
        memcpy(x->text, t, len);
        x->text[len] = '\0';
        x->len = len;
        x->raw = x->text;
        x->ts_usec = ts;
        x->seq = seq;
        x->level = -1;
        x->facility = -1;
        x->wall_sec = NUM_UNSET;
}

static void b_append(struct builder *b, const char *t, size_t len, bool space) {
        struct log_line *x = &b->l[b->n - 1];
        size_t nl = x->len + (space ? 1 : 0) + len;
        char *s = malloc(nl + 1);

        assert_non_null(s);
        memcpy(s, x->text, x->len);
        if (space)
                s[x->len] = ' ';
        memcpy(s + x->len + (space ? 1 : 0), t, len);
        s[nl] = '\0';
        free(x->text);
        x->text = x->raw = s;
        x->len = nl;
}

/* Add a message, splitting the escaped newlines of a multi-line printk ("#012" from rsyslog,
 * a literal "\x0a" from /dev/kmsg) into lines, as the input layer does. */
static void b_add_split(struct builder *b, const char *t, size_t len, int64_t ts, int64_t seq) {
        const char *end = t + len;

        for (;;) {
                const char *a = memmem(t, (size_t)(end - t), "#012", 4);
                const char *c = memmem(t, (size_t)(end - t), "\\x0a", 4);
                const char *cut = a && (!c || a < c) ? a : c;
                if (!cut) {
                        b_add(b, t, (size_t)(end - t), ts, seq);
                        return;
                }
                b_add(b, t, (size_t)(cut - t), ts, seq);
                t = cut + 4;
        }
}

static bool is_d(char c) { return c >= '0' && c <= '9'; }

/* Strip one line's prefixes. Returns false for a non-kernel syslog line (to be skipped);
 * *prefixed says whether any prefix was present (unprefixed lines can be hard-wrap pieces). */
static bool strip(const char **t, size_t *len, int64_t *ts, int64_t *seq, bool *prefixed) {
        const char *p = *t, *end = *t + *len, *k;

        *ts = NUM_UNSET;
        *seq = NUM_UNSET;
        *prefixed = false;
        /* /dev/kmsg: "prio,seq,usec,flags[,caller=..];msg" */
        if (p < end && is_d(*p)) {
                const char *q = p;
                int commas = 0;
                while (q < end && (is_d(*q) || *q == ',' || *q == '-' || *q == 'c' || *q == '+' ||
                                   (commas >= 3 && *q != ';'))) {
                        if (*q == ',')
                                commas++;
                        q++;
                }
                if (commas >= 3 && q < end && *q == ';') {
                        const char *f = p;
                        int64_t v[3] = {};
                        for (int i = 0; i < 3; i++) {
                                while (is_d(*f))
                                        v[i] = v[i] * 10 + (*f++ - '0');
                                f++;
                        }
                        *seq = v[1];
                        *ts = v[2];
                        *t = q + 1;
                        *len = (size_t)(end - q - 1);
                        *prefixed = true;
                        return true;
                }
        }
        /* syslog: "Oct 12 19:00:20 host kernel: " */
        if (*len > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' && p[12] == ':') {
                k = memmem(p, MIN(*len, (size_t) 120), " kernel: ", 9);
                if (!k)
                        return false;
                p = k + 9;
                *prefixed = true;
        }
        while (p < end && *p == ' ' && p + 1 < end && (p[1] == ' ' || p[1] == '['))
                p++;
        if (p + 2 < end && *p == '<' && is_d(p[1]) && p[2] == '>') {
                p += 3;
                *prefixed = true;
        }
        if (p < end && *p == '[') {
                const char *q = p + 1;
                int64_t sec = 0, us = 0;
                while (q < end && *q == ' ')
                        q++;
                if (q < end && is_d(*q)) {
                        while (q < end && is_d(*q))
                                sec = sec * 10 + (*q++ - '0');
                        if (q < end && *q == '.') {
                                q++;
                                while (q < end && is_d(*q))
                                        us = us * 10 + (*q++ - '0');
                                if (q < end && *q == ']') {
                                        q++;
                                        if (q < end && *q == ' ')
                                                q++;
                                        p = q;
                                        *ts = sec * 1000000 + us;
                                        *prefixed = true;
                                }
                        }
                }
        }
        *t = p;
        *len = (size_t)(end - p);
        return true;
}

static char *slurp(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "re");
        char *buf;
        long n;

        if (!f)
                return NULL;
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n >= 0);
        rewind(f);
        buf = malloc((size_t) n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
        buf[n] = '\0';
        fclose(f);
        *ret_len = (size_t) n;
        return buf;
}

/* The lines of path from the first line containing `from` to the first later line containing
 * `to` (inclusive; NULL = to the end). */
static struct raw_report *load(const char *path, const char *from, const char *to, enum cont cont,
                               enum raw_report_type type) {
        struct builder b = {};
        struct raw_report *r;
        size_t len;
        char *buf = slurp(path, &len);
        const char *p, *end;
        bool started = from == NULL;

        if (!buf)
                fail_msg("cannot read %s", path);
        end = buf + len;
        for (p = buf; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *le = nl ? nl : end;
                const char *t = p;
                size_t tl = (size_t)(le - p);
                int64_t ts, seq;
                bool prefixed, last = false;

                p = nl ? nl + 1 : end;
                if (tl > 0 && t[tl - 1] == '\r')
                        tl--;
                if (!started) {
                        if (!memmem(t, tl, from, strlen(from)))
                                continue;
                        started = true;
                }
                if (to && memmem(t, tl, to, strlen(to)) && b.n > 0)
                        last = true;
                if (!strip(&t, &tl, &ts, &seq, &prefixed))
                        continue;
                if (!prefixed && cont != CONT_NONE && b.n > 0)
                        b_append(&b, t, tl, cont == CONT_SPACE);
                else
                        b_add_split(&b, t, tl, ts, seq);
                if (last)
                        break;
        }
        free(buf);
        r = calloc(1, sizeof(*r));
        assert_non_null(r);
        r->type = type;
        r->complete = true;
        r->lines = b.l;
        r->n_lines = b.n;
        r->first_seq = b.n ? b.l[0].seq : NUM_UNSET;
        r->last_seq = b.n ? b.l[b.n - 1].seq : NUM_UNSET;
        r->first_ts_usec = b.n ? b.l[0].ts_usec : NUM_UNSET;
        r->last_ts_usec = b.n ? b.l[b.n - 1].ts_usec : NUM_UNSET;
        return r;
}

static struct raw_report *from_strings(const char *const *lines, size_t n, enum raw_report_type type) {
        struct builder b = {};
        struct raw_report *r = calloc(1, sizeof(*r));

        assert_non_null(r);
        for (size_t i = 0; i < n; i++)
                b_add(&b, lines[i], strlen(lines[i]), NUM_UNSET, NUM_UNSET);
        r->type = type;
        r->lines = b.l;
        r->n_lines = b.n;
        r->first_seq = r->last_seq = r->first_ts_usec = r->last_ts_usec = NUM_UNSET;
        return r;
}

static struct oom_report *parse_ok(const struct raw_report *raw) {
        struct oom_report *r = NULL;

        assert_int_equal(report_parse(raw, &r), 0);
        assert_non_null(r);
        if (getenv("PARSER_DEBUG"))
                for (size_t i = 0; i < r->n_unparsed_idx; i++)
                        fprintf(stderr, "unparsed[%zu]: %.200s\n", r->unparsed_idx[i],
                                r->lines[r->unparsed_idx[i]].text);
        return r;
}

static const struct oom_zone *zone(const struct oom_report *r, int node, const char *name) {
        for (size_t i = 0; i < r->n_zones; i++)
                if (r->zones[i].node == node && strcmp(r->zones[i].name, name) == 0)
                        return &r->zones[i];
        fail_msg("zone %d %s not found", node, name);
        return NULL;
}

static int64_t kv(const struct key_value *a, size_t n, const char *key) {
        const struct key_value *x = kv_find(a, n, key);
        if (!x)
                fail_msg("key %s not found", key);
        return x->value;
}

static int64_t field(const struct oom_zone *z, const char *key) { return kv(z->fields, z->n_fields, key); }

static const struct oom_task *task(const struct oom_report *r, int64_t pid) {
        for (size_t i = 0; i < r->n_tasks; i++)
                if (r->tasks[i].pid == pid)
                        return &r->tasks[i];
        fail_msg("task %" PRId64 " not found", pid);
        return NULL;
}

/* Count the lines of the raw report that look like task rows ("[ 123] ..."), independently of
 * the parser, so task counts are not copied from its own output. */
static size_t count_rows(const struct raw_report *raw) {
        size_t n = 0;
        for (size_t i = 0; i < raw->n_lines; i++) {
                const char *t = raw->lines[i].text;
                while (*t == ' ')
                        t++;
                if (t[0] == '[') {
                        t++;
                        while (*t == ' ')
                                t++;
                        if (is_d(*t)) {
                                while (is_d(*t))
                                        t++;
                                if (*t == ']')
                                        n++;
                        }
                }
        }
        return n;
}

static bool trace_has(const struct oom_report *r, const char *fn) {
        for (size_t i = 0; i < r->n_call_trace; i++)
                if (strcmp(r->call_trace[i], fn) == 0)
                        return true;
        return false;
}

/* ---------------------------------------------------------------------------------------
 * Real reports */

static void test_seed_3_14_arm(void **state) {
        struct raw_report *raw = load(DATA "seed-3.14-arm.log", "invoked oom-killer", "Killed process",
                                      CONT_SPACE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *n, *h;

        assert_string_equal(r->trigger.gfp_mask, "0x800d0");
        assert_true(r->trigger.has_gfp_mask);
        assert_int_equal(r->trigger.gfp_mask_value, 0x800d0);
        assert_string_equal(r->trigger.gfp_printed_names, "");
        assert_int_equal(r->trigger.order, 0);
        assert_int_equal(r->trigger.oom_score_adj, 0);
        assert_string_equal(r->trigger.comm, "systemd-journal");
        assert_int_equal(r->trigger.pid, 1371);
        assert_string_equal(r->kernel.release, "3.14.31-00017-g40fab71");
        assert_true(r->kernel.known); /* via kernel_version_parse() */
        assert_int_equal(r->kernel.major, 3);
        assert_int_equal(r->kernel.minor, 14);
        assert_int_equal(r->kind, REPORT_KIND_GLOBAL);
        assert_int_equal(r->ts_usec, 12345342532LL);

        /* arm "(callee) from (caller)" frames */
        assert_true(r->n_call_trace >= 10);
        assert_string_equal(r->call_trace[0], "dump_backtrace");
        assert_true(trace_has(r, "out_of_memory"));
        assert_true(trace_has(r, "proc_pid_readlink"));

        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "free"), 285748);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "free_cma"), 57779);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "slab_unreclaimable"), 26286);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "shmem"), 14857);

        assert_int_equal(r->n_zones, 2);
        n = zone(r, -1, "Normal");
        assert_int_equal(n->free_kb, 233460);
        assert_int_equal(n->min_kb, 2488);
        assert_int_equal(n->low_kb, 3108);
        assert_int_equal(n->high_kb, 3732);
        assert_int_equal(n->free_cma_kb, 231116);
        assert_int_equal(n->present_kb, 774144);
        assert_int_equal(n->managed_kb, 387568);
        assert_int_equal(n->all_unreclaimable, 1);
        assert_int_equal(field(n, "pages_scanned"), 1648);
        assert_int_equal(field(n, "slab_unreclaimable"), 105144);
        assert_int_equal(field(n, "isolated(anon)"), 0);
        assert_int_equal(n->n_lowmem_reserve, 3);
        assert_int_equal(n->lowmem_reserve_pages[0], 0);
        assert_int_equal(n->lowmem_reserve_pages[1], 10168);
        assert_int_equal(n->lowmem_reserve_pages[2], 10168);
        assert_int_equal(n->n_buddy, 12);
        assert_int_equal(n->buddy[0].count, 1165);
        assert_int_equal(n->buddy[0].size_kb, 4);
        assert_string_equal(n->buddy[0].types, "MRC");
        assert_string_equal(n->buddy[1].types, "RC");
        assert_int_equal(n->buddy[9].count, 1);
        assert_string_equal(n->buddy[9].types, "R");
        assert_string_equal(n->buddy[6].types, "");
        assert_int_equal(n->buddy_total_kb, 233460);

        h = zone(r, -1, "HighMem");
        assert_int_equal(h->free_kb, 909036);
        assert_int_equal(h->all_unreclaimable, 0);
        assert_int_equal(h->n_lowmem_reserve, 3);
        assert_int_equal(h->lowmem_reserve_pages[1], 0);
        assert_int_equal(h->buddy[11].count, 91);
        assert_string_equal(h->buddy[11].types, "UMR");
        assert_int_equal(h->buddy_total_kb, 909516);
        assert_int_equal(r->page_kb, 4);

        assert_int_equal(r->memory.total_pagecache_pages, 66770);
        assert_int_equal(r->memory.swap_cache_pages, 0);
        assert_int_equal(r->memory.free_swap_kb, 0);
        assert_int_equal(r->memory.total_swap_kb, 0);
        assert_int_equal(r->memory.pages_ram, 520192);   /* "pages of RAM" */
        assert_int_equal(r->memory.pages_reserved, 97924); /* "reserved pages" */

        assert_int_equal(count_rows(raw), 26);
        assert_int_equal(r->n_tasks, count_rows(raw));
        assert_string_equal(r->task_table_layout, "3.6-3.14");
        assert_int_equal(task(r, 1368)->rss_pages, 8835);
        assert_int_equal(task(r, 1368)->nr_ptes, 58);
        assert_int_equal(task(r, 1375)->oom_score_adj, -1000);
        assert_string_equal(task(r, 1375)->name, "systemd-udevd");
        assert_int_equal(task(r, 2416)->uid, 1040);

        assert_true(r->has_victim);
        assert_int_equal(r->victim.pid, 5575);
        assert_string_equal(r->victim.comm, "thread_x");
        assert_int_equal(r->victim.score, 481);
        assert_int_equal(r->victim.selected_pid, 5575);
        assert_int_equal(r->victim.anon_rss_kb, 18036);
        assert_int_equal(r->victim.total_vm_kb, 106212);
        assert_int_equal(r->victim.file_rss_kb, 2704);
        assert_false(num_set(r->victim.shmem_rss_kb));

        assert_int_equal(r->unparsed_lines, 0);
        assert_int_equal(r->n_lines, raw->n_lines);
        assert_string_equal(r->lines[0].text, raw->lines[0].text);

        oom_report_free(r);
        raw_report_free(raw);
}

static void test_2_6_32(void **state) {
        struct raw_report *raw = load(DATA "005-forum-lucid-ureadahead-2.6.32-pae-highmem.log", NULL,
                                      "Killed process 450", CONT_NOSPACE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *h;

        /* The file starts mid-Mem-Info (zones, buddy, totals) and ends with the kill lines. */
        h = zone(r, -1, "HighMem");
        assert_int_equal(h->free_kb, 3204284);
        assert_int_equal(field(h, "isolated(file)"), 0);
        assert_int_equal(field(h, "writeback_tmp"), 0);
        assert_int_equal(h->n_lowmem_reserve, 4);
        assert_int_equal(h->buddy[10].count, 777);
        assert_int_equal(h->buddy[10].size_kb, 4096);
        assert_int_equal(zone(r, -1, "Normal")->buddy_total_kb, 3852);
        assert_int_equal(r->memory.pages_ram, 1277952);
        assert_int_equal(r->memory.pages_highmem, 1050114);
        assert_int_equal(r->memory.pages_reserved, 265421);
        assert_int_equal(r->victim.selected_pid, 450);
        assert_string_equal(r->victim.selected_comm, "plymouthd");
        assert_int_equal(r->victim.score, 38);
        assert_int_equal(r->victim.pid, 450);
        assert_string_equal(r->victim.comm, "plymouthd");
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);

        /* The second report's header block: oom_adj, cpuset line, "Pid: N, comm:" line */
        raw = load(DATA "005-forum-lucid-ureadahead-2.6.32-pae-highmem.log", "ureadahead invoked", NULL,
                   CONT_NOSPACE, RAW_REPORT_OOM);
        r = parse_ok(raw);
        assert_string_equal(r->trigger.comm, "ureadahead");
        assert_string_equal(r->trigger.gfp_mask, "0xd0");
        assert_int_equal(r->trigger.oom_adj, 0);
        assert_false(num_set(r->trigger.oom_score_adj));
        assert_string_equal(r->trigger.cpuset, "/");
        assert_string_equal(r->trigger.mems_allowed, "0");
        assert_int_equal(r->trigger.pid, 449);
        assert_string_equal(r->kernel.release, "2.6.32-24-generic-pae");
        assert_true(trace_has(r, "oom_kill_process"));
        assert_false(trace_has(r, "select_bad_process")); /* "? " frame */
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_memcg_v1_5_2(void **state) {
        struct raw_report *raw = load(DATA "011-lkml-hocko-leaker-5.2-memcg-v1.log", NULL, NULL, CONT_NONE,
                                      RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        assert_string_equal(r->trigger.gfp_mask, "0x100cca");
        assert_string_equal(r->trigger.gfp_printed_names, "GFP_HIGHUSER_MOVABLE");
        assert_int_equal(r->trigger.pid, 23793);
        assert_string_equal(r->kernel.release, "5.2.0-rc7");
        assert_string_equal(r->hardware, "Dell Inc. Latitude E7470/0T6HHJ, BIOS 1.5.3 04/18/2016");
        assert_int_equal(r->kind, REPORT_KIND_MEMCG);
        assert_true(r->memcg.present);
        assert_true(r->memcg.memsw);
        assert_int_equal(r->memcg.usage_kb, 524288);
        assert_int_equal(r->memcg.limit_kb, 524288);
        assert_int_equal(r->memcg.failcnt, 1240247);
        assert_int_equal(r->memcg.swap_usage_kb, 2592556);
        assert_int_equal(r->memcg.swap_limit_kb, 9007199254740988LL);
        assert_int_equal(r->memcg.kmem_usage_kb, 7260);
        assert_string_equal(r->memcg.path, "/leaker");
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "rss"), 516948);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "swap"), 2068268);
        assert_string_equal(r->constraint.type, "memcg");
        assert_string_equal(r->constraint.memcg, "/leaker");
        assert_string_equal(r->constraint.nodemask, "(null)");
        assert_false(r->constraint.global_oom);
        assert_int_equal(r->n_tasks, 2);
        assert_string_equal(r->task_table_layout, "4.19-6.6");
        assert_int_equal(task(r, 23793)->pgtables_bytes, 5226496);
        assert_int_equal(task(r, 23793)->swapents_pages, 519670);
        assert_int_equal(r->victim.pid, 23793);
        assert_int_equal(r->victim.uid, 0);
        assert_int_equal(r->victim.anon_rss_kb, 506500);
        assert_int_equal(r->victim.shmem_rss_kb, 0);
        assert_false(num_set(r->victim.score));
        assert_true(r->victim.reaped);
        assert_int_equal(r->victim.reaped_anon_rss_kb, 0);
        assert_true(trace_has(r, "mem_cgroup_out_of_memory"));
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_memcg_v1_3_13(void **state) {
        struct raw_report *raw = load(DATA "004-cadvisor-memorymonster-3.13-memcg.log", NULL, NULL, CONT_NONE,
                                      RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        assert_int_equal(r->kind, REPORT_KIND_MEMCG);
        assert_string_equal(r->memcg.task_path, "/mem2");
        assert_string_equal(r->memcg.path, "/mem2");
        assert_int_equal(r->memcg.usage_kb, 980);
        assert_int_equal(r->memcg.failcnt, 4152239);
        assert_int_equal(r->memcg.swap_limit_kb, 18014398509481983LL);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "rss"), 980);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "writeback"), 20);
        assert_string_equal(r->hardware, "Hewlett-Packard HP Z420 Workstation/1589, BIOS J61 v03.65 12/19/2013");
        assert_string_equal(r->kernel.release, "3.13.0-43-generic");
        assert_int_equal(r->trigger.pid, 13536);
        assert_int_equal(r->n_tasks, 1);
        assert_int_equal(task(r, 13536)->uid, 275858);
        assert_int_equal(task(r, 13536)->swapents_pages, 8324326);
        assert_int_equal(r->victim.score, 996);
        assert_int_equal(r->victim.pid, 13536);
        assert_int_equal(r->victim.file_rss_kb, 452);
        assert_true(trace_has(r, "mem_cgroup_oom_synchronize"));
        assert_int_equal(r->unparsed_lines, 0); /* raw stack words are recognised */
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_memcg_v2_5_15(void **state) {
        struct raw_report *raw = load(DATA "013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log", NULL,
                                      "Memory cgroup out of memory: Killed", CONT_NONE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        assert_int_equal(r->kind, REPORT_KIND_MEMCG);
        assert_int_equal(r->trigger.oom_score_adj, 1000);
        assert_string_equal(r->trigger.gfp_mask, "0x1100cca");
        assert_false(r->memcg.memsw);
        assert_int_equal(r->memcg.usage_kb, 102400);
        assert_int_equal(r->memcg.swap_usage_kb, 0);
        assert_int_equal(r->memcg.swap_limit_kb, 9007199254740988LL);
        assert_true(strstr(r->memcg.path, "kubepods-burstable-pod5931aa75") != NULL);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "anon"), 98742272);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "workingset_restore_anon"), 0);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "slab"), 2452248);
        assert_int_equal(r->n_tasks, 9);
        assert_int_equal(task(r, 181505)->oom_score_adj, -998);
        assert_int_equal(task(r, 181505)->uid, 65535);
        assert_string_equal(r->constraint.type, "memcg");
        assert_true(strstr(r->constraint.cpuset, "cri-containerd-25a38b5b") == r->constraint.cpuset);
        assert_string_equal(r->constraint.mems_allowed, "0");
        assert_int_equal(r->victim.pid, 183960);
        assert_int_equal(r->victim.pgtables_kb, 476);
        assert_int_equal(r->victim.oom_score_adj, 1000);
        assert_int_equal(r->victim.shmem_rss_kb, 12);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_memcg_v2_4_18(void **state) {
        struct raw_report *raw = load(DATA "055-lkml-tejun-cgroup2-4.18-memcg.log", NULL, NULL, CONT_NONE,
                                      RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        assert_int_equal(r->kind, REPORT_KIND_MEMCG);
        assert_string_equal(r->trigger.nodemask, "(null)");
        assert_string_equal(r->trigger.gfp_printed_names, "GFP_KERNEL");
        assert_string_equal(r->memcg.path, "/test-cgroup");
        assert_string_equal(r->memcg.task_path, "/test-cgroup");
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "anon"), 32845824);
        assert_int_equal(kv(r->memcg.stats, r->memcg.n_stats, "workingset_nodereclaim"), 0);
        assert_string_equal(r->task_table_layout, "4.15");
        assert_int_equal(r->n_tasks, 3);
        assert_int_equal(r->victim.selected_pid, 1990);
        assert_int_equal(r->victim.score, 987);
        assert_int_equal(r->victim.anon_rss_kb, 32008);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_rhel7_numa_012(void **state) {
        struct raw_report *raw = load(DATA "053-oomanalyser-example-rhel7-3.10-numa-012.log", NULL, NULL,
                                      CONT_NONE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *z;

        assert_string_equal(r->trigger.gfp_mask, "0x201da");
        assert_string_equal(r->trigger.mems_allowed, "0-1");
        assert_string_equal(r->kernel.release, "3.10.0-514.6.1.el7.x86_64");
        assert_true(r->kernel.rhel7);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "active_anon"), 7355653);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "free_pcp"), 2958);
        assert_int_equal(r->n_zones, 4);
        z = zone(r, 0, "DMA");
        assert_int_equal(z->n_lowmem_reserve, 4);
        assert_int_equal(z->lowmem_reserve_pages[1], 2780);
        assert_int_equal(z->lowmem_reserve_pages[3], 15835);
        assert_int_equal(z->all_unreclaimable, 1);
        z = zone(r, 0, "Normal");
        assert_int_equal(z->free_kb, 36692);
        assert_int_equal(z->min_kb, 36784);
        assert_int_equal(z->free_pcp_kb, 4204);
        assert_int_equal(field(z, "local_pcp"), 640);
        assert_int_equal(z->buddy_total_kb, 38260);
        assert_string_equal(z->buddy[0].types, "UEM");
        z = zone(r, 1, "Normal");
        assert_int_equal(z->free_kb, 49436);
        assert_int_equal(field(z, "pages_scanned"), 125777);
        assert_int_equal(z->n_lowmem_reserve, 4);
        assert_int_equal(z->buddy[8].count, 1);
        /* hugepages: 2 nodes x {1G, 2M}, all zero → the first size */
        assert_int_equal(r->memory.hugepages_total, 0);
        assert_true(r->memory.hugepages_size_kb == 1048576);
        assert_int_equal(r->memory.swap_cache_pages, 11342);
        assert_int_equal(r->memory.total_swap_kb, 8388604);
        assert_int_equal(r->memory.pages_highmem, 0);
        assert_int_equal(r->memory.pages_reserved, 192987);
        assert_int_equal(r->n_tasks, count_rows(raw));
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_kmsg_5_10_movable(void **state) {
        struct raw_report *raw = load(DATA "046-lkml-android-gki-5.10-devkmsg-raw-order3-movable-zone.log", NULL,
                                      NULL, CONT_NONE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *n, *m;

        assert_int_equal(r->seq, 19685342);
        assert_int_equal(r->trigger.order, 3);
        assert_int_equal(r->trigger.oom_score_adj, 200);
        assert_string_equal(r->trigger.gfp_printed_names, "GFP_KERNEL|__GFP_COMP|__GFP_ZERO");
        assert_string_equal(r->kernel.release, "5.10.168-gki-gade08d90ed8c-dirty");
        assert_string_equal(r->call_trace[0], "dump_backtrace.cfi_jt");
        assert_int_equal(kv(r->memory.node_fields, r->memory.n_node_fields, "shmem_thp"), 0);
        assert_int_equal(kv(r->memory.node_fields, r->memory.n_node_fields, "shadow_call_stack"), 74444);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "free_cma"), 138);
        n = zone(r, -1, "Normal");
        m = zone(r, -1, "Movable");
        assert_int_equal(n->reserved_highatomic_kb, 4096);
        assert_int_equal(n->free_cma_kb, 552);
        assert_int_equal(n->lowmem_reserve_pages[2], 40960);
        assert_int_equal(n->n_lowmem_reserve, 3);
        assert_string_equal(n->buddy[1].types, "UECH");
        assert_string_equal(n->buddy[4].types, "H");
        assert_int_equal(m->reserved_highatomic_kb, 0);
        assert_int_equal(m->free_kb, 2034664);
        assert_int_equal(m->buddy[0].count, 147666);
        assert_int_equal(r->memory.pages_cma_reserved, 66560);
        assert_int_equal(r->memory.free_swap_kb, 10291152);
        assert_int_equal(r->n_tasks, 22);
        assert_string_equal(task(r, 10003)->name, "nt.mobileqq:MSF");
        assert_int_equal(task(r, 10528)->total_vm_pages, 12208149);
        assert_string_equal(r->constraint.type, "none");
        assert_true(r->constraint.global_oom);
        assert_string_equal(r->constraint.cpuset, "foreground");
        assert_int_equal(r->victim.pid, 10192);
        assert_int_equal(r->victim.uid, 10188);
        assert_string_equal(r->victim.comm, "agent:amservice");
        assert_int_equal(r->kind, REPORT_KIND_GLOBAL);
        /* "[ dump_slubinfo ]" vendor lines are not recognised: counted, not dropped */
        assert_int_equal(r->unparsed_lines, 2);
        assert_true(strstr(r->lines[r->unparsed_idx[0]].text, "dump_slubinfo") != NULL);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_lab_6_1(void **state) {
        static const struct {
                const char *file;
                const char *comm;
                int64_t pid, min_dma, hp_size;
                size_t zones;
        } cases[] = {
                { "amd64-hog-512M.log", "hog", 90, 88, 1048576, 2 },
                { "arm64-cmatrap-512M-cma256.log", "pipefill", 91, 2764, 1048576, 1 },
                { "i386pae-lowmem-1536M.log", "sockfill", 90, -1, -1, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char path[512];
                struct raw_report *raw;
                struct oom_report *r;

                snprintf(path, sizeof(path), DATA "%s", cases[i].file);
                raw = load(path, "invoked oom-killer", "Killed process", CONT_NONE, RAW_REPORT_OOM);
                r = parse_ok(raw);
                assert_string_equal(r->trigger.comm, cases[i].comm);
                assert_int_equal(r->trigger.pid, cases[i].pid);
                assert_int_equal(r->victim.pid, cases[i].pid);
                assert_true(strncmp(r->kernel.release, "6.1.0-", 6) == 0);
                assert_string_equal(r->constraint.type, "none");
                assert_true(r->constraint.global_oom);
                assert_int_equal(r->kind, REPORT_KIND_GLOBAL);
                assert_string_equal(r->task_table_layout, "4.19-6.6");
                assert_int_equal(r->n_tasks, count_rows(raw));
                assert_true(r->n_tasks >= 1);
                assert_true(r->n_call_trace > 5);
                assert_true(r->memory.n_node_fields > 5);
                assert_true(num_set(r->memory.total_swap_kb));
                if (cases[i].min_dma >= 0) {
                        assert_int_equal(r->n_zones, cases[i].zones);
                        assert_int_equal(zone(r, 0, "DMA")->min_kb, cases[i].min_dma);
                        assert_int_equal(zone(r, 0, "DMA")->boost_kb, 0);
                        assert_int_equal(r->memory.hugepages_size_kb, cases[i].hp_size);
                }
                assert_int_equal(r->unparsed_lines, 0);
                oom_report_free(r);
                raw_report_free(raw);
        }
}


/* ---------------------------------------------------------------------------------------
 * Constructed lines: formats with no corpus example, and each kill-line form */

static void test_task_layout_6_8(void **state) {
        /* 6.8+ dump_tasks(): "[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s" */
        static const char *const lines[] = {
                "Tasks state (memory values in pages):",
                "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name",
                "[    412]  1000   412   812345   120000   110000     9000      1000   1048576        7           200 Web Content",
                "[    413]     0   413     1234      100       50       50         0    40960        0         -1000 sshd",
                "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-1,3,global_oom,task_memcg=/user.slice,task=Web Content,pid=412,uid=1000",
                "Out of memory: Killed process 412 (Web Content) total-vm:3249380kB, anon-rss:440000kB, file-rss:36000kB, shmem-rss:4000kB, UID:1000 pgtables:1024kB oom_score_adj:200",
        };
        struct raw_report *raw = from_strings(lines, ELEMENTSOF(lines), RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_task *t;

        assert_string_equal(r->task_table_layout, "6.8+");
        assert_int_equal(r->n_tasks, 2);
        t = task(r, 412);
        assert_string_equal(t->name, "Web Content");
        assert_int_equal(t->uid, 1000);
        assert_int_equal(t->total_vm_pages, 812345);
        assert_int_equal(t->rss_pages, 120000);
        assert_int_equal(t->rss_anon_pages, 110000);
        assert_int_equal(t->rss_file_pages, 9000);
        assert_int_equal(t->rss_shmem_pages, 1000);
        assert_int_equal(t->pgtables_bytes, 1048576);
        assert_int_equal(t->swapents_pages, 7);
        assert_int_equal(t->oom_score_adj, 200);
        assert_false(num_set(t->nr_ptes));
        assert_int_equal(task(r, 413)->oom_score_adj, -1000);
        /* a node list with a comma stays whole */
        assert_string_equal(r->constraint.mems_allowed, "0-1,3");
        assert_string_equal(r->victim.comm, "Web Content");
        assert_int_equal(r->victim.shmem_rss_kb, 4000);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_patched_task_table(void **state) {
        struct raw_report *raw = load(DATA "008-lkml-mempolicy-per-node-oom-patched-task-table.log", NULL, NULL,
                                      CONT_NONE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        assert_string_equal(r->task_table_layout, "custom");
        assert_int_equal(r->n_tasks, 4);
        assert_int_equal(task(r, 12399)->rss_pages, 1311056);
        assert_int_equal(task(r, 12399)->pgtables_bytes, 10534912); /* after the unknown column */
        assert_string_equal(task(r, 13295)->name, "sh");
        assert_int_equal(r->kind, REPORT_KIND_MEMPOLICY);
        assert_string_equal(r->constraint.type, "mempolicy");
        assert_string_equal(r->constraint.nodemask, "1");
        assert_string_equal(r->constraint.mems_allowed, "0-2");
        assert_int_equal(r->victim.pid, 13135);
        assert_true(r->victim.reaped);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

static void test_old_and_odd_kill_lines(void **state) {
        static const char *const lines[] = {
                "Memory cgroup out of memory: Kill process 15947 (init) score 1 or sacrifice child",
                "Killed process 16944, UID 0, (mingetty) total-vm:4064kB, anon-rss:4kB, file-rss:56kB",
        };
        struct raw_report *raw = from_strings(lines, ELEMENTSOF(lines), RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);

        /* RHEL 6: the killed child differs from the selected task */
        assert_int_equal(r->victim.selected_pid, 15947);
        assert_string_equal(r->victim.selected_comm, "init");
        assert_int_equal(r->victim.pid, 16944);
        assert_string_equal(r->victim.comm, "mingetty");
        assert_int_equal(r->victim.uid, 0);
        assert_int_equal(r->victim.file_rss_kb, 56);
        assert_int_equal(r->kind, REPORT_KIND_MEMCG);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);

        {
                static const char *const l2[] = {
                        "bash invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0",
                        "CPU: 3 UID: 0 PID: 77 Comm: kworker/3:1 Not tainted 6.12.9-arch1-1 #1 PREEMPT(voluntary) 0123abcd",
                        "Memory cgroup out of memory: OOM victim 4242 (my prog) is already exiting. Skip killing the task",
                        "oom_reaper: unable to reap pid:4242 (my prog)",
                        "Out of memory and no killable processes...",
                        "Kernel panic - not syncing: Out of memory and no killable processes...",
                        "warn_alloc: 3 callbacks suppressed",
                };
                raw = from_strings(l2, ELEMENTSOF(l2), RAW_REPORT_OOM);
                r = parse_ok(raw);
                assert_int_equal(r->trigger.order, -1);
                assert_int_equal(r->trigger.pid, 77);
                assert_string_equal(r->kernel.release, "6.12.9-arch1-1");
                assert_int_equal(r->victim.pid, 4242);
                assert_string_equal(r->victim.comm, "my prog");
                assert_true(r->victim.already_exiting);
                assert_true(r->victim.reap_failed);
                assert_true(r->panic);
                assert_int_equal(r->kind, REPORT_KIND_MEMCG);
                assert_int_equal(r->unparsed_lines, 0);
                oom_report_free(r);
                raw_report_free(raw);
        }
        {
                static const char *const l3[] = {
                        "bash invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0",
                        "Out of memory: Kill process 5575 thread_x score 481 or sacrifice child",
                        "Killed process 5575 thread_x total-vm:106212kB, anon-rss:18036kB, file-rss:2704kB",
                };
                raw = from_strings(l3, ELEMENTSOF(l3), RAW_REPORT_OOM);
                r = parse_ok(raw);
                assert_int_equal(r->kind, REPORT_KIND_MANUAL);
                assert_string_equal(r->victim.selected_comm, "thread_x");
                assert_string_equal(r->victim.comm, "thread_x");
                assert_int_equal(r->victim.score, 481);
                assert_int_equal(r->victim.anon_rss_kb, 18036);
                oom_report_free(r);
                raw_report_free(raw);
        }
}

static void test_alloc_failure(void **state) {
        struct raw_report *raw = load(DATA "059-lkml-android-kswapd0-zram-highatomic-4.14.log", NULL, NULL,
                                      CONT_NONE, RAW_REPORT_ALLOC_FAILURE);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *z;

        assert_int_equal(r->kind, REPORT_KIND_ALLOC_FAILURE);
        assert_string_equal(r->trigger.comm, "kswapd0");
        assert_int_equal(r->trigger.order, 0);
        assert_string_equal(r->trigger.gfp_mask, "0x140000a");
        assert_string_equal(r->trigger.gfp_printed_names, "GFP_NOIO|__GFP_HIGHMEM|__GFP_MOVABLE");
        assert_string_equal(r->trigger.nodemask, "(null)");
        assert_string_equal(r->trigger.cpuset, "/");
        assert_int_equal(r->trigger.pid, 1221);
        z = zone(r, -1, "Normal");
        assert_int_equal(z->free_kb, 14040);
        assert_int_equal(z->reserved_highatomic_kb, 32768);
        assert_int_equal(z->n_lowmem_reserve, 2); /* glued "lowmem_reserve[]: 0 0" */
        assert_string_equal(z->buddy[0].types, "H");
        oom_report_free(r);
        raw_report_free(raw);

        {
                static const char *const l[] = {
                        "swapper/0: page allocation failure: order:5, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0-1",
                        "kworker/u8:2: page allocation failure. order:1, mode:0x20",
                };
                raw = from_strings(l, 1, RAW_REPORT_ALLOC_FAILURE);
                r = parse_ok(raw);
                assert_string_equal(r->trigger.comm, "swapper/0");
                assert_int_equal(r->trigger.order, 5);
                assert_string_equal(r->trigger.cpuset, "/");
                assert_string_equal(r->trigger.mems_allowed, "0-1");
                assert_string_equal(r->trigger.gfp_printed_names, "GFP_ATOMIC");
                oom_report_free(r);
                raw_report_free(raw);
                raw = from_strings(l + 1, 1, RAW_REPORT_ALLOC_FAILURE);
                r = parse_ok(raw);
                assert_string_equal(r->trigger.comm, "kworker/u8:2");
                assert_int_equal(r->trigger.order, 1);
                assert_string_equal(r->trigger.gfp_mask, "0x20");
                oom_report_free(r);
                raw_report_free(raw);
        }
}

static void test_bogus_numbers(void **state) {
        struct raw_report *raw = load(DATA "023-lkml-virtio-balloon-5.4-next-global-bogus-watermarks.log", NULL,
                                      NULL, CONT_NONE, RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *z = zone(r, 0, "Normal");

        assert_int_equal(z->min_kb, 99395541895224LL);
        assert_int_equal(z->low_kb, 73886371836733356LL);
        assert_int_equal(z->high_kb, 147673348131571488LL);
        assert_int_equal(zone(r, 0, "DMA32")->lowmem_reserve_pages[2], 72057594037927865LL);
        oom_report_free(r);
        raw_report_free(raw);

        {
                static const char *const l[] = {
                        "Normal free:99999999999999999999kB min:-5kB low:9223372036854775807kB high:9223372036854775808kB",
                        "lowmem_reserve[]: 0 18446744073709551615 7",
                        "Normal: 99999999999999999999*4kB 1*8kB = 8kB",
                        "99999999999999999999 pages RAM",
                        "[ 99999999999999999999]  0 1 2 3 4 5 6 x",
                };
                raw = from_strings(l, ELEMENTSOF(l), RAW_REPORT_OOM);
                r = parse_ok(raw);
                assert_int_equal(r->n_zones, 1);
                assert_false(num_set(r->zones[0].free_kb)); /* overflow: rejected, not wrapped */
                assert_int_equal(r->zones[0].min_kb, -5);
                assert_int_equal(r->zones[0].low_kb, INT64_MAX);
                assert_false(num_set(r->zones[0].high_kb));
                assert_int_equal(r->zones[0].n_lowmem_reserve, 1);
                assert_false(num_set(r->memory.pages_ram));
                assert_int_equal(r->n_tasks, 0);
                assert_int_equal(r->unparsed_lines, 3);
                oom_report_free(r);
                raw_report_free(raw);
        }
}

static void test_meminfo_shapes(void **state) {
        static const char *const lines[] = {
                "Mem-Info:",
                "Node 0 DMA per-cpu:",
                "CPU    0: hi:    0, btch:   1 usd:   0",
                "CPU    1: Hot: hi:  186, btch:  31 usd: 162   Cold: hi:   62, btch:  15 usd:  55",
                /* rsyslog-joined counters (053) */
                "active_anon:7355653 inactive_anon:660960 isolated_anon:0#012 active_file:1263 inactive_file:1167 isolated_file:32#012 free:39513 free_pcp:2958 free_cma:0",
                "Node 0 active_anon:100kB inactive_anon:2kB shmem_thp: 6kB all_unreclaimable? no Balloon:0kB",
                "Node 1 active_anon:50kB inactive_anon:3kB shmem_thp: 4kB all_unreclaimable? yes",
                "Node 1 Normal free:1024kB boost:0kB min:64kB low:80kB high:96kB reserved_highatomic:0KB free_highatomic:0KB active_anon:0kB present:4194304kB managed:4000000kB free_pcp:128kB local_pcp:64kB free_cma:0kB",
                "lowmem_reserve[]: 0 0 0 0 0 0 0 0 0 0 0 0",
                "Node 1 Normal: 3*64kB (UM) 2*128kB (H) 0*256kB 1*512kB (UMEHCI) 0*1024kB 0*2048kB 0*4096kB 0*8192kB 0*16384kB 0*32768kB 0*65536kB 0*131072kB 0*262144kB 0*524288kB 1*1048576kB (M) 0*2097152kB 0*4194304kB = 1049536kB",
                "Node 0 hugepages_total=4 hugepages_free=1 hugepages_surp=0 hugepages_size=2048kB",
                "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB",
                "Node 1 hugepages_total=6 hugepages_free=2 hugepages_surp=0 hugepages_size=2048kB",
                "Unreclaimable slab info:",
                "Name                      Used          Total",
                "RAWv6                     15KB         15KB",
                "hugetlbfs_inode_cache          7KB          7KB",
                "Tasks state (memory values in pages):",
        };
        struct raw_report *raw = from_strings(lines, ELEMENTSOF(lines), RAW_REPORT_OOM);
        struct oom_report *r = parse_ok(raw);
        const struct oom_zone *z;

        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "isolated_file"), 32);
        assert_int_equal(kv(r->memory.meminfo, r->memory.n_meminfo, "free_pcp"), 2958);
        assert_int_equal(r->memory.n_meminfo, 9);
        /* Node lines summed over nodes, kB */
        assert_int_equal(kv(r->memory.node_fields, r->memory.n_node_fields, "active_anon"), 150);
        assert_int_equal(kv(r->memory.node_fields, r->memory.n_node_fields, "shmem_thp"), 10);
        assert_int_equal(kv(r->memory.node_fields, r->memory.n_node_fields, "Balloon"), 0);
        z = zone(r, 1, "Normal");
        assert_int_equal(z->boost_kb, 0);
        assert_int_equal(z->free_highatomic_kb, 0);
        assert_int_equal(z->free_pcp_kb, 128);
        assert_int_equal(field(z, "local_pcp"), 64);
        assert_int_equal(z->n_lowmem_reserve, OOM_MAX_ZONE_TYPES); /* bounded */
        assert_int_equal(z->n_buddy, OOM_MAX_ORDERS);               /* 17 printed, bounded */
        assert_string_equal(z->buddy[3].types, "UMEHCI");
        assert_int_equal(z->buddy[14].size_kb, 1048576);
        assert_int_equal(r->page_kb, 64);                            /* 64K pages */
        /* 2M pages hold more memory than the (empty) 1G pool */
        assert_int_equal(r->memory.hugepages_size_kb, 2048);
        assert_int_equal(r->memory.hugepages_total, 10);
        assert_int_equal(r->memory.hugepages_free, 3);
        assert_int_equal(r->memory.n_unreclaimable_slab, 2);
        assert_string_equal(r->memory.unreclaimable_slab[1].key, "hugetlbfs_inode_cache");
        assert_int_equal(r->memory.unreclaimable_slab[0].value, 15);
        assert_int_equal(r->unparsed_lines, 0);
        oom_report_free(r);
        raw_report_free(raw);
}

/* ---------------------------------------------------------------------------------------
 * Robustness */

static uint64_t rng(uint64_t *s) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        return *s;
}

static void test_garbage(void **state) {
        static const char *const seeds[] = {
                "Normal free:", "Node 0 DMA: 1*4kB (", "lowmem_reserve[]:", "[ pid ] uid name",
                "Killed process ", "Kill process 1 (", "oom-kill:constraint=", " invoked oom-killer: gfp_mask=0x",
                "CPU: 1 PID: 2 Comm: ", "Memory cgroup stats for ", "memory: usage ", "Task in ",
                "Node 0 hugepages_total=", ": page allocation failure", "Unreclaimable slab info:",
                "oom_reaper: reaped process ", "OOM victim ", "Pid: 1, comm: ", " cpuset=", "Mem-Info:",
        };
        uint64_t st = 0x9e3779b97f4a7c15ULL;
        struct builder b = {};
        struct raw_report *raw;
        struct oom_report *r;
        char buf[600];

        for (int i = 0; i < 4000; i++) {
                size_t n = rng(&st) % sizeof(buf), k = 0;
                const char *sd = seeds[rng(&st) % ELEMENTSOF(seeds)];
                if (rng(&st) % 2) {
                        k = MIN(strlen(sd), n);
                        memcpy(buf, sd, k);
                }
                for (; k < n; k++) {
                        uint64_t x = rng(&st);
                        /* mostly report-ish bytes, some arbitrary ones including NUL */
                        static const char alpha[] = "0123456789 :*()[]=,kBKx-/.#\\aNodeMlHUCEM?";
                        buf[k] = x % 5 ? alpha[(x >> 8) % (sizeof(alpha) - 1)] : (char)(x >> 16);
                }
                b_add(&b, buf, n, NUM_UNSET, NUM_UNSET);
        }
        /* one 10 MB line */
        {
                size_t big = 10 * 1024 * 1024;
                char *s = malloc(big);
                assert_non_null(s);
                for (size_t i = 0; i < big; i++)
                        s[i] = "Normal free:1kB 12*4kB (UME) "[i % 28];
                b_add(&b, s, big, NUM_UNSET, NUM_UNSET);
                free(s);
        }
        raw = calloc(1, sizeof(*raw));
        assert_non_null(raw);
        raw->lines = b.l;
        raw->n_lines = b.n;
        raw->first_seq = raw->last_seq = raw->first_ts_usec = raw->last_ts_usec = NUM_UNSET;
        r = parse_ok(raw);
        assert_int_equal(r->n_lines, raw->n_lines);
        assert_true(r->unparsed_lines > 0);
        assert_int_equal(r->unparsed_lines, r->n_unparsed_idx);
        assert_true(r->n_zones <= OOM_MAX_ZONES);
        assert_true(r->n_call_trace <= 64);
        for (size_t i = 0; i < r->n_zones; i++) {
                assert_true(r->zones[i].n_buddy <= OOM_MAX_ORDERS);
                assert_true(r->zones[i].n_lowmem_reserve <= OOM_MAX_ZONE_TYPES);
                assert_true(strlen(r->zones[i].name) < sizeof(r->zones[i].name));
        }
        oom_report_free(r);
        raw_report_free(raw);

        /* empty report, NULL arguments */
        raw = calloc(1, sizeof(*raw));
        assert_non_null(raw);
        r = parse_ok(raw);
        assert_int_equal(r->n_lines, 0);
        assert_int_equal(r->kind, REPORT_KIND_GLOBAL);
        oom_report_free(r);
        assert_int_equal(report_parse(NULL, &r), -EINVAL);
        raw_report_free(raw);
}

static void test_utf8_cut(void **state) {
        char dst[8];

        /* "abcdé€": cutting at 7 bytes must not leave half of the euro sign */
        copy_bounded(dst, sizeof(dst), "abcd\xc3\xa9\xe2\x82\xac", 9);
        assert_string_equal(dst, "abcd\xc3\xa9");
        copy_bounded(dst, sizeof(dst), "ab\0cd", 5);
        assert_string_equal(dst, "ab");
}

static void add_file_lines(struct builder *b, const char *path, bool strip_prefix) {
        size_t len;
        char *buf = slurp(path, &len);
        const char *p, *end;

        if (!buf)
                return;
        end = buf + len;
        for (p = buf; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *t = p;
                size_t tl = (size_t)((nl ? nl : end) - p);
                int64_t ts, seq;
                bool prefixed;

                p = nl ? nl + 1 : end;
                if (tl > 0 && t[tl - 1] == '\r')
                        tl--;
                if (strip_prefix) {
                        if (!strip(&t, &tl, &ts, &seq, &prefixed))
                                continue;
                        b_add_split(b, t, tl, ts, seq);
                } else
                        b_add(b, t, tl, NUM_UNSET, NUM_UNSET);
        }
        free(buf);
}

static void add_dir(struct builder *b, const char *dir, bool strip_prefix, size_t *files) {
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d))) {
                char path[1024];
                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                add_file_lines(b, path, strip_prefix);
                (*files)++;
        }
        closedir(d);
}

/* Every line of every corpus file as one big raw report, with and without prefix stripping. */
static void test_whole_corpus(void **state) {
        for (int mode = 0; mode < 2; mode++) {
                struct builder b = {};
                struct raw_report *raw;
                struct oom_report *r;
                size_t files = 0;

                size_t shared_files = 0;

                /* ../shared is beside the checkout in CI; a bare clone has only tests/data. */
                add_dir(&b, OOMLENS_SHARED_DIR "/corpus/public", mode, &shared_files);
                add_dir(&b, OOMLENS_SHARED_DIR "/corpus/lab", mode, &shared_files);
                add_dir(&b, OOMLENS_TEST_DATA "/parser", mode, &files);
                add_file_lines(&b, OOMLENS_SHARED_DIR "/seed/000_60380911558a7879.txt", mode);
                assert_true(files >= 16);
                if (shared_files == 0 && mode == 0)
                        print_message("shared corpus not found: tests/data/parser only\n");
                raw = calloc(1, sizeof(*raw));
                assert_non_null(raw);
                raw->lines = b.l;
                raw->n_lines = b.n;
                raw->first_seq = raw->last_seq = raw->first_ts_usec = raw->last_ts_usec = NUM_UNSET;
                r = parse_ok(raw);
                assert_int_equal(r->n_lines, raw->n_lines);
                /* measured: 253 tasks / 19 zones unstripped, 491 / 64 stripped with the corpus */
                assert_true(r->n_tasks > (shared_files ? 100u : 20u));
                assert_true(r->n_zones > (shared_files ? 10u : 2u));
                assert_true(r->unparsed_lines < raw->n_lines);
                if (getenv("PARSER_STATS"))
                        fprintf(stderr, "mode %d: %zu lines, %zu unparsed, %zu tasks, %zu zones\n", mode,
                                raw->n_lines, r->unparsed_lines, r->n_tasks, r->n_zones);
                oom_report_free(r);
                raw_report_free(raw);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_3_14_arm),
                cmocka_unit_test(test_2_6_32),
                cmocka_unit_test(test_memcg_v1_5_2),
                cmocka_unit_test(test_memcg_v1_3_13),
                cmocka_unit_test(test_memcg_v2_5_15),
                cmocka_unit_test(test_memcg_v2_4_18),
                cmocka_unit_test(test_rhel7_numa_012),
                cmocka_unit_test(test_kmsg_5_10_movable),
                cmocka_unit_test(test_lab_6_1),
                cmocka_unit_test(test_task_layout_6_8),
                cmocka_unit_test(test_patched_task_table),
                cmocka_unit_test(test_old_and_odd_kill_lines),
                cmocka_unit_test(test_alloc_failure),
                cmocka_unit_test(test_bogus_numbers),
                cmocka_unit_test(test_meminfo_shapes),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_utf8_cut),
                cmocka_unit_test(test_whole_corpus),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
