// A program's fault handler installed before whence's, without
// SA_ONSTACK, runs on the thread's stack (crash-prev-own-stack.c); the
// edges of that (helper-114):
// - stale: a handler that left by siglongjmp left its record behind; a
//   later fault deeper down was taken for the handler faulting inside
//   itself, and its handler ran on whence's alternate stack again (its
//   1 MiB frame overflowed it: no report, the handler's output cut);
// - small: a handler that ends the process (exit) on a thread whose stack
//   has 10 KiB left had the report written on what was left: it ran into
//   the guard page and said the stack was damaged, 97 frames lost;
// - forced: the kernel's own SIGSEGV when it cannot write another
//   signal's frame on a full stack (address 0) ran the handler below that
//   full stack: it died at once, no report;
// - altstack: a handler that set an alternate stack of its own had it
//   undone when it returned;
// - SA_ONSTACK, on a small malloc'ed alternate stack of the program's: the
//   handler ran on a stack whence mapped, and a walk from it stopped after
//   the handler's frame, said complete.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t stale 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: not %run %t small 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not --crash %run %t forced 2>&1 | FileCheck %s --check-prefix=FORCED
// RUN: %run %t altstack 2>&1 | FileCheck %s --check-prefix=ALT
// RUN: %run %t onstack 2>&1 | FileCheck %s --check-prefix=ONSTACK
// - again: 2,000 faults at one depth, each recovered by siglongjmp, in code
//   without frame pointers (built without the plugin: its %rbp is
//   anything): each was taken for the handler faulting inside the one
//   before, and ran on the alternate stack (helper-117);
// RUN: %clang -O2 -fomit-frame-pointer -I%whence_incdir %s %whence_libs -o %t.nofp
// RUN: %run %t.nofp again 2>&1 | FileCheck %s --check-prefix=AGAIN
// - gp: a general-protection fault (SIGSEGV from the kernel, address 0,
//   as for a signal it could not deliver) ran the handler on the
//   alternate stack: its 1 MiB frame overflowed it, no report.
// RUN: %if x86_64-linux %{ not --crash %run %t gp 2>&1 | FileCheck %s --check-prefix=GP %}
// STALE: recovered
// STALE-NEXT: handler: 1 MiB frame done
// STALE-NEXT: fatal signal 11 (SIGSEGV)
// STALE-NEXT: fault in crash_here
// SMALL: handler: exit
// SMALL-NEXT: fatal signal 11 (SIGSEGV)
// SMALL-NEXT: fault in crash_here
// SMALL: stack:
// SMALL-NEXT: crash_here(...)
// SMALL-NEXT: crash-prev-own-stack-edges.c:[[#@LINE+91]]
// SMALL-NEXT: recurse(...)
// SMALL-NOT: damaged
// SMALL: thread_main(...)
// FORCED: handler: code {{[0-9]+}} address (nil)
// FORCED-NEXT: fatal signal 11 (SIGSEGV)
// FORCED-NEXT: fault in
// ALT: kept: 1
// ONSTACK: handler(...)
// ONSTACK-NEXT: crash-prev-own-stack-edges.c
// ONSTACK-NEXT: <signal handler called>
// ONSTACK-NEXT: crash_here(...)
// ONSTACK: main(...)
// ONSTACK: frames 3, complete
// AGAIN: recovered 2000, below the interrupted stack pointer 2000
// GP: handler: 1 MiB frame done
// GP-NEXT: fatal signal 11 (SIGSEGV)
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

static const char *mode;
static sigjmp_buf jb;
static int phase;
static volatile int zero;
static char newstack[65536];
static char *page;

static void say(const char *s) { write(2, s, strlen(s)); }
static int below;

static uintptr_t interrupted_sp(void *u) {
#if defined(__x86_64__)
    return (uintptr_t)((ucontext_t *)u)->uc_mcontext.gregs[REG_RSP];
#else
    return (uintptr_t)((ucontext_t *)u)->uc_mcontext.sp;
#endif
}

__attribute__((noinline)) static void big(void) {
    volatile char buf[1 << 20];
    for (size_t i = 0; i < sizeof buf; i += 4096)
        buf[i] = 1;
    say("handler: 1 MiB frame done\n");
}

