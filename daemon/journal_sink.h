/* SPDX-License-Identifier: MIT */
/* The journal entries oomlensd writes: one per report (fields a person can filter on), one per
 * kmsg gap, one per suppressed storm. Building an entry is pure (tests read the fields back);
 * journal_entry_send() hands it to sd_journal_sendv(). The MESSAGE_IDs are part of the
 * interface and are explained in systemd/oomlens.catalog. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "journal_fields.h" /* the MESSAGE_IDs, shared with `oomlens journal` */
#include "macro.h"
#include "report.h"

#define JOURNAL_ENTRY_MAX_FIELDS 48
#define JOURNAL_FIELD_VALUE_MAX 2048 /* one field's value is cut beyond this */

struct journal_entry {
        struct iovec iov[JOURNAL_ENTRY_MAX_FIELDS]; /* each iov_base is an owned "FIELD=value" */
        size_t n;
};

void journal_entry_done(struct journal_entry *e);
/* Append "FIELD=value" (value formatted; newlines kept, NULs impossible). -E2BIG when full. */
_printf_(3, 4) int journal_entry_add(struct journal_entry *e, const char *field, const char *fmt, ...);
/* The value of FIELD, or NULL. For tests and for logging the MESSAGE. */
const char *journal_entry_get(const struct journal_entry *e, const char *field);

/* The one-line summary, e.g. "oom-kill: python3[2668] in /system.slice/x.service — cgroup
 * limit 32.0 MiB reached". */
int journal_format_message(const struct oom_report *r, char *buf, size_t size);

/* An analysed report. spool_file: its path, or NULL when no file was (yet) written. */
int journal_entry_from_report(const struct oom_report *r, const char *report_id, const char *spool_file,
                              struct journal_entry *ret);
/* A raw report the analysis failed on: what is known (lines, seq, first line), and why. */
int journal_entry_from_raw(const struct raw_report *raw, const char *report_id, int analysis_error,
                           struct journal_entry *ret);
/* n_lost records in n_gaps holes between seq first_lost and last_lost were overwritten before
 * we read them (several holes are coalesced into one entry so an overrun storm cannot flood
 * the journal). */
int journal_entry_gap(uint64_t first_lost, uint64_t last_lost, uint64_t n_lost, uint64_t n_gaps, const char *why,
                      struct journal_entry *ret);
/* n reports in a storm got no entry and no file (still counted: total). */
int journal_entry_suppressed(uint64_t n, uint64_t total_suppressed, uint64_t total_reports,
                             struct journal_entry *ret);

int journal_entry_send(const struct journal_entry *e);
