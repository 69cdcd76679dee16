// whence_caller(skip) through a noinline chain main -> a -> b -> c -> d:
// skip 0..4 name d, c, b, a, main at the exact lines of the calls; past main
// (libc's start code is not instrumented) it returns false and fills in the
// unknown values.  b calls c in tail position: the pass must keep b's frame.
// Each frame's pc, func and entry must agree with whence_func_for_pc and with
// the real function addresses.  -O0..-O3, PIE and non-PIE, PIC code in a
// non-PIE executable, shared and static libwhence.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O1 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O1 && %run %t.O1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O3 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O3 && %run %t.O3 | FileCheck %s
// RUN: %clang -Os -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.Os && %run %t.Os | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.nopie0 && %run %t.nopie0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.nopie2 && %run %t.nopie2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fPIC -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.picnopie && %run %t.picnopie | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.static0 && %run %t.static0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.static2 && %run %t.static2 | FileCheck %s
// AArch64 (qemu-user): return addresses signed with pac-ret (paciasp), BTI landing pads.
// RUN: %if aarch64-linux %{ %clang -O0 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac0 && %run %t.pac0 | FileCheck %s %}
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac2 && %run %t.pac2 | FileCheck %s %}
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.pacst && %run %t.pacst | FileCheck %s %}
#include "whence_e2e.h"

#include <stdbool.h>

NOINLINE int a(int x);
NOINLINE int b(int x);
NOINLINE int c(int x);
NOINLINE int d(int x);
static void show(int skip, bool ok, const whence_frame *f, void *want_fn);
static volatile int sink;
static int mismatches;

int main(int argc, char **argv) {
    whence_frame f;
    bool ok0 = whence_caller(0, &f); printf("main0 ok=%d ", ok0); e2e_print("", &f);
    // CHECK: main0 ok=1  fn=main file=caller-skip.c line=[[@LINE-1]] inl=0
    memset(&f, 0x5a, sizeof f);
    bool ok1 = whence_caller(1, &f); printf("main1 ok=%d unknown=%d\n", ok1, e2e_is_unknown(&f));
    // CHECK-NEXT: main1 ok=0 unknown=1
    int r = a(argc);
    // d() prints from the outermost requested frame down to skip 0:
    // CHECK-NEXT: skip=6 ok=0  fn=? file=? line=0 inl=0
    // CHECK-NEXT: skip=5 ok=0  fn=? file=? line=0 inl=0
    // CHECK-NEXT: skip=4 ok=1  fn=main file=caller-skip.c line=[[@LINE-4]] inl=0
    sink = r;
    printf("mismatches=%d\n", mismatches);
    return mismatches != 0;
}

NOINLINE int a(int x) {
    int r = b(x) * 2;
    // CHECK-NEXT: skip=3 ok=1  fn=a file=caller-skip.c line=[[@LINE-1]] inl=0
    sink = r;
    return r;
}

NOINLINE int b(int x) {
    return c(x + 1);
    // CHECK-NEXT: skip=2 ok=1  fn=b file=caller-skip.c line=[[@LINE-1]] inl=0
}

NOINLINE int c(int x) {
    int r = d(x);
    // CHECK-NEXT: skip=1 ok=1  fn=c file=caller-skip.c line=[[@LINE-1]] inl=0
    sink = r;
    return r;
}

NOINLINE int d(int x) {
    void *want[7] = {(void *)d, (void *)c, (void *)b, (void *)a, (void *)main, 0, 0};
    whence_frame f[7];
    bool ok[7];
    memset(f, 0x5a, sizeof f);
    for (int s = 0; s <= 6; s++) ok[s] = whence_caller(s, &f[s]);
    for (int s = 6; s >= 0; s--) show(s, ok[s], &f[s], want[s]);
    // CHECK-NEXT: skip=0 ok=1  fn=d file=caller-skip.c line=[[@LINE-2]] inl=0
    return x + 1;
}

// Prints one result and checks it against what the program knows: the
// function whose frame it is (want_fn; NULL when no frame is expected).
// Any "BAD" line breaks the CHECK-NEXT sequence above.
static void show(int skip, bool ok, const whence_frame *f, void *want_fn) {
    printf("skip=%d ok=%d ", skip, (int)ok);
    e2e_print("", f);
    if (!want_fn) {
        if (ok || !e2e_is_unknown(f)) {
            printf("  BAD: skip=%d should be past the top, with the unknown values\n", skip);
            mismatches++;
        }
        return;
    }
    if (!ok || f->entry != (uintptr_t)want_fn || f->inlined) {
        printf("  BAD: skip=%d entry=%#lx want %p\n", skip, (unsigned long)f->entry, want_fn);
        mismatches++;
    }
    const whence_func *fn = whence_func_for_pc(f->pc);
    if (!fn || !f->func || strcmp(whence_func_name(fn), f->function) != 0 ||
        strcmp(whence_func_name(f->func), f->function) != 0 ||
        whence_func_entry(fn) != f->entry || whence_func_entry(f->func) != f->entry) {
        printf("  BAD: skip=%d pc/func/entry disagree (for_pc=%s func=%s)\n", skip,
               whence_func_name(fn), whence_func_name(f->func));
        mismatches++;
    }
    if (f->column <= 0) {
        printf("  BAD: skip=%d column=%d\n", skip, f->column);
        mismatches++;
    }
}

// CHECK-NEXT: mismatches=0
// CHECK-NOT: BAD
