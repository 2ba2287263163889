/* SPDX-License-Identifier: MIT */
/* Report assembler: groups normalised kernel lines into one raw_report per OOM kill,
 * allocation-failure warning, OOM panic or headerless ("bare") kill.
 *
 * Model. A report is held in a slot while it is being printed. Lines are routed to a slot by
 * printk caller id when the input has one (5.1+ CONFIG_PRINTK_CALLER: the whole OOM dump is
 * printed by the allocating task, so "T1234" identifies it even when other CPUs interleave),
 * otherwise all lines share one slot. A slot goes through
 *     BODY   header seen (or a headless fragment started), collecting the dump
 *     ENDED  its end was seen: kill line / victim-exiting / panic line, or for an allocation
 *            failure the Mem-Info totals; waiting for trailing lines of the same event (the
 *            "Killed process" after a <=5.0 "Kill process", memory.oom.group kills, the
 *            oom_reaper line, further totals)
 * and is emitted when something else starts, when time runs out (timestamps in the lines
 * offline, report_assembler_tick() in the daemon) or at flush.
 *
 * Which lines are kept. Lines the classifier recognises as report lines are kept. Lines it
 * does not recognise are kept too (the parser counts them as unparsed) unless they are
 * recognisably foreign: another printk caller, a non-kernel facility, prose marked by the
 * input layer, or another subsystem's "prefix: message" line. Unrecognised lines after the
 * last recognised line of a report are trimmed when it is emitted: nothing shows they
 * belong to it. */
#include "report_assembler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_line.h"

/* Two consecutive lines of one report more than this far apart (kmsg / dmesg timestamps)
 * belong to different events. A report is printed by one task in one go; the slowest case is
 * a serial console on <=4.x, where each printk() flushes the console synchronously from the
 * printing task (~10 ms per 100-byte line at 115200 baud) and other CPUs' messages can hold
 * console_lock for longer. Large task tables (thousands of rows) take 100 ms+ in total but
 * their rows are milliseconds apart. 5 s leaves a wide margin over that and is still far
 * below the interval between independent OOM events, which are rate-limited by reclaim. */
#define MAX_LINE_GAP_USEC (5LL * 1000 * 1000)
/* Same for wall-clock-only input (syslog without dmesg timestamps): one-second resolution. */
#define MAX_LINE_GAP_WALL_SEC 5
/* Timestamps of one task's consecutive printk()s never go backwards; across CPUs
 * local_clock() can be a few ms apart when the TSC is unstable. A larger backward step means
 * the text was re-quoted or spliced (the seed blog quotes the same report in pieces). */
#define MAX_BACKWARD_USEC (50 * 1000LL)
/* Offline (the lines' own clock), how long after the kill line an oom_reaper line still
 * joins its report. "oom_reaper: unable to reap" is printed only after MAX_OOM_REAP_RETRIES
 * (10) attempts HZ/10 apart, i.e. ~1 s after the kill (4.6+ mm/oom_kill.c; corpus 058: 1.09 s).
 * The daemon cannot wait that long for every report, so it uses reaper_wait_usec; reading a
 * saved log costs nothing to look 2 s ahead. */
#define OFFLINE_REAPER_WINDOW_USEC (2LL * 1000 * 1000)
/* Without timestamps, how many foreign lines may follow a kill line before we stop waiting
 * for its oom_reaper line (offline input: the reaper line follows within a few records). */
#define REAPER_WAIT_LINES 32
/* Unrecognised lines in a row after which a report in progress is taken to have been cut:
 * no report section has that many unrecognisable lines (task rows, trace frames and
 * memory.stat lines are all recognised). Bounds what an unterminated report holds. */
#define MAX_UNKNOWN_RUN 128
/* The kill group after the max_lines cut-off: kill, killed, reaper and a few oom.group kills. */
#define KILL_GROUP_EXTRA 16
/* In-progress reports at once: one per printk caller. Concurrent OOM dumps are serialised by
 * oom_lock, so more than one is an allocation-failure warning racing an OOM dump, rarely more. */
#define MAX_SLOTS 4
/* Victims of already emitted reports remembered so that a late oom_reaper line (the reaper
 * retries for up to ~1 s on 4.6+) is recognised as belonging to them instead of starting a
 * report of its own. */
#define RECENT_VICTIMS 8

_Static_assert(_LINE_KIND_MAX <= 256, "struct slot keeps a line's kind in a byte");

enum slot_phase {
        PHASE_IDLE,
        PHASE_BODY,
        PHASE_ENDED,
};

struct slot {
        enum slot_phase phase;
        enum raw_report_type type;
        char caller[16];
        struct log_line *lines;
        unsigned char *kinds;     /* the line_kind of each line */
        size_t n_lines, allocated;
        size_t n_trailing_unknown; /* unrecognised lines since the last recognised one */
        bool truncated;           /* lines were dropped (max_lines) */
        bool discard;             /* SysRq-m show_mem output, not a report: dropped at emit */
        bool spans_gap;
        bool end_seen;
        bool meminfo_seen;
        bool kill_process_pending; /* "Kill process" seen, its "Killed process" not yet */
        bool killed_seen;
        bool group_seen;          /* memory.oom.group: more "Killed process" lines follow */
        int64_t victim_pid;       /* NUM_UNSET if unknown */
        int64_t end_ts;           /* ts of the end line, NUM_UNSET if not printed */
        size_t lines_since_end;   /* foreign lines fed while ENDED */
        int64_t last_ts, last_wall;
        int64_t last_activity;    /* daemon clock of the last line added, NUM_UNSET unknown */
        size_t follow_for_lines;  /* end_wait_usec() cache: valid for this n_lines (0: none) */
        int64_t follow_usec;
        uint64_t order;           /* start order, to pick the oldest slot */
};

struct report_assembler {
        struct report_assembler_config cfg;
        struct slot slots[MAX_SLOTS];
        uint64_t next_order;
        int64_t last_seq;         /* last kmsg seq fed (any line), NUM_UNSET if none */
        bool after_gap;           /* records were lost and no report has started since */
        int64_t gap_ts;           /* timestamp of the first line after them, NUM_UNSET if none */
        int64_t now;              /* last tick() time, NUM_UNSET before the first */
        bool sysrq_show_mem;      /* "SysRq : Show Memory" seen: the next Mem-Info is not a report */
        bool in_foreign_block;    /* the last unknown line was another subsystem's */
        int64_t recent_victims[RECENT_VICTIMS];
        size_t n_recent;
        enum line_kind line_kind; /* of the line being fed: what slot_append() records */
        struct report_assembler_stats stats;
};

