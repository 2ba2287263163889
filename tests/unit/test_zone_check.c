/* SPDX-License-Identifier: MIT */
/* Zones are built by hand from the numbers printed in real reports (seed, corpus/lab, corpus
 * 046) so the test does not depend on the parser. */
#include <errno.h>
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
#include "zone_check.h"

static struct oom_report *new_report(const char *release, uint64_t mask, const char *names,
                                     int64_t order) {
        struct oom_report *r = NULL;

        assert_int_equal(oom_report_new(&r), 0);
        if (release)
                assert_int_equal(kernel_version_parse(release, &r->kernel), 0);
        r->page_kb = 4;
        r->trigger.has_gfp_mask = true;
        r->trigger.gfp_mask_value = mask;
        snprintf(r->trigger.gfp_printed_names, sizeof(r->trigger.gfp_printed_names), "%s",
                 names ? names : "");
        r->trigger.order = order;
        return r;
}

/* "1165*4kB (MRC) 1122*8kB (RC) 0*16kB ..." as printed after "<Zone>: " */
static void set_buddy(struct oom_zone *z, const char *line) {
        const char *p = line;

        z->n_buddy = 0;
        while (*p && z->n_buddy < OOM_MAX_ORDERS) {
                struct buddy_order *b = &z->buddy[z->n_buddy];
                char *end;

                while (*p == ' ')
                        p++;
                if (*p == '=' || !*p)
                        break;
                b->count = strtoll(p, &end, 10);
                assert_true(*end == '*');
                b->size_kb = strtoll(end + 1, &end, 10);
                p = end + 2; /* "kB" */
                b->types[0] = '\0';
                while (*p == ' ')
                        p++;
                if (*p == '(') {
                        const char *close = strchr(p, ')');
                        size_t n = (size_t)(close - p - 1);
                        assert_true(n < sizeof(b->types));
                        memcpy(b->types, p + 1, n);
                        b->types[n] = '\0';
                        p = close + 1;
                }
                z->n_buddy++;
        }
}

static struct oom_zone *add_zone(struct oom_report *r, int node, const char *name, int64_t free_kb,
                                 int64_t min_kb, int64_t low_kb, int64_t high_kb, int64_t cma_kb,
                                 const char *lowmem, const char *buddy) {
        struct oom_zone *z = &r->zones[r->n_zones++];
        const char *p = lowmem;
        char *end;

        oom_zone_init(z);
        z->node = node;
        snprintf(z->name, sizeof(z->name), "%s", name);
        z->free_kb = free_kb;
        z->min_kb = min_kb;
        z->low_kb = low_kb;
        z->high_kb = high_kb;
        z->free_cma_kb = cma_kb;
        while (lowmem && *p && z->n_lowmem_reserve < OOM_MAX_ZONE_TYPES) {
                z->lowmem_reserve_pages[z->n_lowmem_reserve++] = strtoll(p, &end, 10);
                if (end == p)
                        break;
                p = end;
        }
        if (buddy)
                set_buddy(z, buddy);
        return z;
}

