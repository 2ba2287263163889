/* SPDX-License-Identifier: MIT */
/* oomlensd's configuration: INI in systemd's style ("[Section]", "Key=value", '#'/';'
 * comments), the main file plus "<main>.d/NAME.conf" drop-ins applied in name order, later
 * assignments win, an empty value resets a key to its default. Unknown sections and keys and
 * bad values are errors that name the file, the line and the reason (returned, never printed). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAEMON_CONFIG_PATH_MAX 1024
#ifndef DAEMON_CONFIG_DEFAULT_PATH /* the build sets it from CMAKE_INSTALL_FULL_SYSCONFDIR */
#define DAEMON_CONFIG_DEFAULT_PATH "/etc/oomlens/oomlensd.conf"
#endif

struct daemon_config {
        /* [Kmsg] */
        char kmsg_path[DAEMON_CONFIG_PATH_MAX];   /* Path= */
        uint32_t max_records_per_dispatch;        /* MaxRecordsPerDispatch= */
        char boot_id[64];                         /* BootId= (recorded streams); "" = automatic */
        /* [Assembler] */
        uint64_t reaper_wait_usec;                /* ReaperWaitSec= */
        uint64_t quiet_timeout_usec;              /* QuietTimeoutSec= */
        uint32_t max_lines_per_report;            /* MaxLinesPerReport= */
        /* [Spool] */
        char spool_dir[DAEMON_CONFIG_PATH_MAX];   /* Directory= */
        uint64_t max_reports;                     /* MaxReports= (0 = no limit) */
        uint64_t max_use_bytes;                   /* MaxUse= (0 = no limit) */
        uint64_t keep_free_bytes;                 /* KeepFree= (0 = no limit) */
        uint64_t retry_usec;                      /* RetrySec= */
        uint32_t max_pending;                     /* MaxPending= reports waiting for disk space */
        /* [State] */
        char state_dir[DAEMON_CONFIG_PATH_MAX];   /* Directory= */
        /* [Journal] */
        bool journal;                             /* Enabled= */
        /* [RateLimit] */
        uint32_t rate_burst;                      /* Burst= (0 = no limit) */
        uint64_t rate_interval_usec;              /* IntervalSec= */
        /* [Metrics] */
        char metrics_dir[DAEMON_CONFIG_PATH_MAX]; /* TextfileDirectory= ("" = no metrics file) */
};

struct config_error {
        char file[DAEMON_CONFIG_PATH_MAX];
        unsigned line;       /* 0 = the file as a whole (e.g. unreadable) */
        char reason[256];
};

void daemon_config_defaults(struct daemon_config *ret);

/* Apply the assignments in one buffer (the contents of `filename`). On -EINVAL, *ret_err says
 * where and why; cfg may be partly updated (callers parse into a copy). */
int daemon_config_parse_buffer(struct daemon_config *cfg, const char *filename, const char *buf,
                               size_t len, struct config_error *ret_err);

/* Defaults, then `path` (missing is fine unless must_exist), then "<path>.d/NAME.conf" in name
 * order. ret is untouched on failure. -EINVAL: bad content (see err); other -errno: I/O. */
int daemon_config_load(const char *path, bool must_exist, struct daemon_config *ret,
                       struct config_error *ret_err);

/* Value parsers, exported for the command line: "10", "1.5s", "250ms", "2min", "1h", "3us". */
int parse_time_span_usec(const char *s, uint64_t *ret);
/* "123", "64K", "1.5M", "2G", "1T" (1024-based). */
int parse_size_bytes(const char *s, uint64_t *ret);
int parse_boolean(const char *s, bool *ret);
