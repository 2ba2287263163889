/* SPDX-License-Identifier: MIT */
/* oomlensd: kernel OOM reports from /dev/kmsg to the journal and a spool of JSON files.
 * Arguments -> configuration -> manager -> loop; everything else lives in daemon/manager.c.
 * Exit codes: docs/oomlensd.8.md (MANAGER_EXIT_* in daemon/manager.h). */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon_config.h"
#include "manager.h"

struct log_target {
        int max_priority;
        bool prefix; /* "<N>" prefixes for journald/syslog when stderr is not a terminal */
};

static _printf_(3, 0) void log_stderr(void *userdata, int priority, const char *fmt, va_list ap) {
        const struct log_target *t = userdata;
        if (priority > t->max_priority)
                return;
        if (t->prefix)
                fprintf(stderr, "<%d>", priority);
        else
                fputs("oomlensd: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
}

static void usage(FILE *f) {
        fputs("Usage: oomlensd [OPTIONS]\n"
              "\n"
              "Watch the kernel log for OOM-killer reports and allocation failures; write one journal\n"
              "entry and one JSON file (oomlens.report/1) per report.\n"
              "\n"
              "  -c, --config=FILE     configuration file (default " DAEMON_CONFIG_DEFAULT_PATH ",\n"
              "                        plus FILE.d/*.conf drop-ins)\n"
              "  -k, --kmsg=PATH       read a recorded kmsg stream or FIFO (one record per line)\n"
              "                        instead of /dev/kmsg\n"
              "  -s, --spool-dir=DIR   where report files go\n"
              "  -S, --state-dir=DIR   where the kmsg position is kept\n"
              "      --boot-id=ID      boot id for a recorded stream (default: hash of PATH)\n"
              "      --journal=BOOL    write journal entries (default yes)\n"
              "  -1, --oneshot         process what is there and exit\n"
              "  -v, --verbose         log informational messages too\n"
              "  -h, --help            this help\n"
              "      --version         print the version\n"
              "\n"
              "Exit status: 0 ok, 1 runtime failure, 2 bad command line, 3 bad configuration,\n"
              "4 kmsg source cannot be opened, 5 state directory unusable.\n",
              f);
}

int main(int argc, char **argv) {
        enum { ARG_BOOT_ID = 0x100, ARG_JOURNAL, ARG_VERSION };
        static const struct option options[] = {
                { "config", required_argument, NULL, 'c' },
                { "kmsg", required_argument, NULL, 'k' },
                { "spool-dir", required_argument, NULL, 's' },
                { "state-dir", required_argument, NULL, 'S' },
                { "boot-id", required_argument, NULL, ARG_BOOT_ID },
                { "journal", required_argument, NULL, ARG_JOURNAL },
                { "oneshot", no_argument, NULL, '1' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                {},
        };
        struct log_target target = { .max_priority = LOG_NOTICE, .prefix = !isatty(STDERR_FILENO) && getenv("JOURNAL_STREAM") };
        struct manager_options opts = {
                .config_path = DAEMON_CONFIG_DEFAULT_PATH,
                .overrides.journal = -1,
                .log = log_stderr,
                .log_userdata = &target,
        };
        _cleanup_(manager_freep) struct manager *m = NULL;
        struct daemon_config cfg;
        struct config_error err;
        int c, k, code;
        bool b;

        while ((c = getopt_long(argc, argv, "c:k:s:S:1vh", options, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        opts.config_path = optarg;
                        opts.config_must_exist = true;
                        break;
                case 'k':
                        opts.overrides.kmsg_path = optarg;
                        break;
                case 's':
                        opts.overrides.spool_dir = optarg;
                        break;
                case 'S':
                        opts.overrides.state_dir = optarg;
                        break;
                case ARG_BOOT_ID:
                        opts.overrides.boot_id = optarg;
                        break;
                case ARG_JOURNAL:
                        if (parse_boolean(optarg, &b) < 0) {
                                fprintf(stderr, "oomlensd: --journal= expects yes or no, got \"%s\"\n", optarg);
                                return MANAGER_EXIT_USAGE;
                        }
                        opts.overrides.journal = b;
                        break;
                case '1':
                        opts.oneshot = true;
                        break;
                case 'v':
                        target.max_priority = LOG_DEBUG;
                        break;
                case 'h':
                        usage(stdout);
                        return MANAGER_EXIT_OK;
                case ARG_VERSION:
                        puts("oomlensd " OOMLENS_VERSION);
                        return MANAGER_EXIT_OK;
                default:
                        usage(stderr);
                        return MANAGER_EXIT_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "oomlensd: unexpected argument \"%s\"\n", argv[optind]);
                return MANAGER_EXIT_USAGE;
        }

        /* A fixed mmap threshold: glibc otherwise raises it to the size of the first large
         * block freed, and the spool listing retention makes after each report (1000 entries,
         * ~150 KiB, and qsort's copy of it) then stays in the heap for good (RssAnon 328 KiB idle,
         * 824 KiB after 10 000 reports). Blocks this large are now mapped and unmapped. */
        (void)mallopt(M_MMAP_THRESHOLD, 64 * 1024);

        k = daemon_config_load(opts.config_path, opts.config_must_exist, &cfg, &err);
        if (k < 0) {
                if (err.line > 0)
                        fprintf(stderr, "oomlensd: %s:%u: %s\n", err.file, err.line, err.reason);
                else
                        fprintf(stderr, "oomlensd: %s: %s\n", err.file, err.reason);
                return MANAGER_EXIT_CONFIG;
        }
        manager_apply_overrides(&opts.overrides, &cfg);

        k = manager_new(&opts, &cfg, &m);
        if (k < 0) {
                fprintf(stderr, "oomlensd: cannot set up: %s\n", strerror(-k));
                return MANAGER_EXIT_FAILURE;
        }
        k = manager_start(m, &code);
        if (k < 0)
                return code;
        return manager_run(m);
}
