/* SPDX-License-Identifier: MIT */
/* The whole offline pipeline on arbitrary bytes: input normaliser -> assembler -> parser ->
 * analysis -> JSON. Any crash, leak or UB here is a bug a hostile or damaged log could hit. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis.h"
#include "log_line.h"
#include "report_assembler.h"
#include "report_json.h"
#include "report_text.h"

static int on_report(const struct raw_report *raw, void *userdata) {
        struct oom_report *r = NULL;
        char *s = NULL;

        if (report_build(raw, &r) < 0)
                return 0;
        if (report_to_json_string(r, &s) == 0)
                free(s);
        FILE *f = fopen("/dev/null", "we");
        if (f) {
                (void)report_write_text(r, f);
                fclose(f);
        }
        oom_report_free(r);
        return 0;
}

static int on_line(const struct log_line *line, void *userdata) {
        return report_assembler_feed(userdata, line, on_report, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct log_reader *reader = NULL;
        struct report_assembler *a = NULL;
        struct report_assembler_config cfg;

        report_assembler_config_default(&cfg);
        if (log_reader_new(LOG_FORMAT_AUTO, &reader) < 0)
                return 0;
        if (report_assembler_new(&cfg, &a) < 0) {
                log_reader_free(reader);
                return 0;
        }
        (void)log_reader_feed(reader, (const char *)data, size, on_line, a);
        (void)log_reader_flush(reader, on_line, a);
        (void)report_assembler_flush(a, on_report, NULL);
        report_assembler_free(a);
        log_reader_free(reader);
        return 0;
}
