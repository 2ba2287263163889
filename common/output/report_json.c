/* SPDX-License-Identifier: MIT */
/* The "oomlens.report/1" object. Field names are a contract (docs/report-schema.md): fields are
 * only ever added. Every string that came from the input goes through utf8_sanitize(). */
#include "report_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "victim.h"

int utf8_sanitize(const char *s, size_t len, char **ret) {
        static const char hex[] = "0123456789ABCDEF";
        const unsigned char *p = (const unsigned char *)s;
        _cleanup_free_ char *out = NULL;
        size_t o = 0, i = 0;

        if (!s && len > 0)
                return -EINVAL;
        if (len > (SIZE_MAX - 1) / 4)
                return -ENOMEM;
        out = malloc(len * 4 + 1); /* worst case: every byte becomes "\xNN" */
        if (!out)
                return -ENOMEM;

        while (i < len) {
                unsigned char c = p[i];
                size_t need;
                uint32_t cp, min;

                /* NUL is valid UTF-8 but would cut the C string: escape it like a bad byte. */
                if (c == 0)
                        goto invalid;
                if (c < 0x80) {
                        out[o++] = (char)c;
                        i++;
                        continue;
                }
                /* Strict RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF. */
                if (c >= 0xC2 && c <= 0xDF)
                        need = 1, cp = c & 0x1F, min = 0x80;
                else if (c >= 0xE0 && c <= 0xEF)
                        need = 2, cp = c & 0x0F, min = 0x800;
                else if (c >= 0xF0 && c <= 0xF4)
                        need = 3, cp = c & 0x07, min = 0x10000;
                else
                        goto invalid;
                if (len - i <= need)
                        goto invalid;
                for (size_t k = 1; k <= need; k++) {
                        if ((p[i + k] & 0xC0) != 0x80)
                                goto invalid;
                        cp = (cp << 6) | (p[i + k] & 0x3F);
                }
                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                        goto invalid;
                memcpy(out + o, p + i, need + 1);
                o += need + 1;
                i += need + 1;
                continue;
        invalid:
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = hex[c >> 4];
                out[o++] = hex[c & 0xF];
                i++;
        }
        out[o] = '\0';
        *ret = TAKE_PTR(out);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Builders. json-c's add functions only fail on allocation; they are checked via the object
 * constructors returning NULL, and every helper returns -ENOMEM then. */

static int add(json_object *o, const char *key, json_object *v) {
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_int(json_object *o, const char *key, int64_t v) {
        json_object *j = NULL;

        if (num_set(v)) {
                j = json_object_new_int64(v);
                if (!j)
                        return -ENOMEM;
        }
        return add(o, key, j);
}

static int add_bool(json_object *o, const char *key, bool v) {
        json_object *j = json_object_new_boolean(v);
        if (!j)
                return -ENOMEM;
        return add(o, key, j);
}

static int new_str_len(const char *s, size_t len, json_object **ret) {
        _cleanup_free_ char *clean = NULL;
        json_object *j;
        int k;

        k = utf8_sanitize(s ? s : "", s ? len : 0, &clean);
        if (k < 0)
                return k;
        j = json_object_new_string_len(clean, (int)MIN(strlen(clean), (size_t)INT32_MAX));
        if (!j)
                return -ENOMEM;
        *ret = j;
        return 0;
}

/* Input-derived string, bounded by its array size. */
static int add_str_n(json_object *o, const char *key, const char *s, size_t max) {
        json_object *j;
        int k = new_str_len(s, s ? strnlen(s, max) : 0, &j);
        if (k < 0)
                return k;
        return add(o, key, j);
}
#define add_str(o, key, arr) add_str_n((o), (key), (arr), sizeof(arr))

/* String or null when empty / NULL. */
static int add_str_or_null_n(json_object *o, const char *key, const char *s, size_t max) {
        if (!s || !s[0])
                return add(o, key, NULL);
        return add_str_n(o, key, s, max);
}
#define add_str_or_null(o, key, arr) add_str_or_null_n((o), (key), (arr), sizeof(arr))
/* static (program) strings, e.g. names from the gfp tables */
#define add_cstr(o, key, s) add_str_or_null_n((o), (key), (s), SIZE_MAX)

static int new_obj(json_object **ret) {
        *ret = json_object_new_object();
        return *ret ? 0 : -ENOMEM;
}

static int new_arr(json_object **ret) {
        *ret = json_object_new_array();
        return *ret ? 0 : -ENOMEM;
}

static int arr_add(json_object *a, json_object *v) {
        if (json_object_array_add(a, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int arr_add_int(json_object *a, int64_t v) {
        json_object *j = NULL;
        if (num_set(v) && !(j = json_object_new_int64(v)))
                return -ENOMEM;
        return arr_add(a, j);
}

#define TRY(expr)                         \
        do {                              \
                int _k = (expr);          \
                if (_k < 0)               \
                        return _k;        \
        } while (0)

/* Adds a new child object under key and hands it out (owned by the parent). */
static int add_obj(json_object *o, const char *key, json_object **ret) {
        json_object *c;
        TRY(new_obj(&c));
        TRY(add(o, key, c));
        *ret = c;
        return 0;
}

static int add_arr(json_object *o, const char *key, json_object **ret) {
        json_object *c;
        TRY(new_arr(&c));
        TRY(add(o, key, c));
        *ret = c;
        return 0;
}

static int add_key_values(json_object *o, const char *key, const struct key_value *kv, size_t n) {
        json_object *m;

        TRY(add_obj(o, key, &m));
        for (size_t i = 0; kv && i < n; i++) {
                _cleanup_free_ char *k = NULL;
                /* duplicate keys (v1 memcg lines per child) keep the first */
                TRY(utf8_sanitize(kv[i].key, strnlen(kv[i].key, sizeof(kv[i].key)), &k));
                if (json_object_object_get_ex(m, k, NULL))
                        continue;
                TRY(add_int(m, k, kv[i].value));
        }
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
static int add_kernel(json_object *root, const struct oom_report *r) {
        json_object *k;

        TRY(add_obj(root, "kernel", &k));
        if (r->kernel.release[0])
                TRY(add_str(k, "version", r->kernel.release));
        else
                TRY(add(k, "version", NULL));
        TRY(add_int(k, "major", r->kernel.known ? r->kernel.major : NUM_UNSET));
        TRY(add_int(k, "minor", r->kernel.known ? r->kernel.minor : NUM_UNSET));
        TRY(add_int(k, "patch", r->kernel.known ? r->kernel.patch : NUM_UNSET));
        TRY(add_bool(k, "rhel7", r->kernel.rhel7));
        TRY(add_str_or_null(k, "hardware", r->hardware));
        TRY(add_int(k, "page_kb", r->page_kb));
        return 0;
}

static int add_trigger(json_object *root, const struct oom_report *r) {
        const struct oom_trigger *t = &r->trigger;
        json_object *o, *flags;

        TRY(add_obj(root, "trigger", &o));
        TRY(add_str_or_null(o, "comm", t->comm));
        TRY(add_int(o, "pid", t->pid));
        if (t->gfp_mask[0])
                TRY(add_str(o, "gfp_mask", t->gfp_mask));
        else if (t->has_gfp_mask) {
                char hex[24];
                snprintf(hex, sizeof(hex), "%#" PRIx64, t->gfp_mask_value);
                TRY(add_str(o, "gfp_mask", hex));
        } else
                TRY(add(o, "gfp_mask", NULL));
        TRY(add_arr(o, "gfp_flags", &flags));
        for (size_t i = 0; i < t->n_gfp_flags && i < OOM_MAX_GFP_FLAGS; i++) {
                json_object *j;
                if (!t->gfp_flags[i])
                        continue;
                TRY(new_str_len(t->gfp_flags[i], strlen(t->gfp_flags[i]), &j));
                TRY(arr_add(flags, j));
        }
        TRY(add_str_or_null(o, "gfp_printed_names", t->gfp_printed_names));
        TRY(add_str_or_null(o, "gfp_composite", t->gfp_composite));
        TRY(add_str_or_null(o, "gfp_unknown_bits", t->gfp_unknown_bits));
        TRY(add_cstr(o, "gfp_layout", t->gfp_layout));
        TRY(add_int(o, "order", t->order));
        TRY(add_cstr(o, "migratetype", t->migratetype));
        TRY(add_cstr(o, "highest_zone", t->highest_zone));
        TRY(add_int(o, "highest_zone_idx", t->highest_zone_idx >= 0 ? t->highest_zone_idx : NUM_UNSET));
        /* decoded booleans mean nothing without a decode */
        if (t->migratetype || t->gfp_layout) {
                TRY(add_bool(o, "may_use_cma", t->may_use_cma));
                TRY(add_bool(o, "can_wait", t->can_wait));
        } else {
                TRY(add(o, "may_use_cma", NULL));
                TRY(add(o, "can_wait", NULL));
        }
        TRY(add_cstr(o, "watermark_adjust", t->watermark_adjust));
        TRY(add_bool(o, "gfp_layout_ambiguous", t->gfp_layout_ambiguous));
        TRY(add_bool(o, "gfp_names_mismatch", t->gfp_names_mismatch));
        TRY(add_int(o, "oom_score_adj", t->oom_score_adj));
        TRY(add_int(o, "oom_adj", t->oom_adj));
        TRY(add_str_or_null(o, "nodemask", t->nodemask));
        TRY(add_str_or_null(o, "cpuset", t->cpuset));
        TRY(add_str_or_null(o, "mems_allowed", t->mems_allowed));
        return 0;
}

static int add_constraint(json_object *root, const struct oom_report *r) {
        const struct oom_constraint *c = &r->constraint;
        json_object *o;

        TRY(add_obj(root, "constraint", &o));
        TRY(add_str_or_null(o, "type", c->type));
        TRY(add_str_or_null(o, "nodemask", c->nodemask));
        TRY(add_str_or_null(o, "cpuset", c->cpuset));
        TRY(add_str_or_null(o, "mems_allowed", c->mems_allowed));
        TRY(add_str_or_null(o, "memcg", c->memcg));
        TRY(add_str_or_null(o, "task_memcg", c->task_memcg));
        TRY(add_bool(o, "global_oom", c->global_oom));
        return 0;
}

static int add_victim(json_object *root, const struct oom_report *r) {
        const struct oom_victim *v = &r->victim;
        json_object *o;

        if (!r->has_victim)
                return add(root, "victim", NULL);
        TRY(add_obj(root, "victim", &o));
        TRY(add_int(o, "pid", v->pid));
        TRY(add_str_or_null(o, "comm", v->comm));
        TRY(add_int(o, "uid", v->uid));
        TRY(add_int(o, "score", v->score));
        TRY(add_int(o, "total_vm_kb", v->total_vm_kb));
        TRY(add_int(o, "anon_rss_kb", v->anon_rss_kb));
        TRY(add_int(o, "file_rss_kb", v->file_rss_kb));
        TRY(add_int(o, "shmem_rss_kb", v->shmem_rss_kb));
        TRY(add_int(o, "pgtables_kb", v->pgtables_kb));
        TRY(add_int(o, "oom_score_adj", v->oom_score_adj));
        TRY(add_int(o, "selected_pid", v->selected_pid));
        TRY(add_str_or_null(o, "selected_comm", v->selected_comm));
        TRY(add_bool(o, "already_exiting", v->already_exiting));
        TRY(add_bool(o, "reaped", v->reaped));
        TRY(add_bool(o, "reap_failed", v->reap_failed));
        TRY(add_int(o, "reaped_anon_rss_kb", v->reaped_anon_rss_kb));
        TRY(add_int(o, "reaped_file_rss_kb", v->reaped_file_rss_kb));
        TRY(add_int(o, "reaped_shmem_rss_kb", v->reaped_shmem_rss_kb));
        TRY(add_bool(o, "in_task_table", v->in_task_table));
        TRY(add_int(o, "rss_kb", v->rss_kb));
        TRY(add_int(o, "rank", v->rank > 0 ? v->rank : NUM_UNSET));
        TRY(add_int(o, "badness", v->badness));
        return 0;
}

static int add_memcg(json_object *root, const struct oom_report *r) {
        const struct oom_memcg *g = &r->memcg;
        json_object *o;

        if (!g->present)
                return add(root, "memcg", NULL);
        TRY(add_obj(root, "memcg", &o));
        TRY(add_str_or_null(o, "path", g->path));
        TRY(add_str_or_null(o, "task_path", g->task_path));
        TRY(add_int(o, "usage_kb", g->usage_kb));
        TRY(add_int(o, "limit_kb", g->limit_kb));
        TRY(add_int(o, "failcnt", g->failcnt));
        TRY(add_int(o, "swap_usage_kb", g->swap_usage_kb));
        TRY(add_int(o, "swap_limit_kb", g->swap_limit_kb));
        TRY(add_int(o, "swap_failcnt", g->swap_failcnt));
        TRY(add_bool(o, "memsw", g->memsw));
        TRY(add_int(o, "kmem_usage_kb", g->kmem_usage_kb));
        TRY(add_int(o, "kmem_limit_kb", g->kmem_limit_kb));
        TRY(add_int(o, "kmem_failcnt", g->kmem_failcnt));
        TRY(add_key_values(o, "stats", g->stats, g->n_stats));
        return 0;
}

/* Always an object, so that .workload.unit never fails on a report without a cgroup path. */
static int add_workload(json_object *root, const struct oom_report *r) {
        const struct oom_workload *w = &r->workload;
        json_object *o;

        TRY(add_obj(root, "workload", &o));
        TRY(add_str_or_null(o, "unit", w->unit));
        TRY(add_str_or_null(o, "slice", w->slice));
        TRY(add_str_or_null(o, "user_unit", w->user_unit));
        TRY(add_str_or_null(o, "user_slice", w->user_slice));
        TRY(add_str_or_null(o, "container_id", w->container_id));
        TRY(add_cstr(o, "runtime", w->runtime));
        TRY(add_str_or_null(o, "pod_uid", w->pod_uid));
        TRY(add_cstr(o, "qos", w->qos));
        TRY(add_str_or_null(o, "cgroup", w->cgroup));
        TRY(add_cstr(o, "source", w->source));
        return 0;
}

static int add_memory(json_object *root, const struct oom_report *r) {
        const struct oom_memory *m = &r->memory;
        json_object *o, *printed;

        TRY(add_obj(root, "memory", &o));
        TRY(add_int(o, "total_kb", m->total_kb));
        TRY(add_int(o, "free_kb", m->free_kb));
        TRY(add_int(o, "user_rss_kb", m->user_rss_kb));
        TRY(add_int(o, "anon_kb", m->anon_kb));
        TRY(add_int(o, "file_kb", m->file_kb));
        TRY(add_int(o, "shmem_kb", m->shmem_kb));
        TRY(add_int(o, "slab_reclaimable_kb", m->slab_reclaimable_kb));
        TRY(add_int(o, "slab_unreclaimable_kb", m->slab_unreclaimable_kb));
        TRY(add_int(o, "kernel_stack_kb", m->kernel_stack_kb));
        TRY(add_int(o, "pagetables_kb", m->pagetables_kb));
        TRY(add_int(o, "cma_free_kb", m->cma_free_kb));
        TRY(add_int(o, "reserved_kb", m->reserved_kb));
        TRY(add_int(o, "hugepages_kb", m->hugepages_kb));
        TRY(add_int(o, "unaccounted_kb", m->unaccounted_kb));
        TRY(add_int(o, "free_swap_kb", m->free_swap_kb));
        TRY(add_int(o, "total_swap_kb", m->total_swap_kb));

        TRY(add_obj(o, "printed", &printed));
        TRY(add_int(printed, "pages_ram", m->pages_ram));
        TRY(add_int(printed, "pages_highmem", m->pages_highmem));
        TRY(add_int(printed, "pages_reserved", m->pages_reserved));
        TRY(add_int(printed, "pages_cma_reserved", m->pages_cma_reserved));
        TRY(add_int(printed, "total_pagecache_pages", m->total_pagecache_pages));
        TRY(add_int(printed, "swap_cache_pages", m->swap_cache_pages));
        TRY(add_int(printed, "hugepages_total", m->hugepages_total));
        TRY(add_int(printed, "hugepages_free", m->hugepages_free));
        TRY(add_int(printed, "hugepages_size_kb", m->hugepages_size_kb));
        TRY(add_key_values(printed, "meminfo_pages", m->meminfo, m->n_meminfo));
        TRY(add_key_values(printed, "node_kb", m->node_fields, m->n_node_fields));
        TRY(add_key_values(printed, "unreclaimable_slab_kb", m->unreclaimable_slab,
                           m->n_unreclaimable_slab));
        return 0;
}

static int add_zone(json_object *arr, const struct oom_zone *z) {
        const struct zone_check *c = &z->check;
        json_object *o, *a, *chk;

        TRY(new_obj(&o));
        TRY(arr_add(arr, o));
        TRY(add_int(o, "node", z->node >= 0 ? z->node : NUM_UNSET));
        TRY(add_str(o, "name", z->name));
        TRY(add_int(o, "zone_idx", z->zone_idx >= 0 ? z->zone_idx : NUM_UNSET));
        TRY(add_int(o, "free_kb", z->free_kb));
        TRY(add_int(o, "boost_kb", z->boost_kb));
        TRY(add_int(o, "min_kb", z->min_kb));
        TRY(add_int(o, "low_kb", z->low_kb));
        TRY(add_int(o, "high_kb", z->high_kb));
        TRY(add_int(o, "reserved_highatomic_kb", z->reserved_highatomic_kb));
        TRY(add_int(o, "free_highatomic_kb", z->free_highatomic_kb));
        TRY(add_int(o, "free_cma_kb", z->free_cma_kb));
        TRY(add_int(o, "free_pcp_kb", z->free_pcp_kb));
        TRY(add_int(o, "present_kb", z->present_kb));
        TRY(add_int(o, "managed_kb", z->managed_kb));
        if (z->all_unreclaimable >= 0)
                TRY(add_bool(o, "all_unreclaimable", z->all_unreclaimable > 0));
        else
                TRY(add(o, "all_unreclaimable", NULL));
        if (z->n_lowmem_reserve > 0) {
                TRY(add_arr(o, "lowmem_reserve_pages", &a));
                for (size_t i = 0; i < z->n_lowmem_reserve && i < OOM_MAX_ZONE_TYPES; i++)
                        TRY(arr_add_int(a, z->lowmem_reserve_pages[i]));
        } else
                TRY(add(o, "lowmem_reserve_pages", NULL));
        if (z->n_buddy > 0) {
                TRY(add_arr(o, "buddy", &a));
                for (size_t i = 0; i < z->n_buddy && i < OOM_MAX_ORDERS; i++) {
                        json_object *b;
                        TRY(new_obj(&b));
                        TRY(arr_add(a, b));
                        TRY(add_int(b, "order", (int64_t)i));
                        TRY(add_int(b, "count", z->buddy[i].count));
                        TRY(add_int(b, "size_kb", z->buddy[i].size_kb));
                        TRY(add_str(b, "types", z->buddy[i].types));
                }
        } else
                TRY(add(o, "buddy", NULL));
        TRY(add_int(o, "buddy_total_kb", z->buddy_total_kb));
        TRY(add_key_values(o, "fields_kb", z->fields, z->n_fields));

        if (!c->evaluated)
                return add(o, "check", NULL);
        TRY(add_obj(o, "check", &chk));
        TRY(add_bool(chk, "eligible", c->eligible));
        TRY(add_cstr(chk, "reason", c->reason));
        TRY(add_int(chk, "usable_free_kb", c->usable_free_kb));
        TRY(add_int(chk, "cma_excluded_kb", c->cma_excluded_kb));
        TRY(add_int(chk, "highatomic_excluded_kb", c->highatomic_excluded_kb));
        TRY(add_int(chk, "watermark_kb", c->watermark_kb));
        TRY(add_int(chk, "reserve_kb", c->reserve_kb));
        TRY(add_int(chk, "threshold_kb", c->threshold_kb));
        TRY(add_bool(chk, "ok", c->ok));
        TRY(add_int(chk, "margin_kb", c->margin_kb));
        TRY(add_bool(chk, "low_ok", c->low_ok));
        TRY(add_bool(chk, "high_ok", c->high_ok));
        if (c->order_checked) {
                TRY(add_bool(chk, "order_ok", c->order_ok));
                TRY(add_int(chk, "order_ok_at", c->order_ok_at >= 0 ? c->order_ok_at : NUM_UNSET));
                TRY(add_str_or_null(chk, "order_detail", c->order_detail));
        } else {
                TRY(add(chk, "order_ok", NULL));
                TRY(add(chk, "order_ok_at", NULL));
                TRY(add(chk, "order_detail", NULL));
        }
        TRY(add_cstr(chk, "verdict", zone_verdict_string(z)));
        return 0;
}

static int add_tasks(json_object *root, const struct oom_report *r) {
        _cleanup_free_ struct task_group *groups = NULL;
        size_t n_groups = 0;
        json_object *arr;

        TRY(add_arr(root, "tasks", &arr));
        for (size_t i = 0; i < r->n_tasks; i++) {
                const struct oom_task *t = &r->tasks[i];
                json_object *o;

                TRY(new_obj(&o));
                TRY(arr_add(arr, o));
                TRY(add_int(o, "pid", t->pid));
                TRY(add_int(o, "uid", t->uid));
                TRY(add_int(o, "tgid", t->tgid));
                TRY(add_int(o, "total_vm_pages", t->total_vm_pages));
                TRY(add_int(o, "rss_pages", t->rss_pages));
                TRY(add_int(o, "rss_anon_pages", t->rss_anon_pages));
                TRY(add_int(o, "rss_file_pages", t->rss_file_pages));
                TRY(add_int(o, "rss_shmem_pages", t->rss_shmem_pages));
                TRY(add_int(o, "nr_ptes", t->nr_ptes));
                TRY(add_int(o, "nr_pmds", t->nr_pmds));
                TRY(add_int(o, "pgtables_bytes", t->pgtables_bytes));
                TRY(add_int(o, "swapents_pages", t->swapents_pages));
                TRY(add_int(o, "oom_score_adj", t->oom_score_adj));
                TRY(add_str(o, "name", t->name));
                TRY(add_int(o, "rss_kb", task_rss_kb(r, t)));
                TRY(add_int(o, "badness", t->badness));
                TRY(add_int(o, "rank", t->rank > 0 ? t->rank : NUM_UNSET));
        }
        TRY(add_str_or_null(root, "task_table_layout", r->task_table_layout));
        TRY(add_int(root, "tasks_oom_disabled", r->tasks_oom_disabled));

        TRY(tasks_aggregate(r, &groups, &n_groups));
        TRY(add_arr(root, "task_groups", &arr));
        for (size_t i = 0; i < n_groups; i++) {
                json_object *o;
                TRY(new_obj(&o));
                TRY(arr_add(arr, o));
                TRY(add_str(o, "name", groups[i].name));
                TRY(add_int(o, "count", (int64_t)groups[i].count));
                TRY(add_int(o, "rss_kb", groups[i].rss_kb));
                TRY(add_int(o, "max_rss_kb", groups[i].max_rss_kb));
                TRY(add_int(o, "max_rss_pid", groups[i].max_rss_pid));
        }
        return 0;
}

static int add_analysis(json_object *root, const struct oom_report *r) {
        json_object *o, *arr;

        TRY(add_obj(root, "analysis", &o));
        TRY(add_str_or_null(o, "summary", r->summary));
        TRY(add_arr(o, "causes", &arr));
        for (size_t i = 0; i < r->n_causes && i < OOM_MAX_CAUSES; i++) {
                json_object *c;
                TRY(new_obj(&c));
                TRY(arr_add(arr, c));
                TRY(add_cstr(c, "code", cause_code_to_string(r->causes[i].code)));
                TRY(add_bool(c, "primary", r->causes[i].primary));
                TRY(add_str(c, "explanation", r->causes[i].explanation));
        }
        return 0;
}

static int add_lines(json_object *root, const struct oom_report *r) {
        json_object *arr;

        TRY(add_int(root, "unparsed_lines", (int64_t)r->unparsed_lines));
        TRY(add_arr(root, "unparsed_idx", &arr));
        for (size_t i = 0; r->unparsed_idx && i < r->n_unparsed_idx; i++)
                TRY(arr_add_int(arr, (int64_t)MIN(r->unparsed_idx[i], (size_t)INT64_MAX)));
        /* The unparsed lines themselves, so a user can see what was not understood. */
        TRY(add_arr(root, "unparsed", &arr));
        for (size_t i = 0; r->unparsed_idx && r->lines && i < r->n_unparsed_idx; i++) {
                json_object *j;
                size_t k = r->unparsed_idx[i];
                if (k >= r->n_lines || !r->lines[k].text)
                        continue;
                TRY(new_str_len(r->lines[k].text, r->lines[k].len, &j));
                TRY(arr_add(arr, j));
        }
        TRY(add_arr(root, "call_trace", &arr));
        for (size_t i = 0; r->call_trace && i < r->n_call_trace; i++) {
                json_object *j;
                if (!r->call_trace[i])
                        continue;
                TRY(new_str_len(r->call_trace[i], strlen(r->call_trace[i]), &j));
                TRY(arr_add(arr, j));
        }
        TRY(add_arr(root, "lines", &arr));
        for (size_t i = 0; r->lines && i < r->n_lines; i++) {
                json_object *j;
                /* the normalised text (what the parser read), so it can be re-analysed */
                TRY(new_str_len(r->lines[i].text, r->lines[i].text ? r->lines[i].len : 0, &j));
                TRY(arr_add(arr, j));
        }
        return 0;
}

static int build(json_object *root, const struct oom_report *r) {
        static const char *const raw_types[] = { "oom", "alloc_failure", "bare_kill", "panic" };

        TRY(add_cstr(root, "schema", OOMLENS_REPORT_SCHEMA));
        TRY(add_str_or_null(root, "id", r->id));
        TRY(add_cstr(root, "kind", report_kind_to_string(r->kind)));
        TRY(add_cstr(root, "raw_type", (size_t)r->raw_type < ELEMENTSOF(raw_types)
                                               ? raw_types[r->raw_type] : "unknown"));
        /* What started it: a header ("oom", "alloc_failure"), kill lines whose header was
         * rate-limited or cut ("bare_kill"), a panic, or a dump whose header is missing
         * ("fragment"). */
        TRY(add_cstr(root, "report_type",
                     r->raw_type == RAW_REPORT_OOM && !r->has_header
                             ? "fragment"
                             : ((size_t)r->raw_type < ELEMENTSOF(raw_types) ? raw_types[r->raw_type]
                                                                          : "unknown")));
        TRY(add_bool(root, "has_header", r->has_header));
        TRY(add_bool(root, "complete", r->complete));
        TRY(add_bool(root, "spans_gap", r->spans_gap));
        TRY(add_bool(root, "panic", r->panic));
        TRY(add_int(root, "ts_usec", r->ts_usec));
        TRY(add_int(root, "seq", r->seq));
        TRY(add_int(root, "wall_sec", r->wall_sec));
        TRY(add_kernel(root, r));
        TRY(add_trigger(root, r));
        TRY(add_constraint(root, r));
        TRY(add_victim(root, r));
        TRY(add_memcg(root, r));
        TRY(add_workload(root, r));
        TRY(add_memory(root, r));
        {
                json_object *zones;
                TRY(add_arr(root, "zones", &zones));
                for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++)
                        TRY(add_zone(zones, &r->zones[i]));
        }
        TRY(add_tasks(root, r));
        TRY(add_analysis(root, r));
        TRY(add_lines(root, r));
        return 0;
}

int report_to_json(const struct oom_report *r, json_object **ret) {
        json_object *root;
        int k;

        if (!r || !ret)
                return -EINVAL;
        root = json_object_new_object();
        if (!root)
                return -ENOMEM;
        k = build(root, r);
        if (k < 0) {
                json_object_put(root);
                return k;
        }
        *ret = root;
        return 0;
}

int report_to_json_string(const struct oom_report *r, char **ret) {
        json_object *root = NULL;
        const char *s;
        char *copy;
        int k;

        k = report_to_json(r, &root);
        if (k < 0)
                return k;
        s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        copy = s ? strdup(s) : NULL;
        json_object_put(root);
        if (!copy)
                return -ENOMEM;
        *ret = copy;
        return 0;
}
