/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * stress_dso.c - the small instrumented library that tests/stress/stress.c
 * loads and unloads in a loop while its other threads look up their own
 * frames.  Built twice (-DVARIANT=0 and 1) so the two copies have different
 * records: loading one copy again revives its registry slot, loading the
 * other one takes (or revives) another.
 *
 * dso_run(cb, out, max) calls dso_outer -> dso_inner, which calls back into
 * the program (cb: the program's frames below the library's) and then
 * captures the stack into out.  The lines of the calls are reported in
 * dso_lines[] so the program can check them.
 */
#include <stdint.h>
#include <whence.h>

#ifndef VARIANT
#define VARIANT 0
#endif

#define NOINLINE __attribute__((noinline))

int dso_lines[3];
int dso_variant = VARIANT;
static volatile int dso_sink;

NOINLINE static int dso_inner(void (*cb)(int), uintptr_t *out, int max) {
    cb(VARIANT);
    dso_lines[0] = __LINE__; int n = whence_callers(0, out, max);
    dso_sink = n;
    return n;
}

NOINLINE static int dso_outer(void (*cb)(int), uintptr_t *out, int max) {
    dso_lines[1] = __LINE__; int n = dso_inner(cb, out, max);
    dso_sink = n + VARIANT;
    return n;
}

NOINLINE int dso_run(void (*cb)(int), uintptr_t *out, int max) {
    dso_lines[2] = __LINE__; int n = dso_outer(cb, out, max);
    dso_sink = n;
    return n;
}
