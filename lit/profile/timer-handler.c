// A program's own CPU-time timer whose handler runs 35 ms of every 70 ms:
// its time is the handler's in the profile.  A sample and the timer's
// signal expire on the same tick; the kernel made the sample's frame
// first and ran the program's handler on top of it, with SIGPROF blocked
// by that delivery: no sample came while the handler ran, and its whole
// time came as the overrun of one sample of the code it interrupted
// (handler_work 0%, perf: 48%; helper-113).  Every other signal waits
// for the sample now.  Per-thread timer (SIGRTMIN) and ITIMER_VIRTUAL.
// REQUIRES: x86_64-linux, go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lrt -o %t
// RUN: env WHENCE_CPUPROFILE=%t.thread.pb.gz WHENCE_CPUPROFILE_HZ=1000 %t thread
// RUN: %pprof -top -symbolize=none %t.thread.pb.gz | FileCheck %s
// RUN: env WHENCE_CPUPROFILE=%t.virtual.pb.gz WHENCE_CPUPROFILE_HZ=1000 %t virtual
// RUN: %pprof -top -symbolize=none %t.virtual.pb.gz | FileCheck %s
// (about 40% each; 0% before)
// CHECK-DAG: {{ [1-9][0-9]\.[0-9]+% .* handler_work$}}
// CHECK-DAG: {{ [1-9][0-9]\.[0-9]+% .* mainloop$}}
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

volatile unsigned long v0, hs;

static long cpu_ms(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* 35 ms of CPU time, however fast the machine (a count of iterations took
 * more than the timer's 70 ms on a loaded machine, and the handler then
 * ran back to back for ever). */
__attribute__((noinline)) void handler_work(void) {
    long end = cpu_ms(CLOCK_THREAD_CPUTIME_ID) + 35;
    do
        for (int i = 0; i < 100000; i++)
            hs = hs * 7 + (unsigned long)i;
    while (cpu_ms(CLOCK_THREAD_CPUTIME_ID) < end);
}

static void on_sig(int s) {
    (void)s;
    handler_work();
}

/* 2 s of the process's CPU time, the handler's included. */
__attribute__((noinline)) void mainloop(void) {
    do
        for (long i = 0; i < 100000; i++)
            v0 = v0 * 3 + (unsigned long)i;
    while (cpu_ms(CLOCK_PROCESS_CPUTIME_ID) < 2000);
}

int main(int argc, char **argv) {
    int virt = argc > 1 && !strcmp(argv[1], "virtual");
    int sig = virt ? SIGVTALRM : SIGRTMIN;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(sig, &sa, NULL);
    if (virt) {
        struct itimerval it = {{0, 70000}, {0, 70000}};
        setitimer(ITIMER_VIRTUAL, &it, NULL);
    } else {
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_signo = sig;
        ev.sigev_notify = SIGEV_THREAD_ID;
        ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
        timer_t t;
        timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &t);
        struct itimerspec its = {{0, 70000000}, {0, 70000000}};
        timer_settime(t, 0, &its, NULL);
    }
    mainloop();
    return v0 + hs == 42;
}
