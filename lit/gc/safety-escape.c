// Safety suite, escaping pointers: objects whose address is stored in a
// global, a local whose *slot address* is stored in a global, a pointer kept
// in a collectable holder, and pointers handed to other (registered) threads
// that keep using them while this thread and they collect.  A failure here
// is a whence safety bug.
//
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=1 %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.l0 %gc_libs
// RUN: %t.l0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=1 %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.l2 %gc_libs
// RUN: %t.l2 | FileCheck %s
//
// CHECK-NOT: FAIL
// CHECK: safety-escape OK
#include "gctest.h"

#include <pthread.h>
#include <sched.h>

#define ROUNDS 12

#define COLLECT()                                                              \
    do {                                                                       \
        whence_gc();                                                           \
        gt_churn(64);                                                          \
    } while (0)

static struct gt_obj *g_obj;    /* an object's address in a global */
static struct gt_obj **g_slot;  /* a local slot's address in a global */

static NOINLINE void global_object(void)
{
    struct gt_obj *p = gt_new(1);
    g_obj = p; /* p dies here; the global keeps the object */
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("global-object", g_obj, 1);
}

static NOINLINE void read_through_global_slot(uint64_t id)
{
    gt_expect_live("global-slot", *g_slot, id);
}

static NOINLINE void global_slot(void)
{
    struct gt_obj *p = gt_new(2);
    g_slot = &p; /* the slot escapes: it must never be cleared */
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        read_through_global_slot(2);
    }
    g_slot = NULL;
}

/* A collectable holder on the heap keeps the object; the locals die. */
static NOINLINE void heap_holder(void)
{
    struct gt_obj **holder = whence_gc_alloc(2 * sizeof *holder);
    holder[0] = gt_new(3);
    holder[1] = gt_new(4);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("heap-holder-0", holder[0], 3);
    gt_expect_live("heap-holder-1", holder[1], 4);
}

/* --- threads -------------------------------------------------------------
 * The parent hands an object to a worker and drops its own pointer once the
 * worker has registered and taken it.  The worker keeps its only copy in a
 * local (and in a struct field) across collections done by the parent and by
 * itself.  (A registered thread is scanned by the collector; a pointer that
 * travels to a thread before it registers must be kept alive by the sender
 * until then - see docs/GC.md.) */
#define WORKERS 3

struct handoff {
    struct gt_obj *_Atomic box;
    atomic_int taken;
    atomic_int stop;
    atomic_int checks;
    uint64_t id;
};

static struct handoff hand[WORKERS];

static void *worker(void *arg)
{
    struct handoff *h = arg;
    whence_gc_register_thread();
    struct gt_obj *mine = atomic_exchange(&h->box, NULL);
    struct {
        long n;
        struct gt_obj *again;
    } s = {0, mine};
    atomic_store(&h->taken, 1);
    int i = 0;
    while (!atomic_load(&h->stop)) {
        gt_expect_live("thread-local", mine, h->id);
        if (++i % 8 == 0)
            whence_gc(); /* this thread collects too */
        gt_churn(16);
        atomic_fetch_add(&h->checks, 1);
    }
    gt_expect_live("thread-struct-field", s.again, h->id);
    gt_expect_live("thread-local-at-exit", mine, h->id);
    return NULL;
}

static NOINLINE void give(struct handoff *h, uint64_t id)
{
    h->id = id;
    atomic_store(&h->box, gt_new(id));
}

static NOINLINE void threads(void)
{
    pthread_t t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        give(&hand[i], 10 + (uint64_t)i);
        if (pthread_create(&t[i], NULL, worker, &hand[i]) != 0)
            abort();
    }
    for (int i = 0; i < WORKERS; i++)
        while (!atomic_load(&hand[i].taken))
            sched_yield();
    for (int i = 0; i < ROUNDS * 2; i++)
        COLLECT();
    for (int i = 0; i < WORKERS; i++)
        while (atomic_load(&hand[i].checks) < 20)
            sched_yield();
    for (int i = 0; i < WORKERS; i++)
        atomic_store(&hand[i].stop, 1);
    /* (Once a worker has exited, its object is garbage: another worker's
     * whence_gc may finalize it.  Each worker checked its own until then.) */
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
}

int main(void)
{
    global_object();
    global_slot();
    heap_holder();
    threads();
    return gt_summary("safety-escape");
}
