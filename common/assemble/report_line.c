/* SPDX-License-Identifier: MIT */
/* Line classifier for OOM / allocation-failure reports, kernels 2.6.22 .. 6.18.
 *
 * A table of line shapes (line_shapes[] below), one row per shape the kernel prints, with
 * the kernels that print it; the first row that matches decides. Matching is hand-written
 * scanning over (text, len): no allocation, no regex, no reliance on a NUL terminator. The
 * daemon runs this on every kernel record, so most rows reject a line on its first byte.
 *
 * The authoritative notes on the formats are ../shared/reference/kernel-facts.md section 5.
 * Rows anchor at the start of the (whitespace-trimmed) line wherever the kernel prints a
 * fixed prefix, so a userspace message that merely quotes a kill line in its middle is not
 * mistaken for one. */
#include "report_line.h"

#include <stdint.h>
#include <string.h>

#include "macro.h"

/* for the row matcher, whose every use is specialised to one row (match_shape()) */
#define _always_inline_ inline __attribute__((always_inline))

/* A bounded view of the line; every helper checks the remaining length. */
struct span {
        const char *p;
        size_t n;
};

/* A table literal with its length, so table scans do not strlen() every entry per line. */
struct lit {
        const char *s;
        size_t n;
        char first; /* s[0], inline: report_line_may_open() scans whole tables on every line */
};
#define LIT(x) { x, sizeof(x) - 1, (x)[0] }

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_xdigit(char c) {
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_ident(char c) {
        return is_alpha(c) || is_digit(c) || c == '_';
}

static char lower(char c) {
        if (c >= 'A' && c <= 'Z')
                return (char) (c - 'A' + 'a');
        return c;
}

static struct span span_skip_space(struct span s) {
        while (s.n > 0 && is_space(*s.p)) {
                s.p++;
                s.n--;
        }
        return s;
}

static struct span span_trim_end(struct span s) {
        while (s.n > 0 && is_space(s.p[s.n - 1]))
                s.n--;
        return s;
}

static struct span span_advance(struct span s, size_t k) {
        k = MIN(k, s.n);
        s.p += k;
        s.n -= k;
        return s;
}

/* Literal prefix; on success *rest (if given) is what follows it. */
static inline bool span_prefix(struct span s, const char *lit, struct span *rest) {
        size_t l = strlen(lit);

        /* the first-byte test rejects almost every candidate without a call */
        if (s.n < l || s.p[0] != lit[0] || memcmp(s.p, lit, l) != 0)
                return false;
        if (rest)
                *rest = span_advance(s, l);
        return true;
}

/* (l = strlen(lit): table rows pass their literal's length) */
static inline bool span_prefix_ci_n(struct span s, const char *lit, size_t l, struct span *rest) {
        if (s.n < l || lower(s.p[0]) != lower(lit[0]))
                return false;
        for (size_t i = 0; i < l; i++)
                if (lower(s.p[i]) != lower(lit[i]))
                        return false;
        if (rest)
                *rest = span_advance(s, l);
        return true;
}

static inline bool span_prefix_ci(struct span s, const char *lit, struct span *rest) {
        return span_prefix_ci_n(s, lit, strlen(lit), rest);
}

static inline bool span_prefix_lit(struct span s, const struct lit *lit, struct span *rest) {
        if (s.n < lit->n || s.p[0] != lit->first || memcmp(s.p, lit->s, lit->n) != 0)
                return false;
        if (rest)
                *rest = span_advance(s, lit->n);
        return true;
}

static inline bool span_suffix_lit(struct span s, const struct lit *lit) {
        return s.n >= lit->n && memcmp(s.p + s.n - lit->n, lit->s, lit->n) == 0;
}

/* Bounded substring search; returns the offset or -1. memchr() on the first byte then
 * memcmp(): for the short needles and ~100-byte lines here this is several times faster than
 * glibc memmem(), whose set-up cost dominates on short inputs. */
static ssize_t span_find_n(struct span s, const char *lit, size_t l) {
        size_t i = 0;

        if (l == 0 || s.n < l)
                return -1;
        while (i + l <= s.n) {
                const char *hit = memchr(s.p + i, lit[0], s.n - l + 1 - i);
                if (!hit)
                        return -1;
                i = (size_t) (hit - s.p);
                /* cheap last-byte filter before the full compare: needles such as " cpuset="
                 * start with a byte that every line is full of */
                if (hit[l - 1] == lit[l - 1] && memcmp(hit + 1, lit + 1, l - 1) == 0)
                        return (ssize_t) i;
                i++;
        }
        return -1;
}

static inline ssize_t span_find(struct span s, const char *lit) {
        return span_find_n(s, lit, strlen(lit));
}

static bool span_contains(struct span s, const char *lit) {
        return span_find(s, lit) >= 0;
}

/* Count leading characters satisfying pred. */
static _always_inline_ size_t span_count(struct span s, bool (*pred)(char)) {
        size_t i = 0;

        while (i < s.n && pred(s.p[i]))
                i++;
        return i;
}

/* ------------------------------------------------------------------------------------------
 * Prefix tolerance. The input layer strips log prefixes, but pasted text keeps some that are
 * printed *inside* the kernel text: Android vendor kernels print "[cpu:  comm:pid] " after the
 * timestamp (corpus 007), and a caller id "[T123]"/"[  C0]" can survive when the timestamp
 * was stripped by hand (corpus 029 style). Neither can be confused with a task-table row
 * ("[ 1366]   0 ...": digits only) or a trace frame ("[<c0012fcc>]"). */
static struct span skip_inline_prefix(struct span s) {
        struct span in;
        size_t close;
        ssize_t c;

        /* forum BBCode wrapped around pasted log fragments (corpus 050): "[COLOR="Red"]...[/COLOR]" */
        if (span_prefix_ci(s, "[COLOR=", NULL) && (c = span_find(s, "]")) > 0) {
                s = span_advance(s, (size_t) c + 1);
                if (s.n >= 8 && span_prefix_ci(span_advance(s, s.n - 8), "[/COLOR]", NULL))
                        s.n -= 8;
                return span_trim_end(span_skip_space(s));
        }
        if (s.n < 3 || s.p[0] != '[' || s.p[1] == '<')
                return s;
        c = span_find(s, "]");
        if (c < 0 || c > 64)
                return s;
        close = (size_t) c;
        in = span_skip_space((struct span) { s.p + 1, close - 1 });

        /* caller id: "T1234" / "C3", possibly right-aligned with spaces */
        if (in.n >= 2 && (in.p[0] == 'T' || in.p[0] == 'C') &&
            span_count(span_advance(in, 1), is_digit) == in.n - 1)
                return span_skip_space(span_advance(s, close + 1));

        /* Android "[3:  Binder:9343_3:22875]": cpu ':' ... ':' pid */
        if (in.n >= 4 && span_count(in, is_digit) > 0 && in.p[span_count(in, is_digit)] == ':') {
                size_t tail = 0;

                while (tail < in.n && is_digit(in.p[in.n - 1 - tail]))
                        tail++;
                if (tail > 0 && tail < in.n && in.p[in.n - 1 - tail] == ':')
                        return span_skip_space(span_advance(s, close + 1));
        }
        return s;
}

/* ------------------------------------------------------------------------------------------
 * Vector helpers (GCC/clang vector extensions: SSE2 on x86-64, NEON on arm64, plain integer
 * code elsewhere), for the key sets below and report_line_may_open(). */

typedef unsigned char u8x16 __attribute__((vector_size(16)));
typedef unsigned short u16x8 __attribute__((vector_size(16)));

static inline u8x16 load16(const char *p) {
        u8x16 v;

        memcpy(&v, p, sizeof(v)); /* unaligned load */
        return v;
}

static inline bool any16(u8x16 v) {
        uint64_t w[2];

        memcpy(w, &v, sizeof(w));
        return (w[0] | w[1]) != 0;
}

/* ------------------------------------------------------------------------------------------
 * Key sets: the literals one line shape may start with (the meminfo counters, the memcg usage
 * counters, register names). Each is an X-macro list, so that report_line_may_open() can index
 * the same keys. A set is searched by its keys' first two bytes, one 16-bit-lane compare per
 * 8 keys: comparing first bytes only left several candidates per line ('s' and 'a' start many
 * keys). Every key has at least two bytes. */
struct key_set {
        const struct lit *keys;
        const unsigned short *pairs; /* keys[i].s[0] | s[1] << 8, zero-padded to whole vectors */
        size_t n;
};

#define LIT_ITEM(x) LIT(x),
#define FIRST_PAIR_ITEM(x) (unsigned short) ((unsigned char) (x)[0] | (unsigned) (unsigned char) (x)[1] << 8),
#define COUNT_ITEM(x) +1 /* NOLINT(bugprone-macro-parentheses): a term of a sum */
#define TWO_BYTES_ITEM(x) _Static_assert(sizeof(x) > 2, "a key set's keys have two bytes or more: " x);
#define DEFINE_KEY_SET(name, LIST)                                                                          \
        LIST(TWO_BYTES_ITEM)                                                                                \
        static const struct lit name##_keys[] = { LIST(LIT_ITEM) };                                         \
        static const unsigned short name##_pairs[(0 LIST(COUNT_ITEM) + 7) / 8 * 8] = { LIST(FIRST_PAIR_ITEM) }; \
        static const struct key_set name = { name##_keys, name##_pairs, ELEMENTSOF(name##_keys) }

/* The first of set's keys s starts with; on success *rest (if given) is what follows it. */
static _always_inline_ bool key_set_prefix(const struct key_set *set, struct span s, struct span *rest) {
        u16x8 c;

        if (s.n < 2)
                return false;
        c = (u16x8) {} + (unsigned short) ((unsigned char) s.p[0] | (unsigned) (unsigned char) s.p[1] << 8);
        for (size_t i = 0; i < set->n; i += 8) {
                u16x8 v;

                memcpy(&v, set->pairs + i, sizeof(v));
                if (!any16((u8x16) (v == c)))
                        continue;
                for (size_t e = i; e < i + 8 && e < set->n; e++)
                        if (set->pairs[e] == c[0] && span_prefix_lit(s, &set->keys[e], rest))
                                return true;
        }
        return false;
}

/* Mem-Info global counters (pages): first key of each printed line, all versions
 * (kernel-facts 5.4b, plus the 2.6.22-2.6.2x "Active:N inactive:N" / " free:N slab:N" form).
 * No key is a prefix of another: each ends in ':'. */
#define MEMINFO_KEYS(X)                                                                                     \
        X("active_anon:") X("inactive_anon:") X("isolated_anon:") X("active_file:") X("inactive_file:")     \
        X("isolated_file:") X("unevictable:") X("dirty:") X("writeback:") X("unstable:") X("free:")          \
        X("slab_reclaimable:") X("slab_unreclaimable:") X("mapped:") X("shmem:") X("pagetables:")           \
        X("sec_pagetables:") X("bounce:") X("free_cma:") X("free_pcp:") X("kernel_misc_reclaimable:")       \
        X("Active:") X("inactive:") X("slab:")
DEFINE_KEY_SET(meminfo_set, MEMINFO_KEYS);

/* memcg usage lines (kernel-facts 5.8), every era: "<counter>: usage NkB, limit NkB, failcnt N". */
#define MEMCG_USAGE_PREFIXES(X)                                                                             \
        X("memory: usage ") X("memory+swap: usage ") X("swap: usage ") X("kmem: usage ") X("tcpmem: usage ")
DEFINE_KEY_SET(memcg_usage_set, MEMCG_USAGE_PREFIXES);

/* Register and dump lines printed by show_regs()/__show_regs() and the oops/backtrace code on
 * the architectures in the corpus (x86-64, i386, arm, arm64, ppc); arm "r10:00000000 r9:..."
 * and arm64 "x29: ffff..." are matched by shape (arm_registers()). */
#define REGISTER_KEYS(X)                                                                                    \
        X("RIP: ") X("RSP: ") X("RAX: ") X("RBX: ") X("RCX: ") X("RDX: ") X("RSI: ") X("RDI: ") X("RBP: ")  \
        X("R08: ") X("R09: ") X("R10: ") X("R11: ") X("R12: ") X("R13: ") X("R14: ") X("R15: ") X("FS: ")   \
        X("CS: ") X("CR0: ") X("CR2: ") X("DR0: ") X("DR3: ") X("DR6: ") X("EIP: ") X("EAX: ") X("ESI: ")   \
        X("DS: ") X("Code: ") X("EFLAGS: ") X("PKRU: ") X("pc : ") X("lr : ") X("sp : ") X("pstate: ")      \
        X("NIP: ") X("LR: ") X("CTR: ") X("REGS: ") X("MSR: ") X("GPR") X("Stack:") X("task: ")             \
        X("Workqueue: ") X("Exception stack(") X("Backtrace aborted") X("Modules linked in:")                \
        X("Kernel Offset:") X("Call Trace") X("---[ end trace")
DEFINE_KEY_SET(register_set, REGISTER_KEYS);

/* "Call Trace:" (x86), "Call trace:" (arm64), "Backtrace:" (arm <=4.x), "<TASK>" markers
 * (5.16+); 4.9 can glue the stack hex onto "Call Trace:" (corpus 040), hence prefixes. */
#define TRACE_START_KEYS(X) X("Call Trace:") X("Call trace:") X("Backtrace:") X("<TASK>") X("</TASK>")
DEFINE_KEY_SET(trace_start_set, TRACE_START_KEYS);

/* "<IRQ>"/"<EOI>"/"<NMI>" section markers inside an x86 trace */
#define TRACE_SECTION_KEYS(X) X("<IRQ>") X("</IRQ>") X("<EOI>") X("<NMI>") X("</NMI>")
DEFINE_KEY_SET(trace_section_set, TRACE_SECTION_KEYS);

/* ------------------------------------------------------------------------------------------
 * Views: the part of the line a table row looks at. Kill lines may follow a "<msg>: " and
 * zone, buddy, hugepages and node-LRU lines a "Node N "; rows on such a view see what follows
 * it, computed once per line when the first row asks. */
enum shape_view {
        ON_LINE,           /* the trimmed line */
        AFTER_KILL_MSG,    /* what follows a kill message; a line without one does not match */
        KILL_MSG_OPTIONAL, /* the same, or the whole line when it has none */
        AFTER_NODE,        /* what follows "Node N "; a line without it does not match */
        NODE_OPTIONAL,     /* the same, or the whole line when it has none */
};

/* "<msg>: " prefixes of the kill lines (kernel-facts 5.7). Matched case-insensitively: 2.6.x
 * printed "Out of Memory: Kill process" in some releases and "kill process" in others. */
static const struct lit kill_msgs[] = {
        LIT("Out of memory (oom_kill_allocating_task): "), /* 2.6.24+ */
        LIT("Memory cgroup out of memory: "),              /* 2.6.29+ */
        LIT("Out of memory: "),                            /* all */
};

static bool after_kill_msg(struct span s, struct span *ret) {
        struct span rest;

        for (size_t i = 0; i < ELEMENTSOF(kill_msgs); i++)
                if (span_prefix_ci_n(s, kill_msgs[i].s, kill_msgs[i].n, &rest)) {
                        *ret = span_skip_space(rest);
                        return true;
                }
        return false;
}

/* "Node 0 " (CONFIG_NUMA, and every 4.8+ node-LRU line); "Node 0" alone is a torn KERN_CONT
 * fragment (4.9, corpus 040), whose view is empty. */
static bool after_node(struct span s, struct span *ret) {
        struct span rest;
        size_t d;

        if (!span_prefix(s, "Node ", &rest))
                return false;
        d = span_count(rest, is_digit);
        if (d == 0)
                return false;
        rest = span_advance(rest, d);
        if (rest.n > 0 && rest.p[0] != ' ')
                return false;
        *ret = span_skip_space(rest);
        return true;
}

/* ------------------------------------------------------------------------------------------
 * Tests a row applies after its key matched: view is what the row looks at, rest what follows
 * the key (the view itself for SHAPE rows). */

static bool digit_follows(struct span view, struct span rest) {
        return rest.n > 0 && is_digit(rest.p[0]);
}

/* "Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled", "... Out of
 * memory and no killable processes...", "... System is deadlocked on memory" (4.19+
 * out_of_memory() when nothing is killable) */
static bool oom_panic_reason(struct span view, struct span rest) {
        return span_prefix_ci(rest, "Out of memory", NULL) ||
               span_prefix(rest, "System is deadlocked on memory", NULL);
}

/* (these two search the whole line: the phrase may begin with the key's last space) */
static bool oom_group_tail(struct span view, struct span rest) {
        return span_contains(view, " are going to be killed due to memory.oom.group set");
}

static bool memcg_limit_tail(struct span view, struct span rest) {
        return span_contains(view, " killed as a result of limit of ");
}

/* "Free swap  = 0kB" (two spaces in the source; pasted text collapses them), 2.6.2x
 * "Free swap:            0kB" */
static bool swap_equals(struct span view, struct span rest) {
        rest = span_skip_space(rest);
        return rest.n > 0 && (rest.p[0] == '=' || rest.p[0] == ':');
}

/* "CPU: 1 PID: 1371 Comm: ..." (3.10+), "CPU: 1 UID: 0 PID: ..." (6.12+) */
static bool cpu_pid_comm(struct span view, struct span rest) {
        rest = span_skip_space(rest);
        return rest.n > 0 && is_digit(rest.p[0]) &&
               (span_contains(rest, " PID: ") || span_contains(rest, " Comm: "));
}

/* 2.6.32 x86 "Pid: 123, comm: ..." */
static bool pid_comm(struct span view, struct span rest) {
        return rest.n > 0 && is_digit(rest.p[0]) && span_contains(rest, ", comm: ");
}

/* Blanks, a number, then sep; *after is what follows sep, blanks skipped. */
static bool number_then(struct span s, char sep, struct span *after) {
        size_t d;

        s = span_skip_space(s);
        d = span_count(s, is_digit);
        if (d == 0 || d >= s.n || s.p[d] != sep)
                return false;
        *after = span_skip_space(span_advance(s, d + 1));
        return true;
}

/* after "CPU": "    0: hi:  186, btch:  31 usd:  27" (2.6.2x adds "Hot:"/"Cold:"); pasted
 * text collapses the alignment to "CPU 0: hi: 42" */
static bool percpu_counts(struct span view, struct span rest) {
        return number_then(rest, ':', &rest) &&
               (span_prefix(rest, "hi:", NULL) || span_prefix(rest, "Hot:", NULL));
}

static bool slab_columns(struct span view, struct span rest) {
        return span_contains(view, "Used") && span_contains(view, "Total");
}

static bool is_empty(struct span view, struct span rest) {
        return view.n == 0;
}

static bool is_word_then(struct span s, char sep, struct span *rest) {
        size_t w = span_count(s, is_ident);

        if (w == 0 || w >= s.n || s.p[w] != sep)
                return false;
        if (rest)
                *rest = span_advance(s, w + 1);
        return true;
}

/* "active_anon:408244kB inactive_anon:..." after "Node 0 " (4.8+ node-LRU statistics) */
static bool word_colon(struct span view, struct span rest) {
        return is_word_then(view, ':', NULL);
}

/* "[ pid ]   uid  tgid total_vm ..." (<=4.18) / "[  pid  ]   uid ..." (4.19+), after the '[' */
static bool pid_column(struct span view, struct span rest) {
        rest = span_skip_space(rest);
        if (!span_prefix(rest, "pid", &rest))
                return false;
        rest = span_skip_space(rest);
        return rest.n > 0 && rest.p[0] == ']';
}

/* "[ 1366]     0  1366 ...": a bracketed pid, then a number, after the '[' */
static bool pid_then_number(struct span view, struct span rest) {
        return number_then(rest, ']', &rest) && rest.n > 0 && (is_digit(rest.p[0]) || rest.p[0] == '-');
}

/* Zone names of mainline kernels (include/linux/mmzone.h zone_names[]), all versions. */
static const struct lit zone_names[] = { LIT("DMA"), LIT("DMA32"), LIT("Normal"), LIT("HighMem"), LIT("Movable"), LIT("Device") };

static bool is_zone_name(struct span w) {
        for (size_t i = 0; i < ELEMENTSOF(zone_names); i++)
                if (zone_names[i].n == w.n && memcmp(zone_names[i].s, w.p, w.n) == 0)
                        return true;
        return false;
}

/* after "<Zone>:", "1165*4kB (MRC) ... = 233460kB"; an empty zone prints "Normal: 0*4kB ..." */
static bool buddy_orders(struct span view, struct span rest) {
        size_t d;

        rest = span_skip_space(rest);
        d = span_count(rest, is_digit);
        return d > 0 && d < rest.n && rest.p[d] == '*';
}

/* torn KERN_CONT (corpus 040): "Node 0 DMA32: " with the orders on the next record; only for
 * real zone names, or "Backtrace:" would qualify */
static bool zone_name_alone(struct span view, struct span rest) {
        return span_skip_space(rest).n == 0 && is_zone_name((struct span) { view.p, span_count(view, is_ident) });
}

static bool mems_allowed_too(struct span view, struct span rest) {
        return span_contains(view, " mems_allowed=");
}

/* "N <words with 'pages'>" totals at the end of show_mem (kernel-facts 5.4j) */
static bool words_with_pages(struct span view, struct span rest) {
        for (size_t i = 0; i < rest.n; i++) {
                char c = rest.p[i];
                if (!is_alpha(c) && c != ' ' && c != '/' && c != '-' && c != '_')
                        return false;
        }
        for (size_t i = 0; i + 5 <= rest.n; i++)
                if (memcmp(rest.p + i, "pages", 5) == 0 && (i == 0 || rest.p[i - 1] == ' ') &&
                    (i + 5 == rest.n || rest.p[i + 5] == ' '))
                        return true;
        return false;
}

/* torn KERN_CONT lowmem_reserve[] values (4.9, corpus 040): "0 1677 1677 1677", possibly with
 * the next zone line's "Node 0 " glued on */
static bool lowmem_values(struct span s, struct span rest) {
        size_t i = 0, nums = 0;

        if (s.n == 0 || !is_digit(s.p[0]))
                return false;
        while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ' ')) {
                if (is_digit(s.p[i]) && (i == 0 || s.p[i - 1] == ' '))
                        nums++;
                i++;
        }
        return nums >= 2 && (i == s.n || span_prefix(span_advance(s, i), "Node ", NULL));
}

