/* SPDX-License-Identifier: MIT */
#include "daemon_config.h"
#include "ini_file.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "spool_reader.h"

void daemon_config_defaults(struct daemon_config *ret) {
        *ret = (struct daemon_config){
                .kmsg_path = "/dev/kmsg",
                .max_records_per_dispatch = 256,
                .reaper_wait_usec = 0, /* not waited for: common/assemble/report_assembler.c, end_rules */
                .quiet_timeout_usec = 10000000,
                .max_lines_per_report = 4096,
                .spool_dir = SPOOL_DEFAULT_DIR,
                .max_reports = 1000,
                .max_use_bytes = 64ULL << 20,
                .keep_free_bytes = 256ULL << 20,
                .retry_usec = 30000000,
                .max_pending = 64,
                .state_dir = "/var/lib/oomlens",
                .journal = true,
                .rate_burst = 10,
                .rate_interval_usec = 60000000,
        };
}

/* Errors name the line and the reason; ini_file fills in the file. */
#define fail ini_error_set

/* Parse a non-negative decimal with an optional fraction into value * scale, overflow-safe.
 * Returns the unit suffix position via *ret_end. */
static int parse_scaled(const char *s, uint64_t scale, uint64_t *ret, const char **ret_end) {
        uint64_t whole = 0, frac = 0, frac_div = 1;
        const char *p = s;
        bool digits = false;

        while (*p == ' ' || *p == '\t')
                p++;
        while (isdigit((unsigned char)*p)) {
                unsigned d = (unsigned)(*p - '0');
                if (whole > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                whole = whole * 10 + d;
                digits = true;
                p++;
        }
        if (*p == '.') {
                p++;
                while (isdigit((unsigned char)*p)) {
                        /* More than 9 fraction digits add nothing at our scales. */
                        if (frac_div < 1000000000ULL) {
                                frac = frac * 10 + (uint64_t)(*p - '0');
                                frac_div *= 10;
                        }
                        digits = true;
                        p++;
                }
        }
        if (!digits)
                return -EINVAL;
        if (scale != 0 && whole > UINT64_MAX / scale)
                return -ERANGE;
        *ret = whole * scale + frac * scale / frac_div;
        *ret_end = p;
        return 0;
}

static const char *skip_ws(const char *p) {
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

int parse_time_span_usec(const char *s, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                { "usec", 1 }, { "us", 1 }, { "msec", 1000 }, { "ms", 1000 },
                { "seconds", 1000000 }, { "second", 1000000 }, { "sec", 1000000 }, { "s", 1000000 },
                { "minutes", 60000000 }, { "minute", 60000000 }, { "min", 60000000 }, { "m", 60000000 },
                { "hours", 3600000000ULL }, { "hour", 3600000000ULL }, { "h", 3600000000ULL },
                { "", 1000000 }, /* bare number = seconds, as in systemd */
        };
        const char *end;
        uint64_t v;
        int k;

        /* Parse once to find the suffix, then again with the right scale (keeps the fraction exact). */
        k = parse_scaled(s, 1, &v, &end);
        if (k < 0)
                return k;
        const char *unit = end;
        size_t ulen = 0;
        while (isalpha((unsigned char)unit[ulen]))
                ulen++;
        if (*skip_ws(unit + ulen) != '\0')
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                if (strlen(units[i].suffix) != ulen || strncmp(units[i].suffix, unit, ulen) != 0)
                        continue;
                k = parse_scaled(s, units[i].usec, &v, &end);
                if (k < 0)
                        return k;
                *ret = v;
                return 0;
        }
        return -EINVAL;
}

