/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fcache.c - the writer half of the resolved-frame cache (fcache.h).
 */
#include "fcache.h"

struct wh_fc wh_fcache[1u << WH_FC_BITS];

/* Salt n is n * an odd constant with bit 63 set: distinct for 2^63
 * generations (two products that differ only in bit 63 are 2^63 apart). */
#define WH_FC_MUL 0xd6e8feb86659fd93ull
#define WH_FC_TOP ((uint64_t)1 << 63)
_Atomic uint64_t wh_fc_salt = WH_FC_TOP;
static _Atomic uint64_t wh_fc_gen;

WH_RT void wh_fc_put(uintptr_t key, const whence_frame *f, uint64_t flags, uint64_t salt) {
    if (!key || (key & WH_FC_TOP) || !(salt & WH_FC_TOP))
        return;
    struct wh_fc *c = wh_fc_slot(key);
    uint64_t s = atomic_load_explicit(&c->w[6], memory_order_relaxed);
    if ((s & WH_FC_SEQ1) ||
        !atomic_compare_exchange_strong_explicit(&c->w[6], &s, s + WH_FC_SEQ1,
                                                 memory_order_acquire, memory_order_relaxed))
        return; /* another writer (maybe the code this handler interrupted) */
    atomic_thread_fence(memory_order_release);
    uint64_t w[6];
    memcpy(w, f, sizeof w);
    atomic_store_explicit(&c->tag, key ^ salt, memory_order_relaxed);
    for (int i = 0; i < 6; i++)
        atomic_store_explicit(&c->w[i], w[i], memory_order_relaxed);
    uint64_t seq = (s + 2 * WH_FC_SEQ1) & ~(WH_FC_SEQ1 - 1);
    atomic_store_explicit(&c->w[6],
                          seq | (f->inlined ? WH_FC_INLINED : 0) | (flags & WH_FC_HOP),
                          memory_order_release);
}

/* Called under the registry lock; the salt is published after the
 * counter moved, so salts never repeat even if two calls raced. */
WH_RT void wh_fc_forget_all(void) {
    uint64_t n = atomic_fetch_add_explicit(&wh_fc_gen, 1, memory_order_acq_rel) + 1;
    atomic_store_explicit(&wh_fc_salt, (n * WH_FC_MUL) | WH_FC_TOP, memory_order_seq_cst);
}
