/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * table.c - lookups in an image whose post-link lookup table (whence-link,
 * whence_abi.h: whence_tab) was adopted: the same answers as from its
 * records (image.c, accel.c), read from the table in place.
 *
 * Adoption (at registration, wh_tab_adopt) checks the header in O(1):
 * magic, version, sizes, the header checksum, the bounds of every array,
 * that it was built from exactly this image's records (their distance
 * from the table and their sizes) and that its span lies in the image's
 * code.  Nothing is copied or built.  Everything the lookups then follow
 * is checked where it is followed (a range index, a data offset, a varint,
 * a module's header and key, a subprog, a loc): a damaged table gives
 * "unknown" answers, never a read outside it.  A table that fails the
 * header check is ignored with one message, and the records answer.
 *
 *   pc -> range    the bucket of the pc (per 4 KiB) and its sub-bucket's
 *                  delta (per 128 bytes) give the range of the sub-bucket's
 *                  first byte; the few ranges that start later in it are
 *                  scanned.  A range is a function, a fence (a body that
 *                  is not instrumented: nobody's pc) or a fragment (code
 *                  split off a function: that function's pc, from = its
 *                  start)
 *   pc -> site     the range's changes (pc delta, site word) decoded up to
 *                  the pc, from the checkpoint below it (one per 16
 *                  changes)
 *   loc -> func    a frame slot names a whence_loc; the module directory
 *                  (sorted by address) gives its module, the subfn array
 *                  the function whose subprog ends its inline chain
 *
 * A whence_func of such an image is the address of its function's entry in
 * the table.  The misses (a pc between ranges; the other candidate, pc or
 * pc-1) follow image.c's wh_img_miss step by step, so the answers are the
 * same.  Async-signal-safe: no allocation, no lock.
 */
#include "lookup.h"
#include "tabfmt.h"

#include <string.h>

/* ---- adoption ------------------------------------------------------------------ */

/* A record section as the table remembers it. */
WH_RT WH_ONCE static bool same_records(uintptr_t ts, int64_t rel, uint32_t size, uintptr_t start,
                               uintptr_t stop) {
    if (!start || stop <= start)
        return rel == 0 && size == 0;
    return start - ts == (uintptr_t)rel && stop - start == size;
}

WH_RT WH_ONCE const char *wh_tab_adopt(struct wh_tab *t, uintptr_t ts, uintptr_t te, uintptr_t fs,
                               uintptr_t fe, uintptr_t ss, uintptr_t se, uintptr_t ms,
                               uintptr_t me, uintptr_t ls, uintptr_t le, uintptr_t lo,
                               uintptr_t hi) {
    memset(t, 0, sizeof *t);
    struct whence_tab_header h;
    /* No room, or room never written (the tool did not run): no table, and
     * nothing to say. */
    if (!ts || te <= ts || te - ts < sizeof h || (ts & 7))
        return NULL;
    memcpy(&h, (const void *)ts, sizeof h);
    if (h.magic == 0)
        return NULL;
    const char *why = wh_tab_check_header(&h, te - ts);
    if (why)
        return why;
    if (!same_records(ts, h.fn_rel, h.fn_size, fs, fe) ||
        !same_records(ts, h.site_rel, h.site_size, ss, se) ||
        !same_records(ts, h.mod_rel, h.mod_size, ms, me))
        return "it was built for other records";
    if (ls && le > ls)
        return "the image has line records";
    uintptr_t text = ts + (uintptr_t)h.text_rel;
    if (text < lo || text + h.span < text || text + h.span > hi)
        return "its functions lie outside the image's code";
    t->text = text;
    t->func = ts + h.func_off;
    t->bucket = ts + h.bucket_off;
    t->mod = ts + h.mod_off;
    t->subfn = ts + h.subfn_off;
    t->data = ts + h.data_off;
    t->span = h.span;
    t->nfunc = h.nfunc;
    t->nbucket = h.nbucket;
    t->nmod = h.nmod;
    t->nsubfn = h.nsubfn;
    t->data_size = h.data_size;
    t->base = ts;
    return NULL;
}

/* ---- ranges ----------------------------------------------------------------------- */

WH_RT static inline struct whence_tab_func range_at(const struct wh_tab *t, uint32_t i) {
    struct whence_tab_func f;
    memcpy(&f, (const void *)(t->func + (uintptr_t)i * sizeof f), sizeof f);
    return f;
}

/* Index of the range holding x, or UINT32_MAX (the end of a range is not
 * in it; callers that accept it ask for x - 1); its entry in *f, its size
 * in *size and its data past the size in *after. */
WH_RT static inline __attribute__((always_inline)) uint32_t
range_of(const struct wh_tab *t, uintptr_t x, struct whence_tab_func *f, uint32_t *size,
         const unsigned char **after) {
    uintptr_t off = x - t->text;
    if (off >= t->span)
        return UINT32_MAX;
    const unsigned char *b = (const unsigned char *)t->bucket +
                             (off >> WHENCE_TAB_BUCKET_SHIFT) * sizeof(struct whence_tab_bucket);
    uint32_t i;
    memcpy(&i, b + offsetof(struct whence_tab_bucket, idx), 4);
    i += b[offsetof(struct whence_tab_bucket, sub) +
           ((off >> WHENCE_TAB_SUB_SHIFT) & (WHENCE_TAB_NSUB - 1))];
    if (i >= t->nfunc)
        return UINT32_MAX;
    /* The few ranges that start later in the sub-bucket (start is the
     * entry's first field): the next four counted without a branch (the
     * starts are in order; a damaged table gives a wrong range, which the
     * checks below or its size reject), so that distinct pcs mispredict no
     * loop exit; more than that, one by one. */
    const unsigned char *a = (const unsigned char *)t->func + (uintptr_t)i * sizeof *f;
    const unsigned char *last = (const unsigned char *)t->func + (uintptr_t)(t->nfunc - 1) * sizeof *f;
    uint32_t k = 4;
    if (WH_LIKELY(t->nfunc - i > 4)) {
        uint32_t s1, s2, s3, s4;
        memcpy(&s1, a + 1 * sizeof *f, 4);
        memcpy(&s2, a + 2 * sizeof *f, 4);
        memcpy(&s3, a + 3 * sizeof *f, 4);
        memcpy(&s4, a + 4 * sizeof *f, 4);
        k = (uint32_t)(s1 <= off) + (uint32_t)(s2 <= off) + (uint32_t)(s3 <= off) +
            (uint32_t)(s4 <= off);
        a += (uintptr_t)k * sizeof *f;
    }
    if (WH_UNLIKELY(k == 4))
        for (uint32_t st; a < last && (memcpy(&st, a + sizeof *f, 4), st <= off);)
            a += sizeof *f;
    memcpy(f, a, sizeof *f);
    i = (uint32_t)((uintptr_t)(a - (const unsigned char *)t->func) / sizeof *f);
    if (f->start > off)
        return UINT32_MAX; /* a damaged bucket */
    uint32_t d = f->data & WHENCE_TAB_DATA_MASK, sz;
    const unsigned char *p = (const unsigned char *)t->data + d;
    if (d >= t->data_size || !wh_uv_get(&p, (const unsigned char *)t->data + t->data_size, &sz) ||
        off - f->start >= sz)
        return UINT32_MAX;
    *size = sz;
    *after = p;
    return i;
}

/* A range's description (whence_abi.h). */
struct trange {
    uint32_t kind, start, size, owner, flags; /* (a function's module word: func_mod) */
    const unsigned char *lines, *end; /* its changes (functions, fragments) */
};

WH_RT static bool range_get(const struct wh_tab *t, uint32_t i, struct trange *r) {
    if (i >= t->nfunc)
        return false;
    struct whence_tab_func f = range_at(t, i);
    uint32_t d = f.data & WHENCE_TAB_DATA_MASK;
    const unsigned char *p = (const unsigned char *)t->data + d;
    const unsigned char *end = (const unsigned char *)t->data + t->data_size;
    if (d >= t->data_size)
        return false;
    r->kind = f.data >> WHENCE_TAB_KIND_SHIFT;
    r->start = f.start;
    r->end = end;
    r->owner = r->flags = UINT32_MAX;
    if (!wh_uv_get(&p, end, &r->size))
        return false;
    switch (r->kind) {
    case WHENCE_TAB_FUNCTION: {
        uint32_t ms;
        if (!wh_uv_get(&p, end, &ms) || !t->nmod)
            return false;
        break;
    }
    case WHENCE_TAB_FRAGMENT:
        if (!wh_uv_get(&p, end, &r->owner) || !wh_uv_get(&p, end, &r->flags))
            return false;
        break;
    case WHENCE_TAB_FENCE:
        break;
    default:
        return false;
    }
    r->lines = p;
    return true;
}

/* ---- modules ------------------------------------------------------------------------ */

/* Module k of slot s's directory, its header and key checked now, into m:
 * false when it cannot be used. */
WH_RT static bool mod_check(const struct wh_slot *s, uint32_t k, struct wh_mod *m,
                            uint32_t *subfn) {
    const struct wh_tab *t = &s->tab;
    if (k >= t->nmod)
        return false;
    struct whence_tab_mod d;
    memcpy(&d, (const void *)(t->mod + (uintptr_t)k * sizeof d), sizeof d);
    uintptr_t ms = atomic_load_explicit(&((struct wh_slot *)s)->mod_start, memory_order_relaxed);
    if (d.off >= s->mod_stop - ms || wh_mod_header(ms + d.off, s->mod_stop - ms - d.off, m) ||
        m->key != d.key)
        return false;
    wh_pack_attach(t, t->mod + (uintptr_t)k * sizeof d, &d, m); /* else the arrays: tabloc.c */
    *subfn = d.subfn;
    return true;
}

WH_RT const struct wh_tmods *wh_tmods_build(const struct wh_slot *s) {
    size_t size = sizeof(struct wh_tmods) + (size_t)s->tab.nmod * sizeof(struct wh_tmod);
    struct wh_tmods *tm = wh_map(size);
    if (!tm)
        return NULL;
    tm->map_size = size; /* the entries: WH_TM_EMPTY (zero pages) */
    tm->n = s->tab.nmod;
    /* ceil(2^64 / n): module word / n by a multiplication (exact for any
     * 32-bit word and n >= 2; n == 1 is the word itself). */
    tm->inv = tm->n > 1 ? UINT64_MAX / tm->n + 1 : 0;
    return tm;
}

/* A function range's module word ms (module + nmod * subprog) split with
 * tm's reciprocal: the module index, the subprog in *sub. */
WH_RT static inline uint32_t tmods_split(const struct wh_tmods *tm, uint32_t ms, uint32_t *sub) {
    uint32_t q = tm->n > 1 ? (uint32_t)(((unsigned __int128)tm->inv * ms) >> 64) : ms;
    *sub = q;
    return ms - q * tm->n;
}

WH_RT void wh_tmods_free(const struct wh_tmods *tm) {
    if (tm)
        wh_unmap((void *)tm, tm->map_size);
}

/* Fills entry k of tm, if no one else is filling it (a thread that loses
 * the race, or a signal handler that interrupted the filler, checks the
 * module itself, as before the array existed). */
WH_RT static __attribute__((noinline)) const struct wh_mod *
tmod_fill(const struct wh_slot *s, struct wh_tmod *e, uint32_t k, struct wh_mod *buf,
          uint32_t *subfn) {
    uint32_t st = WH_TM_EMPTY;
    if (!atomic_compare_exchange_strong_explicit(&e->state, &st, WH_TM_FILLING,
                                                 memory_order_acquire, memory_order_acquire)) {
        if (st == WH_TM_OK) {
            *subfn = e->subfn;
            return &e->m;
        }
        if (st == WH_TM_BAD)
            return NULL;
        return mod_check(s, k, buf, subfn) ? buf : NULL; /* being filled */
    }
    if (!mod_check(s, k, &e->m, &e->subfn)) {
        atomic_store_explicit(&e->state, WH_TM_BAD, memory_order_release);
        return NULL;
    }
    atomic_store_explicit(&e->state, WH_TM_OK, memory_order_release);
    *subfn = e->subfn;
    return &e->m;
}

/* Module k of slot s (its header checked): in the slot's module array once
 * the image made WH_RAW_LOOKUPS lookups (checked the first time it is
 * asked for, then remembered), else checked now into buf.  NULL when it
 * cannot be used. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *tab_mod(struct wh_slot *s, uint32_t k,
                                                 struct wh_mod *buf, uint32_t *subfn) {
    const struct wh_tmods *tm = atomic_load_explicit(&s->tmods, memory_order_acquire);
    if (WH_UNLIKELY(!tm)) {
        if (atomic_fetch_add_explicit(&s->lookups, 1, memory_order_relaxed) < WH_RAW_LOOKUPS ||
            !(tm = wh_slot_tmods_slow(s)))
            return mod_check(s, k, buf, subfn) ? buf : NULL;
    }
    if (k >= tm->n)
        return NULL;
    struct wh_tmod *e = (struct wh_tmod *)&tm->mod[k];
    if (WH_LIKELY(atomic_load_explicit(&e->state, memory_order_acquire) == WH_TM_OK)) {
        *subfn = e->subfn;
        return &e->m;
    }
    return tmod_fill(s, e, k, buf, subfn);
}

/* The module of a function range (p: its data past the size) and its
 * subprog (*sub), both checked; NULL when it names none. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod(struct wh_slot *s, const unsigned char *p, struct wh_mod *buf, uint32_t *sub) {
    const struct wh_tab *t = &s->tab;
    uint32_t ms, subfn;
    if (!wh_uv_get(&p, (const unsigned char *)t->data + t->data_size, &ms) || !t->nmod)
        return NULL;
    /* once the module array exists, no division (tmods_split) */
    const struct wh_tmods *tm = atomic_load_explicit(&s->tmods, memory_order_acquire);
    uint32_t k = tm ? tmods_split(tm, ms, sub) : (*sub = ms / t->nmod, ms % t->nmod);
    const struct wh_mod *m = tab_mod(s, k, buf, &subfn);
    return m && *sub < m->nsubprog ? m : NULL;
}

