/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * farstack.c - a signal handler's work on a stack of whence's own when the
 * alternate signal stack it was delivered on has too little left; and a
 * program's handler that whence's handlers call, on the stack the kernel
 * would have run it on (below).
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
#include "arch/arch.h"
#include "internal.h"
#include "unwind/cfi.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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
    const struct sigaction *act; /* instead of fn: a program's handler (below) */
    int sig;
    siginfo_t *info;
    void *uc;
    stack_t mine; /* the thread's alternate stack meanwhile */
    uintptr_t top;   /* where the work's stack starts */
    uintptr_t tramp; /* the signal return trampoline (as_delivered) */
    uintptr_t link;  /* its first frame's record (a program's handler: work_chain) */
    uintptr_t rec[2]; /* what that record holds */
    bool done;
};

static __thread struct far *wh_far_cur __attribute__((tls_model("initial-exec")));
/* The program's handler running (or left by siglongjmp) on this thread:
 * where its stack starts, its first frame's record and what that holds,
 * the interrupted pc and stack pointer its copy of the signal frame
 * holds. */
struct work {
    struct far *f;
    uintptr_t top, link, rec[2], pc, sp;
};
static __thread struct work wh_work __attribute__((tls_model("initial-exec")));
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

WH_RT static void call_act(const struct sigaction *p, int sig, siginfo_t *info, void *uc) {
    if (p->sa_flags & SA_SIGINFO)
        p->sa_sigaction(sig, info, uc);
    else
        p->sa_handler(sig);
}

