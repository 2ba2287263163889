/* SPDX-License-Identifier: MIT */
/* Classify one normalised kernel log line by the part of an OOM / allocation-failure report it
 * can be. Shared by the assembler (where does a report start and end, does a line belong to
 * it) and the parser (which field parser to run). Recognisers cover every kernel era in
 * ../shared/reference/kernel-facts.md section 5; they are cheap (no allocation) because the
 * daemon runs them on every kernel record. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum line_kind {
        LINE_UNKNOWN,            /* not recognisably part of a report */
        LINE_OOM_HEADER,         /* "<comm> invoked oom-killer: gfp_mask=..., order=..." */
        LINE_ALLOC_FAIL_HEADER,  /* "<comm>: page allocation failure: order:N, mode:0x..." */
        LINE_ALLOC_STALL,        /* "page allocation stalls for Nms, order:N" (4.9-4.14) */
        LINE_CPUSET,             /* "<comm> cpuset=<cg> mems_allowed=<list>" (<=4.20), and
                                    the separate cpuset line after alloc failures (4.12-4.20) */
        LINE_NO_COMPACTION,      /* "COMPACTION is disabled!!!" */
        LINE_CPU,                /* "CPU: 1 PID: 1371 Comm: ... <release> #1", 2.6.32 "Pid: N, comm: ..." */
        LINE_HARDWARE,           /* "Hardware name: ..." */
        LINE_TRACE_START,        /* "Call Trace:", "Call trace:", "Backtrace:", "<TASK>", "</TASK>" */
        LINE_TRACE_FRAME,        /* " dump_stack+0x..", "[<c0012fcc>] (x) from ..", "r6:00000000 r5:..",
                                    registers, "? func", "[<...>] func+0x/0x" */
        LINE_MEMINFO_START,      /* "Mem-Info:" / "Mem-info:" */
        LINE_PERCPU_HEADER,      /* "Normal per-cpu:" / "Node 0 DMA per-cpu:" (<=3.x) */
        LINE_PERCPU_ROW,         /* "CPU    0: hi:  186, btch:  31 usd:  27" */
        LINE_MEMINFO_COUNTERS,   /* "active_anon:21860 inactive_anon:14790 isolated_anon:0" etc. */
        LINE_NODE,               /* "Node 0 active_anon:...kB ... all_unreclaimable? no" */
        LINE_ZONE,               /* "[Node 0 ]Normal free:233460kB min:... " */
        LINE_LOWMEM_RESERVE,     /* "lowmem_reserve[]: 0 10168 10168" */
        LINE_BUDDY,              /* "[Node 0 ]Normal: 1165*4kB (MRC) ... = 233460kB" */
        LINE_HUGEPAGES,          /* "Node 0 hugepages_total=0 hugepages_free=0 ..." */
        LINE_PAGECACHE,          /* "66770 total pagecache pages" */
        LINE_SWAP,               /* "N pages in swap cache", "Swap cache stats: ...", "Free swap  = ",
                                    "Total swap = " */
        LINE_TOTALS,             /* "N pages RAM", "N pages HighMem/MovableOnly", "N pages reserved",
                                    "N pages cma reserved", "N free pages", "N pages shared",
                                    "N pages hwpoisoned", "N pages in pagetable cache", ... */
        LINE_UNRECLAIMABLE_SLAB_START, /* "Unreclaimable slab info:" */
        LINE_UNRECLAIMABLE_SLAB_ROW,   /* "Name   Used  Total" header and "dentry  1234KB  5678KB" rows */
        LINE_MEMCG_TASK_IN,      /* "Task in /a killed as a result of limit of /a" (<=4.20),
                                    "Memory limit reached of cgroup /a" */
        LINE_MEMCG_USAGE,        /* "memory: usage 1024kB, limit 1024kB, failcnt 12",
                                    "memory+swap: usage ...", "swap: usage ...", "kmem: usage ..." */
        LINE_MEMCG_STATS_START,  /* "Memory cgroup stats for /a:" (+ v1 " cache:0KB rss:..." on the
                                    same line) */
        LINE_MEMCG_STAT,         /* memory.stat lines after it: "anon 12345", "file 0", ... */
        LINE_TASK_HEADER,        /* "Tasks state (memory values in pages):", "[ pid ]   uid  tgid ..." */
        LINE_TASK_ROW,           /* "[ 1366]     0  1366      459      125 ..." */
        LINE_OOM_SUMMARY,        /* "oom-kill:constraint=CONSTRAINT_NONE,nodemask=..." (5.0+) */
        LINE_KILL_PROCESS,       /* "Out of memory: Kill process N (comm) score S or sacrifice child",
                                    2.6.x "...: kill process N (comm) score S or a child",
                                    "Kill process N (comm) sharing same memory" */
        LINE_KILLED_PROCESS,     /* "[<msg>: ]Killed process N (comm) total-vm:..." (all forms, with or
                                    without parentheses, which pasted text can lose) */
        LINE_OOM_VICTIM_EXITING, /* "<msg>: OOM victim N (comm) is already exiting. Skip killing" */
        LINE_OOM_GROUP,          /* "Tasks in /a are going to be killed due to memory.oom.group set" */
        LINE_OOM_REAPER,         /* "oom_reaper: reaped process ..." / "oom_reaper: unable to reap pid:N" */
        LINE_NO_KILLABLE,        /* "Out of memory and no killable processes..." */
        LINE_PANIC_ON_OOM,       /* "Out of memory: compulsory panic_on_oom is enabled", "Kernel panic -
                                    not syncing: Out of memory..." */
        LINE_RATELIMIT,          /* "warn_alloc: 3 callbacks suppressed", "oom_kill_process: N callbacks suppressed" */
        _LINE_KIND_MAX,
};

