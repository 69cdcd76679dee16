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
 * a module's header and key, a subprog, a loc), never read outside the
 * table, and the check words of what a lookup takes its answer from
 * (tabcheck.c) are checked before it is used: where they fail, or a
 * bucket or a module entry is damaged, wh_tab_find answers from the
 * records (image.c, wh_img_find_records) and a whence_func is then a
 * record, as in an image without a table.  A table that fails the header
 * check is ignored with one message, and the records answer.
 *
 *   pc -> range    the bucket of the pc (per 4 KiB) and its sub-bucket's
 *                  delta (per 128 bytes) give the range of the sub-bucket's
 *                  first byte; the few ranges that start later in it are
 *                  scanned.  A range is a function, a fence (a body that
 *                  is not instrumented: nobody's pc) or a fragment (code
 *                  split off a function: that function's pc, from = its
 *                  start).  A function's entry holds its size, module and
 *                  subprog fixed-width (its word): pc -> function -> name
 *                  reads the entry, the module and one packed field, as
 *                  the buckets read a record; its description (varints)
 *                  only for its lines, or when they did not fit
 *   pc -> site     the range's changes (pc, site word; fixed width, in pc
 *                  order) bisected for the last one at or below the pc
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
#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    t->desc = t->func + (uintptr_t)h.nfunc * sizeof(struct whence_tab_func);
    t->w.sbits = WHENCE_TAB_SIZE_BITS(h.split);
    t->w.smask = (1u << t->w.sbits) - 1;
    t->w.mbits = WHENCE_TAB_MOD_BITS(h.split);
    t->w.mmask = (1u << t->w.mbits) - 1;
    t->w.msall = UINT32_MAX >> t->w.sbits;
    t->w.kmask = t->w.mmask << t->w.sbits;
    t->w.subshift = t->w.sbits + t->w.mbits;
    t->bucket = ts + h.bucket_off;
    t->mod = ts + h.mod_off;
    t->subfn = ts + h.subfn_off;
    t->data = ts + h.data_off;
    t->span = h.span;
    t->nfunc = h.nfunc;
    t->nfunc4 = h.nfunc > 4 ? h.nfunc - 4 : 0;
    t->nbucket = h.nbucket;
    t->nmod = h.nmod;
    t->nsubfn = h.nsubfn;
    t->data_size = h.data_size;
    t->check = ts + h.check_off;
    t->base = ts;
    return NULL;
}

/* ---- ranges ----------------------------------------------------------------------- */

WH_RT static inline struct whence_tab_func range_at(const struct wh_tab *t, uint32_t i) {
    struct whence_tab_func f;
    memcpy(&f, (const void *)(t->func + (uintptr_t)i * sizeof f), sizeof f);
    return f;
}

/* The description word of range i (< nfunc). */
WH_RT static inline uint32_t desc_at(const struct wh_tab *t, uint32_t i) {
    uint32_t d;
    memcpy(&d, (const void *)(t->desc + (uintptr_t)i * 4), 4);
    return d;
}

/* A plain function's module index and subprog from its entry's word:
 * false when the word names none (a fence, a fragment, a function whose
 * description holds them). */
WH_RT static inline bool word_fn(const struct wh_tab *t, uint32_t w, uint32_t *k, uint32_t *sub) {
    uint32_t ms = w >> t->w.sbits;
    *k = ms & t->w.mmask;
    *sub = ms >> t->w.mbits;
    return ms != t->w.msall;
}

/* The kind of range i (entry f): a word that names a module is a
 * function's, whatever its description says. */
WH_RT static inline uint32_t range_kind(const struct wh_tab *t, uint32_t i,
                                       struct whence_tab_func f) {
    return f.word >> t->w.sbits != t->w.msall ? WHENCE_TAB_FUNCTION
                                              : desc_at(t, i) >> WHENCE_TAB_KIND_SHIFT;
}

/* The size of range i whose entry's size bits are 0: its description's. */
WH_RT static __attribute__((noinline)) bool long_size(const struct wh_tab *t, uint32_t i,
                                                      uint32_t *size) {
    uint32_t d = desc_at(t, i) & WHENCE_TAB_DATA_MASK;
    const unsigned char *p = (const unsigned char *)t->data + d;
    return d < t->data_size &&
           wh_uv_get(&p, (const unsigned char *)t->data + t->data_size, size) && *size;
}

/* The entry of the last range starting at or below x (its offset from
 * the lowest range's start in *off), or NULL. */
WH_RT static inline __attribute__((always_inline)) const unsigned char *
range_below(const struct wh_tab *t, uintptr_t x, uint32_t *offp) {
    uintptr_t off = x - t->text;
    if (off >= t->span)
        return NULL;
    const unsigned char *b = (const unsigned char *)t->bucket +
                             (off >> WHENCE_TAB_BUCKET_SHIFT) * sizeof(struct whence_tab_bucket);
    uint32_t i;
    memcpy(&i, b + offsetof(struct whence_tab_bucket, idx), 4);
    i += b[offsetof(struct whence_tab_bucket, sub) +
           ((off >> WHENCE_TAB_SUB_SHIFT) & (WHENCE_TAB_NSUB - 1))];
    /* The few ranges that start later in the sub-bucket (start is the
     * entry's first field): the next four counted without a branch (the
     * starts are in order; a damaged table gives a wrong range, which the
     * callers' checks or its size reject), so that distinct pcs mispredict
     * no loop exit; more than that, one by one. */
    const size_t es = sizeof(struct whence_tab_func);
    const unsigned char *a = (const unsigned char *)(t->func + (uintptr_t)i * es); /* (read if i < nfunc) */
    const unsigned char *last = (const unsigned char *)t->func + (uintptr_t)(t->nfunc - 1) * es;
    uint32_t k = 4;
    if (WH_LIKELY(i < t->nfunc4)) { /* (i < nfunc, four ranges after it) */
#if defined(__x86_64__) && defined(__SSE2__)
        /* one SSE2 compare of the four starts (s1 w1 s2 w2 | s3 w3 s4 w4
         * -> s1 s2 s3 s4), unsigned through the sign bit; k: how many
         * lead the ones above off */
        __m128 lo = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(a + 1 * es)));
        __m128 hi = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(a + 3 * es)));
        __m128i bias = _mm_set1_epi32(INT32_MIN);
        __m128i st = _mm_xor_si128(_mm_castps_si128(_mm_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0))),
                                   bias);
        __m128i o = _mm_set1_epi32((int32_t)((uint32_t)off ^ 0x80000000u));
        unsigned above = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(st, o)));
        k = (uint32_t)__builtin_ctz(above | 16u);
