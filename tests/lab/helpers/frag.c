/* SPDX-License-Identifier: MIT */
/* frag PCT MODE: fragment free memory, then make high-order kernel allocations.
 *
 * Stage 1: one-page pipes (one 4096-byte write each: one unmovable GFP_HIGHUSER page, plus the
 * pipe/file/inode/dentry slab objects, ~6.6 KiB in all) until MemFree has dropped by PCT
 * percent; then every other pipe is closed. What comes back is mostly isolated order-0 holes
 * between pinned unmovable pages, which compaction cannot merge.
 *
 * Stage 2, MODE:
 *   dgram  unread 16000-byte AF_UNIX datagrams: each skb head is a ~16 KiB kmalloc, an order-2
 *          GFP_KERNEL page allocation. Order 2 <= PAGE_ALLOC_COSTLY_ORDER (3), so when it
 *          cannot be met the OOM killer runs although plenty of memory is free.
 *   keys   add_key("user", 32767-byte payload): user_preparse() (6.1 security/keys/
 *          user_defined.c) does kmalloc(sizeof(payload) + 32767, GFP_KERNEL), an order-4
 *          page allocation without __GFP_NOWARN. Order 4 is costly: no OOM kill, the
 *          allocation fails with a "page allocation failure: order:4" warning. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/syscall.h>
#include "common.h"

#define KEY_SPEC_PROCESS_KEYRING -2

static int stage1(int pct) {
        long start = mem_free_kb(), target = start - start / 100 * pct;
        int *fds = NULL;
        long n = 0, cap = 0;
        static char page[4096];

        memset(page, 'f', sizeof(page));
        while (mem_free_kb() > target) {
                for (int k = 0; k < 256; k++) {
                        int fd[2];
                        if (n + 1 >= cap) {
                                cap = cap ? cap * 2 : 65536;
                                fds = realloc(fds, cap * 2 * sizeof(int));
                                if (!fds)
                                        return -ENOMEM;
                        }
                        if (pipe(fd) < 0) {
                                printf("frag: pipe: %s after %ld pipes\n", strerror(errno), n);
                                goto done;
                        }
                        if (write(fd[1], page, sizeof(page)) != sizeof(page))
                                printf("frag: short pipe write\n");
                        fds[2 * n] = fd[0];
                        fds[2 * n + 1] = fd[1];
                        n++;
                }
        }
done:
        printf("frag: %ld one-page pipes, MemFree %ld -> %ld kB\n", n, start, mem_free_kb());
        for (long i = 0; i < n; i += 2) {
                close(fds[2 * i]);
                close(fds[2 * i + 1]);
        }
        printf("frag: closed every other pipe, MemFree %ld kB\n", mem_free_kb());
        return 0;
}

static void stage_dgram(void) {
        static char msg[16000];
        long sent = 0;
        int buf = 1 << 30;

        write_file("/proc/sys/net/unix/max_dgram_qlen", "1000000");
        memset(msg, 'd', sizeof(msg));
        for (;;) {
                int sv[2];
                if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv) < 0) {
                        printf("frag: socketpair: %s\n", strerror(errno));
                        sleep(1);
                        continue;
                }
                (void) setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
                (void) setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
                while (send(sv[0], msg, sizeof(msg), 0) == sizeof(msg))
                        if (++sent % 1024 == 0)
                                printf("frag: %ld datagrams (%ld MiB)\n", sent, sent * 16000 >> 20);
        }
}

static int stage_keys(void) {
        static char payload[32767];
        long n = 0;

        write_file("/proc/sys/kernel/keys/root_maxkeys", "1000000");
        write_file("/proc/sys/kernel/keys/root_maxbytes", "2000000000");
        memset(payload, 'k', sizeof(payload));
        for (;;) {
                char desc[32];
                snprintf(desc, sizeof(desc), "lab%ld", n);
                long k = syscall(SYS_add_key, "user", desc, payload, sizeof(payload),
                                 KEY_SPEC_PROCESS_KEYRING);
                if (k < 0) {
                        printf("frag: add_key #%ld failed: %s, MemFree %ld kB\n", n, strerror(errno),
                               mem_free_kb());
                        return errno == ENOMEM ? 0 : 1;
                }
                if (++n % 256 == 0)
                        printf("frag: %ld keys (%ld MiB), MemFree %ld kB\n", n, n * 64 / 1024, mem_free_kb());
        }
}

int main(int argc, char **argv) {
        int pct = argc > 1 ? atoi(argv[1]) : 85;
        const char *mode = argc > 2 ? argv[2] : "dgram";

        setvbuf(stdout, NULL, _IONBF, 0);
        raise_nofile();
        set_oom_score_adj("1000");
        if (pct < 0 || pct > 99 || stage1(pct) < 0)
                return 2;
        if (strcmp(mode, "keys") == 0)
                return stage_keys();
        stage_dgram();
        return 0;
}
