/* SPDX-License-Identifier: MIT */
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

int read_fd_bounded(int fd, size_t max, char **ret, size_t *ret_len) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;

        if (fd < 0 || !ret || !ret_len || max >= SIZE_MAX - 1)
                return -EINVAL;
        /* One byte more than allowed tells "exactly max" from "too big". */
        buf = malloc(max + 2);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t r = read(fd, buf + n, max + 1 - n);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (r == 0)
                        break;
                n += (size_t)r;
                if (n > max)
                        return -EFBIG;
        }
        buf[n] = '\0';
        *ret_len = n;
        *ret = TAKE_PTR(buf);
        return 0;
}

int read_file_bounded(int dirfd, const char *path, bool nofollow, size_t max, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -EBADF;
        return read_fd_bounded(fd, max, ret, ret_len);
}
