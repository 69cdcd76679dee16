/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * slots.c - finding a calling frame's slot (whence_abi.h, struct
 * whence_slot) in modules built with frame slots instead of site labels
 * (by default: -g).
 *
 * The pass stores, in each instrumented function's own frame, its frame
 * address and its module's tag and, before every call, the index of that
 * call's whence_loc.
 * Where in the frame the slot lies is the backend's choice (and, in a frame
 * realigned for over-aligned locals, changes from one activation to the
 * next), so it is found by looking: in the frame's own part of the stack,
 * [S, F) where F is its frame pointer and S its stack pointer at the call,
 * the pair (F, module tag and index of a loc of this very function) is the
 * slot.  No other pair can match: only this activation wrote its frame
 * address next to its module's tag (an earlier activation at the same F had
 * the same layout, so this one overwrote it), and a loc is accepted only if
 * its index lies in the function's own module table and its inline chain
 * ends at the function.  What was found is remembered per function as the distance
 * below F, one word per entry (function entry << 16 | distance / 8), so a
 * reader can never see one function's key with another's distance, and
 * the next lookup reads two words.
 *
 * Reads stay inside [S, F): stack the walk has proven live.  Never
 * allocates, never locks: async-signal-safe.
 */
#include "lookup.h"

#define WH_SLOT_MEMO_BITS 9
#define WH_SLOT_SCAN_MAX  (256u << 10) /* bytes below F searched at most */

static _Atomic uintptr_t wh_slot_memo[1u << WH_SLOT_MEMO_BITS];

static inline _Atomic uintptr_t *memo_of(uintptr_t entry) {
    return &wh_slot_memo[(entry * 0x9e3779b97f4a7c15ull) >> (64 - WH_SLOT_MEMO_BITS)];
}

/* The loc index named by the slot candidate at a (its frame word already
 * equal to F), if it carries the tag of pi's module and the loc is one of
 * pi's function: else UINT32_MAX. */
WH_RT static uint32_t slot_loc(const struct wh_pcinfo *pi, uintptr_t a) {
    const struct wh_mod *m = pi->m;
    const struct whence_slot *sl = (const struct whence_slot *)a;
    if (sl->tag != WHENCE_SLOT_TAG(m->key) || sl->loc >= m->nloc)
        return UINT32_MAX;
    uint32_t l = sl->loc;
    const struct whence_loc *root = wh_mod_loc(m, wh_loc_root(m, l), WH_LOC_BUF);
    return root && WHENCE_LOC_SUBPROG(root) == pi->sub ? l : UINT32_MAX;
}

/* pi and the LOC token for loc index l of pi's module. */
WH_RT static bool take(struct wh_pcinfo *pi, uint32_t l, uintptr_t *e) {
    wh_pcinfo_at_loc(pi, l);
    *e = (pi->m->base + pi->m->loc_off + (uintptr_t)l * wh_mod_loc_size(pi->m)) | WH_TOKEN_LOC;
    return true;
}

WH_RT bool wh_slot_find(struct wh_pcinfo *pi, uintptr_t F, uintptr_t S, uintptr_t *e) {
    if ((F & WH_FP_BAD_BITS) || F < 16) /* (misaligned, or no address) */
        return false;
    /* S unknown (0) or implausible: search a bounded window below F. */
    if (S > F || F - S > WH_SLOT_SCAN_MAX)
        S = F > WH_SLOT_SCAN_MAX ? F - WH_SLOT_SCAN_MAX : 0;
    uintptr_t entry = pi->entry;
    _Atomic uintptr_t *mp = memo_of(entry);
    uintptr_t memo = atomic_load_explicit(mp, memory_order_relaxed);
    uint32_t l;
    if (memo >> 16 == entry) {
        uintptr_t a = F - 8 * (memo & 0xffff);
        if (a >= S && *(const uintptr_t *)a == F && (l = slot_loc(pi, a)) != UINT32_MAX)
            return take(pi, l, e);
    }
    for (uintptr_t a = F - 16; a >= S && a < F; a -= 8) {
        if (*(const uintptr_t *)a != F || (l = slot_loc(pi, a)) == UINT32_MAX)
            continue;
        uintptr_t d = (F - a) / 8, w = entry << 16 | d;
        if (d <= 0xffff && entry >> 48 == 0 && atomic_load_explicit(mp, memory_order_relaxed) != w)
            atomic_store_explicit(mp, w, memory_order_relaxed);
        return take(pi, l, e);
    }
    return false;
}