/* MUST-PASS: the seed (3.14 arm, GFP_TEMPORARY, free CMA makes Normal fail). */
static void test_seed_cma(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("3.14.31-00017-g40fab71", 0x800d0, NULL, 0);
        struct oom_zone *n, *h;

        n = add_zone(r, -1, "Normal", 233460, 2488, 3108, 3732, 231116, "0 10168 10168",
                     "1165*4kB (MRC) 1122*8kB (RC) 1119*16kB (RC) 1118*32kB (C) 1068*64kB (RC) "
                     "748*128kB (C) 0*256kB 0*512kB 0*1024kB 1*2048kB (R) 0*4096kB 0*8192kB = 233460kB");
        h = add_zone(r, -1, "HighMem", 909036, 512, 2604, 4696, 0, "0 0 0", NULL);
        assert_int_equal(zone_check_report(r), 0);

        assert_int_equal(n->zone_idx, 0);
        assert_int_equal(h->zone_idx, 1);
        assert_int_equal(r->trigger.highest_zone_idx, 0);

        assert_true(n->check.evaluated);
        assert_true(n->check.eligible);
        assert_int_equal(n->check.usable_free_kb, 2344);
        assert_int_equal(n->check.cma_excluded_kb, 231116);
        assert_int_equal(n->check.highatomic_excluded_kb, 0);
        assert_int_equal(n->check.watermark_kb, 2488);
        assert_int_equal(n->check.reserve_kb, 0);
        assert_int_equal(n->check.threshold_kb, 2488);
        assert_false(n->check.ok);
        assert_int_equal(n->check.margin_kb, -144);
        assert_false(n->check.low_ok);
        assert_false(n->check.high_ok);
        assert_int_equal(n->check.high_usable_kb, 2344);
        assert_int_equal(n->check.high_threshold_kb, 3732);
        assert_false(n->check.order_checked);
        assert_string_equal(n->check.variant, "E (3.10-4.3)");

        assert_true(h->check.evaluated);
        assert_false(h->check.eligible);
        assert_string_equal(h->check.reason,
                            "zone above the allocation's highest zone (HighMem > Normal)");
}

/* 3.10-3.14 subtract CMA only in the order-0 test; the order loop counts CMA blocks (E). */
static void test_seed_order1_count_loop(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("3.14.31", 0x800d0, NULL, 1);
        struct oom_zone *n;

        n = add_zone(r, -1, "Normal", 233460, 2488, 3108, 3732, 231116, "0 10168 10168",
                     "1165*4kB (MRC) 1122*8kB (RC) 1119*16kB (RC) 1118*32kB (C) 1068*64kB (RC) "
                     "748*128kB (C) 0*256kB 0*512kB 0*1024kB 1*2048kB (R) 0*4096kB 0*8192kB = 233460kB");
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(n->check.order_excluded_kb, 4);
        assert_int_equal(n->check.usable_free_kb, 2340);
        assert_false(n->check.ok);
        assert_true(n->check.order_checked);
        assert_true(n->check.order_ok);
        assert_int_equal(n->check.order_ok_at, 1);
        assert_non_null(strstr(n->check.order_detail, "count-based"));
}

/* corpus/lab arm64 CMA trap, 6.1: everything in DMA; GFP_HIGHUSER on 64-bit is a Normal request. */
static void test_lab_arm64_cma_trap(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r =
                new_report("6.1.0-56-arm64", 0x500cc2, "GFP_HIGHUSER|__GFP_ACCOUNT", 0);
        struct oom_zone *z;

        z = add_zone(r, 0, "DMA", 227508, 2764, 3452, 4140, 224796, "0 0 0 0",
                     "3*4kB (UEC) 3*8kB (UMC) 1*16kB (C) 0*32kB 2*64kB (M) 2*128kB (UM) 1*256kB (M) "
                     "5*512kB (UMC) 1*1024kB (C) 1*2048kB (C) 54*4096kB (C) = 227508kB");
        z->reserved_highatomic_kb = 0;
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(z->zone_idx, 0);
        /* DMA, DMA32, Normal, Movable: the request's Normal is index 2 */
        assert_int_equal(r->trigger.highest_zone_idx, 2);
        assert_string_equal(r->trigger.highest_zone, "Normal");
        assert_true(z->check.eligible);
        assert_int_equal(z->check.cma_excluded_kb, 224796);
        assert_int_equal(z->check.usable_free_kb, 2712);
        assert_int_equal(z->check.threshold_kb, 2764);
        assert_false(z->check.ok);
        assert_int_equal(z->check.margin_kb, -52);
        assert_false(z->check.high_ok);
        assert_string_equal(z->check.variant, "F (5.0-6.2)");
}

