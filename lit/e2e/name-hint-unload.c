// whence_func_name of a function of the main program (never unloaded) while
// another thread unloads the library that answered last and loads another
// into its slot: the warm path read that library's buckets (or its table's
// modules) without a reader's record, and dlclose waits only for threads
// inside one: SIGSEGV in 3 of 3 runs once the thread was held between
// loading the buckets' address and reading through it (helper-118).  Only
// the main program's warm path goes without a record now.
//
// The interleaving a scheduler may produce is forced: a signal holds thread
// A wherever it is inside whence_func_name (its extent from the dynamic
// symbol) until thread B has closed one library and opened the other.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB=1 %whence_cflags -I%inputs %s %whence_libs -o %t/libL.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB=2 %whence_cflags -I%inputs %s %whence_libs -o %t/libM.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %emulated_cflags -I%inputs %s %whence_libs -ldl -lpthread -o %t/main
// RUN: %run %t/main %t/libL.so %t/libM.so | FileCheck %s
// RUN: cp %t/libL.so %t/libL.tab.so && %whence_link %t/libL.tab.so
// RUN: %run %t/main %t/libL.tab.so %t/libM.so | FileCheck %s
// CHECK: L warm: 300 of 300 named
// CHECK: wrong=0 held={{[1-9][0-9]*}} rounds=[[R:[0-9]+]]
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>
#include "whence_e2e.h"
#include "whence_fault.h"

#ifdef LIB
/* enough functions that lookups build the image's buckets */
#define F(n) __attribute__((noinline)) int l_f##n(int x) { return x * n + LIB; }
F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8)
static int (*const fs[])(int) = {l_f1, l_f2, l_f3, l_f4, l_f5, l_f6, l_f7, l_f8};
int l_warm(void) {
    int named = 0;
    for (int k = 0; k < 300; k++) {
        const whence_func *f = whence_func_for_pc((uintptr_t)fs[k % 8] + 1);
        named += f && strncmp(whence_func_name(f), "l_f", 3) == 0;
    }
    return named;
}
#else
#ifndef WHENCE_EMULATED
#define ROUNDS 40
#else
#define ROUNDS 6
#endif

__attribute__((noinline)) int main_target(int x) { return x + 1; }

static uintptr_t lo, hi; /* whence_func_name's code */
static _Atomic int held, b_done, a_tid, nheld;
static void *lib;
static const char *other;

static void on_usr1(int sig, siginfo_t *si, void *ucv) {
    (void)sig, (void)si;
    uintptr_t pc = e2e_context_pc(ucv);
    if (pc < lo || pc >= hi || atomic_load(&held))
        return;
    atomic_store(&held, 1);
    atomic_fetch_add(&nheld, 1);
    while (!atomic_load(&b_done)) /* A preempted here */
        ;
}

static void *thread_b(void *arg) {
    void **hm = arg;
    for (int k = 0; k < 200000 && !atomic_load(&held); k++) {
        syscall(SYS_tgkill, getpid(), atomic_load(&a_tid), SIGUSR1);
        usleep(20);
    }
    dlclose(lib);                         /* unregistered and unmapped */
    *hm = dlopen(other, RTLD_NOW);        /* into the same slot */
    atomic_store(&b_done, 1);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    other = argv[2];
    void *fn = dlsym(RTLD_DEFAULT, "whence_func_name");
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (!fn || !dladdr1(fn, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym || !sym->st_size) {
        printf("no extent of whence_func_name\n");
        return 1;
    }
    lo = (uintptr_t)fn, hi = lo + sym->st_size;
    const whence_func *fmain = whence_func_for_pc((uintptr_t)&main_target + 1);
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    atomic_store(&a_tid, (int)syscall(SYS_gettid));
    long wrong = 0;
    for (int r = 0; r < ROUNDS; r++) {
        lib = dlopen(argv[1], RTLD_NOW);
        int (*warm)(void) = lib ? (int (*)(void))dlsym(lib, "l_warm") : NULL;
        if (!warm) {
            printf("cannot open %s\n", argv[1]);
            return 1;
        }
        int named = warm(); /* L has its index and answered last */
        if (r == 0)
            printf("L warm: %d of 300 named\n", named);
        atomic_store(&held, 0);
        atomic_store(&b_done, 0);
        void *hm = NULL;
        pthread_t t;
        pthread_create(&t, NULL, thread_b, &hm);
        while (!atomic_load(&b_done))
            wrong += strcmp(whence_func_name(fmain), "main_target") != 0;
        pthread_join(t, NULL);
        if (hm)
            dlclose(hm);
    }
    printf("wrong=%ld held=%d rounds=%d\n", wrong, atomic_load(&nheld), ROUNDS);
    return 0;
}
#endif
