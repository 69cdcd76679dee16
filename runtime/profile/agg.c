/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * agg.c - ordinary code's side of a profile: the raw stacks (entries as
 * captured) become stacks of named locations, counted once per distinct
 * stack.  It runs when an instrumented image is about to be unloaded
 * (api.c, from the image's destructor, while it is still mapped) and at
 * the stop, under the raw table's lock.
 *
 * Every distinct walk entry (a return address, an interrupted pc, a slot's
 * loc token, each maybe foreign) becomes one location the first time it is
 * seen, and is named then (resolve.c), so names copied into the profile's
 * string table outlive the image.  From then on the entry maps to its
 * location through pcmap, unless the image that held it went away
 * (wh_agg_forget_range): another image may be loaded at the same address,
 * so the entry is named anew.
 *
 * Code without whence records is named from the loaded objects, which may
 * have changed since the sample: a foreign entry in the range of an object
 * that went away without the hook (a library built without the plugin),
 * or of one that came after the last look when something also went away,
 * gets its address only: an unknown frame rather than a wrong name.
 */
#include "profile.h"

#include <string.h>

WH_RT void wh_agg_init(struct wh_pr_agg *a, const char *exe) {
    memset(a, 0, sizeof *a);
    a->exe = exe;
    wh_str_intern(&a->str, "", 0);
}

WH_RT void wh_agg_free(struct wh_pr_agg *a) {
    wh_str_free(&a->str);
    wh_vec_free(&a->funcs);
    wh_unmap(a->funchash, (size_t)a->funccap * 4);
    wh_vec_free(&a->locs);
    wh_vec_free(&a->lines);
    wh_map64_free(&a->pcmap);
    wh_vec_free(&a->maps);
    wh_vec_free(&a->objs);
    wh_vec_free(&a->stacks);
    wh_unmap(a->stackhash, (size_t)a->stackcap * 4);
    wh_vec_free(&a->stackpool);
    wh_vec_free(&a->pending);
    wh_vec_free(&a->gone);
    wh_vec_free(&a->handled);
    memset(a, 0, sizeof *a);
}

/* ---- functions ------------------------------------------------------------------ */

WH_RT static uint64_t func_hash(uint32_t name, uint32_t file, uint32_t start_line) {
    return wh_mix64((uint64_t)name << 32 | file) ^ wh_mix64((uint64_t)start_line + 1);
}

WH_RT static bool func_rehash(struct wh_pr_agg *a, uint32_t cap) {
    uint32_t *h = wh_map((size_t)cap * 4);
    if (!h)
        return false;
    uint32_t n = (uint32_t)WH_VEC_LEN(&a->funcs, struct wh_pr_func);
    for (uint32_t i = 0; i < n; i++) {
        const struct wh_pr_func *f = &WH_VEC_AT(&a->funcs, struct wh_pr_func, i);
        uint32_t j = (uint32_t)func_hash(f->name, f->file, f->start_line) & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    wh_unmap(a->funchash, (size_t)a->funccap * 4);
    a->funchash = h;
    a->funccap = cap;
    return true;
}

/* The function (name, file, start line), added if new. */
WH_RT uint32_t wh_agg_func(struct wh_pr_agg *a, uint32_t name, uint32_t file, uint32_t start_line) {
    uint32_t n = (uint32_t)WH_VEC_LEN(&a->funcs, struct wh_pr_func);
    if ((uint64_t)(n + 1) * 2 > a->funccap && !func_rehash(a, a->funccap ? a->funccap * 2 : 256)) {
        a->oom = true;
        return 0;
    }
    uint32_t j = (uint32_t)func_hash(name, file, start_line) & (a->funccap - 1);
    for (; a->funchash[j]; j = (j + 1) & (a->funccap - 1)) {
        const struct wh_pr_func *f = &WH_VEC_AT(&a->funcs, struct wh_pr_func, a->funchash[j] - 1);
        if (f->name == name && f->file == file && f->start_line == start_line)
            return a->funchash[j] - 1;
    }
    struct wh_pr_func f = {name, file, start_line};
    if (!wh_vec_push(&a->funcs, &f, sizeof f)) {
        a->oom = true;
        return 0;
    }
    a->funchash[j] = n + 1;
    return n;
}

/* ---- locations ------------------------------------------------------------------------ */

WH_RT static uint32_t new_loc(struct wh_pr_agg *a, uint64_t key, uint64_t addr, uint32_t flags) {
    uint32_t i = (uint32_t)WH_VEC_LEN(&a->locs, struct wh_pr_loc);
    struct wh_pr_loc l = {.key = key, .addr = addr, .flags = flags};
    if (!wh_vec_push(&a->locs, &l, sizeof l)) {
        a->oom = true;
        return UINT32_MAX;
    }
    return i;
}

WH_RT bool wh_agg_gone_at(const struct wh_pr_agg *a, uint64_t pc) {
    const uint64_t *g = (const uint64_t *)a->gone.p;
    for (size_t i = 0; i + 1 < a->gone.n / 8; i += 2)
        if (pc >= g[i] && pc < g[i + 1])
            return true;
    return false;
}

/* The location of walk entry e. */
WH_RT static uint32_t loc_of(struct wh_pr_agg *a, uintptr_t e) {
    uint32_t i;
    if (wh_map64_get(&a->pcmap, e, &i))
        return i;
    uintptr_t pc = wh_token_pc(e);
    if (a->gone.n && (e & WH_PR_FOREIGN) && wh_agg_gone_at(a, pc)) {
        /* Not remembered: a later sample after a new load is named then. */
        return new_loc(a, 0, pc, 0);
    }
    i = new_loc(a, e, pc, WH_LOC_PENDING);
    if (i == UINT32_MAX)
        return i;
    if (!wh_map64_put(&a->pcmap, e, i) || !wh_vec_push(&a->pending, &i, sizeof i))
        a->oom = true;
    return i;
}

/* ---- stacks ------------------------------------------------------------------------------ */

WH_RT static bool stack_rehash(struct wh_pr_agg *a, uint32_t cap) {
    uint32_t *h = wh_map((size_t)cap * 4);
    if (!h)
        return false;
    uint32_t n = (uint32_t)WH_VEC_LEN(&a->stacks, struct wh_pr_stack);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)WH_VEC_AT(&a->stacks, struct wh_pr_stack, i).hash & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    wh_unmap(a->stackhash, (size_t)a->stackcap * 4);
    a->stackhash = h;
    a->stackcap = cap;
    return true;
}

WH_RT static void add_stack(struct wh_pr_agg *a, const uint32_t *locs, uint32_t n, uint64_t count) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (uint32_t i = 0; i < n; i++)
        h = wh_mix64(h ^ locs[i]);
    uint32_t ns = (uint32_t)WH_VEC_LEN(&a->stacks, struct wh_pr_stack);
    if ((uint64_t)(ns + 1) * 2 > a->stackcap &&
        !stack_rehash(a, a->stackcap ? a->stackcap * 2 : 1024)) {
        a->oom = true;
        return;
    }
    uint32_t j = (uint32_t)h & (a->stackcap - 1);
    for (; a->stackhash[j]; j = (j + 1) & (a->stackcap - 1)) {
        struct wh_pr_stack *s = &WH_VEC_AT(&a->stacks, struct wh_pr_stack, a->stackhash[j] - 1);
        if (s->hash == h && s->n == n &&
            memcmp(&WH_VEC_AT(&a->stackpool, uint32_t, s->off), locs, (size_t)n * 4) == 0) {
            s->count += count;
            return;
        }
    }
    struct wh_pr_stack s = {.hash = h, .off = (uint32_t)(a->stackpool.n / 4), .n = n,
                            .count = count};
    if (a->stackpool.n / 4 + n > UINT32_MAX || !wh_vec_push(&a->stackpool, locs, (size_t)n * 4) ||
        !wh_vec_push(&a->stacks, &s, sizeof s)) {
        a->oom = true;
        return;
    }
    a->stackhash[j] = ns + 1;
}

