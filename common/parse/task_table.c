/* SPDX-License-Identifier: MIT */
#include "task_table.h"

#include <string.h>

#include "parse_util.h"

static const struct {
        const char *name;
        enum task_col col;
} col_names[] = {
        { "uid", TASK_COL_UID },
        { "tgid", TASK_COL_TGID },
        { "total_vm", TASK_COL_TOTAL_VM },
        { "rss", TASK_COL_RSS },
        { "rss_anon", TASK_COL_RSS_ANON },     /* 6.8+ */
        { "rss_file", TASK_COL_RSS_FILE },     /* 6.8+ */
        { "rss_shmem", TASK_COL_RSS_SHMEM },   /* 6.8+ */
        { "nr_ptes", TASK_COL_NR_PTES },       /* 3.6-4.14 */
        { "nr_pmds", TASK_COL_NR_PMDS },       /* 4.4-4.14 */
        { "pgtables_bytes", TASK_COL_PGTABLES_BYTES }, /* 4.15+ */
        { "swapents", TASK_COL_SWAPENTS },     /* 3.6+ */
        { "oom_score_adj", TASK_COL_OOM_SCORE_ADJ },
        { "oom_adj", TASK_COL_OOM_ADJ },       /* 2.6.32, 3.0 */
        { "cpu", TASK_COL_CPU },               /* 2.6.32, 3.0 */
};

/* Known layouts, so the JSON can say which kernel family printed the table. "wide" is the
 * 4.19+ "[  pid  ]" bracket ([%7d] rows). */
static const struct {
        const char *layout;
        bool wide;
        enum task_col cols[TASK_MAX_COLS];
        size_t n;
} layouts[] = {
        { "2.6.32", false, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                             TASK_COL_CPU, TASK_COL_OOM_ADJ }, 6 },
        { "3.0", false, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                          TASK_COL_CPU, TASK_COL_OOM_ADJ, TASK_COL_OOM_SCORE_ADJ }, 7 },
        { "3.6-3.14", false, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                               TASK_COL_NR_PTES, TASK_COL_SWAPENTS, TASK_COL_OOM_SCORE_ADJ }, 7 },
        { "4.4-4.14", false, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                               TASK_COL_NR_PTES, TASK_COL_NR_PMDS, TASK_COL_SWAPENTS,
                               TASK_COL_OOM_SCORE_ADJ }, 8 },
        { "4.15", false, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                           TASK_COL_PGTABLES_BYTES, TASK_COL_SWAPENTS, TASK_COL_OOM_SCORE_ADJ }, 7 },
        { "4.19-6.6", true, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                              TASK_COL_PGTABLES_BYTES, TASK_COL_SWAPENTS, TASK_COL_OOM_SCORE_ADJ }, 7 },
        { "6.8+", true, { TASK_COL_UID, TASK_COL_TGID, TASK_COL_TOTAL_VM, TASK_COL_RSS,
                          TASK_COL_RSS_ANON, TASK_COL_RSS_FILE, TASK_COL_RSS_SHMEM,
                          TASK_COL_PGTABLES_BYTES, TASK_COL_SWAPENTS, TASK_COL_OOM_SCORE_ADJ }, 10 },
};

