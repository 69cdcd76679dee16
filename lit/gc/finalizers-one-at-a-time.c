// Finalizers run one at a time in the whole process, as Go's single
// finalizer goroutine runs them (Go code's finalizers take no locks of
// their own): two threads collecting at once ran two together.  A
// collection inside a finalizer leaves what it made ready to the loop
// already running, and every finalizer still runs before the whence_gc
// that made it ready returns.  A cycle through an object with a finalizer
// is never finalized, as in Go, and nothing is said of it (BDWGC warned
// at every collection).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs && %run %t 2>&1 | FileCheck %s
// CHECK: ran 8 (nested 1), at most 1 at once
// CHECK-NOT: GC Warning
// CHECK: cycle: 0 finalized
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <whence_gc.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int running, most, ran, nested, cycle_fin;

static void fin(void *obj, void *arg);

__attribute__((noinline)) static void make(int n, long tag) {
    for (long i = 0; i < n; i++)
        whence_set_finalizer(whence_gc_alloc(32), fin, (void *)tag);
}

static void fin(void *obj, void *arg) {
    (void)obj;
    pthread_mutex_lock(&mu);
    if (++running > most)
        most = running;
    ran++;
    pthread_mutex_unlock(&mu);
    if (arg == (void *)1) { /* one finalizer makes garbage and collects */
        make(1, 2);
        whence_gc();
        nested++;
    }
    usleep(20000);
    pthread_mutex_lock(&mu);
    running--;
    pthread_mutex_unlock(&mu);
}

static void *collector(void *arg) {
    (void)arg;
    whence_gc_register_thread();
    make(3, 3);
    whence_gc();
    return NULL;
}

static void cfin(void *obj, void *arg) {
    (void)obj, (void)arg;
    cycle_fin++;
}

__attribute__((noinline)) static void make_cycle(void) {
    void **a = whence_gc_alloc(16), **b = whence_gc_alloc(16);
    a[0] = b;
    b[0] = a;
    whence_set_finalizer(a, cfin, NULL);
    whence_set_finalizer(b, cfin, NULL);
}

int main(void) {
    make(1, 1);
    make(3, 0);
    pthread_t t;
    pthread_create(&t, NULL, collector, NULL);
    whence_gc();
    pthread_join(t, NULL);
    printf("ran %d (nested %d), at most %d at once\n", ran, nested, most);
    fflush(stdout);
    make_cycle();
    whence_gc();
    whence_gc();
    printf("cycle: %d finalized\n", cycle_fin);
    return 0;
}
