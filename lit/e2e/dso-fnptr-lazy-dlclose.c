// dso-fnptr-lazy.c while two threads open and close libraries: the search
// for an unbound slot's definition walked the loaded objects without the
// loader's lock, and a dlclose unmapped one under it (SIGSEGV in 9 of 10
// runs, helper-107).  It walks them under the lock now (dl_iterate_phdr).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t/libone.so
// RUN: %clang -O2 -fPIC -shared -DPLUG=0 %s -o %t/libp0.so
// RUN: %clang -O2 -fPIC -shared -DPLUG=1 %s -o %t/libp1.so
// RUN: %clang -O2 -fPIC -shared -DPLUG=2 %s -o %t/libp2.so
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags %emulated_cflags %s -L%t -lone -Wl,-rpath,%t %whence_libs -ldl -lpthread -o %t/main
// RUN: %run %t/main %t | FileCheck %s
// CHECK: wrong=0 fn(1)=2
#include <stdint.h>
#include <stdio.h>
#if defined(LIB)
__attribute__((noinline)) int on_event(int x) { return x + 1; }
#elif defined(PLUG)
int plug_value(void) { return PLUG; }
#else
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <whence.h>
int on_event(int);
static const char *dir;
static volatile int stop;
static void *churn(void *a) {
    (void)a;
    char n[512];
    for (int i = 0; !stop; i++) {
        snprintf(n, sizeof n, "%s/libp%d.so", dir, i % 3);
        void *h = dlopen(n, (i & 1 ? RTLD_GLOBAL : RTLD_LOCAL) | RTLD_NOW);
        if (h)
            dlclose(h);
    }
    return 0;
}
int main(int argc, char **argv) {
    dir = argc > 1 ? argv[1] : ".";
    int (*volatile fn)(int) = on_event;
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], 0, churn, 0);
    long named = 0, wrong = 0;
#ifdef WHENCE_EMULATED
    const int n = 500;
#else
    const int n = 20000;
#endif
    for (int i = 0; i < n; i++) {
        const whence_func *f = whence_func_for_pc((uintptr_t)fn);
        if (f && strcmp(whence_func_name(f), "on_event"))
            wrong++;
        named += f != NULL;
    }
    stop = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], 0);
    printf("named=%ld wrong=%ld fn(1)=%d\n", named, wrong, fn(1));
    return 0;
}
#endif
