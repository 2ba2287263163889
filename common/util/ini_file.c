/* SPDX-License-Identifier: MIT */
#include "ini_file.h"
#include "file_read.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy with truncation on purpose (paths in messages), without tripping -Wformat-truncation. */
static void copy_trunc(char *dst, size_t size, const char *src) {
        size_t l = strnlen(src, size - 1);
        memcpy(dst, src, l);
        dst[l] = '\0';
}

int ini_error_set(struct ini_error *err, unsigned line, const char *fmt, ...) {
        va_list ap;

        err->line = line;
        va_start(ap, fmt);
        vsnprintf(err->reason, sizeof err->reason, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static void strip(char **s, char **e) {
        while (*s < *e && isspace((unsigned char)**s))
                (*s)++;
        while (*e > *s && isspace((unsigned char)(*e)[-1]))
                (*e)--;
}

int ini_parse_buffer(const char *filename, const char *buf, size_t len, ini_handler_t handler,
                     void *userdata, struct ini_error *ret_err) {
        /* The section name is kept whole: whether a long one is known is the handler's call. */
        char section[INI_LINE_MAX] = "";
        char linebuf[INI_LINE_MAX];
        unsigned lineno = 0;
        size_t pos = 0;
        int k;

        copy_trunc(ret_err->file, sizeof ret_err->file, filename);
        ret_err->line = 0;
        ret_err->reason[0] = '\0';
        if (!buf && len > 0)
                return -EINVAL;

        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos);
                size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;

                lineno++;
                if (l >= sizeof linebuf)
                        return ini_error_set(ret_err, lineno, "line too long (%zu bytes, at most %zu)", l,
                                             sizeof linebuf - 1);
                if (memchr(buf + pos, '\0', l))
                        return ini_error_set(ret_err, lineno, "line contains a NUL byte");
                memcpy(linebuf, buf + pos, l);
                linebuf[l] = '\0';
                pos += l + (nl ? 1 : 0);

                char *s = linebuf, *e = linebuf + l;
                strip(&s, &e);
                *e = '\0';
                if (*s == '\0' || *s == '#' || *s == ';')
                        continue;
                if (*s == '[') {
                        if (e[-1] != ']' || e - s < 3)
                                return ini_error_set(ret_err, lineno, "malformed section header \"%s\"", s);
                        e[-1] = '\0';
                        memcpy(section, s + 1, (size_t)(e - s) - 1); /* fits: shorter than the line */
                        k = handler(section, NULL, NULL, lineno, ret_err, userdata);
                        if (k < 0)
                                return k;
                        continue;
                }
                char *eq = strchr(s, '=');
                if (!eq)
                        return ini_error_set(ret_err, lineno, "expected Key=value or [Section], got \"%s\"",
                                             s);
                char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
                strip(&ks, &ke);
                strip(&vs, &ve);
                *ke = '\0';
                *ve = '\0';
                if (*ks == '\0')
                        return ini_error_set(ret_err, lineno, "assignment without a key");
                if (section[0] == '\0')
                        return ini_error_set(ret_err, lineno, "assignment %s= outside of any section", ks);
                k = handler(section, ks, vs, lineno, ret_err, userdata);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int io_fail(struct ini_error *err, const char *file, int k) {
        copy_trunc(err->file, sizeof err->file, file);
        err->line = 0;
        snprintf(err->reason, sizeof err->reason, "%s", strerror(-k));
        return k;
}

/* Read errors are I/O errors (named by io_fail); -EINVAL from here is always about content. */
static int apply_file(int dirfd, const char *name, const char *display, ini_handler_t handler,
                      void *userdata, struct ini_error *err) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int k;

        k = read_file_bounded(dirfd, name, false, INI_FILE_MAX, &buf, &len);
        if (k < 0)
                return k;
        return ini_parse_buffer(display, buf, len, handler, userdata, err);
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int ini_load(const char *path, bool must_exist, ini_handler_t handler, void *userdata,
             struct ini_error *ret_err) {
        char dropin[INI_PATH_MAX + 8];
        char *names[INI_DROPIN_MAX];
        size_t n_names = 0;
        struct dirent *de;
        DIR *d;
        int k;

        if (!path || !handler || !ret_err)
                return -EINVAL;
        k = apply_file(AT_FDCWD, path, path, handler, userdata, ret_err);
        if (k == -ENOENT && !must_exist)
                k = 0;
        if (k == -EINVAL)
                return k;
        if (k < 0)
                return io_fail(ret_err, path, k);

        if ((size_t)snprintf(dropin, sizeof dropin, "%s.d", path) >= sizeof dropin)
                return io_fail(ret_err, path, -ENAMETOOLONG);
        d = opendir(dropin);
        if (!d) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                return io_fail(ret_err, dropin, -errno);
        }
        k = 0;
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
                        continue;
                if (n_names >= INI_DROPIN_MAX) {
                        k = -E2BIG;
                        break;
                }
                names[n_names] = strdup(de->d_name);
                if (!names[n_names]) {
                        k = -ENOMEM;
                        break;
                }
                n_names++;
        }
        if (k == 0) {
                qsort(names, n_names, sizeof names[0], cmp_str);
                for (size_t i = 0; i < n_names && k == 0; i++) {
                        char display[INI_PATH_MAX * 2 + 2];
                        snprintf(display, sizeof display, "%s/%s", dropin, names[i]);
                        k = apply_file(dirfd(d), names[i], display, handler, userdata, ret_err);
                        if (k < 0 && k != -EINVAL)
                                io_fail(ret_err, display, k);
                }
        } else
                io_fail(ret_err, dropin, k);
        for (size_t i = 0; i < n_names; i++)
                free(names[i]);
        closedir(d);
        return k;
}
