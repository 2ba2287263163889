/* SPDX-License-Identifier: MIT */
/* Report parser: one raw report's lines → struct oom_report ("as printed" fields).
 *
 * Each line is classified by report_line_classify() and handed to the field parser for that
 * kind. When the classifier says UNKNOWN, or the chosen parser does not accept the line (a
 * misclassification or a damaged line), every other parser is tried in a fixed order, with
 * the context-free shapes first and the ones that only make sense inside a block ("anon 123"
 * memory.stat lines, task rows, trace frames) gated by the block we are in. A line nothing
 * accepts is kept in lines[] and counted in unparsed_lines. Layouts: kernel-facts.md §5. */
#include "report_parser.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "meminfo_parser.h"
#include "parse_util.h"
#include "report_line.h"
#include "task_table.h"

#define CALL_TRACE_MAX 64
#define TASKS_MAX 65536

enum section {
        SEC_NONE,
        SEC_HEAD,        /* header, cpuset line */
        SEC_TRACE,       /* CPU:/Pid: line, Hardware name, stack */
        SEC_MEMINFO,
        SEC_MEMCG,       /* memcg usage lines */
        SEC_MEMCG_STATS, /* after "Memory cgroup stats for": v2 "anon 123" lines */
        SEC_SLAB,        /* "Unreclaimable slab info:" rows */
        SEC_TASKS,
        SEC_TAIL,        /* summary, kill lines */
};

struct ctx {
        struct oom_report *r;
        const struct log_line *line; /* the line being parsed */
        enum section sec;
        size_t last_zone;           /* SIZE_MAX: none */
        struct task_columns cols;
        bool have_cols;
        bool stats_seen;            /* first "Memory cgroup stats for" taken (v1 prints one per child) */
        bool memcg_msg;             /* "Memory cgroup out of memory" kill line */
        bool killed_seen;
        bool header_seen;
        bool cpu_seen;
        struct hugepage_sizes huge;
};

/* ---------------------------------------------------------------------------------------
 * "key=value, key=value" / "key:value, ..." parameter lists (header, alloc-failure header,
 * oom-kill: summary). A value runs to the next ',' that is followed by another key, so
 * node lists such as "mems_allowed=0-1,3" keep their commas. */

static bool is_key_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static bool key_follows(const char *p, const char *end) {
        while (p < end && *p == ' ')
                p++;
        if (p >= end || !is_alpha(*p))
                return false;
        while (p < end && is_key_char(*p))
                p++;
        return p >= end || *p == '=' || *p == ':' || *p == ',';
}

static bool next_param(struct scan *s, const char **k, size_t *kl, const char **v, size_t *vl) {
        const char *q;

        while (s->p < s->end && (*s->p == ' ' || *s->p == ','))
                s->p++;
        if (s->p >= s->end || !is_alpha(*s->p))
                return false;
        *k = s->p;
        while (s->p < s->end && is_key_char(*s->p))
                s->p++;
        *kl = (size_t)(s->p - *k);
        if (s->p < s->end && (*s->p == '=' || *s->p == ':'))
                s->p++;
        else if (s->p < s->end && *s->p != ',' && *s->p != ' ')
                return false; /* "oo0" of a clipped line is a flag; "a.b" is garbage */
        *v = s->p;
        for (q = s->p; q < s->end; q++)
                if (*q == ',' && key_follows(q + 1, s->end))
                        break;
        *vl = (size_t)(q - s->p);
        s->p = q;
        trim(v, vl);
        return true;
}

static bool key_is(const char *k, size_t kl, const char *name) {
        return kl == strlen(name) && memcmp(k, name, kl) == 0;
}

/* "0x800d0" or "0x6000c0(GFP_KERNEL)" (4.6+ %pGg) or "0x0()". */
static void set_gfp(struct oom_trigger *t, const char *v, size_t vl) {
        struct scan s = scan_make(v, vl);
        const char *hs;
        size_t hl;
        uint64_t val;

        if (!scan_hex(&s, &val, &hs, &hl) || hl >= sizeof(t->gfp_mask))
                return;
        copy_bounded(t->gfp_mask, sizeof(t->gfp_mask), hs, hl);
        t->gfp_mask_value = val;
        t->has_gfp_mask = true;
        if (scan_lit(&s, "(")) {
                const char *close = memchr(s.p, ')', scan_left(&s));
                copy_bounded(t->gfp_printed_names, sizeof(t->gfp_printed_names), s.p,
                             close ? (size_t)(close - s.p) : scan_left(&s));
        }
}

static bool value_i64(const char *v, size_t vl, int64_t *ret) {
        return parse_i64_full(v, vl, ret);
}

static void header_params(struct oom_trigger *t, struct scan s) {
        const char *k, *v;
        size_t kl, vl;

        while (next_param(&s, &k, &kl, &v, &vl)) {
                int64_t n;
                if (key_is(k, kl, "gfp_mask") || key_is(k, kl, "mode"))
                        set_gfp(t, v, vl);
                else if (key_is(k, kl, "order")) {
                        if (value_i64(v, vl, &n) && n >= -1 && n < 64)
                                t->order = n;
                } else if (key_is(k, kl, "oom_score_adj")) {
                        if (value_i64(v, vl, &n) && n >= -1000 && n <= 1000)
                                t->oom_score_adj = n;
                } else if (key_is(k, kl, "oom_adj") || key_is(k, kl, "oomkilladj")) {
                        /* 2.6.x; "oomkilladj" is the 2.6.22-2.6.24 spelling */
                        if (value_i64(v, vl, &n) && n >= -17 && n <= 15)
                                t->oom_adj = n;
                } else if (key_is(k, kl, "nodemask"))
                        copy_bounded(t->nodemask, sizeof(t->nodemask), v, vl);
                else if (key_is(k, kl, "cpuset"))
                        copy_bounded(t->cpuset, sizeof(t->cpuset), v, vl);
                else if (key_is(k, kl, "mems_allowed"))
                        copy_bounded(t->mems_allowed, sizeof(t->mems_allowed), v, vl);
        }
}

/* ---------------------------------------------------------------------------------------
 * Header block */

static int p_oom_header(struct ctx *c, const char *t, size_t len) {
        const char *m = find_str(t, len, " invoked oom-killer:");
        const char *comm = t;
        size_t cl;

        if (!m)
                return 0;
        cl = (size_t)(m - t);
        trim(&comm, &cl);
        copy_bounded(c->r->trigger.comm, sizeof(c->r->trigger.comm), comm, cl);
        m += strlen(" invoked oom-killer:");
        header_params(&c->r->trigger, scan_make(m, (size_t)(t + len - m)));
        c->header_seen = true;
        c->r->has_header = true;
        c->sec = SEC_HEAD;
        return 1;
}

