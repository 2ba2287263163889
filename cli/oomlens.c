/* SPDX-License-Identifier: MIT */
/* oomlens: analyse saved kernel logs offline; query what oomlensd recorded (its spool and the
 * journal). main() dispatches; each command lives in its own module.
 *
 * Exit status (documented in docs/oomlens.1.md):
 *   0  at least one report found / command succeeded
 *   1  no report found
 *   2  usage or I/O error (one line on stderr naming the file and the reason) */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "log_line.h"
#include "macro.h"
#include "prefilter.h"
#include "report_assembler.h"
#include "report_json.h"
#include "report_text.h"
#include "follow.h"
#include "journal_query.h"
#include "query_options.h"
#include "spool_commands.h"


struct analyze_ctx {
        bool json;
        size_t n_reports;
        size_t n_failed;
        const char *path;
        FILE *out;
};

static int on_report(const struct raw_report *raw, void *userdata) {
        struct analyze_ctx *ctx = userdata;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        int k;

        k = report_build(raw, &r);
        if (k < 0) {
                /* One bad report must not hide the others in the file. */
                fprintf(stderr, "oomlens: %s: could not analyse report %zu: %s\n", ctx->path,
                        ctx->n_reports + 1, strerror(-k));
                ctx->n_failed++;
                return 0;
        }
        ctx->n_reports++;
        if (ctx->json) {
                _cleanup_free_ char *s = NULL;
                k = report_to_json_string(r, &s);
                if (k < 0)
                        return k;
                fputs(s, ctx->out);
                fputc('\n', ctx->out);
        } else {
                if (ctx->n_reports > 1)
                        fputc('\n', ctx->out);
                k = report_write_text(r, ctx->out);
                if (k < 0)
                        return k;
        }
        return 0;
}

struct pipeline {
        struct report_assembler *assembler;
        struct analyze_ctx *ctx;
};

static int on_line(const struct log_line *line, void *userdata) {
        struct pipeline *p = userdata;
        return report_assembler_feed(p->assembler, line, on_report, p->ctx);
}

static int analyze_fd(int fd, enum log_format format, struct analyze_ctx *ctx) {
        _cleanup_(log_reader_freep) struct log_reader *reader = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *assembler = NULL;
        struct report_assembler_config cfg;
        _cleanup_free_ char *buf = NULL;
        /* 128 KiB: the chunk read() copies stays in L2 until the parser reads it; with 1 MiB the
         * kernel copy (copy_to_user) was 11% of a 200 MB run, with 128 KiB 3%. */
        const size_t bufsz = 1 << 17;
        int k;

        /* OOMLENS_NO_PREFILTER=1: a debugging aid that turns off the fast path for ordinary
         * kernel chatter (common/input/prefilter.h); the output must be the same either way
         * (tests/golden/prefilter_equivalence.sh). */
        const char *e = getenv("OOMLENS_NO_PREFILTER");
        bool no_prefilter = e && *e && strcmp(e, "0") != 0;

        report_assembler_config_default(&cfg);
        /* Offline logs: facility is often unknown (dmesg text); kmsg records do carry it. */
        cfg.kernel_only = true;
        cfg.no_prefilter = no_prefilter;
        k = log_reader_new(format, &reader);
        if (k < 0)
                return k;
        k = report_assembler_new(&cfg, &assembler);
        if (k < 0)
                return k;
        buf = malloc(bufsz);
        if (!buf)
                return -ENOMEM;

        struct pipeline p = { .assembler = assembler, .ctx = ctx };
        struct prefilter pf;
        k = prefilter_init(&pf, reader, assembler, on_line, &p, on_report, ctx);
        if (k < 0)
                return k;
        for (;;) {
                ssize_t n = read(fd, buf, bufsz);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                if (no_prefilter)
                        k = log_reader_feed(reader, buf, (size_t)n, on_line, &p);
                else
                        k = prefilter_feed(&pf, buf, (size_t)n);
                if (k < 0)
                        return k;
        }
        k = log_reader_flush(reader, on_line, &p);
        if (k < 0)
                return k;
        return report_assembler_flush(assembler, on_report, ctx);
}

static void usage(FILE *f) {
        query_usage(f);
}

static int cmd_analyze(int argc, char **argv) {
        static const struct option options[] = {
                { "json", no_argument, NULL, 'j' },
                { "format", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct analyze_ctx ctx = { .out = stdout };
        enum log_format format = LOG_FORMAT_AUTO;
        int c, k;

        optind = 1;
        while ((c = getopt_long(argc, argv, "jf:h", options, NULL)) >= 0) {
                switch (c) {
                case 'j':
                        ctx.json = true;
                        break;
                case 'f':
                        if (log_format_from_string(optarg, &format) < 0) {
                                fprintf(stderr, "oomlens: unknown --format '%s'\n", optarg);
                                return EXIT_ERROR;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_FOUND;
                default:
                        usage(stderr);
                        return EXIT_ERROR;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "oomlens: analyze: no input file given (use - for standard input)\n");
                return EXIT_ERROR;
        }

        for (int i = optind; i < argc; i++) {
                const char *path = argv[i];
                _cleanup_close_ int fd = -1;
                bool is_stdin = strcmp(path, "-") == 0;

                ctx.path = is_stdin ? "<stdin>" : path;
                if (is_stdin)
                        fd = dup(STDIN_FILENO);
                else
                        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0) {
                        fprintf(stderr, "oomlens: %s: %s\n", ctx.path, strerror(errno));
                        return EXIT_ERROR;
                }
                k = analyze_fd(fd, format, &ctx);
                if (k < 0) {
                        fprintf(stderr, "oomlens: %s: %s\n", ctx.path, strerror(-k));
                        return EXIT_ERROR;
                }
        }
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "oomlens: <stdout>: %s\n", strerror(errno));
                return EXIT_ERROR;
        }
        return ctx.n_reports > 0 ? EXIT_FOUND : EXIT_NONE;
}

int main(int argc, char **argv) {
        if (argc < 2) {
                usage(stderr);
                return EXIT_ERROR;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
                usage(stdout);
                return EXIT_FOUND;
        }
        if (strcmp(argv[1], "--version") == 0) {
                puts("oomlens " OOMLENS_VERSION);
                return EXIT_FOUND;
        }
        if (strcmp(argv[1], "analyze") == 0)
                return cmd_analyze(argc - 1, argv + 1);
        /* What oomlensd recorded: its spool, and the journal. */
        if (strcmp(argv[1], "list") == 0)
                return cmd_list(argc - 1, argv + 1);
        if (strcmp(argv[1], "show") == 0)
                return cmd_show(argc - 1, argv + 1);
        if (strcmp(argv[1], "follow") == 0)
                return cmd_follow(argc - 1, argv + 1);
        if (strcmp(argv[1], "journal") == 0)
                return cmd_journal(argc - 1, argv + 1);
        if (strcmp(argv[1], "stats") == 0)
                return cmd_stats(argc - 1, argv + 1);

        fprintf(stderr, "oomlens: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return EXIT_ERROR;
}
