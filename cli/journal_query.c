/* SPDX-License-Identifier: MIT */
#include "journal_query.h"

#include <errno.h>
#include <glob.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "journal_fields.h"
#include "macro.h"
#include "pager.h"
#include "spool_commands.h"

/* sd-journal.h defines sd_journal_closep for _cleanup_. */

#define FIELDS_MAX 64 /* an entry of ours has about 25 */

static void globfreep(glob_t *g) {
        globfree(g);
}

/* The journal to read: --directory, --file (globs expanded, as journalctl does), or this
 * machine's (local only: journal-remote's files in /var/log/journal/remote are read with -D). */
static int open_journal(const struct query_options *o, sd_journal **ret) {
        _cleanup_(globfreep) glob_t g = {};
        const char *paths[QUERY_MAX_FILES * 16 + 1];
        size_t n = 0;
        int k;

        if (o->directory) {
                k = sd_journal_open_directory(ret, o->directory, 0);
                if (k < 0)
                        fprintf(stderr, "oomlens: %s: cannot open the journal there: %s\n", o->directory,
                                strerror(-k));
                return k;
        }
        if (o->n_files > 0) {
                for (size_t i = 0; i < o->n_files; i++) {
                        k = glob(o->files[i], GLOB_NOCHECK | (i > 0 ? GLOB_APPEND : 0), NULL, &g);
                        if (k != 0) {
                                fprintf(stderr, "oomlens: %s: cannot expand\n", o->files[i]);
                                return -EINVAL;
                        }
                }
                for (size_t i = 0; i < g.gl_pathc && n < ELEMENTSOF(paths) - 1; i++)
                        paths[n++] = g.gl_pathv[i];
                paths[n] = NULL;
                k = sd_journal_open_files(ret, paths, 0);
                if (k < 0)
                        fprintf(stderr, "oomlens: %s: cannot open the journal file: %s\n", paths[0],
                                strerror(-k));
                return k;
        }
        k = sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY);
        if (k < 0)
                fprintf(stderr, "oomlens: cannot open the journal: %s\n", strerror(-k));
        return k;
}

struct boot {
        char id[SD_ID128_STRING_MAX];
        uint64_t first_usec;
};

static int cmp_boot(const void *a, const void *b) {
        const struct boot *x = a, *y = b;
        return x->first_usec < y->first_usec ? -1 : x->first_usec > y->first_usec ? 1 : strcmp(x->id, y->id);
}

/* All boots in the journal (not only those with reports: "-b -1" means what it means to
 * journalctl), ordered by their first entry. */
