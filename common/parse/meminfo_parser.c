/* SPDX-License-Identifier: MIT */
#include "meminfo_parser.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_util.h"

/* rsyslog escapes the newlines inside the multi-line Mem-Info printk as "#012"; some pastes
 * carry the /dev/kmsg "\x0a" escape literally (059). Both separate fields like a space. */
static size_t separator_len(const char *p, const char *end) {
        size_t left = (size_t)(end - p);

        if (*p == ' ' || *p == '\t' || *p == '\r')
                return 1;
        if (left >= 4 && memcmp(p, "#012", 4) == 0)
                return 4;
        if (left >= 4 && memcmp(p, "\\x0a", 4) == 0)
                return 4;
        return 0;
}

static bool next_field(struct scan *s, const char **ret, size_t *ret_len) {
        const char *start;
        size_t n;

        while (s->p < s->end && (n = separator_len(s->p, s->end)) > 0)
                s->p += n;
        start = s->p;
        while (s->p < s->end && separator_len(s->p, s->end) == 0)
                s->p++;
        if (s->p == start)
                return false;
        *ret = start;
        *ret_len = (size_t)(s->p - start);
        return true;
}

struct kv_item {
        const char *key;
        size_t keylen;
        int64_t value;
        bool kb;
        int flag; /* "all_unreclaimable? yes|no": 1/0; -1 for a number */
};

#define MAX_ITEMS 96

/* Split "key:value[kB]" fields, tolerating "shmem_thp: 0kB" (space after the colon, <=6.1)
 * and "all_unreclaimable? yes". Stops at a glued "lowmem_reserve[]:" and leaves s there.
 * Damaged fields (059's "d irty", "333768k B") are skipped, not guessed at. */
static size_t split_items(struct scan *s, struct kv_item *items, size_t max) {
        size_t n = 0;
        const char *f;
        size_t fl;

        while (n < max) {
                struct scan save = *s;
                const char *colon;

                if (!next_field(s, &f, &fl))
                        break;
                if (has_prefix(f, fl, "lowmem_reserve[]")) {
                        *s = save;
                        break;
                }
                if (fl > 1 && f[fl - 1] == '?') {
                        const char *v;
                        size_t vl;
                        struct scan peek = *s;
                        if (next_field(&peek, &v, &vl) && (
                                    (vl == 3 && memcmp(v, "yes", 3) == 0) ||
                                    (vl == 2 && memcmp(v, "no", 2) == 0))) {
                                *s = peek;
                                items[n++] = (struct kv_item) {
                                        .key = f, .keylen = fl - 1, .flag = vl == 3,
                                };
                        }
                        continue;
                }
                colon = memchr(f, ':', fl);
                if (!colon || colon == f)
                        continue;
                if (colon == f + fl - 1) {
                        /* "shmem_thp: 0kB": the value is the next field. */
                        const char *v;
                        size_t vl;
                        struct scan peek = *s;
                        if (next_field(&peek, &v, &vl) &&
                            parse_value_unit(v, vl, &items[n].value, &items[n].kb)) {
                                *s = peek;
                                items[n].key = f;
                                items[n].keylen = fl - 1;
                                items[n].flag = -1;
                                n++;
                        }
                        continue;
                }
                if (!parse_value_unit(colon + 1, (size_t)(f + fl - colon - 1), &items[n].value,
                                      &items[n].kb))
                        continue;
                items[n].key = f;
                items[n].keylen = (size_t)(colon - f);
                items[n].flag = -1;
                n++;
        }
        return n;
}

static bool is_ident_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '(' || c == ')';
}

static bool is_ident(const char *p, size_t len) {
        if (len == 0 || (p[0] >= '0' && p[0] <= '9'))
                return false;
        for (size_t i = 0; i < len; i++)
                if (!is_ident_char(p[i]))
                        return false;
        return true;
}

/* "Node 7 " prefix (CONFIG_NUMA). */
static bool scan_node_prefix(struct scan *s, int *ret_node) {
        struct scan t = *s;
        int64_t v;

        scan_ws(&t);
        if (!scan_lit(&t, "Node ") )
                return false;
        scan_ws(&t);
        if (!scan_i64(&t, &v) || v < 0 || v > 65535)
                return false;
        if (t.p < t.end && t.p[0] != ' ')
                return false;
        scan_ws(&t);
        *ret_node = (int) v;
        *s = t;
        return true;
}

