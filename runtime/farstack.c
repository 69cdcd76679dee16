/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * farstack.c - a signal handler's work on a stack of whence's own when the
 * alternate signal stack it was delivered on has too little left.
 *
 * Rust gives its main thread and every std::thread an 8 KiB alternate
 * stack (SIGSTKSZ), and so do other runtimes and programs; the kernel's
 * signal frame takes 1-3 KiB of it.  A crash report, a SIGQUIT dump or a
 * thread's answer to a dump walks with 12 KiB and more: on such a stack
 * the walk stopped at its first frame, or ran off the stack's end and
 * the process died of SIGSEGV with no report (a thread's stack overflow:
 * Rust's handler, chained first, calls abort(), and whence's SIGABRT
 * handler's own frame met the guard page).
 *
 * So the handlers' entry points are small and, with less than they need
 * left, run the work on a stack mapped for it (makecontext/swapcontext:
 * system calls and register saves, no lock).  For that time the new
 * stack is also the thread's alternate stack, so that a signal inside the
 * work (abort() in a chained handler, a fault of the walk) is delivered
 * below it rather than at the top of the small stack, over the frames the
 * handler returns through; the small one is put back after.  Work that
 * never comes back (a chained handler that jumps out with siglongjmp)
 * leaves the thread that stack as its alternate stack: a larger one.
 *
 * A stack walked from inside the work (a report of abort() called by a
 * chained handler) goes on into the handler's caller: the work's first
 * frame returns, as far as a walk can tell (its frame record and what
 * unwind tables make of it), into run_far's caller, with that
 * caller's frame pointer, not into makecontext's __start_context, where
 * walks end.  So the work never returns there: it ends with setcontext.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <ucontext.h>

#define WH_FAR_STACK (128u << 10)
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31) /* (Linux 4.7; glibc 2.36 does not name it) */
#endif

struct far {
    ucontext_t back, ctx;
    void (*fn)(int, siginfo_t *, void *);
    int sig;
    siginfo_t *info;
    void *uc;
    stack_t mine;
    bool done;
};

static __thread struct far *wh_far_cur __attribute__((tls_model("initial-exec")));
/* Stacks mapped by this thread's handlers, one inside another's work: a
 * program's SA_NODEFER fault handler that faults itself, chained first,
 * is entered again on each fault, and each time the stack in use ran
 * short another was mapped: the process hung, growing by gigabytes
 * (helper-88).  Past WH_FAR_MAX the work runs where it is, and such a
 * recursion ends as it does without whence, when its stack runs out.
 * (Work left by a longjmp stays counted; its stack stays the thread's
 * alternate stack, with room enough.) */
#define WH_FAR_MAX 4
static __thread uint8_t wh_far_depth __attribute__((tls_model("initial-exec")));

WH_RT static void far_main(void) {
    struct far *f = wh_far_cur;
    sigaltstack(&f->mine, NULL); /* (allowed: not running on the old one) */
    f->fn(f->sig, f->info, f->uc);
    f->done = true;
    setcontext(&f->back);
}

/* The first frame of ctx returns into ra with frame pointer fp. */
WH_RT static void link_first_frame(ucontext_t *ctx, uintptr_t ra, uintptr_t fp) {
#if defined(__x86_64__)
    /* (makecontext put the return address at the stack pointer) */
    *(uintptr_t *)ctx->uc_mcontext.gregs[REG_RSP] = ra;
    ctx->uc_mcontext.gregs[REG_RBP] = (greg_t)fp;
#elif defined(__aarch64__)
    ctx->uc_mcontext.regs[30] = ra; /* (the link register) */
    ctx->uc_mcontext.regs[29] = fp;
#else
    (void)ctx, (void)ra, (void)fp;
#endif
}

/* What is left of the alternate stack below this frame, from the signal
 * frame's record of it (no system call: the SIGPROF handler asks at every
 * sample); SIZE_MAX when not on it. */
WH_RT static size_t room_left(const void *uc) {
    if (!uc)
        return wh_altstack_room();
    const stack_t *st = &((const ucontext_t *)uc)->uc_stack;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo = (uintptr_t)st->ss_sp;
    if ((st->ss_flags & SS_DISABLE) || !st->ss_size || sp < lo || sp - lo >= st->ss_size)
        return SIZE_MAX;
    return sp - lo;
}

WH_RT __attribute__((noinline)) static bool run_far(size_t need,
                                                    void (*fn)(int, siginfo_t *, void *), int sig,
                                                    siginfo_t *info, void *uc) {
    if (room_left(uc) >= need || wh_far_depth >= WH_FAR_MAX)
        return false;
    /* [the record][a guard page][the stack]: a recursion on the stack
     * (an SA_NODEFER handler that faults itself, chained first) meets the
     * guard, where the kernel cannot deliver and the process dies, as it
     * would on its own stack; without it, it ran down over the record and
     * whatever was mapped below (AArch64 delivers below an alternate
     * stack's end; a hang under qemu). */
    size_t pg = (size_t)getauxval(AT_PAGESZ);
    if (!pg || (pg & (pg - 1)))
        pg = 4096;
    size_t head = (sizeof(struct far) + pg - 1) & ~(pg - 1), size = head + pg + WH_FAR_STACK;
    struct far *f = wh_map(size);
    if (!f)
        return false;
    if (mprotect((char *)f + head, pg, PROT_NONE) != 0) {
        wh_unmap(f, size);
        return false;
    }
    head += pg;
    stack_t old;
    if (sigaltstack(NULL, &old) != 0 || getcontext(&f->ctx) != 0) {
        wh_unmap(f, size);
        return false;
    }
    f->fn = fn;
    f->sig = sig;
    f->info = info;
    f->uc = uc;
    f->mine = (stack_t){.ss_sp = (char *)f + head, .ss_size = WH_FAR_STACK};
    f->ctx.uc_stack = f->mine;
    f->ctx.uc_link = NULL;
    makecontext(&f->ctx, far_main, 0);
    link_first_frame(&f->ctx, (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)),
                     *(const uintptr_t *)__builtin_frame_address(0)); /* (its caller's: the
                                                                       * frame record's first word) */
    struct far *outer = wh_far_cur;
    wh_far_cur = f;
    wh_far_depth++;
    int r = swapcontext(&f->back, &f->ctx);
    wh_far_depth--;
    wh_far_cur = outer;
    if (r == 0 && f->done) {
        old.ss_flags &= SS_AUTODISARM; /* (read while on it: SS_ONSTACK) */
        sigaltstack(&old, NULL);
    }
    wh_unmap(f, size);
    return r == 0;
}

WH_RT void wh_handler_run(size_t need, void (*fn)(int, siginfo_t *, void *), int sig,
                          siginfo_t *info, void *uc) {
    int saved = errno;
    if (!run_far(need, fn, sig, info, uc)) {
        errno = saved;
        fn(sig, info, uc);
    }
    errno = saved;
}
