// A ThreadSanitizer build with libwhence.so: a thread started after
// whence_install_crash_handler that crashes.  TSan's pthread_create
// interceptor reaches libwhence's through RTLD_NEXT, so whence's start
// routine (which gives the thread its signal stack) runs before TSan's has
// set the thread up; its pthread_once went through TSan's interceptor
// there, and TSan's signal handler then failed "CHECK failed:
// tsan_interceptors_posix.cpp: ((thr->slot)) != (0)": no report.  The key
// is made by the creating thread now.
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -gline-tables-only -fsanitize=thread %whence_cflags %s %whence_libs -o %t
// RUN: not %t 2>&1 | FileCheck %s
// CHECK-NOT: CHECK failed
// CHECK: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in worker at {{.*}}crash-thread-tsan.c:[[# @LINE + 8]]
#include <pthread.h>
#include <whence.h>

int *volatile null_p;

__attribute__((noinline)) static void *worker(void *arg) {
    __asm__ volatile("");
    *null_p = 1;
    return arg;
}

int main(void) {
    whence_install_crash_handler();
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
