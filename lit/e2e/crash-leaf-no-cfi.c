// A fault in an instrumented function that has no frame record at its pc
// (a leaf without one, which "frame-pointer"="non-leaf" leaves so, with or
// without registers it saves; code before a shrink-wrapped prologue) in
// code built without unwind tables: its caller is found from the return
// address above its stack pointer, taken only when the call before it
// enters that very function and the caller's frame pointer lies exactly
// its fixed frame above it (capture.c, leaf_return), directly, through a
// PLT stub into a shared library and through the GOT (-fno-plt, x86-64:
// AArch64's GOT calls are blr, whose target is not checked).  Where
// the facts do not agree (a call through a function pointer; a caller
// whose stack pointer an alloca moved) the report ends with why, instead
// of stopping without a word after the faulting frame as it did.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clang -fno-asynchronous-unwind-tables -fno-unwind-tables %whence_cflags -I%inputs
// RUN: %{cc} -O2 -gline-tables-only %s %whence_libs -o %t/o2
// RUN: %{cc} -O2 -g %s %whence_libs -o %t/o2g
// RUN: %{cc} -O0 -gline-tables-only %s %whence_libs -o %t/o0
// RUN: %{cc} -O2 -gline-tables-only -fPIC -shared -DLIB %s -o %t/libleaf.so
// RUN: %{cc} -O2 -gline-tables-only -DUSE_LIB %s -L%t -lleaf -Wl,-rpath,%t %whence_libs -o %t/so
// RUN: %if x86_64-linux %{ %{cc} -O2 -gline-tables-only -fno-plt -DUSE_LIB %s -L%t -lleaf -Wl,-rpath,%t %whence_libs -o %t/noplt %}
// RUN: not --crash %run %t/o2 plain 2> %t/o2.plain.r
// RUN: FileCheck %s --check-prefixes=CHECK,PLAIN < %t/o2.plain.r
// RUN: not --crash %run %t/o2g plain 2> %t/o2g.plain.r
// RUN: FileCheck %s --check-prefixes=CHECK,PLAIN < %t/o2g.plain.r
// RUN: not --crash %run %t/o0 plain 2> %t/o0.plain.r
// RUN: FileCheck %s --check-prefixes=CHECK,PLAIN < %t/o0.plain.r
// RUN: not --crash %run %t/so plain 2> %t/so.plain.r
// RUN: FileCheck %s --check-prefixes=CHECK,PLAIN < %t/so.plain.r
// RUN: %if mold %{ mkdir -p %t/mold %}
// RUN: %if mold %{ %{cc} -O2 -gline-tables-only -fPIC -shared -DLIB -fuse-ld=mold %s -o %t/mold/libleaf.so %}
// RUN: %if mold %{ %{cc} -O2 -gline-tables-only -DUSE_LIB -fuse-ld=mold %s -L%t/mold -lleaf -Wl,-rpath,%t/mold %whence_libs -o %t/mold/so %}
// RUN: %if mold %{ not --crash %run %t/mold/so plain 2> %t/mold.plain.r %}
// RUN: %if mold %{ FileCheck %s --check-prefixes=CHECK,PLAIN < %t/mold.plain.r %}
// RUN: %if x86_64-linux %{ not --crash %run %t/noplt plain 2> %t/noplt.plain.r %}
// RUN: %if x86_64-linux %{ FileCheck %s --check-prefixes=CHECK,PLAIN < %t/noplt.plain.r %}
// RUN: not --crash %run %t/o2 saves 2> %t/o2.saves.r
// RUN: FileCheck %s --check-prefixes=CHECK,SAVES < %t/o2.saves.r
// RUN: not --crash %run %t/o2g saves 2> %t/o2g.saves.r
// RUN: FileCheck %s --check-prefixes=CHECK,SAVES < %t/o2g.saves.r
// RUN: not --crash %run %t/so saves 2> %t/so.saves.r
// RUN: FileCheck %s --check-prefixes=CHECK,SAVES < %t/so.saves.r
// RUN: %if x86_64-linux %{ not --crash %run %t/noplt saves 2> %t/noplt.saves.r %}
// RUN: %if x86_64-linux %{ FileCheck %s --check-prefixes=CHECK,SAVES < %t/noplt.saves.r %}
// RUN: not --crash %run %t/o2 shrink 2> %t/o2.shrink.r
// RUN: FileCheck %s --check-prefixes=CHECK,SHRINK < %t/o2.shrink.r
// RUN: not --crash %run %t/o2g shrink 2> %t/o2g.shrink.r
// RUN: FileCheck %s --check-prefixes=CHECK,SHRINK < %t/o2g.shrink.r
// RUN: not --crash %run %t/so shrink 2> %t/so.shrink.r
// RUN: FileCheck %s --check-prefixes=CHECK,SHRINK < %t/so.shrink.r
// RUN: not --crash %run %t/o2 body 2> %t/o2.body.r
// RUN: FileCheck %s --check-prefixes=CHECK,BODY < %t/o2.body.r
// RUN: not --crash %run %t/o2g body 2> %t/o2g.body.r
// RUN: FileCheck %s --check-prefixes=CHECK,BODY < %t/o2g.body.r
// RUN: not --crash %run %t/so body 2> %t/so.body.r
// RUN: FileCheck %s --check-prefixes=CHECK,BODY < %t/so.body.r
// RUN: not --crash %run %t/o2 pointer 2> %t/o2.pointer.r
// RUN: FileCheck %s --check-prefix=ENDS < %t/o2.pointer.r
// RUN: not --crash %run %t/o2 alloca 2> %t/o2.alloca.r
// RUN: FileCheck %s --check-prefix=ENDS < %t/o2.alloca.r
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

