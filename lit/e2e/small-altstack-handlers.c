// whence's handlers on an 8 KiB alternate signal stack of the program's
// own (Rust gives its main thread and every std::thread one; the kernel's
// signal frame takes 1-3 KiB of it):
//   overflow  a thread overflows its stack; a handler installed before
//             whence's (Rust's: "has overflowed its stack", then abort())
//             runs first: whence's SIGABRT handler's own frame met the
//             guard page, and the process died of SIGSEGV, no report;
//   quit      SIGQUIT: "SIGQUIT: quit", then death by SIGSEGV in the walk;
//   dump      whence_write_all_stacks: a thread parked in instrumented
//             code on such a stack was "(no frames in instrumented code)".
// The handlers now run their work on a stack of whence's own when the
// alternate stack has less than 32 KiB left (runtime/farstack.c), and the
// report of the abort() goes on through it into the overflowing frames.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/x
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t/s
// RUN: sh -c '%run %t/x overflow; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=OVER
// RUN: sh -c '%run %t/s overflow; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=OVER
// (through the signal frame into the overflowing frames: not under qemu-user)
// RUN: %if x86_64-linux %{ sh -c '%run %t/x overflow; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=DEEP %}
// RUN: sh -c '%run %t/x quit; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=QUIT
// RUN: sh -c '%run %t/s quit; echo "status $?"' 2>&1 | FileCheck %s --check-prefix=QUIT
// RUN: %run %t/x dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: %run %t/s dump 2>&1 | FileCheck %s --check-prefix=DUMP
// OVER: has overflowed its stack
// OVER-NEXT: fatal signal 6 (SIGABRT)
// OVER: stack:
// OVER: on_overflow(...)
// OVER: status 134
// DEEP: on_overflow(...)
// DEEP: deep(...)
// DEEP: deep(...)
// DEEP-NEXT: small-altstack-handlers.c:[[# @LINE + 35]]
// QUIT: SIGQUIT: quit
// QUIT: main(...)
// QUIT-NEXT: small-altstack-handlers.c:[[# @LINE + 70]]
// QUIT: status 131
// DUMP: parked(...)
// DUMP-NEXT: small-altstack-handlers.c:[[# @LINE + 23]]
// DUMP: dumped
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <whence.h>

static void small_altstack(void) {
    size_t pg = 4096, sz = 8192;
    char *m = mmap(NULL, pg + sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m, pg, PROT_NONE); /* a guard page below it, as Rust's */
    stack_t ss = {.ss_sp = m + pg, .ss_size = sz};
    sigaltstack(&ss, NULL);
}

static volatile int go_on = 1, parked_now;
__attribute__((noinline)) static void parked(void) {
    parked_now = 1;
    while (go_on)
        usleep(1000);
}

__attribute__((noinline)) static int deep(int n) {
    volatile char pad[256];
    pad[0] = (char)n;
    return deep(n + 1) + pad[n & 1];
}

static void *worker(void *arg) {
    small_altstack();
    if (arg)
        return (void *)(long)deep(0);
    parked();
    return NULL;
}

__attribute__((noinline)) static void on_overflow(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    static const char m[] = "thread has overflowed its stack\n";
    write(2, m, sizeof m - 1);
    abort();
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "dump";
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 << 10);
    if (!strcmp(mode, "overflow")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_overflow;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
        whence_install_crash_handler();
        pthread_create(&t, &a, worker, (void *)1);
        pthread_join(t, NULL);
        return 0;
    }
    if (!strcmp(mode, "quit")) {
        small_altstack();
        whence_install_quit_handler();
        raise(SIGQUIT);
        return 0;
    }
    pthread_create(&t, &a, worker, NULL);
    while (!parked_now)
        usleep(1000);
    usleep(20000);
    whence_write_all_stacks(2);
    fprintf(stderr, "dumped\n");
    go_on = 0;
    pthread_join(t, NULL);
    return 0;
}
