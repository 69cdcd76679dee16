// OpenMP tasks in a -g build: the task body is an outlined function called
// through the OpenMP runtime's task entry (`.omp_task_entry.`, whose only
// call is marked `tail` and returns something else); every instrumented
// frame has its call's exact line.
// REQUIRES: x86_64-linux, openmp
// RUN: %clang -O2 -g -fopenmp %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s
// RUN: %clang -O0 -g -fopenmp %whence_cflags %s %whence_libs -o %t0 && %t0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fopenmp %whence_cflags %s %whence_libs -o %t3 && %t3 | FileCheck %s
#include <stdio.h>
#include <whence.h>

static volatile int sink;

__attribute__((noinline)) void work(int i) {
    whence_frame f;
    int ok = whence_caller(1, &f) && f.line == 26;
    printf("task %d %s (caller %s:%d)\n", i, ok ? "ok" : "WRONG", f.function, f.line);
    sink = ok;
}

int main(void) {
#pragma omp parallel
#pragma omp single
    for (int i = 0; i < 2; i++) {
#pragma omp task
        work(i);
    }
    return 0;
}
// CHECK-DAG: task 0 ok
// CHECK-DAG: task 1 ok