#else
        uint32_t s1, s2, s3, s4;
        memcpy(&s1, a + 1 * es, 4);
        memcpy(&s2, a + 2 * es, 4);
        memcpy(&s3, a + 3 * es, 4);
        memcpy(&s4, a + 4 * es, 4);
        k = (uint32_t)(s1 <= off) + (uint32_t)(s2 <= off) + (uint32_t)(s3 <= off) +
            (uint32_t)(s4 <= off);
#endif
        a += (uintptr_t)k * es;
    } else if (i >= t->nfunc) {
        return NULL;
    }
    if (WH_UNLIKELY(k == 4))
        for (uint32_t st; a < last && (memcpy(&st, a + es, 4), st <= off);)
            a += es;
    *offp = (uint32_t)off;
    return a;
}

/* Index of the range holding x, or UINT32_MAX (the end of a range is not
 * in it; callers that accept it ask for x - 1); its entry in *f, its size
 * in *size. */
WH_RT static inline __attribute__((always_inline)) uint32_t
range_of(const struct wh_tab *t, uintptr_t x, struct whence_tab_func *f, uint32_t *size) {
    uint32_t off;
    const unsigned char *a = range_below(t, x, &off);
    if (!a)
        return UINT32_MAX;
    memcpy(f, a, sizeof *f);
    uint32_t i = (uint32_t)((uintptr_t)(a - (const unsigned char *)t->func) / sizeof *f);
    if (f->start > off)
        return UINT32_MAX; /* a damaged bucket */
    uint32_t sz = f->word & t->w.smask;
    if (WH_UNLIKELY(!sz) && !long_size(t, i, &sz))
        return UINT32_MAX;
    if (off - f->start >= sz)
        return UINT32_MAX;
    *size = sz;
    return i;
}

/* A range's description (whence_abi.h). */
struct trange {
    uint32_t kind, start, size, mod, sub, owner, flags;
    const unsigned char *lines, *end; /* its changes (functions, fragments) */
};

