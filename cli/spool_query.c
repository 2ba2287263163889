/* SPDX-License-Identifier: MIT */
#include "spool_query.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "list_output.h"
#include "macro.h"
#include "report_filter.h"
#include "spool_reader.h"

void explain_access(const char *path) {
        char buf[4096], grbuf[4096];
        struct group gr, *g = NULL;
        struct stat st;
        const char *p = path;

        snprintf(buf, sizeof buf, "%s", path);
        /* The spool's parent may be what we cannot search: name the nearest thing we can see. */
        while (stat(p, &st) < 0) {
                if (strcmp(p, "/") == 0 || strcmp(p, ".") == 0)
                        return;
                p = dirname(buf);
        }
        if (getgrgid_r(st.st_gid, &gr, grbuf, sizeof grbuf, &g) != 0)
                g = NULL;
        if (st.st_mode & (S_ISDIR(st.st_mode) ? S_IXGRP : S_IRGRP)) {
                if (g)
                        fprintf(stderr,
                                "oomlens: %s is readable by root and the members of group '%s': join it "
                                "(sudo usermod -aG %s \"$USER\", then log in again) or use sudo\n",
                                p, g->gr_name, g->gr_name);
                else
                        fprintf(stderr, "oomlens: %s is readable by root and the members of group %u only\n",
                                p, (unsigned)st.st_gid);
        } else
                fprintf(stderr, "oomlens: %s is readable by its owner only (mode %04o): use sudo\n", p,
                        (unsigned)(st.st_mode & 07777));
}

int spool_query_open(const char *dir, const char *config_path, int *ret_fd) {
        int k = spool_open(dir, ret_fd);

        switch (k) {
        case 0:
                return 0;
        case -ENOENT:
                fprintf(stderr,
                        "oomlens: %s: no such directory: oomlensd has not written a report yet, or its "
                        "spool "
                        "is elsewhere ([Spool] Directory= in %s, or --spool-dir)\n",
                        dir, config_path);
                break;
        case -EACCES:
        case -EPERM:
                fprintf(stderr, "oomlens: %s: permission denied\n", dir);
                explain_access(dir);
                break;
        case -ELOOP:
                fprintf(stderr, "oomlens: %s: is a symbolic link; not followed (give the real path)\n", dir);
                break;
        default:
                fprintf(stderr, "oomlens: %s: %s\n", dir, strerror(-k));
        }
        return k;
}

int spool_query_read(int dirfd, const char *name, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (!spool_name_valid(name))
                return -EINVAL;
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADF;
        if (st.st_size > SPOOL_FILE_LIMIT)
                return -EFBIG;
        /* Sized by the file (a spool file never changes once renamed into place), not by the
         * limit: a 16 MiB buffer per file would be mapped and unmapped a thousand times. */
        return read_fd_bounded(fd, MIN((size_t)st.st_size + 4096, (size_t)SPOOL_FILE_LIMIT), ret, ret_len);
}

static void warn_skip(const char *dir, const char *name, const char *why) {
        fprintf(stderr, "oomlens: warning: %s/%s: %s, skipped\n", dir, name, why);
}

int spool_query_summarise(int dirfd, const char *dir, const char *name, struct report_summary *ret) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int k;

        k = spool_query_read(dirfd, name, &buf, &len);
        if (k >= 0)
                k = report_summary_from_json(name, buf, len, ret);
        switch (k) {
        case 0:
                return 0;
        case -ENOENT: /* removed by retention since the directory was read: nothing to say */
                break;
        case -EBADMSG:
                warn_skip(dir, name, "not valid JSON (corrupt or truncated)");
                break;
        case -ENOMSG:
                warn_skip(dir, name, "not an oomlens report (no \"schema\": \"oomlens.report/1\")");
                break;
        case -EPROTONOSUPPORT:
                warn_skip(dir, name, "written by a newer oomlens (unknown schema version)");
                break;
        case -EFBIG:
                warn_skip(dir, name, "larger than 16 MiB, not a report");
                break;
        case -ELOOP:
        case -EBADF:
                warn_skip(dir, name, "not a regular file");
                break;
        case -EACCES: {
                char path[4096];
                warn_skip(dir, name, "permission denied");
                snprintf(path, sizeof path, "%s/%s", dir, name);
                explain_access(path);
                break;
        }
        default:
                warn_skip(dir, name, strerror(-k));
        }
        return k;
}

