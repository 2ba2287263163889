/* SPDX-License-Identifier: MIT */
#include "prefilter.h"

#include <errno.h>
#include <string.h>

#include "macro.h"
#include "report_line.h"

/* After a failed attempt (the line at hand is not one the reader can skip: syslog or journal
 * input, a report body), feed this many lines normally before trying again, doubling up to
 * the maximum while attempts keep failing: an attempt costs a second prefix parse. */
#define BACKOFF_MIN 1
#define BACKOFF_MAX 256

void prefilter_init(struct prefilter *pf, struct log_reader *reader, struct report_assembler *assembler,
                    log_line_cb on_line, void *userdata, raw_report_cb on_report, void *report_userdata) {
        *pf = (struct prefilter) {
                .reader = reader,
                .assembler = assembler,
                .on_line = on_line,
                .userdata = userdata,
                .on_report = on_report,
                .report_userdata = report_userdata,
                .backoff = BACKOFF_MIN,
        };
}

/* A line is wanted (fed in full) while a report is being printed (every line may belong to
 * it) and when it could open one. */
static bool wanted(const char *text, size_t len, void *userdata) {
        struct prefilter *pf = userdata;

        return !report_assembler_can_skip(pf->assembler) || report_line_may_open(text, len);
}

static int skipped(const struct log_line *meta, void *userdata) {
        struct prefilter *pf = userdata;

        return report_assembler_feed_skipped(pf->assembler, meta, pf->on_report, pf->report_userdata);
}

/* The bulk path (log_reader_skip_bulk()): while report_assembler_can_skip() a line is wanted
 * exactly when report_line_may_open() says so, which is "holds an anywhere key" (found by the
 * reader's buffer scan) or the head test; the assembler names the timestamps for which such
 * lines only count (report_assembler_quiet_window()). */
static bool bulk_window(void *userdata, int64_t *ret_lo, int64_t *ret_hi, size_t *ret_max_lines) {
        struct prefilter *pf = userdata;

        return report_assembler_quiet_window(pf->assembler, ret_lo, ret_hi, ret_max_lines);
}

static bool head_wanted(const char *text, size_t len, void *userdata) {
        (void) userdata;
        return report_line_may_open_head(text, len);
}

static int skipped_n(size_t n, void *userdata) {
        struct prefilter *pf = userdata;

        return report_assembler_feed_skipped_n(pf->assembler, n);
}

static const struct log_skip_bulk bulk = {
        .keys = report_line_anywhere_keys,
        .n_keys = REPORT_LINE_N_ANYWHERE_KEYS,
        .window = bulk_window,
        .head_wanted = head_wanted,
        .skipped_n = skipped_n,
};

int prefilter_feed(struct prefilter *pf, const char *buf, size_t len) {
        int k;

        if (!pf || (!buf && len > 0))
                return -EINVAL;
        while (len > 0) {
                const char *nl;
                size_t n;

                if (pf->countdown == 0 && report_assembler_can_skip(pf->assembler)) {
                        size_t n_skipped;

                        k = log_reader_skip_bulk(pf->reader, buf, len, wanted, skipped, &bulk, pf, pf->on_line,
                                                 pf->userdata, &n_skipped);
                        if (k < 0)
                                return k;
                        if (n_skipped > 0) {
                                pf->backoff = BACKOFF_MIN;
                                pf->bytes_skipped += n_skipped;
                                buf += n_skipped;
                                len -= n_skipped;
                                if (len == 0)
                                        break;
                        } else {
                                pf->countdown = pf->backoff;
                                pf->backoff = MIN(pf->backoff * 2, (size_t) BACKOFF_MAX);
                        }
                } else if (pf->countdown > 0)
                        pf->countdown--;

                /* the line the fast path stopped at (or all of it, without a newline) */
                nl = memchr(buf, '\n', len);
                n = nl ? (size_t) (nl - buf) + 1 : len;
                k = log_reader_feed(pf->reader, buf, n, pf->on_line, pf->userdata);
                if (k < 0)
                        return k;
                buf += n;
                len -= n;
        }
        return 0;
}
