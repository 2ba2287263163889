/* SPDX-License-Identifier: MIT */
/* Line classifier for OOM / allocation-failure reports, kernels 2.6.22 .. 6.18.
 *
 * Every recogniser is a hand-written scanner over (text, len): no allocation, no regex, no
 * reliance on a NUL terminator. The daemon runs this on every kernel record, so the common
 * case (a line that is not part of any report) must fall through a handful of byte compares.
 *
 * Formats and the kernel versions they come from are listed next to each recogniser; the
 * authoritative notes are ../shared/reference/kernel-facts.md section 5. Recognisers anchor at
 * the start of the (whitespace-trimmed) line wherever the kernel prints a fixed prefix, so a
 * userspace message that merely quotes a kill line in its middle is not mistaken for one. */
#include "report_line.h"

#include <stdint.h>
#include <string.h>

#include "macro.h"

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

static inline bool span_prefix_ci(struct span s, const char *lit, struct span *rest) {
        size_t l = strlen(lit);

        if (s.n < l || lower(s.p[0]) != lower(lit[0]))
                return false;
        for (size_t i = 0; i < l; i++)
                if (lower(s.p[i]) != lower(lit[i]))
                        return false;
        if (rest)
                *rest = span_advance(s, l);
        return true;
}

static inline bool span_prefix_lit(struct span s, const struct lit *lit, struct span *rest) {
        if (s.n < lit->n || s.p[0] != lit->first || memcmp(s.p, lit->s, lit->n) != 0)
                return false;
        if (rest)
                *rest = span_advance(s, lit->n);
        return true;
}

static bool span_suffix(struct span s, const char *lit) {
        size_t l = strlen(lit);

        return s.n >= l && memcmp(s.p + s.n - l, lit, l) == 0;
}

/* Bounded substring search; returns the offset or -1. memchr() on the first byte then
 * memcmp(): for the short needles and ~100-byte lines here this is several times faster than
 * glibc memmem(), whose set-up cost dominates on short inputs. */
