/* SPDX-License-Identifier: MIT */
#include "kmsg_state.h"
#include "file_read.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "macro.h"

#define STATE_FILE_MAX (KMSG_STATE_MAX_JOURNALED * (KMSG_STATE_NAME_MAX + 16) + 256)

void kmsg_state_init(struct kmsg_state *s, const char *boot_id) {
        memset(s, 0, sizeof *s);
        snprintf(s->boot_id, sizeof s->boot_id, "%s", boot_id ? boot_id : "");
}

int kmsg_state_format(const struct kmsg_state *s, char *buf, size_t size, size_t *ret_len) {
        size_t n = 0;
        int r;

        r = snprintf(buf, size, "# oomlensd state: written atomically, do not edit\nBOOT_ID=%s\nNEXT_SEQ=%" PRIu64 "\n",
                     s->boot_id, s->next_seq);
        if (r < 0 || (size_t)r >= size)
                return -ENOBUFS;
        n = (size_t)r;
        for (size_t i = 0; i < s->n_journaled; i++) {
                r = snprintf(buf + n, size - n, "JOURNALED=%s\n", s->journaled[i]);
                if (r < 0 || (size_t)r >= size - n)
                        return -ENOBUFS;
                n += (size_t)r;
        }
        *ret_len = n;
        return 0;
}

static bool token_ok(const char *v) {
        if (*v == '\0')
                return false;
        for (; *v; v++)
                if (!isalnum((unsigned char)*v) && !strchr("-_.:+", *v))
                        return false;
        return true;
}

int kmsg_state_parse(const char *buf, size_t len, struct kmsg_state *ret) {
        struct kmsg_state s;
        bool have_boot = false, have_seq = false;
        char line[256];
        size_t pos = 0;

        kmsg_state_init(&s, NULL);
        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos);
                size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;

                if (l >= sizeof line || memchr(buf + pos, '\0', l))
                        return -EBADMSG;
                memcpy(line, buf + pos, l);
                line[l] = '\0';
                pos += l + 1;
                if (l == 0 || line[0] == '#')
                        continue;
                char *eq = strchr(line, '=');
                if (!eq)
                        return -EBADMSG;
                *eq = '\0';
                const char *v = eq + 1;
                size_t vn = strlen(v);
                if (strcmp(line, "BOOT_ID") == 0) {
                        if (!token_ok(v) || vn >= sizeof s.boot_id)
                                return -EBADMSG;
                        memcpy(s.boot_id, v, vn + 1);
                        have_boot = true;
                } else if (strcmp(line, "NEXT_SEQ") == 0) {
                        uint64_t n = 0;
                        if (*v == '\0')
                                return -EBADMSG;
                        for (; *v; v++) {
                                unsigned d = (unsigned)(*v - '0');
                                if (!isdigit((unsigned char)*v) || n > (UINT64_MAX - d) / 10)
                                        return -EBADMSG;
                                n = n * 10 + d;
                        }
                        s.next_seq = n;
                        have_seq = true;
                } else if (strcmp(line, "JOURNALED") == 0) {
                        if (!token_ok(v) || vn >= KMSG_STATE_NAME_MAX)
                                return -EBADMSG;
                        if (s.n_journaled < KMSG_STATE_MAX_JOURNALED)
                                memcpy(s.journaled[s.n_journaled++], v, vn + 1);
                }
                /* Unknown keys are ignored: a newer version may add some. */
        }
        if (!have_boot || !have_seq)
                return -EBADMSG;
        *ret = s;
        return 0;
}

int kmsg_state_load(int dirfd, struct kmsg_state *ret) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0;
        int k;

        k = read_file_bounded(dirfd, KMSG_STATE_FILE, true, STATE_FILE_MAX, &buf, &n);
        if (k < 0)
                return k;
        return kmsg_state_parse(buf, n, ret);
}

#define STATE_TEMP ".#" KMSG_STATE_FILE ".tmp"

