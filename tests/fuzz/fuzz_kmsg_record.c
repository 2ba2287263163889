/* SPDX-License-Identifier: MIT */
/* The /dev/kmsg record parser (common/input/kmsg_record) on arbitrary bytes: what one read() of
 * /dev/kmsg, or one line of a recorded stream, may hold. Besides "no crash, no leak, no UB" it
 * checks what the header promises: the text is a C string of text_len bytes that never grew,
 * the header fields agree with each other and with kmsg_record_parse_header(), and unescaping
 * never writes more than it read. */
#include <stdbool.h>
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "kmsg_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *)data;
        struct kmsg_record rec, hdr;
        int k, off;

        memset(&rec, FUZZ_PATTERN, sizeof rec);
        k = kmsg_record_parse(buf, size, &rec);
        off = kmsg_record_parse_header(buf, size, &hdr);
        FUZZ_CHECK(kmsg_record_looks_like(buf, size) == (off >= 0));
        if (k < 0) {
                FUZZ_CHECK(k == -EINVAL);
                FUZZ_CHECK(off < 0);
                FUZZ_CHECK(fuzz_untouched(&rec, sizeof rec));
        } else {
                FUZZ_CHECK(off > 0 && (size_t)off <= size && buf[off - 1] == ';');
                FUZZ_CHECK(rec.priority >= 0 && rec.priority <= KMSG_PRIO_MAX);
                FUZZ_CHECK(rec.level == (rec.priority & 7) && rec.facility == rec.priority >> 3);
                FUZZ_CHECK(rec.flag == '-' || rec.flag == 'c' || rec.flag == '+');
                FUZZ_CHECK(rec.seq == hdr.seq && rec.ts_usec == hdr.ts_usec && rec.priority == hdr.priority);
                FUZZ_CHECK(strnlen(rec.caller, sizeof rec.caller) < sizeof rec.caller);
                FUZZ_CHECK(strcmp(rec.caller, hdr.caller) == 0);
                FUZZ_CHECK(rec.caller[0] == '\0' || rec.caller[0] == 'T' || rec.caller[0] == 'C');
                FUZZ_CHECK(rec.text && strlen(rec.text) == rec.text_len);
                FUZZ_CHECK(rec.text_len <= size - (size_t)off);
                if (rec.dict)
                        FUZZ_CHECK(strlen(rec.dict) < size - (size_t)off);
                kmsg_record_done(&rec);
                FUZZ_CHECK(!rec.text && !rec.dict && rec.text_len == 0);
                kmsg_record_done(&rec); /* twice is harmless */
        }

        /* Unescape into a buffer of exactly the input's size: the output is never longer. */
        char *dst = malloc(size ? size : 1);
        if (dst) {
                size_t n = kmsg_unescape(buf, size, dst);
                FUZZ_CHECK(n <= size);
                /* "\x00" stays escaped: a NUL out means a NUL in */
                if (memchr(dst, '\0', n))
                        FUZZ_CHECK(memchr(buf, '\0', size) != NULL);
                free(dst);
        }
        return 0;
}
