/* SPDX-License-Identifier: MIT */
/* oomlens: analyse saved kernel logs offline, query the daemon's spool.
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
#include "spool_reader.h"

#define EXIT_FOUND 0
#define EXIT_NONE 1
#define EXIT_ERROR 2

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
        prefilter_init(&pf, reader, assembler, on_line, &p, on_report, ctx);
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
        fputs("Usage: oomlens analyze [--json] [--format FORMAT] FILE|- ...\n"
              "       oomlens list [--spool-dir DIR] [--json]\n"
              "       oomlens show [--spool-dir DIR] [--json] ID\n"
              "       oomlens --help | --version\n"
              "\n"
              "Explain every kernel OOM-killer report and page allocation failure in saved logs:\n"
              "dmesg, journalctl -k (short, -o short-monotonic, -o short-iso, -o json), syslog,\n"
              "raw /dev/kmsg records, or text pasted into a bug report. The format is detected\n"
              "per line.\n"
              "\n"
              "  --json            one JSON object per report per line (schema oomlens.report/1)\n"
              "  --format FORMAT   auto (default), kmsg, dmesg, syslog, journal-json, plain\n"
              "\n"
              "Exit status: 0 a report was found, 1 none was found, 2 usage or I/O error.\n",
              f);
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

/* ---------------------------------------------------------------------------------------
 * Spool queries: the reports oomlensd wrote (one oomlens.report/1 JSON file per report,
 * named "<id>.json", sorted by time). Owned by the daemon work (issue #3). */

#define SPOOL_DEFAULT_DIR "/var/spool/oomlens"
#define SPOOL_FILE_LIMIT ((size_t)16 * 1024 * 1024)

