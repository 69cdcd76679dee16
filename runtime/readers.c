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

/* Threads at once with a record (more: their lookups are unguarded). */
#define WH_NREADERS 1024

__thread struct wh_reader *wh_me __attribute__((tls_model("initial-exec")));
static struct wh_reader wh_readers[WH_NREADERS];
static _Atomic uint32_t wh_nreaders; /* high-water mark */

WH_RT struct wh_reader *wh_reader_new(void) {
    int me = wh_gettid();
    uint32_t n = atomic_load_explicit(&wh_nreaders, memory_order_acquire);
    /* a record of a thread that has exited (or, in a fork's child, of the
     * parent's threads) */
    for (uint32_t i = 0; i < n; i++) {
        struct wh_reader *r = &wh_readers[i];
        int t = atomic_load_explicit(&r->tid, memory_order_relaxed);
        if (t != 0 && t != me && !wh_tid_gone(t))
            continue;
        if (atomic_compare_exchange_strong(&r->tid, &t, me)) {
            atomic_store_explicit(&r->nest, 0, memory_order_relaxed);
            wh_me = r;
            return r;
        }
    }
    for (;;) {
        if (n >= WH_NREADERS)
            return NULL;
        if (atomic_compare_exchange_weak(&wh_nreaders, &n, n + 1))
            break;
    }
    struct wh_reader *r = &wh_readers[n];
    atomic_store_explicit(&r->tid, me, memory_order_release);
    wh_me = r;
    return r;
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

WH_RT void wh_readers_wait(void) {
    atomic_thread_fence(memory_order_seq_cst);
    all_threads_fence();
    int me = wh_gettid();
    uint32_t n = atomic_load_explicit(&wh_nreaders, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_reader *r = &wh_readers[i];
        int t = atomic_load_explicit(&r->tid, memory_order_acquire);
        if (t == 0 || t == me || atomic_load_explicit(&r->nest, memory_order_acquire) == 0)
            continue;
        uint32_t done = atomic_load_explicit(&r->done, memory_order_acquire);
        for (unsigned spins = 0;; spins++) {
            if (atomic_load_explicit(&r->nest, memory_order_acquire) == 0 ||
                atomic_load_explicit(&r->done, memory_order_acquire) != done ||
                atomic_load_explicit(&r->tid, memory_order_relaxed) != t)
                break;
            if ((spins & 63) == 63 && wh_tid_gone(t))
                break;
            wh_nap(spins);
        }
    }
}
