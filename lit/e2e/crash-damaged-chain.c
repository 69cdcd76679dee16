// A crash whose frame-pointer chain was damaged: a saved frame pointer
// overwritten with a value that looks like one (aligned, above, within the
// walk's stride) but points at memory that is not mapped.  Was a bug: the
// report's walk faulted inside the crash handler, and the process died of
// that second fault with nothing after "stack:".  The report now catches a
// fault of its own walk (runtime/crash.c, guarded_report): the frames it
// had are written, a line says the stack is damaged, and the process dies
// of its first fault.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: not --crash %run %t.g 2>&1 | FileCheck %s
// CHECK: fault in victim at {{.*}}crash-damaged-chain.c:[[#LINE:]]
// CHECK: stack:
// CHECK-NEXT: victim(...)
// CHECK-NEXT: crash-damaged-chain.c:[[#LINE]]
// CHECK: (the report stopped here: reading the stack faulted, it is damaged)
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <whence.h>

static int *volatile nullp;
static volatile uintptr_t delta;

__attribute__((noinline)) void victim(int a) {
    void **fp = __builtin_frame_address(0);
    fp[0] = (char *)fp[0] + delta; /* the caller's saved frame pointer, damaged */
    *nullp = a;
}

__attribute__((noinline)) void caller(int a) {
    victim(a);
    __asm__ volatile("" ::: "memory");
}

static void *run(void *arg) {
    caller((int)(intptr_t)arg);
    return 0;
}

int main(void) {
    whence_install_crash_handler();
    /* A thread stack with 1 MiB of unmapped memory right above it: the
     * damaged frame pointer lands there. */
    size_t stack = 1 << 20;
    char *m = mmap(0, 2 * stack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + stack, stack);
    delta = stack / 2;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstack(&a, m, stack);
    pthread_t t;
    pthread_create(&t, &a, run, (void *)1);
    pthread_join(t, 0);
    return 0;
}