/* hard-wrapped buddy continuation "748*128kB (C) 0*256kB ... = 233460kB" */
static bool buddy_continuation(struct span s, struct span rest) {
        size_t d = span_count(s, is_digit);

        return d > 0 && d < s.n && s.p[d] == '*' && span_contains(s, "kB");
}

/* counters are bare page numbers; "free:233460kB" is a zone line that lost its name */
static bool kb_number(struct span view, struct span rest) {
        size_t d = span_count(rest, is_digit);

        return d > 0 && d + 1 < rest.n && rest.p[d] == 'k' && rest.p[d + 1] == 'B';
}

/* 4.15+: "oom_kill_process: 3 callbacks suppressed" etc. Only functions on the OOM /
 * warn_alloc paths count; "slab_out_of_memory: N callbacks suppressed" (corpus 002) belongs to
 * another report family. Identifiers only ([A-Za-z0-9_]): report_line_may_open() relies on it. */
static const struct lit ratelimit_funcs[] = {
        LIT("warn_alloc"), LIT("oom_kill_process"), LIT("dump_header"), LIT("out_of_memory"), LIT("__oom_kill_process"),
        LIT("oom_reaper"), LIT("mem_cgroup_out_of_memory"), LIT("__alloc_pages_slowpath"), LIT("__alloc_pages_may_oom"),
        LIT("pagefault_out_of_memory"), LIT("warn_alloc_failed"), LIT("__alloc_pages_nodemask"),
};

