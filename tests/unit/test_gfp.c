/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gfp.h"
#include "report.h"

static bool has_flag(const struct gfp_decoded *d, const char *name) {
        for (size_t i = 0; i < d->n_flags; i++)
                if (strcmp(d->flags[i], name) == 0)
                        return true;
        return false;
}

/* "A|B|C" compared as a set (the kernel changed the print order in 6.15-6.18). */
static bool same_name_set(const char *a, const char *b) {
        char x[512], y[512], *tx[64], *ty[64], *s;
        size_t nx = 0, ny = 0;

        if (strlen(a) >= sizeof(x) || strlen(b) >= sizeof(y))
                return false;
        strcpy(x, a);
        strcpy(y, b);
        for (char *t = strtok_r(x, "|", &s); t && nx < 64; t = strtok_r(NULL, "|", &s))
                tx[nx++] = t;
        for (char *t = strtok_r(y, "|", &s); t && ny < 64; t = strtok_r(NULL, "|", &s))
                ty[ny++] = t;
        if (nx != ny)
                return false;
        for (size_t i = 0; i < nx; i++) {
                bool found = false;
                for (size_t j = 0; j < ny; j++)
                        if (ty[j] && strcmp(tx[i], ty[j]) == 0) {
                                ty[j] = NULL;
                                found = true;
                                break;
                        }
                if (!found)
                        return false;
        }
        return true;
}

static void decode(uint64_t mask, int64_t kv, const char *names, struct gfp_decoded *d) {
        assert_int_equal(gfp_decode(mask, kv, names, d), 0);
}

/* The seed: 3.14 arm, gfp_mask=0x800d0 (§2.6). */
static void test_seed_3_14_temporary(void **state) {
        struct gfp_decoded d;

        decode(0x800d0, KV(3, 14, 31), NULL, &d);
        assert_string_equal(d.layout, "3.8-3.14");
        assert_string_equal(d.composite, "GFP_TEMPORARY");
        assert_int_equal(d.n_flags, 4);
        assert_string_equal(d.flags[0], "__GFP_WAIT");
        assert_string_equal(d.flags[1], "__GFP_IO");
        assert_string_equal(d.flags[2], "__GFP_FS");
        assert_string_equal(d.flags[3], "__GFP_RECLAIMABLE");
        assert_false(has_flag(&d, "__GFP_HIGH"));
        assert_false(d.high);
        assert_true(d.reclaimable);
        assert_int_equal(d.migratetype, MT_RECLAIMABLE);
        assert_string_equal(d.migratetype_name, "Reclaimable");
        assert_string_equal(gfp_highest_zone_name(&d), "Normal");
        assert_int_equal(d.zone, GFP_ZONE_NORMAL);
        assert_false(d.may_use_cma);
        assert_true(d.can_direct_reclaim);
        assert_int_equal(d.wmark_adjust, WMARK_ADJ_NONE);
        assert_int_equal(d.unknown_bits, 0);
        assert_false(d.ambiguous);
}

static void test_5_x_kernel_and_highuser_movable(void **state) {
        struct gfp_decoded d;

        decode(0xcc0, KV(5, 10, 168), "GFP_KERNEL", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.layout, "5.1-5.13");
        assert_string_equal(d.composite, "GFP_KERNEL");
        assert_true(has_flag(&d, "__GFP_DIRECT_RECLAIM") && has_flag(&d, "__GFP_KSWAPD_RECLAIM"));
        assert_int_equal(d.n_flags, 4);
        assert_int_equal(d.migratetype, MT_UNMOVABLE);
        assert_int_equal(d.zone, GFP_ZONE_NORMAL);

        decode(0x100cca, KV(5, 2, 0), "GFP_HIGHUSER_MOVABLE", &d);
        assert_true(d.names_matched);
        assert_string_equal(gfp_highest_zone_name(&d), "Movable");
        assert_int_equal(d.migratetype, MT_MOVABLE);
        assert_string_equal(d.migratetype_name, "Movable");
        assert_true(d.may_use_cma);
        assert_true(d.hardwall && d.highmem && d.movable);
}

