/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every module: cleanup attributes, ownership transfer, array sizes.
 * Modelled on systemd's macro.h / kmod's shared/macro.h. */
#pragma once

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _pure_ __attribute__((pure))
#define _warn_unused_result_ __attribute__((warn_unused_result))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Hand an owned pointer/fd on: the cleanup of the local then sees NULL/-1. */
#define TAKE_PTR(p)                              \
        ({                                       \
                __typeof__(p) _take_tmp_ = (p); \
                (p) = NULL;                      \
                _take_tmp_;                      \
        })
#define TAKE_FD(fd)                         \
        ({                                  \
                int _take_fd_ = (fd);       \
                (fd) = -1;                  \
                _take_fd_;                  \
        })

/* Define "<type>_freep" for a destructor "void <func>(<type> *)" that accepts NULL. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)           \
        static inline void func##p(__typeof__(type) *p) { \
                if (*p)                                   \
                        func(*p);                         \
        }

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static inline int negative_errno(void) {
        /* errno can be 0 after some libc calls that failed without setting it. */
        return errno > 0 ? -errno : -EIO;
}
