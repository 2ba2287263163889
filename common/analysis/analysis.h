/* SPDX-License-Identifier: MIT */
/* The analysis engine entry point: decode gfp, replay the zone checks, account where the memory
 * went, rank the victim, and classify causes with stable codes and plain-words explanations. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* Fills every "analysis:" field of r from its "as printed" fields. Tolerates stub or failing
 * stages (-EOPNOTSUPP/-ENODATA from the gfp decoder or the zone check): their fields then stay
 * unset and the causes are decided from what is left. Idempotent. Returns 0, or -EINVAL for
 * r == NULL. */
int report_analyze(struct oom_report *r);

/* Convenience for programs: parse + analyze one raw report. */
int report_build(const struct raw_report *raw, struct oom_report **ret);

/* The report id: "<ts>-<victim pid>-<hash>", where ts is the boot-relative header time in
 * microseconds, zero-padded to 16 digits (or "w" + wall-clock seconds when only that is known,
 * or 16 zeros), pid 0 without victim, and hash 8 hex digits of FNV-1a over the lines' text.
 * Same input, same id; sorts by time within a boot. */
int report_make_id(const struct oom_report *r, char *buf, size_t n);

/* FNV-1a 32-bit over a byte string, continuing from h (start with FNV1A_32_INIT). */
#define FNV1A_32_INIT UINT32_C(0x811c9dc5)
uint32_t fnv1a_32(uint32_t h, const void *data, size_t len);
