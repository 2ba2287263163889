/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg_state.h"

static void test_roundtrip(void **state) {
        struct kmsg_state s, t;
        char buf[16384];
        size_t len;
        kmsg_state_init(&s, "0123456789abcdef0123456789abcdef");
        s.next_seq = 18446744073709551615ULL;
        assert_int_equal(kmsg_state_add_journaled(&s, "a-1.json"), 0);
        assert_int_equal(kmsg_state_add_journaled(&s, "b-2.json"), 0);
        assert_int_equal(kmsg_state_add_journaled(&s, "a-1.json"), 0); /* no duplicate */
        assert_int_equal(s.n_journaled, 2);
        assert_int_equal(kmsg_state_format(&s, buf, sizeof buf, &len), 0);
        assert_int_equal(kmsg_state_parse(buf, len, &t), 0);
        assert_string_equal(t.boot_id, s.boot_id);
        assert_true(t.next_seq == s.next_seq);
        assert_int_equal(t.n_journaled, 2);
        assert_string_equal(t.journaled[1], "b-2.json");
        assert_true(kmsg_state_remove_journaled(&t, "a-1.json"));
        assert_false(kmsg_state_is_journaled(&t, "a-1.json"));
        assert_true(kmsg_state_is_journaled(&t, "b-2.json"));
        assert_int_equal(kmsg_state_format(&s, buf, 40, &len), -ENOBUFS);
}

static void test_parse_rejects(void **state) {
        struct kmsg_state t;
        const char *bad[] = {
                "BOOT_ID=abc\n",                              /* no NEXT_SEQ */
                "NEXT_SEQ=1\n",                               /* no BOOT_ID */
                "BOOT_ID=abc\nNEXT_SEQ=-1\n",
                "BOOT_ID=abc\nNEXT_SEQ=99999999999999999999\n", /* overflow */
                "BOOT_ID=a/b\nNEXT_SEQ=1\n",
                "BOOT_ID=abc\nNEXT_SEQ=1x\n",
                "BOOT_ID=abc\nNEXT_SEQ=1\njunk\n",
                "BOOT_ID=abc\nNEXT_SEQ=1\nJOURNALED=../x\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                assert_int_equal(kmsg_state_parse(bad[i], strlen(bad[i]), &t), -EBADMSG);
        assert_int_equal(kmsg_state_parse("BOOT_ID=a\0\nNEXT_SEQ=1\n", 22, &t), -EBADMSG);
        const char *future = "BOOT_ID=abc\nNEXT_SEQ=5\nFUTURE=1\n";
        assert_int_equal(kmsg_state_parse(future, strlen(future), &t), 0);
        assert_int_equal(t.next_seq, 5);
}

static void test_save_load_atomic(void **state) {
        char dir[] = "/tmp/test_kmsg_state.XXXXXX";
        struct kmsg_state s, t;
        int fd;
        assert_non_null(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY);
        assert_int_equal(kmsg_state_load(fd, &t), -ENOENT);
        kmsg_state_init(&s, "boot1");
        s.next_seq = 42;
        assert_int_equal(kmsg_state_save(fd, &s), 0);
        s.next_seq = 43;
        assert_int_equal(kmsg_state_save(fd, &s), 0);
        assert_int_equal(kmsg_state_load(fd, &t), 0);
        assert_int_equal(t.next_seq, 43);
        assert_string_equal(t.boot_id, "boot1");
        assert_int_equal(faccessat(fd, ".#kmsg-state.tmp", F_OK, 0), -1);
        unlinkat(fd, KMSG_STATE_FILE, 0);
        close(fd);
        rmdir(dir);
}

/* prepare changes nothing a restart reads; commit is the switch; abort leaves the old state. */
static void test_prepare_commit_abort(void **state) {
        char dir[] = "/tmp/test_kmsg_state.XXXXXX";
        struct kmsg_state s, t;
        int fd;
        assert_non_null(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY);
        kmsg_state_init(&s, "boot1");
        s.next_seq = 7;
        assert_int_equal(kmsg_state_save(fd, &s), 0);
        s.next_seq = 8;
        assert_int_equal(kmsg_state_add_journaled(&s, "x.json"), 0);
        assert_int_equal(kmsg_state_prepare(fd, &s, true), 0);
        assert_int_equal(kmsg_state_load(fd, &t), 0);
        assert_int_equal(t.next_seq, 7);
        assert_false(kmsg_state_is_journaled(&t, "x.json"));
        assert_int_equal(kmsg_state_commit(fd, false), 0);
        assert_int_equal(kmsg_state_load(fd, &t), 0);
        assert_int_equal(t.next_seq, 8);
        assert_true(kmsg_state_is_journaled(&t, "x.json"));
        s.next_seq = 9;
        assert_int_equal(kmsg_state_prepare(fd, &s, false), 0);
        kmsg_state_abort(fd);
        assert_int_equal(faccessat(fd, ".#kmsg-state.tmp", F_OK, 0), -1);
        assert_int_equal(kmsg_state_load(fd, &t), 0);
        assert_int_equal(t.next_seq, 8);
        /* commit without a prepared temp fails and changes nothing */
        assert_int_equal(kmsg_state_commit(fd, true), -ENOENT);
        assert_int_equal(kmsg_state_load(fd, &t), 0);
        assert_int_equal(t.next_seq, 8);
        unlinkat(fd, KMSG_STATE_FILE, 0);
        close(fd);
        rmdir(dir);
}

static void test_boot_ids(void **state) {
        char a[KMSG_STATE_BOOT_ID_MAX], b[KMSG_STATE_BOOT_ID_MAX];
        kmsg_state_boot_id_for_stream("/tmp/x.kmsg", a);
        kmsg_state_boot_id_for_stream("/tmp/y.kmsg", b);
        assert_int_equal(strncmp(a, "stream-", 7), 0);
        assert_int_equal(strlen(a), 7 + 16);
        assert_string_not_equal(a, b);
        kmsg_state_boot_id_for_stream("/tmp/x.kmsg", b);
        assert_string_equal(a, b);
        if (kmsg_state_read_boot_id(a) == 0)
                assert_int_equal(strlen(a), 32);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_roundtrip),
                cmocka_unit_test(test_parse_rejects),
                cmocka_unit_test(test_save_load_atomic),
                cmocka_unit_test(test_prepare_commit_abort),
                cmocka_unit_test(test_boot_ids),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