/* corpus/lab i386 PAE lowmem, 6.1: HighMem filtered from Mem-Info, "pages HighMem" reveals it. */
static void test_lab_i386_lowmem(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r =
                new_report("6.1.0-50-686-pae", 0x400cc0, "GFP_KERNEL_ACCOUNT", 0);
        struct oom_zone *dma, *normal, *high;

        r->memory.pages_highmem = 393206;
        dma = add_zone(r, -1, "DMA", 4072, 760, 948, 1136, 0, "0 830 1486 1486", NULL);
        normal = add_zone(r, -1, "Normal", 42080, 42252, 52812, 63372, 0, "0 0 5247 5247",
                          "2*4kB (ME) 5*8kB (UME) 9*16kB (UM) 7*32kB (ME) 5*64kB (M) 3*128kB (ME) "
                          "6*256kB (UME) 5*512kB (UME) 4*1024kB (UME) 0*2048kB 8*4096kB (M) = 42080kB");
        dma->reserved_highatomic_kb = normal->reserved_highatomic_kb = 0;
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(dma->zone_idx, 0);
        assert_int_equal(normal->zone_idx, 1);
        assert_int_equal(r->trigger.highest_zone_idx, 1);
        /* Normal below min */
        assert_true(normal->check.eligible);
        assert_false(normal->check.ok);
        assert_int_equal(normal->check.margin_kb, 42080 - 42252);
        /* DMA pays lowmem_reserve[1] = 830 pages for a Normal request */
        assert_int_equal(dma->check.reserve_kb, 830 * 4);
        assert_int_equal(dma->check.threshold_kb, 760 + 830 * 4);
        assert_false(dma->check.ok);
        assert_int_equal(dma->check.margin_kb, -8);

        /* the same machine with the HighMem zone printed (pre-6.1 style) */
        high = add_zone(r, -1, "HighMem", 500000, 512, 1000, 2000, 0, "0 0 0 0", NULL);
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(high->zone_idx, 2);
        assert_false(high->check.eligible);
        assert_true(high->check.evaluated);
        assert_string_equal(high->check.reason,
                            "zone above the allocation's highest zone (HighMem > Normal)");
}

/* corpus/lab amd64 order-2 fragmentation, 6.1: DMA32 has 45 MB free, nothing >= 16 kB. */
static void test_lab_amd64_fragmentation(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report(
                "6.1.0-56-amd64", 0x4c2cc0,
                "GFP_KERNEL_ACCOUNT|__GFP_NOWARN|__GFP_COMP|__GFP_NOMEMALLOC", 2);
        struct oom_zone *dma, *dma32;

        dma = add_zone(r, 0, "DMA", 848, 136, 168, 200, 0, "0 178 178 178 178",
                       "0*4kB 0*8kB 1*16kB (U) 0*32kB 1*64kB (U) 0*128kB 1*256kB (U) 1*512kB (U) "
                       "0*1024kB 0*2048kB 0*4096kB = 848kB");
        dma32 = add_zone(r, 0, "DMA32", 45216, 1640, 2048, 2456, 0, "0 0 0 0 0",
                         "11292*4kB (U) 8*8kB (UM) 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB "
                         "0*1024kB 0*2048kB 0*4096kB = 45232kB");
        dma->reserved_highatomic_kb = dma32->reserved_highatomic_kb = 0;
        assert_int_equal(zone_check_report(r), 0);
        /* DMA DMA32 Normal Movable Device */
        assert_int_equal(dma->zone_idx, 0);
        assert_int_equal(dma32->zone_idx, 1);
        assert_int_equal(r->trigger.highest_zone_idx, 2);

        assert_true(dma32->check.ok);
        assert_int_equal(dma32->check.order_excluded_kb, 12);
        assert_int_equal(dma32->check.usable_free_kb, 45204);
        assert_true(dma32->check.order_checked);
        assert_false(dma32->check.order_ok);
        assert_int_equal(dma32->check.order_ok_at, -1);
        assert_string_equal(dma32->check.order_detail, "no free block >= order 2");

        /* DMA: lowmem_reserve[2] = 178 pages; 848-12 <= 136+712 */
        assert_int_equal(dma->check.reserve_kb, 712);
        assert_false(dma->check.ok);
        assert_int_equal(dma->check.margin_kb, 836 - 848);
        assert_true(dma->check.order_ok);
        assert_int_equal(dma->check.order_ok_at, 2);
}

