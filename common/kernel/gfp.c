/* SPDX-License-Identifier: MIT */
/* GFP decoding. Everything version-dependent is a table row with the kernel versions it holds
 * for; the marks [V x] / [U] are the ones of ../shared/reference/kernel-facts.md (§2, §3, §4):
 * [V x] = read in the kernel tree tagged x there, [U] = boundary from memory/OOMAnalyser notes.
 *
 * Three kinds of data:
 *   gfp_layouts[]  bit -> name, one row per column of §2.1;
 *   gfp_macros[]   composite masks (GFP_KERNEL, ...) defined by names, in the print order of the
 *                  kernel's __def_gfpflag_names, so a layout's values are computed, not typed;
 *   rules          migratetype, CMA and watermark-adjustment rows (§3, §4.2).
 * The composite string is rendered the way lib/vsprintf.c format_flags() (%pGg) does: walk the
 * name table, print every entry whose bits are all still set, clear them, hex for the rest. */
#include "gfp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "report.h"

struct gfp_bit {
        uint64_t bit;
        const char *name;
        /* The kernel defines the bit as 0 unless a config option is set (†CONFIG_LOCKDEP,
         * ‡CONFIG_KASAN_HW_TAGS). A set bit there may as well be a vendor flag (Android trees
         * put __GFP_CMA at 0x800000/0x1000000, §2.3), so it is only named when the printed
         * %pGg names say so. */
        bool cond;
        size_t len; /* strlen(name): name lookups compare lengths before bytes */
};

enum gfp_name_order {
        NAMES_CLASSIC,   /* 4.6-6.14 mmflags.h: composites, then a hand-ordered single list */
        NAMES_BIT_ORDER, /* 6.15-6.18+ [U start; V 6.18, 6.19]: singles generated in bit order */
};

struct gfp_layout {
        const char *name;
        struct kv_range kv;
        bool rhel7_only;
        enum gfp_name_order order;
        const struct gfp_bit *bits; /* terminated by { 0, NULL } */
};

#define B(v, n) { v, "__GFP_" n, false, sizeof("__GFP_" n) - 1 }
#define BC(v, n) { v, "__GFP_" n, true, sizeof("__GFP_" n) - 1 }
#define ZONE_BITS B(0x1, "DMA"), B(0x2, "HIGHMEM"), B(0x4, "DMA32")
#define END { 0, NULL, false, 0 }

/* 2.6.23-2.6.30: __GFP_MOVABLE still at 0x100000; moved to 0x08 with GFP_ZONE_TABLE in 2.6.31
 * [U: boundary from memory; 0x100000 seen in 2.6.2x gfp.h copies in the index]. */
static const struct gfp_bit bits_2_6_23[] = {
        ZONE_BITS,           B(0x10, "WAIT"),          B(0x20, "HIGH"),         B(0x40, "IO"),
        B(0x80, "FS"),       B(0x100, "COLD"),         B(0x200, "NOWARN"),      B(0x400, "REPEAT"),
        B(0x800, "NOFAIL"),  B(0x1000, "NORETRY"),     B(0x4000, "COMP"),       B(0x8000, "ZERO"),
        B(0x10000, "NOMEMALLOC"), B(0x20000, "HARDWALL"), B(0x40000, "THISNODE"),
        B(0x80000, "RECLAIMABLE"), B(0x100000, "MOVABLE"), END,
};

/* 2.6.32 column [V 2.6.32]. NOTRACK is 0 without CONFIG_KMEMCHECK there, but no other flag ever
 * used the bit, so it is named unconditionally. */
#define BITS_2_6_32_COMMON                                                                        \
        ZONE_BITS, B(0x8, "MOVABLE"), B(0x10, "WAIT"), B(0x20, "HIGH"), B(0x40, "IO"),            \
                B(0x80, "FS"), B(0x100, "COLD"), B(0x200, "NOWARN"), B(0x400, "REPEAT"),          \
                B(0x800, "NOFAIL"), B(0x1000, "NORETRY"), B(0x4000, "COMP"), B(0x8000, "ZERO"),   \
                B(0x10000, "NOMEMALLOC"), B(0x20000, "HARDWALL"), B(0x40000, "THISNODE"),         \
                B(0x80000, "RECLAIMABLE"), B(0x200000, "NOTRACK")
static const struct gfp_bit bits_2_6_32[] = { BITS_2_6_32_COMMON, END };

/* 3.0 column [V 3.0]: NO_KSWAPD, OTHER_NODE (2.6.38 [U]). */
static const struct gfp_bit bits_3_0[] = {
        BITS_2_6_32_COMMON, B(0x400000, "NO_KSWAPD"), B(0x800000, "OTHER_NODE"), END,
};
/* 3.2-3.5: WRITE [U: 3.2 from memory; present in 3.6 V]. */
static const struct gfp_bit bits_3_2[] = {
        BITS_2_6_32_COMMON, B(0x400000, "NO_KSWAPD"), B(0x800000, "OTHER_NODE"),
        B(0x1000000, "WRITE"), END,
};
/* 3.6 column [V 3.6]: MEMALLOC. The same bits come back for 3.15-4.0 (KMEMCG gone) [U]. */
#define BITS_3_6                                                                                  \
        BITS_2_6_32_COMMON, B(0x2000, "MEMALLOC"), B(0x400000, "NO_KSWAPD"),                      \
                B(0x800000, "OTHER_NODE"), B(0x1000000, "WRITE")
static const struct gfp_bit bits_3_6[] = { BITS_3_6, END };
/* 3.8-3.14 [V 3.8, 3.10, 3.13, 3.14]: KMEMCG. */
static const struct gfp_bit bits_3_8[] = { BITS_3_6, B(0x100000, "KMEMCG"), END };
/* RHEL 7 3.10: __GFP_ACCOUNT at 0x100000 instead of KMEMCG [U, OOMAnalyser's EL7 table]. */
static const struct gfp_bit bits_rhel7[] = { BITS_3_6, B(0x100000, "ACCOUNT"), END };
/* 4.1-4.3: NOACCOUNT [U]. */
static const struct gfp_bit bits_4_1[] = { BITS_3_6, B(0x100000, "NOACCOUNT"), END };

/* 4.4 renumbering [V 4.4]: WAIT -> RECLAIMABLE at 0x10; RECLAIM split in DIRECT/KSWAPD. */
#define BITS_4_4_COMMON                                                                           \
        ZONE_BITS, B(0x8, "MOVABLE"), B(0x10, "RECLAIMABLE"), B(0x20, "HIGH"), B(0x40, "IO"),     \
                B(0x80, "FS"), B(0x200, "NOWARN"), B(0x800, "NOFAIL"), B(0x1000, "NORETRY"),      \
                B(0x2000, "MEMALLOC"), B(0x4000, "COMP"), B(0x8000, "ZERO"),                      \
                B(0x10000, "NOMEMALLOC"), B(0x20000, "HARDWALL"), B(0x40000, "THISNODE"),         \
                B(0x80000, "ATOMIC")
