// The setitimer fallback (WHENCE_CPUPROFILE_TIMER=itimer; also where
// /proc/self/task cannot be read: no /proc in a container, no descriptor
// left) delivers at most one SIGPROF per scheduler tick: at 1000 Hz with a
// 250 Hz tick, a profile held a quarter of the CPU time the program used
// (helper-90: 249 ms of 990).  Each signal now counts for the periods of
// process CPU time since the last one (runtime/profile/handler.c).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: env WHENCE_CPUPROFILE_TIMER=itimer %run %t %t.pb.gz > %t.cpu
// RUN: %pprof -top %t.pb.gz > %t.top
// RUN: python3 -c 'import re, sys; used = float(open(sys.argv[1]).read()); t = re.search(r"Total samples = ([0-9.]+)(m?s)", open(sys.argv[2]).read()); got = float(t.group(1)) / (1000 if t.group(2) == "ms" else 1); print("within 25%%" if abs(got - used) <= 0.25 * used else "profile %%.3f s, used %%.3f s" %% (got, used))' %t.cpu %t.top | FileCheck %s
// CHECK: within 25%
#include <fcntl.h>
#include <stdio.h>
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

int main(int argc, char **argv) {
    (void)argc;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || whence_profile_start(fd, 1000) != 0)
        return 1;
    double t0 = cpu_s();
    while (cpu_s() - t0 < 0.6)
        spin();
    double used = cpu_s() - t0;
    if (whence_profile_stop() != 0)
        return 1;
    printf("%.3f\n", used);
    return 0;
}
