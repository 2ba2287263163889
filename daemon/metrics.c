/* SPDX-License-Identifier: MIT */
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "causes.h"
#include "file_write.h"
#include "macro.h"

void metrics_state_init(struct metrics_state *s, int64_t start_usec) {
        *s = (struct metrics_state){ .last_kill_usec = NUM_UNSET, .start_usec = start_usec };
}

void metrics_state_note_report(struct metrics_state *s, const struct oom_report *r, int64_t wall_usec) {
        const struct oom_cause *c = report_primary_cause(r);
        size_t cause = c && (size_t)c->code < _CAUSE_MAX ? (size_t)c->code : (size_t)CAUSE_UNKNOWN;

        if (r->has_victim) {
                if ((size_t)r->kind < METRICS_N_KINDS)
                        s->kills[r->kind][cause]++;
                if (!num_set(s->last_kill_usec) || wall_usec > s->last_kill_usec)
                        s->last_kill_usec = wall_usec;
        } else if (r->kind == REPORT_KIND_ALLOC_FAILURE)
                s->alloc_failures[cause]++;
}

int metrics_escape_label_value(const char *v, char *buf, size_t size) {
        size_t o = 0;

        for (; v && *v; v++) {
                const char *rep = *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : *v == '\n' ? "\\n" : NULL;
                size_t l = rep ? 2 : 1;
                if (o + l >= size)
                        return -ENOBUFS;
                if (rep)
                        memcpy(buf + o, rep, 2);
                else
                        buf[o] = *v;
                o += l;
        }
        if (size == 0)
                return -ENOBUFS;
        buf[o] = '\0';
        return (int)o;
}

/* The manager's counters that are exported, one row each. */
static const struct {
        const char *name, *type, *help;
        size_t offset;
} counter_rows[] = {
#define C(f) offsetof(struct manager_counters, f)
        { "oomlens_reports_total", "counter",
          "OOM reports and page allocation failures read from the kernel log, each once (rate-limited ones included).",
          C(reports) },
        { "oomlens_reports_incomplete_total", "counter",
          "Reports whose end was missing from the kernel log (cut, timed out or lost in a gap).", C(reports_incomplete) },
        { "oomlens_reports_unanalysable_total", "counter",
          "Reports the analysis failed on (they still got a journal entry).", C(reports_unanalysable) },
        { "oomlens_reports_suppressed_total", "counter",
          "Reports given neither a journal entry nor a file by the [RateLimit] storm limit.", C(reports_suppressed) },
        { "oomlens_kmsg_gaps_total", "counter",
          "Holes in the kernel log sequence: records overwritten before oomlensd read them.", C(gaps) },
        { "oomlens_kmsg_records_lost_total", "counter", "Kernel log records lost in those holes.", C(records_lost) },
        { "oomlens_kmsg_userspace_records_total", "counter",
          "Records written to /dev/kmsg by userspace (not facility kern): never taken for kernel reports.",
          C(records_ignored_facility) },
        { "oomlens_spool_errors_total", "counter",
          "Failed attempts to write a report file into the spool (disk full, read-only); retried.", C(file_errors) },
        { "oomlens_spool_files_written_total", "counter", "Report files written into the spool.", C(files_written) },
        { "oomlens_spool_files_dropped_total", "counter",
          "Reports whose file was given up after [Spool] MaxPending= more waited for disk space.", C(files_dropped) },
        { "oomlens_spool_pending_files", "gauge", "Report files waiting for the spool to become writable.",
          C(files_pending) },
        { "oomlens_journal_errors_total", "counter", "Journal entries that could not be sent.", C(journal_errors) },
#undef C
};

static const char *const kill_help =
        "Processes the kernel's OOM killer killed, by report kind and primary cause (oomlens cause codes).";
static const char *const alloc_help = "Page allocation failures the kernel reported (no process killed), by primary cause.";

