/* SPDX-License-Identifier: MIT */
/* Times on the command line and in listings, the way journalctl and coredumpctl take and show
 * them (systemd.time(7)), so --since/--until accept what users already type:
 *   now, today, yesterday, tomorrow
 *   2026-12-01, 2026-12-01 10:00, 2026-12-01 10:00:00[.frac], 2026-12-01T10:00:00, 10:00[:00]
 *     optionally after a weekday ("Tue 2026-12-01 ...", checked) and followed by " UTC", "Z"
 *     or a numeric offset ("+01:00", "-0500"); local time otherwise
 *   -1h, +5min, "1h 30min ago", "2 days left" (relative to now)
 *   @1764583200[.frac] (seconds since the epoch, UTC)
 * Local time is the TZ environment's, as everywhere in libc. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMESTAMP_TEXT_MAX 64

/* A span like "1h 30min", "5min", "2d", "1.5s", "300ms" (bare number = seconds) in usec. */
int timespan_parse_usec(const char *s, uint64_t *ret);

/* s -> microseconds since the epoch, relative forms against now_usec. -EINVAL: not a time
 * (ret untouched); -ERANGE: out of range. */
int timestamp_parse(const char *s, int64_t now_usec, int64_t *ret_usec);

/* "Tue 2026-12-01 10:00:00 CET" (local) or "... UTC" (utc); "-" for a negative or NUM_UNSET. */
const char *timestamp_format(int64_t usec, bool utc, char buf[TIMESTAMP_TEXT_MAX]);
