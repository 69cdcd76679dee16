/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * bench_gc.c - libwhence-gc benchmarks (docs/GC.md; run by scripts/bench-gc.sh).
 *
 *   bench_gc fin [N] [REPEATS]    N objects (32 bytes), each with a finalizer:
 *                                 setup (whence_gc_alloc + whence_set_finalizer)
 *                                 and collection (whence_gc until every
 *                                 finalizer ran), ns per object; the same
 *                                 without finalizers as the baseline.  The
 *                                 objects stay reachable until setup ends.
 *   bench_gc garbage [N] [REPEATS]  the same, but each object is garbage as
 *                                 soon as it is made (automatic collections
 *                                 during setup queue its finalizer, which runs
 *                                 only at the next whence_gc).
 *   bench_gc work [ROUNDS]        a finalizer-using program (trees of collectable
 *                                 nodes, traversals with pointer locals, a few
 *                                 finalizers, a collection per round) - built
 *                                 with and without the stack-liveness clearing
 *                                 to measure what the clearing costs.
 *
 * Output: "key<TAB>value" lines, one per repeat (medians are taken by the
 * script).  bench/go/gcbench/main.go does the same work with Go's runtime.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "whence_gc.h"

/* ---- fin: whence_set_finalizer + collection vs Go's runtime.SetFinalizer -- */

struct obj32 {
    int64_t a, b, c, d;
};

static atomic_long finalized;

static void count_fin(void *obj, void *arg)
{
    (void)obj;
    (void)arg;
    atomic_fetch_add_explicit(&finalized, 1, memory_order_relaxed);
}

/* The objects are made in a callee that returns, so no local of the caller
 * holds any of them (whence_gc clears the dead frame).  kept: they stay
 * reachable from a collectable array until setup ends (the array is then
 * dropped); otherwise each is garbage as soon as it is made. */
static BENCH_NOINLINE void make_objects(long n, int with_fin, void ***keep)
{
    void **holder = keep ? whence_gc_alloc((size_t)n * sizeof *holder) : NULL;
    for (long i = 0; i < n; i++) {
        struct obj32 *o = whence_gc_alloc(sizeof *o);
        o->a = i;
        if (with_fin && whence_set_finalizer(o, count_fin, NULL) != 0)
            abort();
        if (holder)
            holder[i] = o;
    }
    if (keep)
        *keep = holder;
}

/* kept: "fin"/"nofin" keys; garbage: "gfin"/"gnofin". */
static void bench_fin(long n, int repeats, int kept)
{
    whence_gc();
    for (int r = 0; r < repeats; r++) {
        for (int with_fin = 1; with_fin >= 0; with_fin--) {
            const char *k = kept ? (with_fin ? "fin" : "nofin") : (with_fin ? "gfin" : "gnofin");
            atomic_store(&finalized, 0);
            void **holder = NULL;
            int64_t t0 = bench_now();
            make_objects(n, with_fin, kept ? &holder : NULL);
            holder = NULL;
            int64_t t1 = bench_now();
            int gcs = 0;
            do {
                whence_gc();
                gcs++;
            } while (with_fin && atomic_load(&finalized) < n && gcs < 20);
            int64_t t2 = bench_now();
            printf("%s.setup\t%.2f\n", k, (double)(t1 - t0) / (double)n);
            printf("%s.collect\t%.2f\n", k, (double)(t2 - t1) / (double)n);
            printf("%s.total\t%.2f\n", k, (double)(t2 - t0) / (double)n);
            if (with_fin)
                printf("%s.finalized\t%ld\n%s.gcs\t%d\n", k, atomic_load(&finalized), k, gcs);
            (void)holder;
        }
    }
}

/* ---- work: what the clearing costs in a finalizer-using program ---------- */

struct node {
    struct node *left, *right;
    int64_t key;
};

static BENCH_NOINLINE struct node *build(int depth, int64_t *next)
{
    struct node *n = whence_gc_alloc(sizeof *n);
    if (depth > 0) {
        n->left = build(depth - 1, next);
        n->key = (*next)++;
        n->right = build(depth - 1, next);
    } else {
        n->key = (*next)++;
    }
    if ((n->key & 255) == 0)
        whence_set_finalizer(n, count_fin, NULL);
    return n;
}

/* Iterative in-order walk: an explicit stack of pointers (an array local
 * read with variable indexes) and a cursor struct. */
struct cursor {
    struct node *stack[64];
    int sp;
    struct node *cur;
};

static BENCH_NOINLINE int64_t walk(struct node *root)
{
    struct cursor c;
    c.sp = 0;
    c.cur = root;
    int64_t sum = 0;
    while (c.cur || c.sp) {
        while (c.cur) {
            c.stack[c.sp++] = c.cur;
            c.cur = c.cur->left;
        }
        c.cur = c.stack[--c.sp];
        sum += c.cur->key;
        c.cur = c.cur->right;
    }
    return sum;
}

/* Binary search for a key, with pointer locals that die early. */
static BENCH_NOINLINE struct node *find(struct node *root, int64_t key)
{
    struct node *n = root, *prev = NULL;
    while (n && n->key != key) {
        prev = n;
        n = key < n->key ? n->left : n->right;
    }
    return n ? n : prev;
}

struct pair {
    struct node *a, *b;
    int64_t d;
};

static BENCH_NOINLINE int64_t distance(struct node *root, int64_t x, int64_t y)
{
    struct pair p;
    p.a = find(root, x);
    p.b = find(root, y);
    p.d = p.a->key - p.b->key;
    return p.d < 0 ? -p.d : p.d;
}

static BENCH_NOINLINE int64_t round_of_work(int depth, int lookups)
{
    int64_t next = 0, sum = 0;
    struct node *root = build(depth, &next);
    for (int i = 0; i < 8; i++)
        sum += walk(root);
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < lookups; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        sum += distance(root, (int64_t)(s % (uint64_t)next), (int64_t)((s >> 20) % (uint64_t)next));
    }
    return sum;
}

static void bench_work(int rounds)
{
    int64_t t0 = bench_now(), sum = 0;
    for (int r = 0; r < rounds; r++) {
        sum += round_of_work(16, 400000);
        whence_gc();
    }
    int64_t t1 = bench_now();
    printf("work.ms\t%.2f\nwork.checksum\t%lld\nwork.finalized\t%ld\n", (double)(t1 - t0) / 1e6,
           (long long)sum, atomic_load(&finalized));
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fin";
    if (!strcmp(mode, "fin")) {
        long n = argc > 2 ? atol(argv[2]) : 1000000;
        int reps = argc > 3 ? atoi(argv[3]) : 5;
        bench_fin(n > 0 ? n : 1000000, reps > 0 ? reps : 5, 1);
    } else if (!strcmp(mode, "garbage")) {
        long n = argc > 2 ? atol(argv[2]) : 100000;
        int reps = argc > 3 ? atoi(argv[3]) : 3;
        bench_fin(n > 0 ? n : 100000, reps > 0 ? reps : 3, 0);
    } else if (!strcmp(mode, "work")) {
        int rounds = argc > 2 ? atoi(argv[2]) : 10;
        bench_work(rounds > 0 ? rounds : 10);
    } else {
        fprintf(stderr, "usage: %s fin|garbage [N] [REPEATS] | work [ROUNDS]\n", argv[0]);
        return 2;
    }
    return 0;
}