static void test_4_x_layouts(void **state) {
        struct gfp_decoded d;

        decode(0x6200ca, KV(4, 18, 0), "GFP_HIGHUSER_MOVABLE", &d);
        assert_string_equal(d.layout, "4.18-5.0");
        assert_true(d.names_matched);
        assert_int_equal(d.zone, GFP_ZONE_MOVABLE);

        /* 4.4 prints hex only: the version picks the layout */
        decode(0x24201ca, KV(4, 4, 155), NULL, &d);
        assert_string_equal(d.layout, "4.4");
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_COLD");
        assert_true(has_flag(&d, "__GFP_COLD"));
        assert_int_equal(d.migratetype, MT_MOVABLE);

        /* corpus 007: "4.14- or 4.19-based" Android kernel. 0x480020 is GFP_ATOMIC only in the
         * 4.18-5.0 layout (4.14's is 0x1080020), so the printed names pick 4.18-5.0 even when
         * the caller believes 4.14. */
        decode(0x480020, KV(4, 14, 113), "GFP_ATOMIC", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.layout, "4.18-5.0");
        decode(0x1080020, KV(4, 14, 113), "GFP_ATOMIC", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.layout, "4.13-4.14");
        assert_true(d.atomic && d.high && !d.can_direct_reclaim);
        assert_int_equal(d.wmark_adjust, WMARK_ADJ_ATOMIC);
        assert_string_equal(gfp_wmark_adjust_name(d.wmark_adjust), "atomic");

        decode(0x342004a, KV(4, 9, 0), "GFP_NOFS|__GFP_HIGHMEM|__GFP_HARDWALL|__GFP_MOVABLE|__GFP_WRITE", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.composite, "GFP_NOFS|__GFP_HIGHMEM|__GFP_HARDWALL|__GFP_MOVABLE|__GFP_WRITE");
        assert_int_equal(d.zone, GFP_ZONE_MOVABLE);
}

static void test_6_x(void **state) {
        struct gfp_decoded d;

        decode(0x820, KV(6, 9, 0), "GFP_ATOMIC", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.composite, "GFP_ATOMIC");
        /* 6.3+: ALLOC_MIN_RESERVE + ALLOC_NON_BLOCK */
        assert_int_equal(d.wmark_adjust, WMARK_ADJ_ATOMIC);
        assert_false(has_flag(&d, "__GFP_ATOMIC"));

        /* 6.18 prints the single flags in bit order */
        decode(0x140cca, KV(6, 18, 2), "GFP_HIGHUSER_MOVABLE|__GFP_COMP", &d);
        assert_true(d.names_matched);
        assert_string_equal(d.layout, "6.15+");
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_COMP");
        decode(0x140dca, KV(6, 18, 2), NULL, &d);
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
        decode(0x140dca, KV(6, 1, 0), NULL, &d);
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");

        /* GFP_NOWAIT gained __GFP_NOWARN in 6.8 */
        decode(0x2800, KV(6, 8, 0), NULL, &d);
        assert_string_equal(d.composite, "GFP_NOWAIT");
        decode(0x2800, KV(6, 6, 0), NULL, &d);
        assert_string_equal(d.composite, "GFP_NOWAIT|__GFP_NOWARN");
        /* GFP_NOWAIT alone: no reduction on 6.3+, 3/4 on ≤3.x (ALLOC_HARDER for !WAIT) */
        assert_int_equal(d.wmark_adjust, WMARK_ADJ_NONE);
        decode(0x0, KV(3, 10, 0), NULL, &d);
        assert_int_equal(d.wmark_adjust, WMARK_ADJ_HARDER);
        decode(0x800, KV(4, 19, 0), NULL, &d); /* 4.18-5.0: 0x800 = NOFAIL */
        assert_true(d.nofail);
}

static void test_old_kernels(void **state) {
        struct gfp_decoded d;

        decode(0x201da, KV(3, 10, 0), NULL, &d);
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_COLD");
        assert_int_equal(d.zone, GFP_ZONE_MOVABLE);
        assert_int_equal(d.migratetype, MT_MOVABLE);
        assert_true(d.may_use_cma);

        decode(0x280da, KV(3, 13, 0), NULL, &d);
        assert_true(has_flag(&d, "__GFP_ZERO"));
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");

        /* 2.6.24: GFP_KERNEL|__GFP_NOWARN */
        decode(0x2d0, KV(2, 6, 24), NULL, &d);
        assert_string_equal(d.composite, "GFP_KERNEL|__GFP_NOWARN");
        assert_string_equal(d.layout, "2.6.23-2.6.30");
        /* before 2.6.31 __GFP_MOVABLE was 0x100000 */
        decode(0x1200d2, KV(2, 6, 24), NULL, &d);
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE");
        assert_int_equal(d.migratetype, MT_MOVABLE);
        assert_false(d.may_use_cma); /* no ALLOC_CMA before 3.8 */

        decode(0x201d2, KV(2, 6, 32), NULL, &d);
        assert_string_equal(d.composite, "GFP_HIGHUSER|__GFP_COLD");
        assert_int_equal(d.zone, GFP_ZONE_HIGHMEM);

        /* 3.6 has MIGRATE_CMA but no ALLOC_CMA */
        decode(0x200da, KV(3, 6, 5), NULL, &d);
        assert_int_equal(d.migratetype, MT_MOVABLE);
        assert_false(d.may_use_cma);

        /* both mobility bits: RESERVE (≤4.3) vs HIGHATOMIC (4.4+) */
        decode(0x80008 | 0xd0, KV(3, 14, 0), NULL, &d);
        assert_int_equal(d.migratetype, MT_RESERVE);
        decode(0x18 | 0xcc0, KV(5, 10, 0), NULL, &d);
        assert_int_equal(d.migratetype, MT_HIGHATOMIC);
        assert_string_equal(d.migratetype_name, "HighAtomic");
        assert_false(d.may_use_cma);
}

