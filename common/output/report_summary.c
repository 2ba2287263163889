/* SPDX-License-Identifier: MIT */
#include "report_summary.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "journal_fields.h"
#include "macro.h"
#include "report_json.h"

#define SCHEMA_PREFIX "oomlens.report/"

void report_summary_init(struct report_summary *ret) {
        *ret = (struct report_summary){
                .time_usec = NUM_UNSET,
                .seq = NUM_UNSET,
                .pid = NUM_UNSET,
                .rss_kb = NUM_UNSET,
                .kind = "unknown",
                .cause = "unknown",
                .complete = true,
        };
}

/* Bounded copy of a string that may be cut anywhere (display and matching only). */
static void copy_n(char *dst, size_t size, const char *src, size_t len) {
        size_t l = MIN(len, size - 1);
        memcpy(dst, src, l);
        dst[l] = '\0';
        /* A NUL inside a journal value would end the C string early: that is what we keep. */
}
#define COPY(dst, src, len) copy_n((dst), sizeof(dst), (src), (len))

static bool digits(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (p[i] < '0' || p[i] > '9')
                        return false;
        return n > 0;
}

static int num(const char *p, size_t n) {
        int v = 0;
        for (size_t i = 0; i < n; i++)
                v = v * 10 + (p[i] - '0');
        return v;
}

int spool_name_parse(const char *name, int64_t *ret_time_usec, char ret_boot[REPORT_SUMMARY_BOOT_MAX],
                     int64_t *ret_seq) {
        size_t l = strnlen(name, SPOOL_NAME_MAX), sl = strlen(SPOOL_SUFFIX);
        const char *first, *last;
        struct tm tm = {};
        uint64_t seq = 0;
        time_t t;

        if (l >= SPOOL_NAME_MAX)
                return -EINVAL;
        if (l > sl && strcmp(name + l - sl, SPOOL_SUFFIX) == 0)
                l -= sl;
        /* "20261201T093000Z": 16 characters, then "-<boot>-<seq>"; the boot tag may itself hold
         * '-' (BootId= of a recorded stream), so it is everything between the first and last. */
        if (l < 16 + 4 || name[8] != 'T' || name[15] != 'Z' || name[16] != '-' || !digits(name, 8) ||
            !digits(name + 9, 6))
                return -EINVAL;
        first = name + 16;
        last = memrchr(name, '-', l);
        if (!last || last <= first + 1 || (size_t)(last - first - 1) >= REPORT_SUMMARY_BOOT_MAX ||
            !digits(last + 1, l - (size_t)(last + 1 - name)) || l - (size_t)(last + 1 - name) > 18)
                return -EINVAL;
        for (const char *p = last + 1; p < name + l; p++)
                seq = seq * 10 + (uint64_t)(*p - '0');

        tm.tm_year = num(name, 4) - 1900;
        tm.tm_mon = num(name + 4, 2) - 1;
        tm.tm_mday = num(name + 6, 2);
        tm.tm_hour = num(name + 9, 2);
        tm.tm_min = num(name + 11, 2);
        tm.tm_sec = num(name + 13, 2);
        if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
            tm.tm_min > 59 || tm.tm_sec > 60)
                return -EINVAL;
        t = timegm(&tm);
        if (t < 0) /* (time_t)-1 is timegm()'s error */
                return -EINVAL;

        *ret_time_usec = (int64_t)t * 1000000;
        copy_n(ret_boot, REPORT_SUMMARY_BOOT_MAX, first + 1, (size_t)(last - first - 1));
        *ret_seq = (int64_t)seq;
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON: every member is looked up with its type checked; anything else counts as absent. */

static json_object *member(json_object *o, const char *key) {
        json_object *v;
        if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
                return NULL;
        return v;
}

static const char *member_str(json_object *o, const char *key, size_t *ret_len) {
        json_object *v = member(o, key);
        if (!v || !json_object_is_type(v, json_type_string))
                return NULL;
        *ret_len = (size_t)json_object_get_string_len(v);
        return json_object_get_string(v);
}

/* Copy a string member into dst when present and not empty; returns whether it did. */
static bool take_str(json_object *o, const char *key, char *dst, size_t size) {
        size_t len = 0;
        const char *s = member_str(o, key, &len);
        if (!s || len == 0)
                return false;
        copy_n(dst, size, s, len);
        return true;
}
#define TAKE_STR(o, key, dst) take_str((o), (key), (dst), sizeof(dst))

