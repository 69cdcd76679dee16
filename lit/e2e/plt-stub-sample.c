// A signal that interrupts a PLT entry (lld gives them no unwind tables):
// the caller's return address is at the stack pointer (x86-64) or in the
// link register (AArch64), and the stack goes on through the caller to
// main.  On AArch64 every such stack was the handler's frame alone, with a
// note asking for unwind tables, and every profile sample there had no
// callers (9% of a shared-liblua profile; helper-122).  The program samples
// itself with SIGPROF until it has interrupted PLT entries often enough.
// REQUIRES: x86_64-linux || aarch64-linux
// REQUIRES: lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fPIC -shared -DLIB %s -o %t/libfoo.so
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags -I%inputs %s -L%t -lfoo -Wl,-rpath,%t %whence_libs -o %t/main
// RUN: %run %t/main | FileCheck %s
// CHECK: in a PLT entry: {{[1-9][0-9]*}} samples, 0 without main
#ifdef LIB
int foo(int x) { return x + 1; }
#else
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <whence.h>
#include "whence_e2e.h"
#include "whence_fault.h"

int foo(int x);
static uintptr_t plt_lo, plt_hi;
static volatile long in_plt, lost;

static void on_prof(int sig, siginfo_t *si, void *ucv) {
    (void)sig, (void)si;
    uintptr_t pc = e2e_context_pc(ucv);
    if (pc < plt_lo || pc >= plt_hi)
        return;
    in_plt++;
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frame f;
    int has_main = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        has_main |= !strcmp(f.function, "main");
    lost += !has_main;
}

__attribute__((noinline)) long hot(long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += foo((int)i);
    return s;
}

int main(void) {
    /* foo's PLT entry: the target of hot's call (the only direct call in
     * its loop), read from the code, and checked to be an entry that
     * jumps through its GOT slot. */
    uintptr_t h = (uintptr_t)&hot;
    for (uintptr_t a = h; a < h + 256 && !plt_lo; a++) {
#if defined(__x86_64__)
        const unsigned char *c = (const unsigned char *)a;
        if (c[0] == 0xe8) {
            int32_t rel;
            memcpy(&rel, c + 1, 4);
            const unsigned char *t = c + 5 + rel;
            if (t[0] == 0xff && t[1] == 0x25)
                plt_lo = (uintptr_t)t;
        }
#else
        if (a & 3)
            continue;
        uint32_t w = *(const uint32_t *)a;
        if ((w & 0xfc000000u) == 0x94000000u) {
            int32_t imm = (int32_t)(w << 6) >> 6;
            uintptr_t t = a + (uintptr_t)((intptr_t)imm * 4);
            if ((*(const uint32_t *)t & 0x9f00001fu) == 0x90000010u) /* adrp x16 */
                plt_lo = t;
        }
#endif
    }
    if (!plt_lo) {
        printf("no call of foo found\n");
        return 1;
    }
    plt_hi = plt_lo + 16;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGPROF, &sa, NULL);
    struct itimerval itv = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_PROF, &itv, NULL);
    long s = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        s += hot(1000000);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (in_plt < 20 && t.tv_sec - t0.tv_sec < 20);
    itv.it_value.tv_usec = itv.it_interval.tv_usec = 0;
    setitimer(ITIMER_PROF, &itv, NULL);
    printf("in a PLT entry: %ld samples, %ld without main (%ld)\n", in_plt, lost, s & 1);
    return 0;
}
#endif
