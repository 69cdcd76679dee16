/*
 * whence_fault.h - the faulting-line tests of lit/e2e run a function that
 * dereferences NULL under a SIGSEGV handler, which takes the interrupted
 * pc from the signal frame (optionally writing the stack from there) and
 * jumps back; then they print how whence names that pc.  Include after
 * whence_e2e.h, with _GNU_SOURCE defined (REG_RIP).
 */
#ifndef WHENCE_FAULT_H
#define WHENCE_FAULT_H

#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

static sigjmp_buf e2e_fault_back;
static uintptr_t e2e_fault_at;
static int e2e_fault_write_stack; /* the handler writes the stack to stdout first */

static void e2e_fault_on_segv(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
#if defined(__x86_64__)
    e2e_fault_at = (uintptr_t)((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RIP];
#else
    e2e_fault_at = (uintptr_t)((ucontext_t *)ucv)->uc_mcontext.pc;
#endif
    if (e2e_fault_write_stack)
        whence_write_stack(1, 0);
    siglongjmp(e2e_fault_back, 1);
}

/* The pc at which run(x) faulted (0: it returned). */
E2E_UNUSED static uintptr_t e2e_fault_pc(void (*run)(int), int x) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = e2e_fault_on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    e2e_fault_at = 0;
    if (sigsetjmp(e2e_fault_back, 1) == 0)
        run(x);
    return e2e_fault_at;
}

/* "TAG: function file:line" of pc, by whence_func_for_pc and
 * whence_func_line (the file's last component). */
E2E_UNUSED static void e2e_print_pc_line(const char *tag, uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    const char *file = NULL;
    int line = whence_func_line(f, pc, &file);
    printf("%s: %s %s:%d\n", tag, whence_func_name(f), e2e_base(file), line);
}

#endif /* WHENCE_FAULT_H */
