/* SPDX-License-Identifier: MIT */
/* The report spool, read side: what `oomlens list/show` (and the daemon's duplicate check and
 * retention) need to find and read report files. One file per report, named
 * "<UTC time>-<boot>-<kernel seq>.json"; names sort by time. Every call takes the directory fd:
 * no path is resolved twice and no symlink is followed. The daemon's writer (atomic publish,
 * retention) is daemon/spool_writer.h. */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPOOL_DEFAULT_DIR "/var/spool/oomlens" /* oomlensd.conf [Spool] Directory= */
#define SPOOL_NAME_MAX 128
#define SPOOL_SUFFIX ".json"
/* Files being written are ".#<name>.<random>": never a valid report name, so readers skip them. */
#define SPOOL_TEMP_PREFIX ".#"

struct spool_entry {
        char name[SPOOL_NAME_MAX]; /* "<id>.json" */
        uint64_t size;             /* st_size */
        uint64_t disk_bytes;       /* st_blocks * 512 */
        int64_t mtime_usec;
};

/* Open the spool directory read-only. Refuses a symlink (-ELOOP). Returns the fd. */
int spool_open(const char *path, int *ret_fd);
/* A report file name: [A-Za-z0-9._:+-], ends in ".json", no leading '.', shorter than
 * SPOOL_NAME_MAX. Temp names (".#...") are never valid, so readers skip them. */
bool spool_name_valid(const char *name);
bool spool_exists(int dirfd, const char *name);
/* A DIR* of its own on the spool directory (readdir must not move the caller's fd). */
int spool_opendir(int dirfd, DIR **ret);
/* Report files (regular files with valid names) sorted by name (= by time), oldest first.
 * *ret is malloc'd. */
int spool_list(int dirfd, struct spool_entry **ret, size_t *ret_n);
/* Read one report file (bounded by max_size; -EFBIG beyond). NUL-terminated, malloc'd. */
int spool_read(int dirfd, const char *name, size_t max_size, char **ret, size_t *ret_len);