static const struct gfp_bit bits_4_4[] = {
        BITS_4_4_COMMON,          B(0x100, "COLD"),         B(0x400, "REPEAT"),
        B(0x100000, "NOACCOUNT"), B(0x200000, "NOTRACK"),   B(0x400000, "DIRECT_RECLAIM"),
        B(0x800000, "OTHER_NODE"), B(0x1000000, "WRITE"),   B(0x2000000, "KSWAPD_RECLAIM"), END,
};
/* 4.5-4.9 [V 4.6, 4.9]: ACCOUNT replaces NOACCOUNT. */
static const struct gfp_bit bits_4_5[] = {
        BITS_4_4_COMMON,           B(0x100, "COLD"),       B(0x400, "REPEAT"),
        B(0x100000, "ACCOUNT"),    B(0x200000, "NOTRACK"), B(0x400000, "DIRECT_RECLAIM"),
        B(0x800000, "OTHER_NODE"), B(0x1000000, "WRITE"),  B(0x2000000, "KSWAPD_RECLAIM"), END,
};
/* 4.10-4.11 [V 4.10]: OTHER_NODE gone, WRITE and KSWAPD_RECLAIM move down. */
#define BITS_4_10_COMMON                                                                          \
        BITS_4_4_COMMON, B(0x100, "COLD"), B(0x100000, "ACCOUNT"), B(0x200000, "NOTRACK"),        \
                B(0x400000, "DIRECT_RECLAIM"), B(0x800000, "WRITE"),                              \
                B(0x1000000, "KSWAPD_RECLAIM")
static const struct gfp_bit bits_4_10[] = { BITS_4_10_COMMON, B(0x400, "REPEAT"), END };
/* 4.12 [V 4.12]: NOLOCKDEP (CONFIG_LOCKDEP only). */
static const struct gfp_bit bits_4_12[] = {
        BITS_4_10_COMMON, B(0x400, "REPEAT"), BC(0x2000000, "NOLOCKDEP"), END,
};
/* 4.13-4.14 [V 4.14]: REPEAT becomes RETRY_MAYFAIL. NOTRACK is still there in 4.14.0; 4.14.177
 * lost it to a stable backport [V 4.14.177] (nothing else took the bit). */
static const struct gfp_bit bits_4_13[] = {
        BITS_4_10_COMMON, B(0x400, "RETRY_MAYFAIL"), BC(0x2000000, "NOLOCKDEP"), END,
};
/* 4.15-4.17 [V 4.15]: COLD and NOTRACK gone. */
static const struct gfp_bit bits_4_15[] = {
        BITS_4_4_COMMON,        B(0x400, "RETRY_MAYFAIL"),     B(0x100000, "ACCOUNT"),
        B(0x400000, "DIRECT_RECLAIM"), B(0x800000, "WRITE"),   B(0x1000000, "KSWAPD_RECLAIM"),
        BC(0x2000000, "NOLOCKDEP"), END,
};
/* 4.18-5.0 renumbering [V 4.19, 4.20, 5.0]. */
static const struct gfp_bit bits_4_18[] = {
        ZONE_BITS,                B(0x8, "MOVABLE"),        B(0x10, "RECLAIMABLE"),
        B(0x20, "HIGH"),          B(0x40, "IO"),            B(0x80, "FS"),
        B(0x100, "WRITE"),        B(0x200, "NOWARN"),       B(0x400, "RETRY_MAYFAIL"),
        B(0x800, "NOFAIL"),       B(0x1000, "NORETRY"),     B(0x2000, "MEMALLOC"),
        B(0x4000, "COMP"),        B(0x8000, "ZERO"),        B(0x10000, "NOMEMALLOC"),
        B(0x20000, "HARDWALL"),   B(0x40000, "THISNODE"),   B(0x80000, "ATOMIC"),
        B(0x100000, "ACCOUNT"),   B(0x200000, "DIRECT_RECLAIM"), B(0x400000, "KSWAPD_RECLAIM"),
        BC(0x800000, "NOLOCKDEP"), END,
};
/* 5.1 renumbering [V 5.2, 5.3, 5.4, 5.10, 5.11]; the low 23 bits stay put through 6.19. */
#define BITS_5_1_LOW                                                                              \
        ZONE_BITS, B(0x8, "MOVABLE"), B(0x10, "RECLAIMABLE"), B(0x20, "HIGH"), B(0x40, "IO"),     \
                B(0x80, "FS"), B(0x100, "ZERO"), B(0x400, "DIRECT_RECLAIM"),                      \
                B(0x800, "KSWAPD_RECLAIM"), B(0x1000, "WRITE"), B(0x2000, "NOWARN"),              \
                B(0x4000, "RETRY_MAYFAIL"), B(0x8000, "NOFAIL"), B(0x10000, "NORETRY"),           \
                B(0x20000, "MEMALLOC"), B(0x40000, "COMP"), B(0x80000, "NOMEMALLOC"),             \
                B(0x100000, "HARDWALL"), B(0x200000, "THISNODE"), B(0x400000, "ACCOUNT")
static const struct gfp_bit bits_5_1[] = {
        BITS_5_1_LOW, B(0x200, "ATOMIC"), BC(0x800000, "NOLOCKDEP"), END,
};
/* 5.14-5.17 [V 5.14, 5.15, 5.17]: ZEROTAGS; SKIP_KASAN_POISON is unconditional here. */
static const struct gfp_bit bits_5_14[] = {
        BITS_5_1_LOW,           B(0x200, "ATOMIC"),    B(0x800000, "ZEROTAGS"),
        B(0x1000000, "SKIP_KASAN_POISON"), BC(0x2000000, "NOLOCKDEP"), END,
};
/* 5.18-6.2 [V 5.19, 6.1]: the KASAN bits need CONFIG_KASAN_HW_TAGS. */
#define BITS_5_18_HIGH                                                                            \
        B(0x800000, "ZEROTAGS"), BC(0x1000000, "SKIP_ZERO"),                                      \
                BC(0x2000000, "SKIP_KASAN_UNPOISON"), BC(0x4000000, "SKIP_KASAN_POISON"),         \
                BC(0x8000000, "NOLOCKDEP")
static const struct gfp_bit bits_5_18[] = { BITS_5_1_LOW, B(0x200, "ATOMIC"), BITS_5_18_HIGH, END };
/* 6.3 [U start]: __GFP_ATOMIC removed. */
static const struct gfp_bit bits_6_3[] = { BITS_5_1_LOW, BITS_5_18_HIGH, END };
/* 6.4-6.9 hex defines [V 6.4, 6.5, 6.6, 6.8; torvalds gfp_types.h @16f5dfbc]. */
static const struct gfp_bit bits_6_4[] = {
        BITS_5_1_LOW,           B(0x800000, "ZEROTAGS"), BC(0x1000000, "SKIP_ZERO"),
        BC(0x2000000, "SKIP_KASAN"), BC(0x4000000, "NOLOCKDEP"), END,
};
/* 6.10+ enum [V 6.12, 6.14, 6.18, 6.19]: bits 0-23 fixed; above that SKIP_ZERO, SKIP_KASAN,
 * NOLOCKDEP, NO_OBJ_EXT are numbered only if configured, so their position is unknowable from
 * the hex and they stay unknown bits (6.12 prints NO_OBJ_EXT as leftover hex too). */
static const struct gfp_bit bits_6_10[] = { BITS_5_1_LOW, B(0x800000, "ZEROTAGS"), END };

