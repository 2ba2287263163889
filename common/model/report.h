/* SPDX-License-Identifier: MIT */
/* The data model shared by every stage: normalised log lines, assembled raw reports, and the
 * parsed + analysed report. Parsing fills the "as printed" parts, analysis fills the derived
 * parts (marked "analysis:"). Numbers the report did not print stay NUM_UNSET and become JSON
 * null. Units are in the field name (_kb, _pages, _bytes); raw kernel page counts are pages.
 *
 * Ownership: every pointer inside these structs is owned by the struct that contains it and is
 * freed by its *_free() function. Fields are only ever added, never renamed: the JSON schema
 * (docs/report-schema.md) and users' scripts depend on them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_version.h"
#include "macro.h"

#define NUM_UNSET INT64_MIN
static inline bool num_set(int64_t v) { return v != NUM_UNSET; }

#define OOM_COMM_MAX 64 /* TASK_COMM_LEN is 16; pasted text and 6.x "comm" may be longer */
#define OOM_NAME_MAX 48
#define OOM_PATH_MAX 512
#define OOM_MAX_ZONES 64 /* nodes x zone types; 4-node NUMA x 5 = 20 seen in the corpus */
#define OOM_MAX_ORDERS 16 /* MAX_ORDER is 11 on x86, up to 14 on arm64 64K pages */
#define OOM_MAX_ZONE_TYPES 8 /* lowmem_reserve[] columns: DMA DMA32 Normal HighMem Movable Device */
#define OOM_MAX_CAUSES 8
#define OOM_MAX_GFP_FLAGS 40
#define OOM_EXPLANATION_MAX 1024

/* ---------------------------------------------------------------------------------------
 * One logical kernel log line after input normalisation (prefix stripped, escapes undone,
 * continuation fragments joined, hard wraps re-joined). */
struct log_line {
        char *text;  /* owned, NUL-terminated, no trailing newline; may contain any byte but NUL */
        size_t len;
        char *raw;   /* owned: the input line(s) it came from, for "lines[]" (may equal text) */
        int64_t ts_usec; /* monotonic time since boot in microseconds, NUM_UNSET if not printed */
        int64_t seq;     /* /dev/kmsg sequence number, NUM_UNSET if not known */
        int level;       /* printk level 0..7, -1 if unknown */
        int facility;    /* syslog facility (0 = kern), -1 if the format does not say */
        char caller[16]; /* printk caller id "T1234"/"C1", "" if none */
        int64_t wall_sec; /* wall-clock seconds (syslog/journal/dmesg -T), NUM_UNSET if none */
        int64_t seq_end;  /* last kmsg seq joined into this line ('+' fragments); <= seq if none */
        bool no_prefix;  /* the input line carried no recognisable log prefix (bare text) */
        bool prose;      /* prefix-less text between prefixed log lines that does not look like
                          * kernel output (an author's commentary): not a kernel line, ignore it */
};

/* The last kmsg seq a line stands for: its own, or its last '+' fragment's (NUM_UNSET if none). */
static inline int64_t log_line_last_seq(const struct log_line *l) {
        return num_set(l->seq_end) && l->seq_end > l->seq ? l->seq_end : l->seq;
}

void log_line_done(struct log_line *l); /* frees members, not the struct */
int log_line_copy(const struct log_line *src, struct log_line *ret);

/* ---------------------------------------------------------------------------------------
 * What the assembler hands on: the lines of one report, in order. */
enum raw_report_type {
        RAW_REPORT_OOM,           /* "invoked oom-killer:" ... kill line */
        RAW_REPORT_ALLOC_FAILURE, /* "page allocation failure: order:N, mode:..." */
        RAW_REPORT_BARE_KILL,     /* kill line(s) whose header was rate-limited away or cut */
        RAW_REPORT_PANIC,         /* "Out of memory and no killable processes" / panic_on_oom */
};

struct raw_report {
        enum raw_report_type type;
        bool complete;   /* its end (kill line / end of Mem-Info for alloc failures) was seen */
        bool spans_gap;  /* a kmsg sequence gap (lost records) fell inside it */
        struct log_line *lines; /* owned array */
        size_t n_lines;
        /* owned, n_lines entries or NULL: the enum line_kind (report_line.h) the assembler gave
         * each line's text, so that the parser need not classify it again */
        unsigned char *kinds;
        int64_t first_seq, last_seq; /* NUM_UNSET if unknown */
        int64_t first_ts_usec, last_ts_usec;
};

