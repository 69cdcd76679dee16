/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lookup.h - the hot half of lookup.c as inline functions, so that the
 * capture loop, whence_caller and the frame iterator resolve a pc without a
 * call per step.  The cold half (scanning all images, building an index)
 * stays out of line in lookup.c and registry.c.
 *
 * pc -> image: the slot that answered last (a one-word hint, re-checked
 * against that slot's range, so it cannot tear), else a scan of all slots.
 * image -> function: bucket, sub-bucket delta, a short forward scan, then
 * entry <= pc < entry + size.
 */
#ifndef WHENCE_RUNTIME_LOOKUP_H
#define WHENCE_RUNTIME_LOOKUP_H

#include "internal.h"

WH_HIDDEN extern _Atomic uint32_t wh_last;
WH_HIDDEN extern const char wh_unknown[];
WH_HIDDEN bool wh_find_slow(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi);

/* Function whose range holds off (off < span), or NULL. */
static inline const struct wh_fn *wh_fn_at(const struct wh_index *ix, uint32_t off) {
    const struct wh_bucket *b = &ix->buckets[off >> WH_BUCKET_SHIFT];
    const struct wh_fn *f = ix->funcs + b->idx + b->sub[(off >> WH_SUB_SHIFT) & 15];
    while (f[1].entry_off <= off) /* funcs[nfuncs].entry_off == span stops it */
        f++;
    return off - f->entry_off < WH_FN_SIZE(f) ? f : NULL;
}

/* pc in one image: pc-1 first for a return address (it may equal the end
 * of a function ending in a noreturn call), pc first otherwise; then the
 * other one. */
/* The function of size bytes ending at end follows a call instruction:
 * call rel32, call *disp32(%rip), call *%reg (with or without REX).  Only
 * the function's own bytes are read (instrumented code: mapped). */
static inline bool wh_after_call(uintptr_t end, uint32_t size) {
    const unsigned char *e = (const unsigned char *)end;
    return (size >= 5 && e[-5] == 0xe8) || (size >= 6 && e[-6] == 0xff && e[-5] == 0x15) ||
           (size >= 2 && e[-2] == 0xff && (e[-1] & 0xf8) == 0xd0);
}

static inline const struct wh_fn *wh_fn_in(const struct wh_index *ix, uintptr_t base,
                                           uintptr_t pc, bool ra_first) {
    uintptr_t off = pc - base;
    uintptr_t o = off - (uintptr_t)ra_first;
    const struct wh_fn *f;
    if (WH_LIKELY(o < ix->span) && WH_LIKELY((f = wh_fn_at(ix, (uint32_t)o)) != NULL))
        return f;
    if (ra_first)
        return off < ix->span ? wh_fn_at(ix, (uint32_t)off) : NULL;
    /* A plain pc just past a function is a return address only when the
     * function ends in a call (a noreturn one); otherwise it may be another,
     * uninstrumented function that starts there. */
    o = off - 1;
    if (o < ix->span && (f = wh_fn_at(ix, (uint32_t)o)) != NULL &&
        (o + 1 - f->entry_off < WH_FN_SIZE(f) || wh_after_call(pc, WH_FN_SIZE(f))))
        return f;
    return NULL;
}

/* pi for function f of the image whose index is ix and whose whence_mod
 * starts at ms, before its sites are looked up: one logical frame, no loc. */
static inline void wh_pcinfo_at(struct wh_pcinfo *pi, const struct wh_fn *f,
                                const struct wh_index *ix, uintptr_t ms) {
    pi->fn = f;
    pi->ix = ix;
    pi->base = ms + (uintptr_t)ix->base_delta;
    pi->mod_start = ms;
    pi->loc = WH_NO_LOC;
    pi->depth = 1;
}

static inline __attribute__((always_inline)) bool wh_find(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    if (WH_LIKELY(last < n)) {
        struct wh_slot *s = &wh_slots[last];
        const struct wh_index *ix = atomic_load_explicit(&s->ix, memory_order_acquire);
        if (WH_LIKELY(ix != NULL) && atomic_load_explicit(&s->live, memory_order_acquire)) {
            uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
            uintptr_t base = ms + (uintptr_t)ix->base_delta;
            const struct wh_fn *f = wh_fn_in(ix, base, pc, ra_first);
            if (WH_LIKELY(f != NULL)) {
                wh_pcinfo_at(pi, f, ix, ms);
                return true;
            }
        }
    }
    return wh_find_slow(pc, ra_first, pi);
}

/* The function a fragment was split off (fragments.c); f itself otherwise. */
static inline const struct wh_fn *wh_fn_primary(const struct wh_index *ix, const struct wh_fn *f) {
    return WH_UNLIKELY(f->size & WH_FN_FRAG) ? &ix->funcs[ix->primary[f - ix->funcs]] : f;
}

static inline const struct wh_mod *wh_mod_of(const struct wh_pcinfo *pi, uint32_t *sub) {
    uint32_t info = pi->fn->info, sb = pi->ix->sub_bits;
    *sub = info & (uint32_t)((UINT64_C(1) << sb) - 1);
    return &pi->ix->mods[(uint64_t)info >> sb];
}

/* Logical depth of a loc: 1 + the length of its inlinedAt chain. */
static inline uint32_t wh_loc_depth(const struct wh_pcinfo *pi, uint32_t loc) {
    if (!WH_LOC_IN_TABLE(loc))
        return 1;
    uint32_t sub;
    const struct wh_mod *m = wh_mod_of(pi, &sub);
    const struct whence_loc *lc = (const struct whence_loc *)(pi->mod_start + m->loc_off);
    uint32_t d = 1;
    for (uint32_t l = loc; WHENCE_LOC_PARENT(&lc[l]); l = WHENCE_LOC_PARENT(&lc[l]) - 1)
        d++;
    return d;
}

/* The site at pc (a raw pc inside pi->fn, or its end).  A return address
 * (exact false) takes the greatest call label <= pc-1 (pc itself at the
 * entry); an interrupted pc (exact) the greatest label or line record
 * <= pc.  Sets the loc and the length of its inline chain. */
static inline __attribute__((always_inline)) void wh_pcinfo_sites(struct wh_pcinfo *pi, uintptr_t pc,
                                                                  bool exact) {
    const struct wh_fn *f = pi->fn;
    uint32_t off = (uint32_t)(pc - pi->base);
    uint32_t key = exact || off == f->entry_off ? off : off - 1;
    uint32_t first = f->first_site, lo = first, hi = f[1].first_site;
    const struct wh_site *s = pi->ix->sites;
    /* Upper bound of key among the function's sites: bisect down to a
     * handful (most functions have no more), then scan. */
    while (hi - lo > 8) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s[mid].pc_off <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < hi && s[lo].pc_off <= key)
        lo++;
    if (!exact && pi->ix->nlines) /* only images built with line records */
        while (lo > first && WH_SITE_IS_LINE(s[lo - 1].loc))
            lo--;
    if (lo == first) {
        pi->loc = WH_UNLIKELY(f->size & WH_FN_FRAG) ? WH_LOC_UNKNOWN : WH_NO_LOC;
        pi->depth = 1;
        return;
    }
    uint32_t loc = WH_SITE_LOC(&s[lo - 1]);
    pi->loc = loc;
    pi->depth = WH_UNLIKELY(!(f->size & WH_FN_FLAT)) ? wh_loc_depth(pi, loc) : 1;
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
static inline const char *wh_file(uintptr_t ms, const struct wh_mod *m, uint32_t f) {
    if (!f)
        return wh_unknown;
    const uint32_t *files = (const uint32_t *)(ms + m->file_off);
    return wh_or_unknown(wh_str(ms, m, files[f - 1]));
}

/* Fills out with logical frame k (0 = innermost) of a resolved pc whose
 * sites were looked up; pc is the frame's entry value (maybe a token). */
static inline __attribute__((always_inline)) void wh_fill_frame(const struct wh_pcinfo *pi, uint32_t k, uintptr_t pc,
                                 whence_frame *out) {
    uint32_t sub;
    const struct wh_mod *m = wh_mod_of(pi, &sub);
    uintptr_t ms = pi->mod_start;
    const struct whence_subprog *sp = (const struct whence_subprog *)(ms + m->subprog_off);
    const struct whence_subprog *p;
    /* As in Go's Frame.PC: for a return address, the call instruction
     * (ra-1), so whence_func_line(out->func, out->pc) gives out->line. */
    uintptr_t at = (pc & (WH_TOKEN_EXACT | WH_TOKEN_LOC)) ? pc : pc - 1;
    out->pc = k ? wh_token_make(at, k) : at;
    const struct wh_fn *fn = wh_fn_primary(pi->ix, pi->fn);
    out->func = (const whence_func *)fn;
    out->entry = pi->base + fn->entry_off;
    uint32_t file;
    if (!WH_LOC_IN_TABLE(pi->loc)) { /* a flat site of the function itself */
        uint32_t line = WHENCE_SITE_FLAT_LINE(pi->loc);
        p = &sp[sub];
        out->line = line == WHENCE_SITE_FLAT_LINE_LIMIT ? 0 /* WH_LOC_UNKNOWN */
                    : (int)(line ? line : WHENCE_SUBPROG_LINE(p));
        out->column = (int)WHENCE_SITE_FLAT_COL(pi->loc);
        out->inlined = false;
        file = WHENCE_SUBPROG_FILE(p);
    } else {
        const struct whence_loc *lc = (const struct whence_loc *)(ms + m->loc_off);
        uint32_t l = pi->loc;
        for (uint32_t i = 0; i < k && WHENCE_LOC_PARENT(&lc[l]); i++)
            l = WHENCE_LOC_PARENT(&lc[l]) - 1;
        p = &sp[WHENCE_LOC_SUBPROG(&lc[l])];
        out->line = (int)(lc[l].line ? lc[l].line : WHENCE_SUBPROG_LINE(p));
        out->column = (int)WHENCE_LOC_COLUMN(&lc[l]);
        out->inlined = WHENCE_LOC_PARENT(&lc[l]) != 0;
        file = WHENCE_LOC_FILE(&lc[l]); /* after a #line directive */
        if (WH_LIKELY(!file))
            file = WHENCE_SUBPROG_FILE(p);
    }
    out->function = wh_or_unknown(wh_str(ms, m, p->name));
    out->file = wh_file(ms, m, file);
}

#endif /* WHENCE_RUNTIME_LOOKUP_H */
