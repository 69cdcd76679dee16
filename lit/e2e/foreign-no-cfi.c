// Code without records and without CFI (a library built
// -fno-asynchronous-unwind-tables; crtstuff's __do_global_dtors_aux, which
// runs a shared object's C++ destructors) that keeps frame pointers,
// calling back into instrumented code.  Was a bug: the unwinder found no
// FDE for its return address and the walk ended there, silently: only the
// callback was named.  A return address whose CFI is missing (or not
// interpreted) now steps through its frame record (runtime/unwind/,
// fp_step); the instrumented frames below are exact.
// A function without records and CFI that keeps no frame pointer either
// leaves its caller's record at the frame pointer: stepping through it
// would skip the caller (outer), and the call before that record's return
// address (main's call of outer) enters instrumented code, not the
// stepped function, so the step is refused (called_here): the stack ends,
// as before, rather than leave outer out (whence_write_stack and crash
// reports say so: foreign-omit-fp-no-cfi.c).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-omit-frame-pointer -c -DFOREIGN %s -o %t.foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t.foreign.o %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %t.foreign.o %whence_libs -o %t.g
// RUN: %run %t.g | FileCheck %s
// RUN: %clang -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -c -DFOREIGN %s -o %t.frameless.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t.frameless.o %whence_libs -o %t.fl
// RUN: %run %t.fl | FileCheck %s --check-prefix=FRAMELESS
// CHECK: cb outer main
// FRAMELESS: {{^}}cb {{$}}
#ifdef FOREIGN
volatile long g_sink;
__attribute__((noinline)) long g_call(long (*cb)(long), long x) {
    long r = cb(x);
    g_sink += r;
    return r + 1;
}
#else
#include <stdio.h>
#include <whence.h>

long g_call(long (*cb)(long), long x);

__attribute__((noinline)) long cb(long x) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("%s ", f.function);
    printf("\n");
    return x + 1;
}

__attribute__((noinline)) long outer(long x) {
    long r = g_call(cb, x);
    __asm__ volatile("" ::: "memory");
    return r;
}

int main(void) {
    return outer(1) == 3 ? 0 : 1;
}
#endif
