/* SPDX-License-Identifier: MIT */
/* The text a support engineer pastes into a ticket: summary, causes in plain words, the
 * trigger decoded, the zone checks, where the memory went, the victim, the top tasks, notes.
 * Sizes are human (MiB/GiB, one decimal); the numbers of the watermark checks stay exact kB. */
#include "report_text.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "causes.h"
#include "report_json.h" /* utf8_sanitize */
#include "human_size.h"
#include "memory_accounting.h"
#include "victim.h"
#include "workload.h"

#define WRAP_COLUMNS 100
#define TOP_TASKS 10
#define TOP_GROUPS 10

static const char *hk(int64_t kb, char buf[static HUMAN_SIZE_MAX]) {
        return human_kb(kb, buf, HUMAN_SIZE_MAX);
}

static const char *or_q(const char *s) {
        return s && s[0] ? s : "?";
}

/* Print text wrapped at WRAP_COLUMNS with an indent; breaks at spaces only. */
static void write_wrapped(FILE *f, const char *indent, const char *text) {
        size_t ind = strlen(indent), width = WRAP_COLUMNS > ind + 20 ? WRAP_COLUMNS - ind : 20;
        const char *p = text;

        while (*p) {
                size_t len = strlen(p), cut;

                if (len <= width) {
                        fprintf(f, "%s%s\n", indent, p);
                        return;
                }
                cut = width;
                while (cut > 0 && p[cut] != ' ')
                        cut--;
                if (cut == 0) { /* one long word: cut at the next space */
                        cut = width;
                        while (p[cut] && p[cut] != ' ')
                                cut++;
                }
                fprintf(f, "%s%.*s\n", indent, (int)cut, p);
                p += cut;
                while (*p == ' ')
                        p++;
        }
}

static void write_causes(FILE *f, const struct oom_report *r) {
        const struct oom_cause *primary = report_primary_cause(r);

        if (primary) {
                fprintf(f, "Cause: %s\n", cause_code_to_string(primary->code));
                write_wrapped(f, "  ", primary->explanation);
        }
        for (size_t i = 0; i < r->n_causes && i < OOM_MAX_CAUSES; i++) {
                const struct oom_cause *c = &r->causes[i];
                if (c == primary)
                        continue;
                fprintf(f, "Also: %s\n", cause_code_to_string(c->code));
                write_wrapped(f, "  ", c->explanation);
        }
}

static void write_trigger(FILE *f, const struct oom_report *r) {
        const struct oom_trigger *t = &r->trigger;

        fprintf(f, "\nTrigger: %s", or_q(t->comm));
        if (num_set(t->pid))
                fprintf(f, " (pid %" PRId64 ")", t->pid);
        if (t->gfp_mask[0] || t->has_gfp_mask) {
                if (t->gfp_mask[0])
                        fprintf(f, " gfp_mask=%s", t->gfp_mask);
                else
                        fprintf(f, " gfp_mask=%#" PRIx64, t->gfp_mask_value);
        }
        if (num_set(t->order))
                fprintf(f, " order=%" PRId64, t->order);
        if (num_set(t->oom_score_adj))
                fprintf(f, " oom_score_adj=%" PRId64, t->oom_score_adj);
        fputc('\n', f);
        if (t->n_gfp_flags > 0) {
                fprintf(f, "  flags: ");
                for (size_t i = 0; i < t->n_gfp_flags && i < OOM_MAX_GFP_FLAGS; i++)
                        fprintf(f, "%s%s", i ? "|" : "", or_q(t->gfp_flags[i]));
                if (t->gfp_composite[0])
                        fprintf(f, " = %s", t->gfp_composite);
                if (t->gfp_unknown_bits[0])
                        fprintf(f, " (unknown bits %s)", t->gfp_unknown_bits);
                if (t->gfp_layout)
                        fprintf(f, " [layout %s]", t->gfp_layout);
                fputc('\n', f);
        } else if (t->gfp_printed_names[0])
                fprintf(f, "  flags (as printed): %s\n", t->gfp_printed_names);
        if (t->migratetype || t->highest_zone)
                fprintf(f, "  migratetype %s, highest zone %s, may use CMA: %s, may sleep: %s, "
                           "watermark: %s\n",
                        or_q(t->migratetype), or_q(t->highest_zone), t->may_use_cma ? "yes" : "no",
                        t->can_wait ? "yes" : "no", or_q(t->watermark_adjust));
        if (r->constraint.type[0] || r->constraint.cpuset[0] || t->cpuset[0])
                fprintf(f, "  constraint %s, cpuset %s, mems_allowed %s, nodemask %s\n",
                        or_q(r->constraint.type),
                        or_q(r->constraint.cpuset[0] ? r->constraint.cpuset : t->cpuset),
                        or_q(r->constraint.mems_allowed[0] ? r->constraint.mems_allowed : t->mems_allowed),
                        or_q(r->constraint.nodemask[0] ? r->constraint.nodemask : t->nodemask));
}

