/* SPDX-License-Identifier: MIT */
#include "report_filter.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"

void report_filter_init(struct report_filter *f) {
        *f = (struct report_filter){.since_usec = NUM_UNSET, .until_usec = NUM_UNSET};
}

static void free_values(char **v, size_t *n) {
        for (size_t i = 0; i < *n; i++)
                free(v[i]);
        *n = 0;
}

void report_filter_done(struct report_filter *f) {
        free_values(f->causes, &f->n_causes);
        free_values(f->kinds, &f->n_kinds);
        free_values(f->comms, &f->n_comms);
        free_values(f->units, &f->n_units);
}

/* The codes: the engine's, so a cause added there is accepted here without an edit. */
static bool cause_valid(const char *s) {
        for (int c = 0; c < _CAUSE_MAX; c++)
                if (strcmp(s, cause_code_to_string((enum cause_code)c)) == 0)
                        return true;
        return false;
}

static bool kind_valid(const char *s) {
        /* "unknown": the journal entry of a report the daemon could not analyse. */
        if (strcmp(s, "unknown") == 0)
                return true;
        for (int k = REPORT_KIND_GLOBAL; k <= REPORT_KIND_ALLOC_FAILURE; k++)
                if (strcmp(s, report_kind_to_string((enum report_kind)k)) == 0)
                        return true;
        return false;
}

void report_filter_list_causes(FILE *out) {
        for (int c = 0; c < _CAUSE_MAX; c++)
                fprintf(out, "%s\n", cause_code_to_string((enum cause_code)c));
}

void report_filter_list_kinds(FILE *out) {
        for (int k = REPORT_KIND_GLOBAL; k <= REPORT_KIND_ALLOC_FAILURE; k++)
                fprintf(out, "%s\n", report_kind_to_string((enum report_kind)k));
        fprintf(out, "unknown\n");
}

/* Split "a,b,c" into owned copies appended to v; valid (may be NULL) checks each one. On a
 * bad value *ret_bad points at it inside `values` (only up to its comma). */
static int add_values(char **v, size_t *n, const char *values, bool (*valid)(const char *),
                      const char **ret_bad) {
        const char *p = values;

        if (!values)
                return -EINVAL;
        for (;;) {
                size_t l = strcspn(p, ",");
                if (l > 0) {
                        char *s;
                        if (*n >= FILTER_MAX_VALUES)
                                return -E2BIG;
                        s = strndup(p, l);
                        if (!s)
                                return -ENOMEM;
                        if (valid && !valid(s)) {
                                free(s);
                                if (ret_bad)
                                        *ret_bad = p;
                                return -EINVAL;
                        }
                        v[(*n)++] = s;
                }
                if (!p[l])
                        break;
                p += l + 1;
        }
        return 0;
}

int report_filter_add_causes(struct report_filter *f, const char *values, const char **ret_bad) {
        return add_values(f->causes, &f->n_causes, values, cause_valid, ret_bad);
}

int report_filter_add_kinds(struct report_filter *f, const char *values, const char **ret_bad) {
        return add_values(f->kinds, &f->n_kinds, values, kind_valid, ret_bad);
}

int report_filter_add_comms(struct report_filter *f, const char *values) {
        return add_values(f->comms, &f->n_comms, values, NULL, NULL);
}

int report_filter_add_units(struct report_filter *f, const char *values) {
        return add_values(f->units, &f->n_units, values, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Boots */

static bool all_digits(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char)*s))
                        return false;
        return true;
}

/* A boot id (with or without the dashes of its UUID form), a prefix of >= 8 hex digits of one,
 * or the BootId= a recorded stream was given (letters, digits, '_'), normalised to lower case. */
static int parse_boot_id(const char *s, char ret[REPORT_SUMMARY_BOOT_MAX]) {
        size_t n = 0;
        bool hex = true;

        if (s[0] == '-') /* an option ("--json" after "-b"), not an id */
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p == '-')
                        continue;
                if ((!isalnum((unsigned char)*p) && *p != '_') || n >= REPORT_SUMMARY_BOOT_MAX - 1)
                        return -EINVAL;
                hex = hex && isxdigit((unsigned char)*p);
                ret[n++] = (char)tolower((unsigned char)*p);
        }
        ret[n] = '\0';
        return n >= (hex ? 8 : 4) ? 0 : -EINVAL;
}

int boot_spec_parse(const char *s, struct boot_spec *ret) {
        struct boot_spec b = {.set = true};
        const char *p = s ? s : "";

        if (*p == '\0') {
                b.is_offset = true;
                *ret = b;
                return 0;
        }
        /* Small integers are offsets; 8+ digits read as the start of a boot id. */
        if (((*p == '-' || *p == '+') && all_digits(p + 1)) || (all_digits(p) && strlen(p) < 8)) {
                long v;
                char *end;
                errno = 0;
                v = strtol(p, &end, 10);
                if (errno || *end || v < -100000 || v > 100000)
                        return -ERANGE;
                b.is_offset = true;
                b.offset = (int)v;
                *ret = b;
                return 0;
        }
        if (parse_boot_id(p, b.id) < 0)
                return -EINVAL;
        *ret = b;
        return 0;
}

