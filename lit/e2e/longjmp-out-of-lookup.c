// A signal handler that leaves a whence call with siglongjmp (POSIX allows
// it out of an async-signal-safe function; a SIGALRM timeout does it): the
// call's exit never ran.  Its thread's reader record stayed "inside", so
// the next dlclose of an instrumented library waited for ever (in every
// run); the first line lookup's opening of the library stayed claimed, so
// that thread got no line of the library afterwards and every other thread
// waited 70 ms per lookup before getting none.  A call's frame tells
// (runtime/left.c): the same thread calling again from at or above it
// takes the call's state back (a call nested in it, from a handler, is
// below it).
//
// Here the handler leaves only calls it interrupted inside libwhence, at
// 100-300 us.  Ten rounds: lookups of a dlopen'ed library until 20 calls
// were left, then all of them exact on this thread and on another one, and
// another thread unloads the library.
// On AArch64 under qemu it hung in about one run in ten: the alarm landed
// between a bucket build's claim and its mark (the first tick comes
// 100-300 us after arming, when qemu reaches the claim), and the unload
// waited for that build for ever; the claims now come with the
// asynchronous signals blocked too (helper-79).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O1 -gline-tables-only -fPIC -shared -DLIB %whence_cflags %s %whence_libs -o %t.so
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %whence_libs -ldl -lpthread -o %t
// RUN: timeout 120 %run %t %t.so > %t.out 2> %t.err
// RUN: FileCheck %s < %t.out
// RUN: FileCheck %s --allow-empty --check-prefix=ERR < %t.err
// CHECK: round 0: {{[0-9]+}} left, 200 of 200 exact here, 200 of 200 exact there, unloaded
// CHECK: round 9: {{[0-9]+}} left, 200 of 200 exact here, 200 of 200 exact there, unloaded
// CHECK: done
// ERR-NOT: whence:
#define _GNU_SOURCE
#include <stdint.h>

#ifdef LIB
#define F(n) __attribute__((noinline)) int lib_f##n(void) { return __LINE__; }
#define TEN(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7) F(n##8) F(n##9)
#define P(n) lib_f##n,
#define PTEN(n) P(n##0) P(n##1) P(n##2) P(n##3) P(n##4) P(n##5) P(n##6) P(n##7) P(n##8) P(n##9)
TEN(1)
TEN(2)
TEN(3)
TEN(4)
TEN(5)
TEN(6)
TEN(7)
TEN(8)
TEN(9)
TEN(10)
TEN(11)
TEN(12)
TEN(13)
TEN(14)
TEN(15)
TEN(16)
TEN(17)
TEN(18)
TEN(19)
TEN(20)
int (*const lib_fns[200])(void) = {PTEN(1) PTEN(2) PTEN(3) PTEN(4) PTEN(5) PTEN(6) PTEN(7)
                                   PTEN(8) PTEN(9) PTEN(10) PTEN(11) PTEN(12) PTEN(13) PTEN(14)
                                   PTEN(15) PTEN(16) PTEN(17) PTEN(18) PTEN(19) PTEN(20)};
#else
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include <whence.h>

static sigjmp_buf env;
static volatile sig_atomic_t armed;
static volatile int left;
static uintptr_t rt_lo, rt_hi; /* libwhence's code */
static int (*const *fns)(void);

static void on_alarm(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si;
    const mcontext_t *mc = &((const ucontext_t *)uc)->uc_mcontext;
#if defined(__x86_64__)
    uintptr_t pc = (uintptr_t)mc->gregs[REG_RIP];
#else
    uintptr_t pc = (uintptr_t)mc->pc;
#endif
    if (armed && pc >= rt_lo && pc < rt_hi) {
        left++;
        siglongjmp(env, 1);
    }
}

static int find_rt(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    uintptr_t at = (uintptr_t)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && at >= lo && at < lo + ph->p_memsz) {
            rt_lo = lo, rt_hi = lo + ph->p_memsz;
            return 1;
        }
    }
    return 0;
}

static int exact(void) {
    int ok = 0;
    for (int i = 0; i < 200; i++) {
        uintptr_t pc = (uintptr_t)fns[i];
        const char *file = NULL;
        const whence_func *f = whence_func_for_pc(pc);
        ok += f && whence_func_line(f, pc, &file) == fns[i]() && file && strstr(file, "longjmp-out");
    }
    return ok;
}

static void *there(void *a) {
    *(int *)a = exact();
    return NULL;
}

static void *unload(void *h) {
    dlclose(h);
    return NULL;
}

static void arm(int on) {
    struct itimerval it = {{0, 0}, {0, 0}};
    if (on)
        it.it_interval.tv_usec = 100 + rand() % 200, it.it_value = it.it_interval;
    armed = on;
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(int argc, char **argv) {
    (void)argc;
    dl_iterate_phdr(find_rt, (void *)(uintptr_t)&whence_func_for_pc);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    for (int round = 0; round < 10; round++) {
        void *h = dlopen(argv[1], RTLD_NOW);
        if (!h || !(fns = dlsym(h, "lib_fns")) || !rt_hi) {
            printf("no library: %s\n", dlerror());
            return 1;
        }
        left = 0;
        volatile int tries = 0;
        sigsetjmp(env, 1);
        if (left < 20 && tries++ < 100000) {
            arm(1);
            for (;;)
                exact();
        }
        arm(0);
        int n = left, here = exact(), other = 0;
        pthread_t t;
        pthread_create(&t, NULL, there, &other);
        pthread_join(t, NULL);
        pthread_create(&t, NULL, unload, h);
        pthread_join(t, NULL);
        printf("round %d: %d left, %d of 200 exact here, %d of 200 exact there, unloaded\n", round,
               n, here, other);
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
#endif