WH_RT static void far_main(void) {
    struct far *f = wh_far_cur;
    sigaltstack(&f->mine, NULL); /* (allowed: not running on the old one) */
    if (f->act)
        call_act(f->act, f->sig, f->info, f->uc);
    else
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

/* A program's handler's first frame (f->ctx, made) returns, as walks see
 * it, into the signal return trampoline with a copy of the signal's
 * context above it, as where the kernel delivers a signal: walks from
 * inside the handler (its own backtrace(), whence's report of an abort()
 * in it) cross it into the interrupted code as they cross a signal frame
 * (arch/).  Linked to the caller's frame instead, as run_far's work is, a
 * walk stopped there: the alternate stack is usually below the thread's,
 * and a frame chain goes up.  False when the copy does not fit below
 * f->top.
 *
 * x86-64's rt_sigframe: pretcode (the handler's return address), then the
 * ucontext; of that only what walks read (its signal mask is 8 bytes in
 * the kernel's; what follows in its frame, the FPU state, is elsewhere,
 * and the kernel's frame may end soon after).  AArch64's: the siginfo and
 * the ucontext (its FP/SIMD record included, which walks check) at the
 * handler's stack pointer, and right above them the frame record {x29,
 * x30} of the interrupted code, where the handler's x29 points. */
#if defined(__x86_64__)
#define WH_UC_COPY ((uintptr_t)offsetof(ucontext_t, uc_sigmask) + 8u)
#define WH_SIGFRAME_COPY (8u + WH_UC_COPY)
#elif defined(__aarch64__)
#define WH_SIGFRAME_BODY ((sizeof(siginfo_t) + sizeof(ucontext_t) + 15u) & ~(uintptr_t)15)
#define WH_SIGFRAME_COPY (WH_SIGFRAME_BODY + 16u)
#else
#define WH_SIGFRAME_COPY 0u
#endif
WH_RT static bool as_delivered(struct far *f) {
#if defined(__x86_64__)
    uintptr_t slot = (uintptr_t)f->ctx.uc_mcontext.gregs[REG_RSP];
    if (slot + WH_SIGFRAME_COPY > f->top)
        return false;
    *(uintptr_t *)slot = f->tramp;
    memcpy((void *)(slot + 8), f->uc, WH_UC_COPY);
    f->ctx.uc_mcontext.gregs[REG_RBP] = ((const ucontext_t *)f->uc)->uc_mcontext.gregs[REG_RBP];
    /* (far_main's frame record: it pushes its caller's %rbp) */
    f->link = slot - 8;
    f->rec[0] = (uintptr_t)f->ctx.uc_mcontext.gregs[REG_RBP];
    f->rec[1] = f->tramp;
    return true;
#elif defined(__aarch64__)
    uintptr_t sp = (uintptr_t)f->ctx.uc_mcontext.sp;
    if ((sp & 15) || sp + WH_SIGFRAME_COPY > f->top)
        return false;
    const ucontext_t *uc = f->uc;
    if (f->info)
        memcpy((void *)sp, f->info, sizeof(siginfo_t));
    else
        memset((void *)sp, 0, sizeof(siginfo_t));
    memcpy((void *)(sp + sizeof(siginfo_t)), uc, sizeof(ucontext_t));
    uintptr_t *rec = (uintptr_t *)(sp + WH_SIGFRAME_BODY);
    rec[0] = (uintptr_t)uc->uc_mcontext.regs[29];
    rec[1] = (uintptr_t)uc->uc_mcontext.regs[30];
    f->ctx.uc_mcontext.regs[29] = (uintptr_t)rec;
    f->ctx.uc_mcontext.regs[30] = f->tramp;
    f->link = (uintptr_t)rec; /* (far_main's record points at it) */
    f->rec[0] = rec[0];
    f->rec[1] = rec[1];
    return true;
#else
    (void)f;
    return false;
#endif
}

/* Runs f's work with getcontext's f->ctx on the stack f->mine, or a
 * program's handler (f->act) from f->top down: the work's first frame
 * returns, as walks see it, into ra with frame pointer fp.  swapcontext's
 * result. */
WH_RT static int run_on(struct far *f, uintptr_t ra, uintptr_t fp) {
    f->ctx.uc_stack = !f->act ? f->mine
                              : (stack_t){.ss_sp = (void *)(f->top - WH_SIGFRAME_COPY - 64 - WH_FAR_STACK),
                                          .ss_size = WH_FAR_STACK};
    f->ctx.uc_link = NULL;
    f->done = false;
    makecontext(&f->ctx, far_main, 0);
    if (!f->act)
        link_first_frame(&f->ctx, ra, fp);
    else if (!as_delivered(f))
        return -1;
    else
        wh_work.link = f->link, wh_work.rec[0] = f->rec[0], wh_work.rec[1] = f->rec[1];
    struct far *outer = wh_far_cur;
    wh_far_cur = f;
    wh_far_depth += !f->act; /* (a program's handler maps nothing: below) */
    int r = swapcontext(&f->back, &f->ctx);
    wh_far_depth -= !f->act;
    wh_far_cur = outer;
    return r;
}

/* The thread's alternate stack is still s, the one a work set: the one
 * before it is put back.  One the program's handler set meanwhile, or
 * none, is the program's choice, and stays (helper-114: it was undone). */
WH_RT static bool alt_is(const stack_t *s) {
    stack_t now;
    return sigaltstack(NULL, &now) == 0 && now.ss_sp == s->ss_sp && now.ss_size == s->ss_size &&
           !(now.ss_flags & SS_DISABLE);
}

/* ... and the signal's return would put back the one it was delivered
 * with (the kernel restores the context's): the context says the
 * program's instead. */
WH_RT static void keep_alt(void *uc) {
    stack_t now;
    if (uc && sigaltstack(NULL, &now) == 0) {
        now.ss_flags &= SS_DISABLE | SS_AUTODISARM;
        ((ucontext_t *)uc)->uc_stack = now;
    }
}

WH_RT __attribute__((noinline)) static bool run_far(size_t need,
                                                    void (*fn)(int, siginfo_t *, void *), int sig,
                                                    siginfo_t *info, void *uc) {
    if ((need != SIZE_MAX && room_left(uc) >= need) || wh_far_depth >= WH_FAR_MAX)
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
    f->act = NULL;
    f->sig = sig;
    f->info = info;
    f->uc = uc;
    f->mine = (stack_t){.ss_sp = (char *)f + head, .ss_size = WH_FAR_STACK};
    int r = run_on(f, (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)),
                   *(const uintptr_t *)__builtin_frame_address(0)); /* (its caller's: the
                                                                     * frame record's first word) */
    if (r == 0 && f->done) {
        if (alt_is(&f->mine)) {
            old.ss_flags &= SS_AUTODISARM; /* (read while on it: SS_ONSTACK) */
            sigaltstack(&old, NULL);
        } else {
            keep_alt(uc);
        }
    }
    wh_unmap(f, size);
    return r == 0;
}

