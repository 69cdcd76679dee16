/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * spans.h - code spans for whence_callers' fast path: runs of instrumented
 * functions of one image (frame-pointer code with call labels: no frame
 * slots), with nothing but padding between them, so that "this return
 * address is in instrumented code, its frame keeps a frame record" is one
 * subtraction and one compare against a span held in registers, instead
 * of a hash probe per frame.
 *
 * A span is one word, [lo, lo + size) in 16-byte units (lo rounded up, the
 * end down: never more than the functions), remembered in a table indexed
 * by page under every 4 KiB page it covers, so that a word read is always a
 * whole span of some image: a reader checks that the span holds its return
 * address and needs no key.  The table only ever holds spans of images
 * that are registered; unregistering one clears it (wh_forget_all).
 */
#ifndef WHENCE_RUNTIME_SPANS_H
#define WHENCE_RUNTIME_SPANS_H

#include "internal.h"

#define WH_SPAN_BITS 10 /* 4 MiB of text before two pages share an entry */

WH_HIDDEN extern _Atomic uint64_t wh_spans[1u << WH_SPAN_BITS];

/* Pages in order: a span (at most 1 MiB) never meets itself. */
static inline _Atomic uint64_t *wh_span_slot(uintptr_t a) {
    return &wh_spans[(a >> 12) & ((1u << WH_SPAN_BITS) - 1)];
}

/* A span's word: lo / 16 above, its length / 16 in the low 16 bits (lo is
 * below 2^52 for any user-space address). */
static inline uint64_t wh_span_word(uint64_t lo16, uint64_t units) {
    return lo16 << 16 | units;
}

/* The span remembered for ra's page as (base, size) such that ra - 1 is
 * in it iff ra - base < size (unsigned); an empty entry is size 0. */
static inline void wh_span_of(uintptr_t ra, uintptr_t *base, uintptr_t *size) {
    uint64_t w = atomic_load_explicit(wh_span_slot(ra), memory_order_relaxed);
    *base = ((w >> 16) << 4) + 1;
    *size = (uintptr_t)(uint16_t)w << 4;
}

/* Learns and remembers the span around the function of return address
 * ra, known to be instrumented: false if there is none (remembered too, so
 * as not to try again on every capture).  Reads code only in pages known
 * to hold an instrumented function; async-signal-safe, no allocation of
 * its own (its lookups are wh_find's). */
WH_HIDDEN bool wh_span_learn(uintptr_t ra);
/* Forgets every span (an image went away). */
WH_HIDDEN void wh_spans_forget(void);

#endif /* WHENCE_RUNTIME_SPANS_H */
