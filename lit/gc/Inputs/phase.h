/*
 * phase.h - the "collected at which phase" harness of the analogues of Go's
 * test/stackobj*.go: a counter n of collection phases, and the phase c at
 * which one object's finalizer ran (-1: not yet).
 *
 * GC3() is a macro, not a function like Go's gc(): a C wrapper frame would
 * lie over returned callees' frames with uninitialised (stale) slots, which
 * the collector scans conservatively (liveness-basic.c,
 * returned-frame-wrapper); Go's precise collector has no such problem.
 */
#ifndef PHASE_H
#define PHASE_H
#include "gctest.h"

static int phase_n;
static int phase_c[4] = {-1, -1, -1, -1}; /* per object */

#define GC3()                                                                  \
    do {                                                                       \
        whence_gc();                                                           \
        whence_gc();                                                           \
        whence_gc();                                                           \
        phase_n++;                                                             \
    } while (0)

static void phase_fin(void *obj, void *arg)
{
    (void)obj;
    phase_c[(uintptr_t)arg] = phase_n;
}

/* Go's new(HeapObj) plus SetFinalizer recording the phase of object id. */
static NOINLINE struct gt_obj *phase_obj(int id)
{
    struct gt_obj *o = whence_gc_alloc(sizeof *o);
    if (!o || whence_set_finalizer(o, phase_fin, (void *)(uintptr_t)id) != 0)
        abort();
    return o;
}

/* "name: collected at phase C (Go: G) as Go|later than Go|EARLIER..." */
static void phase_report(const char *name, int id, int go)
{
    int c = phase_c[id];
    const char *verdict = c == go ? "as Go" : c < 0 || c > go ? "later than Go" : "EARLIER than Go";
    printf("%s: collected at phase %d (Go: %d) %s\n", name, c, go, verdict);
    fflush(stdout);
}
#endif