static bool ratelimit_note(struct span s, struct span unused) {
        ssize_t at = span_find(s, ": ");
        struct span rest;
        size_t d;

        if (at <= 0)
                return false;
        rest = span_advance(s, (size_t) at + 2);
        d = span_count(rest, is_digit);
        if (d == 0 || !span_prefix(span_advance(rest, d), " callbacks suppressed", NULL))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(ratelimit_funcs); i++)
                if (ratelimit_funcs[i].n == (size_t) at && memcmp(s.p, ratelimit_funcs[i].s, (size_t) at) == 0)
                        return true;
        return false;
}

/* "func+0x1f/0x76" possibly prefixed by "? " and/or "[<addr>] ", possibly followed by
 * " [module]" / "[module buildid]"; ppc ".func+0x74/0x1b4"; 2.6.22 "[func+dec/dec]". */
static bool is_symbol_offset(struct span s) {
        size_t i = 0;

        if (s.n > 0 && s.p[0] == '.')
                i++;
        while (i < s.n && (is_ident(s.p[i]) || s.p[i] == '.' || s.p[i] == '$' ||
                           (s.p[i] == ':' && i > 0)))
                i++;
        if (i == 0 || i + 3 >= s.n || s.p[i] != '+')
                return false;
        i++;
        if (!(s.p[i] == '0' && (s.p[i + 1] == 'x' || s.p[i + 1] == 'X')) && !is_digit(s.p[i]))
                return false;
        return memchr(s.p + i, '/', s.n - i) != NULL;
}

static bool symbol_offset(struct span view, struct span rest) {
        return is_symbol_offset(rest);
}

static bool symbol_offset_after_blanks(struct span view, struct span rest) {
        return is_symbol_offset(span_skip_space(rest));
}