void raw_report_free(struct raw_report *r);

/* ---------------------------------------------------------------------------------------
 * Parsed report. */
enum report_kind {
        REPORT_KIND_GLOBAL,
        REPORT_KIND_MEMCG,
        REPORT_KIND_CPUSET,
        REPORT_KIND_MEMPOLICY,
        REPORT_KIND_MANUAL,        /* sysrq-f: order=-1 */
        REPORT_KIND_ALLOC_FAILURE, /* warn_alloc, no kill */
};
const char *report_kind_to_string(enum report_kind k);

struct key_value { /* a printed "name:value" counter, as printed (unit in the name's doc) */
        char key[OOM_NAME_MAX];
        int64_t value;
};

struct oom_trigger {
        char comm[OOM_COMM_MAX]; /* the task that invoked the OOM killer / failed to allocate */
        int64_t pid;             /* from the CPU:/Pid: line or oom-kill: summary */
        char gfp_mask[24];       /* hex string as printed, e.g. "0x800d0"; "" if not printed */
        uint64_t gfp_mask_value;
        bool has_gfp_mask;
        char gfp_printed_names[256]; /* "GFP_KERNEL|__GFP_COMP" as printed by %pGg, "" if none */
        int64_t order;               /* -1 = sysrq */
        int64_t oom_score_adj;
        int64_t oom_adj;             /* 2.6.x */
        char nodemask[64];
        char cpuset[OOM_PATH_MAX];
        char mems_allowed[64];
        /* analysis: decoded with the version's table (gfp.h) */
        const char *gfp_flags[OOM_MAX_GFP_FLAGS]; /* static strings "__GFP_IO", ... */
        size_t n_gfp_flags;
        char gfp_composite[256];     /* "GFP_KERNEL|__GFP_RECLAIMABLE" (our decode) */
        char gfp_unknown_bits[24];   /* leftover bits no table names, "" if none */
        const char *gfp_layout;      /* name of the table row used, e.g. "3.8-3.14" */
        const char *migratetype;     /* "Unmovable" | "Movable" | "Reclaimable" | ... */
        const char *highest_zone;    /* "Normal", "HighMem", ... */
        int highest_zone_idx;        /* index into lowmem_reserve[] for this machine; -1 unknown */
        bool may_use_cma;
        bool can_wait;               /* direct reclaim allowed */
        const char *watermark_adjust; /* "none" | "high" (1/2) | "atomic" (3/8) | "harder" (3/4) */
        bool gfp_layout_ambiguous;   /* no kernel version and no matching names: layout assumed */
        bool gfp_names_mismatch;     /* printed %pGg names reproduced by no known layout */
};

struct oom_constraint {
        char type[24];  /* "none" | "cpuset" | "mempolicy" | "memcg", "" if not printed */
        char nodemask[64];
        char cpuset[OOM_PATH_MAX];
        char mems_allowed[64];
        char memcg[OOM_PATH_MAX];      /* oom_memcg= (memcg OOM) */
        char task_memcg[OOM_PATH_MAX];
        bool global_oom;
};

struct oom_victim {
        int64_t pid;
        char comm[OOM_COMM_MAX];
        int64_t uid;
        int64_t score;           /* "score N" of the Kill process line (<=5.0), else NUM_UNSET */
        int64_t total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb;
        int64_t oom_score_adj;
        int64_t selected_pid;    /* "Kill process N" (<=5.0) when it differs from the killed child */
        char selected_comm[OOM_COMM_MAX];
        bool already_exiting;
        bool reaped;             /* oom_reaper: reaped process */
        bool reap_failed;        /* oom_reaper: unable to reap */
        int64_t reaped_anon_rss_kb, reaped_file_rss_kb, reaped_shmem_rss_kb;
        /* analysis */
        bool in_task_table;
        int64_t rss_kb;          /* anon+file+shmem from the kill line, or the table's rss */
        int rank;                /* 1 = highest badness in the table, 0 = unknown */
        int64_t badness;         /* our recomputation (pages), NUM_UNSET if not possible */
};

