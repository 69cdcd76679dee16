// A stack overflow on a thread the program started after
// whence_install_crash_handler() is reported like one on the installing
// thread.  sigaltstack is per thread; such a thread used to have none, and
// the kernel killed the process without a word (found by the adversarial
// run).  libwhence.so gives each new thread a stack of its own and frees it
// when the thread exits: 2,000 threads leave no mapping behind.  Its own
// frame below the start routine is start code, left out as start_thread.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t churn | FileCheck %s --check-prefix=CHURN
// RUN: not %run %t 2>&1 | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: not %run %t.g 2>&1 | FileCheck %s
// CHURN: threads=2000 maps_before=[[N:[0-9]+]] maps_after=[[N]]
// CHECK: fatal signal 11 (SIGSEGV)
// CHECK: fault in recurse at {{.*}}crash-overflow-thread.c
// CHECK: recurse(
// CHECK: thread_main(
// CHECK-NEXT: {{.*}}crash-overflow-thread.c:[[# @LINE + 16]]
// CHECK-NOT: wh_thread_start
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

volatile int sink;

__attribute__((noinline)) int recurse(int n) {
    volatile char buf[128];
    buf[n & 127] = (char)n;
    return recurse(n + 1) + buf[(n * 7) & 127];
}

__attribute__((noinline)) void *thread_main(void *a) {
    sink = recurse(0);
    return a;
}

static void *nothing(void *a) { return a; }

static int maps(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    int n = 0, c;
    while (f && (c = fgetc(f)) != EOF)
        n += c == '\n';
    if (f)
        fclose(f);
    return n;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    pthread_t t;
    if (argc > 1 && !strcmp(argv[1], "churn")) {
        /* one thread first: the allocator's per-thread arenas exist after it */
        pthread_create(&t, 0, nothing, 0);
        pthread_join(t, 0);
        int before = maps(), n = 0;
        for (; n < 2000; n++) {
            pthread_create(&t, 0, nothing, 0);
            pthread_join(t, 0);
        }
        printf("threads=%d maps_before=%d maps_after=%d\n", n, before, maps());
        return 0;
    }
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 << 10);
    pthread_create(&t, &at, thread_main, 0);
    pthread_join(t, 0);
    return 0;
}
