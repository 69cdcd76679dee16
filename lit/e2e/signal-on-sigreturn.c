// A signal whose handler interrupted the signal return trampoline itself
// (x86-64's __restore_rt, at its mov or at its syscall: a signal that came
// as an earlier handler returned) walks on through the earlier signal's
// frame, whose ucontext the stack pointer is at.  Was a bug: the walk
// ended at the handler, and whence_callers_end said the stack was complete
// (a sampling profiler's signal landing as a write-barrier handler
// returned: 0.05-0.7% of samples).  Single-stepped here (the trap flag,
// set at the end of the SIGUSR1 handler) so that SIGTRAP lands there.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: env AT=0 %t | FileCheck %s --check-prefixes=CHECK,AT0
// RUN: env AT=7 %t | FileCheck %s --check-prefixes=CHECK,AT7
// RUN: %clang -O0 -g %whence_cflags %s %whence_static -lpthread -ldl -o %t.static
// RUN: env AT=7 %t.static | FileCheck %s --check-prefixes=CHECK,AT7
// AT0: interrupted at the trampoline +0
// AT7: interrupted at the trampoline +7
// CHECK-NEXT: trap line=[[# @LINE + 26]]
// CHECK-NEXT: inner line=[[# @LINE + 48]]
// CHECK-NEXT: outer line=[[# @LINE + 52]]
// CHECK-NEXT: main line=[[# @LINE + 63]]
// CHECK-NEXT: end: complete
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

static volatile uintptr_t tramp;
static volatile int done, steps;
static uintptr_t want;

static void trap(int sig, siginfo_t *si, void *ucv) {
    (void)sig, (void)si;
    ucontext_t *uc = ucv;
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
    if (!done && pc >= tramp && pc < tramp + 16 && pc - tramp == want) {
        done = 1;
        printf("interrupted at the trampoline +%lu\n", (unsigned long)(pc - tramp));
        uintptr_t pcs[64];
        int n = whence_callers(0, pcs, 64);
        whence_frames it;
        whence_frame f;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f))
            printf("%s line=%d\n", f.function, f.line);
        const char *e = whence_callers_end();
        printf("end: %s\n", e ? e : "complete");
    }
    /* steps through the rest of usr1 and into the trampoline, at most 64 */
    if (!done && ++steps < 64)
        uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
    else
        uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
}

static void usr1(int sig) {
    (void)sig;
    tramp = (uintptr_t)__builtin_return_address(0);
    __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc"); /* trap flag */
}

__attribute__((noinline)) void inner(void) {
    raise(SIGUSR1);
    printf("inner returned\n");
}

__attribute__((noinline)) void outer(void) {
    inner();
    __asm__ volatile("" ::: "memory");
}

int main(void) {
    want = (uintptr_t)atoi(getenv("AT"));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, 0);
    signal(SIGUSR1, usr1);
    outer();
    return 0;
}
