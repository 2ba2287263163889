/* SPDX-License-Identifier: MIT */
/* Kernel release strings ("3.14.31-00017-g40fab71", "6.1.0-17-arm64", "3.10.0-514.el7.x86_64")
 * and comparisons, so version tables can say which kernels a fact holds for. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct kernel_version {
        bool known;
        int major, minor, patch;
        char release[128]; /* as printed */
        bool rhel7;        /* ".el7": RHEL 7 backports (see gfp tables) */
};

/* A version as one comparable number: KV(3,14,0) < KV(4,4,0). */
#define KV(a, b, c) (((int64_t)(a) << 32) | ((int64_t)(b) << 16) | (int64_t)(c))
#define KV_END(a, b) KV(a, b, 0xffff) /* last release of the a.b series */
#define KV_MIN 0
#define KV_MAX INT64_MAX

/* Parse "3.14.31-00017-g40fab71" into ret. Returns 0, or -EINVAL when it is not a release. */
int kernel_version_parse(const char *release, struct kernel_version *ret);
int64_t kernel_version_code(const struct kernel_version *v); /* KV(); KV_MAX-1 if unknown */

/* A table row's version range: from <= v <= to (inclusive). */
struct kv_range {
        int64_t from, to;
};
bool kv_range_contains(struct kv_range r, int64_t code);
