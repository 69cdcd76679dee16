/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tp.c - signals that reach a thread without a thread pointer.
 *
 * A thread made with a raw clone(CLONE_SETTLS) and no TLS of its own (a
 * runtime's helper thread that never calls the C library) has a thread
 * pointer of 0: errno and every __thread variable live below it, and the
 * first access faults.  whence's handlers run on whatever thread the
 * kernel picks, or the one a dump or a profile's timer names: a dump, a
 * sample or a SIGQUIT landing there killed the whole process with SIGSEGV
 * inside the handler, though that thread never asked whence anything
 * (helper-133).  So the handlers ask first, and such a thread's signal is
 * handled here with system calls made directly (the C library's wrappers
 * write errno on failure).  AArch64's register is read at no cost; x86-64's
 * fs base by rdfsbase where the kernel allows it (HWCAP2_FSGSBASE), else:
 *   - a thread with an alternate signal stack has a thread pointer (one
 *     made by clone with the memory shared starts without one, and a
 *     program that runs code without TLS gives it none): no question;
 *   - else the kernel is asked, arch_prctl(ARCH_GET_FS) (7.5 us in a
 *     virtual machine), unless a seccomp filter is active: one that does
 *     not allow it killed the process at the first sample or report
 *     (helper-135); there the pointer is assumed, as before.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <signal.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>

#if defined(__x86_64__)
#include <asm/prctl.h>
static bool wh_fsgsbase; /* (HWCAP2_FSGSBASE: rdfsbase does not trap) */
__attribute__((constructor)) WH_RT static void note_fsgsbase(void) {
    wh_fsgsbase = getauxval(AT_HWCAP2) & 2;
}
WH_RT static long raw4(long n, long a, long b, long c, long d) {
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}
#elif defined(__aarch64__)
WH_RT static long raw4(long n, long a, long b, long c, long d) {
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
#endif

WH_RT long wh_tp_syscall(long n, long a, long b, long c, long d) {
    return raw4(n, a, b, c, d);
}

WH_RT bool wh_thread_pointer(const void *ucv) {
#if defined(__x86_64__)
    unsigned long fs = 0;
    if (wh_fsgsbase) {
        __asm__ volatile(".byte 0xf3, 0x48, 0x0f, 0xae, 0xc0" /* rdfsbase %rax */ : "=a"(fs));
        return fs != 0;
    }
    const ucontext_t *uc = ucv;
    if (uc && !(uc->uc_stack.ss_flags & SS_DISABLE))
        return true;
    if (raw4(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0) != 0)
        return true; /* (a filter, or an answer not understood) */
    long r = raw4(SYS_arch_prctl, ARCH_GET_FS, (long)&fs, 0, 0);
    return r != 0 || fs != 0; /* (a refusal: as before, the pointer assumed) */
#elif defined(__aarch64__)
    (void)ucv;
    uintptr_t tp;
    __asm__("mrs %0, tpidr_el0" : "=r"(tp));
    return tp != 0;
#else
    (void)ucv;
    return true;
#endif
}

/* The kernel's struct sigaction (x86-64's and AArch64's: both have
 * sa_restorer). */
struct k_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

WH_RT void wh_no_tp_signal(int sig, const siginfo_t *info, void *ucv, bool forward) {
    long pid = raw4(SYS_getpid, 0, 0, 0, 0), tid = raw4(SYS_gettid, 0, 0, 0, 0);
    ucontext_t *uc = ucv;
    if (forward && uc && sig >= 1 && sig <= 64) {
        /* The process's again, for a thread that can take it, as the
         * kernel would have chosen had this one blocked it: this one does
         * from now on.  (Sent to the main thread, it was lost where that
         * one had exited or blocked it: helper-135.) */
        unsigned long *mask = (unsigned long *)(void *)&uc->uc_sigmask;
        mask[(sig - 1) / (8 * sizeof *mask)] |= 1ul << ((sig - 1) % (8 * sizeof *mask));
        if (raw4(SYS_kill, pid, sig, 0, 0) == 0)
            return;
    }
    struct k_sigaction dfl = {(void *)SIG_DFL, 0, 0, 0};
    raw4(SYS_rt_sigaction, sig, (long)&dfl, 0, sizeof dfl.mask);
    /* A fault comes again on return, to the default action; a signal that
     * was sent is sent again (blocked until this handler returns). */
    bool fault = info && info->si_code > 0 &&
                 (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
                  sig == SIGTRAP);
    if (!fault)
        raw4(SYS_tgkill, pid, tid, sig, 0);
}
