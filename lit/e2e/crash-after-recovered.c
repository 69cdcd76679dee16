// A program's own SIGSEGV handler, installed before whence's and chained by
// it, recovers from a probe of unreadable memory with siglongjmp; later the
// program really crashes.  Was a bug: the jump out of whence's handler left
// its state as if a report were still being written, so the real crash had
// no report at all.  Now a thread that survived a fault reports its next
// one (runtime/crash.c).  The probe's fault is not reported: the handler
// (without siginfo) runs first and recovers (whence reported it, before
// it ran, as a fatal signal of a process that went on).  Also a vfork child that
// crashes (sharing the parent's memory) leaves the parent's crash its
// report at once, not after the 10 s a living reporter is given.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t probe 2>&1 | FileCheck %s --check-prefix=PROBE
// RUN: not --crash %run %t vfork 2>&1 | FileCheck %s --check-prefix=VFORK
// PROBE-NOT: fault in readable
// PROBE: probe: readable(NULL)=0
// PROBE: fault in real_crash at
// PROBE: stack:
// PROBE-NEXT: real_crash(...)
// VFORK: fault in child_bug at
// VFORK: child died of signal 11
// VFORK: fault in real_crash at
// VFORK: stack:
// VFORK-NEXT: real_crash(...)
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

static int *volatile nullp;
static volatile int sink;
static sigjmp_buf jb;
static volatile int probing;

static void my_segv(int s) {
    (void)s;
    if (probing)
        siglongjmp(jb, 1);
    signal(SIGSEGV, SIG_DFL);
}

__attribute__((noinline)) int readable(const volatile int *p) {
    probing = 1;
    if (sigsetjmp(jb, 1)) {
        probing = 0;
        return 0;
    }
    sink = *p;
    probing = 0;
    return 1;
}

__attribute__((noinline)) void real_crash(int a) {
    *nullp = a;
}

__attribute__((noinline)) void child_bug(void) {
    *nullp = 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "probe")) {
        signal(SIGSEGV, my_segv);
        whence_install_crash_handler();
        fprintf(stderr, "probe: readable(NULL)=%d\n", readable((int *)0));
    } else {
        whence_install_crash_handler();
        pid_t pid = vfork();
        if (pid == 0)
            child_bug();
        int st;
        waitpid(pid, &st, 0);
        fprintf(stderr, "child died of signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    }
    real_crash(argc);
    return 0;
}