int kmsg_state_prepare(int dirfd, const struct kmsg_state *s, bool sync) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        size_t len = 0, off = 0;
        int k;

        buf = malloc(STATE_FILE_MAX);
        if (!buf)
                return -ENOMEM;
        k = kmsg_state_format(s, buf, STATE_FILE_MAX, &len);
        if (k < 0)
                return k;
        /* A stale temp from a crash is ours to replace (single writer per state directory). */
        (void)unlinkat(dirfd, STATE_TEMP, 0);
        fd = openat(dirfd, STATE_TEMP, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        while (off < len) {
                ssize_t r = write(fd, buf + off, len - off);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        k = -errno;
                        goto fail;
                }
                off += (size_t)r;
        }
        if (sync && fsync(fd) < 0) {
                k = -errno;
                goto fail;
        }
        return 0;
fail:
        kmsg_state_abort(dirfd);
        return k;
}

int kmsg_state_commit(int dirfd, bool sync_dir) {
        int k;

        if (renameat(dirfd, STATE_TEMP, dirfd, KMSG_STATE_FILE) < 0) {
                k = -errno;
                kmsg_state_abort(dirfd);
                return k;
        }
        if (sync_dir && fsync(dirfd) < 0)
                return -errno;
        return 0;
}

void kmsg_state_abort(int dirfd) {
        (void)unlinkat(dirfd, STATE_TEMP, 0);
}

int kmsg_state_save(int dirfd, const struct kmsg_state *s) {
        int k = kmsg_state_prepare(dirfd, s, true);
        if (k < 0)
                return k;
        return kmsg_state_commit(dirfd, true);
}

int kmsg_state_save_visible(int dirfd, const struct kmsg_state *s) {
        int k = kmsg_state_prepare(dirfd, s, true);
        if (k < 0)
                return k;
        return kmsg_state_commit(dirfd, false);
}

bool kmsg_state_is_journaled(const struct kmsg_state *s, const char *name) {
        for (size_t i = 0; i < s->n_journaled; i++)
                if (strcmp(s->journaled[i], name) == 0)
                        return true;
        return false;
}

int kmsg_state_add_journaled(struct kmsg_state *s, const char *name) {
        size_t n = strlen(name);

        if (n >= KMSG_STATE_NAME_MAX || !token_ok(name))
                return -EINVAL;
        if (kmsg_state_is_journaled(s, name))
                return 0;
        if (s->n_journaled >= KMSG_STATE_MAX_JOURNALED)
                return -E2BIG;
        memcpy(s->journaled[s->n_journaled++], name, n + 1);
        return 0;
}

bool kmsg_state_remove_journaled(struct kmsg_state *s, const char *name) {
        for (size_t i = 0; i < s->n_journaled; i++)
                if (strcmp(s->journaled[i], name) == 0) {
                        memmove(s->journaled[i], s->journaled[i + 1],
                                (s->n_journaled - i - 1) * sizeof s->journaled[0]);
                        s->n_journaled--;
                        return true;
                }
        return false;
}

int kmsg_state_read_boot_id(char ret[KMSG_STATE_BOOT_ID_MAX]) {
        _cleanup_close_ int fd = -1;
        char buf[64];
        size_t j = 0;
        ssize_t n;

        fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        for (ssize_t i = 0; i < n && j < KMSG_STATE_BOOT_ID_MAX - 1; i++)
                if (isxdigit((unsigned char)buf[i]))
                        ret[j++] = buf[i];
        if (j != 32)
                return -EBADMSG;
        ret[j] = '\0';
        return 0;
}

void kmsg_state_boot_id_for_stream(const char *path, char ret[KMSG_STATE_BOOT_ID_MAX]) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
                h ^= *p;
                h *= 0x100000001b3ULL;
        }
        snprintf(ret, KMSG_STATE_BOOT_ID_MAX, "stream-%016" PRIx64, h);
}
