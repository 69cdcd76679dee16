/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * moved.c - code of an instrumented image that a post-link optimizer moved
 * where the image's records do not describe it, or whose records the link
 * lost (lost_at).
 *
 * BOLT (llvm-bolt -reorder-functions, -split-functions) copies the hot
 * functions into a new executable segment and leaves the records naming
 * the code as linked.  A return address there is in no record, as one in
 * a foreign library is, and the walks skip such frames uncounted (a
 * qsort's frames between a comparator and its caller).  But the frame is
 * the program's own function, with logical frames of its own: skipped,
 * whence_caller(0) from a moved function named its caller's line, and
 * whence_callers and whence_write_stack dropped it without a word
 * (helper-81).  So the walks tell such a pc apart: it lies in an
 * executable segment of an instrumented image that holds none of the
 * records' code and holds the image's PT_GNU_EH_FRAME, as the segment
 * BOLT adds does (its rewritten .eh_frame_hdr after the code it moved).
 * The original text keeps the records' code and any code built without
 * the plugin, which stays skipped; so does a segment of its own that a
 * linker gives foreign code (gold's .ltext of -mcmodel=large objects, a
 * linker script's), which was taken for BOLT's before the .eh_frame_hdr
 * was asked (helper-82).  Which
 * segments hold records' code is read once per image, at the first pc
 * asked about in an image with more than one executable segment, from its
 * first and last function records (read lazily: registration reads no
 * record, and a first lookup's pages are counted).  Loads only:
 * async-signal-safe.
 *
 * BOLT's -use-old-text writes the code it rewrites over the original text
 * and adds a segment that holds only its .eh_frame: every record then
 * names code that is not there any more, and functions were named as
 * others, lines as exact (helper-82).  Registration asks, for an image
 * with BOLT's segment only, whether any FDE of its .eh_frame_hdr starts in
 * that segment; none does after -use-old-text, and the image's records
 * are not used: its frames are unknown frames, as moved ones are.
 */
#include "lookup.h"

#include <string.h>

/* Bit of the segment of xlo/xhi[0..nx) that holds pc; 0 if none. */
WH_RT static uint32_t seg_of(const uintptr_t *xlo, const uintptr_t *xhi, uint32_t nx,
                             uintptr_t pc) {
    for (uint32_t i = 0; i < nx && i < WH_XSEGS; i++)
        if (pc - xlo[i] < xhi[i] - xlo[i])
            return 1u << i;
    return 0;
}

WH_RT static uint32_t seg_bit(const struct wh_slot *s, uintptr_t pc) {
    return seg_of(s->xlo, s->xhi, s->nx, pc);
}

/* The segments of xlo/xhi[0..nx) that hold the code of the first and last
 * of the n function records at fn_start; 0 when there are none. */
WH_RT static uint32_t segs_of_records(const uintptr_t *xlo, const uintptr_t *xhi, uint32_t nx,
                                      uintptr_t fn_start, uint32_t n) {
    if (!fn_start || !n)
        return 0;
    const wh_fn *last = (const wh_fn *)(fn_start + (uintptr_t)(n - 1) * WHENCE_FN_RECORD_SIZE);
    return seg_of(xlo, xhi, nx, wh_rec_entry((const wh_fn *)fn_start)) |
           seg_of(xlo, xhi, nx, wh_rec_entry(last));
}

/* The same for s (all of them when it has none to read: nothing is said
 * moved). */
WH_RT static uint32_t records_segs(const struct wh_slot *s) {
    uint32_t m = segs_of_records(s->xlo, s->xhi, s->nx, wh_slot_fn_start(s), wh_slot_nfn(s));
    return m ? m : (1u << WH_XSEGS) - 1;
}

WH_RT bool wh_slot_bolted(struct wh_slot *s) {
    if (s->nx < 2 || !s->xeh)
        return false;
    uint32_t rec = atomic_load_explicit(&s->xrec, memory_order_acquire);
    if (!rec) {
        rec = records_segs(s) | WH_XREC_KNOWN;
        atomic_store_explicit(&s->xrec, rec, memory_order_release);
    }
    return (s->xeh & ~rec & ((1u << WH_XSEGS) - 1)) != 0;
}

/* pc lies in an instrumented function of s that no record names (accel.c:
 * its module's table lost by the link, or two functions folded into one),
 * which a walk must not skip as foreign code: skipped uncounted, a gold
 * link of an object an lld -r made (two whence_mod output sections) named
 * the frame above it as whence_caller(1).  Known once s has its buckets,
 * which a record that names no table asks for (image.c bad_record); built
 * here then. */
WH_RT static const struct wh_span *lost_at(struct wh_slot *s, uintptr_t pc) {
    const struct wh_accel *ax = atomic_load_explicit(&s->ax, memory_order_acquire);
    if (!ax && atomic_load_explicit(&s->order, memory_order_relaxed) == WH_ORDER_NEEDS_ACCEL)
        ax = wh_slot_accel_slow(s);
    if (!ax || !ax->nlost)
        return NULL;
    uint32_t lo = 0, hi = ax->nlost;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ax->lost[mid].entry <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && pc - ax->lost[lo - 1].entry < ax->lost[lo - 1].size ? &ax->lost[lo - 1] : NULL;
}

WH_RT struct wh_slot *wh_moved(uintptr_t pc) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (WH_UNLIKELY(s->stale) && atomic_load_explicit(&s->live, memory_order_acquire) &&
            seg_bit(s, pc))
            return s; /* (its records describe code that is not there) */
        if (!wh_slot_holds(s, pc))
            continue;
        /* BOLT's segment is there: the image was rewritten, and any pc of
         * it that no record holds is taken as moved, wherever it lies: a
         * cold part that machine function splitting made and BOLT left in
         * place is found by its FDE's place in .eh_frame (fragments.c),
         * which BOLT reordered, and skipped uncounted it would shift the
         * frames above it. */
        if (seg_bit(s, pc) && wh_slot_bolted(s))
            return s;
        return lost_at(s, pc) ? s : NULL;
    }
    return NULL;
}

WH_RT bool wh_folded(uintptr_t pc) {
    struct wh_slot *s = wh_moved(pc); /* (folded code is lost code) */
    const struct wh_span *l = s ? lost_at(s, pc) : NULL;
    return l && l->fn == WH_LOST_FOLDED;
}

/* The FDE count and table of the .eh_frame_hdr at hdr (size bytes) in the
 * encodings linkers and BOLT write (version 1, table of datarel sdata4
 * pairs); 0 if another, or if its count does not fit its size. */
WH_RT static uint32_t hdr_table(uintptr_t hdr, size_t size, const int32_t **table) {
    const uint8_t *h = (const uint8_t *)hdr;
    if (size < 12 || h[0] != 1 || h[1] != 0x1b || h[2] != 0x03 || h[3] != 0x3b)
        return 0;
    uint32_t n;
    memcpy(&n, h + 8, sizeof n);
    if (n > (size - 12) / 8)
        return 0;
    *table = (const int32_t *)(h + 12);
    return n;
}

/* The first FDE of table[0..m) (sorted by start, datarel to hdr) that
 * starts at or after pc. */
WH_RT static uint32_t fde_at_or_after(uintptr_t hdr, const int32_t *tab, uint32_t m,
                                      uintptr_t pc) {
    uint32_t lo = 0, hi = m;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (hdr + (intptr_t)tab[2 * mid] < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

WH_RT bool wh_rewritten_in_place(const uintptr_t *xlo, const uintptr_t *xhi, uint32_t nx,
                                 uint32_t xeh, uintptr_t eh, size_t ehsize, uintptr_t fn_start,
                                 uintptr_t fn_stop) {
    uint32_t n = (uint32_t)((fn_stop - fn_start) / WHENCE_FN_RECORD_SIZE);
    if (nx < 2 || !xeh || !eh || !fn_start || !n)
        return false;
    uint32_t rec = segs_of_records(xlo, xhi, nx, fn_start, n);
    uint32_t bolt = xeh & ~rec;
    if (!rec || !bolt || (bolt & (bolt - 1)))
        return false;
    uint32_t k = (uint32_t)__builtin_ctz(bolt);
    const int32_t *tab;
    uint32_t m = hdr_table(eh, ehsize, &tab);
    if (!m)
        return false;
    /* Code in BOLT's segment: not rewritten in place. */
    uint32_t at = fde_at_or_after(eh, tab, m, xlo[k]);
    if (at < m && eh + (intptr_t)tab[2 * at] < xhi[k])
        return false;
    /* Nor where most of the records' functions still start where an FDE
     * does (a linker script that gave the .eh_frame_hdr a segment of its
     * own): sixteen records, evenly spaced. */
    uint32_t same = 0, asked = n < 16 ? n : 16;
    for (uint32_t i = 0; i < asked; i++) {
        const wh_fn *r = (const wh_fn *)(fn_start + (uintptr_t)(i * (uint64_t)n / asked) *
                                                        WHENCE_FN_RECORD_SIZE);
        uintptr_t e = wh_rec_entry(r);
        uint32_t j = fde_at_or_after(eh, tab, m, e);
        same += j < m && eh + (intptr_t)tab[2 * j] == e;
    }
    return 2 * same < asked;
}