static int render_to(FILE *f, const struct metrics_state *s, const struct manager_counters *c) {
        char kind[64], cause[64];

        fprintf(f, "# HELP oomlens_kills_total %s\n# TYPE oomlens_kills_total counter\n", kill_help);
        /* Every kind x cause, zeros included: a series that appears at 1 is invisible to
         * increase(); the label values are closed enums, so the set is bounded (5 x 13). */
        for (size_t k = 0; k < METRICS_N_KINDS; k++) {
                if (k == REPORT_KIND_ALLOC_FAILURE)
                        continue;
                if (metrics_escape_label_value(report_kind_to_string((enum report_kind)k), kind, sizeof kind) < 0)
                        return -ENOBUFS;
                for (size_t i = 0; i < _CAUSE_MAX; i++) {
                        if (metrics_escape_label_value(cause_code_to_string((enum cause_code)i), cause, sizeof cause) < 0)
                                return -ENOBUFS;
                        fprintf(f, "oomlens_kills_total{kind=\"%s\",cause=\"%s\"} %" PRIu64 "\n", kind, cause,
                                s->kills[k][i]);
                }
        }
        fprintf(f, "# HELP oomlens_allocation_failures_total %s\n# TYPE oomlens_allocation_failures_total counter\n",
                alloc_help);
        for (size_t i = 0; i < _CAUSE_MAX; i++) {
                if (metrics_escape_label_value(cause_code_to_string((enum cause_code)i), cause, sizeof cause) < 0)
                        return -ENOBUFS;
                fprintf(f, "oomlens_allocation_failures_total{cause=\"%s\"} %" PRIu64 "\n", cause, s->alloc_failures[i]);
        }
        for (size_t i = 0; i < ELEMENTSOF(counter_rows); i++) {
                uint64_t v;
                memcpy(&v, (const char *)c + counter_rows[i].offset, sizeof v);
                fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n", counter_rows[i].name, counter_rows[i].help,
                        counter_rows[i].name, counter_rows[i].type, counter_rows[i].name, v);
        }
        /* Timestamps in seconds as floats (base unit), like process_start_time_seconds. */
        if (num_set(s->last_kill_usec) && s->last_kill_usec >= 0)
                fprintf(f,
                        "# HELP oomlens_last_kill_timestamp_seconds When the kernel printed the newest OOM kill seen since oomlensd started (Unix time).\n"
                        "# TYPE oomlens_last_kill_timestamp_seconds gauge\n"
                        "oomlens_last_kill_timestamp_seconds %" PRId64 ".%06" PRId64 "\n",
                        s->last_kill_usec / 1000000, s->last_kill_usec % 1000000);
        if (s->start_usec >= 0)
                fprintf(f,
                        "# HELP oomlens_start_time_seconds When oomlensd started, so counters start from 0 (Unix time).\n"
                        "# TYPE oomlens_start_time_seconds gauge\n"
                        "oomlens_start_time_seconds %" PRId64 ".%06" PRId64 "\n",
                        s->start_usec / 1000000, s->start_usec % 1000000);
        return 0;
}

int metrics_render(const struct metrics_state *s, const struct manager_counters *c, char **ret, size_t *ret_len) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        int k;

        if (!s || !c || !ret || !ret_len)
                return -EINVAL;
        f = open_memstream(&buf, &len);
        if (!f)
                return -ENOMEM;
        k = render_to(f, s, c);
        if (fclose(f) != 0 && k == 0)
                k = -ENOMEM;
        if (k < 0) {
                free(buf);
                return k;
        }
        *ret = buf;
        *ret_len = len;
        return 0;
}

/* ---------------------------------------------------------------------------------------
 * The writer */

struct exported { /* what the file shows: a change here means a write */
        uint64_t counters[ELEMENTSOF(counter_rows)];
        struct metrics_state state;
};

struct metrics_writer {
        sd_event *event;
        sd_event_source *post, *timer;
        const struct manager *manager;
        char dir[DAEMON_CONFIG_PATH_MAX];
        manager_log_fn log;
        void *log_userdata;
        struct metrics_state state;
        struct exported written;
        bool have_written;
        uint64_t last_write_usec; /* CLOCK_MONOTONIC */
        int last_error;           /* logged once until it changes or clears */
};

static _printf_(3, 4) void wlog(struct metrics_writer *w, int prio, const char *fmt, ...) {
        va_list ap;
        if (!w->log)
                return;
        va_start(ap, fmt);
        w->log(w->log_userdata, prio, fmt, ap);
        va_end(ap);
}

