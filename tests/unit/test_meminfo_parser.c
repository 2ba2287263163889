/* SPDX-License-Identifier: MIT */
/* show_mem() lines of every era (kernel-facts §5.4). Real lines: 2.6.32 (corpus 005, its hard
 * wrap re-joined), 3.13 (022), 4.9 (040), 4.14 Android (059, damaged + glued), 5.10 (046),
 * 6.1 (lab). 6.18's free_highatomic and 16K/64K page buddy lines follow the §5.4 formats (no
 * capture in the corpus). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "meminfo_parser.h"
#include "parse_util.h"

static struct oom_report *new_report(void) {
        struct oom_report *r = NULL;
        assert_int_equal(oom_report_new(&r), 0);
        return r;
}

static int zone(struct oom_report *r, const char *t, size_t *idx) {
        return meminfo_parse_zone(r, t, strlen(t), idx);
}
static int64_t field(const struct oom_zone *z, const char *k) {
        const struct key_value *kv = kv_find(z->fields, z->n_fields, k);
        return kv ? kv->value : NUM_UNSET;
}

static void test_zone_2_6_32(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i = 99;

        assert_int_equal(zone(r, "HighMem free:3204284kB min:512kB low:3852kB high:7196kB active_anon:192kB inactive_anon:256kB active_file:596kB inactive_file:2288kB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:3180408kB mlocked:0kB dirty:0kB writeback:0kB mapped:1240kB shmem:144kB slab_reclaimable:0kB slab_unreclaimable:0kB kernel_stack:0kB pagetables:356kB unstable:0kB bounce:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? no", &i), 1);
        assert_int_equal(i, 0);
        assert_int_equal(r->n_zones, 1);
        struct oom_zone *z = &r->zones[0];
        assert_int_equal(z->node, -1); /* no CONFIG_NUMA prefix */
        assert_string_equal(z->name, "HighMem");
        assert_int_equal(z->free_kb, 3204284);
        assert_int_equal(z->min_kb, 512);
        assert_int_equal(z->low_kb, 3852);
        assert_int_equal(z->high_kb, 7196);
        assert_int_equal(z->present_kb, 3180408);
        assert_true(z->managed_kb == NUM_UNSET); /* 3.8+ */
        assert_true(z->free_cma_kb == NUM_UNSET);
        assert_true(z->boost_kb == NUM_UNSET);
        assert_int_equal(z->all_unreclaimable, 0);
        assert_int_equal(field(z, "pages_scanned"), 0);
        assert_int_equal(field(z, "isolated(file)"), 0);
        assert_int_equal(field(z, "pagetables"), 356);
        assert_true(field(z, "all_unreclaimable") == NUM_UNSET); /* a flag, not a counter */
}

static void test_zone_3_13_numa(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i;

        assert_int_equal(zone(r, "Node 0 DMA free:7124kB min:412kB low:512kB high:616kB active_anon:8508kB inactive_anon:4kB active_file:0kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:15992kB managed:15908kB mlocked:0kB dirty:0kB writeback:0kB mapped:0kB shmem:4kB slab_reclaimable:16kB slab_unreclaimable:16kB kernel_stack:0kB pagetables:12kB unstable:0kB bounce:0kB free_cma:0kB writeback_tmp:0kB pages_scanned:0 all_unreclaimable? yes", &i), 1);
        assert_int_equal(i, 0);
        assert_int_equal(r->zones[0].node, 0);
        assert_string_equal(r->zones[0].name, "DMA");
        assert_int_equal(r->zones[0].managed_kb, 15908);
        assert_int_equal(r->zones[0].free_cma_kb, 0);
        assert_int_equal(r->zones[0].all_unreclaimable, 1);
        assert_int_equal(field(&r->zones[0], "slab_unreclaimable"), 16);
        assert_int_equal(meminfo_parse_lowmem_reserve(&r->zones[0], "lowmem_reserve[]: 0 1679 1679 1679", 34), 1);
        assert_int_equal(r->zones[0].n_lowmem_reserve, 4);
        assert_int_equal(r->zones[0].lowmem_reserve_pages[1], 1679);
        assert_int_equal(r->zones[0].lowmem_reserve_pages[3], 1679);
}

