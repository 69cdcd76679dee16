/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * readers.c - a lookup of a pc of an image that another thread is unloading
 * finishes before the image is unmapped.
 *
 * whence_func_for_pc, whence_func_line, whence_frames_next and
 * whence_format_stack take any pc: one captured earlier (a leak tracker, a
 * logger, a profiler's writer) may belong to a library that another thread
 * dlcloses while the lookup reads its records.  The library's module
 * destructor (__whence_unregister) runs before the unmap: it marks the
 * image gone and then waits here until every lookup that may have seen it
 * alive has returned.
 *
 * A lookup costs its thread two plain stores (wh_read_enter/exit,
 * internal.h): each thread owns a record with its nesting depth (a signal
 * handler's lookup nests in the one it interrupted) and a count of lookups
 * finished.  The unregistering thread makes them visible with one
 * membarrier (every running thread executes a full barrier: the reader's
 * store of its depth and the unregistering thread's store of the image's
 * state cannot both be missed), then waits for each thread that was inside
 * a lookup to leave it.  This is the memory-barrier flavour of userspace
 * RCU, with the readers' fences moved to the rare writer.  Without
 * membarrier (kernels before 4.14, seccomp) the wait is the same, without
 * the guarantee.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Records come in blocks: the first static, more mapped as threads at
 * once outnumber them (never unmapped: a record is reused once its thread
 * has exited).  A thread without a record would look up unguarded, and
 * 1,100 threads naming pcs of a library being unloaded crashed. */
#define WH_NREADERS 1024

struct wh_readers {
    struct wh_reader r[WH_NREADERS];
    _Atomic uint32_t n;                   /* high-water mark */
    struct wh_readers *_Atomic next;
};

__thread struct wh_reader *wh_me __attribute__((tls_model("initial-exec")));
static struct wh_readers wh_readers;

WH_RT static struct wh_reader *claim(struct wh_reader *r) {
    atomic_store_explicit(&r->nest, 0, memory_order_relaxed);
    wh_me = r;
    return r;
}

WH_RT struct wh_reader *wh_reader_new(void) {
    int me = wh_gettid();
    for (struct wh_readers *b = &wh_readers; b;) {
        uint32_t n = atomic_load_explicit(&b->n, memory_order_acquire);
        /* a record of a thread that has exited (or, in a fork's child, of
         * the parent's threads) */
        for (uint32_t i = 0; i < n; i++) {
            struct wh_reader *r = &b->r[i];
            int t = atomic_load_explicit(&r->tid, memory_order_relaxed);
            if (t != 0 && t != me && !wh_tid_gone(t))
                continue;
            if (atomic_compare_exchange_strong(&r->tid, &t, me))
                return claim(r);
        }
        while (n < WH_NREADERS) {
            if (atomic_compare_exchange_weak(&b->n, &n, n + 1)) {
                atomic_store_explicit(&b->r[n].tid, me, memory_order_release);
                return claim(&b->r[n]);
            }
        }
        struct wh_readers *next = atomic_load_explicit(&b->next, memory_order_acquire);
        if (!next) {
            /* (mmap: no lock, async-signal-safe; zeroed) */
            struct wh_readers *fresh = wh_map(sizeof *fresh);
            if (!fresh)
                return NULL; /* (unguarded, as before the blocks) */
            if (atomic_compare_exchange_strong(&b->next, &next, fresh))
                next = fresh;
            else
                wh_unmap(fresh, sizeof *fresh);
        }
        b = next;
    }
    return NULL;
}

_Static_assert(sizeof(struct wh_reader) == 64, "one cache line each");

WH_RT uint32_t wh_read_nested(struct wh_reader *r, uintptr_t frame) {
    uint32_t n = atomic_load_explicit(&r->nest, memory_order_relaxed);
    if (!wh_call_left(atomic_load_explicit(&r->frame, memory_order_relaxed),
                      atomic_load_explicit(&r->ra, memory_order_relaxed), frame))
        return n;
    /* Every lookup of this thread in progress was below this frame (a
     * handler's nests deeper): all of them were left. */
    atomic_store_explicit(&r->nest, 0, memory_order_release);
    atomic_store_explicit(&r->done, atomic_load_explicit(&r->done, memory_order_relaxed) + 1,
                          memory_order_release);
    return 0;
}

static _Atomic int wh_mb_state; /* 0 unknown, 1 private expedited, 2 none */

WH_RT static void all_threads_fence(void) {
    int st = atomic_load_explicit(&wh_mb_state, memory_order_relaxed);
    if (st == 0) {
        st = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 ? 1 : 2;
        atomic_store_explicit(&wh_mb_state, st, memory_order_relaxed);
    }
    if (st != 1 || syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
        atomic_thread_fence(memory_order_seq_cst);
}

/* A lookup that a signal handler left by a longjmp stays "inside" until
 * its thread looks up again (left.c), which it may never do: after 10 s
 * the wait is said, once. */
WH_RT static void say_waiting(int t) {
    if (!wh_once(WH_ONCE_WAITING))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: unloading an image waits for ");
    wh_put_thread(&w, t);
    wh_buf_str(&w, ", inside a whence lookup for 10 s\n");
    wh_buf_flush(&w);
}

/* Waits for each thread of block b that is inside a lookup to leave it. */
WH_RT static void wait_block(struct wh_readers *b, int me) {
    uint32_t n = atomic_load_explicit(&b->n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_reader *r = &b->r[i];
        int t = atomic_load_explicit(&r->tid, memory_order_acquire);
        if (t == 0 || t == me || atomic_load_explicit(&r->nest, memory_order_acquire) == 0)
            continue;
        uint32_t done = atomic_load_explicit(&r->done, memory_order_acquire);
        uint64_t t0 = 0;
        for (unsigned spins = 0;; spins++) {
            if (atomic_load_explicit(&r->nest, memory_order_acquire) == 0 ||
                atomic_load_explicit(&r->done, memory_order_acquire) != done ||
                atomic_load_explicit(&r->tid, memory_order_relaxed) != t)
                break;
            if ((spins & 63) == 63) {
                if (wh_tid_gone(t))
                    break;
                uint64_t now = (uint64_t)whence_nanotime();
                if (!t0)
                    t0 = now;
                else if (now - t0 > 10000000000u)
                    say_waiting(t);
            }
            wh_nap(spins);
        }
    }
}

WH_RT void wh_readers_wait(void) {
    atomic_thread_fence(memory_order_seq_cst);
    all_threads_fence();
    int me = wh_gettid();
    for (struct wh_readers *b = &wh_readers; b; b = atomic_load_explicit(&b->next, memory_order_acquire))
        wait_block(b, me);
}