void report_assembler_config_default(struct report_assembler_config *ret) {
        *ret = (struct report_assembler_config) {
                .reaper_wait_usec = 500LL * 1000,
                .quiet_timeout_usec = 5LL * 1000 * 1000,
                .max_lines = 20000,
                .kernel_only = true,
        };
}

int report_assembler_new(const struct report_assembler_config *cfg, struct report_assembler **ret) {
        struct report_assembler *a;

        if (!ret)
                return -EINVAL;
        if (cfg && (cfg->reaper_wait_usec < 0 || cfg->quiet_timeout_usec < 0 || cfg->max_lines == 0))
                return -EINVAL;
        a = calloc(1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        if (cfg)
                a->cfg = *cfg;
        else
                report_assembler_config_default(&a->cfg);
        a->last_seq = NUM_UNSET;
        a->gap_ts = NUM_UNSET;
        a->now = NUM_UNSET;
        *ret = a;
        return 0;
}

static void slot_reset(struct slot *s) {
        for (size_t i = 0; i < s->n_lines; i++)
                log_line_done(&s->lines[i]);
        free(s->lines);
        free(s->kinds);
        *s = (struct slot) { .phase = PHASE_IDLE };
}

void report_assembler_free(struct report_assembler *a) {
        if (!a)
                return;
        for (size_t i = 0; i < MAX_SLOTS; i++)
                slot_reset(&a->slots[i]);
        free(a);
}

/* ------------------------------------------------------------------------------------------
 * Small text helpers (the classifier already decided the kind; these only pull the pid). */

/* First decimal number after needle, bounded; NUM_UNSET if absent or out of range. */
static int64_t number_after(const char *text, size_t len, const char *needle) {
        size_t nl = strlen(needle);
        const char *p = memmem(text, len, needle, nl);
        int64_t v = 0;
        size_t i, digits = 0;

        if (!p)
                return NUM_UNSET;
        i = (size_t) (p - text) + nl;
        while (i < len && text[i] == ' ')
                i++;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
                if (v > (INT64_MAX - 9) / 10)
                        return NUM_UNSET;
                v = v * 10 + (text[i] - '0');
                digits++;
        }
        return digits > 0 ? v : NUM_UNSET;
}

static int64_t kill_line_pid(const struct log_line *l, enum line_kind k) {
        switch (k) {
        case LINE_KILL_PROCESS:
        case LINE_KILLED_PROCESS:
                return number_after(l->text, l->len, "process ");
        case LINE_OOM_VICTIM_EXITING:
                return number_after(l->text, l->len, "OOM victim ");
        case LINE_OOM_REAPER: {
                int64_t pid = number_after(l->text, l->len, "reaped process ");
                return num_set(pid) ? pid : number_after(l->text, l->len, "pid:");
        }
        default:
                return NUM_UNSET;
        }
}

static bool is_sharing_same_memory(const struct log_line *l) {
        return memmem(l->text, l->len, "sharing same memory", 19) != NULL;
}

/* "docker0: port 2(veth..) entered ...", "SLUB: Unable to allocate ...", "sysrq: ...": the
 * pr_fmt("subsys: ") convention of other kernel code. Report lines with such a prefix
 * ("Hardware name:", "oom-kill:", "memory:", "RIP:") are all classified before we get here, so
 * an *unrecognised* line of this shape is another subsystem talking. */
static bool looks_like_other_subsystem(const struct log_line *l) {
        size_t i = 0, n = l->len;
        const char *t = l->text;

        while (i < n && (t[i] == ' ' || t[i] == '\t'))
                i++;
        size_t start = i;
        while (i < n && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
                         (t[i] >= '0' && t[i] <= '9') || t[i] == '_' || t[i] == '-' || t[i] == '.'))
                i++;
        if (i == start)
                return false;
        if (i + 1 < n && t[i] == ':' && t[i + 1] == ' ')
                return true;
        /* dev_printk(): "<driver> <device>: message", e.g. "usb 1-1: new ...",
         * "pci 0000:00:01.1: BAR 4 ..." (the device name may itself contain colons) */
        if (i < n && t[i] == ' ') {
                size_t j = i + 1, end = j;
                while (end < n && t[end] != ' ')
                        end++;
                return end > j + 1 && end < n && t[end - 1] == ':';
        }
        return false;
}

/* Kinds that may open a report whose header is missing (cut excerpt, 2.6.x-4.x rate-limited
 * dump_header). Only lines unique to show_mem / memcg info / the task table qualify: a CPU
 * line or call trace opens every WARN and BUG splat, memory.stat-like "name value" lines
 * appear in /proc dumps. */
static bool kind_opens_headless(enum line_kind k) {
        switch (k) {
        case LINE_MEMINFO_START:
        case LINE_PERCPU_HEADER:
        case LINE_MEMINFO_COUNTERS:
        case LINE_NODE:
        case LINE_ZONE:
        case LINE_LOWMEM_RESERVE:
        case LINE_BUDDY:
        case LINE_UNRECLAIMABLE_SLAB_START:
        case LINE_MEMCG_TASK_IN:
        case LINE_MEMCG_USAGE:
        case LINE_MEMCG_STATS_START:
        case LINE_TASK_HEADER:
        case LINE_TASK_ROW:
                return true;
        default:
                return false;
        }
}


/* ------------------------------------------------------------------------------------------
 * Emission */

static void remember_victim(struct report_assembler *a, int64_t pid) {
        if (!num_set(pid))
                return;
        a->recent_victims[a->n_recent % RECENT_VICTIMS] = pid;
        a->n_recent++;
}

static bool is_recent_victim(const struct report_assembler *a, int64_t pid) {
        size_t n = MIN(a->n_recent, (size_t) RECENT_VICTIMS);

        if (!num_set(pid))
                return false;
        for (size_t i = 0; i < n; i++)
                if (a->recent_victims[i] == pid)
                        return true;
        return false;
}

