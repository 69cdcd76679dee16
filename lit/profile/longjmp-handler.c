// A program's SIGALRM handler that leaves by siglongjmp (a timeout idiom)
// while whence profiles: one that came during a sample left it behind,
// its thread marked as taking one, and every later sample of the thread
// was dropped ("the sample buffer was full": 100% dropped, helper-117).
// Other signals wait for the sample now.  An alarm every millisecond of
// real time for 1.5 s of CPU time at 1000 Hz: work has nearly all of it.
// REQUIRES: x86_64-linux, go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: env WHENCE_CPUPROFILE=%t.pb.gz WHENCE_CPUPROFILE_HZ=1000 %t | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t.pb.gz | FileCheck %s
// OUT: jumps {{[1-9][0-9]+}}
// CHECK-NOT: [dropped samples]
// CHECK: {{ ([5-9][0-9]\.[0-9]+|100)% .* work$}}
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static sigjmp_buf jb;
static volatile long jumps;
volatile unsigned long v;

static void on_alarm(int s) {
    (void)s;
    jumps++;
    siglongjmp(jb, 1);
}

__attribute__((noinline)) void work(void) {
    for (;;)
        v = v * 3 + 1;
}

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 997}, {0, 997}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigsetjmp(jb, 1);
    if (cpu() < 1.5)
        work();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("jumps %ld\n", jumps);
    return 0;
}