static void test_zone_4_9_and_5_10(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i;

        assert_int_equal(zone(r, "Node 0 DMA32 free:44568kB min:44640kB low:55800kB high:66960kB active_anon:1415384kB inactive_anon:11844kB active_file:228kB inactive_file:532kB unevictable:0kB writepending:56kB present:2080640kB managed:1717740kB mlocked:0kB slab_reclaimable:14616kB slab_unreclaimable:117704kB kernel_stack:18816kB pagetables:36128kB bounce:0kB free_pcp:356kB local_pcp:0kB free_cma:0kB", &i), 1);
        assert_int_equal(r->zones[0].free_pcp_kb, 356);
        assert_int_equal(field(&r->zones[0], "local_pcp"), 0);
        assert_int_equal(field(&r->zones[0], "writepending"), 56);
        assert_int_equal(r->zones[0].all_unreclaimable, -1); /* not printed on 4.9 zones */

        /* 5.10: reserved_highatomic with a capital KB (corpus 046) */
        assert_int_equal(zone(r, "Normal free:106384kB min:40864kB low:81732kB high:91948kB reserved_highatomic:4096KB active_anon:61300kB inactive_anon:90240kB active_file:461552kB inactive_file:699104kB unevictable:1518396kB writepending:416kB present:6724288kB managed:6520292kB mlocked:5732kB pagetables:401592kB bounce:0kB free_pcp:204kB local_pcp:100kB free_cma:552kB", &i), 1);
        assert_int_equal(i, 1);
        assert_int_equal(r->zones[1].reserved_highatomic_kb, 4096);
        assert_int_equal(r->zones[1].free_cma_kb, 552);
        assert_int_equal(r->zones[1].managed_kb, 6520292);
        assert_true(r->zones[1].free_highatomic_kb == NUM_UNSET);
        assert_int_equal(meminfo_parse_lowmem_reserve(&r->zones[1], "lowmem_reserve[]: 0 0 40960", 27), 1);
        assert_int_equal(r->zones[1].n_lowmem_reserve, 3);
        assert_int_equal(r->zones[1].lowmem_reserve_pages[2], 40960);
}

static void test_zone_5_17_boost_and_6_18(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i;

        /* lab amd64-hog-512M (6.1) */
        assert_int_equal(zone(r, "Node 0 DMA32 free:2548kB boost:0kB min:2608kB low:3260kB high:3912kB reserved_highatomic:0KB active_anon:2008kB inactive_anon:420752kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:507776kB managed:451036kB mlocked:0kB bounce:0kB free_pcp:440kB local_pcp:440kB free_cma:0kB", &i), 1);
        assert_int_equal(r->zones[0].boost_kb, 0);
        assert_int_equal(r->zones[0].min_kb, 2608);
        assert_int_equal(r->zones[0].reserved_highatomic_kb, 0);
        assert_int_equal(r->zones[0].managed_kb, 451036);

        /* 6.15-6.18: free_highatomic after reserved_highatomic, zspages after writepending. */
        assert_int_equal(zone(r, "Node 0 Normal free:120432kB boost:4096kB min:67436kB low:84292kB high:101148kB reserved_highatomic:8192KB free_highatomic:2048KB active_anon:3612kB inactive_anon:1984520kB active_file:1020kB inactive_file:1232kB unevictable:0kB writepending:0kB zspages:0kB present:2097152kB managed:2031616kB mlocked:0kB bounce:0kB free_pcp:1180kB local_pcp:516kB free_cma:0kB", &i), 1);
        assert_int_equal(i, 1);
        assert_int_equal(r->zones[1].boost_kb, 4096);
        assert_int_equal(r->zones[1].reserved_highatomic_kb, 8192);
        assert_int_equal(r->zones[1].free_highatomic_kb, 2048);
        assert_int_equal(field(&r->zones[1], "zspages"), 0);
        assert_int_equal(r->zones[1].high_kb, 101148);
}