static int p_alloc_header(struct ctx *c, const char *t, size_t len) {
        /* 2.6.32 prints "failure. order:", 3.0+ "failure: order:" */
        const char *m = find_str(t, len, ": page allocation failure");
        const char *comm = t;
        size_t cl;

        if (!m)
                return 0;
        cl = (size_t)(m - t);
        trim(&comm, &cl);
        copy_bounded(c->r->trigger.comm, sizeof(c->r->trigger.comm), comm, cl);
        m += strlen(": page allocation failure");
        if (m < t + len && (*m == ':' || *m == '.'))
                m++;
        header_params(&c->r->trigger, scan_make(m, (size_t)(t + len - m)));
        c->header_seen = true;
        c->r->has_header = true;
        c->sec = SEC_HEAD;
        return 1;
}

static int p_alloc_stall(struct ctx *c, const char *t, size_t len) {
        /* 4.9-4.14 warning of its own; it does not describe this report's allocation. */
        return find_str(t, len, "page allocation stalls for ") ? 1 : 0;
}

/* "<comm> cpuset=<cg> mems_allowed=<list>" (<=4.20) */
static int p_cpuset(struct ctx *c, const char *t, size_t len) {
        const char *cs = find_str(t, len, "cpuset=");
        const char *ma, *v;
        size_t vl;

        if (!cs || (cs != t && cs[-1] != ' '))
                return 0;
        cs += strlen("cpuset=");
        ma = find_str(cs, (size_t)(t + len - cs), " mems_allowed=");
        if (!ma)
                return 0;
        v = cs;
        vl = (size_t)(ma - cs);
        trim(&v, &vl);
        copy_bounded(c->r->trigger.cpuset, sizeof(c->r->trigger.cpuset), v, vl);
        v = ma + strlen(" mems_allowed=");
        vl = (size_t)(t + len - v);
        trim(&v, &vl);
        copy_bounded(c->r->trigger.mems_allowed, sizeof(c->r->trigger.mems_allowed), v, vl);
        return 1;
}

static int p_no_compaction(struct ctx *c, const char *t, size_t len) {
        return find_str(t, len, "COMPACTION is disabled") ? 1 : 0;
}

static bool is_release_token(const char *p, size_t l) {
        return l >= 3 && p[0] >= '0' && p[0] <= '9' && memchr(p, '.', l);
}

/* "CPU: 1 PID: 1371 Comm: systemd-journal Tainted: G O 3.14.31-00017-g40fab71 #1" (3.10+),
 * "CPU: 0 UID: 0 PID: 90 Comm: x Not tainted 6.12.0 #1 PREEMPT(voluntary)" (6.12+, 6.18),
 * "Pid: 449, comm: ureadahead Not tainted 2.6.32-24-generic-pae #42-Ubuntu" (2.6.32 x86). */
static int p_cpu(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *comm, *taint, *f;
        size_t fl, cl;
        int64_t pid = NUM_UNSET, v;

        scan_ws(&s);
        if (scan_lit(&s, "CPU: ")) {
                scan_ws(&s);
                if (!scan_i64(&s, &v))
                        return 0;
                scan_ws(&s);
                if (scan_lit(&s, "UID: ")) {
                        scan_ws(&s);
                        if (!scan_i64(&s, &v))
                                return 0;
                        scan_ws(&s);
                }
                if (!scan_lit(&s, "PID: "))
                        return 0;
                scan_ws(&s);
                if (!scan_i64(&s, &pid))
                        return 0;
                scan_ws(&s);
                if (!scan_lit(&s, "Comm: "))
                        return 0;
        } else if (scan_lit(&s, "Pid: ")) {
                if (!scan_i64(&s, &pid) || !scan_lit(&s, ", comm: "))
                        return 0;
        } else
                return 0;

        /* comm is %.20s and may contain spaces: it ends where the taint text starts. */
        comm = s.p;
        taint = find_str(s.p, scan_left(&s), " Not tainted");
        if (!taint)
                taint = find_str(s.p, scan_left(&s), " Tainted: ");
        cl = taint ? (size_t)(taint - comm) : scan_left(&s);
        trim(&comm, &cl);

        if (c->cpu_seen)
                return 1; /* a later dump (e.g. the victim's sched dump) is not the trigger */
        c->cpu_seen = true;
        c->sec = SEC_TRACE;
        if (pid >= 0)
                c->r->trigger.pid = pid;
        if (c->r->trigger.comm[0] == '\0')
                copy_bounded(c->r->trigger.comm, sizeof(c->r->trigger.comm), comm, cl);
        if (!taint)
                return 1;
        s.p = taint;
        /* Taint letters, "Kdump: loaded", then the release (the first token starting with a
         * digit and containing a dot). */
        while (scan_token(&s, &f, &fl))
                if (is_release_token(f, fl)) {
                        char rel[sizeof(c->r->kernel.release)];
                        struct kernel_version kv = {};

                        copy_bounded(rel, sizeof(rel), f, fl);
                        if (kernel_version_parse(rel, &kv) >= 0)
                                c->r->kernel = kv;
                        else {
                                c->r->kernel = (struct kernel_version) {};
                        }
                        /* Keep the release as printed even if the version parser refused it. */
                        memcpy(c->r->kernel.release, rel, sizeof(rel));
                        break;
                }
        return 1;
}

static int p_hardware(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *v;
        size_t vl;

        scan_ws(&s);
        if (!scan_lit(&s, "Hardware name:"))
                return 0;
        v = s.p;
        vl = scan_left(&s);
        trim(&v, &vl);
        if (c->r->hardware[0] == '\0')
                copy_bounded(c->r->hardware, sizeof(c->r->hardware), v, vl);
        c->sec = SEC_TRACE;
        return 1;
}

static int p_trace_start(struct ctx *c, const char *t, size_t len) {
        static const char *const starts[] = { "Call Trace:", "Call trace:", "Backtrace:", "<TASK>",
                                              "</TASK>", "<IRQ>", "</IRQ>", "Stack:" };
        trim(&t, &len);
        for (size_t i = 0; i < ELEMENTSOF(starts); i++)
                if (has_prefix(t, len, starts[i])) {
                        c->sec = SEC_TRACE;
                        return 1;
                }
        return 0;
}

static int add_frame(struct oom_report *r, const char *name, size_t nl) {
        char *s;
        int k;

        if (nl == 0 || r->n_call_trace >= CALL_TRACE_MAX)
                return 1;
        k = array_grow((void **) &r->call_trace, r->n_call_trace, sizeof(char *), CALL_TRACE_MAX);
        if (k < 0)
                return k;
        s = malloc(nl + 1);
        if (!s)
                return -ENOMEM;
        copy_bounded(s, nl + 1, name, nl);
        r->call_trace[r->n_call_trace++] = s;
        return 1;
}

/* Register dumps and raw stack words printed inside the dump_stack block: "RIP: 0033:...",
 * "Code: ...", "r6:00000000 r5:...", "x29: ...", "pc : ...", " ffff8807a4835c48 ...",
 * "=======================" (2.6.22), "Workqueue: events moom_callback". Recognised,
 * nothing to store. */
