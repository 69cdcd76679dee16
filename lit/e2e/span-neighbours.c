// whence_callers takes a return address as instrumented without a lookup
// when it lies in a run of instrumented functions with only padding
// between them.  Here an uninstrumented function sits right between two
// instrumented ones (objects linked in the order a.o c.o u.o b.o, a few bytes
// apart, after c.o's function): a thunk in assembly that saves the frame pointer, puts garbage in
// it (as glibc's qsort leaves it) and calls back.  The run around b.o's
// function must stop at the thunk, and the walk must continue through the
// thunk's CFI to outer and main, the same on every call (the first one
// learns the runs, the others use them).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DPART_A -c %s -o %t/a.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DPART_C -c %s -o %t/c.o
// RUN: %clang -O2 -DPART_U -c %s -o %t/u.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DPART_B -c %s -o %t/b.o
// RUN: %clang %t/a.o %t/c.o %t/u.o %t/b.o %whence_libs -o %t/main
// RUN: %run %t/main | FileCheck %s
// RUN: %clang %t/a.o %t/c.o %t/u.o %t/b.o %whence_static -lpthread -ldl -o %t/main-static
// RUN: %run %t/main-static | FileCheck %s
// CHECK: call 0: inner outer main
// CHECK-NEXT: call 1: inner outer main
// CHECK-NEXT: call 2: inner outer main
// CHECK-NEXT: lines ok, 0 wrong

#ifdef PART_U
/* void u_thunk(void (*f)(void)): calls f with a frame pointer of 1. */
#if defined(__x86_64__)
__asm__(".text\n"
        ".p2align 4\n"
        ".globl u_thunk\n"
        ".type u_thunk,@function\n"
        "u_thunk:\n"
        ".cfi_startproc\n"
        "  push %rbp\n"
        ".cfi_def_cfa_offset 16\n"
        ".cfi_offset %rbp, -16\n"
        "  mov $1, %ebp\n"
        "  call *%rdi\n"
        "  pop %rbp\n"
        ".cfi_def_cfa_offset 8\n"
        "  ret\n"
        ".cfi_endproc\n"
        ".size u_thunk, .-u_thunk\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".p2align 4\n"
        ".globl u_thunk\n"
        ".type u_thunk,%function\n"
        "u_thunk:\n"
        ".cfi_startproc\n"
        "  stp x29, x30, [sp, #-16]!\n"
        ".cfi_def_cfa_offset 16\n"
        ".cfi_offset x29, -16\n"
        ".cfi_offset x30, -8\n"
        "  mov x29, #1\n"
        "  blr x0\n"
        "  ldp x29, x30, [sp], #16\n"
        ".cfi_def_cfa_offset 0\n"
        ".cfi_restore x29\n"
        ".cfi_restore x30\n"
        "  ret\n"
        ".cfi_endproc\n"
        ".size u_thunk, .-u_thunk\n");
#endif
#else
#include "whence_e2e.h"

extern int want_line[3];
extern uintptr_t got_pcs[16];
extern int got_n;
#endif

#ifdef PART_C
/* Right before u_thunk in the text, at the start of a page of its own:
 * the run around inner is then the only one there (runs are remembered
 * by page). */
NOINLINE __attribute__((aligned(4096))) int left(int x) {
    __asm__ volatile("" ::: "memory");
    return x * 3 + 1;
}
#endif

#ifdef PART_B
/* Right after u_thunk in the text. */
NOINLINE void inner(void) {
    want_line[0] = __LINE__ + 1;
    got_n = whence_callers(0, got_pcs, 16);
    __asm__ volatile("" ::: "memory");
}
#endif

#ifdef PART_A
int want_line[3];
uintptr_t got_pcs[16];
int got_n;

void u_thunk(void (*f)(void));
void inner(void);
int left(int x);

static int wrong;

NOINLINE static void outer(void) {
    want_line[1] = __LINE__ + 1;
    u_thunk(inner);
    __asm__ volatile("" ::: "memory");
}

int main(void) {
    for (int call = 0; call < 3; call++) {
        want_line[2] = __LINE__ + 1;
        outer();
        whence_frames it;
        whence_frame f;
        int k = 0;
        printf("call %d:", call);
        whence_frames_init(&it, got_pcs, got_n);
        while (whence_frames_next(&it, &f)) {
            printf(" %s", f.function);
            if (k < 3 && f.line != want_line[k])
                wrong++;
            k++;
        }
        printf("\n");
        if (k != 3)
            wrong++;
    }
    printf("lines ok, %d wrong\n", wrong + (left(1) != 4));
    return 0;
}
#endif
