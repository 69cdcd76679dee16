// A Swift async frame (swiftasynccall with a swift_async_context: Swift's
// and a C coroutine library's convention) keeps its caller's frame pointer
// in its frame record with bit 60 set, the "extended frame" mark.  The
// walk took that for a frame pointer: the first capture ended there
// without a word (main missing, whence_callers_end NULL), and once the
// return addresses were learnt the fast path read through it and the
// program died of SIGSEGV in whence_callers.  The mark is taken off now,
// and every frame is found, on every call and in a crash report.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o2
// RUN: %run %t/o2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o0
// RUN: %run %t/o0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t/o2g
// RUN: %run %t/o2g | FileCheck %s
// RUN: not --crash %run %t/o2 crash 2>&1 | FileCheck %s --check-prefix=CRASH
// CHECK-COUNT-3: show af:[[#@LINE+31]] outer:[[#@LINE+36]] main:[[#@LINE+45]] end=none caller3=main
// CHECK-NOT: show
// CRASH: fault in show at {{.*}}swift-async-frames.c:[[#@LINE+14]]
// CRASH: af(
// CRASH: outer(
// CRASH: main(
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

static int crash;

__attribute__((noinline)) static void show(void) {
    uintptr_t pcs[32];
    if (crash)
        *(volatile int *)16 = 1;
    int n = whence_callers(1, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("show");
    while (whence_frames_next(&it, &f))
        printf(" %s:%d", f.function, f.line);
    const char *e = whence_callers_end();
    printf(" end=%s caller3=%s\n", e ? e : "none", whence_caller(3, &f) ? f.function : "none");
}

static volatile int sink; /* (no tail calls: -g keeps those) */

__attribute__((swiftasynccall, noinline)) void af(void *__attribute__((swift_async_context)) ctx) {
    show();
    sink++;
}

__attribute__((noinline)) void outer(void) {
    af(0);
    sink++;
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    crash = argc > 1;
    for (int i = 0; i < 3; i++)
        outer();
    return 0;
}
