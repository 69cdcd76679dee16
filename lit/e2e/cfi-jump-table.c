// -fsanitize=cfi: the address of a function is its entry in a CFI jump
// table (`jmp rel32` padded with int3); whence_func_for_pc names the function
// that entry jumps to, with the function's own entry, and a return address
// inside the function still names it directly.
// REQUIRES: x86_64-linux, lld
// RUN: %clang -O2 -gline-tables-only -flto -fvisibility=hidden -fsanitize=cfi -fuse-ld=lld %whence_cflags %s %whence_libs -o %t
// RUN: %t | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -flto -fvisibility=hidden -fsanitize=cfi -fcf-protection=full -fuse-ld=lld %whence_cflags %s %whence_libs -o %t.ibt
// RUN: %t.ibt | FileCheck %s
// CHECK: through-table=1 target name=target entry-matches=1
// CHECK: other name=other
// CHECK: caller fn=main
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) int target(int x) {
    whence_frame f;
    whence_caller(0, &f);
    return x * 2 + (f.line > 0);
}
__attribute__((noinline)) int other(int x) { return x + 1; }
int (*volatile fp)(int) = target;
int (*volatile op)(int) = other;

int main(void) {
    uintptr_t p = (uintptr_t)fp;
    const whence_func *f = whence_func_for_pc(p);
    /* The pointer is not the function's code: the table entry jumps there. */
    int through = f && whence_func_entry(f) != p;
    printf("through-table=%d target name=%s entry-matches=%d\n", through, whence_func_name(f),
           f && whence_func_for_pc(whence_func_entry(f)) == f);
    printf("other name=%s\n", whence_func_name(whence_func_for_pc((uintptr_t)op)));
    whence_frame c;
    whence_caller(0, &c);
    printf("caller fn=%s %d\n", c.function, fp(3) + op(1));
    return 0;
}
