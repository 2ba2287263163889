/* SPDX-License-Identifier: MIT */
#include "spool_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "macro.h"

#define STAMP_LEN 16 /* YYYYmmddTHHMMSSZ */
#define BOOT_TAG_MAX SPOOL_BOOT_TAG_MAX

int spool_format_name(int64_t wall_sec, unsigned variant, const char *boot_tag, int64_t seq, char *buf,
                      size_t size) {
        char stamp[32], var[4] = "";
        time_t t = (time_t)wall_sec;
        struct tm tm;
        int r;

        if (variant >= SPOOL_NAME_VARIANTS || seq < 0)
                return -EINVAL;
        /* A time that does not fit (a stream's timestamp near 2^63, a year past 9999) still
         * gets a name: the report matters more than its stamp. */
        if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) != STAMP_LEN)
                snprintf(stamp, sizeof stamp, "00000000T000000Z");
        if (variant > 0)
                snprintf(var, sizeof var, ".%u", variant);
        r = snprintf(buf, size, "%s%s-%.*s-%012" PRId64 "%s", stamp, var, BOOT_TAG_MAX, boot_tag, seq, SPOOL_SUFFIX);
        if (r < 0 || (size_t)r >= size)
                return -ENOBUFS;
        return spool_name_is_ours(buf) ? 0 : -EINVAL;
}

static bool all_digits(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (p[i] < '0' || p[i] > '9')
                        return false;
        return n > 0;
}

/* Where the part after the stamp (and variant) starts: the '-' before the boot tag; NULL if
 * the name is not ours. */
static const char *after_stamp(const char *name) {
        size_t l = strlen(name), sl = strlen(SPOOL_SUFFIX);

        if (!spool_name_valid(name) || l < STAMP_LEN + 2 + 1 + 12 + sl)
                return NULL;
        if (!all_digits(name, 8) || name[8] != 'T' || !all_digits(name + 9, 6) || name[15] != 'Z')
                return NULL;
        const char *p = name + STAMP_LEN;
        if (p[0] == '.' && p[1] >= '1' && p[1] <= '9')
                p += 2;
        if (p[0] != '-')
                return NULL;
        /* "-<tag>-<seq>.json": the seq is the digits before the suffix, the tag what is between */
        const char *end = name + l - sl, *d = end;
        while (d > p && d[-1] >= '0' && d[-1] <= '9')
                d--;
        if (end - d < 12 || end - d > 19 || d[-1] != '-')
                return NULL;
        size_t tag = (size_t)(d - 1 - (p + 1));
        if (tag < 1 || tag > BOOT_TAG_MAX)
                return NULL;
        return p;
}

bool spool_name_is_ours(const char *name) {
        return after_stamp(name) != NULL;
}

int spool_name_key(const char *name, char ret_tag[SPOOL_BOOT_TAG_MAX + 1], int64_t *ret_seq) {
        const char *p = after_stamp(name), *end, *d;
        int64_t seq = 0;

        if (!p)
                return -EINVAL;
        /* after_stamp() checked the shape: "-<tag>-<12..19 digits>.json" */
        end = name + strlen(name) - strlen(SPOOL_SUFFIX);
        for (d = end; d[-1] >= '0' && d[-1] <= '9'; d--)
                ;
        for (const char *q = d; q < end; q++) {
                if (seq > (INT64_MAX - 9) / 10)
                        return -ERANGE;
                seq = seq * 10 + (*q - '0');
        }
        snprintf(ret_tag, SPOOL_BOOT_TAG_MAX + 1, "%.*s", (int)(d - 1 - (p + 1)), p + 1);
        *ret_seq = seq;
        return 0;
}

int spool_name_variant(const char *name, unsigned variant, char *buf, size_t size) {
        const char *rest = after_stamp(name);
        char var[4] = "";
        int r;

        if (!rest || variant >= SPOOL_NAME_VARIANTS)
                return -EINVAL;
        if (variant > 0)
                snprintf(var, sizeof var, ".%u", variant);
        r = snprintf(buf, size, "%.*s%s%s", STAMP_LEN, name, var, rest);
        if (r < 0 || (size_t)r >= size)
                return -ENOBUFS;
        return 0;
}

int spool_writer_open(const char *path, int *ret_fd) {
        if (!path || path[0] == '\0')
                return -EINVAL;
        if (mkdir(path, SPOOL_DIR_MODE) < 0 && errno != EEXIST)
                return -errno;
        return spool_open(path, ret_fd);
}