/* ppc64 "[c0000000fb8e3a50] [c000000000015d88] .show_stack+0x74/0x1b4", after the '[' */
static bool bracketed_address(struct span view, struct span rest) {
        size_t h = span_count(rest, is_xdigit);

        return h >= 8 && h < rest.n && rest.p[h] == ']';
}

static bool from_address(struct span view, struct span rest) {
        return span_contains(view, ") from [<");
}

/* "dump_header from out_of_memory+0x300/0x34c": a function name first */
static bool function_from_symbol(struct span view, struct span rest) {
        return span_count(view, is_ident) > 0 && is_symbol_offset(rest);
}

/* 4.9 torn stack dump: "ffff880000000010 ffff880060dab9c8 ffff880060dab978Call Trace:" */
static bool hex_then_call_trace(struct span s, struct span rest) {
        ssize_t ct = span_find(s, "Call Trace:");

        return ct > 0 && is_xdigit(s.p[0]) && is_xdigit(s.p[ct - 1]);
}

/* 2.6.2x x86 end-of-trace marker "=======================" */
static bool only_equals(struct span view, struct span rest) {
        size_t i = 0;

        while (i < view.n && view.p[i] == '=')
                i++;
        return i == view.n;
}

/* arm "r6:00000000 r5:ffffffff" / arm64 "x29: ffff..." : [rx]N: hex ... */
static bool arm_registers(struct span s, struct span rest) {
        size_t d;

        if (s.n < 4 || (s.p[0] != 'r' && s.p[0] != 'x'))
                return false;
        d = span_count(span_advance(s, 1), is_digit);
        if (d == 0 || d > 2 || 1 + d >= s.n || s.p[1 + d] != ':')
                return false;
        s = span_skip_space(span_advance(s, 2 + d));
        return span_count(s, is_xdigit) >= 8;
}

/* A stack dump row " 0000000000000000 ffff8800968e3ca0 ffffffff8137ad47 ..." (x86 <=4.8,
 * arm "Stack: (0x...)" rows "bf00: 00000000 ..."): only hex words of 8 or 16 digits. */
static bool stack_words(struct span s, struct span rest) {
        size_t words = 0;

        /* arm: "8e01: 00000000 ..." address label */
        {
                size_t h = span_count(s, is_xdigit);
                if (h >= 3 && h < s.n && s.p[h] == ':')
                        s = span_skip_space(span_advance(s, h + 1));
        }
        while (s.n > 0) {
                size_t h = span_count(s, is_xdigit);
                if (h != 8 && h != 16)
                        return false;
                s = span_advance(s, h);
                if (s.n > 0 && !is_space(s.p[0]))
                        return false;
                s = span_skip_space(s);
                words++;
                /* a lone 64-bit word is a torn stack-dump row (4.9, corpus 040); a lone 32-bit
                 * word is too ambiguous */
                if (h == 16 && s.n == 0)
                        return true;
        }
        return words >= 2;
}

/* "dentry  1234KB  5678KB" rows of "Unreclaimable slab info:" (4.15+, %-17s %10luKB %10luKB);
 * the name is any non-space run ("kmalloc-1k", ":0000064", "TCPv6") */
static bool slab_row(struct span s, struct span unused) {
        ssize_t sp;
        struct span rest;

        sp = -1;
        for (size_t i = 0; i < s.n; i++)
                if (is_space(s.p[i])) {
                        sp = (ssize_t) i;
                        break;
                }
        if (sp <= 0)
                return false;
        rest = span_skip_space(span_advance(s, (size_t) sp));
        for (int col = 0; col < 2; col++) {
                size_t d = span_count(rest, is_digit);
                if (d == 0 || !span_prefix(span_advance(rest, d), "KB", &rest))
                        return false;
                rest = span_skip_space(rest);
        }
        return rest.n == 0;
}

/* memory.stat line (5.3+ v2 names, bytes): "anon 98742272". One lowercase identifier, one
 * number, nothing else. */
static bool memcg_stat(struct span s, struct span unused) {
        size_t w = span_count(s, is_ident);
        struct span rest;

        if (w == 0 || !(s.p[0] >= 'a' && s.p[0] <= 'z') || w >= s.n || s.p[w] != ' ')
                return false;
        rest = span_skip_space(span_advance(s, w));
        return rest.n > 0 && span_count(rest, is_digit) == rest.n;
}

/* ------------------------------------------------------------------------------------------
 * The line shapes. One row per shape the kernel prints (or pasting makes of it): what to look
 * at, how its key matches, an optional further test, the kind it gives, the kernels that print
 * it (kernel-facts section 5) and an example line. Rows are tried in order and the first match
 * decides, so order matters only where two shapes can match one line: the headers are searched
 * first (a comm can be anything), a zone line beats the cpuset search (rsyslog glues
 * "lowmem_reserve[]:" onto it, corpus 053), the meminfo counters beat the trace shapes. A new
 * kernel's shape is a new row; tests/unit/test_report_line.c checks that every row's example
 * is classified by that row, not an earlier one. */

enum shape_match {
        M_START,        /* the view starts with key */
        M_START_CI,     /* ... in any ASCII case */
        M_ANYWHERE,     /* key occurs in the view; rest follows its first occurrence */
        M_END,          /* the view ends with key */
        M_KEY_SET,      /* the view starts with one of set's keys */
        M_AFTER_WORD,   /* a word (a letter, then [A-Za-z0-9_]), then key: "Normal free:", "DMA32:" */
        M_AFTER_NUMBER, /* a number, blanks, then key: "66770 total pagecache pages" */
        M_SHAPE,        /* no key: the test alone decides */
};

struct line_shape {
        enum line_kind kind;
        const char *kernels; /* the kernels that print it, or what mangles pasted text into it */
        enum shape_view on;
        enum shape_match how;
        char anchor; /* the view's first byte, 0 if any: most rows reject a line on it */
        struct lit key;
        const struct key_set *set;
        bool (*then)(struct span view, struct span rest); /* further test; NULL: the key decides */
        const char *example; /* a line this row, not an earlier one, classifies */
};

#define AT_START(x) .how = M_START, .anchor = (x)[0], .key = LIT(x)
#define AT_START_CI(x) .how = M_START_CI, .key = LIT(x)
#define ANYWHERE(x) .how = M_ANYWHERE, .key = LIT(x)
#define AT_END(x) .how = M_END, .key = LIT(x)
#define ONE_OF(s) .how = M_KEY_SET, .set = &s
#define AFTER_WORD(x) .how = M_AFTER_WORD, .key = LIT(x)
#define AFTER_NUMBER(x) .how = M_AFTER_NUMBER, .key = LIT(x)
#define SHAPE(fn) .how = M_SHAPE, .then = fn
#define THEN(fn) .then = fn

