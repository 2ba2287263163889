/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool_writer.h"

struct fixture {
        char dir[64];
        char spool[96];
        int fd;
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof *f);
        snprintf(f->dir, sizeof f->dir, "/tmp/test_spool.XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        snprintf(f->spool, sizeof f->spool, "%s/spool", f->dir);
        if (spool_writer_open(f->spool, &f->fd) < 0)
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

static size_t count_entries(int fd, bool temp_only) {
        DIR *d = fdopendir(dup(fd));
        struct dirent *de;
        size_t n = 0;
        rewinddir(d);
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' || (temp_only && strncmp(de->d_name, ".#", 2) == 0))
                        if (!temp_only || strncmp(de->d_name, ".#", 2) == 0)
                                n++;
        closedir(d);
        return n;
}

static void test_publish_modes_and_content(void **state) {
        struct fixture *f = *state;
        struct stat st;
        char *data = NULL;
        size_t len;

        assert_int_equal(stat(f->spool, &st), 0);
        assert_int_equal(st.st_mode & 07777, SPOOL_DIR_MODE);
        umask(0);
        assert_int_equal(spool_publish(f->fd, "a.json", "{\"x\":1}\n", 8), 0);
        umask(022);
        assert_int_equal(fstatat(f->fd, "a.json", &st, 0), 0);
        assert_int_equal(st.st_mode & 07777, SPOOL_FILE_MODE);
        assert_int_equal(st.st_size, 8);
        assert_int_equal(spool_read(f->fd, "a.json", 1024, &data, &len), 0);
        assert_string_equal(data, "{\"x\":1}\n");
        free(data);
        assert_int_equal(spool_publish(f->fd, "a.json", "y", 1), -EEXIST);
        assert_int_equal(spool_read(f->fd, "a.json", 4, &data, &len), -EFBIG);
        assert_int_equal(spool_publish(f->fd, "../evil.json", "y", 1), -EINVAL);
        assert_int_equal(count_entries(f->fd, true), 0);
}

static void test_no_symlink_followed(void **state) {
        struct fixture *f = *state;
        char link[160], target[160];
        int fd;
        snprintf(target, sizeof target, "%s/elsewhere", f->dir);
        snprintf(link, sizeof link, "%s/linked", f->dir);
        assert_int_equal(mkdir(target, 0755), 0);
        assert_int_equal(symlink(target, link), 0);
        assert_int_equal(spool_writer_open(link, &fd), -ELOOP);
        /* A symlink planted as a report name is not followed by read. */
        assert_int_equal(symlinkat("/etc/passwd", f->fd, "p.json"), 0);
        char *data = NULL;
        size_t len;
        assert_int_equal(spool_read(f->fd, "p.json", 1 << 20, &data, &len), -ELOOP);
        /* Nor by write: the name is taken by something that is not a file. */
        assert_int_equal(spool_publish(f->fd, "p.json", "x", 1), -EBUSY);
        assert_int_equal(mkdirat(f->fd, "d.json", 0700), 0);
        assert_int_equal(spool_publish(f->fd, "d.json", "x", 1), -EBUSY);
        assert_int_equal(count_entries(f->fd, true), 0);
}

static void test_names(void **state) {
        char n[SPOOL_NAME_MAX], v[SPOOL_NAME_MAX];
        /* 2026-01-02 03:04:05 UTC */
        assert_int_equal(spool_format_name(1767323045, 0, "76af3e31", 1078921, n, sizeof n), 0);
        assert_string_equal(n, "20260102T030405Z-76af3e31-000001078921.json");
        assert_true(spool_name_is_ours(n));
        assert_int_equal(spool_name_variant(n, 3, v, sizeof v), 0);
        assert_string_equal(v, "20260102T030405Z.3-76af3e31-000001078921.json");
        assert_true(spool_name_is_ours(v));
        assert_int_equal(spool_name_variant(v, 0, n, sizeof n), 0);
        assert_string_equal(n, "20260102T030405Z-76af3e31-000001078921.json");
        /* boot tags with dashes (a --boot-id such as "a-b"), seqs beyond 12 digits */
        assert_int_equal(spool_format_name(0, 0, "a-b", 1234567890123456LL, n, sizeof n), 0);
        assert_string_equal(n, "19700101T000000Z-a-b-1234567890123456.json");
        assert_true(spool_name_is_ours(n));
        char tag[SPOOL_BOOT_TAG_MAX + 1];
        int64_t seq = 0;
        assert_int_equal(spool_name_key(n, tag, &seq), 0);
        assert_string_equal(tag, "a-b");
        assert_int_equal(seq, 1234567890123456LL);
        assert_int_equal(spool_name_key(v, tag, &seq), 0);
        assert_string_equal(tag, "76af3e31");
        assert_int_equal(seq, 1078921);
        assert_int_equal(spool_name_key("notes.json", tag, &seq), -EINVAL);
        assert_int_equal(spool_format_name(INT64_MAX / 1000000, 0, "x", 1, n, sizeof n), 0);
        assert_string_equal(n, "00000000T000000Z-x-000000000001.json");
        assert_int_equal(spool_format_name(0, 10, "x", 1, n, sizeof n), -EINVAL);
        assert_int_equal(spool_format_name(0, 0, "", 1, n, sizeof n), -EINVAL);
        static const char *const foreign[] = {
                "notes.json", "0000-foreign.json", "20260102T030405Z-76af3e31-000001078921.json.bak",
                "20260102T030405Z-76af3e31-1078921.json", "20260102T030405Z--000001078921.json",
                "20260102T030405Z-toolongtag-000001078921.json", "20260102T030405Z.0-x-000001078921.json",
                "2026010XT030405Z-x-000001078921.json", ".#20260102T030405Z-x-000001078921.json.1",
                "20260102T030405Z-x-000001078921.JSON",
        };
        for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
                assert_false(spool_name_is_ours(foreign[i]));
                assert_int_equal(spool_name_variant(foreign[i], 1, v, sizeof v), -EINVAL);
        }
}

