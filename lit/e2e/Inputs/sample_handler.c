// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// A SIGPROF sampler built without the plugin (a profiler's handler in an
// uninstrumented library): each sample's whence_callers(0, ...) must reach
// the instrumented frames below the interrupted one (sigprof-libc.c).
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <whence.h>

static volatile int samples, empty, reached;
static const whence_func *target;

static void on_prof(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    samples++;
    if (n == 0)
        empty++;
    for (int i = 0; i < n; i++)
        if (whence_func_for_pc(pcs[i]) == target) {
            reached++;
            break;
        }
}

void sampler_start(const whence_func *f) {
    target = f;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGPROF, &sa, 0);
    struct itimerval it = {{0, 200}, {0, 200}};
    setitimer(ITIMER_PROF, &it, 0);
}

int sampler_count(void) { return samples; }

void sampler_stop(void) {
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &it, 0);
    printf("samples>=1000: %d empty=%d all_reached=%d\n", samples >= 1000, empty, reached == samples);
}
