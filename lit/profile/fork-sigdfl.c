// Under WHENCE_CPUPROFILE a forked child starts a profile of its own.  A
// child that puts SIGPROF's default action back before it execs (libuv's
// uv_spawn resets every signal, as daemons and posix_spawn's SETSIGDEF
// do) was killed by its first sample in between: 17 of 20 such children
// that used 15 ms of CPU, and libuv's spawn tests at 1000 Hz (helper-127).
// A child's samples start after its first 50 ms of CPU time now; these
// children use about 5 ms (a native build: under qemu they would use more).
// REQUIRES: x86_64-linux
// RUN: %clang -O1 %s -o %t %whence_libs
// RUN: env WHENCE_CPUPROFILE=%t.pb.gz WHENCE_CPUPROFILE_HZ=1000 %t | FileCheck %s
// RUN: env WHENCE_CPUPROFILE=%t.it.pb.gz WHENCE_CPUPROFILE_HZ=1000 WHENCE_CPUPROFILE_TIMER=itimer %t | FileCheck %s
// CHECK: 0 of 20 children killed by a signal
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static void burn_cpu_ms(long ms) {
    struct timespec t0, t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    do {
        for (int k = 0; k < 10000; k++)
            sink += k;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

int main(void) {
    int killed = 0;
    for (int i = 0; i < 20; i++) {
        pid_t p = fork();
        if (p == 0) {
            for (int s = 1; s < 32; s++)
                if (s != SIGKILL && s != SIGSTOP)
                    signal(s, SIG_DFL);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            burn_cpu_ms(5);
            _exit(0);
        }
        int st;
        waitpid(p, &st, 0);
        if (WIFSIGNALED(st) && killed++ == 0)
            printf("child killed by signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)));
    }
    printf("%d of 20 children killed by a signal\n", killed);
    return 0;
}