int parse_size_bytes(const char *s, uint64_t *ret) {
        const char *end;
        uint64_t scale = 1, v;
        int k;

        k = parse_scaled(s, 1, &v, &end);
        if (k < 0)
                return k;
        switch (*end) {
        case 'K': scale = 1ULL << 10; end++; break;
        case 'M': scale = 1ULL << 20; end++; break;
        case 'G': scale = 1ULL << 30; end++; break;
        case 'T': scale = 1ULL << 40; end++; break;
        default: break; /* 'B' or no unit: bytes */
        }
        if (*end == 'B' || (scale == 1 && *end == 'b'))
                end++;
        if (*skip_ws(end) != '\0')
                return -EINVAL;
        k = parse_scaled(s, scale, &v, &end);
        if (k < 0)
                return k;
        *ret = v;
        return 0;
}

int parse_boolean(const char *s, bool *ret) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(s, yes[i]) == 0) {
                        *ret = true;
                        return 0;
                }
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(s, no[i]) == 0) {
                        *ret = false;
                        return 0;
                }
        return -EINVAL;
}

enum value_type { V_PATH, V_U32, V_U64, V_SIZE, V_TIME, V_BOOL, V_BOOT_ID };

struct key_def {
        const char *section, *key;
        enum value_type type;
        size_t offset;
        uint64_t min, max; /* for numbers */
};

#define F(m) offsetof(struct daemon_config, m)
static const struct key_def keys[] = {
        { "Kmsg", "Path", V_PATH, F(kmsg_path), 0, 0 },
        { "Kmsg", "MaxRecordsPerDispatch", V_U32, F(max_records_per_dispatch), 1, 1000000 },
        { "Kmsg", "BootId", V_BOOT_ID, F(boot_id), 0, 0 },
        { "Assembler", "ReaperWaitSec", V_TIME, F(reaper_wait_usec), 0, 60000000 },
        { "Assembler", "QuietTimeoutSec", V_TIME, F(quiet_timeout_usec), 100000, 3600000000ULL },
        { "Assembler", "MaxLinesPerReport", V_U32, F(max_lines_per_report), 64, 1000000 },
        { "Spool", "Directory", V_PATH, F(spool_dir), 0, 0 },
        { "Spool", "MaxReports", V_U64, F(max_reports), 0, 100000000 },
        { "Spool", "MaxUse", V_SIZE, F(max_use_bytes), 0, UINT64_MAX },
        { "Spool", "KeepFree", V_SIZE, F(keep_free_bytes), 0, UINT64_MAX },
        { "Spool", "RetrySec", V_TIME, F(retry_usec), 100000, 86400000000ULL },
        { "Spool", "MaxPending", V_U32, F(max_pending), 1, 100000 },
        { "State", "Directory", V_PATH, F(state_dir), 0, 0 },
        { "Journal", "Enabled", V_BOOL, F(journal), 0, 0 },
        { "RateLimit", "Burst", V_U32, F(rate_burst), 0, 1000000 },
        { "RateLimit", "IntervalSec", V_TIME, F(rate_interval_usec), 0, 86400000000ULL },
        { "Metrics", "TextfileDirectory", V_PATH, F(metrics_dir), 0, 0 },
};
#undef F

static bool section_known(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (strcmp(keys[i].section, name) == 0)
                        return true;
        return false;
}

