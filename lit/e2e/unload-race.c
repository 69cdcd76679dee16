// Lookups of pcs of a library that another thread is unloading: one thread
// loads an instrumented library, keeps the pcs of a stack inside it, and
// unloads it, in a loop; two threads name those pcs all the while
// (whence_frames, whence_func_for_pc, whence_format_stack).  They used to
// read the records dlclose had just unmapped (SIGSEGV in 3 of 3 runs; found
// by the adversarial run).  The library's module destructor now waits for
// the lookups that may have seen it alive (runtime/readers.c).  With and
// without whence-link's table.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t %t.so 1000 | FileCheck %s
// RUN: cp %t.so %t.tab.so && %whence_link %t.tab.so
// RUN: %run %t %t.tab.so 1000 | FileCheck %s
// CHECK: rounds=1000 named={{[1-9][0-9]*}}
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>

#ifdef LIB
__attribute__((noinline)) int lib_deep(uintptr_t *pcs, int n) { return whence_callers(0, pcs, n); }
__attribute__((noinline)) int lib_capture(uintptr_t *pcs, int n) { return lib_deep(pcs, n) + 0; }
#else
static _Atomic uintptr_t g_pcs[8];
static atomic_int stop;

static void *resolver(void *a) {
    (void)a;
    unsigned long named = 0;
    char buf[2048];
    while (!atomic_load(&stop)) {
        uintptr_t pcs[8];
        for (int i = 0; i < 8; i++)
            pcs[i] = atomic_load(&g_pcs[i]);
        for (int i = 0; i < 8; i++)
            named += whence_func_for_pc(pcs[i]) != NULL;
        whence_frames it;
        whence_frame f;
        whence_frames_init(&it, pcs, 8);
        while (whence_frames_next(&it, &f))
            named += f.line != 0;
        (void)whence_format_stack(buf, sizeof buf, pcs, 8);
    }
    return (void *)named;
}

int main(int argc, char **argv) {
    int rounds = argc > 2 ? atoi(argv[2]) : 2000;
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], 0, resolver, 0);
    for (int r = 0; r < rounds; r++) {
        void *h = dlopen(argv[1], RTLD_NOW);
        if (!h)
            return 2;
        int (*cap)(uintptr_t *, int) = (int (*)(uintptr_t *, int))dlsym(h, "lib_capture");
        uintptr_t pcs[8] = {0};
        int n = cap(pcs, 8);
        for (int i = 0; i < 8; i++)
            atomic_store(&g_pcs[i], i < n ? pcs[i] : 0);
        dlclose(h);
    }
    atomic_store(&stop, 1);
    unsigned long named = 0;
    for (int i = 0; i < 2; i++) {
        void *v;
        pthread_join(t[i], &v);
        named += (unsigned long)v;
    }
    printf("rounds=%d named=%lu\n", rounds, named);
    return 0;
}
#endif