static void handler(int s, siginfo_t *i, void *u) {
    (void)u;
    if (!strcmp(mode, "stale")) {
        if (phase == 0)
            siglongjmp(jb, 1);
        big();
        signal(s, SIG_DFL);
    } else if (!strcmp(mode, "small")) {
        say("handler: exit\n");
        exit(3);
    } else if (!strcmp(mode, "forced")) {
        char b[80];
        snprintf(b, sizeof b, "handler: code %d address %p\n", i->si_code, i->si_addr);
        say(b);
        signal(s, SIG_DFL);
    } else if (!strcmp(mode, "altstack")) {
        stack_t n = {.ss_sp = newstack, .ss_size = sizeof newstack};
        sigaltstack(&n, NULL);
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
    } else if (!strcmp(mode, "again")) {
        volatile char here;
        below += (uintptr_t)&here < interrupted_sp(u);
        siglongjmp(jb, 1);
    } else if (!strcmp(mode, "gp")) {
        big();
        signal(s, SIG_DFL);
    } else if (!strcmp(mode, "onstack")) {
        whence_write_stack(1, 0);
        uintptr_t pcs[64];
        int n = whence_callers(0, pcs, 64);
        printf("frames %d, %s\n", n, whence_callers_end() ? whence_callers_end() : "complete");
        exit(0);
    }
}

__attribute__((noinline)) void crash_here(void) { *(volatile int *)(uintptr_t)zero = 1; }

__attribute__((noinline)) void deeper(int n) {
    volatile char pad[256];
    pad[0] = 0;
    if (n)
        deeper(n - 1);
    else
        crash_here();
    __asm__ volatile("" ::: "memory");
}

static char *stack_lo;

/* (with 10 KiB left) */
__attribute__((noinline)) void recurse(int n) {
    volatile char pad[512];
    pad[0] = 0;
    if ((char *)&pad[0] - stack_lo < 10240 || n == 0)
        crash_here();
    else
        recurse(n - 1);
    __asm__ volatile("" ::: "memory");
}

static pid_t pid, tid;
static void usr1(int s) { (void)s; }

/* (a SIGUSR1 without SA_ONSTACK sent to itself with less than a signal
 * frame left: the kernel gives up and forces SIGSEGV) */
__attribute__((noinline)) void fill(void) {
    volatile char pad[64];
    pad[0] = 0;
    if ((char *)&pad[0] - stack_lo > 700)
        fill();
    else
        syscall(SYS_tgkill, pid, tid, SIGUSR1);
    __asm__ volatile("" ::: "memory");
}

static void *thread_main(void *arg) {
    pthread_attr_t at;
    size_t size;
    void *lo;
    pthread_getattr_np(pthread_self(), &at);
    pthread_attr_getstack(&at, &lo, &size);
    stack_lo = lo;
    pid = getpid();
    tid = (pid_t)syscall(SYS_gettid); /* (and syscall bound: no lazy binding at the end) */
    if (!strcmp(mode, "small"))
        recurse(1000);
    else
        fill();
    return arg;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mode = argc > 1 ? argv[1] : "";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | (!strcmp(mode, "onstack") ? SA_ONSTACK : 0);
    sigaction(SIGSEGV, &sa, NULL);
    signal(SIGUSR1, usr1);
    whence_install_crash_handler();
    if (!strcmp(mode, "stale")) {
        if (!sigsetjmp(jb, 1))
            crash_here(); /* a probe that recovers */
        say("recovered\n");
        phase = 1;
        deeper(10);
    } else if (!strcmp(mode, "small") || !strcmp(mode, "forced")) {
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setstacksize(&at, 65536);
        pthread_t t;
        pthread_create(&t, &at, thread_main, NULL);
        pthread_join(t, NULL);
    } else if (!strcmp(mode, "again")) {
        int n = 0;
        while (n < 2000)
            if (sigsetjmp(jb, 1) == 0)
                crash_here();
            else
                n++;
        fprintf(stderr, "recovered %d, below the interrupted stack pointer %d\n", n, below);
    } else if (!strcmp(mode, "gp")) {
        /* (a non-canonical address) */
        *(volatile int *)(uintptr_t)0x8000000000000000ull = 1;
    } else if (!strcmp(mode, "altstack")) {
        page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        page[0] = 1; /* (the handler makes it writable) */
        stack_t c;
        sigaltstack(NULL, &c);
        printf("kept: %d\n", c.ss_sp == newstack && !(c.ss_flags & SS_DISABLE));
    } else if (!strcmp(mode, "onstack")) {
        /* (set after whence's: 8 KiB from malloc, below whence's stacks) */
        stack_t st = {.ss_sp = malloc(8192), .ss_size = 8192};
        sigaltstack(&st, NULL);
        crash_here();
    }
    return 0;
}
