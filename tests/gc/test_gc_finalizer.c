/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_gc_finalizer.c - libwhence-gc's contract (api.md, whence_gc.h):
 * EINVAL/EEXIST/removal, exactly-once finalization, object validity during
 * the finalizer, resurrection, re-entrant finalizers, keep-alive, and many
 * threads allocating and finalizing while others collect.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "whence_gc.h"

#define N 1000

static atomic_int runs;
static atomic_int bad;
static atomic_uchar ran[4 * 2000 + N];

static void count_fin(void *obj, void *arg)
{
    (void)obj;
    uintptr_t id = (uintptr_t)arg;
    if (atomic_fetch_add(&ran[id], 1) != 0)
        atomic_fetch_add(&bad, 1); /* second run of one finalizer */
    atomic_fetch_add(&runs, 1);
}

static void reset(void)
{
    atomic_store(&runs, 0);
    atomic_store(&bad, 0);
    memset((void *)ran, 0, sizeof ran);
}

/* Allocations happen in a callee that returns, so no live variable of the
 * test holds them; whence_gc clears the dead frame. */
__attribute__((noinline)) static void make_garbage(int n, uintptr_t first_id)
{
    for (int i = 0; i < n; i++) {
        void *p = whence_gc_alloc(48);
        assert_non_null(p);
        assert_int_equal(whence_set_finalizer(p, count_fin, (void *)(first_id + i)), 0);
    }
}

static void test_alloc_zeroed(void **state)
{
    (void)state;
    unsigned char *p = whence_gc_alloc(4096);
    assert_non_null(p);
    for (int i = 0; i < 4096; i++)
        assert_int_equal(p[i], 0);
    assert_non_null(whence_gc_alloc(0));
}

static void test_einval(void **state)
{
    (void)state;
    char *p = whence_gc_alloc(64);
    int on_stack;
    void *m = malloc(16);
    assert_int_equal(whence_set_finalizer(NULL, count_fin, NULL), EINVAL);
    assert_int_equal(whence_set_finalizer(p + 8, count_fin, NULL), EINVAL);
    assert_int_equal(whence_set_finalizer(&on_stack, count_fin, NULL), EINVAL);
    assert_int_equal(whence_set_finalizer(m, count_fin, NULL), EINVAL);
    free(m);
    whence_keep_alive(p);
}

static void test_eexist_and_remove(void **state)
{
    (void)state;
    reset();
    void *p = whence_gc_alloc(64);
    assert_int_equal(whence_set_finalizer(p, NULL, NULL), 0); /* none set: still 0 */
    assert_int_equal(whence_set_finalizer(p, count_fin, (void *)1), 0);
    assert_int_equal(whence_set_finalizer(p, count_fin, (void *)2), EEXIST);
    assert_int_equal(whence_set_finalizer(p, NULL, NULL), 0);
    assert_int_equal(whence_set_finalizer(p, count_fin, (void *)3), 0);
    assert_int_equal(whence_set_finalizer(p, NULL, NULL), 0);
    p = NULL;
    whence_gc();
    whence_gc();
    assert_int_equal(atomic_load(&runs), 0);
}

static void test_runs_exactly_once(void **state)
{
    (void)state;
    reset();
    make_garbage(N, 0);
    whence_gc();
    int after_first = atomic_load(&runs);
    whence_gc();
    whence_gc();
    assert_int_equal(atomic_load(&bad), 0);
    /* Conservative roots may pin a stray object for a cycle; never more. */
    assert_true(after_first >= N - 2);
    assert_true(atomic_load(&runs) <= N);
}

static const unsigned char pattern[32] = "whence finalizer object pattern";
static atomic_int valid_checks;

static void check_valid(void *obj, void *arg)
{
    (void)arg;
    if (memcmp(obj, pattern, sizeof pattern) == 0)
        atomic_fetch_add(&valid_checks, 1);
}

__attribute__((noinline)) static void make_patterned(int n)
{
    for (int i = 0; i < n; i++) {
        unsigned char *p = whence_gc_alloc(sizeof pattern);
        memcpy(p, pattern, sizeof pattern);
        whence_set_finalizer(p, check_valid, NULL);
    }
}