/* A non-negative integer member, else NUM_UNSET. */
static int64_t member_count(json_object *o, const char *key) {
        json_object *v = member(o, key);
        int64_t x;
        if (!v || !json_object_is_type(v, json_type_int))
                return NUM_UNSET;
        x = json_object_get_int64(v);
        return x >= 0 && x < INT64_MAX ? x : NUM_UNSET;
}

static bool member_bool(json_object *o, const char *key, bool dflt) {
        json_object *v = member(o, key);
        if (!v || !json_object_is_type(v, json_type_boolean))
                return dflt;
        return json_object_get_boolean(v);
}

static void take_cause(json_object *root, struct report_summary *s) {
        json_object *causes = member(member(root, "analysis"), "causes");
        json_object *chosen = NULL;
        size_t n;

        if (!causes || !json_object_is_type(causes, json_type_array))
                return;
        n = json_object_array_length(causes);
        for (size_t i = 0; i < n; i++) {
                json_object *c = json_object_array_get_idx(causes, i);
                size_t len;
                if (!member_str(c, "code", &len))
                        continue;
                if (!chosen)
                        chosen = c;
                if (member_bool(c, "primary", false)) {
                        chosen = c;
                        break;
                }
        }
        if (chosen)
                TAKE_STR(chosen, "code", s->cause);
}

static void take_victim(json_object *root, struct report_summary *s) {
        json_object *v = member(root, "victim");
        json_object *t = member(root, "trigger");

        if (v && json_object_is_type(v, json_type_object)) {
                s->has_victim = true;
                TAKE_STR(v, "comm", s->comm);
                s->pid = member_count(v, "pid");
                s->rss_kb = member_count(v, "rss_kb");
                if (!num_set(s->rss_kb)) {
                        int64_t a = member_count(v, "anon_rss_kb"), f = member_count(v, "file_rss_kb"),
                                m = member_count(v, "shmem_rss_kb");
                        if (num_set(a) && num_set(f) && num_set(m) && a <= INT64_MAX / 4 &&
                            f <= INT64_MAX / 4 && m <= INT64_MAX / 4)
                                s->rss_kb = a + f + m;
                }
                return;
        }
        /* No kill (a page allocation failure): the task whose allocation failed. */
        TAKE_STR(t, "comm", s->comm);
        s->pid = member_count(t, "pid");
}

static void take_workload(json_object *root, struct report_summary *s) {
        json_object *w = member(root, "workload");
        json_object *c = member(root, "constraint"), *m = member(root, "memcg");

        TAKE_STR(w, "unit", s->workload.unit);
        TAKE_STR(w, "slice", s->workload.slice);
        TAKE_STR(w, "container_id", s->workload.container_id);
        TAKE_STR(w, "pod_uid", s->workload.pod_uid);
        TAKE_STR(w, "qos", s->workload.qos);
        /* The victim's own cgroup says most about whose it was; the OOM's cgroup otherwise. */
        if (!TAKE_STR(c, "task_memcg", s->memcg) && !TAKE_STR(m, "task_path", s->memcg) &&
            !TAKE_STR(c, "memcg", s->memcg))
                TAKE_STR(m, "path", s->memcg);
}

/* ------------------------------------------------------------------------------------------ */
/* A report file is mostly task tables, zones and kernel lines that a summary does not read:
 * building json-c objects for all of it made `oomlens list` parse ~90 instructions per byte.
 * So the top-level object is scanned, values of members we do not read are skipped by a
 * structural scanner (strings, nesting, separators), and only the members we read are given
 * to json-c, which checks them fully. */

#define SCAN_DEPTH_MAX 64 /* json-c's own limit is 32: nothing deeper is a report */

/* The members a summary reads, and of those that are objects the members it reads in them;
 * everything else is skipped. NULL members: the whole value goes to json-c. */
