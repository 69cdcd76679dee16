// -fsanitize=cfi-icall: the address of a shared library's function, taken
// in the program, is the program's jump-table entry, which jumps to the
// program's PLT entry for it: two stubs before the function (before, the
// pointer was named by nothing, with the library bound and after calls).
// Before the first call the PLT entry's slot is not bound yet: the
// function is found by the name of the slot's relocation, defined by one
// loaded object only.  (Two functions of one type: AArch64's table of one
// entry reads as a function that is one branch, cfi-jump-table-after-
// noreturn.c.)
// REQUIRES: lld, (x86_64-linux || aarch64-linux)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DLIB %s %whence_libs -o %t/libh.so
// RUN: %clang -O2 -gline-tables-only -flto -fvisibility=hidden -fsanitize=cfi-icall -fuse-ld=lld %whence_cflags %s -L%t -Wl,-rpath,%t -lh %whence_libs -o %t/a
// RUN: %run %t/a | FileCheck %s
// RUN: env LD_BIND_NOW=1 %run %t/a | FileCheck %s
// CHECK: before the call: lib_handler line=[[#@LINE+6]] through-table=1
// CHECK: after the call: lib_handler line=[[#@LINE+5]] through-table=1
#include <stdint.h>
#include <stdio.h>
#include <whence.h>
#if defined(LIB)
__attribute__((visibility("default"))) int lib_handler(int x) { return x + 2; }
__attribute__((visibility("default"))) int lib_other(int x) { return x + 3; }
#else
int lib_handler(int), lib_other(int);
int (*volatile hp)(int) = lib_handler;
int (*volatile op)(int) = lib_other;
static void show(const char *when) {
    uintptr_t p = (uintptr_t)hp;
    const whence_func *f = whence_func_for_pc(p);
    const char *file;
    int line = whence_func_line(f, p, &file);
    printf("%s: %s line=%d through-table=%d\n", when, f ? whence_func_name(f) : "nothing", line,
           f && whence_func_entry(f) != p);
}
int main(void) {
    show("before the call");
    int r = hp(1);
    show("after the call");
    return r != 3 || op(1) != 4;
}
#endif
