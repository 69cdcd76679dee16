/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * raw.c - stacks counted as they were captured, before anything is named:
 * the table the ring drains into.
 *
 * A drain runs in a signal handler (the one whose sample fills the ring to
 * a quarter) or in ordinary code (the dlclose hook, whence_profile_stop),
 * whichever holds the table's lock: a handler only ever tries it (and
 * leaves the samples in the ring if it is taken), ordinary code waits for
 * it.  Everything here is therefore what a signal handler may do: memory
 * from mmap/mremap, no lock but that flag, no library call.
 *
 * Stacks are keyed by their entries (innermost first) and counted with
 * their samples' weights.  The table stays valid across drains; names are
 * given when ordinary code converts it (agg.c), which also empties it.
 */
#include "profile.h"

#include <sched.h>
#include <string.h>
#include <time.h>

struct raw_stack {
    uint64_t hash;
    uint64_t count;
    uint32_t off, n;    /* entries in pool */
};

WH_RT bool wh_raw_trylock(struct wh_pr_raw *r) {
    int z = 0;
    return atomic_compare_exchange_strong_explicit(&r->lock, &z, 1, memory_order_acquire,
                                                   memory_order_relaxed);
}

WH_RT void wh_raw_lock(struct wh_pr_raw *r) {
    for (unsigned spins = 0; !wh_raw_trylock(r); spins++) {
        if (spins < 64) {
            sched_yield();
        } else {
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
        }
    }
}

WH_RT void wh_raw_unlock(struct wh_pr_raw *r) {
    atomic_store_explicit(&r->lock, 0, memory_order_release);
}

WH_RT static uint64_t raw_hash(const uintptr_t *pcs, uint32_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (uint32_t i = 0; i < n; i++)
        h = wh_mix64(h ^ pcs[i]);
    return h ? h : 1;
}

WH_RT static bool rehash(struct wh_pr_raw *r, uint32_t cap) {
    uint32_t *h = wh_map((size_t)cap * 4);
    if (!h)
        return false;
    uint32_t n = (uint32_t)(r->stacks.n / sizeof(struct raw_stack));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = (uint32_t)WH_VEC_AT(&r->stacks, struct raw_stack, i).hash & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    wh_unmap(r->index, (size_t)r->cap * 4);
    r->index = h;
    r->cap = cap;
    return true;
}

/* Counts pcs[0..n) weight times; false when out of memory. */
WH_RT static bool raw_add(struct wh_pr_raw *r, const uintptr_t *pcs, uint32_t n, uint64_t weight) {
    uint32_t ns = (uint32_t)(r->stacks.n / sizeof(struct raw_stack));
    if ((uint64_t)(ns + 1) * 2 > r->cap && !rehash(r, r->cap ? r->cap * 2 : 1024))
        return false;
    uint64_t h = raw_hash(pcs, n);
    uint32_t j = (uint32_t)h & (r->cap - 1);
    for (; r->index[j]; j = (j + 1) & (r->cap - 1)) {
        struct raw_stack *s = &WH_VEC_AT(&r->stacks, struct raw_stack, r->index[j] - 1);
        if (s->hash == h && s->n == n &&
            memcmp(&WH_VEC_AT(&r->pool, uintptr_t, s->off), pcs, (size_t)n * sizeof *pcs) == 0) {
            s->count += weight;
            return true;
        }
    }
    struct raw_stack s = {h, weight, (uint32_t)(r->pool.n / sizeof *pcs), n};
    if (r->pool.n / sizeof *pcs + n > UINT32_MAX ||
        !wh_vec_reserve(&r->pool, (size_t)n * sizeof *pcs) ||
        !wh_vec_reserve(&r->stacks, sizeof s))
        return false;
    wh_vec_push(&r->pool, pcs, (size_t)n * sizeof *pcs);
    wh_vec_push(&r->stacks, &s, sizeof s);
    r->index[j] = ns + 1;
    return true;
}

struct drain_ctx {
    struct wh_pr_raw *r;
};

WH_RT static void take(void *ctx, const uintptr_t *pcs, uint32_t n, uint32_t weight) {
    struct wh_pr_raw *r = ((struct drain_ctx *)ctx)->r;
    if (!raw_add(r, pcs, n, weight))
        atomic_fetch_add_explicit(&wh_pr_dropped, weight, memory_order_relaxed);
}

WH_RT void wh_raw_drain(struct wh_pr_raw *r, struct wh_pr_ring *ring, uint64_t sess) {
    struct drain_ctx c = {r};
    if (ring)
        wh_pr_drain(ring, sess, take, &c);
}

WH_RT void wh_raw_each(struct wh_pr_raw *r,
                       void (*fn)(void *ctx, const uintptr_t *pcs, uint32_t n, uint64_t count),
                       void *ctx) {
    uint32_t ns = (uint32_t)(r->stacks.n / sizeof(struct raw_stack));
    for (uint32_t i = 0; i < ns; i++) {
        const struct raw_stack *s = &WH_VEC_AT(&r->stacks, struct raw_stack, i);
        fn(ctx, &WH_VEC_AT(&r->pool, uintptr_t, s->off), s->n, s->count);
    }
}

WH_RT void wh_raw_clear(struct wh_pr_raw *r) {
    r->stacks.n = 0;
    r->pool.n = 0;
    if (r->index)
        memset(r->index, 0, (size_t)r->cap * 4);
}

WH_RT void wh_raw_free(struct wh_pr_raw *r) {
    wh_vec_free(&r->stacks);
    wh_vec_free(&r->pool);
    wh_unmap(r->index, (size_t)r->cap * 4);
    r->index = NULL;
    r->cap = 0;
}