int meminfo_parse_counters(struct oom_memory *m, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        struct { const char *k; size_t kl; int64_t v; } c[64];
        size_t n = 0, bad = 0;
        const char *f;
        size_t fl;

        while (next_field(&s, &f, &fl)) {
                const char *colon = memchr(f, ':', fl);
                int64_t v;

                if (!colon || !is_ident(f, (size_t)(colon - f)) ||
                    !parse_i64_full(colon + 1, (size_t)(f + fl - colon - 1), &v)) {
                        /* The first field decides what the line is. */
                        if (n == 0)
                                return 0;
                        bad++;
                        continue;
                }
                if (n < ELEMENTSOF(c))
                        c[n++] = (typeof(c[0])) { f, (size_t)(colon - f), v };
        }
        if (n == 0 || bad > n)
                return 0;
        for (size_t i = 0; i < n; i++) {
                int r = kv_accumulate(&m->meminfo, &m->n_meminfo, c[i].k, c[i].kl, c[i].v);
                if (r == -ENOMEM)
                        return r;
        }
        return 1;
}

int meminfo_parse_node(struct oom_memory *m, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        struct kv_item items[MAX_ITEMS];
        const char *f;
        size_t fl, n;
        int node;

        if (!scan_node_prefix(&s, &node))
                return 0;
        /* The first field must be a counter: "Node 0 DMA free:" is a zone line. */
        {
                struct scan peek = s;
                const char *colon;
                if (!next_field(&peek, &f, &fl))
                        return 0;
                colon = memchr(f, ':', fl);
                if (!colon || colon == f + fl - 1 || memchr(f, '=', fl))
                        return 0;
        }
        n = split_items(&s, items, ELEMENTSOF(items));
        if (n == 0)
                return 0;
        for (size_t i = 0; i < n; i++) {
                int r;
                if (items[i].flag >= 0)
                        continue; /* all_unreclaimable? is per node, not summable */
                r = kv_accumulate(&m->node_fields, &m->n_node_fields, items[i].key,
                                  items[i].keylen, items[i].value);
                if (r == -ENOMEM)
                        return r;
        }
        return 1;
}

/* Zone-line fields with a dedicated struct member; all of them are kB as printed. */
static const struct {
        const char *key;
        size_t offset;
} zone_fields[] = {
        { "free", offsetof(struct oom_zone, free_kb) },
        { "boost", offsetof(struct oom_zone, boost_kb) },                   /* 5.17+ */
        { "min", offsetof(struct oom_zone, min_kb) },
        { "low", offsetof(struct oom_zone, low_kb) },
        { "high", offsetof(struct oom_zone, high_kb) },
        { "reserved_highatomic", offsetof(struct oom_zone, reserved_highatomic_kb) }, /* 5.10+ */
        { "free_highatomic", offsetof(struct oom_zone, free_highatomic_kb) },         /* 6.15+ */
        { "present", offsetof(struct oom_zone, present_kb) },
        { "managed", offsetof(struct oom_zone, managed_kb) },                 /* 3.8+ */
        { "free_cma", offsetof(struct oom_zone, free_cma_kb) },               /* 3.8+ */
        { "free_pcp", offsetof(struct oom_zone, free_pcp_kb) },               /* 4.4+ */
};

static bool scan_zone_name(struct scan *s, const char **ret, size_t *ret_len) {
        const char *start;

        scan_ws(s);
        start = s->p;
        while (s->p < s->end && ((*s->p >= 'A' && *s->p <= 'Z') || (*s->p >= 'a' && *s->p <= 'z') ||
                                 (*s->p >= '0' && *s->p <= '9') || *s->p == '_'))
                s->p++;
        if (s->p == start || (size_t)(s->p - start) >= sizeof(((struct oom_zone *)0)->name))
                return false;
        *ret = start;
        *ret_len = (size_t)(s->p - start);
        return true;
}

