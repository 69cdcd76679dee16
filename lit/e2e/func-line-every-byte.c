// whence_func_line(f, pc) is the line of the instruction holding pc, as Go's
// Func.FileLine: asked for every byte of functions full of calls, loops and
// epilogues, against the line table (llvm-symbolizer), it gives that line
// or 0 (unknown), never another.  It gave the call's line to the
// instruction right after a call (a return address itself: a program's
// fault handler asking about the load that faulted there; whence.h says to
// pass ra - 1), and to bytes whose neighbours merely read as the end of a
// call: `ja` with the offset 0xe8 and the pops after it (helper-142,
// SQLite's testfixture; helper-141, libperl).  The call a byte belongs to
// is decoded forward from its label now (runtime/arch/x86_64_insn.h).
// Stripped (no line table), a call's bytes keep the call's line and every
// other byte reads 0.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t > %t.lines && python3 %S/Inputs/func_line_bytes.py %t < %t.lines | FileCheck %s
// RUN: llvm-strip -s %t -o %t.s
// RUN: %run %t.s > %t.s.lines && python3 %S/Inputs/func_line_bytes.py --dwarf %t < %t.s.lines | FileCheck %s --check-prefix=STRIP
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t.0
// RUN: %run %t.0 > %t.0.lines && python3 %S/Inputs/func_line_bytes.py %t.0 < %t.0.lines | FileCheck %s
// CHECK: bytes {{[0-9]+}} exact {{[0-9]+}} unknown {{[0-9]+}} WRONG 0
// STRIP: bytes {{[0-9]+}} exact {{[1-9][0-9]*}} unknown {{[0-9]+}} WRONG 0
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

extern char __ehdr_start;
void *apVfs[20];
int nVfs = 2;
__attribute__((noinline)) void vfs_register(void *p, int mk) { __asm__ volatile("" ::"r"(p), "r"(mk)); }
__attribute__((noinline)) double scale(double x, int k) { return x * k; }

__attribute__((noinline)) int reregister_all(void) {
    int i;
    for (i = nVfs - 1; i >= 0; i--) {
        vfs_register(apVfs[i], 1);
    }
    return 0;
}

__attribute__((noinline)) double mixed(int n, void (*cb)(void *, int)) {
    double s = 0;
    for (int k = 0; k < n; k++) {
        s += scale(s + k, k & 3);
        if (k % 3 == 0)
            cb(apVfs[k % 20], k);
        else
            s -= scale(1.5, n - k);
    }
    return s;
}

static void scan(const void *fn) {
    const whence_func *f = whence_func_for_pc((uintptr_t)fn);
    uintptr_t entry = whence_func_entry(f);
    for (uintptr_t pc = entry; whence_func_for_pc(pc) == f && pc - entry < 4096; pc++)
        printf("%lx %d\n", (unsigned long)(pc - (uintptr_t)&__ehdr_start), whence_func_line(f, pc, NULL));
}

int main(void) {
    reregister_all();
    mixed(5, vfs_register);
    scan((const void *)reregister_all);
    scan((const void *)mixed);
    scan((const void *)main);
    return 0;
}
