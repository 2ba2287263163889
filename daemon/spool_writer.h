/* SPDX-License-Identifier: MIT */
/* The report spool, write side (oomlensd only): one file per report, published atomically (a
 * temporary ".#" name in the same directory opened O_EXCL|O_NOFOLLOW, write, fsync, renameat,
 * fsync the directory), so a reader sees a whole file or none, also after a crash or a full
 * disk. Retention caps the number of files, the bytes they use, and keeps some space free; the
 * oldest go first (names sort by time), never the file just written. All calls take the
 * directory fd: no path is resolved twice and no symlink is followed. Reading, listing and
 * name rules are common/output/spool_reader.h. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spool_reader.h"

#define SPOOL_DIR_MODE 0750
#define SPOOL_FILE_MODE 0640

struct spool_limits {
        uint64_t max_files;       /* 0 = no limit */
        uint64_t max_use_bytes;   /* 0 = no limit */
        uint64_t keep_free_bytes; /* 0 = no limit */
};

struct spool_vacuum_result {
        size_t removed;
        uint64_t freed_bytes;
        size_t kept;
        uint64_t used_bytes;       /* by the kept files */
};

/* The names oomlensd gives its reports: "<UTC YYYYmmddTHHMMSSZ>[.<n>]-<boot tag>-<kernel seq,
 * at least 12 digits>.json" (boot tag: 1-8 name characters). ".<n>" (1-9) is used only when the
 * plain name is taken by something that is not a report file (a planted symlink or directory).
 * Retention touches nothing else: files of other names in the spool are not ours to remove. */
#define SPOOL_NAME_VARIANTS 10
#define SPOOL_BOOT_TAG_MAX 8
int spool_format_name(int64_t wall_sec, unsigned variant, const char *boot_tag, int64_t seq, char *buf,
                      size_t size);
/* name with its variant replaced by `variant` (0 = none); -EINVAL if name is not ours. */
int spool_name_variant(const char *name, unsigned variant, char *buf, size_t size);
bool spool_name_is_ours(const char *name);
/* The part of one of our names fixed by the kernel record: the boot tag and the seq. */
int spool_name_key(const char *name, char ret_tag[SPOOL_BOOT_TAG_MAX + 1], int64_t *ret_seq);

/* Create (mkdir 0750, parents are the caller's) and open the spool directory; refuses a symlink. */
int spool_writer_open(const char *path, int *ret_fd);
/* Write data as `name` atomically with mode 0640. -EEXIST if a file of that name exists (the
 * caller decides whether that is a duplicate); -EBUSY if the name is taken by something else (a
 * symlink, a directory: never followed, never replaced; the caller picks another name). On any
 * failure no file and no temp file is left. */
int spool_publish(int dirfd, const char *name, const void *data, size_t len);
/* The two halves of spool_publish(), for callers that must do something between "the data is
 * safely on disk" and "the file is visible" (oomlensd sends the journal entry there).
 * prepare: write + fsync a temp file (on failure nothing is left); commit: rename + fsync the
 * directory (on rename failure the temp file is removed); abort: remove the temp file. */
#define SPOOL_TEMP_NAME_MAX (SPOOL_NAME_MAX + 32)
int spool_prepare(int dirfd, const char *name, const void *data, size_t len, char ret_tmp[SPOOL_TEMP_NAME_MAX]);
int spool_commit(int dirfd, const char *tmp, const char *name);
void spool_abort(int dirfd, const char *tmp);
/* Remove temp files left by a crash between create and rename. Returns how many. */
int spool_remove_stale_temp(int dirfd);
/* Enforce the limits on our own report files (spool_name_is_ours), oldest first, never
 * removing `keep` (may be NULL). With no limit at all nothing is listed (*ret all zero). */
int spool_vacuum(int dirfd, const struct spool_limits *limits, const char *keep,
                 struct spool_vacuum_result *ret);