struct member_spec {
        const char *name;
        const struct member_spec *members;
};
static const struct member_spec trigger_members[] = {{"comm", NULL}, {"pid", NULL}, {NULL, NULL}};
static const struct member_spec constraint_members[] = {
        {"memcg", NULL},
        {"task_memcg", NULL},
        {NULL, NULL},
};
static const struct member_spec victim_members[] = {
        {"comm", NULL},        {"pid", NULL},          {"rss_kb", NULL}, {"anon_rss_kb", NULL},
        {"file_rss_kb", NULL}, {"shmem_rss_kb", NULL}, {NULL, NULL},
};
static const struct member_spec memcg_members[] = {{"path", NULL}, {"task_path", NULL}, {NULL, NULL}};
static const struct member_spec analysis_members[] = {{"causes", NULL}, {NULL, NULL}};
static const struct member_spec summary_members[] = {
        {"schema", NULL},
        {"kind", NULL},
        {"complete", NULL},
        {"spans_gap", NULL},
        {"panic", NULL},
        {"wall_sec", NULL},
        {"seq", NULL},
        {"trigger", trigger_members},
        {"constraint", constraint_members},
        {"victim", victim_members},
        {"memcg", memcg_members},
        {"workload", NULL},
        {"analysis", analysis_members},
        {NULL, NULL},
};

static const char *skip_ws(const char *p, const char *end) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
                p++;
        return p;
}

/* p at '"': the position after the closing quote, or NULL. */
static const char *string_end(const char *p, const char *end) {
        for (p++; p < end; p++) {
                if (*p == '\\') {
                        p++;
                        continue;
                }
                if (*p == '"')
                        return p + 1;
                if ((unsigned char)*p < 0x20) /* a raw control character: not JSON */
                        return NULL;
        }
        return NULL;
}

/* p after '{' or ',' in an object: past `"key" :`, or NULL. */
static const char *member_name_end(const char *p, const char *end) {
        p = skip_ws(p, end);
        if (p >= end || *p != '"' || !(p = string_end(p, end)))
                return NULL;
        p = skip_ws(p, end);
        return p < end && *p == ':' ? p + 1 : NULL;
}

static bool scalar_char(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.' ||
               c == 'E';
}

/* The end of the JSON value at p (after whitespace), or NULL when it is not well-formed. */
static const char *value_end(const char *p, const char *end) {
        char close[SCAN_DEPTH_MAX];
        size_t depth = 0;

        for (;;) {
                p = skip_ws(p, end);
                if (p >= end)
                        return NULL;
                if (*p == '"') {
                        if (!(p = string_end(p, end)))
                                return NULL;
                } else if (*p == '{' || *p == '[') {
                        if (depth == SCAN_DEPTH_MAX)
                                return NULL;
                        close[depth++] = *p == '{' ? '}' : ']';
                        p = skip_ws(p + 1, end);
                        if (p < end && *p == close[depth - 1]) {
                                depth--;
                                p++;
                        } else {
                                if (close[depth - 1] == '}' && !(p = member_name_end(p, end)))
                                        return NULL;
                                continue; /* the first element's value */
                        }
                } else if (scalar_char(*p)) {
                        while (p < end && scalar_char(*p))
                                p++;
                } else
                        return NULL;
                /* after a value: the end, a separator, or closing brackets */
                for (;;) {
                        if (depth == 0)
                                return p;
                        p = skip_ws(p, end);
                        if (p >= end)
                                return NULL;
                        if (*p == close[depth - 1]) {
                                depth--;
                                p++;
                                continue;
                        }
                        if (*p != ',')
                                return NULL;
                        p++;
                        if (close[depth - 1] == '}' && !(p = member_name_end(p, end)))
                                return NULL;
                        break;
                }
        }
}

static const struct member_spec *wanted(const struct member_spec *spec, const char *key, size_t len) {
        for (; spec->name; spec++)
                if (strlen(spec->name) == len && memcmp(spec->name, key, len) == 0)
                        return spec;
        return NULL;
}

/* A whole value by json-c: [v, ve) plus one byte of its delimiter, which tells json-c that a
 * number ended (callers guarantee the byte is there). */
static int parse_value(json_tokener *tok, const char *v, const char *ve, json_object **ret) {
        json_object *o;

        json_tokener_reset(tok);
        o = json_tokener_parse_ex(tok, v, (int)(ve - v) + 1);
        if (json_tokener_get_error(tok) != json_tokener_success ||
            json_tokener_get_parse_end(tok) != (size_t)(ve - v)) {
                json_object_put(o);
                return -EBADMSG;
        }
        *ret = o;
        return 0;
}

