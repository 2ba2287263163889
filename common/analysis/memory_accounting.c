/* SPDX-License-Identifier: MIT */
#include "memory_accounting.h"

#include <string.h>

#include "kernel_version.h"

static int64_t kv_find(const struct key_value *kv, size_t n, const char *key) {
        for (size_t i = 0; kv && i < n; i++)
                if (strcmp(kv[i].key, key) == 0)
                        return kv[i].value;
        return NUM_UNSET;
}

static int64_t kv_sum(const struct key_value *kv, size_t n, const char *key) {
        int64_t sum = NUM_UNSET;

        for (size_t i = 0; kv && i < n; i++)
                if (strcmp(kv[i].key, key) == 0 && num_set(kv[i].value))
                        sum = num_set(sum) ? num_add(sum, kv[i].value) : kv[i].value;
        return sum;
}

int64_t meminfo_pages(const struct oom_report *r, const char *key) {
        return kv_find(r->memory.meminfo, r->memory.n_meminfo, key);
}

int64_t node_field_kb(const struct oom_report *r, const char *key) {
        return kv_find(r->memory.node_fields, r->memory.n_node_fields, key);
}

int64_t zone_field_sum_kb(const struct oom_report *r, const char *key) {
        int64_t sum = NUM_UNSET;

        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                int64_t v = kv_find(r->zones[i].fields, r->zones[i].n_fields, key);
                if (num_set(v))
                        sum = num_set(sum) ? num_add(sum, v) : v;
        }
        return sum;
}

bool memcg_stats_v2(const struct oom_report *r) {
        /* "anon" exists only in the cgroup v2 memory.stat (4.18 patched / 4.19+ / 5.3+ text),
         * which prints bytes; v1 prints "rss:NKB". */
        return num_set(kv_find(r->memcg.stats, r->memcg.n_stats, "anon"));
}

int64_t memcg_stat_kb(const struct oom_report *r, const char *key) {
        int64_t v = kv_sum(r->memcg.stats, r->memcg.n_stats, key);

        if (!num_set(v))
                return NUM_UNSET;
        /* memory.stat text lines are bytes (v2, and v1 since 5.x prints it the same way: a real
         * 6.18 v1 capture has "rss 33423360" for a 32 MiB limit); inline pairs are kB. */
        return r->memcg.stats_bytes || memcg_stats_v2(r) ? v / 1024 : v;
}

static int64_t pages_to_kb(const struct oom_report *r, int64_t pages) {
        return num_mul(pages, report_page_kb(r));
}

static int64_t meminfo_kb(const struct oom_report *r, const char *key) {
        return pages_to_kb(r, meminfo_pages(r, key));
}

static int64_t meminfo_sum_kb(const struct oom_report *r, const char *a, const char *b) {
        return num_add(meminfo_kb(r, a), meminfo_kb(r, b));
}

/* show_mem's "pages reserved" total, by version. 3.13 and 3.14 assign instead of add, so the
 * figure is the last zone's present - managed only (fixed by 4.4; kernel-facts §5.4j). */
static const struct reserved_rule {
        struct kv_range kernels;
        bool last_zone_only;
} reserved_rules[] = {
        { { KV(3, 13, 0), KV(3, 14, 0xffff) }, true },
};

static bool pages_reserved_trustworthy(const struct oom_report *r) {
        int64_t code = kernel_version_code(&r->kernel);

        if (!r->kernel.known)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(reserved_rules); i++)
                if (kv_range_contains(reserved_rules[i].kernels, code))
                        return !reserved_rules[i].last_zone_only;
        return true;
}

static int64_t zones_sum(const struct oom_report *r, size_t offset) {
        int64_t sum = 0;

        if (r->n_zones == 0)
                return NUM_UNSET;
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                int64_t v;
                memcpy(&v, (const char *)&r->zones[i] + offset, sizeof(v));
                if (!num_set(v))
                        return NUM_UNSET; /* a partial sum would understate */
                sum = num_add(sum, v);
        }
        return sum;
}

