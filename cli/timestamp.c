/* SPDX-License-Identifier: MIT */
#include "timestamp.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "macro.h"
#include "report.h"

#define USEC_PER_SEC 1000000LL
#define USEC_PER_DAY (86400LL * USEC_PER_SEC)

/* systemd.time(7)'s units; the whole run of letters after a number must be one of them. */
static const struct {
        const char *name;
        uint64_t usec;
} units[] = {
        {"us", 1},
        {"usec", 1},
        {"\xc2\xb5s", 1},
        {"ms", 1000},
        {"msec", 1000},
        {"s", 1000000},
        {"sec", 1000000},
        {"second", 1000000},
        {"seconds", 1000000},
        {"m", 60000000},
        {"min", 60000000},
        {"minute", 60000000},
        {"minutes", 60000000},
        {"h", 3600000000ULL},
        {"hr", 3600000000ULL},
        {"hour", 3600000000ULL},
        {"hours", 3600000000ULL},
        {"d", 86400000000ULL},
        {"day", 86400000000ULL},
        {"days", 86400000000ULL},
        {"w", 604800000000ULL},
        {"week", 604800000000ULL},
        {"weeks", 604800000000ULL},
        /* 30.44 and 365.25 days, as systemd counts them */
        {"M", 2629800000000ULL},
        {"month", 2629800000000ULL},
        {"months", 2629800000000ULL},
        {"y", 31557600000000ULL},
        {"year", 31557600000000ULL},
        {"years", 31557600000000ULL},
};

static const char *skip_ws(const char *p) {
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

int timespan_parse_usec(const char *s, uint64_t *ret) {
        const char *p = skip_ws(s);
        uint64_t total = 0;
        bool any = false;

        while (*p) {
                uint64_t whole = 0, frac = 0, frac_div = 1, unit = 0;
                bool dig = false;
                const char *u;
                size_t ul;

                while (isdigit((unsigned char)*p)) {
                        if (whole > (UINT64_MAX - 9) / 10)
                                return -ERANGE;
                        whole = whole * 10 + (uint64_t)(*p++ - '0');
                        dig = true;
                }
                if (*p == '.') {
                        p++;
                        while (isdigit((unsigned char)*p)) {
                                if (frac_div < 1000000000ULL) {
                                        frac = frac * 10 + (uint64_t)(*p - '0');
                                        frac_div *= 10;
                                }
                                p++;
                                dig = true;
                        }
                }
                if (!dig)
                        return -EINVAL;
                p = skip_ws(p);
                u = p;
                while (*p && !isdigit((unsigned char)*p) && *p != ' ' && *p != '\t' && *p != '.')
                        p++;
                ul = (size_t)(p - u);
                if (ul == 0) {
                        /* A bare number is seconds, but only alone: "1h 30" is a typo. */
                        if (any || *skip_ws(p))
                                return -EINVAL;
                        unit = USEC_PER_SEC;
                } else
                        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                                if (strlen(units[i].name) == ul && strncmp(units[i].name, u, ul) == 0) {
                                        unit = units[i].usec;
                                        break;
                                }
                if (unit == 0)
                        return -EINVAL;
                if (whole > UINT64_MAX / unit)
                        return -ERANGE;
                uint64_t v = whole * unit + frac * unit / frac_div;
                if (total > UINT64_MAX - v)
                        return -ERANGE;
                total += v;
                any = true;
                p = skip_ws(p);
        }
        if (!any)
                return -EINVAL;
        *ret = total;
        return 0;
}

/* Local midnight of the day of `usec`, plus `days` days (mktime normalises, DST included). */
static int local_midnight(int64_t usec, int days, int64_t *ret) {
        time_t t = (time_t)(usec / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return -ERANGE;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_mday += days;
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t)-1)
                return -ERANGE;
        *ret = (int64_t)t * USEC_PER_SEC;
        return 0;
}

static int parse_digits(const char **p, size_t n, int *ret) {
        int v = 0;
        for (size_t i = 0; i < n; i++) {
                if (!isdigit((unsigned char)(*p)[i]))
                        return -EINVAL;
                v = v * 10 + ((*p)[i] - '0');
        }
        *p += n;
        *ret = v;
        return 0;
}

static const char *const weekdays[7][2] = {
        {"Sun", "Sunday"},   {"Mon", "Monday"}, {"Tue", "Tuesday"},  {"Wed", "Wednesday"},
        {"Thu", "Thursday"}, {"Fri", "Friday"}, {"Sat", "Saturday"},
};

