// Code shapes the stack-liveness clearing got wrong (a helper's random
// programs and hand-made cases): each must compute what it computes
// without the pass.
// - guard: a guarded clear tested what a holder held at the clear, but a
//   read that followed went through a copy loaded from the holder before
//   it, the holder since pointed elsewhere: the live field was zeroed
//   (-O1 and up).  A holder with such a copy is no guard now.
// - seg: a pointer into the %fs segment (__seg_fs), live across whence_gc,
//   was demoted into a slot and reloaded as a flat pointer: a fault.
// - ptr32: a __ptr32 field (4 bytes) was cleared with an 8-byte store,
//   zeroing the int after it.  Pointers of other address spaces are left
//   alone now, as integers are.
// - sjlj: __builtin_setjmp returns twice without the returns_twice
//   attribute: a field read only after the second return was cleared on
//   the way to the __builtin_longjmp.
// REQUIRES: x86_64-linux
// DEFINE: %{cc} = %clang -fms-extensions -gline-tables-only %whence_cflags %gc_inc %s %gc_libs
// RUN: %{cc} -O0 -o %t.0 && %t.0 | FileCheck %s
// RUN: %{cc} -O1 -o %t.1 && %t.1 | FileCheck %s
// RUN: %{cc} -O2 -o %t.2 && %t.2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %{cc} -O2 -o %t.s && %t.s | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %{cc} -O0 -o %t.s0 && %t.s0 | FileCheck %s
// CHECK: guard 42
// CHECK-NEXT: seg 0
// CHECK-NEXT: ptr32 107
// CHECK-NEXT: sjlj 42
#include <stdio.h>
#include <whence_gc.h>

static int g = 42;

struct s {
    int *ptr;
    long pad;
};
static struct s other = {&g, 0};

__attribute__((noinline)) static int guard(int k) {
    struct s s;
    s.ptr = &g;
    s.pad = 1;
    switch (k) {
        struct s *volatile p; /* (bypassed by the switch: no lifetime markers) */
    case 0:
        p = &s;
        struct s *v = p; /* a copy, at -O1 and up */
        p = &other;
        whence_keep_alive(&s);
        int *q = v->ptr;
        return q ? *q : -1;
    }
    return 0;
}

__attribute__((noinline)) unsigned long seg(unsigned long __seg_fs *p) {
    unsigned long a = p[2];
    whence_gc();
    return a - p[2];
}

struct s32 {
    int *__ptr32 p;
    int x;
};

__attribute__((noinline)) static int ptr32(int k) {
    struct s32 s;
    s.p = (int *__ptr32)(unsigned long)&g;
    s.x = k;
    whence_keep_alive(&s);
    int r = (int)(unsigned long)s.p == (int)(unsigned long)&g ? 7 : 0;
    whence_keep_alive(&s.x);
    return r + s.x;
}

static void *jb[5];

__attribute__((noinline, noreturn)) static void jump(void) {
    __builtin_longjmp(jb, 1);
}

__attribute__((noinline)) static int sjlj(void) {
    struct s s;
    s.ptr = &g;
    if (__builtin_setjmp(jb) == 0) {
        whence_keep_alive(&s);
        jump();
    }
    whence_keep_alive(&s);
    return s.ptr ? *s.ptr : -1;
}

int main(void) {
    printf("guard %d\n", guard(0));
    /* (x86-64 glibc: %fs:0x10 is the thread's own TCB address) */
    unsigned long __seg_fs *volatile tcb = 0;
    printf("seg %lu\n", seg(tcb));
    printf("ptr32 %d\n", ptr32(100));
    printf("sjlj %d\n", sjlj());
    return 0;
}
