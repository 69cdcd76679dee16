/*
 * lookup.c - pc -> function -> name/file/line: the read side of the index.
 *
 *   image     linear scan of the registry's slots (few images), starting with
 *             the slot that answered last; that one-word hint is re-checked
 *             against the slot's range on every use, so it can never tear
 *   function  bucket + sub-bucket delta, then a short forward scan, then
 *             entry <= pc < entry + size (a pc in a gap gives nothing)
 *   line      the greatest site label <= pc-1 inside the function (pc itself
 *             at the entry): its loc chain gives the inline frames
 *
 * Lock-free, allocation-free and async-signal-safe once an image's index is
 * built; never dereferences anything a bad pc or bad whence_func could point
 * at: a whence_func is accepted only if it lies inside a known index.
 */
#include "internal.h"

static _Atomic uint32_t wh_last; /* slot that answered last: a hint only */

static const char wh_unknown[] = "?";

/* Function whose range holds off (< span), or NULL. */
WH_RT static inline const struct wh_fn *fn_at(const struct wh_index *ix, uint32_t off) {
    const struct wh_bucket *b = &ix->buckets[off >> WH_BUCKET_SHIFT];
    const struct wh_fn *f = ix->funcs + b->idx + b->sub[(off >> WH_SUB_SHIFT) & 15];
    while (f[1].entry_off <= off) /* funcs[nfuncs].entry_off == span stops it */
        f++;
    return off - f->entry_off < f->size ? f : NULL;
}

WH_RT static inline bool slot_find(struct wh_slot *s, uintptr_t pc, bool ra_first,
                                   struct wh_pcinfo *pi) {
    if (!atomic_load_explicit(&s->live, memory_order_acquire))
        return false;
    const struct wh_index *ix = wh_slot_index(s);
    if (WH_UNLIKELY(!ix))
        return false;
    uintptr_t ms = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
    uintptr_t base = ms + (uintptr_t)ix->base_delta;
    uintptr_t off = pc - base;
    if (off > ix->span) /* off == span: only pc-1 can match */
        return false;
    const struct wh_fn *f = NULL;
    if (ra_first) {
        if (off > 0)
            f = fn_at(ix, (uint32_t)off - 1);
        if (!f && off < ix->span)
            f = fn_at(ix, (uint32_t)off);
    } else {
        if (off < ix->span)
            f = fn_at(ix, (uint32_t)off);
        if (!f && off > 0)
            f = fn_at(ix, (uint32_t)off - 1);
    }
    if (!f)
        return false;
    pi->fn = f;
    pi->ix = ix;
    pi->base = base;
    pi->mod_start = ms;
    pi->loc = WH_NO_LOC;
    pi->depth = 1;
    return true;
}

WH_RT bool wh_find(uintptr_t pc, bool ra_first, struct wh_pcinfo *pi) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    if (WH_LIKELY(last < n) && slot_find(&wh_slots[last], pc, ra_first, pi))
        return true;
    for (uint32_t i = 0; i < n; i++) {
        if (i != last && slot_find(&wh_slots[i], pc, ra_first, pi)) {
            atomic_store_explicit(&wh_last, i, memory_order_relaxed);
            return true;
        }
    }
    pi->fn = NULL;
    return false;
}

WH_RT static inline const struct wh_mod *mod_of(const struct wh_pcinfo *pi, uint32_t *sub) {
    uint32_t info = pi->fn->info, sb = pi->ix->sub_bits;
    *sub = info & (uint32_t)((UINT64_C(1) << sb) - 1);
    return &pi->ix->mods[(uint64_t)info >> sb];
}

