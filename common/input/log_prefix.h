/* SPDX-License-Identifier: MIT */
/* Which log format a physical input line is in, told by its prefix: raw /dev/kmsg records,
 * dmesg and its variants, syslog (BSD, RFC 3339, RFC 5424), journalctl short and
 * short-monotonic. One row per line shape (log_prefix.c), tried in order; hand-written
 * scanners, no regex: this runs on every line of multi-GB logs. The only state is the host
 * name of the last syslog/journal line (short-monotonic lines are recognised by it). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log_line.h"

enum log_escape {
        LOG_ESC_NONE, /* take the bytes as they are (only NUL is replaced) */
        LOG_ESC_TEXT, /* rsyslog "#ooo" control escapes, literal "\x0a" (059: pasted kmsg text) */
        LOG_ESC_KMSG, /* /dev/kmsg "\xNN" */
};

/* One classified physical line: line holds the text (a part of the input, not owned, the
 * caller sets it) and the metadata the prefix states; raw, seq_end, no_prefix and prose are
 * left to the normaliser. */
struct log_prefix {
        struct log_line line;
        enum log_escape esc;
        bool prefixed;
        bool kmsg;
        char kflag;
};

/* Nothing known yet: every number unset, level and facility -1, LOG_ESC_TEXT. */
void log_prefix_init(struct log_prefix *pl);

struct log_host {
        char name[64]; /* of the last syslog/journal line, "" before the first */
};

/* Classify the physical line [line, line + n) allowed by format. Returns the start of the
 * kernel's text (the caller sets pl->text/len), or NULL if no prefix was recognised. Fills
 * the metadata in pl that the prefix states; may remember a host name in host (also when it
 * returns NULL: a line that named its host before it turned out malformed). */
const char *log_prefix_parse(enum log_format format, struct log_host *host, const char *line, size_t n,
                             struct log_prefix *pl);