static void test_zone_glued_and_damaged(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i;

        /* corpus 059: a split "333768k           B" and the next record glued on by rsyslog */
        assert_int_equal(zone(r, "Normal free:14040kB min:7440kB low:94500kB high:98136kB reserved_highatomic:32768KB active_anon:447336kB inactive_anon:261668kB active_file:177572kB inactive_file:333768k           B unevictable:16632kB writepending:480kB present:4081664kB managed:3637088kB mlocked:16632kB kernel_stack:47072kB pagetables:78264kB bounce:0kB free_pcp:2280kB local_pcp:720kB free_cma:0kB        [ 4738.329607] lowmem_reserve[]: 0 0", &i), 1);
        struct oom_zone *z = &r->zones[0];
        assert_int_equal(z->free_kb, 14040);
        assert_int_equal(z->reserved_highatomic_kb, 32768);
        assert_int_equal(field(z, "inactive_file"), 333768); /* "k" alone still reads */
        assert_int_equal(field(z, "unevictable"), 16632);    /* the stray "B" is skipped */
        assert_int_equal(z->managed_kb, 3637088);
        assert_int_equal(z->n_lowmem_reserve, 2);
        assert_int_equal(z->lowmem_reserve_pages[0], 0);
        assert_int_equal(z->lowmem_reserve_pages[1], 0);

        /* 053-style: rsyslog #012 separators between the fields */
        assert_int_equal(zone(r, "Node 1 Normal free:36692kB#012min:36784kB#012low:45980kB high:55176kB", &i), 1);
        assert_int_equal(r->zones[1].node, 1);
        assert_int_equal(r->zones[1].min_kb, 36784);
        assert_int_equal(r->zones[1].low_kb, 45980);
}

static void test_zone_rejects(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i = 1234;

        assert_int_equal(zone(r, "Node 0 active_anon:1360284kB inactive_anon:556716kB", &i), 0);
        assert_int_equal(zone(r, "Node 0 DMA32: 74*4kB (UEM) 125*8kB (UEM) = 44592kB", &i), 0);
        assert_int_equal(zone(r, "lowmem_reserve[]: 0 1679 1679 1679", &i), 0);
        assert_int_equal(zone(r, "Mem-Info:", &i), 0);
        assert_int_equal(zone(r, "DMA free:", &i), 0);
        assert_int_equal(zone(r, "", &i), 0);
        assert_int_equal(zone(r, "AVeryLongZoneNameXX free:1kB", &i), 0); /* > name[16] */
        assert_int_equal(i, 1234);
        assert_int_equal(r->n_zones, 0);

        /* Never more than OOM_MAX_ZONES: the rest is recognised but dropped. */
        for (int k = 0; k < OOM_MAX_ZONES; k++)
                assert_int_equal(zone(r, "Node 3 Normal free:1kB min:2kB", &i), 1);
        assert_int_equal(r->n_zones, OOM_MAX_ZONES);
        assert_int_equal(zone(r, "Node 3 Normal free:1kB min:2kB", &i), 1);
        assert_true(i == SIZE_MAX);
        assert_int_equal(r->n_zones, OOM_MAX_ZONES);
}

