/* SPDX-License-Identifier: MIT */
#include "journal_sink.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <systemd/sd-journal.h>

void journal_entry_done(struct journal_entry *e) {
        for (size_t i = 0; i < e->n; i++)
                free(e->iov[i].iov_base);
        e->n = 0;
}

int journal_entry_add(struct journal_entry *e, const char *field, const char *fmt, ...) {
        char value[JOURNAL_FIELD_VALUE_MAX];
        va_list ap;
        char *s;
        int r;

        if (e->n >= JOURNAL_ENTRY_MAX_FIELDS)
                return -E2BIG;
        va_start(ap, fmt);
        r = vsnprintf(value, sizeof value, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -EINVAL;
        /* vsnprintf truncation is the documented cut; NULs cannot occur in a C string. */
        if (asprintf(&s, "%s=%s", field, value) < 0)
                return -ENOMEM;
        e->iov[e->n].iov_base = s;
        e->iov[e->n].iov_len = strlen(s);
        e->n++;
        return 0;
}

const char *journal_entry_get(const struct journal_entry *e, const char *field) {
        size_t l = strlen(field);
        for (size_t i = 0; i < e->n; i++) {
                const char *s = e->iov[i].iov_base;
                if (strncmp(s, field, l) == 0 && s[l] == '=')
                        return s + l + 1;
        }
        return NULL;
}

static const struct oom_cause *primary_cause(const struct oom_report *r) {
        for (size_t i = 0; i < r->n_causes && i < OOM_MAX_CAUSES; i++)
                if (r->causes[i].primary)
                        return &r->causes[i];
        return r->n_causes > 0 ? &r->causes[0] : NULL;
}

static void format_kb(int64_t kb, char *buf, size_t size) {
        if (kb >= 1024LL * 1024)
                snprintf(buf, size, "%.1f GiB", (double)kb / (1024.0 * 1024.0));
        else if (kb >= 1024)
                snprintf(buf, size, "%.1f MiB", (double)kb / 1024.0);
        else
                snprintf(buf, size, "%" PRId64 " KiB", kb);
}

static const char *report_cgroup(const struct oom_report *r) {
        if (r->constraint.task_memcg[0])
                return r->constraint.task_memcg;
        if (r->memcg.task_path[0])
                return r->memcg.task_path;
        if (r->constraint.memcg[0])
                return r->constraint.memcg;
        return r->memcg.path[0] ? r->memcg.path : NULL;
}

/* The phrase after the dash, per primary cause: short, plain words. */
static void cause_phrase(const struct oom_report *r, char *buf, size_t size) {
        const struct oom_cause *c = primary_cause(r);
        char amount[32];

        if (r->panic) {
                snprintf(buf, size, "no killable process left, kernel panic");
                return;
        }
        if (!c) {
                snprintf(buf, size, "%s", r->kind == REPORT_KIND_GLOBAL ? "system out of memory" : "out of memory");
                return;
        }
        switch (c->code) {
        case CAUSE_MEMCG_LIMIT:
                if (num_set(r->memcg.limit_kb)) {
                        format_kb(r->memcg.limit_kb, amount, sizeof amount);
                        snprintf(buf, size, "cgroup limit %s reached", amount);
                } else
                        snprintf(buf, size, "cgroup memory limit reached");
                return;
        case CAUSE_CPUSET_CONSTRAINT:
                snprintf(buf, size, "memory of the allowed cpuset nodes exhausted");
                return;
        case CAUSE_MEMPOLICY_CONSTRAINT:
                snprintf(buf, size, "memory of the mempolicy nodes exhausted");
                return;
        case CAUSE_MANUAL:
                snprintf(buf, size, "manual OOM kill (sysrq-f)");
                return;
        case CAUSE_CMA_UNUSABLE:
                snprintf(buf, size, "free memory is CMA, unusable for this allocation");
                return;
        case CAUSE_LOWMEM_RESERVE:
                snprintf(buf, size, "free memory held back by lowmem_reserve");
                return;
        case CAUSE_FRAGMENTATION:
                snprintf(buf, size, "no free block of order %" PRId64 " (fragmentation)",
                         num_set(r->trigger.order) ? r->trigger.order : 0);
                return;
        case CAUSE_LOWMEM_EXHAUSTED:
                snprintf(buf, size, "low memory exhausted");
                return;
        case CAUSE_KERNEL_MEMORY:
                snprintf(buf, size, "kernel memory (slab, page tables) filled RAM");
                return;
        case CAUSE_USERSPACE_MEMORY:
                snprintf(buf, size, "user processes filled RAM");
                return;
        case CAUSE_SHMEM:
                snprintf(buf, size, "shared memory / tmpfs filled RAM");
                return;
        case CAUSE_HIGHATOMIC_RESERVE:
                snprintf(buf, size, "free memory only in the highatomic reserve");
                return;
        case CAUSE_UNKNOWN:
        case _CAUSE_MAX:
                break;
        }
        snprintf(buf, size, "out of memory");
}

int journal_format_message(const struct oom_report *r, char *buf, size_t size) {
        char phrase[160], where[OOM_PATH_MAX + 8] = "";
        const char *cg = report_cgroup(r);
        int n;

        cause_phrase(r, phrase, sizeof phrase);
        if (cg)
                snprintf(where, sizeof where, " in %s", cg);
        if (r->kind == REPORT_KIND_ALLOC_FAILURE && !r->has_victim)
                n = snprintf(buf, size, "page allocation failure: %s[%" PRId64 "] order:%" PRId64 " mode:%s",
                             r->trigger.comm[0] ? r->trigger.comm : "?",
                             num_set(r->trigger.pid) ? r->trigger.pid : -1,
                             num_set(r->trigger.order) ? r->trigger.order : -1,
                             r->trigger.gfp_mask[0] ? r->trigger.gfp_mask : "?");
        else if (r->has_victim)
                n = snprintf(buf, size, "oom-kill: %s[%" PRId64 "]%s — %s", r->victim.comm[0] ? r->victim.comm : "?",
                             num_set(r->victim.pid) ? r->victim.pid : -1, where, phrase);
        else
                n = snprintf(buf, size, "oom: %s invoked the OOM killer%s — %s",
                             r->trigger.comm[0] ? r->trigger.comm : "?", where, phrase);
        if (n < 0)
                return -EINVAL;
        return 0;
}

static int priority_for(const struct oom_report *r) {
        if (r->panic)
                return LOG_CRIT;
        if (r->kind == REPORT_KIND_ALLOC_FAILURE && !r->has_victim)
                return LOG_WARNING;
        return LOG_ERR;
}

#define ADD(...)                                          \
        do {                                              \
                k = journal_entry_add(&e, __VA_ARGS__);   \
                if (k < 0)                                \
                        goto fail;                        \
        } while (0)

int journal_entry_from_report(const struct oom_report *r, const char *report_id, const char *spool_file,
                              struct journal_entry *ret) {
        struct journal_entry e = {};
        char msg[1024];
        const struct oom_cause *c = primary_cause(r);
        const char *cg;
        int k;

        k = journal_format_message(r, msg, sizeof msg);
        if (k < 0)
                return k;
        ADD("MESSAGE", "%s", msg);
        ADD("MESSAGE_ID", "%s", OOMLENS_MESSAGE_ID_REPORT);
        ADD("PRIORITY", "%d", priority_for(r));
        ADD("SYSLOG_IDENTIFIER", "%s", "oomlensd");
        ADD("OOM_REPORT_ID", "%s", report_id);
        ADD("OOM_KIND", "%s", report_kind_to_string(r->kind));
        ADD("OOM_CAUSE", "%s", c ? cause_code_to_string(c->code) : "unknown");
        if (c && c->explanation[0])
                ADD("OOM_CAUSE_EXPLANATION", "%s", c->explanation);
        if (r->has_victim) {
                if (num_set(r->victim.pid))
                        ADD("OOM_VICTIM_PID", "%" PRId64, r->victim.pid);
                if (r->victim.comm[0])
                        ADD("OOM_VICTIM_COMM", "%s", r->victim.comm);
                if (num_set(r->victim.uid))
                        ADD("OOM_VICTIM_UID", "%" PRId64, r->victim.uid);
                if (num_set(r->victim.rss_kb))
                        ADD("OOM_VICTIM_RSS_KB", "%" PRId64, r->victim.rss_kb);
        }
        if (r->trigger.comm[0])
                ADD("OOM_TRIGGER_COMM", "%s", r->trigger.comm);
        if (num_set(r->trigger.pid))
                ADD("OOM_TRIGGER_PID", "%" PRId64, r->trigger.pid);
        if (r->trigger.gfp_mask[0])
                ADD("OOM_GFP_MASK", "%s", r->trigger.gfp_mask);
        if (num_set(r->trigger.order))
                ADD("OOM_ORDER", "%" PRId64, r->trigger.order);
        if (r->constraint.type[0])
                ADD("OOM_CONSTRAINT", "%s", r->constraint.type);
        cg = r->constraint.memcg[0] ? r->constraint.memcg : r->memcg.path[0] ? r->memcg.path : NULL;
        if (cg)
                ADD("OOM_MEMCG", "%s", cg);
        /* The victim's own cgroup: below the OOM_MEMCG whose limit was hit, or the only cgroup
         * named in a global OOM. `oomlens journal` shows it where `oomlens list` does. */
        cg = r->constraint.task_memcg[0] ? r->constraint.task_memcg : r->memcg.task_path[0] ? r->memcg.task_path : NULL;
        if (cg)
                ADD("OOM_TASK_MEMCG", "%s", cg);
        /* Who the victim was (common/analysis/workload.h): OOM_UNIT= reads a cgroup path the way
         * journald's _SYSTEMD_UNIT= does, so "journalctl OOM_UNIT=nginx.service" finds the kills. */
        if (r->workload.unit[0])
                ADD("OOM_UNIT", "%s", r->workload.unit);
        if (r->workload.slice[0])
                ADD("OOM_SLICE", "%s", r->workload.slice);
        if (r->workload.user_unit[0])
                ADD("OOM_USER_UNIT", "%s", r->workload.user_unit);
        if (r->workload.container_id[0])
                ADD("OOM_CONTAINER_ID", "%s", r->workload.container_id);
        if (r->workload.runtime)
                ADD("OOM_CONTAINER_RUNTIME", "%s", r->workload.runtime);
        if (r->workload.pod_uid[0])
                ADD("OOM_POD_UID", "%s", r->workload.pod_uid);
        if (r->workload.qos)
                ADD("OOM_POD_QOS", "%s", r->workload.qos);
        if (spool_file)
                ADD("OOM_SPOOL_FILE", "%s", spool_file);
        if (num_set(r->seq))
                ADD("OOM_KERNEL_SEQNUM", "%" PRId64, r->seq);
        ADD("OOM_COMPLETE", "%d", r->complete ? 1 : 0);
        if (r->spans_gap)
                ADD("OOM_SPANS_GAP", "%d", 1);
        *ret = e;
        return 0;
fail:
        journal_entry_done(&e);
        return k;
}

int journal_entry_from_raw(const struct raw_report *raw, const char *report_id, int analysis_error,
                           struct journal_entry *ret) {
        struct journal_entry e = {};
        const char *first = raw->n_lines > 0 && raw->lines[0].text ? raw->lines[0].text : "";
        int k;

        ADD("MESSAGE", "oom report (kernel seq %" PRId64 ", %zu lines) could not be analysed: %s; it begins: %.200s",
            num_set(raw->first_seq) ? raw->first_seq : -1, raw->n_lines, strerror(analysis_error > 0 ? analysis_error : -analysis_error), first);
        ADD("MESSAGE_ID", "%s", OOMLENS_MESSAGE_ID_REPORT);
        ADD("PRIORITY", "%d", LOG_ERR);
        ADD("SYSLOG_IDENTIFIER", "%s", "oomlensd");
        ADD("OOM_REPORT_ID", "%s", report_id);
        ADD("OOM_KIND", "%s", "unknown");
        ADD("OOM_CAUSE", "%s", "unknown");
        ADD("OOM_ANALYSIS_ERROR", "%s", strerror(analysis_error > 0 ? analysis_error : -analysis_error));
        if (num_set(raw->first_seq))
                ADD("OOM_KERNEL_SEQNUM", "%" PRId64, raw->first_seq);
        ADD("OOM_COMPLETE", "%d", raw->complete ? 1 : 0);
        if (raw->spans_gap)
                ADD("OOM_SPANS_GAP", "%d", 1);
        ADD("OOM_RAW_LINES", "%zu", raw->n_lines);
        *ret = e;
        return 0;
fail:
        journal_entry_done(&e);
        return k;
}

int journal_entry_gap(uint64_t first_lost, uint64_t last_lost, uint64_t n_lost, uint64_t n_gaps, const char *why,
                      struct journal_entry *ret) {
        struct journal_entry e = {};
        int k;

        if (n_gaps <= 1)
                ADD("MESSAGE", "kernel log records %" PRIu64 "..%" PRIu64 " (%" PRIu64 ") were lost before oomlensd read them (%s)",
                    first_lost, last_lost, n_lost, why);
        else
                ADD("MESSAGE", "%" PRIu64 " kernel log records in %" PRIu64 " gaps between %" PRIu64 " and %" PRIu64
                    " were lost before oomlensd read them (%s)",
                    n_lost, n_gaps, first_lost, last_lost, why);
        ADD("MESSAGE_ID", "%s", OOMLENS_MESSAGE_ID_GAP);
        ADD("PRIORITY", "%d", LOG_WARNING);
        ADD("SYSLOG_IDENTIFIER", "%s", "oomlensd");
        ADD("OOM_GAP_FIRST_SEQNUM", "%" PRIu64, first_lost);
        ADD("OOM_GAP_LAST_SEQNUM", "%" PRIu64, last_lost);
        ADD("OOM_GAP_RECORDS", "%" PRIu64, n_lost);
        ADD("OOM_GAP_EVENTS", "%" PRIu64, n_gaps);
        ADD("OOM_GAP_REASON", "%s", why);
        *ret = e;
        return 0;
fail:
        journal_entry_done(&e);
        return k;
}

int journal_entry_suppressed(uint64_t n, uint64_t total_suppressed, uint64_t total_reports,
                             struct journal_entry *ret) {
        struct journal_entry e = {};
        int k;

        ADD("MESSAGE", "OOM storm: %" PRIu64 " reports got no journal entry and no spool file (rate limit); %" PRIu64 " reports seen in total",
            n, total_reports);
        ADD("MESSAGE_ID", "%s", OOMLENS_MESSAGE_ID_SUPPRESSED);
        ADD("PRIORITY", "%d", LOG_WARNING);
        ADD("SYSLOG_IDENTIFIER", "%s", "oomlensd");
        ADD("OOM_SUPPRESSED", "%" PRIu64, n);
        ADD("OOM_SUPPRESSED_TOTAL", "%" PRIu64, total_suppressed);
        ADD("OOM_REPORTS_TOTAL", "%" PRIu64, total_reports);
        *ret = e;
        return 0;
fail:
        journal_entry_done(&e);
        return k;
}

int journal_entry_send(const struct journal_entry *e) {
        if (e->n == 0)
                return -EINVAL;
        return sd_journal_sendv(e->iov, (int)e->n);
}