WH_RT static bool range_get(const struct wh_tab *t, uint32_t i, struct trange *r) {
    if (i >= t->nfunc)
        return false;
    struct whence_tab_func f = range_at(t, i);
    uint32_t desc = desc_at(t, i), d = desc & WHENCE_TAB_DATA_MASK;
    const unsigned char *p = (const unsigned char *)t->data + d;
    const unsigned char *end = (const unsigned char *)t->data + t->data_size;
    if (d > t->data_size)
        return false;
    r->start = f.start;
    r->end = end;
    r->owner = r->flags = UINT32_MAX;
    r->size = f.word & t->w.smask;
    if (!r->size && (!wh_uv_get(&p, end, &r->size) || !r->size))
        return false;
    r->kind = word_fn(t, f.word, &r->mod, &r->sub) ? WHENCE_TAB_FUNCTION
                                                   : desc >> WHENCE_TAB_KIND_SHIFT;
    switch (r->kind) {
    case WHENCE_TAB_FUNCTION:
        if (f.word >> t->w.sbits == t->w.msall &&
            (!wh_uv_get(&p, end, &r->mod) || !wh_uv_get(&p, end, &r->sub)))
            return false;
        break;
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

/* The module index and subprog of function range i (entry f): false when
 * it is no function or its description cannot be read. */
WH_RT static inline bool fn_of(const struct wh_tab *t, uint32_t i, struct whence_tab_func f,
                               uint32_t *k, uint32_t *sub) {
    if (WH_LIKELY(word_fn(t, f.word, k, sub)))
        return true;
    struct trange r;
    if (!range_get(t, i, &r) || r.kind != WHENCE_TAB_FUNCTION)
        return false;
    *k = r.mod;
    *sub = r.sub;
    return true;
}

/* ---- modules ------------------------------------------------------------------------ */

/* A directory entry's offset of a module table in whence_mod (ms its
 * start): inside it, and 8-aligned as every table is there, so that the
 * table's arrays (4-aligned from its start, parse.c) are aligned too. */
WH_RT static inline bool dir_off_ok(const struct wh_slot *s, uintptr_t ms, uint32_t off) {
    return off < s->mod_stop - ms && off % 8 == 0;
}

/* Module k of slot s's directory, its header and key checked now, into m:
 * false when it cannot be used. */
WH_RT static bool mod_check(const struct wh_slot *s, uint32_t k, struct wh_mod *m,
                            uint32_t *subfn, bool whole) {
    const struct wh_tab *t = &s->tab;
    if (k >= t->nmod)
        return false;
    struct whence_tab_mod d;
    memcpy(&d, (const void *)(t->mod + (uintptr_t)k * sizeof d), sizeof d);
    uintptr_t ms = atomic_load_explicit(&((struct wh_slot *)s)->mod_start, memory_order_relaxed);
    if (!dir_off_ok(s, ms, d.off) || wh_mod_header(ms + d.off, s->mod_stop - ms - d.off, m) ||
        m->key != d.key) {
        wh_tab_say_mod(t, k);
        return false;
    }
    wh_pack_attach(t, t->mod + (uintptr_t)k * sizeof d, &d, m, whole); /* else the arrays: tabloc.c */
    m->pk_memo = (_Atomic uintptr_t *)&s->chunk_ok;
    *subfn = d.subfn;
    return true;
}

/* The hint of a module array no module answered yet: no index is its k,
 * no subprog below its nsubprog (0). */
static const struct wh_tmod wh_tmod_none = {.k = UINT32_MAX};

WH_RT const struct wh_tmods *wh_tmods_build(const struct wh_slot *s) {
    size_t size = sizeof(struct wh_tmods) + (size_t)s->tab.nmod * sizeof(struct wh_tmod);
    size_t nck = (size_t)s->tab.nbucket + wh_tab_ngroup(s->tab.nfunc) + wh_tab_nchunk(s->tab.nsubfn);
    size_t okat = (size + 7) & ~(size_t)7;
    size = okat + (nck + 63) / 64 * 8;
    struct wh_tmods *tm = wh_map(size);
    if (!tm)
        return NULL;
    tm->map_size = size; /* the entries: WH_TM_EMPTY; no check passed yet (zero pages) */
    tm->ok = (_Atomic uint64_t *)((char *)tm + okat);
    tm->n = s->tab.nmod;
    atomic_store_explicit(&tm->last, &wh_tmod_none, memory_order_relaxed);
    return tm;
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
        return mod_check(s, k, buf, subfn, false) ? buf : NULL; /* being filled */
    }
    if (!mod_check(s, k, &e->m, &e->subfn, true)) {
        atomic_store_explicit(&e->state, WH_TM_BAD, memory_order_release);
        wh_forget_all(); /* what the caches learnt from its first lookups */
        return NULL;
    }
    e->k = k;
    const struct wh_tab_word *w = &s->tab.w;
    uint64_t lim = (uint64_t)e->m.nsubprog << w->mbits; /* (msall < 1 << (32 - sbits)) */
    e->wk = k << w->sbits;
    e->wlim = (lim < w->msall ? (uint32_t)lim : w->msall) << w->sbits;
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
            return mod_check(s, k, buf, subfn, false) ? buf : NULL;
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

/* Module k with subprog sub, both checked; NULL when it names none. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod(struct wh_slot *s, uint32_t k, uint32_t sub, struct wh_mod *buf) {
    uint32_t subfn;
    const struct wh_mod *m = tab_mod(s, k, buf, &subfn);
    return m && sub < m->nsubprog ? m : NULL;
}

/* Module k once it is remembered (tab_mod's fast path), subprog sub
 * checked; NULL: ask func_mod. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod_other(const struct wh_tmods *tm, uint32_t k, uint32_t sub) {
    if (k >= tm->n)
        return NULL;
    const struct wh_tmod *e = &tm->mod[k];
    if (atomic_load_explicit((_Atomic uint32_t *)&e->state, memory_order_acquire) != WH_TM_OK ||
        sub >= e->m.nsubprog)
        return NULL;
    atomic_store_explicit(&((struct wh_tmods *)tm)->last, e, memory_order_release);
    return &e->m;
}

/* (The module that answered last first: one compare of its index.) */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod_warm(struct wh_slot *s, uint32_t k, uint32_t sub) {
    const struct wh_tmods *tm = atomic_load_explicit(&s->tmods, memory_order_acquire);
    if (!tm)
        return NULL;
    const struct wh_tmod *h = atomic_load_explicit(&tm->last, memory_order_acquire);
    if (WH_LIKELY(h->k == k) && WH_LIKELY(sub < h->m.nsubprog))
        return &h->m;
    return func_mod_other(tm, k, sub);
}

/* func_mod_warm for a function entry's word w (which may name no module:
 * its bits above the size all ones): the module that answered last when
 * the word names it and one of its subprogs (wh_tmod.wk, wlim: no shift,
 * one compare), else func_mod_other's answer.  NULL: ask func_mod.  The
 * subprog: word_sub. */
WH_RT static inline __attribute__((always_inline)) const struct wh_mod *
func_mod_word(struct wh_slot *s, uint32_t w) {
    const struct wh_tab *t = &s->tab;
    const struct wh_tmods *tm = atomic_load_explicit(&s->tmods, memory_order_acquire);
    if (WH_UNLIKELY(!tm))
        return NULL;
    const struct wh_tmod *h = atomic_load_explicit(&tm->last, memory_order_acquire);
    if (WH_LIKELY((w & t->w.kmask) == h->wk) && WH_LIKELY(w < h->wlim))
        return &h->m;
    uint32_t ms = w >> t->w.sbits;
    if (ms == t->w.msall)
        return NULL;
    return func_mod_other(tm, ms & t->w.mmask, ms >> t->w.mbits);
}

/* The subprog that a plain function's word w names. */
WH_RT static inline uint32_t word_sub(const struct wh_tab *t, uint32_t w) {
    return w >> t->w.subshift;
}

/* pi, its module set, for the function at entry of slot s, whose handle
 * fn is its range's entry. */
WH_RT static inline __attribute__((always_inline)) void
func_put(struct wh_pcinfo *pi, struct wh_slot *s, uintptr_t fn, uintptr_t entry, uint32_t size,
         uint32_t sub) {
    pi->fn = (const wh_fn *)fn;
    pi->slot = s;
    pi->entry = pi->from = entry;
    pi->size = size;
    pi->sub = sub;
    pi->loc = WH_NO_LOC;
    pi->depth = 1;
}

/* pi for function range i of slot s (entry f, size bytes), whose group
 * passed its check: its module and subprog checked. */
WH_RT static bool func_fill_ok(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i,
                               struct whence_tab_func f, uint32_t size) {
    const struct wh_tab *t = &s->tab;
    uint32_t k, sub;
    if (!fn_of(t, i, f, &k, &sub))
        return false;
    if (WH_UNLIKELY(!(pi->m = func_mod_warm(s, k, sub))) &&
        !(pi->m = func_mod(s, k, sub, &pi->mbuf)))
        return false;
    func_put(pi, s, t->func + (uintptr_t)i * sizeof(struct whence_tab_func), t->text + f.start,
             size, sub);
    return true;
}

/* Function range i: its entry and its size. */
WH_RT static inline __attribute__((always_inline)) bool func_data(const struct wh_tab *t,
                                                                  uint32_t i,
                                                                  struct whence_tab_func *f,
                                                                  uint32_t *size) {
    if (i >= t->nfunc)
        return false;
    *f = range_at(t, i);
    if (range_kind(t, i, *f) != WHENCE_TAB_FUNCTION)
        return false;
    *size = f->word & t->w.smask;
    return *size || long_size(t, i, size);
}

/* Range i (entry f), found for x by its bucket (range_below): that
 * bucket's check passed, and its group's too when its entry does not say
 * all that pc -> function -> name reads (a size or a module in its
 * description, a fence or a fragment): what a first lookup must check of
 * what it read, and no more (no page more than it reads). */
WH_RT static bool found_ok(struct wh_slot *s, uintptr_t x, uint32_t i, struct whence_tab_func f) {
    const struct wh_tab *t = &s->tab;
    if (!wh_tab_bucket_ok(s, (uint32_t)((x - t->text) >> WHENCE_TAB_BUCKET_SHIFT)))
        return false;
    return ((f.word & t->w.smask) && f.word >> t->w.sbits != t->w.msall) || wh_tab_group_ok(s, i);
}

/* pi for function range i of slot s, named by its index (a fragment's
 * owner, a subprog's function): its entry and description checked (by its
 * bucket's and its group's words), its module and subprog. */
WH_RT static bool tab_fill(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i) {
    struct whence_tab_func f;
    uint32_t size;
    return wh_tab_entry_ok(s, i) && wh_tab_group_ok(s, i) && func_data(&s->tab, i, &f, &size) &&
           func_fill_ok(pi, s, i, f, size);
}

/* pi for x in fragment range i: its function's, from the fragment's start.
 * plain_end: x is pc-1 of a plain pc, a return address only after a call. */
WH_RT static bool frag_fill(struct wh_pcinfo *pi, struct wh_slot *s, uint32_t i, uintptr_t x,
                            bool plain_end) {
    struct trange r;
    if (!wh_tab_group_ok(s, i) || !range_get(&s->tab, i, &r) || r.kind != WHENCE_TAB_FRAGMENT ||
        (plain_end && !wh_after_call(x + 1, r.size)) || !tab_fill(pi, s, r.owner))
        return false;
    pi->from = s->tab.text + r.start;
    return true;
}

/* ---- pc -> function ------------------------------------------------------------------ */

/* range_of for wh_tab_find, whose "no range holds x" must be as sure as
 * its answers (a frame it does not find is taken for code that is not
 * instrumented, and skipped): x's bucket passed its check, which covers
 * every entry the search reads (the range found, or the two a gap lies
 * between), and so did the group of the range found (its kind, size and
 * lines are read next).  *bad when the answer cannot be trusted (a check
 * failed, a damaged bucket). */
WH_RT static inline __attribute__((always_inline)) uint32_t
range_checked(struct wh_slot *s, uintptr_t x, struct whence_tab_func *f, uint32_t *size, bool *bad) {
    const struct wh_tab *t = &s->tab;
    uint32_t off;
    const unsigned char *a = range_below(t, x, &off);
    if (!a) {
        /* outside the span (the header's, checked), or a damaged bucket */
        *bad = x - t->text < t->span;
        return UINT32_MAX;
    }
    memcpy(f, a, sizeof *f);
    uint32_t i = (uint32_t)((uintptr_t)(a - (const unsigned char *)t->func) / sizeof *f), sz;
    if (WH_UNLIKELY(f->start > off) || !wh_tab_bucket_ok(s, off >> WHENCE_TAB_BUCKET_SHIFT) ||
        !wh_tab_group_ok(s, i)) {
        *bad = true; /* (a bucket past the range: damaged) */
        return UINT32_MAX;
    }
    sz = f->word & t->w.smask;
    if (WH_UNLIKELY(!sz) && !long_size(t, i, &sz)) {
        *bad = true;
        return UINT32_MAX;
    }
    if (WH_LIKELY(off - f->start < sz)) {
        *size = sz;
        return i;
    }
    return UINT32_MAX; /* a gap: x past range i's end, before range i + 1's start */
}

WH_RT bool wh_tab_find(struct wh_slot *s, uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    const struct wh_tab *t = &s->tab;
    uintptr_t x = pc - (uintptr_t)ra_first;
    struct whence_tab_func f;
    bool bad = false;
    uint32_t size, i = range_checked(s, x, &f, &size, &bad);
    if (i != UINT32_MAX) {
        uint32_t kind = range_kind(t, i, f);
        /* (a function whose module entry failed its check: its records) */
        if (WH_LIKELY(kind == WHENCE_TAB_FUNCTION))
            return func_fill_ok(pi, s, i, f, size) || wh_img_find_records(s, pc, ra_first, pi);
        return kind == WHENCE_TAB_FRAGMENT && frag_fill(pi, s, i, x, false);
    }
    if (WH_UNLIKELY(bad))
        return wh_img_find_records(s, pc, ra_first, pi);
    /* The other candidate, pc-1, for a plain pc (image.c, wh_img_miss: a
     * return address has none). */
    if (ra_first)
        return false;
    uintptr_t y = pc - 1;
    if ((i = range_checked(s, y, &f, &size, &bad)) == UINT32_MAX)
        return bad && wh_img_find_records(s, pc, ra_first, pi);
    uint32_t kind = range_kind(t, i, f);
    if (kind == WHENCE_TAB_FRAGMENT)
        return frag_fill(pi, s, i, y, true);
    if (kind != WHENCE_TAB_FUNCTION)
        return false;
    /* A plain pc just past a function is a return address only when the
     * function ends in a call (a noreturn one). */
    uintptr_t entry = t->text + f.start;
    if (!(pc - entry < size || wh_ends_in_call(s, pc, size)))
        return false;
    return func_fill_ok(pi, s, i, f, size) || wh_img_find_records(s, pc, ra_first, pi);
}

/* ---- pc -> site ------------------------------------------------------------------------ */

/* w (<= 48) bits at bit b of p (a change's field: whence_abi.h, lines). */
static inline uint64_t wh_lpk(const unsigned char *p, uint64_t b, uint32_t w) {
    uint64_t v;
    memcpy(&v, p + (b >> 3), 8);
    return (v >> (b & 7)) & ((UINT64_C(1) << w) - 1);
}

/* The first line of subprog sub of m, a function's (inline:
 * wh_mod_subprog_line). */
static inline __attribute__((always_inline)) uint32_t fn_line0(const struct wh_mod *m,
                                                               uint32_t sub) {
    if (sub >= m->nsubprog)
        return 0;
    if (WH_LIKELY(m->pack != 0))
        return wh_pack_subprog_line(m, sub);
    return wh_mod_subprog_line(m, sub);
}

/* The header of the lines at *p (before end), read past: the count of
 * changes *n and, when there are any, their widths word *h (whence_abi.h,
 * lines); false when it cannot be read.  lines_change's general case. */
WH_RT static __attribute__((noinline)) bool lines_head_slow(const unsigned char **p,
                                                            const unsigned char *end,
                                                            uint32_t *n, uint32_t *h) {
    if (!wh_uv_get(p, end, n))
        return false;
    if (!*n)
        return true;
    if (end - *p < 2)
        return false;
    *h = (uint32_t)(*p)[0] | (uint32_t)(*p)[1] << 8;
    *p += 2;
    return true;
}

/* Bytes from a range's lines on that hold all of them when their count
 * is below 128 (one byte) and their widths are valid (a change <= 80
 * bits): the count, the widths word, 127 changes and the 8 bytes after. */
#define WH_LINES_ROOM (3u + (127u * 80u + 7u) / 8u + 8u)

/* The last change at or below x among the lines at p of a range (its
 * start rstart <= x, the data's end end): 1 with its t field (whence_abi.h,
 * lines) in *tv, the column bits of its flat words in *wc and *at where it
 * starts; 0 before the first change; -1 when the lines cannot be read.
 * A range whose count is below 128 and whose lines start WH_LINES_ROOM
 * bytes or more before the data's end (every range's but the last few's)
 * has its count and widths read with one load and needs no bound check
 * of its changes. */
static inline __attribute__((always_inline)) int
lines_change(const unsigned char *p, const unsigned char *end, uintptr_t rstart, uintptr_t x,
             uint64_t *tv, uint32_t *wcp, uintptr_t *at) {
    uint32_t n, h;
    uint64_t v;
    bool roomy = end - p >= (ptrdiff_t)WH_LINES_ROOM && (memcpy(&v, p, 8), !(v & 0x80));
    if (WH_LIKELY(roomy)) {
        n = (uint32_t)v & 0x7f;
        h = (uint32_t)(v >> 8) & 0xffff;
        p += 3;
    } else if (!lines_head_slow(&p, end, &n, &h)) {
        return -1;
    }
    if (!n)
        return 0;
    uint32_t wpc = h & 63, wt = h >> 6 & 63, wc = h >> 12, ew = wpc + wt;
    /* every change and the 8 bytes after them inside the data */
    if (wpc > 32 || wt > 48 || wc > WHENCE_SITE_FLAT_COL_BITS ||
        (WH_UNLIKELY(!roomy) && ((uint64_t)n * ew + 7) / 8 + 8 > (uint64_t)(end - p)))
        return -1;
    /* The last change at or below x: bisection (the pcs are in order;
     * damaged ones give some change of this range, never a read outside).
     * Each change's fields are read from one 8-byte load when they fit
     * its 57 bits (wh_pk_bits), as they do unless wpc + wt > 57. */
    uint64_t o = x - rstart, pcmask = (UINT64_C(1) << wpc) - 1;
    uint32_t lo = 0, len = n;
    while (len > 1) {
        uint32_t half = len / 2;
        lo = (wh_pk_bits(p, (uint64_t)(lo + half) * ew) & pcmask) <= o ? lo + half : lo;
        len -= half;
    }
    uint64_t bit = (uint64_t)lo * ew;
    v = wh_pk_bits(p, bit);
    uint64_t pc = v & pcmask;
    if (pc > o)
        return 0; /* before the first change */
    *tv = WH_LIKELY(ew <= 57) ? (v >> wpc) & ((UINT64_C(1) << wt) - 1) : wh_lpk(p, bit + wpc, wt);
    *wcp = wc;
    *at = rstart + (uintptr_t)pc;
    return 1;
}

/* The line of a flat change's t field tv (not a loc: tv & 1 is 0) in a
 * function whose first line is line0: its line's distance from it. */
static inline uint32_t flat_line(uint64_t tv, uint32_t wc, uint32_t line0) {
    return line0 + (uint32_t)wh_unzigzag((uint32_t)((tv >> 1) >> wc));
}

/* The first line and file of subprog sub (< m->nsubprog) of m, as
 * whence_subprog.line_file holds them: one packed read. */
static inline __attribute__((always_inline)) uint32_t fn_line_file(const struct wh_mod *m,
                                                                   uint32_t sub) {
    if (WH_LIKELY(m->pack != 0))
        return wh_pack_subprog_line_file(m, sub);
    return wh_mod_subprog(m, sub, WH_SUB_BUF)->line_file;
}

/* The site word at x from the lines at p of a range of function sub of
 * module m (its start rstart <= x, the data's end end): the word of the
 * last change at or below x, *at where it starts; dflt before the first
 * change. */
static inline __attribute__((always_inline)) uint32_t
lines_word(const struct wh_mod *m, uint32_t sub, const unsigned char *p, const unsigned char *end,
           uintptr_t rstart, uintptr_t x, uint32_t dflt, uintptr_t *at) {
    uint64_t tv;
    uint32_t wc;
    int c = lines_change(p, end, rstart, x, &tv, &wc, at);
    if (c <= 0)
        return c ? WH_LOC_UNKNOWN : dflt;
    if (tv & 1)
        return (uint32_t)(tv >> 1) & 0x7fffffffu;
    /* a flat line from the function's own first line */
    uint32_t col = (uint32_t)((tv >> 1) & ((UINT64_C(1) << wc) - 1)); /* <= WHENCE_SITE_FLAT_COL_MAX */
    uint32_t line = flat_line(tv, wc, fn_line0(m, sub));
    return line <= WHENCE_SITE_FLAT_LINE_LIMIT
               ? WHENCE_SITE_FLAT | line << WHENCE_SITE_FLAT_COL_BITS | col
               : WH_LOC_UNKNOWN;
}

/* wh_tab_site for code split off a function, or a function whose entry's
 * word does not say its size or module: its description read in full. */
WH_RT static __attribute__((noinline)) uint32_t site_slow(const struct wh_pcinfo *pi, uintptr_t x,
                                                          uintptr_t *at, uint32_t dflt) {
    const struct wh_tab *t = &pi->slot->tab;
    uint32_t i, size;
    struct whence_tab_func f;
    /* (pi's function's entry and description were checked when pi was
     * filled; a fragment's, found again, are checked now; dflt is
     * "unknown" for a fragment) */
    if (pi->from == pi->entry)
        i = (uint32_t)(((uintptr_t)pi->fn - t->func) / sizeof(struct whence_tab_func));
    else if ((i = range_of(t, pi->from, &f, &size)) == UINT32_MAX ||
             !wh_tab_bucket_ok(pi->slot, (uint32_t)((pi->from - t->text) >> WHENCE_TAB_BUCKET_SHIFT)) ||
             !wh_tab_group_ok(pi->slot, i))
        return dflt;
    struct trange r;
    if (!range_get(t, i, &r) || r.kind == WHENCE_TAB_FENCE)
        return dflt;
    uintptr_t rstart = t->text + r.start;
    if (x < rstart)
        return dflt;
    return lines_word(pi->m, pi->sub, r.lines, r.end, rstart, x, dflt, at);
}

WH_RT uint32_t wh_tab_site(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at) {
    const struct wh_tab *t = &pi->slot->tab;
    *at = 0;
    uint32_t dflt = pi->from == pi->entry ? WH_NO_LOC : WH_LOC_UNKNOWN, k, sub;
    uint32_t i = (uint32_t)(((uintptr_t)pi->fn - t->func) / sizeof(struct whence_tab_func));
    struct whence_tab_func e;
    /* a plain function (its size and module in its entry): its description
     * is its lines */
    if (WH_UNLIKELY(pi->from != pi->entry || i >= t->nfunc))
        return site_slow(pi, x, at, dflt);
    e = range_at(t, i);
    if (WH_UNLIKELY(!(e.word & t->w.smask) || !word_fn(t, e.word, &k, &sub)))
        return site_slow(pi, x, at, dflt);
    uint32_t d = desc_at(t, i) & WHENCE_TAB_DATA_MASK;
    uintptr_t rstart = t->text + e.start;
    if (d > t->data_size || x < rstart)
        return dflt;
    return lines_word(pi->m, pi->sub, (const unsigned char *)t->data + d,
                      (const unsigned char *)t->data + t->data_size, rstart, x, dflt, at);
}

/* wh_tab_func_line's cases past its fast path, each out of line so that
 * the fast path keeps few values: */

/* A change as wh_tab_func_line's cases out of line return it, in
 * registers: its t field and, from bit 56 on, the column bits of its flat
 * words; where it starts.  tw UINT64_MAX: none (the full lookup decides). */
struct wh_change {
    uint64_t tw;
    uintptr_t at;
};

/* lines_change for lines that the fast path does not read (a count past
 * 127, a change wider than 57 bits, lines near the data's end, or any
 * that cannot be read). */
WH_RT static __attribute__((noinline)) struct wh_change
change_other(const unsigned char *p, const unsigned char *end, uintptr_t rstart, uintptr_t x) {
    struct wh_change r = {UINT64_MAX, 0};
    uint64_t tv;
    uint32_t wc;
    if (lines_change(p, end, rstart, x, &tv, &wc, &r.at) > 0) /* (tv: <= 48 bits) */
        r.tw = tv | (uint64_t)wc << 56;
    return r;
}

/* The line of a change's loc (its t field tv, tv & 1 set) in module m,
 * and its file << 32; -1: the full lookup decides. */
WH_RT static __attribute__((noinline)) int64_t loc_line_file(const struct wh_mod *m, uint64_t tv) {
    struct whence_loc lbuf;
    struct whence_subprog pbuf;
    const struct whence_loc *lc = wh_mod_loc(m, (uint32_t)(tv >> 1) & 0x7fffffffu, &lbuf);
    if (WH_UNLIKELY(!lc))
        return -1;
    const struct whence_subprog *p = wh_mod_subprog(m, WHENCE_LOC_SUBPROG(lc), &pbuf);
    uint32_t fno = WHENCE_LOC_FILE(lc); /* after a #line directive */
    if (WH_LIKELY(!fno) && p)
        fno = WHENCE_SUBPROG_FILE(p);
    return (int64_t)fno << 32 | (lc->line <= INT32_MAX ? lc->line : 0);
}

/* whence_func_line(f, pc) in slot s with a table (lookup.c's warm path
 * for buckets, here for the table): a plain pc inside function entry f
 * whose module is remembered and has call labels, where pc is a byte of a
 * call (a frame's pc: a return address - 1) whose own label lies just
 * before it.  The decisions of wh_func_line_full and wh_exact_func_line in
 * that case (the table's change at or below pc, labelled_call_holding,
 * wh_fill_frame's
 * frame 0), taken the same way, without filling a wh_pcinfo; everything
 * else (and any check that fails) is the full lookup's.
 * Its commonest case inline: a direct call of the table's code, lines
 * whose count fits a byte, changes of at most 57 bits (one load each,
 * lines_change's reads and checks) and a flat site word. */
WH_RT int wh_tab_func_line(uintptr_t f, uintptr_t pc, const char **file, struct wh_slot *s) {
    const struct wh_tab *t = &s->tab;
    const struct wh_mod *m;
    uint32_t sub, wc, fno;
    uintptr_t at;
    uint64_t tv;
    int line;
    if (WH_UNLIKELY(!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func))))
        goto full;
    uint32_t i = (uint32_t)((f - t->func) / sizeof(struct whence_tab_func));
    struct whence_tab_func e = range_at(t, i);
    uint32_t size = e.word & t->w.smask;
    uintptr_t entry = t->text + e.start;
    /* (its lines passed their group's check: one bit; else the full
     * lookup checks them) */
    if (WH_UNLIKELY((size == 0) | (pc - entry > size)) ||
        WH_UNLIKELY(!wh_tab_passed(s, t->nbucket + i / WHENCE_TAB_GROUP)))
        goto full;
    uint32_t d = desc_at(t, i) & WHENCE_TAB_DATA_MASK;
    /* a plain function (its size and module in its entry): its
     * description is its lines */
    if (WH_UNLIKELY(!(m = func_mod_word(s, e.word))) ||
        WH_UNLIKELY(((m->flags & WHENCE_MOD_SLOTS) != 0) | (d >= t->data_size)))
        goto full;
    sub = word_sub(t, e.word);
    /* the change at or below pc: the call label's word (lines_change) */
    const unsigned char *p = (const unsigned char *)t->data + d;
    /* its count and widths, and its first change (one change: no load
     * that waits for the widths) */
    uint64_t v = 0, c0 = 0, room = (uint64_t)t->data_size - d;
    if (WH_LIKELY(room >= 11)) {
        memcpy(&v, p, 8);
        memcpy(&c0, p + 3, 8);
    }
    uint32_t n = (uint32_t)v & 0xff, h = (uint32_t)(v >> 8), wpc = h & 63, wt = h >> 6 & 63,
             ew = wpc + wt;
    wc = h >> 12 & 15;
    /* (v is 0 when room < 11: n - 1 is not below 127) */
    /* (its checks in one branch) */
    if (WH_LIKELY((n - 1 < 127) & (wpc <= 32) & (wt <= 48) & (wc <= WHENCE_SITE_FLAT_COL_BITS) &
                  (ew <= 57) & (((uint64_t)n * ew + 7) / 8 + 8 + 3 <= room))) {
        p += 3;
        uint64_t o = pc - entry, pcmask = (UINT64_C(1) << wpc) - 1;
        v = c0;
        if (n > 1) {
            uint32_t lo = 0, len = n;
            while (len > 1) {
                uint32_t half = len / 2;
                lo = (wh_pk_bits(p, (uint64_t)(lo + half) * ew) & pcmask) <= o ? lo + half : lo;
                len -= half;
            }
            v = wh_pk_bits(p, (uint64_t)lo * ew);
        }
        if (WH_UNLIKELY((v & pcmask) > o))
            goto full; /* before the first change */
        at = entry + (uintptr_t)(v & pcmask);
        tv = (v >> wpc) & ((UINT64_C(1) << wt) - 1);
    } else {
        struct wh_change ch =
            change_other(p, (const unsigned char *)t->data + t->data_size, entry, pc);
        if (ch.tw == UINT64_MAX)
            goto full;
        tv = ch.tw & ((UINT64_C(1) << 56) - 1);
        wc = (uint32_t)(ch.tw >> 56);
        at = ch.at;
    }
    /* pc is a byte of a call near the change (an instruction boundary: a
     * label's address), decoded from it, and no call code generation made
     * (which has no label: the one before is another's) */
    if (WH_UNLIKELY(!wh_labelled_call(s, NULL, pc, entry, size, at)))
        goto full;
    if (WH_LIKELY(!(tv & 1))) { /* a flat site of the function itself */
        uint32_t l0;             /* (sub < nsubprog: func_mod_word) */
        if (WH_LIKELY(m->pack != 0)) {
            l0 = wh_pack_subprog_line_and_file(m, sub, &fno);
        } else {
            uint32_t lf = fn_line_file(m, sub);
            l0 = lf & WHENCE_SUBPROG_LINE_MAX;
            fno = lf >> WHENCE_SUBPROG_LINE_BITS;
        }
        uint32_t l = flat_line(tv, wc, l0);
        /* line 0 (with column 0 no label at all), or unknown */
        if (WH_UNLIKELY(l - 1 >= WHENCE_SITE_FLAT_LINE_LIMIT - 1))
            goto full;
        line = (int)l;
    } else {
        int64_t lf = loc_line_file(m, tv);
        if (lf < 0)
            goto full;
        line = (int)(uint32_t)lf;
        fno = (uint32_t)(lf >> 32);
    }
    if (file) {
        /* wh_file, with branches (predicted) where it would select: the
         * answer then waits for no load of the name itself */
        const char *name;
        uint32_t off;
        if (WH_UNLIKELY(fno - 1 >= m->nfile) ||
            WH_UNLIKELY((off = ((const uint32_t *)(m->base + m->file_off))[fno - 1]) >=
                        m->str_size))
            goto unknown_file;
        name = (const char *)(m->base + m->str_off + off);
        if (WH_UNLIKELY(!*(const volatile char *)name))
            goto unknown_file;
        *file = name;
    }
    return line;
unknown_file:
    *file = wh_unknown;
    return line;
full:
    return wh_func_line_full((const whence_func *)f, pc, file);
}