/* x86_64 4.19-era GFP_KERNEL: DMA32's reserve for a Normal request is its lowmem_reserve[2]. */
static void test_lowmem_reserve_dma32(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("4.19.0", 0x6000c0, "GFP_KERNEL", 0);
        struct oom_zone *dma32, *normal;

        add_zone(r, 0, "DMA", 15908, 132, 164, 196, 0, "0 2955 7866 7866", NULL);
        dma32 = add_zone(r, 0, "DMA32", 30000, 12600, 15748, 18896, 0, "0 0 4911 4911", NULL);
        normal = add_zone(r, 0, "Normal", 20000, 20940, 26172, 31404, 0, "0 0 0 0", NULL);
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(dma32->zone_idx, 1);
        assert_int_equal(normal->zone_idx, 2);
        assert_int_equal(r->trigger.highest_zone_idx, 2);
        assert_int_equal(dma32->check.reserve_kb, 4911 * 4);
        assert_int_equal(dma32->check.threshold_kb, 12600 + 4911 * 4);
        /* 30000 kB free is well above min, but not above min + reserve */
        assert_false(dma32->check.ok);
        assert_int_equal(dma32->check.margin_kb, 30000 - (12600 + 4911 * 4));
        assert_false(normal->check.ok);

        /* the same zone for a GFP_DMA32 request (index 1): no reserve */
        r->trigger.gfp_mask_value = 0x6000c4;
        r->trigger.gfp_printed_names[0] = '\0';
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(r->trigger.highest_zone_idx, 1);
        assert_int_equal(dma32->check.reserve_kb, 0);
        assert_true(dma32->check.ok);
        assert_false(normal->check.eligible);
}

/* corpus 046 (5.10 GKI): order-3 GFP_KERNEL; Normal's big blocks are CMA/highatomic only. */
static void test_gki_highatomic_order3(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report(
                "5.10.168-gki-gade08d90ed8c-dirty", 0x40dc0, "GFP_KERNEL|__GFP_COMP|__GFP_ZERO", 3);
        struct oom_zone *n, *m;

        n = add_zone(r, -1, "Normal", 106384, 40864, 81732, 91948, 552, "0 0 40960",
                     "8939*4kB (UMEC) 6885*8kB (UECH) 810*16kB (UECH) 8*32kB (CH) 5*64kB (H) "
                     "1*128kB (H) 1*256kB (H) 1*512kB (H) 1*1024kB (H) 0*2048kB 0*4096kB = 106292kB");
        n->reserved_highatomic_kb = 4096;
        m = add_zone(r, -1, "Movable", 2034664, 32860, 65716, 73928, 0, "0 0 0",
                     "147666*4kB (M) 103543*8kB (M) 28850*16kB (M) 3728*32kB (M) 140*64kB (M) "
                     "28*128kB (M) 2*256kB (M) 1*512kB (M) 1*1024kB (M) 0*2048kB 5*4096kB (M) = 2034976kB");
        m->reserved_highatomic_kb = 0;
        r->memory.pages_highmem = 0;
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(n->zone_idx, 1);
        assert_int_equal(m->zone_idx, 2);
        assert_int_equal(r->trigger.highest_zone_idx, 1);
        assert_false(m->check.eligible);
        assert_true(n->check.eligible);
        assert_int_equal(n->check.highatomic_excluded_kb, 4096);
        assert_int_equal(n->check.cma_excluded_kb, 552);
        assert_int_equal(n->check.usable_free_kb, 106384 - 28 - 552 - 4096);
        assert_true(n->check.ok);
        assert_true(n->check.order_checked);
        assert_false(n->check.order_ok);
        assert_string_equal(n->check.order_detail,
                            "no free block >= order 3 in U/M/E; 17 blocks at order >= 3 are CH only");
}

