/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fcache.h - the resolved-frame cache: logical frame k of a walk entry e
 * (a return address, an interrupted pc or a slot's loc token) -> the whole
 * whence_frame, so that asking again for a frame already named (the same
 * caller of a log function, the same stack printed twice) costs one cache
 * line instead of a lookup.
 *
 * Direct-mapped, one 64-byte line per entry, shared by all threads.  Each
 * entry is guarded by a sequence word (seed 002: a reader must never see one
 * entry's key with another's answer): a writer claims it with a CAS to an odd
 * value, writes, and releases it even; a reader takes a copy and keeps it
 * only if the sequence was even and unchanged around the copy.  Entries
 * carry the generation of the registry they were resolved under: when an
 * image goes away (wh_forget_all) the generation moves and every entry is
 * stale at once, so no name of an unloaded image is ever handed out from
 * here.  Lock-free and async-signal-safe (a writer interrupted by a signal
 * handler on its own thread leaves its entry odd: the handler misses, never
 * waits).
 */
#ifndef WHENCE_RUNTIME_FCACHE_H
#define WHENCE_RUNTIME_FCACHE_H

#include "internal.h"

#define WH_FC_BITS 9

struct wh_fc {
    _Atomic uint64_t seq;
    _Atomic uintptr_t tag;       /* wh_fc_tag(key, generation); 0 = empty */
    _Atomic uintptr_t pc, func, entry, function, file;
    _Atomic uint64_t lcd;        /* line | column << 32 | depth << 48 | inlined << 63 */
} __attribute__((aligned(64)));

WH_HIDDEN extern struct wh_fc wh_fcache[1u << WH_FC_BITS];
WH_HIDDEN extern _Atomic uint64_t wh_fc_gen;

static inline struct wh_fc *wh_fc_slot(uintptr_t key) {
    return &wh_fcache[(key * 0x9e3779b97f4a7c15ull) >> (64 - WH_FC_BITS)];
}

/* The key as stored: mixed with the generation it was resolved under, so
 * that an entry of an older generation never matches (two generations
 * mixing alike is a 2^-64 chance). */
static inline uintptr_t wh_fc_tag(uintptr_t key, uint64_t gen) {
    return key ^ (gen * 0xd6e8feb86659fd93ull);
}

/* Fills *out (and *depth: the entry's logical frames) from the cache:
 * false when key is not there. */
static inline bool wh_fc_get(uintptr_t key, whence_frame *out, uint32_t *depth) {
    struct wh_fc *c = wh_fc_slot(key);
    uint64_t s = atomic_load_explicit(&c->seq, memory_order_acquire);
    uintptr_t tag = wh_fc_tag(key, atomic_load_explicit(&wh_fc_gen, memory_order_relaxed));
    if (WH_UNLIKELY(s & 1) || atomic_load_explicit(&c->tag, memory_order_relaxed) != tag)
        return false;
    uintptr_t pc = atomic_load_explicit(&c->pc, memory_order_relaxed);
    uintptr_t func = atomic_load_explicit(&c->func, memory_order_relaxed);
    uintptr_t entry = atomic_load_explicit(&c->entry, memory_order_relaxed);
    uintptr_t function = atomic_load_explicit(&c->function, memory_order_relaxed);
    uintptr_t file = atomic_load_explicit(&c->file, memory_order_relaxed);
    uint64_t lcd = atomic_load_explicit(&c->lcd, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (WH_UNLIKELY(atomic_load_explicit(&c->seq, memory_order_relaxed) != s))
        return false;
    out->pc = pc;
    out->func = (const whence_func *)func;
    out->function = (const char *)function;
    out->file = (const char *)file;
    out->line = (int)(uint32_t)lcd;
    out->column = (int)(uint16_t)(lcd >> 32);
    out->entry = entry;
    out->inlined = (lcd >> 63) != 0;
    *depth = (uint32_t)(lcd >> 48) & 0x7fff;
    return true;
}

/* wh_fc_get for whence_caller's fast path: writes *out while it reads (no
 * registers held for the whole frame), so on false *out is garbage for the
 * caller to overwrite. */
static inline bool wh_fc_copy(uintptr_t key, whence_frame *out) {
    struct wh_fc *c = wh_fc_slot(key);
    uint64_t s = atomic_load_explicit(&c->seq, memory_order_acquire);
    uintptr_t tag = wh_fc_tag(key, atomic_load_explicit(&wh_fc_gen, memory_order_relaxed));
    if (WH_UNLIKELY(s & 1) || atomic_load_explicit(&c->tag, memory_order_relaxed) != tag)
        return false;
    out->pc = atomic_load_explicit(&c->pc, memory_order_relaxed);
    out->func = (const whence_func *)atomic_load_explicit(&c->func, memory_order_relaxed);
    out->entry = atomic_load_explicit(&c->entry, memory_order_relaxed);
    out->function = (const char *)atomic_load_explicit(&c->function, memory_order_relaxed);
    out->file = (const char *)atomic_load_explicit(&c->file, memory_order_relaxed);
    uint64_t lcd = atomic_load_explicit(&c->lcd, memory_order_relaxed);
    out->line = (int)(uint32_t)lcd;
    out->column = (int)(uint16_t)(lcd >> 32);
    out->inlined = (lcd >> 63) != 0;
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(&c->seq, memory_order_relaxed) == s;
}

/* The generation to resolve a frame under: read it before resolving, so
 * that an image unloaded meanwhile leaves the answer stale. */
static inline uint64_t wh_fc_now(void) {
    return atomic_load_explicit(&wh_fc_gen, memory_order_acquire);
}
/* Remembers frame f (logical frame k of e, of an entry depth frames deep,
 * resolved under generation gen) under key; does nothing when the entry is
 * busy. */
WH_HIDDEN void wh_fc_put(uintptr_t key, const whence_frame *f, uint32_t depth, uint64_t gen);
/* Makes every entry stale (an image went away). */
WH_HIDDEN void wh_fc_forget_all(void);

#endif /* WHENCE_RUNTIME_FCACHE_H */