/* far_main's entry: the unwinder lets the frame that far_main returns to
 * lie on another stack (link_first_frame), below as well as above. */
WH_RT uintptr_t wh_far_entry(void) { return (uintptr_t)far_main; }

WH_RT void wh_handler_run(size_t need, void (*fn)(int, siginfo_t *, void *), int sig,
                          siginfo_t *info, void *uc) {
    int saved = errno;
    if (!run_far(need, fn, sig, info, uc)) {
        errno = saved;
        fn(sig, info, uc);
    }
    errno = saved;
}

/* ---- a program's handler on the stack it would have had -----------------
 * whence's handlers run on an alternate stack (a report of a stack
 * overflow needs one) and call the program's handler of the signal that
 * they replaced, first or after the report.  One installed without
 * SA_ONSTACK ran on the thread's own stack without whence; on whence's
 * (128 KiB) it could overflow: Redis's crash log tests memory with a
 * 1 MiB frame, the report named that overflow instead of the crash, and
 * Redis's log stopped half-way (helper-109).  So it runs where the kernel
 * would have run it: below the interrupted stack pointer (and x86-64's
 * red zone).  Not for a fault at the stack pointer (an overflow: no room
 * there, and without whence the handler could not have run at all), nor
 * when the interrupted code ran on the alternate stack itself.
 *
 * Meanwhile the thread's alternate stack is the part of it that the
 * handler's frames above do not hold: a signal delivered there with the
 * stack pointer off it (a fault of the program's handler, SA_NODEFER; a
 * profiler's sample) lands at its top, and would have written over the
 * frames the handler returns through.  A handler that leaves with
 * siglongjmp leaves that part as the alternate stack; the next one takes
 * the larger free part of the whole (kept per thread), so that a program
 * that recovers thousands of times does not shrink it. */
#if defined(__x86_64__)
#define WH_RED_ZONE 128u
#else
#define WH_RED_ZONE 0u
#endif
#define WH_ALT_PART_MIN (16u << 10)

static __thread stack_t wh_alt_whole __attribute__((tls_model("initial-exec")));
static __thread stack_t wh_alt_part __attribute__((tls_model("initial-exec")));

#if defined(__aarch64__)
/* The trampoline the kernel entered whence's handler with (in x30, which
 * nothing else keeps): the return address of the frame, up this one's
 * chain of whence's frames, whose caller's frame record is the one the
 * kernel wrote above the signal frame uc is in, {x29, x30} of the
 * interrupted code.  0 when not found.  (Read with wh_copy_in: stacks and
 * qemu's trampoline page lie in no image.) */
WH_RT __attribute__((noinline)) static uintptr_t delivered_through(const void *ucv) {
    const ucontext_t *uc = ucv;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0), rec[2], code[2];
    for (unsigned i = 0; i < 16 && fp && !(fp & 15) && wh_copy_in(rec, fp, 16); i++) {
        uintptr_t next = rec[0], ra = wh_strip_ra(rec[1]);
        if (next > (uintptr_t)uc && !(next & 15) && wh_copy_in(rec, next, 16) &&
            rec[0] == (uintptr_t)uc->uc_mcontext.regs[29] &&
            rec[1] == (uintptr_t)uc->uc_mcontext.regs[30] && !(ra & 3) &&
            wh_copy_in(code, ra, WH_ARCH_SIGRETURN_LEN) && wh_arch_is_sigreturn((uintptr_t)code))
            return ra;
        fp = next;
    }
    return 0;
}
#endif

