// A CFA from an expression or from a register other than the stack and
// frame pointers may lie anywhere: a CFA loaded from memory, or one on a
// register hand-written code keeps anything in.  One in a PROT_NONE page
// above a thread's stack (within 16 MiB of its stack pointer) made the
// walk read its saves there and fault: SIGSEGV in whence_write_stack and
// in the profiler's handler; one loaded from a word that pointed into
// another thread's stack gave that thread's caller as this one's
// (helper-140).  Such a frame's saves are read through the kernel, and a
// loaded CFA must lie within 1 MiB of the stack pointer: both stacks end,
// said.  (A frame-pointer CFA is read directly: most frames' on AArch64.)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %t rbx | FileCheck %s
// RUN: %t deref | FileCheck %s
// CHECK: cb(...)
// CHECK-NEXT: {{.*}}cfa-loose.c:[[#@LINE+33]]
// CHECK-NEXT: (the stack ends here: {{.*}}
// CHECK: done
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <whence.h>

/* via_rbx(target, cb): CFA = %rbx + 16 with %rbx = target - 16.
 * via_load(target, cb): CFA = *(%rsp), target pushed. */
__asm__(".text\n"
        ".globl via_rbx\n.type via_rbx,@function\nvia_rbx:\n.cfi_startproc\n"
        "push %rbx\n.cfi_def_cfa_offset 16\n"
        "lea -16(%rdi),%rbx\n.cfi_def_cfa %rbx,16\n"
        "call *%rsi\n"
        "pop %rbx\n.cfi_def_cfa %rsp,8\nret\n.cfi_endproc\n.size via_rbx,.-via_rbx\n"
        ".globl via_load\n.type via_load,@function\nvia_load:\n.cfi_startproc\n"
        "push %rdi\n"
        ".cfi_escape 0x0f,0x03,0x77,0x00,0x06\n" /* CFA = *(rsp) */
        "call *%rsi\n"
        "pop %rdi\n.cfi_def_cfa %rsp,8\nret\n.cfi_endproc\n.size via_load,.-via_load\n");

void via_rbx(void *target, void (*cb)(void));
void via_load(void *target, void (*cb)(void));

static int use_rbx;
static char *guard; /* a PROT_NONE page right above the thread's stack */

static void cb(void) {
    fflush(stdout);
    whence_write_stack(1, 0);
}

static void *thread(void *arg) {
    (void)arg;
    if (use_rbx)
        via_rbx(guard + 64, cb);
    else
        via_load(guard + 64, cb);
    return NULL;
}

int main(int argc, char **argv) {
    use_rbx = argc > 1 && !strcmp(argv[1], "rbx");
    size_t size = 1 << 20;
    char *stack = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    if (stack == MAP_FAILED)
        return 2;
    guard = stack + size;
    mprotect(guard, 4096, PROT_NONE);
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstack(&at, stack, size);
    pthread_t t;
    if (pthread_create(&t, &at, thread, NULL) != 0)
        return 3;
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
