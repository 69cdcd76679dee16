// A SIGPROF handler (setitimer ITIMER_PROF at 2 kHz, plus a 5 kHz POSIX timer) calls whence_callers,
// whence_frames and whence_func_for_pc on the interrupted pc (ucontext RIP, or PC on AArch64)
// while the program itself loops over the whole API, for at most 1.5 s:
// no crash, no deadlock, and every frame the handler gets is a frame of this
// program (whence_func_for_pc non-NULL, its name one of this file's
// functions), the first one being the handler itself.  The interrupted pc is
// either NULL (libc, libwhence) or one of ours (or the documented dynamic
// symbol fallback, with line 0: checked after the timer is off, because
// whence_func_name / whence_func_line are not listed as async-signal-safe).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %emulated_cflags %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// Under qemu-user the -O0 static program's handler (which decodes a stub
// for every libc pc it is given: pipe system calls) takes longer than the
// timers' period and the loop never ends: native only.  AArch64 runs -O0
// with signed return addresses instead.
// RUN: %if x86_64-linux %{ %clang -O0 -gline-tables-only -fno-pie -no-pie %whence_cflags %s %whence_static -lpthread -ldl -o %t.O0 && %t.O0 | FileCheck %s %}
// RUN: %if aarch64-linux %{ %clang -O0 -gline-tables-only -mbranch-protection=standard %whence_cflags %emulated_cflags %s %whence_libs -o %t.pac0 && %run %t.pac0 | FileCheck %s %}
// CHECK: samples>=100: 1 bad=0 handler_first=1 reached_main=1 rip_bad=0
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static const char *const OURS[] = {"on_prof", "is_ours", "work_a", "work_b", "work_c",
                                   "spin", "api_round", "main"};

static volatile sig_atomic_t samples, bad, handler_not_first, reached_main, zero_lines;
static const whence_func *volatile rip_funcs[4096];
static volatile uintptr_t rip_pcs[4096];
static volatile sig_atomic_t n_rip;
static char first_bad[128];
static volatile int sink;

static int is_ours(const char *name) {
    for (unsigned i = 0; i < sizeof OURS / sizeof OURS[0]; i++)
        if (strcmp(name, OURS[i]) == 0)
            return 1;
    return 0;
}

static void on_prof(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    int saved_errno = errno;
    ucontext_t *uc = ucv;
#if defined(__x86_64__)
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.pc;
#endif
    const whence_func *rf = whence_func_for_pc(rip);
    if (rf && n_rip < 4096) {
        rip_funcs[n_rip] = rf;
        rip_pcs[n_rip] = rip;
        n_rip++;
    }
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    samples++;
    for (int i = 0; i < n; i++)
        if (!whence_func_for_pc(pcs[i])) {
            if (bad++ == 0)
                strcpy(first_bad, "callers entry not accepted by whence_func_for_pc");
        }
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    int k = 0;
    const char *last = "";
    while (whence_frames_next(&it, &f)) {
        if (k == 0 && strcmp(f.function, "on_prof") != 0)
            handler_not_first++;
        if (f.line <= 0)
            zero_lines++;
        if (!is_ours(f.function)) {
            if (bad++ == 0) {
                strncpy(first_bad, f.function, sizeof first_bad - 1);
            }
        }
        last = f.function;
        k++;
    }
    if (k == 0)
        handler_not_first++;
    if (strcmp(last, "main") == 0)
        reached_main++;
    errno = saved_errno;
}

// The program's own work: a small call chain that uses every API function.
NOINLINE static long spin(long x) {
    for (int i = 0; i < 2000; i++)
        x = x * 6364136223846793005LL + 1442695040888963407LL;
    return x;
}

NOINLINE static void api_round(int i) {
    uintptr_t pcs[32];
    whence_frame f;
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        sink += f.line;
    whence_caller(i % 5, &f);
    const whence_func *fn = whence_func_for_pc(pcs[0]);
    const char *file;
    sink += whence_func_line(fn, pcs[0], &file);
    sink += whence_func_name(fn)[0];
    sink += (int)whence_func_entry(fn);
    sink += whence_func_for_pc((uintptr_t)i * 0x9e3779b97f4a7c15ULL) != NULL;
    sink += (int)(whence_nanotime() & 1);
    if (i % 64 == 0)
        whence_write_stack(-1, 0); // an invalid fd: must not matter
}

NOINLINE static void work_c(int i) {
    api_round(i);
    sink += (int)spin(i);
}
NOINLINE static void work_b(int i) {
    work_c(i);
    sink++;
}
NOINLINE static void work_a(int i) {
    work_b(i);
    sink++;
}

int main(void) {
    // The lookup tables exist before the first signal (func_for_pc is
    // async-signal-safe after the first lookup).
    work_a(0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
#ifdef WHENCE_EMULATED
    // Under qemu a handler can take longer than 200 us of wall time: the
    // signals then came faster than they were handled, and the loop never
    // ended (a livelock at times on a loaded machine, with any runtime).
    struct itimerval tv = {{0, 2000}, {0, 2000}};
    struct itimerspec its = {{0, 1000000}, {0, 1000000}};
#else
    struct itimerval tv = {{0, 500}, {0, 500}};
    struct itimerspec its = {{0, 200000}, {0, 200000}};
#endif
    setitimer(ITIMER_PROF, &tv, NULL);
    // ITIMER_PROF fires at most once per kernel tick: add a 5 kHz
    // CLOCK_MONOTONIC timer so signals land inside whence calls often.
    timer_t tid;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGPROF;
    bool have_timer = timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0;
    if (have_timer)
        timer_settime(tid, 0, &its, NULL);
    int64_t start = whence_nanotime();
    for (int i = 1; whence_nanotime() - start < 1500000000LL && !(samples >= 3000 && i > 20000); i++)
        work_a(i);
    if (have_timer)
        timer_delete(tid);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    signal(SIGPROF, SIG_IGN);

    int rip_bad = 0;
    for (int i = 0; i < n_rip; i++) {
        const whence_func *f = rip_funcs[i];
        const char *file;
        if (is_ours(whence_func_name(f)))
            continue;
        if (whence_func_line(f, rip_pcs[i], &file) != 0) { // only the fallback may name others
            if (rip_bad++ == 0)
                printf("BAD interrupted pc named %s\n", whence_func_name(f));
        }
    }
    if (bad)
        printf("BAD first: %s\n", first_bad);
    printf("samples>=100: %d bad=%d handler_first=%d reached_main=%d rip_bad=%d\n",
           samples >= 100, (int)bad, handler_not_first == 0, reached_main > 0, rip_bad);
    fprintf(stderr, "samples=%d reached_main=%d rip_found=%d zero_lines=%d\n", (int)samples,
            (int)reached_main, (int)n_rip, (int)zero_lines);
    return 0;
}
