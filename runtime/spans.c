/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * spans.c - learning the code spans of spans.h.  From the function of a
 * return address the walk found, a span grows to the neighbouring
 * functions on both sides while the bytes between are padding
 * (arch/: wh_arch_is_pad, which no call instruction can end in) and the
 * neighbour is an instrumented function of the same image without frame
 * slots.  A return address in the span is then in one of those functions:
 * its frame keeps a frame record (the pass sets "frame-pointer"), which is
 * what the FP walk needs to take the next step.
 *
 * Only bytes of pages known to hold code are read: the page of the last
 * byte of a known function, or the next page when a known function starts
 * right at its first byte (asked of the records, which are not code).
 */
#include "fcache.h"
#include "lookup.h"
#include "spans.h"

_Atomic uint64_t wh_spans[1u << WH_SPAN_BITS];

#define WH_SPAN_STEPS 256u /* functions added on each side at most */
#define WH_SPAN_GAP   64u  /* padding between two functions at most */
#define WH_SPAN_UNITS 0xffffu
#define WH_PAGE       4096u

/* A function a span may hold: of image s, in a module with call labels,
 * found as a whole function (not code split off one). */
WH_RT static bool plain(const struct wh_pcinfo *pi, const struct wh_slot *s) {
    return pi->fn && pi->slot == s && pi->from == pi->entry && pi->size > 0 &&
           !(pi->m->flags & WHENCE_MOD_SLOTS);
}

/* The function after the one that ends at e, with only padding between. */
WH_RT static bool next_fn(uintptr_t e, const struct wh_slot *s, struct wh_pcinfo *pi) {
    if (e & (WH_PAD_UNIT - 1))
        return false;
    uintptr_t page_end = ((e - 1) | (WH_PAGE - 1)) + 1;
    for (uintptr_t p = e; p - e < WH_SPAN_GAP; p += WH_PAD_UNIT) {
        if (p == page_end) /* the next page is code if a function starts there */
            return wh_find(p, false, pi) && plain(pi, s) && pi->entry == p;
        if (!wh_arch_is_pad(p))
            return wh_find(p, false, pi) && plain(pi, s) && pi->entry >= e && pi->entry <= p;
    }
    return false;
}

/* The function before the one that starts at b, with only padding
 * between. */
WH_RT static bool prev_fn(uintptr_t b, const struct wh_slot *s, struct wh_pcinfo *pi) {
    if (b & (WH_PAD_UNIT - 1))
        return false;
    uintptr_t page = b & ~(uintptr_t)(WH_PAGE - 1);
    for (uintptr_t q = b - WH_PAD_UNIT; b - q <= WH_SPAN_GAP; q -= WH_PAD_UNIT) {
        /* Below the page: not read, only asked of the records. */
        if (q < page || !wh_arch_is_pad(q))
            return wh_find(q, false, pi) && plain(pi, s) && q - pi->entry < pi->size &&
                   pi->entry + pi->size <= b;
    }
    return false;
}

/* [a, b) is padding only (a, b multiples of WH_PAD_UNIT, or else no). */
WH_RT static bool all_pad(uintptr_t a, uintptr_t b) {
    if ((a | b) & (WH_PAD_UNIT - 1))
        return false;
    for (; a < b; a += WH_PAD_UNIT)
        if (!wh_arch_is_pad(a))
            return false;
    return true;
}

/* Return addresses whose span could not be learned (in code split off its
 * function, or at an edge shared with code of another kind): not tried
 * again on every capture. */
#define WH_NOSPAN_BITS 6
static _Atomic uintptr_t wh_nospan[1u << WH_NOSPAN_BITS];

static inline _Atomic uintptr_t *nospan_slot(uintptr_t ra) {
    return &wh_nospan[(ra * 0x9e3779b97f4a7c15ull) >> (64 - WH_NOSPAN_BITS)];
}

/* The span of pi0's function, from return address ra in it: false when
 * none holds ra. */
WH_RT static bool learn(uintptr_t ra, const struct wh_pcinfo *pi0) {
    struct wh_slot *s = pi0->slot;
    if (!plain(pi0, s) || ra - 1 - pi0->entry >= pi0->size)
        return false;
    uint64_t salt = wh_fc_now();
    uintptr_t lo = pi0->entry, hi = lo + pi0->size;
    struct wh_pcinfo pi;
    for (uint32_t i = 0; i < WH_SPAN_STEPS && hi - lo < WH_SPAN_UNITS * 16u && next_fn(hi, s, &pi);
         i++)
        hi = pi.entry + pi.size;
    for (uint32_t i = 0; i < WH_SPAN_STEPS && hi - lo < WH_SPAN_UNITS * 16u && prev_fn(lo, s, &pi);
         i++)
        lo = pi.entry;
    /* In 16-byte units: out to the unit's edges over padding (in the pages
     * of lo and hi - 1), else inside [lo, hi); at most WH_SPAN_UNITS around
     * ra. */
    if (all_pad(lo & ~(uintptr_t)15, lo))
        lo &= ~(uintptr_t)15;
    if (all_pad(hi, (hi + 15) & ~(uintptr_t)15))
        hi = (hi + 15) & ~(uintptr_t)15;
    uint64_t g = (ra - 1) >> 4, glo = (lo + 15) >> 4, ghi = hi >> 4;
    if (g < glo || g >= ghi || (glo >> 48))
        return false;
    if (ghi - glo > WH_SPAN_UNITS) {
        if (g - glo > WH_SPAN_UNITS / 2)
            glo = g - WH_SPAN_UNITS / 2;
        if (ghi - glo > WH_SPAN_UNITS)
            ghi = glo + WH_SPAN_UNITS;
    }
    uint64_t w = wh_span_word(glo, ghi - glo);
    uintptr_t first = (uintptr_t)(glo << 4) / WH_PAGE, last = (uintptr_t)((ghi << 4) - 1) / WH_PAGE;
    for (uintptr_t p = first; p <= last; p++)
        atomic_store_explicit(wh_span_slot(p * WH_PAGE), w, memory_order_relaxed);
    /* An image went away meanwhile (maybe this one): take it back. */
    if (wh_fc_now() != salt)
        for (uintptr_t p = first; p <= last; p++) {
            uint64_t x = w;
            atomic_compare_exchange_strong_explicit(wh_span_slot(p * WH_PAGE), &x, 0,
                                                    memory_order_relaxed, memory_order_relaxed);
        }
    return true;
}

WH_RT bool wh_span_learn(uintptr_t ra) {
    _Atomic uintptr_t *no = nospan_slot(ra);
    if (atomic_load_explicit(no, memory_order_relaxed) == ra)
        return false;
    struct wh_pcinfo pi;
    if (wh_find(ra, true, &pi) && learn(ra, &pi))
        return true;
    atomic_store_explicit(no, ra, memory_order_relaxed);
    return false;
}

WH_RT void wh_spans_forget(void) {
    for (uint32_t i = 0; i < (1u << WH_SPAN_BITS); i++)
        atomic_store_explicit(&wh_spans[i], 0, memory_order_relaxed);
    for (uint32_t i = 0; i < (1u << WH_NOSPAN_BITS); i++)
        atomic_store_explicit(&wh_nospan[i], 0, memory_order_relaxed);
}