static const struct line_shape line_shapes[] = {
        /* --- report starts: <comm> may contain spaces ("process reaper", corpus 017), so
         * these are searches, not prefixes */
        { LINE_OOM_HEADER, "all", ANYWHERE("invoked oom-killer:"),
          .example = "process reaper invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0" },
        { LINE_ALLOC_FAIL_HEADER, "3.0+", ANYWHERE("page allocation failure: order:"),
          .example = "dockerd: page allocation failure: order:5, mode:0x440dc0(GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO), nodemask=(null)" },
        { LINE_ALLOC_FAIL_HEADER, "2.6.32", ANYWHERE("page allocation failure. order:"),
          .example = "swapper/0: page allocation failure. order:1, mode:0x20" },
        { LINE_ALLOC_STALL, "4.9-4.14", ANYWHERE("page allocation stalls for "),
          .example = "a.out: page allocation stalls for 140026ms, order:0, mode:0x342004a(GFP_NOFS)" },

        /* --- the kill group */
        { LINE_OOM_SUMMARY, "5.0+", AT_START("oom-kill:"),
          .example = "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=node,pid=2092,uid=0" },
        { LINE_OOM_REAPER, "4.6+", AT_START("oom_reaper: reaped process "),
          .example = "oom_reaper: reaped process 2092 (node), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" },
        { LINE_OOM_REAPER, "4.6+", AT_START("oom_reaper: unable to reap"),
          .example = "oom_reaper: unable to reap pid:7558 (a.out)" },
        { LINE_OOM_GROUP, "4.19+", AT_START("Tasks in "), THEN(oom_group_tail),
          .example = "Tasks in /a are going to be killed due to memory.oom.group set" },
        { LINE_PANIC_ON_OOM, "all", AT_START("Kernel panic - not syncing: "), THEN(oom_panic_reason),
          .example = "Kernel panic - not syncing: Out of memory and no killable processes..." },
        { LINE_NO_KILLABLE, "all", AT_START_CI("Out of memory and no killable processes"),
          .example = "Out of memory and no killable processes..." },
        /* "<msg>: compulsory panic_on_oom is enabled" / "system-wide ..." */
        { LINE_PANIC_ON_OOM, "all", .on = AFTER_KILL_MSG, ANYWHERE("panic_on_oom"),
          .example = "Out of memory: compulsory panic_on_oom is enabled" },
        { LINE_OOM_VICTIM_EXITING, "5.10+", .on = AFTER_KILL_MSG, AT_START("OOM victim "),
          .example = "Memory cgroup out of memory: OOM victim 123 (x) is already exiting. Skip killing the task" },
        /* 2.6.22-3.x "kill process N (comm) score S or a child", 3.0-5.0 "Kill process N (comm)
         * score S or sacrifice child", "Kill process N (comm) sharing same memory" (<=3.14,
         * without <msg>). The pid must follow: pasted text may lose the parentheses (seed:
         * "Kill process 5575 thread_x score 481"), never the number. */
        { LINE_KILL_PROCESS, "2.6.22-5.0", .on = KILL_MSG_OPTIONAL, AT_START_CI("Kill process "), THEN(digit_follows),
          .example = "Out of memory: kill process 9837 (run-mozilla.sh) score 70967 or a child" },
        /* 3.0+ "Killed process N (comm) total-vm:...", 2.6.x "Killed process N (comm)", RHEL6
         * "Killed process N, UID 0, (comm) ..." */
        { LINE_KILLED_PROCESS, "all", .on = KILL_MSG_OPTIONAL, AT_START_CI("Killed process "), THEN(digit_follows),
          .example = "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB" },

        /* --- body lines with a fixed start */
        /* "Mem-Info:", older "Mem-info:": any case after the capital */
        { LINE_MEMINFO_START, "all", AT_START_CI("Mem-info:"), .anchor = 'M', .example = "Mem-Info:" },
        { LINE_MEMCG_STATS_START, "2.6.29+", AT_START("Memory cgroup stats for "),
          .example = "Memory cgroup stats for /docker/2e08: cache:0KB rss:20260KB" },
        /* mem_cgroup_print_oom_context() without a task */
        { LINE_MEMCG_TASK_IN, "4.19", AT_START("Memory limit reached of cgroup "),
          .example = "Memory limit reached of cgroup /a" },
        { LINE_MEMCG_TASK_IN, "2.6.29-4.20", AT_START("Task in "), THEN(memcg_limit_tail),
          .example = "Task in /docker/2e08 killed as a result of limit of /docker/2e08" },
        { LINE_TASK_HEADER, "4.19+", AT_START("Tasks state (memory values in pages):"),
          .example = "Tasks state (memory values in pages):" },
        { LINE_SWAP, "all", AT_START("Total swap = "), .example = "Total swap = 610428kB" },
        { LINE_SWAP, "all", AT_START("Free swap"), THEN(swap_equals), .example = "Free swap:            0kB" },
        { LINE_SWAP, "2.6.32-5.x", AT_START("Swap cache stats: "), .example = "Swap cache stats: add 0, delete 0, find 0/0" },
        { LINE_SWAP, "2.6.2x", AT_START("Swap cache: add"),
          .example = "Swap cache: add 612260, delete 612260, find 146681/222739, race 0+0" },
        { LINE_HARDWARE, "2.6.3x+", AT_START("Hardware name: "),
          .example = "Hardware name: LENOVO 20BSCTO1WW/20BSCTO1WW, BIOS N14ET32W (1.10 ) 08/13/2015" },
        { LINE_NO_COMPACTION, "4.9+", AT_START("COMPACTION is disabled!!!"), .example = "COMPACTION is disabled!!!" },
        { LINE_CPU, "3.10+", AT_START("CPU: "), THEN(cpu_pid_comm),
          .example = "CPU: 3 UID: 0 PID: 99 Comm: x Not tainted 6.12.0 #1" },
        { LINE_CPU, "2.6.32", AT_START("Pid: "), THEN(pid_comm),
          .example = "Pid: 6186, comm: Xorg Tainted: P        2.6.24-19-generic #1" },
        { LINE_PERCPU_ROW, "2.6.2x-3.x", AT_START("CPU"), THEN(percpu_counts),
          .example = "CPU    0: Hot: hi:    0, btch:   1 usd:   0   Cold: hi:    0, btch:   1 usd:   0" },
        { LINE_UNRECLAIMABLE_SLAB_START, "4.15+", AT_START("Unreclaimable slab info:"),
          .example = "Unreclaimable slab info:" },
        { LINE_UNRECLAIMABLE_SLAB_ROW, "4.15+", AT_START("Name "), THEN(slab_columns),
          .example = "Name                      Used          Total" },
        /* "Node 0 " printed as a record of its own: a torn KERN_CONT zone line (4.9, corpus 040) */
        { LINE_ZONE, "4.9", .on = AFTER_NODE, SHAPE(is_empty), .example = "Node 0 " },
        { LINE_HUGEPAGES, "3.x+", .on = AFTER_NODE, AT_START("hugepages_total="),
          .example = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB" },
        { LINE_LOWMEM_RESERVE, "all", AT_START("lowmem_reserve[]:"), .example = "lowmem_reserve[]: 0 10168 10168" },
        { LINE_TASK_HEADER, "all", AT_START("["), THEN(pid_column),
          .example = "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name" },
        { LINE_TASK_ROW, "all", AT_START("["), THEN(pid_then_number),
          .example = "[ 181505] 65535 181505      243        1    28672        0          -998 pause" },
        { LINE_MEMCG_USAGE, "2.6.29+", ONE_OF(memcg_usage_set),
          .example = "memory+swap: usage 40940kB, limit 40960kB, failcnt 6" },

        /* --- zone lines, "[Node N ]<Zone>...": zone names are a fixed set in mainline and
         * vendor trees add none we know of, so the shape decides rather than the name */
        { LINE_ZONE, "all", .on = NODE_OPTIONAL, AFTER_WORD(" free:"), THEN(digit_follows),
          .example = "Node 0 DMA32 free:44568kB min:44640kB low:55800kB high:66960kB" },
        { LINE_PERCPU_HEADER, "2.6.2x-3.x", .on = NODE_OPTIONAL, AFTER_WORD(" per-cpu:"), .example = "Normal per-cpu:" },
        { LINE_BUDDY, "all", .on = NODE_OPTIONAL, AFTER_WORD(":"), THEN(buddy_orders),
          .example = "Normal: 1165*4kB (MRC) 1122*8kB (RC) 1119*16kB (RC) = 233460kB" },
        /* torn KERN_CONT (4.9, corpus 040): the orders follow in the next record */
        { LINE_BUDDY, "4.9", .on = NODE_OPTIONAL, AFTER_WORD(":"), THEN(zone_name_alone), .example = "Node 0 DMA32: " },
        { LINE_NODE, "4.8+", .on = AFTER_NODE, SHAPE(word_colon),
          .example = "Node 0 active_anon:408244kB inactive_anon:326204kB all_unreclaimable? no" },

        /* --- the rest of show_mem and the cpuset line */
        { LINE_CPUSET, "2.6.32-4.20", ANYWHERE(" cpuset="), THEN(mems_allowed_too),
          .example = "gunpowder-memho cpuset=2e088fe462e25e60 mems_allowed=0" },
        { LINE_PAGECACHE, "all", AFTER_NUMBER("total pagecache pages"), .example = "66770 total pagecache pages" },
        { LINE_SWAP, "all", AFTER_NUMBER("pages in swap cache"), .example = "0 pages in swap cache" },
        /* "520192 pages of RAM", "286253 free pages", "0 pages HighMem/MovableOnly", "N pages cma
         * reserved", "N pages hwpoisoned", 2.6.2x "4216 pages slab" (kernel-facts 5.4j) */
        { LINE_TOTALS, "all", AFTER_NUMBER(""), THEN(words_with_pages), .example = "0 pages HighMem/MovableOnly" },
        { LINE_LOWMEM_RESERVE, "4.9", SHAPE(lowmem_values), .example = " 0 1677 1677 1677Node 0 " },
        { LINE_BUDDY, "all, hard-wrapped", SHAPE(buddy_continuation),
          .example = "748*128kB (C) 0*256kB 0*512kB 0*1024kB 1*2048kB (R) = 233460kB" },
        { LINE_ZONE, "all, name lost", ONE_OF(meminfo_set), THEN(kb_number),
          .example = "free:233460kB min:2488kB low:3108kB high:3732kB" },
        { LINE_MEMINFO_COUNTERS, "all", ONE_OF(meminfo_set), THEN(digit_follows),
          .example = " free:1623 slab:4216 mapped:6 pagetables:1409 bounce:0" },
        { LINE_RATELIMIT, "4.15+", SHAPE(ratelimit_note), .example = "warn_alloc: 3 callbacks suppressed" },

        /* --- dump_stack(): traces, registers, stack words */
        { LINE_TRACE_START, "all", ONE_OF(trace_start_set), .example = " <TASK>" },
        { LINE_TRACE_FRAME, "all", ONE_OF(trace_section_set), .example = " <IRQ>" },
        /* "[<ffffffff8137ad47>] dump_stack+0x4d/0x63", arm "[<c0012fcc>] (dump_backtrace) from ..." */
        { LINE_TRACE_FRAME, "<=4.x", AT_START("[<"),
          .example = "[<c0012fcc>] (dump_backtrace) from [<c00131a4>] (show_stack+0x20/0x24)" },
        { LINE_TRACE_FRAME, "ppc64", AT_START("["), THEN(bracketed_address),
          .example = "[c0000000fb8e3a50] [c000000000015d88] .show_stack+0x74/0x1b4" },
        { LINE_TRACE_FRAME, "2.6.22", AT_START("["), THEN(symbol_offset),
          .example = " [agpgart:__alloc_pages+0x36c/0x3a0] __alloc_pages+0x36c/0x3a0" },
        /* arm 4.x+ unwinder without addresses first */
        { LINE_TRACE_FRAME, "arm 4.x+", AT_START("("), THEN(from_address),
          .example = "(unwind_backtrace) from [<c010d824>] (show_stack+0x20/0x24)" },
        /* arm 5.x+ unwinder */
        { LINE_TRACE_FRAME, "arm 5.x+", ANYWHERE(" from "), THEN(function_from_symbol),
          .example = " brcmf_attach [brcmfmac] from brcmf_sdio_firmware_callback+0x84c/0x974 [brcmfmac]" },
        /* "[<ffffffff81234>]" stripped to "[]" by HTML rendering (corpus 028) */
        { LINE_TRACE_FRAME, "all, HTML-stripped", AT_START("[] "), THEN(symbol_offset_after_blanks),
          .example = "[] dump_stack+0x19/0x1b" },
        { LINE_TRACE_START, "4.9", SHAPE(hex_then_call_trace),
          .example = "ffff880000000010 ffff880060dab9c8 ffff880060dab978Call Trace:" },
        { LINE_TRACE_FRAME, "all", AT_START("? "), .example = " ? kernel_init_free_pages.part.0+0x4a/0x70" },
        { LINE_TRACE_FRAME, "all", SHAPE(symbol_offset), .example = "oom_kill_process.cold.32+0xb/0x10" },
        { LINE_TRACE_FRAME, "2.6.2x", AT_START("====="), THEN(only_equals), .example = " =======================" },
        { LINE_TRACE_FRAME, "all", ONE_OF(register_set), .example = "Code: Unable to access opcode bytes at RIP 0x560f8a114623." },
        { LINE_TRACE_FRAME, "all", SHAPE(arm_registers), .example = "r4:c0b89aa8" },
        { LINE_TRACE_FRAME, "all", SHAPE(stack_words),
          .example = " 0000000000000000 ffff8800968e3ca0 ffffffff8137ad47 ffff8800968e3d68" },

        /* --- shapes without a key, last: they accept the most */
        { LINE_UNRECLAIMABLE_SLAB_ROW, "4.15+", SHAPE(slab_row), .example = "kmalloc-1k               1234KB       5678KB" },
        { LINE_MEMCG_STAT, "5.3+", SHAPE(memcg_stat), .example = "anon 98742272" },
        /* whatever precedes it: a prefix the input layer did not strip (corpus 056: "... kernel:
         * [430837.196288] Normal per-cpu:" with the date elided) */
        { LINE_PERCPU_HEADER, "2.6.2x-3.x", AT_END("per-cpu:"), .example = "... kernel: [430837.196288] Normal per-cpu:" },
};

/* ------------------------------------------------------------------------------------------
 * Matching */

/* What follows key at the start of s (key may be empty). */
static _always_inline_ bool starts_with(struct span s, const struct lit *key, struct span *rest) {
        if (s.n < key->n || memcmp(s.p, key->s, key->n) != 0)
                return false;
        *rest = span_advance(s, key->n);
        return true;
}

struct line_views {
        struct span line;
        bool msg_known, has_msg, node_known, has_node;
        struct span msg, node;
        struct span word_of; /* the view whose leading word is word_len long */
        size_t word_len;
};

static _always_inline_ bool view_of(struct line_views *v, enum shape_view on, struct span *ret) {
        switch (on) {
        case ON_LINE:
                *ret = v->line;
                return true;
        case AFTER_KILL_MSG:
        case KILL_MSG_OPTIONAL:
                if (!v->msg_known) {
                        v->has_msg = after_kill_msg(v->line, &v->msg);
                        v->msg_known = true;
                }
                *ret = v->has_msg ? v->msg : v->line;
                return v->has_msg || on == KILL_MSG_OPTIONAL;
        case AFTER_NODE:
        case NODE_OPTIONAL:
                if (!v->node_known) {
                        v->has_node = after_node(v->line, &v->node);
                        v->node_known = true;
                }
                *ret = v->has_node ? v->node : v->line;
                return v->has_node || on == NODE_OPTIONAL;
        }
        return false;
}

/* The leading word of a view, counted once however many rows ask. */
static _always_inline_ size_t leading_word(struct line_views *v, struct span in) {
        if (v->word_of.p != in.p || v->word_of.n != in.n) {
                v->word_of = in;
                v->word_len = in.p && in.n > 0 && is_alpha(in.p[0]) ? span_count(in, is_ident) : 0;
        }
        return v->word_len;
}

static _always_inline_ bool key_matches(const struct line_shape *r, struct line_views *v, struct span in, struct span *rest) {
        ssize_t at;
        size_t w;

        switch (r->how) {
        case M_START:
                return starts_with(in, &r->key, rest);
        case M_START_CI:
                return span_prefix_ci_n(in, r->key.s, r->key.n, rest);
        case M_ANYWHERE:
                at = span_find_n(in, r->key.s, r->key.n);
                if (at < 0)
                        return false;
                *rest = span_advance(in, (size_t) at + r->key.n);
                return true;
        case M_END:
                *rest = span_advance(in, in.n);
                return span_suffix_lit(in, &r->key);
        case M_KEY_SET:
                return key_set_prefix(r->set, in, rest);
        case M_AFTER_WORD:
                w = leading_word(v, in);
                return w > 0 && starts_with(span_advance(in, w), &r->key, rest);
        case M_AFTER_NUMBER:
                w = span_count(in, is_digit);
                if (w == 0 || w >= in.n || in.p[w] != ' ')
                        return false;
                return starts_with(span_skip_space(span_advance(in, w)), &r->key, rest);
        case M_SHAPE:
                *rest = in;
                return true;
        }
        return false;
}

/* Does row r match the line? */
static _always_inline_ bool row_matches(const struct line_shape *r, struct line_views *v) {
        struct span in = v->line, rest;

        if (r->on != ON_LINE && !view_of(v, r->on, &in))
                return false;
        if (r->anchor && (in.n == 0 || in.p[0] != r->anchor))
                return false;
        if (!key_matches(r, v, in, &rest))
                return false;
        return !r->then || r->then(in, rest);
}

/* The rows are tried one by one, written out rather than looped over: then each row's fields
 * are constants and the compiler reduces the row to its few byte compares, as in a
 * hand-written classifier (a loop loading and testing every row's fields cost 2.5x as much
 * on ordinary kernel chatter, which falls through all rows). */
#define ROW_INDEX(i) ((i) < ELEMENTSOF(line_shapes) ? (i) : 0)
#define TRY_ROW(i)                                                                                          \
        if ((i) < ELEMENTSOF(line_shapes) && row_matches(&line_shapes[ROW_INDEX(i)], &v))                   \
                return &line_shapes[ROW_INDEX(i)];
#define TRY_8_ROWS(i)                                                                                       \
        TRY_ROW(i) TRY_ROW((i) + 1) TRY_ROW((i) + 2) TRY_ROW((i) + 3) TRY_ROW((i) + 4) TRY_ROW((i) + 5)       \
        TRY_ROW((i) + 6) TRY_ROW((i) + 7)
#define TRY_64_ROWS(i)                                                                                      \
        TRY_8_ROWS(i) TRY_8_ROWS((i) + 8) TRY_8_ROWS((i) + 16) TRY_8_ROWS((i) + 24) TRY_8_ROWS((i) + 32)     \
        TRY_8_ROWS((i) + 40) TRY_8_ROWS((i) + 48) TRY_8_ROWS((i) + 56)
#define MAX_ROWS 128
_Static_assert(ELEMENTSOF(line_shapes) <= MAX_ROWS, "match_shape() tries MAX_ROWS rows: add a TRY_64_ROWS()");

/* The first row that matches the trimmed line s, NULL if none. */
static const struct line_shape *match_shape(struct span s) {
        struct line_views v = { .line = s };

        TRY_64_ROWS(0)
        TRY_64_ROWS(64)
        return NULL;
}

/* The line as the rows see it: trimmed, inline prefixes skipped; false if nothing is left. */
static inline bool line_text(const char *text, size_t len, struct span *ret) {
        struct span s;

        if (!text || len == 0)
                return false;
        s = skip_inline_prefix(span_trim_end(span_skip_space((struct span) { text, len })));
        *ret = s;
        return s.n > 0;
}

enum line_kind report_line_classify(const char *text, size_t len) {
        const struct line_shape *r;
        struct span s;

        if (!line_text(text, len, &s))
                return LINE_UNKNOWN;
        r = match_shape(s);
        return r ? r->kind : LINE_UNKNOWN;
}

int report_line_classify_row(const char *text, size_t len) {
        const struct line_shape *r;
        struct span s;

        if (!line_text(text, len, &s))
                return -1;
        r = match_shape(s);
        return r ? (int) (r - line_shapes) : -1;
}

bool report_line_shape_info(size_t row, struct line_shape_info *ret) {
        if (row >= ELEMENTSOF(line_shapes) || !ret)
                return false;
        *ret = (struct line_shape_info) {
                .kind = line_shapes[row].kind,
                .kernels = line_shapes[row].kernels,
                .example = line_shapes[row].example,
        };
        return true;
}

/* ------------------------------------------------------------------------------------------
 * report_line_may_open(): the cheap pre-test. It mirrors the rows above, but only the ones
 * whose kinds can start a report, and only loosely (a superset): a prefix test where the row
 * goes on to check numbers, a 4-byte key where it searches a whole phrase. When a row changes
 * or is added, the matching test here must stay at least as permissive; the unit test runs
 * both over every corpus line. */

/* 4-byte keys searched anywhere in the line. The first REPORT_LINE_N_OPEN_KEYS are phrases
 * that open a report: "invoked oom-killer:", "page allocation failure" / "stalls for", and
 * the assembler's "SysRq" marker. The rest, and the key byte '*', are what the shape tests of
 * may_open_shapes() cannot succeed without (the zone rows " free:", " per-cpu:" and the buddy
 * orders "N*", the per-cpu suffix, "callbacks suppressed"), except for a zone name alone,
 * which ends in ':'. Each key is chosen so that its middle two bytes, which line_scan()
 * screens on, are rare in ordinary kernel text. */
const char report_line_anywhere_keys[REPORT_LINE_N_ANYWHERE_KEYS][4] = {
        { 'm', '-', 'k', 'i' }, { 'a', 'l', 'l', 'o' }, { 'y', 's', 'R', 'q' },
        { 'r', 'e', 'e', ':' }, { 'r', '-', 'c', 'p' }, { 'l', 'l', 'b', 'a' },
};
const char report_line_anywhere_bytes[REPORT_LINE_N_ANYWHERE_BYTES] = { '*' };

enum key_hit {
        KEY_NONE,
        KEY_SHAPE, /* only keys the shape tests need */
        KEY_OPEN,  /* a key that opens a report */
};

/* The keys starting at p[0..16) (p[0..19) readable). One vector pass screens on the middle
 * two bytes of every key; the rare 16 positions that pass are compared in full. */
static enum key_hit keys_at16(const char *p) {
        u8x16 b = load16(p + 1), c = load16(p + 2), m = {};
        enum key_hit hit = KEY_NONE;

        for (size_t k = 0; k < REPORT_LINE_N_ANYWHERE_KEYS; k++)
                m |= (u8x16) ((b == (unsigned char) report_line_anywhere_keys[k][1]) &
                              (c == (unsigned char) report_line_anywhere_keys[k][2]));
        if (!any16(m))
                return KEY_NONE;
        for (size_t i = 0; i < 16; i++)
                for (size_t k = 0; m[i] && k < REPORT_LINE_N_ANYWHERE_KEYS; k++)
                        if (memcmp(p + i, report_line_anywhere_keys[k], 4) == 0)
                                hit = MAX(hit, k < REPORT_LINE_N_OPEN_KEYS ? KEY_OPEN : KEY_SHAPE);
        return hit;
}

/* The strongest key in p[0..n). */
static enum key_hit anywhere_key(const char *p, size_t n) {
        enum key_hit hit = KEY_NONE;
        size_t i = 0;

        for (; i + 16 + 3 <= n && hit < KEY_OPEN; i += 16)
                hit = MAX(hit, keys_at16(p + i));
        /* The last < 16 positions: one more vector step ending exactly at the end of the
         * line (overlapping positions already tested is harmless), so only lines shorter than
         * 19 bytes take the scalar loop. */
        if (i < n && n >= 16 + 3 && hit < KEY_OPEN)
                hit = MAX(hit, keys_at16(p + n - 16 - 3));
        else
                for (; i + 4 <= n; i++)
                        for (size_t k = 0; k < REPORT_LINE_N_ANYWHERE_KEYS; k++)
                                if (memcmp(p + i, report_line_anywhere_keys[k], 4) == 0)
                                        hit = MAX(hit, k < REPORT_LINE_N_OPEN_KEYS ? KEY_OPEN : KEY_SHAPE);
        if (hit == KEY_NONE && memchr(p, report_line_anywhere_bytes[0], n))
                hit = KEY_SHAPE;
        return hit;
}

/* Fixed prefixes (after trimming and skip_inline_prefix) of the report-opening kinds, loosened
 * to the part before any number: kill group and panic lines (case-insensitive rows, so matched
 * case-insensitively here), oom-kill:/oom_reaper:, memory.oom.group, memcg
 * lines, Mem-Info, the task table, slab info, "Node N ...", lowmem_reserve. */
static const struct lit open_prefixes_ci[] = {
        LIT("kill"), LIT("out of memory"), LIT("memory"), LIT("mem-info"),
};
#define OPEN_PREFIXES(X) X("Kernel panic") X("oom") X("Task") X("Unreclaimable") X("Node ") X("lowmem_reserve")

/* Every case-sensitive prefix report_line_may_open() accepts, as one key set: the opening
 * prefixes above, the memcg usage lines and the meminfo counters (and "free:NkB", a zone line
 * without its name), digits not checked. */
#define OPEN_KEYS(X) OPEN_PREFIXES(X) MEMCG_USAGE_PREFIXES(X) MEMINFO_KEYS(X)
DEFINE_KEY_SET(open_prefix_set, OPEN_KEYS);

static bool prefix_ci_lit(struct span s, const struct lit *l) {
        if (s.n < l->n || lower(s.p[0]) != l->first)
                return false;
        for (size_t i = 0; i < l->n; i++)
                if (lower(s.p[i]) != l->s[i])
                        return false;
        return true;
}

/* "<Zone> free:", "<Zone> per-cpu:", "<Zone>: N*4kB", "<Zone>:": after the leading word (w
 * bytes) the zone rows accept only " free:", " per-cpu:", or ':' then blanks and a digit or
 * the end. A superset of that, tested inline ("audit: type=..." fails here). */
static bool zone_like_shape(struct span s, size_t w) {
        if (w >= s.n)
                return false;
        if (s.p[w] == ' ')
                return w + 1 < s.n && (s.p[w + 1] == 'f' || s.p[w + 1] == 'p');
        if (s.p[w] != ':')
                return false;
        s = span_skip_space(span_advance(s, w + 1));
        return s.n == 0 || is_digit(s.p[0]);
}

/* Does the line itself (no "Node N " view: those lines have an opening prefix) match one of
 * the zone rows, the table's AFTER_WORD rows? */
static bool is_zone_like(struct span s) {
        struct line_views v = { .line = s };

        for (const struct line_shape *r = line_shapes; r < line_shapes + ELEMENTSOF(line_shapes); r++) {
                struct span rest;

                if (r->how == M_AFTER_WORD && key_matches(r, &v, s, &rest) && (!r->then || r->then(s, rest)))
                        return true;
        }
        return false;
}

/* The tests at the start of the trimmed line s: the prefixes of the report-opening kinds, the
 * task table, torn lowmem_reserve values and hard-wrapped buddy rows. */
static bool may_open_start(struct span s) {
        if (key_set_prefix(&open_prefix_set, s, NULL))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(open_prefixes_ci); i++)
                if (prefix_ci_lit(s, &open_prefixes_ci[i]))
                        return true;

        switch (s.p[0]) {
        case '[': {
                /* task table header "[ pid ]" and rows "[ 1366] ..." */
                struct span rest = span_skip_space(span_advance(s, 1));
                return rest.n > 0 && (rest.p[0] == 'p' || is_digit(rest.p[0]));
        }
        case '0' ... '9': {
                /* torn lowmem_reserve values "0 1677 1677", hard-wrapped buddy rows "748*128kB ..." */
                size_t i = 0;
                if (span_count(s, is_digit) < s.n && s.p[span_count(s, is_digit)] == '*')
                        return true;
                while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ' '))
                        i++;
                return i == s.n || s.p[i] == 'N';
        }
        default:
                return false;
        }
}

