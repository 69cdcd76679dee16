// The real-time signal whence asks other threads with, taken over by
// another handler after whence claimed it (Go's runtime takes every
// real-time signal when it starts, after a C constructor's dump or quit
// handler claimed one): each other thread was listed "not answering"
// after a second's wait, which blamed the threads (helper-101).  Now the
// dump sees the handler is not its own, claims another free signal, and
// when none is free says so and asks no thread (-EBUSY).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %whence_libs -o %t
// RUN: %run %t 2>&1 | FileCheck %s
// CHECK: first: 1
// CHECK: other threads: not asked (no real-time signal is free)
// CHECK: second: -16
// CHECK: third: 1
// CHECK-NOT: not answering
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <whence.h>

static void other(int sig, siginfo_t *info, void *uc) {
    (void)sig, (void)info, (void)uc;
}

static void *parked(void *arg) {
    (void)arg;
    for (;;)
        pause(); /* (a handled signal ends a pause) */
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, parked, NULL);
    int null = open("/dev/null", O_WRONLY);
    printf("first: %d\n", whence_write_all_stacks(null) > 1);
    fflush(stdout);
    /* Every real-time signal taken, as Go's runtime takes them. */
    struct sigaction sa = {0};
    sa.sa_sigaction = other;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    static struct sigaction saved[64];
    for (int s = SIGRTMIN; s <= SIGRTMAX && s - SIGRTMIN < 64; s++)
        sigaction(s, &sa, &saved[s - SIGRTMIN]);
    int r = whence_write_all_stacks(STDOUT_FILENO);
    printf("second: %d\n", r);
    /* Given back (a library that saved and restored the actions): whence's
     * handler again, which the dump takes as its own (it had taken only a
     * signal with the default action, and refused every dump once all
     * eight candidates were so, helper-102). */
    for (int s = SIGRTMIN; s <= SIGRTMAX && s - SIGRTMIN < 64; s++)
        sigaction(s, &saved[s - SIGRTMIN], NULL);
    printf("third: %d\n", whence_write_all_stacks(null) > 1);
    return 0;
}
