// A fault handler the program installed before whence's, taking a siginfo,
// runs first, and whence reports only a fault that is to end the process.
// Was a bug: whence reported every fault first ("fatal signal" about a
// write barrier's fault, which its handler recovers from), then put the
// default action on the signal, so the next such fault killed the process
// (BDWGC's incremental mode, a JVM's null checks).  Here a GC-like handler
// unprotects pages on write and returns; a fault it does not own it hands
// on as real handlers do: default action back (Python's faulthandler),
// abort() (BDWGC), exit(), or a jump out (a probe that recovers).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: sh -c '%run %t dfl; echo "status $?"' 2>&1 | FileCheck %s --check-prefixes=ALL,DFL
// RUN: sh -c '%run %t abort; echo "status $?"' 2>&1 | FileCheck %s --check-prefixes=ALL,ABRT
// RUN: sh -c '%run %t exit; echo "status $?"' 2>&1 | FileCheck %s --check-prefixes=ALL,EXIT
// (_exit: the report through libwhence.so's _exit; before, none)
// RUN: sh -c '%run %t uexit; echo "status $?"' 2>&1 | FileCheck %s --check-prefixes=ALL,EXIT
// RUN: sh -c '%run %t jump; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=JUMP
// RUN: sh -c '%run %t handover; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=HANDOVER
// ALL-NOT: fatal signal
// ALL: faults recovered: 48
// DFL-NEXT: fatal signal 11 (SIGSEGV)
// DFL-NEXT: fault in crash_now at {{.*}}crash-chained-first.c:[[# @LINE + 43]]
// DFL: stack:
// DFL-NEXT: crash_now(...)
// DFL: status 139
// ABRT-NEXT: fatal signal 6 (SIGABRT)
// ABRT: stack:
// ABRT: crash_now(...)
// ABRT-NEXT: {{.*}}crash-chained-first.c:[[# @LINE + 36]]
// ABRT: status 134
// EXIT-NEXT: fatal signal 11 (SIGSEGV)
// EXIT-NEXT: fault in crash_now at {{.*}}crash-chained-first.c:[[# @LINE + 33]]
// EXIT: stack:
// EXIT-NEXT: crash_now(...)
// EXIT: status 3
// JUMP: faults recovered: 48
// JUMP-NEXT: the probe jumped back 3 times
// JUMP-NOT: fatal signal
// JUMP: status 0
// A handler that puts another handler of its own on the signal hands the
// fault to that one, not to the default action: no report.
// HANDOVER: faults recovered: 48
// HANDOVER-NEXT: the second handler took it
// HANDOVER-NOT: fatal signal
// HANDOVER: status 5
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <whence.h>

enum { PAGES = 16 };
static char *heap;
static size_t page;
static volatile int recovered;
static const char *mode;
static sigjmp_buf probe;
static int *volatile nullp;

__attribute__((noinline)) void crash_now(int v) {
    *nullp = v;
}

__attribute__((noinline)) void touch(char *p, int v) {
    *(volatile char *)p = (char)v;
}

static void second(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    static const char msg[] = "the second handler took it\n";
    write(2, msg, sizeof msg - 1);
    _exit(5);
}

static void barrier(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    char *a = si->si_addr;
    if (a >= heap && a < heap + PAGES * page) {
        mprotect(heap + (size_t)(a - heap) / page * page, page, PROT_READ | PROT_WRITE);
        recovered++;
        return;
    }
    if (!strcmp(mode, "abort"))
        abort();
    if (!strcmp(mode, "exit"))
        exit(3);
    if (!strcmp(mode, "uexit"))
        _exit(3);
    if (!strcmp(mode, "jump"))
        siglongjmp(probe, 1);
    if (!strcmp(mode, "handover")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = second;
        sa.sa_flags = SA_SIGINFO;
        sigaction(sig, &sa, NULL);
        return;
    }
    signal(sig, SIG_DFL); /* "dfl": the fault comes back to the default action */
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    mode = argv[1];
    page = (size_t)sysconf(_SC_PAGESIZE);
    heap = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = barrier;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    whence_install_crash_handler();
    for (int round = 0; round < 3; round++) {
        mprotect(heap, PAGES * page, PROT_READ);
        for (int i = 0; i < PAGES; i++)
            touch(heap + (size_t)i * page, round + i);
    }
    fprintf(stderr, "faults recovered: %d\n", recovered);
    if (!strcmp(mode, "jump")) {
        /* (three probes at one pc: the first one's record of the handler
         * it jumped out of must not make the second look forwarded) */
        int back = 0;
        for (int k = 0; k < 3; k++)
            if (sigsetjmp(probe, 1) == 0)
                crash_now(1);
            else
                back++;
        fprintf(stderr, "the probe jumped back %d times\n", back);
        return 0;
    }
    crash_now(argc);
    return 0;
}
