/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * ring.c - where the signal handler puts its samples: WH_PR_SLOTS fixed
 * 512-byte slots, shared by all threads, each with one state word.
 *
 *   claim   (handler) a slot whose word is 0 is taken with one CAS to
 *           session << 2 | WRITING, looking from a shared cursor at a few
 *           consecutive slots; none free: the sample is dropped and
 *           counted (a full ring never blocks a thread)
 *   commit  (handler) the stack is written in place, then the word becomes
 *           session << 2 | FULL with a release store
 *   drain   (whoever holds the raw table's lock, raw.c) every FULL slot of
 *           the running session is read and released with a store of 0;
 *           FULL slots of an older session (a handler that was still
 *           running when its session stopped) are released unread; WRITING
 *           slots are left to their writer
 *
 * Multi-writer, single reader at a time, no lock, no allocation after the
 * first start: what a signal handler may do.  Samples come out in no
 * particular order, which aggregation does not need.
 */
#include "profile.h"

#include <string.h>

static struct wh_pr_ring *_Atomic wh_pr_ring_p;
static atomic_flag wh_pr_ring_mapping = ATOMIC_FLAG_INIT;

WH_RT struct wh_pr_ring *wh_pr_ring_now(void) {
    return atomic_load_explicit(&wh_pr_ring_p, memory_order_acquire);
}

/* Called from whence_profile_start only (never in signal context). */
WH_RT struct wh_pr_ring *wh_pr_ring_get(void) {
    struct wh_pr_ring *r = atomic_load_explicit(&wh_pr_ring_p, memory_order_acquire);
    if (r)
        return r;
    while (atomic_flag_test_and_set_explicit(&wh_pr_ring_mapping, memory_order_acquire))
        ;
    r = atomic_load_explicit(&wh_pr_ring_p, memory_order_acquire);
    if (!r) {
        r = wh_map(sizeof *r);
        if (r)
            atomic_store_explicit(&wh_pr_ring_p, r, memory_order_release);
    }
    atomic_flag_clear_explicit(&wh_pr_ring_mapping, memory_order_release);
    return r;
}

#define WH_PR_PROBES 16

WH_RT struct wh_pr_slot *wh_pr_claim(struct wh_pr_ring *r, uint64_t sess) {
    uint64_t at = atomic_fetch_add_explicit(&r->cursor, 1, memory_order_relaxed);
    uint64_t mine = sess << 2 | WH_PR_WRITING;
    for (uint32_t i = 0; i < WH_PR_PROBES; i++) {
        struct wh_pr_slot *s = &r->slot[(at + i) % WH_PR_SLOTS];
        uint64_t free = WH_PR_FREE;
        if (atomic_load_explicit(&s->state, memory_order_relaxed) == WH_PR_FREE &&
            atomic_compare_exchange_strong_explicit(&s->state, &free, mine,
                                                    memory_order_acquire,
                                                    memory_order_relaxed)) {
            if (i)
                atomic_fetch_add_explicit(&r->cursor, i, memory_order_relaxed);
            return s;
        }
    }
    return NULL;
}

WH_RT void wh_pr_commit(struct wh_pr_ring *r, struct wh_pr_slot *s, uint64_t sess) {
    atomic_store_explicit(&s->state, sess << 2 | WH_PR_FULL, memory_order_release);
    atomic_fetch_add_explicit(&r->nfull, 1, memory_order_relaxed);
}

WH_RT uint32_t wh_pr_drain(struct wh_pr_ring *r, uint64_t sess,
                           void (*fn)(void *ctx, const uintptr_t *pcs, uint32_t n,
                                      uint32_t weight),
                           void *ctx) {
    if (!atomic_load_explicit(&r->nfull, memory_order_acquire))
        return 0;
    uint32_t got = 0, freed = 0;
    for (uint32_t i = 0; i < WH_PR_SLOTS; i++) {
        struct wh_pr_slot *s = &r->slot[i];
        uint64_t st = atomic_load_explicit(&s->state, memory_order_acquire);
        if ((st & 3) != WH_PR_FULL)
            continue;
        if (st >> 2 == sess && s->n <= WH_PR_WORDS) {
            fn(ctx, s->pcs, s->n, s->weight ? s->weight : 1);
            got++;
        }
        atomic_store_explicit(&s->state, WH_PR_FREE, memory_order_release);
        freed++;
    }
    atomic_fetch_sub_explicit(&r->nfull, freed, memory_order_relaxed);
    return got;
}

WH_RT void wh_pr_ring_reset(struct wh_pr_ring *r) {
    for (uint32_t i = 0; i < WH_PR_SLOTS; i++)
        atomic_store_explicit(&r->slot[i].state, WH_PR_FREE, memory_order_relaxed);
    atomic_store_explicit(&r->nfull, 0, memory_order_relaxed);
}
