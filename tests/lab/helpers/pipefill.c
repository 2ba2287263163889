/* SPDX-License-Identifier: MIT */
/* pipefill [OOM_SCORE_ADJ]: pins kernel memory in pipe buffers that nobody reads. Pipe pages
 * come from alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT) (6.1 fs/pipe.c): unmovable, and counted by
 * no Mem-Info counter. Prints the amount written, the lower bound of what it pins. */
#define _GNU_SOURCE
#include "common.h"

int main(int argc, char **argv) {
        static char chunk[65536];
        long long total = 0, next = 32LL << 20;
        long pipes = 0;

        setvbuf(stdout, NULL, _IONBF, 0);
        set_oom_score_adj(argc > 1 ? argv[1] : "1000");
        raise_nofile();
        memset(chunk, 'p', sizeof(chunk));
        for (;;) {
                int fd[2];
                if (pipe2(fd, O_NONBLOCK) < 0) {
                        printf("pipefill[%d]: pipe2: %s after %ld pipes, %lld MiB\n", getpid(),
                               strerror(errno), pipes, total >> 20);
                        sleep(1);
                        continue;
                }
                pipes++;
                (void) fcntl(fd[1], F_SETPIPE_SZ, 1 << 20);
                for (;;) {
                        ssize_t n = write(fd[1], chunk, sizeof(chunk));
                        if (n <= 0)
                                break;
                        total += n;
                        if (total >= next) {
                                printf("pipefill[%d]: %lld MiB in %ld pipes\n", getpid(), total >> 20, pipes);
                                next += 32LL << 20;
                        }
                }
        }
}
