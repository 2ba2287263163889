/* SPDX-License-Identifier: MIT */
/* One report in a line: what `oomlens list`, `follow`, `stats` and `journal` show and filter on
 * (when, which boot, kind, primary cause, victim, its RSS, the unit or container). Built from
 * the bytes of a spool file (oomlens.report/1 JSON) or from the fields of a journal entry.
 * Pure: no I/O; neither source is trusted (a corrupt or foreign file is an error code, never a
 * crash; strings are bounded and kept as found: escaping for a terminal is the printer's job). */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "spool_reader.h"

#define REPORT_SUMMARY_BOOT_MAX 40 /* a boot id: 32 hex digits; spool names carry 8 of them */
#define CONTAINER_ID_SHORT 12      /* docker ps / crictl ps width */

/* The workload the victim ran in, as the report JSON ("workload") or journal (OOM_UNIT=,
 * OOM_CONTAINER_ID=, OOM_POD_UID=) names it; "" = not known. */
struct report_workload {
        char unit[256];
        char slice[256];
        char container_id[128];
        char pod_uid[64];
        char qos[32];
};

struct report_summary {
        char id[SPOOL_NAME_MAX];            /* spool file name without ".json" */
        int64_t time_usec;                  /* wall clock (UTC), NUM_UNSET if unknown */
        char boot[REPORT_SUMMARY_BOOT_MAX]; /* boot id or its first 8 hex digits; "" unknown */
        int64_t seq;                        /* kernel record sequence number of the header */
        char kind[24];                      /* report_kind_to_string() or "unknown" */
        char cause[32];                     /* primary cause code or "unknown" */
        bool has_victim;
        char comm[OOM_COMM_MAX]; /* the victim, else the task whose allocation failed */
        int64_t pid;
        int64_t rss_kb; /* the victim's RSS (anon+file+shmem) */
        struct report_workload workload;
        char memcg[OOM_PATH_MAX];      /* the victim's memory cgroup, else the OOM's */
        char spool_file[OOM_PATH_MAX]; /* journal only: where the daemon wrote the file */
        bool complete;
        bool spans_gap;
        bool panic;
};

void report_summary_init(struct report_summary *ret);

/* The parts of a spool file name "<YYYYMMDDTHHMMSSZ>-<boot tag>-<seq>.json" (".json" optional):
 * -EINVAL when the name does not have that shape. */
int spool_name_parse(const char *name, int64_t *ret_time_usec, char ret_boot[REPORT_SUMMARY_BOOT_MAX],
                     int64_t *ret_seq);

/* A spool file: its name (for id, time and boot) and its bytes. -EBADMSG: not a JSON object
 * (or bytes after it); -ENOMSG: JSON, but not an oomlens report (no "schema"); -EPROTONOSUPPORT:
 * a newer schema than oomlens.report/1; -EFBIG: longer than INT_MAX. ret untouched on failure. */
int report_summary_from_json(const char *name, const char *buf, size_t len, struct report_summary *ret);

/* One field of a journal entry as sd_journal_enumerate_data() hands it out: "NAME=value",
 * not NUL-terminated, may hold any byte. */
struct journal_field {
        const void *data;
        size_t len;
};
/* A report's journal entry (MESSAGE_ID = OOMLENS_MESSAGE_ID_REPORT). -ENOMSG without
 * OOM_REPORT_ID=. realtime_usec/boot_id: the entry's own (NUM_UNSET / NULL when unknown). */
int report_summary_from_journal(const struct journal_field *fields, size_t n, int64_t realtime_usec,
                                const char *boot_id, struct report_summary *ret);

/* The "unit or container" column: the unit, else the container id cut to 12 characters, else
 * the pod UID, else the memcg path, else "-". Points into s or at a static string. */
const char *report_summary_where(const struct report_summary *s, char buf[CONTAINER_ID_SHORT + 1]);

/* {"id", "time_usec", "boot", "seq", "kind", "cause", "victim": {"comm", "pid", "rss_kb"},
 *  "workload": {...}, "memcg", "complete", "spans_gap", "panic"} (strings made valid UTF-8). */
int report_summary_to_json(const struct report_summary *s, json_object **ret);