int meminfo_parse_zone(struct oom_report *r, const char *t, size_t len, size_t *ret_zone) {
        struct scan s = scan_make(t, len);
        struct kv_item items[MAX_ITEMS];
        struct oom_zone *z;
        const char *name;
        size_t namelen, n;
        int node = -1, k;

        (void) scan_node_prefix(&s, &node);
        if (!scan_zone_name(&s, &name, &namelen) || !scan_lit(&s, " "))
                return 0;
        scan_ws(&s);
        if (!has_prefix(s.p, scan_left(&s), "free:"))
                return 0;
        n = split_items(&s, items, ELEMENTSOF(items));
        if (n == 0)
                return 0;

        if (r->n_zones >= OOM_MAX_ZONES) {
                *ret_zone = SIZE_MAX; /* recognised; more zones than any machine has */
                return 1;
        }
        z = &r->zones[r->n_zones];
        oom_zone_init(z);
        z->node = node;
        copy_bounded(z->name, sizeof(z->name), name, namelen);
        for (size_t i = 0; i < n; i++) {
                if (items[i].flag >= 0) {
                        if (items[i].keylen == strlen("all_unreclaimable") &&
                            memcmp(items[i].key, "all_unreclaimable", items[i].keylen) == 0)
                                z->all_unreclaimable = items[i].flag;
                        continue;
                }
                for (size_t j = 0; j < ELEMENTSOF(zone_fields); j++)
                        if (strlen(zone_fields[j].key) == items[i].keylen &&
                            memcmp(zone_fields[j].key, items[i].key, items[i].keylen) == 0) {
                                *(int64_t *)((char *)z + zone_fields[j].offset) = items[i].value;
                                break;
                        }
                k = kv_append(&z->fields, &z->n_fields, items[i].key, items[i].keylen,
                              items[i].value);
                if (k == -ENOMEM) {
                        free(z->fields);
                        oom_zone_init(z);
                        return k;
                }
        }
        r->n_zones++;
        /* rsyslog glued the next line on (053, 059). */
        scan_ws(&s);
        if (has_prefix(s.p, scan_left(&s), "lowmem_reserve[]"))
                (void) meminfo_parse_lowmem_reserve(z, s.p, scan_left(&s));
        *ret_zone = r->n_zones - 1;
        return 1;
}

int meminfo_parse_lowmem_reserve(struct oom_zone *z, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        size_t n = 0;

        scan_ws(&s);
        if (!scan_lit(&s, "lowmem_reserve[]:"))
                return 0;
        for (;;) {
                int64_t v;
                scan_ws(&s);
                if (!scan_i64(&s, &v))
                        break; /* end, garbage or a value beyond int64 */
                if (n < OOM_MAX_ZONE_TYPES && z)
                        z->lowmem_reserve_pages[n] = v;
                n++;
        }
        if (z)
                z->n_lowmem_reserve = MIN(n, (size_t) OOM_MAX_ZONE_TYPES);
        return 1;
}

static struct oom_zone *zone_for_buddy(struct oom_report *r, int node, const char *name, size_t namelen) {
        char nm[16];

        copy_bounded(nm, sizeof(nm), name, namelen);
        for (size_t i = r->n_zones; i > 0; i--) {
                struct oom_zone *z = &r->zones[i - 1];
                if (z->node == node && strcmp(z->name, nm) == 0 && z->n_buddy == 0)
                        return z;
        }
        if (r->n_zones >= OOM_MAX_ZONES)
                return NULL;
        oom_zone_init(&r->zones[r->n_zones]);
        r->zones[r->n_zones].node = node;
        memcpy(r->zones[r->n_zones].name, nm, sizeof(nm));
        return &r->zones[r->n_zones++];
}

int meminfo_parse_buddy(struct oom_report *r, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        struct buddy_order b[OOM_MAX_ORDERS];
        struct oom_zone *z;
        const char *name;
        size_t namelen, n = 0;
        int64_t total = NUM_UNSET;
        int node = -1;

        (void) scan_node_prefix(&s, &node);
        if (!scan_zone_name(&s, &name, &namelen) || !scan_lit(&s, ":"))
                return 0;
        for (;;) {
                int64_t count, size;
                scan_ws(&s);
                if (scan_lit(&s, "=")) {
                        int64_t v;
                        scan_ws(&s);
                        if (scan_i64(&s, &v) && (scan_lit(&s, "kB") || scan_lit(&s, "KB")))
                                total = v;
                        break;
                }
                if (!scan_i64(&s, &count) || !scan_lit(&s, "*") || !scan_i64(&s, &size) ||
                    !scan_lit(&s, "kB"))
                        break;
                if (n < OOM_MAX_ORDERS) {
                        b[n] = (struct buddy_order) { .count = count, .size_kb = size };
                }
                scan_ws(&s);
                if (scan_lit(&s, "(")) {
                        const char *close = memchr(s.p, ')', scan_left(&s));
                        if (!close)
                                break;
                        if (n < OOM_MAX_ORDERS)
                                copy_bounded(b[n].types, sizeof(b[n].types), s.p,
                                             (size_t)(close - s.p));
                        s.p = close + 1;
                }
                n++;
        }
        if (n == 0)
                return 0;
        z = zone_for_buddy(r, node, name, namelen);
        if (!z)
                return 1;
        z->n_buddy = MIN(n, (size_t) OOM_MAX_ORDERS);
        memcpy(z->buddy, b, z->n_buddy * sizeof(b[0]));
        z->buddy_total_kb = total;
        /* PAGE_SIZE is the order-0 block: 4kB x86, 16kB/64kB arm64 and ppc64 configurations. */
        if (b[0].size_kb > 0 && b[0].size_kb <= 1024 && (b[0].size_kb & (b[0].size_kb - 1)) == 0)
                r->page_kb = b[0].size_kb;
        return 1;
}

