// One program, four modules built four ways, calling each other in a chain
// with callbacks both ways:
//   A: -g -O0                                  (caller-frame slots)
//   B: -O2 -gline-tables-only                  (site labels)
//   C: -g -O2 -fno-optimize-sibling-calls      (slots, optimized)
//   D: -O2, no plugin, no frame pointers       (uninstrumented)
//   main(A) -> a1(A) -> b1(B) -> c1(C) -> d1(D) -> a2(A, callback from D)
//     -> c2(C, through a pointer) -> b2(B) -> d2(D) -> b3(B, called by name
//     from D) -> a3(A)
// Every instrumented frame must have its exact line, and the frames of D are
// skipped and not counted (api.md); show() prints whence_callers + frames and
// compares whence_caller(1..n+1) with them.  Then a3 spins in functions of
// every module while SIGPROF (ITIMER_PROF plus a 10 kHz POSIX timer) lands;
// the handler (module A, -g) calls whence_callers + whence_frames and checks
// that every frame is named and the frames above the spinning ones are the
// chain with the same exact lines as outside the handler.
// REQUIRES: x86_64-linux
// RUN: %clang -g -O0 %whence_cflags -I%inputs -DPART_A -c %s -o %t.a.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DPART_B -c %s -o %t.b.o
// RUN: %clang -g -O2 -fno-optimize-sibling-calls %whence_cflags -I%inputs -DPART_C -c %s -o %t.c.o
// RUN: %clang -O2 -fomit-frame-pointer -I%inputs -I%whence_incdir -DPART_D -c %s -o %t.d.o
// RUN: %clang %t.a.o %t.b.o %t.c.o %t.d.o %whence_libs -lrt -o %t && %t > %t.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.out
// mold's PLT entries have three instructions and no unwind tables: a sample
// in one steps to its caller by the return address at the stack pointer.
// RUN: %if mold %{ %clang %t.a.o %t.b.o %t.c.o %t.d.o -fuse-ld=mold %whence_libs -lrt -o %t.mold && %t.mold > %t.mold.out %}
// RUN: %if mold %{ FileCheck %s --implicit-check-not=BAD < %t.mold.out %}
// The modules really are built the four ways:
// RUN: llvm-readelf -S %t.b.o | FileCheck %s --check-prefix=SITES
// RUN: llvm-readelf -S %t.a.o | FileCheck %s --check-prefix=NOSITES
// RUN: llvm-readelf -S %t.c.o | FileCheck %s --check-prefix=NOSITES
// RUN: llvm-readelf -S %t.d.o | FileCheck %s --check-prefix=NONE
// SITES: whence_site
// NOSITES-NOT: whence_site
// NOSITES: whence_mod
// NONE-NOT: whence_
#define _GNU_SOURCE
#include "whence_e2e.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

extern volatile long sink;
typedef long (*cb_fn)(long);

// A
int main(void);
long a2(long);
long a3(long);
long spin_a(long);
void show(const char *tag);
// B
long b1(long);
long b2(long);
long b3(long);
long spin_b(long);
extern const int spin_b_line;
// C
long c1(long);
long c2(long);
long spin_c(long);
extern const int spin_c_line;
extern cb_fn c_next;
// D
long d1(long, cb_fn);
long d2(long);
long spin_d(long);

#ifdef PART_D
// ---- D: uninstrumented -----------------------------------------------------
NOINLINE long d1(long x, cb_fn cb) {
    long r = cb(x + 1);
    sink++;
    return r;
}
NOINLINE long d2(long x) {
    long r = b3(x + 1);
    sink++;
    return r;
}
NOINLINE long spin_d(long x) {
    for (int i = 0; i < 40; i++)
        x = x * 6364136223846793005LL + 1442695040888963407LL;
    return x;
}
#endif

