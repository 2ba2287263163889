/* SPDX-License-Identifier: MIT */
/* main() for a fuzz harness outside libFuzzer: every file named on the command line (a
 * directory: every regular file in it, in name order) goes once through LLVMFuzzerTestOneInput().
 * A crash, a sanitizer report or a failed FUZZ_CHECK ends the run; the file being run is printed
 * first so the failure names it. Used by CTest to replay tests/data/fuzz-regressions/<name>/ and
 * the seed corpus in every build, without clang. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Regression inputs and seeds are small; libFuzzer runs with -max_len=65536 and the largest
 * seed (a lab capture) is about 60 KiB. Anything bigger is a mistake in the corpus. */
#define REPLAY_FILE_MAX (16u << 20)

static int run_file(const char *path, size_t *n_run) {
        FILE *f = fopen(path, "rbe");
        struct stat st;
        uint8_t *buf;
        size_t n;

        if (!f || fstat(fileno(f), &st) < 0) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                if (f)
                        fclose(f);
                return -1;
        }
        if (!S_ISREG(st.st_mode) || st.st_size > REPLAY_FILE_MAX) {
                fprintf(stderr, "replay: %s: not a regular file of at most %u bytes\n", path, REPLAY_FILE_MAX);
                fclose(f);
                return -1;
        }
        /* Exactly the input's size: reading past the input is then a heap overflow ASan reports. */
        n = (size_t)st.st_size;
        buf = malloc(n ? n : 1);
        if (!buf || fread(buf, 1, n, f) != n) {
                fprintf(stderr, "replay: %s: read error\n", path);
                free(buf);
                fclose(f);
                return -1;
        }
        fclose(f);
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
        (*n_run)++;
        return 0;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *path, size_t *n_run) {
        DIR *d = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        if (!d) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                return -1;
        }
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (n == cap) {
                        char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
                        if (!nn) {
                                r = -1;
                                break;
                        }
                        names = nn;
                }
                if (!(names[n] = strdup(de->d_name))) {
                        r = -1;
                        break;
                }
                n++;
        }
        closedir(d);
        if (names)
                qsort(names, n, sizeof *names, cmp_names);
        for (size_t i = 0; i < n; i++) {
                char p[4096];
                struct stat st;

                if (r == 0 && (size_t)snprintf(p, sizeof p, "%s/%s", path, names[i]) < sizeof p &&
                    stat(p, &st) == 0 && S_ISREG(st.st_mode))
                        r = run_file(p, n_run);
                free(names[i]);
        }
        free(names);
        return r;
}

int main(int argc, char **argv) {
        size_t n_run = 0;

        if (argc < 2) {
                fprintf(stderr, "Usage: %s FILE|DIR...\n", argv[0]);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) < 0) {
                        fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
                        return 1;
                }
                if ((S_ISDIR(st.st_mode) ? run_dir(argv[i], &n_run) : run_file(argv[i], &n_run)) < 0)
                        return 1;
        }
        printf("replay: %zu inputs, no failure\n", n_run);
        return 0;
}
