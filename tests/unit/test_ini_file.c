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
#include <sys/stat.h>
#include <unistd.h>

#include "ini_file.h"

/* Records what the parser hands the handler: "[S]" for headers, "S/K=V@line" for assignments. */
struct record {
        char log[4096];
        const char *refuse_key; /* the handler refuses this key with -EINVAL */
        int other_error;        /* ... or returns this for any key */
};

static int on_item(const char *section, const char *key, const char *value, unsigned line,
                   struct ini_error *err, void *userdata) {
        struct record *r = userdata;
        size_t l = strlen(r->log);

        if (!key) {
                snprintf(r->log + l, sizeof r->log - l, "[%s]", section);
                return 0;
        }
        if (r->other_error)
                return r->other_error;
        if (r->refuse_key && strcmp(key, r->refuse_key) == 0)
                return ini_error_set(err, line, "refused %s=%s", key, value);
        snprintf(r->log + l, sizeof r->log - l, "%s/%s=%s@%u;", section, key, value, line);
        return 0;
}

static int parse(const char *text, struct record *r, struct ini_error *err) {
        memset(r->log, 0, sizeof r->log);
        return ini_parse_buffer("t.conf", text, strlen(text), on_item, r, err);
}

static void test_syntax(void **state) {
        struct record r = {};
        struct ini_error err;

        assert_int_equal(parse("# c\n; c\n\n  [A]  \n k = v w \nx=\n[B]\ny==z\r\n", &r, &err), 0);
        assert_string_equal(r.log, "[A]A/k=v w@5;A/x=@6;[B]B/y==z@8;");
        assert_string_equal(err.file, "t.conf");
        /* the last line without a newline counts */
        assert_int_equal(parse("[S]\nk=1", &r, &err), 0);
        assert_string_equal(r.log, "[S]S/k=1@2;");
        /* the section name is the handler's to judge, however long */
        char big[3000] = "[";
        memset(big + 1, 'x', 2000);
        strcat(big, "]\n");
        assert_int_equal(parse(big, &r, &err), 0);
        assert_int_equal(strlen(r.log), 2002);
}

static void test_errors(void **state) {
        struct record r = {};
        struct ini_error err;
        char *longline;

        assert_int_equal(parse("k=v\n", &r, &err), -EINVAL);
        assert_int_equal(err.line, 1);
        assert_non_null(strstr(err.reason, "outside of any section"));
        assert_int_equal(parse("[S]\n\njunk\n", &r, &err), -EINVAL);
        assert_int_equal(err.line, 3);
        assert_non_null(strstr(err.reason, "expected Key=value"));
        assert_int_equal(parse("[S\n", &r, &err), -EINVAL);
        assert_non_null(strstr(err.reason, "malformed section"));
        assert_int_equal(parse("[]\n", &r, &err), -EINVAL);
        assert_int_equal(parse("[S]\n=v\n", &r, &err), -EINVAL);
        assert_non_null(strstr(err.reason, "without a key"));
        assert_int_equal(ini_parse_buffer("t.conf", "[S]\nk=a\0b\n", 10, on_item, &r, &err), -EINVAL);
        assert_non_null(strstr(err.reason, "NUL"));
        longline = malloc(INI_LINE_MAX + 16);
        assert_non_null(longline);
        memset(longline, 'a', INI_LINE_MAX + 10);
        memcpy(longline, "[S]\nk=", 6);
        longline[INI_LINE_MAX + 10] = '\0';
        assert_int_equal(parse(longline, &r, &err), -EINVAL);
        assert_non_null(strstr(err.reason, "too long"));
        free(longline);

        /* the handler's refusal: its reason, the parser's file and line */
        r.refuse_key = "bad";
        assert_int_equal(parse("[S]\nok=1\nbad=2\n", &r, &err), -EINVAL);
        assert_string_equal(err.file, "t.conf");
        assert_int_equal(err.line, 3);
        assert_string_equal(err.reason, "refused bad=2");
        r.refuse_key = NULL;
        /* other errors are passed on as they are */
        r.other_error = -ENOMEM;
        assert_int_equal(parse("[S]\nk=1\n", &r, &err), -ENOMEM);
}

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void test_load_dropins(void **state) {
        char dir[] = "/tmp/test_ini_file.XXXXXX", path[256], d[300], p[400];
        struct record r = {};
        struct ini_error err;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/main.conf", dir);
        /* missing main file: fine unless it must exist */
        assert_int_equal(ini_load(path, false, on_item, &r, &err), 0);
        assert_string_equal(r.log, "");
        assert_int_equal(ini_load(path, true, on_item, &r, &err), -ENOENT);
        assert_string_equal(err.file, path);
        assert_int_equal(err.line, 0);

        write_file(path, "[S]\nk=main\n");
        snprintf(d, sizeof d, "%s.d", path);
        assert_int_equal(mkdir(d, 0755), 0);
        snprintf(p, sizeof p, "%s/20-b.conf", d);
        write_file(p, "[S]\nk=b\n");
        snprintf(p, sizeof p, "%s/10-a.conf", d);
        write_file(p, "[S]\nk=a\n");
        snprintf(p, sizeof p, "%s/.hidden.conf", d);
        write_file(p, "[S]\nk=hidden\n");
        snprintf(p, sizeof p, "%s/notes.txt", d);
        write_file(p, "not ini\n");
        memset(r.log, 0, sizeof r.log);
        assert_int_equal(ini_load(path, true, on_item, &r, &err), 0);
        /* main, then drop-ins in name order; dot files and other suffixes ignored */
        assert_string_equal(r.log, "[S]S/k=main@2;[S]S/k=a@2;[S]S/k=b@2;");

        /* an error in a drop-in names the drop-in */
        snprintf(p, sizeof p, "%s/30-bad.conf", d);
        write_file(p, "[S]\nno equals sign\n");
        assert_int_equal(ini_load(path, true, on_item, &r, &err), -EINVAL);
        assert_non_null(strstr(err.file, "30-bad.conf"));
        assert_int_equal(err.line, 2);
        unlink(p);

        /* an unreadable drop-in (a directory named *.conf) is an I/O error naming it */
        snprintf(p, sizeof p, "%s/40-dir.conf", d);
        assert_int_equal(mkdir(p, 0755), 0);
        assert_int_equal(ini_load(path, true, on_item, &r, &err), -EISDIR);
        assert_non_null(strstr(err.file, "40-dir.conf"));
        assert_int_equal(err.line, 0);
        rmdir(p);

        /* a file over the size limit */
        {
                int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
                assert_true(fd >= 0);
                assert_int_equal(ftruncate(fd, INI_FILE_MAX + 1), 0);
                close(fd);
                assert_int_equal(ini_load(path, true, on_item, &r, &err), -EFBIG);
                assert_string_equal(err.file, path);
        }

        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_syntax),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_load_dropins),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
