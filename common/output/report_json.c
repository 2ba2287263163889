/* SPDX-License-Identifier: MIT */
/* The "oomlens.report/1" object. Field names are a contract (docs/report-schema.md): fields are
 * only ever added. Every string that came from the input is made valid UTF-8 (json_writer.h).
 * Written as text front to back (json_writer.c): a tree of json-c objects per report cost half
 * of what `oomlens analyze --json` spent on a report. */
#include "report_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "victim.h"

/* ------------------------------------------------------------------------------------------
 * Fields. Unknown numbers (NUM_UNSET) and empty strings are null. */

static void put_int(struct json_writer *w, const char *key, int64_t v) {
        if (num_set(v))
                json_write_int(w, key, v);
        else
                json_write_null(w, key);
}

/* Input-derived string, bounded by its array size. */
static void put_str_n(struct json_writer *w, const char *key, const char *s, size_t max) {
        json_write_string(w, key, s, s ? strnlen(s, max) : 0);
}
#define put_str(w, key, arr) put_str_n((w), (key), (arr), sizeof(arr))

/* String or null when empty / NULL. */
static void put_str_or_null_n(struct json_writer *w, const char *key, const char *s, size_t max) {
        if (!s || !s[0])
                json_write_null(w, key);
        else
                put_str_n(w, key, s, max);
}
#define put_str_or_null(w, key, arr) put_str_or_null_n((w), (key), (arr), sizeof(arr))
/* static (program) strings, e.g. names from the gfp tables; null when NULL or empty */
static void put_cstr(struct json_writer *w, const char *key, const char *s) {
        if (!s || !s[0])
                json_write_null(w, key);
        else
                json_write_string(w, key, s, strlen(s));
}

/* Keys written so far in one object, to keep the first of duplicate keys (v1 memcg lines per
 * child): their offsets in the text, hashed by their escaped bytes. */
struct key_set {
        struct json_writer *w;
        size_t *start, *len; /* 0 len: a free slot */
        size_t mask;
};

static int key_set_init(struct key_set *ks, struct json_writer *w, size_t n) {
        size_t size = 8;

        while (size < 2 * n)
                size *= 2;
        *ks = (struct key_set) { .w = w, .mask = size - 1 };
        ks->start = calloc(size, sizeof(size_t));
        ks->len = calloc(size, sizeof(size_t));
        return ks->start && ks->len ? 0 : -ENOMEM;
}

static void key_set_done(struct key_set *ks) {
        free(ks->start);
        free(ks->len);
}

/* Add the key text w->buf[start, start + len); false if it was there already. */
static bool key_set_add(struct key_set *ks, size_t start, size_t len) {
        const char *k = ks->w->buf + start;
        uint64_t h = 14695981039346656037ULL; /* FNV-1a */
        size_t i;

        for (size_t j = 0; j < len; j++)
                h = (h ^ (unsigned char) k[j]) * 1099511628211ULL;
        for (i = (size_t) h & ks->mask; ks->len[i] > 0; i = (i + 1) & ks->mask)
                if (ks->len[i] == len && memcmp(ks->w->buf + ks->start[i], k, len) == 0)
                        return false;
        ks->start[i] = start;
        ks->len[i] = len;
        return true;
}

static int put_key_values(struct json_writer *w, const char *key, const struct key_value *kv, size_t n) {
        struct key_set ks;
        int k;

        json_begin_object(w, key);
        k = key_set_init(&ks, w, n);
        for (size_t i = 0; k >= 0 && kv && i < n && w->err >= 0; i++) {
                struct json_writer_mark m = json_writer_mark(w);
                size_t start = m.len + !m.first; /* after the comma */

                json_write_key(w, kv[i].key, strnlen(kv[i].key, sizeof(kv[i].key)));
                if (w->err < 0)
                        break;
                if (!key_set_add(&ks, start, w->len - 1 - start)) /* without the ':' */
                        json_writer_rewind(w, m);
                else
                        put_int(w, NULL, kv[i].value);
        }
        key_set_done(&ks);
        json_end_object(w);
        return k;
}

