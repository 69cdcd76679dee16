// C++ exceptions thrown through instrumented -g frames (caller-frame slots,
// no site labels): after a catch, the slots of the unwound frames are stale
// and the landing pad re-links the catching frame's own slot, so
// whence_callers / whence_caller from the catching frame (in the handler and
// after it) and from functions it calls give exactly the live frames, with
// exact lines.  Also: a destructor run by a cleanup landing pad while the
// exception passes through its frame (and one that throws and catches inside
// itself), a rethrow (`throw;`) caught again further out, a catch 40 frames
// above a throw whose frames have no landing pads at all, and a fresh call
// path after all that.
//
// show(tag) prints each logical frame of whence_callers(1) as
// "<tag> <i> fn=<name> line=<n>" and then "<tag> n=<count>", and checks that
// whence_caller(1..n+1) says the same (BAD otherwise).  The expected lines are
// [[@LINE]] expressions on the call lines, so every frame's line is checked;
// the count line catches any extra (stale) frame.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O0 -g %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 > %t.O0.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.O0.out
// RUN: %clangxx -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 > %t.O2.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.O2.out
// The same with the slots off, site labels on (the -gline-tables-only path):
// RUN: env WHENCE_SITES=1 WHENCE_SLOTS=0 %clangxx -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.sites && %run %t.sites > %t.sites.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.sites.out
#include "whence_e2e.h"

#include <stdexcept>

static volatile int sink;

