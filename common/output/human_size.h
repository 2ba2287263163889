/* SPDX-License-Identifier: MIT */
/* Sizes for people: kB -> "228.0 MiB". Explanations and the text report use these; the exact kB
 * figures stay next to them wherever a kernel check is cited. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define HUMAN_SIZE_MAX 32

/* Format kb (kibibytes) as "N kB" (< 1 MiB), "N.N MiB" (< 1 GiB), "N.N GiB", ... up to ZiB.
 * NUM_UNSET prints "?". Always NUL-terminates buf (n >= 1); returns buf. */
char *human_kb(int64_t kb, char *buf, size_t n);

/* Whole MiB, rounded to nearest ("226 MiB"), for the one-line summary. */
char *human_kb_mib(int64_t kb, char *buf, size_t n);