static void kb_cell(char *buf, size_t n, int64_t v) {
        if (num_set(v))
                snprintf(buf, n, "%" PRId64, v);
        else
                snprintf(buf, n, "-");
}

static void write_zones(FILE *f, const struct oom_report *r) {
        if (r->n_zones == 0)
                return;
        fprintf(f, "\nZones (free..free_cma human; usable/threshold/margin exact kB):\n");
        fprintf(f, "  %-16s %10s %10s %10s %10s %10s %10s %10s %-12s %10s\n", "zone", "free", "min",
                "low", "high", "free_cma", "usable", "threshold", "verdict", "margin");
        for (size_t i = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                const struct oom_zone *z = &r->zones[i];
                const struct zone_check *c = &z->check;
                char label[40], a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX], d[HUMAN_SIZE_MAX],
                        e[HUMAN_SIZE_MAX], g[HUMAN_SIZE_MAX], u[24], t[24], m[24];

                if (z->node >= 0)
                        snprintf(label, sizeof(label), "Node %d %s", z->node, z->name);
                else
                        snprintf(label, sizeof(label), "%s", z->name);
                kb_cell(u, sizeof(u), c->evaluated && c->eligible ? c->usable_free_kb : NUM_UNSET);
                kb_cell(t, sizeof(t), c->evaluated && c->eligible ? c->threshold_kb : NUM_UNSET);
                kb_cell(m, sizeof(m), c->evaluated && c->eligible ? c->margin_kb : NUM_UNSET);
                fprintf(f, "  %-16s %10s %10s %10s %10s %10s %10s %10s %-12s %10s\n", label,
                        hk(z->free_kb, a), hk(z->min_kb, b), hk(z->low_kb, d), hk(z->high_kb, e),
                        hk(z->free_cma_kb, g), u, t, zone_verdict_string(z), m);
                if (c->evaluated && c->order_checked && c->order_detail[0])
                        fprintf(f, "  %-16s order check: %s\n", "", c->order_detail);
        }
}

static void mem_row(FILE *f, const char *name, int64_t kb, int64_t total) {
        char a[HUMAN_SIZE_MAX];

        if (!num_set(kb))
                return;
        if (num_set(total) && total > 0)
                fprintf(f, "  %-24s %12s %6.1f%%\n", name, hk(kb, a), (double)kb * 100.0 / (double)total);
        else
                fprintf(f, "  %-24s %12s\n", name, hk(kb, a));
}

