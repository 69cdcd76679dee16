// A call made by inline asm (asm("call f")) pushes a return address inside
// its function like any call.  Was a bug: the asm had no site of its own, so
// its return address took the label of the function's previous call, and
// the frame read that call's line as if exact (line 9 for the call at 11
// in the first report).  Such an asm is now a site (passes/asmcalls.c):
// every frame below names the asm statement's own line (__LINE__), in
// label and frame-slot builds, with the post-link table and stripped.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g && %t.g | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g0 && %t.g0 | FileCheck %s
// RUN: %whence_link --quiet --strict -o %t.O2.tab %t.O2 && %t.O2.tab | FileCheck %s
// RUN: llvm-strip -s %t.O2 -o %t.O2s && %t.O2s | FileCheck %s
// CHECK: first: right
// CHECK: prefixed: right
// CHECK: intel: right
// CHECK: two: right right
// A call 80 bytes into its asm: a walk's frame takes the asm's own label
// (the greatest at or below its return address - 1), with or without the
// line table.
// CHECK: far: right
// CHECK: plain-asm: right
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define CLOBBERS "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory"

static int want;       /* the line the asm's frame must read */
static char seen[64];  /* what it read */

/* The frame above: the function whose asm called here. */
__attribute__((noinline, used)) void target(void) {
    uintptr_t pcs[4];
    int n = whence_callers(1, pcs, 4);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    const char *r = "missing";
    if (whence_frames_next(&it, &f))
        r = f.line == want ? "right" : f.line == 0 ? "unknown" : "WRONG";
    if (!strcmp(r, "WRONG"))
        printf("(read %s:%d, want %d) ", f.function, f.line, want);
    strncat(seen, r, sizeof seen - strlen(seen) - 2);
    strcat(seen, " ");
}

__attribute__((noinline)) void first(void) {
    fflush(stdout);
    want = __LINE__ + 1;
    __asm__ volatile("call target" ::: CLOBBERS);
    fflush(stdout);
}

__attribute__((noinline)) void prefixed(void) {
    fflush(stdout);
    want = __LINE__ + 1;
    __asm__ volatile("nop\n\tlfence; notrack callq target" ::: CLOBBERS);
    fflush(stdout);
}

__attribute__((noinline)) void intel(void) {
    fflush(stdout);
    want = __LINE__ + 1;
    __asm__ volatile(".intel_syntax noprefix\n\tcall target\n\t.att_syntax prefix" ::: CLOBBERS);
    fflush(stdout);
}

__attribute__((noinline)) void two(void) {
    fflush(stdout);
    want = __LINE__ + 1;
    __asm__ volatile("1: call target\n\tcall target" ::: CLOBBERS);
    fflush(stdout);
}

__attribute__((noinline)) void far(void) {
    fflush(stdout);
    want = __LINE__ + 1;
    __asm__ volatile(".fill 20, 4, 0x00401f0f\n\tcall target" ::: CLOBBERS);
    fflush(stdout);
}

/* An asm without a call changes nothing: the next call keeps its line. */
__attribute__((noinline)) void plain_asm(void) {
    __asm__ volatile("nop; syscall_label: nop" ::: "memory");
    want = __LINE__ + 1;
    target();
    fflush(stdout);
}

int main(void) {
    first();
    printf("first: %s\n", seen), seen[0] = 0;
    prefixed();
    printf("prefixed: %s\n", seen), seen[0] = 0;
    intel();
    printf("intel: %s\n", seen), seen[0] = 0;
    two();
    printf("two: %s\n", seen), seen[0] = 0;
    far();
    printf("far: %s\n", seen), seen[0] = 0;
    plain_asm();
    printf("plain-asm: %s\n", seen), seen[0] = 0;
    return 0;
}
