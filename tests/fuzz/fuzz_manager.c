/* SPDX-License-Identifier: MIT */
/* oomlensd itself (daemon/manager) on an arbitrary recorded kmsg stream: the input is the
 * stream file given as --kmsg, run with --oneshot into a private spool and state directory,
 * then run again over the same stream (a restart). This covers what the record-level harnesses
 * do not: sequence and gap bookkeeping, the restart state, report names and keys built from
 * the records' numbers, the spool writer, retention, the storm limiter. Oracles: both runs end
 * with exit code 0; every spool file is a JSON object; no temporary file is left; the state
 * file reads back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daemon_config.h"
#include "file_read.h"
#include "fuzz.h"
#include "kmsg_state.h"
#include "macro.h"
#include "manager.h"

static void path_of(char *buf, size_t size, const char *name) {
        FUZZ_CHECK((size_t)snprintf(buf, size, "%s/%s", fuzz_dir(), name) < size);
}

/* An empty spool and state directory for each input: runs must not depend on each other. */
static void fresh_dirs(void) {
        char p[FUZZ_DIR_MAX + 16];

        path_of(p, sizeof p, "spool");
        fuzz_rm_tree(p);
        FUZZ_CHECK(mkdir(p, 0755) == 0);
        path_of(p, sizeof p, "state");
        fuzz_rm_tree(p);
        FUZZ_CHECK(mkdir(p, 0755) == 0);
}

static _printf_(3, 0) void quiet(void *userdata, int priority, const char *fmt, va_list ap) {
        /* the daemon's messages: formatted (so a bad format argument is found) and dropped */
        char buf[1024];
        (void)vsnprintf(buf, sizeof buf, fmt, ap);
}

static void run_daemon(const struct daemon_config *cfg) {
        _cleanup_(manager_freep) struct manager *m = NULL;
        struct manager_options opts = {
                .oneshot = true,
                .log = quiet,
                .overrides.journal = -1,
        };
        int code = -1;

        FUZZ_CHECK(manager_new(&opts, cfg, &m) == 0);
        FUZZ_CHECK(manager_start(m, &code) == 0);
        FUZZ_CHECK(manager_run(m) == MANAGER_EXIT_OK);
}

static void check_spool(const char *spool) {
        DIR *d = opendir(spool);
        struct dirent *de;

        FUZZ_CHECK(d);
        while ((de = readdir(d))) {
                _cleanup_free_ char *buf = NULL;
                size_t len = 0;

                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                FUZZ_CHECK(strncmp(de->d_name, ".#", 2) != 0); /* no temporary file left behind */
                FUZZ_CHECK(read_file_bounded(dirfd(d), de->d_name, true, 64u << 20, &buf, &len) == 0);
                json_object *o = json_tokener_parse(buf);
                FUZZ_CHECK(o && json_object_is_type(o, json_type_object));
                json_object_put(o);
        }
        closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct daemon_config cfg;
        struct kmsg_state st;

        fresh_dirs();
        daemon_config_defaults(&cfg);
        path_of(cfg.kmsg_path, sizeof cfg.kmsg_path, "stream");
        const char *stream = cfg.kmsg_path;
        {
                _cleanup_close_ int fd = open(stream, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                FUZZ_CHECK(fd >= 0);
                FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
        }

        path_of(cfg.spool_dir, sizeof cfg.spool_dir, "spool");
        path_of(cfg.state_dir, sizeof cfg.state_dir, "state");
        snprintf(cfg.boot_id, sizeof cfg.boot_id, "fuzz");
        cfg.journal = false;
        cfg.keep_free_bytes = 0; /* whatever the machine's free space */
        /* A small spool and a storm limit, so retention and suppression run too. */
        cfg.max_reports = 3;
        cfg.rate_burst = 5;

        run_daemon(&cfg);
        check_spool(cfg.spool_dir);
        run_daemon(&cfg); /* a restart over the same stream */
        check_spool(cfg.spool_dir);

        _cleanup_close_ int sfd = open(cfg.state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        FUZZ_CHECK(sfd >= 0);
        int k = kmsg_state_load(sfd, &st);
        FUZZ_CHECK(k == 0 || k == -ENOENT);
        return 0;
}
