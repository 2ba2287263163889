/* SPDX-License-Identifier: MIT */
/* Differential: the analyze fast path (prefilter_feed(), common/input/prefilter.h) against the
 * plain pipeline on arbitrary bytes. Every report, line by line with its metadata, and the
 * reader's and assembler's counters must be equal; the first byte picks the --format and
 * the chunk size the fast path is fed in. Any difference aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_line.h"
#include "prefilter.h"
#include "report_assembler.h"

struct out {
        char *buf;
        size_t len;
        FILE *f;
        struct report_assembler *a;
};

static int on_report(const struct raw_report *rep, void *userdata) {
        struct out *o = userdata;

        fprintf(o->f, "R %d %d %d %zu %lld %lld %lld %lld\n", (int) rep->type, rep->complete, rep->spans_gap,
                rep->n_lines, (long long) rep->first_seq, (long long) rep->last_seq, (long long) rep->first_ts_usec,
                (long long) rep->last_ts_usec);
        for (size_t i = 0; i < rep->n_lines; i++) {
                const struct log_line *l = &rep->lines[i];

                fprintf(o->f, "%lld|%lld|%s|%d|%d|%lld|%lld|%d|%d|", (long long) l->ts_usec, (long long) l->seq,
                        l->caller, l->facility, l->level, (long long) l->wall_sec, (long long) l->seq_end,
                        l->no_prefix, l->prose);
                fwrite(l->text, 1, l->len, o->f);
                fputc('\n', o->f);
        }
        return 0;
}

static int on_line(const struct log_line *l, void *userdata) {
        struct out *o = userdata;

        return report_assembler_feed(o->a, l, on_report, o);
}

static void run(const char *data, size_t size, enum log_format format, size_t chunk, bool fast, struct out *o) {
        struct report_assembler_config cfg;
        struct log_reader *r = NULL;
        struct report_assembler_stats as;
        struct log_reader_stats rs;
        struct prefilter pf;

        o->f = open_memstream(&o->buf, &o->len);
        if (!o->f)
                abort();
        report_assembler_config_default(&cfg);
        cfg.kernel_only = true;
        cfg.no_prefilter = !fast;
        if (log_reader_new(format, &r) < 0 || report_assembler_new(&cfg, &o->a) < 0)
                abort();
        if (prefilter_init(&pf, r, o->a, on_line, o, on_report, o) < 0)
                abort();
        for (size_t off = 0; off < size; off += chunk) {
                size_t n = size - off < chunk ? size - off : chunk;
                if ((fast ? prefilter_feed(&pf, data + off, n) : log_reader_feed(r, data + off, n, on_line, o)) < 0)
                        abort();
        }
        if (log_reader_flush(r, on_line, o) < 0 || report_assembler_flush(o->a, on_report, o) < 0)
                abort();
        report_assembler_get_stats(o->a, &as);
        log_reader_get_stats(r, &rs);
        fprintf(o->f, "S %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\n", as.lines_seen, as.lines_ignored_facility,
                as.reports_emitted, as.reports_incomplete, as.lines_late_reaper, as.reports_discarded, rs.input_lines,
                rs.output_lines, rs.joined_lines, rs.truncated_lines, rs.prose_lines);
        fclose(o->f);
        report_assembler_free(o->a);
        log_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const enum log_format formats[] = { LOG_FORMAT_AUTO, LOG_FORMAT_KMSG, LOG_FORMAT_DMESG,
                                                   LOG_FORMAT_SYSLOG };
        static const size_t chunks[] = { 1 << 17, 1, 7, 64, 100, 4093, 65536, 3 };
        struct out slow = {}, fast = {};
        enum log_format format;
        size_t chunk;

        if (size < 1)
                return 0;
        format = formats[data[0] & 3];
        chunk = chunks[(data[0] >> 2) & 7];
        run((const char *) data + 1, size - 1, format, 1 << 17, false, &slow);
        run((const char *) data + 1, size - 1, format, chunk, true, &fast);
        if (slow.len != fast.len || memcmp(slow.buf, fast.buf, slow.len) != 0) {
                fprintf(stderr, "fast path differs (format %d, chunk %zu):\n--- slow\n%s\n--- fast\n%s\n", (int) format,
                        chunk, slow.buf, fast.buf);
                abort();
        }
        free(slow.buf);
        free(fast.buf);
        return 0;
}