bool boot_spec_looks_like(const char *s) {
        struct boot_spec b;
        return s && *s && boot_spec_parse(s, &b) == 0;
}

bool boot_id_matches(const char *a, const char *b) {
        char x[REPORT_SUMMARY_BOOT_MAX], y[REPORT_SUMMARY_BOOT_MAX];
        size_t n = 0, m = 0;

        if (!a || !b)
                return false;
        /* Compare without dashes and case: "a1b2c3d4-..." (UUID form) is "a1b2c3d4...". */
        for (; *a && n < sizeof x - 1; a++)
                if (*a != '-')
                        x[n++] = (char)tolower((unsigned char)*a);
        for (; *b && m < sizeof y - 1; b++)
                if (*b != '-')
                        y[m++] = (char)tolower((unsigned char)*b);
        if (n == 0 || m == 0)
                return false;
        return strncmp(x, y, MIN(n, m)) == 0;
}

int boot_spec_resolve(const struct boot_spec *spec, const char *const *boots, size_t n, const char *current,
                      char ret[REPORT_SUMMARY_BOOT_MAX]) {
        size_t cur = n; /* a running boot without reports comes after all of them */
        long target;

        if (!spec->is_offset) {
                snprintf(ret, REPORT_SUMMARY_BOOT_MAX, "%s", spec->id);
                return 0;
        }
        if (spec->offset > 0) {
                if ((size_t)spec->offset > n)
                        return -ENXIO;
                snprintf(ret, REPORT_SUMMARY_BOOT_MAX, "%s", boots[spec->offset - 1]);
                return 0;
        }
        for (size_t i = 0; current && i < n; i++)
                if (boot_id_matches(boots[i], current)) {
                        cur = i;
                        break;
                }
        if (spec->offset == 0 && cur == n) {
                if (!current || !*current)
                        return -ENXIO;
                snprintf(ret, REPORT_SUMMARY_BOOT_MAX, "%s", current);
                return 0;
        }
        target = (long)cur + spec->offset;
        if (target < 0 || (size_t)target >= n)
                return -ENXIO;
        snprintf(ret, REPORT_SUMMARY_BOOT_MAX, "%s", boots[target]);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */

static bool any_equal(char *const *v, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

static bool glob(const char *pattern, const char *s) {
        return s[0] && fnmatch(pattern, s, 0) == 0;
}

static bool has_glob(const char *p) {
        return strpbrk(p, "*?[") != NULL;
}

/* --unit: what the "unit or container" column can show, and the names behind it. */
static bool unit_matches(const char *p, const struct report_summary *s) {
        const struct report_workload *w = &s->workload;
        const char *last;

        if (glob(p, w->unit) || glob(p, w->slice))
                return true;
        /* journalctl -u nginx: a name without a suffix means the service */
        if (!strchr(p, '.')) {
                char svc[300];
                if ((size_t)snprintf(svc, sizeof svc, "%s.service", p) < sizeof svc && glob(svc, w->unit))
                        return true;
        }
        /* container ids and pod UIDs are typed as prefixes, like docker and crictl take them */
        if (w->container_id[0] &&
            (glob(p, w->container_id) || (!has_glob(p) && strncasecmp(w->container_id, p, strlen(p)) == 0)))
                return true;
        if (w->pod_uid[0] &&
            (glob(p, w->pod_uid) || (!has_glob(p) && strncasecmp(w->pod_uid, p, strlen(p)) == 0)))
                return true;
        if (!s->memcg[0])
                return false;
        last = strrchr(s->memcg, '/');
        return glob(p, s->memcg) || (last && glob(p, last + 1));
}

bool report_filter_match(const struct report_filter *f, const struct report_summary *s) {
        bool ok;

        if (num_set(f->since_usec) && (!num_set(s->time_usec) || s->time_usec < f->since_usec))
                return false;
        if (num_set(f->until_usec) && (!num_set(s->time_usec) || s->time_usec > f->until_usec))
                return false;
        if (f->n_causes > 0 && !any_equal(f->causes, f->n_causes, s->cause))
                return false;
        if (f->n_kinds > 0 && !any_equal(f->kinds, f->n_kinds, s->kind))
                return false;
        if (f->n_comms > 0) {
                ok = false;
                for (size_t i = 0; i < f->n_comms && !ok; i++)
                        ok = glob(f->comms[i], s->comm);
                if (!ok)
                        return false;
        }
        if (f->n_units > 0) {
                ok = false;
                for (size_t i = 0; i < f->n_units && !ok; i++)
                        ok = unit_matches(f->units[i], s);
                if (!ok)
                        return false;
        }
        if (f->boot.set && !boot_id_matches(f->boot_resolved, s->boot))
                return false;
        return true;
}
