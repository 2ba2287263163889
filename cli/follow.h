/* SPDX-License-Identifier: MIT */
/* `oomlens follow`: wait for reports and print each as oomlensd publishes it (inotify on the
 * spool: the daemon renames a finished file into place, IN_MOVED_TO), until SIGINT or SIGTERM.
 * A spool that does not exist yet is waited for (a watch on its nearest existing parent), and
 * one that is removed is waited for again. */
#pragma once

int cmd_follow(int argc, char **argv);
