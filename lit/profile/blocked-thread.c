// A thread that blocks SIGPROF for its whole life (GLib starts its worker
// thread "gmain" with every signal blocked) is never sampled: its timer's
// expirations stay one pending signal.  Its CPU time was missing from the
// profile without a word (Total samples = 0 for 0.5 s of its CPU,
// helper-139).  The stop measures each thread's CPU time against what its
// timer's signals stood for, and the time of a thread that took none is
// "[threads that blocked SIGPROF]", said in the profile's comments too.
// (Per-thread timers; with setitimer the kernel gives the signal to a
// thread that takes it, which the profile cannot tell: docs/PROFILE.md.)
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t %t.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t.pb.gz | FileCheck %s
// RUN: %pprof -raw %t.pb.gz | FileCheck %s --check-prefix=RAW
// OUT: worker used {{[0-9.]+}} s
// CHECK: {{ [1-9][0-9.]*m?s .*\[threads that blocked SIGPROF\]$}}
// CHECK-NOT: blocked_burn
// RAW: whence: CPU time of threads that blocked SIGPROF, not sampled, in [threads that blocked SIGPROF]: periods {{[1-9][0-9]*}}
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static volatile unsigned long sink;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int burnt, stopped;

static double cpu_s(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) static void blocked_burn(void) {
    double end = cpu_s(CLOCK_THREAD_CPUTIME_ID) + 0.3;
    while (cpu_s(CLOCK_THREAD_CPUTIME_ID) < end)
        for (int i = 0; i < 10000; i++)
            sink += (unsigned long)i * 7;
}

/* Alive until the profile stopped: the stop reads its CPU clock. */
static void *worker(void *arg) {
    (void)arg;
    blocked_burn();
    printf("worker used %.2f s\n", cpu_s(CLOCK_THREAD_CPUTIME_ID));
    pthread_mutex_lock(&mu);
    burnt = 1;
    pthread_cond_broadcast(&cv);
    while (!stopped)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (whence_profile_start(fd, 100) != 0)
        return 3;
    sigset_t all, prev;
    pthread_t t;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &prev); /* as GLib starts "gmain" */
    pthread_create(&t, NULL, worker, NULL);
    pthread_sigmask(SIG_SETMASK, &prev, NULL);
    pthread_mutex_lock(&mu);
    while (!burnt)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    int e = whence_profile_stop();
    pthread_mutex_lock(&mu);
    stopped = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(t, NULL);
    close(fd);
    return e;
}
