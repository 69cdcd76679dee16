/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fcache.c - the writer half of the resolved-frame cache (fcache.h).
 */
#include "fcache.h"

struct wh_fc wh_fcache[1u << WH_FC_BITS];
_Atomic uint64_t wh_fc_gen;

WH_RT void wh_fc_put(uintptr_t key, const whence_frame *f, uint32_t depth, uint64_t gen) {
    if (!key || depth > 0x7fff || f->line < 0 || f->column < 0 || f->column > 0xffff)
        return;
    struct wh_fc *c = wh_fc_slot(key);
    uint64_t s = atomic_load_explicit(&c->seq, memory_order_relaxed);
    if ((s & 1) || !atomic_compare_exchange_strong_explicit(&c->seq, &s, s + 1,
                                                            memory_order_acquire,
                                                            memory_order_relaxed))
        return; /* another writer (maybe the code this handler interrupted) */
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&c->tag, wh_fc_tag(key, gen), memory_order_relaxed);
    atomic_store_explicit(&c->pc, f->pc, memory_order_relaxed);
    atomic_store_explicit(&c->func, (uintptr_t)f->func, memory_order_relaxed);
    atomic_store_explicit(&c->entry, f->entry, memory_order_relaxed);
    atomic_store_explicit(&c->function, (uintptr_t)f->function, memory_order_relaxed);
    atomic_store_explicit(&c->file, (uintptr_t)f->file, memory_order_relaxed);
    atomic_store_explicit(&c->lcd,
                          (uint64_t)(uint32_t)f->line | (uint64_t)(uint32_t)f->column << 32 |
                              (uint64_t)depth << 48 | (uint64_t)(f->inlined != 0) << 63,
                          memory_order_relaxed);
    atomic_store_explicit(&c->seq, s + 2, memory_order_release);
}

WH_RT void wh_fc_forget_all(void) {
    atomic_fetch_add_explicit(&wh_fc_gen, 1, memory_order_release);
}