/* The object in [p, end) (whitespace around it allowed), reduced to spec's members.
 * -EBADMSG: not exactly one well-formed object. */
static int parse_members(json_tokener *tok, const char *p, const char *end, const struct member_spec *spec,
                         unsigned depth, json_object **ret) {
        json_object *root;
        int k = -EBADMSG;

        p = skip_ws(p, end);
        if (p >= end || *p != '{' || depth > 4)
                return -EBADMSG;
        root = json_object_new_object();
        if (!root)
                return -ENOMEM;
        p = skip_ws(p + 1, end);
        if (p < end && *p == '}')
                p++;
        else
                for (;;) {
                        const struct member_spec *m;
                        const char *key, *v, *ve;
                        json_object *o = NULL;
                        size_t klen;

                        if (p >= end || *p != '"' || !(ve = string_end(p, end)))
                                goto fail;
                        key = p + 1;
                        klen = (size_t)(ve - p) - 2;
                        p = skip_ws(ve, end);
                        if (p >= end || *p != ':')
                                goto fail;
                        v = skip_ws(p + 1, end);
                        if (!(ve = value_end(v, end)) || ve >= end)
                                goto fail; /* an object's member is always followed by ',' or '}' */
                        m = wanted(spec, key, klen);
                        if (m) {
                                if (m->members && *v == '{')
                                        k = parse_members(tok, v, ve, m->members, depth + 1, &o);
                                else
                                        k = parse_value(tok, v, ve, &o);
                                if (k < 0)
                                        goto fail;
                                /* m->name, not the key: the same bytes, and NUL-terminated */
                                if (json_object_object_add(root, m->name, o) < 0) {
                                        json_object_put(o);
                                        k = -ENOMEM;
                                        goto fail;
                                }
                                k = -EBADMSG;
                        }
                        p = skip_ws(ve, end);
                        if (p < end && *p == ',') {
                                p = skip_ws(p + 1, end);
                                continue;
                        }
                        if (p < end && *p == '}') {
                                p++;
                                break;
                        }
                        goto fail;
                }
        /* Exactly one object: trailing bytes other than whitespace mean a damaged file. */
        if (skip_ws(p, end) != end)
                goto fail;
        *ret = root;
        return 0;
fail:
        json_object_put(root);
        return k;
}

/* The members a summary reads, as json-c objects. */
static int parse_summary_members(const char *buf, size_t len, json_object **ret) {
        json_tokener *tok = json_tokener_new();
        int k;

        if (!tok)
                return -ENOMEM;
        k = parse_members(tok, buf, buf + len, summary_members, 0, ret);
        json_tokener_free(tok);
        return k;
}

int report_summary_from_json(const char *name, const char *buf, size_t len, struct report_summary *ret) {
        struct report_summary s;
        json_object *root = NULL;
        const char *schema;
        size_t schema_len = 0;
        int64_t wall;
        int k;

        if (!name || (!buf && len > 0) || !ret)
                return -EINVAL;
        if (len > INT_MAX)
                return -EFBIG;
        k = parse_summary_members(buf ? buf : "", len, &root);
        if (k == 0) {
                schema = member_str(root, "schema", &schema_len);
                if (!schema || schema_len <= strlen(SCHEMA_PREFIX) ||
                    strncmp(schema, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX)) != 0)
                        k = -ENOMSG;
                else if (strcmp(schema, OOMLENS_REPORT_SCHEMA) != 0)
                        k = -EPROTONOSUPPORT; /* fields are only ever added within /1 */
        }
        if (k < 0) {
                json_object_put(root);
                return k;
        }

        report_summary_init(&s);
        {
                size_t l = strnlen(name, SPOOL_NAME_MAX - 1), sl = strlen(SPOOL_SUFFIX);
                if (l > sl && strncmp(name + l - sl, SPOOL_SUFFIX, sl) == 0)
                        l -= sl;
                COPY(s.id, name, l);
        }
        if (spool_name_parse(name, &s.time_usec, s.boot, &s.seq) < 0) {
                /* Not named by oomlensd: what the report itself says. */
                wall = member_count(root, "wall_sec");
                if (num_set(wall) && wall < INT64_MAX / 1000000)
                        s.time_usec = wall * 1000000;
                s.seq = member_count(root, "seq");
        }
        TAKE_STR(root, "kind", s.kind);
        take_cause(root, &s);
        take_victim(root, &s);
        take_workload(root, &s);
        s.complete = member_bool(root, "complete", true);
        s.spans_gap = member_bool(root, "spans_gap", false);
        s.panic = member_bool(root, "panic", false);
        json_object_put(root);
        *ret = s;
        return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Journal fields (daemon/journal_sink.c writes them). */

