/* SPDX-License-Identifier: MIT */
#include "spool_commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "causes.h"
#include "log_line.h"
#include "macro.h"
#include "pager.h"
#include "report_assembler.h"
#include "report_json.h"
#include "report_stats.h"
#include "report_text.h"
#include "timestamp.h"

int spool_select(struct query_options *o, int *ret_fd, struct spool_report **ret, size_t *ret_n) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct spool_report *v = NULL;
        _cleanup_free_ const char **boots = NULL;
        char current[REPORT_SUMMARY_BOOT_MAX] = "";
        size_t n = 0, m = 0, n_boots = 0;
        int k;

        k = spool_query_open(o->spool_dir, o->config_path, &fd);
        if (k < 0)
                return k;
        k = spool_query_load(fd, o->spool_dir, false, &v, &n);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s: %s\n", o->spool_dir, strerror(-k));
                return k;
        }
        if (o->filter.boot.set) {
                (void)current_boot_id(current);
                k = spool_query_boots(v, n, &boots, &n_boots);
                if (k < 0)
                        return k;
                k = query_options_resolve_boot(o, boots, n_boots, current[0] ? current : NULL);
                if (k < 0)
                        return k;
        }
        for (size_t i = 0; i < n; i++)
                if (report_filter_match(&o->filter, &v[i].s))
                        v[m++] = v[i];
        /* -n N: the newest N */
        if (o->lines >= 0 && (size_t)o->lines < m) {
                memmove(v, v + (m - (size_t)o->lines), (size_t)o->lines * sizeof *v);
                m = (size_t)o->lines;
        }
        *ret_fd = TAKE_FD(fd);
        *ret = TAKE_PTR(v);
        *ret_n = m;
        return 0;
}

/* The start of list and stats: the options, then the matching reports and their summaries
 * (as list_print() and report_stats_compute() take them). Returns true to go on; otherwise
 * *ret_status is the exit status (the error is printed). */
static bool begin(enum query_command cmd, int argc, char **argv, struct query_options *o, int *ret_fd,
                  struct spool_report **ret_v, struct report_summary **ret_rows, size_t *ret_n,
                  int *ret_status) {
        struct report_summary *rows = NULL;
        int k;

        k = query_options_parse(cmd, argc, argv, o);
        if (k != 0) {
                *ret_status = k > 0 ? EXIT_FOUND : EXIT_ERROR;
                return false;
        }
        k = spool_select(o, ret_fd, ret_v, ret_n);
        if (k >= 0 && *ret_n > 0 && !(rows = calloc(*ret_n, sizeof *rows))) {
                fprintf(stderr, "oomlens: %s\n", strerror(ENOMEM));
                k = -ENOMEM;
        }
        if (k < 0) {
                query_options_done(o);
                *ret_status = EXIT_ERROR;
                return false;
        }
        for (size_t i = 0; i < *ret_n; i++)
                rows[i] = (*ret_v)[i].s;
        *ret_rows = rows;
        return true;
}

