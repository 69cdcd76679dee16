/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lookup.c - pc -> function -> name/file/line: the public lookup functions
 * and the cold paths of lookup.h (scanning every image, building indexes).
 *
 *   image     the slot that answered last (lookup.h), else a linear scan of
 *             the registry (few images), building an index on first use
 *   function  bucket + sub-bucket delta, short forward scan, range check:
 *             a pc in a gap between functions gives nothing
 *   line      the greatest site label <= pc-1 inside the function (pc itself
 *             at the entry); its loc chain gives the inline frames
 *
 * Lock-free, allocation-free and async-signal-safe once an image's index is
 * built; never dereferences anything a bad pc or bad whence_func could point
 * at: a whence_func is accepted only if it lies inside a known index.
 */
#include "lines/lines.h"

_Atomic uint32_t wh_last; /* slot that answered last: a hint only */
const char wh_unknown[] = "?";

WH_RT bool wh_find_slow(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    if (WH_UNLIKELY(n == 0)) {
        /* Before the constructors ran (an ifunc resolver, preinit_array: no
         * TLS yet in a static program, libc's own ifuncs maybe unresolved)
         * nothing can be named and nothing may be called: unknown.  After,
         * a program built without the plugin: say so once. */
        if (atomic_load_explicit(&wh_started, memory_order_relaxed))
            wh_say_unbuilt();
        pi->fn = NULL;
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = &wh_slots[i];
        if (!atomic_load_explicit(&s->live, memory_order_acquire))
            continue;
        const struct wh_index *ix = wh_slot_index(s);
        if (!ix)
            continue;
        uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
        uintptr_t base = ms + (uintptr_t)ix->base_delta;
        const struct wh_fn *f = wh_fn_in(ix, base, pc, ra_first);
        if (!f)
            continue;
        if (atomic_load_explicit(&wh_last, memory_order_relaxed) != i)
            atomic_store_explicit(&wh_last, i, memory_order_relaxed);
        wh_pcinfo_at(pi, f, ix, ms);
        return true;
    }
    pi->fn = NULL;
    return false;
}

WH_RT void wh_unknown_frame(whence_frame *out, uintptr_t pc) {
    out->pc = pc;
    out->func = NULL;
    out->function = wh_unknown;
    out->file = wh_unknown;
    out->line = 0;
    out->column = 0;
    out->entry = 0;
    out->inlined = false;
}

/* A whence_func is a pointer into some index's function array: accept it
 * only if it is one (so a stale or forged pointer gives "unknown"). */
WH_RT static inline bool func_in_slot(uintptr_t f, struct wh_slot *s, struct wh_pcinfo *pi) {
    const struct wh_index *ix = atomic_load_explicit(&s->ix, memory_order_acquire);
    if (!ix)
        return false;
    uintptr_t d = f - (uintptr_t)ix->funcs;
    if (d >= (uintptr_t)ix->nfuncs * sizeof(struct wh_fn) || d % sizeof(struct wh_fn))
        return false;
    if (!atomic_load_explicit(&s->live, memory_order_acquire))
        return false; /* unloaded: its strings are gone */
    wh_pcinfo_at(pi, (const struct wh_fn *)f, ix,
                 atomic_load_explicit(&s->mod_start, memory_order_relaxed));
    return true;
}

WH_RT static bool func_info(const whence_func *fp, struct wh_pcinfo *pi) {
    uintptr_t f = (uintptr_t)fp;
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    if (WH_LIKELY(last < n) && func_in_slot(f, &wh_slots[last], pi))
        return true;
    if (!f)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (i != last && func_in_slot(f, &wh_slots[i], pi))
            return true;
    return false;
}

/* A loc address -> its image, module, loc index and the function whose
 * call it is (the root of its inline chain).  Used for LOC tokens and to
 * validate nothing else: the walk checks a slot's loc against the
 * function it already found. */
