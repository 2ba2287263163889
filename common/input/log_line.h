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

#include "line_scan.h"
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
 * being printed, common/input/prefilter.h). log_reader_skip() takes, from buf (which must start
 * at a physical line boundary), a run of whole "simple" lines: a prefix the reader recognises,
 * a text that is a byte-exact substring of the input (nothing to unescape, strip or join), not
 * a kmsg '+' fragment; kmsg dictionary lines after a record go along with it. Each line is
 * offered to offer() (text, len and metadata set, raw NULL) once the next line shows it
 * complete, in order, after everything before it was delivered: the reader's held-back
 * pending line goes to cb when the first simple line is seen, as feeding would do. offer()
 * returns 1 if it has accounted for the line (the reader drops it), 0 to have it fed normally
 * (the run ends before it), or a negative errno (passed back). A line holding one of the keys
 * (or a key byte) is never offered: the run ends before it. The last simple line of a run, which the next
 * line could still continue, is never taken either. The reader's state afterwards is exactly
 * what feeding the lines taken would have left (line joining, wrap detection, host, counters),
 * except that the held-back line may have gone to cb already (the next line sends it anyway).
 * *ret_consumed gets the bytes taken (0: feed buf normally). */
struct log_skip {
        struct line_scan scan;
        int (*offer)(const struct log_line *line, void *userdata);
        void *userdata;
};
/* keys: up to LINE_SCAN_MAX_KEYS keys of 4 bytes, bytes: up to LINE_SCAN_MAX_BYTES key bytes
 * (no '\n', no NUL). */
int log_skip_init(struct log_skip *s, const char (*keys)[4], size_t n_keys, const char *bytes, size_t n_bytes,
                  int (*offer)(const struct log_line *line, void *userdata), void *userdata);
int log_reader_skip(struct log_reader *r, const char *buf, size_t len, const struct log_skip *skip,
                    log_line_cb cb, void *userdata, size_t *ret_consumed);

struct log_reader_stats {
        size_t input_lines, output_lines, joined_lines, truncated_lines, prose_lines;
        size_t skipped_lines; /* of input_lines/output_lines: accounted for by log_reader_skip() */
};
void log_reader_get_stats(const struct log_reader *r, struct log_reader_stats *ret);
