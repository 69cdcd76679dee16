// A fatal signal whose pc is in a PLT entry: the crash report names the
// frame by the entry, as the profile does ("abs@plt"), at its place in the
// file; it read "?(...)" (helper-142: strcspn@plt, memcpy@plt in SQLite's
// testfixture).  The signal is sent by another thread while the main one
// calls abs through the PLT in a loop: the runs stop at the first report
// that lands in the entry (about one in seven here).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -fno-builtin -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t
// RUN: sh -c 'for i in $(seq 1 80); do %run %t > %t.out 2>&1; grep -q "@plt" %t.out && break; done; cat %t.out' | FileCheck %s
// CHECK: received outside instrumented code, in {{.*}}+0x{{[0-9a-f]+}}
// CHECK: abs@plt(...) (not instrumented)
// CHECK-NEXT: {{^	.*}}+0x{{[0-9a-f]+$}}
// CHECK-NEXT: work(...)
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <whence.h>

volatile int sink;

static void *killer(void *a) {
    (void)a;
    usleep(20000);
    kill(getpid(), SIGSEGV);
    return NULL;
}

__attribute__((noinline)) void work(void) {
    for (;;)
        sink += abs(sink - 7);
}

int main(void) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    whence_install_crash_handler();
    pthread_t t;
    pthread_sigmask(SIG_BLOCK, &s, NULL); /* (the killer thread does not take it) */
    pthread_create(&t, NULL, killer, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    work();
}