static void test_lowmem_reserve(void **state) {
        (void) state;
        struct oom_zone z;

        oom_zone_init(&z);
        /* i386 PAE (lab): 4 columns */
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve[]: 0 830 1486 1486", 33), 1);
        assert_int_equal(z.n_lowmem_reserve, 4);
        assert_int_equal(z.lowmem_reserve_pages[2], 1486);
        /* amd64 6.1 (lab): 5 columns (DMA DMA32 Normal Movable Device) */
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve[]: 0 431 431 431 431", 35), 1);
        assert_int_equal(z.n_lowmem_reserve, 5);
        assert_int_equal(z.lowmem_reserve_pages[4], 431);
        /* more columns than OOM_MAX_ZONE_TYPES: kept up to the array */
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve[]: 1 2 3 4 5 6 7 8 9 10", 38), 1);
        assert_int_equal(z.n_lowmem_reserve, OOM_MAX_ZONE_TYPES);
        assert_int_equal(z.lowmem_reserve_pages[OOM_MAX_ZONE_TYPES - 1], OOM_MAX_ZONE_TYPES);
        /* a value beyond int64 ends the list there */
        {
                const char *t = "lowmem_reserve[]: 0 99999999999999999999 5";
                assert_int_equal(meminfo_parse_lowmem_reserve(&z, t, strlen(t)), 1);
                assert_int_equal(z.n_lowmem_reserve, 1);
                assert_int_equal(z.lowmem_reserve_pages[0], 0);
        }
        /* empty list, and NULL zone (more zones than we keep) */
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve[]:", 17), 1);
        assert_int_equal(z.n_lowmem_reserve, 0);
        assert_int_equal(meminfo_parse_lowmem_reserve(NULL, "lowmem_reserve[]: 0 1", 21), 1);
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve: 0 1", 19), 0);
        /* bounded */
        assert_int_equal(meminfo_parse_lowmem_reserve(&z, "lowmem_reserve[]: 0 1679", 21), 1);
        assert_int_equal(z.n_lowmem_reserve, 2);
        assert_int_equal(z.lowmem_reserve_pages[1], 1);
}

static int buddy(struct oom_report *r, const char *t) { return meminfo_parse_buddy(r, t, strlen(t)); }

static void test_buddy_eras(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        size_t i;

        /* 3.13 (022), <=4.3 letters UEMR */
        assert_int_equal(zone(r, "Node 0 DMA32 free:44592kB min:44640kB", &i), 1);
        assert_int_equal(buddy(r, "Node 0 DMA32: 74*4kB (UEM) 125*8kB (UEM) 78*16kB (UEM) 26*32kB (UE) 12*64kB (UEM) 4*128kB (UE) 4*256kB (UE) 2*512kB (E) 11*1024kB (UE) 7*2048kB (UE) 3*4096kB (UR) = 44592kB"), 1);
        assert_int_equal(r->n_zones, 1); /* attached to the zone line, not a new zone */
        struct oom_zone *z = &r->zones[0];
        assert_int_equal(z->n_buddy, 11);
        assert_int_equal(z->buddy[0].count, 74);
        assert_int_equal(z->buddy[0].size_kb, 4);
        assert_string_equal(z->buddy[0].types, "UEM");
        assert_string_equal(z->buddy[10].types, "UR");
        assert_int_equal(z->buddy[10].size_kb, 4096);
        assert_int_equal(z->buddy_total_kb, 44592);
        assert_int_equal(r->page_kb, 4);
        /* the sum matches the printed total */
        {
                int64_t sum = 0;
                for (size_t k = 0; k < z->n_buddy; k++)
                        sum += z->buddy[k].count * z->buddy[k].size_kb;
                assert_int_equal(sum, z->buddy_total_kb);
        }

        /* 3.0/3.6: no letters; zone without "Node" (i386) creates its own entry */
        assert_int_equal(buddy(r, "HighMem: 1*4kB 0*8kB 2*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 36kB"), 1);
        assert_int_equal(r->n_zones, 2);
        assert_int_equal(r->zones[1].node, -1);
        assert_string_equal(r->zones[1].name, "HighMem");
        assert_string_equal(r->zones[1].buddy[0].types, "");
        assert_int_equal(r->zones[1].buddy[2].count, 2);
        assert_int_equal(r->zones[1].buddy_total_kb, 36);
        assert_true(r->zones[1].free_kb == NUM_UNSET);

        /* 4.4+ letters with H and C (lab arm64 CMA) */
        assert_int_equal(buddy(r, "Node 0 DMA: 3*4kB (UEC) 3*8kB (UMC) 1*16kB (C) 0*32kB 2*64kB (M) 2*128kB (UM) 1*256kB (M) 5*512kB (UMC) 1*1024kB (C) 1*2048kB (C) 54*4096kB (C) = 227508kB"), 1);
        assert_string_equal(r->zones[2].buddy[0].types, "UEC");
        assert_string_equal(r->zones[2].buddy[3].types, "");
        assert_int_equal(r->zones[2].buddy[10].count, 54);
        assert_int_equal(r->zones[2].buddy_total_kb, 227508);

        /* A second buddy line for the same zone name (next report's) gets a new entry. */
        assert_int_equal(buddy(r, "Node 0 DMA: 1*4kB (UMEH) 0*8kB = 4kB"), 1);
        assert_int_equal(r->n_zones, 4);
        assert_string_equal(r->zones[3].buddy[0].types, "UMEH");
}