/* The report slot s holds, its lines borrowed. */
static struct raw_report slot_report(const struct slot *s) {
        struct raw_report r = {
                .type = s->type,
                /* lines lost to max_lines or to a kmsg gap: not the whole report */
                .complete = s->end_seen && !s->truncated && !s->spans_gap,
                .spans_gap = s->spans_gap,
                .lines = s->lines,
                .n_lines = s->n_lines,
                .kinds = s->kinds,
                .first_seq = NUM_UNSET,
                .last_seq = NUM_UNSET,
                .first_ts_usec = NUM_UNSET,
                .last_ts_usec = NUM_UNSET,
        };

        for (size_t i = 0; i < s->n_lines; i++) {
                const struct log_line *l = &s->lines[i];
                if (num_set(l->seq)) {
                        if (!num_set(r.first_seq))
                                r.first_seq = l->seq;
                        r.last_seq = log_line_last_seq(l);
                }
                if (num_set(l->ts_usec)) {
                        if (!num_set(r.first_ts_usec))
                                r.first_ts_usec = l->ts_usec;
                        r.last_ts_usec = l->ts_usec;
                }
        }
        return r;
}

/* Every pid slot s killed (memory.oom.group kills several, and each gets its own oom_reaper
 * line later). */
static void remember_victims(struct report_assembler *a, const struct slot *s) {
        remember_victim(a, s->victim_pid);
        for (size_t i = 0; i < s->n_lines; i++) {
                const struct log_line *l = &s->lines[i];
                enum line_kind k = s->kinds[i];
                if (k == LINE_KILLED_PROCESS) {
                        int64_t pid = kill_line_pid(l, k);
                        if (pid != s->victim_pid)
                                remember_victim(a, pid);
                }
        }
}

static int slot_emit(struct report_assembler *a, struct slot *s, raw_report_cb cb, void *userdata) {
        struct raw_report r;
        int ret = 0;

        if (s->phase == PHASE_IDLE)
                return 0;

        /* unrecognised lines after the last recognised one: nothing shows they belong here */
        while (s->n_trailing_unknown > 0 && s->n_lines > 0) {
                log_line_done(&s->lines[--s->n_lines]);
                s->n_trailing_unknown--;
        }

        if (s->discard && s->n_lines > 0)
                a->stats.reports_discarded++;
        else if (s->n_lines > 0) {
                r = slot_report(s);
                a->stats.reports_emitted++;
                if (!r.complete)
                        a->stats.reports_incomplete++;
                remember_victims(a, s);
                if (cb)
                        ret = cb(&r, userdata);
        }
        slot_reset(s);
        return ret < 0 ? ret : 0;
}

static int64_t sat_add(int64_t x, int64_t d) {
        return x > INT64_MAX - d ? INT64_MAX : x + d;
}

/* ------------------------------------------------------------------------------------------
 * When a report whose end was seen is complete (the daemon's tick)
 *
 * After a report's end line only two kinds of lines can still come. (1) Lines the same task
 * prints in the same call, microseconds later (at most a for_each_process() walk apart): the
 * "Killed process" after a <=5.0 "Kill process", "sharing same memory" kills (<=3.14),
 * memory.oom.group's "Tasks in X are going to be killed" and one "Killed process" per member
 * (4.19+, cgroup v2 only: mem_cgroup_get_oom_group() returns NULL on v1), show_mem()'s trailing
 * totals after an allocation failure. (2) The oom_reaper line (4.6+), printed by another thread
 * whenever it gets to the victim, if at all: ~10 ms to 1.1 s after the kill in the corpus
 * (029: 9.8 ms, 011: 104 ms, 058 "unable to reap": 1.09 s); 5.18+ delays the reaper by
 * OOM_REAPER_DELAY (2 s) and it prints nothing when the victim has exited by then (the memcg
 * kills on this project's 6.18 test machine never showed one). (2) is not waited for unless
 * ReaperWaitSec= asks for it: the line is in the kernel log anyway and does not change why the
 * OOM happened. (1) is waited for FOLLOW_USEC, unless the report shows that nothing can follow.
 * Which is a table: the report's last end line and what the report shows of its kernel. */
#define FOLLOW_USEC (5 * 1000LL)

enum {
        TRAIT_SUMMARY = 1 << 0,  /* an "oom-kill:constraint=..." summary line: 5.0+ */
        TRAIT_MEMCG_V1 = 1 << 1, /* a "memory+swap: usage" line: memcg OOM on cgroup v1 */
};

struct end_rule {
        enum line_kind end; /* the last end line of the report */
        unsigned traits;    /* the row holds when the report shows all of these */
        int64_t wait_usec;  /* for lines of kind (1); 0: none can follow */
};

/* First matching row wins; an end line not listed waits FOLLOW_USEC. */
static const struct end_rule end_rules[] = {
        /* 5.10+: oom_kill_process() returns right after "already exiting. Skip killing" */
        { LINE_OOM_VICTIM_EXITING, 0, 0 },
        /* panic_on_oom: the machine panics */
        { LINE_PANIC_ON_OOM, 0, 0 },
        /* 5.0+ on cgroup v1: no oom.group, no "sharing same memory" lines */
        { LINE_KILLED_PROCESS, TRAIT_SUMMARY | TRAIT_MEMCG_V1, 0 },
        { LINE_KILLED_PROCESS, 0, FOLLOW_USEC },
        { LINE_OOM_GROUP, 0, FOLLOW_USEC },
        { LINE_KILL_PROCESS, 0, FOLLOW_USEC },
        { LINE_NO_KILLABLE, 0, FOLLOW_USEC },
        { LINE_TOTALS, 0, FOLLOW_USEC },
};

static bool text_starts(const struct log_line *l, const char *prefix) {
        size_t n = strlen(prefix);
        return l->text && l->len >= n && memcmp(l->text, prefix, n) == 0;
}

/* How long after its end line an ended report may still get lines of kind (1). */
static int64_t end_wait_usec(struct slot *s) {
        enum line_kind end = LINE_UNKNOWN;
        unsigned traits = 0;

        if (s->follow_for_lines == s->n_lines && s->n_lines > 0)
                return s->follow_usec;
        for (size_t i = s->n_lines; i > 0 && end == LINE_UNKNOWN; i--) {
                enum line_kind k = report_line_classify(s->lines[i - 1].text, s->lines[i - 1].len);
                if (k == LINE_OOM_VICTIM_EXITING || k == LINE_PANIC_ON_OOM || k == LINE_KILLED_PROCESS ||
                    k == LINE_OOM_GROUP || k == LINE_KILL_PROCESS || k == LINE_NO_KILLABLE || k == LINE_TOTALS)
                        end = k;
        }
        for (size_t i = 0; i < s->n_lines; i++) {
                if (text_starts(&s->lines[i], "oom-kill:"))
                        traits |= TRAIT_SUMMARY;
                else if (text_starts(&s->lines[i], "memory+swap: usage"))
                        traits |= TRAIT_MEMCG_V1;
        }
        s->follow_usec = FOLLOW_USEC;
        for (size_t i = 0; i < ELEMENTSOF(end_rules); i++)
                if (end_rules[i].end == end && (traits & end_rules[i].traits) == end_rules[i].traits) {
                        s->follow_usec = end_rules[i].wait_usec;
                        break;
                }
        s->follow_for_lines = s->n_lines;
        return s->follow_usec;
}