/* The interrupted stack pointer, when the handler p belongs there. */
WH_RT static uintptr_t own_stack(const struct sigaction *p, int sig, const siginfo_t *info,
                                 const void *uc, const stack_t *cur, uintptr_t *tramp) {
#if defined(__x86_64__)
    if ((p->sa_flags & SA_ONSTACK) || !uc || !(cur->ss_flags & SS_ONSTACK))
        return 0;
    /* (the kernel's frame: pretcode right below the ucontext) */
    *tramp = ((const uintptr_t *)uc)[-1];
    if (!wh_uw_readable(*tramp, WH_ARCH_SIGRETURN_LEN) || !wh_arch_is_sigreturn(*tramp))
        return 0;
#elif defined(__aarch64__)
    if ((p->sa_flags & SA_ONSTACK) || !uc || !(cur->ss_flags & SS_ONSTACK) ||
        !(*tramp = delivered_through(uc)))
        return 0;
#else
    (void)p, (void)uc, (void)cur, (void)tramp;
    return 0;
#endif
    struct wh_regs r;
    wh_regs_of(uc, &r);
    /* (not for code that ran on an alternate stack: the kernel runs the
     * handler there too; a handler that faults itself, SA_NODEFER, went
     * round between the stacks for ever) */
    uintptr_t sp = r.sp;
    if (!sp || sp - (uintptr_t)cur->ss_sp <= cur->ss_size ||
        (((const ucontext_t *)uc)->uc_stack.ss_flags & SS_ONSTACK))
        return 0;
    /* (the kernel's own SIGSEGV, address 0: it could not write another
     * signal's frame on this stack, full, where the page below the stack
     * pointer is no memory; a general-protection fault says the same, on
     * a stack with room) */
    uintptr_t below;
    if (sig == SIGSEGV && info && info->si_code == SI_KERNEL && !info->si_addr &&
        (r.sp < WH_RED_ZONE + 4096 || !wh_copy_in(&below, r.sp - WH_RED_ZONE - 4096, 8)))
        return 0;
    if ((sig == SIGSEGV || sig == SIGBUS) && info && info->si_code > 0) {
        uintptr_t a = (uintptr_t)info->si_addr;
        if (a <= sp + 256 && sp - a < (1u << 20))
            return 0; /* (a far above sp wraps: not near) */
    }
    return sp;
}

/* Whether the program's handler wh_work records is still running: its
 * first frame's record and its copy of the signal frame (as_delivered)
 * are as it made them.  A handler that left by siglongjmp left the record
 * behind, and a fault deeper down afterwards, below its start, was taken
 * for the handler faulting inside itself: its handler ran on the
 * alternate stack again (helper-114).  (Read with wh_copy_in: a fiber's
 * stack may be gone.) */
WH_RT static bool work_intact(void) {
    const struct work *w = &wh_work;
    if (!w->top)
        return false;
    uintptr_t rec[2], cpc = 0, csp = 0;
    if (!wh_copy_in(rec, w->link, sizeof rec) || rec[0] != w->rec[0] || rec[1] != w->rec[1])
        return false;
#if defined(__x86_64__)
    uintptr_t at = w->link + 16 + offsetof(ucontext_t, uc_mcontext.gregs);
    if (!wh_copy_in(&cpc, at + REG_RIP * sizeof(greg_t), 8) ||
        !wh_copy_in(&csp, at + REG_RSP * sizeof(greg_t), 8))
        return false;
#elif defined(__aarch64__)
    uintptr_t at = w->link - WH_SIGFRAME_BODY + sizeof(siginfo_t) + offsetof(ucontext_t, uc_mcontext);
    if (!wh_copy_in(&csp, at + offsetof(mcontext_t, sp), 8) ||
        !wh_copy_in(&cpc, at + offsetof(mcontext_t, pc), 8))
        return false;
#endif
    return cpc == w->pc && csp == w->sp;
}

/* The frame chain from fp (stack pointer sp) up: WH_CHAIN_MEETS the
 * handler's first frame, WH_CHAIN_PASSES above its start without meeting
 * it (code the handler does not run), or WH_CHAIN_LOST (a frame pointer
 * the code used for something else). */
enum { WH_CHAIN_MEETS, WH_CHAIN_PASSES, WH_CHAIN_LOST };
WH_RT static int work_chain(uintptr_t fp, uintptr_t sp) {
    for (unsigned i = 0; i < 256 && fp >= sp && !(fp & 7); i++) {
        if (fp == wh_work.link)
            return WH_CHAIN_MEETS;
        if (fp >= wh_work.top)
            return WH_CHAIN_PASSES;
        uintptr_t next;
        if (!wh_copy_in(&next, fp, sizeof next) || next <= fp)
            return WH_CHAIN_LOST;
        fp = next;
    }
    return WH_CHAIN_LOST;
}