static void test_buddy_page_sizes(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r16 = new_report();
        _cleanup_(oom_report_freep) struct oom_report *r64 = new_report();

        /* arm64 16K pages: MAX_ORDER 12 */
        assert_int_equal(buddy(r16, "Node 0 DMA: 10*16kB (UM) 5*32kB (M) 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB 0*8192kB 1*16384kB (M) 2*32768kB (C) = 82240kB"), 1);
        assert_int_equal(r16->page_kb, 16);
        assert_int_equal(r16->zones[0].n_buddy, 12);
        assert_int_equal(r16->zones[0].buddy[11].size_kb, 32768);

        /* arm64/ppc64 64K pages: 14 orders */
        assert_int_equal(buddy(r64, "Node 1 Normal: 120*64kB (UME) 31*128kB (UM) 7*256kB (M) 0*512kB 0*1024kB 0*2048kB 0*4096kB 0*8192kB 0*16384kB 0*32768kB 0*65536kB 0*131072kB 0*262144kB 3*524288kB (C) = 1586304kB"), 1);
        assert_int_equal(r64->page_kb, 64);
        assert_int_equal(r64->zones[0].node, 1);
        assert_int_equal(r64->zones[0].n_buddy, 14);
        assert_int_equal(r64->zones[0].buddy[13].count, 3);
        assert_int_equal(r64->zones[0].buddy_total_kb, 1586304);
}

static void test_buddy_malformed(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        char big[2048];

        assert_int_equal(buddy(r, "Node 0 DMA32 free:44592kB min:44640kB"), 0);
        assert_int_equal(buddy(r, "Node 0 DMA32:"), 0);
        assert_int_equal(buddy(r, "Mem-Info:"), 0);
        assert_int_equal(buddy(r, "DMA: abc"), 0);
        assert_int_equal(r->n_zones, 0);
        assert_int_equal(r->page_kb, 4);

        /* cut at the end: no total */
        assert_int_equal(buddy(r, "Normal: 1231*4kB (UE) 991*8kB (UE) 343*16kB"), 1);
        assert_int_equal(r->zones[0].n_buddy, 3);
        assert_true(r->zones[0].buddy_total_kb == NUM_UNSET);
        /* an order-0 size that is no page size leaves page_kb alone */
        assert_int_equal(buddy(r, "Normal: 1*12kB = 12kB"), 1);
        assert_int_equal(r->page_kb, 4);

        /* more orders than OOM_MAX_ORDERS, long letter sets: bounded */
        strcpy(big, "DMA:");
        for (int k = 0; k < 40; k++)
                strcat(big, " 1*4kB (UMEHCIUMEHCIUMEHCI)");
        strcat(big, " = 160kB");
        assert_int_equal(buddy(r, big), 1);
        struct oom_zone *z = &r->zones[r->n_zones - 1];
        assert_int_equal(z->n_buddy, OOM_MAX_ORDERS);
        assert_int_equal(strlen(z->buddy[0].types), sizeof(z->buddy[0].types) - 1);
        assert_int_equal(z->buddy_total_kb, 160);
}

