/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void log_line_done(struct log_line *l) {
        if (!l)
                return;
        if (l->raw != l->text)
                free(l->raw);
        free(l->text);
        l->text = l->raw = NULL;
        l->len = 0;
}

int log_line_copy(const struct log_line *src, struct log_line *ret) {
        struct log_line c = *src;

        c.text = malloc(src->len + 1);
        if (!c.text)
                return -ENOMEM;
        memcpy(c.text, src->text, src->len);
        c.text[src->len] = '\0';
        if (src->raw && src->raw != src->text) {
                c.raw = strdup(src->raw);
                if (!c.raw) {
                        free(c.text);
                        return -ENOMEM;
                }
        } else
                c.raw = c.text;
        *ret = c;
        return 0;
}

void raw_report_free(struct raw_report *r) {
        if (!r)
                return;
        for (size_t i = 0; i < r->n_lines; i++)
                log_line_done(&r->lines[i]);
        free(r->lines);
        free(r->kinds);
        free(r);
}

static const char *const kind_names[] = {
        [REPORT_KIND_GLOBAL] = "global",       [REPORT_KIND_MEMCG] = "memcg",
        [REPORT_KIND_CPUSET] = "cpuset",       [REPORT_KIND_MEMPOLICY] = "mempolicy",
        [REPORT_KIND_MANUAL] = "manual",       [REPORT_KIND_ALLOC_FAILURE] = "alloc_failure",
};

const char *report_kind_to_string(enum report_kind k) {
        if ((size_t)k >= ELEMENTSOF(kind_names) || !kind_names[k])
                return "unknown";
        return kind_names[k];
}

/* Stable cause codes: part of the output contract, never rename. */
static const char *const cause_names[_CAUSE_MAX] = {
        [CAUSE_CMA_UNUSABLE] = "cma_unusable",
        [CAUSE_LOWMEM_RESERVE] = "lowmem_reserve",
        [CAUSE_FRAGMENTATION] = "fragmentation",
        [CAUSE_MEMCG_LIMIT] = "memcg_limit",
        [CAUSE_CPUSET_CONSTRAINT] = "cpuset_constraint",
        [CAUSE_MEMPOLICY_CONSTRAINT] = "mempolicy_constraint",
        [CAUSE_LOWMEM_EXHAUSTED] = "lowmem_exhausted",
        [CAUSE_KERNEL_MEMORY] = "kernel_memory",
        [CAUSE_USERSPACE_MEMORY] = "userspace_memory",
        [CAUSE_SHMEM] = "shmem",
        [CAUSE_MANUAL] = "manual",
        [CAUSE_UNKNOWN] = "unknown",
        [CAUSE_HIGHATOMIC_RESERVE] = "highatomic_reserve",
};

const char *cause_code_to_string(enum cause_code c) {
        if ((size_t)c >= _CAUSE_MAX)
                return "unknown";
        return cause_names[c];
}

/* Members first..last of struct s are consecutive int64_t fields: set them all unknown.
 * Addressed as bytes of the enclosing object (offsetof); subtracting pointers to two different
 * members, as this did before, is undefined behaviour (C11 6.5.6p9, cppcheck comparePointers). */
/* gcc 12 with -fsanitize=address,undefined takes the destination for the first member alone and
 * reports "writing 8 bytes into a region of size 0" (-Wstringop-overflow): a false positive, the
 * bytes are inside the enclosing object. Clang and gcc without sanitizers do not warn. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
static void set_unset(void *base, size_t first, size_t last) {
        const int64_t unset = NUM_UNSET;
        for (size_t off = first; off <= last; off += sizeof(unset))
                memcpy((char *)base + off, &unset, sizeof(unset));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#define UNSET_FIELDS(s, first, last) \
        set_unset(&(s), offsetof(__typeof__(s), first), offsetof(__typeof__(s), last))

int oom_report_new(struct oom_report **ret) {
        struct oom_report *r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;

        r->ts_usec = r->seq = r->wall_sec = NUM_UNSET;
        r->page_kb = 4;
        r->trigger.pid = r->trigger.order = r->trigger.oom_score_adj = r->trigger.oom_adj = NUM_UNSET;
        r->trigger.highest_zone_idx = -1;
        r->victim.pid = r->victim.uid = r->victim.score = NUM_UNSET;
        UNSET_FIELDS(r->victim, total_vm_kb, pgtables_kb);
        r->victim.oom_score_adj = r->victim.selected_pid = NUM_UNSET;
        UNSET_FIELDS(r->victim, reaped_anon_rss_kb, reaped_shmem_rss_kb);
        r->victim.rss_kb = r->victim.badness = NUM_UNSET;
        UNSET_FIELDS(r->memcg, usage_kb, kmem_failcnt);
        UNSET_FIELDS(r->memory, pages_ram, free_swap_kb);
        r->memory.total_swap_kb = NUM_UNSET;
        UNSET_FIELDS(r->memory, hugepages_total, hugepages_size_kb);
        UNSET_FIELDS(r->memory, total_kb, hugepages_kb);
        r->tasks_oom_disabled = NUM_UNSET;
        *ret = r;
        return 0;
}

/* Parsers call this for each zone they start, so every number starts unknown. */
void oom_zone_init(struct oom_zone *z) {
        memset(z, 0, sizeof(*z));
        z->node = -1;
        z->zone_idx = -1;
        z->all_unreclaimable = -1;
        UNSET_FIELDS(*z, free_kb, free_pcp_kb);
        z->buddy_total_kb = NUM_UNSET;
}

void oom_task_init(struct oom_task *t) {
        memset(t, 0, sizeof(*t));
        UNSET_FIELDS(*t, pid, oom_score_adj);
        t->badness = NUM_UNSET;
}

void oom_report_free(struct oom_report *r) {
        if (!r)
                return;
        for (size_t i = 0; i < r->n_zones; i++)
                free(r->zones[i].fields);
        free(r->tasks);
        for (size_t i = 0; i < r->n_call_trace; i++)
                free(r->call_trace[i]);
        free(r->call_trace);
        free(r->memcg.stats);
        free(r->memory.meminfo);
        free(r->memory.node_fields);
        free(r->memory.unreclaimable_slab);
        free(r->unparsed_idx);
        for (size_t i = 0; i < r->n_lines; i++)
                log_line_done(&r->lines[i]);
        free(r->lines);
        free(r);
}