/* The daemon-clock time at which report_assembler_tick() emits slot s. */
static int64_t slot_deadline(const struct report_assembler *a, struct slot *s) {
        int64_t t = INT64_MAX;

        if (s->phase == PHASE_ENDED) {
                int64_t wait = end_wait_usec(s);
                if (s->type != RAW_REPORT_ALLOC_FAILURE)
                        wait = MAX(wait, a->cfg.reaper_wait_usec);
                t = sat_add(num_set(s->end_ts) ? s->end_ts : s->last_activity, wait);
        }
        return MIN(t, sat_add(num_set(s->last_ts) ? s->last_ts : s->last_activity, a->cfg.quiet_timeout_usec));
}

/* ------------------------------------------------------------------------------------------
 * Slots */

static struct slot *slot_start(struct report_assembler *a, enum raw_report_type type, const struct log_line *l,
                               raw_report_cb cb, void *userdata, int *ret_err) {
        struct slot *free_slot = NULL, *oldest = NULL;

        *ret_err = 0;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                if (s->phase == PHASE_IDLE) {
                        if (!free_slot)
                                free_slot = s;
                } else if (!oldest || s->order < oldest->order)
                        oldest = s;
        }
        if (!free_slot) {
                /* bounded: the oldest report in progress is given up on */
                *ret_err = slot_emit(a, oldest, cb, userdata);
                free_slot = oldest;
        }
        *free_slot = (struct slot) {
                .phase = PHASE_BODY,
                .type = type,
                .victim_pid = NUM_UNSET,
                .end_ts = NUM_UNSET,
                .last_ts = NUM_UNSET,
                .last_wall = NUM_UNSET,
                .last_activity = NUM_UNSET,
                .order = a->next_order++,
        };
        memcpy(free_slot->caller, l->caller, sizeof(free_slot->caller));
        free_slot->caller[sizeof(free_slot->caller) - 1] = '\0';
        if (a->after_gap) {
                /* The first report after lost records: unless it opens with its header, its
                 * beginning may be what was lost. */
                enum line_kind k = report_line_classify(l->text, l->len);
                bool near = !num_set(a->gap_ts) || !num_set(l->ts_usec) || l->ts_usec - a->gap_ts <= MAX_LINE_GAP_USEC;
                free_slot->spans_gap = near && k != LINE_OOM_HEADER && k != LINE_ALLOC_FAIL_HEADER &&
                                       k != LINE_ALLOC_STALL;
                a->after_gap = false;
        }
        return free_slot;
}

static int slot_append(struct report_assembler *a, struct slot *s, const struct log_line *l, bool recognised,
                       bool kill_group) {
        size_t limit = a->cfg.max_lines + (kill_group ? KILL_GROUP_EXTRA : 0);
        unsigned char *kinds;
        int r;

        if (s->n_lines >= limit) {
                s->truncated = true;
                a->stats.lines_dropped++;
                return 0;
        }
        if (s->n_lines == s->allocated) {
                size_t n = s->allocated ? s->allocated * 2 : 64;
                struct log_line *p;

                n = MIN(n, a->cfg.max_lines + KILL_GROUP_EXTRA);
                if (n <= s->allocated)
                        n = s->allocated + 1;
                p = reallocarray(s->lines, n, sizeof(*p));
                if (!p)
                        return -ENOMEM;
                s->lines = p;
                kinds = realloc(s->kinds, n);
                if (!kinds)
                        return -ENOMEM;
                s->kinds = kinds;
                s->allocated = n;
        }
        r = log_line_copy(l, &s->lines[s->n_lines]);
        if (r < 0)
                return r;
        s->kinds[s->n_lines] = (unsigned char) a->line_kind;
        s->n_lines++;
        s->n_trailing_unknown = recognised ? 0 : s->n_trailing_unknown + 1;
        if (num_set(l->ts_usec))
                s->last_ts = l->ts_usec;
        if (num_set(l->wall_sec))
                s->last_wall = l->wall_sec;
        s->last_activity = a->now;
        return 0;
}

/* Does line l, by its time, still belong with slot s? */
static bool time_continues(const struct slot *s, const struct log_line *l) {
        if (num_set(l->ts_usec) && num_set(s->last_ts)) {
                if (l->ts_usec > s->last_ts && l->ts_usec - s->last_ts > MAX_LINE_GAP_USEC)
                        return false;
                if (l->ts_usec < s->last_ts && s->last_ts - l->ts_usec > MAX_BACKWARD_USEC)
                        return false;
                return true;
        }
        if (num_set(l->wall_sec) && num_set(s->last_wall))
                return l->wall_sec >= s->last_wall && l->wall_sec - s->last_wall <= MAX_LINE_GAP_WALL_SEC;
        return true;
}

/* Allocation failures have no reaper line: their trailing totals come within milliseconds. */
static int64_t reaper_window(const struct report_assembler *a, const struct slot *s) {
        if (s->type == RAW_REPORT_ALLOC_FAILURE)
                return MAX(a->cfg.reaper_wait_usec, FOLLOW_USEC);
        return MAX(a->cfg.reaper_wait_usec, OFFLINE_REAPER_WINDOW_USEC);
}

/* The reaper wait of an ENDED slot has run out, judged by the line's own timestamp. */
static bool reaper_wait_over(const struct report_assembler *a, const struct slot *s, const struct log_line *l) {
        if (num_set(l->ts_usec) && num_set(s->end_ts))
                return l->ts_usec - s->end_ts > reaper_window(a, s);
        return s->lines_since_end >= REAPER_WAIT_LINES;
}

/* The slot a line with this caller id belongs to, NULL if none. Without caller ids there is
 * one stream, and the most recently started slot is the one being printed. */