static int journal_boots(sd_journal *j, struct boot **ret, size_t *ret_n) {
        _cleanup_free_ struct boot *v = NULL;
        const void *data;
        size_t len, n = 0;
        int k;

        k = sd_journal_query_unique(j, "_BOOT_ID");
        if (k < 0)
                return k;
        SD_JOURNAL_FOREACH_UNIQUE(j, data, len) {
                struct boot *nv;
                size_t l = strlen("_BOOT_ID=");
                if (len != l + 32 || memcmp(data, "_BOOT_ID=", l) != 0)
                        continue;
                nv = reallocarray(v, n + 1, sizeof *v);
                if (!nv)
                        return -ENOMEM;
                v = nv;
                memcpy(v[n].id, (const char *)data + l, 32);
                v[n].id[32] = '\0';
                v[n].first_usec = UINT64_MAX;
                n++;
        }
        sd_journal_restart_unique(j);
        for (size_t i = 0; i < n; i++) {
                char m[64];
                snprintf(m, sizeof m, "_BOOT_ID=%s", v[i].id);
                sd_journal_flush_matches(j);
                if (sd_journal_add_match(j, m, 0) < 0 || sd_journal_seek_head(j) < 0 ||
                    sd_journal_next(j) <= 0 || sd_journal_get_realtime_usec(j, &v[i].first_usec) < 0)
                        v[i].first_usec = UINT64_MAX;
        }
        sd_journal_flush_matches(j);
        if (n > 1)
                qsort(v, n, sizeof *v, cmp_boot);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

/* "this boot": the running one for the local journal; for files from elsewhere, the boot of
 * their newest entry (there is no "running" boot of another machine). */
static int reference_boot(sd_journal *j, bool local, char ret[SD_ID128_STRING_MAX]) {
        sd_id128_t id;
        uint64_t mono;
        int k;

        if (local) {
                k = sd_id128_get_boot(&id);
                if (k < 0)
                        return k;
        } else {
                k = sd_journal_seek_tail(j);
                if (k >= 0)
                        k = sd_journal_previous(j);
                if (k <= 0)
                        return k < 0 ? k : -ENODATA;
                k = sd_journal_get_monotonic_usec(j, &mono, &id);
                if (k < 0)
                        return k;
        }
        sd_id128_to_string(id, ret);
        return 0;
}

static int resolve_boot(struct query_options *o, sd_journal *j) {
        _cleanup_free_ struct boot *boots = NULL;
        _cleanup_free_ const char **ids = NULL;
        char current[SD_ID128_STRING_MAX] = "";
        size_t n = 0;
        int k;

        if (!o->filter.boot.set)
                return 0;
        k = journal_boots(j, &boots, &n);
        if (k < 0) {
                fprintf(stderr, "oomlens: reading the journal's boots: %s\n", strerror(-k));
                return k;
        }
        ids = calloc(n + 1, sizeof *ids);
        if (!ids)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                ids[i] = boots[i].id;
        (void)reference_boot(j, !o->directory && o->n_files == 0, current);
        k = query_options_resolve_boot(o, ids, n, current[0] ? current : NULL);
        if (k < 0)
                return k;
        /* A prefix of a boot id the journal knows: the whole id, for an exact match. */
        for (size_t i = 0; i < n; i++)
                if (boot_id_matches(boots[i].id, o->filter.boot_resolved)) {
                        snprintf(o->filter.boot_resolved, sizeof o->filter.boot_resolved, "%s", boots[i].id);
                        break;
                }
        return 0;
}

/* The current entry as a summary. Fields are copied: a pointer from sd_journal_enumerate_data()
 * lives only until the next call. */
static int entry_summary(sd_journal *j, struct report_summary *ret) {
        char *copies[FIELDS_MAX];
        struct journal_field fields[FIELDS_MAX];
        char boot[SD_ID128_STRING_MAX] = "";
        const void *data;
        size_t len, n = 0;
        uint64_t realtime = 0, mono;
        sd_id128_t id;
        int k;

        if (sd_journal_get_realtime_usec(j, &realtime) < 0 || realtime > INT64_MAX)
                realtime = 0;
        if (sd_journal_get_monotonic_usec(j, &mono, &id) >= 0)
                sd_id128_to_string(id, boot);
        SD_JOURNAL_FOREACH_DATA(j, data, len) {
                if (n >= FIELDS_MAX)
                        break;
                if (len < 4 || memcmp(data, "OOM_", 4) != 0)
                        continue;
                copies[n] = malloc(len);
                if (!copies[n])
                        break;
                memcpy(copies[n], data, len);
                fields[n] = (struct journal_field){.data = copies[n], .len = len};
                n++;
        }
        k = report_summary_from_journal(fields, n, realtime > 0 ? (int64_t)realtime : NUM_UNSET,
                                        boot[0] ? boot : NULL, ret);
        for (size_t i = 0; i < n; i++)
                free(copies[i]);
        return k;
}

static bool in_group(const char *name) {
        struct group *g = getgrnam(name);
        gid_t groups[256];
        int n;

        if (!g)
                return false;
        if (getegid() == g->gr_gid)
                return true;
        n = getgroups((int)ELEMENTSOF(groups), groups);
        for (int i = 0; i < n; i++)
                if (groups[i] == g->gr_gid)
                        return true;
        return false;
}

int cmd_journal(int argc, char **argv) {
        struct query_options o;
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        _cleanup_free_ struct report_summary *v = NULL;
        struct pager pager = {};
        size_t n = 0, cap = 0, first = 0;
        int k, status;

        k = query_options_parse(QUERY_JOURNAL, argc, argv, &o);
        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_ERROR;
        k = open_journal(&o, &j);
        if (k >= 0)
                k = resolve_boot(&o, j);
        if (k >= 0)
                k = sd_journal_add_match(j, "MESSAGE_ID=" OOMLENS_MESSAGE_ID_REPORT, 0);
        if (k >= 0 && o.filter.boot.set && strlen(o.filter.boot_resolved) == 32) {
                char m[64];
                snprintf(m, sizeof m, "_BOOT_ID=%s", o.filter.boot_resolved);
                k = sd_journal_add_match(j, m, 0);
        }
        if (k >= 0)
                k = num_set(o.filter.since_usec)
                            ? sd_journal_seek_realtime_usec(j, (uint64_t)o.filter.since_usec)
                            : sd_journal_seek_head(j);
        while (k >= 0) {
                struct report_summary s;
                uint64_t t;

                k = sd_journal_next(j);
                if (k <= 0)
                        break;
                if (num_set(o.filter.until_usec) && sd_journal_get_realtime_usec(j, &t) >= 0 &&
                    t > (uint64_t)o.filter.until_usec)
                        break;
                if (entry_summary(j, &s) < 0 || !report_filter_match(&o.filter, &s))
                        continue; /* an entry without OOM_REPORT_ID is not a report's */
                if (n == cap) {
                        size_t ncap = cap ? cap * 2 : 64;
                        struct report_summary *nv = reallocarray(v, ncap, sizeof *v);
                        if (!nv) {
                                k = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = ncap;
                }
                v[n++] = s;
        }
        if (k < 0) {
                if (k != -ENXIO && k != -EINVAL)
                        fprintf(stderr, "oomlens: reading the journal: %s\n", strerror(-k));
                query_options_done(&o);
                return EXIT_ERROR;
        }
        if (n == 0 && !o.directory && o.n_files == 0 && geteuid() != 0 && !in_group("systemd-journal") &&
            !in_group("adm"))
                fprintf(stderr,
                        "oomlens: hint: you see only your own journal entries; members of the groups "
                        "'systemd-journal' and 'adm' see the system's, where oomlensd writes\n");
        if (o.lines >= 0 && (size_t)o.lines < n)
                first = n - (size_t)o.lines;

        (void)pager_open(o.no_pager, &pager);
        if (o.json) {
                for (size_t i = first; i < n; i++) {
                        json_object *obj = NULL;
                        k = report_summary_to_json(&v[i], &obj);
                        if (k < 0)
                                break;
                        puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
                        json_object_put(obj);
                }
        } else
                k = list_print(stdout, v ? v + first : NULL, n - first, &o.style); /* no pointer arithmetic on NULL */
        if (k < 0)
                fprintf(stderr, "oomlens: %s\n", strerror(-k));
        status = k < 0 ? EXIT_ERROR : n > first ? EXIT_FOUND : EXIT_NONE;
        query_options_done(&o);
        return finish_output(&pager, status);
}
