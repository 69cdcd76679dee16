// A tool library built with the plugin, preloaded into a program that does
// not link libwhence, installs the crash handler: libwhence.so comes in as
// its dependency, after the C library in the lookup order, so the
// program's pthread_create, pthread_sigmask and sigaction are libc's and
// its threads get no signal stack and keep fault signals blocked: a
// thread's stack overflow ended the process without a report or a word.
// whence says so once, at the install; preloaded first, libwhence.so
// binds them and says nothing, and the thread's overflow is reported.
// The same for a library loaded with dlopen (a JNI library, a Node addon):
// the check only asked whether anything after libwhence.so defined
// pthread_create, and said nothing there.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -fPIC -shared -DTOOL %s %whence_libs -o %t/libtool.so
// RUN: %clang -O1 -pthread %s -o %t/host
// RUN: env LD_PRELOAD=%t/libtool.so %run %t/host 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: env LD_PRELOAD=%whence_libdir/libwhence.so:%t/libtool.so %run %t/host 2>&1 | FileCheck %s --check-prefix=FIRST
// RUN: env LD_PRELOAD=%whence_libdir/libwhence.so:%t/libtool.so not --crash %run %t/host overflow 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: %clang -O1 -pthread -DDLOPEN %s -ldl -o %t/dlhost
// RUN: %run %t/dlhost %t/libtool.so 2>&1 | FileCheck %s --check-prefix=AFTER
// AFTER: whence: libwhence.so comes after the C library in the symbol lookup order (loaded with dlopen, as the dependency of a preloaded or dlopen'd library, or linked after -lc): threads the program starts get no signal stack of their own and may keep fault signals blocked, so a stack overflow or a fault in them can end the process without a report; link -lwhence before the C library, or preload it (LD_PRELOAD=libwhence.so)
// AFTER-NEXT: installed: 0
// AFTER-NOT: whence:
// FIRST-NOT: whence:
// FIRST: installed: 0
// FIRST-NEXT: thread ran
// OVERFLOW: fatal signal 11 (SIGSEGV)
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifdef TOOL
#include <whence.h>
__attribute__((constructor)) static void tool_init(void) {
    int e = whence_install_crash_handler();
    fprintf(stderr, "installed: %d\n", e);
}
#else
static int deep(int n) {
    volatile char pad[4096];
    pad[0] = (char)n;
    return n ? deep(n + 1) + pad[0] : 0;
}

static void *run(void *arg) {
    if (arg)
        deep(1);
    fprintf(stderr, "thread ran\n");
    return NULL;
}

#ifdef DLOPEN
#include <dlfcn.h>
#endif

int main(int argc, char **argv) {
#ifdef DLOPEN
    if (!dlopen(argv[1], RTLD_NOW | RTLD_LOCAL))
        return 3;
    argc = 1;
#endif
    pthread_t t;
    void *arg = argc > 1 && !strcmp(argv[1], "overflow") ? (void *)1 : NULL;
    if (pthread_create(&t, NULL, run, arg) != 0)
        return 2;
    pthread_join(t, NULL);
    return 0;
}
#endif
