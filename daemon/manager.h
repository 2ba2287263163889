/* SPDX-License-Identifier: MIT */
/* oomlensd's manager: one struct owning the sd-event loop and everything hanging off it —
 * the kmsg source (the /dev/kmsg device, or a recorded stream / FIFO with one record per
 * line), the engine (log reader -> report assembler -> report_build), the spool, the journal
 * sink, the persisted kmsg position, the storm limiter, signals, the watchdog and sd_notify.
 *
 * Library code does not log: everything the daemon should tell the user goes through the
 * log callback in the options (daemon/oomlensd.c prints it). */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "daemon_config.h"
#include "macro.h"

typedef void (*manager_log_fn)(void *userdata, int priority, const char *fmt, va_list ap);

/* Command-line settings that override the configuration (also after SIGHUP). */
struct manager_overrides {
        const char *kmsg_path;
        const char *spool_dir;
        const char *state_dir;
        const char *boot_id;
        int journal; /* -1 = from config, 0 = off, 1 = on */
};

struct manager_options {
        const char *config_path;  /* re-read on SIGHUP */
        bool config_must_exist;
        struct manager_overrides overrides;
        bool oneshot;             /* process what is there (to EOF / EAGAIN), then exit */
        manager_log_fn log;
        void *log_userdata;
};

struct manager_counters {
        uint64_t records;                  /* kmsg records parsed */
        uint64_t records_ignored_facility; /* not facility kern: userspace writes, never reports */
        uint64_t records_unparsable;
        uint64_t records_skipped_seen;     /* already handled before a restart */
        uint64_t gaps, records_lost;
        uint64_t reports;                  /* every report seen, suppressed or not */
        uint64_t reports_incomplete;
        uint64_t reports_unanalysable;
        uint64_t reports_duplicate;        /* already in the spool (restart replay) */
        uint64_t reports_suppressed;       /* storm limit */
        uint64_t files_written, files_pending, files_dropped, file_errors, files_vacuumed;
        uint64_t journal_entries, journal_errors;
};

/* Exit codes of oomlensd (docs/oomlensd.8.md). */
enum {
        MANAGER_EXIT_OK = 0,
        MANAGER_EXIT_FAILURE = 1,
        MANAGER_EXIT_USAGE = 2,
        MANAGER_EXIT_CONFIG = 3,
        MANAGER_EXIT_KMSG = 4,
        MANAGER_EXIT_DIRECTORY = 5,
};

struct manager;

/* Takes the loaded configuration (overrides already applied: see manager_apply_overrides). */
int manager_new(const struct manager_options *opts, const struct daemon_config *cfg, struct manager **ret);
void manager_free(struct manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct manager *, manager_free);

void manager_apply_overrides(const struct manager_overrides *o, struct daemon_config *cfg);

/* Open kmsg, load the state, check the spool, attach every source, send READY=1. On failure
 * returns a negative errno and sets *ret_exit_code to the MANAGER_EXIT_* that fits. */
int manager_start(struct manager *m, int *ret_exit_code);
/* Run until SIGTERM/SIGINT (or the end of input with --oneshot). Returns the exit code. */
int manager_run(struct manager *m);

void manager_get_counters(const struct manager *m, struct manager_counters *ret);