/* ------------------------------------------------------------------------------------------ */
static void put_kernel(struct json_writer *w, const struct oom_report *r) {
        json_begin_object(w, "kernel");
        if (r->kernel.release[0])
                put_str(w, "version", r->kernel.release);
        else
                json_write_null(w, "version");
        put_int(w, "major", r->kernel.known ? r->kernel.major : NUM_UNSET);
        put_int(w, "minor", r->kernel.known ? r->kernel.minor : NUM_UNSET);
        put_int(w, "patch", r->kernel.known ? r->kernel.patch : NUM_UNSET);
        json_write_bool(w, "rhel7", r->kernel.rhel7);
        put_str_or_null(w, "hardware", r->hardware);
        put_int(w, "page_kb", r->page_kb);
        json_end_object(w);
}

static void put_gfp_mask(struct json_writer *w, const struct oom_trigger *t) {
        if (t->gfp_mask[0])
                put_str(w, "gfp_mask", t->gfp_mask);
        else if (t->has_gfp_mask) {
                char hex[24];
                snprintf(hex, sizeof(hex), "%#" PRIx64, t->gfp_mask_value);
                json_write_string(w, "gfp_mask", hex, strlen(hex));
        } else
                json_write_null(w, "gfp_mask");
        json_begin_array(w, "gfp_flags");
        for (size_t i = 0; i < t->n_gfp_flags && i < OOM_MAX_GFP_FLAGS; i++)
                if (t->gfp_flags[i])
                        json_write_string(w, NULL, t->gfp_flags[i], strlen(t->gfp_flags[i]));
        json_end_array(w);
        put_str_or_null(w, "gfp_printed_names", t->gfp_printed_names);
        put_str_or_null(w, "gfp_composite", t->gfp_composite);
        put_str_or_null(w, "gfp_unknown_bits", t->gfp_unknown_bits);
        put_cstr(w, "gfp_layout", t->gfp_layout);
}

static void put_trigger(struct json_writer *w, const struct oom_report *r) {
        const struct oom_trigger *t = &r->trigger;

        json_begin_object(w, "trigger");
        put_str_or_null(w, "comm", t->comm);
        put_int(w, "pid", t->pid);
        put_gfp_mask(w, t);
        put_int(w, "order", t->order);
        put_cstr(w, "migratetype", t->migratetype);
        put_cstr(w, "highest_zone", t->highest_zone);
        put_int(w, "highest_zone_idx", t->highest_zone_idx >= 0 ? t->highest_zone_idx : NUM_UNSET);
        /* decoded booleans mean nothing without a decode */
        if (t->migratetype || t->gfp_layout) {
                json_write_bool(w, "may_use_cma", t->may_use_cma);
                json_write_bool(w, "can_wait", t->can_wait);
        } else {
                json_write_null(w, "may_use_cma");
                json_write_null(w, "can_wait");
        }
        put_cstr(w, "watermark_adjust", t->watermark_adjust);
        json_write_bool(w, "gfp_layout_ambiguous", t->gfp_layout_ambiguous);
        json_write_bool(w, "gfp_names_mismatch", t->gfp_names_mismatch);
        put_int(w, "oom_score_adj", t->oom_score_adj);
        put_int(w, "oom_adj", t->oom_adj);
        put_str_or_null(w, "nodemask", t->nodemask);
        put_str_or_null(w, "cpuset", t->cpuset);
        put_str_or_null(w, "mems_allowed", t->mems_allowed);
        json_end_object(w);
}

static void put_constraint(struct json_writer *w, const struct oom_report *r) {
        const struct oom_constraint *c = &r->constraint;

        json_begin_object(w, "constraint");
        put_str_or_null(w, "type", c->type);
        put_str_or_null(w, "nodemask", c->nodemask);
        put_str_or_null(w, "cpuset", c->cpuset);
        put_str_or_null(w, "mems_allowed", c->mems_allowed);
        put_str_or_null(w, "memcg", c->memcg);
        put_str_or_null(w, "task_memcg", c->task_memcg);
        json_write_bool(w, "global_oom", c->global_oom);
        json_end_object(w);
}

