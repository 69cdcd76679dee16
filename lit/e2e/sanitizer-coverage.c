// SanitizerCoverage's callbacks, what libFuzzer and coverage tools hook
// (trace-pc-guard at each edge, trace-cmp before each comparison and
// switch, trace-div, trace-gep), are calls clang's coverage pass puts in
// before whence's pass runs: each gets its label, and a hook that asks
// whence for its caller reads the edge's or the comparison's own line, as
// llvm-symbolizer does (an edge at a function's start: the function's
// line). A gep's line moves with the optimizer's hoisting and is not
// checked here.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -g -fsanitize-coverage=trace-pc-guard,trace-cmp,trace-div,trace-gep %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fsanitize-coverage=trace-pc-guard,trace-cmp,trace-div,trace-gep %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %clang -O2 -g -fsanitize-coverage=trace-pc-guard,trace-cmp,trace-div,trace-gep %whence_cflags %s %whence_libs -o %t3 && %run %t3 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fsanitize-coverage=inline-8bit-counters,pc-table,trace-cmp %whence_cflags %s %whence_libs -o %t4 && %run %t4 | FileCheck %s --check-prefix=CMP
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define HOOK __attribute__((no_sanitize("coverage"), noinline))

static int busy;

/* The line of `probe`'s frame, found by name: in -g builds a hook that
 * ends by calling report may tail-call it, and its own frame is gone. */
HOOK static void report(const char *what) {
    if (busy)
        return;
    busy = 1;
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    whence_frame f;
    while (whence_frames_next(&it, &f))
        if (strcmp(f.function, "probe") == 0) {
            printf("%s %s:%d\n", what, f.function, f.line);
            break;
        }
    busy = 0;
}

HOOK void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop) {
    static uint32_t n;
    for (uint32_t *g = start; g < stop; g++)
        *g = ++n;
}
HOOK void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
    if (*guard) {
        *guard = 0; /* each edge once */
        report("edge");
    }
}
HOOK void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b) {
    if (a == 4242 || b == 4242)
        report("cmp");
}
HOOK void __sanitizer_cov_trace_switch(uint64_t v, uint64_t *cases) {
    (void)v, (void)cases;
    report("switch");
}
HOOK void __sanitizer_cov_trace_div4(uint32_t d) {
    if (d == 7)
        report("div");
}
HOOK void __sanitizer_cov_trace_gep(uintptr_t i) {
    if (i == 5)
        report("gep");
}
/* The other callbacks the coverage pass may call here. */
HOOK void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b) { (void)a, (void)b; }
HOOK void __sanitizer_cov_trace_div8(uint64_t d) { (void)d; }
HOOK void __sanitizer_cov_8bit_counters_init(char *s, char *e) { (void)s, (void)e; }
HOOK void __sanitizer_cov_pcs_init(const uintptr_t *b, const uintptr_t *e) { (void)b, (void)e; }

static volatile int table[16];

// CHECK-DAG: edge probe:[[@LINE+1]]
__attribute__((noinline)) int probe(int x, unsigned d) {
    int r = 0;
    // CHECK-DAG: cmp probe:[[@LINE+2]]
    // CMP: cmp probe:[[@LINE+1]]
    if (x == 4242)
        r = table[x - 4237];
    else
        r = table[(x & 7) + 4];
    // CHECK-DAG: switch probe:[[@LINE+1]]
    switch (x) {
    // CHECK-DAG: edge probe:[[@LINE+1]]
    case 1: r += 3; break;
    case 9: r += 5; break;
    }
    // CHECK-DAG: div probe:[[@LINE+1]]
    return r + (int)(1000u / d);
}

int main(int argc, char **argv) {
    (void)argv;
    int r = probe(4241 + argc, 7) + probe(argc, 7);
    printf("done %d\n", r > -1);
    return 0;
}
// CHECK: done 1
// CMP: done 1