/* ---- whence_func and slot locs ----------------------------------------------------------- */

WH_RT bool wh_tab_func(struct wh_slot *s, uintptr_t f, struct wh_pcinfo *pi) {
    const struct wh_tab *t = &s->tab;
    if (!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func)))
        return false; /* (probed before the slot is known to hold f: internal.h) */
    uint32_t i = (uint32_t)((f - t->func) / sizeof(struct whence_tab_func)), k, sub;
    struct whence_tab_func e = range_at(t, i);
    uint32_t sz = e.word & t->w.smask;
    /* (its entry was checked when f was made; its lines are read next: a
     * description that fails its check leaves f's function to its
     * records) */
    if (WH_UNLIKELY(!wh_tab_group_ok(s, i)))
        return wh_img_find_records(s, t->text + e.start, false, pi);
    /* a plain function with its size in its entry, its module remembered */
    if (WH_UNLIKELY(!sz || !word_fn(t, e.word, &k, &sub) || !(pi->m = func_mod_warm(s, k, sub))))
        return tab_fill(pi, s, i);
    func_put(pi, s, f, t->text + e.start, sz, sub);
    return true;
}

/* The name of subprog sub (< m->nsubprog) of m: one packed field, or the
 * array's. */
WH_RT static inline const char *sub_name(const struct wh_mod *m, uint32_t sub) {
    uint32_t name = m->pack ? wh_pack_subprog_name(m, sub) : wh_mod_subprog(m, sub, WH_SUB_BUF)->name;
    return wh_mod_str(m, name);
}

