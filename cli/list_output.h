/* SPDX-License-Identifier: MIT */
/* The report listing of `oomlens list`, `follow` and `journal`, one line per report as
 * coredumpctl prints its list: TIME KIND CAUSE VICTIM UNIT RSS ID. Every string shown came from
 * a kernel log (comm, cgroup paths) and is made terminal-safe first. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report_summary.h"

struct list_style {
        bool utc;    /* --utc */
        bool colour; /* stdout is a terminal and NO_COLOR is not set */
        bool legend; /* the header line (--no-legend turns it off) */
};

/* Colours when wanted: bold, red, yellow, reset ("" otherwise). */
const char *ansi_bold(const struct list_style *st);
const char *ansi_red(const struct list_style *st);
const char *ansi_yellow(const struct list_style *st);
const char *ansi_normal(const struct list_style *st);

/* Should output be coloured? stdout is a terminal, $NO_COLOR unset or empty, $TERM not "dumb"
 * (call before a pager takes stdout over). */
bool colours_wanted(void);

/* s made safe to print: invalid UTF-8 and control characters as "\xNN". malloc'd or NULL. */
char *terminal_safe(const char *s);

/* The whole table: column widths fitted to the rows, the header unless !legend. */
int list_print(FILE *f, const struct report_summary *rows, size_t n, const struct list_style *st);
/* One row with fixed widths, for reports printed as they arrive (follow); the header once,
 * when *header_done is false. */
int list_print_row(FILE *f, const struct report_summary *s, const struct list_style *st, bool *header_done);
