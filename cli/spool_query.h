/* SPDX-License-Identifier: MIT */
/* The spool as `oomlens list/show/follow/stats` read it: every report file summarised, newest
 * last; what cannot be read is skipped with a warning on stderr that names the file and the
 * reason (corrupt, foreign, too big, unreadable), never fatal. Errors about the spool itself
 * (missing, permission) are explained: which group to join, where the setting is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "report_summary.h"

#define SPOOL_FILE_LIMIT ((off_t)16 * 1024 * 1024) /* a report file bigger than this is not ours */

struct spool_report {
        struct report_summary s;
        char name[SPOOL_NAME_MAX]; /* the file name, "<id>.json" */
};

/* Open the spool directory; on failure print why to stderr (with the fix) and return -errno. */
int spool_query_open(const char *dir, const char *config_path, int *ret_fd);

/* Read one report file (bounded); warnings are the caller's. */
int spool_query_read(int dirfd, const char *name, char **ret, size_t *ret_len);
/* Summarise one file; prints the warning for a file that is skipped. -errno when skipped. */
int spool_query_summarise(int dirfd, const char *dir, const char *name, struct report_summary *ret);

/* Every report in the spool, oldest first (time, then name); *ret malloc'd. quiet: no warnings
 * for foreign entries (follow re-reads the directory on every event). */
int spool_query_load(int dirfd, const char *dir, bool quiet, struct spool_report **ret, size_t *ret_n);

/* The boots that have reports, in order of their first report (pointers into v). */
int spool_query_boots(const struct spool_report *v, size_t n, const char ***ret, size_t *ret_n);

/* ID (exact, with or without .json, or a unique part of a name) -> index into the names of
 * spool_list(). -ENOENT none, -EEXIST ambiguous (*ret_matches says how many). "latest" is the
 * caller's: the last name (names sort by time). */
int spool_query_find(const struct spool_entry *v, size_t n, const char *id, size_t *ret_index,
                     size_t *ret_matches);

/* This boot's id, 32 lower-case hex digits (from /proc/sys/kernel/random/boot_id). */
int current_boot_id(char ret[REPORT_SUMMARY_BOOT_MAX]);

/* Explain a permission problem on path: "readable by root and group 'G' (join it: ...)". */
void explain_access(const char *path);
