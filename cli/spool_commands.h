/* SPDX-License-Identifier: MIT */
/* The commands that read oomlensd's spool: list, show, stats (follow is follow.h). Each takes
 * argv with the command name first and returns the exit status (0 found, 1 none, 2 error). */
#pragma once

#include <stdio.h>

#include "query_options.h"
#include "spool_query.h"

#define EXIT_FOUND 0
#define EXIT_NONE 1
#define EXIT_ERROR 2

/* The spool's reports that pass the options' matches (--boot resolved against the spool),
 * oldest first, and the spool's fd. */
int spool_select(struct query_options *o, int *ret_fd, struct spool_report **ret, size_t *ret_n);

/* One stored report as one line of JSON (a file written on several lines is re-serialised). */
int print_json_line(FILE *f, const char *buf, size_t len);

/* stdout flushed and checked, the pager (if any) waited for: the exit status. A pager the
 * user quit before the end is not an error. */
struct pager;
int finish_output(struct pager *p, int status);

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
