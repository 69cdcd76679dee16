// crash-null-call.c, the call made by code whence did not compile: qsort
// with a null comparator, and a library built without the plugin (without
// frame pointers) calling a null callback.  The crash report's stack was
// empty, and a program handler's whence_callers gave the handler's frame
// alone, both said complete (helper-121).  The call is found by its operand
// as for instrumented callers, and the walk goes on from its return address
// by the unwind tables, through the foreign frames to the instrumented
// caller.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fomit-frame-pointer -DFOREIGN -c %s -o %t/foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/foreign.o %whence_libs -o %t/main
// RUN: not --crash %run %t/main qsort 2>&1 | FileCheck %s --check-prefix=QSORT
// RUN: not --crash %run %t/main lib 2>&1 | FileCheck %s --check-prefix=LIB
// RUN: %run %t/main handler 2>&1 | FileCheck %s --check-prefix=HANDLER
// QSORT: fatal signal 11 (SIGSEGV) at pc 0x0
// QSORT: stack:
// QSORT: (not instrumented)
// QSORT: driver(...)
// QSORT-NEXT: crash-null-call-foreign.c:[[#@LINE+33]]
// QSORT-NEXT: main(...)
// LIB: fatal signal 11 (SIGSEGV) at pc 0x0
// LIB: stack:
// LIB: fg_call(...) (not instrumented)
// LIB: driver(...)
// LIB-NEXT: crash-null-call-foreign.c:[[#@LINE+26]]
// LIB-NEXT: main(...)
// HANDLER: handler: driver main end=complete
#ifdef FOREIGN
__attribute__((noinline)) int fg_call(int (*cb)(int), int x) {
    int r = cb(x) + 1;
    return r * 3;
}
#else
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

int fg_call(int (*cb)(int), int x);
typedef int (*cmp_t)(const void *, const void *);
static cmp_t volatile nullcmp;
static int (*volatile nullcb)(int);
static sigjmp_buf back;

__attribute__((noinline)) static int driver(int lib) {
    int a[8] = {5, 3, 1, 7, 2, 8, 6, 4};
    if (lib)
        return fg_call(nullcb, 2) + 1;
    qsort(a, 8, sizeof a[0], nullcmp);
    return a[0];
}

static void on_segv(int sig) {
    (void)sig;
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("handler:");
    while (whence_frames_next(&it, &f))
        if (strcmp(f.function, "on_segv"))
            printf(" %s", f.function);
    printf(" end=%s\n", whence_callers_end() ? whence_callers_end() : "complete");
    siglongjmp(back, 1);
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "handler")) {
        signal(SIGSEGV, on_segv);
        if (!sigsetjmp(back, 1))
            driver(1);
        return 0;
    }
    whence_install_crash_handler();
    return driver(!strcmp(argv[1], "lib"));
}
#endif