static void put_victim(struct json_writer *w, const struct oom_report *r) {
        const struct oom_victim *v = &r->victim;

        if (!r->has_victim) {
                json_write_null(w, "victim");
                return;
        }
        json_begin_object(w, "victim");
        put_int(w, "pid", v->pid);
        put_str_or_null(w, "comm", v->comm);
        put_int(w, "uid", v->uid);
        put_int(w, "score", v->score);
        put_int(w, "total_vm_kb", v->total_vm_kb);
        put_int(w, "anon_rss_kb", v->anon_rss_kb);
        put_int(w, "file_rss_kb", v->file_rss_kb);
        put_int(w, "shmem_rss_kb", v->shmem_rss_kb);
        put_int(w, "pgtables_kb", v->pgtables_kb);
        put_int(w, "oom_score_adj", v->oom_score_adj);
        put_int(w, "selected_pid", v->selected_pid);
        put_str_or_null(w, "selected_comm", v->selected_comm);
        json_write_bool(w, "already_exiting", v->already_exiting);
        json_write_bool(w, "reaped", v->reaped);
        json_write_bool(w, "reap_failed", v->reap_failed);
        put_int(w, "reaped_anon_rss_kb", v->reaped_anon_rss_kb);
        put_int(w, "reaped_file_rss_kb", v->reaped_file_rss_kb);
        put_int(w, "reaped_shmem_rss_kb", v->reaped_shmem_rss_kb);
        json_write_bool(w, "in_task_table", v->in_task_table);
        put_int(w, "rss_kb", v->rss_kb);
        put_int(w, "rank", v->rank > 0 ? v->rank : NUM_UNSET);
        put_int(w, "badness", v->badness);
        json_end_object(w);
}

static int put_memcg(struct json_writer *w, const struct oom_report *r) {
        const struct oom_memcg *g = &r->memcg;
        int k;

        if (!g->present) {
                json_write_null(w, "memcg");
                return 0;
        }
        json_begin_object(w, "memcg");
        put_str_or_null(w, "path", g->path);
        put_str_or_null(w, "task_path", g->task_path);
        put_int(w, "usage_kb", g->usage_kb);
        put_int(w, "limit_kb", g->limit_kb);
        put_int(w, "failcnt", g->failcnt);
        put_int(w, "swap_usage_kb", g->swap_usage_kb);
        put_int(w, "swap_limit_kb", g->swap_limit_kb);
        put_int(w, "swap_failcnt", g->swap_failcnt);
        json_write_bool(w, "memsw", g->memsw);
        put_int(w, "kmem_usage_kb", g->kmem_usage_kb);
        put_int(w, "kmem_limit_kb", g->kmem_limit_kb);
        put_int(w, "kmem_failcnt", g->kmem_failcnt);
        k = put_key_values(w, "stats", g->stats, g->n_stats);
        json_end_object(w);
        return k;
}

/* Always an object, so that .workload.unit never fails on a report without a cgroup path. */
static void put_workload(struct json_writer *w, const struct oom_report *r) {
        const struct oom_workload *o = &r->workload;

        json_begin_object(w, "workload");
        put_str_or_null(w, "unit", o->unit);
        put_str_or_null(w, "slice", o->slice);
        put_str_or_null(w, "user_unit", o->user_unit);
        put_str_or_null(w, "user_slice", o->user_slice);
        put_str_or_null(w, "container_id", o->container_id);
        put_cstr(w, "runtime", o->runtime);
        put_str_or_null(w, "pod_uid", o->pod_uid);
        put_cstr(w, "qos", o->qos);
        put_str_or_null(w, "cgroup", o->cgroup);
        put_cstr(w, "source", o->source);
        json_end_object(w);
}

static int put_printed(struct json_writer *w, const struct oom_memory *m) {
        int k;

        json_begin_object(w, "printed");
        put_int(w, "pages_ram", m->pages_ram);
        put_int(w, "pages_highmem", m->pages_highmem);
        put_int(w, "pages_reserved", m->pages_reserved);
        put_int(w, "pages_cma_reserved", m->pages_cma_reserved);
        put_int(w, "total_pagecache_pages", m->total_pagecache_pages);
        put_int(w, "swap_cache_pages", m->swap_cache_pages);
        put_int(w, "hugepages_total", m->hugepages_total);
        put_int(w, "hugepages_free", m->hugepages_free);
        put_int(w, "hugepages_size_kb", m->hugepages_size_kb);
        k = put_key_values(w, "meminfo_pages", m->meminfo, m->n_meminfo);
        if (k >= 0)
                k = put_key_values(w, "node_kb", m->node_fields, m->n_node_fields);
        if (k >= 0)
                k = put_key_values(w, "unreclaimable_slab_kb", m->unreclaimable_slab, m->n_unreclaimable_slab);
        json_end_object(w);
        return k;
}