static bool is_trace_noise(const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *f;
        size_t fl, i;

        trim(&t, &len);
        if (len == 0)
                return false;
        if (t[0] == '=' || has_prefix(t, len, "---[ ") || has_prefix(t, len, "Exception stack") ||
            has_prefix(t, len, "Modules linked in:") || has_prefix(t, len, "Workqueue:") ||
            has_prefix(t, len, "Code:") || has_prefix(t, len, "pc :") || has_prefix(t, len, "lr :") ||
            has_prefix(t, len, "sp :") || has_prefix(t, len, "Stack:") || has_prefix(t, len, "Hardware name"))
                return true;
        if (!scan_token(&s, &f, &fl))
                return false;
        /* "RAX:", "r10:00000000", "x29: ffff", "EFLAGS:" */
        for (i = 0; i < fl && i < 8 && is_key_char(f[i]); i++)
                ;
        if (i > 0 && i < fl && f[i] == ':' && i <= 7) {
                /* "RAX: 0000..", "r6:00000000", "x29: ffff..", arm "5fa0: b6bad008 ..": the
                 * register name, then a hex value ("SLUB: Unable ..." is not one). */
                const char *v = f + i + 1;
                size_t hex = 0;
                while (v < s.end && *v == ' ')
                        v++;
                if (s.end - v > 2 && v[0] == '0' && v[1] == 'x') /* i386 "EIP: 0xb7f00559" */
                        v += 2;
                while (v + hex < s.end && ((v[hex] >= '0' && v[hex] <= '9') || (v[hex] >= 'a' && v[hex] <= 'f')))
                        hex++;
                if (hex >= 4)
                        return true;
        }
        /* all-hex words (stack contents) */
        s = scan_make(t, len);
        while (scan_token(&s, &f, &fl)) {
                if (fl < 8)
                        return false;
                for (i = 0; i < fl; i++)
                        if (!((f[i] >= '0' && f[i] <= '9') || (f[i] >= 'a' && f[i] <= 'f')))
                                return false;
        }
        return true;
}

/* One frame: " dump_stack+0x67/0x8e", " [<ffffffff81720bf6>] dump_stack+0x45/0x56",
 * " [<c0012fcc>] (dump_backtrace) from [<c00131a4>] (show_stack+0x20/0x24)" (arm),
 * "[c000000001c62fc0] [c000000000012214] .show_stack+0x7c/0x184 (unreliable)" (ppc64).
 * "? func" frames are guesses from stack scanning and are not stored. */
static int p_trace_frame(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *f, *name;
        size_t fl, nl;

        scan_ws(&s);
        while (s.p < s.end && *s.p == '[') {
                const char *close = memchr(s.p, ']', scan_left(&s));
                if (!close)
                        return 0;
                s.p = close + 1;
                scan_ws(&s);
        }
        if (scan_lit(&s, "? "))
                return is_trace_noise(t, len) || find_str(s.p, scan_left(&s), "+0x") ? 1 : 0;
        if (scan_lit(&s, "(")) {
                const char *close = memchr(s.p, ')', scan_left(&s));
                if (!close || !find_str(close, (size_t)(s.end - close), " from "))
                        return 0;
                name = s.p;
                nl = (size_t)(close - s.p);
        } else {
                const char *plus;
                if (!scan_token(&s, &f, &fl))
                        return 0;
                plus = find_str(f, fl, "+0x");
                if (!plus && (find_str(s.p, scan_left(&s), " from ") == s.p ||
                              (has_prefix(s.p, scan_left(&s), " [") &&
                               find_str(s.p, scan_left(&s), "] from ")))) {
                        /* arm 5.x+ unwinder: "callee [module] from caller+0x18/0x1c" */
                        plus = f + fl;
                }
                if (!plus || plus == f)
                        return 0;
                name = f;
                nl = (size_t)(plus - f);
                if (nl > 1 && name[0] == '.') { /* ppc64 ELFv1 dot symbols */
                        name++;
                        nl--;
                }
        }
        for (size_t i = 0; i < nl; i++)
                if (name[i] == ' ' || name[i] == '\t')
                        return 0;
        if (c->sec == SEC_NONE || c->sec == SEC_HEAD)
                c->sec = SEC_TRACE;
        return add_frame(c->r, name, nl);
}

/* ---------------------------------------------------------------------------------------
 * Mem-Info */

static int p_meminfo_start(struct ctx *c, const char *t, size_t len) {
        trim(&t, &len);
        if (!has_prefix(t, len, "Mem-Info:") && !has_prefix(t, len, "Mem-info:"))
                return 0;
        c->sec = SEC_MEMINFO;
        /* "Mem-Info:" glued to the counters by a lost newline */
        if (len > strlen("Mem-Info:")) {
                int k = meminfo_parse_counters(&c->r->memory, t + 9, len - 9);
                if (k < 0)
                        return k;
        }
        return 1;
}

static int p_percpu(struct ctx *c, const char *t, size_t len) {
        if (!meminfo_is_percpu(t, len))
                return 0;
        c->sec = SEC_MEMINFO;
        return 1;
}

static int p_counters(struct ctx *c, const char *t, size_t len) {
        int k = meminfo_parse_counters(&c->r->memory, t, len);
        if (k > 0)
                c->sec = SEC_MEMINFO;
        return k;
}

static int p_node(struct ctx *c, const char *t, size_t len) {
        int k = meminfo_parse_node(&c->r->memory, t, len);
        if (k > 0)
                c->sec = SEC_MEMINFO;
        return k;
}

static int p_zone(struct ctx *c, const char *t, size_t len) {
        size_t z;
        int k = meminfo_parse_zone(c->r, t, len, &z);
        if (k > 0) {
                c->last_zone = z;
                c->sec = SEC_MEMINFO;
        }
        return k;
}

static int p_lowmem(struct ctx *c, const char *t, size_t len) {
        struct oom_zone *z = c->last_zone < c->r->n_zones ? &c->r->zones[c->last_zone] : NULL;
        int k;

        /* Only the line right after a zone line belongs to it. */
        if (z && z->n_lowmem_reserve > 0)
                z = NULL;
        k = meminfo_parse_lowmem_reserve(z, t, len);
        if (k > 0)
                c->last_zone = SIZE_MAX;
        return k;
}

static int p_buddy(struct ctx *c, const char *t, size_t len) {
        int k = meminfo_parse_buddy(c->r, t, len);
        if (k > 0)
                c->sec = SEC_MEMINFO;
        return k;
}

static int p_hugepages(struct ctx *c, const char *t, size_t len) {
        return meminfo_parse_hugepages(&c->huge, t, len);
}

