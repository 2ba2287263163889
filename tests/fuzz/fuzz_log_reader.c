/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the input normaliser: arbitrary bytes, fed whole, in two pieces and
 * as a /dev/kmsg record; every emitted line must be a NUL-terminated string of its length. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kmsg_record.h"
#include "log_line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_line(const struct log_line *l, void *userdata) {
        if (!l->text || !l->raw || strlen(l->text) != l->len)
                __builtin_trap();
        (*(size_t *) userdata) += l->len;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *) data;
        size_t total = 0, cut;
        struct kmsg_record rec = {};

        /* the first byte picks the forced format and the split point */
        enum log_format fmt = size > 0 ? (enum log_format) (data[0] % (LOG_FORMAT_PLAIN + 1)) : LOG_FORMAT_AUTO;
        cut = size > 1 ? data[1] % size : 0;

        for (int pass = 0; pass < 2; pass++) {
                _cleanup_(log_reader_freep) struct log_reader *r = NULL;

                if (log_reader_new(pass == 0 ? LOG_FORMAT_AUTO : fmt, &r) < 0)
                        return 0;
                if (pass == 0)
                        (void) log_reader_feed(r, buf, size, check_line, &total);
                else {
                        (void) log_reader_feed(r, buf, cut, check_line, &total);
                        (void) log_reader_feed(r, buf + cut, size - cut, check_line, &total);
                }
                if (kmsg_record_parse(buf, size, &rec) == 0) {
                        (void) log_reader_feed_kmsg(r, &rec, check_line, &total);
                        kmsg_record_done(&rec);
                }
                (void) log_reader_flush(r, check_line, &total);
        }
        return 0;
}