static int put_memory(struct json_writer *w, const struct oom_report *r) {
        const struct oom_memory *m = &r->memory;
        int k;

        json_begin_object(w, "memory");
        put_int(w, "total_kb", m->total_kb);
        put_int(w, "free_kb", m->free_kb);
        put_int(w, "user_rss_kb", m->user_rss_kb);
        put_int(w, "anon_kb", m->anon_kb);
        put_int(w, "file_kb", m->file_kb);
        put_int(w, "shmem_kb", m->shmem_kb);
        put_int(w, "slab_reclaimable_kb", m->slab_reclaimable_kb);
        put_int(w, "slab_unreclaimable_kb", m->slab_unreclaimable_kb);
        put_int(w, "kernel_stack_kb", m->kernel_stack_kb);
        put_int(w, "pagetables_kb", m->pagetables_kb);
        put_int(w, "cma_free_kb", m->cma_free_kb);
        put_int(w, "reserved_kb", m->reserved_kb);
        put_int(w, "hugepages_kb", m->hugepages_kb);
        put_int(w, "unaccounted_kb", m->unaccounted_kb);
        put_int(w, "free_swap_kb", m->free_swap_kb);
        put_int(w, "total_swap_kb", m->total_swap_kb);
        k = put_printed(w, m);
        json_end_object(w);
        return k;
}

static void put_zone_arrays(struct json_writer *w, const struct oom_zone *z) {
        if (z->n_lowmem_reserve > 0) {
                json_begin_array(w, "lowmem_reserve_pages");
                for (size_t i = 0; i < z->n_lowmem_reserve && i < OOM_MAX_ZONE_TYPES; i++)
                        put_int(w, NULL, z->lowmem_reserve_pages[i]);
                json_end_array(w);
        } else
                json_write_null(w, "lowmem_reserve_pages");
        if (z->n_buddy > 0) {
                json_begin_array(w, "buddy");
                for (size_t i = 0; i < z->n_buddy && i < OOM_MAX_ORDERS; i++) {
                        json_begin_object(w, NULL);
                        put_int(w, "order", (int64_t) i);
                        put_int(w, "count", z->buddy[i].count);
                        put_int(w, "size_kb", z->buddy[i].size_kb);
                        put_str(w, "types", z->buddy[i].types);
                        json_end_object(w);
                }
                json_end_array(w);
        } else
                json_write_null(w, "buddy");
}

static void put_zone_check(struct json_writer *w, const struct oom_zone *z) {
        const struct zone_check *c = &z->check;

        if (!c->evaluated) {
                json_write_null(w, "check");
                return;
        }
        json_begin_object(w, "check");
        json_write_bool(w, "eligible", c->eligible);
        put_cstr(w, "reason", c->reason);
        put_int(w, "usable_free_kb", c->usable_free_kb);
        put_int(w, "cma_excluded_kb", c->cma_excluded_kb);
        put_int(w, "highatomic_excluded_kb", c->highatomic_excluded_kb);
        put_int(w, "watermark_kb", c->watermark_kb);
        put_int(w, "reserve_kb", c->reserve_kb);
        put_int(w, "threshold_kb", c->threshold_kb);
        json_write_bool(w, "ok", c->ok);
        put_int(w, "margin_kb", c->margin_kb);
        json_write_bool(w, "low_ok", c->low_ok);
        json_write_bool(w, "high_ok", c->high_ok);
        if (c->order_checked) {
                json_write_bool(w, "order_ok", c->order_ok);
                put_int(w, "order_ok_at", c->order_ok_at >= 0 ? c->order_ok_at : NUM_UNSET);
                put_str_or_null(w, "order_detail", c->order_detail);
        } else {
                json_write_null(w, "order_ok");
                json_write_null(w, "order_ok_at");
                json_write_null(w, "order_detail");
        }
        put_cstr(w, "verdict", zone_verdict_string(z));
        json_end_object(w);
}