static const char *json_str(json_object *o, const char *key) {
        json_object *v;
        if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

static int64_t json_int(json_object *o, const char *key) {
        json_object *v;
        if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
                return NUM_UNSET;
        return json_object_get_int64(v);
}

static json_object *json_obj(json_object *o, const char *key) {
        json_object *v;
        if (!o || !json_object_object_get_ex(o, key, &v))
                return NULL;
        return v;
}

/* The primary cause code of a stored report ("analysis": {"causes": [{"code", "primary"}]}). */
static const char *stored_cause(json_object *d) {
        json_object *causes = json_obj(json_obj(d, "analysis"), "causes");
        const char *first = NULL;
        if (!causes || !json_object_is_type(causes, json_type_array))
                return "-";
        for (size_t i = 0; i < json_object_array_length(causes); i++) {
                json_object *c = json_object_array_get_idx(causes, i);
                json_object *p = json_obj(c, "primary");
                if (!first)
                        first = json_str(c, "code");
                if (p && json_object_get_boolean(p) && json_str(c, "code"))
                        return json_str(c, "code");
        }
        return first ? first : "-";
}

static void spool_usage(FILE *f) {
        fputs("Usage: oomlens list [--spool-dir DIR] [--json]\n"
              "       oomlens show [--spool-dir DIR] [--json] ID\n"
              "\n"
              "List or show the reports oomlensd wrote to its spool (default " SPOOL_DEFAULT_DIR ").\n"
              "list: one line per report, oldest first (--json: the stored objects, one per line).\n"
              "show: the analysis of one report, re-run on its stored kernel lines (--json: the\n"
              "stored object). ID is a file name with or without .json, or a unique part of one.\n",
              f);
}

static int spool_parse_args(int argc, char **argv, const char **ret_dir, bool *ret_json) {
        static const struct option options[] = {
                { "spool-dir", required_argument, NULL, 'd' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "d:jh", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        *ret_dir = optarg;
                        break;
                case 'j':
                        *ret_json = true;
                        break;
                case 'h':
                        spool_usage(stdout);
                        return 1;
                default:
                        spool_usage(stderr);
                        return -EINVAL;
                }
        }
        return 0;
}

static int cmd_list(int argc, char **argv) {
        const char *dir = SPOOL_DEFAULT_DIR;
        bool json = false;
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct spool_entry *v = NULL;
        size_t n = 0;
        int k;

        k = spool_parse_args(argc, argv, &dir, &json);
        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_ERROR;
        if (optind < argc) {
                fprintf(stderr, "oomlens: list: unexpected argument '%s'\n", argv[optind]);
                return EXIT_ERROR;
        }
        k = spool_open(dir, &fd);
        if (k >= 0)
                k = spool_list(fd, &v, &n);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s: %s\n", dir, strerror(-k));
                return EXIT_ERROR;
        }
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *buf = NULL;
                size_t len;
                json_object *d;
                size_t l = strlen(v[i].name) - strlen(SPOOL_SUFFIX);

                k = spool_read(fd, v[i].name, SPOOL_FILE_LIMIT, &buf, &len);
                if (k < 0) {
                        /* Removed by retention between list and read, or unreadable: say so, go on. */
                        fprintf(stderr, "oomlens: %s/%s: %s\n", dir, v[i].name, strerror(-k));
                        continue;
                }
                d = json_tokener_parse(buf);
                if (!d || !json_object_is_type(d, json_type_object)) {
                        fprintf(stderr, "oomlens: %s/%s: not a JSON report\n", dir, v[i].name);
                        json_object_put(d);
                        continue;
                }
                if (json) {
                        fputs(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN), stdout);
                        fputc('\n', stdout);
                } else {
                        json_object *victim = json_obj(d, "victim");
                        json_object *constraint = json_obj(d, "constraint");
                        const char *comm = json_str(victim, "comm");
                        int64_t pid = json_int(victim, "pid");
                        const char *memcg = json_str(constraint, "memcg");
                        json_object *complete = json_obj(d, "complete");

                        printf("%.*s  %-13s %-22s ", (int)l, v[i].name, json_str(d, "kind") ? json_str(d, "kind") : "?",
                               stored_cause(d));
                        if (comm || num_set(pid))
                                printf("%s[%lld]", comm ? comm : "?", num_set(pid) ? (long long)pid : -1LL);
                        else
                                fputs("-", stdout);
                        if (memcg && memcg[0])
                                printf(" in %s", memcg);
                        if (complete && !json_object_get_boolean(complete))
                                fputs(" (incomplete)", stdout);
                        fputc('\n', stdout);
                }
                json_object_put(d);
        }
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        return n > 0 ? EXIT_FOUND : EXIT_NONE;
}

/* Find ID in the spool: exact name, name + ".json", or the one name containing it. */
static int spool_find(int fd, const char *dir, const char *id, char *ret, size_t size) {
        _cleanup_free_ struct spool_entry *v = NULL;
        size_t n = 0, hits = 0;
        int k;

        k = spool_list(fd, &v, &n);
        if (k < 0)
                return k;
        for (size_t i = 0; i < n; i++) {
                size_t l = strlen(v[i].name) - strlen(SPOOL_SUFFIX);
                if (strcmp(v[i].name, id) == 0 || (strlen(id) == l && strncmp(v[i].name, id, l) == 0)) {
                        snprintf(ret, size, "%s", v[i].name);
                        return 0;
                }
        }
        for (size_t i = 0; i < n; i++)
                if (strstr(v[i].name, id)) {
                        if (hits++ == 0)
                                snprintf(ret, size, "%s", v[i].name);
                }
        if (hits > 1) {
                fprintf(stderr, "oomlens: %s: '%s' matches %zu reports; give more of the id\n", dir, id, hits);
                return -EEXIST;
        }
        return hits == 1 ? 0 : -ENOENT;
}

struct show_ctx {
        const char *id;
        struct report_assembler *assembler;
        size_t n;
};

static int show_on_report(const struct raw_report *raw, void *userdata) {
        struct show_ctx *c = userdata;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        int k;

        if (c->n++ > 0)
                return 0; /* a stored report holds one report's lines */
        k = report_build(raw, &r);
        if (k < 0)
                return k;
        snprintf(r->id, sizeof r->id, "%.*s", (int)sizeof r->id - 1, c->id);
        return report_write_text(r, stdout);
}