static ssize_t span_find(struct span s, const char *lit) {
        size_t l = strlen(lit), i = 0;

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

static bool span_contains(struct span s, const char *lit) {
        return span_find(s, lit) >= 0;
}

/* Count leading characters satisfying pred. */
static size_t span_count(struct span s, bool (*pred)(char)) {
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
 * Recognisers. Each takes the trimmed line and returns the kind or LINE_UNKNOWN. */

/* "<msg>: " prefixes of the kill lines (kernel-facts 5.7). Matched case-insensitively: 2.6.x
 * printed "Out of Memory: Kill process" in some releases and "kill process" in others. */
static const char *const kill_msg_prefixes[] = {
        "Out of memory (oom_kill_allocating_task): ", /* 2.6.24+ */
        "Memory cgroup out of memory: ",              /* 2.6.29+ */
        "Out of memory: ",                            /* all */
};

static struct span strip_kill_msg(struct span s, bool *had_msg) {
        struct span rest;

        *had_msg = false;
        for (size_t i = 0; i < ELEMENTSOF(kill_msg_prefixes); i++)
                if (span_prefix_ci(s, kill_msg_prefixes[i], &rest)) {
                        *had_msg = true;
                        return span_skip_space(rest);
                }
        return s;
}

static enum line_kind classify_kill(struct span s) {
        struct span r, rest;
        bool had_msg;

        /* "Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled",
         * "... Out of memory and no killable processes...", "... System is deadlocked on
         * memory" (4.19+ out_of_memory() when nothing is killable). */
        if (span_prefix(s, "Kernel panic - not syncing: ", &rest)) {
                if (span_prefix_ci(rest, "Out of memory", NULL) ||
                    span_prefix(rest, "System is deadlocked on memory", NULL))
                        return LINE_PANIC_ON_OOM;
                return LINE_UNKNOWN;
        }
        if (span_prefix_ci(s, "Out of memory and no killable processes", NULL))
                return LINE_NO_KILLABLE;

        r = strip_kill_msg(s, &had_msg);
        if (had_msg) {
                /* "Out of memory: compulsory panic_on_oom is enabled" / "system-wide ..." */
                if (span_contains(r, "panic_on_oom"))
                        return LINE_PANIC_ON_OOM;
                /* 5.10+: "<msg>: OOM victim N (comm) is already exiting. Skip killing the task" */
                if (span_prefix(r, "OOM victim ", NULL))
                        return LINE_OOM_VICTIM_EXITING;
        }

        /* 2.6.22-3.x "kill process N (comm) score S or a child" / 3.0-5.0 "Kill process N (comm)
         * score S or sacrifice child" / "Kill process N (comm) sharing same memory" (<=3.14,
         * printed without <msg>). The pid must follow: pasted text may lose the parentheses
         * (seed: "Kill process 5575 thread_x score 481"), never the number. */
        if (span_prefix_ci(r, "Kill process ", &rest) && rest.n > 0 && is_digit(rest.p[0]))
                return LINE_KILL_PROCESS;
        /* "Killed process N (comm) total-vm:..." (3.0+), "Killed process N (comm)" (2.6.x),
         * RHEL6 "Killed process N, UID 0, (comm) ...". */
        if (span_prefix_ci(r, "Killed process ", &rest) && rest.n > 0 && is_digit(rest.p[0]))
                return LINE_KILLED_PROCESS;
        return LINE_UNKNOWN;
}

static bool is_word_then(struct span s, char sep, struct span *rest) {
        size_t w = span_count(s, is_ident);

        if (w == 0 || w >= s.n || s.p[w] != sep)
                return false;
        if (rest)
                *rest = span_advance(s, w + 1);
        return true;
}

/* Zone names of mainline kernels (include/linux/mmzone.h zone_names[]), all versions. */
static const struct lit zone_names[] = { LIT("DMA"), LIT("DMA32"), LIT("Normal"), LIT("HighMem"), LIT("Movable"), LIT("Device") };

static bool is_zone_name(struct span w) {
        for (size_t i = 0; i < ELEMENTSOF(zone_names); i++)
                if (zone_names[i].n == w.n && memcmp(zone_names[i].s, w.p, w.n) == 0)
                        return true;
        return false;
}

/* "<ZoneName>..." after an optional "Node N " prefix. Zone names are a fixed set in mainline
 * (DMA, DMA32, Normal, HighMem, Movable, Device); vendor trees add none we know of, so the
 * shape ("<word> free:<n>kB", "<word>: <n>*<size>kB") decides rather than the name. */
static enum line_kind classify_zone_like(struct span s) {
        struct span rest;
        size_t w = span_count(s, is_ident);

        if (w == 0 || !is_alpha(s.p[0]))
                return LINE_UNKNOWN;
        rest = span_advance(s, w);

        /* "Normal free:233460kB min:..." (all versions) */
        if (span_prefix(rest, " free:", &rest) && rest.n > 0 && is_digit(rest.p[0]))
                return LINE_ZONE;
        rest = span_advance(s, w);
        /* "Normal per-cpu:" (<=3.x) */
        if (span_prefix(rest, " per-cpu:", NULL))
                return LINE_PERCPU_HEADER;
        /* "Normal: 1165*4kB (MRC) ... = 233460kB"; an empty zone prints "Normal: 0*4kB ..." */
        if (span_prefix(rest, ":", &rest)) {
                rest = span_skip_space(rest);
                size_t d = span_count(rest, is_digit);
                if (d > 0 && d < rest.n && rest.p[d] == '*')
                        return LINE_BUDDY;
                /* torn KERN_CONT (corpus 040): "Node 0 DMA32: " with the orders on the next
                 * record; only for real zone names, or "Backtrace:" would qualify */
                if (rest.n == 0 && is_zone_name((struct span) { s.p, w }))
                        return LINE_BUDDY;
        }
        return LINE_UNKNOWN;
}

static enum line_kind classify_node(struct span s) {
        struct span rest;
        size_t d;

        if (!span_prefix(s, "Node ", &rest))
                return LINE_UNKNOWN;
        d = span_count(rest, is_digit);
        if (d == 0)
                return LINE_UNKNOWN;
        rest = span_advance(rest, d);
        if (rest.n == 0)
                /* torn KERN_CONT fragment "Node 0 " (4.9, corpus 040): the zone line's prefix
                 * printed as its own record */
                return LINE_ZONE;
        if (rest.p[0] != ' ')
                return LINE_UNKNOWN;
        rest = span_skip_space(rest);
        if (rest.n == 0)
                return LINE_ZONE;

        /* "Node 0 hugepages_total=0 hugepages_free=0 ..." (3.x+) */
        if (span_prefix(rest, "hugepages_total=", NULL))
                return LINE_HUGEPAGES;
        {
                enum line_kind k = classify_zone_like(rest);
                if (k != LINE_UNKNOWN)
                        return k;
        }
        /* "Node 0 active_anon:408244kB inactive_anon:..." (4.8+ node-LRU statistics) */
        if (is_word_then(rest, ':', NULL))
                return LINE_NODE;
        return LINE_UNKNOWN;
}

/* Mem-Info global counters (pages): first key of each printed line, all versions
 * (kernel-facts 5.4b, plus the 2.6.22-2.6.2x "Active:N inactive:N" / " free:N slab:N" form). */
/* (an X-macro list: report_line_may_open() indexes the same keys by first byte) */
#define MEMINFO_KEYS(X)                                                                                     \
        X("active_anon:") X("inactive_anon:") X("isolated_anon:") X("active_file:") X("inactive_file:")     \
        X("isolated_file:") X("unevictable:") X("dirty:") X("writeback:") X("unstable:") X("free:")          \
        X("slab_reclaimable:") X("slab_unreclaimable:") X("mapped:") X("shmem:") X("pagetables:")           \
        X("sec_pagetables:") X("bounce:") X("free_cma:") X("free_pcp:") X("kernel_misc_reclaimable:")       \
        X("Active:") X("inactive:") X("slab:")
#define LIT_ITEM(x) LIT(x),
static const struct lit meminfo_keys[] = { MEMINFO_KEYS(LIT_ITEM) };

static enum line_kind classify_meminfo_counters(struct span s) {
        struct span rest;

        for (size_t i = 0; i < ELEMENTSOF(meminfo_keys); i++)
                if (span_prefix_lit(s, &meminfo_keys[i], &rest)) {
                        size_t d = span_count(rest, is_digit);
                        /* counters are bare page numbers; "free:233460kB" would be a zone line
                         * that lost its name */
                        if (d == 0)
                                return LINE_UNKNOWN;
                        if (d + 1 < rest.n && rest.p[d] == 'k' && rest.p[d + 1] == 'B')
                                return LINE_ZONE;
                        return LINE_MEMINFO_COUNTERS;
                }
        return LINE_UNKNOWN;
}

/* "CPU    0: hi:  186, btch:  31 usd:  27" (2.6.2x-3.x; 2.6.2x adds "Hot:"/"Cold:"). Pasted
 * text collapses the alignment to "CPU 0: hi: 42". */
static bool is_percpu_row(struct span s) {
        struct span rest;
        size_t d;

        if (!span_prefix(s, "CPU", &rest))
                return false;
        rest = span_skip_space(rest);
        d = span_count(rest, is_digit);
        if (d == 0 || d >= rest.n || rest.p[d] != ':')
                return false;
        rest = span_skip_space(span_advance(rest, d + 1));
        return span_prefix(rest, "hi:", NULL) || span_prefix(rest, "Hot:", NULL);
}

/* dump_stack() first line (kernel-facts 5.3): 3.10+ "CPU: 1 PID: 1371 Comm: ...",
 * 6.12+ "CPU: 1 UID: 0 PID: ...", 2.6.32 x86 "Pid: 123, comm: ...". */
static bool is_cpu_line(struct span s) {
        struct span rest;

        if (span_prefix(s, "CPU: ", &rest)) {
                rest = span_skip_space(rest);
                return rest.n > 0 && is_digit(rest.p[0]) &&
                       (span_contains(rest, " PID: ") || span_contains(rest, " Comm: "));
        }
        if (span_prefix(s, "Pid: ", &rest))
                return rest.n > 0 && is_digit(rest.p[0]) && span_contains(rest, ", comm: ");
        return false;
}

/* Register names printed by show_regs()/__show_regs() on the architectures in the corpus
 * (x86-64, i386, arm, arm64, ppc). A line qualifies when it starts with one of them and a
 * colon; arm "r10:00000000 r9:..." and arm64 "x29: ffff..." are matched by shape below. */
static const struct lit reg_prefixes[] = {
        LIT("RIP: "), LIT("RSP: "), LIT("RAX: "), LIT("RBX: "), LIT("RCX: "), LIT("RDX: "), LIT("RSI: "), LIT("RDI: "), LIT("RBP: "), LIT("R08: "),
        LIT("R09: "), LIT("R10: "), LIT("R11: "), LIT("R12: "), LIT("R13: "), LIT("R14: "), LIT("R15: "), LIT("FS: "), LIT("CS: "), LIT("CR0: "),
        LIT("CR2: "), LIT("DR0: "), LIT("DR3: "), LIT("DR6: "), LIT("EIP: "), LIT("EAX: "), LIT("ESI: "), LIT("DS: "), LIT("Code: "),
        LIT("EFLAGS: "), LIT("PKRU: "), LIT("pc : "), LIT("lr : "), LIT("sp : "), LIT("pstate: "), LIT("NIP: "), LIT("LR: "), LIT("CTR: "),
        LIT("REGS: "), LIT("MSR: "), LIT("GPR"), LIT("Stack:"), LIT("task: "), LIT("Workqueue: "), LIT("Exception stack("),
        LIT("Backtrace aborted"), LIT("Modules linked in:"), LIT("Kernel Offset:"), LIT("Call Trace"), LIT("---[ end trace"),
};

/* arm "r6:00000000 r5:ffffffff" / arm64 "x29: ffff..." : [rx]N: hex ... */
static bool is_arm_regs(struct span s) {
        size_t d;

        if (s.n < 4 || (s.p[0] != 'r' && s.p[0] != 'x'))
                return false;
        d = span_count(span_advance(s, 1), is_digit);
        if (d == 0 || d > 2 || 1 + d >= s.n || s.p[1 + d] != ':')
                return false;
        s = span_skip_space(span_advance(s, 2 + d));
        return span_count(s, is_xdigit) >= 8;
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

/* A stack dump row " 0000000000000000 ffff8800968e3ca0 ffffffff8137ad47 ..." (x86 <=4.8,
 * arm "Stack: (0x...)" rows "bf00: 00000000 ..."): only hex words of 8 or 16 digits. */
static bool is_hex_words(struct span s) {
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

static enum line_kind classify_trace(struct span s) {
        struct span rest;

        /* "Call Trace:" (x86), "Call trace:" (arm64), "Backtrace:" (arm <=4.x), "<TASK>"
         * markers (5.16+), "<IRQ>"/"<EOI>" section markers; 4.9 can glue the stack hex onto
         * "Call Trace:" (corpus 040), hence prefix matching. */
        if (span_prefix(s, "Call Trace:", NULL) || span_prefix(s, "Call trace:", NULL) ||
            span_prefix(s, "Backtrace:", NULL) || span_prefix(s, "<TASK>", NULL) ||
            span_prefix(s, "</TASK>", NULL))
                return LINE_TRACE_START;

        if (span_prefix(s, "<IRQ>", NULL) || span_prefix(s, "</IRQ>", NULL) ||
            span_prefix(s, "<EOI>", NULL) || span_prefix(s, "<NMI>", NULL) ||
            span_prefix(s, "</NMI>", NULL))
                return LINE_TRACE_FRAME;

        /* "[<c0012fcc>] (dump_backtrace) from ..." / "[<ffffffff8137ad47>] dump_stack+0x4d/0x63"
         * / ppc64 "[c0000000fb8e3a50] [c000000000015d88] .show_stack+0x74/0x1b4" /
         * 2.6.22 "[func+dec/dec] func+0x../0x.." */
        if (span_prefix(s, "[<", NULL))
                return LINE_TRACE_FRAME;
        if (s.n > 2 && s.p[0] == '[') {
                size_t h = span_count(span_advance(s, 1), is_xdigit);
                if (h >= 8 && 1 + h < s.n && s.p[1 + h] == ']')
                        return LINE_TRACE_FRAME;
                if (is_symbol_offset(span_advance(s, 1)))
                        return LINE_TRACE_FRAME;
        }
        /* arm 4.x+ unwinder without addresses first: "(show_stack) from [<c010d824>] (...)" */
        if (s.p[0] == '(' && span_contains(s, ") from [<"))
                return LINE_TRACE_FRAME;
        /* arm 5.x+ unwinder: "dump_header from out_of_memory+0x300/0x34c",
         * "brcmf_attach [brcmfmac] from brcmf_sdio_firmware_callback+0x84c/0x974 [brcmfmac]" */
        {
                ssize_t f = span_find(s, " from ");
                if (f > 0 && span_count(s, is_ident) > 0 &&
                    is_symbol_offset(span_advance(s, (size_t) f + 6)))
                        return LINE_TRACE_FRAME;
        }
        /* "[<ffffffff81234>]" stripped to "[]" by HTML rendering (corpus 028) */
        if (span_prefix(s, "[] ", &rest) && is_symbol_offset(span_skip_space(rest)))
                return LINE_TRACE_FRAME;
        /* 4.9 torn stack dump: "ffff880000000010 ffff880060dab9c8 ffff880060dab978Call Trace:" */
        {
                ssize_t ct = span_find(s, "Call Trace:");
                if (ct > 0 && is_xdigit(s.p[0]) && is_xdigit(s.p[ct - 1]))
                        return LINE_TRACE_START;
        }
        /* "? func+0x../0x..", "func+0x../0x.." */
        rest = s;
        if (span_prefix(rest, "? ", &rest))
                return LINE_TRACE_FRAME;
        if (is_symbol_offset(rest))
                return LINE_TRACE_FRAME;
        /* 2.6.2x x86 end-of-trace marker */
        if (span_prefix(s, "=====", NULL)) {
                size_t i = 0;
                while (i < s.n && s.p[i] == '=')
                        i++;
                if (i == s.n)
                        return LINE_TRACE_FRAME;
        }
        for (size_t i = 0; i < ELEMENTSOF(reg_prefixes); i++)
                if (span_prefix_lit(s, &reg_prefixes[i], NULL))
                        return LINE_TRACE_FRAME;
        if (is_arm_regs(s) || is_hex_words(s))
                return LINE_TRACE_FRAME;
        return LINE_UNKNOWN;
}

/* "N <words with 'pages'>" totals at the end of show_mem (kernel-facts 5.4j), every era:
 * "520192 pages of RAM", "286253 free pages", "97924 reserved pages", "0 pages HighMem/
 * MovableOnly", "N pages cma reserved", "N pages hwpoisoned", "4216 pages slab" (2.6.2x). */
static enum line_kind classify_number_first(struct span s) {
        struct span rest;
        size_t d = span_count(s, is_digit);
        bool has_pages = false;

        if (d == 0 || d >= s.n || s.p[d] != ' ')
                return LINE_UNKNOWN;
        rest = span_skip_space(span_advance(s, d));

        if (span_prefix(rest, "total pagecache pages", NULL))
                return LINE_PAGECACHE;
        if (span_prefix(rest, "pages in swap cache", NULL))
                return LINE_SWAP;
        /* the rest must be words only: letters, '/', '-', spaces */
        for (size_t i = 0; i < rest.n; i++) {
                char c = rest.p[i];
                if (!is_alpha(c) && c != ' ' && c != '/' && c != '-' && c != '_')
                        return LINE_UNKNOWN;
        }
        for (size_t i = 0; i + 5 <= rest.n; i++)
                if (memcmp(rest.p + i, "pages", 5) == 0 && (i == 0 || rest.p[i - 1] == ' ') &&
                    (i + 5 == rest.n || rest.p[i + 5] == ' ')) {
                        has_pages = true;
                        break;
                }
        return has_pages ? LINE_TOTALS : LINE_UNKNOWN;
}

/* "dentry  1234KB  5678KB" rows of "Unreclaimable slab info:" (4.15+, %-17s %10luKB %10luKB). */
static bool is_slab_row(struct span s) {
        ssize_t sp;
        struct span rest;

        /* the name is any non-space run ("kmalloc-1k", ":0000064", "TCPv6") */
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
static bool is_memcg_stat(struct span s) {
        size_t w = span_count(s, is_ident);
        struct span rest;

        if (w == 0 || !(s.p[0] >= 'a' && s.p[0] <= 'z') || w >= s.n || s.p[w] != ' ')
                return false;
        rest = span_skip_space(span_advance(s, w));
        return rest.n > 0 && span_count(rest, is_digit) == rest.n;
}

/* memcg usage lines (kernel-facts 5.8), every era: "<counter>: usage NkB, limit NkB, failcnt N". */
#define MEMCG_USAGE_PREFIXES(X)                                                                             \
        X("memory: usage ") X("memory+swap: usage ") X("swap: usage ") X("kmem: usage ") X("tcpmem: usage ")
static const struct lit memcg_usage_prefixes[] = { MEMCG_USAGE_PREFIXES(LIT_ITEM) };

/* 4.15+: "oom_kill_process: 3 callbacks suppressed" etc. Only functions on the OOM /
 * warn_alloc paths count; "slab_out_of_memory: N callbacks suppressed" (corpus 002) belongs to
 * another report family. Identifiers only ([A-Za-z0-9_]): report_line_may_open() relies on it. */
static const struct lit ratelimit_funcs[] = {
        LIT("warn_alloc"), LIT("oom_kill_process"), LIT("dump_header"), LIT("out_of_memory"), LIT("__oom_kill_process"),
        LIT("oom_reaper"), LIT("mem_cgroup_out_of_memory"), LIT("__alloc_pages_slowpath"), LIT("__alloc_pages_may_oom"),
        LIT("pagefault_out_of_memory"), LIT("warn_alloc_failed"), LIT("__alloc_pages_nodemask"),
};

static enum line_kind classify_ratelimit(struct span s) {
        ssize_t at = span_find(s, ": ");
        struct span rest;
        size_t d;

        if (at <= 0)
                return LINE_UNKNOWN;
        rest = span_advance(s, (size_t) at + 2);
        d = span_count(rest, is_digit);
        if (d == 0 || !span_prefix(span_advance(rest, d), " callbacks suppressed", NULL))
                return LINE_UNKNOWN;
        for (size_t i = 0; i < ELEMENTSOF(ratelimit_funcs); i++)
                if (ratelimit_funcs[i].n == (size_t) at && memcmp(s.p, ratelimit_funcs[i].s, (size_t) at) == 0)
                        return LINE_RATELIMIT;
        return LINE_UNKNOWN;
}

enum line_kind report_line_classify(const char *text, size_t len) {
        struct span s, rest;
        enum line_kind k;

        if (!text || len == 0)
                return LINE_UNKNOWN;
        s = span_trim_end(span_skip_space((struct span) { text, len }));
        s = skip_inline_prefix(s);
        if (s.n == 0)
                return LINE_UNKNOWN;

        /* --- starts -------------------------------------------------------------------- */
        /* "<comm> invoked oom-killer: gfp_mask=..." all versions; comm may contain spaces
         * ("process reaper", corpus 017), so this is a search, not a prefix. */
        if (span_contains(s, "invoked oom-killer:"))
                return LINE_OOM_HEADER;
        /* 3.0+ "page allocation failure: order:", 2.6.32 "page allocation failure. order:" */
        if (span_contains(s, "page allocation failure: order:") ||
            span_contains(s, "page allocation failure. order:"))
                return LINE_ALLOC_FAIL_HEADER;
        /* 4.9-4.14 warn_alloc stall warning */
        if (span_contains(s, "page allocation stalls for "))
                return LINE_ALLOC_STALL;

        /* --- kill group ---------------------------------------------------------------- */
        if (span_prefix(s, "oom-kill:", NULL))
                return LINE_OOM_SUMMARY;
        if (span_prefix(s, "oom_reaper: reaped process ", NULL) ||
            span_prefix(s, "oom_reaper: unable to reap", NULL))
                return LINE_OOM_REAPER;
        if (span_prefix(s, "Tasks in ", NULL) &&
            span_contains(s, " are going to be killed due to memory.oom.group set"))
                return LINE_OOM_GROUP;
        k = classify_kill(s);
        if (k != LINE_UNKNOWN)
                return k;

        /* --- fixed-prefix body lines --------------------------------------------------- */
        switch (s.p[0]) {
        case 'M':
                if (span_prefix_ci(s, "Mem-info:", NULL))
                        return LINE_MEMINFO_START;
                if (span_prefix(s, "Memory cgroup stats for ", NULL))
                        return LINE_MEMCG_STATS_START;
                /* 4.19 mem_cgroup_print_oom_context without a task */
                if (span_prefix(s, "Memory limit reached of cgroup ", NULL))
                        return LINE_MEMCG_TASK_IN;
                break;
        case 'T':
                /* <=4.20 "Task in /a killed as a result of limit of /b" */
                if (span_prefix(s, "Task in ", NULL) &&
                    span_contains(s, " killed as a result of limit of "))
                        return LINE_MEMCG_TASK_IN;
                if (span_prefix(s, "Tasks state (memory values in pages):", NULL))
                        return LINE_TASK_HEADER;
                if (span_prefix(s, "Total swap = ", NULL))
                        return LINE_SWAP;
                break;
        case 'F':
                /* "Free swap  = 0kB" (two spaces in the source; pasted text collapses them),
                 * 2.6.2x "Free swap:            0kB" */
                if (span_prefix(s, "Free swap", &rest)) {
                        rest = span_skip_space(rest);
                        if (rest.n > 0 && (rest.p[0] == '=' || rest.p[0] == ':'))
                                return LINE_SWAP;
                }
                break;
        case 'S':
                if (span_prefix(s, "Swap cache stats: ", NULL) || span_prefix(s, "Swap cache: add", NULL))
                        return LINE_SWAP;
                break;
        case 'H':
                if (span_prefix(s, "Hardware name: ", NULL))
                        return LINE_HARDWARE;
                break;
        case 'C':
                if (span_prefix(s, "COMPACTION is disabled!!!", NULL))
                        return LINE_NO_COMPACTION;
                if (is_cpu_line(s))
                        return LINE_CPU;
                if (is_percpu_row(s))
                        return LINE_PERCPU_ROW;
                break;
        case 'P':
                if (is_cpu_line(s))
                        return LINE_CPU;
                break;
        case 'U':
                if (span_prefix(s, "Unreclaimable slab info:", NULL))
                        return LINE_UNRECLAIMABLE_SLAB_START;
                break;
        case 'N':
                if (span_prefix(s, "Name ", NULL) && span_contains(s, "Used") &&
                    span_contains(s, "Total"))
                        return LINE_UNRECLAIMABLE_SLAB_ROW;
                k = classify_node(s);
                if (k != LINE_UNKNOWN)
                        return k;
                break;
        case 'l':
                if (span_prefix(s, "lowmem_reserve[]:", NULL))
                        return LINE_LOWMEM_RESERVE;
                break;
        case '[':
                /* "[ pid ]   uid  tgid total_vm ..." (<=4.18) / "[  pid  ]   uid ..." (4.19+) */
                rest = span_skip_space(span_advance(s, 1));
                if (span_prefix(rest, "pid", &rest)) {
                        rest = span_skip_space(rest);
                        if (rest.n > 0 && rest.p[0] == ']')
                                return LINE_TASK_HEADER;
                }
                /* "[ 1366]     0  1366 ..." : bracketed pid, then a number */
                rest = span_skip_space(span_advance(s, 1));
                {
                        size_t d = span_count(rest, is_digit);
                        if (d > 0 && d < rest.n && rest.p[d] == ']') {
                                rest = span_skip_space(span_advance(rest, d + 1));
                                if (rest.n > 0 && (is_digit(rest.p[0]) || rest.p[0] == '-'))
                                        return LINE_TASK_ROW;
                        }
                }
                break;
        default:
                break;
        }

        for (size_t i = 0; i < ELEMENTSOF(memcg_usage_prefixes); i++)
                if (span_prefix_lit(s, &memcg_usage_prefixes[i], NULL))
                        return LINE_MEMCG_USAGE;

        /* "lowmem_reserve[]:" glued onto the end of the zone line by rsyslog (corpus 053) still
         * starts as a zone line, so the zone recogniser runs before the cpuset one. */
        k = classify_zone_like(s);
        if (k != LINE_UNKNOWN)
                return k;

        /* <=4.20 "<comm> cpuset=<cg> mems_allowed=<list>"; comm may contain spaces */
        if (span_contains(s, " cpuset=") && span_contains(s, " mems_allowed="))
                return LINE_CPUSET;

        if (s.n > 0 && is_digit(s.p[0])) {
                k = classify_number_first(s);
                if (k != LINE_UNKNOWN)
                        return k;
                /* torn KERN_CONT lowmem_reserve[] values (4.9, corpus 040): " 0 1677 1677 1677"
                 * possibly with the next zone line's "Node 0 " glued on */
                {
                        size_t i = 0, nums = 0;
                        while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ' ')) {
                                if (is_digit(s.p[i]) && (i == 0 || s.p[i - 1] == ' '))
                                        nums++;
                                i++;
                        }
                        if (nums >= 2 && (i == s.n || span_prefix(span_advance(s, i), "Node ", NULL)))
                                return LINE_LOWMEM_RESERVE;
                }
                /* hard-wrapped buddy continuation "748*128kB (C) 0*256kB ... = 233460kB" */
                size_t d = span_count(s, is_digit);
                if (d < s.n && s.p[d] == '*' && span_contains(s, "kB"))
                        return LINE_BUDDY;
        }

        k = classify_meminfo_counters(s);
        if (k != LINE_UNKNOWN)
                return k;

        k = classify_ratelimit(s);
        if (k != LINE_UNKNOWN)
                return k;

        k = classify_trace(s);
        if (k != LINE_UNKNOWN)
                return k;

        if (is_slab_row(s))
                return LINE_UNRECLAIMABLE_SLAB_ROW;
        if (is_memcg_stat(s))
                return LINE_MEMCG_STAT;
        if (span_suffix(s, "per-cpu:"))
                return LINE_PERCPU_HEADER;
        return LINE_UNKNOWN;
}

/* ------------------------------------------------------------------------------------------
 * report_line_may_open(): the cheap pre-test. It mirrors the recognisers above, but only the
 * ones whose kinds can start a report, and only loosely (a superset): a prefix test where the
 * recogniser goes on to check numbers, a 4-byte key where it searches a whole phrase. When a
 * recogniser above changes, the matching test here must stay at least as permissive; the unit
 * test runs both over every corpus line. */

/* 4-byte keys of the phrases searched anywhere in the line: "invoked oom-killer:", "page
 * allocation failure" / "stalls for", and the assembler's "SysRq" marker. Kept as data for
 * the scalar tail; the vector loop below spells the same keys. */
static const char anywhere_keys[][4] = { { 'm', '-', 'k', 'i' }, { 'a', 'l', 'l', 'o' }, { 'S', 'y', 's', 'R' } };

typedef unsigned char u8x16 __attribute__((vector_size(16)));

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

/* Does any of anywhere_keys occur in p[0..n)? One pass, 16 positions at a time (GCC/clang
 * vector extensions: SSE2 on x86-64, NEON on arm64, plain integer code elsewhere). */
static inline bool keys_at16(const char *p) {
        u8x16 a, b = load16(p + 1), c = load16(p + 2), d;
        u8x16 m = (u8x16) ((b == '-') & (c == 'k')) | (u8x16) ((b == 'l') & (c == 'l')) |
                  (u8x16) ((b == 'y') & (c == 's'));

        /* screen on the middle two bytes of each key (half the work); the rare 16 positions
         * that pass are tested in full */
        if (!any16(m))
                return false;
        a = load16(p);
        d = load16(p + 3);
        m = (u8x16) ((a == 'm') & (b == '-') & (c == 'k') & (d == 'i')) |
                  (u8x16) ((a == 'a') & (b == 'l') & (c == 'l') & (d == 'o')) |
                  (u8x16) ((a == 'S') & (b == 'y') & (c == 's') & (d == 'R'));
        return any16(m);
}

static bool has_anywhere_key(const char *p, size_t n) {
        size_t i = 0;

        for (; i + 16 + 3 <= n; i += 16)
                if (keys_at16(p + i))
                        return true;
        /* The last < 16 positions: one more vector step ending exactly at the end of the
         * line (overlapping positions already tested is harmless), so only lines shorter than
         * 19 bytes take the scalar loop (it cost a quarter of this function on chatter). */
        if (i < n && n >= 16 + 3)
                return keys_at16(p + n - 16 - 3);
        for (; i + 4 <= n; i++)
                for (size_t k = 0; k < ELEMENTSOF(anywhere_keys); k++)
                        if (memcmp(p + i, anywhere_keys[k], 4) == 0)
                                return true;
        return false;
}

/* Fixed prefixes (after trimming and skip_inline_prefix) of the report-opening kinds, loosened
 * to the part before any number: kill group and panic lines (classify_kill, case-insensitive
 * there, so matched case-insensitively here), oom-kill:/oom_reaper:, memory.oom.group, memcg
 * lines, Mem-Info, the task table, slab info, "Node N ...", lowmem_reserve. */
static const struct lit open_prefixes_ci[] = {
        LIT("kill"), LIT("out of memory"), LIT("memory"), LIT("mem-info"),
};
#define OPEN_PREFIXES(X) X("Kernel panic") X("oom") X("Task") X("Unreclaimable") X("Node ") X("lowmem_reserve")

/* Every case-sensitive prefix report_line_may_open() accepts: the opening prefixes above, the
 * memcg usage lines and the meminfo counters (and "free:NkB", a zone line without its name),
 * digits not checked. Indexed by their first two bytes: prefix_pairs[i] is prefix_lits[i].s[0]
 * | s[1] << 8, padded with zeros (no line's first two bytes: a zero byte is never first) to
 * whole vectors, so one 16-bit-lane compare per 8 entries finds the rare entry worth a memcmp
 * (comparing first bytes only left several candidates per line: 's' and 'a' start many keys,
 * and that loop was half of this function on chatter). */
#define FIRST_PAIR_ITEM(x) (unsigned short) ((unsigned char) (x)[0] | (unsigned) (unsigned char) (x)[1] << 8),
static const struct lit prefix_lits[] = {
        OPEN_PREFIXES(LIT_ITEM) MEMCG_USAGE_PREFIXES(LIT_ITEM) MEMINFO_KEYS(LIT_ITEM)
};
#define N_PREFIX_LITS ELEMENTSOF(prefix_lits)
static const unsigned short prefix_pairs[(N_PREFIX_LITS + 7) / 8 * 8] = {
        OPEN_PREFIXES(FIRST_PAIR_ITEM) MEMCG_USAGE_PREFIXES(FIRST_PAIR_ITEM) MEMINFO_KEYS(FIRST_PAIR_ITEM)
};

typedef unsigned short u16x8 __attribute__((vector_size(16)));

static bool has_open_prefix(struct span s) {
        u16x8 c;

        if (s.n < 2)
                return false; /* every key has at least 3 bytes */
        c = (u16x8) {} + (unsigned short) ((unsigned char) s.p[0] | (unsigned) (unsigned char) s.p[1] << 8);
        for (size_t i = 0; i < ELEMENTSOF(prefix_pairs); i += 8) {
                u16x8 v;

                memcpy(&v, prefix_pairs + i, sizeof(v));
                if (!any16((u8x16) (v == c)))
                        continue;
                for (size_t e = i; e < i + 8 && e < N_PREFIX_LITS; e++)
                        if (prefix_pairs[e] == c[0] && span_prefix_lit(s, &prefix_lits[e], NULL))
                                return true;
        }
        return false;
}

static bool prefix_ci_lit(struct span s, const struct lit *l) {
        if (s.n < l->n || lower(s.p[0]) != l->first)
                return false;
        for (size_t i = 0; i < l->n; i++)
                if (lower(s.p[i]) != l->s[i])
                        return false;
        return true;
}

/* "<Zone> free:", "<Zone> per-cpu:", "<Zone>: N*4kB", "<Zone>:": after the leading word (w
 * bytes) classify_zone_like() accepts only " free:", " per-cpu:", or ':' then blanks and a
 * digit or the end. A superset of that, tested inline ("audit: type=..." fails here). */
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

const char report_line_anywhere_keys[REPORT_LINE_N_ANYWHERE_KEYS][4] = {
        { 'm', '-', 'k', 'i' }, { 'a', 'l', 'l', 'o' }, { 'S', 'y', 's', 'R' }
};
_Static_assert(sizeof(report_line_anywhere_keys) == sizeof(anywhere_keys), "anywhere keys: keep both lists equal");

bool report_line_may_open(const char *text, size_t len) {
        if (!text || len == 0)
                return false;
        /* on the whole text: the trimmed span is part of it */
        if (has_anywhere_key(text, len))
                return true;
        return report_line_may_open_head(text, len);
}

bool report_line_may_open_head(const char *text, size_t len) {
        struct span s;
        size_t w;

        if (!text || len == 0)
                return false;
        s = span_trim_end(span_skip_space((struct span) { text, len }));
        s = skip_inline_prefix(s);
        if (s.n == 0)
                return false;

        if (has_open_prefix(s))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(open_prefixes_ci); i++)
                if (prefix_ci_lit(s, &open_prefixes_ci[i]))
                        return true;

        switch (s.p[0]) {
        case '[': {
                /* task table header "[ pid ]" and rows "[ 1366] ..." */
                struct span rest = span_skip_space(span_advance(s, 1));
                if (rest.n > 0 && (rest.p[0] == 'p' || is_digit(rest.p[0])))
                        return true;
                break;
        }
        case '0' ... '9': {
                /* torn lowmem_reserve values "0 1677 1677", hard-wrapped buddy rows "748*128kB ..." */
                size_t i = 0;
                if (span_count(s, is_digit) < s.n && s.p[span_count(s, is_digit)] == '*')
                        return true;
                while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ' '))
                        i++;
                if (i == s.n || s.p[i] == 'N')
                        return true;
                break;
        }
        default:
                break;
        }

        /* The two shape tests below start with the leading identifier; both are tested inline
         * on the bytes after it first (most chatter, "usb 1-1: ...", fails there). */
        w = span_count(s, is_ident);
        if (w > 0 && is_alpha(s.p[0]) && zone_like_shape(s, w) && classify_zone_like(s) != LINE_UNKNOWN)
                return true;
        if (span_suffix(s, "per-cpu:"))
                return true;
        /* "warn_alloc: N callbacks suppressed": not an opener, but counted by the assembler.
         * classify_ratelimit() accepts "<func>: <digits>..." where func is a whole entry of
         * ratelimit_funcs (identifiers), so the leading identifier ends right at that ": " */
        if (w > 0 && w + 2 < s.n && s.p[w] == ':' && s.p[w + 1] == ' ' && is_digit(s.p[w + 2]) &&
            classify_ratelimit(s) != LINE_UNKNOWN)
                return true;
        return false;
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