static int cmp_report(const void *a, const void *b) {
        const struct spool_report *x = a, *y = b;
        if (x->s.time_usec != y->s.time_usec)
                return x->s.time_usec < y->s.time_usec ? -1 : 1;
        return strcmp(x->name, y->name);
}

int spool_query_load(int dirfd, const char *dir, bool quiet, struct spool_report **ret, size_t *ret_n) {
        _cleanup_free_ struct spool_report *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        DIR *d;
        int k;

        k = spool_opendir(dirfd, &d);
        if (k < 0)
                return k;
        k = 0;
        while ((de = readdir(d))) {
                const char *name = de->d_name;
                struct stat st;

                if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "lost+found") == 0 ||
                    strncmp(name, SPOOL_TEMP_PREFIX, strlen(SPOOL_TEMP_PREFIX)) == 0)
                        continue; /* a file being written, or a file system's own */
                if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* gone since readdir */
                if (!spool_name_valid(name) || !S_ISREG(st.st_mode)) {
                        if (!quiet) {
                                /* The name itself may hold anything: print it escaped. */
                                _cleanup_free_ char *safe = terminal_safe(name);
                                warn_skip(dir, safe ? safe : "?",
                                          !S_ISREG(st.st_mode)
                                                  ? "not a regular file"
                                                  : "not a report file name (<time>-<boot>-<seq>.json)");
                        }
                        continue;
                }
                if (n == cap) {
                        size_t ncap = cap ? cap * 2 : 64;
                        struct spool_report *nv = reallocarray(v, ncap, sizeof *v);
                        if (!nv) {
                                k = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = ncap;
                }
                if (spool_query_summarise(dirfd, dir, name, &v[n].s) < 0)
                        continue;
                if (!num_set(v[n].s.time_usec)) /* not named by oomlensd: when it was written */
                        v[n].s.time_usec = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
                memcpy(v[n].name, name, strlen(name) + 1); /* spool_name_valid(): it fits */
                n++;
        }
        closedir(d);
        if (k < 0)
                return k;
        if (n > 0)
                qsort(v, n, sizeof *v, cmp_report);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

int spool_query_boots(const struct spool_report *v, size_t n, const char ***ret, size_t *ret_n) {
        _cleanup_free_ const char **b = NULL;
        size_t m = 0;

        if (n > 0) {
                b = calloc(n, sizeof *b);
                if (!b)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                bool seen = false;
                if (!v[i].s.boot[0])
                        continue;
                for (size_t j = 0; j < m && !seen; j++)
                        seen = strcmp(b[j], v[i].s.boot) == 0;
                if (!seen)
                        b[m++] = v[i].s.boot;
        }
        *ret = TAKE_PTR(b);
        *ret_n = m;
        return 0;
}

int spool_query_find(const struct spool_entry *v, size_t n, const char *id, size_t *ret_index,
                     size_t *ret_matches) {
        size_t hits = 0, hit = 0, l = strlen(id), sl = strlen(SPOOL_SUFFIX);

        *ret_matches = 0;
        /* A whole id or file name wins over parts of others. */
        for (size_t i = 0; i < n; i++) {
                size_t nl = strlen(v[i].name) - sl;
                if (strcmp(v[i].name, id) == 0 || (l == nl && strncmp(v[i].name, id, nl) == 0)) {
                        *ret_index = i;
                        *ret_matches = 1;
                        return 0;
                }
        }
        for (size_t i = 0; i < n && l > 0; i++)
                if (strstr(v[i].name, id)) {
                        if (hits++ == 0)
                                hit = i;
                }
        *ret_matches = hits;
        if (hits == 0)
                return -ENOENT;
        if (hits > 1)
                return -EEXIST;
        *ret_index = hit;
        return 0;
}

int current_boot_id(char ret[REPORT_SUMMARY_BOOT_MAX]) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, n = 0;
        int k;

        k = read_file_bounded(AT_FDCWD, "/proc/sys/kernel/random/boot_id", false, 64, &buf, &len);
        if (k < 0)
                return k;
        for (size_t i = 0; i < len && n < 32; i++) {
                if (buf[i] == '-' || buf[i] == '\n')
                        continue;
                if (!isxdigit((unsigned char)buf[i]))
                        return -EBADMSG;
                ret[n++] = (char)tolower((unsigned char)buf[i]);
        }
        ret[n] = '\0';
        return n == 32 ? 0 : -EBADMSG;
}