static bool field_is(const struct journal_field *f, const char *name, const char **ret_v, size_t *ret_len) {
        size_t l = strlen(name);
        const char *d = f->data;
        if (!d || f->len <= l || memcmp(d, name, l) != 0 || d[l] != '=')
                return false;
        *ret_v = d + l + 1;
        *ret_len = f->len - l - 1;
        return true;
}

static int64_t field_count(const char *v, size_t len) {
        int64_t x = 0;
        if (len == 0 || len > 18)
                return NUM_UNSET;
        for (size_t i = 0; i < len; i++) {
                if (v[i] < '0' || v[i] > '9')
                        return NUM_UNSET;
                x = x * 10 + (v[i] - '0');
        }
        return x;
}

int report_summary_from_journal(const struct journal_field *fields, size_t n, int64_t realtime_usec,
                                const char *boot_id, struct report_summary *ret) {
        struct report_summary s;
        char trigger[OOM_COMM_MAX] = "", task_memcg[OOM_PATH_MAX] = "";
        int64_t trigger_pid = NUM_UNSET;
        bool have_id = false;

        if ((!fields && n > 0) || !ret)
                return -EINVAL;
        report_summary_init(&s);
        s.time_usec = realtime_usec >= 0 ? realtime_usec : NUM_UNSET;
        if (boot_id)
                COPY(s.boot, boot_id, strlen(boot_id));
        for (size_t i = 0; i < n; i++) {
                const struct journal_field *f = &fields[i];
                const char *v;
                size_t l;

                if (field_is(f, JOURNAL_FIELD_REPORT_ID, &v, &l)) {
                        COPY(s.id, v, l);
                        have_id = l > 0;
                } else if (field_is(f, JOURNAL_FIELD_KIND, &v, &l))
                        COPY(s.kind, v, l);
                else if (field_is(f, JOURNAL_FIELD_CAUSE, &v, &l))
                        COPY(s.cause, v, l);
                else if (field_is(f, JOURNAL_FIELD_VICTIM_COMM, &v, &l)) {
                        COPY(s.comm, v, l);
                        s.has_victim = true;
                } else if (field_is(f, JOURNAL_FIELD_VICTIM_PID, &v, &l)) {
                        s.pid = field_count(v, l);
                        s.has_victim = true;
                } else if (field_is(f, JOURNAL_FIELD_VICTIM_RSS_KB, &v, &l))
                        s.rss_kb = field_count(v, l);
                else if (field_is(f, JOURNAL_FIELD_TRIGGER_COMM, &v, &l))
                        COPY(trigger, v, l);
                else if (field_is(f, JOURNAL_FIELD_TRIGGER_PID, &v, &l))
                        trigger_pid = field_count(v, l);
                else if (field_is(f, JOURNAL_FIELD_MEMCG, &v, &l))
                        COPY(s.memcg, v, l);
                else if (field_is(f, JOURNAL_FIELD_TASK_MEMCG, &v, &l))
                        COPY(task_memcg, v, l);
                else if (field_is(f, JOURNAL_FIELD_UNIT, &v, &l))
                        COPY(s.workload.unit, v, l);
                else if (field_is(f, JOURNAL_FIELD_CONTAINER_ID, &v, &l))
                        COPY(s.workload.container_id, v, l);
                else if (field_is(f, JOURNAL_FIELD_POD_UID, &v, &l))
                        COPY(s.workload.pod_uid, v, l);
                else if (field_is(f, JOURNAL_FIELD_SPOOL_FILE, &v, &l))
                        COPY(s.spool_file, v, l);
                else if (field_is(f, JOURNAL_FIELD_KERNEL_SEQNUM, &v, &l))
                        s.seq = field_count(v, l);
                else if (field_is(f, JOURNAL_FIELD_COMPLETE, &v, &l))
                        s.complete = !(l == 1 && v[0] == '0');
                else if (field_is(f, JOURNAL_FIELD_SPANS_GAP, &v, &l))
                        s.spans_gap = l == 1 && v[0] == '1';
        }
        if (!have_id)
                return -ENOMSG;
        if (!s.has_victim) {
                memcpy(s.comm, trigger, sizeof s.comm);
                s.pid = trigger_pid;
        }
        /* As from the file: the victim's own cgroup first. */
        if (task_memcg[0])
                memcpy(s.memcg, task_memcg, sizeof s.memcg);
        /* The journal has no panic field; the daemon logs a panic at priority 2 (crit) only
         * through MESSAGE, which we do not parse. */
        *ret = s;
        return 0;
}

