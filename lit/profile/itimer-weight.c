// The setitimer fallback (WHENCE_CPUPROFILE_TIMER=itimer; also where
// /proc/self/task cannot be read: no /proc in a container, no descriptor
// left) delivers at most one SIGPROF per scheduler tick: at 1000 Hz with a
// 250 Hz tick, a profile held a quarter of the CPU time the program used
// (helper-90: 249 ms of 990).  Each signal now counts for the periods of
// process CPU time since the last one (runtime/profile/handler.c), in
// whole periods: rounded per signal, two threads' profile held a quarter
// more than their CPU time (helper-91).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// DEFINE: %{check} = python3 -c 'import re, sys; used = float(open(sys.argv[1]).read()); t = re.search(r"Total samples = ([0-9.]+)(m?s)", open(sys.argv[2]).read()); got = float(t.group(1)) / (1000 if t.group(2) == "ms" else 1); print("within 10%%" if abs(got - used) <= 0.10 * used else "profile %%.3f s, used %%.3f s" %% (got, used))'
// RUN: env WHENCE_CPUPROFILE_TIMER=itimer %run %t %t.pb.gz 1000 1 > %t.cpu
// RUN: %pprof -top %t.pb.gz > %t.top
// RUN: %{check} %t.cpu %t.top | FileCheck %s
// Two threads (not under qemu-user, whose threads' CPU clocks drift apart
// under load):
// RUN: %if !qemu-user %{ env WHENCE_CPUPROFILE_TIMER=itimer %run %t %t.2.pb.gz 100 2 > %t.2.cpu %}
// RUN: %if !qemu-user %{ %pprof -top %t.2.pb.gz > %t.2.top %}
// RUN: %if !qemu-user %{ %{check} %t.2.cpu %t.2.top | FileCheck %s %}
// CHECK: within 10%
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <whence.h>

static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

volatile unsigned long sink;

__attribute__((noinline)) static void spin(void) {
    for (unsigned long i = 0; i < 100000; i++)
        sink = sink * 6364136223846793005UL + i;
}

static volatile int stop;

static void *worker(void *arg) {
    (void)arg;
    while (!stop)
        spin();
    return NULL;
}

int main(int argc, char **argv) {
    (void)argc;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int threads = atoi(argv[3]);
    if (fd < 0 || whence_profile_start(fd, atoi(argv[2])) != 0)
        return 1;
    double t0 = cpu_s();
    pthread_t t[8];
    for (int i = 1; i < threads && i < 8; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    while (cpu_s() - t0 < 0.6 * threads)
        spin();
    stop = 1;
    for (int i = 1; i < threads && i < 8; i++)
        pthread_join(t[i], NULL);
    double used = cpu_s() - t0;
    if (whence_profile_stop() != 0)
        return 1;
    printf("%.3f\n", used);
    return 0;
}
