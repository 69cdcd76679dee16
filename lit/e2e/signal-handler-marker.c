// Where a walk crosses a signal frame, the printed stack says so between
// the handler's frames and the frame the signal interrupted, as gdb's
// "<signal handler called>": without it the interrupted function read as
// the handler's caller (a crash in a handler showed raise's code as if it
// had called the handler).  The first frame of a crash report (the fault)
// and of each thread in a dump (its interrupted pc) has no marker: the
// header says what stopped it.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t
// RUN: %run %t write > %t.w
// RUN: FileCheck %s --check-prefix=WRITE --input-file=%t.w
// RUN: not --crash %run %t crash 2> %t.c
// RUN: FileCheck %s --check-prefix=CRASH --input-file=%t.c
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -lpthread -o %t.g
// RUN: %run %t.g write > %t.gw
// RUN: FileCheck %s --check-prefix=WRITE --input-file=%t.gw
// WRITE: handler(...)
// WRITE-NEXT: signal-handler-marker.c:[[#@LINE+27]]
// WRITE-NEXT: <signal handler called>
// WRITE-NEXT: work(...)
// WRITE-NEXT: signal-handler-marker.c:{{5[45]}}
// WRITE-NEXT: main(...)
// WRITE-NEXT: signal-handler-marker.c:[[#@LINE+45]]
// WRITE: ---- dump
// WRITE-NOT: <signal handler called>
// WRITE: main(...)
// WRITE-NOT: <signal handler called>
// CRASH: stack:
// CRASH-NEXT: crashy(...)
// CRASH-NEXT: signal-handler-marker.c:[[#@LINE+20]]
// CRASH-NEXT: <signal handler called>
// CRASH: {{raise|gsignal}}(...)
// CRASH: main(...)
// CRASH-NEXT: signal-handler-marker.c:[[#@LINE+29]]
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static volatile int spin = 1;
static int *volatile nullp;

static void handler(int sig) {
    whence_write_stack(1, 0);
    spin = 0;
}

static __attribute__((noinline)) void crashy(int sig) {
    *nullp = sig;
}

__attribute__((noinline)) void work(void) {
    while (spin)
        __asm__ volatile("");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "crash")) {
        whence_install_crash_handler();
        signal(SIGUSR1, crashy);
        raise(SIGUSR1);
        return 0;
    }
    signal(SIGALRM, handler);
    alarm(1);
    work();
    puts("---- dump");
    return whence_write_all_stacks(1) < 0;
}