/* A function range's module once it is remembered (tab_mod's fast path),
 * its subprog checked; NULL: ask func_mod. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod_warm(struct wh_slot *s, const unsigned char *p, uint32_t *sub) {
    const struct wh_tab *t = &s->tab;
    const struct wh_tmods *tm = atomic_load_explicit(&s->tmods, memory_order_acquire);
    uint32_t ms;
    if (!tm || !wh_uv_get(&p, (const unsigned char *)t->data + t->data_size, &ms))
        return NULL;
    uint32_t k = tmods_split(tm, ms, sub); /* no division on the warm path */
    const struct wh_tmod *e = &tm->mod[k];
    if (k >= tm->n || atomic_load_explicit((_Atomic uint32_t *)&e->state, memory_order_acquire) !=
                          WH_TM_OK ||
        *sub >= e->m.nsubprog)
        return NULL;
    return &e->m;
}

/* pi for function range i of slot s (entry f, size bytes, p its data
 * past the size): its module and subprog checked. */
WH_RT static bool func_fill(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i,
                            struct whence_tab_func f, uint32_t size, const unsigned char *p) {
    const struct wh_tab *t = &s->tab;
    uint32_t sub;
    if (WH_UNLIKELY(!(pi->m = func_mod_warm(s, p, &sub))) &&
        !(pi->m = func_mod(s, p, &pi->mbuf, &sub)))
        return false;
    pi->fn = (const wh_fn *)(t->func + (uintptr_t)i * sizeof(struct whence_tab_func));
    pi->slot = s;
    pi->entry = pi->from = t->text + f.start;
    pi->size = size;
    pi->sub = sub;
    pi->loc = WH_NO_LOC;
    pi->depth = 1;
    return true;
}

