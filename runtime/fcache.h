/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fcache.h - the resolved-frame cache: a key -> the whole whence_frame, so
 * that asking again for a frame already named (the same caller of a log
 * function, the same stack printed twice) costs one cache line instead of a
 * lookup.  Two kinds of key (wh_fc_key, wh_fc_caller_key):
 *
 *   logical frame k of a walk entry e (a return address, an interrupted pc
 *   or a slot's loc token): whence_frames_next, and whence_caller when the
 *   frame asked for lies in its caller's own return address;
 *   whence_caller(skip) by the return address into its caller alone, when
 *   the frame asked for is one frame record further up (WH_FC_HOP): the
 *   entry's answer names the return address found there, which the reader
 *   compares before it takes the answer.
 *
 * Direct-mapped, one 64-byte line per entry, shared by all threads.  The
 * line is the answer in whence_frame's own layout (so a hit is a copy),
 * with the word that holds `inlined` also holding the entry's sequence
 * number in its padding, then the tag.  Seed 002 (a reader must never see
 * one entry's key with another's answer): a writer claims the entry with a
 * CAS that makes the sequence odd, writes, and releases it with the next
 * even value; a reader copies and keeps the copy only if the word it read
 * first, with the odd bit cleared, is still there afterwards.
 *
 * A tag is the key mixed with the salt of the registry generation it was
 * resolved under: when an image goes away, or its full check refuses
 * records its first lookups answered from (wh_forget_all), the salt moves
 * and every entry is stale at once, so no name of an unloaded image is
 * ever handed out from here.  Salts have bit 63 set and keys never do, so
 * no tag is 0 and an empty entry never matches.  Lock-free and
 * async-signal-safe (a writer interrupted by a signal handler on its own
 * thread leaves its entry odd: the handler misses, never waits).
 */
#ifndef WHENCE_RUNTIME_FCACHE_H
#define WHENCE_RUNTIME_FCACHE_H

#include "arch/arch.h"
#include "internal.h"

#include <stddef.h>
#include <string.h>

#define WH_FC_BITS 9

/* The sequence word (the answer's word 6): inlined in the low byte (0 or
 * 1: copied as whence_frame's bool), the hop flag in the next, then the
 * sequence, odd while a writer holds the entry. */
#define WH_FC_INLINED ((uint64_t)1)
#define WH_FC_HOP     ((uint64_t)1 << 8)
#define WH_FC_SEQ1    ((uint64_t)1 << 16)

struct wh_fc {
    _Atomic uint64_t w[7]; /* whence_frame's 56 bytes; w[6]: inlined | flags | seq */
    _Atomic uintptr_t tag; /* key ^ salt */
} __attribute__((aligned(64)));

_Static_assert(sizeof(whence_frame) == 7 * 8 && offsetof(whence_frame, pc) == 0 &&
                   offsetof(whence_frame, func) == 8 && offsetof(whence_frame, function) == 16 &&
                   offsetof(whence_frame, file) == 24 && offsetof(whence_frame, line) == 32 &&
                   offsetof(whence_frame, column) == 36 && offsetof(whence_frame, entry) == 40 &&
                   offsetof(whence_frame, inlined) == 48 && sizeof(bool) == 1,
               "whence_frame's layout, as the cache copies it");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "inlined is the low byte of w[6]");

WH_HIDDEN extern struct wh_fc wh_fcache[1u << WH_FC_BITS];
WH_HIDDEN extern _Atomic uint64_t wh_fc_salt;

static inline struct wh_fc *wh_fc_slot(uintptr_t key) {
    return &wh_fcache[(key * 0x9e3779b97f4a7c15ull) >> (64 - WH_FC_BITS)];
}

/* The key of logical frame k (<= WH_TOKEN_MAX) of entry e (a return
 * address, WH_TOKEN_EXACT or WH_TOKEN_LOC, no skip): the token, with the
 * loc bit moved down to bit 54 so that bit 63 stays clear.  0 (not cached)
 * for bits 52..54 set, which no real address has. */