static int64_t table_rss_kb(const struct oom_report *r) {
        int64_t sum = 0;
        size_t counted = 0;

        for (size_t i = 0; i < r->n_tasks; i++) {
                const struct oom_task *t = &r->tasks[i];
                int64_t pages = t->rss_pages;
                if (!num_set(pages)) /* 6.8+ rows: rss = anon + file + shmem */
                        pages = num_add(num_add(t->rss_anon_pages, t->rss_file_pages),
                                        t->rss_shmem_pages);
                if (!num_set(pages))
                        continue;
                sum = num_add(sum, pages);
                counted++;
        }
        return counted ? pages_to_kb(r, sum) : NUM_UNSET;
}

static int64_t clamp0(int64_t v) {
        return num_set(v) && v < 0 ? 0 : v;
}

static void account_memcg(struct oom_report *r) {
        struct oom_memory *m = &r->memory;
        int64_t kernel;

        m->total_kb = r->memcg.limit_kb;
        m->free_kb = clamp0(num_sub(r->memcg.limit_kb, r->memcg.usage_kb));
        m->user_rss_kb = table_rss_kb(r);
        m->slab_reclaimable_kb = memcg_stat_kb(r, "slab_reclaimable");
        m->slab_unreclaimable_kb = memcg_stat_kb(r, "slab_unreclaimable");
        m->shmem_kb = memcg_stat_kb(r, "shmem");

        if (memcg_stats_v2(r)) {
                /* cgroup v2: "anon" excludes shmem, "file" includes it (memory.stat docs). */
                m->anon_kb = memcg_stat_kb(r, "anon");
                m->file_kb = memcg_stat_kb(r, "file");
                m->kernel_stack_kb = memcg_stat_kb(r, "kernel_stack");
                m->pagetables_kb = memcg_stat_kb(r, "pagetables");
                /* 4.18/4.19 print only "slab"; later kernels split it. */
                if (!num_set(m->slab_reclaimable_kb) && !num_set(m->slab_unreclaimable_kb))
                        m->slab_unreclaimable_kb = memcg_stat_kb(r, "slab");
                kernel = num_add_opt(num_add_opt(num_add_opt(num_add_opt(num_add_opt(0,
                        m->slab_reclaimable_kb), m->slab_unreclaimable_kb), m->kernel_stack_kb),
                        m->pagetables_kb), memcg_stat_kb(r, "percpu"));
                kernel = num_add_opt(kernel, memcg_stat_kb(r, "sock"));
                if (num_set(m->anon_kb) && num_set(m->file_kb))
                        m->unaccounted_kb = clamp0(num_sub(r->memcg.usage_kb,
                                num_add(num_add(m->anon_kb, m->file_kb), kernel)));
        } else {
                /* cgroup v1: "rss" is anon incl. THP, "cache" includes shmem. Whether kmem is
                 * inside "usage" depends on version and config, so no "unaccounted". */
                m->anon_kb = memcg_stat_kb(r, "rss");
                m->file_kb = memcg_stat_kb(r, "cache");
        }
}