/* Function range i: its entry, its size and its data past the size. */
WH_RT static inline __attribute__((always_inline)) bool func_data(const struct wh_tab *t, uint32_t i, struct whence_tab_func *f,
                                   uint32_t *size, const unsigned char **p) {
    if (i >= t->nfunc)
        return false;
    *f = range_at(t, i);
    uint32_t d = f->data & WHENCE_TAB_DATA_MASK;
    *p = (const unsigned char *)t->data + d;
    return f->data >> WHENCE_TAB_KIND_SHIFT == WHENCE_TAB_FUNCTION && d < t->data_size &&
           wh_uv_get(p, (const unsigned char *)t->data + t->data_size, size);
}

/* pi for function range i of slot s (its module and subprog checked). */
WH_RT static bool tab_fill(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i) {
    struct whence_tab_func f;
    uint32_t size;
    const unsigned char *p;
    return func_data(&s->tab, i, &f, &size, &p) && func_fill(pi, s, i, f, size, p);
}

/* pi for x in fragment range i: its function's, from the fragment's start.
 * plain_end: x is pc-1 of a plain pc, a return address only after a call. */
WH_RT static bool frag_fill(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i, uintptr_t x,
                            bool plain_end) {
    struct trange r;
    if (!range_get(&s->tab, i, &r) || r.kind != WHENCE_TAB_FRAGMENT ||
        (plain_end && !wh_after_call(x + 1, r.size)) || !tab_fill(pi, s, r.owner))
        return false;
    pi->from = s->tab.text + r.start;
    return true;
}