static uint64_t now_usec(clockid_t clock) {
        struct timespec ts;
        clock_gettime(clock, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static void snapshot(const struct metrics_writer *w, struct manager_counters *c, struct exported *e) {
        memset(e, 0, sizeof *e); /* padding too: the snapshots are compared with memcmp */
        manager_get_counters(w->manager, c);
        for (size_t i = 0; i < ELEMENTSOF(counter_rows); i++)
                memcpy(&e->counters[i], (const char *)c + counter_rows[i].offset, sizeof e->counters[i]);
        e->state = w->state;
}

static int write_now(struct metrics_writer *w) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int dfd = -1;
        struct manager_counters c;
        struct exported e;
        size_t len = 0;
        int k;

        snapshot(w, &c, &e);
        w->last_write_usec = now_usec(CLOCK_MONOTONIC);
        k = metrics_render(&w->state, &c, &text, &len);
        if (k >= 0) {
                dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                k = dfd < 0 ? -errno : write_file_atomic_at(dfd, METRICS_FILE, text, len, METRICS_FILE_MODE, 0);
        }
        if (k < 0) {
                /* The next change tries again; say so once, not per attempt. */
                if (k != w->last_error)
                        wlog(w, LOG_WARNING, "%s/%s: could not write the metrics: %s", w->dir, METRICS_FILE,
                             strerror(-k));
                w->last_error = k;
                return k;
        }
        if (w->last_error)
                wlog(w, LOG_INFO, "%s/%s: metrics written again", w->dir, METRICS_FILE);
        w->last_error = 0;
        w->written = e;
        w->have_written = true;
        return 0;
}

static bool changed(const struct metrics_writer *w) {
        struct manager_counters c;
        struct exported e;

        if (!w->have_written)
                return true;
        snapshot(w, &c, &e);
        return memcmp(&e, &w->written, sizeof e) != 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        struct metrics_writer *w = userdata;
        if (w->dir[0] && changed(w))
                (void)write_now(w);
        return 0;
}

/* After every dispatch of another source: write at once, or once the interval is over. */
static int on_post(sd_event_source *s, void *userdata) {
        struct metrics_writer *w = userdata;
        uint64_t now, due;
        int enabled = SD_EVENT_OFF;

        if (!w->dir[0] || !changed(w))
                return 0;
        now = now_usec(CLOCK_MONOTONIC);
        due = w->last_write_usec + METRICS_MIN_INTERVAL_USEC;
        if (!w->have_written || now >= due) {
                /* A failed write is not retried in a loop: the next change or the timer does it. */
                (void)write_now(w);
                return 0;
        }
        sd_event_source_get_enabled(w->timer, &enabled);
        if (enabled == SD_EVENT_OFF) {
                sd_event_source_set_time(w->timer, due);
                sd_event_source_set_enabled(w->timer, SD_EVENT_ONESHOT);
        }
        return 0;
}

void metrics_writer_free(struct metrics_writer *w) {
        if (!w)
                return;
        sd_event_source_disable_unref(w->post);
        sd_event_source_disable_unref(w->timer);
        sd_event_unref(w->event);
        free(w);
}

int metrics_writer_set_directory(struct metrics_writer *w, const char *dir) {
        if (!w)
                return 0;
        if (!dir)
                dir = "";
        if (strlen(dir) >= sizeof w->dir)
                return -ENAMETOOLONG;
        if (strcmp(dir, w->dir) != 0) {
                snprintf(w->dir, sizeof w->dir, "%s", dir);
                w->have_written = false;
                w->last_error = 0;
        }
        return 0;
}

int metrics_writer_new(sd_event *e, const struct manager *m, const char *dir, manager_log_fn log, void *log_userdata,
                       struct metrics_writer **ret) {
        _cleanup_(metrics_writer_freep) struct metrics_writer *w = NULL;
        int k;

        if (!e || !m || !ret)
                return -EINVAL;
        w = calloc(1, sizeof *w);
        if (!w)
                return -ENOMEM;
        w->event = sd_event_ref(e);
        w->manager = m;
        w->log = log;
        w->log_userdata = log_userdata;
        metrics_state_init(&w->state, (int64_t)now_usec(CLOCK_REALTIME));
        k = metrics_writer_set_directory(w, dir);
        if (k < 0)
                return k;
        k = sd_event_add_post(e, &w->post, on_post, w);
        if (k < 0)
                return k;
        /* Due at once: the file exists from the start, even if the daemon then sleeps (no
         * source runs while idle, so no post source either). Later only on_post() arms it. */
        k = sd_event_add_time(e, &w->timer, CLOCK_MONOTONIC, 0, 100ULL * 1000, on_timer, w);
        if (k < 0)
                return k;
        sd_event_source_set_enabled(w->timer, SD_EVENT_ONESHOT);
        *ret = TAKE_PTR(w);
        return 0;
}

void metrics_note_report(struct metrics_writer *w, const struct oom_report *r) {
        int64_t real, mono, wall;

        if (!w || !r)
                return;
        /* When the kernel printed it: its kmsg time is CLOCK_MONOTONIC (the boot-relative clock
         * the spool file names use too). A recorded stream's times may not fit this boot:
         * clamped to now. */
        real = (int64_t)now_usec(CLOCK_REALTIME);
        mono = (int64_t)now_usec(CLOCK_MONOTONIC);
        /* a stream's timestamp may be anything up to INT64_MAX: saturate (then clamped) */
        if (!num_set(r->ts_usec) || r->ts_usec < 0 || __builtin_add_overflow(real - mono, r->ts_usec, &wall))
                wall = real;
        metrics_state_note_report(&w->state, r, MAX(MIN(wall, real), (int64_t)0));
}

int metrics_writer_flush(struct metrics_writer *w) {
        if (!w || !w->dir[0] || !changed(w))
                return 0;
        return write_now(w);
}