/* The shape tests: the zone rows (the table's AFTER_WORD rows), a per-cpu header behind an
 * unstripped prefix, the ratelimit note. Each needs one of the shape keys in the line, or
 * (a zone name alone, "DMA32:") a final ':' (report_line_anywhere_keys). */
static bool may_open_shapes(struct span s) {
        /* both shape tests start with the leading identifier, tested inline on the bytes after
         * it first (most chatter, "usb 1-1: ...", fails there) */
        size_t w = span_count(s, is_ident);

        if (w > 0 && is_alpha(s.p[0]) && zone_like_shape(s, w) && is_zone_like(s))
                return true;
        if (span_suffix_lit(s, &(const struct lit) LIT("per-cpu:")))
                return true;
        /* "warn_alloc: N callbacks suppressed": not an opener, but counted by the assembler.
         * ratelimit_note() accepts "<func>: <digits>..." where func is a whole entry of
         * ratelimit_funcs (identifiers), so the leading identifier ends right at that ": " */
        return w > 0 && w + 2 < s.n && s.p[w] == ':' && s.p[w + 1] == ' ' && is_digit(s.p[w + 2]) &&
               ratelimit_note(s, s);
}

static bool ends_with_colon(struct span s) {
        return s.n > 0 && s.p[s.n - 1] == ':';
}

