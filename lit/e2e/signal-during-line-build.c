// A sampling signal that comes while the process's first line lookup from
// a signal handler builds the row index of the image's .debug_line (a
// collector's write-barrier handler walks its stack; a profiler's SIGALRM
// walks the same thread's stack every 50 us).  Was a bug: the nested
// lookup decoded the whole .debug_line instead (milliseconds), the next
// signal was pending as each handler returned, and the build never went on:
// the process hung for good.  A nested lookup on the building thread now
// gets no line ("the line index is being built by the code this signal
// interrupted") and the build finishes.  libwhence.a: the program's
// .debug_line holds the runtime's too.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t
// RUN: timeout 300 %t | FileCheck %s
// CHECK: barrier done: samples {{[1-9][0-9]*}}
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <whence.h>

static char *page;
static volatile long samples, nested, unknown;
static volatile int in_fault;

static void walk(void) {
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        unknown += f.line == 0;
}

static void sampler(int sig) {
    (void)sig;
    walk();
    samples++;
    nested += in_fault;
}

static void fault(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    in_fault = 1;
    struct itimerval tv = {{0, 50}, {0, 300}}; /* (the first tick once the build is under way) */
    setitimer(ITIMER_REAL, &tv, 0);
    walk(); /* the first lookup of an interrupted pc: builds the row index */
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    in_fault = 0;
}

__attribute__((noinline)) void mutator(void) {
    page[0] = 1;
}

int main(void) {
    page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    signal(SIGALRM, sampler);
    mutator();
    struct itimerval z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &z, 0);
    printf("barrier done: samples %ld (%ld during it)\n", samples, nested);
    return 0;
}