static struct slot *slot_for(struct report_assembler *a, const struct log_line *l) {
        struct slot *best = NULL;

        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                if (s->phase == PHASE_IDLE)
                        continue;
                if (l->caller[0] && s->caller[0] && strncmp(l->caller, s->caller, sizeof(s->caller)) != 0)
                        continue;
                if (!best || s->order > best->order)
                        best = s;
        }
        return best;
}

/* oom_reaper runs as its own kthread (another caller id): find the report whose victim it
 * reaped. */
static struct slot *slot_for_reaper(struct report_assembler *a, int64_t pid) {
        struct slot *any = NULL;

        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                if (s->phase != PHASE_ENDED)
                        continue;
                if (num_set(pid) && s->victim_pid == pid)
                        return s;
                if (!any || s->order > any->order)
                        any = s;
        }
        /* pid not parseable (damaged line): the latest ended report */
        return num_set(pid) ? NULL : any;
}

static void note_end(struct slot *s, const struct log_line *l) {
        s->phase = PHASE_ENDED;
        s->end_seen = true;
        s->end_ts = l->ts_usec;
        s->lines_since_end = 0;
}

static enum raw_report_type type_for_start(enum line_kind k) {
        switch (k) {
        case LINE_ALLOC_FAIL_HEADER:
        case LINE_ALLOC_STALL:
                return RAW_REPORT_ALLOC_FAILURE;
        case LINE_NO_KILLABLE:
        case LINE_PANIC_ON_OOM:
                return RAW_REPORT_PANIC;
        case LINE_OOM_SUMMARY:
        case LINE_KILL_PROCESS:
        case LINE_KILLED_PROCESS:
        case LINE_OOM_VICTIM_EXITING:
        case LINE_OOM_GROUP:
        case LINE_OOM_REAPER:
                return RAW_REPORT_BARE_KILL;
        default:
                return RAW_REPORT_OOM;
        }
}

static bool slot_has_timestamps(const struct slot *s) {
        return num_set(s->last_ts);
}

/* Emit every slot that line l shows to be over by time alone: a forward jump past the gap
 * limit (a report in progress) or past the reaper wait (a report whose end was seen). This
 * is the offline equivalent of report_assembler_tick(), driven by the lines' own clock. */