static void write_memory(FILE *f, const struct oom_report *r) {
        const struct oom_memory *m = &r->memory;
        bool memcg = r->kind == REPORT_KIND_MEMCG && r->memcg.present;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        if (memcg) {
                fprintf(f, "\nMemory cgroup %s: usage %s of limit %s", or_q(r->memcg.path),
                        hk(r->memcg.usage_kb, a), hk(r->memcg.limit_kb, b));
                if (num_set(r->memcg.failcnt))
                        fprintf(f, ", failcnt %" PRId64, r->memcg.failcnt);
                fputc('\n', f);
                if (num_set(r->memcg.swap_usage_kb))
                        fprintf(f, "  %s usage %s of limit %s\n", r->memcg.memsw ? "memory+swap" : "swap",
                                hk(r->memcg.swap_usage_kb, a), hk(r->memcg.swap_limit_kb, b));
        }
        if (!num_set(m->total_kb) && !num_set(m->free_kb) && !num_set(m->anon_kb))
                return;
        fprintf(f, "\nWhere the memory went (%s %s):\n", memcg ? "memcg limit" : "total",
                hk(m->total_kb, a));
        mem_row(f, "free", m->free_kb, m->total_kb);
        mem_row(f, memcg ? "anon" : "anon (incl. shmem)", m->anon_kb, m->total_kb);
        mem_row(f, memcg ? "page cache (incl. shmem)" : "page cache", m->file_kb, m->total_kb);
        mem_row(f, "shmem", m->shmem_kb, m->total_kb);
        mem_row(f, "slab unreclaimable", m->slab_unreclaimable_kb, m->total_kb);
        mem_row(f, "slab reclaimable", m->slab_reclaimable_kb, m->total_kb);
        mem_row(f, "kernel stacks", m->kernel_stack_kb, m->total_kb);
        mem_row(f, "page tables", m->pagetables_kb, m->total_kb);
        mem_row(f, "hugepages", m->hugepages_kb, m->total_kb);
        mem_row(f, "unaccounted", m->unaccounted_kb, m->total_kb);
        mem_row(f, "free CMA (in free)", m->cma_free_kb, m->total_kb);
        mem_row(f, "reserved (not in total)", m->reserved_kb, NUM_UNSET);
        mem_row(f, "task table rss (sum)", m->user_rss_kb, m->total_kb);
        if (!memcg && num_set(m->total_swap_kb))
                fprintf(f, "  %-24s %12s free of %s\n", "swap", hk(m->free_swap_kb, a),
                        hk(m->total_swap_kb, b));
}

static void write_victim(FILE *f, const struct oom_report *r) {
        const struct oom_victim *v = &r->victim;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX], d[HUMAN_SIZE_MAX], e[HUMAN_SIZE_MAX],
                g[HUMAN_SIZE_MAX];

        if (!r->has_victim) {
                fprintf(f, "\nVictim: none in the report%s\n", r->panic ? " (kernel panic)" : "");
                return;
        }
        fprintf(f, "\nVictim: %s[%" PRId64 "]", or_q(v->comm), num_set(v->pid) ? v->pid : 0);
        if (num_set(v->uid))
                fprintf(f, " uid %" PRId64, v->uid);
        if (num_set(v->score))
                fprintf(f, " score %" PRId64, v->score);
        if (num_set(v->oom_score_adj))
                fprintf(f, " oom_score_adj %" PRId64, v->oom_score_adj);
        fputc('\n', f);
        fprintf(f, "  rss %s (anon %s, file %s, shmem %s), total-vm %s\n", hk(v->rss_kb, a),
                hk(v->anon_rss_kb, b), hk(v->file_rss_kb, d), hk(v->shmem_rss_kb, e),
                hk(v->total_vm_kb, g));
        {
                char who[512];
                if (workload_describe(&r->workload, who, sizeof(who)) > 0)
                        fprintf(f, "  workload: %s\n", who);
        }
        if (v->in_task_table) {
                if (v->rank > 0)
                        fprintf(f, "  in the task table: rank %d of %zu by recomputed badness (%" PRId64
                                   " pages)\n",
                                v->rank, r->n_tasks, v->badness);
                else
                        fprintf(f, "  in the task table (badness not recomputable for this kernel)\n");
        } else if (r->n_tasks > 0)
                fprintf(f, "  NOT in the task table (%zu rows): the table was cut, rate-limited, or "
                           "the process appeared after it was printed\n",
                        r->n_tasks);
        if (num_set(v->selected_pid) && v->selected_pid != v->pid)
                fprintf(f, "  selected %s[%" PRId64 "], a child was killed instead\n",
                        or_q(v->selected_comm), v->selected_pid);
        if (v->already_exiting)
                fprintf(f, "  the victim was already exiting\n");
        if (v->reaped)
                fprintf(f, "  oom_reaper reaped it: now anon %s, file %s, shmem %s\n",
                        hk(v->reaped_anon_rss_kb, a), hk(v->reaped_file_rss_kb, b),
                        hk(v->reaped_shmem_rss_kb, d));
        if (v->reap_failed)
                fprintf(f, "  oom_reaper was unable to reap it\n");
}

