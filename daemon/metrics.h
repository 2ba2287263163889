/* SPDX-License-Identifier: MIT */
/* oomlensd's Prometheus metrics: a text-format file (exposition format 0.0.4) for
 * node_exporter's textfile collector, "<[Metrics] TextfileDirectory=>/oomlens.prom", replaced
 * atomically (a temporary in the same directory, then rename) when a value changed.
 *
 * When: an sd-event "post" source looks at the values after the loop dispatched something
 * (a kmsg batch, a timer), so an idle daemon is never woken for metrics; writes are at most one
 * per METRICS_MIN_INTERVAL_USEC, a later change arms a one-shot timer for the rest. The
 * first write happens at start-up (zeros replace a previous run's file), the last at exit.
 *
 * Counters start at 0 with each start of oomlensd (Prometheus counters may reset; rate() and
 * increase() handle it, and oomlens_start_time_seconds says when it happened). Kills the kernel
 * logged while oomlensd was down are read from the ring buffer at the next start and counted
 * then; reports already in the spool are not counted again. Names and HELP texts:
 * docs/metrics.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "manager.h"
#include "report.h"

#define METRICS_FILE "oomlens.prom"
#define METRICS_FILE_MODE 0644 /* node_exporter runs as another user */
#define METRICS_MIN_INTERVAL_USEC (2ULL * 1000 * 1000)
#define METRICS_N_KINDS ((size_t)REPORT_KIND_ALLOC_FAILURE + 1)

/* What the manager's counters do not hold: per report, its kind and primary cause. */
struct metrics_state {
        uint64_t kills[METRICS_N_KINDS][_CAUSE_MAX]; /* the kernel killed a process */
        uint64_t alloc_failures[_CAUSE_MAX];         /* warn_alloc reports, no kill */
        int64_t last_kill_usec;                      /* CLOCK_REALTIME; NUM_UNSET: none yet */
        int64_t start_usec;                          /* CLOCK_REALTIME of the daemon's start */
};

void metrics_state_init(struct metrics_state *s, int64_t start_usec);
/* Count one analysed report. wall_usec: when the kernel printed it (CLOCK_REALTIME µs). */
void metrics_state_note_report(struct metrics_state *s, const struct oom_report *r, int64_t wall_usec);

/* Label values in the text format escape '\\', '"' and newline. Returns the length written
 * (without NUL), -ENOBUFS if buf is too small. */
int metrics_escape_label_value(const char *v, char *buf, size_t size);

/* The whole file. Pure: no clock, no I/O. ret: malloc'd, NUL-terminated. */
int metrics_render(const struct metrics_state *s, const struct manager_counters *c, char **ret, size_t *ret_len);

/* ---------------------------------------------------------------------------------------
 * The writer: hooks into the manager's event loop. All calls accept NULL. */
struct metrics_writer;

/* dir "" = no file (the values are still kept, so enabling it on reload shows the totals). */
int metrics_writer_new(sd_event *e, const struct manager *m, const char *dir, manager_log_fn log, void *log_userdata,
                       struct metrics_writer **ret);
void metrics_writer_free(struct metrics_writer *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct metrics_writer *, metrics_writer_free);
/* On SIGHUP: a new directory gets the file at the next chance. */
int metrics_writer_set_directory(struct metrics_writer *w, const char *dir);
/* An analysed report (the manager counts reports, gaps, errors itself). */
void metrics_note_report(struct metrics_writer *w, const struct oom_report *r);
/* Write now if anything changed since the last write (at exit). */
int metrics_writer_flush(struct metrics_writer *w);
