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
// REQUIRES: x86_64-linux || aarch64-linux
// seg and sjlj are x86-64's (__seg_fs; __builtin_setjmp, which clang has
// no AArch64 lowering for): checked there only.
// DEFINE: %{cc} = %clang -fms-extensions -gline-tables-only %whence_cflags %gc_inc %s %gc_libs
// RUN: %{cc} -O0 -o %t.0 && %run %t.0 | FileCheck %s %if x86_64-linux %{--check-prefixes=CHECK,X86%}
// RUN: %{cc} -O1 -o %t.1 && %run %t.1 | FileCheck %s %if x86_64-linux %{--check-prefixes=CHECK,X86%}
// RUN: %{cc} -O2 -o %t.2 && %run %t.2 | FileCheck %s %if x86_64-linux %{--check-prefixes=CHECK,X86%}
// RUN: env WHENCE_LIVENESS=strict %{cc} -O2 -o %t.s && %run %t.s | FileCheck %s %if x86_64-linux %{--check-prefixes=CHECK,X86%}
// RUN: env WHENCE_LIVENESS=strict %{cc} -O0 -o %t.s0 && %run %t.s0 | FileCheck %s %if x86_64-linux %{--check-prefixes=CHECK,X86%}
// CHECK: guard 42
// X86-NEXT: seg 0
// CHECK-NEXT: ptr32 107
// X86-NEXT: sjlj 42
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

#ifdef __x86_64__
__attribute__((noinline)) unsigned long seg(unsigned long __seg_fs *p) {
    unsigned long a = p[2];
    whence_gc();
    return a - p[2];
}
#endif

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

#ifdef __x86_64__
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
#endif

int main(void) {
    printf("guard %d\n", guard(0));
#ifdef __x86_64__
    /* (x86-64 glibc: %fs:0x10 is the thread's own TCB address) */
    unsigned long __seg_fs *volatile tcb = 0;
    printf("seg %lu\n", seg(tcb));
#endif
    printf("ptr32 %d\n", ptr32(100));
#ifdef __x86_64__
    printf("sjlj %d\n", sjlj());
#endif
    return 0;
}
