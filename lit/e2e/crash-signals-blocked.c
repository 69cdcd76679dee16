// A crash in a thread that blocks the fault signal: the kernel does not
// deliver a SIGSEGV raised while it is blocked, it puts the default action
// back and kills the process, so no handler ran and there was no report
// (only the exit status).  Servers block every signal before starting
// their workers and take signals in one thread with sigwait; a worker's
// null dereference then died silently.  With libwhence.so, once the crash
// handler is installed, pthread_sigmask and sigprocmask leave the fault
// signals unblocked, and a thread started afterwards unblocks those it
// inherited blocked (its creator blocked them before the install).  The
// same for a handler's sa_mask: a handler installed with
// sigfillset(&sa.sa_mask) that faulted died silently too.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %t inherit 2>&1 | FileCheck %s
// RUN: not --crash %t before 2>&1 | FileCheck %s
// RUN: not --crash %t self 2>&1 | FileCheck %s
// RUN: not --crash %t procmask 2>&1 | FileCheck %s
// RUN: %t unblock | FileCheck %s --check-prefix=UNBLOCK
// RUN: not --crash %t handler 2>&1 | FileCheck %s --check-prefix=HANDLER
// HANDLER: fatal signal 11 (SIGSEGV)
// HANDLER-NEXT: fault in on_usr1 at {{.*}}crash-signals-blocked.c:[[# @LINE + 26]]
// CHECK: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in worker at {{.*}}crash-signals-blocked.c:[[# @LINE + 18]]
// UNBLOCK: SIGUSR1 blocked 1, SIGSEGV blocked 0
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static const char *mode;
int *volatile null_p;

__attribute__((noinline)) static void *worker(void *arg) {
    sigset_t all;
    sigfillset(&all);
    if (!strcmp(mode, "self"))
        pthread_sigmask(SIG_BLOCK, &all, NULL);
    *null_p = 1;
    return arg;
}

__attribute__((noinline)) static void on_usr1(int sig) {
    (void)sig;
    *null_p = 2;
}

int main(int argc, char **argv) {
    mode = argv[1];
    sigset_t all, cur;
    sigfillset(&all);
    if (!strcmp(mode, "before")) /* blocked before the handler is installed */
        pthread_sigmask(SIG_BLOCK, &all, NULL);
    whence_install_crash_handler();
    if (!strcmp(mode, "inherit"))
        pthread_sigmask(SIG_BLOCK, &all, NULL);
    if (!strcmp(mode, "procmask"))
        sigprocmask(SIG_SETMASK, &all, NULL);
    if (!strcmp(mode, "unblock")) {
        pthread_sigmask(SIG_BLOCK, &all, NULL);
        pthread_sigmask(SIG_BLOCK, NULL, &cur);
        printf("SIGUSR1 blocked %d, SIGSEGV blocked %d\n", sigismember(&cur, SIGUSR1),
               sigismember(&cur, SIGSEGV));
        return 0;
    }
    if (!strcmp(mode, "handler")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sigfillset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    int sig;
    sigwait(&all, &sig);
    return 0;
}
