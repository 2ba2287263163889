/* SPDX-License-Identifier: MIT */
/* A pager for long output, the way systemd's tools start one: only when stdout is a terminal
 * and --no-pager was not given; $SYSTEMD_PAGER, else $PAGER, else less, else more; "cat" or ""
 * means none; less gets LESS=$SYSTEMD_LESS or "FRSXMK" (quit if one screen, raw colours, no
 * init, quit on ^C), so short output prints as if there were no pager at all. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct pager {
        pid_t pid; /* 0: no pager running */
        int saved_stdout;
};

/* Start the pager and point stdout at it, unless no_pager or stdout is not a terminal. */
int pager_open(bool no_pager, struct pager *ret);
/* Flush stdout, let the pager finish (the user reads, then quits), restore stdout. */
void pager_close(struct pager *p);
/* Did writing to stdout fail because the user quit the pager before the end (not an error)? */
bool pager_quit_early(const struct pager *p, int err);
