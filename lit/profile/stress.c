// The profiler while everything changes at once: 12 profiles started and
// stopped in turn at 2,000 Hz while four threads compute (and capture
// their own stacks with whence_callers), short threads are started and
// joined without pause, a module is dlopen'ed, run and dlclose'd in a loop,
// and the process forks.  Every stop writes a profile that pprof reads and
// whose whence-named locations all agree with DWARF; the ring or the table
// of stacks never overflows (no "[dropped samples]").
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DMOD %whence_cflags %s %whence_libs -o %t/libstressmod.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -ldl -lpthread -o %t/stress
// RUN: %run %t/stress %t | FileCheck %s
// RUN: python3 %S/Inputs/pprof_check.py %t/p0.pb.gz | FileCheck %s --check-prefix=DWARF
// RUN: python3 %S/Inputs/pprof_check.py %t/p7.pb.gz | FileCheck %s --check-prefix=DWARF
// RUN: python3 %S/Inputs/pprof_check.py %t/p11.pb.gz | FileCheck %s --check-prefix=DWARF
// RUN: %pprof -top -symbolize=none %t/p11.pb.gz | FileCheck %s --check-prefix=TOP
// CHECK-NOT: error
// CHECK: cycles=12 ok=12
// DWARF: mismatches=0
// TOP-NOT: dropped samples
// TOP: compute
#include <stdio.h>

#define NOINLINE __attribute__((noinline))
static volatile unsigned long sink;

#ifdef MOD
NOINLINE void mod_spin(void) {
    for (unsigned long i = 0; i < 200000; i++)
        sink = (sink + i) * 0x9e3779b97f4a7c15ul;
}
void mod_run(void) { mod_spin(); }
#else
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

static volatile int done;
static const char *dir;

NOINLINE static void compute(void) {
    uintptr_t pcs[32];
    for (unsigned long i = 0; i < 100000; i++)
        sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
    if (whence_callers(0, pcs, 32) < 2)
        printf("error: whence_callers\n");
}
NOINLINE static void *worker(void *arg) {
    while (!done)
        compute();
    return arg;
}
NOINLINE static void *brief(void *arg) {
    for (unsigned long i = 0; i < 20000; i++)
        sink += i;
    return arg;
}
NOINLINE static void *churn(void *arg) {
    while (!done) {
        pthread_t t;
        if (pthread_create(&t, NULL, brief, NULL) == 0)
            pthread_join(t, NULL);
    }
    return arg;
}
NOINLINE static void *modules(void *arg) {
    char path[4096];
    snprintf(path, sizeof path, "%s/libstressmod.so", dir);
    while (!done) {
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("error: dlopen: %s\n", dlerror());
            return arg;
        }
        ((void (*)(void))dlsym(h, "mod_run"))();
        dlclose(h);
    }
    return arg;
}

int main(int argc, char **argv) {
    (void)argc;
    dir = argv[1];
    pthread_t w[4], c, m;
    for (int i = 0; i < 4; i++)
        pthread_create(&w[i], NULL, worker, NULL);
    pthread_create(&c, NULL, churn, NULL);
    pthread_create(&m, NULL, modules, NULL);
    int ok = 0, cycles = 12;
    for (int k = 0; k < cycles; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/p%d.pb.gz", dir, k);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int s = whence_profile_start(fd, 2000);
        /* 80 ms, and on a loaded machine until the process has had 40 ms
         * of CPU in the cycle (at most 10 s): samples of the workers'
         * compute, whatever else the machine runs */
        struct timespec c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        for (int waited = 0; waited < 10000; waited += 10) {
            struct timespec ts = {0, waited ? 10000000 : 80000000};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
            }
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
            if ((c1.tv_sec - c0.tv_sec) * 1000000000L + (c1.tv_nsec - c0.tv_nsec) >= 40000000L)
                break;
        }
        if (k == 5) {
            pid_t pid = fork();
            if (pid == 0)
                _exit(whence_profile_stop() == ECHILD ? 0 : 1);
            int st = 0;
            waitpid(pid, &st, 0);
            if (!WIFEXITED(st) || WEXITSTATUS(st))
                printf("error: child's stop\n");
        }
        int e = whence_profile_stop();
        close(fd);
        if (s || e)
            printf("error: cycle %d: start %d stop %d\n", k, s, e);
        else
            ok++;
    }
    done = 1;
    for (int i = 0; i < 4; i++)
        pthread_join(w[i], NULL);
    pthread_join(c, NULL);
    pthread_join(m, NULL);
    printf("cycles=%d ok=%d\n", cycles, ok);
    return 0;
}
#endif
