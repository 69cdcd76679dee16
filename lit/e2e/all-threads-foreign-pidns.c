// A process in a PID namespace whose /proc is another namespace's (started
// by `unshare -p --fork` without --mount-proc, or a sandbox that binds the
// host's /proc): /proc/self/task lists the threads by the outer ids.  The
// dump signalled those numbers as this namespace's: in one namespace every
// other thread was taken for gone and dropped without a word; nested,
// another thread answered, and its stack was printed under another
// thread's id and name.  A profile's per-thread timers could not be made
// (0 samples, said nowhere).  Now the dump prints the calling thread and
// says why the others are not listed (-ESRCH), and a profile samples with
// setitimer (helper-133).
// REQUIRES: foreign-pidns, go
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %whence_libs -o %t
// RUN: %foreign_pidns %t %t.pb.gz 2>&1 | FileCheck %s
// RUN: %pprof -top -symbolize=none %t.pb.gz | FileCheck %s --check-prefix=TOP
// CHECK: thread [[#]] "{{[^"]*}}":
// CHECK-NEXT: dump(...)
// CHECK: other threads: not listed (/proc is another PID namespace's: its thread ids are not this process's)
// CHECK: dump returned -3
// CHECK: profile stopped: 0
// TOP: whence: setitimer(ITIMER_PROF), SIGPROF, sampled at 1000 Hz
// TOP: {{^ +[0-9.]*[1-9][0-9.]*m?s .* spin$}}
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static atomic_int stop;
static volatile unsigned long sink;

__attribute__((noinline)) static void spin(void) {
    while (!stop)
        sink++;
}

static void *worker(void *arg) {
    (void)arg;
    spin();
    return NULL;
}

__attribute__((noinline)) static int dump(void) { return whence_write_all_stacks(1); }

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    fflush(stdout);
    printf("dump returned %d\n", dump());
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (whence_profile_start(fd, 1000) != 0)
        return 1;
    double end = cpu_seconds() + 0.5;
    while (cpu_seconds() < end)
        ;
    printf("profile stopped: %d\n", whence_profile_stop());
    stop = 1;
    pthread_join(t, NULL);
    return 0;
}
