// A program's fault handler installed with SA_NODEFER that recovers by
// leaving it (siglongjmp without the mask; a C++ throw with
// -fnon-call-exceptions), then whence_install_crash_handler: whence's
// handler was installed without SA_NODEFER, so the signal stayed blocked
// after the first recovery, and the next fault killed the process with no
// report (helper-85).  whence's action now takes the program's
// SA_NODEFER, as it takes its mask.  The last fault, which the program's
// handler gives up (the default put back), is reported.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// RUN: %clangxx -O2 -gline-tables-only -fnon-call-exceptions -x c++ -DTHROW %whence_cflags %s %whence_libs -o %t.cxx
// RUN: not --crash %run %t.cxx 2>&1 | FileCheck %s
// CHECK: recovered 6 of 6
// CHECK-NEXT: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in faulty at {{.*}}crash-prev-nodefer.c:[[#@LINE+15]]
#include <setjmp.h>
#include <signal.h>
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

static void on_segv(int s) {
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

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    whence_install_crash_handler();
    int caught = 0;
    for (int i = 0; i < 6; i++) {
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