/* "N <suffix>" totals printed by show_mem / show_swap_cache_info / old show_mem walks. */
#define MEM_OFF(f) ((ssize_t) offsetof(struct oom_memory, f))
static const struct {
        const char *suffix;
        ssize_t offset; /* into struct oom_memory; -1: recognised, not stored */
} totals[] = {
        { "pages RAM", MEM_OFF(pages_ram) },
        { "pages of RAM", MEM_OFF(pages_ram) },                     /* <=3.x arm/ppc */
        { "pages HighMem/MovableOnly", MEM_OFF(pages_highmem) },    /* 3.13+ */
        { "pages HighMem", MEM_OFF(pages_highmem) },                /* 2.6.32 */
        { "pages of HIGHMEM", MEM_OFF(pages_highmem) },             /* 2.6.22 */
        { "pages reserved", MEM_OFF(pages_reserved) },
        { "reserved pages", MEM_OFF(pages_reserved) },              /* arm <=3.x */
        { "pages cma reserved", MEM_OFF(pages_cma_reserved) },      /* 4.0+ */
        { "total pagecache pages", MEM_OFF(total_pagecache_pages) },
        { "pages in swap cache", MEM_OFF(swap_cache_pages) },
        { "free pages", -1 },
        { "pages shared", -1 },
        { "pages non-shared", -1 },
        { "slab pages", -1 },
        { "pages swap cached", -1 },
        { "pages dirty", -1 },
        { "pages writeback", -1 },
        { "pages mapped", -1 },
        { "pages slab", -1 },
        { "pages pagetables", -1 },
        { "pages in pagetable cache", -1 },
        { "pages hwpoisoned", -1 },
};

static int p_totals(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *rest;
        size_t rl;
        int64_t v;

        scan_ws(&s);
        if (!scan_i64(&s, &v) || !scan_lit(&s, " "))
                return 0;
        rest = s.p;
        rl = scan_left(&s);
        trim(&rest, &rl);
        for (size_t i = 0; i < ELEMENTSOF(totals); i++)
                if (key_is(rest, rl, totals[i].suffix)) {
                        if (totals[i].offset >= 0)
                                *(int64_t *)((char *)&c->r->memory + totals[i].offset) = v;
                        c->sec = SEC_MEMINFO;
                        return 1;
                }
        return 0;
}

static int p_swap(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        int64_t *dst = NULL, v;

        scan_ws(&s);
        if (scan_lit(&s, "Swap cache stats:") || scan_lit(&s, "Swap cache:"))
                return 1;
        if (scan_lit(&s, "Free swap"))
                dst = &c->r->memory.free_swap_kb;
        else if (scan_lit(&s, "Total swap"))
                dst = &c->r->memory.total_swap_kb;
        else
                return p_totals(c, t, len);
        scan_ws(&s);
        if (!scan_lit(&s, "=") && !scan_lit(&s, ":"))
                return 0;
        scan_ws(&s);
        if (scan_i64(&s, &v) && scan_lit(&s, "kB"))
                *dst = v;
        c->sec = SEC_MEMINFO;
        return 1;
}

static int p_slab_start(struct ctx *c, const char *t, size_t len) {
        trim(&t, &len);
        if (!has_prefix(t, len, "Unreclaimable slab info:"))
                return 0;
        c->sec = SEC_SLAB;
        return 1;
}

static int p_slab_row(struct ctx *c, const char *t, size_t len) {
        return meminfo_parse_slab_row(&c->r->memory, t, len);
}

/* ---------------------------------------------------------------------------------------
 * memcg block (§5.8) */

static int p_memcg_task_in(struct ctx *c, const char *t, size_t len) {
        struct oom_memcg *m = &c->r->memcg;
        const char *p, *q, *v;
        size_t vl;

        trim(&t, &len);
        if (has_prefix(t, len, "Task in ")) {
                p = t + strlen("Task in ");
                q = find_str(p, (size_t)(t + len - p), " killed as a result of limit of ");
                if (!q)
                        return 0;
                v = p;
                vl = (size_t)(q - p);
                trim(&v, &vl);
                copy_bounded(m->task_path, sizeof(m->task_path), v, vl);
                v = q + strlen(" killed as a result of limit of ");
        } else if (has_prefix(t, len, "Memory limit reached of cgroup "))
                v = t + strlen("Memory limit reached of cgroup ");
        else
                return 0;
        vl = (size_t)(t + len - v);
        trim(&v, &vl);
        copy_bounded(m->path, sizeof(m->path), v, vl);
        m->present = true;
        /* 4.18's cgroup2 dump (055) prints memory.stat lines right after this line. */
        c->sec = SEC_MEMCG_STATS;
        return 1;
}

/* "memory: usage 524288kB, limit 524288kB, failcnt 1240247" and memory+swap:/swap:/kmem: */
static int p_memcg_usage(struct ctx *c, const char *t, size_t len) {
        struct oom_memcg *m = &c->r->memcg;
        struct scan s = scan_make(t, len);
        int64_t *usage, *limit, *failcnt, v;

        scan_ws(&s);
        if (scan_lit(&s, "memory: usage ")) {
                usage = &m->usage_kb, limit = &m->limit_kb, failcnt = &m->failcnt;
        } else if (scan_lit(&s, "memory+swap: usage ")) {
                usage = &m->swap_usage_kb, limit = &m->swap_limit_kb, failcnt = &m->swap_failcnt;
                m->memsw = true;
        } else if (scan_lit(&s, "swap: usage ")) {
                usage = &m->swap_usage_kb, limit = &m->swap_limit_kb, failcnt = &m->swap_failcnt;
        } else if (scan_lit(&s, "kmem: usage ")) {
                usage = &m->kmem_usage_kb, limit = &m->kmem_limit_kb, failcnt = &m->kmem_failcnt;
        } else
                return 0;
        if (scan_i64(&s, &v) && scan_lit(&s, "kB"))
                *usage = v;
        if (scan_lit(&s, ", limit ") && scan_i64(&s, &v) && scan_lit(&s, "kB"))
                *limit = v;
        if (scan_lit(&s, ", failcnt ") && scan_i64(&s, &v))
                *failcnt = v;
        m->present = true;
        c->sec = SEC_MEMCG;
        return 1;
}

/* "Memory cgroup stats for /a: cache:0KB rss:980KB ..." (v1 pairs on the line, kB) or
 * "Memory cgroup stats for /a:" followed by memory.stat lines (5.3+, bytes). Only the first
 * such line is the OOMing memcg; v1 prints one more per child memcg. */
static int p_memcg_stats_start(struct ctx *c, const char *t, size_t len) {
        struct oom_memcg *m = &c->r->memcg;
        const char *p, *colon, *f;
        size_t fl;
        struct scan s;

        trim(&t, &len);
        if (!has_prefix(t, len, "Memory cgroup stats for "))
                return 0;
        p = t + strlen("Memory cgroup stats for ");
        colon = find_str(p, (size_t)(t + len - p), ": ");
        if (!colon)
                colon = t + len - 1 >= p && t[len - 1] == ':' ? t + len - 1 : t + len;
        m->present = true;
        if (c->stats_seen) {
                c->sec = SEC_MEMCG;
                return 1;
        }
        c->stats_seen = true;
        c->sec = SEC_MEMCG_STATS;
        if (m->path[0] == '\0')
                copy_bounded(m->path, sizeof(m->path), p, (size_t)(colon - p));
        if (colon >= t + len)
                return 1;
        s = scan_make(colon + 1, (size_t)(t + len - colon - 1));
        while (scan_token(&s, &f, &fl)) {
                const char *cc = memchr(f, ':', fl);
                int64_t v;
                int k;
                if (!cc || !parse_value_unit(cc + 1, (size_t)(f + fl - cc - 1), &v, NULL))
                        continue;
                k = kv_append(&m->stats, &m->n_stats, f, (size_t)(cc - f), v);
                if (k == -ENOMEM)
                        return k;
        }
        return 1;
}