#ifdef PART_C
// ---- C: -g -O2 -------------------------------------------------------------
NOINLINE long c1(long x) {
    long r = d1(x + 1, a2); // @c1
    sink++;
    return r;
}
NOINLINE long c2(long x) {
    long r = b2(x + 1); // @c2
    sink++;
    return r;
}
cb_fn c_next = c2;
NOINLINE static long leaf_c(long x) { return x ^ (x >> 7); }
NOINLINE long spin_c(long x) { long s = 0; for (int i = 0; i < 20; i++) s += leaf_c(x + i); sink++; return s; } const int spin_c_line = __LINE__;
#endif

#ifdef PART_B
// ---- B: -O2 -gline-tables-only ---------------------------------------------
NOINLINE long b1(long x) {
    long r = c1(x + 1); // @b1
    sink++;
    return r;
}
NOINLINE long b2(long x) {
    show("b2"); // @b2-show
    long r = d2(x + 1); // @b2
    sink++;
    return r;
}
NOINLINE long b3(long x) {
    long r = a3(x + 1); // @b3
    sink++;
    return r;
}
NOINLINE static long leaf_b(long x) { return x ^ (x >> 5); }
NOINLINE long spin_b(long x) { long s = 0; for (int i = 0; i < 20; i++) s += leaf_b(x + i); sink++; return s; } const int spin_b_line = __LINE__;
#endif

#ifdef PART_A
// ---- A: -g -O0: main, callbacks, the SIGPROF handler -----------------------
volatile long sink;

NOINLINE void show(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_callers(1, pcs, 64);
    whence_frames it;
    whence_frame f, c;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        printf("%s %d fn=%s line=%d\n", tag, k, f.function, f.line);
        bool ok = whence_caller(k + 1, &c);
        if (!ok || strcmp(c.function, f.function) != 0 || c.line != f.line)
            printf("BAD %s caller(%d) = %d %s:%d\n", tag, k, ok, c.function, c.line);
        k++;
    }
    if (whence_caller(k + 1, &c) || !e2e_is_unknown(&c))
        printf("BAD %s caller(%d) past the end = %s:%d\n", tag, k, c.function, c.line);
    printf("%s n=%d\n", tag, k);
}

// The chain above a3 as seen outside the handler: names and lines.
static const char *ref_fn[16];
static int ref_line[16], nref;
static const whence_func *fn_a3;
static int spin_line_a3;
static volatile sig_atomic_t ready, samples, checked, bad_unnamed, bad_chain, bad_spin;
static char first_bad[256];
static volatile sig_atomic_t first_bad_set;

static void note_bad(const char *what, const whence_frame *f) {
    if (first_bad_set)
        return;
    first_bad_set = 1;
    snprintf(first_bad, sizeof first_bad, "%s at %s:%d", what, f->function, f->line);
}

