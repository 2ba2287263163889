/* SPDX-License-Identifier: MIT */
/* report_line_classify() against real report lines of every era in the corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "report_line.h"

#define K(s) report_line_classify((s), strlen(s))

/* Strip the log prefixes found in the corpus ("<4>[ 12.3]", "[ 12.3][T123]", syslog
 * "Mon dd hh:mm:ss host kernel: ", raw kmsg "4,123,456,-,caller=T1;") the way the input layer
 * does, so the classifier sees normalised text. Test-only and deliberately simple. */
static const char *strip_prefix(const char *s) {
        const char *semi = strchr(s, ';');

        if (s[0] >= '0' && s[0] <= '9' && semi && semi - s < 64) {
                int commas = 0;
                for (const char *q = s; q < semi; q++)
                        commas += *q == ',';
                if (commas >= 3)
                        return semi + 1;
        }
        if (strlen(s) > 16 && s[3] == ' ' && s[6] == ' ' && s[9] == ':' && s[12] == ':') {
                const char *k = strstr(s, " kernel: ");
                if (!k)
                        return NULL; /* another program's syslog line */
                s = k + 9;
        }
        while (*s == ' ')
                s++;
        if (s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>')
                s += 3;
        if (s[0] == '[') {
                const char *e = strchr(s, ']');
                const char *dot = strchr(s, '.');
                if (e && dot && dot < e && e - s < 24) {
                        s = e + 1;
                        if (s[0] == '[' && (s[1] == 'T' || s[1] == 'C' || s[1] == ' ') && strchr(s, ']'))
                                s = strchr(s, ']') + 1;
                        if (*s == ' ')
                                s++;
                }
        }
        return s;
}

struct expect {
        const char *line;
        enum line_kind kind;
};

static void check_table(const struct expect *t, size_t n) {
        for (size_t i = 0; i < n; i++) {
                enum line_kind got = K(t[i].line);
                if (got != t[i].kind)
                        fail_msg("\"%s\": got %s, want %s", t[i].line, line_kind_to_string(got),
                                 line_kind_to_string(t[i].kind));
        }
}

/* One line of each kind, per era, taken from the corpus and the seed. */
static void test_eras(void **state) {
        static const struct expect t[] = {
                /* headers: 2.6.22 oomkilladj, 3.14, 4.12 two spaces, 5.x, comm with a space */
                { "gpg-agent invoked oom-killer: gfp_mask=0x201d2, order=0, oomkilladj=0", LINE_OOM_HEADER },
                { "systemd-journal invoked oom-killer: gfp_mask=0x800d0, order=0, oom_score_adj=0", LINE_OOM_HEADER },
                { "traced_probes invoked oom-killer: gfp_mask=0x140c0c0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), nodemask=(null),  order=2, oom_score_adj=-1", LINE_OOM_HEADER },
                { "process reaper invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0", LINE_OOM_HEADER },
                { "dockerd: page allocation failure: order:5, mode:0x440dc0(GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=docker.service,mems_allowed=0-3", LINE_ALLOC_FAIL_HEADER },
                { "swapper/0: page allocation failure. order:1, mode:0x20", LINE_ALLOC_FAIL_HEADER },
                { "a.out: page allocation stalls for 140026ms, order:0, mode:0x342004a(GFP_NOFS)", LINE_ALLOC_STALL },
                { "gunpowder-memho cpuset=2e088fe462e25e60 mems_allowed=0", LINE_CPUSET },
                { "COMPACTION is disabled!!!", LINE_NO_COMPACTION },
                /* CPU lines 2.6.32, 3.14, 6.12+ UID */
                { "Pid: 6186, comm: Xorg Tainted: P        2.6.24-19-generic #1", LINE_CPU },
                { "CPU: 1 PID: 1371 Comm: systemd-journal Tainted: G O 3.14.31-00017-g40fab71 #1", LINE_CPU },
                { "CPU: 3 UID: 0 PID: 99 Comm: x Not tainted 6.12.0 #1", LINE_CPU },
                { "Hardware name: LENOVO 20BSCTO1WW/20BSCTO1WW, BIOS N14ET32W (1.10 ) 08/13/2015", LINE_HARDWARE },
                /* traces: arm, x86 <=4.x, 5.x, arm64, 2.6.22, ppc64, arm 6.x, registers */
                { "Backtrace:", LINE_TRACE_START },
                { "Call Trace:", LINE_TRACE_START },
                { "Call trace:", LINE_TRACE_START },
                { " <TASK>", LINE_TRACE_START },
                { "[<c0012fcc>] (dump_backtrace) from [<c00131a4>] (show_stack+0x20/0x24)", LINE_TRACE_FRAME },
                { "r10:00000000 r8:000800d0 r7:00000000 r6:c0b89aa8 r5:000800d0 r4:e9bb79c0", LINE_TRACE_FRAME },
                { "r4:c0b89aa8", LINE_TRACE_FRAME },
                { " [<ffffffff8137ad47>] dump_stack+0x4d/0x63", LINE_TRACE_FRAME },
                { " ? kernel_init_free_pages.part.0+0x4a/0x70", LINE_TRACE_FRAME },
                { " dump_backtrace.cfi_jt+0x0/0x8", LINE_TRACE_FRAME },
                { "oom_kill_process.cold.32+0xb/0x10", LINE_TRACE_FRAME },
                { " =======================", LINE_TRACE_FRAME },
                { " [oom_kill_process+0x10a/0x120] oom_kill_process+0x10a/0x120", LINE_TRACE_FRAME },
                { " [agpgart:__alloc_pages+0x36c/0x3a0] __alloc_pages+0x36c/0x3a0", LINE_TRACE_FRAME },
                { " dump_header from out_of_memory+0x300/0x34c", LINE_TRACE_FRAME },
                { " brcmf_attach [brcmfmac] from brcmf_sdio_firmware_callback+0x84c/0x974 [brcmfmac]", LINE_TRACE_FRAME },
                { "(unwind_backtrace) from [<c010d824>] (show_stack+0x20/0x24)", LINE_TRACE_FRAME },
                { " 0000000000000000 ffff8800968e3ca0 ffffffff8137ad47 ffff8800968e3d68", LINE_TRACE_FRAME },
                { "RIP: 0033:0x560f8a11464d", LINE_TRACE_FRAME },
                { "Code: Unable to access opcode bytes at RIP 0x560f8a114623.", LINE_TRACE_FRAME },
                { "R13: 0000000000000000 R14: 00007ffee6141370 R15: 0000560f8a0f4930", LINE_TRACE_FRAME },
                /* Mem-Info */
                { "Mem-info:", LINE_MEMINFO_START },
                { "Mem-Info:", LINE_MEMINFO_START },
                { "Normal per-cpu:", LINE_PERCPU_HEADER },
                { "CPU    0: hi:  186, btch:  31 usd:  27", LINE_PERCPU_ROW },
                { "CPU 0: hi: 42, btch: 7 usd: 23", LINE_PERCPU_ROW },
                { "CPU    0: Hot: hi:    0, btch:   1 usd:   0   Cold: hi:    0, btch:   1 usd:   0", LINE_PERCPU_ROW },
                { "active_anon:21860 inactive_anon:14790 isolated_anon:0", LINE_MEMINFO_COUNTERS },
                { " free:1623 slab:4216 mapped:6 pagetables:1409 bounce:0", LINE_MEMINFO_COUNTERS },
                { "Active:90336 inactive:90156 dirty:0 writeback:0 unstable:0", LINE_MEMINFO_COUNTERS },
                { "active_anon:356034 inactive_anon:2961 isolated_anon:0#012 active_file:57", LINE_MEMINFO_COUNTERS },
                { "Node 0 active_anon:408244kB inactive_anon:326204kB all_unreclaimable? no", LINE_NODE },
                { "Normal free:233460kB min:2488kB low:3108kB high:3732kB active_anon:17312kB", LINE_ZONE },
                { "Node 0 DMA32 free:44568kB min:44640kB low:55800kB high:66960kB", LINE_ZONE },
                { "Node 0 ", LINE_ZONE },
                { "lowmem_reserve[]: 0 10168 10168", LINE_LOWMEM_RESERVE },
                { " 0 1677 1677 1677Node 0 ", LINE_LOWMEM_RESERVE },
                { "Normal: 1165*4kB (MRC) 1122*8kB (RC) 1119*16kB (RC) = 233460kB", LINE_BUDDY },
                { "Node 0 DMA: 0*4kB 0*8kB 1*16kB (M) = 7120kB", LINE_BUDDY },
                { "748*128kB (C) 0*256kB 0*512kB 0*1024kB 1*2048kB (R) = 233460kB", LINE_BUDDY },
                { "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB", LINE_HUGEPAGES },
                { "66770 total pagecache pages", LINE_PAGECACHE },
                { "0 pages in swap cache", LINE_SWAP },
                { "Swap cache stats: add 0, delete 0, find 0/0", LINE_SWAP },
                { "Swap cache: add 612260, delete 612260, find 146681/222739, race 0+0", LINE_SWAP },
                { "Free swap  = 0kB", LINE_SWAP },
                { "Free swap:            0kB", LINE_SWAP },
                { "Total swap = 610428kB", LINE_SWAP },
                { "520192 pages of RAM", LINE_TOTALS },
                { "286253 free pages", LINE_TOTALS },
                { "97924 reserved pages", LINE_TOTALS },
                { "0 pages HighMem/MovableOnly", LINE_TOTALS },
                { "131072 pages cma reserved", LINE_TOTALS },
                { "0 pages hwpoisoned", LINE_TOTALS },
                { "Unreclaimable slab info:", LINE_UNRECLAIMABLE_SLAB_START },
                { "Name                      Used          Total", LINE_UNRECLAIMABLE_SLAB_ROW },
                { "kmalloc-1k               1234KB       5678KB", LINE_UNRECLAIMABLE_SLAB_ROW },
                /* memcg */
                { "Task in /docker/2e08 killed as a result of limit of /docker/2e08", LINE_MEMCG_TASK_IN },
                { "memory: usage 20480kB, limit 20480kB, failcnt 1204", LINE_MEMCG_USAGE },
                { "memory+swap: usage 40940kB, limit 40960kB, failcnt 6", LINE_MEMCG_USAGE },
                { "swap: usage 0kB, limit 9007199254740988kB, failcnt 0", LINE_MEMCG_USAGE },
                { "kmem: usage 220kB, limit 9007199254740988kB, failcnt 0", LINE_MEMCG_USAGE },
                { "Memory cgroup stats for /docker/2e08: cache:0KB rss:20260KB", LINE_MEMCG_STATS_START },
                { "anon 98742272", LINE_MEMCG_STAT },
                /* tasks */
                { "Tasks state (memory values in pages):", LINE_TASK_HEADER },
                { "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name", LINE_TASK_HEADER },
                { "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name", LINE_TASK_HEADER },
                { "[ 1366] 0 1366 459 125 3 0 0 sh", LINE_TASK_ROW },
                { "[ 181505] 65535 181505      243        1    28672        0          -998 pause", LINE_TASK_ROW },
                /* kill group, every era */
                { "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=node,pid=2092,uid=0", LINE_OOM_SUMMARY },
                { "Out of memory: kill process 9837 (run-mozilla.sh) score 70967 or a child", LINE_KILL_PROCESS },
                { "Out of memory: Kill process 5575 thread_x score 481 or sacrifice child", LINE_KILL_PROCESS },
                { "Memory cgroup out of memory: Kill process 1381 (gunpowder-memho) score 1046 or sacrifice child", LINE_KILL_PROCESS },
                { "Kill process 1914 (x) sharing same memory", LINE_KILL_PROCESS },
                { "Killed process 9846 (firefox-bin)", LINE_KILLED_PROCESS },
                { "Killed process 5575 thread_x total-vm:106212kB, anon-rss:18036kB, file-rss:2704kB", LINE_KILLED_PROCESS },
                { "Killed process 4356, UID 0, (init) total-vm:19228kB, anon-rss:4kB, file-rss:8kB", LINE_KILLED_PROCESS },
                { "Out of memory: Killed process 2092 (node) total-vm:2546008kB, anon-rss:1665620kB", LINE_KILLED_PROCESS },
                { "Memory cgroup out of memory: Killed process 183960 (stress-ng-vm) total-vm:299192kB", LINE_KILLED_PROCESS },
                { "Out of memory (oom_kill_allocating_task): Killed process 7 (a) total-vm:1kB", LINE_KILLED_PROCESS },
                { "Memory cgroup out of memory: OOM victim 123 (x) is already exiting. Skip killing the task", LINE_OOM_VICTIM_EXITING },
                { "Tasks in /a are going to be killed due to memory.oom.group set", LINE_OOM_GROUP },
                { "oom_reaper: reaped process 2092 (node), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", LINE_OOM_REAPER },
                { "oom_reaper: unable to reap pid:7558 (a.out)", LINE_OOM_REAPER },
                { "Out of memory and no killable processes...", LINE_NO_KILLABLE },
                { "Kernel panic - not syncing: Out of memory and no killable processes...", LINE_PANIC_ON_OOM },
                { "Out of memory: compulsory panic_on_oom is enabled", LINE_PANIC_ON_OOM },
                { "warn_alloc: 3 callbacks suppressed", LINE_RATELIMIT },
                /* pasted damage the classifier tolerates */
                { "[3:  Binder:9343_3:22875] Mem-Info:", LINE_MEMINFO_START },
                { "[T14021] Call Trace:", LINE_TRACE_START },
                { "[COLOR=\"Red\"]Free swap  = 0kB[/COLOR]", LINE_SWAP },
                { "[] dump_stack+0x19/0x1b", LINE_TRACE_FRAME },
        };
        check_table(t, ELEMENTSOF(t));
}

/* Lines that must NOT be taken for report lines. */
static void test_negatives(void **state) {
        static const struct expect t[] = {
                { "", LINE_UNKNOWN },
                { "   ", LINE_UNKNOWN },
                { "docker0: port 2(veth380a1cd) entered disabled state", LINE_UNKNOWN },
                { "SLUB: Unable to allocate memory on node -1, gfp=0x820(GFP_ATOMIC)", LINE_UNKNOWN },
                { "slab_out_of_memory: 53 callbacks suppressed", LINE_UNKNOWN },
                /* a userspace message quoting a kill line in its middle (corpus 013) */
                { "I1012 19:00:20.884452 3240 log_monitor.go:160] Message:Memory cgroup out of memory: Killed process 183960", LINE_UNKNOWN },
                /* the seed's commentary lines */
                { "Normal free: Normal zone的空闲空间", LINE_UNKNOWN },
                { "free: 空闲页面", LINE_UNKNOWN },
                { "isolated_anon: DON'T KNOW", LINE_UNKNOWN },
                { "Killed", LINE_UNKNOWN },
                { "Killed process", LINE_UNKNOWN },
                { "sysrq: SysRq : Show Memory", LINE_UNKNOWN },
                { "oom_reaper: started", LINE_UNKNOWN },
                { "Kernel panic - not syncing: Attempted to kill init!", LINE_UNKNOWN },
                { "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)", LINE_UNKNOWN },
        };
        check_table(t, ELEMENTSOF(t));
}

static void test_not_nul_terminated(void **state) {
        /* the length bounds the scan: a kill line followed by garbage beyond len */
        const char buf[] = "Killed process 12 (x)XXXXXXXXXXXXXXXXXXXXXXXX";
        char *copy = malloc(21);

        assert_non_null(copy);
        memcpy(copy, buf, 21); /* no NUL */
        assert_int_equal(report_line_classify(copy, 21), LINE_KILLED_PROCESS);
        assert_int_equal(report_line_classify(copy, 14), LINE_UNKNOWN); /* "Killed process" */
        free(copy);
        assert_int_equal(report_line_classify(NULL, 5), LINE_UNKNOWN);
        assert_int_equal(report_line_classify("x", 0), LINE_UNKNOWN);
}

static void test_garbage_no_crash(void **state) {
        /* random bytes including NUL, and a 10 MB line: no crash, bounded */
        size_t big = 10u << 20;
        char *b = malloc(big);
        unsigned seed = 1;

        assert_non_null(b);
        for (int round = 0; round < 20000; round++) {
                size_t n = (size_t) (rand_r(&seed) % 200);
                for (size_t i = 0; i < n; i++)
                        b[i] = (char) rand_r(&seed);
                (void) report_line_classify(b, n);
        }
        memset(b, 'A', big);
        assert_int_equal(report_line_classify(b, big), LINE_UNKNOWN);
        memcpy(b + big - 20, "invoked oom-killer:", 19);
        assert_int_equal(report_line_classify(b, big), LINE_OOM_HEADER);
        free(b);
}

static void test_names_and_body(void **state) {
        for (int k = 0; k < _LINE_KIND_MAX; k++) {
                const char *n = line_kind_to_string((enum line_kind) k);
                assert_non_null(n);
                if (k != LINE_UNKNOWN)
                        assert_string_not_equal(n, "unknown");
                for (int j = 0; j < k; j++)
                        assert_string_not_equal(n, line_kind_to_string((enum line_kind) j));
        }
        assert_string_equal(line_kind_to_string(_LINE_KIND_MAX), "unknown");
        assert_string_equal(line_kind_to_string((enum line_kind) -1), "unknown");
        assert_true(line_kind_is_body(LINE_ZONE));
        assert_true(line_kind_is_body(LINE_TASK_ROW));
        assert_true(line_kind_is_body(LINE_OOM_SUMMARY));
        assert_false(line_kind_is_body(LINE_UNKNOWN));
        assert_false(line_kind_is_body(LINE_OOM_HEADER));
        assert_false(line_kind_is_body(LINE_KILLED_PROCESS));
        assert_false(line_kind_is_body(LINE_OOM_REAPER));
        assert_false(line_kind_is_body(LINE_RATELIMIT));
}

/* The classifier's table: every row has kernels and an example, and the example is classified
 * by that very row (an earlier row that takes it first would make the row dead), also from a
 * buffer holding exactly its bytes; every kind but LINE_UNKNOWN has a row. */
static void test_shape_table(void **state) {
        struct line_shape_info info;
        bool kind_has_row[_LINE_KIND_MAX] = {};
        size_t rows = 0;

        for (size_t i = 0; report_line_shape_info(i, &info); i++) {
                size_t n;
                char *copy;
                int row;

                assert_non_null(info.example);
                assert_non_null(info.kernels);
                assert_true(info.kernels[0] != '\0');
                assert_int_not_equal(info.kind, LINE_UNKNOWN);
                n = strlen(info.example);
                copy = malloc(n);
                assert_non_null(copy);
                memcpy(copy, info.example, n);
                row = report_line_classify_row(copy, n);
                if (row != (int) i)
                        fail_msg("row %zu (%s, %s): its example \"%s\" is classified by row %d", i,
                                 line_kind_to_string(info.kind), info.kernels, info.example, row);
                assert_int_equal(report_line_classify(copy, n), info.kind);
                free(copy);
                kind_has_row[info.kind] = true;
                rows++;
        }
        assert_true(rows > 0);
        for (int k = 0; k < _LINE_KIND_MAX; k++)
                if (k != LINE_UNKNOWN && !kind_has_row[k])
                        fail_msg("no row gives %s", line_kind_to_string((enum line_kind) k));
        assert_false(report_line_shape_info(rows, &info));
        assert_false(report_line_shape_info(0, NULL));
        assert_int_equal(report_line_classify_row("usb 1-1: new high-speed USB device", 34), -1);
        assert_int_equal(report_line_classify_row(NULL, 3), -1);
        assert_int_equal(report_line_classify_row("   ", 3), -1);
}

/* Classify every line of a corpus file; per-kind counts must match what the file holds. */
struct file_counts {
        const char *path;
        int kind;
        int count;
};

static int count_kind(const char *path, enum line_kind want, int *ret_lines) {
        char full[1024], buf[1 << 16];
        FILE *f;
        int n = 0, lines = 0;

        snprintf(full, sizeof(full), "%s/%s", OOMLENS_SHARED_DIR, path);
        f = fopen(full, "re");
        if (!f)
                return -1;
        while (fgets(buf, sizeof(buf), f)) {
                size_t l = strlen(buf);
                const char *t;
                while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
                        buf[--l] = '\0';
                lines++;
                t = strip_prefix(buf);
                if (t && report_line_classify(t, strlen(t)) == want)
                        n++;
        }
        fclose(f);
        if (ret_lines)
                *ret_lines = lines;
        return n;
}

static void test_corpus_files(void **state) {
        static const struct file_counts t[] = {
                /* seed: the report + 1 re-quoted header; all task rows; 2 kill lines */
                { "seed/000_60380911558a7879.txt", LINE_OOM_HEADER, 2 },
                { "seed/000_60380911558a7879.txt", LINE_TASK_ROW, 26 },
                { "seed/000_60380911558a7879.txt", LINE_KILL_PROCESS, 1 },
                { "seed/000_60380911558a7879.txt", LINE_KILLED_PROCESS, 1 },
                { "seed/000_60380911558a7879.txt", LINE_TRACE_START, 2 },
                /* 010: the storm */
                { "corpus/public/010-forum-ubuntu-2.6.22-x86-firefox-oom-storm-3-headers.log", LINE_OOM_HEADER, 3 },
                { "corpus/public/010-forum-ubuntu-2.6.22-x86-firefox-oom-storm-3-headers.log", LINE_TOTALS, 30 },
                { "corpus/public/010-forum-ubuntu-2.6.22-x86-firefox-oom-storm-3-headers.log", LINE_UNKNOWN, 0 },
                /* 013: 3 interleaved syslog lines of other programs are dropped by strip_prefix */
                { "corpus/public/013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log", LINE_MEMCG_STAT, 27 },
                { "corpus/public/013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log", LINE_TASK_ROW, 9 },
                { "corpus/public/013-blog-aks-5.15-azure-cgroup2-memcg-syslog-interleaved.log", LINE_UNKNOWN, 0 },
                /* 034: 2 memcg reports among docker lines */
                { "corpus/public/034-cadvisor-gunpowder-4.8-memcg-x2-interleaved.log", LINE_OOM_REAPER, 2 },
                { "corpus/public/034-cadvisor-gunpowder-4.8-memcg-x2-interleaved.log", LINE_MEMCG_USAGE, 6 },
                { "corpus/public/034-cadvisor-gunpowder-4.8-memcg-x2-interleaved.log", LINE_CPUSET, 2 },
                { "corpus/public/034-cadvisor-gunpowder-4.8-memcg-x2-interleaved.log", LINE_UNKNOWN, 37 },
                /* 046: raw kmsg with caller ids */
                { "corpus/public/046-lkml-android-gki-5.10-devkmsg-raw-order3-movable-zone.log", LINE_TASK_ROW, 22 },
                /* 017: grep-filtered */
                { "corpus/public/017-blog-centos8-grep-oom-filtered-3-events.log", LINE_UNKNOWN, 0 },
                { "corpus/public/017-blog-centos8-grep-oom-filtered-3-events.log", LINE_OOM_REAPER, 3 },
                /* 041: sysrq manual OOM, complete */
                { "corpus/public/041-oomanalyser-example-ubuntu2110-5.13-sysrq-manual-oom.log", LINE_OOM_HEADER, 1 },
                /* lab: real Debian 6.1 kernels; alloc failure + three OOMs */
                { "corpus/lab/amd64-hog-512M.log", LINE_KILLED_PROCESS, 1 },
                { "corpus/lab/i386pae-lowmem-1536M.log", LINE_UNRECLAIMABLE_SLAB_START, 1 },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                int lines = 0;
                int got = count_kind(t[i].path, (enum line_kind) t[i].kind, &lines);
                if (got < 0) {
                        print_message("skipping %s: not readable\n", t[i].path);
                        continue;
                }
                if (got != t[i].count)
                        fail_msg("%s: %d lines of kind %s, want %d", t[i].path, got,
                                 line_kind_to_string((enum line_kind) t[i].kind), t[i].count);
        }
}

/* Every report line of the three lab captures between header and kill is recognised. */
static void test_lab_reports_fully_recognised(void **state) {
        static const char *const files[] = {
                "corpus/lab/amd64-hog-512M.log",
                "corpus/lab/amd64-highorder-256M.log",
                "corpus/lab/i386pae-lowmem-1536M.log",
                "corpus/lab/arm64-cmatrap-512M-cma256.log",
        };
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                char full[1024], buf[1 << 16];
                FILE *f;
                bool in = false;
                int report_lines = 0;

                snprintf(full, sizeof(full), "%s/%s", OOMLENS_SHARED_DIR, files[i]);
                f = fopen(full, "re");
                if (!f)
                        continue;
                while (fgets(buf, sizeof(buf), f)) {
                        size_t l = strlen(buf);
                        const char *t;
                        enum line_kind k;
                        while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
                                buf[--l] = '\0';
                        t = strip_prefix(buf);
                        if (!t)
                                continue;
                        k = report_line_classify(t, strlen(t));
                        if (k == LINE_OOM_HEADER || k == LINE_ALLOC_FAIL_HEADER)
                                in = true;
                        if (in) {
                                report_lines++;
                                if (k == LINE_UNKNOWN)
                                        fail_msg("%s: unrecognised report line \"%s\"", files[i], t);
                        }
                        if (k == LINE_KILLED_PROCESS || k == LINE_OOM_REAPER)
                                in = false;
                }
                fclose(f);
                assert_true(report_lines > 40);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_eras),
                cmocka_unit_test(test_negatives),
                cmocka_unit_test(test_not_nul_terminated),
                cmocka_unit_test(test_garbage_no_crash),
                cmocka_unit_test(test_names_and_body),
                cmocka_unit_test(test_shape_table),
                cmocka_unit_test(test_corpus_files),
                cmocka_unit_test(test_lab_reports_fully_recognised),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