/* memory.stat text: "anon 98742272". 4.18's patched dump also has "memory 335 (max 335)". */
static int p_memcg_stat(struct ctx *c, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        const char *k;
        size_t kl;
        int64_t v;
        int r;

        scan_ws(&s);
        k = s.p;
        while (s.p < s.end && is_key_char(*s.p))
                s.p++;
        kl = (size_t)(s.p - k);
        if (kl == 0 || !is_alpha(k[0]) || !scan_lit(&s, " "))
                return 0;
        scan_ws(&s);
        if (!scan_i64(&s, &v))
                return 0;
        scan_ws(&s);
        if (!scan_eof(&s) && !(s.p[0] == '(' && s.end[-1] == ')'))
                return 0;
        r = kv_append(&c->r->memcg.stats, &c->r->memcg.n_stats, k, kl, v);
        if (r == -ENOMEM)
                return r;
        c->r->memcg.stats_bytes = true;
        return 1;
}

/* ---------------------------------------------------------------------------------------
 * Task table */

static int p_task_header(struct ctx *c, const char *t, size_t len) {
        struct task_columns cols;
        const char *p = t;
        size_t l = len;

        trim(&p, &l);
        if (has_prefix(p, l, "Tasks state (memory values in pages)")) {
                c->sec = SEC_TASKS;
                return 1;
        }
        if (task_table_parse_header(t, len, &cols) <= 0)
                return 0;
        c->cols = cols;
        c->have_cols = true;
        copy_bounded(c->r->task_table_layout, sizeof(c->r->task_table_layout), cols.layout,
                     strlen(cols.layout));
        c->sec = SEC_TASKS;
        return 1;
}

static int p_task_row(struct ctx *c, const char *t, size_t len) {
        struct task_columns headerless;
        const struct task_columns *cols = &c->cols;
        struct oom_task task;
        int k;

        if (!c->have_cols) {
                task_table_default_columns(&headerless);
                cols = &headerless;
        }
        if (task_table_parse_row(cols, t, len, &task) <= 0)
                return 0;
        if (!c->have_cols) {
                c->cols = headerless;
                c->have_cols = true;
                copy_bounded(c->r->task_table_layout, sizeof(c->r->task_table_layout),
                             headerless.layout, strlen(headerless.layout));
        }
        k = array_grow((void **) &c->r->tasks, c->r->n_tasks, sizeof(task), TASKS_MAX);
        if (k == -ENOMEM)
                return k;
        if (k == 0)
                c->r->tasks[c->r->n_tasks++] = task;
        c->sec = SEC_TASKS;
        return 1;
}

/* ---------------------------------------------------------------------------------------
 * Summary and kill lines (§5.6, §5.7) */

static const struct {
        const char *printed;
        const char *type;
} constraints[] = {
        { "CONSTRAINT_NONE", "none" },
        { "CONSTRAINT_CPUSET", "cpuset" },
        { "CONSTRAINT_MEMORY_POLICY", "mempolicy" },
        { "CONSTRAINT_MEMCG", "memcg" },
};

static int p_summary(struct ctx *c, const char *t, size_t len) {
        struct oom_constraint *o = &c->r->constraint;
        struct oom_victim *vic = &c->r->victim;
        struct scan s;
        const char *m = find_str(t, len, "oom-kill:"), *k, *v;
        size_t kl, vl;

        if (!m)
                return 0;
        s = scan_make(m + strlen("oom-kill:"), (size_t)(t + len - m - strlen("oom-kill:")));
        while (next_param(&s, &k, &kl, &v, &vl)) {
                int64_t n;
                if (key_is(k, kl, "constraint")) {
                        for (size_t i = 0; i < ELEMENTSOF(constraints); i++)
                                if (key_is(v, vl, constraints[i].printed))
                                        snprintf(o->type, sizeof(o->type), "%s", constraints[i].type);
                } else if (key_is(k, kl, "nodemask"))
                        copy_bounded(o->nodemask, sizeof(o->nodemask), v, vl);
                else if (key_is(k, kl, "cpuset"))
                        copy_bounded(o->cpuset, sizeof(o->cpuset), v, vl);
                else if (key_is(k, kl, "mems_allowed"))
                        copy_bounded(o->mems_allowed, sizeof(o->mems_allowed), v, vl);
                else if (key_is(k, kl, "oom_memcg"))
                        copy_bounded(o->memcg, sizeof(o->memcg), v, vl);
                else if (key_is(k, kl, "task_memcg"))
                        copy_bounded(o->task_memcg, sizeof(o->task_memcg), v, vl);
                else if (key_is(k, kl, "global_oom"))
                        o->global_oom = true;
                else if (key_is(k, kl, "task")) {
                        if (!c->killed_seen)
                                copy_bounded(vic->comm, sizeof(vic->comm), v, vl);
                        c->r->has_victim = true;
                } else if (key_is(k, kl, "pid")) {
                        if (value_i64(v, vl, &n) && n >= 0 && !c->killed_seen)
                                vic->pid = n;
                } else if (key_is(k, kl, "uid")) {
                        if (value_i64(v, vl, &n) && n >= 0)
                                vic->uid = n;
                }
        }
        c->sec = SEC_TAIL;
        return 1;
}

static void note_memcg_prefix(struct ctx *c, const char *t, const char *upto) {
        if (find_str(t, (size_t)(upto - t), "Memory cgroup out of memory"))
                c->memcg_msg = true;
}

/* "(comm)" or "comm" (pasted text can lose the parentheses) ending at the first of the
 * terminators (or the end of the line); returns where the name ends. */
static const char *scan_comm(const char *p, const char *end, const char *const *terms, size_t nterms,
                             const char **ret_comm, size_t *ret_len) {
        const char *stop = end, *name = p;
        size_t nl;

        for (size_t i = 0; i < nterms; i++) {
                const char *x = find_str(p, (size_t)(end - p), terms[i]);
                if (x && x < stop)
                        stop = x;
        }
        nl = (size_t)(stop - p);
        trim(&name, &nl);
        if (nl >= 2 && name[0] == '(' && name[nl - 1] == ')') {
                name++;
                nl -= 2;
        } else if (nl >= 1 && name[0] == '(') {
                const char *close = memchr(name, ')', nl);
                nl = close ? (size_t)(close - name - 1) : nl - 1;
                name++;
        }
        *ret_comm = name;
        *ret_len = nl;
        return stop;
}

