/* SPDX-License-Identifier: MIT */
/* sockfill [OOM_SCORE_ADJ]: pins kernel memory in unread AF_UNIX stream messages. The skb
 * heads are GFP_KERNEL slab (lowmem on i386), the payload page frags GFP_KERNEL_ACCOUNT pages. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include "common.h"

int main(int argc, char **argv) {
        static char chunk[65536];
        long long total = 0, next = 32LL << 20;
        long socks = 0;
        int big = 64 << 20;

        setvbuf(stdout, NULL, _IONBF, 0);
        set_oom_score_adj(argc > 1 ? argv[1] : "1000");
        raise_nofile();
        memset(chunk, 's', sizeof(chunk));
        for (;;) {
                int sv[2];
                if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0) {
                        printf("sockfill[%d]: socketpair: %s after %ld, %lld MiB\n", getpid(),
                               strerror(errno), socks, total >> 20);
                        sleep(1);
                        continue;
                }
                socks++;
                (void) setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
                for (;;) {
                        ssize_t n = write(sv[0], chunk, sizeof(chunk));
                        if (n <= 0)
                                break;
                        total += n;
                        if (total >= next) {
                                printf("sockfill[%d]: %lld MiB in %ld sockets\n", getpid(), total >> 20, socks);
                                next += 32LL << 20;
                        }
                }
        }
}
