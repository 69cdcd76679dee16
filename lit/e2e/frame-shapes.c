// Frames of every shape a C program makes, in one call chain: a VLA, alloca,
// an over-aligned local (stack realignment), a variadic function, stack
// arguments, an ms_abi function, a large struct returned through memory, a
// cold function, a function called through a pointer, and a function the
// pass does not instrument (disable_sanitizer_instrumentation: skipped, not
// counted).  Built with the user flags that change frames: -O0/-O2,
// -fomit-frame-pointer (the pass must keep frame pointers anyway),
// -fcf-protection, stack protector and stack clash protection, -fno-pie.
// Expected lines come from __LINE__ on each call line; every frame is
// checked through whence_callers + whence_frames and whence_caller.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fomit-frame-pointer %whence_cflags %s %whence_libs -o %t.omit && %t.omit | FileCheck %s
// RUN: %clang -O3 -gline-tables-only -fcf-protection=full -fstack-protector-all -fstack-clash-protection %whence_cflags %s %whence_libs -o %t.hard && %t.hard | FileCheck %s
// RUN: %clang -O1 -gline-tables-only -fno-pie -no-pie -fomit-frame-pointer %whence_cflags %s %whence_static -lpthread -ldl -o %t.st && %t.st | FileCheck %s
// CHECK: capture: cold_fn fp_target sret_fn ms_abi_fn many_args variadic_fn aligned_fn alloca_fn vla_fn main OK
// CHECK-NEXT: mismatches=0
#include <alloca.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;
static int mismatches;

// The expected stack, innermost first, filled in as the chain goes down.
static const char *want_fn[16];
static int want_line[16];
static int nwant;

static void push(const char *fn, int line) {
    // frames are pushed outermost first; stored innermost first at the end
    want_fn[nwant] = fn;
    want_line[nwant] = line;
    nwant++;
}

NOINLINE static void capture(int capture_line) {
    uintptr_t pcs[32];
    int n = whence_callers(1, pcs, 32);
    // expected: want[nwant-1] ... want[0] (innermost first)
    int bad = 0, k = 0;
    whence_frames it;
    whence_frame f;
    printf("capture:");
    (void)capture_line;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        int w = nwant - 1 - k;
        printf(" %s", f.function);
        if (w < 0 || strcmp(f.function, want_fn[w]) != 0 || f.line != want_line[w] || f.inlined)
            bad++;
        k++;
    }
    if (k != nwant || n != nwant)
        bad++;
    for (int s = 0; s <= nwant; s++) {
        bool ok = whence_caller(s + 1, &f);
        int w = nwant - 1 - s;
        if (w >= 0 ? (!ok || strcmp(f.function, want_fn[w]) != 0 || f.line != want_line[w])
                   : ok)
            bad++;
    }
    printf(" %s\n", bad ? "BAD" : "OK");
    if (bad) {
        for (int i = nwant - 1; i >= 0; i--)
            printf("  want %s:%d\n", want_fn[i], want_line[i]);
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f))
            printf("  got  %s:%d inl=%d\n", f.function, f.line, f.inlined);
    }
    mismatches += bad;
}

struct big { long v[16]; };

NOINLINE static void cold_fn(int x) __attribute__((cold));
NOINLINE static void cold_fn(int x) {
    push("cold_fn", __LINE__); capture(x);
    sink = x;
}

NOINLINE static void fp_target(int x) {
    push("fp_target", __LINE__); cold_fn(x + 1);
    sink = x;
}
static void (*volatile fp)(int) = fp_target;

NOINLINE static struct big sret_fn(int x) {
    struct big b;
    memset(&b, 0, sizeof b);
    push("sret_fn", __LINE__); fp(x + 1);
    b.v[3] = x;
    return b;
}

NOINLINE static int __attribute__((ms_abi)) ms_abi_fn(int a, int b, int c, int d, int e) {
    push("ms_abi_fn", __LINE__); struct big r = sret_fn(a + b + c + d + e);
    return (int)r.v[3];
}

// Not instrumented by the pass: must not appear and must not count.
NOINLINE __attribute__((disable_sanitizer_instrumentation)) static int excluded_mid(int x) {
    int r = ms_abi_fn(x, 1, 2, 3, 4);
    sink = r;
    return r + 1;
}

NOINLINE static int many_args(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j) {
    push("many_args", __LINE__); int r = excluded_mid(a + b + c + d + e + f + g + h + i + j);
    sink = r;
    return r;
}

NOINLINE static int variadic_fn(int n, ...) {
    va_list ap;
    va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int);
    va_end(ap);
    push("variadic_fn", __LINE__); int r = many_args(s, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    sink = r;
    return r;
}

NOINLINE static int aligned_fn(int x) {
    char buf[256] __attribute__((aligned(128)));
    memset(buf, x, sizeof buf);
    sink = buf[17];
    push("aligned_fn", __LINE__); int r = variadic_fn(3, x, 2, 3);
    sink = buf[(uintptr_t)buf & 0x7f]; // 0: buf is really 128-aligned
    return r;
}

NOINLINE static int alloca_fn(int x) {
    char *p = alloca(64 + (x & 0xf) * 16);
    memset(p, x, 64);
    sink = p[5];
    push("alloca_fn", __LINE__); int r = aligned_fn(x);
    sink = p[7];
    return r;
}

NOINLINE static int vla_fn(int n) {
    char v[n * 32 + 1];
    memset(v, 1, sizeof v);
    push("vla_fn", __LINE__); int r = alloca_fn(n);
    sink = v[n];
    return r;
}

int main(int argc, char **argv) {
    (void)argv;
    push("main", __LINE__); int r = vla_fn(argc + 2);
    sink = r;
    printf("mismatches=%d\n", mismatches);
    return 0;
}