static void test_counters(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        struct oom_memory *m = &r->memory;
        const char *l;

        /* 4.4+ split: one record with "\x0a" escapes (corpus 046) */
        l = "active_anon:174140 inactive_anon:569656 isolated_anon:32\\x0a active_file:115388 inactive_file:174776 isolated_file:0\\x0a unevictable:379892 dirty:104 writeback:0\\x0a slab_reclaimable:46841 slab_unreclaimable:180452\\x0a mapped:244977 shmem:376107 pagetables:100398 bounce:0\\x0a free:535262 free_pcp:52 free_cma:138";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 1);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "isolated_anon")->value, 32);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "active_file")->value, 115388);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "slab_unreclaimable")->value, 180452);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "free_cma")->value, 138);
        assert_int_equal(m->n_meminfo, 18);

        /* rsyslog "#012" (corpus 053-style) */
        {
                _cleanup_(oom_report_freep) struct oom_report *r2 = new_report();
                l = "active_anon:7355653 inactive_anon:660960 isolated_anon:0#012 active_file:1263 inactive_file:1167 isolated_file:32#012 unevictable:0 dirty:4 writeback:0 unstable:0";
                assert_int_equal(meminfo_parse_counters(&r2->memory, l, strlen(l)), 1);
                assert_int_equal(kv_find(r2->memory.meminfo, r2->memory.n_meminfo, "isolated_anon")->value, 0);
                assert_int_equal(kv_find(r2->memory.meminfo, r2->memory.n_meminfo, "active_file")->value, 1263);
                assert_int_equal(r2->memory.n_meminfo, 10);
        }

        /* the same counters printed as separate lines (syslog) add up per name only if repeated */
        l = " free:3510 free_pcp:553 free_cma:0";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 1);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "free")->value, 535262 + 3510);

        /* 2.6.22 "Active:90336 inactive:..." */
        l = "Active:90336 inactive:4 dirty:0 writeback:0 unstable:0";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 1);
        assert_int_equal(kv_find(m->meminfo, m->n_meminfo, "Active")->value, 90336);

        /* not counter lines: nothing changes */
        size_t before = m->n_meminfo;
        assert_int_equal(meminfo_parse_counters(m, "Mem-Info:", 9), 0);
        l = "Node 0 DMA free:7124kB min:412kB";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 0);
        l = "lowmem_reserve[]: 0 1679 1679 1679";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 0);
        l = "Node 0 DMA32: 74*4kB (UEM) = 296kB";
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 0);
        l = "active_anon:12kB inactive_anon:3kB"; /* units: a node/zone line, not pages */
        assert_int_equal(meminfo_parse_counters(m, l, strlen(l)), 0);
        assert_int_equal(meminfo_parse_counters(m, "", 0), 0);
        assert_int_equal(m->n_meminfo, before);
}

