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
 * A call is known by its frame's address.  A call nested in another (a
 * signal handler's, on the same stack) has its frame below the other's;
 * so a later call of the same thread whose frame is at or above it, on
 * the same stack, proves that the first one's frame is gone.  On the
 * alternate signal stack the thread's own stack may hold anything below
 * the handler, so a call there is nested in whatever is on the other.
 *
 * Another thread cannot tell a call left this way from a slow one (where a
 * thread waits in a system call says nothing: pthread_join's frames go
 * deeper than a lookup's): a lookup's record is waited for until its
 * thread calls whence again (said once after 10 s), and a build, which
 * another thread's lookup can do without, is not waited for long.
 */
#define _GNU_SOURCE
#include "internal.h"

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
