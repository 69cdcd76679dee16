// BDWGC's incremental mode with whence's crash handler installed after the
// collector: its write barrier is a SIGSEGV that its handler recovers from
// (the page unprotected, the store done again).  Was a bug: whence reported
// the first such fault as fatal and put the default action back, so the
// next one killed the process (in its first round of 200, every run).  A
// fault handler taking a siginfo now runs first (runtime/crash.c), and a
// real crash afterwards still gets its report: the collector aborts on a
// fault outside its heap, and the SIGABRT report's stack goes through the
// fault.  With threads, whence's handler now has the collector's handler's
// mask (its thread-suspend signal blocked): chained without it, the
// collector's handler was interrupted by that signal and 2 runs in 6
// crashed.
// RUN: %clang -O2 -g %whence_cflags %gc_inc %s %gc_libs -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: not --crash %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: %t threads 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: threads: 12 of 12 runs whole
// CHECK-NOT: fatal signal
// CHECK: incremental=1 rounds=200
// CRASH: incremental=1 rounds=200
// CRASH: Unexpected bus error or segmentation fault
// CRASH: fatal signal 6 (SIGABRT)
// CRASH: stack:
// CRASH: crash_now(...)
// CRASH-NEXT: {{.*}}incremental-crash-handler.c:[[# @LINE + 13]]
#define GC_THREADS
#include <gc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) void crash_now(int v) {
    *nullp = v;
}

static void *churn(void *arg) {
    (void)arg;
    void **v[500];
    for (int r = 0; r < 100; r++) {
        for (int i = 0; i < 500; i++) {
            v[i] = GC_MALLOC(64);
            v[i][0] = v[(i + 1) % 500];
        }
        if (r % 10 == 0)
            GC_gcollect();
    }
    return NULL;
}

/* Each run a child: four threads allocating and storing into the heap
 * while collections stop and restart the world. */
static int threads(void) {
    int whole = 0;
    for (int k = 0; k < 12; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            GC_INIT();
            GC_enable_incremental();
            whence_install_crash_handler();
            pthread_t t[4];
            for (int i = 0; i < 4; i++)
                GC_pthread_create(&t[i], NULL, churn, NULL);
            for (int i = 0; i < 4; i++)
                GC_pthread_join(t[i], NULL);
            _exit(GC_is_incremental_mode() ? 0 : 1);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        whole += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    printf("threads: %d of 12 runs whole\n", whole);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "threads"))
        return threads();
    GC_INIT();
    GC_enable_incremental();
    whence_install_crash_handler();
    void **v[1000];
    int r;
    for (r = 0; r < 200; r++) {
        for (int i = 0; i < 1000; i++) {
            v[i] = GC_MALLOC(64);
            v[i][0] = v[(i + 1) % 1000];
        }
        GC_gcollect();
    }
    fprintf(stderr, "incremental=%d rounds=%d\n", GC_is_incremental_mode(), r);
    if (argc > 1)
        crash_now(argc);
    return 0;
}
