// What a sampling profiler needs: from a SIGPROF handler, whence_callers
// must give the interrupted function and then EVERY instrumented caller,
// wherever the signal lands: in a leaf function (which sets up no frame
// pointer), in a prologue or epilogue, or in the middle of a body.  Each
// function here has exactly one call path, so the expected stack follows
// from the interrupted function alone:
//   main -> run -> mid -> leafy            (leafy: a leaf, a long loop)
//   main -> run -> mid -> tiny -> nano     (tiny/nano: short, called often)
// The handler compares what it got with that path and counts mismatches by
// where the signal landed.  Signals: ITIMER_PROF plus a 10 kHz
// CLOCK_MONOTONIC POSIX timer, for about 1 s.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O0 && %t.O0 | FileCheck %s
// CHECK: enough=1 mismatch_leaf=0 mismatch_body=0 unknown_rip_bad=0
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
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile long sink;
static volatile sig_atomic_t samples, in_ours, mismatch_leaf, mismatch_body, unknown_rip_bad;
static char first_bad[256];
static volatile sig_atomic_t first_bad_set;

NOINLINE static long leafy(long x);
NOINLINE static long nano(long x);
NOINLINE static long tiny(long x);
NOINLINE static long mid(long i);
NOINLINE static void run(void);
int main(void);

// The unique path of each function, innermost first (NULL-terminated).
struct path {
    const whence_func *f;
    int leaf;
    const char *names[8];
};
static struct path P[6] = {
    {0, 1, {"leafy", "mid", "run", "main", 0}},
    {0, 1, {"nano", "tiny", "mid", "run", "main", 0}},
    {0, 0, {"tiny", "mid", "run", "main", 0}},
    {0, 0, {"mid", "run", "main", 0}},
    {0, 0, {"run", "main", 0}},
    {0, 0, {"main", 0}},
};

static void append(char *dst, size_t cap, const char *s) {
    size_t n = strlen(dst);
    while (*s && n + 1 < cap)
        dst[n++] = *s++;
    dst[n] = 0;
}

static void on_prof(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    int saved = errno;
    ucontext_t *uc = ucv;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    const whence_func *rf = whence_func_for_pc(rip);
    samples++;
    struct path *p = NULL;
    for (int i = 0; i < 6; i++)
        if (rf && rf == P[i].f)
            p = &P[i];
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    bool first = whence_frames_next(&it, &f);
    if (!first || strcmp(f.function, "on_prof") != 0) {
        unknown_rip_bad++;
        errno = saved;
        return;
    }
    if (!p) {
        // Interrupted outside our code (libc, libwhence, a PLT stub): the
        // frames that follow must still be ours.
        while (whence_frames_next(&it, &f))
            if (f.func == NULL || f.line <= 0)
                unknown_rip_bad++;
        errno = saved;
        return;
    }
    in_ours++;
    int k = 0;
    bool ok = true;
    char got[200] = "";
    while (whence_frames_next(&it, &f)) {
        append(got, sizeof got, " ");
        append(got, sizeof got, f.function);
        if (!p->names[k] || strcmp(f.function, p->names[k]) != 0)
            ok = false;
        if (p->names[k])
            k++;
    }
    if (p->names[k])
        ok = false;
    if (!ok) {
        if (p->leaf)
            mismatch_leaf++;
        else
            mismatch_body++;
        if (!first_bad_set) {
            first_bad_set = 1;
            append(first_bad, sizeof first_bad, "interrupted in ");
            append(first_bad, sizeof first_bad, p->names[0]);
            append(first_bad, sizeof first_bad, ", got:");
            append(first_bad, sizeof first_bad, got);
        }
    }
    errno = saved;
}

NOINLINE static long leafy(long x) {
    for (int i = 0; i < 3000; i++)
        x = x * 6364136223846793005LL + 1442695040888963407LL;
    return x;
}

NOINLINE static long nano(long x) {
    return x ^ (x >> 3);
}

NOINLINE static long tiny(long x) {
    return nano(x) + 1;
}

NOINLINE static long mid(long i) {
    long s = leafy(i);
    for (int k = 0; k < 200; k++)
        s += tiny(s + k);
    return s;
}

static int64_t deadline;

NOINLINE static void run(void) {
    long i = 0;
    while (whence_nanotime() < deadline && !(samples >= 6000))
        sink += mid(i++);
}

int main(void) {
    P[0].f = whence_func_for_pc((uintptr_t)&leafy);
    P[1].f = whence_func_for_pc((uintptr_t)&nano);
    P[2].f = whence_func_for_pc((uintptr_t)&tiny);
    P[3].f = whence_func_for_pc((uintptr_t)&mid);
    P[4].f = whence_func_for_pc((uintptr_t)&run);
    P[5].f = whence_func_for_pc((uintptr_t)&main);
    for (int i = 0; i < 6; i++)
        if (!P[i].f)
            printf("BAD no func for %s\n", P[i].names[0]);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);

    struct itimerval tv = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_PROF, &tv, NULL);
    timer_t tid;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGPROF;
    bool have_timer = timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0;
    struct itimerspec its = {{0, 100000}, {0, 100000}};
    if (have_timer)
        timer_settime(tid, 0, &its, NULL);

    deadline = whence_nanotime() + 1000000000LL;
    run();

    if (have_timer)
        timer_delete(tid);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    signal(SIGPROF, SIG_IGN);

    if (first_bad_set)
        printf("BAD first mismatch: %s\n", first_bad);
    printf("enough=%d mismatch_leaf=%d mismatch_body=%d unknown_rip_bad=%d\n", in_ours >= 200,
           (int)mismatch_leaf, (int)mismatch_body, (int)unknown_rip_bad);
    fprintf(stderr, "samples=%d in_ours=%d\n", (int)samples, (int)in_ours);
    return 0;
}
