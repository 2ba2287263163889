/* SPDX-License-Identifier: MIT */
/* Offline fast path for `oomlens analyze`: while no report is being printed, whole runs of
 * ordinary kernel chatter are accounted for by the reader (log_reader_skip()) instead of being
 * decoded, copied and classified line by line; the assembler only counts them (and sees the
 * metadata of lines that time or sequence numbers make matter). Which lines may be skipped is
 * decided by report_line_may_open(): its key phrases are found by the reader's buffer scan,
 * its head test is asked per line. The run ends before any line that could still be continued
 * (kmsg '+' fragments, hard-wrapped text) or needs decoding, so the lines the assembler sees
 * around and inside every report, and therefore every report, are exactly those of the slow
 * path, in every input format the reader recognises. OOMLENS_NO_PREFILTER=1 turns it off (a
 * debugging aid; the differential test tests/golden/prefilter_equivalence.sh compares the
 * two). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "log_line.h"
#include "report_assembler.h"
#include "report_line.h"

/* What the assembler is doing, as far as skipping goes; recomputed after it was fed. */
enum prefilter_mode {
        PREFILTER_MODE_UNKNOWN,
        PREFILTER_MODE_IDLE,    /* no report in progress: skipped lines only count */
        PREFILTER_MODE_WAITING, /* reports only wait for trailing lines: each skipped line is fed
                                   as metadata (time and seq may end the wait) */
        PREFILTER_MODE_BUSY,    /* a report is being printed: every line is fed */
};

struct prefilter {
        struct log_reader *reader;          /* borrowed */
        struct report_assembler *assembler; /* borrowed */
        log_line_cb on_line;                /* feeds the assembler */
        void *userdata;
        raw_report_cb on_report;            /* what on_line passes to report_assembler_feed() */
        void *report_userdata;
        struct log_skip skip;
        enum prefilter_mode mode;
        /* PREFILTER_MODE_WAITING: plain lines (time only) in [quiet_lo, quiet_hi], up to
         * quiet_max of them, only count (report_assembler_quiet_window(), asked once per mode) */
        bool quiet_known;
        int64_t quiet_lo, quiet_hi;
        size_t quiet_max;
        /* lines skipped, not yet told to the assembler: n_batched of them; while idle, rep
         * carries the metadata (the last with a kmsg seq, else the last) */
        size_t n_batched;
        bool have_rep;
        struct log_line rep;
        int64_t seq_first, seq_next; /* kmsg seq of the batch's first record, and the one due next */
        size_t backoff, countdown; /* input the fast path cannot handle: try less often */
        size_t bytes_skipped;
        struct report_line_starts starts; /* report_line_may_open_head()'s first step */
};

int prefilter_init(struct prefilter *pf, struct log_reader *reader, struct report_assembler *assembler,
                   log_line_cb on_line, void *userdata, raw_report_cb on_report, void *report_userdata);
/* Same contract as log_reader_feed(reader, buf, len, on_line, userdata). */
int prefilter_feed(struct prefilter *pf, const char *buf, size_t len);
