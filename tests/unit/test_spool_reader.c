/* SPDX-License-Identifier: MIT */
/* The spool's read side as `oomlens list/show` sees it: only regular files with report names
 * are listed, in name (= time) order; temp files, foreign names, directories and symlinks are
 * skipped; reads are bounded and never follow a symlink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool_reader.h"

struct fixture {
        char dir[64];
        int fd;
};

static void put(int dirfd, const char *name, const char *data) {
        int fd = openat(dirfd, name, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0640);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
        close(fd);
}

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof *f);
        snprintf(f->dir, sizeof f->dir, "/tmp/test_spool_reader.XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        if (spool_open(f->dir, &f->fd) < 0)
                return -1;
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        char cmd[160];
        close(f->fd);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static void test_names(void **state) {
        char longname[SPOOL_NAME_MAX + 8];
        assert_true(spool_name_valid("20261125T195258Z-6d207e77-000000000523.json"));
        assert_false(spool_name_valid(".#x.json"));
        assert_false(spool_name_valid("x.json.tmp"));
        assert_false(spool_name_valid("../x.json"));
        assert_false(spool_name_valid("a/b.json"));
        assert_false(spool_name_valid("a b.json"));
        assert_false(spool_name_valid(".json"));
        assert_false(spool_name_valid(""));
        memset(longname, 'a', sizeof longname);
        strcpy(longname + SPOOL_NAME_MAX - 5, ".json"); /* exactly SPOOL_NAME_MAX - 1 + NUL: too long */
        assert_false(spool_name_valid(longname));
        strcpy(longname + SPOOL_NAME_MAX - 6, ".json");
        assert_true(spool_name_valid(longname));
}

static void test_open_refuses_symlink_and_missing(void **state) {
        struct fixture *f = *state;
        char link[128], missing[128];
        int fd = -1;
        snprintf(link, sizeof link, "%s/link", f->dir);
        snprintf(missing, sizeof missing, "%s/missing", f->dir);
        assert_int_equal(symlink(f->dir, link), 0);
        assert_int_equal(spool_open(link, &fd), -ELOOP);
        assert_int_equal(spool_open(missing, &fd), -ENOENT);
        assert_int_equal(spool_open("", &fd), -EINVAL);
        assert_int_equal(fd, -1);
}

static void test_list_skips_foreign(void **state) {
        struct fixture *f = *state;
        struct spool_entry *v = NULL;
        size_t n = 0;

        put(f->fd, "20260102T000000Z-b-000000000002.json", "{}");
        put(f->fd, "20260101T000000Z-a-000000000001.json", "{}");
        put(f->fd, ".#20260103T000000Z-c-000000000003.json.1", "{");  /* being written */
        put(f->fd, "notes.txt", "x");                                  /* foreign name */
        assert_int_equal(mkdirat(f->fd, "dir.json", 0755), 0);         /* not a file */
        assert_int_equal(symlinkat("/etc/passwd", f->fd, "p.json"), 0); /* planted link */
        assert_int_equal(spool_list(f->fd, &v, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(v[0].name, "20260101T000000Z-a-000000000001.json");
        assert_string_equal(v[1].name, "20260102T000000Z-b-000000000002.json");
        assert_int_equal(v[0].size, 2);
        free(v);
}

static void test_read_bounded_nofollow(void **state) {
        struct fixture *f = *state;
        char *data = NULL;
        size_t len = 0;

        put(f->fd, "a.json", "{\"x\":1}\n");
        assert_int_equal(spool_read(f->fd, "a.json", 1024, &data, &len), 0);
        assert_int_equal(len, 8);
        assert_string_equal(data, "{\"x\":1}\n");
        free(data);
        data = NULL;
        assert_int_equal(spool_read(f->fd, "a.json", 4, &data, &len), -EFBIG);
        assert_null(data);
        assert_int_equal(symlinkat("/etc/passwd", f->fd, "p.json"), 0);
        assert_int_equal(spool_read(f->fd, "p.json", 1 << 20, &data, &len), -ELOOP);
        assert_int_equal(spool_read(f->fd, "../a.json", 1 << 20, &data, &len), -EINVAL);
        assert_true(spool_exists(f->fd, "a.json"));
        assert_false(spool_exists(f->fd, "b.json"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names),
                cmocka_unit_test_setup_teardown(test_open_refuses_symlink_and_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_list_skips_foreign, setup, teardown),
                cmocka_unit_test_setup_teardown(test_read_bounded_nofollow, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