/* Why a sample's walk ended early (its WH_PR_END entry), as its
 * outermost frame: the printed stacks' last lines, shortened. */
WH_RT static const char *end_name(uintptr_t e) {
    switch (e & ~WH_PR_END) {
    case WH_WALK_SHORT:
        return "[stack cut: too little signal stack left]";
    case WH_WALK_NO_CFI: case WH_WALK_NO_CFI_BELOW:
        return "[stack cut: code without unwind tables]";
    case WH_WALK_NO_INDEX: case WH_WALK_NO_INDEX_BELOW:
        return "[stack cut: an object without .eh_frame_hdr]";
    case WH_WALK_NO_OBJECT:
        return "[stack cut: code outside every loaded object (a JIT's)]";
    case WH_WALK_NO_CODE:
        return "[stack cut: unwind tables that led to no code]";
    case WH_WALK_FAR:
        return "[stack cut: the next frame on another stack]";
    case WH_WALK_CFI_UNREAD: case WH_WALK_CFI_UNREAD_BELOW:
        return "[stack cut: unwind tables whence cannot follow]";
    default:
        return "[stack cut]";
    }
}

/* The location of a WH_PR_END entry: one per reason. */
WH_RT static uint32_t end_loc(struct wh_pr_agg *a, uintptr_t e) {
    uint32_t i;
    if (wh_map64_get(&a->pcmap, e, &i))
        return i;
    const char *name = end_name(e);
    uint32_t f = wh_agg_func(a, wh_str_intern(&a->str, name, strlen(name)), 0, 0);
    i = new_loc(a, 0, 0, 0);
    if (i == UINT32_MAX)
        return i;
    struct wh_pr_line ln = {f, 0, 0};
    struct wh_pr_loc *loc = &WH_VEC_AT(&a->locs, struct wh_pr_loc, i);
    loc->line0 = (uint32_t)WH_VEC_LEN(&a->lines, struct wh_pr_line);
    loc->nline = 1;
    if (!wh_vec_push(&a->lines, &ln, sizeof ln) || !wh_map64_put(&a->pcmap, e, i))
        a->oom = true;
    return i;
}

