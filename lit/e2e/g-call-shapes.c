// Exact caller lines for the call shapes that release builds with -g
// (RelWithDebInfo) are made of, at every optimization level, checked against
// __LINE__: a call followed by a return of something else (the IR marks it
// `tail`, the backend calls), a callee of another calling convention in tail
// position, a tail call after an early return, recursion, a frame realigned
// for an over-aligned local, one with a VLA and an over-aligned local (base
// pointer), a by-value struct argument.  A tail call the backend turns into a
// jump leaves no frame, exactly as the debugger shows it (lit
// pass/g-tail-identity.c checks that the same calls are jumps with and
// without the plugin); every frame that is shown has the line of its call.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t0 && %t0 | FileCheck %s
// RUN: %clang -O1 -g %whence_cflags %s %whence_libs -o %t1 && %t1 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s
// RUN: %clang -Og -g %whence_cflags %s %whence_libs -o %t3 && %t3 | FileCheck %s
// RUN: %clang -Os -g %whence_cflags %s %whence_libs -o %t4 && %t4 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t5 && %t5 | FileCheck %s
// RUN: %clang -O2 -g -fsanitize=safe-stack %whence_cflags %s %whence_libs -o %t6 && %t6 | FileCheck %s
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;
static int failures;

/* What report's caller's callers must be (frames 2..), set before each
 * shape runs, so that the calls under test pass no pointer to a local (which
 * would keep the optimizer from marking them `tail`). */
static const char *want_name[8];
static int want_line[8], want_n;

static void expect(int n, const char *const *names, const int *lines) {
    want_n = n;
    for (int i = 0; i < n; i++) {
        want_name[i] = names[i];
        want_line[i] = lines[i];
    }
}

/* Frame 1 (report's caller) must be fn at line `line`; the frames after it
 * what expect() said. */
NOINLINE int report(const char *tag, const char *fn, int line) {
    whence_frame f;
    int bad = 0;
    for (int i = 0; i <= want_n; i++) {
        const char *wn = i ? want_name[i - 1] : fn;
        int wl = i ? want_line[i - 1] : line;
        if (!whence_caller(1 + i, &f) || strcmp(f.function, wn) || f.line != wl) {
            printf("%s: frame %d is %s:%d, want %s:%d\n", tag, i, f.function, f.line, wn, wl);
            bad = 1;
        }
    }
    printf("%s %s\n", tag, bad ? "WRONG" : "ok");
    failures += bad;
    return bad;
}

/* A: g(); return 0; */
NOINLINE int shape_a(void) {
    report("A", "shape_a", __LINE__);
    return 0;
}

/* B: g(); return x; */
NOINLINE int shape_b(int x) {
    report("B", "shape_b", __LINE__);
    return x;
}

/* C: return ms(x); with ms an ms_abi function */
__attribute__((ms_abi)) NOINLINE int ms_callee(int x) {
    report("C", "ms_callee", __LINE__);
    return x + 1;
}
NOINLINE int shape_c(int x) { return ms_callee(x); }
static const int c_line = __LINE__ - 1;

static int d_line; /* shape_d's call, set by main */
/* D: if (x == 0) return 0; return leaf(x + 1); -- a jump where the
 * backend makes it one, so shape_d is not on the stack then; else it is,
 * at its line. */
NOINLINE int leaf_d(int x) {
    whence_frame f;
    if (whence_caller(1, &f) && !strcmp(f.function, "shape_d")) {
        int l = want_line[0], n = want_n;
        want_line[0] = d_line, want_name[0] = "shape_d", want_line[1] = l, want_name[1] = "main";
        want_n = 2;
        report("D", "leaf_d", __LINE__);
        want_line[0] = l, want_name[0] = "main", want_n = n;
    } else {
        report("D", "leaf_d", __LINE__);
    }
    return x;
}
NOINLINE int shape_d(int x) {
    if (x == 0)
        return 0;
    return leaf_d(x + 1);
}
static const int d_call_line = __LINE__ - 2;

/* E: recursion through a non-tail call. */
NOINLINE int shape_e(int n) {
    if (n == 0) {
        report("E", "shape_e", __LINE__);
        return 0;
    }
    int r = shape_e(n - 1);
    sink = r;
    return r - n;
}
static const int e_line = __LINE__ - 4;

/* F: a frame realigned for an over-aligned local, the call last. */
NOINLINE int leaf_f(volatile char *p) {
    report("F", "leaf_f", __LINE__);
    return p[0];
}
NOINLINE int shape_f(int x) {
    _Alignas(64) volatile char buf[64];
    buf[0] = (char)x;
    return leaf_f(buf);
}
static const int f_line = __LINE__ - 2;

/* G: a VLA and an over-aligned local (a base pointer at -O2). */
NOINLINE int shape_g(int n) {
    volatile char vla[n];
    _Alignas(32) volatile char al[32];
    vla[0] = al[0] = 1;
    report("G", "shape_g", __LINE__);
    return vla[0] + al[0];
}

/* H: a struct passed by value to a call in tail position. */
struct big { long v[8]; };
NOINLINE int leaf_h(struct big b) {
    report("H", "leaf_h", __LINE__);
    return (int)b.v[3];
}
NOINLINE int shape_h(int x) {
    struct big b = {{x, x, x, x, x, x, x, x}};
    return leaf_h(b);
}
static const int h_line = __LINE__ - 2;

int main(int argc, char **argv) {
    (void)argv;
    { const char *n[] = {"main"}; int l[] = {__LINE__ + 1}; expect(1, n, l);
      sink = shape_a(); }
    { const char *n[] = {"main"}; int l[] = {__LINE__ + 1}; expect(1, n, l);
      sink = shape_b(argc); }
    { const char *n[] = {"shape_c", "main"}; int l[] = {c_line, __LINE__ + 1}; expect(2, n, l);
      sink = shape_c(argc); }
    d_line = d_call_line;
    { const char *n[] = {"main"}; int l[] = {__LINE__ + 1}; expect(1, n, l);
      sink = shape_d(argc); }
    { const char *n[] = {"shape_e", "shape_e", "shape_e", "main"};
      int l[] = {e_line, e_line, e_line, __LINE__ + 1}; expect(4, n, l);
      sink = shape_e(3); }
    { const char *n[] = {"shape_f", "main"}; int l[] = {f_line, __LINE__ + 1}; expect(2, n, l);
      sink = shape_f(argc); }
    { const char *n[] = {"main"}; int l[] = {__LINE__ + 1}; expect(1, n, l);
      sink = shape_g(argc + 8); }
    { const char *n[] = {"shape_h", "main"}; int l[] = {h_line, __LINE__ + 1}; expect(2, n, l);
      sink = shape_h(argc); }
    printf("failures=%d\n", failures);
    return failures != 0;
}
// CHECK: A ok
// CHECK: B ok
// CHECK: C ok
// CHECK: D ok
// CHECK: E ok
// CHECK: F ok
// CHECK: G ok
// CHECK: H ok
// CHECK: failures=0
