/*
 * gctest.h - helpers shared by the lit/gc end-to-end programs.
 *
 * Every test object is 64 bytes of collectable memory whose contents are a
 * function of its id (so any corruption or reuse shows in a checksum) and
 * which carries a finalizer that counts, per id, how often it ran and whether
 * the object was still intact when it did.
 *
 * The helpers are noinline: a program's own frames are what the tests are
 * about, and the helpers' frames are returned frames (whence_gc clears those).
 */
#ifndef GCTEST_H
#define GCTEST_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whence_gc.h"

#define NOINLINE __attribute__((noinline))
#define GT_UNUSED __attribute__((unused))

#ifndef GT_MAXOBJ
#define GT_MAXOBJ 4096
#endif

struct gt_obj {
    uint64_t id;
    uint64_t w[6];
    uint64_t sum; /* sum of id and w[] */
};

static atomic_int gt_fin[GT_MAXOBJ];     /* finalizer runs per id */
static atomic_int gt_fin_corrupt;        /* finalizer saw a damaged object */
static atomic_int gt_failures;           /* failed checks (all kinds) */

static GT_UNUSED uint64_t gt_word(uint64_t id, int i)
{
    uint64_t x = id * 0x9E3779B97F4A7C15ull + (uint64_t)i * 0xBF58476D1CE4E5B9ull;
    x ^= x >> 31;
    /* Never a plausible heap address: keeps the object from pinning others. */
    return x | 1ull << 63;
}

static GT_UNUSED int gt_intact(const struct gt_obj *o, uint64_t id)
{
    if (!o || o->id != id)
        return 0;
    uint64_t s = o->id;
    for (int i = 0; i < 6; i++) {
        if (o->w[i] != gt_word(id, i))
            return 0;
        s += o->w[i];
    }
    return s == o->sum;
}

static GT_UNUSED void gt_fin_fn(void *obj, void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    if (!gt_intact(obj, id))
        atomic_fetch_add(&gt_fin_corrupt, 1);
    if (id < GT_MAXOBJ)
        atomic_fetch_add(&gt_fin[id], 1);
}

/* A fresh object with a finalizer. */
static GT_UNUSED NOINLINE struct gt_obj *gt_new(uint64_t id)
{
    struct gt_obj *o = whence_gc_alloc(sizeof *o);
    if (!o) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    o->id = id;
    o->sum = id;
    for (int i = 0; i < 6; i++) {
        o->w[i] = gt_word(id, i);
        o->sum += o->w[i];
    }
    if (whence_set_finalizer(o, gt_fin_fn, (void *)(uintptr_t)id) != 0) {
        fprintf(stderr, "whence_set_finalizer failed\n");
        exit(2);
    }
    return o;
}

/* A use that does not capture: reads the object, returns its checksum. */
static GT_UNUSED NOINLINE uint64_t gt_touch(const struct gt_obj *o)
{
    __asm__ volatile("" : : "r"(o) : "memory");
    return o ? o->sum : 0;
}

/* A macro, not a function: a wrapper's own frame would lie over the frames
 * of callees that returned before it (e.g. gt_new), and whence_gc clears only
 * below its own frame - stale copies in the wrapper's uninitialised slots
 * would then keep objects alive (liveness-basic.c, returned-frame-wrapper). */
#define gt_gc(n)                                                               \
    do {                                                                       \
        for (int gt_i_ = 0; gt_i_ < (n); gt_i_++)                              \
            whence_gc();                                                       \
    } while (0)

static GT_UNUSED int gt_finalized(uint64_t id)
{
    return atomic_load(&gt_fin[id]);
}

/* Liveness cases: one line per case, read by FileCheck and by the table
 * script (scripts/bench-gc.sh --table). */
static GT_UNUSED void gt_report(const char *name, uint64_t id)
{
    int n = gt_finalized(id);
    printf("%s: %s\n", name, n ? "finalized" : "not finalized");
    if (n > 1) {
        printf("FAIL %s: finalizer ran %d times\n", name, n);
        atomic_fetch_add(&gt_failures, 1);
    }
    fflush(stdout);
}

/* Safety checks: o must be intact and its finalizer must not have run. */
static GT_UNUSED void gt_expect_live(const char *what, const struct gt_obj *o, uint64_t id)
{
    if (gt_finalized(id)) {
        printf("FAIL %s: finalizer of live object %llu ran\n", what, (unsigned long long)id);
        atomic_fetch_add(&gt_failures, 1);
    }
    if (!gt_intact(o, id)) {
        printf("FAIL %s: object %llu damaged or pointer lost (%p)\n", what,
               (unsigned long long)id, (const void *)o);
        atomic_fetch_add(&gt_failures, 1);
    }
}

/* Heap churn, so that freed memory would be reused (and a wrongly freed
 * object overwritten) before the next check. */
static GT_UNUSED NOINLINE void gt_churn(int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t *p = whence_gc_alloc(sizeof(struct gt_obj));
        for (int k = 0; k < 8; k++)
            p[k] = 0xdeadbeefdeadbeefull;
    }
}

static GT_UNUSED int gt_summary(const char *suite)
{
    int f = atomic_load(&gt_failures) + atomic_load(&gt_fin_corrupt);
    if (f == 0)
        printf("%s OK\n", suite);
    else
        printf("%s FAILED: %d failures, %d finalizers saw damaged objects\n", suite,
               atomic_load(&gt_failures), atomic_load(&gt_fin_corrupt));
    fflush(stdout);
    return f != 0;
}

#endif