/* A process's first lookups in a table image (before its module array):
 * module k's header checked but for its string pool's last byte, a page of
 * its own in a large module (wh_mod_header_lazy; a name is then read with
 * wh_pool_str); its subprog sub.  NULL: the full check decides. */
WH_RT WH_ONCE static const struct whence_subprog *lazy_subprog(struct wh_slot *s, uint32_t k,
                                                               uint32_t sub, struct wh_mod *m,
                                                               struct whence_subprog *buf) {
    const struct wh_tab *t = &s->tab;
    if (k >= t->nmod)
        return NULL;
    struct whence_tab_mod d;
    uintptr_t ea = t->mod + (uintptr_t)k * sizeof d;
    memcpy(&d, (const void *)ea, sizeof d);
    uintptr_t mst = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
    if (!dir_off_ok(s, mst, d.off) ||
        wh_mod_header_lazy(mst + d.off, s->mod_stop - mst - d.off, m) ||
        m->key != d.key)
        return NULL;
    wh_pack_attach(t, ea, &d, m, false); /* its packed subprogs, else the arrays */
    m->pk_memo = &s->chunk_ok;
    return wh_mod_subprog(m, sub, buf);
}

WH_RT WH_ONCE static const struct whence_subprog *first_subprog(struct wh_slot *s, uint32_t k,
                                                                uint32_t sub, struct wh_mod *m,
                                                                struct whence_subprog *buf) {
    /* Counts the lookup, as tab_mod does: after WH_RAW_LOOKUPS the module
     * array answers (a first lookup that never counted stayed lazy). */
    if (atomic_load_explicit(&s->tmods, memory_order_acquire) ||
        atomic_fetch_add_explicit(&s->lookups, 1, memory_order_relaxed) >= WH_RAW_LOOKUPS)
        return NULL;
    return lazy_subprog(s, k, sub, m, buf);
}

