// C analogue of Go's test/stackobj3.go (ambiguously live arguments): a
// struct holding the only pointer to a heap object is passed BY VALUE to f,
// which takes the address of its copy only when b is true.  Go collects the
// object at phase 0 when b is false (no live pointer reaches the copy) and
// at phase 2 when b is true (after the global sink that kept it is reset).
//
// With the plugin, so does whence: the caller's copy is cleared before the
// call; f's copy is reached afterwards only through p (a holder at -O0, a
// select at -O2), so it is cleared right away when p points elsewhere (a
// guarded clear: b false), and after the last read through p otherwise
// (docs/LIVENESS.md).
//
// Asserted with the plugin: exactly Go's phases at -O0 and -O2, by default
// and strict.  Without: never collected before Go would (that would be a
// safety bug: when b is true the object is read through p at phase 1).
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %t.s2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %t.n0 | FileCheck %s --check-prefix=ANY
// RUN: %clang -O2 -gline-tables-only %gc_inc %s -o %t.n2 %gc_libs
// RUN: %t.n2 | FileCheck %s --check-prefix=ANY
//
// CHECK: stackobj3-true: collected at phase 2 (Go: 2) as Go
// CHECK: stackobj3-false: collected at phase 0 (Go: 0) as Go
// CHECK: stackobj3 OK
// ANY-NOT: EARLIER
// ANY: stackobj3 OK
#include "phase.h"

struct stkobj {
    struct gt_obj *h;
};

static struct stkobj null_obj;
static struct gt_obj *volatile sink;
static int read_ok = 1;

/* Go's use: an empty function that is not inlined, so that p is computed
 * before the first gc(), and that keeps nothing (Go's escape analysis sees
 * that).  Here the asm makes the call and its argument stay at -O2 (an
 * unused parameter would be dropped, and p->h then turned into a select of
 * two loads that reads s even when b is false); noescape says what Go's
 * compiler proves: p is not kept. */
static NOINLINE void use(struct stkobj *p __attribute__((noescape)))
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static NOINLINE void f(struct stkobj s, int b)
{
    struct stkobj *p = b ? &s : &null_obj;
    use(p);
    GC3(); /* phase 0: b == false: Go collects here */
    sink = p->h;
    if (b && (phase_c[b] >= 0 || sink == NULL))
        read_ok = 0; /* the object was read after its finalizer ran */
    GC3(); /* phase 1 */
    sink = NULL;
    GC3(); /* phase 2: b == true: Go collects here */
}

static NOINLINE void run(const char *name, int b, int go)
{
    struct stkobj s;
    phase_n = 0;
    s.h = phase_obj(b);
    f(s, b);
    GC3(); /* phase 3: f has returned */
    phase_report(name, b, go);
}

int main(void)
{
    run("stackobj3-true", 1, 2);
    int late_true = phase_c[1];
    run("stackobj3-false", 0, 0);
    /* The first run's object, if it was still pinned then, went later. */
    if (late_true < 0)
        printf("stackobj3-true: then collected at phase %d of the second run\n", phase_c[1]);
    printf("stackobj3 %s\n", read_ok ? "OK" : "FAILED: object finalized while reachable");
    return !read_ok;
}