int task_table_parse_header(const char *t, size_t len, struct task_columns *ret) {
        struct scan s = scan_make(t, len);
        struct task_columns c = {};
        const char *f;
        size_t fl;
        bool wide, named = false;

        scan_ws(&s);
        if (!scan_lit(&s, "["))
                return 0;
        wide = has_prefix(s.p, scan_left(&s), "  ");
        scan_ws(&s);
        if (!scan_lit(&s, "pid"))
                return 0;
        scan_ws(&s);
        if (!scan_lit(&s, "]"))
                return 0;
        while (scan_token(&s, &f, &fl)) {
                enum task_col col = TASK_COL_UNKNOWN;
                if (fl == 4 && memcmp(f, "name", 4) == 0) {
                        named = true;
                        break;
                }
                for (size_t i = 0; i < ELEMENTSOF(col_names); i++)
                        if (strlen(col_names[i].name) == fl && memcmp(col_names[i].name, f, fl) == 0) {
                                col = col_names[i].col;
                                break;
                        }
                if (c.n >= TASK_MAX_COLS)
                        return 0;
                c.col[c.n++] = col;
        }
        if (!named || c.n == 0)
                return 0;
        strcpy(c.layout, "custom");
        for (size_t i = 0; i < ELEMENTSOF(layouts); i++)
                if (layouts[i].n == c.n && layouts[i].wide == wide &&
                    memcmp(layouts[i].cols, c.col, c.n * sizeof(c.col[0])) == 0) {
                        copy_bounded(c.layout, sizeof(c.layout), layouts[i].layout,
                                     strlen(layouts[i].layout));
                        break;
                }
        *ret = c;
        return 1;
}

void task_table_default_columns(struct task_columns *ret) {
        /* 3.6-3.14: the oldest layout still common in pasted logs; only the first four
         * columns are shared by every layout, which is what a header-less row gets right. */
        *ret = (struct task_columns) {};
        memcpy(ret->col, layouts[2].cols, sizeof(ret->col));
        ret->n = layouts[2].n;
        strcpy(ret->layout, "headerless");
}

int task_table_parse_row(const struct task_columns *c, const char *t, size_t len, struct oom_task *ret) {
        struct scan s = scan_make(t, len);
        int64_t pid, v[TASK_MAX_COLS];
        const char *name;
        size_t namelen;

        scan_ws(&s);
        if (!scan_lit(&s, "["))
                return 0;
        scan_ws(&s);
        if (!scan_i64(&s, &pid) || pid < 0)
                return 0;
        if (!scan_lit(&s, "]"))
                return 0;
        for (size_t i = 0; i < c->n; i++) {
                scan_ws(&s);
                if (!scan_i64(&s, &v[i]))
                        return 0;
                if (s.p < s.end && *s.p != ' ' && *s.p != '\t')
                        return 0;
        }
        name = s.p;
        namelen = scan_left(&s);
        trim(&name, &namelen);
        if (namelen == 0)
                return 0;

        oom_task_init(ret);
        ret->pid = pid;
        for (size_t i = 0; i < c->n; i++)
                switch (c->col[i]) {
                case TASK_COL_UID: ret->uid = v[i]; break;
                case TASK_COL_TGID: ret->tgid = v[i]; break;
                case TASK_COL_TOTAL_VM: ret->total_vm_pages = v[i]; break;
                case TASK_COL_RSS: ret->rss_pages = v[i]; break;
                case TASK_COL_RSS_ANON: ret->rss_anon_pages = v[i]; break;
                case TASK_COL_RSS_FILE: ret->rss_file_pages = v[i]; break;
                case TASK_COL_RSS_SHMEM: ret->rss_shmem_pages = v[i]; break;
                case TASK_COL_NR_PTES: ret->nr_ptes = v[i]; break;
                case TASK_COL_NR_PMDS: ret->nr_pmds = v[i]; break;
                case TASK_COL_PGTABLES_BYTES: ret->pgtables_bytes = v[i]; break;
                case TASK_COL_SWAPENTS: ret->swapents_pages = v[i]; break;
                case TASK_COL_OOM_SCORE_ADJ: ret->oom_score_adj = v[i]; break;
                case TASK_COL_OOM_ADJ:
                        /* 2.6.32 has only oom_adj; 3.0 prints both, oom_score_adj wins. */
                        if (!num_set(ret->oom_score_adj))
                                ret->oom_score_adj = v[i];
                        break;
                case TASK_COL_CPU:
                case TASK_COL_UNKNOWN:
                        break;
                }
        copy_bounded(ret->name, sizeof(ret->name), name, namelen);
        return 1;
}
