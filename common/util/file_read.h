/* SPDX-License-Identifier: MIT */
/* Read a whole small file (configuration, state, a spool report) with a size bound, so a huge or
 * endless file (a FIFO, /dev/zero) can never make us allocate without limit. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Read fd to its end into a malloc'd, NUL-terminated buffer. Returns 0, -EFBIG when the file
 * holds more than max bytes, or another negative errno. ret/ret_len untouched on failure. */
int read_fd_bounded(int fd, size_t max, char **ret, size_t *ret_len);

/* Open path (relative to dirfd) read-only, refuse anything but a regular file (-EISDIR for a
 * directory, -EBADF otherwise; O_NOFOLLOW when nofollow), then read_fd_bounded(). */
int read_file_bounded(int dirfd, const char *path, bool nofollow, size_t max, char **ret, size_t *ret_len);