bool meminfo_is_percpu(const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        int64_t cpu;

        trim(&t, &len);
        if (len >= 8 && memcmp(t + len - 8, "per-cpu:", 8) == 0)
                return true;
        scan_ws(&s);
        if (!scan_lit(&s, "CPU"))
                return false;
        scan_ws(&s);
        if (!scan_i64(&s, &cpu) || !scan_lit(&s, ":"))
                return false;
        return find_str(s.p, scan_left(&s), "hi:") != NULL;
}

int meminfo_parse_hugepages(struct hugepage_sizes *h, const char *t, size_t len) {
        struct scan s = scan_make(t, len);
        int64_t total = NUM_UNSET, free_ = NUM_UNSET, size = NUM_UNSET;
        const char *f;
        size_t fl;
        int node;

        if (!scan_node_prefix(&s, &node))
                return 0;
        if (!has_prefix(s.p, scan_left(&s), "hugepages_"))
                return 0;
        while (scan_token(&s, &f, &fl)) {
                const char *eq = memchr(f, '=', fl);
                int64_t v;
                if (!eq || !parse_value_unit(eq + 1, (size_t)(f + fl - eq - 1), &v, NULL))
                        continue;
                if (has_prefix(f, fl, "hugepages_total="))
                        total = v;
                else if (has_prefix(f, fl, "hugepages_free="))
                        free_ = v;
                else if (has_prefix(f, fl, "hugepages_size="))
                        size = v;
        }
        if (!num_set(size))
                return 1;
        for (size_t i = 0; i < h->n; i++)
                if (h->size[i].size_kb == size) {
                        int64_t x;
                        if (num_set(total) && !add_overflow_i64(h->size[i].total, total, &x))
                                h->size[i].total = x;
                        if (num_set(free_) && !add_overflow_i64(h->size[i].free, free_, &x))
                                h->size[i].free = x;
                        return 1;
                }
        if (h->n < ELEMENTSOF(h->size)) {
                h->size[h->n].size_kb = size;
                h->size[h->n].total = num_set(total) ? total : 0;
                h->size[h->n].free = num_set(free_) ? free_ : 0;
                h->n++;
        }
        return 1;
}

void meminfo_hugepages_finish(const struct hugepage_sizes *h, struct oom_memory *m) {
        size_t best = 0;
        __int128 best_kb = -1;

        if (h->n == 0)
                return;
        for (size_t i = 0; i < h->n; i++) {
                __int128 kb = (__int128) h->size[i].total * h->size[i].size_kb;
                if (kb > best_kb) {
                        best_kb = kb;
                        best = i;
                }
        }
        m->hugepages_total = h->size[best].total;
        m->hugepages_free = h->size[best].free;
        m->hugepages_size_kb = h->size[best].size_kb;
}

int meminfo_parse_slab_row(struct oom_memory *m, const char *t, size_t len) {
        const char *p = t, *tok[2];
        size_t l = len, tl[2];
        int64_t used, total;

        trim(&p, &l);
        /* Scan the two numeric columns from the right: slab names have no spaces today, but a
         * right-anchored parse does not care. */
        for (int i = 1; i >= 0; i--) {
                size_t e = l;
                while (l > 0 && p[l - 1] != ' ' && p[l - 1] != '\t')
                        l--;
                tok[i] = p + l;
                tl[i] = e - l;
                while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
                        l--;
        }
        if (l == 0)
                return 0;
        if (tl[0] == 4 && memcmp(tok[0], "Used", 4) == 0 && tl[1] == 5 && memcmp(tok[1], "Total", 5) == 0)
                return 1;
        if (tl[0] < 2 || memcmp(tok[0] + tl[0] - 2, "KB", 2) != 0 ||
            !parse_value_unit(tok[0], tl[0], &used, NULL) ||
            !parse_value_unit(tok[1], tl[1], &total, NULL))
                return 0;
        {
                int r = kv_append(&m->unreclaimable_slab, &m->n_unreclaimable_slab, p, l, used);
                if (r == -ENOMEM)
                        return r;
        }
        return 1;
}
