/* SPDX-License-Identifier: MIT */
/* Kernel release strings as printed by dump_stack ("3.14.31-00017-g40fab71", "6.1.0-17-arm64",
 * "3.10.0-514.6.1.el7.x86_64", "2.6.32-24-generic-pae", "4.18.0-rc7-work+") turned into one
 * comparable number. Only the first three numeric components matter to the tables: stable
 * sublevels ("2.6.32.67") and distro suffixes never change a GFP layout (except RHEL 7, which is
 * flagged because its 3.10 carries 4.x backports). */
#include "kernel_version.h"

#include <errno.h>
#include <string.h>

/* Bounds: KV() packs minor and patch into 16 bits each; real majors are 2..7. */
#define KV_MAJOR_MAX 99
#define KV_MINOR_MAX 999
#define KV_PATCH_MAX 65535

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Parse a decimal number of at most `max`, no leading '+'/'-'. Leading zeros are accepted
 * ("5.13.0-0.rc5" never has them in the numeric part, but vendor strings might). */
static int parse_component(const char **p, int max, int *ret) {
        const char *s = *p;
        long v = 0;
        size_t n = 0;

        while (is_digit(*s)) {
                v = v * 10 + (*s - '0');
                if (v > max)
                        return -ERANGE;
                s++;
                n++;
        }
        if (n == 0)
                return -EINVAL;
        *p = s;
        *ret = (int)v;
        return 0;
}

/* RHEL 7 kernels are "3.10.0-<build>.el7.<arch>" (also ".el7_9" style z-stream tags). Only the
 * 3.10 base is the backport-heavy one the GFP table knows about; "4.14.0-*.el7a" (RHEL 7 for ARM)
 * is a different kernel. */
static bool release_is_rhel7(const char *release, int major, int minor) {
        const char *s;

        if (major != 3 || minor != 10)
                return false;
        for (s = strstr(release, ".el7"); s; s = strstr(s + 1, ".el7")) {
                char c = s[4];
                if (c == '\0' || c == '.' || c == '_')
                        return true;
        }
        return false;
}

int kernel_version_parse(const char *release, struct kernel_version *ret) {
        struct kernel_version v = {};
        const char *p = release;
        int r;

        if (!release || !ret)
                return -EINVAL;

        r = parse_component(&p, KV_MAJOR_MAX, &v.major);
        if (r < 0)
                return -EINVAL;
        if (v.major < 1 || *p != '.')
                return -EINVAL;
        p++;
        r = parse_component(&p, KV_MINOR_MAX, &v.minor);
        if (r < 0)
                return -EINVAL;
        if (*p == '.' && is_digit(p[1])) {
                p++;
                r = parse_component(&p, KV_PATCH_MAX, &v.patch);
                if (r < 0)
                        return -EINVAL;
        }
        /* "2.6.32.67": the fourth component is the 2.6 stable sublevel; skip it. */
        if (*p == '.' && is_digit(p[1])) {
                int sublevel;
                p++;
                r = parse_component(&p, KV_PATCH_MAX, &sublevel);
                if (r < 0)
                        return -EINVAL;
        }
        /* A release continues with a local version ("-17-arm64", "+", "_rc1") or ends. A digit or
         * a dot here means something like "3.14.31.2.9" or a number that is not a release. */
        if (*p != '\0' && (is_digit(*p) || *p == '.'))
                return -EINVAL;

        v.known = true;
        /* Copy the printed release up to the first whitespace, truncated to the buffer. */
        {
                size_t n = strcspn(release, " \t\r\n");
                if (n >= sizeof(v.release))
                        n = sizeof(v.release) - 1;
                memcpy(v.release, release, n);
                v.release[n] = '\0';
        }
        v.rhel7 = release_is_rhel7(v.release, v.major, v.minor);
        *ret = v;
        return 0;
}

int64_t kernel_version_code(const struct kernel_version *v) {
        if (!v || !v->known)
                return KV_MAX - 1;
        return KV(v->major, v->minor, v->patch);
}

bool kv_range_contains(struct kv_range r, int64_t code) { return code >= r.from && code <= r.to; }
