/* SPDX-License-Identifier: MIT */
/* Hand-built reports for the analysis, JSON and text tests, so they do not depend on the
 * parser. fixture_seed() is the 3.14.31 arm report of shared/seed/000_60380911558a7879.txt
 * (the classic CMA case); the others are small synthetic reports for one cause each. */
#pragma once

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static _unused_ void fx_kv(struct key_value **arr, size_t *n, const char *key, int64_t value) {
        struct key_value *a = realloc(*arr, (*n + 1) * sizeof(**arr));
        if (!a)
                abort();
        snprintf(a[*n].key, sizeof(a[*n].key), "%s", key);
        a[*n].value = value;
        *arr = a;
        (*n)++;
}

static _unused_ void fx_kernel(struct oom_report *r, const char *release, int a, int b, int c) {
        r->kernel.known = true;
        r->kernel.major = a;
        r->kernel.minor = b;
        r->kernel.patch = c;
        snprintf(r->kernel.release, sizeof(r->kernel.release), "%s", release);
}

static _unused_ void fx_line(struct oom_report *r, const char *text) {
        struct log_line *l = realloc(r->lines, (r->n_lines + 1) * sizeof(*l));
        if (!l)
                abort();
        r->lines = l;
        l = &r->lines[r->n_lines++];
        memset(l, 0, sizeof(*l));
        l->text = strdup(text);
        if (!l->text)
                abort();
        l->raw = l->text;
        l->len = strlen(text);
        l->ts_usec = l->seq = l->wall_sec = NUM_UNSET;
        l->level = l->facility = -1;
}

static _unused_ struct oom_task *fx_task(struct oom_report *r, int64_t pid, int64_t uid, int64_t total_vm,
                                int64_t rss, int64_t nr_ptes, int64_t swapents, int64_t adj,
                                const char *name) {
        struct oom_task *t = realloc(r->tasks, (r->n_tasks + 1) * sizeof(*t));
        if (!t)
                abort();
        r->tasks = t;
        t = &r->tasks[r->n_tasks++];
        oom_task_init(t);
        t->pid = t->tgid = pid;
        t->uid = uid;
        t->total_vm_pages = total_vm;
        t->rss_pages = rss;
        t->nr_ptes = nr_ptes;
        t->swapents_pages = swapents;
        t->oom_score_adj = adj;
        snprintf(t->name, sizeof(t->name), "%s", name);
        return t;
}

static _unused_ struct oom_zone *fx_zone(struct oom_report *r, const char *name, int64_t free_kb,
                                int64_t min_kb, int64_t low_kb, int64_t high_kb,
                                int64_t present_kb, int64_t managed_kb, int64_t free_cma_kb) {
        struct oom_zone *z = &r->zones[r->n_zones++];
        oom_zone_init(z);
        snprintf(z->name, sizeof(z->name), "%s", name);
        z->free_kb = free_kb;
        z->min_kb = min_kb;
        z->low_kb = low_kb;
        z->high_kb = high_kb;
        z->present_kb = present_kb;
        z->managed_kb = managed_kb;
        z->free_cma_kb = free_cma_kb;
        return z;
}

static _unused_ void fx_reserve(struct oom_zone *z, size_t n, ...) {
        va_list ap;
        va_start(ap, n);
        for (size_t i = 0; i < n; i++)
                z->lowmem_reserve_pages[i] = va_arg(ap, int64_t);
        va_end(ap);
        z->n_lowmem_reserve = n;
}

/* counts[0..n), page size 4 kB, types as printed per order */
static _unused_ void fx_buddy(struct oom_zone *z, size_t n, const int64_t *counts, const char *const *types) {
        int64_t total = 0;
        for (size_t i = 0; i < n; i++) {
                z->buddy[i].count = counts[i];
                z->buddy[i].size_kb = 4LL << i;
                snprintf(z->buddy[i].types, sizeof(z->buddy[i].types), "%s", types ? types[i] : "");
                total += counts[i] * (4LL << i);
        }
        z->n_buddy = n;
        z->buddy_total_kb = total;
}

static _unused_ void fx_meminfo(struct oom_report *r, const char *key, int64_t pages) {
        fx_kv(&r->memory.meminfo, &r->memory.n_meminfo, key, pages);
}