/* ---- pc -> function ------------------------------------------------------------------ */

WH_RT bool wh_tab_find(struct wh_slot *s, uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    const struct wh_tab *t = &s->tab;
    uintptr_t x = pc - (uintptr_t)ra_first;
    struct whence_tab_func f;
    const unsigned char *p;
    uint32_t size, i = range_of(t, x, &f, &size, &p);
    if (i != UINT32_MAX) {
        uint32_t kind = f.data >> WHENCE_TAB_KIND_SHIFT;
        if (WH_LIKELY(kind == WHENCE_TAB_FUNCTION))
            return func_fill(pi, s, i, f, size, p);
        return kind == WHENCE_TAB_FRAGMENT && frag_fill(pi, s, i, x, false);
    }
    /* The other candidate: pc for a return address (it may be a function's
     * entry), pc-1 for a plain pc (image.c, wh_img_miss). */
    uintptr_t y = ra_first ? pc : pc - 1;
    if ((i = range_of(t, y, &f, &size, &p)) == UINT32_MAX)
        return false;
    uint32_t kind = f.data >> WHENCE_TAB_KIND_SHIFT;
    if (kind == WHENCE_TAB_FRAGMENT)
        return frag_fill(pi, s, i, y, !ra_first);
    if (kind != WHENCE_TAB_FUNCTION)
        return false;
    /* A plain pc just past a function is a return address only when the
     * function ends in a call (a noreturn one). */
    uintptr_t entry = t->text + f.start;
    if (!ra_first && !(pc - entry < size || wh_after_call(pc, size)))
        return false;
    return func_fill(pi, s, i, f, size, p);
}

