/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_registry.c - the image registry: many images, idempotent registration,
 * unregistering (lookups give nothing, handles go stale safely), the same
 * image registered again at the same or another address reusing its slot and
 * index (no growth), different images taking new slots, concurrent first
 * lookups from 32 threads all seeing complete tables, and a lookup that
 * interrupts its own thread's index build returning "unknown" instead of
 * deadlocking, and one that its own thread left by a longjmp built again.
 */
#include "test_synth.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

static struct img *one_fn_image(uint64_t key, const char *name, uint32_t line) {
    struct img *g = img_new(4096, 2, 2, 8192);
    struct mb *m = mb_new(key, "reg.c");
    uint32_t s = mb_subprog(m, name, "reg.c", line);
    uint32_t l = mb_loc(m, s, line + 1, 0, -1);
    img_fn(g, 64, 256, key, s);
    img_site(g, 80, l);
    img_mod(g, m);
    free(m);
    return g;
}

static uint32_t nslots(void) { return atomic_load(&wh_nslots); }

static void test_many_images(void **state) {
    (void)state;
    enum { N = 200 };
    struct img *g[N];
    char name[32];
    uint32_t before = nslots();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "img%d", i);
        g[i] = one_fn_image(0x1000 + (uint64_t)i, name, (uint32_t)i + 1);
        img_register(g[i]);
        img_register(g[i]); /* idempotent */
    }
    assert_int_equal(nslots(), before + N);
    for (int r = 0; r < 2; r++) {
        for (int i = N - 1; i >= 0; i--) {
            snprintf(name, sizeof name, "img%d", i);
            const whence_func *f = whence_func_for_pc(img_pc(g[i], 100));
            assert_string_equal(whence_func_name(f), name);
            assert_int_equal(whence_func_line(f, img_pc(g[i], 100), NULL), i + 2);
        }
    }
    for (int i = 0; i < N; i += 2)
        img_unregister(g[i]);
    for (int i = 0; i < N; i++) {
        const whence_func *f = whence_func_for_pc(img_pc(g[i], 100));
        if (i % 2 == 0)
            assert_null(f);
        else
            assert_non_null(f);
    }
    for (int i = 1; i < N; i += 2)
        img_unregister(g[i]);
    assert_int_equal(nslots(), before + N);
}

/* dlclose + dlopen of the same DSO: same address or another one. */
static void test_reregister(void **state) {
    (void)state;
    struct img *g = one_fn_image(0x2000, "again", 5);
    img_register(g);
    uint32_t n0 = nslots();
    const whence_func *f = whence_func_for_pc(img_pc(g, 70));
    assert_string_equal(whence_func_name(f), "again");

    img_unregister(g);
    assert_null(whence_func_for_pc(img_pc(g, 70)));
    assert_string_equal(whence_func_name(f), ""); /* a stale handle: safe */
    assert_int_equal(whence_func_entry(f), 0);

    for (int k = 0; k < 50; k++) { /* same address, many times */
        img_register(g);
        assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "again");
        img_unregister(g);
    }
    assert_int_equal(nslots(), n0);

    /* another address: an identical copy of the whole image */
    for (int k = 0; k < 5; k++) {
        struct img *h = calloc(1, sizeof *h);
        *h = *g;
        h->map = mmap(NULL, g->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(h->map != MAP_FAILED);
        memcpy(h->map, g->map, g->map_size);
        ptrdiff_t d = h->map - g->map;
        h->text += d;
        h->fn += d;
        h->site += d;
        h->mod += d;
        img_register(h);
        assert_int_equal(nslots(), n0); /* the slot is reused */
        const whence_func *fh = whence_func_for_pc(img_pc(h, 70));
        assert_string_equal(whence_func_name(fh), "again");
        assert_int_equal(whence_func_entry(fh), img_pc(h, 64));
        assert_int_equal(whence_func_line(fh, img_pc(h, 90), NULL), 6);
        assert_null(whence_func_for_pc(img_pc(g, 70)));
        img_unregister(h);
        munmap(h->map, h->map_size);
        free(h);
    }
    assert_int_equal(nslots(), n0);

    /* another image altogether takes the dead slot too */
    struct img *other = one_fn_image(0x2001, "other", 5);
    img_register(other);
    assert_int_equal(nslots(), n0);
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(other, 70))), "other");
}