static void test_object_valid_during_finalizer(void **state)
{
    (void)state;
    atomic_store(&valid_checks, 0);
    make_patterned(100);
    whence_gc();
    assert_true(atomic_load(&valid_checks) >= 98);
}

static void *resurrected;
static atomic_int resurrect_runs;

static void resurrect(void *obj, void *arg)
{
    (void)arg;
    resurrected = obj;
    atomic_fetch_add(&resurrect_runs, 1);
}

__attribute__((noinline)) static void make_resurrectable(void)
{
    unsigned char *p = whence_gc_alloc(sizeof pattern);
    memcpy(p, pattern, sizeof pattern);
    whence_set_finalizer(p, resurrect, NULL);
}

static void test_resurrection(void **state)
{
    (void)state;
    make_resurrectable();
    for (int i = 0; i < 3 && resurrected == NULL; i++)
        whence_gc();
    assert_non_null(resurrected);
    assert_memory_equal(resurrected, pattern, sizeof pattern); /* still valid */
    resurrected = NULL;
    whence_gc();
    whence_gc();
    assert_int_equal(atomic_load(&resurrect_runs), 1); /* no finalizer anymore */
}

static atomic_int reentrant_runs;

static void reentrant(void *obj, void *arg)
{
    (void)obj;
    (void)arg;
    /* A finalizer that allocates, sets a finalizer and collects. */
    void *q = whence_gc_alloc(128);
    whence_set_finalizer(q, count_fin, (void *)(uintptr_t)(N + atomic_load(&reentrant_runs)));
    atomic_fetch_add(&reentrant_runs, 1);
    whence_gc();
}

__attribute__((noinline)) static void make_reentrant(int n)
{
    for (int i = 0; i < n; i++)
        whence_set_finalizer(whence_gc_alloc(16), reentrant, NULL);
}

static void test_reentrant_finalizer(void **state)
{
    (void)state;
    reset();
    atomic_store(&reentrant_runs, 0);
    make_reentrant(10);
    whence_gc();
    whence_gc();
    assert_true(atomic_load(&reentrant_runs) >= 9);
    assert_int_equal(atomic_load(&bad), 0);
}

static atomic_int kept_runs;
static void kept_fin(void *obj, void *arg)
{
    (void)obj;
    (void)arg;
    atomic_fetch_add(&kept_runs, 1);
}

static void test_keep_alive(void **state)
{
    (void)state;
    void *p = whence_gc_alloc(64);
    whence_set_finalizer(p, kept_fin, NULL);
    whence_gc();
    whence_gc();
    assert_int_equal(atomic_load(&kept_runs), 0); /* p is used below */
    whence_keep_alive(p);
}

#define THREADS 4
#define PER_THREAD 2000

static void *alloc_worker(void *arg)
{
    uintptr_t t = (uintptr_t)arg;
    for (int round = 0; round < 4; round++)
        make_garbage(PER_THREAD / 4, N + t * PER_THREAD + (uintptr_t)round * (PER_THREAD / 4));
    return NULL;
}

static atomic_int stop_collectors;
static void *collect_worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop_collectors))
        whence_gc();
    return NULL;
}

static void test_threads_each_finalizer_once(void **state)
{
    (void)state;
    reset();
    atomic_store(&stop_collectors, 0);
    pthread_t a[THREADS], c[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&c[i], NULL, collect_worker, NULL), 0);
    for (uintptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&a[i], NULL, alloc_worker, (void *)i), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(a[i], NULL);
    atomic_store(&stop_collectors, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    for (int i = 0; i < 3; i++)
        whence_gc();
    assert_int_equal(atomic_load(&bad), 0);
    assert_true(atomic_load(&runs) <= THREADS * PER_THREAD);
    /* Objects made only in threads that have exited are all collectable. */
    assert_true(atomic_load(&runs) >= THREADS * PER_THREAD - 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_zeroed),
        cmocka_unit_test(test_einval),
        cmocka_unit_test(test_eexist_and_remove),
        cmocka_unit_test(test_runs_exactly_once),
        cmocka_unit_test(test_object_valid_during_finalizer),
        cmocka_unit_test(test_resurrection),
        cmocka_unit_test(test_reentrant_finalizer),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_threads_each_finalizer_once),
    };
    return cmocka_run_group_tests_name("gc_finalizer", tests, NULL, NULL);
}
