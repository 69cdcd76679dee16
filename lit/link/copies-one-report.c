// Two shared objects with their own copy of the static libwhence.a, loaded
// RTLD_LOCAL by a host without whence (Python's C extensions), each
// installing the crash handler and the SIGQUIT handler.  Was: the copy
// installed last wrote its report, then chained the other copy's handler,
// which wrote the whole report again (one report per copy; the SIGQUIT
// dump too).  A copy's handler now knows another copy's among the
// handlers installed before it (peers.c) and calls it with the report
// marked written: one report, and the process dies of the signal.
// One source: -DMOD -DNAME=x builds a module, -DHOST the host.
// REQUIRES: x86_64-linux
// DEFINE: %{mod} = %clang -O2 -gline-tables-only -fPIC -shared -DMOD %whence_cflags %s %whence_static -lpthread -ldl
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{mod} -DNAME=one -o %t/one.so
// RUN: %{mod} -DNAME=two -o %t/two.so
// RUN: %clang -O2 -DHOST %s -ldl -o %t/host
// RUN: sh -c '%t/host %t/one.so %t/two.so crash; echo "status $?"' > %t/crash.out 2>&1
// RUN: FileCheck %s --check-prefix=CRASH < %t/crash.out
// RUN: grep -c "fatal signal" %t/crash.out | FileCheck %s --check-prefix=ONE
// RUN: sh -c '%t/host %t/one.so %t/two.so quit; echo "status $?"' > %t/quit.out 2>&1
// RUN: FileCheck %s --check-prefix=QUIT < %t/quit.out
// RUN: grep -c "SIGQUIT: quit" %t/quit.out | FileCheck %s --check-prefix=ONE
// CRASH: fatal signal 11 (SIGSEGV)
// CRASH-NEXT: fault in two_deref at {{.*}}copies-one-report.c:[[# @LINE + 17]]
// CRASH: status 139
// QUIT: SIGQUIT: quit
// QUIT: status 131
// ONE: {{^1$}}
#if defined(MOD)
#include <signal.h>
#include <whence.h>
#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define FN(x) CAT(NAME, x)
int *volatile FN(null);
void FN(install)(void) {
    whence_install_crash_handler();
    whence_install_quit_handler();
}
__attribute__((noinline)) int FN(deref)(int k) {
    return FN(null)[k] + 1;
}
#elif defined(HOST)
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    if (argc < 4)
        return 2;
    void *a = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL), *b = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!a || !b)
        return printf("%s\n", dlerror()), 3;
    ((void (*)(void))dlsym(a, "one_install"))();
    ((void (*)(void))dlsym(b, "two_install"))();
    if (!strcmp(argv[3], "quit"))
        raise(SIGQUIT);
    return ((int (*)(int))dlsym(b, "two_deref"))(argc);
}
#endif
