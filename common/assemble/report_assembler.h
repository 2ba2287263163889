/* SPDX-License-Identifier: MIT */
/* Pure state machine: normalised lines in, one raw_report per OOM kill / allocation failure
 * out. No I/O, no clock: time comes from the lines (and from report_assembler_tick()). */
#pragma once

#include <stdint.h>

#include "report.h"

/* The callee borrows the report; it is freed after the callback returns. A negative return
 * aborts and is passed back. */
typedef int (*raw_report_cb)(const struct raw_report *report, void *userdata);

struct report_assembler_config {
        int64_t reaper_wait_usec;  /* after the kill line, wait this long for "oom_reaper:" (tick();
                                      offline, a line at most max(this, 2 s) later still joins) */
        int64_t quiet_timeout_usec; /* a report with no new line for this long is emitted incomplete */
        size_t max_lines;          /* per report; more are dropped (report marked incomplete) */
        bool kernel_only;          /* ignore lines whose facility is known and not 0 (kern) */
        bool no_prefilter;         /* debugging aid (OOMLENS_NO_PREFILTER=1): run the full classifier
                                      on every line, even with no report in progress */
};
void report_assembler_config_default(struct report_assembler_config *ret);

struct report_assembler;
int report_assembler_new(const struct report_assembler_config *cfg, struct report_assembler **ret);
void report_assembler_free(struct report_assembler *a);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct report_assembler *, report_assembler_free);

/* Reports are emitted from inside feed() as soon as the lines show they are over: the next
 * report starts, the lines' own timestamps jump (> 5 s), the oom_reaper line arrives, or (for
 * saved logs) a line more than max(reaper_wait_usec, 2 s) after the kill line arrives. Lines
 * with facility > 0 (kernel_only) and lines marked prose are never part of a report. */
int report_assembler_feed(struct report_assembler *a, const struct log_line *line, raw_report_cb cb, void *userdata);
/* Fast path (common/input/prefilter.h). report_assembler_can_skip(): no report is being printed,
 * or every report in progress has seen its end and is only waiting (kills, not allocation
 * failures). Then a line for which report_line_may_open() is false may be given to
 * report_assembler_feed_skipped() with its metadata only (text NULL): the result is exactly
 * that of report_assembler_feed(). -EBUSY if !report_assembler_can_skip(). */
bool report_assembler_can_skip(const struct report_assembler *a);
int report_assembler_feed_skipped(struct report_assembler *a, const struct log_line *meta, raw_report_cb cb,
                                  void *userdata);
/* Bulk form for log_reader_skip_bulk(). report_assembler_quiet_window(): false unless
 * report_assembler_can_skip(); else the timestamps [*ret_lo, *ret_hi] and the number of lines
 * *ret_max_lines for which feeding lines with a timestamp in that range, no seq, no caller, no
 * wall time, facility -1, not prose, none of which may open a report, only counts them (no
 * report is emitted: nothing is swept, the report waiting for oom_reaper keeps waiting).
 * report_assembler_feed_skipped_n(): n such lines, exactly n report_assembler_feed_skipped()
 * calls. -EBUSY if !report_assembler_can_skip(). */
bool report_assembler_quiet_window(const struct report_assembler *a, int64_t *ret_lo, int64_t *ret_hi,
                                   size_t *ret_max_lines);
int report_assembler_feed_skipped_n(struct report_assembler *a, size_t n);
/* For a reader that skips kmsg records in a run: report_assembler_seq_follows() is true if
 * feeding l finds no hole in the seq numbers (l has none, none was seen yet, or l's comes
 * next); report_assembler_seq_seen() records that every record up to seq was seen, so that the
 * last line of such a run, fed alone, finds no hole the skipping made. */
bool report_assembler_seq_follows(const struct report_assembler *a, const struct log_line *l);
void report_assembler_seq_seen(struct report_assembler *a, int64_t seq);
/* Records were lost (kmsg EPIPE): the report being printed (its end not seen yet) is marked
 * spans_gap. A hole in the lines' own seq numbers does more: feed() emits the reports in
 * progress at it (unless printk caller ids carry one across) and marks a report that opens
 * headless right after it. */
void report_assembler_note_gap(struct report_assembler *a, uint64_t lost_records);
/* Daemon clock (usec, the base of the kmsg timestamps): emit the reports that are over. A
 * report whose end was seen is over as soon as nothing more of it can be printed: at once when
 * the report shows that no line can follow its end (5.0+ cgroup v1 memcg kill, "already
 * exiting", panic), else a few milliseconds after the end line for what the same task may
 * still print; plus reaper_wait_usec for kills if set (the oom_reaper line is asynchronous
 * and may never come). A report without its end is over after quiet_timeout_usec. */
int report_assembler_tick(struct report_assembler *a, int64_t now_usec, raw_report_cb cb, void *userdata);
/* When report_assembler_tick() will next emit something (daemon clock); NUM_UNSET if nothing
 * is in progress. May be in the past (tick now). */
int64_t report_assembler_next_deadline(const struct report_assembler *a);
/* End of input: emit what is pending (incomplete ones marked so). */
int report_assembler_flush(struct report_assembler *a, raw_report_cb cb, void *userdata);
bool report_assembler_busy(const struct report_assembler *a); /* a report is in progress */

struct report_assembler_stats {
        size_t lines_seen, lines_ignored_facility, reports_emitted, reports_incomplete;
        size_t lines_foreign;     /* not kernel report text: prose, other subsystems, ratelimit notes */
        size_t lines_dropped;     /* beyond max_lines (the report is marked incomplete) */
        size_t lines_late_reaper; /* oom_reaper lines for a report already emitted */
        size_t reports_discarded; /* SysRq-m Mem-Info dumps: look like reports, are not */
};
void report_assembler_get_stats(const struct report_assembler *a, struct report_assembler_stats *ret);