static void test_vacuum_leaves_foreign_files(void **state) {
        struct fixture *f = *state;
        struct spool_limits l = { .max_files = 1 };
        struct spool_vacuum_result res;
        static const char *const foreign[] = { "0000-foreign.json", "notes.json", "README" };
        char name[SPOOL_NAME_MAX];
        for (size_t i = 0; i < 2; i++)
                assert_int_equal(spool_publish(f->fd, foreign[i], "x", 1), 0);
        int t = openat(f->fd, foreign[2], O_CREAT | O_WRONLY, 0600);
        assert_true(t >= 0);
        close(t);
        for (int i = 0; i < 3; i++) {
                assert_int_equal(spool_format_name(1767323045 + i, 0, "boot", 100 + i, name, sizeof name), 0);
                assert_int_equal(spool_publish(f->fd, name, "x", 1), 0);
        }
        assert_int_equal(spool_vacuum(f->fd, &l, NULL, &res), 0);
        assert_int_equal(res.removed, 2);
        assert_int_equal(res.kept, 1);
        assert_true(spool_exists(f->fd, name));
        for (size_t i = 0; i < 3; i++)
                assert_true(spool_exists(f->fd, foreign[i]));
}

static void test_list_sorted_and_skips_temp(void **state) {
        struct fixture *f = *state;
        struct spool_entry *v = NULL;
        size_t n = 0;
        assert_int_equal(spool_publish(f->fd, "20260102-b.json", "2", 1), 0);
        assert_int_equal(spool_publish(f->fd, "20260101-a.json", "1", 1), 0);
        assert_int_equal(spool_publish(f->fd, "20260103-c.json", "3", 1), 0);
        int t = openat(f->fd, ".#20260104-d.json.1234", O_CREAT | O_WRONLY, 0600);
        assert_true(t >= 0);
        close(t);
        assert_int_equal(spool_list(f->fd, &v, &n), 0);
        assert_int_equal(n, 3);
        assert_string_equal(v[0].name, "20260101-a.json");
        assert_string_equal(v[2].name, "20260103-c.json");
        free(v);
        assert_int_equal(spool_remove_stale_temp(f->fd), 1);
        assert_int_equal(count_entries(f->fd, true), 0);
}

static void test_vacuum_count_and_keep(void **state) {
        struct fixture *f = *state;
        struct spool_limits l = { .max_files = 2 };
        struct spool_vacuum_result res;
        char name[5][SPOOL_NAME_MAX];
        for (int i = 0; i < 5; i++) {
                assert_int_equal(spool_format_name(1767225600 + i, 0, "b", 10 + i, name[i], sizeof name[i]), 0);
                assert_int_equal(spool_publish(f->fd, name[i], "x", 1), 0);
        }
        /* Keep the oldest (as if it were the file just written): the next oldest go instead. */
        assert_int_equal(spool_vacuum(f->fd, &l, name[0], &res), 0);
        assert_int_equal(res.removed, 3);
        assert_int_equal(res.kept, 2);
        assert_true(spool_exists(f->fd, name[0]));
        assert_true(spool_exists(f->fd, name[4]));
        assert_false(spool_exists(f->fd, name[1]));
}

static void test_vacuum_bytes(void **state) {
        struct fixture *f = *state;
        struct spool_vacuum_result res;
        char name[4][SPOOL_NAME_MAX], big[10000];
        memset(big, 'x', sizeof big);
        for (int i = 0; i < 4; i++) {
                assert_int_equal(spool_format_name(1767312000 + i, 0, "b", 20 + i, name[i], sizeof name[i]), 0);
                assert_int_equal(spool_publish(f->fd, name[i], big, sizeof big), 0);
        }
        struct spool_entry *v = NULL;
        size_t n;
        assert_int_equal(spool_list(f->fd, &v, &n), 0);
        uint64_t per = v[0].disk_bytes;
        free(v);
        assert_true(per >= sizeof big);
        struct spool_limits l = { .max_use_bytes = per * 2 };
        assert_int_equal(spool_vacuum(f->fd, &l, NULL, &res), 0);
        assert_int_equal(res.removed, 2);
        assert_true(res.used_bytes <= per * 2);
        assert_true(spool_exists(f->fd, name[3]));
        /* KeepFree larger than any disk: everything but the kept file goes. */
        struct spool_limits l2 = { .keep_free_bytes = UINT64_MAX / 2 };
        assert_int_equal(spool_vacuum(f->fd, &l2, name[3], &res), 0);
        assert_int_equal(res.kept, 1);
        assert_true(spool_exists(f->fd, name[3]));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_publish_modes_and_content, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_symlink_followed, setup, teardown),
                cmocka_unit_test_setup_teardown(test_list_sorted_and_skips_temp, setup, teardown),
                cmocka_unit_test_setup_teardown(test_vacuum_count_and_keep, setup, teardown),
                cmocka_unit_test_setup_teardown(test_vacuum_bytes, setup, teardown),
                cmocka_unit_test(test_names),
                cmocka_unit_test_setup_teardown(test_vacuum_leaves_foreign_files, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