/* The seed: 3.14.31 arm, systemd-journal gfp 0x800d0 order 0, Normal mostly CMA. */
static _unused_ struct oom_report *fixture_seed(void) {
        struct oom_report *r = NULL;
        struct oom_zone *z;
        static const int64_t normal_buddy[11] = { 1165, 1122, 1119, 1118, 1068, 748, 0, 0, 0, 1, 0 };
        static const char *const normal_types[11] = { "MRC", "RC", "RC", "C", "RC", "C", "", "", "", "R", "" };
        static const int64_t high_buddy[12] = { 99, 1148, 1314, 880, 327, 87, 34, 38, 12, 10, 3, 91 };
        static const char *const high_types[12] = { "M", "UM", "UM", "UM", "M", "M", "M", "M", "M", "M", "M", "UMR" };

        if (oom_report_new(&r) < 0)
                abort();
        r->kind = REPORT_KIND_GLOBAL;
        r->raw_type = RAW_REPORT_OOM;
        r->complete = true;
        r->ts_usec = 12345342532LL;
        fx_kernel(r, "3.14.31-00017-g40fab71", 3, 14, 31);
        r->page_kb = 4;

        snprintf(r->trigger.comm, sizeof(r->trigger.comm), "systemd-journal");
        r->trigger.pid = 1371;
        snprintf(r->trigger.gfp_mask, sizeof(r->trigger.gfp_mask), "0x800d0");
        r->trigger.gfp_mask_value = 0x800d0;
        r->trigger.has_gfp_mask = true;
        r->trigger.order = 0;
        r->trigger.oom_score_adj = 0;

        fx_meminfo(r, "active_anon", 21860);
        fx_meminfo(r, "inactive_anon", 14790);
        fx_meminfo(r, "isolated_anon", 0);
        fx_meminfo(r, "active_file", 41585);
        fx_meminfo(r, "inactive_file", 10422);
        fx_meminfo(r, "isolated_file", 0);
        fx_meminfo(r, "unevictable", 0);
        fx_meminfo(r, "dirty", 9);
        fx_meminfo(r, "writeback", 205);
        fx_meminfo(r, "unstable", 0);
        fx_meminfo(r, "free", 285748);
        fx_meminfo(r, "slab_reclaimable", 2100);
        fx_meminfo(r, "slab_unreclaimable", 26286);
        fx_meminfo(r, "mapped", 26079);
        fx_meminfo(r, "shmem", 14857);
        fx_meminfo(r, "pagetables", 687);
        fx_meminfo(r, "bounce", 0);
        fx_meminfo(r, "free_cma", 57779);

        z = fx_zone(r, "Normal", 233460, 2488, 3108, 3732, 774144, 387568, 231116);
        fx_kv(&z->fields, &z->n_fields, "kernel_stack", 1168);
        fx_kv(&z->fields, &z->n_fields, "slab_unreclaimable", 105144);
        fx_kv(&z->fields, &z->n_fields, "shmem", 10840);
        z->all_unreclaimable = 1;
        fx_reserve(z, 3, (int64_t)0, (int64_t)10168, (int64_t)10168);
        fx_buddy(z, 11, normal_buddy, normal_types);
        z = fx_zone(r, "HighMem", 909036, 512, 2604, 4696, 1301504, 1301504, 0);
        fx_kv(&z->fields, &z->n_fields, "kernel_stack", 0);
        z->all_unreclaimable = 0;
        fx_reserve(z, 3, (int64_t)0, (int64_t)0, (int64_t)0);
        fx_buddy(z, 12, high_buddy, high_types);

        r->memory.total_pagecache_pages = 66770;
        r->memory.swap_cache_pages = 0;
        r->memory.free_swap_kb = 0;
        r->memory.total_swap_kb = 0;
        r->memory.pages_ram = 520192;
        r->memory.pages_reserved = 97924;

        fx_task(r, 1366, 0, 459, 125, 3, 0, 0, "sh");
        fx_task(r, 1367, 0, 665, 235, 4, 0, 0, "propertyd");
        fx_task(r, 1368, 0, 26553, 8835, 58, 0, 0, "seed");
        fx_task(r, 1371, 0, 1648, 772, 5, 0, 0, "systemd-journal");
        fx_task(r, 1375, 0, 750, 300, 4, 0, -1000, "systemd-udevd");
        fx_task(r, 2416, 1040, 3852, 510, 7, 0, 0, "secd");
        fx_task(r, 2419, 0, 6678, 923, 9, 0, 0, "storagemanagerd");
        fx_task(r, 2420, 0, 1267, 497, 5, 0, 0, "connmand");
        fx_task(r, 2422, 0, 4484, 687, 8, 0, 0, "uuid");
        fx_task(r, 2424, 0, 1161, 358, 5, 0, 0, "connman-vpnd");
        fx_task(r, 2427, 1000, 1593, 461, 6, 0, 0, "logboxd");
        fx_task(r, 2432, 0, 9483, 1718, 15, 0, 0, "cmns");
        fx_task(r, 2451, 81, 1355, 474, 4, 0, -900, "dbus-daemon");
        fx_task(r, 2532, 0, 11794, 246, 10, 0, 0, "adbd");
        fx_task(r, 2535, 0, 1502, 347, 5, 0, 0, "wpa_supplicant");
        fx_task(r, 2536, 0, 12820, 866, 12, 0, 0, "udisksd");
        fx_task(r, 2537, 0, 1898, 527, 6, 0, 0, "tyid");
        fx_task(r, 2540, 0, 10076, 2157, 16, 0, 0, "datamanagerd");
        fx_task(r, 2554, 0, 5983, 574, 7, 0, 0, "connectivityser");
        fx_task(r, 2558, 0, 10604, 5388, 21, 0, 0, "weston");
        fx_task(r, 2589, 0, 14597, 1917, 17, 0, 0, "pagemanagerd");
        fx_task(r, 2590, 0, 3832, 515, 7, 0, 0, "amt");
        fx_task(r, 2593, 0, 6176, 1343, 12, 0, 0, "weston-desktop-");
        fx_task(r, 2599, 0, 7185, 761, 12, 0, 0, "scim-launcher");
        fx_task(r, 5580, 0, 458, 116, 3, 0, 0, "sh");
        fx_task(r, 5581, 0, 492, 175, 3, 0, 0, "gzip");
        snprintf(r->task_table_layout, sizeof(r->task_table_layout), "3.6-3.14");

        r->has_victim = true;
        r->victim.pid = 5575;
        snprintf(r->victim.comm, sizeof(r->victim.comm), "thread_x");
        r->victim.score = 481;
        r->victim.total_vm_kb = 106212;
        r->victim.anon_rss_kb = 18036;
        r->victim.file_rss_kb = 2704;

        fx_line(r, "systemd-journal invoked oom-killer: gfp_mask=0x800d0, order=0, oom_score_adj=0");
        fx_line(r, "CPU: 1 PID: 1371 Comm: systemd-journal Tainted: G O 3.14.31-00017-g40fab71 #1");
        fx_line(r, "Out of memory: Kill process 5575 thread_x score 481 or sacrifice child");
        fx_line(r, "Killed process 5575 thread_x total-vm:106212kB, anon-rss:18036kB, file-rss:2704kB");
        return r;
}