bool report_line_may_open(const char *text, size_t len) {
        enum key_hit hit;
        struct span s;

        if (!text || len == 0)
                return false;
        /* on the whole text: the trimmed span is part of it */
        hit = anywhere_key(text, len);
        if (hit == KEY_OPEN)
                return true;
        if (!line_text(text, len, &s))
                return false;
        return may_open_start(s) || ((hit == KEY_SHAPE || ends_with_colon(s)) && may_open_shapes(s));
}

bool report_line_may_open_head(const char *text, size_t len) {
        struct span s;

        if (!line_text(text, len, &s))
                return false;
        return may_open_start(s) || (ends_with_colon(s) && may_open_shapes(s));
}

/* The pairs of first bytes may_open_start() can accept once the line is neither indented nor
 * bracketed (those, and digits, are let through by their first byte). */
static void starts_add(struct report_line_starts *st, unsigned char a, unsigned char b) {
        unsigned pair = (unsigned) a << 8 | b;

        st->pairs[pair / 64] |= UINT64_C(1) << (pair % 64);
}

/* Both cases of a letter: prefix_ci_lit() compares lower(). */
static void starts_add_ci(struct report_line_starts *st, char a, char b) {
        char ca[2] = { a, (char) (a >= 'a' && a <= 'z' ? a - 'a' + 'A' : a) };
        char cb[2] = { b, (char) (b >= 'a' && b <= 'z' ? b - 'a' + 'A' : b) };

        for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                        starts_add(st, (unsigned char) ca[i], (unsigned char) cb[j]);
}

