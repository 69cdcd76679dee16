// A green-thread switch that enters a new stack by `ret`, with the
// fiber's exit function pushed by hand as the first frame's return address
// (it is never called: returning from the fiber's main runs it), as many
// runtimes write it (helper-86).  That address is a function's entry, and
// its "call" (the byte before) is padding: a return address in no record
// was tried as a pc too, and named the exit function, +0x0, a frame that
// never ran, in every API and in the CPU profile.  A return address whose
// call is in no record is now foreign code's (runtime/image.c,
// wh_img_miss; table.c for whence-link's table): an unknown frame, never
// the next function's.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s --implicit-check-not=fiber_exit
// RUN: cp %t %t.tab && %whence_link %t.tab
// RUN: %run %t.tab | FileCheck %s --implicit-check-not=fiber_exit
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: %run %t.g | FileCheck %s --implicit-check-not=fiber_exit
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t.0
// RUN: %run %t.0 | FileCheck %s --implicit-check-not=fiber_exit
// CHECK: walk 1: work fiber_main
// CHECK: walk 2: work fiber_main
// CHECK: stack:
// CHECK-NEXT: fiber_main(...)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <whence.h>

#define NI __attribute__((noinline))

void gswitch(void **save, void *to);
__asm__(".text\n.globl gswitch\ngswitch:\n"
        " push %rbp\n push %rbx\n push %r12\n push %r13\n push %r14\n push %r15\n"
        " mov %rsp, (%rdi)\n mov %rsi, %rsp\n"
        " pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n pop %rbp\n ret\n");

static void *main_sp, *g_sp;
static volatile int sink;

/* Every logical frame of whence_callers(1), and whence_caller(k) for each:
 * the same functions. */
NI void show(const char *what) {
    uintptr_t pcs[32];
    int n = whence_callers(1, pcs, 32);
    whence_frames it;
    whence_frame f, g;
    whence_frames_init(&it, pcs, n);
    printf("%s:", what);
    for (int i = 0; whence_frames_next(&it, &f); i++) {
        printf(" %s", f.function);
        if (whence_caller(i + 1, &g) && g.pc && f.func != g.func)
            printf(" (whence_caller(%d): %s)", i + 1, g.function);
    }
    printf("\n");
}
NI void work(const char *w) {
    show(w);
    sink++;
}
NI void fiber_exit(void) {
    sink++;
    gswitch(&g_sp, main_sp);
}
NI void fiber_main(void) {
    work("walk 1");
    work("walk 2");
    printf("stack:\n");
    fflush(stdout);
    whence_write_stack(1, 0);
    gswitch(&g_sp, main_sp);
}
int main(void) {
    size_t sz = 1 << 20;
    char *stk = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uintptr_t *sp = (uintptr_t *)(((uintptr_t)stk + sz) & ~(uintptr_t)15);
    *--sp = (uintptr_t)fiber_exit; /* fiber_main's return address */
    *--sp = (uintptr_t)fiber_main; /* where gswitch's ret enters */
    *--sp = 0;                     /* rbp: the fiber's chain ends */
    for (int i = 0; i < 5; i++)    /* rbx, r12-r15 */
        *--sp = 0;
    g_sp = sp;
    gswitch(&main_sp, g_sp);
    return sink == 0;
}