/* wh_tab_name when the module is not remembered yet (or names nothing, or
 * the entry's word does not name it): the name, else the full lookup's
 * answer. */
WH_RT WH_ONCE static __attribute__((noinline)) const char *name_slow(struct wh_slot *s, uint32_t i,
                                                                     uintptr_t f) {
    struct wh_mod buf;
    struct whence_tab_func e;
    uint32_t k, sub, size;
    if (!func_data(&s->tab, i, &e, &size) || !fn_of(&s->tab, i, e, &k, &sub))
        return wh_func_name_miss((const whence_func *)f);
    const struct whence_subprog *fsp = first_subprog(s, k, sub, &buf, WH_SUB_BUF);
    const char *name = fsp ? wh_pool_str(&buf, fsp->name) : NULL;
    if (name)
        return name;
    const struct wh_mod *m = func_mod(s, k, sub, &buf);
    return m ? sub_name(m, sub) : wh_func_name_miss((const whence_func *)f);
}

WH_RT WH_ENTRY const char *wh_tab_name(struct wh_slot *s, uintptr_t f) {
    const struct wh_tab *t = &s->tab;
    const struct wh_mod *m;
    if (WH_UNLIKELY(!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func))))
        return wh_func_name_miss((const whence_func *)f);
    uint32_t i = (uint32_t)((f - t->func) / sizeof(struct whence_tab_func)), w;
    memcpy(&w, (const void *)(f + offsetof(struct whence_tab_func, word)), 4);
    /* a plain function with its size in its entry, its module remembered */
    if (WH_UNLIKELY(!(w & t->w.smask) || !(m = func_mod_word(s, w))))
        return name_slow(s, i, f);
    return sub_name(m, word_sub(t, w));
}

