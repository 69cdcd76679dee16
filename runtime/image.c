/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * image.c - pc -> function, module and site inside one registered image,
 * straight from the records the linker laid out.
 *
 * The linked whence_fn and whence_site records are in address order (each
 * input section is SHF_LINK_ORDER-tied to its code, so the linker orders
 * them with it; GNU ld and lld, LTO, --gc-sections, comdats), except where
 * a linker does not sort such sections (mold: none; gold: some comdat
 * ones), which leaves them in input-section order: each section's records
 * in order.  So the first lookups in a process search them in place
 * (interpolation, then bisection: fn_floor; a function's labels as the run
 * of records they are: site_run_floor): no allocation, no pass over the
 * records, a few cache lines on one or two pages.  A found record is checked against its neighbours (ordered,
 * not overlapping); a pc inside the image that finds no function, or a
 * neighbour out of order, makes the whole image checked once
 * (wh_slot_check_order), and an image whose records are not in order is
 * looked up through the permutation its buckets hold (accel.c).  After
 * WH_RAW_LOOKUPS lookups an image gets its buckets (Go's findfunctab over
 * the records: O(1) per lookup).
 *
 * A fence record (the range of a body the pass did not instrument) is no
 * function: a pc in it finds nothing, quietly; it is a range like any
 * other for the order checks.  Code the backend split off a function
 * (fragments.c) has no record: the buckets know it, and a pc in the
 * image's range that no record holds builds them at once if the image may
 * have any (found out once, from .eh_frame_hdr, allocating nothing).  A pc
 * there is its function's, and only the labels from the fragment's start
 * on are its own.
 *
 * A module table is found by its key: the accel's sorted list, or, before
 * it exists, a scan of the table headers (a small per-slot memo remembers
 * where a key's table is, one word per entry).  Only the header is checked
 * (wh_mod_header, O(1)); every index that is followed later is checked
 * where it is used (internal.h).
 *
 * Everything here is async-signal-safe: no allocation, no lock.
 */
#include "lookup.h"
#include "unwind/cfi.h"

/* ---- records through the permutation ------------------------------------------- */

WH_RT static inline const wh_fn *fn_at(const struct wh_slot *s, const struct wh_accel *ax,
                                       uint32_t i) {
    uint32_t k = ax && ax->fperm ? ax->fperm[i] : i;
    return (const wh_fn *)(s->fn_start + (uintptr_t)k * WHENCE_FN_RECORD_SIZE);
}

WH_RT static inline uintptr_t site_at(const struct wh_slot *s, const struct wh_accel *ax,
                                      uint32_t j) {
    uint32_t k = ax && ax->sperm ? ax->sperm[j] : j;
    return s->site_start + (uintptr_t)k * WH_SITE_SIZE;
}

WH_RT static inline uint32_t nfn_of(const struct wh_slot *s, const struct wh_accel *ax) {
    return ax ? ax->nf : s->nfn;
}

WH_RT static inline uint32_t nsite_of(const struct wh_slot *s, const struct wh_accel *ax) {
    return ax ? ax->ns : s->nsite;
}

/* ---- modules ----------------------------------------------------------------------- */

/* The header at a (left bytes to the section's end); lazy: all but the
 * string pool's final NUL (wh_mod_header_lazy). */
WH_RT static inline bool header_ok(uintptr_t a, uintptr_t left, struct wh_mod *m, bool lazy) {
    return !(lazy ? wh_mod_header_lazy(a, left, m) : wh_mod_header(a, left, m));
}

WH_RT WH_ONCE static bool mod_from_memo(struct wh_slot *s, uintptr_t ms, uint64_t key, struct wh_mod *m,
                                bool lazy) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = atomic_load_explicit(&s->memo[i], memory_order_relaxed);
        if (!w || w >> 24 != key)
            continue;
        uintptr_t at = ms + ((uintptr_t)(w & 0xffffff) << 3);
        if (at < s->mod_stop && header_ok(at, s->mod_stop - at, m, lazy) && m->key == key)
            return true;
    }
    return false;
}

/* What the walk of the headers asks of the header h, left bytes before the
 * section's end: its table's size. */
WH_RT static inline bool header_walkable(const struct whence_mod_header *h, uintptr_t left) {
    return h->magic == WHENCE_MOD_MAGIC && h->version == WHENCE_ABI_VERSION &&
           h->total_size >= sizeof *h && h->total_size % 8 == 0 && h->total_size <= left;
}

/* A module table starts at p (8-aligned, in [ms, me)) as a walk of the
 * headers from ms would find it: a header whose own fields agree, followed
 * by another one or by the section's end.  Only the guessed walk below
 * needs this much: it starts its walks at positions no header named. */