static void write_tasks(FILE *f, const struct oom_report *r) {
        _cleanup_free_ size_t *idx = NULL;
        _cleanup_free_ struct task_group *groups = NULL;
        size_t n_groups = 0, shown = 0;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        if (r->n_tasks == 0 || tasks_sorted_by_rss(r, &idx) < 0)
                return;
        fprintf(f, "\nTop tasks by rss (%zu in the table", r->n_tasks);
        if (num_set(r->tasks_oom_disabled) && r->tasks_oom_disabled > 0)
                fprintf(f, ", %" PRId64 " with oom_score_adj -1000", r->tasks_oom_disabled);
        fprintf(f, "):\n  %8s %6s %12s %6s %10s %5s  %s\n", "pid", "uid", "rss", "adj", "badness",
                "rank", "name");
        for (size_t i = 0; i < r->n_tasks && i < TOP_TASKS; i++) {
                const struct oom_task *t = &r->tasks[idx[i]];
                char pid[24], uid[24], adj[24], bad[24], rank[16];

                kb_cell(pid, sizeof(pid), t->pid);
                kb_cell(uid, sizeof(uid), t->uid);
                kb_cell(adj, sizeof(adj), t->oom_score_adj);
                kb_cell(bad, sizeof(bad), t->badness);
                kb_cell(rank, sizeof(rank), t->rank > 0 ? t->rank : NUM_UNSET);
                fprintf(f, "  %8s %6s %12s %6s %10s %5s  %s%s\n", pid, uid, hk(task_rss_kb(r, t), a),
                        adj, bad, rank, t->name,
                        r->has_victim && t->pid == r->victim.pid ? "  <- victim" : "");
        }
        if (tasks_aggregate(r, &groups, &n_groups) < 0 || n_groups == 0)
                return;
        for (size_t i = 0; i < n_groups; i++)
                if (groups[i].count > 1)
                        shown++;
        if (shown == 0)
                return;
        fprintf(f, "By name:\n");
        shown = 0;
        for (size_t i = 0; i < n_groups && shown < TOP_GROUPS; i++) {
                if (groups[i].count < 2)
                        continue;
                fprintf(f, "  %zu × %s, %s total (largest %s, pid %" PRId64 ")\n", groups[i].count,
                        groups[i].name, hk(groups[i].rss_kb, a), hk(groups[i].max_rss_kb, b),
                        num_set(groups[i].max_rss_pid) ? groups[i].max_rss_pid : 0);
                shown++;
        }
}

/* 3.6-5.0 print score = chosen_points * 1000 / totalpages (kernel-facts §6): turn it back into
 * badness pages and compare with the kill line's rss. A large gap is oom_score_adj (Android
 * and container runtimes set it) or swap, not memory the kill will free. */
