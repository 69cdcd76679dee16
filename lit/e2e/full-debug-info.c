// A full debug info (-g) build: body-embedded site records are off by
// default there (api.md); frame slots name the calls.  Checked here: every
// function NAME is right (caller chain, whence_callers + whence_frames,
// after a longjmp, func_for_pc), and every line is either the exact line of
// the call or the function's first line, never anything else;
// FileLine(entry) is the function's first line exactly.  Exact lines at -g,
// line by line, are checked by g-exact-lines.c and g-call-shapes.c.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -g %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -g -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
#include "whence_e2e.h"

#include <setjmp.h>
#include <stdbool.h>

static volatile int sink;
static int bad;
static jmp_buf jb;

// Expected frames, innermost first: name, exact line of the call, first line
// of the function.
struct want { const char *fn; int exact, first; };

static const char *kind(const whence_frame *f, const struct want *w) {
    if (strcmp(f->function, w->fn) != 0 || f->inlined) { bad++; return "BAD-NAME"; }
    if (f->line == w->exact) return "exact";
    if (f->line == w->first) return "first";
    bad++;
    return "BAD-LINE";
}

static void check(const char *tag, const uintptr_t *pcs, int n, const struct want *w, int nw) {
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        if (k < nw)
            printf("%s %d fn=%s %s\n", tag, k, f.function, kind(&f, &w[k]));
        else {
            printf("BAD %s extra frame %s:%d\n", tag, f.function, f.line);
            bad++;
        }
        k++;
    }
    printf("%s frames=%d\n", tag, k);
}

static int main_first, main_line;
static int d_line, c_line, b_line, a_line;

NOINLINE int d(int x) { static const int first = __LINE__;
    uintptr_t pcs[16];
    whence_frame f[6];
    bool ok[6];
    d_line = __LINE__; int n = whence_callers(0, pcs, 16); for (int s = 0; s < 6; s++) ok[s] = whence_caller(s, &f[s]);
    extern const int c_first, b_first, a_first;
    struct want w[5] = {{"d", d_line, first}, {"c", c_line, c_first}, {"b", b_line, b_first},
                        {"a", a_line, a_first}, {"main", main_line, main_first}};
    check("callers", pcs, n, w, 5);
    // CHECK:      callers 0 fn=d {{exact|first}}
    // CHECK-NEXT: callers 1 fn=c {{exact|first}}
    // CHECK-NEXT: callers 2 fn=b {{exact|first}}
    // CHECK-NEXT: callers 3 fn=a {{exact|first}}
    // CHECK-NEXT: callers 4 fn=main {{exact|first}}
    // CHECK-NEXT: callers frames=5
    for (int s = 0; s < 6; s++) {
        if (s < 5)
            printf("caller(%d) ok=%d fn=%s %s\n", s, ok[s], f[s].function, kind(&f[s], &w[s]));
        else
            printf("caller(%d) ok=%d unknown=%d\n", s, ok[s], e2e_is_unknown(&f[s]));
    }
    // CHECK-NEXT: caller(0) ok=1 fn=d {{exact|first}}
    // CHECK-NEXT: caller(1) ok=1 fn=c {{exact|first}}
    // CHECK-NEXT: caller(2) ok=1 fn=b {{exact|first}}
    // CHECK-NEXT: caller(3) ok=1 fn=a {{exact|first}}
    // CHECK-NEXT: caller(4) ok=1 fn=main {{exact|first}}
    // CHECK-NEXT: caller(5) ok=0 unknown=1
    if (x > 100)
        longjmp(jb, 1);
    return x + 1;
}

const int c_first = __LINE__ + 1;
NOINLINE int c(int x) {
    c_line = __LINE__; int r = d(x);
    sink = r;
    return r;
}

// Not a tail call: in -g modules whence keeps tail calls as the optimizer
// made them, exactly as the debugger expects (g-tail-calls.c).
const int b_first = __LINE__ + 1;
NOINLINE int b(int x) {
    b_line = __LINE__; int r = c(x);
    sink = r;
    return r;
}

const int a_first = __LINE__ + 1;
NOINLINE int a(int x) {
    a_line = __LINE__; int r = b(x) * 2;
    sink = r;
    return r;
}

int main(int argc, char **argv) { main_first = __LINE__;
    (void)argv;
    main_line = __LINE__; sink = a(argc);

    // After a longjmp out of the same chain: the same answers, then main alone.
    if (setjmp(jb) == 0) {
        main_line = __LINE__; sink = a(1000);
    }
    // CHECK-NEXT: callers 0 fn=d {{exact|first}}
    // CHECK-NEXT: callers 1 fn=c {{exact|first}}
    // CHECK-NEXT: callers 2 fn=b {{exact|first}}
    // CHECK-NEXT: callers 3 fn=a {{exact|first}}
    // CHECK-NEXT: callers 4 fn=main {{exact|first}}
    // CHECK-NEXT: callers frames=5
    // CHECK:      caller(5) ok=0 unknown=1
    uintptr_t pcs[8];
    main_line = __LINE__; int n = whence_callers(0, pcs, 8);
    struct want w[1] = {{"main", main_line, main_first}};
    check("after-longjmp", pcs, n, w, 1);
    // CHECK-NEXT: after-longjmp 0 fn=main {{exact|first}}
    // CHECK-NEXT: after-longjmp frames=1

    // And a fresh chain after the longjmp.
    main_line = __LINE__; sink = a(argc);
    // CHECK-NEXT: callers 0 fn=d {{exact|first}}
    // CHECK-NEXT: callers 1 fn=c {{exact|first}}
    // CHECK-NEXT: callers 2 fn=b {{exact|first}}
    // CHECK-NEXT: callers 3 fn=a {{exact|first}}
    // CHECK-NEXT: callers 4 fn=main {{exact|first}}
    // CHECK-NEXT: callers frames=5
    // CHECK:      caller(5) ok=0 unknown=1

    // FileLine(entry) is the first line, exactly; func_for_pc names right.
    const whence_func *fc = whence_func_for_pc((uintptr_t)&c);
    const char *file = NULL;
    int line = whence_func_line(fc, (uintptr_t)&c, &file);
    printf("for_pc(&c): name=%s entry_ok=%d first_line_ok=%d file=%s\n", whence_func_name(fc),
           whence_func_entry(fc) == (uintptr_t)&c, line == c_first, e2e_base(file));
    // CHECK-NEXT: for_pc(&c): name=c entry_ok=1 first_line_ok=1 file=full-debug-info.c
    printf("bad=%d\n", bad);
    // CHECK-NEXT: bad=0
    // CHECK-NOT: BAD
    return 0;
}