/* ---- pc -> site ------------------------------------------------------------------------ */

WH_RT uint32_t wh_tab_site(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at) {
    struct wh_slot *s = pi->slot;
    *at = 0;
    const struct wh_tab *t = &s->tab;
    uint32_t dflt = pi->from == pi->entry ? WH_NO_LOC : WH_LOC_UNKNOWN, i, size;
    struct whence_tab_func f;
    const unsigned char *after;
    if (pi->from == pi->entry)
        i = (uint32_t)(((uintptr_t)pi->fn - t->func) / sizeof(struct whence_tab_func));
    else if ((i = range_of(t, pi->from, &f, &size, &after)) == UINT32_MAX)
        return dflt;
    struct trange r;
    if (!range_get(t, i, &r) || r.kind == WHENCE_TAB_FENCE)
        return dflt;
    uintptr_t rstart = t->text + r.start;
    if (x < rstart)
        return dflt;
    uintptr_t off = x - rstart;
    const unsigned char *p = r.lines, *end = r.end;
    uint32_t n;
    if (!wh_uv_get(&p, end, &n))
        return WH_LOC_UNKNOWN;
    uint32_t c = n ? (n - 1) / WHENCE_TAB_CHECK_EVERY : 0; /* none at the end */
    if ((uintptr_t)(end - p) / sizeof(struct whence_tab_check) < c)
        return WH_LOC_UNKNOWN;
    const unsigned char *checks = p, *first = p + (uintptr_t)c * sizeof(struct whence_tab_check);
    /* Flat lines start from the function's own first line. */
    uint32_t k = 0, pc = 0, line = wh_mod_subprog_line(pi->m, pi->sub), word = dflt;
    bool have = false; /* a change at pc */
    p = first;
    if (c) {
        /* The last checkpoint whose previous change is at or below x. */
        uint32_t lo = 0, hi = c;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            struct whence_tab_check ck;
            memcpy(&ck, checks + (uintptr_t)mid * sizeof ck, sizeof ck);
            if (ck.pc <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo) {
            struct whence_tab_check ck;
            memcpy(&ck, checks + (uintptr_t)(lo - 1) * sizeof ck, sizeof ck);
            if (ck.pos >= (uintptr_t)(end - first))
                return WH_LOC_UNKNOWN;
            k = lo * WHENCE_TAB_CHECK_EVERY;
            pc = ck.pc, line = ck.line, word = ck.word, p = first + ck.pos, have = true;
        }
    }
    for (; k < n; k++) {
        uint32_t d, v, col;
        if (!wh_uv_get(&p, end, &d))
            return WH_LOC_UNKNOWN;
        if ((have && d == 0) || (uint64_t)pc + d > off)
            break;
        pc += d;
        have = true;
        if (!wh_uv_get(&p, end, &v))
            return WH_LOC_UNKNOWN;
        if (v & 1) {
            word = v >> 1;
            continue;
        }
        line += (uint32_t)wh_unzigzag(v >> 1);
        if (!wh_uv_get(&p, end, &col))
            return WH_LOC_UNKNOWN;
        word = line <= WHENCE_SITE_FLAT_LINE_LIMIT && col <= WHENCE_SITE_FLAT_COL_MAX
                   ? WHENCE_SITE_FLAT | line << WHENCE_SITE_FLAT_COL_BITS | col
                   : WH_LOC_UNKNOWN;
    }
    if (have)
        *at = rstart + pc;
    return word;
}

