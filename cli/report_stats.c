/* SPDX-License-Identifier: MIT */
#include "report_stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "report_filter.h"
#include "report_json.h"
#include "timestamp.h"

static void counts_free(struct stats_count *v, size_t n) {
        for (size_t i = 0; v && i < n; i++)
                free(v[i].key);
        free(v);
}

void report_stats_done(struct report_stats *st) {
        counts_free(st->by_cause, st->n_cause);
        counts_free(st->by_victim, st->n_victim);
        counts_free(st->by_unit, st->n_unit);
        counts_free(st->by_boot, st->n_boot);
        *st = (struct report_stats){};
}

/* Linear lookup: a spool holds at most MaxReports (1000 by default) reports. */
static int count(struct stats_count **v, size_t *n, const char *key, int64_t t) {
        struct stats_count *nv;

        for (size_t i = 0; i < *n; i++)
                if (strcmp((*v)[i].key, key) == 0) {
                        (*v)[i].count++;
                        if (num_set(t)) {
                                if (!num_set((*v)[i].first_usec) || t < (*v)[i].first_usec)
                                        (*v)[i].first_usec = t;
                                if (!num_set((*v)[i].last_usec) || t > (*v)[i].last_usec)
                                        (*v)[i].last_usec = t;
                        }
                        return 0;
                }
        nv = reallocarray(*v, *n + 1, sizeof **v);
        if (!nv)
                return -ENOMEM;
        *v = nv;
        nv[*n] = (struct stats_count){.key = strdup(key), .count = 1, .first_usec = t, .last_usec = t};
        if (!nv[*n].key)
                return -ENOMEM;
        (*n)++;
        return 0;
}

static int cmp_count(const void *a, const void *b) {
        const struct stats_count *x = a, *y = b;
        if (x->count != y->count)
                return x->count > y->count ? -1 : 1;
        return strcmp(x->key, y->key);
}

int report_stats_compute(const struct report_summary *rows, size_t n, struct report_stats *ret) {
        struct report_stats st = {.first_usec = NUM_UNSET, .last_usec = NUM_UNSET};
        int k = 0;

        for (size_t i = 0; i < n && k == 0; i++) {
                const struct report_summary *s = &rows[i];
                char cbuf[CONTAINER_ID_SHORT + 1];

                st.total++;
                if (num_set(s->time_usec)) {
                        if (!num_set(st.first_usec) || s->time_usec < st.first_usec)
                                st.first_usec = s->time_usec;
                        if (!num_set(st.last_usec) || s->time_usec > st.last_usec)
                                st.last_usec = s->time_usec;
                }
                k = count(&st.by_cause, &st.n_cause, s->cause, s->time_usec);
                if (k == 0)
                        k = count(&st.by_victim, &st.n_victim, s->comm[0] ? s->comm : "-", s->time_usec);
                if (k == 0)
                        k = count(&st.by_unit, &st.n_unit, report_summary_where(s, cbuf), s->time_usec);
                if (k == 0)
                        k = count(&st.by_boot, &st.n_boot, s->boot[0] ? s->boot : "-", s->time_usec);
        }
        if (k < 0) {
                report_stats_done(&st);
                return k;
        }
        if (st.n_cause > 1)
                qsort(st.by_cause, st.n_cause, sizeof *st.by_cause, cmp_count);
        if (st.n_victim > 1)
                qsort(st.by_victim, st.n_victim, sizeof *st.by_victim, cmp_count);
        if (st.n_unit > 1)
                qsort(st.by_unit, st.n_unit, sizeof *st.by_unit, cmp_count);
        *ret = st;
        return 0;
}

static int print_table(FILE *f, const char *title, const struct stats_count *v, size_t n,
                       const struct list_style *style) {
        size_t w = strlen(title);

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *safe = terminal_safe(v[i].key);
                if (!safe)
                        return -ENOMEM;
                w = MAX(w, strlen(safe));
        }
        fprintf(f, "\n%s%-*s %6s%s\n", ansi_bold(style), (int)w, title, "COUNT", ansi_normal(style));
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *safe = terminal_safe(v[i].key);
                if (!safe)
                        return -ENOMEM;
                fprintf(f, "%-*s %6zu\n", (int)w, safe, v[i].count);
        }
        return 0;
}

