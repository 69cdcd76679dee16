// fork() while another thread builds an image's lookup index: the child
// inherits the build word of a thread that does not exist in it.  It used
// to wait for that thread forever (any lookup, and a crash report in the
// child: 5-7 of 40 trials hung).  A waiter now sees that the builder is no
// thread of its process (tgkill) and builds again; the same for the
// .debug_line reader's file map and the all-threads dump's lock.
// Each trial is a fresh process, forking at a different point of the build.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t 40 | FileCheck %s
// CHECK: trials=40 hung=0 wrong=0
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

volatile int sink;
#define F1(n) __attribute__((noinline)) static void mf##n(void) { sink += (n); }
#define F4(n) F1(n##0) F1(n##1) F1(n##2) F1(n##3)
#define F16(n) F4(n##0) F4(n##1) F4(n##2) F4(n##3)
#define F64(n) F16(n##0) F16(n##1) F16(n##2) F16(n##3)
#define F256(n) F64(n##0) F64(n##1) F64(n##2) F64(n##3)
#define F1024(n) F256(n##0) F256(n##1) F256(n##2) F256(n##3)
F1024(10) F1024(11) F1024(12) F1024(13)
#define P1(n) mf##n,
#define P4(n) P1(n##0) P1(n##1) P1(n##2) P1(n##3)
#define P16(n) P4(n##0) P4(n##1) P4(n##2) P4(n##3)
#define P64(n) P16(n##0) P16(n##1) P16(n##2) P16(n##3)
#define P256(n) P64(n##0) P64(n##1) P64(n##2) P64(n##3)
#define P1024(n) P256(n##0) P256(n##1) P256(n##2) P256(n##3)
static void (*const fns[])(void) = {P1024(10) P1024(11) P1024(12) P1024(13)};
#define NFNS (int)(sizeof fns / sizeof fns[0])

/* The number of functions not found under their own name. */
static void *lookups(void *arg) {
    long bad = 0;
    for (int i = 0; i < NFNS; i++) {
        const whence_func *f = whence_func_for_pc((uintptr_t)fns[i] + 1);
        bad += !f || strncmp(whence_func_name(f), "mf", 2) != 0;
    }
    return (void *)bad;
}

static int trial(int delay_us) {
    pthread_t t;
    pthread_create(&t, 0, lookups, 0);
    if (delay_us)
        usleep(delay_us);
    pid_t c = fork();
    if (c == 0) {
        alarm(20);
        _exit(lookups(0) ? 2 : 0);
    }
    int st;
    waitpid(c, &st, 0);
    pthread_join(t, 0);
    if (WIFSIGNALED(st))
        return 1;
    return WEXITSTATUS(st) ? 2 : 0;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 40, hung = 0, wrong = 0;
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(trial((i * 37) % 400));
        int st;
        waitpid(p, &st, 0);
        hung += WIFEXITED(st) && WEXITSTATUS(st) == 1;
        wrong += !WIFEXITED(st) || WEXITSTATUS(st) == 2;
    }
    printf("trials=%d hung=%d wrong=%d\n", n, hung, wrong);
    return 0;
}