/* The same mod_start with other bounds while live: the old image was unmapped
 * without unregistering; the new one wins. */
static void test_replaced_without_unregister(void **state) {
    (void)state;
    struct img *g = one_fn_image(0x3000, "old", 1);
    img_register(g);
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "old");
    struct mb *m = mb_new(0x3001, "new.c");
    mb_subprog(m, "new", "new.c", 1);
    g->fn_len = 0;
    g->site_len = 0;
    g->mod_len = 0;
    memset(g->mod, 0, g->mod_cap);
    img_fn(g, 1024, 64, 0x3001, 0);
    img_mod(g, m);
    g->mod_len += 8; /* other bounds */
    img_register(g);
    assert_null(whence_func_for_pc(img_pc(g, 70)));
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 1030))), "new");
    free(m);
}

/* ---- concurrent first lookup ---------------------------------------------------- */
enum { BIG_N = 20000, THREADS = 32 };
static struct img *big;
static pthread_barrier_t barrier;
static _Atomic int failures;

static void *first_lookup(void *arg) {
    int t = (int)(intptr_t)arg;
    char want[32];
    pthread_barrier_wait(&barrier);
    for (int k = 0; k < BIG_N; k += 1 + (t % 7)) {
        int i = (k * 7919 + t * 31) % BIG_N;
        const whence_func *f = whence_func_for_pc(img_pc(big, (size_t)i * 32 + 5));
        snprintf(want, sizeof want, "b%d", i);
        if (!f || strcmp(whence_func_name(f), want) != 0 ||
            whence_func_line(f, img_pc(big, (size_t)i * 32 + 9), NULL) != i + 1)
            atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

static void test_concurrent_first_lookup(void **state) {
    (void)state;
    big = img_new((size_t)BIG_N * 32, BIG_N, BIG_N, (size_t)BIG_N * 64 + 8192);
    struct mb *m = calloc(1, sizeof *m);
    /* a module per 400 functions (MB_MAX_SP is 512) */
    char name[32];
    for (int base = 0; base < BIG_N; base += 400) {
        memset(m, 0, sizeof *m);
        m->key = 0x4000 + (uint64_t)base;
        m->nstr = 1;
        m->name = mb_str(m, "big.c");
        for (int i = base; i < base + 400; i++) {
            snprintf(name, sizeof name, "b%d", i);
            uint32_t s = mb_subprog(m, name, "big.c", 1000000);
            uint32_t l = mb_loc(m, s, (uint32_t)i + 1, 0, -1);
            img_fn(big, (size_t)i * 32, 24, m->key, s);
            img_site(big, (size_t)i * 32 + 4, l);
        }
        img_mod(big, m);
    }
    free(m);
    img_register(big);
    pthread_t th[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, first_lookup, (void *)(intptr_t)t), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&barrier);
    assert_int_equal(atomic_load(&failures), 0);
}

/* A lookup on the thread that is building that very index (a signal handler
 * interrupting the build) must not wait for itself. */
static void test_self_interrupted_build(void **state) {
    (void)state;
    struct img *g = one_fn_image(0x5000, "self", 1);
    img_register(g);
    struct wh_slot *s = img_slot(g);
    uint32_t me = (uint32_t)syscall(SYS_gettid);
    atomic_store(&s->build, me << 2 | WH_IX_BUILDING);
    /* returns, no deadlock: answered from the records meanwhile */
    for (uint32_t k = 0; k < 2 * WH_RAW_LOOKUPS; k++)
        assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "self");
    assert_null(atomic_load(&s->ax));
    atomic_store(&s->build, WH_IX_NONE);
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "self");
    assert_non_null(atomic_load(&s->ax));
}