/* 4.6-4.13: an ALLOC_HARDER request passes on any non-empty order, whatever the type. */
static void test_harder_any_type_4_9(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("4.9.0", 0x2080020, "GFP_ATOMIC", 2);
        struct oom_zone *z;

        z = add_zone(r, 0, "Normal", 20000, 8000, 10000, 12000, 0, "0 0",
                     "100*4kB (U) 0*8kB 3*16kB (H) 0*32kB = 448kB");
        assert_int_equal(zone_check_report(r), 0);
        assert_true(z->check.order_ok);
        assert_int_equal(z->check.order_ok_at, 2);
        /* GFP_KERNEL (not harder) on the same zone fails */
        r->trigger.gfp_mask_value = 0x24000c0;
        snprintf(r->trigger.gfp_printed_names, sizeof(r->trigger.gfp_printed_names), "GFP_KERNEL");
        assert_int_equal(zone_check_report(r), 0);
        assert_false(z->check.order_ok);
        /* ... and the reservation is subtracted for it (printed by a patched kernel) */
        z->reserved_highatomic_kb = 12;
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(z->check.highatomic_excluded_kb, 12);
}

/* GFP_ATOMIC min reduction and the 5.x unboosted-min retry. */
static void test_atomic_and_boost(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("6.9.0-gentoo-PMacG4", 0x820, "GFP_ATOMIC", 0);
        struct oom_zone *z;

        z = add_zone(r, -1, "DMA", 3000, 11208, 14000, 16000, 0, "0 0 1280 1280", NULL);
        z->boost_kb = 7756;
        z->reserved_highatomic_kb = 0;
        r->memory.pages_highmem = 327680;
        assert_int_equal(zone_check_report(r), 0);
        /* ppc32: DMA, Normal, HighMem, Movable; GFP_ATOMIC asks for Normal */
        assert_int_equal(r->trigger.highest_zone_idx, 1);
        /* unboosted min 3452 kB = 863 pages -> 432 -> 324 pages = 1296 kB */
        assert_true(z->check.ok);
        assert_int_equal(z->check.watermark_kb, 1296);
        assert_string_equal(z->check.reason,
                            "eligible; passes only with the unboosted min (order-0 atomic retry)");
        /* without boost: min 11208 kB = 2802 pages -> 1401 -> 1051 pages */
        z->boost_kb = 0;
        assert_int_equal(zone_check_report(r), 0);
        assert_false(z->check.ok);
        assert_int_equal(z->check.watermark_kb, 1051 * 4);
}

/* 2.6.32 (A) vs 3.0 (B, the off-by-two): the order term decides a borderline zone. */
static void test_order_term_versions(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("2.6.32-24-generic-pae", 0xd0, NULL, 1);
        struct oom_zone *z;

        /* 3768 kB = 942 pages, min 3756 kB = 939 pages */
        z = add_zone(r, -1, "Normal", 3768, 3756, 4692, 5632, NUM_UNSET, "0 0 0",
                     "900*4kB 9*8kB = 3672kB");
        assert_int_equal(zone_check_report(r), 0);
        assert_string_equal(z->check.variant, "A (2.6.32)");
        assert_int_equal(z->check.order_excluded_kb, 4);
        assert_true(z->check.ok); /* 941 > 939 */
        /* the loop drops the 900 order-0 pages: 41 <= 939/2 */
        assert_true(z->check.order_checked);
        assert_false(z->check.order_ok);
        assert_int_equal(z->check.order_ok_at, 1);

        assert_int_equal(kernel_version_parse("3.0.1", &r->kernel), 0);
        assert_int_equal(zone_check_report(r), 0);
        assert_string_equal(z->check.variant, "B (2.6.37-3.5)");
        assert_int_equal(z->check.order_excluded_kb, 12);
        assert_int_equal(z->check.usable_free_kb, 3768 - 12);
        assert_false(z->check.ok); /* 939 <= 939 */
        assert_int_equal(z->check.margin_kb, 0);
}

