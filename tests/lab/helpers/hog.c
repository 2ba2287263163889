/* SPDX-License-Identifier: MIT */
/* hog [OOM_SCORE_ADJ [CAP_MB]]: anonymous memory, 1 MiB mmap at a time, every page touched,
 * never freed. With CAP_MB it stops there and holds the memory (pause). */
#include <signal.h>
#include <sys/mman.h>
#include "common.h"

int main(int argc, char **argv) {
        long cap = argc > 2 ? atol(argv[2]) : 0;
        long mb = 0;

        setvbuf(stdout, NULL, _IONBF, 0);
        if (argc > 1)
                set_oom_score_adj(argv[1]);
        for (;;) {
                if (cap > 0 && mb >= cap) {
                        printf("hog[%d]: holding %ld MiB\n", getpid(), mb);
                        /* The init script waits for this before starting the next stage. */
                        close(open("/tmp/hog.ready", O_WRONLY | O_CREAT, 0644));
                        for (;;)
                                pause();
                }
                char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (p == MAP_FAILED) {
                        /* 32-bit address space full (i386: 3 GiB): hold what we have. */
                        printf("hog[%d]: mmap failed at %ld MiB: %s\n", getpid(), mb, strerror(errno));
                        for (;;)
                                pause();
                }
                for (long i = 0; i < (1 << 20); i += 4096)
                        p[i] = 1;
                mb++;
                if (mb % 32 == 0)
                        printf("hog[%d]: %ld MiB\n", getpid(), mb);
        }
}