int report_stats_print(FILE *f, const struct report_stats *st, const char *current_boot,
                       const struct list_style *style) {
        char a[TIMESTAMP_TEXT_MAX], b[TIMESTAMP_TEXT_MAX];
        size_t w = strlen("BOOT");
        int k;

        if (st->total == 0) {
                fprintf(f, "No reports.\n");
                return 0;
        }
        fprintf(f, "%zu report%s in %zu boot%s, from %s to %s\n", st->total, st->total == 1 ? "" : "s",
                st->n_boot, st->n_boot == 1 ? "" : "s", timestamp_format(st->first_usec, style->utc, a),
                timestamp_format(st->last_usec, style->utc, b));
        k = print_table(f, "CAUSE", st->by_cause, st->n_cause, style);
        if (k == 0)
                k = print_table(f, "VICTIM", st->by_victim, st->n_victim, style);
        if (k == 0)
                k = print_table(f, "UNIT", st->by_unit, st->n_unit, style);
        if (k < 0)
                return k;

        for (size_t i = 0; i < st->n_boot; i++)
                w = MAX(w, strlen(st->by_boot[i].key));
        fprintf(f, "\n%s%-*s %6s  %-*s  %s%s\n", ansi_bold(style), (int)w, "BOOT", "COUNT",
                TIMESTAMP_TEXT_MAX / 2, "FIRST", "LAST", ansi_normal(style));
        for (size_t i = 0; i < st->n_boot; i++) {
                const struct stats_count *c = &st->by_boot[i];
                _cleanup_free_ char *safe = terminal_safe(c->key);
                if (!safe)
                        return -ENOMEM;
                fprintf(f, "%-*s %6zu  %-*s  %s%s\n", (int)w, safe, c->count, TIMESTAMP_TEXT_MAX / 2,
                        timestamp_format(c->first_usec, style->utc, a),
                        timestamp_format(c->last_usec, style->utc, b),
                        current_boot && boot_id_matches(c->key, current_boot) ? "  (this boot)" : "");
        }
        return 0;
}

static int add(json_object *o, const char *key, json_object *v) {
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static json_object *int_or_null(int64_t v) {
        return num_set(v) ? json_object_new_int64(v) : NULL;
}

static int add_counts(json_object *root, const char *name, const char *key_name, const struct stats_count *v,
                      size_t n, bool times, const char *current_boot) {
        json_object *arr = json_object_new_array();
        int k;

        if (!arr)
                return -ENOMEM;
        k = add(root, name, arr);
        if (k < 0)
                return k;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *clean = NULL;
                json_object *o = json_object_new_object();
                if (!o || json_object_array_add(arr, o) < 0) {
                        json_object_put(o);
                        return -ENOMEM;
                }
                k = utf8_sanitize(v[i].key, strlen(v[i].key), &clean);
                if (k < 0)
                        return k;
                if (add(o, key_name, json_object_new_string(clean)) < 0 ||
                    add(o, "count", json_object_new_int64((int64_t)v[i].count)) < 0)
                        return -ENOMEM;
                if (times && (add(o, "first_usec", int_or_null(v[i].first_usec)) < 0 ||
                              add(o, "last_usec", int_or_null(v[i].last_usec)) < 0 ||
                              add(o, "current",
                                  json_object_new_boolean(current_boot &&
                                                          boot_id_matches(v[i].key, current_boot))) < 0))
                        return -ENOMEM;
        }
        return 0;
}

int report_stats_print_json(FILE *f, const struct report_stats *st, const char *current_boot) {
        json_object *root = json_object_new_object();
        int k;

        if (!root)
                return -ENOMEM;
        k = add(root, "reports", json_object_new_int64((int64_t)st->total));
        if (k == 0)
                k = add(root, "first_usec", int_or_null(st->first_usec));
        if (k == 0)
                k = add(root, "last_usec", int_or_null(st->last_usec));
        if (k == 0)
                k = add_counts(root, "by_cause", "cause", st->by_cause, st->n_cause, false, NULL);
        if (k == 0)
                k = add_counts(root, "by_victim", "comm", st->by_victim, st->n_victim, false, NULL);
        if (k == 0)
                k = add_counts(root, "by_unit", "unit", st->by_unit, st->n_unit, false, NULL);
        if (k == 0)
                k = add_counts(root, "by_boot", "boot", st->by_boot, st->n_boot, true, current_boot);
        if (k == 0) {
                fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE),
                      f);
                fputc('\n', f);
        }
        json_object_put(root);
        return k;
}