static void on_prof(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    int saved = errno;
    samples++;
    if (!ready) {
        errno = saved;
        return;
    }
    ucontext_t *uc = ucv;
    const whence_func *rf = whence_func_for_pc((uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frame fr[64];
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (k < 64 && whence_frames_next(&it, &fr[k])) {
        if (fr[k].func == NULL || strcmp(fr[k].function, "?") == 0 || fr[k].line < (k != 1)) { // k == 1, interrupted: 0 where the line table has no line
            bad_unnamed++;
            note_bad("unnamed", &fr[k]);
        }
        k++;
    }
    checked++;
    // on_prof, then [leaf_x] spin_x or nothing, then a3 and the chain.
    int i = 1;
    if (k < 2 || strcmp(fr[0].function, "on_prof") != 0) {
        bad_chain++;
        note_bad("top", &fr[0]);
        errno = saved;
        return;
    }
    if (strncmp(fr[i].function, "leaf_", 5) == 0) {
        int want = fr[i].function[5] == 'a' ? 0 : fr[i].function[5] == 'b' ? spin_b_line
                                                                          : spin_c_line;
        i++;
        if (strncmp(fr[i].function, "spin_", 5) != 0 || (want && fr[i].line != want)) {
            bad_spin++;
            note_bad("leaf caller", &fr[i]);
        }
    }
    if (strncmp(fr[i].function, "spin_", 5) == 0)
        i++;
    if (i >= k || strcmp(fr[i].function, "a3") != 0 ||
        (rf != fn_a3 && fr[i].line != spin_line_a3)) {
        bad_spin++;
        note_bad("a3", &fr[i < k ? i : k - 1]);
    }
    i++;
    if (k - i != nref) {
        bad_chain++;
        note_bad("chain length", &fr[k - 1]);
    }
    for (int j = 0; j < nref && i + j < k; j++)
        if (strcmp(fr[i + j].function, ref_fn[j]) != 0 || fr[i + j].line != ref_line[j]) {
            bad_chain++;
            note_bad("chain", &fr[i + j]);
            break;
        }
    errno = saved;
}

NOINLINE static long leaf_a(long x) { return x ^ (x >> 3); }
NOINLINE long spin_a(long x) { long s = 0; for (int i = 0; i < 20; i++) s += leaf_a(x + i); sink++; return s; } static const int spin_a_line = __LINE__;

NOINLINE long a3(long x) {
    show("chain"); // @a3
    uintptr_t pcs[32];
    int n = whence_callers(1, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (nref < 16 && whence_frames_next(&it, &f)) {
        ref_fn[nref] = f.function;
        ref_line[nref++] = f.line;
    }
    fn_a3 = whence_func_for_pc((uintptr_t)&a3);
    (void)spin_a_line;

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
    int64_t deadline = whence_nanotime() + 400000000LL; /* before ready: a sample there reads a3 at this line */
    ready = 1;

    long s = x;
    spin_line_a3 = __LINE__; while (checked < 2000 && whence_nanotime() < deadline) s += spin_a(s) + spin_b(s) + spin_c(s) + spin_d(s);

    ready = 0;
    if (have_timer)
        timer_delete(tid);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    signal(SIGPROF, SIG_IGN);
    if (first_bad_set)
        printf("BAD first mismatch in the handler: %s\n", first_bad);
    printf("prof enough=%d unnamed=%d chain=%d spin=%d\n", checked >= 100, (int)bad_unnamed,
           (int)bad_chain, (int)bad_spin);
    fprintf(stderr, "samples=%d checked=%d\n", (int)samples, (int)checked);
    sink += s;
    return s;
}

NOINLINE long a2(long x) {
    long r = c_next(x + 1); // @a2
    sink++;
    return r;
}

NOINLINE static long a1(long x) {
    long r = b1(x + 1); // @a1
    sink++;
    return r;
}

int main(void) {
    sink += a1(0); // @main
    printf("done\n");
    return 0;
}
#endif

// The chain at a3 (D's frames d1 and d2 are skipped and not counted):
// CHECK-DAG: b2 0 fn=b2 line=[[@LINE-191]]
// CHECK-DAG: b2 1 fn=c2 line=[[@LINE-209]]
// CHECK-DAG: b2 2 fn=a2 line=[[@LINE-21]]
// CHECK-DAG: b2 3 fn=c1 line=[[@LINE-216]]
// CHECK-DAG: b2 4 fn=b1 line=[[@LINE-200]]
// CHECK-DAG: b2 5 fn=a1 line=[[@LINE-18]]
// CHECK-DAG: b2 6 fn=main line=[[@LINE-13]]
// CHECK-DAG: b2 n=7
// CHECK-DAG: chain 0 fn=a3 line=[[@LINE-79]]
// CHECK-DAG: chain 1 fn=b3 line=[[@LINE-194]]
// CHECK-DAG: chain 2 fn=b2 line=[[@LINE-200]]
// CHECK-DAG: chain 3 fn=c2 line=[[@LINE-219]]
// CHECK-DAG: chain 4 fn=a2 line=[[@LINE-31]]
// CHECK-DAG: chain 5 fn=c1 line=[[@LINE-226]]
// CHECK-DAG: chain 6 fn=b1 line=[[@LINE-210]]
// CHECK-DAG: chain 7 fn=a1 line=[[@LINE-28]]
// CHECK-DAG: chain 8 fn=main line=[[@LINE-23]]
// CHECK-DAG: chain n=9
// CHECK: prof enough=1 unnamed=0 chain=0 spin=0
// CHECK-NEXT: done
