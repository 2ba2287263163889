/* SPDX-License-Identifier: MIT */
#include "follow.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "spool_commands.h"

#define SEEN_PRUNE 4096 /* beyond this many names, forget those no longer in the spool */

struct follower {
        struct query_options *o;
        int ifd;       /* inotify */
        int wd;        /* watch on the spool, or on the ancestor we wait on */
        bool on_spool; /* wd watches the spool itself */
        int dirfd;     /* the spool, open only while events are handled: an open fd
                        * would hold off IN_DELETE_SELF until it is closed */
        char **seen;   /* names already printed or there before we started (sorted) */
        size_t n_seen;
        bool header_done;
        bool said_waiting;
};

static int cmp_name(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool seen_has(const struct follower *f, const char *name) {
        return f->n_seen > 0 && bsearch(&name, f->seen, f->n_seen, sizeof *f->seen, cmp_name) != NULL;
}

static int seen_add(struct follower *f, const char *name) {
        char **nv, *s;
        size_t i = 0;

        if (seen_has(f, name))
                return 0;
        s = strdup(name);
        if (!s)
                return -ENOMEM;
        nv = reallocarray(f->seen, f->n_seen + 1, sizeof *nv);
        if (!nv) {
                free(s);
                return -ENOMEM;
        }
        f->seen = nv;
        while (i < f->n_seen && strcmp(f->seen[i], name) < 0)
                i++;
        memmove(f->seen + i + 1, f->seen + i, (f->n_seen - i) * sizeof *nv);
        f->seen[i] = s;
        f->n_seen++;
        return 0;
}

static void seen_clear(struct follower *f) {
        for (size_t i = 0; i < f->n_seen; i++)
                free(f->seen[i]);
        free(f->seen);
        f->seen = NULL;
        f->n_seen = 0;
}

/* Print one report if it passes the matches. */
static int emit(struct follower *f, const struct spool_report *r) {
        if (!report_filter_match(&f->o->filter, &r->s))
                return 0;
        if (f->o->json) {
                _cleanup_free_ char *buf = NULL;
                size_t len = 0;
                int k = spool_query_read(f->dirfd, r->name, &buf, &len);
                if (k >= 0)
                        k = print_json_line(stdout, buf, len);
                if (k < 0)
                        fprintf(stderr, "oomlens: warning: %s/%s: %s, skipped\n", f->o->spool_dir, r->name,
                                strerror(-k));
        } else
                (void)list_print_row(stdout, &r->s, &f->o->style, &f->header_done);
        return fflush(stdout) == 0 ? 0 : -errno;
}

/* A name arrived (or a rescan found it): print it once. */
static int arrived(struct follower *f, const char *name) {
        struct spool_report r;
        int k;

        if (!spool_name_valid(name) || seen_has(f, name))
                return 0;
        k = seen_add(f, name);
        if (k < 0)
                return k;
        if (spool_query_summarise(f->dirfd, f->o->spool_dir, name, &r.s) < 0)
                return 0; /* warned */
        snprintf(r.name, sizeof r.name, "%s", name);
        if (!num_set(r.s.time_usec)) {
                struct stat st;
                if (fstatat(f->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        r.s.time_usec = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
        }
        return emit(f, &r);
}

/* Everything in the spool now. initial: these were there before we started; mark them seen,
 * print the newest -n of them. Otherwise (the spool appeared, or events were lost) each one
 * not seen yet is new. */
static int scan(struct follower *f, bool initial) {
        _cleanup_free_ struct spool_report *v = NULL;
        size_t n = 0, first = 0;
        int k;

        k = spool_query_load(f->dirfd, f->o->spool_dir, !initial, &v, &n);
        if (k < 0)
                return k;
        if (initial) {
                _cleanup_free_ const char **boots = NULL;
                char current[REPORT_SUMMARY_BOOT_MAX] = "";
                size_t n_boots = 0, m = 0;

                if (f->o->filter.boot.set && !f->o->filter.boot_resolved[0]) {
                        (void)current_boot_id(current);
                        k = spool_query_boots(v, n, &boots, &n_boots);
                        if (k < 0)
                                return k;
                        k = query_options_resolve_boot(f->o, boots, n_boots, current[0] ? current : NULL);
                        if (k < 0)
                                return k;
                }
                for (size_t i = 0; i < n; i++) {
                        k = seen_add(f, v[i].name);
                        if (k < 0)
                                return k;
                }
                for (size_t i = 0; i < n; i++)
                        if (report_filter_match(&f->o->filter, &v[i].s))
                                v[m++] = v[i];
                if (f->o->lines > 0 && (size_t)f->o->lines < m)
                        first = m - (size_t)f->o->lines;
                for (size_t i = first; f->o->lines > 0 && i < m; i++) {
                        k = emit(f, &v[i]);
                        if (k < 0)
                                return k;
                }
                return 0;
        }
        for (size_t i = 0; i < n; i++) {
                if (seen_has(f, v[i].name))
                        continue;
                k = seen_add(f, v[i].name);
                if (k == 0)
                        k = emit(f, &v[i]);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* Forget names retention removed: they never come back (a new report gets a new name). */
static void seen_prune(struct follower *f) {
        size_t m = 0;
        for (size_t i = 0; i < f->n_seen; i++) {
                struct stat st;
                if (fstatat(f->dirfd, f->seen[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
                        f->seen[m++] = f->seen[i];
                else
                        free(f->seen[i]);
        }
        f->n_seen = m;
}

static void detach(struct follower *f) {
        if (f->wd >= 0)
                (void)inotify_rm_watch(f->ifd, f->wd);
        f->wd = -1;
        if (f->dirfd >= 0)
                close(f->dirfd);
        f->dirfd = -1;
        f->on_spool = false;
}

/* Watch the spool, or (while it does not exist) the nearest parent that does. */
static int attach(struct follower *f, bool initial) {
        const char *dir = f->o->spool_dir;
        char up[PATH_MAX];
        int k;

        detach(f);
        /* The watch first, then the listing: a file renamed in between is in both, not in neither. */
        f->wd = inotify_add_watch(f->ifd, dir,
                                  IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                          IN_DONT_FOLLOW);
        if (f->wd >= 0) {
                k = spool_query_open(dir, f->o->config_path, &f->dirfd);
                if (k < 0)
                        return k;
                f->on_spool = true;
                if (f->said_waiting)
                        fprintf(stderr, "oomlens: %s appeared; following it\n", dir);
                k = scan(f, initial);
                close(f->dirfd);
                f->dirfd = -1;
                return k;
        }
        k = -errno;
        if (k != -ENOENT && k != -ENOTDIR) {
                if (k == -EACCES) {
                        fprintf(stderr, "oomlens: %s: permission denied\n", dir);
                        explain_access(dir);
                } else
                        fprintf(stderr, "oomlens: %s: %s\n", dir, strerror(-k));
                return k;
        }
        if (initial && f->o->filter.boot.set && !f->o->filter.boot_resolved[0]) {
                char current[REPORT_SUMMARY_BOOT_MAX] = "";
                (void)current_boot_id(current);
                k = query_options_resolve_boot(f->o, NULL, 0, current[0] ? current : NULL);
                if (k < 0)
                        return k;
        }
        snprintf(up, sizeof up, "%s", dir);
        for (;;) {
                char *slash = strrchr(up, '/');
                if (!slash)
                        return -ENOENT;
                if (slash == up)
                        slash[1] = '\0';
                else
                        *slash = '\0';
                f->wd = inotify_add_watch(
                        f->ifd, up, IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
                if (f->wd >= 0)
                        break;
                if (errno != ENOENT && errno != ENOTDIR) {
                        k = -errno;
                        fprintf(stderr, "oomlens: %s: %s\n", up, strerror(-k));
                        return k;
                }
                if (strcmp(up, "/") == 0)
                        return -ENOENT;
        }
        if (!f->said_waiting)
                fprintf(stderr, "oomlens: %s does not exist (yet); waiting for it\n", dir);
        f->said_waiting = true;
        return 0;
}

static int handle_events(struct follower *f) {
        char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
        bool reattach = false, rescan = false;
        int k = 0;

        if (f->on_spool && spool_open(f->o->spool_dir, &f->dirfd) < 0)
                f->dirfd = -1; /* gone or replaced: the events say which */

        for (;;) {
                ssize_t l = read(f->ifd, buf, sizeof buf);
                if (l < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        k = -errno;
                        goto done;
                }
                for (char *p = buf; p < buf + l && k >= 0;) {
                        const struct inotify_event *e = (const struct inotify_event *)p;
                        p += sizeof *e + e->len;
                        if (e->mask & IN_Q_OVERFLOW) {
                                rescan = true;
                                continue;
                        }
                        if (e->wd != f->wd)
                                continue; /* a watch we already dropped */
                        if (!f->on_spool || (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))) {
                                reattach = true;
                                continue;
                        }
                        if (e->len > 0 && (e->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)) && f->dirfd >= 0) {
                                k = arrived(f, e->name);
                        }
                }
                if (k < 0)
                        goto done;
        }
        if (f->on_spool && f->dirfd < 0)
                reattach = true;
        if (rescan && !reattach && f->dirfd >= 0)
                k = scan(f, false);
        if (k == 0 && f->dirfd >= 0 && f->n_seen > SEEN_PRUNE)
                seen_prune(f);
done:
        if (f->dirfd >= 0)
                close(f->dirfd);
        f->dirfd = -1;
        if (k == 0 && reattach) {
                if (f->on_spool) {
                        fprintf(stderr, "oomlens: %s was removed; waiting for it\n", f->o->spool_dir);
                        /* Whatever a new spool holds is new, whatever its names. */
                        seen_clear(f);
                }
                k = attach(f, false);
        }
        return k;
}

int cmd_follow(int argc, char **argv) {
        struct query_options o;
        struct follower f = {.ifd = -1, .wd = -1, .dirfd = -1};
        _cleanup_close_ int sfd = -1;
        sigset_t mask;
        int k;

        k = query_options_parse(QUERY_FOLLOW, argc, argv, &o);
        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_ERROR;
        f.o = &o;
        /* Output goes out as reports arrive: a reader on a pipe must not wait for a buffer. */
        setvbuf(stdout, NULL, _IOLBF, 0);
        signal(SIGPIPE, SIG_IGN);
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        f.ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (sfd < 0 || f.ifd < 0) {
                fprintf(stderr, "oomlens: follow: %s\n", strerror(errno));
                k = -errno;
                goto done;
        }
        k = attach(&f, true);
        while (k >= 0) {
                struct pollfd p[2] = {{.fd = sfd, .events = POLLIN}, {.fd = f.ifd, .events = POLLIN}};
                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        k = -errno;
                        break;
                }
                if (p[0].revents) /* SIGINT, SIGTERM: the normal end */
                        break;
                if (p[1].revents)
                        k = handle_events(&f);
        }
done:
        detach(&f);
        seen_clear(&f);
        if (f.ifd >= 0)
                close(f.ifd);
        query_options_done(&o);
        /* A reader that went away (oomlens follow | head -1) ends us too, without an error. */
        if (k == -EPIPE)
                return EXIT_FOUND;
        return k < 0 ? EXIT_ERROR : EXIT_FOUND;
}
