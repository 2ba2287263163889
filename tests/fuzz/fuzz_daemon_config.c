/* SPDX-License-Identifier: MIT */
/* oomlensd's configuration loader (daemon/daemon_config) on arbitrary bytes. The input is split
 * at NUL bytes (which no valid configuration contains) into the main file and up to three
 * drop-ins, written to a private directory and loaded the way oomlensd loads /etc: through
 * daemon_config_load(). Oracles: a loaded configuration is exactly the main file and then the
 * drop-ins applied in name order with daemon_config_parse_buffer(); every value in it is in its
 * documented range; a rejection names the file and a line that exists, with a reason; the
 * value parsers exported for the command line accept or refuse each line without crashing. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_config.h"
#include "fuzz.h"
#include "macro.h"

#define MAX_DROPINS 3

/* The configuration's directory: oomlensd.conf and oomlensd.conf.d/ in fuzz_dir(). */
static const char *make_dir(void) {
        static bool made;
        const char *dir = fuzz_dir();
        char d[FUZZ_DIR_MAX + 32];

        if (!made) {
                snprintf(d, sizeof d, "%s/oomlensd.conf.d", dir);
                FUZZ_CHECK(mkdir(d, 0700) == 0);
                made = true;
        }
        return dir;
}

static void write_file(const char *path, const char *buf, size_t len) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        FUZZ_CHECK(fd >= 0);
        FUZZ_CHECK(write(fd, buf, len) == (ssize_t)len);
}

static size_t count_lines(const char *buf, size_t len) {
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
                n += buf[i] == '\n';
        return n + 1;
}

static void check_valid(const struct daemon_config *c) {
        FUZZ_CHECK(c->kmsg_path[0] == '/' && strnlen(c->kmsg_path, sizeof c->kmsg_path) < sizeof c->kmsg_path);
        FUZZ_CHECK(c->spool_dir[0] == '/' && strnlen(c->spool_dir, sizeof c->spool_dir) < sizeof c->spool_dir);
        FUZZ_CHECK(c->state_dir[0] == '/' && strnlen(c->state_dir, sizeof c->state_dir) < sizeof c->state_dir);
        FUZZ_CHECK(strnlen(c->boot_id, sizeof c->boot_id) < sizeof c->boot_id);
        /* the ranges of daemon_config.c's key table */
        FUZZ_CHECK(c->max_records_per_dispatch >= 1 && c->max_records_per_dispatch <= 1000000);
        FUZZ_CHECK(c->reaper_wait_usec <= 60000000);
        FUZZ_CHECK(c->quiet_timeout_usec >= 100000 && c->quiet_timeout_usec <= 3600000000ULL);
        FUZZ_CHECK(c->max_lines_per_report >= 64 && c->max_lines_per_report <= 1000000);
        FUZZ_CHECK(c->max_reports <= 100000000);
        FUZZ_CHECK(c->retry_usec >= 100000 && c->retry_usec <= 86400000000ULL);
        FUZZ_CHECK(c->max_pending >= 1 && c->max_pending <= 100000);
        FUZZ_CHECK(c->rate_burst <= 1000000 && c->rate_interval_usec <= 86400000000ULL);
}

/* Field by field: the structs have padding that assignment need not copy. */
static bool config_equal(const struct daemon_config *a, const struct daemon_config *b) {
        return strcmp(a->kmsg_path, b->kmsg_path) == 0 && a->max_records_per_dispatch == b->max_records_per_dispatch &&
               strcmp(a->boot_id, b->boot_id) == 0 && a->reaper_wait_usec == b->reaper_wait_usec &&
               a->quiet_timeout_usec == b->quiet_timeout_usec && a->max_lines_per_report == b->max_lines_per_report &&
               strcmp(a->spool_dir, b->spool_dir) == 0 && a->max_reports == b->max_reports &&
               a->max_use_bytes == b->max_use_bytes && a->keep_free_bytes == b->keep_free_bytes &&
               a->retry_usec == b->retry_usec && a->max_pending == b->max_pending &&
               strcmp(a->state_dir, b->state_dir) == 0 && a->journal == b->journal &&
               a->rate_burst == b->rate_burst && a->rate_interval_usec == b->rate_interval_usec;
}

