/* SPDX-License-Identifier: MIT */
/* json_writer: the text must be byte for byte what json-c prints (JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE) for the same values, strings made valid UTF-8 by
 * utf8_sanitize() first: every reader of the spool and of `oomlens analyze --json` was written
 * against json-c's output. Random documents are built both ways and compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "json_writer.h"
#include "macro.h"

static const char *json_c_text(json_object *o) {
        return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static char *finish(struct json_writer *w) {
        char *s = NULL;

        assert_int_equal(json_writer_finish(w, &s), 0);
        assert_non_null(s);
        return s;
}

/* Bytes that exercise every escaping rule: controls, '"', '\\', '/', DEL, valid and invalid
 * UTF-8 (overlong, surrogate, truncated, above U+10FFFF), NUL. */
static size_t random_bytes(char *buf, size_t max) {
        static const unsigned char pool[] = { 0x00, 0x01, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1f, ' ', '"', '\\',
                                              '/', 'a', 'Z', '0', 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xc3, 0xa9, 0xe2,
                                              0x82, 0xac, 0xed, 0xa0, 0xf0, 0x9f, 0x98, 0xf4, 0x90, 0xf5, 0xff };
        size_t n = (size_t) rand() % max;

        for (size_t i = 0; i < n; i++)
                buf[i] = (char) pool[(size_t) rand() % sizeof(pool)];
        return n;
}

/* One random value of depth <= depth, written with both writers (o: the json-c value). */
static json_object *random_value(struct json_writer *w, const char *key, int depth);

static json_object *random_string(struct json_writer *w, const char *key) {
        char buf[40];
        _cleanup_free_ char *clean = NULL;
        size_t n = random_bytes(buf, sizeof(buf));

        assert_int_equal(utf8_sanitize(buf, n, &clean), 0);
        json_write_string(w, key, buf, n);
        return json_object_new_string(clean);
}

static json_object *random_int(struct json_writer *w, const char *key) {
        static const int64_t edge[] = { 0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, 1234567890123LL };
        int64_t v = rand() % 2 ? edge[(size_t) rand() % ELEMENTSOF(edge)] : (int64_t) rand() - RAND_MAX / 2;

        json_write_int(w, key, v);
        return json_object_new_int64(v);
}

static json_object *random_container(struct json_writer *w, const char *key, int depth) {
        bool array = rand() % 2;
        json_object *o = array ? json_object_new_array() : json_object_new_object();
        int n = rand() % 5;

        if (array)
                json_begin_array(w, key);
        else
                json_begin_object(w, key);
        for (int i = 0; i < n; i++) {
                char k[16];

                snprintf(k, sizeof(k), "k%d", i);
                if (array)
                        json_object_array_add(o, random_value(w, NULL, depth - 1));
                else
                        json_object_object_add(o, k, random_value(w, k, depth - 1));
        }
        if (array)
                json_end_array(w);
        else
                json_end_object(w);
        return o;
}

static json_object *random_value(struct json_writer *w, const char *key, int depth) {
        switch (rand() % (depth > 0 ? 5 : 4)) {
        case 0:
                json_write_null(w, key);
                return NULL;
        case 1: {
                bool b = rand() % 2;
                json_write_bool(w, key, b);
                return json_object_new_boolean(b);
        }
        case 2:
                return random_int(w, key);
        case 3:
                return random_string(w, key);
        default:
                return random_container(w, key, depth);
        }
}

static void test_same_as_json_c(void **state) {
        srand(1);
        for (int i = 0; i < 2000; i++) {
                struct json_writer w;
                _cleanup_free_ char *s = NULL;
                json_object *o;

                json_writer_init(&w);
                o = random_container(&w, NULL, 4);
                s = finish(&w);
                assert_string_equal(s, json_c_text(o));
                json_object_put(o);
        }
}

/* Keys are escaped like strings (json-c does too). */
static void test_keys_escaped(void **state) {
        srand(2);
        for (int i = 0; i < 500; i++) {
                struct json_writer w;
                _cleanup_free_ char *s = NULL, *clean = NULL;
                json_object *o = json_object_new_object();
                char key[40];
                size_t n = random_bytes(key, sizeof(key));

                assert_int_equal(utf8_sanitize(key, n, &clean), 0);
                json_object_object_add(o, clean, json_object_new_int64(i));
                json_writer_init(&w);
                json_begin_object(&w, NULL);
                json_write_key(&w, key, n);
                json_write_int(&w, NULL, i);
                json_end_object(&w);
                s = finish(&w);
                assert_string_equal(s, json_c_text(o));
                json_object_put(o);
        }
}

static void test_rewind(void **state) {
        struct json_writer w;
        _cleanup_free_ char *s = NULL;
        struct json_writer_mark m;

        json_writer_init(&w);
        json_begin_object(&w, NULL);
        m = json_writer_mark(&w);
        json_write_int(&w, "a", 1);
        json_writer_rewind(&w, m); /* the first member gone: no comma before the next */
        json_write_int(&w, "b", 2);
        m = json_writer_mark(&w);
        json_write_key(&w, "c", 1);
        json_writer_rewind(&w, m);
        json_write_bool(&w, "d", false);
        json_end_object(&w);
        s = finish(&w);
        assert_string_equal(s, "{\"b\":2,\"d\":false}");
}

static void test_empty_and_null_input(void **state) {
        struct json_writer w;
        _cleanup_free_ char *s = NULL;

        json_writer_init(&w);
        json_begin_array(&w, NULL);
        json_write_string(&w, NULL, NULL, 0);
        json_begin_object(&w, NULL);
        json_end_object(&w);
        json_begin_array(&w, NULL);
        json_end_array(&w);
        json_end_array(&w);
        s = finish(&w);
        assert_string_equal(s, "[\"\",{},[]]");
}

/* One byte to escape (or sanitise) at every position of a plain string: the writer skips
 * plain bytes eight at a time. */
static void test_special_byte_everywhere(void **state) {
        static const unsigned char specials[] = { 0x00, 0x01, 0x1f, '"', '\\', 0x7f, 0x80, 0xc3, 0xff, ' ', '~' };

        for (size_t c = 0; c < sizeof(specials); c++)
                for (size_t k = 0; k < 24; k++) {
                        struct json_writer w;
                        _cleanup_free_ char *s = NULL, *clean = NULL;
                        char in[24];
                        json_object *o;

                        memset(in, 'a', sizeof(in));
                        in[k] = (char) specials[c];
                        assert_int_equal(utf8_sanitize(in, sizeof(in), &clean), 0);
                        o = json_object_new_string(clean);
                        json_writer_init(&w);
                        json_write_string(&w, NULL, in, sizeof(in));
                        s = finish(&w);
                        assert_string_equal(s, json_c_text(o));
                        json_object_put(o);
                }
}

/* A long string crosses the buffer's growth steps. */
static void test_long_string(void **state) {
        struct json_writer w;
        _cleanup_free_ char *s = NULL, *in = malloc(100000);
        json_object *o;

        assert_non_null(in);
        memset(in, 'x', 100000);
        in[5] = '\n';
        json_writer_init(&w);
        json_write_string(&w, NULL, in, 100000);
        s = finish(&w);
        o = json_object_new_string_len(in, 100000);
        assert_string_equal(s, json_c_text(o));
        json_object_put(o);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_same_as_json_c),
                cmocka_unit_test(test_keys_escaped),
                cmocka_unit_test(test_rewind),
                cmocka_unit_test(test_empty_and_null_input),
                cmocka_unit_test(test_special_byte_everywhere),
                cmocka_unit_test(test_long_string),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
