// A function record damaged after the link (its entry moved far outside
// the image's code, and just below it): the runtime never reads the code
// bytes such a record names (they may be unmapped), drops it with one
// message, and names every other function as before.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.far
// RUN: python3 %S/Inputs/move_fn_record.py %t.far victim 0x4000000
// RUN: %run %t.far 2>&1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.below
// RUN: python3 %S/Inputs/move_fn_record.py %t.below victim -0x100000
// RUN: %run %t.below 2>&1 | FileCheck %s
// CHECK: whence: image at 0x{{[0-9a-f]+}}: dropped 1 of {{[0-9]+}} function records (1 outside the image's code)
// CHECK-NOT: whence:
// CHECK: victim: unknown
// CHECK: first: first
// CHECK: second: second
// CHECK: caller: main, the line of the call
// CHECK: done
#include <stdio.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
static volatile int sink;

NOINLINE void first(void) { sink = 1; }
NOINLINE void victim(void) { sink = 2; }
NOINLINE void second(void) { sink = 3; }

NOINLINE static void report(const char *what, void (*f)(void)) {
    const whence_func *fn = whence_func_for_pc((uintptr_t)f + 1);
    printf("%s: %s\n", what, fn ? whence_func_name(fn) : "unknown");
}

NOINLINE static void where(int line) {
    whence_frame fr;
    whence_caller(1, &fr);
    printf("caller: %s, %s\n", fr.function, fr.line == line ? "the line of the call" : "ANOTHER LINE");
}

int main(void) {
    /* Enough lookups that the runtime builds its buckets, where every
     * record is checked. */
    for (int i = 0; i < 100; i++) {
        whence_func_for_pc((uintptr_t)first + 1);
        whence_func_line(whence_func_for_pc((uintptr_t)victim + 1), (uintptr_t)victim + 2, NULL);
    }
    report("victim", victim);
    report("first", first);
    report("second", second);
    where(__LINE__);
    first(), victim(), second();
    puts("done");
    return 0;
}