/* Ordered oldest first; ranges of the non-RHEL rows are contiguous. */
static const struct gfp_layout gfp_layouts[] = {
        { "2.6.23-2.6.30", { KV_MIN, KV(2, 6, 30) }, false, NAMES_CLASSIC, bits_2_6_23 },
        { "2.6.31-2.6.37", { KV(2, 6, 31), KV(2, 6, 37) }, false, NAMES_CLASSIC, bits_2_6_32 },
        { "2.6.38-3.1", { KV(2, 6, 38), KV_END(3, 1) }, false, NAMES_CLASSIC, bits_3_0 },
        { "3.2-3.5", { KV(3, 2, 0), KV_END(3, 5) }, false, NAMES_CLASSIC, bits_3_2 },
        { "3.6-3.7", { KV(3, 6, 0), KV_END(3, 7) }, false, NAMES_CLASSIC, bits_3_6 },
        { "3.8-3.14", { KV(3, 8, 0), KV_END(3, 14) }, false, NAMES_CLASSIC, bits_3_8 },
        { "3.10-el7", { KV(3, 10, 0), KV_END(3, 10) }, true, NAMES_CLASSIC, bits_rhel7 },
        { "3.15-4.0", { KV(3, 15, 0), KV_END(4, 0) }, false, NAMES_CLASSIC, bits_3_6 },
        { "4.1-4.3", { KV(4, 1, 0), KV_END(4, 3) }, false, NAMES_CLASSIC, bits_4_1 },
        { "4.4", { KV(4, 4, 0), KV_END(4, 4) }, false, NAMES_CLASSIC, bits_4_4 },
        { "4.5-4.9", { KV(4, 5, 0), KV_END(4, 9) }, false, NAMES_CLASSIC, bits_4_5 },
        { "4.10-4.11", { KV(4, 10, 0), KV_END(4, 11) }, false, NAMES_CLASSIC, bits_4_10 },
        { "4.12", { KV(4, 12, 0), KV_END(4, 12) }, false, NAMES_CLASSIC, bits_4_12 },
        { "4.13-4.14", { KV(4, 13, 0), KV_END(4, 14) }, false, NAMES_CLASSIC, bits_4_13 },
        { "4.15-4.17", { KV(4, 15, 0), KV_END(4, 17) }, false, NAMES_CLASSIC, bits_4_15 },
        { "4.18-5.0", { KV(4, 18, 0), KV_END(5, 0) }, false, NAMES_CLASSIC, bits_4_18 },
        { "5.1-5.13", { KV(5, 1, 0), KV_END(5, 13) }, false, NAMES_CLASSIC, bits_5_1 },
        { "5.14-5.17", { KV(5, 14, 0), KV_END(5, 17) }, false, NAMES_CLASSIC, bits_5_14 },
        { "5.18-6.2", { KV(5, 18, 0), KV_END(6, 2) }, false, NAMES_CLASSIC, bits_5_18 },
        { "6.3", { KV(6, 3, 0), KV_END(6, 3) }, false, NAMES_CLASSIC, bits_6_3 },
        { "6.4-6.9", { KV(6, 4, 0), KV_END(6, 9) }, false, NAMES_CLASSIC, bits_6_4 },
        { "6.10-6.14", { KV(6, 10, 0), KV_END(6, 14) }, false, NAMES_CLASSIC, bits_6_10 },
        /* the mmflags.h reordering happened somewhere in 6.15-6.18 [U], same bits */
        { "6.15+", { KV(6, 15, 0), KV_MAX }, false, NAMES_BIT_ORDER, bits_6_10 },
};

/* Composite masks, defined by the names they are made of (a name is a layout bit or another
 * macro; a name the layout lacks counts 0, as the kernel's config-off defines do). The order is
 * the print order of __def_gfpflag_names [V 4.6 ... 6.14]; rows for one name have disjoint
 * ranges. ≤4.5 printed hex only, the same order is used for our rendering. */
struct gfp_macro {
        const char *name;
        size_t name_len; /* strlen(name), set by MACRO_NAME() */
        struct kv_range kv;
        const char *set[8];
        const char *clear[2];
        bool with_singles; /* printed among the single flags (__GFP_RECLAIM) */
};

#define MACRO_NAME(n) n, sizeof(n) - 1
#define FROM(a, b) { KV(a, b, 0), KV_MAX }
#define UPTO(a, b) { KV_MIN, KV_END(a, b) }
#define SPAN(a, b, c, d) { KV(a, b, 0), KV_END(c, d) }

