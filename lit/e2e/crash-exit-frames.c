// A crash in code that the C library runs at exit or at a thread's end:
// the report shows the C library's frames it ran in down to its start code
// (exit and the exit handlers' caller; _dl_fini for an ELF destructor;
// the key destructors' caller for a thread-specific value).  Before, every
// frame of the C library at the bottom of a stack was taken for start code
// and left out: the report read as if the handler were the stack's root.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t
// RUN: not --crash %run %t atexit 2> %t.ax
// RUN: FileCheck %s --check-prefixes=CHECK,EXIT --input-file=%t.ax
// RUN: not --crash %run %t exit 2> %t.ex
// RUN: FileCheck %s --check-prefixes=CHECK,EXIT,MAIN --input-file=%t.ex
// RUN: not --crash %run %t fini 2> %t.fi
// RUN: FileCheck %s --check-prefixes=FINI,EXIT --input-file=%t.fi
// RUN: not --crash %run %t tsd 2> %t.tsd
// RUN: FileCheck %s --check-prefixes=CHECK,TSD --input-file=%t.tsd
// FINI: stack:
// FINI-NEXT: inner(...)
// FINI: fini(...)
// FINI-NEXT: crash-exit-frames.c:[[#@LINE+27]]
// FINI-NEXT: (not instrumented)
// FINI-NEXT: {{ld-linux|libc}}
// CHECK: stack:
// CHECK-NEXT: inner(...)
// CHECK-NEXT: crash-exit-frames.c:[[#@LINE+19]]
// CHECK-NEXT: {{handler|dtor}}(...)
// CHECK-NEXT: crash-exit-frames.c:{{45|46}}
// CHECK-NEXT: (not instrumented)
// CHECK-NEXT: libc.so.6
// EXIT: exit(...) (not instrumented)
// EXIT-NEXT: libc.so.6
// MAIN-NEXT: main(...)
// EXIT-NOT: (not instrumented)
// TSD-NOT: (not instrumented)
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

static int *volatile nullp;
static const char *mode = "";
static pthread_key_t key;

__attribute__((noinline)) void inner(void) { *nullp = 1; }
static void handler(void) { inner(); }
static void dtor(void *p) { (void)p, inner(); }
__attribute__((destructor)) static void fini(void) { if (!strcmp(mode, "fini")) inner(); }

static void *worker(void *a) {
    pthread_setspecific(key, a);
    return 0;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "atexit") || !strcmp(mode, "exit"))
        atexit(handler);
    if (!strcmp(mode, "exit"))
        exit(0);
    if (!strcmp(mode, "tsd")) {
        pthread_t t;
        pthread_key_create(&key, dtor);
        pthread_create(&t, 0, worker, (void *)1);
        pthread_join(t, 0);
    }
    return 0;
}
