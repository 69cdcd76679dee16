// Two DSOs with the same code but the faulting statement on different
// lines, loaded one after the other (the second one usually lands where the
// first one was): the interrupted pc of each is named with its own file's
// line, never with the line of the file read for the first.  The fault
// comes right after a call: only an exact entry (whence_callers in the
// handler) tells that pc from a return address.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g -fPIC -shared -DIN_DSO -DVARIANT=0 %whence_cflags -I%inputs %s %whence_libs -o %t.a.so
// RUN: %clang -O2 -g -fPIC -shared -DIN_DSO -DVARIANT=1 %whence_cflags -I%inputs %s %whence_libs -o %t.b.so
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t && %run %t %t.a.so %t.b.so | FileCheck %s
#define _GNU_SOURCE
#include "whence_e2e.h"

#ifdef IN_DSO
volatile int sink;
NOINLINE void helper(void) { sink++; }
NOINLINE void fault_here(volatile int *p) {
    helper();
#if VARIANT == 0
    *p = 1;
    // CHECK: a: fault_here line=[[@LINE-1]]
#else
    sink = 0;
    *p = 1;
    // CHECK: b: fault_here line=[[@LINE-1]]
#endif
    sink = 2;
}
#else
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

static sigjmp_buf back;
static uintptr_t pcs[8];
static int npcs;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    (void)ucv;
    npcs = whence_callers(0, pcs, 8);
    siglongjmp(back, 1);
}

static void run(const char *tag, const char *path) {
    void *h = dlopen(path, RTLD_NOW);
    if (!h) {
        printf("dlopen %s: %s\n", path, dlerror());
        return;
    }
    void (*fn)(volatile int *) = (void (*)(volatile int *))dlsym(h, "fault_here");
    if (sigsetjmp(back, 1) == 0)
        fn(NULL);
    whence_frames it;
    whence_frame f[2];
    whence_frames_init(&it, pcs, npcs);
    if (whence_frames_next(&it, &f[0]) && whence_frames_next(&it, &f[1])) /* handler, fault */
        printf("%s: %s line=%d\n", tag, f[1].function, f[1].line);
    dlclose(h);
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    run("a", argv[1]);
    run("b", argv[2]);
    return 0;
}
#endif