WH_RT WH_ONCE bool wh_tab_first_ok(struct wh_slot *s, uintptr_t f, uintptr_t *entry,
                                   uint32_t *size) {
    const struct wh_tab *t = &s->tab;
    struct whence_tab_func e;
    struct wh_mod m;
    uint32_t k, sub, i = (uint32_t)((f - t->func) / sizeof(struct whence_tab_func));
    /* (f's entry was checked when f was made; its description is read
     * when the entry does not say it all) */
    if (!wh_slot_tab_holds(s, f, sizeof(struct whence_tab_func)))
        return false;
    e = range_at(t, i);
    if (!((e.word & t->w.smask) && e.word >> t->w.sbits != t->w.msall) && !wh_tab_group_ok(s, i))
        return false;
    if (!func_data(t, i, &e, size) || !fn_of(t, i, e, &k, &sub) ||
        !lazy_subprog(s, k, sub, &m, WH_SUB_BUF))
        return false;
    *entry = t->text + e.start;
    return true;
}

/* wh_tab_func_for_pc when the module is not remembered yet, or the
 * entry's word does not name it. */
WH_RT WH_ONCE static __attribute__((noinline)) const whence_func *
func_slow(struct wh_slot *s, uint32_t i, struct whence_tab_func e, uintptr_t x) {
    struct wh_mod buf;
    uint32_t k, sub;
    if (found_ok(s, x, i, e) && range_kind(&s->tab, i, e) == WHENCE_TAB_FUNCTION &&
        fn_of(&s->tab, i, e, &k, &sub) &&
        (first_subprog(s, k, sub, &buf, WH_SUB_BUF) || func_mod(s, k, sub, &buf)))
        return (const whence_func *)(s->tab.func + (uintptr_t)i * sizeof e);
    return wh_func_for_pc_miss_read(x);
}