static inline uintptr_t wh_fc_key(uintptr_t e, uint32_t k) {
    if (WH_UNLIKELY(e & ((uintptr_t)7 << 52 | WH_TOKEN_LOC))) {
        if (e & ((uintptr_t)7 << 52))
            return 0;
        e = (e & ~WH_TOKEN_LOC) | (uintptr_t)1 << 54;
    }
    return e | (uintptr_t)k << WH_TOKEN_SHIFT;
}
/* whence_caller's key: the return address into its caller and the skip
 * (<= WH_TOKEN_MAX).  For a skip within that return address's logical
 * frames it is that frame's wh_fc_key; for one past them, the entry has
 * WH_FC_HOP (the answer is in the next frame record up). */
static inline uintptr_t wh_fc_caller_key(uintptr_t ra, uint32_t skip) {
    return ra | (uintptr_t)skip << WH_TOKEN_SHIFT;
}

static inline uint64_t wh_fc_now(void) {
    return atomic_load_explicit(&wh_fc_salt, memory_order_acquire);
}

/* Words 0 to 5 of entry c into *out, as they are (a writer may be changing
 * them: the caller checks the sequence word afterwards).  On x86-64 three
 * 16-byte moves, in assembly: outside the C memory model, so that neither
 * the compiler nor a race detector takes the sequence lock's racing reads
 * for the program's (every write to the entry is an atomic store);
 * elsewhere word by word. */
static inline __attribute__((always_inline)) void wh_fc_copy6(whence_frame *out,
                                                              struct wh_fc *c) {
#if defined(__x86_64__)
    __asm__ volatile("movups (%1), %%xmm0\n\t"
                     "movups %%xmm0, (%0)\n\t"
                     "movups 16(%1), %%xmm0\n\t"
                     "movups %%xmm0, 16(%0)\n\t"
                     "movups 32(%1), %%xmm0\n\t"
                     "movups %%xmm0, 32(%0)"
                     :
                     : "r"(out), "r"(c)
                     : "xmm0", "memory");
#else
    char *o = (char *)out;
    for (int i = 0; i < 6; i++) {
        uint64_t v = atomic_load_explicit(&c->w[i], memory_order_relaxed);
        memcpy(o + 8 * i, &v, 8);
    }
#endif
}

/* Copies entry c into *out if it holds key under the current salt: words 0
 * to 5 as they are, inlined from the sequence word.  On false *out is
 * garbage for the caller to overwrite.  fp: for a WH_FC_HOP entry, the
 * frame of the function that asks (whose return address is the key's):
 * the return address in its caller's frame record must be the one the
 * answer names (0: hop entries are refused). */
static inline __attribute__((always_inline)) bool wh_fc_read(uintptr_t key, uintptr_t fp,
                                                             whence_frame *out, uint64_t *flags) {
    struct wh_fc *c = wh_fc_slot(key);
    uint64_t s = atomic_load_explicit(&c->w[6], memory_order_acquire);
    if (atomic_load_explicit(&c->tag, memory_order_relaxed) !=
        (key ^ atomic_load_explicit(&wh_fc_salt, memory_order_relaxed)))
        return false;
    if (s & WH_FC_HOP) {
        /* The tag proves the key's return address is in instrumented code
         * (only such keys are written), whose frame keeps its record; and
         * fp's saved frame pointer is that function's own, pushed by the
         * asker's prologue: its frame, whatever else raced. */
        if (!fp)
            return false;
        uintptr_t next = ((const uintptr_t *)fp)[0];
        uintptr_t pc = atomic_load_explicit(&c->w[0], memory_order_relaxed);
        /* pc is that return address - 1 with the skip in bits 56..62 */
        if (((wh_strip_ra(((const uintptr_t *)next)[1]) - 1) ^ pc) << (64 - WH_TOKEN_SHIFT))
            return false;
    }
    wh_fc_copy6(out, c);
    memcpy(&out->inlined, &s, 1); /* the low byte: 0 or 1 */
    if (flags)
        *flags = s;
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(&c->w[6], memory_order_relaxed) == (s & ~WH_FC_SEQ1);
}

/* Remembers frame f under key, resolved under salt (wh_fc_now, read
 * before resolving, so that an image unloaded meanwhile leaves the entry
 * stale); flags: WH_FC_HOP or 0.  Does nothing when the entry is busy. */
WH_HIDDEN void wh_fc_put(uintptr_t key, const whence_frame *f, uint64_t flags, uint64_t salt);
/* Makes every entry stale (an image went away). */
WH_HIDDEN void wh_fc_forget_all(void);

#endif /* WHENCE_RUNTIME_FCACHE_H */
