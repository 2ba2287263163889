/* SPDX-License-Identifier: MIT */
/* The matches `oomlens list/follow/stats/journal` share: --since, --until, --cause, --comm,
 * --unit, --kind, --boot. Several values of one option (repeated, or comma-separated) are
 * alternatives; different options must all match, as with journalctl's matches. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report_summary.h"

#define FILTER_MAX_VALUES 32

struct boot_spec {
        bool set;
        bool is_offset; /* 0 = this boot, -1 = the one before, 1 = the oldest known */
        int offset;
        char id[REPORT_SUMMARY_BOOT_MAX]; /* lower-case hex without dashes (a prefix is fine) */
};

struct report_filter {
        int64_t since_usec, until_usec;  /* NUM_UNSET = open */
        char *causes[FILTER_MAX_VALUES]; /* owned copies */
        size_t n_causes;
        char *kinds[FILTER_MAX_VALUES];
        size_t n_kinds;
        char *comms[FILTER_MAX_VALUES]; /* glob patterns */
        size_t n_comms;
        char *units[FILTER_MAX_VALUES]; /* glob patterns */
        size_t n_units;
        struct boot_spec boot;
        char boot_resolved[REPORT_SUMMARY_BOOT_MAX]; /* the boot id --boot named, once resolved */
};

void report_filter_init(struct report_filter *f);
void report_filter_done(struct report_filter *f);

/* Add the comma-separated values of one option. Causes and kinds are checked against the
 * engine's codes (-EINVAL names none: the caller prints report_filter_list_*()); -E2BIG when
 * more than FILTER_MAX_VALUES. */
int report_filter_add_causes(struct report_filter *f, const char *values, const char **ret_bad);
int report_filter_add_kinds(struct report_filter *f, const char *values, const char **ret_bad);
int report_filter_add_comms(struct report_filter *f, const char *values);
int report_filter_add_units(struct report_filter *f, const char *values);

/* Every valid --cause / --kind value, one per line (for "--cause=help" and completion). */
void report_filter_list_causes(FILE *out);
void report_filter_list_kinds(FILE *out);

/* journalctl -b's forms: "" or "0" (this boot), "-N", "+N"/"N" (N-th oldest), a boot id with or
 * without dashes, a prefix of at least 8 hex digits of one (spool names hold 8), or the BootId=
 * of a recorded stream. */
int boot_spec_parse(const char *s, struct boot_spec *ret);
/* Does the next command-line word look like a boot spec? (for "-b -1", as journalctl) */
bool boot_spec_looks_like(const char *s);
/* Which boot the spec names, given the boots that have reports ordered oldest first and the
 * running boot's id (current may be missing from boots: a boot without reports). Writes the
 * boot id (or tag) to ret. -ENXIO when no boot is at that offset. */
int boot_spec_resolve(const struct boot_spec *spec, const char *const *boots, size_t n, const char *current,
                      char ret[REPORT_SUMMARY_BOOT_MAX]);
/* Same boot? Either may be a prefix (spool names carry 8 hex digits, the journal 32). */
bool boot_id_matches(const char *a, const char *b);

/* Does the summary pass? (--boot only once boot_resolved is set.) */
bool report_filter_match(const struct report_filter *f, const struct report_summary *s);