WH_RT WH_ONCE static bool table_at(uintptr_t p, uintptr_t me, uint64_t *key, uint32_t *size) {
    struct whence_mod_header h;
    if (me - p < sizeof h)
        return false;
    __builtin_memcpy(&h, (const void *)p, sizeof h);
    if (!header_walkable(&h, me - p) || h.header_size != sizeof h || h.key >> 40 ||
        h.flags & ~WHENCE_MOD_FLAGS_ALL)
        return false;
    uintptr_t q = p + h.total_size;
    if (q != me) {
        uint32_t next[2];
        if (me - q < sizeof next)
            return false;
        __builtin_memcpy(next, (const void *)q, sizeof next);
        if (next[0] != WHENCE_MOD_MAGIC || (next[1] & 0xffffu) != WHENCE_ABI_VERSION)
            return false;
    }
    *key = h.key, *size = h.total_size;
    return true;
}

#define WH_NEAR 4096u         /* bytes of tables walked from the start before guessing */
#define WH_GUESS_BACK_MIN 4096u
#define WH_GUESS_BACK_MAX 65536u
#define WH_GUESS_AHEAD 4 /* tables a guess reads forward from where it lands */
#define WH_GUESS_HOPS 8  /* and back, one at a time */

WH_RT WH_ONCE static void memo_put(struct wh_slot *s, uintptr_t ms, uintptr_t pos, uint64_t key) {
    uintptr_t off = (pos - ms) >> 3;
    if (off < (1u << 24) && key < (UINT64_C(1) << 40))
        atomic_store_explicit(&s->memo[key & 3], key << 24 | off, memory_order_relaxed);
}

/* The table at p (key k) is the one with key key: taken, and remembered. */
WH_RT WH_ONCE static bool take(struct wh_slot *s, uintptr_t ms, uintptr_t me, uintptr_t p,
                               uint64_t k, uint64_t key, struct wh_mod *m, bool lazy) {
    if (k != key || !header_ok(p, me - p, m, lazy))
        return false;
    memo_put(s, ms, p, key);
    return true;
}

/* The start of the last module table that starts at or below g and at most
 * back bytes below it (not below ms), or 0. */
WH_RT WH_ONCE static uintptr_t table_before(uintptr_t g, uintptr_t ms, uintptr_t me, uintptr_t back,
                                            uint64_t *key, uint32_t *size) {
    uintptr_t stop = g - ms > back ? g - back : ms;
    for (uintptr_t p = g;; p -= 8) {
        if (table_at(p, me, key, size))
            return p;
        if (p <= stop)
            return 0;
    }
}

/* The module with key key when the record that names it is record at of
 * nfn: the module tables follow one another in link order, as the
 * functions' records do, so it is near at / nfn of the way through
 * whence_mod.  From the start of the table found searching back (at most
 * back bytes) from there, a few tables forward, then the tables before it
 * one at a time: O(1) pages where the walk from the start reads one per
 * module before it.  False: not found this way (the walk decides). */
WH_RT WH_ONCE static bool mod_guess(struct wh_slot *s, uintptr_t ms, uintptr_t me, uint64_t key,
                                    uint32_t at, uint32_t nfn, uintptr_t back, struct wh_mod *m,
                                    bool lazy) {
    uintptr_t g = ms + (uintptr_t)((uint64_t)(me - ms) * at / nfn & ~(uint64_t)7);
    uint64_t k;
    uint32_t size;
    uintptr_t start = table_before(g, ms, me, back, &k, &size);
    if (!start)
        return false;
    uintptr_t p = start;
    for (uint32_t n = 0; n < WH_GUESS_AHEAD; n++) {
        if (take(s, ms, me, p, k, key, m, lazy))
            return true;
        p += size;
        if (p >= me || !table_at(p, me, &k, &size))
            break;
    }
    for (uint32_t hop = 0; hop < WH_GUESS_HOPS && start > ms; hop++) {
        if (!(start = table_before(start - 8, ms, me, back, &k, &size)))
            return false;
        if (take(s, ms, me, start, k, key, m, lazy))
            return true;
    }
    return false;
}

/* The module with key key among the tables of s (no buckets): the memo,
 * else a walk of the headers from the start; given the position of the
 * record that names it (at < s->nfn), a walk past its first WH_NEAR bytes
 * (the tables sharing the first table's page) guesses first. */
WH_RT WH_ONCE static bool mod_scan(struct wh_slot *s, uint64_t key, struct wh_mod *m, bool lazy,
                                   uint32_t at) {
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed), me = s->mod_stop;
    if (mod_from_memo(s, ms, key, m, lazy))
        return true;
    bool guessed = at >= s->nfn;
    uint32_t largest = 0; /* of the tables walked so far */
    /* Tables are 8-aligned and follow one another (zero padding between
     * them); a bad header is skipped 8 bytes at a time, as parse.c does. */
    for (uintptr_t pos = ms; pos < me && me - pos >= sizeof(struct whence_mod_header);) {
        if (!guessed && pos - ms >= WH_NEAR) {
            /* back: twice the largest table seen, so that the search back
             * from inside a table of that size reaches its start */
            guessed = true;
            uintptr_t back = (uintptr_t)largest * 2;
            back = back < WH_GUESS_BACK_MIN ? WH_GUESS_BACK_MIN
                                            : back > WH_GUESS_BACK_MAX ? WH_GUESS_BACK_MAX : back;
            if (mod_guess(s, ms, me, key, at, s->nfn, back, m, lazy))
                return true;
        }
        struct whence_mod_header h;
        __builtin_memcpy(&h, (const void *)pos, sizeof h);
        if (!header_walkable(&h, me - pos)) {
            pos += 8;
            continue;
        }
        if (take(s, ms, me, pos, h.key, key, m, lazy))
            return true;
        if (h.total_size > largest)
            largest = h.total_size;
        pos += h.total_size;
    }
    return false;
}