const char *line_kind_to_string(enum line_kind k);

/* text need not be NUL-terminated; len bytes are examined. */
enum line_kind report_line_classify(const char *text, size_t len);

/* The classifier is a table of line shapes, tried in order, the first match deciding
 * (report_line.c). For the table's self-test: row's kind, kernels and example line (false past
 * the last row), and the row that classifies a line (-1 if none: LINE_UNKNOWN). */
struct line_shape_info {
        enum line_kind kind;
        const char *kernels; /* the kernels that print the shape, or what mangles pasted text into it */
        const char *example;
};
bool report_line_shape_info(size_t row, struct line_shape_info *ret);
int report_line_classify_row(const char *text, size_t len);

/* Conservative, cheap pre-test for the assembler while no report is in progress: false only
 * if report_line_classify() cannot return a kind that starts a report there (a header, the
 * kill group, an oom_reaper line, the kinds that open a headless report), nor LINE_RATELIMIT,
 * and the text holds no "SysRq" (the assembler's SysRq-m marker). It may say true for lines
 * that turn out not to matter; it must never say false for one that does
 * (tests/unit/test_prefilter.c checks the implication on the whole corpus). About 10x
 * cheaper than the classifier on ordinary kernel chatter. */
bool report_line_may_open(const char *text, size_t len);

/* The same test split for a caller that scans whole buffers for the keys itself
 * (log_reader_skip(), line_scan()): 4-byte keys and key bytes searched anywhere in the text.
 * For a text holding none of them, report_line_may_open(t) == report_line_may_open_head(t);
 * a text holding one of the first REPORT_LINE_N_OPEN_KEYS may open a report whatever else it
 * holds. report_line_may_open_head() of a text holding a key means nothing. */
#define REPORT_LINE_N_ANYWHERE_KEYS 6
#define REPORT_LINE_N_OPEN_KEYS 3
#define REPORT_LINE_N_ANYWHERE_BYTES 1
extern const char report_line_anywhere_keys[REPORT_LINE_N_ANYWHERE_KEYS][4];
extern const char report_line_anywhere_bytes[REPORT_LINE_N_ANYWHERE_BYTES];
bool report_line_may_open_head(const char *text, size_t len);

/* The first step of report_line_may_open_head() as a table, for a caller that asks it for
 * millions of lines: report_line_starts_may_open() false implies report_line_may_open_head()
 * false. It looks at three bytes: the first two (a table bit per pair, set for the prefixes
 * the head test knows, and for any pair after a blank, '[' or a digit) and the last (':' or a
 * blank: a zone name alone). The table is the caller's (report_line_starts_init()). */
struct report_line_starts {
        uint64_t pairs[65536 / 64];
};
void report_line_starts_init(struct report_line_starts *st);
static inline bool report_line_starts_may_open(const struct report_line_starts *st, const char *text, size_t len) {
        unsigned pair;
        char z;

        if (len < 2)
                return len > 0;
        z = text[len - 1];
        if (z == ':' || z == ' ' || (z >= '\t' && z <= '\r'))
                return true;
        pair = (unsigned) (unsigned char) text[0] << 8 | (unsigned char) text[1];
        return (st->pairs[pair / 64] >> (pair % 64)) & 1;
}

/* Lines that can appear inside a report body (everything but UNKNOWN and the starts/ends). */
bool line_kind_is_body(enum line_kind k);
