// A program's fault handler installed with SA_NODEFER that recovers by
// leaving it (siglongjmp without the mask; a C++ throw with
// -fnon-call-exceptions), then whence_install_crash_handler: whence's
// handler was installed without SA_NODEFER, so the signal stayed blocked
// after the first recovery, and the next fault killed the process with no
// report (helper-85).  whence's action now takes the program's
// SA_NODEFER, as it takes its mask.  The last fault, which the program's
// handler gives up (the default put back), is reported.
// Also from helper-88: a one-shot handler (SA_RESETHAND) was called at
// every fault, and the fatal one swallowed: the second fault is now
// reported (resethand); an SA_NODEFER handler that faults itself made
// whence map a stack at each level, the process hung growing by
// gigabytes: it now dies as it does without whence (recurse).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// RUN: %clangxx -O2 -gline-tables-only -fnon-call-exceptions -x c++ -DTHROW %whence_cflags %s %whence_libs -o %t.cxx
// RUN: not --crash %run %t.cxx 2>&1 | FileCheck %s
// With libwhence.a, whose sigaction is the C library's (and a plugin's
// libwhence.so loaded by dlopen alike): a first fix of the Python
// faulthandler's chaining (python-faulthandler.c) left the signal blocked
// there, and the second fault ended the process (helper-98).
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t.a
// RUN: not --crash %run %t.a 2>&1 | FileCheck %s
// RUN: not --crash %run %t resethand 2>&1 | FileCheck %s --check-prefix=ONCE
// RUN: not --crash timeout 60 %run %t recurse
// The same on the alternate stack (SA_ONSTACK): whence's handlers recurse
// there and on stacks of their own until the last one's guard page; the
// frame that met it, its frame pointer still on that stack, had the
// signal delivered at the top again, over the frames still running, for
// ever (AArch64).
// RUN: not --crash timeout 60 %run %t recurse onstack
// CHECK: recovered 6 of 6
// CHECK-NEXT: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in faulty at {{.*}}crash-prev-nodefer.c:[[#@LINE+19]]
// ONCE: recovered 1 of 6
// ONCE-NEXT: fatal signal 11 (SIGSEGV)
// ONCE-NEXT: fault in faulty at {{.*}}crash-prev-nodefer.c:[[#@LINE+16]]
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

static sigjmp_buf jb;
static volatile int give_up;
static void nop(void) {}
/* (a call that may throw: else clang takes faulty for nounwind) */
static void (*volatile opaque)(void) = nop;

__attribute__((noinline)) int faulty(volatile int *p) {
    opaque();
    return *p + 1;
}

static volatile int *volatile nullp;

static void on_segv(int s) {
    if (give_up == 2)
        (void)*nullp; /* (a fault of its own, again and again) */
    if (give_up) {
        signal(s, SIG_DFL);
        return;
    }
#ifdef THROW
    throw 1;
#else
    siglongjmp(jb, 1);
#endif
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    bool once = argc > 1 && !strcmp(argv[1], "resethand");
    give_up = argc > 1 && !strcmp(argv[1], "recurse") ? 2 : 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER | (once ? SA_RESETHAND : 0) |
                  (argc > 2 && !strcmp(argv[2], "onstack") ? SA_ONSTACK : 0);
    sigaction(SIGSEGV, &sa, NULL);
    whence_install_crash_handler();
    int caught = 0;
    for (int i = 0; i < 6; i++) {
        if (once && caught)
            printf("recovered %d of 6\n", caught);
#ifdef THROW
        try {
            faulty(NULL);
        } catch (int) {
            caught++;
        }
#else
        if (sigsetjmp(jb, 0) == 0)
            faulty(NULL);
        else
            caught++;
#endif
    }
    printf("recovered %d of 6\n", caught);
    give_up = 1;
    return faulty(NULL);
}