/* ---- whence_func and slot locs ----------------------------------------------------------- */

WH_RT bool wh_tab_func(struct wh_slot *s, uintptr_t f, struct wh_pcinfo *pi) {
    const struct wh_tab *t = &s->tab;
    if (!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func)))
        return false; /* (probed before the slot is known to hold f: internal.h) */
    return tab_fill(pi, s, (uint32_t)((f - t->func) / sizeof(struct whence_tab_func)));
}

/* A process's first lookups in a table image (before its module array):
 * module k's header checked but for its string pool's last byte, a page of
 * its own in a large module (wh_mod_header_lazy; a name is then read with
 * wh_pool_str); the subprog of a function range's data p.  NULL: the full
 * check decides. */
WH_RT WH_ONCE static const struct whence_subprog *lazy_subprog(struct wh_slot *s, const unsigned char *p,
                                                       struct wh_mod *m, struct whence_subprog *buf) {
    const struct wh_tab *t = &s->tab;
    uint32_t ms;
    if (!wh_uv_get(&p, (const unsigned char *)t->data + t->data_size, &ms) || !t->nmod)
        return NULL;
    struct whence_tab_mod d;
    uintptr_t ea = t->mod + (uintptr_t)(ms % t->nmod) * sizeof d;
    memcpy(&d, (const void *)ea, sizeof d);
    uintptr_t mst = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
    if (d.off >= s->mod_stop - mst || wh_mod_header_lazy(mst + d.off, s->mod_stop - mst - d.off, m) ||
        m->key != d.key)
        return NULL;
    wh_pack_attach(t, ea, &d, m); /* its packed subprogs, else the arrays */
    return wh_mod_subprog(m, ms / t->nmod, buf);
}

WH_RT WH_ONCE static const struct whence_subprog *first_subprog(struct wh_slot *s, const unsigned char *p,
                                                        struct wh_mod *m, struct whence_subprog *buf) {
    /* Counts the lookup, as tab_mod does: after WH_RAW_LOOKUPS the module
     * array answers (a first lookup that never counted stayed lazy). */
    if (atomic_load_explicit(&s->tmods, memory_order_acquire) ||
        atomic_fetch_add_explicit(&s->lookups, 1, memory_order_relaxed) >= WH_RAW_LOOKUPS)
        return NULL;
    return lazy_subprog(s, p, m, buf);
}

/* wh_tab_name when the module is not remembered yet (or names nothing):
 * the name, else the full lookup's answer. */
WH_RT WH_ONCE static __attribute__((noinline)) const char *name_slow(struct wh_slot *s,
                                                             const unsigned char *p, uintptr_t f) {
    struct wh_mod buf;
    uint32_t sub;
    const struct whence_subprog *fsp = first_subprog(s, p, &buf, WH_SUB_BUF);
    const char *name = fsp ? wh_pool_str(&buf, fsp->name) : NULL;
    if (name)
        return name;
    const struct wh_mod *m = func_mod(s, p, &buf, &sub);
    const struct whence_subprog *sp = m ? wh_mod_subprog(m, sub, WH_SUB_BUF) : NULL;
    return sp ? wh_mod_str(m, sp->name) : wh_func_name_miss((const whence_func *)f);
}

