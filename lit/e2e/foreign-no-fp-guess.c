// Code without frame pointers or unwind tables between instrumented frames
// (main -> mid through a pointer -> foreign -> callback): the foreign
// frame's %rbp is still mid's frame record, and the step through it takes
// that record only where the code before the pc sets up a frame pointer of
// its own.  The scan for that was fooled (helper-121): by the bytes of the
// mov in a constant (0xe58948), by a previous function that ends with the
// stack protector's failure call after its ret (no boundary seen: its own
// prologue answered), and under -mretpoline by the thunk the record's call
// names (read on from the thunk into the functions after it), and by a
// previous function that keeps a frame pointer right before it with no
// padding between (-Os -falign-functions=1, helper-123).  mid was
// left out and the stack said complete; now the walk stops there and
// says so.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -DFOREIGN=1 -c %s -o %t/const.o
// RUN: %clang -O2 -fstack-protector-strong -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -DFOREIGN=2 -c %s -o %t/ssp.o
// RUN: %clang -Os -falign-functions=1 -fno-stack-protector -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -DFOREIGN=3 -c %s -o %t/packed.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/packed.o %whence_libs -o %t/p
// RUN: %run %t/p | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/const.o %whence_libs -o %t/c
// RUN: %run %t/c | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/ssp.o %whence_libs -o %t/s
// RUN: %run %t/s | FileCheck %s
// RUN: %clang -O2 -mretpoline -gline-tables-only %whence_cflags %s %t/ssp.o %whence_libs -o %t/r
// RUN: %run %t/r | FileCheck %s
// CHECK: stack: {{(cb mid main complete|cb .*stack ends here.*)$}}
#if FOREIGN
#include <string.h>
volatile long sink;
#if FOREIGN >= 2
long fg_fmt(const char *s, int n) { /* a frame pointer (a VLA) and the stack protector */
    char buf[n + 1];
    memcpy(buf, s, n);
    buf[n] = 0;
    return (long)strlen(buf);
}
#endif
long fg_const(long (*cb)(long), long x) {
    long r = cb(x ^ 0xe58948L); /* a constant whose bytes are 48 89 e5 */
    sink += r;
    return r * 2;
}
#else
#include <stdio.h>
#include <whence.h>

long fg_const(long (*cb)(long), long x);

__attribute__((noinline)) long cb(long x) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("stack:");
    while (whence_frames_next(&it, &f))
        printf(" %s", f.function);
    printf(" %s\n", whence_callers_end() ? whence_callers_end() : "complete");
    return x + 1;
}
__attribute__((noinline)) long mid(long (*f)(long (*)(long), long)) { return f(cb, 5) + 1; }
long (*volatile pmid)(long (*)(long (*)(long), long)) = mid;

int main(void) { return pmid(fg_const) == 0; }
#endif
