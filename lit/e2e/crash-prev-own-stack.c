// A program's fault handler installed without SA_ONSTACK, before
// whence's, runs on the thread's own stack, as the kernel runs it without
// whence, not on whence's alternate stack (128 KiB): Redis's crash log
// tests memory with a 1 MiB frame, which overflowed it; whence then
// reported that overflow, one frame, as the crash, and Redis's log stopped
// half-way (helper-109).  Walks from inside the handler cross into the
// interrupted code as through a signal frame (an abort() in it: the
// report's stack; its own backtrace()), a handler that recovers with
// siglongjmp thousands of times leaves the alternate stack whole, and
// one that exits gets the report first (x86-64 and AArch64).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -rdynamic %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t big 2>&1 | FileCheck %s --check-prefixes=BIG,REPORT
// RUN: not --crash %run %t abort 2>&1 | FileCheck %s --check-prefix=ABORT
// RUN: not --crash %run %t longjmp 2>&1 | FileCheck %s --check-prefixes=JUMP,BIG,REPORT
// RUN: not %run %t exit 2>&1 | FileCheck %s --check-prefixes=EXIT,REPORT
// RUN: not --crash %run %t bt 2>&1 | FileCheck %s --check-prefix=BT
// JUMP: recovered 20000 times; alternate stack {{[0-9]+}} KiB{{$}}
// JUMP-NOT: alternate stack {{[0-9]}} KiB
// BIG: program handler: 1 MiB frame
// EXIT: program handler: exit
// REPORT: fatal signal 11 (SIGSEGV)
// REPORT-NEXT: fault in crash_here at {{.*}}crash-prev-own-stack.c:[[#@LINE+54]]
// REPORT: stack:
// REPORT-NEXT: crash_here(...)
// ABORT: fatal signal 6 (SIGABRT)
// ABORT: handler(...)
// ABORT: <signal handler called>
// ABORT-NEXT: crash_here(...)
// ABORT-NEXT: crash-prev-own-stack.c:[[#@LINE+47]]
// BT: program handler: backtrace
// BT: crash_here
// BT: main
#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static const char *mode;
static sigjmp_buf jb;
static volatile int recovered;

__attribute__((noinline)) static void big(void) {
    volatile char buf[1 << 20];
    for (size_t i = 0; i < sizeof buf; i += 4096)
        buf[i] = 1;
    write(2, "program handler: 1 MiB frame\n", 29);
}

static void handler(int sig, siginfo_t *si, void *uc) {
    if (!strcmp(mode, "longjmp") && recovered < 20000) {
        recovered++;
        siglongjmp(jb, 1);
    }
    if (!strcmp(mode, "bt")) {
        void *b[32];
        int n = backtrace(b, 32);
        write(2, "program handler: backtrace\n", 27);
        backtrace_symbols_fd(b, n, 2);
    }
    if (!strcmp(mode, "abort"))
        abort();
    if (!strcmp(mode, "exit")) {
        write(2, "program handler: exit\n", 22);
        exit(3);
    }
    big();
    signal(sig, SIG_DFL); /* (the fault then ends the process) */
}

__attribute__((noinline)) static void crash_here(volatile int *p) {
    *p = 1;
}

int main(int argc, char **argv) {
    mode = argv[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESETHAND * !strcmp(mode, "big"); /* (Redis's) */
    sigaction(SIGSEGV, &sa, NULL);
    whence_install_crash_handler();
    if (!strcmp(mode, "longjmp")) {
        while (recovered < 20000)
            if (!sigsetjmp(jb, 1))
                crash_here((volatile int *)(uintptr_t)(argc - 2));
        stack_t ss;
        sigaltstack(NULL, &ss);
        fprintf(stderr, "recovered %d times; alternate stack %zu KiB\n", recovered, ss.ss_size >> 10);
    }
    crash_here((volatile int *)(uintptr_t)(argc - 2));
    return 0;
}
