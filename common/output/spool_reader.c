/* SPDX-License-Identifier: MIT */
#include "spool_reader.h"
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

int spool_open(const char *path, int *ret_fd) {
        int fd;

        if (!path || path[0] == '\0')
                return -EINVAL;
        struct stat st;

        /* Name the refusal clearly; O_NOFOLLOW below closes the race. */
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
                return -ELOOP;
        /* O_NOFOLLOW on the last component: a symlink planted in place of the spool fails ELOOP. */
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

bool spool_name_valid(const char *name) {
        size_t l = strlen(name), sl = strlen(SPOOL_SUFFIX);

        if (l <= sl || l >= SPOOL_NAME_MAX || name[0] == '.')
                return false;
        if (strcmp(name + l - sl, SPOOL_SUFFIX) != 0)
                return false;
        for (const char *p = name; *p; p++) {
                char c = *p;
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-' || c == ':' || c == '+'))
                        return false;
        }
        return true;
}

bool spool_exists(int dirfd, const char *name) {
        struct stat st;
        return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int spool_opendir(int dirfd, DIR **ret) {
        int dfd, k;
        DIR *d;

        dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return negative_errno(); /* never 0: callers use *ret on success */
        d = fdopendir(dfd);
        if (!d) {
                k = negative_errno();
                close(dfd);
                return k;
        }
        *ret = d;
        return 0;
}

static int cmp_entry(const void *a, const void *b) {
        return strcmp(((const struct spool_entry *)a)->name, ((const struct spool_entry *)b)->name);
}

int spool_list(int dirfd, struct spool_entry **ret, size_t *ret_n) {
        _cleanup_free_ struct spool_entry *v = NULL;
        size_t n = 0, cap = 0;
        int k;
        DIR *d;
        struct dirent *de;

        k = spool_opendir(dirfd, &d);
        if (k < 0)
                return k;
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): set whenever spool_opendir() returns 0 */
        while ((de = readdir(d))) {
                struct stat st;
                if (!spool_name_valid(de->d_name))
                        continue;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (n == cap) {
                        size_t ncap = cap ? cap * 2 : 64;
                        struct spool_entry *nv = reallocarray(v, ncap, sizeof *v);
                        if (!nv) {
                                k = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = ncap;
                }
                /* spool_name_valid() bounded the length. */
                memcpy(v[n].name, de->d_name, strlen(de->d_name) + 1);
                v[n].size = (uint64_t)st.st_size;
                v[n].disk_bytes = (uint64_t)st.st_blocks * 512;
                v[n].mtime_usec = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
                n++;
        }
        closedir(d);
        if (k < 0)
                return k;
        if (n > 0)
                qsort(v, n, sizeof *v, cmp_entry);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

int spool_read(int dirfd, const char *name, size_t max_size, char **ret, size_t *ret_len) {
        if (!spool_name_valid(name))
                return -EINVAL;
        return read_file_bounded(dirfd, name, true, max_size, ret, ret_len);
}
