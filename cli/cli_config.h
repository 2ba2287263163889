/* SPDX-License-Identifier: MIT */
/* What the oomlens command takes from oomlensd's configuration: where the spool is. The same
 * files (oomlensd.conf, then oomlensd.conf.d/NAME.conf in name order) read by the same reader
 * (common/util/ini_file.h) as the daemon's, so both agree on [Spool] Directory=. Every other
 * section and key is the daemon's business and is passed over. */
#pragma once

#include <stdbool.h>

#include "ini_file.h"

#ifndef OOMLENS_CONFIG_DEFAULT_PATH /* the build sets it from CMAKE_INSTALL_FULL_SYSCONFDIR */
#define OOMLENS_CONFIG_DEFAULT_PATH "/etc/oomlens/oomlensd.conf"
#endif

struct cli_config {
        char spool_dir[INI_PATH_MAX];
};

void cli_config_defaults(struct cli_config *ret);
/* Defaults, then `path` and its drop-ins (a missing file is fine unless must_exist). ret is
 * untouched on failure; ret_err says which file, which line, and why. */
int cli_config_load(const char *path, bool must_exist, struct cli_config *ret, struct ini_error *ret_err);