static int sweep_by_line_time(struct report_assembler *a, const struct log_line *l, raw_report_cb cb,
                              void *userdata) {
        if (!num_set(l->ts_usec))
                return 0;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                bool over = false;
                int r;

                if (s->phase == PHASE_BODY)
                        over = slot_has_timestamps(s) && l->ts_usec > s->last_ts &&
                               l->ts_usec - s->last_ts > MAX_LINE_GAP_USEC;
                else if (s->phase == PHASE_ENDED)
                        over = num_set(s->end_ts) && l->ts_usec > s->end_ts &&
                               l->ts_usec - s->end_ts > reaper_window(a, s);
                if (!over)
                        continue;
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

static struct slot *start_and_append(struct report_assembler *a, enum raw_report_type type, const struct log_line *l,
                                     bool kill_group, raw_report_cb cb, void *userdata, int *ret_err) {
        struct slot *s;
        int r;

        s = slot_start(a, type, l, cb, userdata, &r);
        if (r < 0) {
                *ret_err = r;
                slot_reset(s);
                return NULL;
        }
        r = slot_append(a, s, l, true, kill_group);
        if (r < 0) {
                *ret_err = r;
                slot_reset(s);
                return NULL;
        }
        *ret_err = 0;
        return s;
}

/* Is kill-group line l (kind k) more of the event whose end slot s has seen? */
static bool kill_line_same_event(const struct slot *s, const struct log_line *l, enum line_kind k) {
        switch (k) {
        case LINE_KILLED_PROCESS:
                /* <=5.0: "Kill process" then its "Killed process" (possibly a child);
                 * 4.19+ memory.oom.group: one "Killed process" per group member */
                return (s->kill_process_pending && !s->killed_seen) || s->group_seen;
        case LINE_KILL_PROCESS:
                /* <=3.14 "Kill process N (comm) sharing same memory" after the victim */
                return is_sharing_same_memory(l);
        case LINE_OOM_GROUP:
                return true;
        case LINE_PANIC_ON_OOM:
        case LINE_NO_KILLABLE:
                /* "Out of memory and no killable processes..." then the panic itself */
                return s->type == RAW_REPORT_PANIC;
        default:
                return false;
        }
}

/* A trailing kill-group line of the event slot s ended: it joins, and the wait for more (the
 * oom_reaper line) starts again from it. */
static int kill_line_join_ended(struct report_assembler *a, struct slot *s, const struct log_line *l,
                                enum line_kind k, int64_t pid) {
        int r = slot_append(a, s, l, true, true);

        if (r < 0)
                return r;
        if (k == LINE_KILLED_PROCESS) {
                if (!s->killed_seen)
                        s->victim_pid = pid;
                s->killed_seen = true;
        } else if (k == LINE_OOM_GROUP)
                s->group_seen = true;
        s->end_ts = num_set(l->ts_usec) ? l->ts_usec : s->end_ts;
        s->lines_since_end = 0;
        return 0;
}

/* What kill-group line l (kind k), just added to slot s, says about its report. */
static void kill_line_note(struct slot *s, const struct log_line *l, enum line_kind k, int64_t pid) {
        switch (k) {
        case LINE_OOM_SUMMARY:
                /* 5.0+: the summary precedes the kill line; still in the body */
                break;
        case LINE_OOM_GROUP:
                s->group_seen = true;
                break;
        case LINE_KILL_PROCESS:
                s->victim_pid = pid;
                s->kill_process_pending = true;
                note_end(s, l);
                break;
        case LINE_KILLED_PROCESS:
                s->victim_pid = pid;
                s->killed_seen = true;
                note_end(s, l);
                break;
        case LINE_OOM_VICTIM_EXITING:
                s->victim_pid = pid;
                note_end(s, l);
                break;
        case LINE_NO_KILLABLE:
        case LINE_PANIC_ON_OOM:
                note_end(s, l);
                break;
        default:
                break;
        }
}

/* Kill-group and panic lines: the end of a report, more of an ended one, or the start of a
 * bare one (no report was being printed). */
static int feed_kill_group(struct report_assembler *a, const struct log_line *l, enum line_kind k, struct slot *s,
                           raw_report_cb cb, void *userdata) {
        int64_t pid = kill_line_pid(l, k);
        int r;

        a->sysrq_show_mem = false;
        if (s && s->phase == PHASE_ENDED) {
                if (kill_line_same_event(s, l, k))
                        return kill_line_join_ended(a, s, l, k, pid);
                /* a new event: the previous one is over */
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
                s = NULL;
        }

        if (!s) {
                s = start_and_append(a, type_for_start(k), l, true, cb, userdata, &r);
                if (!s)
                        return r;
        } else {
                /* BODY: the end of the report being printed */
                r = slot_append(a, s, l, true, true);
                if (r < 0)
                        return r;
                if (k == LINE_NO_KILLABLE || k == LINE_PANIC_ON_OOM)
                        s->type = RAW_REPORT_PANIC;
        }
        kill_line_note(s, l, k, pid);
        return 0;
}

static int feed_reaper(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        int64_t pid = kill_line_pid(l, LINE_OOM_REAPER);
        struct slot *s = slot_for_reaper(a, pid);
        int r;

        if (s) {
                r = slot_append(a, s, l, true, true);
                if (r < 0)
                        return r;
                /* nothing of this event follows the reaper line */
                return slot_emit(a, s, cb, userdata);
        }
        if (is_recent_victim(a, pid)) {
                /* the reaper took longer than reaper_wait: its report is already out */
                a->stats.lines_late_reaper++;
                return 0;
        }
        /* a reaper line alone: its kill line was cut from the excerpt (corpus 043 starts with
         * the previous victim's reaper line). Kept as an incomplete bare kill, so it is not
         * lost, without disturbing a report being printed. */
        s = start_and_append(a, RAW_REPORT_BARE_KILL, l, true, cb, userdata, &r);
        if (!s)
                return r;
        s->victim_pid = pid;
        return slot_emit(a, s, cb, userdata);
}

/* seq gaps count over every record, whatever it is: the lost ones could have been ours.
 * Nothing shows that the lines after a hole belong to the report in progress before it: the
 * hole may hold the end of that report and the header of the next, and joining the two would
 * pair one OOM's trigger with another's victim. So a report in progress is emitted at the hole
 * (spans_gap, incomplete), and one that opens headless right after it is marked too. Only with
 * printk caller ids (5.1+ CONFIG_PRINTK_CALLER) does the report go on: lines with its caller id
 * were printed by the same task, which prints one OOM dump in one go (corpus 046: a task table
 * cut out of the middle of a report). A report whose end was seen is emitted as it is: what
 * the hole swallowed came after it. */
static int close_at_gap(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        a->after_gap = true;
        a->gap_ts = l->ts_usec;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                int r;

                if (s->phase == PHASE_IDLE)
                        continue;
                if (s->phase == PHASE_BODY)
                        s->spans_gap = true;
                if (s->phase == PHASE_ENDED || !s->caller[0]) {
                        r = slot_emit(a, s, cb, userdata);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

bool report_assembler_seq_follows(const struct report_assembler *a, const struct log_line *l) {
        return a && l &&
               (!num_set(l->seq) || !num_set(a->last_seq) || a->last_seq == INT64_MAX || l->seq <= a->last_seq + 1);
}

void report_assembler_seq_seen(struct report_assembler *a, int64_t seq) {
        if (a && num_set(seq))
                a->last_seq = seq;
}

/* Every line, so the gap-free case stays a few instructions. */
static inline int note_seq(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        if (!num_set(l->seq))
                return 0;
        bool gap = !report_assembler_seq_follows(a, l);
        a->last_seq = log_line_last_seq(l);
        return gap ? close_at_gap(a, l, cb, userdata) : 0;
}

/* ------------------------------------------------------------------------------------------
 * The steps of report_assembler_feed() */

/* Lines that are no kernel report text at all: userspace writes to /dev/kmsg arrive with
 * facility >= 1 (kernel-facts 1.7), never kernel output, never a kill record; prose is an
 * author's commentary between pasted log lines. Every line is counted here, and its seq noted
 * (a hole closes the reports in progress). 1: go on with the line, 0: ignore it, < 0: error. */
static int admit_line(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        int r;

        a->stats.lines_seen++;
        r = note_seq(a, l, cb, userdata);
        if (r < 0)
                return r;
        if (a->cfg.kernel_only && l->facility > 0) {
                a->stats.lines_ignored_facility++;
                return 0;
        }
        if (l->prose) {
                a->stats.lines_foreign++;
                return 0;
        }
        return 1;
}

/* The slot line l (kind k) continues, NULL if none, once every report that l shows to be over
 * is emitted: the one of l's printer when time says l no longer belongs to it, an allocation
 * failure whose totals are done and that anything but more totals closes, a report whose
 * wait for its oom_reaper line ran out. */
static int slot_for_line(struct report_assembler *a, const struct log_line *l, enum line_kind k, raw_report_cb cb,
                         void *userdata, struct slot **ret) {
        struct slot *s;
        int r;

        while ((s = slot_for(a, l)) && !time_continues(s, l)) {
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
        }
        if (s && s->phase == PHASE_ENDED && s->type == RAW_REPORT_ALLOC_FAILURE && k != LINE_TOTALS) {
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
                s = slot_for(a, l);
        }
        if (s && s->phase == PHASE_ENDED && reaper_wait_over(a, s, l)) {
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
                s = slot_for(a, l);
        }
        *ret = s;
        return 0;
}

/* A header starts a report. A second header before the first report ended: the first is
 * emitted as it is (incomplete unless its end was seen), never merged. */
static int feed_header(struct report_assembler *a, const struct log_line *l, enum line_kind k, struct slot *s,
                       raw_report_cb cb, void *userdata) {
        int r;

        a->sysrq_show_mem = false;
        if (s) {
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
        }
        s = start_and_append(a, type_for_start(k), l, false, cb, userdata, &r);
        return s ? 0 : r;
}

/* A line the classifier does not know: kept in the report being printed (the parser counts it
 * as unparsed) unless it is recognisably another subsystem's, or the report ended. */
static int feed_unknown(struct report_assembler *a, const struct log_line *l, struct slot *s, raw_report_cb cb,
                        void *userdata) {
        if (memmem(l->text, l->len, "SysRq", 5) && memmem(l->text, l->len, "Show Memory", 11))
                /* SysRq-m prints a Mem-Info block that is no report (corpus 040) */
                a->sysrq_show_mem = true;
        if (!s)
                return 0;
        /* Another subsystem's message and its indented continuation lines (SLUB's
         * "Unable to allocate memory" block inside a call trace, corpus 002). */
        if (looks_like_other_subsystem(l) ||
            (a->in_foreign_block && l->len > 0 && (l->text[0] == ' ' || l->text[0] == '\t'))) {
                a->in_foreign_block = true;
                a->stats.lines_foreign++;
                s->lines_since_end++;
                return 0;
        }
        a->in_foreign_block = false;
        if (s->phase == PHASE_ENDED) {
                /* after the end: not part of it */
                s->lines_since_end++;
                return 0;
        }
        if (s->n_trailing_unknown >= MAX_UNKNOWN_RUN)
                /* a report cut off long ago; what follows is not ours */
                return slot_emit(a, s, cb, userdata);
        return slot_append(a, s, l, false, false);
}

/* What body line l (kind k), just added to slot s, says about its report. */
static void body_line_note(struct report_assembler *a, struct slot *s, const struct log_line *l, enum line_kind k) {
        if (k == LINE_MEMINFO_START)
                s->meminfo_seen = true;
        /* warn_alloc's show_mem ends with the totals (kernel-facts 5.4j, 5.9) */
        if (k == LINE_TOTALS && s->type == RAW_REPORT_ALLOC_FAILURE && s->meminfo_seen)
                note_end(s, l);
        if (k == LINE_TOTALS && s->discard)
                a->sysrq_show_mem = false;
}

/* A line of a report's body (dump_stack, show_mem, memcg info, the task table): it continues
 * the report being printed. After a report's end only an allocation failure's trailing totals
 * join it; a line found only in a report body opens a report of its own, whose header was cut
 * from the excerpt or rate-limited. */
static int feed_body(struct report_assembler *a, const struct log_line *l, enum line_kind k, struct slot *s,
                     raw_report_cb cb, void *userdata) {
        int r;

        if (s && s->phase == PHASE_ENDED) {
                if (k == LINE_TOTALS && s->type == RAW_REPORT_ALLOC_FAILURE) {
                        r = slot_append(a, s, l, true, false);
                        if (r < 0)
                                return r;
                        s->end_ts = num_set(l->ts_usec) ? l->ts_usec : s->end_ts;
                        return 0;
                }
                if (!kind_opens_headless(k)) {
                        s->lines_since_end++;
                        return 0;
                }
                /* the dump of another event whose header is missing */
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
                s = NULL;
        }
        if (!s) {
                if (!kind_opens_headless(k))
                        return 0;
                s = start_and_append(a, RAW_REPORT_OOM, l, false, cb, userdata, &r);
                if (!s)
                        return r;
                s->discard = a->sysrq_show_mem;
        } else {
                r = slot_append(a, s, l, true, false);
                if (r < 0)
                        return r;
        }
        body_line_note(a, s, l, k);
        return 0;
}

/* Every report in progress has seen its end, and none is an allocation failure (those still
 * take trailing LINE_TOTALS lines, which report_line_may_open() does not look for). */
static bool all_ended_kills(const struct report_assembler *a) {
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                const struct slot *s = &a->slots[i];
                if (s->phase == PHASE_BODY || (s->phase == PHASE_ENDED && s->type == RAW_REPORT_ALLOC_FAILURE))
                        return false;
        }
        return true;
}

/* What report_assembler_feed() does with a line that cannot open a report while all_ended_kills()
 * (the 2 s after a kill line spent waiting for oom_reaper, thousands of lines of chatter in a
 * busy log), without classifying it: such a line is UNKNOWN or a body kind that does not open a
 * headless report, and either way it only lets time pass and counts as a line after the end.
 * in_foreign_block is not maintained: it only matters for a report in its body, and the line
 * that starts the next one resets it. */
static int feed_chatter_after_end(struct report_assembler *a, const struct log_line *l, raw_report_cb cb,
                                  void *userdata) {
        struct slot *s;
        int r;

        r = sweep_by_line_time(a, l, cb, userdata);
        if (r < 0)
                return r;
        /* every slot is an ended kill: no allocation failure waits for its totals */
        r = slot_for_line(a, l, LINE_UNKNOWN, cb, userdata, &s);
        if (r < 0)
                return r;
        if (s)
                s->lines_since_end++;
        return 0;
}

bool report_assembler_can_skip(const struct report_assembler *a) {
        return a && (!report_assembler_busy(a) || all_ended_kills(a));
}

/* A line that cannot open a report, once the checks every line gets are done. */
static int feed_chatter(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        if (!report_assembler_busy(a))
                return 0; /* nothing to sweep either */
        return feed_chatter_after_end(a, l, cb, userdata);
}

int report_assembler_feed_skipped(struct report_assembler *a, const struct log_line *l, raw_report_cb cb,
                                  void *userdata) {
        if (!a || !l)
                return -EINVAL;
        if (!report_assembler_can_skip(a))
                return -EBUSY;
        int r = admit_line(a, l, cb, userdata);
        if (r <= 0)
                return r;
        return feed_chatter(a, l, cb, userdata);
}

/* The slot that a line without caller id belongs to (slot_for() of such a line). */
static struct slot *latest_slot(struct report_assembler *a) {
        struct slot *best = NULL;

        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                if (s->phase != PHASE_IDLE && (!best || s->order > best->order))
                        best = s;
        }
        return best;
}


/* feed_chatter_after_end() of such a line emits nothing iff: sweep_by_line_time() finds no
 * ended slot with ts - end_ts > window, time_continues() holds for the latest slot (the line
 * has no wall time: only its ts against last_ts counts) and reaper_wait_over() does not (by
 * time if the slot has end_ts, else by lines_since_end). Chatter changes none of these but
 * lines_since_end, which max_lines accounts for. */
bool report_assembler_quiet_window(const struct report_assembler *a, int64_t *ret_lo, int64_t *ret_hi,
                                   size_t *ret_max_lines) {
        int64_t lo = INT64_MIN, hi = INT64_MAX;
        size_t max_lines = SIZE_MAX;
        const struct slot *top;

        if (!a || !ret_lo || !ret_hi || !ret_max_lines || !report_assembler_can_skip(a))
                return false;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                const struct slot *s = &a->slots[i];
                if (s->phase == PHASE_ENDED && num_set(s->end_ts))
                        hi = MIN(hi, sat_add(s->end_ts, reaper_window(a, s)));
        }
        top = latest_slot((struct report_assembler *) a);
        if (top) {
                if (num_set(top->last_ts)) {
                        hi = MIN(hi, sat_add(top->last_ts, MAX_LINE_GAP_USEC));
                        lo = MAX(lo, top->last_ts - MAX_BACKWARD_USEC);
                }
                if (!num_set(top->end_ts)) {
                        if (top->lines_since_end >= REAPER_WAIT_LINES)
                                return false;
                        max_lines = REAPER_WAIT_LINES - top->lines_since_end;
                }
        }
        if (lo > hi)
                return false;
        *ret_lo = lo;
        *ret_hi = hi;
        *ret_max_lines = max_lines;
        return true;
}

