/* SPDX-License-Identifier: MIT */
#include "prefilter.h"

#include <errno.h>
#include <string.h>

#include "macro.h"
#include "report_line.h"

/* After a failed attempt (the line at hand is not one the reader can skip: pasted text, a
 * report body), feed this many lines normally before trying again, doubling up to the maximum
 * while attempts keep failing: an attempt costs a second prefix parse. */
#define BACKOFF_MIN 1
#define BACKOFF_MAX 256

static enum prefilter_mode mode(struct prefilter *pf) {
        if (pf->mode != PREFILTER_MODE_UNKNOWN)
                return pf->mode;
        if (!report_assembler_busy(pf->assembler))
                pf->mode = PREFILTER_MODE_IDLE;
        else if (!report_assembler_can_skip(pf->assembler))
                pf->mode = PREFILTER_MODE_BUSY;
        else
                pf->mode = PREFILTER_MODE_WAITING;
        pf->quiet_known = false;
        return pf->mode;
}

/* Tell the assembler about the lines skipped and counted. Exact: while idle, such a line (it
 * cannot open a report) would only be counted and, if it has a kmsg seq, become the
 * assembler's last seq; batch_idle() takes only records whose seq numbers run on without a hole
 * (a hole is noted even while idle: it marks a report that opens headless after it), so
 * everything before rep was seen and only rep's seq survives. While waiting, they were plain
 * lines inside the quiet window. */
static int batch_flush(struct prefilter *pf) {
        int k;

        if (pf->n_batched == 0)
                return 0;
        k = report_assembler_feed_skipped_n(pf->assembler, pf->n_batched - pf->have_rep);
        if (k >= 0 && pf->have_rep) {
                if (pf->n_batched > 1 && num_set(pf->rep.seq) && num_set(pf->seq_first) && pf->rep.seq > pf->seq_first)
                        report_assembler_seq_seen(pf->assembler, pf->rep.seq - 1);
                k = report_assembler_feed_skipped(pf->assembler, &pf->rep, pf->on_report, pf->report_userdata);
        }
        pf->n_batched = 0;
        pf->have_rep = false;
        pf->seq_first = pf->seq_next = NUM_UNSET;
        pf->mode = PREFILTER_MODE_UNKNOWN;
        return k;
}

/* While idle: any line of the kernel (or of unknown facility) only counts. */
static bool batch_idle(struct prefilter *pf, const struct log_line *l) {
        if (pf->mode != PREFILTER_MODE_IDLE || l->facility > 0 || l->prose)
                return false;
        if (num_set(l->seq)) {
                /* a hole before l: fed on its own, where the assembler sees it */
                bool follows = num_set(pf->seq_next) ? l->seq == pf->seq_next
                                                     : report_assembler_seq_follows(pf->assembler, l);
                if (!follows)
                        return false;
                if (!num_set(pf->seq_first))
                        pf->seq_first = l->seq;
                pf->seq_next = log_line_last_seq(l) + 1;
        }
        if (!pf->have_rep || num_set(l->seq)) {
                pf->rep = *l;
                pf->rep.text = NULL; /* metadata only: the text is the reader's */
                pf->rep.len = 0;
                pf->have_rep = true;
        }
        pf->n_batched++;
        return true;
}

/* While waiting for a report's trailing lines: a line that report_assembler_quiet_window()
 * describes (time only, inside the window) only counts. */
static bool batch_quiet(struct prefilter *pf, const struct log_line *l) {
        if (pf->mode != PREFILTER_MODE_WAITING || !num_set(l->ts_usec) || num_set(l->seq) || l->caller[0] ||
            num_set(l->wall_sec) || l->facility != -1 || l->prose)
                return false;
        if (!pf->quiet_known) {
                /* asked only for such lines: other formats' lines are fed one by one anyway */
                if (!report_assembler_quiet_window(pf->assembler, &pf->quiet_lo, &pf->quiet_hi, &pf->quiet_max))
                        pf->quiet_max = 0;
                pf->quiet_known = true;
        }
        if (pf->n_batched >= pf->quiet_max || l->ts_usec < pf->quiet_lo || l->ts_usec > pf->quiet_hi)
                return false;
        pf->n_batched++;
        return true;
}

/* log_reader_skip()'s offer(): a complete line the assembler need not see in full? */
static int offer(const struct log_line *l, void *userdata) {
        struct prefilter *pf = userdata;
        int k;

        /* the reader found no key in it; the rest of report_line_may_open(), its first step from
         * the table */
        if (mode(pf) == PREFILTER_MODE_BUSY || (report_line_starts_may_open(&pf->starts, l->text, l->len) &&
                                                report_line_may_open_head(l->text, l->len)))
                return 0;
        if (batch_idle(pf, l) || batch_quiet(pf, l))
                return 1;
        /* its time, seq or caller may end a wait: fed as metadata */
        k = batch_flush(pf);
        if (k >= 0)
                k = report_assembler_feed_skipped(pf->assembler, l, pf->on_report, pf->report_userdata);
        pf->mode = PREFILTER_MODE_UNKNOWN;
        return k < 0 ? k : 1;
}

/* The reader's lines in full (its held-back line, emitted when a run starts). */
static int deliver(const struct log_line *l, void *userdata) {
        struct prefilter *pf = userdata;
        int k = batch_flush(pf);

        pf->mode = PREFILTER_MODE_UNKNOWN;
        return k < 0 ? k : pf->on_line(l, pf->userdata);
}

int prefilter_init(struct prefilter *pf, struct log_reader *reader, struct report_assembler *assembler,
                   log_line_cb on_line, void *userdata, raw_report_cb on_report, void *report_userdata) {
        if (!pf || !reader || !assembler || !on_line)
                return -EINVAL;
        *pf = (struct prefilter) {
                .reader = reader,
                .assembler = assembler,
                .on_line = on_line,
                .userdata = userdata,
                .on_report = on_report,
                .report_userdata = report_userdata,
                .backoff = BACKOFF_MIN,
                .seq_first = NUM_UNSET,
                .seq_next = NUM_UNSET,
        };
        report_line_starts_init(&pf->starts);
        return log_skip_init(&pf->skip, report_line_anywhere_keys, REPORT_LINE_N_ANYWHERE_KEYS,
                             report_line_anywhere_bytes, REPORT_LINE_N_ANYWHERE_BYTES, offer, pf);
}

/* One attempt at a run from buf; returns the bytes taken. */
static int try_skip(struct prefilter *pf, const char *buf, size_t len, size_t *ret_taken) {
        int k;

        pf->mode = PREFILTER_MODE_UNKNOWN;
        k = log_reader_skip(pf->reader, buf, len, &pf->skip, deliver, pf, ret_taken);
        if (k >= 0)
                k = batch_flush(pf);
        if (k < 0)
                return k;
        if (*ret_taken > 0) {
                pf->backoff = BACKOFF_MIN;
                pf->bytes_skipped += *ret_taken;
        } else {
                pf->countdown = pf->backoff;
                pf->backoff = MIN(pf->backoff * 2, (size_t) BACKOFF_MAX);
        }
        return 0;
}

int prefilter_feed(struct prefilter *pf, const char *buf, size_t len) {
        int k;

        if (!pf || (!buf && len > 0))
                return -EINVAL;
        while (len > 0) {
                const char *nl;
                size_t n = 0;

                if (pf->countdown == 0 && report_assembler_can_skip(pf->assembler)) {
                        k = try_skip(pf, buf, len, &n);
                        if (k < 0)
                                return k;
                        buf += n;
                        len -= n;
                        if (len == 0)
                                break;
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
