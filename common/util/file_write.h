/* SPDX-License-Identifier: MIT */
/* Publish a small file atomically: readers see the old contents or the new, never a part. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

enum {
        WRITE_FILE_SYNC = 1u << 0, /* fsync the data before the rename and the directory after */
};

/* Replace `name` in dirfd with data: a temporary ".#<name>.tmp" in the same directory (created
 * O_EXCL|O_NOFOLLOW; a stale one from a crash is removed first: one writer per name), mode set
 * with fchmod so the umask does not change it, written, renamed over `name`. On failure the
 * temporary is removed and `name` is untouched. -EINVAL for a name with '/' or "."/"..". */
int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode, unsigned flags);