/* "Mon " / "Monday " at the start: its index, p moved past it; -1 when there is none. */
static int parse_weekday(const char **p) {
        for (int i = 0; i < 7; i++)
                for (int j = 1; j >= 0; j--) {
                        size_t l = strlen(weekdays[i][j]);
                        if (strncasecmp(*p, weekdays[i][j], l) == 0 && ((*p)[l] == ' ' || (*p)[l] == ',')) {
                                *p = skip_ws(*p + l + ((*p)[l] == ',' ? 1 : 0));
                                return i;
                        }
                }
        return -1;
}

static bool two_digits(const char *p, int *ret) {
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
                return false;
        *ret = (p[0] - '0') * 10 + (p[1] - '0');
        return true;
}

/* A trailing zone: " UTC", "Z", "+01:00", "-0500", "+01" (offsets only after a time of day,
 * so the "-01" of "2026-12-01" stays a day). Cut off buf; *ret_utc says a zone was given,
 * *ret_off_sec is its offset east of UTC. */
static void cut_zone(char *buf, bool *ret_utc, int *ret_off_sec) {
        static const size_t lens[] = {6, 5, 3}; /* [+-]HH:MM, [+-]HHMM, [+-]HH */
        size_t l = strlen(buf);

        *ret_utc = false;
        *ret_off_sec = 0;
        if (l >= 3 && strcasecmp(buf + l - 3, "UTC") == 0) {
                buf[l - 3] = '\0';
                *ret_utc = true;
                return;
        }
        if (l >= 2 && (buf[l - 1] == 'Z' || buf[l - 1] == 'z') && isdigit((unsigned char)buf[l - 2])) {
                buf[l - 1] = '\0';
                *ret_utc = true;
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(lens); i++) {
                size_t len = lens[i];
                char *z;
                int hh = 0, mm = 0;
                bool ok;

                if (l <= len)
                        continue;
                z = buf + l - len;
                if (*z != '+' && *z != '-')
                        continue;
                ok = two_digits(z + 1, &hh);
                if (len == 6)
                        ok = ok && z[3] == ':' && two_digits(z + 4, &mm);
                else if (len == 5)
                        ok = ok && two_digits(z + 3, &mm);
                if (!ok || hh > 23 || mm > 59 || !memchr(buf, ':', l - len))
                        continue;
                *ret_utc = true;
                *ret_off_sec = (*z == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
                *z = '\0';
                return;
        }
}

static int parse_absolute(const char *s, int64_t now_usec, int64_t *ret) {
        char buf[128];
        const char *p;
        struct tm tm = {};
        bool utc, have_date = false;
        int off_sec, wday, frac_usec = 0;
        time_t t;

        size_t slen = strlen(s);
        if (slen >= sizeof buf)
                return -EINVAL;
        memcpy(buf, s, slen + 1);
        cut_zone(buf, &utc, &off_sec);
        {
                size_t l = strlen(buf);
                while (l > 0 && buf[l - 1] == ' ')
                        buf[--l] = '\0';
        }
        p = skip_ws(buf);
        wday = parse_weekday(&p);

        if (isdigit((unsigned char)p[0]) && strlen(p) >= 10 && p[4] == '-' && p[7] == '-') {
                int y, mo, d;
                if (parse_digits(&p, 4, &y) < 0 || *p++ != '-' || parse_digits(&p, 2, &mo) < 0 ||
                    *p++ != '-' || parse_digits(&p, 2, &d) < 0)
                        return -EINVAL;
                if (mo < 1 || mo > 12 || d < 1 || d > 31)
                        return -EINVAL;
                tm.tm_year = y - 1900;
                tm.tm_mon = mo - 1;
                tm.tm_mday = d;
                have_date = true;
                if (*p == 'T' || *p == ' ')
                        p = skip_ws(p + 1);
                else if (*p)
                        return -EINVAL;
        }
        if (*p) {
                int h, mi, sec = 0;
                if (parse_digits(&p, 2, &h) < 0 || *p++ != ':' || parse_digits(&p, 2, &mi) < 0)
                        return -EINVAL;
                if (*p == ':') {
                        p++;
                        if (parse_digits(&p, 2, &sec) < 0)
                                return -EINVAL;
                        if (*p == '.') {
                                int scale = 100000;
                                p++;
                                if (!isdigit((unsigned char)*p))
                                        return -EINVAL;
                                while (isdigit((unsigned char)*p)) {
                                        frac_usec += (*p - '0') * scale;
                                        scale /= 10;
                                        p++;
                                }
                        }
                }
                if (*p || h > 23 || mi > 59 || sec > 60)
                        return -EINVAL;
                tm.tm_hour = h;
                tm.tm_min = mi;
                tm.tm_sec = sec;
        } else if (!have_date)
                return -EINVAL;

        if (!have_date) { /* a time of day alone: today's */
                time_t n = (time_t)(now_usec / USEC_PER_SEC);
                struct tm today;
                if (!(utc ? gmtime_r(&n, &today) : localtime_r(&n, &today)))
                        return -ERANGE;
                tm.tm_year = today.tm_year;
                tm.tm_mon = today.tm_mon;
                tm.tm_mday = today.tm_mday;
        }
        tm.tm_isdst = -1;
        {
                struct tm copy = tm;
                t = utc ? timegm(&copy) : mktime(&copy);
                if (t == (time_t)-1)
                        return -ERANGE;
                /* mktime normalises 2026-02-31 into March: refuse such dates like systemd does. */
                if (copy.tm_mday != tm.tm_mday || copy.tm_mon != tm.tm_mon)
                        return -EINVAL;
                if (wday >= 0 && copy.tm_wday != wday)
                        return -EINVAL;
        }
        t -= off_sec;
        if (t < 0)
                return -ERANGE;
        *ret = (int64_t)t * USEC_PER_SEC + frac_usec;
        return 0;
}

int timestamp_parse(const char *s, int64_t now_usec, int64_t *ret_usec) {
        char buf[128];
        size_t l;
        int64_t v;
        uint64_t span;
        int k;

        if (!s || !ret_usec)
                return -EINVAL;
        s = skip_ws(s);
        l = strlen(s);
        while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t'))
                l--;
        if (l == 0 || l >= sizeof buf)
                return -EINVAL;
        memcpy(buf, s, l);
        buf[l] = '\0';

        if (strcmp(buf, "now") == 0) {
                *ret_usec = now_usec;
                return 0;
        }
        if (strcmp(buf, "today") == 0 || strcmp(buf, "yesterday") == 0 || strcmp(buf, "tomorrow") == 0) {
                k = local_midnight(now_usec,
                                   buf[0] == 'y'                    ? -1
                                   : buf[1] == 'o' && buf[2] == 'm' ? 1
                                                                    : 0,
                                   &v);
                if (k < 0)
                        return k;
                *ret_usec = v;
                return 0;
        }
        if (buf[0] == '@') {
                /* seconds since the epoch, with an optional fraction */
                k = timespan_parse_usec(buf + 1, &span);
                if (k < 0)
                        return k;
                if (!isdigit((unsigned char)buf[1]) || strspn(buf + 1, "0123456789.") != strlen(buf + 1))
                        return -EINVAL;
                if (span > INT64_MAX)
                        return -ERANGE;
                *ret_usec = (int64_t)span;
                return 0;
        }
        if (buf[0] == '+' || buf[0] == '-' || (l > 4 && strcmp(buf + l - 4, " ago") == 0) ||
            (l > 5 && strcmp(buf + l - 5, " left") == 0)) {
                bool minus = buf[0] == '-' || (l > 4 && strcmp(buf + l - 4, " ago") == 0);
                char *q = buf;
                if (buf[0] == '+' || buf[0] == '-')
                        q++;
                else
                        buf[l - (minus ? 4 : 5)] = '\0';
                k = timespan_parse_usec(q, &span);
                if (k < 0)
                        return k;
                if (span > (uint64_t)INT64_MAX)
                        return -ERANGE;
                if (minus) {
                        if ((int64_t)span > now_usec)
                                return -ERANGE;
                        *ret_usec = now_usec - (int64_t)span;
                } else {
                        if ((int64_t)span > INT64_MAX - now_usec)
                                return -ERANGE;
                        *ret_usec = now_usec + (int64_t)span;
                }
                return 0;
        }
        return parse_absolute(buf, now_usec, ret_usec);
}

const char *timestamp_format(int64_t usec, bool utc, char buf[TIMESTAMP_TEXT_MAX]) {
        time_t t;
        struct tm tm;

        if (usec < 0 || !num_set(usec)) {
                snprintf(buf, TIMESTAMP_TEXT_MAX, "-");
                return buf;
        }
        t = (time_t)(usec / USEC_PER_SEC);
        if (!(utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) ||
            strftime(buf, TIMESTAMP_TEXT_MAX, utc ? "%a %Y-%m-%d %H:%M:%S UTC" : "%a %Y-%m-%d %H:%M:%S %Z",
                     &tm) == 0)
                snprintf(buf, TIMESTAMP_TEXT_MAX, "@%lld", (long long)t);
        return buf;
}