int print_json_line(FILE *f, const char *buf, size_t len) {
        while (len > 0 &&
               (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\r' || buf[len - 1] == '\t'))
                len--;
        if (!memchr(buf, '\n', len)) {
                fwrite(buf, 1, len, f);
                fputc('\n', f);
                return 0;
        }
        /* Written on several lines (not by oomlensd): JSON Lines needs one. */
        json_object *o = json_tokener_parse(buf);
        if (!o)
                return -EBADMSG;
        fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
        fputc('\n', f);
        json_object_put(o);
        return 0;
}

int finish_output(struct pager *p, int status) {
        int k = fflush(stdout) != 0 || ferror(stdout) ? errno : 0;

        pager_close(p);
        if (k != 0 && !pager_quit_early(p, k) && k != EPIPE) {
                fprintf(stderr, "oomlens: <stdout>: %s\n", strerror(k));
                return EXIT_ERROR;
        }
        return status;
}

/* ------------------------------------------------------------------------------------------ */

int cmd_list(int argc, char **argv) {
        struct query_options o;
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct spool_report *v = NULL;
        _cleanup_free_ struct report_summary *rows = NULL;
        struct pager pager = {};
        size_t n = 0;
        int k = 0, status;

        if (!begin(QUERY_LIST, argc, argv, &o, &fd, &v, &rows, &n, &status))
                return status;
        (void)pager_open(o.no_pager, &pager);
        if (o.json) {
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *buf = NULL;
                        size_t len = 0;
                        k = spool_query_read(fd, v[i].name, &buf, &len);
                        if (k >= 0)
                                k = print_json_line(stdout, buf, len);
                        if (k < 0) /* removed by retention since it was listed */
                                fprintf(stderr, "oomlens: warning: %s/%s: %s, skipped\n", o.spool_dir,
                                        v[i].name, strerror(-k));
                }
        } else {
                k = list_print(stdout, rows, n, &o.style);
                if (k < 0)
                        fprintf(stderr, "oomlens: %s\n", strerror(-k));
        }
        status = k < 0 ? EXIT_ERROR : n > 0 ? EXIT_FOUND : EXIT_NONE;
        query_options_done(&o);
        return finish_output(&pager, status);
}

/* ------------------------------------------------------------------------------------------ */
/* show: the stored kernel lines ("lines") analysed again by this oomlens's engine, which is
 * the daemon's: the text renderer needs the whole parsed report, which the JSON does not hold
 * in a form that could be read back (and a newer oomlens explains an old report better). */

struct show_ctx {
        const struct report_summary *stored;
        struct report_assembler *assembler;
        struct oom_report *report; /* the first report found in the lines */
};

static int show_on_report(const struct raw_report *raw, void *userdata) {
        struct show_ctx *c = userdata;
        struct oom_report *r = NULL;
        int k;

        if (c->report)
                return 0; /* a stored report holds one report's lines */
        k = report_build(raw, &r);
        if (k < 0)
                return k;
        c->report = r;
        return 0;
}

static int show_on_line(const struct log_line *line, void *userdata) {
        struct show_ctx *c = userdata;
        return report_assembler_feed(c->assembler, line, show_on_report, c);
}

static int reanalyse(json_object *lines, const struct report_summary *stored, struct oom_report **ret) {
        _cleanup_(log_reader_freep) struct log_reader *reader = NULL;
        _cleanup_(report_assembler_freep) struct report_assembler *assembler = NULL;
        struct report_assembler_config cfg;
        struct show_ctx c = {.stored = stored};
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
                        goto fail;
        }
        k = log_reader_flush(reader, show_on_line, &c);
        if (k >= 0)
                k = report_assembler_flush(assembler, show_on_report, &c);
        if (k < 0)
                goto fail;
        if (!c.report)
                return -ENODATA;
        *ret = c.report;
        return 0;
fail:
        oom_report_free(c.report);
        return k;
}

