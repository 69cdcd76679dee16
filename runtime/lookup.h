/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lookup.h - the hot half of the lookups as inline functions, so that the
 * capture loop, whence_caller and the frame iterator resolve a pc with few
 * calls.  The cold half (scanning all images, building buckets) stays out
 * of line in lookup.c, image.c, accel.c and registry.c.
 *
 * pc -> image: the slot that answered last (a one-word hint, re-checked
 * against that slot's range read under its generation, so it cannot tear),
 * else a scan of all slots.  image -> function and site: image.c.
 */
#ifndef WHENCE_RUNTIME_LOOKUP_H
#define WHENCE_RUNTIME_LOOKUP_H

#include "arch/arch.h"
#include "internal.h"

WH_HIDDEN extern _Atomic uint32_t wh_last;
/* The same slot as a pointer, for the warm paths of the public lookups
 * (one load instead of the chunk arithmetic); a slot that holds nothing
 * until one answered.  Stored with wh_last (wh_set_last), a hint too. */
WH_HIDDEN extern struct wh_slot *_Atomic wh_last_slot;
static inline void wh_set_last(uint32_t i, struct wh_slot *s) {
    if (atomic_load_explicit(&wh_last, memory_order_relaxed) != i)
        atomic_store_explicit(&wh_last, i, memory_order_relaxed);
    if (atomic_load_explicit(&wh_last_slot, memory_order_relaxed) != s)
        atomic_store_explicit(&wh_last_slot, s, memory_order_relaxed);
}
WH_HIDDEN extern const char wh_unknown[];
WH_HIDDEN bool wh_find_slow(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi);

/* image.c */
WH_HIDDEN const wh_fn *wh_img_fn(struct wh_slot *s, const struct wh_accel *ax, uintptr_t x);
WH_HIDDEN bool wh_img_fill(struct wh_pcinfo *pi, struct wh_slot *s, const struct wh_accel *ax,
                           const wh_fn *r);
WH_HIDDEN uint32_t wh_img_site(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at);
WH_HIDDEN uint32_t wh_img_line(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at);
WH_HIDDEN bool wh_mod_by_key(struct wh_slot *s, const struct wh_accel *ax, uint64_t key,
                             struct wh_mod *m);
/* A frame slot's loc at a in image s, which has no buckets: its call's
 * function from the module's headers and the records (image.c). */
WH_HIDDEN bool wh_img_loc_records(struct wh_slot *s, uintptr_t a, struct wh_pcinfo *pi);
/* pc (ra_first: a return address) in image s from its records alone, for
 * an image whose post-link table failed a check where it holds pc. */
WH_HIDDEN bool wh_img_find_records(struct wh_slot *s, uintptr_t pc, bool ra_first,
                                   struct wh_pcinfo *pi);
/* pc (ra_first: a return address) in image s where the first candidate,
 * pc-1 or pc, gave no function (r: its record, a fence, or one that names
 * no table; or NULL): fragments, then the other candidate. */
WH_HIDDEN bool wh_img_miss(struct wh_pcinfo *pi, struct wh_slot *s, uintptr_t pc, bool ra_first,
                           const wh_fn *r);
/* A process's first lookups in an image without buckets (image.c): the
 * function holding x and the name of record r, reading only the pages the
 * answer needs (the string pool's end is not one: the name is checked to
 * end inside it); NULL when the full lookup must decide. */
WH_HIDDEN const wh_fn *wh_img_first_fn(struct wh_slot *s, uintptr_t x);
WH_HIDDEN const char *wh_img_first_name(struct wh_slot *s, const wh_fn *r);
/* Record r names a function as wh_img_first_fn accepts it (its module's
 * header checked lazily): whence_func_entry of a function it returned. */
WH_HIDDEN bool wh_img_first_ok(struct wh_slot *s, const wh_fn *r);
/* The same for function entry f of a table image (table.c): its entry and
 * size when wh_tab_func_for_pc's first lookups accept it. */
WH_HIDDEN bool wh_tab_first_ok(struct wh_slot *s, uintptr_t f, uintptr_t *entry, uint32_t *size);
/* The fragment of an image (its buckets ax) holding x, or NULL. */
WH_HIDDEN const struct wh_frag *wh_img_frag(const struct wh_accel *ax, uintptr_t x);

/* table.c: the same for an image whose post-link table was adopted
 * (s->tab.base set): pc -> function (wh_find_in), the site word at x in
 * pi's code (wh_img_site), a whence_func of s, a slot's loc address. */
WH_HIDDEN const char *wh_tab_adopt(struct wh_tab *t, uintptr_t tab_start, uintptr_t tab_stop,
                                   uintptr_t fn_start, uintptr_t fn_stop, uintptr_t site_start,
                                   uintptr_t site_stop, uintptr_t mod_start, uintptr_t mod_stop,
                                   uintptr_t line_start, uintptr_t line_stop, uintptr_t lo,
                                   uintptr_t hi);
WH_HIDDEN bool wh_tab_find(struct wh_slot *s, uintptr_t pc, bool ra_first, struct wh_pcinfo *pi);
/* *at: where the word returned starts (the table's change at or below x,
 * a bound below the label's own address), 0 when no change gave it. */
WH_HIDDEN uint32_t wh_tab_site(const struct wh_pcinfo *pi, uintptr_t x, uintptr_t *at);
WH_HIDDEN bool wh_tab_func(struct wh_slot *s, uintptr_t f, struct wh_pcinfo *pi);
WH_HIDDEN bool wh_tab_loc(struct wh_slot *s, uintptr_t a, struct wh_pcinfo *pi);
/* whence_func_name(f) for a slot s with a table, without filling a
 * wh_pcinfo (when f is not one of s's functions, or names none: the full
 * lookup's answer, wh_func_name_miss). */
WH_HIDDEN const char *wh_tab_name(struct wh_slot *s, uintptr_t f);
/* whence_func_for_pc(x) for a plain pc x in slot s with a table: the
 * function holding x, without filling a wh_pcinfo (a fence, a fragment or a
 * gap: the full lookup's answer, wh_func_for_pc_miss). */
WH_HIDDEN const whence_func *wh_tab_func_for_pc(struct wh_slot *s, uintptr_t x);
/* whence_func_for_pc's first lookups of x in a slot s with a table that
 * did not answer last: the function holding x, or NULL (the full lookup
 * decides). */
WH_HIDDEN const whence_func *wh_tab_first_func(struct wh_slot *s, uintptr_t x);
/* whence_func_line(f, pc, file) for a slot s with a table: its warm path
 * (a plain pc that ends a labelled call), else the full lookup's answer. */
WH_HIDDEN int wh_tab_func_line(uintptr_t f, uintptr_t pc, const char **file, struct wh_slot *s);
/* lookup.c: whence_func_for_pc and whence_func_name past their warm paths
 * (tail-called, so that the warm paths need no stack frame). */
WH_HIDDEN const whence_func *wh_func_for_pc_miss(uintptr_t pc);
/* The same under a reader's record (readers.c): wh_tab_func_for_pc's
 * misses, which the main program's warm path reaches without one. */
WH_HIDDEN const whence_func *wh_func_for_pc_miss_read(uintptr_t pc);
WH_HIDDEN const char *wh_func_name_miss(const whence_func *f);
/* whence_func_line past its warm path: everything (tests compare the two). */
WH_HIDDEN int wh_func_line_full(const whence_func *f, uintptr_t pc, const char **file);

/* The module with key key among n modules sorted by key, or NULL. */
static inline const struct wh_mod *wh_mods_find(const struct wh_mod *mods, uint32_t n,
                                                uint64_t key) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mods[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && mods[lo].key == key ? &mods[lo] : NULL;
}

/* A module no key names (keys have 64 - WHENCE_FN_SUB_BITS bits): the
 * hint of buckets without modules. */
WH_HIDDEN extern const struct wh_mod wh_no_mod;

/* The module that answered last in an accelerated image (a hint: one
 * word, re-checked by its key). */
static inline const struct wh_mod *wh_accel_hint(const struct wh_accel *ax) {
    return atomic_load_explicit(&((struct wh_accel *)ax)->last_mod, memory_order_relaxed);
}

/* The module of an accelerated image with key key, or NULL. */
static inline const struct wh_mod *wh_accel_mod(const struct wh_accel *ax, uint64_t key) {
    const struct wh_mod *h = wh_accel_hint(ax);
    if (WH_LIKELY(h->key == key))
        return h;
    const struct wh_mod *m = wh_mods_find(ax->mods, ax->nmods, key);
    if (m)
        atomic_store_explicit(&((struct wh_accel *)ax)->last_mod, m, memory_order_relaxed);
    return m;
}

/* The warm path of pc -> function with buckets over the records in place
 * (ax->fperm NULL: in address order, none dropped): the record whose range
 * holds x, or NULL when the buckets do not say (x outside their span, or in
 * a gap between records, or records not in place: ax->fn_span is 0 then;
 * the full lookup decides).  The sub-bucket names the record of its first
 * byte; whether the next one starts at or below x is taken without a
 * branch (and the one after it, rarely so: entries are in order, more in
 * 64 bytes are rare), so that 1,000 distinct pcs do not mispredict a loop
 * exit each. */
static inline __attribute__((always_inline)) const wh_fn *
wh_accel_fn(const struct wh_slot *s, const struct wh_accel *ax, uintptr_t x) {
    uintptr_t off = x - ax->lo;
    if (WH_UNLIKELY(off >= ax->fn_span))
        return NULL;
    /* i + WH_FN_AHEAD < n: the build names no record past the third from
     * the end (accel.c), and fn_span is 0 for fewer records */
    uint32_t i = WH_BUCKET_FN(ax, off);
    const char *rec = (const char *)s->fn_start + (uintptr_t)i * WHENCE_FN_RECORD_SIZE;
    /* (each entry compared as its offset from rec: x lies y bytes past it;
     * the second record at or below x means the first one is too) */
    _Static_assert(WH_FN_AHEAD == 2, "one record taken without a branch, the next one ends it");
    intptr_t y = (intptr_t)(x - (uintptr_t)rec);
#define WH_AT_OR_BELOW(j)                                                                          \
    (wh_rec_rel((const wh_fn *)(rec + (j) * WHENCE_FN_RECORD_SIZE)) +                              \
         (intptr_t)((j) * WHENCE_FN_RECORD_SIZE + WHENCE_FN_OFF_ENTRY) <= y)
    if (WH_UNLIKELY(WH_AT_OR_BELOW(WH_FN_AHEAD))) { /* a sub-bucket of many functions */
        const char *last = (const char *)s->fn_start + (uintptr_t)(ax->nf - 1) * WHENCE_FN_RECORD_SIZE;
        rec += WH_FN_AHEAD * WHENCE_FN_RECORD_SIZE;
        while (rec < last && wh_rec_entry((const wh_fn *)(rec + WHENCE_FN_RECORD_SIZE)) <= x)
            rec += WHENCE_FN_RECORD_SIZE;
    } else {
        rec += (uintptr_t)WH_AT_OR_BELOW(1) * WHENCE_FN_RECORD_SIZE;
    }
#undef WH_AT_OR_BELOW
    const wh_fn *r = (const wh_fn *)rec;
    return x - wh_rec_entry(r) < wh_rec_size(r) ? r : NULL;
}

/* The greatest label at or below x through buckets over site records in
 * place (ax->sites_warm): its word, *at its address, *rec its record;
 * UINT32_MAX and *at 0 when there is none or x is outside the buckets.
 * The labels from the sub-bucket's first are counted four at a time
 * without a branch, as in wh_accel_fn. */
static inline __attribute__((always_inline)) uint32_t
wh_accel_label_rec(const struct wh_accel *ax, uintptr_t site_start, uintptr_t x, uintptr_t *at,
                   uintptr_t *rec) {
    uintptr_t off = x - ax->lo;
    *at = 0;
    if (WH_UNLIKELY(off >= ax->span))
        return UINT32_MAX;
    /* j + WH_SITE_AHEAD <= n: the build names no label past the fourth
     * from the end (accel.c; the caller checked ax->sites_warm) */
    uint32_t j = WH_BUCKET_SITE(ax, off), n = ax->ns;
    /* j: the first label at or after the sub-bucket's start (or before it,
     * when its delta saturated or near the end); the labels from j on that
     * are <= x */
    uintptr_t r = site_start + (uintptr_t)j * WH_SITE_SIZE;
    uint32_t k = (uint32_t)(wh_site_pc(r) <= x) + (uint32_t)(wh_site_pc(r + WH_SITE_SIZE) <= x) +
                 (uint32_t)(wh_site_pc(r + 2 * WH_SITE_SIZE) <= x) +
                 (uint32_t)(wh_site_pc(r + 3 * WH_SITE_SIZE) <= x);
    j += k;
    r += (uintptr_t)k * WH_SITE_SIZE;
    if (WH_UNLIKELY(k == WH_SITE_AHEAD))
        while (j < n && wh_site_pc(r) <= x)
            j++, r += WH_SITE_SIZE;
    if (WH_UNLIKELY(j == 0))
        return UINT32_MAX;
    r -= WH_SITE_SIZE;
    *at = wh_site_pc(r);
    *rec = r;
    return wh_site_word(r);
}

/* The same without the record's address. */
static inline __attribute__((always_inline)) uint32_t
wh_accel_label(const struct wh_accel *ax, uintptr_t site_start, uintptr_t x, uintptr_t *at) {
    uintptr_t rec;
    return wh_accel_label_rec(ax, site_start, x, at, &rec);
}

/* The warm path of wh_img_site (image.c) with buckets over site records in
 * place (ax->sites_warm): the word of the greatest label at or below x, *at
 * its address, when that label is in the code from `from` on and is the
 * function's own (a flat word, or a loc of module m whose inline chain
 * ends at subprog sub), which is wh_img_site's first candidate and its
 * answer; else UINT32_MAX (no label, a label passed over or bad:
 * wh_img_site decides). */
static inline __attribute__((always_inline)) uint32_t
wh_accel_site_in(const struct wh_accel *ax, uintptr_t site_start, uintptr_t from,
                 const struct wh_mod *m, uint32_t sub, uintptr_t x, uintptr_t *at) {
    uintptr_t r;
    uint32_t w = wh_accel_label_rec(ax, site_start, x, at, &r);
    if (WH_UNLIKELY(w == UINT32_MAX) || WH_UNLIKELY(*at < from))
        return UINT32_MAX;
    /* a module instrumented before an LTO link: the word is a loc's
     * address (another module's: wh_img_site passes over it) */
    if (WH_UNLIKELY(m->flags & WHENCE_MOD_PRELINK)) {
        if ((w = wh_prelink_loc(m, r, w)) == UINT32_MAX)
            return UINT32_MAX;
    } else if (!WH_LOC_IN_TABLE(w)) {
        return WHENCE_SITE_FLAT_LINE(w) < WHENCE_SITE_FLAT_LINE_LIMIT ? w : UINT32_MAX;
    }
    if (WH_UNLIKELY(w >= m->nloc))
        return UINT32_MAX;
    const struct whence_loc *root = wh_mod_loc(m, wh_loc_root(m, w), WH_LOC_BUF);
    return root && WHENCE_LOC_SUBPROG(root) == sub ? w : UINT32_MAX;
}

static inline __attribute__((always_inline)) uint32_t
wh_accel_site(const struct wh_pcinfo *pi, const struct wh_accel *ax, uintptr_t x, uintptr_t *at) {
    return wh_accel_site_in(ax, pi->slot->site_start, pi->from, pi->m, pi->sub, x, at);
}

/* The buckets of s, or NULL while lookups still go straight to the records
 * (the first WH_RAW_LOOKUPS of the image, unless its records need them). */
static inline const struct wh_accel *wh_slot_accel(struct wh_slot *s) {
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    if (WH_LIKELY(ax != NULL))
        return ax;
    if (atomic_load_explicit(&s->order, memory_order_relaxed) != WH_ORDER_NEEDS_ACCEL &&
        atomic_fetch_add_explicit(&s->lookups, 1, memory_order_relaxed) < WH_RAW_LOOKUPS)
        return NULL;
    return wh_slot_accel_slow(s);
}

/* The range of s holds pc, read consistently (gen even and unchanged), and
 * s is live at least as min_live says (WH_LIVE_KEPT: an image that is never
 * unloaded, whose records a lookup may read without a reader's record,
 * readers.c). */
static inline bool wh_slot_holds_as(struct wh_slot *s, uintptr_t pc, uint32_t min_live) {
    uint32_t g = atomic_load_explicit(&s->gen, memory_order_acquire);
    if (atomic_load_explicit(&s->live, memory_order_acquire) < min_live)
        return false;
    uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    /* hi itself: a return address after a noreturn call that ends the last
     * function */
    return !(g & 1) && atomic_load_explicit(&s->gen, memory_order_relaxed) == g && pc - lo <= hi - lo;
}

static inline bool wh_slot_holds(struct wh_slot *s, uintptr_t pc) {
    return wh_slot_holds_as(s, pc, WH_LIVE);
}

/* The function of size bytes ending at end follows a call instruction
 * (arch/: x86-64 call rel32, call *disp32(%rip), call *%reg; AArch64 bl,
 * blr).  Only the function's own bytes are read (instrumented code:
 * mapped). */
static inline bool wh_after_call(uintptr_t end, uint32_t size) {
    return wh_arch_after_call(end, size);
}

/* The same where a plain pc just past a function of image s is asked
 * about (the misses: image.c): a direct call's target must be code too,
 * and no stub into instrumented code may start there (a -fsanitize=cfi
 * jump table right after a function that ends in a noreturn call: the
 * pointer is the table's entry). */
WH_HIDDEN bool wh_ends_in_call(const struct wh_slot *s, uintptr_t end, uint32_t size);

/* A call's own label lies at most this far before the call's end (the
 * label precedes the call instruction and the argument moves the backend
 * put after it: lines/exact.c). */
#define WH_CALL_LABEL_NEAR 64u

/* Plain pc in the function [entry, entry + size) is a byte of a call (a
 * frame's pc: its return address - 1) whose own label is at (entry <= at
 * <= pc: the greatest call label at or below pc): the call's end, decoded
 * forward from the label (the bytes before a pc prove nothing: x86_64.h,
 * wh_arch_call_holding), when it ends near the label; else 0.  A return
 * address itself is the instruction after the call (Go's Func.FileLine:
 * pass ra-1), whose line is its own, not the call's. */
static inline __attribute__((always_inline)) uintptr_t wh_near_call(uintptr_t pc, uintptr_t entry,
                                                                 uint32_t size, uintptr_t at) {
    uintptr_t end = wh_arch_call_holding(at, pc, entry + size);
    return end && end - at <= WH_CALL_LABEL_NEAR ? end : 0;
}

/* pc in image s: pc-1 first for a return address (it may equal the end of
 * a function ending in a noreturn call), pc first otherwise; then the
 * other one (wh_img_miss, with fences and fragments).  Fills pi (one
 * logical frame, no site yet). */
static inline bool wh_find_in(struct wh_slot *s, uintptr_t pc, bool ra_first,
                              struct wh_pcinfo *pi) {
    if (s->tab.base)
        return wh_tab_find(s, pc, ra_first, pi);
    const struct wh_accel *ax = wh_slot_accel(s);
    const wh_fn *r = wh_img_fn(s, ax, pc - (uintptr_t)ra_first);
    if (WH_LIKELY(r != NULL) && WH_LIKELY(wh_img_fill(pi, s, ax, r)))
        return true;
    return wh_img_miss(pi, s, pc, ra_first, r);
}

static inline __attribute__((always_inline)) bool wh_find(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    if (WH_LIKELY(last < n)) {
        struct wh_slot *s = wh_slot_at(last);
        if (WH_LIKELY(wh_slot_holds(s, pc)) && wh_find_in(s, pc, ra_first, pi))
            return true;
    }
    return wh_find_slow(pc, ra_first, pi);
}

static inline const struct wh_mod *wh_mod_of(const struct wh_pcinfo *pi, uint32_t *sub) {
    *sub = pi->sub;
    return pi->m;
}

/* Logical depth of a loc: 1 + the length of its inlinedAt chain. */
static inline uint32_t wh_loc_depth(const struct wh_pcinfo *pi, uint32_t loc) {
    if (!WH_LOC_IN_TABLE(loc))
        return 1;
    uint32_t d = 1;
    for (uint32_t l = loc; (l = wh_loc_parent(pi->m, l)) != UINT32_MAX;)
        d++;
    return d;
}

/* pi, filled for a function, now at its loc `loc` (with its depth). */
static inline void wh_pcinfo_at_loc(struct wh_pcinfo *pi, uint32_t loc) {
    pi->loc = loc;
    pi->depth = wh_loc_depth(pi, loc);
}

/* The call ending at ra, in code of image s (buckets ax, or NULL) from
 * from on, is one code generation made after the pass, with no label of
 * its own (plt.c, wh_unlabelled_call).  A direct call into the
 * span of the buckets or of the post-link table (the image's instrumented
 * code) calls an instrumented function, and a call through a register is
 * no stub's: those are answered here, without a call. */
static inline __attribute__((always_inline)) bool
wh_codegen_call(struct wh_slot *s, const struct wh_accel *ax, uintptr_t from, uintptr_t ra) {
    uintptr_t a;
    if (ra <= from)
        return false;
    enum wh_stub k = wh_arch_call_target(ra, (uint32_t)(ra - from), &a);
    if (WH_LIKELY(k == WH_STUB_NONE))
        return false;
    if (k == WH_STUB_DIRECT &&
        (ax ? a - ax->lo < ax->span : s->tab.base && a - s->tab.text < s->tab.span))
        return false;
    return wh_unlabelled_call(s, from, ra);
}

/* wh_near_call and then wh_codegen_call of the call it found (false: a
 * call code generation made, whose label is another call's): the call's
 * end, or 0 when the full lookup decides. */
static inline __attribute__((always_inline)) uintptr_t
wh_labelled_call(struct wh_slot *s, const struct wh_accel *ax, uintptr_t pc, uintptr_t entry,
                 uint32_t size, uintptr_t at) {
    uintptr_t end = wh_near_call(pc, entry, size, at);
    return end && !wh_codegen_call(s, ax, entry, end) ? end : 0;
}

/* The site at pc (a raw pc inside pi's function, or its end).  A return
 * address (exact false) takes the greatest call label <= pc-1 (pc itself at
 * the entry); an interrupted pc (exact) the greatest label or line record
 * <= pc; either from pi->from on.  Sets the loc and the length of its
 * inline chain.  *call: the call label's own word, before a line record
 * replaced it; *at: its address (with a post-link table, which keeps
 * where each word starts and not each label, a bound below it; 0 if
 * unknown). */
static inline __attribute__((always_inline)) void
wh_pcinfo_sites_call(struct wh_pcinfo *pi, uintptr_t pc, bool exact, uint32_t *call,
                     uintptr_t *at) {
    uintptr_t key = exact || pc == pi->entry ? pc : pc - 1, lat;
    uint32_t loc;
    *at = 0;
    if (pi->slot->tab.base &&
        wh_slot_tab_holds(pi->slot, (uintptr_t)pi->fn, sizeof(struct whence_tab_func))) {
        /* a post-link table's function (no line records) */
        loc = *call = wh_tab_site(pi, key, at);
    } else {
        const struct wh_accel *ax = atomic_load_explicit(&pi->slot->ax, memory_order_acquire);
        if (!ax || !ax->sites_warm || (loc = wh_accel_site(pi, ax, key, at)) == UINT32_MAX)
            loc = wh_img_site(pi, key, at);
        *call = loc;
        /* a line record nearer than the call label names pc (only images
         * built with line records have any) */
        if (exact && pi->slot->line_start) {
            uint32_t l = wh_img_line(pi, key, &lat);
            if (l != UINT32_MAX && (loc == WH_NO_LOC || lat > *at))
                loc = l;
        }
    }
    /* A return address with no label before it in its function: a call
     * the pass did not see (or, in a frame-slot module, whose slot was not
     * found).  Its line is not known; the function's first line would be
     * another line's. */
    if (!exact && loc == WH_NO_LOC && pc != pi->entry)
        loc = WH_LOC_UNKNOWN;
    /* The stack protector's failure call or split-stack's __morestack
     * call: made after the pass ran, so the label before it is another
     * call's. */
    if (!exact && loc != WH_LOC_UNKNOWN && loc != WH_NO_LOC &&
        wh_codegen_call(pi->slot, atomic_load_explicit(&pi->slot->ax, memory_order_acquire),
                        pi->from, pc))
        loc = WH_LOC_UNKNOWN;
    wh_pcinfo_at_loc(pi, loc);
}

static inline __attribute__((always_inline)) void wh_pcinfo_sites(struct wh_pcinfo *pi, uintptr_t pc,
                                                                  bool exact) {
    uint32_t call;
    uintptr_t at;
    wh_pcinfo_sites_call(pi, pc, exact, &call, &at);
}

/* A walk's frame fully resolved (the walk may hand over only the depth of
 * a return address it remembered): false if pc is not instrumented.  e is
 * the frame's entry value (see the token encoding in internal.h). */
static inline __attribute__((always_inline)) bool wh_resolve(struct wh_pcinfo *pi, uintptr_t e) {
    if (WH_UNLIKELY(e & WH_TOKEN_LOC))
        return pi->fn ? true : wh_find_loc(wh_token_pc(e), pi);
    bool exact = (e & WH_TOKEN_EXACT) != 0;
    uintptr_t pc = wh_token_pc(e);
    if (!pi->fn && !wh_find(pc, !exact, pi))
        return false;
    wh_pcinfo_sites(pi, pc, exact);
    return true;
}

static inline const char *wh_or_unknown(const char *s) { return *s ? s : wh_unknown; }

/* File f of a module (0: unknown; else 1 + index into its file list). */
static inline const char *wh_file(const struct wh_mod *m, uint32_t f) {
    if (!f || f > m->nfile)
        return wh_unknown;
    const uint32_t *files = (const uint32_t *)(m->base + m->file_off);
    return wh_or_unknown(wh_mod_str(m, files[f - 1]));
}

/* Fills out with logical frame k (0 = innermost) of a resolved pc whose
 * sites were looked up; pc is the frame's entry value (maybe a token). */
static inline __attribute__((always_inline)) void wh_fill_frame(const struct wh_pcinfo *pi, uint32_t k, uintptr_t pc,
                                 whence_frame *out) {
    const struct wh_mod *m = pi->m;
    const struct whence_subprog *p;
    struct whence_subprog pbuf; /* p, decoded from a post-link table's pack */
    struct whence_loc lbuf;
    /* As in Go's Frame.PC: for a return address, the call instruction
     * (ra-1), so whence_func_line(out->func, out->pc) gives out->line. */
    uintptr_t at = (pc & (WH_TOKEN_EXACT | WH_TOKEN_LOC)) ? pc : pc - 1;
    out->pc = k ? wh_token_make(at, k) : at;
    out->func = (const whence_func *)pi->fn;
    out->entry = pi->entry;
    uint32_t file = 0;
    if (!WH_LOC_IN_TABLE(pi->loc)) { /* a flat site of the function itself */
        uint32_t line = WHENCE_SITE_FLAT_LINE(pi->loc);
        p = wh_mod_subprog(m, pi->sub, &pbuf);
        out->line = line == WHENCE_SITE_FLAT_LINE_LIMIT ? 0 /* WH_LOC_UNKNOWN */
                    : (int)(line ? line : p ? WHENCE_SUBPROG_LINE(p) : 0);
        out->column = line == WHENCE_SITE_FLAT_LINE_LIMIT ? 0 : (int)WHENCE_SITE_FLAT_COL(pi->loc);
        out->inlined = false;
        if (p)
            file = WHENCE_SUBPROG_FILE(p);
    } else {
        uint32_t l = wh_loc_up(m, pi->loc, k);
        const struct whence_loc *lc = wh_mod_loc(m, l, &lbuf);
        p = lc ? wh_mod_subprog(m, WHENCE_LOC_SUBPROG(lc), &pbuf) : NULL;
        /* Line 0: a call merged from several lines, or one with no
         * position; not known, not the function's first line. */
        out->line = lc && lc->line <= INT32_MAX ? (int)lc->line : 0;
        out->column = lc ? (int)WHENCE_LOC_COLUMN(lc) : 0;
        out->inlined = wh_loc_parent(m, l) != UINT32_MAX;
        file = lc ? WHENCE_LOC_FILE(lc) : 0; /* after a #line directive */
        if (WH_LIKELY(!file) && p)
            file = WHENCE_SUBPROG_FILE(p);
    }
    out->function = p ? wh_or_unknown(wh_mod_str(m, p->name)) : wh_unknown;
    out->file = wh_file(m, file);
}

#endif /* WHENCE_RUNTIME_LOOKUP_H */
