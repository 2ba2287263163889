/* SPDX-License-Identifier: MIT */
#include "query_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "timestamp.h"

enum {
        ARG_SPOOL_DIR = 0x100,
        ARG_CONFIG,
        ARG_CAUSE,
        ARG_COMM,
        ARG_UNIT,
        ARG_KIND,
        ARG_JSON,
        ARG_RAW,
        ARG_UTC,
        ARG_NO_PAGER,
        ARG_NO_LEGEND,
        ARG_FILE,
};

#define L (1u << QUERY_LIST)
#define SH (1u << QUERY_SHOW)
#define F (1u << QUERY_FOLLOW)
#define J (1u << QUERY_JOURNAL)
#define ST (1u << QUERY_STATS)

/* Which commands take which option. */
static const struct {
        int val;
        unsigned cmds;
} allowed[] = {
        {ARG_SPOOL_DIR, L | SH | F | ST},
        {ARG_CONFIG, L | SH | F | ST},
        {'S', L | F | J | ST},
        {'U', L | F | J | ST},
        {ARG_CAUSE, L | F | J | ST},
        {ARG_COMM, L | F | J | ST},
        {ARG_UNIT, L | F | J | ST},
        {ARG_KIND, L | F | J | ST},
        {'b', L | F | J | ST},
        {ARG_JSON, L | SH | F | J | ST},
        {ARG_RAW, SH},
        {ARG_UTC, L | SH | F | J | ST},
        {ARG_NO_PAGER, L | SH | J | ST},
        {ARG_NO_LEGEND, L | F | J},
        {'n', L | F | J},
        {'D', J},
        {ARG_FILE, J},
};
#undef L
#undef SH
#undef F
#undef J
#undef ST

static const char *const command_names[] = {"list", "show", "follow", "journal", "stats"};

void query_usage(FILE *f) {
        fputs("Usage: oomlens analyze [--json] [--format FORMAT] FILE|- ...\n"
              "       oomlens list [MATCHES] [--json] [-n N]\n"
              "       oomlens show [ID|latest] [--json | --raw]\n"
              "       oomlens follow [MATCHES] [--json]\n"
              "       oomlens journal [MATCHES] [-D DIR | --file FILE] [--json]\n"
              "       oomlens stats [MATCHES] [--json]\n"
              "\n"
              "Explain Linux OOM kills and page allocation failures: in saved kernel logs (analyze),\n"
              "and in what oomlensd recorded: its spool (list, show, follow, stats) and the journal.\n"
              "\n"
              "analyze reads dmesg, journalctl -k (short, -o short-monotonic, -o json), syslog, raw\n"
              "/dev/kmsg records or pasted text (detected per line; --format FORMAT forces auto,\n"
              "kmsg, dmesg, syslog, journal-json or plain); --json: one object per report per line.\n"
              "\n"
              "Matches (repeat an option or give a,b for alternatives; different options all apply):\n"
              "  -S --since=TIME        reports at or after TIME: now, today, yesterday, -1h, +5min,\n"
              "                         \"2026-12-01\", \"2026-12-01 10:00:00\", 2026-12-01T10:00Z, @EPOCH\n"
              "  -U --until=TIME        reports at or before TIME\n"
              "     --cause=CODE        primary cause code (--cause=help lists them)\n"
              "     --kind=KIND         report kind (--kind=help lists them)\n"
              "     --comm=NAME         process name of the victim (a glob: 'python*')\n"
              "     --unit=NAME         systemd unit or slice (glob; 'nginx' means nginx.service),\n"
              "                         container id or pod UID (a prefix), or memory cgroup path\n"
              "  -b --boot[=ID|OFFSET]  this boot (no value, 0), the one before (-1), the oldest (1),\n"
              "                         or a boot id (32 hex digits or the first 8 of them)\n"
              "\n"
              "Options:\n"
              "     --spool-dir=DIR     the spool (default: [Spool] Directory= of the configuration)\n"
              "     --config=FILE       oomlensd's configuration (default " OOMLENS_CONFIG_DEFAULT_PATH ")\n"
              "  -n --lines=N           only the newest N reports\n"
              "     --json              list, follow: the stored reports, one JSON object per line;\n"
              "                         show: the stored report; journal, stats: JSON summaries\n"
              "     --raw               show: the kernel's own lines of the report\n"
              "     --utc               times in UTC\n"
              "     --no-pager          do not pipe the output into a pager\n"
              "     --no-legend         no column headers\n"
              "  -D --directory=DIR     journal: the journal files in DIR (e.g. collected from a fleet)\n"
              "     --file=FILE         journal: this journal file (repeatable; globs allowed)\n"
              "  -h --help              this help\n"
              "     --version           the version\n"
              "\n"
              "Exit status: 0 a report was found, 1 none was found, 2 usage or I/O error.\n",
              f);
}

static bool option_allowed(enum query_command cmd, int val) {
        for (size_t i = 0; i < ELEMENTSOF(allowed); i++)
                if (allowed[i].val == val)
                        return (allowed[i].cmds & (1u << cmd)) != 0;
        return true; /* --help */
}