static json_object *member(json_object *o, const char *key) {
        json_object *v;
        return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *member_string(json_object *o, const char *key) {
        json_object *v = member(o, key);
        return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void show_header(const struct report_summary *s, const char *path, const struct list_style *st) {
        char t[TIMESTAMP_TEXT_MAX];
        const struct report_workload *w = &s->workload;
        _cleanup_free_ char *p = terminal_safe(path);

        printf("%sReport%s %s\n", ansi_bold(st), ansi_normal(st), p ? p : "?");
        printf("  time  %s", timestamp_format(s->time_usec, st->utc, t));
        if (s->boot[0])
                printf(", boot %s", s->boot);
        if (num_set(s->seq))
                printf(", kernel record %" PRId64, s->seq);
        putchar('\n');
        if (w->unit[0] || w->slice[0] || w->container_id[0] || w->pod_uid[0]) {
                _cleanup_free_ char *u = terminal_safe(w->unit), *sl = terminal_safe(w->slice),
                                    *c = terminal_safe(w->container_id), *pod = terminal_safe(w->pod_uid),
                                    *q = terminal_safe(w->qos);
                fputs("  in   ", stdout);
                if (u && *u)
                        printf(" unit %s", u);
                if (sl && *sl)
                        printf(" slice %s", sl);
                if (c && *c)
                        printf(" container %s", c);
                if (pod && *pod)
                        printf(" pod %s", pod);
                if (q && *q)
                        printf(" (QoS %s)", q);
                putchar('\n');
        } else if (s->memcg[0]) {
                _cleanup_free_ char *m = terminal_safe(s->memcg);
                printf("  in    cgroup %s\n", m ? m : "?");
        }
        putchar('\n');
}

/* When the lines cannot be analysed again: what oomlensd stored ("analysis"). */
static void show_stored_analysis(json_object *d) {
        json_object *a = member(d, "analysis"), *causes = member(a, "causes");
        const char *summary = member_string(a, "summary");
        _cleanup_free_ char *s = terminal_safe(summary ? summary : "(no summary stored)");

        printf("%s\n", s ? s : "?");
        for (size_t i = 0;
             causes && json_object_is_type(causes, json_type_array) && i < json_object_array_length(causes);
             i++) {
                json_object *c = json_object_array_get_idx(causes, i);
                json_object *p = member(c, "primary");
                const char *code = member_string(c, "code"), *expl = member_string(c, "explanation");
                _cleanup_free_ char *cs = terminal_safe(code ? code : "?"),
                                    *es = terminal_safe(expl ? expl : "");
                printf("%s: %s\n  %s\n", p && json_object_get_boolean(p) ? "Cause" : "Also", cs ? cs : "?",
                       es ? es : "");
        }
}

static int show_raw(json_object *d) {
        json_object *lines = member(d, "lines");

        if (!lines || !json_object_is_type(lines, json_type_array))
                return -EBADMSG;
        for (size_t i = 0; i < json_object_array_length(lines); i++) {
                json_object *l = json_object_array_get_idx(lines, i);
                _cleanup_free_ char *s = terminal_safe(
                        json_object_is_type(l, json_type_string) ? json_object_get_string(l) : "");
                if (!s)
                        return -ENOMEM;
                printf("%s\n", s);
        }
        return 0;
}

/* The report show names: only names are listed (a spool holds hundreds of reports, show reads
 * one); "latest" is the newest that can be read. */
static int show_pick(const struct query_options *o, int fd, struct spool_report *ret) {
        _cleanup_free_ struct spool_entry *v = NULL;
        size_t n = 0, idx = 0, matches = 0;
        int k;

        k = spool_list(fd, &v, &n);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s: %s\n", o->spool_dir, strerror(-k));
                return -k == ENOENT ? -EIO : k;
        }
        if (strcmp(o->id, "latest") == 0) {
                for (size_t i = n; i > 0; i--)
                        if (spool_query_summarise(fd, o->spool_dir, v[i - 1].name, &ret->s) == 0) {
                                snprintf(ret->name, sizeof ret->name, "%s", v[i - 1].name);
                                return 0;
                        }
                fprintf(stderr, "oomlens: %s: no reports\n", o->spool_dir);
                return -ENOENT;
        }
        k = spool_query_find(v, n, o->id, &idx, &matches);
        if (k == -ENOENT) {
                fprintf(stderr, "oomlens: %s: no report '%s' (see oomlens list)\n", o->spool_dir, o->id);
                return k;
        }
        if (k == -EEXIST) {
                fprintf(stderr, "oomlens: %s: '%s' matches %zu reports; give more of the id\n", o->spool_dir,
                        o->id, matches);
                return -EINVAL;
        }
        k = spool_query_summarise(fd, o->spool_dir, v[idx].name, &ret->s);
        if (k < 0)
                return -EIO;
        snprintf(ret->name, sizeof ret->name, "%s", v[idx].name);
        return 0;
}

int cmd_show(int argc, char **argv) {
        struct query_options o;
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        struct spool_report rep;
        struct pager pager = {};
        json_object *d = NULL;
        size_t len = 0;
        char path[INI_PATH_MAX + SPOOL_NAME_MAX + 2];
        int k, status = EXIT_FOUND;

        k = query_options_parse(QUERY_SHOW, argc, argv, &o);
        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_ERROR;
        k = spool_query_open(o.spool_dir, o.config_path, &fd);
        if (k >= 0)
                k = show_pick(&o, fd, &rep);
        if (k < 0) {
                query_options_done(&o);
                return k == -ENOENT ? EXIT_NONE : EXIT_ERROR;
        }
        snprintf(path, sizeof path, "%s/%s", o.spool_dir, rep.name);
        k = spool_query_read(fd, rep.name, &buf, &len);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s: %s\n", path, strerror(-k));
                query_options_done(&o);
                return EXIT_ERROR;
        }
        (void)pager_open(o.no_pager, &pager);
        if (o.json) {
                fwrite(buf, 1, len, stdout);
                if (len == 0 || buf[len - 1] != '\n')
                        putchar('\n');
                query_options_done(&o);
                return finish_output(&pager, EXIT_FOUND);
        }
        d = json_tokener_parse(buf);
        if (!d) { /* it was read as JSON a moment ago: replaced since */
                fprintf(stderr, "oomlens: %s: not valid JSON\n", path);
                query_options_done(&o);
                return finish_output(&pager, EXIT_ERROR);
        }
        if (o.raw) {
                k = show_raw(d);
                if (k < 0) {
                        fprintf(stderr, "oomlens: %s: no kernel lines stored (\"lines\")\n", path);
                        status = EXIT_ERROR;
                }
                json_object_put(d);
                query_options_done(&o);
                return finish_output(&pager, status);
        }

        show_header(&rep.s, path, &o.style);
        k = reanalyse(member(d, "lines"), &rep.s, &r);
        if (k < 0) {
                show_stored_analysis(d);
                printf("\n(The kernel lines of this report could not be analysed again: %s. Above is the "
                       "analysis oomlensd stored; 'oomlens show --raw %s' prints the lines.)\n",
                       strerror(-k), rep.s.id);
        } else {
                const struct oom_cause *c;
                /* Facts of the stream, not of the lines: the daemon saw whether records were lost. */
                snprintf(r->id, sizeof r->id, "%.*s", (int)sizeof r->id - 1, rep.s.id);
                r->complete = rep.s.complete;
                r->spans_gap = rep.s.spans_gap;
                k = report_write_text(r, stdout);
                if (k < 0) {
                        fprintf(stderr, "oomlens: %s: %s\n", path, strerror(-k));
                        status = EXIT_ERROR;
                }
                c = report_primary_cause(r);
                if (c && strcmp(cause_code_to_string(c->code), rep.s.cause) != 0)
                        printf("\nNote: oomlensd recorded the cause %s when it wrote this report; this "
                               "oomlens "
                               "reads the same lines as %s.\n",
                               rep.s.cause, cause_code_to_string(c->code));
        }
        json_object_put(d);
        query_options_done(&o);
        return finish_output(&pager, status);
}

