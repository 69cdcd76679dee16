/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gc_collect.c - whence_gc(): clear the dead stack, collect, run finalizers.
 *
 * Stale pointer copies in the frames of returned callees (below the stack
 * pointer) keep objects alive at -O0 and -O2: the collector's own frames
 * reuse that memory without initialising it and are scanned conservatively.
 * BDWGC's GC_clear_stack does not remove them (verified on this machine), so
 * the region below our frame is zeroed first.
 *
 * Finalizers are dequeued by GC_invoke_finalizers under the collector's lock
 * one at a time and called with no lock held, so a finalizer may allocate
 * or collect.  One at a time in the whole process, too, as Go's single
 * finalizer goroutine runs them: Go code's finalizers take no locks of
 * their own (two threads collecting at once ran two together).  A
 * collection inside a finalizer leaves what it made ready to the loop
 * already running.
 */
#define _GNU_SOURCE
#include "gc_internal.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* How much dead stack to clear, and how much to leave untouched above the
 * thread's guard page. */
#define CLEAR_BYTES  (64u * 1024u)
#define CLEAR_MARGIN (16u * 1024u)

/* The thread's stack [lo, hi); both 0 when unknown. */
static __thread uintptr_t stack_lo, stack_hi;
static __thread int stack_known;

static void thread_stack(uintptr_t *lo, uintptr_t *hi)
{
    if (!stack_known) {
        pthread_attr_t a;
        void *addr = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &a) == 0) {
            pthread_attr_getstack(&a, &addr, &size);
            pthread_attr_destroy(&a);
        }
        stack_lo = (uintptr_t)addr;
        stack_hi = (uintptr_t)addr + size;
        stack_known = 1;
    }
    *lo = stack_lo;
    *hi = stack_hi;
}

__attribute__((noinline)) static void clear_below(size_t n)
{
    unsigned char *p = __builtin_alloca(n);
    memset(p, 0, n);
    /* The memset must happen although the buffer is never read. */
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* Zeroes the unused stack below sp, so stale pointer copies left by
 * returned callees are not scanned as roots.  sp lies on the thread's own
 * stack, whose low end is lo (0: unknown, nothing is cleared): elsewhere
 * we would not know where the memory below us ends. */
static void clear_dead_stack(uintptr_t sp, uintptr_t lo)
{
    size_t n = CLEAR_BYTES;
    if (lo == 0 || sp <= lo + CLEAR_MARGIN)
        return;
    if (sp - lo - CLEAR_MARGIN < n)
        n = sp - lo - CLEAR_MARGIN;
    clear_below(n);
}

static pthread_mutex_t fin_lock = PTHREAD_MUTEX_INITIALIZER;
/* The frame of this thread's finalizer loop (it holds fin_lock), 0 none:
 * a collection from deeper down is a finalizer's; one from here or
 * further up finds the loop left by a longjmp out of a finalizer, and
 * takes its lock back. */
static __thread uintptr_t fin_frame;

/* A fork while another thread runs finalizers leaves fin_lock held in the
 * child by a thread it does not have: its first whence_gc waited for good
 * (52 of 300 children, helper-120).  The child's one thread holds it only
 * if it forked from its own finalizer loop (then it unlocks it as it
 * leaves). */
static void fin_lock_in_child(void)
{
    if (!fin_frame)
        fin_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}

__attribute__((constructor)) static void fin_lock_fork(void)
{
    pthread_atfork(NULL, NULL, fin_lock_in_child);
}

void whence_gc(void)
{
    whence_gc_enter();
    /* Not on the thread's own stack (a coroutine's, a signal handler's
     * alternate stack): BDWGC would scan from here to the thread stack's
     * base, over unmapped memory (it crashed) or past the whole thread
     * stack (its objects freed in use).  Nothing is collected then. */
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo, hi;
    thread_stack(&lo, &hi);
    /* A signal stack inside the thread's stack (an array in a frame) is
     * told apart by the kernel's own answer: the frames below that array
     * were not scanned (their objects freed in use), and the dead-stack
     * clear zeroed them (helper-120).  A coroutine stack inside it is not
     * (docs/LIVENESS.md). */
    stack_t ss;
    bool alt = sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK);
    if (alt || (lo && (sp <= lo || sp > hi))) {
        static _Atomic int said;
        static const char msg[] = "whence: whence_gc() called on a stack that is not its "
                                   "thread's own (a coroutine's or a signal stack): nothing "
                                   "collected; call it on the thread's stack\n";
        if (!atomic_exchange(&said, 1))
            (void)!write(2, msg, sizeof msg - 1);
        return;
    }
    clear_dead_stack(sp, lo);
    /* Finalizers run with cancellation off, as Go's finalizer goroutine
     * cannot be cancelled: one cancelled at a cancellation point (a
     * write, a sleep) would hold fin_lock for good, and every later
     * whence_gc wait for it.  A pending cancel acts after the return. */
    int cancel = PTHREAD_CANCEL_ENABLE;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
    GC_gcollect();
    if (fin_frame) {
        if (sp < fin_frame)
            return; /* (inside a finalizer: the loop runs what this made ready) */
        fin_frame = 0;
        pthread_mutex_unlock(&fin_lock);
    }
    pthread_mutex_lock(&fin_lock);
    fin_frame = sp;
    while (GC_should_invoke_finalizers())
        GC_invoke_finalizers();
    fin_frame = 0;
    pthread_mutex_unlock(&fin_lock);
    if (cancel != PTHREAD_CANCEL_DISABLE)
        pthread_setcancelstate(cancel, NULL);
}
