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
WH_HIDDEN uint32_t wh_tab_site(const struct wh_pcinfo *pi, uintptr_t x);
WH_HIDDEN bool wh_tab_func(struct wh_slot *s, uintptr_t f, struct wh_pcinfo *pi);
WH_HIDDEN bool wh_tab_loc(struct wh_slot *s, uintptr_t a, struct wh_pcinfo *pi);
/* The name of whence_func f of s, without filling a wh_pcinfo; NULL when f
 * is not one of s's functions (or names none: the full lookup decides). */
WH_HIDDEN const char *wh_tab_name(struct wh_slot *s, uintptr_t f);
/* The function of s holding x when x is in one (not a fence, a fragment
 * or a gap: the full lookup decides those), without filling a wh_pcinfo. */
WH_HIDDEN const whence_func *wh_tab_func_for_pc(struct wh_slot *s, uintptr_t x);

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

/* The module of an accelerated image with key key, or NULL. */
static inline const struct wh_mod *wh_accel_mod(const struct wh_accel *ax, uint64_t key) {
    const struct wh_mod *mods = ax->mods;
    /* The module that answered last (a hint: one word, re-checked). */
    uint32_t h = atomic_load_explicit(&((struct wh_accel *)ax)->last_mod, memory_order_relaxed);
    if (WH_LIKELY(h < ax->nmods && mods[h].key == key))
        return &mods[h];
    const struct wh_mod *m = wh_mods_find(mods, ax->nmods, key);
    if (m)
        atomic_store_explicit(&((struct wh_accel *)ax)->last_mod, (uint32_t)(m - mods),
                              memory_order_relaxed);
    return m;
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

/* The range of s holds pc, read consistently (gen even and unchanged). */
static inline bool wh_slot_holds(struct wh_slot *s, uintptr_t pc) {
    uint32_t g = atomic_load_explicit(&s->gen, memory_order_acquire);
    if (!atomic_load_explicit(&s->live, memory_order_acquire))
        return false;
    uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
    uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    /* hi itself: a return address after a noreturn call that ends the last
     * function */
    return !(g & 1) && atomic_load_explicit(&s->gen, memory_order_relaxed) == g && pc - lo <= hi - lo;
}

/* The function of size bytes ending at end follows a call instruction
 * (arch/: x86-64 call rel32, call *disp32(%rip), call *%reg; AArch64 bl,
 * blr).  Only the function's own bytes are read (instrumented code:
 * mapped). */
static inline bool wh_after_call(uintptr_t end, uint32_t size) {
    return wh_arch_after_call(end, size);
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

/* The site at pc (a raw pc inside pi's function, or its end).  A return
 * address (exact false) takes the greatest call label <= pc-1 (pc itself at
 * the entry); an interrupted pc (exact) the greatest label or line record
 * <= pc; either from pi->from on.  Sets the loc and the length of its
 * inline chain. */
static inline __attribute__((always_inline)) void wh_pcinfo_sites(struct wh_pcinfo *pi, uintptr_t pc,
                                                                  bool exact) {
    uintptr_t key = exact || pc == pi->entry ? pc : pc - 1, at = 0, lat;
    uint32_t loc;
    if (pi->slot->tab.base) { /* a post-link table: no line records */
        loc = wh_tab_site(pi, key);
    } else {
        loc = wh_img_site(pi, key, &at);
        if (exact) { /* a line record nearer than the call label names pc */
            uint32_t l = wh_img_line(pi, key, &lat);
            if (l != UINT32_MAX && (loc == WH_NO_LOC || lat > at))
                loc = l;
        }
    }
    /* A return address with no label before it in its function: a call
     * the pass did not see (or, in a frame-slot module, whose slot was not
     * found).  Its line is not known; the function's first line would be
     * another line's. */
    if (!exact && loc == WH_NO_LOC && pc != pi->entry)
        loc = WH_LOC_UNKNOWN;
    pi->loc = loc;
    pi->depth = wh_loc_depth(pi, loc);
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
    /* As in Go's Frame.PC: for a return address, the call instruction
     * (ra-1), so whence_func_line(out->func, out->pc) gives out->line. */
    uintptr_t at = (pc & (WH_TOKEN_EXACT | WH_TOKEN_LOC)) ? pc : pc - 1;
    out->pc = k ? wh_token_make(at, k) : at;
    out->func = (const whence_func *)pi->fn;
    out->entry = pi->entry;
    uint32_t file = 0;
    if (!WH_LOC_IN_TABLE(pi->loc)) { /* a flat site of the function itself */
        uint32_t line = WHENCE_SITE_FLAT_LINE(pi->loc);
        p = wh_mod_subprog(m, pi->sub);
        out->line = line == WHENCE_SITE_FLAT_LINE_LIMIT ? 0 /* WH_LOC_UNKNOWN */
                    : (int)(line ? line : p ? WHENCE_SUBPROG_LINE(p) : 0);
        out->column = line == WHENCE_SITE_FLAT_LINE_LIMIT ? 0 : (int)WHENCE_SITE_FLAT_COL(pi->loc);
        out->inlined = false;
        if (p)
            file = WHENCE_SUBPROG_FILE(p);
    } else {
        uint32_t l = wh_loc_up(m, pi->loc, k);
        const struct whence_loc *lc = wh_mod_loc(m, l);
        p = lc ? wh_mod_subprog(m, WHENCE_LOC_SUBPROG(lc)) : NULL;
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