static void account_global(struct oom_report *r) {
        struct oom_memory *m = &r->memory;
        int64_t managed = zones_sum(r, offsetof(struct oom_zone, managed_kb));
        int64_t present = zones_sum(r, offsetof(struct oom_zone, present_kb));
        int64_t counted;

        /* Total: "pages RAM" - "pages reserved" covers every zone even when show_mem filtered
         * some (6.1+ hides zones above the request's highest zone; cpusets hide nodes). */
        bool have_ram = num_set(m->pages_ram) && num_set(m->pages_reserved);
        if (have_ram && (pages_reserved_trustworthy(r) || !num_set(managed)))
                m->total_kb = pages_to_kb(r, num_sub(m->pages_ram, m->pages_reserved));
        else if (num_set(managed))
                m->total_kb = managed;
        else
                m->total_kb = present; /* 2.6.32-3.6 print no managed */

        if (num_set(present) && num_set(managed))
                m->reserved_kb = num_sub(present, managed);
        else if (num_set(m->pages_reserved) && pages_reserved_trustworthy(r))
                m->reserved_kb = pages_to_kb(r, m->pages_reserved);

        m->free_kb = meminfo_kb(r, "free");
        if (!num_set(m->free_kb))
                m->free_kb = zones_sum(r, offsetof(struct oom_zone, free_kb));

        m->anon_kb = meminfo_sum_kb(r, "active_anon", "inactive_anon");
        if (!num_set(m->anon_kb))
                m->anon_kb = num_add(node_field_kb(r, "active_anon"),
                                     node_field_kb(r, "inactive_anon"));
        m->file_kb = meminfo_sum_kb(r, "active_file", "inactive_file");
        if (!num_set(m->file_kb))
                m->file_kb = num_add(node_field_kb(r, "active_file"),
                                     node_field_kb(r, "inactive_file"));
        m->shmem_kb = meminfo_kb(r, "shmem");
        m->slab_reclaimable_kb = meminfo_kb(r, "slab_reclaimable");
        m->slab_unreclaimable_kb = meminfo_kb(r, "slab_unreclaimable");
        /* kernel_stack: zone lines up to 5.9, node lines from 5.10 (kernel-facts §5.4c/d). */
        m->kernel_stack_kb = node_field_kb(r, "kernel_stack");
        if (!num_set(m->kernel_stack_kb))
                m->kernel_stack_kb = zone_field_sum_kb(r, "kernel_stack");
        m->pagetables_kb = meminfo_kb(r, "pagetables");
        if (!num_set(m->pagetables_kb))
                m->pagetables_kb = node_field_kb(r, "pagetables");
        m->cma_free_kb = meminfo_kb(r, "free_cma");
        if (!num_set(m->cma_free_kb))
                m->cma_free_kb = zones_sum(r, offsetof(struct oom_zone, free_cma_kb));
        if (num_set(m->hugepages_total) && num_set(m->hugepages_size_kb))
                m->hugepages_kb = num_mul(m->hugepages_total, m->hugepages_size_kb);
        m->user_rss_kb = table_rss_kb(r);

        /* Unaccounted = managed memory that no printed counter explains: vmalloc, percpu,
         * driver/GPU/ION pages, the kernel's own allocations via alloc_pages. Shmem is not
         * added: it lives on the anon LRU (swap-backed since 2.6.28). Free pcp pages are not
         * in "free" (4.4+ prints them separately). Hugetlb pages leave the buddy allocator
         * without entering any LRU. Needs the big counters; small ones count 0 if absent. */
        if (!num_set(m->total_kb) || !num_set(m->free_kb) || !num_set(m->anon_kb) ||
            !num_set(m->file_kb) || !num_set(m->slab_reclaimable_kb) ||
            !num_set(m->slab_unreclaimable_kb))
                return;
        counted = num_add(num_add(num_add(m->free_kb, m->anon_kb), m->file_kb),
                          num_add(m->slab_reclaimable_kb, m->slab_unreclaimable_kb));
        counted = num_add_opt(counted, meminfo_kb(r, "free_pcp"));
        counted = num_add_opt(counted, meminfo_kb(r, "unevictable"));
        counted = num_add_opt(counted, meminfo_kb(r, "isolated_anon"));
        counted = num_add_opt(counted, meminfo_kb(r, "isolated_file"));
        counted = num_add_opt(counted, meminfo_kb(r, "kernel_misc_reclaimable"));
        counted = num_add_opt(counted, meminfo_kb(r, "sec_pagetables"));
        counted = num_add_opt(counted, m->kernel_stack_kb);
        counted = num_add_opt(counted, m->pagetables_kb);
        counted = num_add_opt(counted, m->hugepages_kb);
        /* Counters are read without locks, per-cpu deltas drift: a small negative is noise. */
        m->unaccounted_kb = clamp0(num_sub(m->total_kb, counted));
}

int memory_account(struct oom_report *r) {
        struct oom_memory *m = &r->memory;

        m->total_kb = m->free_kb = m->user_rss_kb = m->anon_kb = m->file_kb = NUM_UNSET;
        m->shmem_kb = m->slab_reclaimable_kb = m->slab_unreclaimable_kb = NUM_UNSET;
        m->kernel_stack_kb = m->pagetables_kb = m->cma_free_kb = m->reserved_kb = NUM_UNSET;
        m->unaccounted_kb = m->hugepages_kb = NUM_UNSET;

        if (r->kind == REPORT_KIND_MEMCG && r->memcg.present)
                account_memcg(r);
        else
                account_global(r);
        return 0;
}
