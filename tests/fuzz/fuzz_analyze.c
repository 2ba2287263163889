/* SPDX-License-Identifier: MIT */
/* The whole pipeline on arbitrary bytes: input normaliser -> assembler -> report parser ->
 * analysis -> JSON and text, driven the two ways the programs drive it:
 *   - `oomlens analyze` (cli/oomlens.c): the file in chunks through the prefilter fast path,
 *     and again line by line without it (OOMLENS_NO_PREFILTER=1). The two must give the same
 *     reports byte for byte (the contract of common/input/prefilter.h);
 *   - oomlensd (daemon/manager.c): one kmsg record per line, parsed and fed to the reader,
 *     sequence gaps noted, the assembler ticked on the stream's clock.
 * Every report's JSON must parse back as a JSON object. Any crash, leak or UB here is a bug a
 * hostile or damaged log could hit. */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis.h"
#include "fuzz.h"
#include "kmsg_record.h"
#include "log_line.h"
#include "prefilter.h"
#include "report_assembler.h"
#include "report_json.h"
#include "report_text.h"

struct sink {
        FILE *text;    /* report_write_text() output (/dev/null) */
        uint32_t hash; /* over every report's JSON, in order */
        size_t n_reports;
};

static int on_report(const struct raw_report *raw, void *userdata) {
        struct sink *s = userdata;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        _cleanup_free_ char *json = NULL;

        FUZZ_CHECK(raw->n_lines > 0 && raw->lines);
        if (report_build(raw, &r) < 0)
                return 0; /* the CLI reports it and goes on */
        FUZZ_CHECK(report_to_json_string(r, &json) == 0);
        json_object *o = json_tokener_parse(json);
        FUZZ_CHECK(o && json_object_is_type(o, json_type_object));
        json_object_put(o);
        s->hash = fnv1a_32(s->hash, json, strlen(json) + 1);
        s->n_reports++;
        if (s->text)
                FUZZ_CHECK(report_write_text(r, s->text) == 0);
        return 0;
}

struct pipeline {
        struct report_assembler *assembler;
        struct sink *sink;
};

static int on_line(const struct log_line *line, void *userdata) {
        struct pipeline *p = userdata;
        return report_assembler_feed(p->assembler, line, on_report, p->sink);
}

/* cli/oomlens.c analyze_fd(), reading chunk bytes at a time. */
static void analyze(const char *buf, size_t len, size_t chunk, bool prefilter, struct sink *sink) {
        _cleanup_(log_reader_freep) struct log_reader *reader = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *assembler = NULL;
        struct report_assembler_config cfg;
        struct prefilter pf;

        report_assembler_config_default(&cfg);
        cfg.kernel_only = true;
        cfg.no_prefilter = !prefilter;
        FUZZ_CHECK(log_reader_new(LOG_FORMAT_AUTO, &reader) == 0);
        FUZZ_CHECK(report_assembler_new(&cfg, &assembler) == 0);
        struct pipeline p = { .assembler = assembler, .sink = sink };
        prefilter_init(&pf, reader, assembler, on_line, &p, on_report, sink);
        for (size_t pos = 0; pos < len; pos += chunk) {
                size_t n = MIN(chunk, len - pos);
                if (prefilter)
                        FUZZ_CHECK(prefilter_feed(&pf, buf + pos, n) == 0);
                else
                        FUZZ_CHECK(log_reader_feed(reader, buf + pos, n, on_line, &p) == 0);
        }
        FUZZ_CHECK(log_reader_flush(reader, on_line, &p) == 0);
        FUZZ_CHECK(report_assembler_flush(assembler, on_report, sink) == 0);
}

/* daemon/manager.c on a recorded stream: handle_record() and settle(). */
static void daemon_stream(const char *buf, size_t len, struct sink *sink) {
        _cleanup_(log_reader_freep) struct log_reader *reader = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *assembler = NULL;
        struct report_assembler_config cfg;
        uint64_t expected = 0;
        bool have_expected = false;
        size_t pos = 0;

        report_assembler_config_default(&cfg);
        cfg.kernel_only = true;
        FUZZ_CHECK(log_reader_new(LOG_FORMAT_KMSG, &reader) == 0);
        FUZZ_CHECK(report_assembler_new(&cfg, &assembler) == 0);
        struct pipeline p = { .assembler = assembler, .sink = sink };
        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos);
                size_t l = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
                struct kmsg_record rec;

                if (buf[pos] == ' ' || kmsg_record_parse(buf + pos, l, &rec) < 0) {
                        pos += l;
                        continue;
                }
                pos += l;
                if (rec.seq >= (uint64_t)INT64_MAX - 1) { /* refused by handle_record() */
                        kmsg_record_done(&rec);
                        continue;
                }
                if (have_expected && rec.seq > expected)
                        report_assembler_note_gap(assembler, rec.seq - expected);
                if (!have_expected || rec.seq + 1 > expected)
                        expected = rec.seq + 1;
                have_expected = true;
                FUZZ_CHECK(log_reader_feed_kmsg(reader, &rec, on_line, &p) == 0);
                /* the stream went quiet after this record (a read() that returned EAGAIN) */
                if (rec.flag != 'c') {
                        FUZZ_CHECK(log_reader_flush(reader, on_line, &p) == 0);
                        int64_t now = rec.ts_usec > INT64_MAX ? INT64_MAX : (int64_t)rec.ts_usec;
                        FUZZ_CHECK(report_assembler_tick(assembler, now, on_report, sink) == 0);
                }
                kmsg_record_done(&rec);
        }
        FUZZ_CHECK(log_reader_flush(reader, on_line, &p) == 0);
        FUZZ_CHECK(report_assembler_flush(assembler, on_report, sink) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *)data;
        struct sink fast = { .hash = FNV1A_32_INIT }, slow = { .hash = FNV1A_32_INIT };
        struct sink daemon = { .hash = FNV1A_32_INIT };
        /* Chunk sizes from the input's last byte: the reader must not care where reads end. */
        size_t chunk = size > 0 ? 1 + (size_t)data[size - 1] * 97 : 1;

        fast.text = fopen("/dev/null", "we");
        analyze(buf, size, chunk, true, &fast);
        analyze(buf, size, size ? size : 1, false, &slow);
        FUZZ_CHECK(fast.n_reports == slow.n_reports);
        FUZZ_CHECK(fast.hash == slow.hash);
        daemon.text = fast.text;
        daemon_stream(buf, size, &daemon);
        if (fast.text)
                fclose(fast.text);
        return 0;
}
