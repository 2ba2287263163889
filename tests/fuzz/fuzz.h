/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz harnesses (tests/fuzz/fuzz_<name>.c). Each harness is one
 * LLVMFuzzerTestOneInput(); it is linked either with libFuzzer (clang, -DOOMLENS_FUZZ=ON) or with
 * replay.c, a plain main() that runs files through it (every build, so the regression inputs in
 * tests/data/fuzz-regressions/<name>/ are replayed by CTest with gcc and under ASan too). */
#pragma once

#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

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

/* Harnesses whose code under test reads files (configuration, state, the daemon's spool) work
 * in one private directory per process under $TMPDIR (tests/fuzz/run points it at a tmpfs),
 * made on first use and removed at exit. */
#define FUZZ_DIR_MAX 1024

static inline int fuzz_rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        return remove(path);
}

static inline void fuzz_rm_tree(const char *path) {
        (void)nftw(path, fuzz_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline char *fuzz_dir_storage(void) {
        static char dir[FUZZ_DIR_MAX];
        return dir;
}

static inline void fuzz_dir_remove(void) {
        if (fuzz_dir_storage()[0])
                fuzz_rm_tree(fuzz_dir_storage());
}

static inline const char *fuzz_dir(void) {
        char *dir = fuzz_dir_storage();
        const char *tmp = getenv("TMPDIR");

        if (!dir[0]) {
                FUZZ_CHECK((size_t)snprintf(dir, FUZZ_DIR_MAX, "%s/oomlens-fuzz.XXXXXX",
                                            tmp && *tmp ? tmp : "/tmp") < FUZZ_DIR_MAX);
                FUZZ_CHECK(mkdtemp(dir));
                atexit(fuzz_dir_remove);
        }
        return dir;
}
