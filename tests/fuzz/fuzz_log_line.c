/* SPDX-License-Identifier: MIT */
/* The input normaliser (common/input/log_line) on arbitrary bytes, in every format, the way its
 * callers feed it: `oomlens analyze` (a file in chunks, format detected or forced) and oomlensd
 * (a recorded kmsg stream, one record per line, through kmsg_record_parse() and
 * log_reader_feed_kmsg(), as daemon/manager.c does). Oracles: every line handed on is a C
 * string of its length with sane metadata, and the lines do not depend on where the input was
 * cut into chunks (the header's contract: "split anywhere"). */
#include <errno.h>
#include <string.h>

#include "analysis.h" /* fnv1a_32 */
#include "fuzz.h"
#include "kmsg_record.h"
#include "log_line.h"

struct digest {
        uint32_t h;
        size_t lines;
};

static void mix(struct digest *d, const void *p, size_t n) {
        d->h = fnv1a_32(d->h, p, n);
}

static int check_line(const struct log_line *l, void *userdata) {
        struct digest *d = userdata;

        FUZZ_CHECK(l->text && l->raw);
        FUZZ_CHECK(strlen(l->text) == l->len);
        FUZZ_CHECK(l->level >= -1 && l->level <= 7);
        FUZZ_CHECK(l->facility >= -1 && l->facility <= KMSG_PRIO_MAX >> 3);
        FUZZ_CHECK(strnlen(l->caller, sizeof l->caller) < sizeof l->caller);
        FUZZ_CHECK(!l->prose || l->facility == -1); /* prose is never kernel output */
        (void)strlen(l->raw);
        mix(d, l->text, l->len + 1);
        mix(d, l->raw, strlen(l->raw) + 1);
        mix(d, &l->ts_usec, sizeof l->ts_usec);
        mix(d, &l->seq, sizeof l->seq);
        mix(d, &l->seq_end, sizeof l->seq_end);
        mix(d, &l->wall_sec, sizeof l->wall_sec);
        mix(d, &l->level, sizeof l->level);
        mix(d, &l->facility, sizeof l->facility);
        mix(d, l->caller, strlen(l->caller));
        uint8_t flags = (uint8_t)(l->no_prefix | l->prose << 1);
        mix(d, &flags, 1);
        d->lines++;
        return 0;
}

/* Feed buf in pieces cut at the given offsets (ascending, <= len), then flush. */
static void feed(enum log_format fmt, const char *buf, size_t len, const size_t *cuts, size_t n_cuts,
                 struct digest *ret) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct log_reader_stats st;
        size_t pos = 0;

        *ret = (struct digest){ .h = FNV1A_32_INIT };
        FUZZ_CHECK(log_reader_new(fmt, &r) == 0);
        for (size_t i = 0; i <= n_cuts; i++) {
                size_t end = i < n_cuts ? cuts[i] : len;
                FUZZ_CHECK(log_reader_feed(r, buf + pos, end - pos, check_line, ret) == 0);
                pos = end;
        }
        FUZZ_CHECK(log_reader_flush(r, check_line, ret) == 0);
        log_reader_get_stats(r, &st);
        FUZZ_CHECK(st.output_lines == ret->lines);
}

/* oomlensd's recorded-stream path: one record per line; " KEY=value" lines are the previous
 * record's dictionary and skipped (daemon/manager.c stream_lines()). */
static void feed_kmsg_stream(const char *buf, size_t len) {
        _cleanup_(log_reader_freep) struct log_reader *r = NULL;
        struct digest d = { .h = FNV1A_32_INIT };
        size_t pos = 0;

        FUZZ_CHECK(log_reader_new(LOG_FORMAT_KMSG, &r) == 0);
        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos);
                size_t l = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
                struct kmsg_record rec;

                if (buf[pos] != ' ' && kmsg_record_parse(buf + pos, l, &rec) == 0) {
                        FUZZ_CHECK(log_reader_feed_kmsg(r, &rec, check_line, &d) == 0);
                        kmsg_record_done(&rec);
                }
                pos += l;
        }
        FUZZ_CHECK(log_reader_flush(r, check_line, &d) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *)data;
        struct digest whole, split;
        size_t cuts[3];

        /* The first byte picks a forced format (besides detection), the next ones the cuts. */
        enum log_format fmt = size > 0 ? (enum log_format)(data[0] % (LOG_FORMAT_PLAIN + 1)) : LOG_FORMAT_AUTO;
        for (size_t i = 0; i < 3; i++)
                cuts[i] = size > i + 1 ? (data[i + 1] * (size_t)257 + i * 7919) % (size + 1) : size;
        /* ascending */
        for (size_t i = 0; i < 3; i++)
                for (size_t j = i + 1; j < 3; j++)
                        if (cuts[j] < cuts[i]) {
                                size_t t = cuts[i];
                                cuts[i] = cuts[j];
                                cuts[j] = t;
                        }

        feed(LOG_FORMAT_AUTO, buf, size, NULL, 0, &whole);
        feed(LOG_FORMAT_AUTO, buf, size, cuts, 3, &split);
        FUZZ_CHECK(whole.lines == split.lines && whole.h == split.h);
        if (fmt != LOG_FORMAT_AUTO) {
                feed(fmt, buf, size, NULL, 0, &whole);
                feed(fmt, buf, size, cuts + 1, 1, &split);
                FUZZ_CHECK(whole.lines == split.lines && whole.h == split.h);
        }
        feed_kmsg_stream(buf, size);
        return 0;
}
