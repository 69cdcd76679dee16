/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * moved.c - code of an instrumented image that a post-link optimizer moved
 * where the image's records do not describe it.
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
 */
#include "lookup.h"

/* Bit of the segment of s that holds pc; 0 if none. */
WH_RT static uint32_t seg_bit(const struct wh_slot *s, uintptr_t pc) {
    for (uint32_t i = 0; i < s->nx && i < WH_XSEGS; i++)
        if (pc - s->xlo[i] < s->xhi[i] - s->xlo[i])
            return 1u << i;
    return 0;
}

/* The segments of s that hold the code of its first and last function
 * records (all of them when it has none to read: nothing is said moved). */
WH_RT static uint32_t records_segs(const struct wh_slot *s) {
    uint32_t all = (1u << WH_XSEGS) - 1, n = wh_slot_nfn(s);
    uintptr_t fs = wh_slot_fn_start(s);
    if (!fs || !n)
        return all;
    uint32_t m = seg_bit(s, wh_rec_entry((const wh_fn *)fs)) |
                 seg_bit(s, wh_rec_entry((const wh_fn *)(fs + (uintptr_t)(n - 1) *
                                                              WHENCE_FN_RECORD_SIZE)));
    return m ? m : all;
}

WH_RT struct wh_slot *wh_moved(uintptr_t pc) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!wh_slot_holds(s, pc))
            continue;
        if (s->nx < 2 || !s->xeh)
            return NULL;
        uint32_t bit = seg_bit(s, pc);
        uint32_t rec = atomic_load_explicit(&s->xrec, memory_order_acquire);
        if (!rec) {
            rec = records_segs(s) | WH_XREC_KNOWN;
            atomic_store_explicit(&s->xrec, rec, memory_order_release);
        }
        return bit && !(rec & bit) && (s->xeh & bit) ? s : NULL;
    }
    return NULL;
}
