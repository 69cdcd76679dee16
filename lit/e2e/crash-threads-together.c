// Several threads fault at the same moment.  Was a bug: only the first
// wrote a report, and every other took the default action at once, killing
// the process in the middle of that report (two threads: no output at all
// in 18 of 20 runs with libwhence.a).  Now a thread that crashes while
// another reports waits for that report (runtime/crash.c, claim_report),
// as Go parks every other panicking thread: one whole report, and the
// process dies of the signal.  Each run is a child of eight threads that
// fault together behind a barrier; the parent reads the child's stderr.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t
// RUN: %run %t 10 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.so
// RUN: %run %t.so 5 | FileCheck %s
// CHECK: every run: a whole report, one only, died of SIGSEGV
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

#include <pthread.h>
#include <stdlib.h>

static int *volatile nullp;
static pthread_barrier_t go;

__attribute__((noinline)) void th_fault(long i) {
    *nullp = (int)i;
}

__attribute__((noinline)) void *th_main(void *arg) {
    pthread_barrier_wait(&go);
    th_fault((long)arg);
    return 0;
}

static void crash_together(void) {
    whence_install_crash_handler();
    enum { N = 8 };
    pthread_t t[N];
    pthread_barrier_init(&go, 0, N);
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], 0, th_main, (void *)i);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], 0);
    exit(0);
}

static int count(const char *s, const char *w) {
    int n = 0;
    for (const char *p = s; (p = strstr(p, w)) != NULL; p += strlen(w))
        n++;
    return n;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 10, whole = 0, one = 0, segv = 0;
    static char out[1 << 16];
    for (int r = 0; r < runs; r++) {
        int st = e2e_child_stderr(crash_together, out, sizeof out, 0, 0);
        if (strstr(out, "stack:\nth_fault(...)") && strstr(out, "th_main(...)"))
            whole++;
        else
            printf("run %d: no whole report:\n%s\n", r, out);
        one += count(out, "fatal signal") == 1;
        segv += WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
    }
    printf("runs: %d, whole reports: %d, one report each: %d, died of SIGSEGV: %d\n", runs, whole,
           one, segv);
    if (whole == runs && one == runs && segv == runs)
        printf("every run: a whole report, one only, died of SIGSEGV\n");
    return 0;
}
