/* SPDX-License-Identifier: MIT */
/* Input normaliser: turns the bytes of any saved kernel log (raw /dev/kmsg, dmesg in its
 * variants, syslog, journalctl short/iso/monotonic/json, rsyslog #012 escapes, text pasted into
 * a bug report) into struct log_line records, one per logical kernel line. The format is
 * detected per line. Stateful only because of joining: kmsg continuation fragments, embedded
 * "\x0a"/"#012" newlines (one input line -> several log lines) and hard-wrapped pasted lines
 * (a prefix-less line continuing the previous one) need one line of look-ahead. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

enum log_format {
        LOG_FORMAT_AUTO,
        LOG_FORMAT_KMSG,     /* raw /dev/kmsg records */
        LOG_FORMAT_DMESG,    /* [ts] text, <N>[ts] text, dmesg -T */
        LOG_FORMAT_SYSLOG,   /* "Nov 25 19:08:54 host kernel: ...", RFC 3339/5424 */
        LOG_FORMAT_JOURNAL_JSON,
        LOG_FORMAT_PLAIN,    /* bare text */
};
int log_format_from_string(const char *s, enum log_format *ret);

/* Called for each completed line; the callee borrows it (copy with log_line_copy to keep it).
 * A negative return aborts the feed and is passed back.
 *
 * Lines are handed on one physical line late (a following '+' kmsg fragment or hard-wrapped
 * text may still continue them): call log_reader_flush() at end of input and, in the daemon,
 * when the log has been quiet for a moment.
 *
 * Consumers: a line with prose=true is an author's commentary found between prefixed log lines
 * (facility -1); it is never kernel output. Non-kernel syslog/journal lines have facility > 0.
 * no_prefix=true marks bare text (and lines of a multi-line record printed without a prefix,
 * which inherit the record's ts/seq/level). */
typedef int (*log_line_cb)(const struct log_line *line, void *userdata);

struct log_reader;
int log_reader_new(enum log_format format, struct log_reader **ret);
void log_reader_free(struct log_reader *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct log_reader *, log_reader_free);

/* Feed arbitrary chunks of input bytes (split anywhere). Lines are bounded internally: a line
 * longer than the limit is cut (and counted), never a reason to fail. */
int log_reader_feed(struct log_reader *r, const char *buf, size_t len, log_line_cb cb, void *userdata);
/* End of input (or a quiet period in the daemon): emit whatever is held back. */
int log_reader_flush(struct log_reader *r, log_line_cb cb, void *userdata);
/* Feed one already-parsed /dev/kmsg record (daemon path). Non-kernel facilities are passed on
 * with their facility set; the assembler ignores them. */
struct kmsg_record;
int log_reader_feed_kmsg(struct log_reader *r, const struct kmsg_record *rec, log_line_cb cb, void *userdata);

/* Fast path for a consumer that cares about few lines (oomlens analyze while no report is
 * being printed). From buf, which must start at a physical line boundary, consume a run of
 * whole lines that the reader can account for without decoding them (a "simple" line: dmesg
 * "[ts] text" or a /dev/kmsg record that is not a '+' fragment, with nothing to unescape,
 * strip or join) and for which wanted(text) says false. The reader's state afterwards is
 * exactly what feeding those lines would have left (line joining, wrap detection, counters).
 * Instead of cb, each consumed line goes to skipped() (if not NULL) with its metadata only
 * (text NULL, len 0), in order. A line that the line after the run could still continue is
 * not consumed. The pending line is emitted through cb first (the first simple line would have
 * emitted it too). wanted() is asked after everything before its line was delivered, so it may
 * look at consumer state. *ret_consumed gets the bytes consumed (0: feed buf normally). */
typedef bool (*log_text_filter)(const char *text, size_t len, void *userdata);
int log_reader_skip(struct log_reader *r, const char *buf, size_t len, log_text_filter wanted, log_line_cb skipped,
                    void *filter_userdata, log_line_cb cb, void *userdata, size_t *ret_consumed);

/* Buffer-level variant (oomlens analyze, common/input/prefilter.c). Between lines that go through
 * the per-line path above, whole runs of plain dmesg lines ("[ sec.frac] text": no caller id,
 * no '<N>' level, nothing to decode) are found in one vector pass over buf that looks for
 * newlines, the bytes that need decoding and the consumer's 4-byte keys together. For each
 * line of such a run only head_wanted(text) is asked, and the lines whose timestamps lie in
 * the consumer's window [lo, hi] (at most max_lines of them) are delivered with one
 * skipped_n(n) call instead of n skipped() calls. The consumer promises: while window() says
 * true, wanted(text) == (text holds a key || head_wanted(text)), and feeding up to max_lines
 * lines with timestamps in [lo, hi] and otherwise the metadata below through skipped() would
 * change nothing that window() depends on. That metadata, all alike but for ts_usec: seq and
 * wall_sec unset, level and facility -1, no caller, not prose, not no_prefix. Everything else
 * (reader state, counters, order of delivery) is as with log_reader_skip(). */
struct log_skip_bulk {
        const char (*keys)[4]; /* 1..3 keys */
        size_t n_keys;
        bool (*window)(void *userdata, int64_t *ret_lo, int64_t *ret_hi, size_t *ret_max_lines);
        log_text_filter head_wanted;
        int (*skipped_n)(size_t n_lines, void *userdata);
};
int log_reader_skip_bulk(struct log_reader *r, const char *buf, size_t len, log_text_filter wanted,
                         log_line_cb skipped, const struct log_skip_bulk *bulk, void *filter_userdata,
                         log_line_cb cb, void *userdata, size_t *ret_consumed);

struct log_reader_stats {
        size_t input_lines, output_lines, joined_lines, truncated_lines, prose_lines;
        size_t skipped_lines; /* of input_lines/output_lines: accounted for by log_reader_skip() */
        size_t bulk_lines;    /* of skipped_lines: delivered in bulk by log_reader_skip_bulk() */
};
void log_reader_get_stats(const struct log_reader *r, struct log_reader_stats *ret);
