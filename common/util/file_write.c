/* SPDX-License-Identifier: MIT */
#include "file_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode, unsigned flags) {
        char tmp[NAME_MAX + 1];
        _cleanup_close_ int fd = -1;
        const char *p = data;
        size_t left = len;
        int k;

        if (!name || !name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            (!data && len > 0))
                return -EINVAL;
        if ((size_t)snprintf(tmp, sizeof tmp, ".#%s.tmp", name) >= sizeof tmp)
                return -ENAMETOOLONG;
        (void)unlinkat(dirfd, tmp, 0);
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, mode) < 0) {
                k = -errno;
                goto fail;
        }
        while (left > 0) {
                ssize_t n = write(fd, p, left);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        k = -errno;
                        goto fail;
                }
                if (n == 0) {
                        k = -EIO;
                        goto fail;
                }
                p += n;
                left -= (size_t)n;
        }
        if ((flags & WRITE_FILE_SYNC) && fsync(fd) < 0) {
                k = -errno;
                goto fail;
        }
        /* close() can report a delayed write error (NFS): check it before the rename. */
        k = close(TAKE_FD(fd));
        if (k < 0) {
                k = -errno;
                goto fail;
        }
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                k = -errno;
                goto fail;
        }
        if ((flags & WRITE_FILE_SYNC) && fsync(dirfd) < 0)
                return -errno;
        return 0;
fail:
        (void)unlinkat(dirfd, tmp, 0);
        return k;
}