static int show_on_line(const struct log_line *line, void *userdata) {
        struct show_ctx *c = userdata;
        return report_assembler_feed(c->assembler, line, show_on_report, c);
}

/* Re-run the analysis on the kernel lines stored in the report ("lines": [...]). */
static int show_text(json_object *d, const char *id) {
        _cleanup_(log_reader_freep) struct log_reader *reader = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *assembler = NULL;
        struct report_assembler_config cfg;
        json_object *lines = json_obj(d, "lines");
        struct show_ctx c = { .id = id };
        int k;

        if (!lines || !json_object_is_type(lines, json_type_array))
                return -EBADMSG;
        report_assembler_config_default(&cfg);
        k = log_reader_new(LOG_FORMAT_PLAIN, &reader);
        if (k < 0)
                return k;
        k = report_assembler_new(&cfg, &assembler);
        if (k < 0)
                return k;
        c.assembler = assembler;
        for (size_t i = 0; i < json_object_array_length(lines); i++) {
                json_object *l = json_object_array_get_idx(lines, i);
                const char *t = json_object_is_type(l, json_type_string) ? json_object_get_string(l) : "";
                k = log_reader_feed(reader, t, strlen(t), show_on_line, &c);
                if (k >= 0)
                        k = log_reader_feed(reader, "\n", 1, show_on_line, &c);
                if (k < 0)
                        return k;
        }
        k = log_reader_flush(reader, show_on_line, &c);
        if (k >= 0)
                k = report_assembler_flush(assembler, show_on_report, &c);
        if (k < 0)
                return k;
        return c.n > 0 ? 0 : -ENODATA;
}

static int cmd_show(int argc, char **argv) {
        const char *dir = SPOOL_DEFAULT_DIR;
        bool json = false;
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        char name[256];
        size_t len;
        json_object *d;
        int k;

        k = spool_parse_args(argc, argv, &dir, &json);
        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_ERROR;
        if (optind + 1 != argc) {
                fprintf(stderr, "oomlens: show: expected one report ID\n");
                return EXIT_ERROR;
        }
        k = spool_open(dir, &fd);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s: %s\n", dir, strerror(-k));
                return EXIT_ERROR;
        }
        k = spool_find(fd, dir, argv[optind], name, sizeof name);
        if (k == -ENOENT) {
                fprintf(stderr, "oomlens: %s: no report '%s'\n", dir, argv[optind]);
                return EXIT_NONE;
        }
        if (k < 0) {
                if (k != -EEXIST)
                        fprintf(stderr, "oomlens: %s: %s\n", dir, strerror(-k));
                return EXIT_ERROR;
        }
        k = spool_read(fd, name, SPOOL_FILE_LIMIT, &buf, &len);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s/%s: %s\n", dir, name, strerror(-k));
                return EXIT_ERROR;
        }
        if (json) {
                fputs(buf, stdout);
                if (len == 0 || buf[len - 1] != '\n')
                        fputc('\n', stdout);
                return fflush(stdout) == 0 ? EXIT_FOUND : EXIT_ERROR;
        }
        d = json_tokener_parse(buf);
        if (!d) {
                fprintf(stderr, "oomlens: %s/%s: not a JSON report\n", dir, name);
                return EXIT_ERROR;
        }
        name[strlen(name) - strlen(SPOOL_SUFFIX)] = '\0';
        k = show_text(d, name);
        json_object_put(d);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s/%s.json: could not re-analyse its kernel lines: %s\n", dir, name,
                        strerror(-k));
                return EXIT_ERROR;
        }
        return fflush(stdout) == 0 ? EXIT_FOUND : EXIT_ERROR;
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
        if (strcmp(argv[1], "list") == 0) /* spool queries (oomlensd) */
                return cmd_list(argc - 1, argv + 1);
        if (strcmp(argv[1], "show") == 0)
                return cmd_show(argc - 1, argv + 1);

        fprintf(stderr, "oomlens: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return EXIT_ERROR;
}
