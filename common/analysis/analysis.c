/* SPDX-License-Identifier: MIT */
#include "analysis.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "causes.h"
#include "gfp.h"
#include "human_size.h"
#include "memory_accounting.h"
#include "report_parser.h"
#include "victim.h"
#include "workload.h"
#include "zone_check.h"

uint32_t fnv1a_32(uint32_t h, const void *data, size_t len) {
        const unsigned char *p = data;

        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= UINT32_C(0x01000193);
        }
        return h;
}

int report_make_id(const struct oom_report *r, char *buf, size_t n) {
        uint32_t h = FNV1A_32_INIT;
        int64_t pid = r->has_victim && num_set(r->victim.pid) && r->victim.pid >= 0 ? r->victim.pid : 0;
        int k;

        for (size_t i = 0; i < r->n_lines; i++) {
                if (r->lines[i].text)
                        h = fnv1a_32(h, r->lines[i].text, r->lines[i].len);
                h = fnv1a_32(h, "\n", 1);
        }
        if (num_set(r->ts_usec) && r->ts_usec >= 0)
                k = snprintf(buf, n, "%016" PRId64 "-%" PRId64 "-%08" PRIx32, r->ts_usec, pid, h);
        else if (num_set(r->wall_sec) && r->wall_sec >= 0)
                k = snprintf(buf, n, "w%015" PRId64 "-%" PRId64 "-%08" PRIx32, r->wall_sec, pid, h);
        else
                k = snprintf(buf, n, "%016d-%" PRId64 "-%08" PRIx32, 0, pid, h);
        if (k < 0 || (size_t)k >= n)
                return -ENOBUFS;
        return 0;
}

static const char *kind_prefix(const struct oom_report *r) {
        return r->kind == REPORT_KIND_ALLOC_FAILURE ? "allocation failure" : "oom-kill";
}

static void make_summary(struct oom_report *r) {
        const struct oom_cause *c = report_primary_cause(r);
        char phrase[256] = "", where[128] = "", rss[HUMAN_SIZE_MAX];
        size_t len = 0;
        int k;

#define APPEND(...)                                                                      \
        do {                                                                             \
                if (len < sizeof(r->summary)) {                                          \
                        k = snprintf(r->summary + len, sizeof(r->summary) - len, __VA_ARGS__); \
                        if (k > 0)                                                       \
                                len = MIN(len + (size_t)k, sizeof(r->summary) - 1);      \
                }                                                                        \
        } while (0)

        r->summary[0] = '\0';
        cause_short_phrase(r, c, phrase, sizeof(phrase));

        /* "failed in Normal": the eligible zones whose check failed. */
        for (size_t i = 0, w = 0; i < r->n_zones && i < OOM_MAX_ZONES; i++) {
                const struct oom_zone *z = &r->zones[i];
                if (!z->check.evaluated || !z->check.eligible ||
                    (z->check.ok && !(z->check.order_checked && !z->check.order_ok)))
                        continue;
                k = snprintf(where + w, sizeof(where) - w, "%s%s", w ? "+" : "", z->name);
                if (k < 0 || (size_t)k >= sizeof(where) - w)
                        break;
                w += (size_t)k;
        }

        APPEND("%s (%s, %s): ", kind_prefix(r), report_kind_to_string(r->kind),
               r->kernel.known && r->kernel.release[0] ? r->kernel.release : "kernel ?");
        if (r->kind == REPORT_KIND_MANUAL)
                APPEND("%s invoked the OOM killer manually", r->trigger.comm[0] ? r->trigger.comm : "sysrq");
        else {
                APPEND("%s", r->trigger.comm[0] ? r->trigger.comm : "?");
                if (num_set(r->trigger.order))
                        APPEND(" order-%" PRId64, r->trigger.order);
                if (r->trigger.migratetype)
                        APPEND(" %s", r->trigger.migratetype);
                APPEND(" %s", r->kind == REPORT_KIND_MEMCG ? "charge" : "allocation");
                if (where[0])
                        APPEND(" failed in %s", where);
                else
                        APPEND(" failed");
        }
        if (phrase[0] && (!c || c->code != CAUSE_MANUAL))
                APPEND(" — %s", phrase);
        if (r->has_victim && (num_set(r->victim.pid) || r->victim.comm[0])) {
                APPEND("; killed %s[%" PRId64 "]", r->victim.comm[0] ? r->victim.comm : "?",
                       num_set(r->victim.pid) ? r->victim.pid : 0);
                if (num_set(r->victim.rss_kb))
                        APPEND(" (rss %s)", human_kb(r->victim.rss_kb, rss, sizeof(rss)));
        } else if (r->panic)
                APPEND("; kernel panic, no process killed");
        else if (r->kind == REPORT_KIND_ALLOC_FAILURE)
                APPEND("; no process killed");
        else
                APPEND("; no kill line in the report");
#undef APPEND
}

int report_analyze(struct oom_report *r) {
        if (!r)
                return -EINVAL;

        /* 1. gfp decode, then the zone checks that depend on it. Stubs and reports without the
         *    needed lines return an error: the rest of the analysis goes on without them. */
        struct gfp_decoded d;
        bool have_gfp = gfp_decode_trigger(r, &d) >= 0;
        if (have_gfp)
                gfp_fill_trigger_from(r, &d);
        (void)zone_check_report_decoded(r, have_gfp ? &d : NULL);
        /* 2. where the memory went */
        (void)memory_account(r);
        /* 3. the victim and the task table (badness uses total RAM from step 2) */
        (void)victim_analyze(r);
        /* 4. causes, then 5. the summary line that quotes the primary */
        (void)causes_classify(r);
        make_summary(r);
        /* 5b. the unit / container / pod the victim belongs to, from its memcg path */
        (void)workload_identify(r);
        /* 6. id */
        if (report_make_id(r, r->id, sizeof(r->id)) < 0)
                r->id[0] = '\0';
        return 0;
}

int report_build(const struct raw_report *raw, struct oom_report **ret) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;
        int k;

        if (!raw || !ret)
                return -EINVAL;
        k = report_parse(raw, &r);
        if (k < 0)
                return k;
        k = report_analyze(r);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(r);
        return 0;
}