static const struct gfp_macro gfp_macros[] = {
        /* §2.4 [V 2.6.32 (absent), 3.10, 4.4, 4.6, 4.9]; 2.6.38 start [U] */
        { MACRO_NAME("GFP_TRANSHUGE"), { KV(2, 6, 38), KV_END(4, 3) },
          { "GFP_HIGHUSER_MOVABLE", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_NORETRY",
            "__GFP_NOWARN", "__GFP_NO_KSWAPD" }, {}, false },
        { MACRO_NAME("GFP_TRANSHUGE"), SPAN(4, 4, 4, 5),
          { "GFP_HIGHUSER_MOVABLE", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_NORETRY",
            "__GFP_NOWARN" }, { "__GFP_KSWAPD_RECLAIM" }, false },
        { MACRO_NAME("GFP_TRANSHUGE"), SPAN(4, 6, 4, 7),
          { "GFP_HIGHUSER_MOVABLE", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_NORETRY",
            "__GFP_NOWARN" }, { "__GFP_RECLAIM" }, false },
        { MACRO_NAME("GFP_TRANSHUGE"), FROM(4, 8), { "GFP_TRANSHUGE_LIGHT", "__GFP_DIRECT_RECLAIM" }, {}, false },
        /* 4.8 start [U]; present 4.9, absent 4.6 [V] */
        { MACRO_NAME("GFP_TRANSHUGE_LIGHT"), FROM(4, 8),
          { "GFP_HIGHUSER_MOVABLE", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_NOWARN" },
          { "__GFP_RECLAIM" }, false },
        /* [V 2.6.32, 4.4, 5.10, 5.14, 5.19, 6.1, 6.4] */
        { MACRO_NAME("GFP_HIGHUSER_MOVABLE"), UPTO(5, 13), { "GFP_HIGHUSER", "__GFP_MOVABLE" }, {}, false },
        { MACRO_NAME("GFP_HIGHUSER_MOVABLE"), SPAN(5, 14, 5, 19),
          { "GFP_HIGHUSER", "__GFP_MOVABLE", "__GFP_SKIP_KASAN_POISON" }, {}, false },
        { MACRO_NAME("GFP_HIGHUSER_MOVABLE"), SPAN(6, 0, 6, 3),
          { "GFP_HIGHUSER", "__GFP_MOVABLE", "__GFP_SKIP_KASAN_POISON",
            "__GFP_SKIP_KASAN_UNPOISON" }, {}, false },
        { MACRO_NAME("GFP_HIGHUSER_MOVABLE"), FROM(6, 4),
          { "GFP_HIGHUSER", "__GFP_MOVABLE", "__GFP_SKIP_KASAN" }, {}, false },
        { MACRO_NAME("GFP_HIGHUSER"), { KV_MIN, KV_MAX }, { "GFP_USER", "__GFP_HIGHMEM" }, {}, false },
        { MACRO_NAME("GFP_USER"), { KV_MIN, KV_MAX }, { "GFP_KERNEL", "__GFP_HARDWALL" }, {}, false },
        /* removed in 4.14 [V 4.14] */
        { MACRO_NAME("GFP_TEMPORARY"), UPTO(4, 13), { "GFP_KERNEL", "__GFP_RECLAIMABLE" }, {}, false },
        /* 4.5: printed on 4.5-rc2 (corpus 025) */
        { MACRO_NAME("GFP_KERNEL_ACCOUNT"), FROM(4, 5), { "GFP_KERNEL", "__GFP_ACCOUNT" }, {}, false },
        { MACRO_NAME("GFP_KERNEL"), UPTO(4, 3), { "__GFP_WAIT", "__GFP_IO", "__GFP_FS" }, {}, false },
        { MACRO_NAME("GFP_KERNEL"), FROM(4, 4), { "__GFP_RECLAIM", "__GFP_IO", "__GFP_FS" }, {}, false },
        { MACRO_NAME("GFP_NOFS"), UPTO(4, 3), { "__GFP_WAIT", "__GFP_IO" }, {}, false },
        { MACRO_NAME("GFP_NOFS"), FROM(4, 4), { "__GFP_RECLAIM", "__GFP_IO" }, {}, false },
        { MACRO_NAME("GFP_ATOMIC"), UPTO(4, 3), { "__GFP_HIGH" }, {}, false },
        { MACRO_NAME("GFP_ATOMIC"), SPAN(4, 4, 6, 2), { "__GFP_HIGH", "__GFP_ATOMIC", "__GFP_KSWAPD_RECLAIM" },
          {}, false },
        { MACRO_NAME("GFP_ATOMIC"), FROM(6, 3), { "__GFP_HIGH", "__GFP_KSWAPD_RECLAIM" }, {}, false },
        { MACRO_NAME("GFP_NOIO"), UPTO(4, 3), { "__GFP_WAIT" }, {}, false },
        { MACRO_NAME("GFP_NOIO"), FROM(4, 4), { "__GFP_RECLAIM" }, {}, false },
        /* ≤4.3 GFP_NOWAIT is 0 and can never be printed */
        { MACRO_NAME("GFP_NOWAIT"), SPAN(4, 4, 6, 7), { "__GFP_KSWAPD_RECLAIM" }, {}, false },
        /* 6.8+ [V 6.8; 6.6 without NOWARN; 6.7 U] */
        { MACRO_NAME("GFP_NOWAIT"), FROM(6, 8), { "__GFP_KSWAPD_RECLAIM", "__GFP_NOWARN" }, {}, false },
        { MACRO_NAME("GFP_DMA"), { KV_MIN, KV_MAX }, { "__GFP_DMA" }, {}, false },
        { MACRO_NAME("__GFP_HIGHMEM"), { KV_MIN, KV_MAX }, { "__GFP_HIGHMEM" }, {}, false },
        { MACRO_NAME("GFP_DMA32"), { KV_MIN, KV_MAX }, { "__GFP_DMA32" }, {}, false },
        { MACRO_NAME("__GFP_RECLAIM"), FROM(4, 4), { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM" }, {}, true },
};

/* Single-flag print order of mmflags.h 4.6-6.14 [V]; __GFP_WAIT placed where 3.x gfpflags.h had
 * it. Bits of a layout not listed here follow in bit order. */
static const char *const classic_singles[] = {
        "__GFP_HIGH",        "__GFP_WAIT",          "__GFP_ATOMIC",         "__GFP_IO",
        "__GFP_FS",          "__GFP_COLD",          "__GFP_NOWARN",         "__GFP_REPEAT",
        "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",      "__GFP_NORETRY",        "__GFP_COMP",
        "__GFP_ZERO",        "__GFP_NOMEMALLOC",    "__GFP_MEMALLOC",       "__GFP_HARDWALL",
        "__GFP_THISNODE",    "__GFP_RECLAIMABLE",   "__GFP_MOVABLE",        "__GFP_ACCOUNT",
        "__GFP_NOTRACK",     "__GFP_WRITE",         "__GFP_RECLAIM",        "__GFP_DIRECT_RECLAIM",
        "__GFP_KSWAPD_RECLAIM", "__GFP_OTHER_NODE",
};

/* gfp -> migratetype (§3.3). */
struct migratetype_rule {
        struct kv_range kv;
        enum gfp_migratetype both_bits; /* RECLAIMABLE|MOVABLE together */
};
static const struct migratetype_rule migratetype_rules[] = {
        /* (MOVABLE?2:0)|(RECLAIMABLE?1:0), 3 = MIGRATE_RESERVE [V 2.6.32, 3.10, 3.14] */
        { UPTO(4, 3), MT_RESERVE },
        /* (flags & (RECLAIMABLE|MOVABLE)) >> 3, 3 = MIGRATE_HIGHATOMIC [V 4.4, 4.14, 4.19, 6.6] */
        { FROM(4, 4), MT_HIGHATOMIC },
};

/* Who gets ALLOC_CMA (§3.4). */
struct cma_rule {
        struct kv_range kv;
        bool movable_may_use;
};
static const struct cma_rule cma_rules[] = {
        /* 3.6 has MIGRATE_CMA but no ALLOC_CMA [V 3.6]; nothing before. 3.7 [U]. */
        { UPTO(3, 7), false },
        /* movable requests only [V 3.8, 3.14, 4.4, 4.19, 5.10, 6.1, 6.6, 6.12, 6.19] */
        { FROM(3, 8), true },
};

/* What decides the min reduction (§4.1, §4.2 "Result for min"). */
enum harder_source {
        HARDER_CANNOT_SLEEP,  /* !(WAIT|NO_KSWAPD) && !NOMEMALLOC -> ALLOC_HARDER [V 2.6.32, 3.14] */
        HARDER_ATOMIC_BIT,    /* __GFP_ATOMIC && !NOMEMALLOC -> ALLOC_HARDER [V 4.4, 4.14, 5.10, 6.1] */
        HARDER_NON_BLOCK,     /* 6.3+: !DIRECT_RECLAIM && !NOMEMALLOC -> ALLOC_NON_BLOCK, which
                               * only reduces min together with ALLOC_MIN_RESERVE [V 6.6, 6.12] */
};
struct wmark_rule {
        struct kv_range kv;
        enum harder_source harder;
};
static const struct wmark_rule wmark_rules[] = {
        { UPTO(4, 3), HARDER_CANNOT_SLEEP },
        { SPAN(4, 4, 6, 2), HARDER_ATOMIC_BIT },
        { FROM(6, 3), HARDER_NON_BLOCK },
};

/* ------------------------------------------------------------------------------------------ */

#define RESOLVE_DEPTH_MAX 6
#define NAME_TOKENS_MAX 48

/* Name lookups run tens of thousands of times per decode (every candidate layout and version
 * segment renders the mask, resolving composites recursively), so they compare the stored
 * length first, and the version range before the name: a strcmp() per table row was a tenth
 * of `oomlens analyze` on a log with a few hundred reports. Macro rows carry their name's
 * length too (MACRO_NAME). */
static const struct gfp_bit *layout_find_bit_n(const struct gfp_layout *l, const char *name, size_t len) {
        for (const struct gfp_bit *b = l->bits; b->name; b++)
                if (b->len == len && memcmp(b->name, name, len) == 0)
                        return b;
        return NULL;
}

static const struct gfp_bit *layout_find_bit(const struct gfp_layout *l, const char *name) {
        return layout_find_bit_n(l, name, strlen(name));
}

static const struct gfp_macro *macro_find_n(const char *name, size_t len, int64_t kv) {
        for (size_t i = 0; i < ELEMENTSOF(gfp_macros); i++)
                if (gfp_macros[i].name_len == len && memcmp(gfp_macros[i].name, name, len) == 0 &&
                    kv_range_contains(gfp_macros[i].kv, kv))
                        return &gfp_macros[i];
        return NULL;
}

static const struct gfp_macro *macro_find(const char *name, int64_t kv) {
        return macro_find_n(name, strlen(name), kv);
}

/* Macro values already resolved for one (layout, version, full): a rendering resolves every
 * composite, and each one again inside the bigger ones (GFP_TRANSHUGE contains GFP_KERNEL five
 * levels down). Lives on the caller's stack for one rendering. */
struct macro_memo {
        uint64_t known; /* bit i: val[i] holds gfp_macros[i] */
        uint64_t val[ELEMENTSOF(gfp_macros)];
};
_Static_assert(ELEMENTSOF(gfp_macros) <= 64, "struct macro_memo: one bit per gfp_macros row");

static uint64_t resolve_macro(const struct gfp_layout *l, int64_t kv, bool full,
                              const struct gfp_macro *m, int depth, struct macro_memo *memo, bool *cut);

/* The value of a flag or macro name in layout l at version kv; 0 when the kernel has no such
 * name (or it is a config-conditional bit and `full` is false). memo may be NULL; *cut (if
 * given) is set when the depth limit truncated the resolution, so its value is not cached. */
static uint64_t resolve_name(const struct gfp_layout *l, int64_t kv, bool full, const char *name,
                             int depth, struct macro_memo *memo, bool *cut) {
        const struct gfp_bit *b;
        const struct gfp_macro *m;
        size_t len;

        if (depth > RESOLVE_DEPTH_MAX) {
                if (cut)
                        *cut = true;
                return 0;
        }
        len = strlen(name);
        b = layout_find_bit_n(l, name, len);
        if (b)
                return (!b->cond || full) ? b->bit : 0;
        m = macro_find_n(name, len, kv);
        if (m)
                return resolve_macro(l, kv, full, m, depth + 1, memo, cut);
        return 0;
}

static uint64_t resolve_macro(const struct gfp_layout *l, int64_t kv, bool full,
                              const struct gfp_macro *m, int depth, struct macro_memo *memo, bool *cut) {
        size_t idx = (size_t) (m - gfp_macros);
        bool sub_cut = false;
        uint64_t v = 0;

        if (memo && (memo->known & (UINT64_C(1) << idx)))
                return memo->val[idx];
        for (size_t i = 0; i < ELEMENTSOF(m->set) && m->set[i]; i++)
                v |= resolve_name(l, kv, full, m->set[i], depth, memo, &sub_cut);
        for (size_t i = 0; i < ELEMENTSOF(m->clear) && m->clear[i]; i++)
                v &= ~resolve_name(l, kv, full, m->clear[i], depth, memo, &sub_cut);
        if (sub_cut) {
                if (cut)
                        *cut = true;
        } else if (memo) {
                memo->val[idx] = v;
                memo->known |= UINT64_C(1) << idx;
        }
        return v;
}

static uint64_t layout_named_bits(const struct gfp_layout *l, bool full) {
        uint64_t v = 0;
        for (const struct gfp_bit *b = l->bits; b->name; b++)
                if (!b->cond || full)
                        v |= b->bit;
        return v;
}

static bool layout_has_cond_bits(const struct gfp_layout *l) {
        for (const struct gfp_bit *b = l->bits; b->name; b++)
                if (b->cond)
                        return true;
        return false;
}

/* Bounded "a|b|c" builder: stops (keeps what fits) when the buffer is full. */
struct name_buf {
        char *buf;
        size_t size, len;
        bool truncated;
};

static void name_buf_add(struct name_buf *nb, const char *s) {
        size_t n = strlen(s) + (nb->len > 0 ? 1 : 0);
        if (nb->truncated || nb->len + n + 1 > nb->size) {
                nb->truncated = true;
                return;
        }
        if (nb->len > 0)
                nb->buf[nb->len++] = '|';
        memcpy(nb->buf + nb->len, s, strlen(s));
        nb->len += strlen(s);
        nb->buf[nb->len] = '\0';
}

/* Emit name if all of its bits are still set (format_flags semantics). */
static void render_take(struct name_buf *nb, uint64_t *remaining, uint64_t v, const char *name) {
        if (v == 0 || (*remaining & v) != v)
                return;
        name_buf_add(nb, name);
        *remaining &= ~v;
}

/* The %pGg rendering of mask as kernel kv with layout l would print it. */
static void render_names(uint64_t mask, const struct gfp_layout *l, int64_t kv, bool full,
                         char *buf, size_t size) {
        struct name_buf nb = { buf, size, 0, false };
        struct macro_memo memo = {};
        uint64_t remaining = mask;
        const struct gfp_macro *reclaim = macro_find("__GFP_RECLAIM", kv);

        buf[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(gfp_macros) && remaining; i++) {
                const struct gfp_macro *m = &gfp_macros[i];
                if (m->with_singles || !kv_range_contains(m->kv, kv))
                        continue;
                render_take(&nb, &remaining, resolve_macro(l, kv, full, m, 0, &memo, NULL), m->name);
        }
        if (l->order == NAMES_BIT_ORDER) {
                if (reclaim)
                        render_take(&nb, &remaining, resolve_macro(l, kv, full, reclaim, 0, &memo, NULL),
                                    reclaim->name);
        } else {
                for (size_t i = 0; i < ELEMENTSOF(classic_singles) && remaining; i++)
                        render_take(&nb, &remaining,
                                    resolve_name(l, kv, full, classic_singles[i], 0, &memo, NULL),
                                    classic_singles[i]);
        }
        /* Remaining named bits (bit order): all singles in 6.15+, the unlisted ones otherwise. */
        for (int bit = 0; bit < 64 && remaining; bit++) {
                uint64_t v = UINT64_C(1) << bit;
                for (const struct gfp_bit *b = l->bits; b->name; b++)
                        if (b->bit == v && (!b->cond || full))
                                render_take(&nb, &remaining, v, b->name);
        }
        if (remaining) {
                char hex[24];
                snprintf(hex, sizeof(hex), "%#" PRIx64, remaining);
                name_buf_add(&nb, hex);
        }
}

/* Split "A|B|0x10" into trimmed tokens pointing into buf (modified in place). */
static size_t split_names(char *buf, char **tok, size_t max) {
        size_t n = 0;
        char *save = NULL;

        for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
                size_t len;
                while (*t == ' ' || *t == '\t')
                        t++;
                len = strlen(t);
                while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
                        t[--len] = '\0';
                if (len == 0)
                        continue;
                if (n == max)
                        return SIZE_MAX; /* more names than any kernel prints: not a match */
                tok[n++] = t;
        }
        return n;
}

static int cmp_str(const void *a, const void *b) {
        return strcasecmp(*(char *const *)a, *(char *const *)b);
}

struct printed_tokens {
        char buf[512];
        char *tok[NAME_TOKENS_MAX];
        size_t n;
        bool valid;
};

static void printed_tokens_init(struct printed_tokens *p, const char *printed) {
        size_t n = strlen(printed);

        p->valid = false;
        if (n >= sizeof(p->buf))
                return;
        memcpy(p->buf, printed, n + 1);
        p->n = split_names(p->buf, p->tok, ELEMENTSOF(p->tok));
        if (p->n == SIZE_MAX)
                return;
        qsort(p->tok, p->n, sizeof(p->tok[0]), cmp_str);
        p->valid = true;
}

/* Cheap pre-check: every printed name exists in this layout/version and together they make up
 * exactly the mask. Only then is the full rendering compared. */
static bool tokens_cover_mask(const struct printed_tokens *p, uint64_t mask,
                              const struct gfp_layout *l, int64_t kv, bool full) {
        struct macro_memo memo = {};
        uint64_t v = 0;

        for (size_t i = 0; i < p->n; i++) {
                const char *t = p->tok[i];
                uint64_t x;
                if (strncasecmp(t, "0x", 2) == 0) {
                        char *end;
                        x = strtoull(t, &end, 16);
                        if (*end)
                                return false;
                } else
                        x = resolve_name(l, kv, full, t, 0, &memo, NULL);
                if (x == 0 || (x & ~mask))
                        return false;
                v |= x;
        }
        return v == mask;
}

/* The printed names are compared as a set: 6.15-6.18 changed the print order (§2.5). */
static bool names_equal(const struct printed_tokens *p, const char *rendered) {
        struct printed_tokens r;

        printed_tokens_init(&r, rendered);
        if (!p->valid || !r.valid || p->n != r.n)
                return false;
        for (size_t i = 0; i < p->n; i++)
                if (strcasecmp(p->tok[i], r.tok[i]) != 0)
                        return false;
        return true;
}

/* Versions where some macro definition changes: rendering is constant between them. */
static size_t collect_boundaries(int64_t *out, size_t max) {
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(gfp_macros) && n + 2 <= max; i++) {
                out[n++] = gfp_macros[i].kv.from;
                if (gfp_macros[i].kv.to < KV_MAX)
                        out[n++] = gfp_macros[i].kv.to + 1;
        }
        return n;
}

struct candidate {
        const struct gfp_layout *layout;
        bool full;
        int64_t from, to; /* version segment the rendering holds for */
};

static int64_t distance_to(const struct candidate *c, int64_t kv) {
        if (kv < c->from)
                return c->from - kv;
        if (kv > c->to)
                return kv - c->to;
        return 0;
}

static const struct gfp_layout *layout_for_version(int64_t kv, bool rhel7);

/* Does candidate c render mask as the printed tokens? */
static bool candidate_matches(const struct candidate *c, uint64_t mask, const struct printed_tokens *tokens) {
        char rendered[512];

        if (!tokens_cover_mask(tokens, mask, c->layout, c->from, c->full))
                return false;
        render_names(mask, c->layout, c->from, c->full, rendered, sizeof(rendered));
        return names_equal(tokens, rendered);
}

/* The segment of layout l starting at from: up to the next boundary inside l. */
static struct candidate segment_at(const struct gfp_layout *l, bool full, int64_t from, const int64_t *bounds,
                                   size_t n_bounds) {
        struct candidate c = { l, full, from, l->kv.to };

        for (size_t j = 0; j < n_bounds; j++)
                if (bounds[j] > from && bounds[j] <= l->kv.to && bounds[j] - 1 < c.to)
                        c.to = bounds[j] - 1;
        return c;
}

/* Is c a better match than best for a kernel of version kv (kv_known) or of unknown version? */
static bool candidate_better(const struct candidate *c, const struct candidate *best, int64_t kv, bool kv_known) {
        if (kv_known) {
                int64_t d = distance_to(c, kv), bd = distance_to(best, kv);
                /* nearer wins; on a tie the plain (no config bits) one */
                return d < bd || (d == bd && best->full && !c->full);
        }
        return c->from > best->from || (c->from == best->from && best->full && !c->full);
}

/* The search below for a known kernel whose own segment reproduces the names without config
 * bits (almost every report): that candidate is at distance 0 and plain, and the search meets
 * no other such one before it (layouts in table order; the rhel7 rows, which overlap others,
 * excluded), so nothing replaces it. Spares rendering every layout and segment (0.3 M
 * instructions a report). */
static bool match_own_segment(uint64_t mask, const struct printed_tokens *tokens, int64_t kv, const int64_t *bounds,
                              size_t n_bounds, struct candidate *ret) {
        const struct gfp_layout *l = layout_for_version(kv, false);
        struct candidate c;
        int64_t from;

        if (!l)
                return false;
        from = l->kv.from;
        for (size_t i = 0; i < n_bounds; i++)
                if (bounds[i] > from && bounds[i] <= kv && bounds[i] <= l->kv.to)
                        from = bounds[i];
        c = segment_at(l, false, from, bounds, n_bounds);
        if (!candidate_matches(&c, mask, tokens))
                return false;
        *ret = c;
        return true;
}

/* Find the layout+version segment whose rendering of mask reproduces printed. Returns true
 * when found. kv_known: prefer the segment containing (or nearest to) kv; otherwise newest. */
static bool match_printed_names(uint64_t mask, const char *printed, bool rhel7, int64_t kv,
                                bool kv_known, struct candidate *ret) {
        int64_t bounds[2 * ELEMENTSOF(gfp_macros)];
        size_t n_bounds = collect_boundaries(bounds, ELEMENTSOF(bounds));
        struct candidate best = {};
        bool found = false;
        struct printed_tokens tokens;

        printed_tokens_init(&tokens, printed);
        if (!tokens.valid)
                return false;
        if (kv_known && !rhel7 && match_own_segment(mask, &tokens, kv, bounds, n_bounds, ret))
                return true;

        for (size_t li = 0; li < ELEMENTSOF(gfp_layouts); li++) {
                const struct gfp_layout *l = &gfp_layouts[li];
                if (l->rhel7_only && !rhel7)
                        continue;
                for (int full = 0; full <= (layout_has_cond_bits(l) ? 1 : 0); full++) {
                        /* segments: from the layout start and from every boundary inside it */
                        for (size_t si = 0; si <= n_bounds; si++) {
                                int64_t from = si == 0 ? l->kv.from : bounds[si - 1];
                                struct candidate c;

                                if (si > 0 && (from <= l->kv.from || from > l->kv.to))
                                        continue;
                                c = segment_at(l, full, from, bounds, n_bounds);
                                if (!candidate_matches(&c, mask, &tokens))
                                        continue;
                                if (!found || candidate_better(&c, &best, kv, kv_known))
                                        best = c;
                                found = true;
                        }
                }
        }
        if (found)
                *ret = best;
        return found;
}

static const struct gfp_layout *layout_for_version(int64_t kv, bool rhel7) {
        if (rhel7)
                for (size_t i = 0; i < ELEMENTSOF(gfp_layouts); i++)
                        if (gfp_layouts[i].rhel7_only && kv_range_contains(gfp_layouts[i].kv, kv))
                                return &gfp_layouts[i];
        for (size_t i = 0; i < ELEMENTSOF(gfp_layouts); i++)
                if (!gfp_layouts[i].rhel7_only && kv_range_contains(gfp_layouts[i].kv, kv))
                        return &gfp_layouts[i];
        return NULL;
}

static bool names_given(const char *printed) {
        if (!printed)
                return false;
        for (const char *p = printed; *p; p++)
                if (*p != ' ' && *p != '\t')
                        return true;
        return false;
}

static enum gfp_zone_type zone_from_bits(bool dma, bool highmem, bool dma32, bool movable) {
        /* GFP_ZONE_TABLE [V 2.6.32, 3.10, 4.4, 4.19, 6.6]; config-absent zones are mapped onto
         * the machine by zone_check.c. */
        unsigned idx = (dma ? 1 : 0) | (highmem ? 2 : 0) | (dma32 ? 4 : 0) | (movable ? 8 : 0);
        static const enum gfp_zone_type table[16] = {
                [0] = GFP_ZONE_NORMAL,         [1] = GFP_ZONE_DMA,
                [2] = GFP_ZONE_HIGHMEM,        [3] = GFP_ZONE_INVALID,
                [4] = GFP_ZONE_DMA32,          [5] = GFP_ZONE_INVALID,
                [6] = GFP_ZONE_INVALID,        [7] = GFP_ZONE_INVALID,
                [8] = GFP_ZONE_NORMAL,         [9] = GFP_ZONE_DMA,
                [10] = GFP_ZONE_MOVABLE,       [11] = GFP_ZONE_INVALID,
                [12] = GFP_ZONE_DMA32,         [13] = GFP_ZONE_INVALID,
                [14] = GFP_ZONE_INVALID,       [15] = GFP_ZONE_INVALID,
        };
        return table[idx];
}

#define RULE_FOR(table, kv)                                                                       \
        ({                                                                                        \
                __typeof__(&(table)[0]) _r = &(table)[0];                                         \
                for (size_t _i = 0; _i < ELEMENTSOF(table); _i++)                                 \
                        if (kv_range_contains((table)[_i].kv, kv))                                \
                                _r = &(table)[_i];                                                \
                _r;                                                                               \
        })

static bool has_name(uint64_t mask, const struct gfp_layout *l, int64_t kv, bool full,
                     const char *name);

static void fill_semantics(uint64_t mask, const struct gfp_layout *l, bool full, int64_t kv,
                           struct gfp_decoded *d) {
#define HAS(n) has_name(mask, l, kv, full, n)
        const struct migratetype_rule *mr = RULE_FOR(migratetype_rules, kv);
        const struct cma_rule *cr = RULE_FOR(cma_rules, kv);
        const struct wmark_rule *wr = RULE_FOR(wmark_rules, kv);
        bool harder = false, non_block = false;

        d->dma = HAS("__GFP_DMA");
        d->dma32 = HAS("__GFP_DMA32");
        d->highmem = HAS("__GFP_HIGHMEM");
        d->movable = HAS("__GFP_MOVABLE");
        d->reclaimable = HAS("__GFP_RECLAIMABLE");
        d->high = HAS("__GFP_HIGH");
        d->io = HAS("__GFP_IO");
        d->fs = HAS("__GFP_FS");
        d->nowarn = HAS("__GFP_NOWARN");
        d->noretry = HAS("__GFP_NORETRY");
        d->retry_mayfail = HAS("__GFP_RETRY_MAYFAIL") || HAS("__GFP_REPEAT");
        d->nofail = HAS("__GFP_NOFAIL");
        d->memalloc = HAS("__GFP_MEMALLOC");
        d->nomemalloc = HAS("__GFP_NOMEMALLOC");
        d->thisnode = HAS("__GFP_THISNODE");
        d->hardwall = HAS("__GFP_HARDWALL");
        d->comp = HAS("__GFP_COMP");
        d->account = HAS("__GFP_ACCOUNT") || HAS("__GFP_KMEMCG");
        if (layout_find_bit(l, "__GFP_WAIT")) {
                /* ≤4.3: one WAIT bit; kswapd is woken unless __GFP_NO_KSWAPD (2.6.38+) */
                d->can_direct_reclaim = HAS("__GFP_WAIT");
                d->kswapd = !HAS("__GFP_NO_KSWAPD");
        } else {
                d->can_direct_reclaim = HAS("__GFP_DIRECT_RECLAIM");
                d->kswapd = HAS("__GFP_KSWAPD_RECLAIM");
        }

        switch (wr->harder) {
        case HARDER_CANNOT_SLEEP:
                harder = !HAS("__GFP_WAIT") && !HAS("__GFP_NO_KSWAPD") && !d->nomemalloc;
                d->atomic = !d->can_direct_reclaim;
                break;
        case HARDER_ATOMIC_BIT:
                d->atomic = HAS("__GFP_ATOMIC");
                harder = d->atomic && !d->nomemalloc;
                break;
        case HARDER_NON_BLOCK:
                d->atomic = !d->can_direct_reclaim;
                non_block = d->atomic && !d->nomemalloc;
                break;
        }
        if (wr->harder == HARDER_NON_BLOCK)
                /* 6.3+: ALLOC_MIN_RESERVE (__GFP_HIGH) halves; NON_BLOCK only adds the extra
                 * quarter on top of it, alone it reduces nothing [V 6.4 ... 6.19] */
                d->wmark_adjust = d->high ? (non_block ? WMARK_ADJ_ATOMIC : WMARK_ADJ_HIGH)
                                          : WMARK_ADJ_NONE;
        else if (d->high)
                d->wmark_adjust = harder ? WMARK_ADJ_ATOMIC : WMARK_ADJ_HIGH;
        else
                d->wmark_adjust = harder ? WMARK_ADJ_HARDER : WMARK_ADJ_NONE;

        if (d->movable && d->reclaimable)
                d->migratetype = mr->both_bits;
        else if (d->movable)
                d->migratetype = MT_MOVABLE;
        else if (d->reclaimable)
                d->migratetype = MT_RECLAIMABLE;
        else
                d->migratetype = MT_UNMOVABLE;
        d->migratetype_name = gfp_migratetype_name(d->migratetype, kv);
        d->may_use_cma = cr->movable_may_use && d->migratetype == MT_MOVABLE;
        d->zone = zone_from_bits(d->dma, d->highmem, d->dma32, d->movable);
#undef HAS
}

static void decode_with(uint64_t mask, const struct gfp_layout *l, bool full, int64_t kv,
                        struct gfp_decoded *d) {
        uint64_t named = layout_named_bits(l, full);

        d->layout = l->name;
        d->kv = kv;
        for (int bit = 0; bit < 64; bit++) {
                uint64_t v = UINT64_C(1) << bit;
                if (!(mask & v) || !(named & v))
                        continue;
                for (const struct gfp_bit *b = l->bits; b->name; b++)
                        if (b->bit == v && (!b->cond || full) && d->n_flags < ELEMENTSOF(d->flags))
                                d->flags[d->n_flags++] = b->name;
        }
        d->unknown_bits = mask & ~named;
        render_names(mask, l, kv, full, d->composite, sizeof(d->composite));
        fill_semantics(mask, l, full, kv, d);
}

static bool has_name(uint64_t mask, const struct gfp_layout *l, int64_t kv, bool full,
                     const char *name) {
        uint64_t v = resolve_name(l, kv, full, name, 0, NULL, NULL);
        return v != 0 && (mask & v) == v;
}

static size_t count_tokens(const char *s) {
        size_t n = *s ? 1 : 0;
        for (; *s; s++)
                if (*s == '|')
                        n++;
        return n;
}

/* No version and no (matching) printed names. The newest layout that names every set bit, but
 * preferring the one whose rendering needs the fewest names (composites absorbing the bits), so
 * 0xd0 stays GFP_KERNEL instead of 4.4's __GFP_RECLAIMABLE|__GFP_IO|__GFP_FS. A non-zero mask
 * printed without %pGg names comes from a kernel that had none: ≤4.4 (4.5-rc printed them,
 * corpus 025). */
static const struct gfp_layout *guess_layout(uint64_t mask, bool had_names) {
        const struct gfp_layout *best = NULL;
        size_t best_score = SIZE_MAX;
        int64_t newest = (!had_names && mask != 0) ? KV_END(4, 4) : KV_MAX;

        for (size_t i = ELEMENTSOF(gfp_layouts); i-- > 0;) {
                const struct gfp_layout *l = &gfp_layouts[i];
                int64_t kv = l->kv.to < KV_MAX ? l->kv.to : l->kv.from;
                char rendered[512];
                size_t score;

                if (l->rhel7_only || l->kv.from > newest)
                        continue;
                render_names(mask, l, kv, false, rendered, sizeof(rendered));
                score = count_tokens(rendered) + ((mask & ~layout_named_bits(l, false)) ? 100 : 0);
                if (score < best_score) {
                        best = l;
                        best_score = score;
                }
        }
        return best;
}

int gfp_decode_kernel(uint64_t mask, const struct kernel_version *k, const char *printed_names,
                      struct gfp_decoded *ret) {
        struct gfp_decoded d = {};
        bool kv_known = k && k->known;
        int64_t kv = kv_known ? kernel_version_code(k) : KV_MAX - 1;
        bool rhel7 = kv_known && k->rhel7;
        const struct gfp_layout *l = NULL;
        bool full = false;
        int64_t rules_kv = kv;

        if (!ret)
                return -EINVAL;

        if (names_given(printed_names)) {
                struct candidate c;
                if (match_printed_names(mask, printed_names, rhel7, kv, kv_known, &c)) {
                        l = c.layout;
                        full = c.full;
                        d.names_matched = true;
                        if (!kv_known || kv < c.from || kv > c.to) {
                                /* the printed names contradict (or replace) the version: apply
                                 * the rules of the matching segment */
                                rules_kv = c.to < KV_MAX ? c.to : c.from;
                                d.ambiguous = !kv_known;
                        }
                } else
                        d.names_mismatch = true;
        }
        if (!l && kv_known)
                l = layout_for_version(kv, rhel7);
        if (!l) {
                l = guess_layout(mask, names_given(printed_names));
                d.ambiguous = true;
                rules_kv = l->kv.to < KV_MAX ? l->kv.to : l->kv.from;
        }
        decode_with(mask, l, full, rules_kv, &d);
        *ret = d;
        return 0;
}

int gfp_decode(uint64_t mask, int64_t kv, const char *printed_names, struct gfp_decoded *ret) {
        struct kernel_version k = {};

        if (kv >= 0 && kv < KV_MAX - 1) {
                k.known = true;
                k.major = (int)(kv >> 32);
                k.minor = (int)((kv >> 16) & 0xffff);
                k.patch = (int)(kv & 0xffff);
        }
        return gfp_decode_kernel(mask, &k, printed_names, ret);
}

int gfp_decode_trigger(const struct oom_report *r, struct gfp_decoded *ret) {
        if (!r || !ret)
                return -EINVAL;
        if (!r->trigger.has_gfp_mask)
                return -ENODATA;
        return gfp_decode_kernel(r->trigger.gfp_mask_value, &r->kernel,
                                 r->trigger.gfp_printed_names, ret);
}

int gfp_fill_trigger(struct oom_report *r) {
        struct gfp_decoded d;
        int k;

        k = gfp_decode_trigger(r, &d);
        if (k < 0)
                return k;
        gfp_fill_trigger_from(r, &d);
        return 0;
}

void gfp_fill_trigger_from(struct oom_report *r, const struct gfp_decoded *dp) {
        const struct gfp_decoded d = *dp;
        struct oom_trigger *t = &r->trigger;

        t->n_gfp_flags = MIN(d.n_flags, ELEMENTSOF(t->gfp_flags));
        for (size_t i = 0; i < t->n_gfp_flags; i++)
                t->gfp_flags[i] = d.flags[i];
        snprintf(t->gfp_composite, sizeof(t->gfp_composite), "%s", d.composite);
        if (d.unknown_bits)
                snprintf(t->gfp_unknown_bits, sizeof(t->gfp_unknown_bits), "%#" PRIx64,
                         d.unknown_bits);
        else
                t->gfp_unknown_bits[0] = '\0';
        t->gfp_layout = d.layout;
        t->migratetype = d.migratetype_name;
        t->highest_zone = gfp_highest_zone_name(&d);
        t->may_use_cma = d.may_use_cma;
        t->can_wait = d.can_direct_reclaim;
        t->watermark_adjust = gfp_wmark_adjust_name(d.wmark_adjust);
        t->gfp_layout_ambiguous = d.ambiguous;
        t->gfp_names_mismatch = d.names_mismatch;
}

const char *gfp_zone_type_name(enum gfp_zone_type t) {
        /* zone_names[] [V 3.14, 6.6]; Device has no name there (never printed) */
        static const char *const names[_GFP_ZONE_MAX] = {
                [GFP_ZONE_DMA] = "DMA",         [GFP_ZONE_DMA32] = "DMA32",
                [GFP_ZONE_NORMAL] = "Normal",   [GFP_ZONE_HIGHMEM] = "HighMem",
                [GFP_ZONE_MOVABLE] = "Movable", [GFP_ZONE_DEVICE] = "Device",
        };
        if (t < 0 || t >= _GFP_ZONE_MAX)
                return "invalid";
        return names[t];
}

const char *gfp_highest_zone_name(const struct gfp_decoded *d) {
        if (!d)
                return "invalid";
        return gfp_zone_type_name(d->zone);
}

const char *gfp_migratetype_name(enum gfp_migratetype mt, int64_t kv) {
        /* migratetype_names[]: the same spelling in every version; only the enum values moved
         * (≤4.3 U R M Reserve, 4.4+ U M R HighAtomic) [V 3.14, 4.4, 6.6] */
        switch (mt) {
        case MT_UNMOVABLE:
                return "Unmovable";
        case MT_MOVABLE:
                return "Movable";
        case MT_RECLAIMABLE:
                return "Reclaimable";
        case MT_HIGHATOMIC:
                return "HighAtomic";
        case MT_RESERVE:
                return "Reserve";
        case MT_UNKNOWN:
        default:
                return "unknown";
        }
}

const char *gfp_wmark_adjust_name(enum gfp_wmark_adjust a) {
        switch (a) {
        case WMARK_ADJ_HIGH:
                return "high";
        case WMARK_ADJ_ATOMIC:
                return "atomic";
        case WMARK_ADJ_HARDER:
                return "harder";
        case WMARK_ADJ_NONE:
        default:
                return "none";
        }
}
