// Every thread is sampled, also those started after whence_profile_start:
// one thread runs before the start (early_work), three are started after it
// (worker_a, worker_b, worker_c, each from its own start routine), one of
// them from another new thread (late_parent), and short-lived threads come
// and go meanwhile (their timers are created and deleted).  Each hot
// function shows up in pprof with its own stack, and every location agrees
// with DWARF.  The same with the setitimer fallback
// (WHENCE_CPUPROFILE_TIMER=itimer), which the profile's comment names (it
// gets fewer samples: one per scheduler tick for the whole process).  At
// least 60 samples of the about 240 the workers' CPU time stands for:
// under qemu-user on a loaded machine 78 to 98 came.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t/threads
// RUN: %run %t/threads %t/t.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/t.pb.gz | FileCheck %s --check-prefixes=TOP,PER
// RUN: %pprof -traces -lines -symbolize=none %t/t.pb.gz | FileCheck %s --check-prefix=TRACE
// RUN: python3 %S/Inputs/pprof_check.py %t/t.pb.gz --min-samples 60 | FileCheck %s --check-prefix=DWARF
// RUN: env WHENCE_CPUPROFILE_TIMER=itimer %run %t/threads %t/i.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/i.pb.gz | FileCheck %s --check-prefixes=TOP,ITIMER
// RUN: python3 %S/Inputs/pprof_check.py %t/i.pb.gz --min-samples 20 | FileCheck %s --check-prefix=DWARF
//
// OUT-NOT: error
// OUT: done
// PER: whence: per-thread CPU timers, SIGPROF, sampled at 1000 Hz
// ITIMER: whence: setitimer(ITIMER_PROF), SIGPROF, sampled at 1000 Hz
// TOP: flat  flat%
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* early_work$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* worker_a$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* worker_b$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* worker_c$}}
// DWARF: checked callers={{[1-9][0-9]*}} leaves={{[1-9][0-9]*}} mismatches=0 samples=enough
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile unsigned long sink;
static volatile int started_late;

#define SPIN(n) for (unsigned long i = 0; i < (n); i++) sink = (sink ^ i) * 0x9e3779b97f4a7c15ul

/* SPIN's iterations per ms of CPU time, measured before the profile
 * starts, so that each worker runs 60 ms on any machine (a fixed count
 * gave 97 samples in all on a fast one, fewer than the check needs). */
static unsigned long per_ms = 1000000;
#define MS(n) ((n) * per_ms)

static long thread_cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void calibrate(void) {
    long t0 = thread_cpu_ns();
    SPIN(4000000ul);
    long t = thread_cpu_ns() - t0;
    if (t > 0)
        per_ms = 4000000ul * 1000000ul / (unsigned long)t + 1;
}

NOINLINE void early_work(void) { while (!started_late) SPIN(100000); SPIN(MS(60)); }
NOINLINE void worker_a(void) { SPIN(MS(60)); }
NOINLINE void worker_b(void) { SPIN(MS(60)); }
NOINLINE void worker_c(void) { SPIN(MS(60)); }

NOINLINE void *early_main(void *arg) {
    early_work();
    // TRACE: {{^ +[0-9.]+m?s +}}early_work {{.*}}
    // TRACE-NEXT: {{^ +}}early_main {{.*}}threads.c:[[@LINE-2]]{{$}}
    return arg;
}
NOINLINE void *a_main(void *arg) {
    worker_a();
    return arg;
}
NOINLINE void *b_main(void *arg) {
    worker_b();
    return arg;
}
NOINLINE void *c_main(void *arg) {
    worker_c();
    return arg;
}
NOINLINE void *brief_main(void *arg) {
    SPIN(1000);
    return arg;
}
/* A thread started after the start that starts another. */
NOINLINE void *late_parent(void *arg) {
    pthread_t c;
    pthread_create(&c, NULL, c_main, NULL);
    pthread_join(c, NULL);
    return arg;
}

int main(int argc, char **argv) {
    pthread_t early, a, b, p, brief[20];
    calibrate();
    pthread_create(&early, NULL, early_main, NULL);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    if (e)
        printf("error: whence_profile_start: %d\n", e);
    pthread_create(&a, NULL, a_main, NULL);
    pthread_create(&b, NULL, b_main, NULL);
    pthread_create(&p, NULL, late_parent, NULL);
    started_late = 1;
    for (int i = 0; i < 20; i++)
        pthread_create(&brief[i], NULL, brief_main, NULL);
    for (int i = 0; i < 20; i++)
        pthread_join(brief[i], NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(p, NULL);
    pthread_join(early, NULL);
    e = whence_profile_stop();
    if (e || close(fd))
        printf("error: whence_profile_stop: %d\n", e);
    printf("done\n");
    return 0;
}