NOINLINE static void show(const char *tag) {
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

// ---- 1: catch in an outer frame; the frames in between have no landing pads
NOINLINE static void thrower(int x) {
    if (x >= 0)
        throw std::runtime_error("t");
    sink++;
}

NOINLINE static void mid(int x) {
    thrower(x + 1);
    sink++;
}

NOINLINE static void helper(const char *tag) {
    show(tag); // helper
    sink++;
}

NOINLINE static void catcher(void) {
    try {
        mid(1);
        sink++;
    } catch (const std::exception &) {
        show("c1-handler");
        // CHECK-DAG: c1-handler 0 fn=catcher line=[[@LINE-1]]
        helper("c1-helper");
        // CHECK-DAG: c1-helper 0 fn=helper line=[[@LINE-12]]
        // CHECK-DAG: c1-helper 1 fn=catcher line=[[@LINE-2]]
    }
    show("c1-after");
    // CHECK-DAG: c1-after 0 fn=catcher line=[[@LINE-1]]
    helper("c1-after-helper");
    // CHECK-DAG: c1-after-helper 0 fn=helper line=[[@LINE-18]]
    // CHECK-DAG: c1-after-helper 1 fn=catcher line=[[@LINE-2]]
    sink++; // not a tail call (-O2 -g keeps those: g-tail-calls.c)
}

// ---- 2: a destructor run by a cleanup landing pad during unwinding
struct Guard {
    const char *tag;
    NOINLINE ~Guard();
};

NOINLINE static void nested_throw_catch(void) {
    try {
        thrower(3);
    } catch (...) {
        sink++;
    }
}

NOINLINE Guard::~Guard() {
    show(tag); // ~Guard
    nested_throw_catch();
    show("d2-after-nested");
}

NOINLINE static void mid2(int x) {
    Guard g{"d2-dtor"};
    thrower(x);
    sink++;
}   // the cleanup's destructor call is on the closing brace
// CHECK-DAG: d2-dtor 0 fn=Guard::~Guard line=[[@LINE-10]]
// CHECK-DAG: d2-dtor 1 fn=mid2 line=[[@LINE-2]]
// CHECK-DAG: d2-after-nested 0 fn=Guard::~Guard line=[[@LINE-10]]
// CHECK-DAG: d2-after-nested 1 fn=mid2 line=[[@LINE-4]]

NOINLINE static void catcher2(void) {
    try {
        mid2(7);
        // CHECK-DAG: d2-dtor 2 fn=catcher2 line=[[@LINE-1]]
        // CHECK-DAG: d2-after-nested 2 fn=catcher2 line=[[@LINE-2]]
        sink++;
    } catch (const std::runtime_error &) {
        helper("d2-helper");
        // CHECK-DAG: d2-helper 0 fn=helper line=[[@LINE-61]]
        // CHECK-DAG: d2-helper 1 fn=catcher2 line=[[@LINE-2]]
    }
}

// ---- 3: rethrow
NOINLINE static void relay(void) {
    try {
        mid(2);
        sink++;
    } catch (...) {
        helper("r3-relay");
        // CHECK-DAG: r3-relay 0 fn=helper line=[[@LINE-73]]
        // CHECK-DAG: r3-relay 1 fn=relay line=[[@LINE-2]]
        throw;
    }
}

NOINLINE static void outer(void) {
    try {
        relay();
        sink++;
    } catch (const std::runtime_error &) {
        show("r3-outer");
        // CHECK-DAG: r3-outer 0 fn=outer line=[[@LINE-1]]
        helper("r3-outer-helper");
        // CHECK-DAG: r3-outer-helper 0 fn=helper line=[[@LINE-87]]
        // CHECK-DAG: r3-outer-helper 1 fn=outer line=[[@LINE-2]]
    }
}

// ---- 4: 40 frames without landing pads, then a fresh path
NOINLINE static int plain(int n, bool do_throw) {
    if (n == 0) {
        if (do_throw)
            throw 42;
        show("p4-bottom");
        // CHECK-DAG: p4-bottom 0 fn=plain line=[[@LINE-1]]
        return 1;
    }
    int r = plain(n - 1, do_throw);
    // CHECK-DAG: p4-bottom 1 fn=plain line=[[@LINE-1]]
    // CHECK-DAG: p4-bottom 2 fn=plain line=[[@LINE-2]]
    // CHECK-DAG: p4-bottom 3 fn=plain line=[[@LINE-3]]
    sink++;
    return r + 1;
}

NOINLINE static void catcher4(void) {
    try {
        plain(40, true);
        sink++;
    } catch (int) {
        helper("p4-caught");
        // CHECK-DAG: p4-caught 0 fn=helper line=[[@LINE-115]]
        // CHECK-DAG: p4-caught 1 fn=catcher4 line=[[@LINE-2]]
    }
    sink += plain(3, false);
    // CHECK-DAG: p4-bottom 4 fn=catcher4 line=[[@LINE-1]]
}

int main() {
    catcher();
    // CHECK-DAG: c1-handler 1 fn=main line=[[@LINE-1]]
    // CHECK-DAG: c1-handler n=2
    // CHECK-DAG: c1-helper 2 fn=main line=[[@LINE-3]]
    // CHECK-DAG: c1-helper n=3
    // CHECK-DAG: c1-after 1 fn=main line=[[@LINE-5]]
    // CHECK-DAG: c1-after n=2
    // CHECK-DAG: c1-after-helper 2 fn=main line=[[@LINE-7]]
    // CHECK-DAG: c1-after-helper n=3
    catcher2();
    // CHECK-DAG: d2-dtor 3 fn=main line=[[@LINE-1]]
    // CHECK-DAG: d2-dtor n=4
    // CHECK-DAG: d2-after-nested 3 fn=main line=[[@LINE-3]]
    // CHECK-DAG: d2-after-nested n=4
    // CHECK-DAG: d2-helper 2 fn=main line=[[@LINE-5]]
    // CHECK-DAG: d2-helper n=3
    outer();
    // CHECK-DAG: r3-relay 2 fn=outer line=[[@LINE-59]]
    // CHECK-DAG: r3-relay 3 fn=main line=[[@LINE-2]]
    // CHECK-DAG: r3-relay n=4
    // CHECK-DAG: r3-outer 1 fn=main line=[[@LINE-4]]
    // CHECK-DAG: r3-outer n=2
    // CHECK-DAG: r3-outer-helper 2 fn=main line=[[@LINE-6]]
    // CHECK-DAG: r3-outer-helper n=3
    catcher4();
    // CHECK-DAG: p4-caught 2 fn=main line=[[@LINE-1]]
    // CHECK-DAG: p4-caught n=3
    // CHECK-DAG: p4-bottom 5 fn=main line=[[@LINE-3]]
    // CHECK-DAG: p4-bottom n=6
    printf("done\n");
    // CHECK: done
    return 0;
}