/* ------------------------------------------------------------------------------------------ */

int cmd_stats(int argc, char **argv) {
        struct query_options o;
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct spool_report *v = NULL;
        _cleanup_free_ struct report_summary *rows = NULL;
        struct report_stats st = {};
        struct pager pager = {};
        char current[REPORT_SUMMARY_BOOT_MAX] = "";
        size_t n = 0;
        int k, status;

        if (!begin(QUERY_STATS, argc, argv, &o, &fd, &v, &rows, &n, &status))
                return status;
        k = report_stats_compute(rows, n, &st);
        if (k < 0) {
                fprintf(stderr, "oomlens: %s\n", strerror(-k));
                query_options_done(&o);
                return EXIT_ERROR;
        }
        (void)current_boot_id(current);
        (void)pager_open(o.no_pager, &pager);
        if (o.json)
                k = report_stats_print_json(stdout, &st, current[0] ? current : NULL);
        else
                k = report_stats_print(stdout, &st, current[0] ? current : NULL, &o.style);
        if (k < 0)
                fprintf(stderr, "oomlens: %s\n", strerror(-k));
        report_stats_done(&st);
        query_options_done(&o);
        return finish_output(&pager, k < 0 ? EXIT_ERROR : n > 0 ? EXIT_FOUND : EXIT_NONE);
}
