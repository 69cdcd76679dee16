// A thread crashes, and 20 ms later, while the report waits for a slow
// stderr pipe, the main thread calls exit(0).  Was a bug: the
// report was cut short by exit, and the process ended with status 0 (no
// report at all in most runs when the crash came about 2 ms before exit).
// exit now waits for a report under way (runtime/crash.c, an exit handler
// that whence_install_crash_handler registers), and the reporter ends the
// process with its signal.  Each run is a child; the parent reads its
// stderr and its status.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -lpthread -o %t
// RUN: %run %t 10 | FileCheck %s
// The same crash caused by an exit handler that runs after whence's (a
// static destructor of the program, registered before the install): a
// worker uses what it destroyed.  Was cut short too (whence's exit
// handler had run); exit's last stage waits now as well (a destructor of
// the runtime, which runs after every exit handler).
// RUN: %run %t 10 in-handlers | FileCheck %s
// CHECK: every run: a whole report, died of SIGSEGV
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static int *volatile nullp;
static atomic_int faulting;

__attribute__((noinline)) void th_fault(void) {
    atomic_store(&faulting, 1);
    *nullp = 1;
}

/* 100 frames deep: a report longer than the pipe holds */
__attribute__((noinline)) void deep(int n) {
    if (n)
        deep(n - 1);
    else
        th_fault();
    __asm__ volatile("" ::: "memory");
}

static atomic_int exiting;

static void *th_main(void *arg) {
    if (arg) /* in-handlers: crash once exit runs the handlers */
        while (!atomic_load(&exiting))
            ;
    deep(100);
    return 0;
}

/* An exit handler registered before whence's, so run after it: it lets
 * the worker crash, and returns while the report is under way. */
static void destroy_globals(void) {
    atomic_store(&exiting, 1);
    while (!atomic_load(&faulting))
        ;
    usleep(20000);
}

static void child_in_handlers(void) {
    atexit(destroy_globals);
    whence_install_crash_handler();
    pthread_t t;
    pthread_create(&t, 0, th_main, &t);
    exit(0);
}

static void child(void) {
    whence_install_crash_handler();
    pthread_t t;
    pthread_create(&t, 0, th_main, 0);
    while (!atomic_load(&faulting))
        ;
    usleep(20000); /* the report has begun, and waits for the pipe */
    exit(0);
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 10, whole = 0, segv = 0;
    static char out[1 << 16];
    for (int r = 0; r < runs; r++) {
        /* a slow reader of a small pipe: the report outlasts the exit */
        int st = e2e_child_stderr(argc > 2 ? child_in_handlers : child, out, sizeof out, 4096,
                                  200000);
        whole += strstr(out, "stack:\nth_fault(...)") != NULL && strstr(out, "th_main(...)");
        segv += WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
    }
    printf("runs: %d, whole reports: %d, died of SIGSEGV: %d\n", runs, whole, segv);
    if (whole == runs && segv == runs)
        printf("every run: a whole report, died of SIGSEGV\n");
    return 0;
}