static int assign(struct daemon_config *cfg, const struct key_def *d, const char *value, unsigned line,
                  struct ini_error *err) {
        struct daemon_config defaults;
        char *field = (char *)cfg + d->offset;
        size_t vlen = strlen(value);
        uint64_t v = 0;
        int k = 0;

        if (*value == '\0') {
                /* systemd semantics: an empty assignment resets to the default. */
                daemon_config_defaults(&defaults);
                const char *src = (const char *)&defaults + d->offset;
                size_t sz = d->type == V_PATH ? DAEMON_CONFIG_PATH_MAX :
                            d->type == V_BOOT_ID ? sizeof cfg->boot_id :
                            d->type == V_U32 ? sizeof(uint32_t) :
                            d->type == V_BOOL ? sizeof(bool) : sizeof(uint64_t);
                memcpy(field, src, sz);
                return 0;
        }

        switch (d->type) {
        case V_PATH:
                if (value[0] != '/')
                        return fail(err, line, "%s= must be an absolute path, got \"%s\"", d->key, value);
                if (vlen >= DAEMON_CONFIG_PATH_MAX)
                        return fail(err, line, "%s= is too long (%zu bytes, at most %d)", d->key, vlen,
                                    DAEMON_CONFIG_PATH_MAX - 1);
                memcpy(field, value, vlen + 1);
                return 0;
        case V_BOOT_ID:
                if (vlen >= sizeof cfg->boot_id)
                        return fail(err, line, "%s= is too long", d->key);
                for (const char *p = value; *p; p++)
                        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
                                return fail(err, line, "%s= may only contain letters, digits, '-' and '_'",
                                            d->key);
                memcpy(field, value, vlen + 1);
                return 0;
        case V_BOOL: {
                bool b;
                if (parse_boolean(value, &b) < 0)
                        return fail(err, line, "%s= expects a boolean (yes/no), got \"%s\"", d->key, value);
                *(bool *)field = b;
                return 0;
        }
        case V_U32:
        case V_U64: {
                const char *end;
                for (const char *p = value; *p; p++)
                        if (!isdigit((unsigned char)*p))
                                return fail(err, line, "%s= expects a non-negative integer, got \"%s\"",
                                            d->key, value);
                k = parse_scaled(value, 1, &v, &end);
                break;
        }
        case V_SIZE:
                if (strcasecmp(value, "infinity") == 0) {
                        v = 0;
                        break;
                }
                k = parse_size_bytes(value, &v);
                if (k == -EINVAL)
                        return fail(err, line, "%s= expects a size like 64M, got \"%s\"", d->key, value);
                break;
        case V_TIME:
                k = parse_time_span_usec(value, &v);
                if (k == -EINVAL)
                        return fail(err, line, "%s= expects a time span like 500ms or 10s, got \"%s\"",
                                    d->key, value);
                break;
        }
        if (k == -ERANGE || (k == 0 && (v < d->min || v > d->max)))
                return fail(err, line, "%s= value \"%s\" is out of range (%llu..%llu%s)", d->key, value,
                            (unsigned long long)d->min, (unsigned long long)d->max,
                            d->type == V_TIME ? " usec" : "");
        if (k < 0)
                return fail(err, line, "%s= could not parse \"%s\"", d->key, value);
        if (d->type == V_U32)
                *(uint32_t *)field = (uint32_t)v;
        else
                *(uint64_t *)field = v;
        return 0;
}

/* The ini_file handler: sections and keys are the table's. */
static int on_assignment(const char *section, const char *key, const char *value, unsigned line,
                         struct ini_error *err, void *userdata) {
        struct daemon_config *cfg = userdata;

        if (!key) {
                if (strlen(section) >= 64 || !section_known(section))
                        return fail(err, line, "unknown section [%s]", section);
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
                        return assign(cfg, &keys[i], value, line, err);
        return fail(err, line, "unknown key %s= in section [%s]", key, section);
}

static void error_from_ini(const struct ini_error *e, struct config_error *ret) {
        _Static_assert(sizeof ret->file == sizeof e->file && sizeof ret->reason == sizeof e->reason,
                       "config_error and ini_error must match");
        memcpy(ret->file, e->file, sizeof ret->file);
        ret->line = e->line;
        memcpy(ret->reason, e->reason, sizeof ret->reason);
}

int daemon_config_parse_buffer(struct daemon_config *cfg, const char *filename, const char *buf,
                               size_t len, struct config_error *ret_err) {
        struct ini_error err;
        int k = ini_parse_buffer(filename, buf, len, on_assignment, cfg, &err);
        error_from_ini(&err, ret_err);
        return k;
}

int daemon_config_load(const char *path, bool must_exist, struct daemon_config *ret,
                       struct config_error *ret_err) {
        struct daemon_config cfg;
        struct ini_error err;
        int k;

        daemon_config_defaults(&cfg);
        k = ini_load(path, must_exist, on_assignment, &cfg, &err);
        if (k < 0) {
                error_from_ini(&err, ret_err);
                return k;
        }
        *ret = cfg;
        return 0;
}