static void test_node_lines(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        struct oom_memory *m = &r->memory;
        const char *l;

        /* 6.1 (corpus 001): "shmem_thp: 0kB" with the space after the colon */
        l = "Node 0 active_anon:17128kB inactive_anon:2173780kB active_file:47228kB inactive_file:59048kB unevictable:16kB isolated(anon):0kB isolated(file):0kB mapped:47124kB dirty:116kB writeback:0kB shmem:7092kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 323584kB writeback_tmp:0kB kernel_stack:11092kB pagetables:11944kB sec_pagetables:0kB all_unreclaimable? no";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 1);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "anon_thp")->value, 323584);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "shmem_thp")->value, 0);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "kernel_stack")->value, 11092);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "isolated(anon)")->value, 0);
        assert_null(kv_find(m->node_fields, m->n_node_fields, "all_unreclaimable"));
        /* node 1 sums in */
        l = "Node 1 active_anon:1000kB kernel_stack:8kB all_unreclaimable? yes";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 1);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "active_anon")->value, 18128);
        assert_int_equal(kv_find(m->node_fields, m->n_node_fields, "kernel_stack")->value, 11100);

        size_t before = m->n_node_fields;
        l = "Node 0 DMA free:7124kB min:412kB";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 0);
        l = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 0);
        l = "Node 0 DMA32: 74*4kB (UEM) = 296kB";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 0);
        l = "active_anon:17128kB";
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 0);
        l = "Node 70000 active_anon:1kB"; /* node number out of range */
        assert_int_equal(meminfo_parse_node(m, l, strlen(l)), 0);
        assert_int_equal(m->n_node_fields, before);
}

static void test_hugepages(void **state) {
        (void) state;
        struct hugepage_sizes h = {};
        struct oom_memory m = { .hugepages_total = NUM_UNSET, .hugepages_free = NUM_UNSET,
                                .hugepages_size_kb = NUM_UNSET };
        const char *l;

        meminfo_hugepages_finish(&h, &m); /* none printed: stays unset */
        assert_true(m.hugepages_total == NUM_UNSET);

        l = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 1);
        l = "Node 0 hugepages_total=512 hugepages_free=12 hugepages_surp=0 hugepages_size=2048kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 1);
        l = "Node 1 hugepages_total=256 hugepages_free=4 hugepages_surp=0 hugepages_size=2048kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 1);
        l = "Node 1 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 1);
        assert_int_equal(h.n, 2);
        assert_int_equal(h.size[1].total, 768);
        assert_int_equal(h.size[1].free, 16);
        meminfo_hugepages_finish(&h, &m);
        assert_int_equal(m.hugepages_total, 768); /* 2M pool holds the most memory */
        assert_int_equal(m.hugepages_free, 16);
        assert_int_equal(m.hugepages_size_kb, 2048);

        /* two 1G pages (2 GiB) outweigh 768 2M pages (1.5 GiB) */
        l = "Node 0 hugepages_total=2 hugepages_free=1 hugepages_surp=0 hugepages_size=1048576kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 1);
        meminfo_hugepages_finish(&h, &m);
        assert_int_equal(m.hugepages_size_kb, 1048576);
        assert_int_equal(m.hugepages_total, 2);
        assert_int_equal(m.hugepages_free, 1);

        /* all empty: the first size */
        {
                struct hugepage_sizes e = {};
                l = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB";
                assert_int_equal(meminfo_parse_hugepages(&e, l, strlen(l)), 1);
                l = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB";
                assert_int_equal(meminfo_parse_hugepages(&e, l, strlen(l)), 1);
                meminfo_hugepages_finish(&e, &m);
                assert_int_equal(m.hugepages_size_kb, 2048);
                assert_int_equal(m.hugepages_total, 0);
        }

        /* not hugepage lines */
        l = "Node 0 active_anon:1kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 0);
        l = "hugepages_total=1 hugepages_size=2048kB";
        assert_int_equal(meminfo_parse_hugepages(&h, l, strlen(l)), 0);
        /* more than 8 sizes: bounded */
        for (int k = 0; k < 12; k++) {
                char b[128];
                snprintf(b, sizeof(b), "Node 0 hugepages_total=1 hugepages_free=0 hugepages_surp=0 hugepages_size=%dkB", 64 << k);
                assert_int_equal(meminfo_parse_hugepages(&h, b, strlen(b)), 1);
        }
        assert_int_equal(h.n, ELEMENTSOF(h.size));
}