WH_RT bool wh_find_loc(uintptr_t a, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    pi->fn = NULL;
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = &wh_slots[i];
        if (!atomic_load_explicit(&s->live, memory_order_acquire))
            continue;
        uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
        if (a < ms || a >= s->mod_stop)
            continue;
        const struct wh_index *ix = wh_slot_index(s);
        if (!ix || !ix->nmods)
            return false;
        uint32_t off = (uint32_t)(a - ms);
        /* Last module whose loc array starts at or below off. */
        uint32_t lo = 0, hi = ix->nmods;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (ix->mods[ix->mods_by_loc[mid]].loc_off <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0)
            return false;
        uint32_t mi = ix->mods_by_loc[lo - 1];
        const struct wh_mod *m = &ix->mods[mi];
        uint32_t rel = off - m->loc_off;
        if (rel % sizeof(struct whence_loc) || rel / sizeof(struct whence_loc) >= m->nloc)
            return false;
        uint32_t loc = rel / (uint32_t)sizeof(struct whence_loc);
        const struct whence_loc *lc = (const struct whence_loc *)(ms + m->loc_off);
        uint32_t rs = WHENCE_LOC_SUBPROG(&lc[wh_loc_root(lc, loc)]);
        uint32_t fi = m->subfn != UINT32_MAX && rs < m->nsubprog
                          ? ix->subfn[m->subfn + rs]
                          : UINT32_MAX; /* not a slot module: no loc addresses */
        if (fi >= ix->nfuncs)
            return false;
        wh_pcinfo_at(pi, &ix->funcs[fi], ix, ms);
        pi->loc = loc;
        pi->depth = wh_loc_depth(pi, loc);
        return true;
    }
    return false;
}

WH_EXPORT WH_RT const whence_func *whence_func_for_pc(uintptr_t pc) {
    if (wh_token_bad(pc))
        return NULL;
    uintptr_t raw = wh_token_pc(pc);
    if (!raw)
        return NULL;
    struct wh_pcinfo pi;
    if (pc & WH_TOKEN_LOC)
        return wh_find_loc(raw, &pi) ? (const whence_func *)pi.fn : NULL;
    /* A return address (or a token made from one) may end its function; an
     * interrupted pc or a plain pc is tried as it is first. */
    bool ra = raw != pc && !(pc & WH_TOKEN_EXACT);
    if (wh_find(raw, ra, &pi))
        return (const whence_func *)pi.fn;
    /* A function pointer may be a PLT stub (non-PIE programs). */
    return raw == pc ? (const whence_func *)wh_plt_target(raw, &pi) : NULL;
}

WH_EXPORT WH_RT const char *whence_func_name(const whence_func *f) {
    struct wh_pcinfo pi;
    if (!func_info(f, &pi))
        return "";
    uint32_t sub;
    const struct wh_mod *m = wh_mod_of(&pi, &sub);
    const struct whence_subprog *sp =
        (const struct whence_subprog *)(pi.mod_start + m->subprog_off) + sub;
    return wh_str(pi.mod_start, m, sp->name);
}

WH_EXPORT WH_RT uintptr_t whence_func_entry(const whence_func *f) {
    struct wh_pcinfo pi;
    if (!func_info(f, &pi))
        return 0;
    return pi.base + pi.fn->entry_off;
}

WH_EXPORT WH_RT int whence_func_line(const whence_func *f, uintptr_t pc, const char **file) {
    struct wh_pcinfo pi;
    if (file)
        *file = wh_unknown;
    if (!func_info(f, &pi))
        return 0;
    uint32_t k = wh_token_bad(pc) ? 0 : wh_token_skip(pc);
    if (!wh_token_bad(pc) && (pc & WH_TOKEN_LOC)) {
        /* A slot's call: its own position, if it is a call of f. */
        struct wh_pcinfo li;
        if (wh_find_loc(wh_token_pc(pc), &li) && li.fn == pi.fn)
            pi = li;
    } else if (!wh_token_bad(pc)) {
        uintptr_t raw = wh_token_pc(pc);
        uintptr_t entry = pi.base + pi.fn->entry_off;
        /* Inside the function (its end included: a return address after a
         * noreturn call) the records decide; elsewhere, the first line.  A
         * plain pc is an instruction, as in Go's Func.FileLine (pass ra-1
         * for a return address); a token made from a return address
         * (k << 56) is one. */
        bool exact = (pc & WH_TOKEN_EXACT) || !(pc & WH_SKIP_MASK);
        if (raw >= entry && raw - entry <= WH_FN_SIZE(pi.fn)) {
            int line; /* an instruction between calls: its own line (lines/) */
            if (exact && k == 0 && wh_exact_func_line(&pi, pc, file, &line))
                return line;
            wh_pcinfo_sites(&pi, raw, exact);
        }
    }
    if (k >= pi.depth)
        k = pi.depth - 1;
    whence_frame fr;
    wh_fill_frame(&pi, k, pc & ~WH_SKIP_MASK, &fr);
    if (file)
        *file = fr.file;
    return fr.line;
}
