// The crash report when stderr is a pipe nobody reads, and the address of
// a general-protection fault.  Were bugs:
//  - a pipe whose reader is gone: the report's write raised SIGPIPE, and
//    the process died of SIGPIPE, not of its fault (no core dump, the
//    parent saw the wrong signal);
//  - a pipe whose reader stalled: the report blocked in write forever, a
//    dying process hung;
//  - a non-canonical pointer (si_code SI_KERNEL, no address) read as
//    "(address 0x0)", a null pointer.
// Now SIGPIPE is blocked during the report and taken back, a write waits
// at most 5 s for the pipe (runtime/crash.c), and the address is unknown.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %t broken | FileCheck %s --check-prefix=BROKEN
// RUN: %t full | FileCheck %s --check-prefix=FULL
// RUN: not --crash %t gp 2>&1 | FileCheck %s --check-prefix=GP
// BROKEN: child died of signal 11
// FULL: child died of signal 11 within 15 s
// GP: fatal signal 11 (SIGSEGV) at pc 0x{{[0-9a-f]+}} (address unknown: general-protection fault)
// GP-NEXT: fault in deref at {{.*}}crash-stderr-pipe.c
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) int deref(long *p) {
    return (int)*(volatile long *)p;
}

static void crash(void) {
    whence_install_crash_handler();
    *nullp = 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "gp")) {
        whence_install_crash_handler();
        return deref((long *)0x4141414141414141ul);
    }
    int fd[2];
    if (pipe(fd))
        return 1;
    int full = argc > 1 && !strcmp(argv[1], "full");
    if (!full)
        close(fd[0]); /* no reader */
    time_t t0 = time(0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        if (full) { /* fill the pipe, then crash: the report cannot be written */
            fcntl(2, F_SETFL, O_NONBLOCK);
            static char b[4096];
            while (write(2, b, sizeof b) > 0)
                ;
            fcntl(2, F_SETFL, 0);
        }
        signal(SIGPIPE, SIG_DFL);
        crash();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("child died of signal %d%s\n", WTERMSIG(st),
               full && time(0) - t0 <= 15 ? " within 15 s" : "");
    else
        printf("child exited %d\n", WEXITSTATUS(st));
    return 0;
}