WH_RT static void take_stack(void *ctx, const uintptr_t *pcs, uint32_t n, uint64_t count) {
    struct wh_pr_agg *a = ctx;
    uint32_t locs[WH_PR_DEPTH + 1], k = 0;
    for (uint32_t i = 0; i < n && k < WH_PR_DEPTH + 1; i++) {
        if ((pcs[i] & WH_PR_END) == WH_PR_END) {
            uint32_t l = end_loc(a, pcs[i]);
            if (l != UINT32_MAX)
                locs[k++] = l;
            continue;
        }
        if (k == WH_PR_DEPTH)
            break;
        if (pcs[i] & WH_PR_RA)
            continue; /* (one without its slot's entry) */
        uint32_t l = loc_of(a, pcs[i]);
        if (l == UINT32_MAX)
            continue;
        locs[k++] = l;
        /* a slot's frame: its return address, pprof's address for it */
        if (i + 1 < n && (pcs[i + 1] & WH_PR_END) == WH_PR_RA) {
            struct wh_pr_loc *lp = &WH_VEC_AT(&a->locs, struct wh_pr_loc, l);
            if (!lp->ra)
                lp->ra = wh_token_pc(pcs[i + 1]);
            i++;
        }
    }
    add_stack(a, locs, k, count);
    a->samples += count;
}

WH_RT static bool key_gone(void *ctx, uint64_t key) {
    return wh_agg_gone_at(ctx, wh_token_pc((uintptr_t)key));
}

WH_RT void wh_agg_convert(struct wh_pr_agg *a, struct wh_pr_raw *raw, struct wh_pr_ring *r,
                          uint64_t sess) {
    wh_raw_drain(raw, r, sess);
    /* Which objects are loaded now, and which ranges are unsure since the
     * last look (a->gone). */
    wh_resolve_objects(a);
    wh_raw_each(raw, take_stack, a);
    wh_raw_clear(raw);
    wh_resolve_pending(a);
    /* An entry left unknown there is named anew next time. */
    if (a->gone.n)
        wh_map64_filter(&a->pcmap, key_gone, a);
    a->gone.n = 0;
}

struct range {
    uintptr_t lo, hi;
};

WH_RT static bool key_in(void *ctx, uint64_t key) {
    const struct range *r = ctx;
    uintptr_t pc = wh_token_pc((uintptr_t)key);
    return pc >= r->lo && pc < r->hi;
}

WH_RT void wh_agg_forget_range(struct wh_pr_agg *a, uintptr_t lo, uintptr_t hi) {
    struct range r = {lo, hi};
    wh_map64_filter(&a->pcmap, key_in, &r);
}

WH_RT void wh_agg_unloading(struct wh_pr_agg *a, uintptr_t lo, uintptr_t hi) {
    wh_agg_forget_range(a, lo, hi);
    uint64_t r[2] = {lo, hi};
    if (!wh_vec_push(&a->handled, r, sizeof r))
        a->oom = true;
    a->hooked++;
}

WH_RT void wh_agg_add_synthetic(struct wh_pr_agg *a, const char *name, uint64_t count) {
    if (!count)
        return;
    uint32_t f = wh_agg_func(a, wh_str_intern(&a->str, name, strlen(name)), 0, 0);
    uint32_t l = new_loc(a, 0, 0, 0);
    if (l == UINT32_MAX)
        return;
    struct wh_pr_line ln = {f, 0, 0};
    struct wh_pr_loc *loc = &WH_VEC_AT(&a->locs, struct wh_pr_loc, l);
    loc->line0 = (uint32_t)WH_VEC_LEN(&a->lines, struct wh_pr_line);
    loc->nline = 1;
    if (!wh_vec_push(&a->lines, &ln, sizeof ln))
        a->oom = true;
    add_stack(a, &l, 1, count);
}