/* "N (comm)" / "N comm" */
static const char *scan_pid_comm(const char *p, const char *end, const char *const *terms, size_t nterms,
                                 int64_t *ret_pid, const char **ret_comm, size_t *ret_len) {
        struct scan s = scan_make(p, (size_t)(end - p));
        int64_t pid;

        scan_ws(&s);
        if (!scan_i64(&s, &pid) || pid < 0)
                return NULL;
        if (s.p < s.end && *s.p != ' ' && *s.p != '(')
                return NULL;
        *ret_pid = pid;
        return scan_comm(s.p, end, terms, nterms, ret_comm, ret_len);
}

/* "<msg>: Kill process 5575 (thread_x) score 481 or sacrifice child" (3.0-5.0),
 * "<msg>: kill process 450 (plymouthd) score 38 or a child" (2.6.32),
 * "Kill process N (comm) sharing same memory" (<=3.14, a co-victim). */
static int p_kill_process(struct ctx *c, const char *t, size_t len) {
        static const char *const terms[] = { " score ", " sharing same memory" };
        struct oom_victim *v = &c->r->victim;
        const char *m = find_str(t, len, "Kill process "), *comm, *end;
        size_t cl;
        int64_t pid, score;
        struct scan s;

        if (!m)
                m = find_str(t, len, "kill process ");
        if (!m)
                return 0;
        end = scan_pid_comm(m + strlen("Kill process "), t + len, terms, ELEMENTSOF(terms), &pid,
                            &comm, &cl);
        if (!end)
                return 0;
        note_memcg_prefix(c, t, m);
        c->sec = SEC_TAIL;
        if (has_prefix(end, (size_t)(t + len - end), " sharing same memory"))
                return 1;
        v->selected_pid = pid;
        copy_bounded(v->selected_comm, sizeof(v->selected_comm), comm, cl);
        s = scan_make(end, (size_t)(t + len - end));
        if (scan_lit(&s, " score ") && scan_i64(&s, &score))
                v->score = score;
        c->r->has_victim = true;
        return 1;
}

/* The "key:valuekB" fields of the kill and oom_reaper lines ("total-vm:106212kB,
 * anon-rss:18036kB, ... UID:0 pgtables:112kB oom_score_adj:0"), mapped by a table. */
struct kill_field {
        const char *key;
        int64_t *dst;
};

static void parse_kill_fields(struct scan s, const struct kill_field *fields, size_t n_fields) {
        const char *f;
        size_t fl;

        while (scan_token(&s, &f, &fl)) {
                const char *colon;
                int64_t v;
                if (fl > 0 && f[fl - 1] == ',')
                        fl--;
                colon = memchr(f, ':', fl);
                if (!colon || !parse_value_unit(colon + 1, (size_t)(f + fl - colon - 1), &v, NULL))
                        continue;
                for (size_t i = 0; i < n_fields; i++)
                        if (key_is(f, (size_t)(colon - f), fields[i].key)) {
                                *fields[i].dst = v;
                                break;
                        }
        }
}

/* "[<msg>: ]Killed process 5575 (thread_x) total-vm:106212kB, anon-rss:18036kB,
 * file-rss:2704kB[, shmem-rss:0kB][, UID:0 pgtables:1156kB oom_score_adj:999]",
 * RHEL 6 "Killed process 16944, UID 0, (mingetty) total-vm:...", 2.6.32 "Killed process 450 (x)". */
static int p_killed(struct ctx *c, const char *t, size_t len) {
        static const char *const terms[] = { " total-vm:", ", total-vm:" };
        struct oom_victim *v = &c->r->victim;
        const char *m = find_str(t, len, "Killed process "), *p, *comm, *end;
        size_t cl;
        int64_t pid;
        struct scan s;

        if (!m)
                return 0;
        note_memcg_prefix(c, t, m);
        p = m + strlen("Killed process ");
        s = scan_make(p, (size_t)(t + len - p));
        if (!scan_i64(&s, &pid) || pid < 0)
                return 0;
        if (scan_lit(&s, ", UID ")) { /* RHEL 6 */
                int64_t uid;
                if (scan_i64(&s, &uid) && uid >= 0)
                        v->uid = uid;
                if (!scan_lit(&s, ","))
                        return 0;
        }
        end = scan_comm(s.p, t + len, terms, ELEMENTSOF(terms), &comm, &cl);
        v->pid = pid;
        copy_bounded(v->comm, sizeof(v->comm), comm, cl);
        c->r->has_victim = true;
        c->killed_seen = true;
        c->sec = SEC_TAIL;

        const struct kill_field fields[] = {
                { "total-vm", &v->total_vm_kb },   { "anon-rss", &v->anon_rss_kb },
                { "file-rss", &v->file_rss_kb },   { "shmem-rss", &v->shmem_rss_kb },
                { "UID", &v->uid },                { "pgtables", &v->pgtables_kb },
                { "oom_score_adj", &v->oom_score_adj },
        };
        parse_kill_fields(scan_make(end, (size_t)(t + len - end)), fields, ELEMENTSOF(fields));
        return 1;
}

/* "<msg>: OOM victim 1234 (comm) is already exiting. Skip killing the task" (5.10+) */
static int p_victim_exiting(struct ctx *c, const char *t, size_t len) {
        static const char *const terms[] = { " is already exiting" };
        const char *m = find_str(t, len, "OOM victim "), *comm;
        size_t cl;
        int64_t pid;

        if (!m || !find_str(t, len, " is already exiting"))
                return 0;
        if (!scan_pid_comm(m + strlen("OOM victim "), t + len, terms, 1, &pid, &comm, &cl))
                return 0;
        note_memcg_prefix(c, t, m);
        if (!c->killed_seen) {
                c->r->victim.pid = pid;
                copy_bounded(c->r->victim.comm, sizeof(c->r->victim.comm), comm, cl);
        }
        c->r->victim.already_exiting = true;
        c->r->has_victim = true;
        c->sec = SEC_TAIL;
        return 1;
}

/* "oom_reaper: reaped process N (comm), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" /
 * "oom_reaper: unable to reap pid:N (comm)" (4.6+) */
static int p_reaper(struct ctx *c, const char *t, size_t len) {
        struct oom_victim *v = &c->r->victim;
        const char *m = find_str(t, len, "oom_reaper: ");
        struct scan s;

        if (!m)
                return 0;
        s = scan_make(m + strlen("oom_reaper: "), (size_t)(t + len - m - strlen("oom_reaper: ")));
        if (scan_lit(&s, "unable to reap")) {
                v->reap_failed = true;
                return 1;
        }
        if (!scan_lit(&s, "reaped process "))
                return 0;
        v->reaped = true;
        const struct kill_field fields[] = {
                { "anon-rss", &v->reaped_anon_rss_kb },
                { "file-rss", &v->reaped_file_rss_kb },
                { "shmem-rss", &v->reaped_shmem_rss_kb },
        };
        parse_kill_fields(s, fields, ELEMENTSOF(fields));
        return 1;
}

