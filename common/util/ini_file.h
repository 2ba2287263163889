/* SPDX-License-Identifier: MIT */
/* INI files in systemd's style, the reading half shared by oomlensd's configuration
 * (daemon/daemon_config.c, which knows every key) and the oomlens command (which only wants
 * [Spool] Directory=), so both read the same files the same way: "[Section]", "Key=value",
 * '#' and ';' comment lines, whitespace around keys and values ignored; the main file, then
 * "<main>.d/NAME.conf" drop-ins in name order (later assignments win). What a section or a key
 * means is the caller's: a handler sees each header and each assignment in file order. Errors
 * name the file, the line and the reason (returned, never printed). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

#define INI_PATH_MAX 1024
#define INI_REASON_MAX 256
#define INI_LINE_MAX 4096          /* longer lines are an error */
#define INI_FILE_MAX ((size_t)1024 * 1024) /* a configuration file bigger than this is a mistake */
#define INI_DROPIN_MAX 256

struct ini_error {
        char file[INI_PATH_MAX];
        unsigned line; /* 0 = the file as a whole (e.g. unreadable) */
        char reason[INI_REASON_MAX];
};

/* key == NULL: a "[section]" header. Otherwise "key=value" inside `section` (never outside one:
 * that is an error before the handler is called). Strings live only for the call. Return 0 to
 * go on; a negative errno stops the parse and is returned (for -EINVAL set the reason with
 * ini_error_set()). */
typedef int (*ini_handler_t)(const char *section, const char *key, const char *value, unsigned line,
                             struct ini_error *err, void *userdata);

/* Sets err->line and err->reason; returns -EINVAL. */
_printf_(3, 4) int ini_error_set(struct ini_error *err, unsigned line, const char *fmt, ...);

/* Parse one buffer (the contents of `filename`, used in errors). -EINVAL: bad syntax or the
 * handler refused (see ret_err); the handler's other errors are passed on. */
int ini_parse_buffer(const char *filename, const char *buf, size_t len, ini_handler_t handler,
                     void *userdata, struct ini_error *ret_err);

/* `path` (a missing file is fine unless must_exist), then "<path>.d/NAME.conf" in name order
 * (files starting with '.' are ignored; more than INI_DROPIN_MAX is -E2BIG). -EINVAL: bad
 * content (ret_err names file and line); another -errno: I/O, ret_err names the file, line 0. */
int ini_load(const char *path, bool must_exist, ini_handler_t handler, void *userdata,
             struct ini_error *ret_err);
