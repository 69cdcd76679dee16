// A fault handler chained first (installed before whence's, taking a
// siginfo) that hands the fault back without returning to whence first,
// or by ways the report missed:
//   forward    it forwards to the handler it replaced, which was whence's
//              (whence installed, the handler, whence installed again: Go's
//              runtime, Breakpad and the JVM forward so): whence chained it
//              again, round and round, and the process died of the stack's
//              end without a word;
//   nodefer    it puts the default back with signal() and raises the
//              signal under SA_NODEFER: the process died inside it;
//   go         it puts the default back with sigaction, SA_SIGINFO kept and
//              a null handler, unblocks the signal and raises it, as Go
//              does for a fault on a thread it does not own: the same;
//   flag       it puts that default back and returns: whence took a
//              SA_SIGINFO action for a handler of the program's and
//              returned, and the fault killed without a report;
//   raise      it raises the signal and returns (whence's action still on
//              it): the report let the pending signal in before its first
//              byte, and the process died;
//   dflraise   the default back and the signal raised, then it returns
//              (Node's handler of a fault that is no wasm trap): the same.
// Each now gets one report and the fault's own death.  With libwhence.a
// (no sigaction of whence's in front of the C library's) nodefer and go
// still die without one (STACKS.md).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/x
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t/s
// RUN: sh -c '%run %t/x forward; echo "status $?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t/x nodefer; echo "status $?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t/x go; echo "status $?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t/x flag; echo "status $?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t/s forward; echo "status $?"' 2>&1 | FileCheck %s
// RUN: sh -c '%run %t/s flag; echo "status $?"' 2>&1 | FileCheck %s
// (under qemu-user the raised signal came back into whence's handler at once,
// as if not blocked: x86-64 only)
// RUN: %if x86_64-linux %{ sh -c '%run %t/x raise; echo "status $?"' 2>&1 | FileCheck %s %}
// RUN: %if x86_64-linux %{ sh -c '%run %t/s raise; echo "status $?"' 2>&1 | FileCheck %s %}
// RUN: %if x86_64-linux %{ sh -c '%run %t/x dflraise; echo "status $?"' 2>&1 | FileCheck %s %}
// RUN: %if x86_64-linux %{ sh -c '%run %t/s dflraise; echo "status $?"' 2>&1 | FileCheck %s %}
// CHECK: installed
// CHECK-NEXT: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in crash_now at {{.*}}crash-chained-hands-back.c:[[# @LINE + 15]]
// CHECK: stack:
// CHECK-NEXT: crash_now(...)
// CHECK-NOT: fatal signal
// CHECK: status 139
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) static int crash_now(void) {
    return *nullp;
}

static const char *mode;
static struct sigaction replaced;
static volatile int entered;

static void handler(int sig, siginfo_t *si, void *uc) {
    if (++entered > 8) /* (the loop this test is about: stop it) */
        _exit(70);
    if (!strcmp(mode, "forward")) {
        if (replaced.sa_flags & SA_SIGINFO)
            replaced.sa_sigaction(sig, si, uc);
        return;
    }
    if (!strcmp(mode, "nodefer")) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (!strcmp(mode, "raise")) {
        raise(sig);
        return;
    }
    if (!strcmp(mode, "dflraise")) {
        struct sigaction d;
        memset(&d, 0, sizeof d);
        d.sa_handler = SIG_DFL;
        sigaction(sig, &d, NULL);
        raise(sig);
        return;
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_flags = SA_SIGINFO | SA_ONSTACK; /* sa_sigaction null: the default */
    sigaction(sig, &dfl, NULL);
    if (!strcmp(mode, "go")) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, sig);
        pthread_sigmask(SIG_UNBLOCK, &s, NULL);
        raise(sig);
    }
}

int main(int argc, char **argv) {
    mode = argc > 1 ? argv[1] : "forward";
    if (!strcmp(mode, "forward") && whence_install_crash_handler() != 0)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | (!strcmp(mode, "nodefer") ? SA_NODEFER : 0);
    sigfillset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &replaced);
    if (whence_install_crash_handler() != 0)
        return 1;
    fprintf(stderr, "installed\n");
    return crash_now();
}
