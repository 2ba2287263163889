/* SPDX-License-Identifier: MIT */
/* The report spool: one file per report, published atomically (a temporary ".#" name in the
 * same directory opened O_EXCL|O_NOFOLLOW, write, fsync, renameat, fsync the directory), so a
 * reader sees a whole file or none, also after a crash or a full disk. Retention caps the
 * number of files, the bytes they use, and keeps some space free; the oldest go first (names
 * sort by time), never the file just written. All calls take the directory fd: no path is
 * resolved twice and no symlink is followed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SPOOL_NAME_MAX 128
#define SPOOL_SUFFIX ".json"
#define SPOOL_DIR_MODE 0750
#define SPOOL_FILE_MODE 0640

struct spool_limits {
        uint64_t max_files;       /* 0 = no limit */
        uint64_t max_use_bytes;   /* 0 = no limit */
        uint64_t keep_free_bytes; /* 0 = no limit */
};

struct spool_entry {
        char name[SPOOL_NAME_MAX]; /* "<id>.json" */
        uint64_t size;             /* st_size */
        uint64_t disk_bytes;       /* st_blocks * 512 */
        int64_t mtime_usec;
};

struct spool_vacuum_result {
        size_t removed;
        uint64_t freed_bytes;
        size_t kept;
        uint64_t used_bytes;       /* by the kept files */
};

/* Open (and with create, mkdir 0750) the spool directory. Refuses a symlink. Returns the fd. */
int spool_open(const char *path, bool create, int *ret_fd);
/* A report file name: [A-Za-z0-9._:+-], ends in ".json", no leading '.', shorter than
 * SPOOL_NAME_MAX. Temp names (".#...") are never valid, so readers skip them. */
bool spool_name_valid(const char *name);
/* Write data as `name` atomically with mode 0640. -EEXIST if it already exists (the caller
 * decides whether that is a duplicate). On any failure no file and no temp file is left. */
int spool_publish(int dirfd, const char *name, const void *data, size_t len);
bool spool_exists(int dirfd, const char *name);
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
/* Report files sorted by name (= by time), oldest first. *ret is malloc'd. */
int spool_list(int dirfd, struct spool_entry **ret, size_t *ret_n);
/* Enforce the limits, oldest first, never removing `keep` (may be NULL). */
int spool_vacuum(int dirfd, const struct spool_limits *limits, const char *keep,
                 struct spool_vacuum_result *ret);
/* Read one report file (bounded by max_size; -EFBIG beyond). NUL-terminated, malloc'd. */
int spool_read(int dirfd, const char *name, size_t max_size, char **ret, size_t *ret_len);