static _printf_(2, 3) int bad_usage(enum query_command cmd, const char *fmt, ...) {
        va_list ap;

        fprintf(stderr, "oomlens %s: ", command_names[cmd]);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\nTry 'oomlens --help'.\n");
        return -EINVAL;
}

static int parse_time_option(enum query_command cmd, const char *arg, int64_t now, int64_t *ret) {
        int k = timestamp_parse(arg, now, ret);
        if (k < 0)
                return bad_usage(cmd,
                                 "cannot read '%s' as a time (journalctl forms: today, -1h, "
                                 "\"2026-12-01 10:00\", @EPOCH)",
                                 arg);
        return 0;
}

int query_options_parse(enum query_command cmd, int argc, char **argv, struct query_options *ret) {
        static const struct option options[] = {
                {"spool-dir", required_argument, NULL, ARG_SPOOL_DIR},
                {"config", required_argument, NULL, ARG_CONFIG},
                {"since", required_argument, NULL, 'S'},
                {"until", required_argument, NULL, 'U'},
                {"cause", required_argument, NULL, ARG_CAUSE},
                {"comm", required_argument, NULL, ARG_COMM},
                {"unit", required_argument, NULL, ARG_UNIT},
                {"kind", required_argument, NULL, ARG_KIND},
                {"boot", optional_argument, NULL, 'b'},
                {"json", no_argument, NULL, ARG_JSON},
                {"raw", no_argument, NULL, ARG_RAW},
                {"utc", no_argument, NULL, ARG_UTC},
                {"no-pager", no_argument, NULL, ARG_NO_PAGER},
                {"no-legend", no_argument, NULL, ARG_NO_LEGEND},
                {"lines", required_argument, NULL, 'n'},
                {"directory", required_argument, NULL, 'D'},
                {"file", required_argument, NULL, ARG_FILE},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        struct query_options o = {.cmd = cmd, .lines = -1, .style = {.legend = true}};
        const char *spool_arg = NULL, *bad;
        struct timespec now_ts;
        int64_t now;
        int c, k;

        report_filter_init(&o.filter);
        clock_gettime(CLOCK_REALTIME, &now_ts);
        now = (int64_t)now_ts.tv_sec * 1000000 + now_ts.tv_nsec / 1000;
        o.config_path = OOMLENS_CONFIG_DEFAULT_PATH;

        optind = 1;
        opterr = 1;
        while ((c = getopt_long(argc, argv, "S:U:b::n:D:h", options, NULL)) >= 0) {
                if (c != '?' && !option_allowed(cmd, c)) {
                        const char *name = "?";
                        for (const struct option *p = options; p->name; p++)
                                if (p->val == c)
                                        name = p->name;
                        k = bad_usage(cmd, "--%s is not an option of this command", name);
                        goto fail;
                }
                switch (c) {
                case ARG_SPOOL_DIR:
                        spool_arg = optarg;
                        break;
                case ARG_CONFIG:
                        o.config_path = optarg;
                        o.config_given = true;
                        break;
                case 'S':
                        k = parse_time_option(cmd, optarg, now, &o.filter.since_usec);
                        if (k < 0)
                                goto fail;
                        break;
                case 'U':
                        k = parse_time_option(cmd, optarg, now, &o.filter.until_usec);
                        if (k < 0)
                                goto fail;
                        break;
                case ARG_CAUSE:
                        if (optarg && strcmp(optarg, "help") == 0) {
                                report_filter_list_causes(stdout);
                                k = 1;
                                goto fail;
                        }
                        k = report_filter_add_causes(&o.filter, optarg, &bad);
                        if (k == -EINVAL) {
                                fprintf(stderr, "oomlens %s: unknown cause '%.*s'; the codes are:\n",
                                        command_names[cmd], (int)strcspn(bad, ","), bad);
                                report_filter_list_causes(stderr);
                        }
                        if (k == -E2BIG)
                                bad_usage(cmd, "too many values for %s", "--cause");
                        if (k < 0) {
                                k = -EINVAL;
                                goto fail;
                        }
                        break;
                case ARG_KIND:
                        if (optarg && strcmp(optarg, "help") == 0) {
                                report_filter_list_kinds(stdout);
                                k = 1;
                                goto fail;
                        }
                        k = report_filter_add_kinds(&o.filter, optarg, &bad);
                        if (k == -EINVAL) {
                                fprintf(stderr, "oomlens %s: unknown kind '%.*s'; the kinds are:\n",
                                        command_names[cmd], (int)strcspn(bad, ","), bad);
                                report_filter_list_kinds(stderr);
                        }
                        if (k == -E2BIG)
                                bad_usage(cmd, "too many values for %s", "--kind");
                        if (k < 0) {
                                k = -EINVAL;
                                goto fail;
                        }
                        break;
                case ARG_COMM:
                case ARG_UNIT:
                        k = c == ARG_COMM ? report_filter_add_comms(&o.filter, optarg)
                                          : report_filter_add_units(&o.filter, optarg);
                        if (k < 0) {
                                k = bad_usage(cmd, "too many values for %s",
                                              c == ARG_COMM ? "--comm" : "--unit");
                                goto fail;
                        }
                        break;
                case 'b': {
                        const char *arg = optarg;
                        /* "-b -1" as journalctl takes it: the next word, when it reads as a boot. */
                        if (!arg && optind < argc && boot_spec_looks_like(argv[optind]))
                                arg = argv[optind++];
                        if (boot_spec_parse(arg, &o.filter.boot) < 0) {
                                k = bad_usage(cmd,
                                              "cannot read '%s' as a boot (an offset like -1, or a boot id)",
                                              arg);
                                goto fail;
                        }
                        break;
                }
                case ARG_JSON:
                        o.json = true;
                        break;
                case ARG_RAW:
                        o.raw = true;
                        break;
                case ARG_UTC:
                        o.style.utc = true;
                        break;
                case ARG_NO_PAGER:
                        o.no_pager = true;
                        break;
                case ARG_NO_LEGEND:
                        o.style.legend = false;
                        break;
                case 'n': {
                        char *end;
                        long v;
                        errno = 0;
                        v = optarg ? strtol(optarg, &end, 10) : -1;
                        if (!optarg || errno || *end || end == optarg || v < 0) {
                                k = bad_usage(cmd, "--lines expects a number, got '%s'", optarg);
                                goto fail;
                        }
                        o.lines = v;
                        break;
                }
                case 'D':
                        o.directory = optarg;
                        break;
                case ARG_FILE:
                        if (o.n_files >= QUERY_MAX_FILES) {
                                k = bad_usage(cmd, "too many %s options", "--file");
                                goto fail;
                        }
                        o.files[o.n_files++] = optarg;
                        break;
                case 'h':
                        query_usage(stdout);
                        k = 1;
                        goto fail;
                default:
                        fprintf(stderr, "Try 'oomlens --help'.\n");
                        k = -EINVAL;
                        goto fail;
                }
        }

        if (cmd == QUERY_SHOW) {
                if (optind + 1 < argc) {
                        k = bad_usage(cmd, "expects one report ID, got also '%s'", argv[optind + 1]);
                        goto fail;
                }
                o.id = optind < argc ? argv[optind] : "latest";
                if (o.json && o.raw) {
                        k = bad_usage(cmd, "%s: choose one", "--json and --raw");
                        goto fail;
                }
        } else if (optind < argc) {
                k = bad_usage(cmd, "unexpected argument '%s'", argv[optind]);
                goto fail;
        }
        if (o.directory && o.n_files > 0) {
                k = bad_usage(cmd, "%s: choose one", "--directory and --file");
                goto fail;
        }
        if (num_set(o.filter.since_usec) && num_set(o.filter.until_usec) &&
            o.filter.since_usec > o.filter.until_usec) {
                k = bad_usage(cmd, "%s", "--since is after --until");
                goto fail;
        }

        /* The spool: --spool-dir, else where the daemon's configuration puts it. */
        if (spool_arg)
                snprintf(o.spool_dir, sizeof o.spool_dir, "%s", spool_arg);
        else if (cmd != QUERY_JOURNAL) {
                struct cli_config cfg;
                struct ini_error err;
                k = cli_config_load(o.config_path, o.config_given, &cfg, &err);
                if (k < 0 && o.config_given) {
                        if (err.line > 0)
                                fprintf(stderr, "oomlens: %s:%u: %s\n", err.file, err.line, err.reason);
                        else
                                fprintf(stderr, "oomlens: %s: %s\n", err.file, err.reason);
                        k = -EINVAL;
                        goto fail;
                }
                if (k < 0) {
                        /* The default file unreadable or wrong: say so, and try the default spool. */
                        cli_config_defaults(&cfg);
                        if (err.line > 0)
                                fprintf(stderr, "oomlens: warning: %s:%u: %s; assuming spool %s\n", err.file,
                                        err.line, err.reason, cfg.spool_dir);
                        else
                                fprintf(stderr, "oomlens: warning: %s: %s; assuming spool %s\n", err.file,
                                        err.reason, cfg.spool_dir);
                }
                memcpy(o.spool_dir, cfg.spool_dir, sizeof o.spool_dir);
        }
        o.style.colour = !o.json && colours_wanted();
        *ret = o;
        return 0;
fail:
        report_filter_done(&o.filter);
        return k;
}

void query_options_done(struct query_options *o) {
        report_filter_done(&o->filter);
}

int query_options_resolve_boot(struct query_options *o, const char *const *boots, size_t n,
                               const char *current) {
        struct report_filter *f = &o->filter;
        int k;

        if (!f->boot.set)
                return 0;
        k = boot_spec_resolve(&f->boot, boots, n, current, f->boot_resolved);
        if (k == -ENXIO) {
                if (f->boot.offset > 0)
                        fprintf(stderr, "oomlens: no boot %d: %zu boot(s) have reports\n", f->boot.offset,
                                n);
                else
                        fprintf(stderr, "oomlens: no boot %d: %zu boot(s) before this one have reports\n",
                                f->boot.offset, n);
        }
        return k;
}
