/* SPDX-License-Identifier: MIT */
/* Shared bits of the OOM-lab guest helpers: tiny static programs that run as the guest's
 * userspace under qemu. They print progress to the console (stdout, unbuffered) so that the
 * capture shows what the guest did next to what the kernel reported. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static inline void set_oom_score_adj(const char *adj) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY);
        if (fd < 0)
                return;
        if (write(fd, adj, strlen(adj)) < 0)
                perror("oom_score_adj");
        close(fd);
}

static inline void raise_nofile(void) {
        struct rlimit rl = { 1000000, 1000000 };
        /* fs.nr_open defaults to 1048576: one pipe/socket per fd is what pins the memory. */
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
                perror("setrlimit");
}

static inline void write_file(const char *path, const char *val) {
        int fd = open(path, O_WRONLY);
        if (fd < 0 || write(fd, val, strlen(val)) < 0)
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
        if (fd >= 0)
                close(fd);
}

/* MemFree from /proc/meminfo in kB, -1 on error. */
static inline long mem_free_kb(void) {
        char buf[4096];
        long v = -1;
        int fd = open("/proc/meminfo", O_RDONLY);
        if (fd < 0)
                return -1;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return -1;
        buf[n] = 0;
        char *p = strstr(buf, "MemFree:");
        if (p)
                v = strtol(p + 8, NULL, 10);
        return v;
}