WH_RT void wh_pcinfo_sites(struct wh_pcinfo *pi, uintptr_t pc) {
    const struct wh_fn *f = pi->fn;
    const struct wh_index *ix = pi->ix;
    uint32_t entry_off = f->entry_off;
    uint32_t off = (uint32_t)(pc - pi->base);
    uint32_t key = off == entry_off ? off : off - 1; /* pc-1: inside the call */
    uint32_t first = f->first_site, lo = first, hi = f[1].first_site;
    const struct wh_site *s = ix->sites;
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
    if (lo == first) {
        pi->loc = WH_NO_LOC;
        pi->depth = 1;
        return;
    }
    uint32_t i = lo;
    uint32_t loc = s[i - 1].loc;
    uint32_t sub;
    const struct wh_mod *m = mod_of(pi, &sub);
    const struct whence_loc *lc = (const struct whence_loc *)(pi->mod_start + m->loc_off);
    uint32_t d = 1;
    for (uint32_t l = loc; lc[l].parent; l = lc[l].parent - 1)
        d++;
    pi->loc = loc;
    pi->depth = d;
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

WH_RT void wh_fill_frame(const struct wh_pcinfo *pi, uint32_t k, uintptr_t pc,
                         whence_frame *out) {
    uint32_t sub;
    const struct wh_mod *m = mod_of(pi, &sub);
    uintptr_t ms = pi->mod_start;
    const struct whence_subprog *sp = (const struct whence_subprog *)(ms + m->subprog_off);
    out->pc = k ? wh_token_make(pc, k) : pc;
    out->func = (const whence_func *)pi->fn;
    out->entry = pi->base + pi->fn->entry_off;
    const struct whence_subprog *p;
    if (pi->loc == WH_NO_LOC) {
        p = &sp[sub];
        out->line = (int)p->line;
        out->column = 0;
        out->inlined = false;
    } else {
        const struct whence_loc *lc = (const struct whence_loc *)(ms + m->loc_off);
        uint32_t l = pi->loc;
        for (uint32_t i = 0; i < k && lc[l].parent; i++)
            l = lc[l].parent - 1;
        p = &sp[lc[l].subprog];
        out->line = (int)(lc[l].line ? lc[l].line : p->line);
        out->column = (int)lc[l].column;
        out->inlined = lc[l].parent != 0;
    }
    const char *name = wh_str(ms, m, p->name), *file = wh_str(ms, m, p->file);
    out->function = *name ? name : wh_unknown;
    out->file = *file ? file : wh_unknown;
}

/* A whence_func is a pointer into some index's function array: accept it
 * only if it is one (so a stale or forged pointer gives "unknown"). */
WH_RT static bool func_info(const whence_func *fp, struct wh_pcinfo *pi) {
    if (!fp)
        return false;
    uintptr_t f = (uintptr_t)fp;
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    uint32_t last = atomic_load_explicit(&wh_last, memory_order_relaxed);
    for (uint32_t j = 0; j <= n; j++) {
        uint32_t i = j == 0 ? last : j - 1;
        if (i >= n || (j && i == last))
            continue;
        struct wh_slot *s = &wh_slots[i];
        const struct wh_index *ix = atomic_load_explicit(&s->ix, memory_order_acquire);
        if (!ix)
            continue;
        uintptr_t d = f - (uintptr_t)ix->funcs;
        if (d >= (uintptr_t)ix->nfuncs * sizeof(struct wh_fn) || d % sizeof(struct wh_fn))
            continue;
        if (!atomic_load_explicit(&s->live, memory_order_acquire))
            return false;
        pi->fn = (const struct wh_fn *)f;
        pi->ix = ix;
        pi->mod_start = atomic_load_explicit(&s->mod_start, memory_order_relaxed);
        pi->base = pi->mod_start + (uintptr_t)ix->base_delta;
        pi->loc = WH_NO_LOC;
        pi->depth = 1;
        return true;
    }
    return false;
}

WH_EXPORT WH_RT const whence_func *whence_func_for_pc(uintptr_t pc) {
    if (pc & WH_TOKEN_BAD)
        return NULL;
    uintptr_t raw = wh_token_pc(pc);
    if (!raw)
        return NULL;
    struct wh_pcinfo pi;
    /* A token is always a return address; a plain pc may be an entry. */
    if (!wh_find(raw, raw != pc, &pi))
        return NULL;
    return (const whence_func *)pi.fn;
}

WH_EXPORT WH_RT const char *whence_func_name(const whence_func *f) {
    struct wh_pcinfo pi;
    if (!func_info(f, &pi))
        return "";
    uint32_t sub;
    const struct wh_mod *m = mod_of(&pi, &sub);
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
    uintptr_t raw = wh_token_pc(pc);
    uint32_t k = (pc & WH_TOKEN_BAD) ? 0 : wh_token_skip(pc);
    uintptr_t entry = pi.base + pi.fn->entry_off;
    /* Inside the function (its end included: a return address after a
     * noreturn call) the site decides; elsewhere, the function's first line. */
    if (!(pc & WH_TOKEN_BAD) && raw >= entry && raw - entry <= pi.fn->size)
        wh_pcinfo_sites(&pi, raw);
    if (k >= pi.depth)
        k = pi.depth - 1;
    whence_frame fr;
    wh_fill_frame(&pi, k, raw, &fr);
    if (file)
        *file = fr.file;
    return fr.line;
}