static int put_zone(struct json_writer *w, const struct oom_zone *z) {
        int k;

        json_begin_object(w, NULL);
        put_int(w, "node", z->node >= 0 ? z->node : NUM_UNSET);
        put_str(w, "name", z->name);
        put_int(w, "zone_idx", z->zone_idx >= 0 ? z->zone_idx : NUM_UNSET);
        put_int(w, "free_kb", z->free_kb);
        put_int(w, "boost_kb", z->boost_kb);
        put_int(w, "min_kb", z->min_kb);
        put_int(w, "low_kb", z->low_kb);
        put_int(w, "high_kb", z->high_kb);
        put_int(w, "reserved_highatomic_kb", z->reserved_highatomic_kb);
        put_int(w, "free_highatomic_kb", z->free_highatomic_kb);
        put_int(w, "free_cma_kb", z->free_cma_kb);
        put_int(w, "free_pcp_kb", z->free_pcp_kb);
        put_int(w, "present_kb", z->present_kb);
        put_int(w, "managed_kb", z->managed_kb);
        if (z->all_unreclaimable >= 0)
                json_write_bool(w, "all_unreclaimable", z->all_unreclaimable > 0);
        else
                json_write_null(w, "all_unreclaimable");
        put_zone_arrays(w, z);
        put_int(w, "buddy_total_kb", z->buddy_total_kb);
        k = put_key_values(w, "fields_kb", z->fields, z->n_fields);
        put_zone_check(w, z);
        json_end_object(w);
        return k;
}

static void put_task(struct json_writer *w, const struct oom_report *r, const struct oom_task *t) {
        json_begin_object(w, NULL);
        put_int(w, "pid", t->pid);
        put_int(w, "uid", t->uid);
        put_int(w, "tgid", t->tgid);
        put_int(w, "total_vm_pages", t->total_vm_pages);
        put_int(w, "rss_pages", t->rss_pages);
        put_int(w, "rss_anon_pages", t->rss_anon_pages);
        put_int(w, "rss_file_pages", t->rss_file_pages);
        put_int(w, "rss_shmem_pages", t->rss_shmem_pages);
        put_int(w, "nr_ptes", t->nr_ptes);
        put_int(w, "nr_pmds", t->nr_pmds);
        put_int(w, "pgtables_bytes", t->pgtables_bytes);
        put_int(w, "swapents_pages", t->swapents_pages);
        put_int(w, "oom_score_adj", t->oom_score_adj);
        put_str(w, "name", t->name);
        put_int(w, "rss_kb", task_rss_kb(r, t));
        put_int(w, "badness", t->badness);
        put_int(w, "rank", t->rank > 0 ? t->rank : NUM_UNSET);
        json_end_object(w);
}

static int put_tasks(struct json_writer *w, const struct oom_report *r) {
        _cleanup_free_ struct task_group *groups = NULL;
        size_t n_groups = 0;
        int k;

        json_begin_array(w, "tasks");
        for (size_t i = 0; i < r->n_tasks; i++)
                put_task(w, r, &r->tasks[i]);
        json_end_array(w);
        put_str_or_null(w, "task_table_layout", r->task_table_layout);
        put_int(w, "tasks_oom_disabled", r->tasks_oom_disabled);

        k = tasks_aggregate(r, &groups, &n_groups);
        if (k < 0)
                return k;
        json_begin_array(w, "task_groups");
        for (size_t i = 0; i < n_groups; i++) {
                json_begin_object(w, NULL);
                put_str(w, "name", groups[i].name);
                put_int(w, "count", (int64_t) groups[i].count);
                put_int(w, "rss_kb", groups[i].rss_kb);
                put_int(w, "max_rss_kb", groups[i].max_rss_kb);
                put_int(w, "max_rss_pid", groups[i].max_rss_pid);
                json_end_object(w);
        }
        json_end_array(w);
        return 0;
}