static void note_score(FILE *f, const struct oom_report *r, bool *header) {
        const struct badness_rule *rule = badness_rule_for(kernel_version_code(&r->kernel));
        int64_t totalpages = report_totalpages(r), implied, rss_pages, page_kb;
        char a[HUMAN_SIZE_MAX], b[HUMAN_SIZE_MAX];

        if (!r->has_victim || !num_set(r->victim.score) || !num_set(r->victim.rss_kb) ||
            rule->scale != BADNESS_PAGES || !num_set(totalpages) || totalpages <= 0 ||
            r->victim.score < 0 || r->victim.score > 1000)
                return;
        page_kb = report_page_kb(r);
        implied = num_mul(r->victim.score, totalpages);
        if (!num_set(implied))
                return;
        implied /= 1000;
        rss_pages = r->victim.rss_kb / page_kb;
        if (rss_pages < 0 || implied - rss_pages <= rss_pages + 256)
                return;
        if (!*header) {
                fprintf(f, "\nNotes:\n");
                *header = true;
        }
        fprintf(f, "  - score %" PRId64 " means about %" PRId64 " pages (%s) of badness at selection, "
                   "but the victim's rss is %s: the difference is oom_score_adj (about %+" PRId64
                   " if it was all adj), swap or page tables, not memory the kill frees\n",
                r->victim.score, implied, hk(num_mul(implied, page_kb), a), hk(r->victim.rss_kb, b),
                totalpages >= 1000 ? (implied - rss_pages) / (totalpages / 1000) : 0);
}

static void write_notes(FILE *f, const struct oom_report *r) {
        bool header = false;

#define NOTE(...)                                 \
        do {                                      \
                if (!header) {                    \
                        fprintf(f, "\nNotes:\n"); \
                        header = true;            \
                }                                 \
                fprintf(f, "  - " __VA_ARGS__);   \
        } while (0)

        if (!r->complete)
                NOTE("the report is incomplete: some blocks were not in the log\n");
        if (r->spans_gap)
                NOTE("kernel log records were lost inside this report (sequence gap)\n");
        if (r->unparsed_lines > 0)
                NOTE("%zu line(s) were not understood by the parser\n", r->unparsed_lines);
        if (!r->kernel.known)
                NOTE("kernel version not printed: the newest rules were assumed\n");
        if (r->n_zones > 0 && !r->zones[0].check.evaluated)
                NOTE("zone watermark checks could not be replayed\n");
        if (r->has_victim && num_set(r->victim.score) && r->has_victim && !r->victim.in_task_table &&
            r->n_tasks > 0)
                NOTE("victim %" PRId64 " is missing from the task table; its rank cannot be "
                     "recomputed\n", r->victim.pid);
        if (r->panic)
                NOTE("the kernel panicked (no killable process, or panic_on_oom)\n");
        note_score(f, r, &header);
#undef NOTE
}

static void write_all(FILE *f, const struct oom_report *r) {
        fprintf(f, "%s\n", r->summary[0] ? r->summary : "(no summary: report not analysed)");
        if (r->id[0])
                fprintf(f, "id %s\n", r->id);
        fputc('\n', f);
        write_causes(f, r);
        write_trigger(f, r);
        write_zones(f, r);
        write_memory(f, r);
        write_victim(f, r);
        write_tasks(f, r);
        write_notes(f, r);
}

int report_write_text(const struct oom_report *r, FILE *f) {
        _cleanup_free_ char *buf = NULL, *clean = NULL;
        size_t len = 0;
        FILE *m;
        int k;

        if (!r || !f)
                return -EINVAL;

        /* Render into memory first, then make the whole text terminal-safe in one place:
         * comm, paths and slab names come from the log and may hold escape sequences or
         * invalid UTF-8. */
        m = open_memstream(&buf, &len);
        if (!m)
                return -ENOMEM;
        write_all(m, r);
        if (fclose(m) != 0 || !buf)
                return -ENOMEM;

        k = utf8_sanitize(buf, len, &clean);
        if (k < 0)
                return k;
        len = strlen(clean);
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)clean[i];
                if ((c < 0x20 && c != '\n') || c == 0x7f)
                        fprintf(f, "\\x%02X", c);
                else
                        fputc(c, f);
        }
        if (fflush(f) != 0 || ferror(f))
                return -EIO;
        return 0;
}
