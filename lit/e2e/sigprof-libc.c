// Samples that interrupt libc (malloc and free, which have no frame
// pointers) in an epilogue, after it popped callee-saved registers: the walk
// from the signal context knows only the pc, stack and frame pointers, and
// the CFI still says where the popped registers were saved, now below the
// stack pointer.  Was a bug: the unwinder gave up there (about 1 sample in
// 120 had no frame at all); such a register is simply unknown.  Every
// sample must reach the instrumented caller of malloc.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -c -I%whence_incdir %S/Inputs/sample_handler.c -o %t.h.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t.h.o %whence_libs -o %t && %t | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %t.h.o %whence_libs -o %t.g && %t.g | FileCheck %s
// CHECK: samples>=1000: 1 empty=0 all_reached=1
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

void sampler_start(const whence_func *f);
int sampler_count(void);
void sampler_stop(void);

__attribute__((noinline)) void *churn(int i) {
    void *p = malloc(16 + (unsigned)(i % 4000));
    memset(p, 1, 16);
    return p;
}

__attribute__((noinline)) void loop(void) {
    static void *keep[1024];
    for (long i = 0; sampler_count() < 1500; i++) {
        int k = (int)(i & 1023);
        free(keep[k]);
        keep[k] = churn((int)i);
    }
}

int main(void) {
    /* Every sample's stack holds a frame of loop(). */
    sampler_start(whence_func_for_pc((uintptr_t)loop));
    loop();
    sampler_stop();
    return 0;
}