void report_line_starts_init(struct report_line_starts *st) {
        *st = (struct report_line_starts) {};
        for (size_t i = 0; i < open_prefix_set.n; i++)
                starts_add(st, (unsigned char) open_prefix_set.keys[i].s[0], (unsigned char) open_prefix_set.keys[i].s[1]);
        for (size_t i = 0; i < ELEMENTSOF(open_prefixes_ci); i++)
                starts_add_ci(st, open_prefixes_ci[i].s[0], open_prefixes_ci[i].s[1]);
        for (unsigned a = 0; a < 256; a++)
                if (is_space((char) a) || a == '[' || is_digit((char) a))
                        for (unsigned b = 0; b < 256; b++)
                                starts_add(st, (unsigned char) a, (unsigned char) b);
}

static const char *const line_kind_names[_LINE_KIND_MAX] = {
        [LINE_UNKNOWN] = "unknown",
        [LINE_OOM_HEADER] = "oom_header",
        [LINE_ALLOC_FAIL_HEADER] = "alloc_fail_header",
        [LINE_ALLOC_STALL] = "alloc_stall",
        [LINE_CPUSET] = "cpuset",
        [LINE_NO_COMPACTION] = "no_compaction",
        [LINE_CPU] = "cpu",
        [LINE_HARDWARE] = "hardware",
        [LINE_TRACE_START] = "trace_start",
        [LINE_TRACE_FRAME] = "trace_frame",
        [LINE_MEMINFO_START] = "meminfo_start",
        [LINE_PERCPU_HEADER] = "percpu_header",
        [LINE_PERCPU_ROW] = "percpu_row",
        [LINE_MEMINFO_COUNTERS] = "meminfo_counters",
        [LINE_NODE] = "node",
        [LINE_ZONE] = "zone",
        [LINE_LOWMEM_RESERVE] = "lowmem_reserve",
        [LINE_BUDDY] = "buddy",
        [LINE_HUGEPAGES] = "hugepages",
        [LINE_PAGECACHE] = "pagecache",
        [LINE_SWAP] = "swap",
        [LINE_TOTALS] = "totals",
        [LINE_UNRECLAIMABLE_SLAB_START] = "unreclaimable_slab_start",
        [LINE_UNRECLAIMABLE_SLAB_ROW] = "unreclaimable_slab_row",
        [LINE_MEMCG_TASK_IN] = "memcg_task_in",
        [LINE_MEMCG_USAGE] = "memcg_usage",
        [LINE_MEMCG_STATS_START] = "memcg_stats_start",
        [LINE_MEMCG_STAT] = "memcg_stat",
        [LINE_TASK_HEADER] = "task_header",
        [LINE_TASK_ROW] = "task_row",
        [LINE_OOM_SUMMARY] = "oom_summary",
        [LINE_KILL_PROCESS] = "kill_process",
        [LINE_KILLED_PROCESS] = "killed_process",
        [LINE_OOM_VICTIM_EXITING] = "oom_victim_exiting",
        [LINE_OOM_GROUP] = "oom_group",
        [LINE_OOM_REAPER] = "oom_reaper",
        [LINE_NO_KILLABLE] = "no_killable",
        [LINE_PANIC_ON_OOM] = "panic_on_oom",
        [LINE_RATELIMIT] = "ratelimit",
};

const char *line_kind_to_string(enum line_kind k) {
        if ((size_t) k >= _LINE_KIND_MAX || !line_kind_names[k])
                return "unknown";
        return line_kind_names[k];
}

/* The body is what lies between a start (header) and the kill group: cpuset line through the
 * task table. The summary line (5.0+) precedes the kill line inside a report, so it is body
 * too; the kill group proper (Kill/Killed/reaper/victim-exiting/oom.group), the panic lines
 * and the ratelimit notes are not. */
bool line_kind_is_body(enum line_kind k) {
        switch (k) {
        case LINE_CPUSET:
        case LINE_NO_COMPACTION:
        case LINE_CPU:
        case LINE_HARDWARE:
        case LINE_TRACE_START:
        case LINE_TRACE_FRAME:
        case LINE_MEMINFO_START:
        case LINE_PERCPU_HEADER:
        case LINE_PERCPU_ROW:
        case LINE_MEMINFO_COUNTERS:
        case LINE_NODE:
        case LINE_ZONE:
        case LINE_LOWMEM_RESERVE:
        case LINE_BUDDY:
        case LINE_HUGEPAGES:
        case LINE_PAGECACHE:
        case LINE_SWAP:
        case LINE_TOTALS:
        case LINE_UNRECLAIMABLE_SLAB_START:
        case LINE_UNRECLAIMABLE_SLAB_ROW:
        case LINE_MEMCG_TASK_IN:
        case LINE_MEMCG_USAGE:
        case LINE_MEMCG_STATS_START:
        case LINE_MEMCG_STAT:
        case LINE_TASK_HEADER:
        case LINE_TASK_ROW:
        case LINE_OOM_SUMMARY:
                return true;
        default:
                return false;
        }
}