static void put_analysis(struct json_writer *w, const struct oom_report *r) {
        json_begin_object(w, "analysis");
        put_str_or_null(w, "summary", r->summary);
        json_begin_array(w, "causes");
        for (size_t i = 0; i < r->n_causes && i < OOM_MAX_CAUSES; i++) {
                json_begin_object(w, NULL);
                put_cstr(w, "code", cause_code_to_string(r->causes[i].code));
                json_write_bool(w, "primary", r->causes[i].primary);
                put_str(w, "explanation", r->causes[i].explanation);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

static void put_lines(struct json_writer *w, const struct oom_report *r) {
        put_int(w, "unparsed_lines", (int64_t) r->unparsed_lines);
        json_begin_array(w, "unparsed_idx");
        for (size_t i = 0; r->unparsed_idx && i < r->n_unparsed_idx; i++)
                put_int(w, NULL, (int64_t) MIN(r->unparsed_idx[i], (size_t) INT64_MAX));
        json_end_array(w);
        /* The unparsed lines themselves, so a user can see what was not understood. */
        json_begin_array(w, "unparsed");
        for (size_t i = 0; r->unparsed_idx && r->lines && i < r->n_unparsed_idx; i++) {
                size_t k = r->unparsed_idx[i];
                if (k < r->n_lines && r->lines[k].text)
                        json_write_string(w, NULL, r->lines[k].text, r->lines[k].len);
        }
        json_end_array(w);
        json_begin_array(w, "call_trace");
        for (size_t i = 0; r->call_trace && i < r->n_call_trace; i++)
                if (r->call_trace[i])
                        json_write_string(w, NULL, r->call_trace[i], strlen(r->call_trace[i]));
        json_end_array(w);
        json_begin_array(w, "lines");
        /* the normalised text (what the parser read), so it can be re-analysed */
        for (size_t i = 0; r->lines && i < r->n_lines; i++)
                json_write_string(w, NULL, r->lines[i].text, r->lines[i].text ? r->lines[i].len : 0);
        json_end_array(w);
}

static const char *raw_type_name(enum raw_report_type t) {
        static const char *const raw_types[] = { "oom", "alloc_failure", "bare_kill", "panic" };

        return (size_t) t < ELEMENTSOF(raw_types) ? raw_types[t] : "unknown";
}

static void put_head(struct json_writer *w, const struct oom_report *r) {
        put_cstr(w, "schema", OOMLENS_REPORT_SCHEMA);
        put_str_or_null(w, "id", r->id);
        put_cstr(w, "kind", report_kind_to_string(r->kind));
        put_cstr(w, "raw_type", raw_type_name(r->raw_type));
        /* What started it: a header ("oom", "alloc_failure"), kill lines whose header was
         * rate-limited or cut ("bare_kill"), a panic, or a dump whose header is missing
         * ("fragment"). */
        put_cstr(w, "report_type",
                 r->raw_type == RAW_REPORT_OOM && !r->has_header ? "fragment" : raw_type_name(r->raw_type));
        json_write_bool(w, "has_header", r->has_header);
        json_write_bool(w, "complete", r->complete);
        json_write_bool(w, "spans_gap", r->spans_gap);
        json_write_bool(w, "panic", r->panic);
        put_int(w, "ts_usec", r->ts_usec);
        put_int(w, "seq", r->seq);
        put_int(w, "wall_sec", r->wall_sec);
}

static int write_report(struct json_writer *w, const struct oom_report *r) {
        int k;

        json_begin_object(w, NULL);
        put_head(w, r);
        put_kernel(w, r);
        put_trigger(w, r);
        put_constraint(w, r);
        put_victim(w, r);
        k = put_memcg(w, r);
        put_workload(w, r);
        if (k >= 0)
                k = put_memory(w, r);
        json_begin_array(w, "zones");
        for (size_t i = 0; k >= 0 && i < r->n_zones && i < OOM_MAX_ZONES; i++)
                k = put_zone(w, &r->zones[i]);
        json_end_array(w);
        if (k >= 0)
                k = put_tasks(w, r);
        put_analysis(w, r);
        put_lines(w, r);
        json_end_object(w);
        return k;
}

int report_to_json_string(const struct oom_report *r, char **ret) {
        struct json_writer w;
        int k;

        if (!r || !ret)
                return -EINVAL;
        json_writer_init(&w);
        k = write_report(&w, r);
        if (k < 0) {
                json_writer_done(&w);
                return k;
        }
        return json_writer_finish(&w, ret);
}

int report_to_json(const struct oom_report *r, json_object **ret) {
        _cleanup_free_ char *s = NULL;
        json_object *o;
        int k;

        if (!r || !ret)
                return -EINVAL;
        k = report_to_json_string(r, &s);
        if (k < 0)
                return k;
        o = json_tokener_parse(s);
        if (!o)
                return -ENOMEM; /* the text is valid JSON: only allocation can fail */
        *ret = o;
        return 0;
}