struct oom_memcg {
        char path[OOM_PATH_MAX];
        char task_path[OOM_PATH_MAX];
        int64_t usage_kb, limit_kb, failcnt;
        int64_t swap_usage_kb, swap_limit_kb, swap_failcnt; /* v2 "swap:" or v1 "memory+swap:" */
        int64_t kmem_usage_kb, kmem_limit_kb, kmem_failcnt;
        bool memsw;              /* v1 memory+swap line */
        bool stats_bytes;        /* stats came as memory.stat text lines ("rss 33423360"): bytes,
                                    v1 on 5.x+ as well as v2; inline "rss:1024KB" pairs are kB */
        struct key_value *stats; /* memory.stat lines (v2: bytes; v1: kB as printed with unit) */
        size_t n_stats;
        bool present;
};

struct buddy_order {
        int64_t count;
        int64_t size_kb;
        char types[12]; /* migratetype letters printed, e.g. "UME"; "" when none printed */
};

struct zone_check {
        bool evaluated;
        bool eligible;             /* zone index <= highest_zone_idx (and node allowed) */
        const char *reason;        /* why not eligible / how computed, static string */
        int64_t usable_free_kb;    /* free - cma_excluded - highatomic_excluded */
        int64_t cma_excluded_kb;
        int64_t highatomic_excluded_kb;
        int64_t watermark_kb;      /* min after __GFP_HIGH / atomic adjustment */
        int64_t reserve_kb;        /* lowmem_reserve[highest_zone_idx] in kB */
        int64_t threshold_kb;      /* watermark + reserve */
        bool ok;                   /* the kernel's check passes at min */
        int64_t margin_kb;         /* usable_free - threshold (negative = failed) */
        bool low_ok, high_ok;      /* same check against low / high */
        /* order > 0 */
        bool order_checked;
        bool order_ok;
        int order_ok_at;           /* first order >= request with a usable block, -1 none */
        char order_detail[160];
        const char *variant;       /* watermark arithmetic replayed, e.g. "E (3.10-4.3)" */
        int64_t order_excluded_kb; /* the 2^order-1 (or +1) pages term, in kB */
        int64_t high_usable_kb;    /* OOM last-chance attempt: free - all free CMA - highatomic */
        int64_t high_threshold_kb; /* high + reserve */
};

struct oom_zone {
        int node;                  /* -1 when the report has no "Node N" prefix */
        char name[16];             /* "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" */
        int zone_idx;              /* index in this kernel's zone enum, -1 unknown */
        int64_t free_kb, boost_kb, min_kb, low_kb, high_kb;
        int64_t reserved_highatomic_kb, free_highatomic_kb;
        int64_t present_kb, managed_kb, free_cma_kb, free_pcp_kb;
        int all_unreclaimable;     /* -1 unknown */
        struct key_value *fields;  /* every "name:NkB" of the zone line, in kB (pages_scanned raw) */
        size_t n_fields;
        int64_t lowmem_reserve_pages[OOM_MAX_ZONE_TYPES];
        size_t n_lowmem_reserve;   /* 0 = line not seen */
        struct buddy_order buddy[OOM_MAX_ORDERS];
        size_t n_buddy;            /* 0 = buddy line not seen */
        int64_t buddy_total_kb;
        struct zone_check check;   /* analysis */
};

struct oom_task {
        int64_t pid, uid, tgid;
        int64_t total_vm_pages, rss_pages, rss_anon_pages, rss_file_pages, rss_shmem_pages;
        int64_t nr_ptes, nr_pmds, pgtables_bytes, swapents_pages;
        int64_t oom_score_adj; /* or oom_adj on 2.6.32 */
        char name[OOM_COMM_MAX];
        /* analysis */
        int64_t badness;  /* pages, our recomputation for the version; NUM_UNSET if unknown */
        int rank;         /* 1 = highest badness */
};

struct oom_memory {           /* global counters; pages unless _kb */
        struct key_value *meminfo; /* Mem-Info counters as printed (pages), e.g. active_anon */
        size_t n_meminfo;
        struct key_value *node_fields; /* summed "Node N ..." lines, kB */
        size_t n_node_fields;
        int64_t pages_ram, pages_highmem, pages_reserved, pages_cma_reserved;
        int64_t total_pagecache_pages, swap_cache_pages;
        int64_t free_swap_kb, total_swap_kb;
        int64_t hugepages_total, hugepages_free, hugepages_size_kb; /* summed over nodes */
        struct key_value *unreclaimable_slab; /* "Unreclaimable slab info:" rows, Used kB */
        size_t n_unreclaimable_slab;
        /* analysis: where the memory went, kB (NUM_UNSET when not derivable) */
        int64_t total_kb, free_kb, user_rss_kb, anon_kb, file_kb, shmem_kb;
        int64_t slab_reclaimable_kb, slab_unreclaimable_kb, kernel_stack_kb, pagetables_kb;
        int64_t cma_free_kb, reserved_kb, unaccounted_kb, hugepages_kb;
};

