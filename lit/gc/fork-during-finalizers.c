// fork() while another thread runs finalizers: the child inherited the
// finalizer loop's lock held by a thread it does not have, and its first
// whence_gc waited for good (52 of 300 children, helper-120).  Every child
// now collects, runs its own object's finalizer and exits.
//
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %emulated_cflags %gc_inc %s -o %t %gc_libs
// RUN: %run %t | FileCheck %s
// CHECK: children: {{[0-9]+}} finalized their object, 0 hung
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "whence_gc.h"

#ifndef WHENCE_EMULATED
#define FORKS 200
#define WAIT 3
#else
#define FORKS 20
#define WAIT 15
#endif

static volatile int child_fin;

/* (a little work, so that forks often land inside the loop) */
static void fin(void *o, void *a) {
    (void)o, (void)a;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 20000);
    child_fin = 1;
}

__attribute__((noinline)) static void drop_one(void) {
    void *x = whence_gc_alloc(32);
    whence_set_finalizer(x, fin, NULL);
}

static atomic_int stop;
static void *collector(void *a) {
    (void)a;
    while (!atomic_load(&stop)) {
        for (int k = 0; k < 50; k++)
            drop_one();
        whence_gc();
    }
    return NULL;
}

int main(void) {
    whence_gc();
    pthread_t th;
    pthread_create(&th, NULL, collector, NULL);
    int done = 0, hung = 0;
    for (int i = 0; i < FORKS; i++) {
        usleep(300);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(WAIT);
            child_fin = 0;
            for (int k = 0; k < 4 && !child_fin; k++) {
                drop_one();
                whence_gc();
            }
            _exit(child_fin ? 0 : 3);
        }
        int st;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3))
            done += WEXITSTATUS(st) == 0;
        else
            hung++;
    }
    atomic_store(&stop, 1);
    pthread_join(th, NULL);
    printf("children: %d finalized their object, %d hung\n", done, hung);
    return 0;
}
