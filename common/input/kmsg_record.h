/* SPDX-License-Identifier: MIT */
/* One /dev/kmsg record: "<prio>,<seq>,<ts_usec>,<flags>[,k=v...];<escaped text>\n[ KEY=value\n...]"
 * (Documentation/ABI/testing/dev-kmsg). Pure parsing, no I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMSG_PRIO_MAX 1023 /* facility is 7 bits in the kernel (LOG_FACMASK 0x03f8) */

struct kmsg_record {
        int priority;      /* raw prio */
        int level;         /* prio & 7 */
        int facility;      /* prio >> 3; 0 = kernel. Userspace writes can never produce 0. */
        uint64_t seq;
        uint64_t ts_usec;
        char flag;         /* '-', 'c' (continuation starts / LOG_CONT), '+' (3.5-4.9 continued) */
        char caller[16];   /* "T123" / "C1" from ",caller=", "" if absent */
        char *text;        /* owned, unescaped (\xNN decoded; may contain '\n' from \x0a) */
        size_t text_len;
        char *dict;        /* owned, the dictionary lines joined by '\n', unescaped; may be NULL */
};

/* Parse one record of len bytes (as returned by one read(), or one line of a saved stream).
 * Returns 0, -EINVAL if it is not a kmsg record, -ENOMEM. ret is untouched on failure.
 * "\x00" is left escaped so that text never contains a NUL byte. */
int kmsg_record_parse(const char *buf, size_t len, struct kmsg_record *ret);
void kmsg_record_done(struct kmsg_record *r);
/* Cheap test whether a text line looks like a kmsg record header "N,N,N,X...;" */
bool kmsg_record_looks_like(const char *buf, size_t len);

/* Parse the header "prio,seq,ts,flags[,caller=..][,unknown...];" at the start of buf. On success
 * returns the offset of the text (just after ';') and fills the header fields of ret (text and
 * dict untouched); -EINVAL if buf does not start with a valid header. */
int kmsg_record_parse_header(const char *buf, size_t len, struct kmsg_record *ret);

/* Undo the kmsg "\xNN" escaping of n bytes of src into dst (which must hold n bytes; the
 * output is never longer than the input). "\x00" stays escaped. Returns the output length. */
size_t kmsg_unescape(const char *src, size_t n, char *dst);