int report_assembler_feed_skipped_n(struct report_assembler *a, size_t n) {
        struct slot *s;

        if (!a)
                return -EINVAL;
        if (!report_assembler_can_skip(a))
                return -EBUSY;
        /* feed_skipped() of such a line: note_seq() has no seq to note, the facility and prose
         * tests fail, feed_chatter() returns at once or only counts the line after the end */
        a->stats.lines_seen += n;
        s = latest_slot(a);
        if (s)
                s->lines_since_end += n;
        return 0;
}

/* One line: the checks every line gets, then by the kind the classifier gives it: oom_reaper
 * lines go to the report of their victim, the others to the slot of their printer, where
 * headers start a report, kill-group lines end one, unrecognised and body lines continue one. */
int report_assembler_feed(struct report_assembler *a, const struct log_line *l, raw_report_cb cb, void *userdata) {
        enum line_kind k;
        struct slot *s;
        int r;

        if (!a || !l || (!l->text && l->len > 0))
                return -EINVAL;
        r = admit_line(a, l, cb, userdata);
        if (r <= 0)
                return r;
        if (!l->text) {
                a->stats.lines_foreign++;
                return 0;
        }
        /* No report in progress (so nothing to sweep either): only a line that can open one
         * matters, and most lines of a big log are ordinary kernel chatter that the cheap
         * pre-test rules out. Skipping the rest is exact: such a line, classified, would only
         * reset in_foreign_block, which is reset again by whatever line opens the next report. */
        if (!a->cfg.no_prefilter && report_assembler_can_skip(a) && !report_line_may_open(l->text, l->len))
                return feed_chatter(a, l, cb, userdata);

        r = sweep_by_line_time(a, l, cb, userdata);
        if (r < 0)
                return r;
        k = report_line_classify(l->text, l->len);
        a->line_kind = k;
        if (k != LINE_UNKNOWN)
                a->in_foreign_block = false;
        if (k == LINE_OOM_REAPER)
                return feed_reaper(a, l, cb, userdata);

        r = slot_for_line(a, l, k, cb, userdata, &s);
        if (r < 0)
                return r;
        switch (k) {
        case LINE_OOM_HEADER:
        case LINE_ALLOC_FAIL_HEADER:
        case LINE_ALLOC_STALL:
                return feed_header(a, l, k, s, cb, userdata);
        case LINE_OOM_SUMMARY:
        case LINE_KILL_PROCESS:
        case LINE_KILLED_PROCESS:
        case LINE_OOM_VICTIM_EXITING:
        case LINE_OOM_GROUP:
        case LINE_NO_KILLABLE:
        case LINE_PANIC_ON_OOM:
                return feed_kill_group(a, l, k, s, cb, userdata);
        case LINE_RATELIMIT:
                /* "warn_alloc: N callbacks suppressed" is about reports that were not printed */
                a->stats.lines_foreign++;
                return 0;
        case LINE_UNKNOWN:
                return feed_unknown(a, l, s, cb, userdata);
        default:
                return feed_body(a, l, k, s, cb, userdata);
        }
}

