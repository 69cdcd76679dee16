// C analogue of Go's test/stackobj.go: a stack struct s in f holds the only
// pointer to a heap object; f passes &s to g, which uses it last in a
// keep-alive and then collects.  Go collects the object at phase 1 (inside
// g, after the keep-alive): s is an address-taken stack object that no live
// pointer reaches any more.  With the plugin, so does whence: the keep-alive
// does not capture s (whence_gc.h declares it noescape), s is dead in f after
// the call, and g is f's local callee, so g clears s.h through its parameter
// right after the keep-alive (docs/LIVENESS.md, callee clears).
//
// Asserted with the plugin: exactly Go's phase at -O0 and -O2, by default and
// strict.  Without: never collected while still reachable (phase 0 would be
// a safety bug), and collected at the latest by main's collection (phase 3).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %run %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %run %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %run %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %run %t.s2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %run %t.n0 | FileCheck %s --check-prefix=ANY
// RUN: %clang -O2 -gline-tables-only %gc_inc %s -o %t.n2 %gc_libs
// RUN: %run %t.n2 | FileCheck %s --check-prefix=ANY
//
// CHECK: stackobj: collected at phase 1 (Go: 1) as Go
// ANY: stackobj: collected at phase {{[1-3]}} (Go: 1)
#include "phase.h"

struct stkobj {
    struct gt_obj *h;
};

static NOINLINE void g(struct stkobj *s)
{
    GC3(); /* phase 0: the object is live (s is used below) */
    whence_keep_alive(s);
    GC3(); /* phase 1: Go collects it here */
}

static NOINLINE void f(void)
{
    struct stkobj s;
    s.h = phase_obj(0);
    g(&s);
    GC3(); /* phase 2: f never reads s again */
}

int main(void)
{
    f();
    GC3(); /* phase 3: f's frame is gone */
    phase_report("stackobj", 0, 1);
    return 0;
}