#if defined(LIB) || !defined(USE_LIB)
/* A leaf with no frame record: the fault is not at its entry. */
NOINLINE int plain_leaf(const int *p, int k) {
    int t = k * 7 + 3;
    return p[1] * t + p[0]; // PLAIN: fault in plain_leaf at {{.*}}crash-leaf-no-cfi.c:[[# @LINE]]
}

/* A leaf that saves registers at its entry and keeps no frame record. */
NOINLINE long saves_leaf(const long *p, long n) {
    long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10, k = 11, l = 12,
         m = 13, o = 14;
    for (long t = 0; t < n; t++) {
        a += p[t] * b; // SAVES: fault in saves_leaf at {{.*}}crash-leaf-no-cfi.c:[[# @LINE]]
        b ^= p[t + 1] + c;
        c += p[t + 2] * d;
        d ^= p[t + 3] + e;
        e += p[t + 4] * f;
        f ^= p[t + 5] + g;
        g += p[t + 6] * h;
        h ^= p[t + 7] + i;
        i += p[t + 8] * j;
        j ^= p[t + 9] + k;
        k += p[t + 10] * l;
        l ^= p[t + 11] + m;
        m += p[t + 12] * o;
        o ^= p[t + 13] + a;
    }
    return a + b + c + d + e + f + g + h + i + j + k + l + m + o;
}

/* At -O2 the early exit runs before the prologue, which shrink-wrapping
 * moved after it: the fault is there, the frame not yet set up. */
NOINLINE int shrink(const int *p, int n) {
    if (p[0] == n) // SHRINK: fault in shrink at {{.*}}crash-leaf-no-cfi.c:[[# @LINE]]
        return 0;
    char buf[64];
    memset(buf, n, sizeof buf);
    whence_write_stack(2, 0);
    return buf[n & 63];
}

/* Shrink-wrapped too, the fault after the prologue: the frame is set up. */
NOINLINE int body(const int *p, int n) {
    if (n == 0)
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%d", n);
    return p[n] + buf[n & 63]; // BODY: fault in body at {{.*}}crash-leaf-no-cfi.c:[[# @LINE]]
}
#else
int body(const int *p, int n);
int plain_leaf(const int *p, int k);
long saves_leaf(const long *p, long n);
int shrink(const int *p, int n);
#endif

#ifndef LIB
static void *volatile nothing;
static int (*volatile leaf_ptr)(const int *, int) = plain_leaf;
static volatile int sink;

/* (Each result used after the call: no tail call, which leaves the
 * caller's frame and makes the faulting function's return address main's.) */
NOINLINE static int call(const char *mode) {
    int r;
    if (!strcmp(mode, "plain"))
        r = plain_leaf(nothing, 3); // PLAIN: {{^}}call(...)
    else if (!strcmp(mode, "saves"))
        r = (int)saves_leaf(nothing, 3); // SAVES: {{^}}call(...)
    else if (!strcmp(mode, "shrink"))
        r = shrink(nothing, 3); // SHRINK: {{^}}call(...)
    else if (!strcmp(mode, "body"))
        r = body(nothing, 3); // BODY: {{^}}call(...)
    else if (!strcmp(mode, "pointer"))
        r = leaf_ptr(nothing, 3);
    else {
        volatile char *v = alloca(strlen(mode) * 64);
        v[0] = 1;
        r = plain_leaf(nothing, v[0]);
    }
    sink += r;
    return r + 1;
}
// PLAIN-NEXT: crash-leaf-no-cfi.c:[[# @LINE-17]]{{( \+0x[0-9a-f]+)?$}}
// SAVES-NEXT: crash-leaf-no-cfi.c:[[# @LINE-16]]{{( \+0x[0-9a-f]+)?$}}
// SHRINK-NEXT: crash-leaf-no-cfi.c:[[# @LINE-15]]{{( \+0x[0-9a-f]+)?$}}
// BODY-NEXT: crash-leaf-no-cfi.c:[[# @LINE-14]]{{( \+0x[0-9a-f]+)?$}}
// CHECK-NEXT: main(...)
// CHECK-NEXT: crash-leaf-no-cfi.c:[[# @LINE+8]]{{( \+0x[0-9a-f]+)?$}}
// CHECK-NOT: the stack ends here
// ENDS: stack:
// ENDS-NEXT: plain_leaf(...)
// ENDS-NEXT: crash-leaf-no-cfi.c
// ENDS-NEXT: (the stack ends here: the frame above has no frame record at its pc, and no unwind tables say where its caller is: build with -fasynchronous-unwind-tables)
int main(int argc, char **argv) {
    whence_install_crash_handler();
    int r = argc > 1 ? call(argv[1]) : 2;
    return r + sink;
}
#endif
