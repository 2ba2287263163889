/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "file_read.h"
#include "macro.h"

static char dir[64];

static int setup(void **state) {
        snprintf(dir, sizeof(dir), "/tmp/oomlens-file-read.XXXXXX");
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *content, size_t n) {
        char p[128];
        FILE *f;

        snprintf(p, sizeof(p), "%s/%s", dir, name);
        f = fopen(p, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(content, 1, n, f), n);
        assert_int_equal(fclose(f), 0);
}

static void test_bounds(void **state) {
        _cleanup_close_ int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *buf = (char *)0x1;
        size_t n = 7;

        write_file("ten", "0123456789", 10);
        /* exactly the bound: read, NUL-terminated */
        assert_int_equal(read_file_bounded(d, "ten", true, 10, &buf, &n), 0);
        assert_int_equal(n, 10);
        assert_string_equal(buf, "0123456789");
        free(buf);
        /* one byte over: -EFBIG, outputs untouched */
        buf = (char *)0x1;
        n = 7;
        assert_int_equal(read_file_bounded(d, "ten", true, 9, &buf, &n), -EFBIG);
        assert_ptr_equal(buf, (char *)0x1);
        assert_int_equal(n, 7);
        /* empty file */
        write_file("empty", "", 0);
        assert_int_equal(read_file_bounded(d, "empty", false, 10, &buf, &n), 0);
        assert_int_equal(n, 0);
        assert_string_equal(buf, "");
        free(buf);
}

static void test_refuses(void **state) {
        _cleanup_close_ int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char p[128], *buf = NULL;
        size_t n = 0;

        assert_int_equal(read_file_bounded(d, "missing", false, 10, &buf, &n), -ENOENT);
        assert_int_equal(read_file_bounded(AT_FDCWD, dir, false, 10, &buf, &n), -EISDIR);
        /* /dev/zero never ends: not a regular file, refused before any read */
        assert_int_equal(read_file_bounded(AT_FDCWD, "/dev/zero", false, 10, &buf, &n), -EBADF);
        /* a symlink is not followed where the caller says so (spool, state) */
        write_file("target", "x", 1);
        snprintf(p, sizeof(p), "%s/link", dir);
        assert_int_equal(symlink("target", p), 0);
        assert_int_equal(read_file_bounded(d, "link", true, 10, &buf, &n), -ELOOP);
        assert_int_equal(read_file_bounded(d, "link", false, 10, &buf, &n), 0);
        assert_string_equal(buf, "x");
        free(buf);
}

static void test_endless_fd(void **state) {
        _cleanup_close_ int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
        char *buf = NULL;
        size_t n = 0;

        /* read_fd_bounded() on a stream stops at the bound instead of growing forever */
        assert_true(fd >= 0);
        assert_int_equal(read_fd_bounded(fd, 4096, &buf, &n), -EFBIG);
        assert_null(buf);
        assert_int_equal(read_fd_bounded(-1, 10, &buf, &n), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_bounds),
                cmocka_unit_test(test_refuses),
                cmocka_unit_test(test_endless_fd),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
