// Samples of threads with an 8 KiB alternate signal stack of their own
// (what Rust gives every thread it starts): every sample stopped at its
// first frame (the walk keeps room for the unwinder it did not have), and
// pprof showed the leaf alone.  The sample now runs on a stack of whence's
// own when the alternate stack has little left (runtime/farstack.c).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: env WHENCE_CPUPROFILE=%t.pb.gz %run %t
// RUN: %pprof -top -symbolize=none %t.pb.gz 2>&1 | FileCheck %s --implicit-check-not=wh_thread_start
// CHECK-DAG: {{ }}spin_leaf{{$}}
// CHECK-DAG: {{ }}spin_mid{{$}}
// CHECK-DAG: {{ }}spinner{{$}}
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <whence.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void spin_leaf(void) {
    for (int i = 0; i < 100000; i++)
        sink += (unsigned long)i * i;
}
static int64_t cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
__attribute__((noinline)) static void spin_mid(void) {
    int64_t until = cpu_ns() + 400000000; /* (CPU time: a loaded machine, qemu) */
    while (cpu_ns() < until)
        spin_leaf();
}
static void *spinner(void *a) {
    size_t pg = 4096, sz = 8192;
    char *m = mmap(NULL, pg + sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m, pg, PROT_NONE);
    stack_t ss = {.ss_sp = m + pg, .ss_size = sz};
    sigaltstack(&ss, NULL);
    spin_mid();
    return a;
}

int main(void) {
    /* (the threads start through libwhence.so's wh_thread_start, which is
     * start code below their start routine, left out as start_thread) */
    whence_install_crash_handler();
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, spinner, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return 0;
}
