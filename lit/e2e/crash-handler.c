// whence_install_crash_handler (api.md): on SIGSEGV / SIGABRT / stack
// overflow it writes "fatal signal N (NAME) at pc 0x...", the faulting
// function with its file:line, the crashing thread's id and name, and the
// stack from the interrupted frame to stderr, then the process dies of the
// same signal (lit's "not --crash").  A stack overflow's report keeps both
// ends of the stack: the innermost frames and main's.  A SIGSEGV handler the
// program installed earlier is chained, not lost.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0
// RUN: not --crash %run %t.O0 segv 2> %t.segv0 && FileCheck %s --check-prefix=SEGV < %t.segv0
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2
// RUN: not --crash %run %t.O2 segv 2> %t.segv2 && FileCheck %s --check-prefix=SEGV < %t.segv2
// RUN: not --crash %run %t.O2 abort 2> %t.abrt && FileCheck %s --check-prefix=ABRT < %t.abrt
// RUN: not --crash %run %t.O2 overflow 2> %t.ovf && FileCheck %s --check-prefix=OVF < %t.ovf
// RUN: not --crash %run %t.O2 chained 2> %t.chain && FileCheck %s --check-prefix=CHAIN < %t.chain
// RUN: not --crash %run %t.O2 thread 2> %t.thread && FileCheck %s --check-prefix=THREAD < %t.thread
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac %}
// RUN: %if aarch64-linux %{ not --crash %run %t.pac segv 2> %t.segvpac && FileCheck %s --check-prefix=SEGV < %t.segvpac %}
#define _GNU_SOURCE
#include "whence_e2e.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int *volatile nullp;
static volatile int sink;

NOINLINE static void crash(int mode) {
    if (mode == 0)
        *nullp = 1;
    // The faulting frame's line is checked by crash-fault-line.c.
    // SEGV: fatal signal 11 (SIGSEGV) at pc 0x{{[0-9a-f]+}}
    // SEGV-NEXT: {{.*}}crash {{.*}}crash-handler.c:{{[0-9]+}}
    // SEGV-NEXT: thread {{[0-9]+}} "{{[^"]*}}"
    // SEGV-NEXT: stack:
    // SEGV-NEXT: crash(...)
    // SEGV-NEXT: crash-handler.c:{{[0-9]+}}
    else
        abort();
    // ABRT: fatal signal 6 (SIGABRT)
    // ABRT: crash(...)
    // ABRT-NEXT: crash-handler.c:[[@LINE-3]]{{ }}
    sink = mode;
}

NOINLINE static void b(int mode) {
    crash(mode);
    // SEGV-NEXT: b(...)
    // SEGV-NEXT: crash-handler.c:[[@LINE-2]]
    // ABRT: b(...)
    // ABRT-NEXT: crash-handler.c:[[@LINE-4]]
    sink++;
}

NOINLINE static void a(int mode) {
    b(mode);
    // SEGV-NEXT: a(...)
    // SEGV-NEXT: crash-handler.c:[[@LINE-2]]
    // ABRT-NEXT: a(...)
    // ABRT-NEXT: crash-handler.c:[[@LINE-4]]
    sink++;
}

NOINLINE static int deep(int n) {
    volatile char pad[512];
    pad[n & 511] = (char)n;
    return deep(n + 1) + pad[3];
}
// OVF: fatal signal 11 (SIGSEGV)
// OVF: stack:
// OVF-NEXT: deep(...)
// OVF: ...{{[0-9]+}} more frames elided...
// OVF-NEXT: deep(...)
// OVF-NEXT: crash-handler.c:[[@LINE-7]]

static void user_segv(int sig) {
    static const char msg[] = "user handler ran\n";
    (void)sig;
    write(2, msg, sizeof msg - 1);
    signal(SIGSEGV, SIG_DFL);
}
// CHAIN-DAG: fatal signal 11 (SIGSEGV)
// CHAIN-DAG: user handler ran

// The header names the thread that crashed, not the main thread.
static void *crasher(void *arg) {
    pthread_setname_np(pthread_self(), "crasher");
    fprintf(stderr, "crasher tid=%d\n", (int)syscall(SYS_gettid));
    a(0);
    return arg;
}
// THREAD: crasher tid=[[#TID:]]
// THREAD-NEXT: fatal signal 11 (SIGSEGV)
// THREAD-NEXT: fault in crash at
// THREAD-NEXT: thread [[#TID]] "crasher"
// THREAD-NEXT: stack:
// THREAD-NEXT: crash(...)

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "chained") == 0)
        signal(SIGSEGV, user_segv);
    int rc = whence_install_crash_handler();
    if (rc != 0) {
        fprintf(stderr, "install failed: %d\n", rc);
        return 1;
    }
    if (strcmp(argv[1], "segv") == 0 || strcmp(argv[1], "chained") == 0)
        a(0);
    // SEGV-NEXT: main(...)
    // SEGV-NEXT: crash-handler.c:[[@LINE-2]]
    if (strcmp(argv[1], "abort") == 0)
        a(1);
    // ABRT-NEXT: main(...)
    // ABRT-NEXT: crash-handler.c:[[@LINE-2]]
    if (strcmp(argv[1], "overflow") == 0)
        sink = deep(0);
    // OVF: {{^}}main(...)
    // OVF-NEXT: crash-handler.c:[[@LINE-2]]
    // OVF-NOT: (...)
    if (strcmp(argv[1], "thread") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, crasher, NULL);
        pthread_join(t, NULL);
    }
    return 0;
}
