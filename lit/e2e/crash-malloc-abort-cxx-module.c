// A C program (an interpreter) with the crash handler that loaded a C++
// module with dlopen (libstdc++'s thread-local storage is then allocated
// per thread at its first use, by malloc), and a worker thread that never
// used libstdc++ corrupts its heap: glibc's free() aborts holding the
// arena's lock.  The report asked libstdc++ where the exception being
// handled was thrown (__cxa_get_globals -> __tls_get_addr -> malloc) and
// hung forever.  It asks only in a thread that threw through libwhence or
// asked for a trace (cxx/exceptions.c).  (Helper's finding.)
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -fPIC -shared -DMODULE -x c++ %s -o %t/module.so
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t/main
// RUN: cd %t && not --crash timeout 60 %run ./main 2>&1 | FileCheck %s
// CHECK: fatal signal 6 (SIGABRT)
// CHECK: stack:
// CHECK: worker(...)
#ifdef MODULE
#include <stdexcept>
extern "C" int module_run(void) {
    try {
        throw std::runtime_error("x");
    } catch (std::exception &) {
        return 1;
    }
}
#else
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

static void *worker(void *arg) {
    (void)arg;
    char *volatile p = malloc(0x500);
    char *volatile q = malloc(0x500);
    memset((char *)p, 0x41, 0x500 + 16); /* over q's chunk header */
    free(p);                             /* "free(): invalid next size" */
    (void)q;
    return NULL;
}

int main(void) {
    whence_install_crash_handler();
    void *h = dlopen("./module.so", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return printf("%s\n", dlerror()), 1;
    ((int (*)(void))dlsym(h, "module_run"))();
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
#endif