enum cause_code {
        CAUSE_CMA_UNUSABLE,
        CAUSE_LOWMEM_RESERVE,
        CAUSE_FRAGMENTATION,
        CAUSE_MEMCG_LIMIT,
        CAUSE_CPUSET_CONSTRAINT,
        CAUSE_MEMPOLICY_CONSTRAINT,
        CAUSE_LOWMEM_EXHAUSTED,
        CAUSE_KERNEL_MEMORY,
        CAUSE_USERSPACE_MEMORY,
        CAUSE_SHMEM,
        CAUSE_MANUAL,
        CAUSE_UNKNOWN,
        CAUSE_HIGHATOMIC_RESERVE, /* added after the list: free pages only in H blocks */
        _CAUSE_MAX,
};
const char *cause_code_to_string(enum cause_code c);

struct oom_cause {
        enum cause_code code;
        bool primary;
        char explanation[OOM_EXPLANATION_MAX];
};

/* analysis: the workload the victim belongs to, named from a memory cgroup path by
 * common/analysis/workload.c. "" / NULL = not named. */
#define OOM_UNIT_NAME_MAX 256 /* systemd's UNIT_NAME_MAX */
struct oom_workload {
        char unit[OOM_UNIT_NAME_MAX];       /* systemd unit: "nginx.service", "session-3.scope" */
        char slice[OOM_UNIT_NAME_MAX];      /* the slice the unit is in: "system.slice" */
        char user_unit[OOM_UNIT_NAME_MAX];  /* unit of a user manager (below user@UID.service) */
        char user_slice[OOM_UNIT_NAME_MAX];
        char container_id[72];              /* docker/containerd/CRI-O/podman id, lxc name */
        const char *runtime;                /* static: "docker", "containerd", "cri-o", ... */
        char pod_uid[72];                   /* Kubernetes pod UID, dashed */
        const char *qos;                    /* static: "guaranteed" | "burstable" | "besteffort" */
        const char *source;                 /* static: "task_memcg" | "oom_memcg"; NULL = no path */
        char cgroup[OOM_PATH_MAX];          /* the path the names come from */
};

struct oom_report {
        char id[80];               /* stable: derived from boot-relative time + victim + hash */
        enum report_kind kind;
        enum raw_report_type raw_type;
        bool complete;
        bool spans_gap;
        bool panic;                /* no killable process / panic_on_oom */
        bool has_header;           /* the "invoked oom-killer" / "page allocation failure" line was seen */
        int64_t ts_usec;           /* header timestamp */
        int64_t seq;               /* header kmsg seq, NUM_UNSET if unknown */
        int64_t wall_sec;

        struct kernel_version kernel; /* from the CPU:/Pid: line; known=false if absent */
        char hardware[256];
        int64_t page_kb;           /* inferred page size in kB, default 4 */

        struct oom_trigger trigger;
        struct oom_constraint constraint;
        struct oom_victim victim;
        bool has_victim;
        struct oom_memcg memcg;
        struct oom_memory memory;
        struct oom_zone zones[OOM_MAX_ZONES];
        size_t n_zones;
        struct oom_task *tasks;
        size_t n_tasks;
        char task_table_layout[32]; /* which column layout was recognised */
        char **call_trace;          /* function names (symbol+off), owned strings */
        size_t n_call_trace;

        /* analysis */
        char summary[512];
        struct oom_cause causes[OOM_MAX_CAUSES];
        size_t n_causes;
        int64_t tasks_oom_disabled; /* oom_score_adj -1000 */
        struct oom_workload workload;

        size_t unparsed_lines;
        size_t *unparsed_idx;       /* indexes into lines[] */
        size_t n_unparsed_idx;
        struct log_line *lines;     /* owned copy of the raw lines */
        size_t n_lines;
};

int oom_report_new(struct oom_report **ret); /* all numbers NUM_UNSET */
void oom_zone_init(struct oom_zone *z);
void oom_task_init(struct oom_task *t);
void oom_report_free(struct oom_report *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct oom_report *, oom_report_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct raw_report *, raw_report_free);
