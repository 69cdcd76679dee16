// Relocatable links (ld -r) of instrumented objects, then the final link.
// With one linker for both steps every record survives and every answer is
// exact.  Across linkers the records may not: ld.lld -r writes an object of
// OS ABI "System V", in which gold takes SHF_GNU_RETAIN for a flag it does
// not know, so gold makes two whence_mod output sections, and the module
// constructor's bounds hold one of them: the functions of the other
// object have records that name no table.  Their frames were skipped as
// foreign code, and whence_caller(1) from a1 called by b1 named main's
// line, a wrong answer as a right one.  Now whence says once what it
// dropped, and such a frame is instrumented code without records: an
// unknown frame, which whence_caller does not count past, and which the
// stack shows by its symbol and line table.
// REQUIRES: x86_64-linux, lld, ld.gold, ld.bfd
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -g %whence_cflags -DPART_A -c %s -o %t/a.o
// RUN: %clang -O0 -g %whence_cflags -c %s -o %t/b.o
//
// One linker for both steps: exact.
// RUN: %clang -fuse-ld=lld -nostdlib -r %t/a.o -o %t/ra-lld.o
// RUN: %clang -fuse-ld=lld %t/ra-lld.o %t/b.o %whence_libs -o %t/lld-lld
// RUN: %run %t/lld-lld 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: %clang -fuse-ld=gold -nostdlib -r %t/a.o -o %t/ra-gold.o
// RUN: %clang -fuse-ld=gold %t/ra-gold.o %t/b.o %whence_libs -o %t/gold-gold
// RUN: %run %t/gold-gold 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: %clang -fuse-ld=bfd -nostdlib -r %t/a.o -o %t/ra-bfd.o
// RUN: %clang -fuse-ld=bfd %t/ra-bfd.o %t/b.o %whence_libs -o %t/bfd-bfd
// RUN: %run %t/bfd-bfd 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: %clang -fuse-ld=lld %t/ra-bfd.o %t/b.o %whence_libs -o %t/bfd-lld
// RUN: %run %t/bfd-lld 2>&1 | FileCheck %s --check-prefix=EXACT
//
// ld.lld -r, then gold: b.o's table is the one found (b.o first) ...
// RUN: %clang -fuse-ld=gold %t/b.o %t/ra-lld.o %whence_libs -o %t/lld-gold-b
// RUN: %run %t/lld-gold-b 2>&1 | FileCheck %s --check-prefix=LOST-A
// ... or a.o's (the partial link first).
// RUN: %clang -fuse-ld=gold %t/ra-lld.o %t/b.o %whence_libs -o %t/lld-gold-a
// RUN: %run %t/lld-gold-a 2>&1 | FileCheck %s --check-prefix=LOST-B
// whence-link leaves such a file as it is (its table would have no entry
// for the lost functions, and a lookup there finding nothing skipped the
// frame as foreign code again):
// RUN: cp %t/lld-gold-a %t/lld-gold-a.wl
// RUN: %whence_link %t/lld-gold-a.wl 2>&1 | FileCheck %s --check-prefix=WL
// RUN: cmp %t/lld-gold-a %t/lld-gold-a.wl
// WL: dropped {{[0-9]+}} of {{[0-9]+}} function records ({{[0-9]+}} with an unknown module key)
// WL: some of its functions have records that name no module table {{.*}}: left unchanged
//
// EXACT-NOT: whence:
// LOST-A: whence: image at 0x{{[0-9a-f]+}}: dropped {{[0-9]+}} of {{[0-9]+}} function records ({{[0-9]+}} with an unknown module key)
#include <stdio.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static void say(const char *who) {
    whence_frame f;
    fflush(stdout);
    if (whence_caller(2, &f))
        printf("%s caller(1): %s %s:%d\n", who, f.function, f.file, f.line);
    else
        printf("%s caller(1): unknown\n", who);
    fflush(stdout);
}

#ifdef PART_A
NOINLINE void b1(void);
NOINLINE void a1(void) {
    say("a1");
    whence_write_stack(STDOUT_FILENO, 0);
}
int main(void) {
    a1();
    // EXACT: a1 caller(1): main {{.*}}partial-link.c:[[@LINE-1]]
    // LOST-A: a1 caller(1): unknown
    // LOST-A-NEXT: a1(...) (instrumented code without records)
    // LOST-A: main(...) (instrumented code without records)
    // LOST-A-NEXT: partial-link.c:[[@LINE-5]]
    // LOST-B: a1 caller(1): main {{.*}}partial-link.c:[[@LINE-6]]
    // LOST-B-NEXT: whence: image at 0x{{[0-9a-f]+}}: dropped {{[0-9]+}} of {{[0-9]+}} function records ({{[0-9]+}} with an unknown module key)
    // LOST-B-NEXT: a1(...){{$}}
    // LOST-B: main(...){{$}}
    // LOST-B-NEXT: partial-link.c:[[@LINE-10]]
    b1();
    return 0;
}
#else
void a1(void);
NOINLINE void b2(void) {
    say("b2");
}
NOINLINE void b1(void) {
    b2();
    // EXACT: b2 caller(1): b1 {{.*}}partial-link.c:[[@LINE-1]]
    // LOST-A: b2 caller(1): b1 {{.*}}partial-link.c:[[@LINE-2]]
    // LOST-B: b2 caller(1): unknown
    a1();
    // EXACT: a1 caller(1): b1 {{.*}}partial-link.c:[[@LINE-1]]
    // LOST-A: a1 caller(1): unknown
    // LOST-A: b1(...){{$}}
    // LOST-A-NEXT: partial-link.c:[[@LINE-4]]
    // LOST-B: a1 caller(1): unknown
    // LOST-B: b1(...) (instrumented code without records)
    // LOST-B-NEXT: partial-link.c:[[@LINE-7]]
}
#endif