const char *report_summary_where(const struct report_summary *s, char buf[CONTAINER_ID_SHORT + 1]) {
        if (s->workload.unit[0])
                return s->workload.unit;
        if (s->workload.container_id[0]) {
                copy_n(buf, CONTAINER_ID_SHORT + 1, s->workload.container_id,
                       strlen(s->workload.container_id));
                return buf;
        }
        if (s->workload.pod_uid[0])
                return s->workload.pod_uid;
        if (s->memcg[0])
                return s->memcg;
        return "-";
}

/* ------------------------------------------------------------------------------------------ */

static int add(json_object *o, const char *key, json_object *v) {
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_str(json_object *o, const char *key, const char *s) {
        _cleanup_free_ char *clean = NULL;
        json_object *j;
        int k;

        if (!s[0])
                return add(o, key, NULL);
        k = utf8_sanitize(s, strlen(s), &clean);
        if (k < 0)
                return k;
        j = json_object_new_string(clean);
        return j ? add(o, key, j) : -ENOMEM;
}

static int add_int(json_object *o, const char *key, int64_t v) {
        json_object *j = NULL;
        if (num_set(v) && !(j = json_object_new_int64(v)))
                return -ENOMEM;
        return add(o, key, j);
}

static int add_bool(json_object *o, const char *key, bool v) {
        json_object *j = json_object_new_boolean(v);
        return j ? add(o, key, j) : -ENOMEM;
}

static int add_obj(json_object *o, const char *key, json_object **ret) {
        json_object *c = json_object_new_object();
        int k;
        if (!c)
                return -ENOMEM;
        k = add(o, key, c);
        if (k < 0)
                return k;
        *ret = c;
        return 0;
}

#define TRY(expr)                                                                                           \
        do {                                                                                                \
                int _k = (expr);                                                                            \
                if (_k < 0)                                                                                 \
                        goto fail;                                                                          \
        } while (0)

int report_summary_to_json(const struct report_summary *s, json_object **ret) {
        json_object *o, *v, *w;

        if (!s || !ret)
                return -EINVAL;
        o = json_object_new_object();
        if (!o)
                return -ENOMEM;
        TRY(add_str(o, "id", s->id));
        TRY(add_int(o, "time_usec", s->time_usec));
        TRY(add_str(o, "boot", s->boot));
        TRY(add_int(o, "seq", s->seq));
        TRY(add_str(o, "kind", s->kind));
        TRY(add_str(o, "cause", s->cause));
        TRY(add_obj(o, s->has_victim ? "victim" : "trigger", &v));
        TRY(add_str(v, "comm", s->comm));
        TRY(add_int(v, "pid", s->pid));
        if (s->has_victim)
                TRY(add_int(v, "rss_kb", s->rss_kb));
        else
                TRY(add(o, "victim", NULL));
        TRY(add_obj(o, "workload", &w));
        TRY(add_str(w, "unit", s->workload.unit));
        TRY(add_str(w, "slice", s->workload.slice));
        TRY(add_str(w, "container_id", s->workload.container_id));
        TRY(add_str(w, "pod_uid", s->workload.pod_uid));
        TRY(add_str(w, "qos", s->workload.qos));
        TRY(add_str(o, "memcg", s->memcg));
        if (s->spool_file[0])
                TRY(add_str(o, "spool_file", s->spool_file));
        TRY(add_bool(o, "complete", s->complete));
        TRY(add_bool(o, "spans_gap", s->spans_gap));
        TRY(add_bool(o, "panic", s->panic));
        *ret = o;
        return 0;
fail:
        json_object_put(o);
        return -ENOMEM;
}
