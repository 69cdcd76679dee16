// A fault in a function's own code is not "inlined code" when another
// function merely starts in the function's lines: a lambda (or a block, or
// an OpenMP region's outlined body) defined in its body, a C++ default
// member initializer that the constructor below it runs, an implicit
// constructor running a member initializer after an in-class method, a
// header included twice whose second inclusion defines a function between
// the first one's lines.  It read "fault in outer (inlined code at
// main.cpp:20)" and "main.cpp:20 +0x71 (inlined code)" where llvm-symbolizer
// -i names outer alone.  The runtime now calls a line inlined code only
// where a function inlined into the faulting one (one of its inline chains,
// or one the pass recorded as inlined without a call) starts by it
// (runtime/lines/inlined.c).  Code that is inlined still says so: a helper
// defined after its caller, making a call or none, and a header's.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && split-file %s %t
// RUN: %clangxx -O0 -g %whence_cflags %t/main.cpp %whence_libs -o %t/g0
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %t/main.cpp %whence_libs -o %t/t2
// RUN: not --crash %run %t/g0 lam 2>&1 | FileCheck %s --check-prefix=LAM
// RUN: not --crash %run %t/t2 lam 2>&1 | FileCheck %s --check-prefix=LAM
// RUN: not --crash %run %t/g0 nsdmi 2>&1 | FileCheck %s --check-prefix=NSDMI
// RUN: not --crash %run %t/g0 implicit 2>&1 | FileCheck %s --check-prefix=IMPLICIT
// RUN: not --crash %run %t/g0 twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not --crash %run %t/t2 twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not --crash %run %t/g0 later 2>&1 | FileCheck %s --check-prefix=LATER
// RUN: not --crash %run %t/t2 later 2>&1 | FileCheck %s --check-prefix=LATER
// RUN: not --crash %run %t/g0 call 2>&1 | FileCheck %s --check-prefix=CALL
// RUN: not --crash %run %t/t2 call 2>&1 | FileCheck %s --check-prefix=CALL
// RUN: not --crash %run %t/g0 hdr 2>&1 | FileCheck %s --check-prefix=HDR
// RUN: not --crash %run %t/t2 hdr 2>&1 | FileCheck %s --check-prefix=HDR
// At -O2 the implicit T::T is inlined into make_t (without a call):
// RUN: not --crash %run %t/t2 implicit 2>&1 | FileCheck %s --check-prefix=IMPLICIT-INL
// The same answers from a post-link table (whence-link: packed records):
// RUN: %whence_link --quiet --strict -o %t/t2.tab %t/t2
// RUN: not --crash %run %t/t2.tab lam 2>&1 | FileCheck %s --check-prefix=LAM
// RUN: not --crash %run %t/t2.tab later 2>&1 | FileCheck %s --check-prefix=LATER
// RUN: not --crash %run %t/t2.tab call 2>&1 | FileCheck %s --check-prefix=CALL
// A clang block (C, -fblocks) defined in the function's body:
// RUN: %clang -O0 -g -fblocks %whence_cflags %t/blk.c %whence_libs -o %t/blk
// RUN: not --crash %run %t/blk 2>&1 | FileCheck %s --check-prefix=BLK
//
// LAM: fault in outer at {{.*}}main.cpp:20{{$}}
// LAM: outer(...)
// LAM-NEXT: main.cpp:20 +0x{{[0-9a-f]+$}}
// NSDMI: fault in S::S at {{.*}}main.cpp:25{{$}}
// NSDMI: S::S(...)
// NSDMI-NEXT: main.cpp:25 +0x{{[0-9a-f]+$}}
// IMPLICIT: fault in T::T at {{.*}}main.cpp:33{{$}}
// IMPLICIT: T::T(...)
// IMPLICIT-NEXT: main.cpp:33 +0x{{[0-9a-f]+$}}
// TWICE: fault in hx at {{.*}}twice.h:8{{$}}
// TWICE: hx(...)
// TWICE-NEXT: twice.h:8 +0x{{[0-9a-f]+$}}
// LATER: fault in user (inlined code at {{.*}}main.cpp:59){{$}}
// LATER: user(...)
// LATER-NEXT: main.cpp:59 +0x{{[0-9a-f]+}} (inlined code){{$}}
// CALL: fault in caller (inlined code at {{.*}}main.cpp:64){{$}}
// CALL: caller(...)
// CALL-NEXT: main.cpp:64 +0x{{[0-9a-f]+}} (inlined code){{$}}
// HDR: fault in hdr_user (inlined code at {{.*}}util.h:2){{$}}
// HDR: hdr_user(...)
// HDR-NEXT: util.h:2 +0x{{[0-9a-f]+}} (inlined code){{$}}
// IMPLICIT-INL: fault in make_t (inlined code at {{.*}}main.cpp:33){{$}}
// BLK: fault in outer at {{.*}}blk.c:9{{$}}
// BLK: outer(...)
// BLK-NEXT: blk.c:9 +0x{{[0-9a-f]+$}}