static void test_nodemask_and_no_gfp(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("4.15.0", 0x14200ca, "GFP_HIGHUSER_MOVABLE", 0);
        struct oom_zone *n0, *n1;

        n0 = add_zone(r, 0, "Normal", 10000, 5000, 6000, 7000, 0, "0 0 0 0", NULL);
        n1 = add_zone(r, 1, "Normal", 10000, 5000, 6000, 7000, 0, "0 0 0 0", NULL);
        snprintf(r->trigger.nodemask, sizeof(r->trigger.nodemask), "1");
        assert_int_equal(zone_check_report(r), 0);
        assert_false(n0->check.eligible);
        assert_string_equal(n0->check.reason, "node not in the allocation's nodemask / cpuset");
        assert_true(n1->check.eligible);
        assert_true(n1->check.ok);
        snprintf(r->trigger.nodemask, sizeof(r->trigger.nodemask), "(null)");
        assert_int_equal(zone_check_report(r), 0);
        assert_true(n0->check.eligible);

        r->trigger.has_gfp_mask = false;
        assert_int_equal(zone_check_report(r), 0);
        assert_false(n0->check.evaluated);
        assert_int_equal(r->trigger.highest_zone_idx, -1);
        /* zone indexes are still known from the machine layout */
        assert_int_equal(n0->zone_idx, 2);
}

/* Untrusted numbers: corpus 023's underflowed watermarks must not overflow. */
static void test_absurd_numbers(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report("5.4.0", 0x100cca, "GFP_HIGHUSER_MOVABLE", 0);
        struct oom_zone *z;

        z = add_zone(r, 0, "Normal", 2882868, 99395541895224, 99395541895224, 99395541895224, 0,
                     "0 0 0 72057594037927865 72057594037927865", NULL);
        add_zone(r, 0, "DMA", INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX,
                 "0 9223372036854775807 9223372036854775807 9223372036854775807 9223372036854775807", NULL);
        r->trigger.order = 40;
        assert_int_equal(zone_check_report(r), 0);
        assert_false(z->check.evaluated);
        r->trigger.order = 0;
        assert_int_equal(zone_check_report(r), 0);
        assert_true(z->check.evaluated);
        assert_false(z->check.ok);
        assert_true(r->zones[1].check.evaluated);
}

static void test_no_lowmem_lines(void **state) {
        _cleanup_(oom_report_freep) struct oom_report *r = new_report(NULL, 0xcc0, "GFP_KERNEL", 0);
        struct oom_zone *a, *b;

        a = add_zone(r, -1, "DMA32", 5000, 6000, 7000, 8000, 0, NULL, NULL);
        b = add_zone(r, -1, "Normal", 5000, 4000, 7000, 8000, 0, NULL, NULL);
        assert_int_equal(zone_check_report(r), 0);
        assert_int_equal(a->zone_idx, 0);
        assert_int_equal(b->zone_idx, 1);
        assert_string_equal(b->check.reason, "eligible; lowmem_reserve[] column not printed, reserve taken as 0");
        assert_true(b->check.ok);
        assert_false(a->check.ok);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_cma),
                cmocka_unit_test(test_seed_order1_count_loop),
                cmocka_unit_test(test_lab_arm64_cma_trap),
                cmocka_unit_test(test_lab_i386_lowmem),
                cmocka_unit_test(test_lab_amd64_fragmentation),
                cmocka_unit_test(test_lowmem_reserve_dma32),
                cmocka_unit_test(test_gki_highatomic_order3),
                cmocka_unit_test(test_harder_any_type_4_9),
                cmocka_unit_test(test_atomic_and_boost),
                cmocka_unit_test(test_order_term_versions),
                cmocka_unit_test(test_nodemask_and_no_gfp),
                cmocka_unit_test(test_absurd_numbers),
                cmocka_unit_test(test_no_lowmem_lines),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
