// One source compiled twice into one program, the two objects differing
// only in the name of an exported variable (-DSECOND): their whence tables
// are byte-identical, their module keys must not be (the key covers the
// defined variables' names), or the second object's slots (the default with
// -g) would point into a table the runtime does not know, and its frames
// would fall back to the functions' first lines.  With site labels too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O1 -g %whence_cflags -I%inputs -c %s -o %t.a.o
// RUN: %clang -O1 -g -DSECOND %whence_cflags -I%inputs -c %s -o %t.b.o
// RUN: %clang -O1 -g -DMAIN %whence_cflags -I%inputs -c %s -o %t.m.o
// RUN: %clang %t.m.o %t.a.o %t.b.o %whence_libs -o %t && %run %t 2>&1 | FileCheck %s --implicit-check-not=whence:
// RUN: %clang -O1 -gline-tables-only %whence_cflags -I%inputs -c %s -o %t.sa.o
// RUN: %clang -O1 -gline-tables-only -DSECOND %whence_cflags -I%inputs -c %s -o %t.sb.o
// RUN: %clang %t.m.o %t.sa.o %t.sb.o %whence_libs -o %t.s && %run %t.s 2>&1 | FileCheck %s --implicit-check-not=whence:
#include <stdio.h>
#include <whence.h>

#ifdef MAIN
extern void (*first_entry)(void);
extern void (*second_entry)(void);
int main(void) {
    puts("first:");
    first_entry();
    puts("second:");
    second_entry();
    return 0;
}
#else
#ifdef SECOND
#define PTR second_entry
#else
#define PTR first_entry
#endif
static void __attribute__((noinline)) leaf(void) {
    whence_frame fr;
    for (int k = 0; k < 2; k++) {
        whence_caller(k, &fr);
        printf("  %s %d\n", fr.function, fr.line);
    }
}
static void __attribute__((noinline)) entry(void) {
    leaf(); // line 42
    __asm__ volatile("" ::: "memory"); /* no tail call */
}
void (*PTR)(void) = entry;
#endif

// CHECK:      first:
// CHECK-NEXT:   leaf 37
// CHECK-NEXT:   entry 42
// CHECK-NEXT: second:
// CHECK-NEXT:   leaf 37
// CHECK-NEXT:   entry 42
