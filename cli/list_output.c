/* SPDX-License-Identifier: MIT */
#include "list_output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "human_size.h"
#include "macro.h"
#include "report_json.h"
#include "timestamp.h"

enum { COL_TIME, COL_KIND, COL_CAUSE, COL_VICTIM, COL_UNIT, COL_RSS, COL_ID, _COL_MAX };

static const char *const headers[_COL_MAX] = {"TIME", "KIND", "CAUSE", "VICTIM", "UNIT", "RSS", "ID"};
/* follow cannot know the widths in advance: room for the usual values, longer ones push on. */
static const size_t fixed_widths[_COL_MAX] = {27, 13, 17, 22, 32, 9, 0};

const char *ansi_bold(const struct list_style *st) {
        return st->colour ? "\033[1m" : "";
}
const char *ansi_red(const struct list_style *st) {
        return st->colour ? "\033[31m" : "";
}
const char *ansi_yellow(const struct list_style *st) {
        return st->colour ? "\033[33m" : "";
}
const char *ansi_normal(const struct list_style *st) {
        return st->colour ? "\033[0m" : "";
}

bool colours_wanted(void) {
        const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

        /* https://no-color.org: present and not empty means no colour. */
        if (no && *no)
                return false;
        if (term && strcmp(term, "dumb") == 0)
                return false;
        return isatty(STDOUT_FILENO) == 1;
}

char *terminal_safe(const char *s) {
        _cleanup_free_ char *clean = NULL;
        char *out, *o;

        if (utf8_sanitize(s, strlen(s), &clean) < 0)
                return NULL;
        out = malloc(strlen(clean) * 4 + 1);
        if (!out)
                return NULL;
        o = out;
        for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        o += sprintf(o, "\\x%02X", *p);
                else
                        *o++ = (char)*p;
        }
        *o = '\0';
        return out;
}

/* Display width: code points (what a terminal shows for the text we print, bar wide CJK). */
static size_t width(const char *s) {
        size_t n = 0;
        for (; *s; s++)
                if (((unsigned char)*s & 0xC0) != 0x80)
                        n++;
        return n;
}

struct row {
        char *cell[_COL_MAX];
        const struct report_summary *s;
};

static void row_done(struct row *r) {
        for (size_t i = 0; i < _COL_MAX; i++)
                free(r->cell[i]);
}

static int row_make(const struct report_summary *s, const struct list_style *st, struct row *ret) {
        char t[TIMESTAMP_TEXT_MAX], victim[OOM_COMM_MAX + 32], rss[HUMAN_SIZE_MAX],
                cbuf[CONTAINER_ID_SHORT + 1];
        struct row r = {.s = s};

        if (num_set(s->pid))
                snprintf(victim, sizeof victim, "%s[%" PRId64 "]", s->comm[0] ? s->comm : "?", s->pid);
        else
                snprintf(victim, sizeof victim, "%s", s->comm[0] ? s->comm : "-");
        if (num_set(s->rss_kb))
                human_kb(s->rss_kb, rss, sizeof rss);
        else
                snprintf(rss, sizeof rss, "-");
        r.cell[COL_TIME] = terminal_safe(timestamp_format(s->time_usec, st->utc, t));
        r.cell[COL_KIND] = terminal_safe(s->kind);
        r.cell[COL_CAUSE] = terminal_safe(s->cause);
        r.cell[COL_VICTIM] = terminal_safe(victim);
        r.cell[COL_UNIT] = terminal_safe(report_summary_where(s, cbuf));
        r.cell[COL_RSS] = terminal_safe(rss);
        r.cell[COL_ID] = terminal_safe(s->id[0] ? s->id : "-");
        for (size_t i = 0; i < _COL_MAX; i++)
                if (!r.cell[i]) {
                        row_done(&r);
                        return -ENOMEM;
                }
        *ret = r;
        return 0;
}

static void pad(FILE *f, size_t n) {
        while (n-- > 0)
                fputc(' ', f);
}

static void print_header(FILE *f, const size_t w[_COL_MAX], const struct list_style *st) {
        fputs(ansi_bold(st), f);
        for (size_t i = 0; i < _COL_MAX; i++) {
                if (i == COL_RSS) {
                        pad(f, w[i] > strlen(headers[i]) ? w[i] - strlen(headers[i]) : 0);
                        fputs(headers[i], f);
                } else {
                        fputs(headers[i], f);
                        if (i + 1 < _COL_MAX)
                                pad(f, w[i] > strlen(headers[i]) ? w[i] - strlen(headers[i]) : 0);
                }
                if (i + 1 < _COL_MAX)
                        fputc(' ', f);
        }
        fputs(ansi_normal(st), f);
        fputc('\n', f);
}

static void print_row(FILE *f, const struct row *r, const size_t w[_COL_MAX], const struct list_style *st) {
        const struct report_summary *s = r->s;
        /* A kill of the whole machine or a panic stands out; an incomplete report is flagged. */
        const char *colour = s->panic || strcmp(s->kind, "global") == 0 ? ansi_red(st)
                             : !s->complete                             ? ansi_yellow(st)
                                                                        : "";

        fputs(colour, f);
        for (size_t i = 0; i < _COL_MAX; i++) {
                size_t cw = width(r->cell[i]);
                if (i == COL_RSS) {
                        pad(f, w[i] > cw ? w[i] - cw : 0);
                        fputs(r->cell[i], f);
                } else if (i == COL_VICTIM && !colour[0]) {
                        fprintf(f, "%s%s%s", ansi_bold(st), r->cell[i], ansi_normal(st));
                        pad(f, w[i] > cw ? w[i] - cw : 0);
                } else {
                        fputs(r->cell[i], f);
                        if (i + 1 < _COL_MAX)
                                pad(f, w[i] > cw ? w[i] - cw : 0);
                }
                if (i + 1 < _COL_MAX)
                        fputc(' ', f);
        }
        if (colour[0])
                fputs(ansi_normal(st), f);
        fputc('\n', f);
}

int list_print(FILE *f, const struct report_summary *rows, size_t n, const struct list_style *st) {
        _cleanup_free_ struct row *v = NULL;
        size_t w[_COL_MAX];
        int k = 0;

        for (size_t i = 0; i < _COL_MAX; i++)
                w[i] = st->legend ? strlen(headers[i]) : 0;
        if (n > 0) {
                v = calloc(n, sizeof *v);
                if (!v)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                k = row_make(&rows[i], st, &v[i]);
                if (k < 0) {
                        n = i;
                        break;
                }
                for (size_t c = 0; c < _COL_MAX; c++)
                        w[c] = MAX(w[c], width(v[i].cell[c]));
        }
        if (k == 0) {
                if (st->legend && n > 0)
                        print_header(f, w, st);
                for (size_t i = 0; i < n; i++)
                        print_row(f, &v[i], w, st);
        }
        for (size_t i = 0; i < n; i++)
                row_done(&v[i]);
        return k;
}

int list_print_row(FILE *f, const struct report_summary *s, const struct list_style *st, bool *header_done) {
        struct row r;
        int k;

        if (st->legend && !*header_done)
                print_header(f, fixed_widths, st);
        *header_done = true;
        k = row_make(s, st, &r);
        if (k < 0)
                return k;
        print_row(f, &r, fixed_widths, st);
        row_done(&r);
        return 0;
}