static void check_error(const struct config_error *err, const char *file, size_t n_lines) {
        FUZZ_CHECK(strcmp(err->file, file) == 0);
        FUZZ_CHECK(err->line >= 1 && err->line <= n_lines);
        FUZZ_CHECK(err->reason[0] != '\0' && strnlen(err->reason, sizeof err->reason) < sizeof err->reason);
}

/* The value parsers, on one line of the input as a C string. */
static void value_parsers(const char *buf, size_t len) {
        char s[256];
        uint64_t v;
        bool b;
        const char *nl = memchr(buf, '\n', len);
        size_t n = MIN(nl ? (size_t)(nl - buf) : len, sizeof s - 1);

        memcpy(s, buf, n);
        s[n] = '\0';
        (void)parse_time_span_usec(s, &v);
        (void)parse_size_bytes(s, &v);
        (void)parse_boolean(s, &b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *buf = (const char *)data;
        const char *part[1 + MAX_DROPINS];
        size_t part_len[1 + MAX_DROPINS], n_parts = 0, pos = 0;
        char path[4200], names[MAX_DROPINS][4200];
        struct daemon_config loaded, expect;
        struct config_error err;
        int k, ke = 0;

        const char *dir = make_dir();
        while (n_parts < 1 + MAX_DROPINS) {
                const char *z = n_parts < MAX_DROPINS ? memchr(buf + pos, '\0', size - pos) : NULL;
                size_t l = z ? (size_t)(z - (buf + pos)) : size - pos;
                part[n_parts] = buf + pos;
                part_len[n_parts++] = l;
                pos += l;
                if (!z)
                        break;
                pos++;
        }

        value_parsers(part[0], part_len[0]);

        /* The reference: parse_buffer() over the parts in order. */
        daemon_config_defaults(&expect);
        for (size_t i = 0; i < n_parts && ke == 0; i++) {
                struct daemon_config copy = expect;
                char name[32];
                snprintf(name, sizeof name, "part%zu", i);
                ke = daemon_config_parse_buffer(&copy, name, part[i], part_len[i], &err);
                FUZZ_CHECK(ke == 0 || ke == -EINVAL);
                if (ke == 0) {
                        check_valid(&copy);
                        expect = copy;
                } else
                        check_error(&err, name, count_lines(part[i], part_len[i]));
        }

        /* The files: oomlensd.conf and oomlensd.conf.d/{1,2,3}0-part.conf. */
        snprintf(path, sizeof path, "%s/oomlensd.conf", dir);
        write_file(path, part[0], part_len[0]);
        for (size_t i = 0; i < MAX_DROPINS; i++) {
                snprintf(names[i], sizeof names[i], "%s/oomlensd.conf.d/%zu0-part.conf", dir, i + 1);
                if (1 + i < n_parts)
                        write_file(names[i], part[1 + i], part_len[1 + i]);
                else
                        (void)unlink(names[i]);
        }
        memset(&loaded, FUZZ_PATTERN, sizeof loaded);
        k = daemon_config_load(path, true, &loaded, &err);
        FUZZ_CHECK(k == ke);
        if (k == 0) {
                check_valid(&loaded);
                FUZZ_CHECK(config_equal(&loaded, &expect));
        } else {
                FUZZ_CHECK(fuzz_untouched(&loaded, sizeof loaded));
                /* the failing file, by the name oomlensd shows */
                size_t failed = 0;
                while (failed < n_parts - 1 && strcmp(err.file, names[failed]) != 0)
                        failed++;
                if (strcmp(err.file, path) == 0)
                        check_error(&err, path, count_lines(part[0], part_len[0]));
                else {
                        FUZZ_CHECK(failed < n_parts - 1);
                        check_error(&err, names[failed], count_lines(part[1 + failed], part_len[1 + failed]));
                }
        }
        return 0;
}
