/* SPDX-License-Identifier: MIT */
/* The options of the query commands (list, show, follow, journal, stats): one table, each
 * command accepting its part of it, the names and forms of journalctl/coredumpctl where they
 * have one (--since/-S, --until/-U, -b/--boot, -n/--lines, -D/--directory, --file, --utc,
 * --no-pager, --no-legend). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cli_config.h"
#include "list_output.h"
#include "report_filter.h"

enum query_command {
        QUERY_LIST,
        QUERY_SHOW,
        QUERY_FOLLOW,
        QUERY_JOURNAL,
        QUERY_STATS,
};

#define QUERY_MAX_FILES 64

struct query_options {
        enum query_command cmd;
        const char *config_path; /* --config, else the default */
        bool config_given;
        char spool_dir[INI_PATH_MAX]; /* --spool-dir, else the configuration's */
        struct report_filter filter;
        bool json, raw, no_pager;
        struct list_style style;
        int64_t lines;                      /* -n: the newest N only; -1 = all */
        const char *directory;              /* journal --directory */
        const char *files[QUERY_MAX_FILES]; /* journal --file (repeatable) */
        size_t n_files;
        const char *id; /* show: ID or "latest" */
};

/* Parse argv (argv[0] is the command name). Returns 0 to run, 1 when --help or a "help" value
 * was printed (exit 0), -EINVAL after printing a usage error. */
int query_options_parse(enum query_command cmd, int argc, char **argv, struct query_options *ret);
void query_options_done(struct query_options *o);

/* Resolve --boot against the boots that have reports (oldest first) and the current one;
 * prints an error when there is no such boot. */
int query_options_resolve_boot(struct query_options *o, const char *const *boots, size_t n,
                               const char *current);

/* The usage of all commands (one help, as systemd's tools print it). */
void query_usage(FILE *f);
