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
 * one at a time and called with no lock held, so concurrent whence_gc
 * callers never run one twice and a finalizer may allocate or collect.
 */
#define _GNU_SOURCE
#include "gc_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

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

void whence_gc_clear_dead_stack(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t lo, hi;
    thread_stack(&lo, &hi);
    size_t n = CLEAR_BYTES;
    /* Only on the thread's own stack: on a coroutine or signal stack we
     * do not know where the memory below us ends. */
    if (lo == 0 || sp > hi || sp <= lo + CLEAR_MARGIN)
        return;
    if (sp - lo - CLEAR_MARGIN < n)
        n = sp - lo - CLEAR_MARGIN;
    clear_below(n);
}

void whence_gc(void)
{
    whence_gc_enter();
    whence_gc_clear_dead_stack();
    GC_gcollect();
    while (GC_should_invoke_finalizers())
        GC_invoke_finalizers();
}
