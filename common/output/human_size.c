/* SPDX-License-Identifier: MIT */
#include "human_size.h"

#include <inttypes.h>
#include <stdio.h>

#include "report.h"

char *human_kb(int64_t kb, char *buf, size_t n) {
        static const char *const units[] = { "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB" };
        bool neg;
        uint64_t v;
        double d;
        size_t u = 0;

        if (n == 0)
                return buf;
        if (!num_set(kb)) {
                snprintf(buf, n, "?");
                return buf;
        }
        neg = kb < 0;
        v = neg ? (uint64_t)(-(kb + 1)) + 1 : (uint64_t)kb; /* no overflow for INT64_MIN+1.. */
        if (v < 1024) {
                snprintf(buf, n, "%s%" PRIu64 " kB", neg ? "-" : "", v);
                return buf;
        }
        d = (double)v / 1024.0;
        /* Switch unit only when the one-decimal rounding would print >= 1024.0. */
        while (d >= 1023.95 && u + 1 < ELEMENTSOF(units)) {
                d /= 1024.0;
                u++;
        }
        snprintf(buf, n, "%s%.1f %s", neg ? "-" : "", d, units[u]);
        return buf;
}

char *human_kb_mib(int64_t kb, char *buf, size_t n) {
        if (n == 0)
                return buf;
        if (!num_set(kb)) {
                snprintf(buf, n, "?");
                return buf;
        }
        if (kb >= 0 && kb < INT64_MAX - 512)
                snprintf(buf, n, "%" PRId64 " MiB", (kb + 512) / 1024);
        else
                snprintf(buf, n, "%" PRId64 " MiB", kb / 1024);
        return buf;
}
