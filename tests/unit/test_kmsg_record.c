/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmsg_record.h"

/* A record as 5.10 GKI printed it (046), with the printk caller id. */
static void test_parse_gki_record(void **state) {
        const char *rec = "6,19685387,241227987624,-,caller=T12845;Tasks state (memory values in pages):\n";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(rec, strlen(rec), &r), 0);
        assert_int_equal(r.priority, 6);
        assert_int_equal(r.level, 6);
        assert_int_equal(r.facility, 0);
        assert_true(r.seq == 19685387);
        assert_true(r.ts_usec == 241227987624ULL);
        assert_int_equal(r.flag, '-');
        assert_string_equal(r.caller, "T12845");
        assert_string_equal(r.text, "Tasks state (memory values in pages):");
        assert_int_equal(r.text_len, strlen("Tasks state (memory values in pages):"));
        assert_null(r.dict);
        kmsg_record_done(&r);
        assert_null(r.text);
}

/* The Mem-Info block is one record with "\x0a" between its lines (046). */
static void test_escapes(void **state) {
        const char *rec = "4,19685370,241227987540,-,caller=T12845;active_anon:174140 inactive_anon:569656 "
                          "isolated_anon:32\\x0a active_file:115388\\x0a back\\x5cslash \\xe4\\xb8\\xad "
                          "nul\\x00 bad\\xZZ tail\\x4";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(rec, strlen(rec), &r), 0);
        assert_string_equal(r.text, "active_anon:174140 inactive_anon:569656 isolated_anon:32\n active_file:115388\n"
                                    " back\\slash \xe4\xb8\xad nul\\x00 bad\\xZZ tail\\x4");
        assert_int_equal(r.text_len, strlen(r.text));
        kmsg_record_done(&r);
}

static void test_dictionary(void **state) {
        const char *rec = "6,339,5140900,-;usb 1-1: new high-speed USB device\n SUBSYSTEM=usb\n DEVICE=c189:1\n";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(rec, strlen(rec), &r), 0);
        assert_string_equal(r.text, "usb 1-1: new high-speed USB device");
        assert_non_null(r.dict);
        assert_string_equal(r.dict, "SUBSYSTEM=usb\nDEVICE=c189:1");
        kmsg_record_done(&r);
}

static void test_flags_and_unknown_fields(void **state) {
        const char *c = "4,100,200,c,foo=bar,caller=C3,later=1;Node 0 ";
        const char *p = "4,101,201,+;DMA free:1kB";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(c, strlen(c), &r), 0);
        assert_int_equal(r.flag, 'c');
        assert_string_equal(r.caller, "C3");
        assert_string_equal(r.text, "Node 0 ");
        kmsg_record_done(&r);

        assert_int_equal(kmsg_record_parse(p, strlen(p), &r), 0);
        assert_int_equal(r.flag, '+');
        assert_string_equal(r.caller, "");
        kmsg_record_done(&r);

        /* a malformed caller is ignored, not copied */
        c = "4,100,200,-,caller=X12;x";
        assert_int_equal(kmsg_record_parse(c, strlen(c), &r), 0);
        assert_string_equal(r.caller, "");
        kmsg_record_done(&r);
}

/* User space writes via /dev/kmsg can never get facility 0 (kernel-facts 1.7). */
static void test_facility(void **state) {
        const char *rec = "30,5,6,-;systemd[1]: Started foo.";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(rec, strlen(rec), &r), 0);
        assert_int_equal(r.facility, 3);
        assert_int_equal(r.level, 6);
        kmsg_record_done(&r);
}

static void test_ranges(void **state) {
        static const char *const bad[] = {
                "",
                ";text",
                "4,1,2;text",              /* no flags */
                "4,1,2,-text",             /* no ';' */
                "1024,1,2,-;prio too big", /* prio is 0..1023 */
                "-4,1,2,-;negative",
                "4,18446744073709551616,2,-;seq overflows u64",
                "4,1,18446744073709551616,-;ts overflows u64",
                "4,1,2,x;bad flag",
                "4,,2,-;empty seq",
                "4 ,1,2,-;space",
                "Nov 25 19:08:54 host kernel: text",
                "[  118.364824] text",
        };
        const char *ok = "1023,18446744073709551615,18446744073709551615,-;max";
        struct kmsg_record r = { .priority = 77, .text = NULL };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(kmsg_record_parse(bad[i], strlen(bad[i]), &r), -EINVAL);
                assert_false(kmsg_record_looks_like(bad[i], strlen(bad[i])));
                assert_int_equal(r.priority, 77); /* untouched on failure */
        }
        assert_true(kmsg_record_looks_like(ok, strlen(ok)));
        assert_int_equal(kmsg_record_parse(ok, strlen(ok), &r), 0);
        assert_int_equal(r.priority, 1023);
        assert_int_equal(r.facility, 127);
        assert_true(r.seq == UINT64_MAX);
        assert_true(r.ts_usec == UINT64_MAX);
        kmsg_record_done(&r);
        assert_int_equal(kmsg_record_parse(NULL, 0, &r), -EINVAL);
        /* the header parser and the cheap test on their own: no arithmetic on NULL either */
        assert_int_equal(kmsg_record_parse_header(NULL, 0, &r), -EINVAL);
        assert_false(kmsg_record_looks_like(NULL, 0));
}

/* The length is authoritative: bytes after len are never read, NUL bytes are no terminator. */
static void test_length_bound_and_nul(void **state) {
        const char rec[] = "4,1,2,-;ab\0cd\n";
        struct kmsg_record r = {};

        assert_int_equal(kmsg_record_parse(rec, sizeof(rec) - 1, &r), 0);
        assert_int_equal(r.text_len, 5);
        assert_memory_equal(r.text, "ab cd", 5);
        kmsg_record_done(&r);

        assert_int_equal(kmsg_record_parse(rec, 9, &r), 0); /* "4,1,2,-;a" */
        assert_string_equal(r.text, "a");
        kmsg_record_done(&r);
        assert_int_equal(kmsg_record_parse(rec, 7, &r), -EINVAL); /* cut before ';' */
}

static void test_unescape(void **state) {
        char out[64];
        size_t n = kmsg_unescape("a\\x0ab\\x41\\x", 12, out);

        assert_int_equal(n, 6);
        assert_memory_equal(out, "a\nbA\\x", 6);
}

static void test_random_bytes(void **state) {
        unsigned seed = 12345;
        char buf[256];

        for (int iter = 0; iter < 20000; iter++) {
                size_t n = (size_t) (rand_r(&seed) % sizeof(buf));
                struct kmsg_record r = {};
                for (size_t i = 0; i < n; i++) {
                        /* bias towards header-like bytes so the parser gets deep */
                        static const char alphabet[] = "0123456789,;-c+\\x\n =Ta";
                        buf[i] = (rand_r(&seed) & 1) ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
                                                     : (char) rand_r(&seed);
                }
                if (kmsg_record_parse(buf, n, &r) == 0) {
                        assert_non_null(r.text);
                        assert_int_equal(strlen(r.text), r.text_len);
                        assert_true(r.priority >= 0 && r.priority <= 1023);
                        kmsg_record_done(&r);
                }
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_gki_record),
                cmocka_unit_test(test_escapes),
                cmocka_unit_test(test_dictionary),
                cmocka_unit_test(test_flags_and_unknown_fields),
                cmocka_unit_test(test_facility),
                cmocka_unit_test(test_ranges),
                cmocka_unit_test(test_length_bound_and_nul),
                cmocka_unit_test(test_unescape),
                cmocka_unit_test(test_random_bytes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