/* whence_func_for_pc's first lookups of x in slot s when s is not the
 * image that answered last (lookup.c, first_func): a function's range
 * holding x, its module checked as a first lookup checks it
 * (first_subprog); NULL: the full lookup decides. */
WH_RT WH_ONCE const whence_func *wh_tab_first_func(struct wh_slot *s, uintptr_t x) {
    struct whence_tab_func f;
    struct wh_mod buf;
    uint32_t size, k, sub, i = range_of(&s->tab, x, &f, &size);
    if (i == UINT32_MAX || !found_ok(s, x, i, f) ||
        range_kind(&s->tab, i, f) != WHENCE_TAB_FUNCTION || !fn_of(&s->tab, i, f, &k, &sub) ||
        !first_subprog(s, k, sub, &buf, WH_SUB_BUF))
        return NULL;
    return (const whence_func *)(s->tab.func + (uintptr_t)i * sizeof f);
}

/* wh_tab_func_for_pc past its warm path: everything the entry's word
 * does not say (its size, its module and subprog), and a module not
 * remembered yet. */
WH_RT static __attribute__((noinline)) const whence_func *func_for_pc_slow(struct wh_slot *s,
                                                                           uintptr_t x) {
    struct whence_tab_func f;
    uint32_t size, i = range_of(&s->tab, x, &f, &size);
    return i == UINT32_MAX ? wh_func_for_pc_miss_read(x) : func_slow(s, i, f, x);
}

/* wh_tab_func_for_pc's answer a for x when its bucket's check was not
 * remembered as passed: checked now. */
WH_RT static __attribute__((noinline)) const whence_func *func_for_pc_check(struct wh_slot *s,
                                                                           uintptr_t x,
                                                                           uintptr_t a) {
    if (!wh_tab_bucket_ok_slow(s, (uint32_t)((x - s->tab.text) >> WHENCE_TAB_BUCKET_SHIFT)))
        return wh_func_for_pc_miss_read(x);
    return (const whence_func *)a;
}

WH_RT WH_ENTRY const whence_func *wh_tab_func_for_pc(struct wh_slot *s, uintptr_t x) {
    const struct wh_tab *t = &s->tab;
    struct whence_tab_func f;
    uint32_t off;
    const unsigned char *a = range_below(t, x, &off);
    if (WH_UNLIKELY(!a))
        return wh_func_for_pc_miss_read(x);
    memcpy(&f, a, sizeof f);
    /* a plain function with its size in its entry, its module remembered */
    uint32_t sz = f.word & t->w.smask;
    if (WH_UNLIKELY(!sz || !func_mod_word(s, f.word))) {
        if (!sz) /* its size in its description */
            return func_for_pc_slow(s, x);
        if (f.start > off || off - f.start >= sz)
            return wh_func_for_pc_miss_read(x);
        /* (a first lookup: the range is found, its module not remembered) */
        uint32_t i = (uint32_t)((uintptr_t)(a - (const unsigned char *)t->func) / sizeof f);
        return func_slow(s, i, f, x);
    }
    /* (start > off too: the difference wraps past every size) */
    if (WH_UNLIKELY((uint64_t)off - f.start >= sz))
        return wh_func_for_pc_miss_read(x);
    /* (the entries read passed their bucket's check: one bit, else
     * checked out of line, tail-called: no stack frame here) */
    if (WH_UNLIKELY(!wh_tab_passed(s, off >> WHENCE_TAB_BUCKET_SHIFT)))
        return func_for_pc_check(s, x, (uintptr_t)a);
    return (const whence_func *)a;
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
    if (!wh_tab_subfn_ok(s, subfn + rs))
        return false;
    memcpy(&fi, (const void *)(t->subfn + ((uintptr_t)subfn + rs) * 4), 4);
    if (!tab_fill(pi, s, fi) || pi->m->base != m->base)
        return false;
    wh_pcinfo_at_loc(pi, loc);
    return true;
}
