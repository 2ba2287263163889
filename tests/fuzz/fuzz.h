/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz harnesses (tests/fuzz/fuzz_<name>.c). Each harness is one
 * LLVMFuzzerTestOneInput(); it is linked either with libFuzzer (clang, -DOOMLENS_FUZZ=ON) or with
 * replay.c, a plain main() that runs files through it (every build, so the regression inputs in
 * tests/data/fuzz-regressions/<name>/ are replayed by CTest with gcc and under ASan too). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle: a property every input must keep. A violation is a crash like any other, with a
 * message saying which property broke (abort() so that libFuzzer saves the input). */
#define FUZZ_CHECK(cond)                                                                              \
        do {                                                                                          \
                if (!(cond)) {                                                                        \
                        fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
                        abort();                                                                      \
                }                                                                                     \
        } while (0)

/* "ret_ untouched on failure" (the project's convention): fill the result with a byte pattern
 * before the call, then check every byte still holds it. */
#define FUZZ_PATTERN 0x5a
static inline bool fuzz_untouched(const void *p, size_t n) {
        const unsigned char *b = p;
        for (size_t i = 0; i < n; i++)
                if (b[i] != FUZZ_PATTERN)
                        return false;
        return true;
}