WH_RT const char *wh_tab_name(struct wh_slot *s, uintptr_t f) {
    const struct wh_tab *t = &s->tab;
    const struct wh_mod *m;
    uint32_t sub;
    if (WH_UNLIKELY(!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func))))
        return wh_func_name_miss((const whence_func *)f);
    uintptr_t d = f - t->func;
    struct whence_tab_func e;
    uint32_t size;
    const unsigned char *p;
    if (WH_UNLIKELY(!func_data(t, (uint32_t)(d / sizeof(struct whence_tab_func)), &e, &size, &p)))
        return wh_func_name_miss((const whence_func *)f);
    if (WH_UNLIKELY(!(m = func_mod_warm(s, p, &sub))))
        return name_slow(s, p, f);
    const struct whence_subprog *sp = wh_mod_subprog(m, sub, WH_SUB_BUF);
    return sp ? wh_mod_str(m, sp->name) : wh_func_name_miss((const whence_func *)f);
}

WH_RT WH_ONCE bool wh_tab_first_ok(struct wh_slot *s, uintptr_t f, uintptr_t *entry,
                                   uint32_t *size) {
    const struct wh_tab *t = &s->tab;
    struct whence_tab_func e;
    const unsigned char *p;
    struct wh_mod m;
    uintptr_t d = f - t->func;
    if (!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func)) ||
        !func_data(t, (uint32_t)(d / sizeof(struct whence_tab_func)), &e, size, &p) ||
        !lazy_subprog(s, p, &m, WH_SUB_BUF))
        return false;
    *entry = t->text + e.start;
    return true;
}

/* wh_tab_func_for_pc when the module is not remembered yet. */
WH_RT WH_ONCE static __attribute__((noinline)) const whence_func *func_slow(struct wh_slot *s,
                                                                    const unsigned char *p,
                                                                    uintptr_t f, uintptr_t x) {
    struct wh_mod buf;
    uint32_t sub;
    if (first_subprog(s, p, &buf, WH_SUB_BUF) || func_mod(s, p, &buf, &sub))
        return (const whence_func *)f;
    return wh_func_for_pc_miss(x);
}

WH_RT const whence_func *wh_tab_func_for_pc(struct wh_slot *s, uintptr_t x) {
    const struct wh_tab *t = &s->tab;
    struct whence_tab_func f;
    const unsigned char *p;
    uint32_t size, sub, i = range_of(t, x, &f, &size, &p);
    if (WH_UNLIKELY(i == UINT32_MAX || f.data >> WHENCE_TAB_KIND_SHIFT != WHENCE_TAB_FUNCTION))
        return wh_func_for_pc_miss(x);
    uintptr_t r = t->func + (uintptr_t)i * sizeof f;
    if (WH_UNLIKELY(!func_mod_warm(s, p, &sub)))
        return func_slow(s, p, r, x);
    return (const whence_func *)r;
}

WH_RT bool wh_tab_loc(struct wh_slot *s, uintptr_t a, struct wh_pcinfo *pi) {
    const struct wh_tab *t = &s->tab;
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
    /* The module whose table starts last at or below a. */
    uint32_t lo = 0, hi = t->nmod;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        struct whence_tab_mod d;
        memcpy(&d, (const void *)(t->mod + (uintptr_t)mid * sizeof d), sizeof d);
        if (ms + d.off <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct wh_mod buf;
    const struct wh_mod *m;
    uint32_t subfn;
    uint32_t loc;
    if (!lo || !(m = tab_mod(s, lo - 1, &buf, &subfn)) || (loc = wh_mod_loc_at(m, a)) == UINT32_MAX)
        return false;
    const struct whence_loc *root = wh_mod_loc(m, wh_loc_root(m, loc), WH_LOC_BUF);
    uint32_t rs = root ? WHENCE_LOC_SUBPROG(root) : UINT32_MAX;
    if (subfn == UINT32_MAX || rs >= m->nsubprog || subfn > t->nsubfn || rs >= t->nsubfn - subfn)
        return false; /* not a module with slots: no loc addresses */
    uint32_t fi;
    memcpy(&fi, (const void *)(t->subfn + ((uintptr_t)subfn + rs) * 4), 4);
    if (!tab_fill(pi, s, fi) || pi->m->base != m->base)
        return false;
    pi->loc = loc;
    pi->depth = wh_loc_depth(pi, loc);
    return true;
}
