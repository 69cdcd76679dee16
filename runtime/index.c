/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * index.c - builds one image's lookup index from its records, on the first
 * lookup that needs it (see wh_slot_index for who builds and who waits).
 *
 *   modules   validated tables (parse.c), sorted by key: key -> module index
 *   functions whence_fn records with a known key, a valid subprog and a sane
 *             size, sorted by entry, overlaps dropped: 16 bytes each
 *   sites     whence_site records (labels before calls) and whence_line
 *             records (memory instructions, loc flagged WH_SITE_LINE) inside
 *             a kept function whose loc chain ends at that function's
 *             subprog, merged and sorted by pc: 8 bytes each
 *   buckets   Go's findfunctab: per 4 KiB of text a base function index and
 *             16 u16 deltas, one per 256 bytes, so pc -> function is O(1)
 *
 * Everything lives in one mmap'ed block (no malloc: the build may run in a
 * signal handler) that is never freed, and holds offsets only: code offsets
 * from the image's lowest entry, table offsets from its whence_mod start.
 * Dropped records are counted and reported in one line per image.
 */
#include "internal.h"
#include "sort.h"

#include <string.h>

struct tsite {
    uint32_t pc_off;
    uint32_t loc;
};

#define KEY_LESS(a, b)  ((a)->key < (b)->key)
#define FN_LESS(a, b)   ((a)->entry < (b)->entry)
#define SITE_LESS(a, b) ((a)->pc_off < (b)->pc_off)
WH_DEFINE_SORT(sort_mods, struct wh_modkey, KEY_LESS)
WH_DEFINE_SORT(sort_fns, struct wh_span, FN_LESS)
WH_DEFINE_SORT(sort_sites, struct tsite, SITE_LESS)

struct drops {
    uint32_t key, subprog, size, overlap;        /* function records */
    uint32_t outside, loc, mismatch;              /* site records */
};

WH_RT static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

WH_RT static void part(struct wh_buf *w, bool *first, uint32_t n, const char *what) {
    if (!n)
        return;
    wh_buf_str(w, *first ? " (" : ", ");
    *first = false;
    wh_buf_dec(w, n);
    wh_buf_str(w, what);
}

WH_RT static void report_drops(uintptr_t ms, const struct drops *d, uint32_t nfrec,
                               uint32_t nsrec) {
    uint32_t nf = d->key + d->subprog + d->size + d->overlap;
    uint32_t ns = d->outside + d->loc + d->mismatch;
    if (!nf && !ns)
        return;
    struct wh_buf w = {.fd = 2};
    bool first;
    wh_buf_str(&w, "whence: image at ");
    wh_buf_hex(&w, ms);
    wh_buf_str(&w, ": dropped ");
    if (nf) {
        wh_buf_dec(&w, nf);
        wh_buf_str(&w, " of ");
        wh_buf_dec(&w, nfrec);
        wh_buf_str(&w, " function records");
        first = true;
        part(&w, &first, d->key, " with an unknown module key");
        part(&w, &first, d->subprog, " with a bad subprog");
        part(&w, &first, d->size, " with a bad size");
        part(&w, &first, d->overlap, " overlapping another");
        wh_buf_str(&w, ")");
    }
    if (nf && ns)
        wh_buf_str(&w, " and ");
    if (ns) {
        wh_buf_dec(&w, ns);
        wh_buf_str(&w, " of ");
        wh_buf_dec(&w, nsrec);
        wh_buf_str(&w, " site records");
        first = true;
        part(&w, &first, d->outside, " outside any function");
        part(&w, &first, d->loc, " with a bad loc");
        part(&w, &first, d->mismatch, " not naming their function (cross-module inlining?)");
        wh_buf_str(&w, ")");
    }
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
}

/* Greatest i with a[i].entry <= pc, or -1.  *hint is the previous answer:
 * records come in address order as the linker laid them out, so the next
 * one is almost always in the same function or a few after it. */
WH_RT static long fn_floor(const struct wh_span *a, uint32_t n, uintptr_t pc, uint32_t *hint) {
    uint32_t h = *hint;
    if (h < n && a[h].entry <= pc) {
        for (uint32_t step = 0; step < 8; step++, h++)
            if (h + 1 == n || a[h + 1].entry > pc)
                return (long)(*hint = h);
    }
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid].entry <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo)
        *hint = lo - 1;
    return (long)lo - 1;
}

