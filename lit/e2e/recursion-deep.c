// A 10,000-deep recursion of rec(): whence_callers with max 8, 64 and 20,000
// writes 8, 64 and all 10,001 entries (10,000 rec frames + main), leaves the
// entries past the count untouched, writes nothing for max <= 0; every frame
// is rec at the recursive call line (the innermost at the capture line), then
// main, then nothing.  skip=1 and a skip deep inside the recursion too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
#include "whence_e2e.h"

#include <stdbool.h>
#include <stdlib.h>

#define DEPTH 10000
#define BIG 20000
#define SENT ((uintptr_t)0xdeadbeefcafef00dULL)

static uintptr_t p8[8 + 8], p64[64 + 8], pall[BIG + 8], pskip1[BIG], pskipdeep[64];
static int n8, n64, nall, nskip1, nskipdeep, nzero, nneg;
static int cap_line, rec_line, main_line;
static volatile int sink;
static int mismatches;

NOINLINE static int rec(int n) {
    if (n == 0) {
        cap_line = __LINE__; n8 = whence_callers(0, p8, 8); n64 = whence_callers(0, p64, 64); nall = whence_callers(0, pall, BIG); nskip1 = whence_callers(1, pskip1, BIG); nskipdeep = whence_callers(DEPTH - 5, pskipdeep, 64); nzero = whence_callers(0, p8 + 8, 0); nneg = whence_callers(0, p8 + 8, -3);
        return 0;
    }
    rec_line = __LINE__; int r = rec(n - 1);
    sink = r;
    return r + 1;
}

// Logical frame k (0 = innermost) of the full stack seen from the capture.
static void want_frame(int k, const char **fn, int *line) {
    if (k == 0) { *fn = "rec"; *line = cap_line; }
    else if (k < DEPTH) { *fn = "rec"; *line = rec_line; }
    else if (k == DEPTH) { *fn = "main"; *line = main_line; }
    else { *fn = NULL; *line = 0; }
}

// Expands pcs[0..n) and compares every frame with want_frame(first + i).
// Returns the number of logical frames.
static int verify(const char *tag, const uintptr_t *pcs, int n, int first) {
    whence_frames it;
    whence_frame f;
    int k = 0, bad = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        const char *wfn;
        int wline;
        want_frame(first + k, &wfn, &wline);
        if (!wfn || strcmp(f.function, wfn) != 0 || f.line != wline || f.inlined ||
            strcmp(e2e_base(f.file), "recursion-deep.c") != 0) {
            if (bad++ < 5)
                printf("BAD %s frame %d: %s:%d (want %s:%d)\n", tag, k, f.function, f.line,
                       wfn ? wfn : "(end)", wline);
        }
        k++;
    }
    mismatches += bad;
    return k;
}

int main(void) {
    main_line = __LINE__; int r = rec(DEPTH - 1);
    sink = r;
    for (int i = 8; i < 16; i++) if (p8[i] != SENT) { printf("BAD p8[%d] overwritten\n", i); mismatches++; }
    for (int i = 64; i < 72; i++) if (p64[i] != SENT) { printf("BAD p64[%d] overwritten\n", i); mismatches++; }
    for (int i = nall; i < BIG + 8; i++) if (pall[i] != SENT) { printf("BAD pall[%d] overwritten\n", i); mismatches++; break; }
    printf("n8=%d n64=%d nall=%d nskip1=%d nskipdeep=%d nzero=%d nneg=%d\n", n8, n64, nall, nskip1, nskipdeep, nzero, nneg);
    // CHECK: n8=8 n64=64 nall=10001 nskip1=10000 nskipdeep=6 nzero=0 nneg=0

    int l8 = verify("p8", p8, n8, 0);
    int l64 = verify("p64", p64, n64, 0);
    int lall = verify("pall", pall, nall, 0);
    int ls1 = verify("pskip1", pskip1, nskip1, 1);
    int lsd = verify("pskipdeep", pskipdeep, nskipdeep, DEPTH - 5);
    printf("logical: %d %d %d %d %d\n", l8, l64, lall, ls1, lsd);
    // CHECK-NEXT: logical: 8 64 10001 10000 6

    // The innermost two and the outermost frames, against the source lines.
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pall, nall);
    for (int k = 0; whence_frames_next(&it, &f); k++)
        if (k < 2 || k >= DEPTH - 1) e2e_print("frame", &f);
    // CHECK-NEXT: frame fn=rec file=recursion-deep.c line=[[#CAP:]] inl=0
    // CHECK-NEXT: frame fn=rec file=recursion-deep.c line=[[#REC:]] inl=0
    // CHECK-NEXT: frame fn=rec file=recursion-deep.c line=[[#REC]] inl=0
    // CHECK-NEXT: frame fn=main file=recursion-deep.c line=[[#MAIN:]] inl=0
    printf("lines: cap=%d rec=%d main=%d\n", cap_line, rec_line, main_line);
    // CHECK-NEXT: lines: cap=[[#CAP]] rec=[[#REC]] main=[[#MAIN]]
    printf("mismatches=%d\n", mismatches);
    // CHECK-NEXT: mismatches=0
    // CHECK-NOT: BAD
    return 0;
}

// Fill the sentinels before main runs.
__attribute__((constructor)) static void fill(void) {
    for (int i = 0; i < 16; i++) p8[i] = SENT;
    for (int i = 0; i < 72; i++) p64[i] = SENT;
    for (int i = 0; i < BIG + 8; i++) pall[i] = SENT;
}
