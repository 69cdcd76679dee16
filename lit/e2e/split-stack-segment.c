// -fsplit-stack code whose frame did not fit ran on a new stack segment:
// libgcc's __morestack called it there, and returns to its caller on the
// old segment, whose stack lies far away (the main thread's stack against
// an mmap'ed segment: 128 MiB and more).  The unwind tables say so (the
// frame's CFA is on the old segment) and the walk took that for a damaged
// stack: a whence_callers from code the segment's frames called ended
// there, the instrumented caller and main left out and the stack said
// complete; a crash report showed __morestack last, nothing said (helper-121,
// gcc's code; clang's here).  __morestack is known by its symbol, as gdb
// knows it, and the walk follows its CFA to the old segment; a stack that
// leads elsewhere ends said.
// REQUIRES: x86_64-linux, ld.gold
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fsplit-stack -fomit-frame-pointer -DFOREIGN -c %s -o %t/foreign.o
// RUN: %clang -O2 -gline-tables-only -fuse-ld=gold %whence_cflags %s %t/foreign.o %whence_libs -o %t/main
// RUN: %run %t/main callers 2>&1 | FileCheck %s --check-prefix=CALLERS
// RUN: %run %t/main dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: not --crash %run %t/main crash 2>&1 | FileCheck %s --check-prefix=CRASH
// Stripped, __morestack is not known: said.
// RUN: llvm-strip %t/main -o %t/stripped
// RUN: %run %t/stripped callers 2>&1 | FileCheck %s --check-prefix=STRIPPED
// STRIPPED: callers: cb end=(the stack ends here: the unwind tables put the next frame on another stack
// CALLERS: callers: cb mid main end=complete
// DUMP: cb(...)
// DUMP-NEXT: split-stack-segment.c:[[#@LINE+47]]
// DUMP-NEXT: mid(...)
// DUMP-NEXT: split-stack-segment.c:[[#@LINE+51]]
// DUMP-NEXT: main(...)
// CRASH: fault in cb at {{.*}}split-stack-segment.c:[[#@LINE+45]]
// CRASH: stack:
// CRASH-NEXT: cb(...)
// CRASH: tramp(...) (not instrumented)
// CRASH: fs_big(...) (not instrumented)
// CRASH: __morestack(...) (not instrumented)
// CRASH: fs_entry(...) (not instrumented)
// CRASH: mid(...)
// CRASH-NEXT: split-stack-segment.c:[[#@LINE+41]]
// CRASH-NEXT: main(...)
#ifdef FOREIGN
#include <string.h>
volatile long sink;
__attribute__((noinline)) long tramp(long (*cb)(long), long x) { return cb(x) + 1; }
/* A frame larger than what is left of the main thread's first segment
 * (libgcc gives split-stack code a few KiB of the thread's stack). */
__attribute__((noinline)) long fs_big(long (*cb)(long), long x) {
    char big[200000];
    memset(big, (int)x, sizeof big);
    long r = tramp(cb, x + big[x & 1023]);
    sink += r + big[sink & 1023];
    return r * 2;
}
long fs_entry(long (*cb)(long), long x) { return fs_big(cb, x) + 1; }
#else
#include <stdio.h>
#include <string.h>
#include <whence.h>
long fs_entry(long (*cb)(long), long x);
static const char *mode;
__attribute__((noinline)) long cb(long x) {
    if (!strcmp(mode, "callers")) {
        uintptr_t pcs[32];
        int n = whence_callers(0, pcs, 32);
        const char *end = whence_callers_end();
        whence_frames it;
        whence_frame f;
        whence_frames_init(&it, pcs, n);
        printf("callers:");
        while (whence_frames_next(&it, &f))
            printf(" %s", f.function);
        printf(" end=%s\n", end ? end : "complete");
    } else if (!strcmp(mode, "dump")) {
        whence_write_all_stacks(1);
    } else {
        *(volatile int *)0 = 1;
    }
    return x + 1;
}
__attribute__((noinline)) long mid(void) { return fs_entry(cb, 5) + 1; }
int main(int argc, char **argv) {
    whence_install_crash_handler();
    mode = argc > 1 ? argv[1] : "callers";
    printf("r=%ld\n", mid());
    return 0;
}
#endif
