/* SPDX-License-Identifier: MIT */
#include "cli_config.h"

#include <errno.h>
#include <string.h>

#include "spool_reader.h"

void cli_config_defaults(struct cli_config *ret) {
        *ret = (struct cli_config){.spool_dir = SPOOL_DEFAULT_DIR};
}

static int on_assignment(const char *section, const char *key, const char *value, unsigned line,
                         struct ini_error *err, void *userdata) {
        struct cli_config *cfg = userdata;

        if (!key || strcmp(section, "Spool") != 0 || strcmp(key, "Directory") != 0)
                return 0;
        /* The daemon's rules for the value (daemon_config.c), so a file it refuses is refused. */
        if (value[0] == '\0') {
                snprintf(cfg->spool_dir, sizeof cfg->spool_dir, "%s", SPOOL_DEFAULT_DIR);
                return 0;
        }
        if (value[0] != '/')
                return ini_error_set(err, line, "Directory= must be an absolute path, got \"%s\"", value);
        if (strlen(value) >= sizeof cfg->spool_dir)
                return ini_error_set(err, line, "Directory= is too long (%zu bytes, at most %zu)",
                                     strlen(value), sizeof cfg->spool_dir - 1);
        memcpy(cfg->spool_dir, value, strlen(value) + 1);
        return 0;
}

int cli_config_load(const char *path, bool must_exist, struct cli_config *ret, struct ini_error *ret_err) {
        struct cli_config cfg;
        int k;

        cli_config_defaults(&cfg);
        k = ini_load(path, must_exist, on_assignment, &cfg, ret_err);
        if (k < 0)
                return k;
        *ret = cfg;
        return 0;
}
