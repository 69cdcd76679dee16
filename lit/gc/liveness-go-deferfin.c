// C analogue of Go's test/deferfin.go (defers do not prevent collection):
// 10 threads each make an object, hand it to a "deferred closure" (a
// __attribute__((cleanup)) struct whose address the compiler must consider
// escaping), set a finalizer, and return; the cleanup reads the object at
// scope exit.  Once the threads are joined, 3 collections must run all 10
// finalizers.
//
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %run %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %run %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %run %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %run %t.s2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %run %t.n0 | FileCheck %s --check-prefix=ANY
// RUN: %clang -O2 -gline-tables-only %gc_inc %s -o %t.n2 %gc_libs
// RUN: %run %t.n2 | FileCheck %s --check-prefix=ANY
//
// CHECK: deferfin: finalized (10 of 10)
// ANY: deferfin:
#include "gctest.h"

#include <pthread.h>

#define N 10

static atomic_int count = N;

/* The "closure": captures v; running it reads *v. */
struct closure {
    char **v;
};

static struct closure *volatile sink;

static void run_deferred(struct closure *f)
{
    if (**f->v != '\0')
        abort(); /* Go: panic("oops") */
}

static void dec(void *obj, void *arg)
{
    (void)obj;
    (void)arg;
    atomic_fetch_sub(&count, 1);
}

static void *body(void *arg)
{
    (void)arg;
    char **v = whence_gc_alloc(sizeof *v); /* Go: new(string) */
    *v = "";
    __attribute__((cleanup(run_deferred))) struct closure f = {v};
    if (**v != '\0')
        sink = &f; /* let the compiler think f escapes */
    whence_set_finalizer(v, dec, NULL);
    return NULL; /* the "defer f()" runs here */
}

int main(void)
{
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, body, NULL) != 0)
            abort();
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        whence_gc();
    int left = atomic_load(&count);
    printf("deferfin: %s (%d of %d)\n", left == 0 ? "finalized" : "not finalized", N - left, N);
    return left != 0;
}
