/*
 * adversary.h - shared by the adversarial safety suites (lit/gc/safety-*.c):
 * collections with heap churn between checks, a longjmp target, and a
 * driver that runs a suite's cases on several registered threads at once
 * while the main thread collects too.
 *
 * Every case takes a base id, so that concurrent copies use disjoint
 * objects; a failure is a live object finalized, damaged or lost.
 */
#ifndef ADVERSARY_H
#define ADVERSARY_H

#include "gctest.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>

#define ROUNDS 6 /* collections per case */

/* Between the collections: heap churn, so that a wrongly freed object's
 * memory is reused and overwritten before it is checked. */
#define COLLECT()                                                              \
    do {                                                                       \
        whence_gc();                                                           \
        gt_churn(32);                                                          \
    } while (0)

static volatile int opaque_true = 1, opaque_false = 0;

/* A stack object holding a collectable pointer. */
struct box {
    struct gt_obj *p;
    long tag;
};

static GT_UNUSED struct box global_box;

static __thread jmp_buf adv_jb;

static GT_UNUSED NOINLINE void adv_jump(void)
{
    longjmp(adv_jb, 1);
}

#define ADV_THREADS 3

struct adv_thread {
    void (*run)(uint64_t base);
    uint64_t base;
};

static void *adv_body(void *arg)
{
    struct adv_thread *t = arg;
    whence_gc_register_thread();
    t->run(t->base);
    return NULL;
}

/* The cases at base 0 on this thread, then on ADV_THREADS threads at bases
 * 1000, 2000, ... while this thread keeps collecting. */
static GT_UNUSED NOINLINE void adv_run_all(void (*run)(uint64_t base))
{
    run(0);
    pthread_t th[ADV_THREADS];
    struct adv_thread t[ADV_THREADS];
    for (int i = 0; i < ADV_THREADS; i++) {
        t[i] = (struct adv_thread){run, 1000 * (uint64_t)(i + 1)};
        if (pthread_create(&th[i], NULL, adv_body, &t[i]) != 0)
            abort();
    }
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    for (int i = 0; i < ADV_THREADS; i++)
        pthread_join(th[i], NULL);
}

#endif
