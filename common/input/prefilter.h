/* SPDX-License-Identifier: MIT */
/* Offline fast path for `oomlens analyze`: while no report is being printed, whole runs of
 * ordinary kernel chatter are accounted for by the reader (log_reader_skip) instead of being
 * decoded, copied and classified line by line (the assembler gets their metadata only, so
 * time and kmsg sequence numbers still count). Which lines may be skipped is decided by
 * report_line_may_open() on their text; the run is cut before any line that could still be
 * continued (kmsg '+' fragments, hard-wrapped text, kmsg dictionary lines), so the lines the
 * assembler sees around and inside every report, and therefore every report, are exactly
 * those of the slow path. Runs of plain "[ts] text" lines are found a buffer at a time
 * (log_reader_skip_bulk(): one vector pass for newlines, bytes that need decoding and
 * report_line_may_open()'s key phrases) and handed to the assembler as a count while their
 * timestamps stay in its quiet window (report_assembler_quiet_window()). OOMLENS_NO_PREFILTER=1 turns it off (a debugging aid; the
 * differential test tests/golden/prefilter_equivalence.sh compares the two). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "log_line.h"
#include "report_assembler.h"

struct prefilter {
        struct log_reader *reader;       /* borrowed */
        struct report_assembler *assembler; /* borrowed */
        log_line_cb on_line;             /* feeds the assembler */
        void *userdata;
        raw_report_cb on_report;         /* what on_line passes to report_assembler_feed() */
        void *report_userdata;
        size_t backoff, countdown;       /* input the fast path cannot handle: try less often */
        size_t bytes_skipped;
};

void prefilter_init(struct prefilter *pf, struct log_reader *reader, struct report_assembler *assembler,
                    log_line_cb on_line, void *userdata, raw_report_cb on_report, void *report_userdata);
/* Same contract as log_reader_feed(reader, buf, len, on_line, userdata). */
int prefilter_feed(struct prefilter *pf, const char *buf, size_t len);