static void test_rhel7(void **state) {
        struct kernel_version k;
        struct gfp_decoded d;

        assert_int_equal(kernel_version_parse("3.10.0-514.6.1.el7.x86_64", &k), 0);
        assert_int_equal(gfp_decode_kernel(0x1000d0, &k, NULL, &d), 0);
        assert_string_equal(d.layout, "3.10-el7");
        assert_true(d.account);
        assert_true(has_flag(&d, "__GFP_ACCOUNT"));
        assert_int_equal(kernel_version_parse("3.10.99", &k), 0);
        assert_int_equal(gfp_decode_kernel(0x1000d0, &k, NULL, &d), 0);
        assert_true(has_flag(&d, "__GFP_KMEMCG"));
}

static void test_page_fault_and_unknown_bits(void **state) {
        struct gfp_decoded d;

        decode(0, KV(5, 7, 0), "", &d);
        assert_string_equal(d.composite, "");
        assert_int_equal(d.n_flags, 0);
        assert_int_equal(d.zone, GFP_ZONE_NORMAL);

        /* Android 4.19 msm __GFP_CMA at 0x1000000 is not a 4.18-5.0 flag: left unknown */
        decode(0x1000000 | 0x6200ca, KV(4, 19, 81), NULL, &d);
        assert_int_equal(d.unknown_bits, 0x1000000);
        assert_string_equal(d.composite, "GFP_HIGHUSER_MOVABLE|0x1000000");
        /* a conditional (CONFIG_LOCKDEP) bit is not guessed without printed names */
        decode(0x800000 | 0xcc0, KV(5, 4, 0), NULL, &d);
        assert_int_equal(d.unknown_bits, 0x800000);
        decode(0x800000 | 0xcc0, KV(5, 4, 0), "GFP_KERNEL|__GFP_NOLOCKDEP", &d);
        assert_true(d.names_matched);
        assert_int_equal(d.unknown_bits, 0);
        /* 6.12 prints NO_OBJ_EXT as leftover hex */
        decode(0x1000cc0, KV(6, 12, 0), "GFP_KERNEL|0x1000000", &d);
        assert_true(d.names_matched);
        assert_int_equal(d.unknown_bits, 0x1000000);
        /* KASAN_HW_TAGS 6.1: GFP_HIGHUSER_MOVABLE carries both SKIP_KASAN bits */
        decode(0x6100cca, KV(6, 1, 0), "GFP_HIGHUSER_MOVABLE", &d);
        assert_true(d.names_matched);
        assert_int_equal(d.unknown_bits, 0);
}