/* The same thread's build, left by a longjmp out of a signal handler: its
 * frame was below the asking lookup's (left.c), and the lookup builds it. */
static void test_left_build(void **state) {
    (void)state;
    struct img *g = one_fn_image(0x5100, "left", 1);
    img_register(g);
    struct wh_slot *s = img_slot(g);
    uint32_t me = (uint32_t)syscall(SYS_gettid);
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    /* a build whose frame is above this one: a handler's lookup nested in it */
    atomic_store(&s->build, me << 2 | WH_IX_BUILDING);
    atomic_store(&s->build_frame, here + 4096);
    for (uint32_t k = 0; k < 2 * WH_RAW_LOOKUPS; k++)
        assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "left");
    assert_null(atomic_load(&s->ax));
    /* below it: gone */
    atomic_store(&s->build_frame, here - 4096);
    assert_string_equal(whence_func_name(whence_func_for_pc(img_pc(g, 70))), "left");
    assert_non_null(atomic_load(&s->ax));
    assert_int_equal(atomic_load(&s->build) & 3, WH_IX_READY);
}

/* wh_frame_left's verdicts, with and without an alternate signal stack. */
static void test_frame_left(void **state) {
    (void)state;
    uintptr_t f = (uintptr_t)__builtin_frame_address(0);
    assert_false(wh_frame_left(0, f));
    assert_false(wh_frame_left(f, f - 64));
    assert_true(wh_frame_left(f, f));
    assert_true(wh_frame_left(f - 64, f));
    static char alt[64 << 10];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt}, old;
    assert_int_equal(sigaltstack(&ss, &old), 0);
    uintptr_t a = (uintptr_t)alt;
    /* on the alternate stack, above a call of the thread's stack: nested */
    assert_false(wh_frame_left(f, a + 1024));
    /* a call on the alternate stack, asked from the thread's: gone */
    assert_true(wh_frame_left(a + 1024, f));
    /* both on the alternate stack */
    assert_true(wh_frame_left(a + 1024, a + 2048));
    assert_false(wh_frame_left(a + 2048, a + 1024));
    assert_int_equal(sigaltstack(&old, NULL), 0);
}

/* Registration churn on one thread while others look up a stable image. */
static _Atomic int stop_churn;
static struct img *stable;

static void *reader(void *arg) {
    (void)arg;
    long bad = 0;
    while (!atomic_load(&stop_churn)) {
        const whence_func *f = whence_func_for_pc(img_pc(stable, 100));
        if (!f || strcmp(whence_func_name(f), "stable") != 0)
            bad++;
    }
    return (void *)bad;
}

static void test_churn(void **state) {
    (void)state;
    stable = one_fn_image(0x6000, "stable", 1);
    img_register(stable);
    struct img *c[8];
    for (int i = 0; i < 8; i++)
        c[i] = one_fn_image(0x6100 + (uint64_t)i, "churn", 1);
    uint32_t n0 = nslots();
    pthread_t th[4];
    for (int t = 0; t < 4; t++)
        pthread_create(&th[t], NULL, reader, NULL);
    for (int r = 0; r < 2000; r++) {
        struct img *g = c[r % 8];
        img_register(g);
        (void)whence_func_for_pc(img_pc(g, 70));
        img_unregister(g);
    }
    atomic_store(&stop_churn, 1);
    for (int t = 0; t < 4; t++) {
        void *bad;
        pthread_join(th[t], &bad);
        assert_int_equal((intptr_t)bad, 0);
    }
    assert_true(nslots() <= n0 + 1); /* dead slots are reused: what is loaded now */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_images),
        cmocka_unit_test(test_reregister),
        cmocka_unit_test(test_replaced_without_unregister),
        cmocka_unit_test(test_concurrent_first_lookup),
        cmocka_unit_test(test_self_interrupted_build),
        cmocka_unit_test(test_left_build),
        cmocka_unit_test(test_frame_left),
        cmocka_unit_test(test_churn),
    };
    return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
