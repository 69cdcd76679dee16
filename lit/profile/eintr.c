// The profiler's signals go to threads that use CPU, not to one that
// waits: here the main thread waits in poll and nanosleep while another
// thread computes, and none of its waits ends early with EINTR, at 100 and
// at 1,000 Hz, and with WHENCE_CPUPROFILE.  (The kernel gives a
// process-directed signal, such as a timer's on the process's CPU clock,
// to the running thread only if it has no signal pending, else to another
// thread, one asleep too: the profiler looks for new threads from its
// samples' handlers, and its process-wide timer fires only when no thread
// with a timer has run for 50 ms of CPU time.)  The computing thread,
// started after the start while the main thread waits, is found by that
// timer and is in the profile.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t/eintr
// RUN: %run %t/eintr 100 %t/a.pb.gz | FileCheck %s
// RUN: %run %t/eintr 1000 %t/b.pb.gz | FileCheck %s
// RUN: env WHENCE_CPUPROFILE=%t/c.pb.gz %run %t/eintr | FileCheck %s
// RUN: %pprof -top -symbolize=none %t/a.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %pprof -top -symbolize=none %t/b.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %pprof -top -symbolize=none %t/c.pb.gz | FileCheck %s --check-prefix=TOP
// CHECK-NOT: error
// CHECK: polls=8 interrupted=0 sleeps=8 interrupted=0
// TOP: {{^ +[0-9.]*[1-9][0-9.]*m?s .* compute$}}
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile int done;
static volatile unsigned long sink;

NOINLINE static void compute(void) {
    for (unsigned long i = 0; i < 100000; i++)
        sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
}
NOINLINE static void *worker(void *arg) {
    while (!done)
        compute();
    return arg;
}

int main(int argc, char **argv) {
    int fd = -1;
    if (argc > 2) {
        fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = whence_profile_start(fd, atoi(argv[1]));
        if (e)
            printf("error: whence_profile_start: %d\n", e);
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    int polls = 0, pintr = 0, sleeps = 0, sintr = 0;
    for (int i = 0; i < 8; i++, polls++)
        if (poll(NULL, 0, 50) < 0)
            pintr += errno == EINTR;
    for (int i = 0; i < 8; i++, sleeps++) {
        struct timespec ts = {0, 50000000};
        if (nanosleep(&ts, NULL) < 0)
            sintr += errno == EINTR;
    }
    done = 1;
    pthread_join(t, NULL);
    if (fd >= 0) {
        int e = whence_profile_stop();
        if (e || close(fd))
            printf("error: whence_profile_stop: %d\n", e);
    }
    printf("polls=%d interrupted=%d sleeps=%d interrupted=%d\n", polls, pintr, sleeps, sintr);
    return 0;
}
