/*
 * whence_fault.h - the faulting-line tests of lit/e2e run a function that
 * dereferences NULL under a SIGSEGV handler, which takes the interrupted
 * pc from the signal frame (optionally writing the stack from there) and
 * jumps back; then they print how whence names that pc.  Also how the
 * crash tests run a child and read its report.  Include after
 * whence_e2e.h, with _GNU_SOURCE defined (REG_RIP, F_SETPIPE_SZ).
 */
#ifndef WHENCE_FAULT_H
#define WHENCE_FAULT_H

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf e2e_fault_back;
static uintptr_t e2e_fault_at;
static int e2e_fault_write_stack; /* the handler writes the stack to stdout first */

/* The pc a signal interrupted, from its handler's context. */
E2E_UNUSED static uintptr_t e2e_context_pc(void *ucv) {
#if defined(__x86_64__)
    return (uintptr_t)((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RIP];
#else
    return (uintptr_t)((ucontext_t *)ucv)->uc_mcontext.pc;
#endif
}

static void e2e_fault_on_segv(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    e2e_fault_at = e2e_context_pc(ucv);
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

/* Runs child() (which must not return) in a forked process whose stderr
 * is a pipe of pipe_size bytes (0: the default), waits delay_us, then
 * reads all the child wrote there into out (NUL-terminated): the crash
 * tests read a crashing process's report.  Returns its wait status. */
E2E_UNUSED static int e2e_child_stderr(void (*child)(void), char *out, size_t cap, int pipe_size,
                                       unsigned delay_us) {
    int fd[2], st = 0;
    if (pipe(fd))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        if (pipe_size)
            fcntl(fd[1], F_SETPIPE_SZ, pipe_size);
        dup2(fd[1], 2);
        close(fd[0]);
        child();
        _exit(0);
    }
    close(fd[1]);
    if (delay_us)
        usleep(delay_us);
    size_t n = 0;
    ssize_t k;
    while (n < cap - 1 && (k = read(fd[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = 0;
    close(fd[0]);
    waitpid(pid, &st, 0);
    return st;
}

#endif /* WHENCE_FAULT_H */