/* The larger part of whole outside [lo, hi) into *part: false when
 * neither has room. */
WH_RT static bool free_part(const stack_t *whole, uintptr_t lo, uintptr_t hi, stack_t *part) {
    uintptr_t b = (uintptr_t)whole->ss_sp, e = b + whole->ss_size;
    uintptr_t below = lo > b ? (lo < e ? lo : e) - b : 0, above = hi < e ? e - (hi > b ? hi : b) : 0;
    if (below < WH_ALT_PART_MIN && above < WH_ALT_PART_MIN)
        return false;
    *part = below >= above ? (stack_t){.ss_sp = (void *)b, .ss_size = below}
                           : (stack_t){.ss_sp = (void *)(e - above), .ss_size = above};
    return true;
}

WH_RT __attribute__((noinline)) void wh_call_handler(const struct sigaction *p, int sig,
                                                     siginfo_t *info, void *uc) {
    stack_t cur;
    uintptr_t tramp = 0;
    uintptr_t sp = sigaltstack(NULL, &cur) == 0 ? own_stack(p, sig, info, uc, &cur, &tramp) : 0;
    /* Inside a handler's work (a handler that faults itself, SA_NODEFER)
     * it runs where it is, as before, down to the end of the stack and
     * death, as without whence.  A work left by siglongjmp is over: the
     * whole alternate stack is free again, but for this frame. */
    if (sp && wh_work.top) {
        struct wh_regs r;
        wh_regs_of(uc, &r);
        /* (below the work's start, and its chain met: code without frame
         * pointers, whose %rbp is anything, reads as a fault of its own,
         * as the kernel would take it: helper-117) */
        if (r.sp < wh_work.top && work_intact() && work_chain(r.fp, r.sp) == WH_CHAIN_MEETS)
            sp = 0;
        else
            wh_work = (struct work){0};
    }
    if (sp) {
        /* (the whole is known only while the stack is the part a work
         * left; any other was put there since: the program's own) */
        uintptr_t top = (uintptr_t)cur.ss_sp + cur.ss_size;
        if (cur.ss_sp != wh_alt_part.ss_sp || cur.ss_size != wh_alt_part.ss_size) {
            wh_alt_whole = cur;
            wh_alt_whole.ss_flags &= SS_AUTODISARM;
        }
        struct far f = {.act = p, .sig = sig, .info = info, .uc = uc, .tramp = tramp,
                        .top = (sp - WH_RED_ZONE - 64) & ~(uintptr_t)15};
        uintptr_t low = (uintptr_t)__builtin_frame_address(0) - 1024; /* (swapcontext's frame) */
        if (free_part(&wh_alt_whole, low, top, &f.mine) &&
            getcontext(&f.ctx) == 0) {
            struct work outer = wh_work;
            struct wh_regs ir;
            wh_regs_of(uc, &ir);
            /* (the link: as_delivered's, set before the switch) */
            wh_work = (struct work){.f = &f, .top = f.top, .pc = ir.pc, .sp = ir.sp};
            wh_alt_part = f.mine;
            int r = run_on(&f, (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)),
                           *(const uintptr_t *)__builtin_frame_address(0));
            wh_work = outer;
            if (r == 0) {
                /* (allowed: off the part it set) */
                if (alt_is(&f.mine))
                    sigaltstack(&wh_alt_whole, NULL);
                else
                    keep_alt(uc);
                return;
            }
        }
    }
    call_act(p, sig, info, uc);
}

WH_RT const void *wh_prev_work(uintptr_t *top) {
    if (!work_intact())
        return NULL;
    *top = wh_work.top;
    return wh_work.f;
}

/* fn on a stack mapped for it: from inside a program's handler, which
 * runs on the thread's stack with what little it left (a report
 * needs 12 KiB and more: on a thread's small stack it ran into the
 * guard page and said the stack was damaged, helper-114).  False when
 * none could be mapped. */
WH_RT bool wh_run_elsewhere(void (*fn)(int, siginfo_t *, void *), int sig, siginfo_t *info,
                            void *uc) {
    int saved = errno;
    bool ran = run_far(SIZE_MAX, fn, sig, info, uc);
    errno = saved;
    return ran;
}
