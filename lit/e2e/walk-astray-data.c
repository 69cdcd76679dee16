// Unwind tables that describe a frame's stack wrongly lead the walk to a
// "return address" that is an image's data: no frame is there, and what
// follows is not the stack.  glibc's AArch64 _dl_runtime_resolve leaves
// the 16 bytes PLT0 pushed out of its CFA, and a profile sample at its
// first instruction gave plain_run's caller as the GOT entry's address
// ("libplain.so+0x30a6f", lit/profile/foreign.c under qemu).  Here astray,
// foreign code in assembly, says its return address is where it pushed
// the address of a data word.  The walk stops there and says why
// (whence_callers_end, the written stack); it shows no frame at the data
// address (before: a frame "walk-astray-data+0x4010", the data word's, as
// foreign code, and what followed).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t 2>&1 | FileCheck %s
#include <stdio.h>
#include <unistd.h>
#include <whence.h>

void astray(void (*cb)(void));
__asm__(".text\n"
        ".globl astray\n"
        ".type astray,@function\n"
        "astray:\n"
        ".cfi_startproc\n"
        "  push %rbx\n"
        ".cfi_adjust_cfa_offset 8\n"
        "  lea astray_word(%rip), %rax\n"
        "  push %rax\n"
        ".cfi_adjust_cfa_offset 8\n"
        ".cfi_offset %rip, -24\n"
        "  sub $8, %rsp\n" /* (the callee's stack aligned) */
        ".cfi_adjust_cfa_offset 8\n"
        "  call *%rdi\n"
        "  add $16, %rsp\n"
        ".cfi_adjust_cfa_offset -16\n"
        ".cfi_offset %rip, -8\n"
        "  pop %rbx\n"
        ".cfi_adjust_cfa_offset -8\n"
        "  ret\n"
        ".cfi_endproc\n"
        ".size astray, .-astray\n"
        ".data\n"
        "astray_word: .quad 0\n"
        ".text\n");

__attribute__((noinline)) static void cb(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *end = whence_callers_end();
    printf("callers: %d, end: %s\n", n, end ? end : "(complete)");
    fflush(stdout);
    whence_write_stack(STDOUT_FILENO, 0);
}

int main(void) {
    astray(cb);
    return 0;
}
// CHECK: callers: 1, end: (the stack ends here: the unwind tables led to a return address in no code: a frame's tables do not describe its stack at its pc)
// CHECK-NEXT: cb(...)
// CHECK-NEXT: walk-astray-data.c:[[# @LINE - 9]] +0x{{[0-9a-f]+$}}
// CHECK-NEXT: (the stack ends here: the unwind tables led to a return address in no code: a frame's tables do not describe its stack at its pc)
// CHECK-NOT: {{.}}
