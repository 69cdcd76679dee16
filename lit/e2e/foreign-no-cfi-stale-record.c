// An instrumented callback called from code without unwind tables (hand-
// written assembly here) that uses %rbp as a general register pointing at
// two stack words that look like a frame record: {a frame address, a
// "return address" inside holder()}.  The frame-pointer step through such
// code (unwind.c fp_step) took that record, and the stack showed holder,
// which is not on it, with a line.  A record is now taken only when its
// return address follows a call, and a direct call there entered the
// object of the code being stepped, at or below its pc: the stack ends
// after the callback instead.  (Helper's finding.)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s --implicit-check-not=holder
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: %run %t.g | FileCheck %s --implicit-check-not=holder
// (strlen through mold's PLT entry: decoded as a stub into another object)
// RUN: %if mold %{ %clang -O2 -gline-tables-only -fuse-ld=mold %whence_cflags %s %whence_libs -o %t.mold %}
// RUN: %if mold %{ %run %t.mold | FileCheck %s --implicit-check-not=holder %}
// CHECK: (A) after no call
// CHECK-NEXT: callback
// CHECK-NEXT: (B) after a call of strlen
// CHECK-NEXT: callback
// CHECK-NEXT: done
#include <stdio.h>
#include <string.h>
#include <whence.h>

/* call_with_fake_rbp(fake, cb): %rbp = fake while it calls cb; no CFI. */
__asm__(".text\n"
        ".globl call_with_fake_rbp\n"
        ".type call_with_fake_rbp,@function\n"
        "call_with_fake_rbp:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    sub $8, %rsp\n"
        "    mov %rdi, %rbp\n"
        "    call *%rsi\n"
        "    add $8, %rsp\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n"
        ".size call_with_fake_rbp, .-call_with_fake_rbp\n");
void call_with_fake_rbp(void **fake, void (*cb)(void));
extern char ra_nocall[], ra_libc[];

__attribute__((noinline)) size_t holder(const char *s) {
    size_t n = strlen(s); /* a call of code without records */
    __asm__ volatile(".globl ra_libc\nra_libc:\nnop\n.globl ra_nocall\nra_nocall:\nnop");
    return n + 1;
}

__attribute__((noinline)) void callback(void) {
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("%s\n", f.function);
}

__attribute__((noinline)) void work(void *up, void *ra) {
    void *fake[2] = {up, ra}; /* what %rbp points at: {next fp, "return address"} */
    call_with_fake_rbp(fake, callback);
    __asm__ volatile("" ::"r"(fake) : "memory");
}

int main(void) {
    holder("x");
    printf("(A) after no call\n");
    work(__builtin_frame_address(0), ra_nocall);
    printf("(B) after a call of strlen\n");
    work(__builtin_frame_address(0), ra_libc);
    printf("done\n");
    return 0;
}