WH_RT bool wh_mod_by_key(struct wh_slot *s, const struct wh_accel *ax, uint64_t key,
                         struct wh_mod *m) {
    if (ax) {
        const struct wh_mod *am = wh_accel_mod(ax, key);
        if (am)
            *m = *am;
        return am != NULL;
    }
    return mod_scan(s, key, m, false, UINT32_MAX);
}

/* The module record r names (s without buckets). */
WH_RT static bool mod_of_rec(struct wh_slot *s, const wh_fn *r, struct wh_mod *m, bool lazy) {
    uintptr_t d = (uintptr_t)r - s->fn_start;
    uint32_t at = d < (uintptr_t)s->nfn * WHENCE_FN_RECORD_SIZE ? (uint32_t)(d / WHENCE_FN_RECORD_SIZE)
                                                               : UINT32_MAX;
    return mod_scan(s, wh_rec_keysub(r) >> WHENCE_FN_SUB_BITS, m, lazy, at);
}

/* ---- functions ----------------------------------------------------------------------- */

#define WH_INTERP_STEPS 4 /* interpolation probes before plain bisection */

/* Greatest i < n with entry(i) <= x, or UINT32_MAX.  Only lookups without
 * buckets search this way (a process's first ones).  A bisection of 10,000
 * records touches pages across the whole section, each page a fault in a
 * fresh process; functions being of similar sizes, the first probes
 * interpolate instead, between the image's code bounds and then between the
 * entries already read, and land within a page or two of the answer.  After
 * WH_INTERP_STEPS probes (a skewed layout) it bisects: O(log n) at worst. */
WH_RT static inline __attribute__((always_inline)) uint32_t fn_floor(const struct wh_slot *s, const struct wh_accel *ax, uint32_t n,
                               uintptr_t x) {
    uint32_t lo = 0, hi = n;
    /* The addresses at lo and hi, as far as known: entries below lo are
     * <= x, those from hi on are > x. */
    uintptr_t a = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t b = atomic_load_explicit(&s->hi, memory_order_relaxed);
    if (n > 2) {
        /* The end records bound it exactly (the image's code also holds
         * code that is not instrumented); they are cheap to read: in a
         * linked image they share their pages with what the loader wrote
         * already (relocated data before them, the zeroed start of .bss
         * after them). */
        uintptr_t first = wh_rec_entry(fn_at(s, ax, 0)), last = wh_rec_entry(fn_at(s, ax, n - 1));
        if (x < first)
            return UINT32_MAX;
        if (x >= last)
            return n - 1;
        lo = 1, hi = n - 1, a = first, b = last;
    }
    for (uint32_t step = 0; lo < hi; step++) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (step < WH_INTERP_STEPS && x >= a && x < b && b - a <= UINT32_MAX)
            mid = lo + (uint32_t)((uint64_t)(hi - lo) * (x - a) / (b - a)); /* < hi */
        uintptr_t e = wh_rec_entry(fn_at(s, ax, mid));
        if (e <= x)
            lo = mid + 1, a = e;
        else
            hi = mid, b = e;
    }
    return lo ? lo - 1 : UINT32_MAX;
}

/* Record i holds x; its neighbours agree that the records are in order. */

WH_RT static inline __attribute__((always_inline)) bool fn_holds(const struct wh_slot *s, const struct wh_accel *ax, uint32_t n,
                           uint32_t i, uintptr_t x, bool check_neighbours) {
    const wh_fn *r = fn_at(s, ax, i);
    uintptr_t e = wh_rec_entry(r);
    uint32_t sz = wh_rec_size(r);
    if (x - e >= sz || sz > WH_MAX_FN_SIZE)
        return false;
    if (!check_neighbours)
        return true;
    if (i > 0) {
        const wh_fn *p = fn_at(s, ax, i - 1);
        uintptr_t pe = wh_rec_entry(p);
        if (pe > e || (pe + wh_rec_size(p) > e && !wh_rec_same(p, r)))
            return false;
    }
    if (i + 1 < n) {
        const wh_fn *q = fn_at(s, ax, i + 1);
        uintptr_t qe = wh_rec_entry(q);
        if (qe < e + sz && !wh_rec_same(q, r))
            return false;
    }
    return true;
}

/* wh_img_fn before the image has buckets (out of line: the search must not
 * weigh on the bucket path). */
