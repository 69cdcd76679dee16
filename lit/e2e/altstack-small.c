// Programs size their alternate signal stack with SIGSTKSZ (8 KiB without
// _GNU_SOURCE), of which the kernel's signal frame takes 3.6 KiB on a CPU
// with AVX-512.  whence must not overflow it:
//  - a SIGPROF handler on it calling whence_callers while the program is
//    in glibc's qsort (the walk needs the .eh_frame unwinder, whose frames
//    take a few KiB): the walk ends short of the unwinder where the stack
//    is short, and every sample still has its frames;
//  - the crash handler, installed after the program set up its 8 KiB
//    stack: it replaces a stack under 32 KiB, and the report is printed.
// Both overflowed the stack and killed the process before.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lrt -o %t
// RUN: %t prof | FileCheck %s --check-prefix=PROF
// RUN: not --crash %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <whence.h>

static unsigned char alt[8192] __attribute__((aligned(64)));
static volatile int ns, got;

static void on_prof(int sig) {
    (void)sig;
    uintptr_t pcs[64];
    got += whence_callers(0, pcs, 64) > 0;
    ns++;
}

__attribute__((noinline)) int cmp(const void *a, const void *b) {
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

volatile int *volatile np;
__attribute__((noinline)) int fault(int k) { return *np + k; } // CRASH: fault(...)

int main(int argc, char **argv) {
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    sigaltstack(&ss, 0);
    if (argc > 1 && !strcmp(argv[1], "crash")) {
        whence_install_crash_handler();
        return fault(1); // CRASH: main(...)
    }
    struct sigaction sa = {.sa_handler = on_prof, .sa_flags = SA_ONSTACK | SA_RESTART};
    sigaction(SIGPROF, &sa, 0);
    timer_t t;
    struct sigevent se = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGPROF};
    timer_create(CLOCK_PROCESS_CPUTIME_ID, &se, &t);
    struct itimerspec its = {{0, 200000}, {0, 200000}};
    timer_settime(t, 0, &its, 0);
    static int v[20000];
    while (ns < 300) {
        for (int i = 0; i < 20000; i++)
            v[i] = rand();
        qsort(v, 20000, sizeof v[0], cmp);
    }
    its = (struct itimerspec){0};
    timer_settime(t, 0, &its, 0);
    // PROF: samples with frames: all
    printf("samples with frames: %s\n", got == ns ? "all" : "not all");
    return 0;
}