WH_RT static uint32_t mod_by_key(const struct wh_modkey *mk, uint32_t n, uint64_t key) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mk[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && mk[lo].key == key ? lo : UINT32_MAX;
}

struct temps {
    void *p[11];
    size_t n[11];
};

WH_RT static void *temp(struct temps *t, int i, size_t size) {
    t->n[i] = size ? size : 1;
    t->p[i] = wh_map(t->n[i]);
    return t->p[i];
}

/* Code split off instrumented functions (fragments.c) joins the function
 * table as entries of its own, flagged, each naming its function
 * (*prim).  *tf is replaced by the merged table (a temp); *base and *span
 * follow.  The fragments are dropped rather than let the span pass
 * WH_MAX_SPAN.  False when out of memory. */
WH_RT static bool add_fragments(struct temps *t, const struct wh_modkey *mk, uint32_t nm,
                                uint32_t sub_bits,
                                struct wh_span **tf, uint32_t *nf, struct wh_span *fences,
                                uint32_t nfence, struct wh_fragments *fg, const uint8_t **fflags,
                                const uint32_t **prim, uintptr_t *base, uint32_t *span) {
    struct wh_span *f = *tf;
    uint32_t n = *nf;
    bool *fenced = temp(t, 7, (size_t)nm * sizeof(bool));
    if (!fenced)
        return false;
    bool any = false;
    for (uint32_t i = 0; i < nm; i++)
        any |= fenced[i] = (mk[i].m.flags & WHENCE_MOD_FENCED) != 0;
    if (!any) /* objects from before fences: no run of FDEs can be trusted */
        return true;
    sort_fns(fences, (struct wh_span *)t->p[3], nfence); /* p[3]: the functions' scratch */
    wh_fragments_find(f, n, fenced, sub_bits, fences, nfence, fg);
    if (!fg->n)
        return true;
    uintptr_t lo = f[0].entry < fg->v[0].start ? f[0].entry : fg->v[0].start;
    uintptr_t hi = f[n - 1].entry + f[n - 1].size;
    const struct wh_fragment *last = &fg->v[fg->n - 1];
    if (last->start + last->size > hi)
        hi = last->start + last->size;
    if (hi - lo > WH_MAX_SPAN) {
        wh_fragments_free(fg);
        return true;
    }
    uint32_t tot = n + fg->n;
    struct wh_span *m = temp(t, 8, (size_t)tot * sizeof *m);
    uint32_t *p = temp(t, 9, (size_t)tot * (sizeof(uint32_t) + 1));
    uint32_t *newidx = temp(t, 10, (size_t)n * sizeof(uint32_t));
    if (!m || !p || !newidx)
        return false;
    uint8_t *fl = (uint8_t *)(p + tot);
    uint32_t i = 0, j = 0;
    for (uint32_t k = 0; k < tot; k++) {
        if (j < fg->n && (i == n || fg->v[j].start < f[i].entry)) {
            const struct wh_fragment *g = &fg->v[j++];
            m[k] = (struct wh_span){g->start, g->size, f[g->owner].info};
            p[k] = g->owner; /* an old index until the loop below */
            fl[k] = (uint8_t)((WH_FN_FRAG | (g->framed ? WH_FN_FRAMED : 0)) >> 24);
        } else {
            m[k] = f[i];
            newidx[i] = k;
            p[k] = k;
            fl[k] = 0;
            i++;
        }
    }
    for (uint32_t k = 0; k < tot; k++)
        if (fl[k])
            p[k] = newidx[p[k]];
    *tf = m;
    *nf = tot;
    *prim = p;
    *fflags = fl;
    *base = lo;
    *span = (uint32_t)(hi - lo);
    return true;
}