WH_RT WH_ONCE __attribute__((noinline)) static const wh_fn *fn_raw(struct wh_slot *s, uintptr_t x) {
    const struct wh_accel *ax = NULL;
    uint32_t n = s->nfn, i = fn_floor(s, ax, n, x);
    uint32_t order = atomic_load_explicit(&s->order, memory_order_relaxed);
    if (i != UINT32_MAX && fn_holds(s, ax, n, i, x, order != WH_ORDER_SORTED))
        return fn_at(s, ax, i);
    /* Nothing here: a gap between functions (uninstrumented code), or
     * records out of order.  Tell once which; records out of order are
     * looked up through the permutation of the buckets, built now. */
    if (order == WH_ORDER_UNCHECKED)
        wh_slot_check_order(s);
    order = atomic_load_explicit(&s->order, memory_order_relaxed);
    if (order == WH_ORDER_SORTED)
        return i != UINT32_MAX && fn_holds(s, ax, n, i, x, false) ? fn_at(s, ax, i) : NULL;
    if ((ax = wh_slot_accel_slow(s)) != NULL)
        return wh_img_fn(s, ax, x);
    return NULL;
}

/* The function of slot s holding x (a pc, or a return address - 1), or
 * NULL.  Records found out of order make the image checked once. */
WH_RT const wh_fn *wh_img_fn(struct wh_slot *s, const struct wh_accel *ax, uintptr_t x) {
    uint32_t n = nfn_of(s, ax);
    if (ax && x - ax->lo < ax->span) {
        /* Buckets: the function of the sub-bucket's first byte, then the
         * few that start later in it. */
        uint32_t off = (uint32_t)(x - ax->lo);
        uint32_t i = WH_BUCKET_FN(ax, off);
        const wh_fn *r;
        if (WH_LIKELY(!ax->fperm)) { /* the records in place: no indirection */
            const char *rec = (const char *)s->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE;
            const char *end = (const char *)s->fn_start + (uintptr_t)n * WHENCE_FN_RECORD_SIZE;
            if (i >= n)
                return NULL;
            while (rec + WHENCE_FN_RECORD_SIZE < end &&
                   wh_rec_entry((const wh_fn *)(rec + WHENCE_FN_RECORD_SIZE)) <= x)
                rec += WHENCE_FN_RECORD_SIZE;
            r = (const wh_fn *)rec;
        } else {
            while (i + 1 < n && wh_rec_entry(fn_at(s, ax, i + 1)) <= x)
                i++;
            if (i >= n)
                return NULL;
            r = fn_at(s, ax, i);
        }
        return x - wh_rec_entry(r) < wh_rec_size(r) ? r : NULL;
    }
    return ax ? NULL : fn_raw(s, x);
}

/* ---- sites -------------------------------------------------------------------------- */

/* Greatest j < n with label(j) <= x, or UINT32_MAX (from the sub-bucket's
 * first site with buckets, by bisection without). */