static void test_percpu_and_slab(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        struct oom_memory *m = &r->memory;
        const char *l;

        assert_true(meminfo_is_percpu("Node 0 DMA per-cpu:", 19));
        assert_true(meminfo_is_percpu("Normal per-cpu: ", 16));
        l = "CPU    0: hi:  186, btch:  31 usd:  27";
        assert_true(meminfo_is_percpu(l, strlen(l)));
        l = "CPU: 0 PID: 90 Comm: hog Not tainted 6.1.0-56-amd64 #1";
        assert_false(meminfo_is_percpu(l, strlen(l)));
        assert_false(meminfo_is_percpu("Mem-Info:", 9));

        l = "Name                      Used          Total";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 1);
        assert_int_equal(m->n_unreclaimable_slab, 0);
        l = "RAWv6                      7KB          7KB";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 1);
        l = "kmalloc-2048         2139716KB    2140160KB";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 1);
        assert_int_equal(m->n_unreclaimable_slab, 2);
        assert_string_equal(m->unreclaimable_slab[0].key, "RAWv6");
        assert_int_equal(m->unreclaimable_slab[0].value, 7);
        assert_string_equal(m->unreclaimable_slab[1].key, "kmalloc-2048");
        assert_int_equal(m->unreclaimable_slab[1].value, 2139716);
        l = "Unreclaimable slab info:";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 0);
        l = "7KB 7KB";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 0);
        l = "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name";
        assert_int_equal(meminfo_parse_slab_row(m, l, strlen(l)), 0);
        assert_int_equal(m->n_unreclaimable_slab, 2);
}

static void test_hostile_bytes(void **state) {
        (void) state;
        _cleanup_(oom_report_freep) struct oom_report *r = new_report();
        struct hugepage_sizes h = {};
        size_t n = 1 << 20, idx;
        _cleanup_free_ char *buf = malloc(n);

        /* NULs, high bytes, separators: every parser returns without reading past n (ASan). */
        assert_non_null(buf);
        for (size_t k = 0; k < n; k++)
                buf[k] = (char) ("Node 0 DMA free:1kB\0\xff:#012\\x0a*4kB ()=lowmem_reserve[]: 9"[k % 56]);
        (void) meminfo_parse_counters(&r->memory, buf, n);
        (void) meminfo_parse_node(&r->memory, buf, n);
        (void) meminfo_parse_zone(r, buf, n, &idx);
        (void) meminfo_parse_buddy(r, buf, n);
        (void) meminfo_parse_hugepages(&h, buf, n);
        (void) meminfo_parse_slab_row(&r->memory, buf, n);
        (void) meminfo_is_percpu(buf, n);
        /* A zone line with thousands of fields keeps at most the split limit. */
        {
                size_t len = 0;
                len += (size_t) snprintf(buf + len, n - len, "Normal free:1kB");
                for (int k = 0; k < 5000; k++)
                        len += (size_t) snprintf(buf + len, n - len, " f%d:%dkB", k, k);
                size_t before = r->n_zones;
                assert_int_equal(meminfo_parse_zone(r, buf, len, &idx), 1);
                assert_int_equal(r->n_zones, before + 1);
                assert_true(r->zones[idx].n_fields <= 96);
                assert_int_equal(r->zones[idx].free_kb, 1);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_zone_2_6_32),
                cmocka_unit_test(test_zone_3_13_numa),
                cmocka_unit_test(test_zone_4_9_and_5_10),
                cmocka_unit_test(test_zone_5_17_boost_and_6_18),
                cmocka_unit_test(test_zone_glued_and_damaged),
                cmocka_unit_test(test_zone_rejects),
                cmocka_unit_test(test_lowmem_reserve),
                cmocka_unit_test(test_buddy_eras),
                cmocka_unit_test(test_buddy_page_sizes),
                cmocka_unit_test(test_buddy_malformed),
                cmocka_unit_test(test_counters),
                cmocka_unit_test(test_node_lines),
                cmocka_unit_test(test_hugepages),
                cmocka_unit_test(test_percpu_and_slab),
                cmocka_unit_test(test_hostile_bytes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