static void test_names_win_over_version(void **state) {
        struct gfp_decoded d;

        /* a vendor kernel that claims 4.4 but prints 5.x names */
        decode(0xcc0, KV(4, 4, 0), "GFP_KERNEL", &d);
        assert_true(d.names_matched);
        assert_true(d.kv >= KV(5, 1, 0));
        assert_true(has_flag(&d, "__GFP_DIRECT_RECLAIM"));
        /* unknown version, names given */
        decode(0x6000c0, KV_MAX - 1, "GFP_KERNEL", &d);
        assert_string_equal(d.layout, "4.18-5.0");
        assert_true(d.ambiguous);
        decode(0x24000c0, KV_MAX - 1, "GFP_KERNEL", &d);
        assert_string_equal(d.layout, "4.5-4.9");
        /* names nobody prints: mismatch, version decides */
        decode(0xcc0, KV(5, 10, 0), "GFP_BOGUS", &d);
        assert_true(d.names_mismatch);
        assert_false(d.names_matched);
        assert_string_equal(d.layout, "5.1-5.13");
        /* unknown version and no names: a hex-only header comes from a ≤4.4 kernel; among
         * those the layout naming every bit with the fewest names (corpus 010/050: 2.6.22,
         * 031: 2.6.37-rc, none prints a version line) */
        decode(0x201d2, KV_MAX - 1, NULL, &d);
        assert_true(d.ambiguous);
        assert_int_equal(d.unknown_bits, 0);
        assert_string_equal(d.composite, "GFP_HIGHUSER|__GFP_COLD");
        assert_true(d.kv <= KV_END(4, 4));
        decode(0x840d0, KV_MAX - 1, "", &d);
        assert_string_equal(d.composite, "GFP_TEMPORARY|__GFP_COMP");
        assert_int_equal(d.migratetype, MT_RECLAIMABLE);
        decode(0xcc0, KV_MAX - 1, NULL, &d);
        assert_true(d.ambiguous);
        assert_true(d.kv <= KV_END(4, 4));
        /* with names, the newest layout that prints them */
        decode(0xcc0, KV_MAX - 1, "GFP_KERNEL", &d);
        assert_true(d.ambiguous && d.names_matched);
        assert_true(d.kv >= KV(6, 15, 0));
        decode(0x1000000 | 0x800000 | 0x24000c0, KV_MAX - 1, NULL, &d);
        assert_true(d.ambiguous);
        assert_int_equal(d.unknown_bits, 0); /* 4.10-4.11: WRITE|KSWAPD... named */
}

static void test_fill_trigger(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        assert_int_equal(gfp_fill_trigger(r), -ENODATA);
        assert_int_equal(kernel_version_parse("3.14.31-00017-g40fab71", &r->kernel), 0);
        r->trigger.has_gfp_mask = true;
        r->trigger.gfp_mask_value = 0x800d0;
        assert_int_equal(gfp_fill_trigger(r), 0);
        assert_string_equal(r->trigger.gfp_composite, "GFP_TEMPORARY");
        assert_int_equal(r->trigger.n_gfp_flags, 4);
        assert_string_equal(r->trigger.migratetype, "Reclaimable");
        assert_string_equal(r->trigger.highest_zone, "Normal");
        assert_string_equal(r->trigger.watermark_adjust, "none");
        assert_string_equal(r->trigger.gfp_unknown_bits, "");
        assert_true(r->trigger.can_wait);
        assert_false(r->trigger.may_use_cma);
}

/* Every "gfp_mask=0x..(NAMES)" / "mode:0x..(NAMES)" in the corpus decodes to the names the kernel
 * printed, with the layout of the kernel version printed in the same file when there is one. */
static void extract_release(const char *text, struct kernel_version *k) {
        const char *p = strstr(text, "CPU: ");

        k->known = false;
        for (; p; p = strstr(p + 1, "CPU: ")) {
                const char *eol = strchr(p, '\n');
                const char *hash = strstr(p, " #");
                const char *t;

                if (!eol || !hash || hash > eol)
                        continue;
                /* the release is the token before " #" */
                t = hash;
                while (t > p && t[-1] != ' ')
                        t--;
                {
                        char rel[128];
                        size_t n = (size_t)(hash - t);
                        if (n == 0 || n >= sizeof(rel))
                                continue;
                        memcpy(rel, t, n);
                        rel[n] = '\0';
                        if (kernel_version_parse(rel, k) == 0)
                                return;
                }
        }
}