WH_RT static uint32_t site_floor(const struct wh_slot *s, const struct wh_accel *ax, uintptr_t x) {
    uint32_t n = nsite_of(s, ax), j;
    if (ax && x - ax->lo < ax->span) {
        uint32_t off = (uint32_t)(x - ax->lo);
        j = WH_BUCKET_SITE(ax, off); /* first label >= sub-bucket (or before it) */
        if (WH_LIKELY(!ax->sperm)) {
            uintptr_t r = s->site_start + (uintptr_t)j * WH_SITE_SIZE;
            while (j < n && wh_site_pc(r) <= x)
                j++, r += WH_SITE_SIZE;
        } else {
            while (j < n && wh_site_pc(site_at(s, ax, j)) <= x)
                j++;
        }
    } else {
        uint32_t lo = 0, hi = n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (wh_site_pc(site_at(s, ax, mid)) <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        j = lo;
    }
    return j ? j - 1 : UINT32_MAX;
}

/* The raw records around site j (UINT32_MAX: before the first), j-1, j and
 * j+1, are in order.  Not a proof that all are (the buckets' build checks
 * that), but a bisection over records out of order lands among some. */
WH_RT static bool site_in_order(const struct wh_slot *s, uint32_t j) {
    uint32_t first = j == UINT32_MAX ? 0 : j ? j - 1 : 0, n = s->nsite;
    uint32_t last = j == UINT32_MAX ? 1 : j + 1;
    uintptr_t prev = 0;
    for (uint32_t k = first; k <= last && k < n; k++) {
        uintptr_t a = wh_site_pc(s->site_start + (uintptr_t)k * WH_SITE_SIZE);
        if (a < prev)
            return false;
        prev = a;
    }
    return true;
}

/* Says once that a site record names no position. */
WH_RT __attribute__((noinline)) static void say_bad_site(const struct wh_slot *s,
                                                         const struct wh_mod *m, uint32_t w) {
    if (!wh_once(WH_ONCE_BADSITE))
        return;
    struct wh_buf b = {.fd = 2};
    wh_buf_str(&b, "whence: image at ");
    wh_buf_hex(&b, atomic_load_explicit(&s->mod_start, memory_order_relaxed));
    wh_buf_str(&b, ": ignoring a site record that names no position (");
    if (WH_LOC_IN_TABLE(w)) {
        wh_buf_str(&b, "loc ");
        wh_buf_dec(&b, w);
        wh_buf_str(&b, " of ");
        wh_buf_dec(&b, m->nloc);
    } else {
        wh_buf_str(&b, "the reserved line");
    }
    wh_buf_str(&b, ")\n");
    wh_buf_flush(&b);
}

/* Records not known to be in order (the raw search of a process's first
 * lookups, before the image is checked), from site j on: the greatest
 * label at or below x of the function that starts at from.  A function's
 * labels come from one input section, in address order there, so they
 * are one run of records wherever the linker put that section (mold
 * leaves SHF_LINK_ORDER sections in input order, and gold some comdat
 * ones): a record of the run found by the bisection leads, forward, to
 * the greatest one at or below x.  A bisection that landed outside the
 * run finds no label: wh_img_site then checks the order. */
WH_RT static uint32_t site_run_floor(const struct wh_slot *s, uint32_t j, uintptr_t from,
                                     uintptr_t x) {
    uint32_t n = s->nsite;
    if (j == UINT32_MAX)
        return j;
    uintptr_t a = wh_site_pc(s->site_start + (uintptr_t)j * WH_SITE_SIZE);
    for (uint32_t k = j + 1; k < n; k++) {
        uintptr_t b = wh_site_pc(s->site_start + (uintptr_t)k * WH_SITE_SIZE);
        if (b > x || b < from || b < a)
            break;
        j = k, a = b;
    }
    return j;
}

#define WH_SITE_BACK 64 /* labels of other functions skipped, at most */

/* The site word of the greatest label at or below x inside pi's function,
 * searched from site j down (ax: through the buckets' permutation); *at
 * is the label's address.  UINT32_MAX: no label there (none is a word:
 * a flat word that large names no line). */
WH_RT static uint32_t labels_below(const struct wh_pcinfo *pi, const struct wh_accel *ax,
                                   uint32_t j, uintptr_t x, uintptr_t *at) {
    struct wh_slot *s = pi->slot;
    for (uint32_t back = 0; j != UINT32_MAX && back < WH_SITE_BACK; back++, j = j ? j - 1 : UINT32_MAX) {
        uintptr_t r = site_at(s, ax, j);
        *at = wh_site_pc(r);
        if (*at < pi->from || *at > x) /* (above x: out of order, another run's) */
            break;
        uint32_t w = wh_site_word(r);
        /* before an LTO link: a loc by address; one of another module's is
         * a copied label (below) */
        if ((pi->m->flags & WHENCE_MOD_PRELINK) && (w = wh_prelink_loc(pi->m, r, w)) == UINT32_MAX)
            return WH_LOC_UNKNOWN;
        if (!WH_LOC_IN_TABLE(w)) {
            if (WHENCE_SITE_FLAT_LINE(w) < WHENCE_SITE_FLAT_LINE_LIMIT)
                return w;
            say_bad_site(s, pi->m, w);
            continue;
        }
        if (w >= pi->m->nloc) {
            say_bad_site(s, pi->m, w);
            continue;
        }
        const struct whence_loc *root = wh_mod_loc(pi->m, wh_loc_root(pi->m, w), WH_LOC_BUF);
        if (!root)
            continue;
        /* Another function's label: LTO copied it with that function into
         * this one after a compile-time instrumentation, so x is in code
         * LTO inlined here, and where is not known: the label before it
         * need not be the inlined call's (the inlined code may be laid out
         * anywhere after it; in Lua 5.4 a quarter of those labels were
         * another call's). */
        if (WHENCE_LOC_SUBPROG(root) != pi->sub)
            return WH_LOC_UNKNOWN;
        return w;
    }
    return UINT32_MAX;
}

/* The site word of the call whose label is the greatest at or below x
 * inside pi's function: a flat word, a loc index of pi's module whose inline
 * chain ends at pi's function, or WH_NO_LOC (no label before x in the
 * function), or WH_LOC_UNKNOWN.  A label that names another function's
 * position (a call copied in by LTO with an inlined function: its word
 * is the address of a loc of another module, WHENCE_MOD_PRELINK, or a loc
 * of another function of this one) makes the line unknown; one that names
 * no position is passed over.  *at is the label's address. */
WH_RT uint32_t wh_img_site(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at) {
    struct wh_slot *s = pi->slot;
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    uint32_t j = site_floor(s, ax, x), w;
    /* Records not checked yet: the function's run from where the bisection
     * landed, when its neighbours are in order; no label found there may
     * be a bisection that missed the run (site_run_floor). */
    if (!ax && atomic_load_explicit(&s->order, memory_order_relaxed) == WH_ORDER_UNCHECKED &&
        site_in_order(s, j) &&
        (w = labels_below(pi, NULL, site_run_floor(s, j, pi->from, x), x, at)) != UINT32_MAX)
        return w;
    if (!ax && atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_SORTED) {
        /* Out of order, or not known: check the whole image once; records
         * out of order are looked up through the buckets' permutation. */
        if (atomic_load_explicit(&s->order, memory_order_relaxed) == WH_ORDER_UNCHECKED)
            wh_slot_check_order(s);
        if (atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_SORTED)
            ax = wh_slot_accel_slow(s);
        j = site_floor(s, ax, x);
    }
    if ((w = labels_below(pi, ax, j, x, at)) != UINT32_MAX)
        return w;
    /* No call before x: at its entry, the function's first line; in a
     * fragment, a line not known (the code ran elsewhere before). */
    return pi->from == pi->entry ? WH_NO_LOC : WH_LOC_UNKNOWN;
}

/* The line record at or below x (an interrupted pc) inside pi's function,
 * when it is nearer than the call label at or below x: its loc, else
 * UINT32_MAX.  Only images built with line records (opt-in) have them, and
 * only accelerated images can read them. */
WH_RT uint32_t wh_img_line(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at) {
    const struct wh_accel *ax = atomic_load_explicit(&pi->slot->ax, memory_order_acquire);
    if (!ax && pi->slot->line_start)
        ax = wh_slot_accel_slow(pi->slot); /* line records are read through buckets */
    if (!ax || !ax->nlines || x - ax->lo >= ax->span)
        return UINT32_MAX;
    uint64_t key = (uint64_t)(x - ax->lo) << 32 | 0xffffffffu;
    uint32_t lo = 0, hi = ax->nlines;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ax->lines[mid] <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return UINT32_MAX;
    uint64_t v = ax->lines[lo - 1];
    uint32_t l = (uint32_t)v;
    *at = ax->lo + (uintptr_t)(v >> 32);
    const struct whence_loc *root = l < pi->m->nloc ? wh_mod_loc(pi->m, wh_loc_root(pi->m, l), WH_LOC_BUF) : NULL;
    return *at >= pi->from && root && WHENCE_LOC_SUBPROG(root) == pi->sub ? l : UINT32_MAX;
}

/* ---- the function's module -------------------------------------------------------------- */

/* Fills pi for record r of slot s (its module and subprog resolved): false
 * when the record names no table of the image or a subprog it lacks. */
/* r's code lies in s's code (its executable segments): a record that says
 * otherwise is damaged, and the code bytes some answers read
 * (wh_after_call) might not be mapped. */
WH_RT static inline bool rec_in_image(const struct wh_slot *s, const wh_fn *r) {
    uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
    uintptr_t e = wh_rec_entry(r);
    return e >= lo && e <= hi && wh_rec_size(r) <= hi - e;
}

WH_RT bool wh_img_fill(struct wh_pcinfo *pi, struct wh_slot *s, const struct wh_accel *ax,
                       const wh_fn *r) {
    if (WH_UNLIKELY(!rec_in_image(s, r)))
        return false;
    uint64_t keysub = wh_rec_keysub(r);
    uint32_t sub = (uint32_t)(keysub & WHENCE_FN_SUB_MAX);
    if (ax) {
        pi->m = wh_accel_mod(ax, keysub >> WHENCE_FN_SUB_BITS);
        if (!pi->m)
            return false;
    } else {
        if (!mod_of_rec(s, r, &pi->mbuf, false))
            return false;
        pi->m = &pi->mbuf;
    }
    if (sub >= pi->m->nsubprog)
        return false;
    wh_pcinfo_func(pi, s, r, sub);
    return true;
}

/* ---- a process's first lookups: no page read that the answer does not need -------------- */

/* Record r of s (no buckets) names a function: in s's code, not a fence,
 * its module's header good (lazily: wh_mod_header_lazy) and its subprog
 * in range; that subprog, or NULL (the full lookup decides: fences,
 * damaged records and tables). */
WH_RT WH_ONCE static const struct whence_subprog *first_subprog(struct wh_slot *s, const wh_fn *r,
                                                        struct wh_mod *m,
                                                        struct whence_subprog *buf) {
    if (!r || wh_rec_fence(r) || !rec_in_image(s, r))
        return NULL;
    uint64_t keysub = wh_rec_keysub(r);
    if (!mod_of_rec(s, r, m, true))
        return NULL;
    return wh_mod_subprog(m, (uint32_t)(keysub & WHENCE_FN_SUB_MAX), buf);
}

WH_RT WH_ONCE const wh_fn *wh_img_first_fn(struct wh_slot *s, uintptr_t x) {
    /* wh_img_fn without buckets, its misses left to the full lookup */
    uint32_t n = s->nfn, i = fn_floor(s, NULL, n, x);
    if (i == UINT32_MAX ||
        !fn_holds(s, NULL, n, i, x,
                  atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_SORTED))
        return NULL;
    struct wh_mod m;
    const wh_fn *r = fn_at(s, NULL, i);
    return first_subprog(s, r, &m, WH_SUB_BUF) ? r : NULL;
}

WH_RT WH_ONCE bool wh_img_first_ok(struct wh_slot *s, const wh_fn *r) {
    struct wh_mod m;
    return first_subprog(s, r, &m, WH_SUB_BUF) != NULL;
}

WH_RT WH_ONCE const char *wh_img_first_name(struct wh_slot *s, const wh_fn *r) {
    struct wh_mod m;
    struct whence_subprog sb;
    const struct whence_subprog *sp = first_subprog(s, r, &m, &sb);
    return sp ? wh_pool_str(&m, sp->name) : NULL;
}

/* ---- misses: fences, fragments, the other candidate ------------------------------------ */

WH_RT const struct wh_frag *wh_img_frag(const struct wh_accel *ax, uintptr_t x) {
    return wh_frag_at(ax->frags, ax->nfrag, x);
}

/* The buckets that know s's fragments: built already, or built now if the
 * image may have any (asked once per image, from its records in order). */
WH_RT static const struct wh_accel *frag_accel(struct wh_slot *s) {
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    if (ax)
        return ax;
    uint32_t st = atomic_load_explicit(&s->frags, memory_order_relaxed);
    if (st == WH_FRAGS_UNCHECKED) {
        if (atomic_load_explicit(&s->order, memory_order_relaxed) == WH_ORDER_UNCHECKED)
            wh_slot_check_order(s);
        if (atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_SORTED)
            return wh_slot_accel_slow(s); /* records out of order: the buckets decide */
        st = wh_frags_possible(NULL, s->fn_start, s->nfn, s->eh) ? WH_FRAGS_MAYBE : WH_FRAGS_NONE;
        atomic_store_explicit(&s->frags, st, memory_order_relaxed);
    }
    return st == WH_FRAGS_MAYBE ? wh_slot_accel_slow(s) : NULL;
}

/* pi for x in a fragment of slot s.  plain_end: x is pc-1 of a plain pc,
 * which is a return address only if the fragment ends in a call. */
WH_RT static bool frag_fill(struct wh_pcinfo *pi, struct wh_slot *s, uintptr_t x, bool plain_end) {
    const struct wh_accel *ax = frag_accel(s);
    const struct wh_frag *g = ax && ax->nfrag ? wh_img_frag(ax, x) : NULL;
    if (!g || (plain_end && !wh_after_call(x + 1, WH_FRAG_SIZE(g))) ||
        !wh_img_fill(pi, s, ax, fn_at(s, ax, g->fn)))
        return false;
    pi->from = g->start;
    return true;
}

/* Says that a record names no table of the image: its buckets (built next)
 * check every record and say once what they ignore. */
WH_RT static bool bad_record(struct wh_slot *s) {
    if (!atomic_load_explicit(&s->ax, memory_order_acquire))
        atomic_store_explicit(&s->order, WH_ORDER_NEEDS_ACCEL, memory_order_relaxed);
    return false;
}

/* The function of size bytes ending at end ends in a call, as a plain pc
 * just past it must follow one to be a return address: a direct call's
 * target must be code too.  The bytes of `lea 0xe8(%rdi),%eax; ret` end
 * like a call rel32 (e8 00 00 00 c3), and the padding byte after such a
 * function was named as it (helper-103); so would the entry of a function
 * without records that starts there. */
WH_RT bool wh_ends_in_call(const struct wh_slot *s, uintptr_t end, uint32_t size) {
    uintptr_t t;
    if (!wh_after_call(end, size))
        return false;
    if (wh_stub_into_images(end))
        return false;
    if (wh_uw_call_target(end, size, &t) != 1)
        return true;
    uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
    return (t >= lo && t <= hi) || !wh_uw_no_code(t);
}

WH_RT bool wh_img_miss(struct wh_pcinfo *pi, struct wh_slot *s, uintptr_t pc, bool ra_first,
                       const wh_fn *r) {
    /* In a fence the pc (or the call before a return address) is in a body
     * that is not instrumented: nobody's, whatever ends or starts next to it. */
    if (r)
        return wh_rec_fence(r) ? false : bad_record(s);
    if (frag_fill(pi, s, pc - (uintptr_t)ra_first, false))
        return true;
    /* Then the other candidate, pc-1, for a plain pc.  A return address
     * has none: one whose call is in no record is foreign code's, though
     * the next function starts there (a noreturn call ending an
     * uninstrumented function, or an address a fiber's creator pushed by
     * hand as its stack's first return address; named as that function,
     * +0x0, it was a frame that never ran, then the creator's stack). */
    if (ra_first)
        return false;
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    uintptr_t y = pc - 1;
    if ((r = wh_img_fn(s, ax, y)) == NULL)
        return frag_fill(pi, s, y, true);
    if (wh_rec_fence(r))
        return false;
    /* A plain pc just past a function is a return address only when the
     * function ends in a call (a noreturn one); otherwise it may be another,
     * uninstrumented function that starts there. */
    if (!rec_in_image(s, r))
        return bad_record(s);
    if (!(pc - wh_rec_entry(r) < wh_rec_size(r) || wh_ends_in_call(s, pc, wh_rec_size(r))))
        return false;
    return wh_img_fill(pi, s, ax, r) || bad_record(s);
}

/* ---- a slot's loc without buckets ---------------------------------------------------------- */

/* The call a frame slot's loc at a names, in image s, which has no
 * buckets (no memory to build them: their map from subprogs to functions
 * is missing): its module by a walk of the headers, its function by a
 * scan of the records for the module's key and the chain's root subprog.
 * Linear and rare; without it every slot's frame of a -g build was
 * unknown while the message said the records answered (helper-90). */
WH_RT bool wh_img_loc_records(struct wh_slot *s, uintptr_t a, struct wh_pcinfo *pi) {
    uintptr_t p = atomic_load_explicit(&s->mod_start, memory_order_relaxed), me = s->mod_stop;
    struct whence_mod_header h;
    for (;;) {
        if (me - p < sizeof h)
            return false;
        __builtin_memcpy(&h, (const void *)p, sizeof h);
        if (!header_walkable(&h, me - p))
            return false;
        if (a - p < h.total_size)
            break;
        p += h.total_size;
    }
    struct wh_mod m;
    uint32_t loc;
    if (!header_ok(p, me - p, &m, false) || (loc = wh_mod_loc_at(&m, a)) == UINT32_MAX)
        return false;
    const struct whence_loc *root = wh_mod_loc(&m, wh_loc_root(&m, loc), WH_LOC_BUF);
    if (!root || WHENCE_LOC_SUBPROG(root) >= WHENCE_FN_FENCE)
        return false;
    uint64_t want = m.key << WHENCE_FN_SUB_BITS | WHENCE_LOC_SUBPROG(root);
    uintptr_t f = wh_slot_fn_start(s);
    for (uint32_t i = 0, n = wh_slot_nfn(s); i < n; i++) {
        const wh_fn *r = (const wh_fn *)(f + (uintptr_t)i * WHENCE_FN_RECORD_SIZE);
        if (wh_rec_keysub(r) != want)
            continue;
        if (!wh_img_fill(pi, s, NULL, r))
            return false;
        wh_pcinfo_at_loc(pi, loc);
        return true;
    }
    return false;
}

/* ---- a table image's records ------------------------------------------------------------- */

/* pc in image s from its records alone, for an image whose post-link
 * table failed its check where it holds pc (table.c, tabcheck.c): the
 * records it was built from still answer, without buckets (none is built
 * for a table image) and so only when they are in order; code split off
 * a function is left unknown.  As wh_find_in otherwise. */
WH_RT bool wh_img_find_records(struct wh_slot *s, uintptr_t pc, bool ra_first,
                               struct wh_pcinfo *pi) {
    if (atomic_load_explicit(&s->order, memory_order_relaxed) == WH_ORDER_UNCHECKED)
        wh_slot_check_order(s);
    if (atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_SORTED)
        return false;
    const wh_fn *r = fn_raw(s, pc - (uintptr_t)ra_first);
    if (r)
        return !wh_rec_fence(r) && wh_img_fill(pi, s, NULL, r);
    /* the other candidate, for a plain pc (wh_img_miss) */
    if (ra_first || !(r = fn_raw(s, pc - 1)) || wh_rec_fence(r) || !rec_in_image(s, r))
        return false;
    if (!(pc - wh_rec_entry(r) < wh_rec_size(r) || wh_ends_in_call(s, pc, wh_rec_size(r))))
        return false;
    return wh_img_fill(pi, s, NULL, r);
}

/* ---- the order check ------------------------------------------------------------------------ */

WH_RT void wh_slot_check_order(struct wh_slot *s) {
    bool ok = true;
    uintptr_t prev_end = 0;
    const wh_fn *prev_r = NULL;
    for (uint32_t i = 0; i < s->nfn && ok; i++) {
        const wh_fn *r = (const wh_fn *)(s->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE);
        uintptr_t e = wh_rec_entry(r);
        uint32_t sz = wh_rec_size(r);
        if (sz == 0 || sz > WH_MAX_FN_SIZE || e + sz < e)
            ok = false;
        else if (prev_r && e < prev_end && !wh_rec_same(prev_r, r))
            ok = false; /* (folded functions too: the buckets drop them) */
        prev_r = r, prev_end = e + sz;
    }
    uintptr_t prev = 0;
    for (uint32_t j = 0; j < s->nsite && ok; j++) {
        uintptr_t pc = wh_site_pc(s->site_start + (uintptr_t)j * WH_SITE_SIZE);
        ok = pc >= prev;
        prev = pc;
    }
    atomic_store_explicit(&s->order, ok ? WH_ORDER_SORTED : WH_ORDER_NEEDS_ACCEL,
                          memory_order_relaxed);
}
