// longjmp out of a deep chain, and siglongjmp out of a signal handler at the
// bottom of one: afterwards whence_callers / whence_caller see exactly the
// frames that are live again, at the right lines: in main after the jump, in
// a function that called setjmp itself (after setjmp returned the second
// time), and in a function it calls after that; then a fresh path again.
// Expected lines come from __LINE__ on the line of each call; expect() checks
// every frame (names, lines, count, nothing after main) and prints OK or BAD.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac && %run %t.pac | FileCheck %s %}
#include "whence_e2e.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>

static volatile int sink;
static int mismatches;
static jmp_buf top;
static sigjmp_buf sigtop;
static int main_sj_line;

// expect(tag, n, fn0, line0, fn1, line1, ...): the stack of the function that
// called expect (at the line of that call) must be exactly these n frames,
// innermost first.  Checked through whence_callers + whence_frames and
// through whence_caller(0..n).  Prints "<tag> n=<n> fn0 fn1 ... OK" or BAD.
NOINLINE static void expect(const char *tag, int n, ...) {
    const char *fn[16];
    int line[16];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        fn[i] = va_arg(ap, const char *);
        line[i] = va_arg(ap, int);
    }
    va_end(ap);

    int bad = 0;
    uintptr_t pcs[32];
    int np = whence_callers(1, pcs, 32);
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, np);
    while (whence_frames_next(&it, &f)) {
        if (k >= n || strcmp(f.function, fn[k]) != 0 || f.line != line[k] || f.inlined) {
            printf("BAD %s frame %d: %s:%d want %s:%d\n", tag, k, f.function, f.line,
                   k < n ? fn[k] : "(none)", k < n ? line[k] : 0);
            bad++;
        }
        k++;
    }
    if (k != n || np != n) {
        printf("BAD %s: %d frames in %d entries, want %d\n", tag, k, np, n);
        bad++;
    }
    for (int s = 0; s <= n; s++) {
        bool ok = whence_caller(s + 1, &f);
        if (s < n ? (!ok || strcmp(f.function, fn[s]) != 0 || f.line != line[s])
                  : (ok || !e2e_is_unknown(&f))) {
            printf("BAD %s caller(%d): ok=%d %s:%d\n", tag, s, ok, f.function, f.line);
            bad++;
        }
    }
    printf("%s n=%d", tag, n);
    for (int i = 0; i < n; i++)
        printf(" %s", fn[i]);
    printf(" %s\n", bad ? "BAD" : "OK");
    mismatches += bad;
}

NOINLINE static void dive(int n, jmp_buf *to) {
    if (n == 0)
        longjmp(*to, 1);
    dive(n - 1, to);
    sink++;
}

NOINLINE static void sigdive(int n) {
    if (n == 0)
        raise(SIGUSR1);
    else
        sigdive(n - 1);
    sink++;
}

static void on_usr1(int sig) {
    (void)sig;
    siglongjmp(sigtop, 1);
}

NOINLINE static void leaf(int sj_leaf_line) {
    expect("leaf", 3, "leaf", __LINE__, "sj", sj_leaf_line, "main", main_sj_line);
}

// Calls setjmp itself; the longjmp comes back here from 50 frames down.
NOINLINE static void sj(void) {
    jmp_buf j;
    volatile int returns = 0;
    expect("sj-before", 2, "sj", __LINE__, "main", main_sj_line);
    if (setjmp(j) == 0) {
        returns++;
        dive(50, &j);
    }
    returns++;
    expect("sj-after", 2, "sj", __LINE__, "main", main_sj_line);
    leaf(__LINE__);
    sink = returns;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    if (setjmp(top) == 0)
        dive(200, &top);
    expect("main-after-longjmp", 1, "main", __LINE__);
    // CHECK: main-after-longjmp n=1 main OK

    main_sj_line = __LINE__; sj();
    // CHECK-NEXT: sj-before n=2 sj main OK
    // CHECK-NEXT: sj-after n=2 sj main OK
    // CHECK-NEXT: leaf n=3 leaf sj main OK

    if (sigsetjmp(sigtop, 1) == 0)
        sigdive(100);
    expect("main-after-siglongjmp", 1, "main", __LINE__);
    // CHECK-NEXT: main-after-siglongjmp n=1 main OK

    main_sj_line = __LINE__; sj();
    // CHECK-NEXT: sj-before n=2 sj main OK
    // CHECK-NEXT: sj-after n=2 sj main OK
    // CHECK-NEXT: leaf n=3 leaf sj main OK

    printf("mismatches=%d\n", mismatches);
    // CHECK-NEXT: mismatches=0
    // CHECK-NOT: BAD
    return 0;
}
