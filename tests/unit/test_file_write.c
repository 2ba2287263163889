/* SPDX-License-Identifier: MIT */
/* Atomic publication: contents replaced whole, the mode kept whatever the umask, no temporary
 * left behind, on failure the old file untouched. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "file_read.h"
#include "file_write.h"

static int make_dir(char *path, size_t size) {
        snprintf(path, size, "/tmp/oomlens-file-write.XXXXXX");
        assert_non_null(mkdtemp(path));
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        return fd;
}

static void rm_dir(const char *path) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
        assert_int_equal(system(cmd), 0);
}

static size_t count_entries(int dirfd) {
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fdopendir(fd);
        struct dirent *de;
        size_t n = 0;
        assert_non_null(d);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        n++;
        closedir(d);
        return n;
}

static void test_write_replace_mode(void **state) {
        char dir[64], *buf = NULL;
        size_t n = 0;
        struct stat st;
        int dfd = make_dir(dir, sizeof dir);
        mode_t old = umask(077);
        (void)state;

        assert_int_equal(write_file_atomic_at(dfd, "oomlens.prom", "a 1\n", 4, 0644, 0), 0);
        assert_int_equal(read_file_bounded(dfd, "oomlens.prom", true, 100, &buf, &n), 0);
        assert_string_equal(buf, "a 1\n");
        free(buf);
        assert_int_equal(fstatat(dfd, "oomlens.prom", &st, 0), 0);
        assert_int_equal(st.st_mode & 07777, 0644); /* the umask 077 did not narrow it */

        assert_int_equal(write_file_atomic_at(dfd, "oomlens.prom", "b 22\n", 5, 0644, WRITE_FILE_SYNC), 0);
        assert_int_equal(read_file_bounded(dfd, "oomlens.prom", true, 100, &buf, &n), 0);
        assert_string_equal(buf, "b 22\n");
        free(buf);
        assert_int_equal(count_entries(dfd), 1); /* no temporary left */

        /* An empty file is a file. */
        assert_int_equal(write_file_atomic_at(dfd, "empty", NULL, 0, 0600, 0), 0);
        assert_int_equal(fstatat(dfd, "empty", &st, 0), 0);
        assert_int_equal(st.st_size, 0);
        umask(old);
        close(dfd);
        rm_dir(dir);
}

static void test_stale_temp_and_failure(void **state) {
        char dir[64];
        struct stat st;
        int dfd = make_dir(dir, sizeof dir);
        (void)state;

        /* A temporary left by a crash is replaced, not an obstacle. */
        int fd = openat(dfd, ".#x.prom.tmp", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(write_file_atomic_at(dfd, "x.prom", "1", 1, 0644, 0), 0);
        assert_int_equal(count_entries(dfd), 1);

        /* The rename fails (the target is a non-empty directory): the target stays, no temp. */
        assert_int_equal(mkdirat(dfd, "d.prom", 0755), 0);
        fd = openat(dfd, "d.prom/keep", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        close(fd);
        assert_true(write_file_atomic_at(dfd, "d.prom", "1", 1, 0644, 0) < 0);
        assert_int_equal(fstatat(dfd, "d.prom", &st, 0), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_int_equal(count_entries(dfd), 2);

        /* A symlinked temporary name is never followed (O_NOFOLLOW|O_EXCL after the unlink). */
        assert_int_equal(symlinkat("/etc/passwd", dfd, ".#y.prom.tmp"), 0);
        assert_int_equal(write_file_atomic_at(dfd, "y.prom", "1", 1, 0644, 0), 0);
        assert_int_equal(fstatat(dfd, "y.prom", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISREG(st.st_mode));

        /* Not a directory fd. */
        fd = openat(dfd, "x.prom", O_RDONLY | O_CLOEXEC);
        assert_true(write_file_atomic_at(fd, "z", "1", 1, 0644, 0) < 0);
        close(fd);
        close(dfd);
        rm_dir(dir);
}

static void test_bad_names(void **state) {
        (void)state;
        assert_int_equal(write_file_atomic_at(AT_FDCWD, "", "1", 1, 0644, 0), -EINVAL);
        assert_int_equal(write_file_atomic_at(AT_FDCWD, NULL, "1", 1, 0644, 0), -EINVAL);
        assert_int_equal(write_file_atomic_at(AT_FDCWD, "a/b", "1", 1, 0644, 0), -EINVAL);
        assert_int_equal(write_file_atomic_at(AT_FDCWD, "..", "1", 1, 0644, 0), -EINVAL);
        assert_int_equal(write_file_atomic_at(AT_FDCWD, "x", NULL, 1, 0644, 0), -EINVAL);
        char longname[300];
        memset(longname, 'n', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        assert_int_equal(write_file_atomic_at(AT_FDCWD, longname, "1", 1, 0644, 0), -ENAMETOOLONG);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_write_replace_mode),
                cmocka_unit_test(test_stale_temp_and_failure),
                cmocka_unit_test(test_bad_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
