/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * left.c - a whence call that a signal handler left by longjmp.
 *
 * whence's warm paths are async-signal-safe, and POSIX lets a handler
 * that interrupted one leave it with siglongjmp (a SIGALRM timeout, a
 * watchdog).  Then the call's exit never runs: its thread's reader record
 * stayed "inside" (readers.c), and every later dlclose of an instrumented
 * library waited for it for ever; a build it had claimed (a slot's index,
 * registry.c) stayed claimed by a thread that would not finish it.
 *
 * The one-time work a lookup claims (builds, a file's opening) runs with
 * the asynchronous signals blocked (threads.c: wh_async_off), so no timer
 * leaves it.  What is left is the lookup itself: a call is known by its
 * frame's address.  A call nested in another (a signal handler's, on the
 * same stack) has its frame below the other's; so a later call of the
 * same thread whose frame is at or above it, on the same stack, proves
 * that the first one's frame is gone.  On the alternate signal stack the
 * thread's own stack may hold anything below the handler, so a call there
 * is nested in whatever is on the other.  A claim made inside a lookup is
 * known by the count of its thread's lookups finished before it.
 *
 * Another thread cannot tell a call left this way from a slow one (where a
 * thread waits in a system call says nothing: pthread_join's frames go
 * deeper than a lookup's): a lookup's record is waited for until its
 * thread calls whence again (said once after 10 s), and a build, which
 * another thread's lookup can do without, is not waited for long.
 */
#define _GNU_SOURCE
#include "internal.h"

#include "arch/arch.h"
#include "dlfo.h"

#include <errno.h>
#include <signal.h>

WH_RT bool wh_frame_left(uintptr_t then, uintptr_t now) {
    if (!then || now < then)
        return false;
    int e = errno; /* (from signal handlers too) */
    stack_t ss;
    bool alt = sigaltstack(NULL, &ss) == 0 && !(ss.ss_flags & SS_DISABLE) && ss.ss_size;
    errno = e;
    if (!alt)
        return true;
    uintptr_t lo = (uintptr_t)ss.ss_sp;
    bool now_alt = now - lo < ss.ss_size, then_alt = then - lo < ss.ss_size;
    return !now_alt || then_alt;
}

/* Whether the call whose frame was `then` was left, asked from a later
 * call whose frame is here (below it).  A call's entry into a lookup is at
 * a depth that depends on the path (whence_func_line goes deeper than
 * whence_func_for_pc): asked from whence's own frames, the frame that
 * counts is the outermost of them, the API function's the program called.
 * But a lookup may also make another inside it (whence_format_stack asks
 * for lines): then `then` is one of the frames on the way up.  Without
 * _dl_find_object (a static program), here alone. */
WH_RT static bool left_below(uintptr_t then, uintptr_t then_ra, uintptr_t f) {
    static _Atomic uintptr_t text_lo, text_hi;
    uintptr_t lo = atomic_load_explicit(&text_lo, memory_order_relaxed);
    uintptr_t hi = atomic_load_explicit(&text_hi, memory_order_relaxed);
    if (!hi) {
#ifdef WH_HAVE_DLFO
        struct dl_find_object fo;
        if (_dl_find_object && _dl_find_object((void *)(uintptr_t)&left_below, &fo) == 0) {
            lo = (uintptr_t)fo.dlfo_map_start, hi = (uintptr_t)fo.dlfo_map_end;
            atomic_store_explicit(&text_lo, lo, memory_order_relaxed);
            atomic_store_explicit(&text_hi, hi, memory_order_relaxed);
        }
#endif
        if (!hi)
            return false;
    }
    /* (whence's frames keep their frame records: each one's caller is
     * read from it while that caller is whence's own code) */
    for (unsigned i = 0; i < 64; i++) {
        uintptr_t next = ((const uintptr_t *)f)[0], ra = wh_strip_ra(((const uintptr_t *)f)[1]);
        if (ra < lo || ra >= hi || next <= f || next - f > (1u << 20))
            break;
        /* made inside that call (not a frame of another function at the
         * same place: a path's frames lie where another's did) */
        if (next == then && (!then_ra || wh_strip_ra(((const uintptr_t *)next)[1]) ==
                                             wh_strip_ra(then_ra)))
            return false;
        f = next;
    }
    return wh_frame_left(then, f);
}

WH_RT bool wh_call_left(uintptr_t then, uintptr_t then_ra, uintptr_t here) {
    if (!then)
        return false;
    return here >= then ? wh_frame_left(then, here) : left_below(then, then_ra, here);
}

/* A claim's mark: made inside a lookup that is alone on its thread, the
 * count of the thread's lookups finished before it (odd: the low bit
 * set); else the claimer's frame.  A lookup's own frame may be at any
 * depth in the call that made it (a first line lookup opens the file from
 * whence_func_for_pc or whence_func_line): the count tells its lookup
 * from a later one exactly. */
WH_RT uintptr_t wh_claim_mark(uintptr_t here) {
    struct wh_reader *r = wh_me;
    if (r && atomic_load_explicit(&r->nest, memory_order_relaxed) == 1)
        return (uintptr_t)atomic_load_explicit(&r->done, memory_order_relaxed) << 1 | 1;
    return here;
}

WH_RT bool wh_claim_left(uintptr_t mark, uintptr_t here) {
    if (!(mark & 1))
        return wh_call_left(mark, 0, here);
    struct wh_reader *r = wh_me;
    uint32_t n = r ? atomic_load_explicit(&r->nest, memory_order_relaxed) : 0;
    if (n == 0)
        return true; /* its lookup is no longer in progress */
    if (n == 1) /* another lookup, alone: that one finished or was left */
        return (uint32_t)(mark >> 1) != atomic_load_explicit(&r->done, memory_order_relaxed);
    return false; /* a handler's, maybe nested in it */
}
