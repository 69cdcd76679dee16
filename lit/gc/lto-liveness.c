// Liveness under LTO with the plugin at compile time and at the lld link: the
// pre-link run keeps a pointer live across whence_gc in a slot of its own
// (stored after its definition, reloaded after each call, cleared after its
// last use: liveness_strict.c), and the LTO backend takes that out again
// before it optimizes (passes/lto.c), the pointer's own uses restored, so the
// final code is instrumented once.  Taking out only the inserted
// instructions would leave the reloads reading a slot nobody stores to.
// Thin and full LTO; the program reads the object through the pointer after
// each collection.
// REQUIRES: x86_64-linux || aarch64-linux
// REQUIRES: lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -flto=thin -fpass-plugin=%plugin %gc_inc -c %s -o %t/thin.o
// RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip,verify' %t/thin.o -S -o - | FileCheck %s --check-prefix=GONE
// RUN: %clang -O2 -flto=thin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %t/thin.o -o %t/thin %gc_libs
// RUN: %run %t/thin | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -flto=full -fpass-plugin=%plugin %gc_inc -c %s -o %t/full.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %t/full.o -o %t/full %gc_libs
// RUN: %run %t/full | FileCheck %s
//
// The pre-link bitcode has the slot; the strip leaves none of it.
// RUN: llvm-dis %t/thin.o -o - | FileCheck %s --check-prefix=BC
// BC-LABEL: define {{.*}} @direct(
// BC: load ptr, ptr %{{.*}}, !whence.inserted
// GONE-LABEL: define {{.*}} @direct(
// GONE-NOT: alloca
// GONE: [[P:%[0-9]+]] = call ptr @whence_gc_alloc(
// GONE-NOT: load ptr
// GONE: call void @keeps(ptr noundef [[P]], i32 noundef 0)
// GONE-NOT: load ptr
// GONE: call void @keeps(ptr noundef [[P]], i32 noundef 1)
// GONE: }
// CHECK: direct: 21 21
#include "gctest.h"

#include <stdio.h>

struct node {
    struct node *next;
    int v;
};

NOINLINE void keeps(struct node *p, int k) { printf(k ? " %d\n" : "direct: %d", p->v); }

NOINLINE void direct(int n) {
    struct node *p = whence_gc_alloc(sizeof *p);
    p->v = n;
    whence_gc();
    keeps(p, 0);
    whence_gc();
    keeps(p, 1);
    whence_gc();
}

int main(void) {
    direct(21);
    return 0;
}