static int p_no_killable(struct ctx *c, const char *t, size_t len) {
        if (!find_str(t, len, "Out of memory and no killable processes"))
                return 0;
        c->r->panic = true;
        return 1;
}

static int p_panic(struct ctx *c, const char *t, size_t len) {
        if (!find_str(t, len, "panic_on_oom is enabled") &&
            !find_str(t, len, "Kernel panic - not syncing: Out of memory"))
                return 0;
        c->r->panic = true;
        return 1;
}

static int p_oom_group(struct ctx *c, const char *t, size_t len) {
        return find_str(t, len, "are going to be killed due to memory.oom.group set") ? 1 : 0;
}

static int p_ratelimit(struct ctx *c, const char *t, size_t len) {
        return find_str(t, len, " callbacks suppressed") ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------
 * Dispatch */

static int run_kind(struct ctx *c, enum line_kind k, const char *t, size_t len, bool trusted) {
        switch (k) {
        case LINE_OOM_HEADER: return p_oom_header(c, t, len);
        case LINE_ALLOC_FAIL_HEADER: return p_alloc_header(c, t, len);
        case LINE_ALLOC_STALL: return p_alloc_stall(c, t, len);
        case LINE_CPUSET: return p_cpuset(c, t, len);
        case LINE_NO_COMPACTION: return p_no_compaction(c, t, len);
        case LINE_CPU: return p_cpu(c, t, len);
        case LINE_HARDWARE: return p_hardware(c, t, len);
        case LINE_TRACE_START: return p_trace_start(c, t, len);
        case LINE_TRACE_FRAME: {
                int r;
                if (!trusted && c->sec != SEC_TRACE && c->sec != SEC_HEAD)
                        return 0;
                r = p_trace_frame(c, t, len);
                if (r == 0 && (trusted || c->sec == SEC_TRACE) && is_trace_noise(t, len))
                        r = 1;
                return r;
        }
        case LINE_MEMINFO_START: return p_meminfo_start(c, t, len);
        case LINE_PERCPU_HEADER:
        case LINE_PERCPU_ROW: return p_percpu(c, t, len);
        case LINE_MEMINFO_COUNTERS: return p_counters(c, t, len);
        case LINE_NODE: return p_node(c, t, len);
        case LINE_ZONE: return p_zone(c, t, len);
        case LINE_LOWMEM_RESERVE: return p_lowmem(c, t, len);
        case LINE_BUDDY: return p_buddy(c, t, len);
        case LINE_HUGEPAGES: return p_hugepages(c, t, len);
        case LINE_PAGECACHE:
        case LINE_TOTALS: return p_totals(c, t, len);
        case LINE_SWAP: return p_swap(c, t, len);
        case LINE_UNRECLAIMABLE_SLAB_START: return p_slab_start(c, t, len);
        case LINE_UNRECLAIMABLE_SLAB_ROW:
                /* "name 12KB 34KB" and "anon 123" only mean something inside their block, which
                 * a line classifier cannot see (it calls /proc/zoneinfo's "high 0" a stat). */
                if (c->sec != SEC_SLAB)
                        return 0;
                return p_slab_row(c, t, len);
        case LINE_MEMCG_TASK_IN: return p_memcg_task_in(c, t, len);
        case LINE_MEMCG_USAGE: return p_memcg_usage(c, t, len);
        case LINE_MEMCG_STATS_START: return p_memcg_stats_start(c, t, len);
        case LINE_MEMCG_STAT:
                if (c->sec != SEC_MEMCG_STATS)
                        return 0;
                return p_memcg_stat(c, t, len);
        case LINE_TASK_HEADER: return p_task_header(c, t, len);
        case LINE_TASK_ROW: return p_task_row(c, t, len);
        case LINE_OOM_SUMMARY: return p_summary(c, t, len);
        case LINE_KILL_PROCESS: return p_kill_process(c, t, len);
        case LINE_KILLED_PROCESS: return p_killed(c, t, len);
        case LINE_OOM_VICTIM_EXITING: return p_victim_exiting(c, t, len);
        case LINE_OOM_GROUP: return p_oom_group(c, t, len);
        case LINE_OOM_REAPER: return p_reaper(c, t, len);
        case LINE_NO_KILLABLE: return p_no_killable(c, t, len);
        case LINE_PANIC_ON_OOM: return p_panic(c, t, len);
        case LINE_RATELIMIT: return p_ratelimit(c, t, len);
        case LINE_UNKNOWN:
        case _LINE_KIND_MAX:
                break;
        }
        return 0;
}

/* Fallback order: distinctive anchored shapes first, loose ones ("key:N" counters, cpuset
 * line, frames) last, so a damaged line is not swallowed by a looser parser. */
static const enum line_kind fallback_order[] = {
        LINE_OOM_HEADER, LINE_ALLOC_FAIL_HEADER, LINE_ALLOC_STALL, LINE_CPU, LINE_HARDWARE,
        LINE_OOM_SUMMARY, LINE_KILLED_PROCESS, LINE_KILL_PROCESS, LINE_OOM_VICTIM_EXITING,
        LINE_OOM_REAPER, LINE_NO_KILLABLE, LINE_PANIC_ON_OOM, LINE_OOM_GROUP, LINE_RATELIMIT,
        LINE_NO_COMPACTION, LINE_MEMCG_TASK_IN, LINE_MEMCG_USAGE, LINE_MEMCG_STATS_START,
        LINE_MEMINFO_START, LINE_UNRECLAIMABLE_SLAB_START, LINE_TASK_HEADER, LINE_TASK_ROW,
        LINE_PERCPU_ROW, LINE_ZONE, LINE_LOWMEM_RESERVE, LINE_BUDDY, LINE_HUGEPAGES, LINE_NODE,
        LINE_SWAP, LINE_TOTALS, LINE_UNRECLAIMABLE_SLAB_ROW, LINE_MEMCG_STAT,
        LINE_MEMINFO_COUNTERS, LINE_CPUSET, LINE_TRACE_START, LINE_TRACE_FRAME,
};

/* A printk caller id the input layer did not strip: "[T14021] ", "[    C0] " (5.1+
 * CONFIG_PRINTK_CALLER) or Android's "[3:  Binder:9343_3:22875] ". Task rows ("[ 1366] ")
 * never match: they have neither the T/C letter nor a colon. */
static size_t caller_prefix_len(const char *t, size_t len) {
        const char *close;
        size_t lead = 0, i;

        while (lead < len && t[lead] == ' ')
                lead++;
        t += lead;
        len -= lead;
        i = 1;
        if (len < 4 || t[0] != '[')
                return 0;
        close = memchr(t, ']', MIN(len, (size_t) 64));
        if (!close || (size_t)(close - t) + 1 >= len)
                return 0;
        while (t + i < close && t[i] == ' ')
                i++;
        if (t + i < close && (t[i] == 'T' || t[i] == 'C')) {
                for (i++; t + i < close; i++)
                        if (t[i] < '0' || t[i] > '9')
                                return 0;
        } else if (t + i < close && t[i] >= '0' && t[i] <= '9') {
                while (t + i < close && t[i] >= '0' && t[i] <= '9')
                        i++;
                if (t[i] != ':' || close[-1] < '0' || close[-1] > '9')
                        return 0;
        } else
                return 0;
        i = (size_t)(close - t) + 1;
        if (i < len && t[i] == ' ')
                i++;
        return lead + i;
}

/* An author's elision marker in pasted text ("...", "…", "[...]", "<...snip...>", "etc. etc.",
 * "(...snipped...)"): not kernel output, and not something we failed to understand. */
static bool is_elision(const char *t, size_t len) {
        static const char *const markers[] = {
                "...", "\xe2\x80\xa6", "[...]", "[\xe2\x80\xa6]", "<...snip...>", "<snip>", "[snip]",
                "(...)", "(...snipped...)", "(snipped)", "etc. etc.", "etc.", "[... snip ...]",
        };
        while (len > 0 && (*t == ' ' || *t == '\t')) {
                t++;
                len--;
        }
        for (size_t i = 0; i < ELEMENTSOF(markers); i++)
                if (len == strlen(markers[i]) && memcmp(t, markers[i], len) == 0)
                        return true;
        return false;
}

/* known: the kind report_line_classify() gives the whole text, or -1. It is this line's kind
 * unless a caller id is cut off first: the trailing blanks trimmed here are ones the
 * classifier ignores too. */
static int parse_line(struct ctx *c, const char *t, size_t len, int known) {
        enum line_kind k;
        size_t skip;
        int r;

        /* trailing CR (serial consoles) and blanks never carry meaning */
        while (len > 0 && (t[len - 1] == '\r' || t[len - 1] == ' ' || t[len - 1] == '\t'))
                len--;
        if (is_blank(t, len) || is_elision(t, len))
                return 1;
        skip = caller_prefix_len(t, len);
        t += skip;
        len -= skip;
        k = skip == 0 && known >= 0 && known < _LINE_KIND_MAX ? (enum line_kind) known : report_line_classify(t, len);
        if (k != LINE_UNKNOWN) {
                r = run_kind(c, k, t, len, true);
                if (r != 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(fallback_order); i++) {
                if (fallback_order[i] == k)
                        continue;
                r = run_kind(c, fallback_order[i], t, len, false);
                if (r != 0)
                        return r;
        }
        return 0;
}

static int add_unparsed(struct oom_report *r, size_t idx) {
        int k;

        r->unparsed_lines++;
        k = array_grow((void **) &r->unparsed_idx, r->n_unparsed_idx, sizeof(size_t), SIZE_MAX / sizeof(size_t));
        if (k < 0)
                return k;
        r->unparsed_idx[r->n_unparsed_idx++] = idx;
        return 0;
}

static enum report_kind decide_kind(const struct ctx *c) {
        const struct oom_report *r = c->r;

        if (r->raw_type == RAW_REPORT_ALLOC_FAILURE)
                return REPORT_KIND_ALLOC_FAILURE;
        if (strcmp(r->constraint.type, "memcg") == 0 || r->memcg.present || c->memcg_msg)
                return REPORT_KIND_MEMCG;
        if (strcmp(r->constraint.type, "cpuset") == 0)
                return REPORT_KIND_CPUSET;
        if (strcmp(r->constraint.type, "mempolicy") == 0)
                return REPORT_KIND_MEMPOLICY;
        if (r->trigger.order == -1)
                return REPORT_KIND_MANUAL;
        return REPORT_KIND_GLOBAL;
}

static int copy_lines(const struct raw_report *raw, struct oom_report *r) {
        if (raw->n_lines == 0)
                return 0;
        r->lines = calloc(raw->n_lines, sizeof(struct log_line));
        if (!r->lines)
                return -ENOMEM;
        for (size_t i = 0; i < raw->n_lines; i++) {
                const struct log_line *l = &raw->lines[i];
                struct log_line src = *l;
                int k;

                if (!src.text) {
                        src.text = (char *) "";
                        src.len = 0;
                        src.raw = NULL;
                }
                k = log_line_copy(&src, &r->lines[i]);
                if (k < 0)
                        return k;
                r->n_lines++;
        }
        return 0;
}

int report_parse(const struct raw_report *raw, struct oom_report **ret) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        struct ctx c = { .last_zone = SIZE_MAX };
        const struct log_line *header = NULL;
        int k;

        if (!raw || !ret || (raw->n_lines > 0 && !raw->lines))
                return -EINVAL;
        k = oom_report_new(&r);
        if (k < 0)
                return k;
        c.r = r;
        r->raw_type = raw->type;
        r->complete = raw->complete;
        r->spans_gap = raw->spans_gap;

        k = copy_lines(raw, r);
        if (k < 0)
                return k;

        for (size_t i = 0; i < raw->n_lines; i++) {
                const struct log_line *l = &raw->lines[i];
                bool was_header = c.header_seen;

                if (!l->text)
                        continue;
                c.line = l;
                k = parse_line(&c, l->text, l->len, raw->kinds ? raw->kinds[i] : -1);
                if (k < 0)
                        return k;
                if (k == 0) {
                        k = add_unparsed(r, i);
                        if (k < 0)
                                return k;
                }
                if (!was_header && c.header_seen)
                        header = l;
        }

        meminfo_hugepages_finish(&c.huge, &r->memory);

        /* <=5.0 with no "Killed process" line (cut): the selected task is the best we have. */
        if (!c.killed_seen && num_set(r->victim.selected_pid) && !num_set(r->victim.pid)) {
                r->victim.pid = r->victim.selected_pid;
                memcpy(r->victim.comm, r->victim.selected_comm, sizeof(r->victim.comm));
        }
        if (!r->memcg.path[0] && r->constraint.memcg[0])
                copy_bounded(r->memcg.path, sizeof(r->memcg.path), r->constraint.memcg,
                             strlen(r->constraint.memcg));
        if (!r->memcg.task_path[0] && r->constraint.task_memcg[0] && strcmp(r->constraint.type, "memcg") == 0)
                copy_bounded(r->memcg.task_path, sizeof(r->memcg.task_path), r->constraint.task_memcg,
                             strlen(r->constraint.task_memcg));
        if (raw->type == RAW_REPORT_PANIC)
                r->panic = true;
        r->kind = decide_kind(&c);

        if (!header && raw->n_lines > 0)
                header = &raw->lines[0];
        r->ts_usec = header && num_set(header->ts_usec) ? header->ts_usec : raw->first_ts_usec;
        r->seq = header && num_set(header->seq) ? header->seq : raw->first_seq;
        r->wall_sec = header ? header->wall_sec : NUM_UNSET;

        *ret = TAKE_PTR(r);
        return 0;
}
