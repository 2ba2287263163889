/* SPDX-License-Identifier: MIT */
/* One pass over a buffer that finds what the analyze fast path (log_reader_skip()) must look
 * at closely: the line ends, the bytes the normaliser may have to decode, and where the
 * consumer's 4-byte keys and single key bytes occur. 64 bytes per block, one bit per byte (bit i: byte i). The
 * same tests run with AVX-512BW or AVX2 when the CPU has them, else with 16-byte vectors
 * (SSE2 on x86-64, NEON on arm64, plain integer code elsewhere). Pure, no allocation. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LINE_SCAN_MAX_KEYS 6
#define LINE_SCAN_MAX_BYTES 1
#define LINE_SCAN_BLOCK 64

struct line_scan_masks {
        uint64_t nl;      /* '\n' */
        uint64_t special; /* NUL, '\\', '#' before '0', '[' before '/' or a byte above '@' (a
                             letter, among others): log_line.c's decode_append() and
                             strip_bbcode() act only at such a byte */
        uint64_t key;     /* one of the keys starts here, or a key byte is here */
};

enum line_scan_isa {
        LINE_SCAN_AUTO,    /* the widest the CPU has */
        LINE_SCAN_GENERIC, /* 16-byte vectors */
        LINE_SCAN_AVX2,
        LINE_SCAN_AVX512,
};

struct line_scan {
        char keys[LINE_SCAN_MAX_KEYS][4];
        uint32_t key_words[LINE_SCAN_MAX_KEYS]; /* the keys as loaded from memory */
        size_t n_keys;
        char bytes[LINE_SCAN_MAX_BYTES];
        size_t n_bytes;
        void (*blocks)(const struct line_scan *s, const char *p, size_t n, struct line_scan_masks *ret);
};

/* keys: 0..LINE_SCAN_MAX_KEYS keys of 4 bytes, none holding '\n' or NUL; bytes: 0..
 * LINE_SCAN_MAX_BYTES single key bytes, neither '\n' nor NUL. The keys are screened on their
 * middle two bytes, so keys whose middle bytes are rare in ordinary text cost least. -EINVAL
 * for bad keys, -EOPNOTSUPP if this CPU (or build) lacks isa. */
int line_scan_init(struct line_scan *s, const char (*keys)[4], size_t n_keys, const char *bytes, size_t n_bytes,
                   enum line_scan_isa isa);

/* Fill ret[0..k) for the k = min(max_blocks, ceil((end - p) / 64)) blocks from p; bits of
 * bytes at or after end are 0 (a key must end before end). Returns k. */
size_t line_scan(const struct line_scan *s, const char *p, const char *end, struct line_scan_masks *ret,
                 size_t max_blocks);