WH_RT const struct wh_index *wh_index_build(struct wh_slot *s) {
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_acquire);
    uintptr_t me = s->mod_stop;
    uintptr_t fs = s->fn_start, fe = s->fn_stop, ss = s->site_start, se = s->site_stop;
    uintptr_t ls = s->line_start, le = s->line_stop;
    if (me - ms > UINT32_MAX) {
        wh_say_image(ms, "whence_mod section larger than 4 GiB");
        return NULL;
    }
    size_t nfrec = fs ? (fe - fs) / WHENCE_FN_RECORD_SIZE : 0;
    size_t nsite = ss ? (se - ss) / sizeof(struct whence_site_record) : 0;
    size_t nline = ls ? (le - ls) / 4 : 0; /* words: at most this many pcs */
    size_t nsrec = nsite + nline;
    if (nfrec >= UINT32_MAX || nsrec >= UINT32_MAX / 2) {
        wh_say_image(ms, "too many records");
        return NULL;
    }
    struct temps t = {{0}, {0}};
    struct wh_fragments fg = {0};
    const uint8_t *fflags = NULL; /* per function: WH_FN_FRAG | WH_FN_FRAMED */
    const uint32_t *prim = NULL;  /* per function: its primary (fragments only) */
    const struct wh_index *result = NULL;
    struct drops d = {0};

    /* ---- modules -------------------------------------------------------- */
    size_t modcap = (me - ms) / sizeof(struct whence_mod_header) + 1;
    struct wh_modkey *mk = temp(&t, 0, modcap * sizeof *mk);
    struct wh_modkey *mkt = temp(&t, 1, modcap * sizeof *mk);
    struct wh_span *tf = temp(&t, 2, nfrec * sizeof *tf);
    struct wh_span *tft = temp(&t, 3, nfrec * sizeof *tf);
    struct tsite *ts = temp(&t, 4, nsrec * sizeof *ts);
    struct tsite *tst = temp(&t, 5, nsrec * sizeof *ts);
    struct wh_span *fences = temp(&t, 6, nfrec * sizeof *tf);
    uint32_t nfence = 0;
    if (!mk || !mkt || !tf || !tft || !ts || !tst || !fences) {
        if (wh_once(WH_ONCE_NOMEM))
            wh_say_image(ms, "out of memory building the index");
        goto out;
    }
    uint32_t ignored = 0;
    uint32_t nm = wh_parse_mods(ms, me, mk, (uint32_t)modcap, &ignored);
    sort_mods(mk, mkt, nm);
    uint32_t k = 0;
    for (uint32_t i = 0; i < nm; i++) {
        if (k && mk[i].key == mk[k - 1].key) {
            /* The same table twice (one source compiled into two objects
             * that differ only in flat site positions): either answers for
             * both.  Not with slots: a slot holds the address of a loc in
             * its own copy, and a loc address must name one function.
             * Anything else is a collision and is said. */
            const struct whence_mod_header *a =
                (const struct whence_mod_header *)(ms + mk[i].table_off);
            const struct whence_mod_header *b =
                (const struct whence_mod_header *)(ms + mk[k - 1].table_off);
            if (!(a->flags & WHENCE_MOD_SLOTS) && a->total_size == b->total_size &&
                !memcmp(a, b, a->total_size))
                continue;
            struct wh_buf w = {.fd = 2};
            wh_buf_str(&w, "whence: ignoring module '");
            wh_buf_str(&w, wh_str(ms, &mk[i].m, mk[i].m.name));
            wh_buf_str(&w, "' at ");
            wh_buf_hex(&w, ms + mk[i].table_off);
            wh_buf_str(&w, ": its module key is already taken by '");
            wh_buf_str(&w, wh_str(ms, &mk[k - 1].m, mk[k - 1].m.name));
            wh_buf_str(&w, "'\n");
            wh_buf_flush(&w);
            continue;
        }
        mk[k++] = mk[i];
    }
    nm = k;
    uint32_t mod_bits = nm <= 1 ? 0 : 32 - (uint32_t)__builtin_clz(nm - 1);
    uint32_t sub_bits = 32 - mod_bits;

    /* ---- functions ------------------------------------------------------ */
    uint32_t nf = 0;
    uint64_t last_key = 0;
    uint32_t last_m = UINT32_MAX; /* records of one module come together */
    for (size_t i = 0; i < nfrec; i++) {
        const unsigned char *p = (const unsigned char *)fs + i * WHENCE_FN_RECORD_SIZE;
        int32_t rel;
        uint32_t size;
        uint64_t keysub;
        memcpy(&rel, p + WHENCE_FN_OFF_ENTRY, 4);
        memcpy(&size, p + WHENCE_FN_OFF_SIZE, 4);
        memcpy(&keysub, p + WHENCE_FN_OFF_KEYSUB, 8);
        if (!rel && !size && !keysub)
            continue; /* zero padding */
        uint64_t key = keysub >> WHENCE_FN_SUB_BITS;
        uint32_t sub = (uint32_t)keysub & WHENCE_FN_SUB_MAX;
        uint32_t m = key == last_key && last_m != UINT32_MAX ? last_m : mod_by_key(mk, nm, key);
        last_key = key;
        last_m = m;
        if (m == UINT32_MAX) {
            d.key++;
            continue;
        }
        uintptr_t entry = (uintptr_t)(p + WHENCE_FN_OFF_ENTRY) + (uintptr_t)(intptr_t)rel;
        if (sub == WHENCE_FN_FENCE) { /* not a function: ends a run of fragments */
            if (size && size <= WH_MAX_FN_SIZE && entry + size > entry)
                fences[nfence++] = (struct wh_span){entry, size, 0};
            continue;
        }
        if (sub >= mk[m].m.nsubprog || (sub_bits < 32 && (sub >> sub_bits))) {
            d.subprog++;
            continue;
        }
        if (size == 0 || size > WH_MAX_FN_SIZE || entry + size < entry) {
            d.size++;
            continue;
        }
        tf[nf].entry = entry;
        tf[nf].size = size;
        tf[nf].info = (uint32_t)((uint64_t)m << sub_bits) | sub;
        nf++;
    }
    /* Functions of an ignored table were explained by its message already;
     * sites of dropped functions are explained by either message. */
    bool fn_dropped = ignored || d.key || d.subprog || d.size;
    if (ignored)
        d.key = 0;
    sort_fns(tf, tft, nf);
    k = 0;
    for (uint32_t i = 0; i < nf; i++) {
        if (k && tf[i].entry < tf[k - 1].entry + tf[k - 1].size) {
            /* An exact duplicate (one function, two records) is harmless;
             * anything else overlapping is a bad record: keep the first. */
            if (!(tf[i].entry == tf[k - 1].entry && tf[i].size == tf[k - 1].size &&
                  tf[i].info == tf[k - 1].info))
                d.overlap++;
            continue;
        }
        tf[k++] = tf[i];
    }
    nf = k;
    uintptr_t base = nf ? tf[0].entry : ms;
    while (nf && tf[nf - 1].entry + tf[nf - 1].size - base > WH_MAX_SPAN) {
        nf--;
        d.size++;
    }
    uint32_t span = nf ? (uint32_t)(tf[nf - 1].entry + tf[nf - 1].size - base) : 0;
    if (nfence && nf && !add_fragments(&t, mk, nm, sub_bits, &tf, &nf, fences, nfence, &fg, &fflags,
                                       &prim, &base, &span)) {
        if (wh_once(WH_ONCE_NOMEM))
            wh_say_image(ms, "out of memory building the index");
        goto out;
    }

    /* ---- sites ---------------------------------------------------------- */
    uint32_t ns = 0;
    /* Call labels first, then line records.  A line record's loc arrives
     * after its pc words (whence_abi.h), so pending pcs wait for it. */
    size_t pending = 0, wi = 0;
    uint32_t line_loc = 0, hint = 0;
    for (size_t i = 0; i < nsite || wi < nline; i++) {
        bool line = i >= nsite;
        const unsigned char *p;
        int32_t rel;
        uint32_t loc;
        if (!line) {
            p = (const unsigned char *)ss + i * sizeof(struct whence_site_record);
            memcpy(&rel, p, 4);
            memcpy(&loc, p + 4, 4);
            if (!rel && !loc)
                continue; /* zero padding */
        } else {
            if (!pending) {
                /* Gather the pc words of the next group, then its loc. */
                size_t j = wi;
                uint32_t w = 0;
                while (j < nline) {
                    memcpy(&w, (const unsigned char *)ls + j * 4, 4);
                    if ((w & WHENCE_LINE_TAG_MASK) == WHENCE_LINE_LOC_TAG)
                        break;
                    j++;
                }
                if (j == nline) { /* pcs without a loc: a truncated stream */
                    d.loc += (uint32_t)(j - wi);
                    break;
                }
                pending = j - wi;
                line_loc = w & ~WHENCE_LINE_TAG_MASK;
                if (!pending) { /* a loc word with no pc: skip it */
                    wi = j + 1;
                    continue;
                }
            }
            p = (const unsigned char *)ls + wi * 4;
            memcpy(&rel, p, 4);
            loc = line_loc;
            wi++;
            if (--pending == 0)
                wi++; /* past the group's loc word */
            if (!rel)
                continue;
        }
        uintptr_t pc = (uintptr_t)p + (uintptr_t)(intptr_t)rel;
        long fi = pc - base < span ? fn_floor(tf, nf, pc, &hint) : -1;
        if (fi < 0 || pc - tf[fi].entry >= tf[fi].size) {
            d.outside++;
            continue;
        }
        uint32_t info = tf[fi].info;
        const struct wh_mod *m = &mk[(uint64_t)info >> sub_bits].m;
        uint32_t sub = info & (uint32_t)((UINT64_C(1) << sub_bits) - 1);
        if (WH_LOC_IN_TABLE(loc) ? loc >= m->nloc || loc >= WH_SITE_LINE
                                 : line || WHENCE_SITE_FLAT_LINE(loc) >= WHENCE_SITE_FLAT_LINE_LIMIT) {
            d.loc++;
            continue;
        }
        /* The chain's outermost position must be in this very function: a
         * site copied into another module's function (LTO) would otherwise
         * name the wrong table.  Chains are acyclic (parse.c).  A flat word
         * names the function it is in by construction. */
        const struct whence_loc *lc = (const struct whence_loc *)(ms + m->loc_off);
        if (WH_LOC_IN_TABLE(loc) && WHENCE_LOC_SUBPROG(&lc[wh_loc_root(lc, loc)]) != sub) {
            d.mismatch++;
            continue;
        }
        ts[ns].pc_off = (uint32_t)(pc - base);
        ts[ns].loc = loc | (line ? WH_SITE_LINE : 0);
        ns++;
    }
    if (fn_dropped || d.overlap)
        d.outside = 0;
    sort_sites(ts, tst, ns);
    k = 0;
    for (uint32_t i = 0; i < ns; i++) {
        if (k && ts[i].pc_off == ts[k - 1].pc_off) {
            /* Two records at one pc: keep one.  A call label beats a line
             * record (it carries the call's own position), and of two call
             * labels the later one (the sort is stable, records keep their
             * emission order): the earlier belongs to a call the optimizer
             * deleted after the label was placed (LTO), whose label stayed. */
            if (WH_SITE_IS_LINE(ts[k - 1].loc) || !WH_SITE_IS_LINE(ts[i].loc))
                ts[k - 1] = ts[i];
            continue;
        }
        ts[k++] = ts[i];
    }
    ns = k;

    /* ---- the index block -------------------------------------------------- */
    uint32_t nb = (uint32_t)(((uint64_t)span + (1u << WH_BUCKET_SHIFT) - 1) >> WH_BUCKET_SHIFT);
    size_t off_mods = align8(sizeof(struct wh_index));
    size_t off_funcs = align8(off_mods + (size_t)nm * sizeof(struct wh_mod));
    size_t off_sites = align8(off_funcs + ((size_t)nf + 1) * sizeof(struct wh_fn));
    size_t off_buckets = align8(off_sites + (size_t)ns * sizeof(struct wh_site));
    /* subprog -> function only where slots name calls by loc address (the
     * LOC tokens of wh_find_loc): images of site labels alone keep to
     * 16 bytes per function and 8 per site. */
    size_t nsubfn = 0;
    for (uint32_t i = 0; i < nm; i++)
        if (mk[i].m.flags & WHENCE_MOD_SLOTS)
            nsubfn += mk[i].m.nsubprog;
    size_t off_mbl = align8(off_buckets + (size_t)nb * sizeof(struct wh_bucket));
    size_t off_subfn = align8(off_mbl + (size_t)nm * sizeof(uint32_t));
    size_t off_prim = align8(off_subfn + nsubfn * sizeof(uint32_t));
    size_t total = off_prim + (prim ? (size_t)nf * sizeof(uint32_t) : 0);
    char *blk = wh_map(total);
    if (!blk) {
        if (wh_once(WH_ONCE_NOMEM))
            wh_say_image(ms, "out of memory building the index");
        goto out;
    }
    struct wh_index *ix = (struct wh_index *)blk;
    struct wh_mod *mods = (struct wh_mod *)(blk + off_mods);
    struct wh_fn *funcs = (struct wh_fn *)(blk + off_funcs);
    struct wh_site *sites = (struct wh_site *)(blk + off_sites);
    struct wh_bucket *buckets = (struct wh_bucket *)(blk + off_buckets);
    uint32_t *mbl = (uint32_t *)(blk + off_mbl);
    uint32_t *subfn = (uint32_t *)(blk + off_subfn);
    uint32_t *primary = prim ? (uint32_t *)(blk + off_prim) : NULL;
    if (primary)
        memcpy(primary, prim, (size_t)nf * sizeof(uint32_t));
    uint32_t nsf = 0;
    for (uint32_t i = 0; i < nm; i++) {
        mods[i] = mk[i].m;
        mods[i].subfn = nsf;
        if (mods[i].flags & WHENCE_MOD_SLOTS)
            nsf += mods[i].nsubprog;
        else
            mods[i].subfn = UINT32_MAX;
        /* insertion by loc_off: module counts are small, and the linker
         * mostly lays tables out in order already */
        uint32_t j = i;
        while (j > 0 && mods[mbl[j - 1]].loc_off > mods[i].loc_off) {
            mbl[j] = mbl[j - 1];
            j--;
        }
        mbl[j] = i;
    }
    memset(subfn, 0xff, nsubfn * sizeof(uint32_t));
    uint32_t j = 0;
    for (uint32_t i = 0; i < nf; i++) {
        funcs[i].entry_off = (uint32_t)(tf[i].entry - base);
        funcs[i].size = tf[i].size;
        funcs[i].info = tf[i].info;
        if (!fflags || !fflags[i]) { /* a fragment is not the function of a subprog */
            const struct wh_mod *fm = &mods[(uint64_t)tf[i].info >> sub_bits];
            if (fm->subfn != UINT32_MAX)
                subfn[fm->subfn + (tf[i].info & (uint32_t)((UINT64_C(1) << sub_bits) - 1))] = i;
        }
        while (j < ns && ts[j].pc_off < funcs[i].entry_off)
            j++; /* cannot happen: every kept site is inside a function */
        funcs[i].first_site = j;
        bool flat = true;
        for (; j < ns && ts[j].pc_off - funcs[i].entry_off < funcs[i].size; j++) {
            const struct wh_mod *m = &mk[(uint64_t)funcs[i].info >> sub_bits].m;
            const struct whence_loc *lc = (const struct whence_loc *)(ms + m->loc_off);
            uint32_t l = WH_SITE_LOC(&ts[j]);
            if (WH_LOC_IN_TABLE(l) && WHENCE_LOC_PARENT(&lc[l]))
                flat = false;
        }
        if (flat)
            funcs[i].size |= WH_FN_FLAT;
        if (fflags)
            funcs[i].size |= (uint32_t)fflags[i] << 24;
    }
    funcs[nf].entry_off = span; /* sentinel: stops the bucket scan */
    funcs[nf].size = 0;
    funcs[nf].first_site = ns;
    funcs[nf].info = 0;
    for (uint32_t i = 0; i < ns; i++) {
        sites[i].pc_off = ts[i].pc_off;
        sites[i].loc = ts[i].loc;
    }
    /* Sub-bucket b*16+q starts at a = (b*16+q)*256; its function is the last
     * one with entry <= a.  Deltas fit u16: at most 4096 functions start in a
     * 4 KiB bucket. */
    uint32_t fi = 0;
    for (uint32_t b = 0; b < nb; b++) {
        for (uint32_t q = 0; q < 16; q++) {
            uint64_t a = ((uint64_t)b << WH_BUCKET_SHIFT) + ((uint64_t)q << WH_SUB_SHIFT);
            while (fi + 1 < nf && funcs[fi + 1].entry_off <= a)
                fi++;
            if (q == 0)
                buckets[b].idx = fi;
            buckets[b].sub[q] = (uint16_t)(fi - buckets[b].idx);
        }
    }
    ix->nfuncs = nf;
    ix->nsites = ns;
    ix->nlines = 0;
    for (uint32_t i = 0; i < ns; i++)
        ix->nlines += WH_SITE_IS_LINE(sites[i].loc);
    ix->nmods = nm;
    ix->nbuckets = nb;
    ix->span = span;
    ix->sub_bits = sub_bits;
    ix->base_delta = (intptr_t)(base - ms);
    ix->funcs = funcs;
    ix->sites = sites;
    ix->buckets = buckets;
    ix->mods = mods;
    ix->mods_by_loc = mbl;
    ix->subfn = subfn;
    ix->primary = primary;
    ix->map_size = total;
    result = ix;
    report_drops(ms, &d, (uint32_t)nfrec, (uint32_t)nsrec);
out:
    for (int i = 0; i < 11; i++)
        wh_unmap(t.p[i], t.n[i]);
    wh_fragments_free(&fg);
    return result;
}
