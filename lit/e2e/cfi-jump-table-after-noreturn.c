// A -fsanitize=cfi jump table placed right after an instrumented function
// that ends in a noreturn call: the pointer to handler, the table's entry,
// is also the address just past die's call of abort, which a plain pc is
// read as (a return address).  The stub there decides: it names handler
// (before, whence named die, with its line).  On AArch64 a table of one
// entry (`b handler.cfi`) cannot be told from a function built without the
// plugin that is one branch: the pointer is named by neither.
// REQUIRES: lld, (x86_64-linux || aarch64-linux)
// RUN: python3 %S/Inputs/cfi-end-pad.py llvm-nm %t %run -- %clang -O2 -gline-tables-only -flto -fvisibility=hidden -fsanitize=cfi-icall -fuse-ld=lld %whence_cflags %s %whence_libs > %t.out
// RUN: %if x86_64-linux %{ FileCheck %s --check-prefixes=CHECK,X86 < %t.out %}
// RUN: %if aarch64-linux %{ FileCheck %s --check-prefixes=CHECK,A64 < %t.out %}
// CHECK: die ends at handler's jump-table entry
// X86: pointer names handler line=[[#@LINE+6]] through-table=1
// A64: pointer names nothing
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>
__attribute__((noinline)) int handler(int x) { return x + 1; }
int (*volatile hp)(int) = handler;
void die(int);
int main(int argc, char **argv) {
    (void)argv;
    if (argc > 5)
        die(argc);
    uintptr_t p = (uintptr_t)hp;
    const whence_func *f = whence_func_for_pc(p);
    const char *file;
    int line = whence_func_line(f, p, &file);
    if (f)
        printf("pointer names %s line=%d through-table=%d\n", whence_func_name(f), line,
               whence_func_entry(f) != p);
    else
        printf("pointer names nothing\n");
    return hp(1) != 2;
}
/* Last in the module: ends in a call of abort, right before the table. */
__attribute__((noinline)) void die(int x) {
    if (x)
        printf("x=%d\n", x);
    __asm__ volatile(".fill " PAD ", 1, 0x90");
    abort();
}