/* x86_64 4.19-style global OOM: DMA, DMA32, Normal; GFP_HIGHUSER_MOVABLE; memory numbers
 * chosen by the caller through the meminfo pages. 4 GiB total. */
static _unused_ struct oom_report *fixture_x86(int64_t anon_pages, int64_t file_pages, int64_t shmem_pages,
                                      int64_t slab_unrecl_pages, int64_t free_pages) {
        struct oom_report *r = NULL;
        struct oom_zone *z;

        if (oom_report_new(&r) < 0)
                abort();
        r->kind = REPORT_KIND_GLOBAL;
        r->raw_type = RAW_REPORT_OOM;
        r->complete = true;
        r->ts_usec = 5000000;
        fx_kernel(r, "4.19.0-6-amd64", 4, 19, 0);
        snprintf(r->trigger.comm, sizeof(r->trigger.comm), "worker");
        r->trigger.pid = 42;
        snprintf(r->trigger.gfp_mask, sizeof(r->trigger.gfp_mask), "0x6280ca");
        snprintf(r->trigger.gfp_printed_names, sizeof(r->trigger.gfp_printed_names),
                 "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
        r->trigger.gfp_mask_value = 0x6280ca;
        r->trigger.has_gfp_mask = true;
        r->trigger.order = 0;

        fx_meminfo(r, "active_anon", anon_pages / 2);
        fx_meminfo(r, "inactive_anon", anon_pages - anon_pages / 2);
        fx_meminfo(r, "active_file", file_pages / 2);
        fx_meminfo(r, "inactive_file", file_pages - file_pages / 2);
        fx_meminfo(r, "unevictable", 0);
        fx_meminfo(r, "slab_reclaimable", 5000);
        fx_meminfo(r, "slab_unreclaimable", slab_unrecl_pages);
        fx_meminfo(r, "mapped", 1000);
        fx_meminfo(r, "shmem", shmem_pages);
        fx_meminfo(r, "pagetables", 2000);
        fx_meminfo(r, "bounce", 0);
        fx_meminfo(r, "free", free_pages);
        fx_meminfo(r, "free_pcp", 0);
        fx_meminfo(r, "free_cma", 0);
        fx_kv(&r->memory.node_fields, &r->memory.n_node_fields, "kernel_stack", 8192);

        /* Watermarks: DMA min 32 kB, DMA32 min 8 MiB-ish, Normal min 12 MiB-ish. Free memory is
         * split so every zone is just below min (DMA under its big reserve). */
        z = fx_zone(r, "DMA", 15360, 260, 324, 388, 15992, 15360, 0);
        fx_reserve(z, 5, (int64_t)0, (int64_t)2960, (int64_t)3902, (int64_t)3902, (int64_t)3902);
        z = fx_zone(r, "DMA32", 12000, 12292, 15364, 18436, 3129216, 3063680, 0);
        fx_reserve(z, 5, (int64_t)0, (int64_t)0, (int64_t)942, (int64_t)942, (int64_t)942);
        z = fx_zone(r, "Normal", 4000, 4048, 5060, 6072, 1048576, 965248, 0);
        fx_reserve(z, 5, (int64_t)0, (int64_t)0, (int64_t)0, (int64_t)0, (int64_t)0);
        r->memory.pages_ram = 1048442;
        r->memory.pages_reserved = 37422;
        r->memory.free_swap_kb = 0;
        r->memory.total_swap_kb = 0;
        fx_line(r, "worker invoked oom-killer: gfp_mask=0x6280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null), order=0, oom_score_adj=0");
        return r;
}