//--- main.cpp
#include <cstdio>
#include <cstring>
#include <whence.h>
#include "util.h"

int *volatile nullp;
volatile int sink;

__attribute__((noinline)) void ext(int v) { sink = v; }
static inline __attribute__((always_inline)) void store_later(int *p, int v);
static inline __attribute__((always_inline)) void store_after_call(int *p, int v);

/* A lambda defined in outer's body starts between outer's first line and
 * the fault. */
__attribute__((noinline)) void outer(int *p, int v) {
    auto f = [&](int x) __attribute__((noinline)) { return x + v + sink; };
    int r = f(v);
    sink = r;
    ext(r);
    *p = r;
}

/* The member initializer runs in S::S, whose first line is below it. */
struct S {
    int a = *nullp;
    int b;
    S(int x) : b(x) { std::printf("%d\n", a); }
};

/* The implicit T::T runs the initializer, after T::get's first line. */
struct T {
    int get() const { return a + 1; }
    int a = *nullp;
};

__attribute__((noinline)) int make(int x) {
    S s(x);
    return s.a + s.b;
}
__attribute__((noinline)) int make_t() {
    T t;
    return t.get();
}

#include "twice.h"
#define SECOND
#include "twice.h"

__attribute__((noinline)) void user(int v) {
    ext(v);
    store_later(nullp, v);
}
__attribute__((noinline)) void caller(int v) {
    ext(v);
    store_after_call(nullp, v);
}

static inline __attribute__((always_inline)) void store_later(int *p, int v) {
    p[1] = v;
}

static inline __attribute__((always_inline)) void store_after_call(int *p, int v) {
    ext(v + 1);
    p[2] = v;
}

__attribute__((noinline)) void hdr_user(int v) {
    ext(v);
    store(nullp, v);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    const char *w = argc > 1 ? argv[1] : "";
    if (!strcmp(w, "lam"))
        outer(nullp, argc);
    if (!strcmp(w, "nsdmi"))
        return make(argc);
    if (!strcmp(w, "implicit"))
        return make_t();
    if (!strcmp(w, "twice")) {
        hy(argc);
        hx(nullp, argc);
    }
    if (!strcmp(w, "later"))
        user(argc);
    if (!strcmp(w, "call"))
        caller(argc);
    if (!strcmp(w, "hdr"))
        hdr_user(argc);
    return 0;
}

//--- util.h
static inline __attribute__((always_inline)) void store(int *p, int v) {
    p[1] = v;
}

//--- twice.h
/* hx: lines 3 to 9; the second inclusion's hy starts at line 5. */
#ifndef SECOND
__attribute__((noinline)) void hx(volatile int *p, int v) { sink = v;
#else
__attribute__((noinline)) void hy(int v) { sink = v + 1; }
#endif
#ifndef SECOND
  *p = v;
}
#endif

//--- blk.c
#include <whence.h>
void *_NSConcreteStackBlock[32], *_NSConcreteGlobalBlock[32];
volatile int sink;
int *volatile nullp;
__attribute__((noinline)) void outer(int *p, int v) {
    int (^blk)(int) = ^(int x) { return x + v + sink; };
    int r = blk(v);
    sink = r;
    *p = r;
}
int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    outer(nullp, argc);
    return 0;
}