static void check_corpus_dir(const char *dir, size_t *n_checked) {
        DIR *dp = opendir(dir);
        struct dirent *de;

        if (!dp)
                return;
        while ((de = readdir(dp))) {
                char path[1024];
                FILE *f;
                char *text;
                long size;
                struct kernel_version k;

                if (!strstr(de->d_name, ".log"))
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                f = fopen(path, "re");
                assert_non_null(f);
                fseek(f, 0, SEEK_END);
                size = ftell(f);
                fseek(f, 0, SEEK_SET);
                text = calloc(1, (size_t)size + 1);
                assert_non_null(text);
                assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
                fclose(f);
                extract_release(text, &k);

                for (const char *p = text; (p = strstr(p, "0x")); p++) {
                        char names[256];
                        const char *open, *close;
                        uint64_t mask;
                        char *end;
                        struct gfp_decoded d;

                        if (!(p >= text + 10 && (strncmp(p - 10, "gfp_mask=", 9) == 0 || strncmp(p - 9, "gfp_mask=", 9) == 0 ||
                                                 strncmp(p - 5, "mode:", 5) == 0)))
                                continue;
                        mask = strtoull(p, &end, 16);
                        open = end;
                        if (*open != '(' || !(close = strchr(open, ')')) || (size_t)(close - open) >= sizeof(names))
                                continue;
                        memcpy(names, open + 1, (size_t)(close - open - 1));
                        names[close - open - 1] = '\0';
                        assert_int_equal(gfp_decode_kernel(mask, &k, names, &d), 0);
                        if (names[0] == '\0') { /* "0x0()": %pGg prints nothing for 0 */
                                assert_int_equal(mask, 0);
                                assert_string_equal(d.composite, "");
                                (*n_checked)++;
                                continue;
                        }
                        if (!d.names_matched || !same_name_set(d.composite, names))
                                fail_msg("%s: %#" PRIx64 "(%s) decoded as %s (layout %s)", de->d_name,
                                         mask, names, d.composite, d.layout);
                        /* the matching layout agrees with the printed version, except for
                         * -next/-mm trees that ran ahead of their version number */
                        if (k.known && !strstr(k.release, "next") && !strstr(k.release, "-mm"))
                                if (d.kv != kernel_version_code(&k))
                                        fail_msg("%s: names of %#" PRIx64 " match layout %s, not %s",
                                                 de->d_name, mask, d.layout, k.release);
                        (*n_checked)++;
                }
                free(text);
        }
        closedir(dp);
}

static void test_corpus_printed_names(void **state) {
        size_t n = 0;

        check_corpus_dir(OOMLENS_SHARED_DIR "/corpus/public", &n);
        check_corpus_dir(OOMLENS_SHARED_DIR "/corpus/lab", &n);
        if (n == 0)
                skip();
        /* 22 symbolic masks in public/ + 4 in lab/ at the time of writing */
        assert_true(n >= 20);
}

/* Any mask, any version, any printed text: no crash, bounded output, every set bit accounted. */
static void test_robustness(void **state) {
        static const int64_t versions[] = { KV(2, 6, 18), KV(2, 6, 32), KV(3, 0, 1), KV(3, 14, 0),
                                            KV(4, 4, 0), KV(4, 12, 0), KV(4, 19, 0), KV(5, 15, 0),
                                            KV(6, 1, 0), KV(6, 3, 0), KV(6, 19, 0), KV_MAX - 1, -5 };
        static const char *const names[] = {
                NULL, "", "|", "||||", " GFP_KERNEL | __GFP_COMP ", "0x", "0xffffffffffffffffff",
                "GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|"
                "GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL|GFP_KERNEL",
                "\xff\xfe", "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO",
        };
        char big[2000];
        uint64_t x = 0x9e3779b97f4a7c15;

        memset(big, '|', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        for (int i = 0; i < 1000; i++) {
                struct gfp_decoded d;
                uint64_t mask;

                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                mask = (i % 3 == 0) ? x : (x & 0xfffffff);
                for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
                        const char *n = (i % 11 == 0) ? big : names[(size_t)i % (sizeof(names) / sizeof(names[0]))];
                        uint64_t named = 0;

                        assert_int_equal(gfp_decode(mask, versions[v], n, &d), 0);
                        assert_true(d.n_flags <= 40);
                        assert_true(strlen(d.composite) < sizeof(d.composite));
                        assert_non_null(d.layout);
                        assert_non_null(d.migratetype_name);
                        /* named flags and unknown bits partition the mask (up to 40 names) */
                        for (size_t f = 0; f < d.n_flags; f++)
                                assert_non_null(d.flags[f]);
                        if (d.n_flags < 40) {
                                assert_true((d.unknown_bits & ~mask) == 0);
                                (void)named;
                        }
                }
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_3_14_temporary),
                cmocka_unit_test(test_5_x_kernel_and_highuser_movable),
                cmocka_unit_test(test_4_x_layouts),
                cmocka_unit_test(test_6_x),
                cmocka_unit_test(test_old_kernels),
                cmocka_unit_test(test_rhel7),
                cmocka_unit_test(test_page_fault_and_unknown_bits),
                cmocka_unit_test(test_names_win_over_version),
                cmocka_unit_test(test_fill_trigger),
                cmocka_unit_test(test_corpus_printed_names),
                cmocka_unit_test(test_robustness),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