void report_assembler_note_gap(struct report_assembler *a, uint64_t lost_records) {
        if (!a || lost_records == 0)
                return;
        /* a report whose end was seen lost nothing of its own (close_at_gap()) */
        for (size_t i = 0; i < MAX_SLOTS; i++)
                if (a->slots[i].phase == PHASE_BODY)
                        a->slots[i].spans_gap = true;
}

int report_assembler_tick(struct report_assembler *a, int64_t now_usec, raw_report_cb cb, void *userdata) {
        if (!a)
                return -EINVAL;
        a->now = now_usec;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = &a->slots[i];
                int r;

                if (s->phase == PHASE_IDLE)
                        continue;
                if (!num_set(s->last_activity))
                        /* lines came before the first tick: start counting now */
                        s->last_activity = now_usec;
                /* the kernel clock of the lines is the reference where printed: records can sit
                 * in the buffer before we read them */
                if (now_usec < slot_deadline(a, s))
                        continue;
                r = slot_emit(a, s, cb, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int64_t report_assembler_next_deadline(const struct report_assembler *a) {
        int64_t t = INT64_MAX;

        if (!a)
                return NUM_UNSET;
        for (size_t i = 0; i < MAX_SLOTS; i++) {
                struct slot *s = (struct slot *) &a->slots[i];
                /* a slot with no clock of its own yet is due: the tick sets one */
                if (s->phase != PHASE_IDLE)
                        t = MIN(t, slot_deadline(a, s));
        }
        return t == INT64_MAX ? NUM_UNSET : MAX(t, 0);
}

int report_assembler_flush(struct report_assembler *a, raw_report_cb cb, void *userdata) {
        if (!a)
                return -EINVAL;
        for (;;) {
                struct slot *oldest = NULL;
                int r;

                for (size_t i = 0; i < MAX_SLOTS; i++)
                        if (a->slots[i].phase != PHASE_IDLE && (!oldest || a->slots[i].order < oldest->order))
                                oldest = &a->slots[i];
                if (!oldest)
                        return 0;
                r = slot_emit(a, oldest, cb, userdata);
                if (r < 0)
                        return r;
        }
}

bool report_assembler_busy(const struct report_assembler *a) {
        if (!a)
                return false;
        for (size_t i = 0; i < MAX_SLOTS; i++)
                if (a->slots[i].phase != PHASE_IDLE)
                        return true;
        return false;
}

void report_assembler_get_stats(const struct report_assembler *a, struct report_assembler_stats *ret) {
        if (!a || !ret)
                return;
        *ret = a->stats;
}