static int write_all(int fd, const char *p, size_t len) {
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int spool_prepare(int dirfd, const char *name, const void *data, size_t len, char ret_tmp[SPOOL_TEMP_NAME_MAX]) {
        char tmp[SPOOL_TEMP_NAME_MAX];
        _cleanup_close_ int fd = -1;
        struct timespec ts;
        int k;

        struct stat st;

        if (!spool_name_valid(name))
                return -EINVAL;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                return S_ISREG(st.st_mode) ? -EEXIST : -EBUSY;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(tmp, sizeof tmp, SPOOL_TEMP_PREFIX "%s.%lx%05lx", name, (unsigned long)ts.tv_nsec,
                 (unsigned long)getpid() & 0xfffff);
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, SPOOL_FILE_MODE);
        if (fd < 0)
                return -errno;
        /* The umask must not widen or narrow the documented mode. */
        if (fchmod(fd, SPOOL_FILE_MODE) < 0) {
                k = -errno;
                goto fail;
        }
        k = write_all(fd, data, len);
        if (k < 0)
                goto fail;
        if (fsync(fd) < 0) {
                k = -errno;
                goto fail;
        }
        memcpy(ret_tmp, tmp, sizeof tmp);
        return 0;
fail:
        (void)unlinkat(dirfd, tmp, 0);
        return k;
}

void spool_abort(int dirfd, const char *tmp) {
        (void)unlinkat(dirfd, tmp, 0);
}

int spool_commit(int dirfd, const char *tmp, const char *name) {
        int k;

        /* renameat2(RENAME_NOREPLACE) keeps a concurrent writer's file; plain rename is the fallback
         * for file systems without it. */
        if (renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) < 0) {
                if (errno == EINVAL || errno == ENOSYS) {
                        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                                k = -errno;
                                spool_abort(dirfd, tmp);
                                return k;
                        }
                } else {
                        struct stat st;
                        k = -errno;
                        /* Taken since prepare: by a file (a duplicate) or by something else */
                        if (k == -EEXIST && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                            !S_ISREG(st.st_mode))
                                k = -EBUSY;
                        spool_abort(dirfd, tmp);
                        return k;
                }
        }
        /* The rename is durable only once the directory is synced; a failure here leaves a whole
         * file, so it is reported but not undone. */
        if (fsync(dirfd) < 0)
                return -errno;
        return 0;
}

int spool_publish(int dirfd, const char *name, const void *data, size_t len) {
        char tmp[SPOOL_TEMP_NAME_MAX];
        int k;

        k = spool_prepare(dirfd, name, data, len, tmp);
        if (k < 0)
                return k;
        return spool_commit(dirfd, tmp, name);
}

int spool_remove_stale_temp(int dirfd) {
        int n = 0, k;
        DIR *d;
        struct dirent *de;

        k = spool_opendir(dirfd, &d);
        if (k < 0)
                return k;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, SPOOL_TEMP_PREFIX, strlen(SPOOL_TEMP_PREFIX)) == 0 &&
                    unlinkat(dirfd, de->d_name, 0) == 0)
                        n++;
        closedir(d);
        return n;
}

static bool free_space_ok(int dirfd, uint64_t keep_free) {
        struct statvfs sv;
        if (keep_free == 0)
                return true;
        if (fstatvfs(dirfd, &sv) < 0)
                return true; /* cannot tell: do not delete reports on a guess */
        return (uint64_t)sv.f_bavail * sv.f_frsize >= keep_free;
}

int spool_vacuum(int dirfd, const struct spool_limits *limits, const char *keep,
                 struct spool_vacuum_result *ret) {
        _cleanup_free_ struct spool_entry *v = NULL;
        struct spool_vacuum_result res = {};
        size_t n = 0, count;
        uint64_t used = 0;
        int k;

        if (limits->max_files == 0 && limits->max_use_bytes == 0 && limits->keep_free_bytes == 0) {
                if (ret)
                        *ret = res;
                return 0; /* nothing to enforce: no need to list the spool after every report */
        }
        k = spool_list(dirfd, &v, &n);
        if (k < 0)
                return k;
        /* Only our own report files count and go: what else is there was put there by someone. */
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
                if (spool_name_is_ours(v[i].name))
                        v[w++] = v[i];
        n = w;
        for (size_t i = 0; i < n; i++)
                used += v[i].disk_bytes;
        count = n;
        for (size_t i = 0; i < n; i++) {
                bool over = (limits->max_files > 0 && count > limits->max_files) ||
                            (limits->max_use_bytes > 0 && used > limits->max_use_bytes) ||
                            !free_space_ok(dirfd, limits->keep_free_bytes);
                if (!over)
                        break;
                if (keep && strcmp(v[i].name, keep) == 0)
                        continue;
                if (unlinkat(dirfd, v[i].name, 0) < 0) {
                        if (errno == ENOENT)
                                goto gone;
                        continue; /* not ours to remove (EPERM): try the next one */
                }
                res.removed++;
                res.freed_bytes += v[i].disk_bytes;
        gone:
                count--;
                used -= v[i].disk_bytes;
        }
        res.kept = count;
        res.used_bytes = used;
        if (ret)
                *ret = res;
        return 0;
}

