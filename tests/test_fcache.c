/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_fcache.c - the resolved-frame cache (runtime/fcache.h) on its own:
 * keys that share one entry, written and read by several threads at once,
 * never give one key's tag with another's answer (every field of an answer
 * is made from its key, and each copy is checked whole); an entry written
 * before wh_fc_forget_all is never read after it; a hop entry is refused
 * to a reader without a frame to check; an empty entry matches nothing.
 */
#include "test_synth.h"

#include "fcache.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define NKEYS 4
#define NWRITERS 2
#define NREADERS 2

static uintptr_t keys[NKEYS];
static const char *names[NKEYS] = {"fn_zero", "fn_one", "fn_two", "fn_three"};
static const char *files[NKEYS] = {"zero.c", "one.c", "two.c", "three.c"};
static atomic_int stop, started;
static atomic_long hits, wrong;
static long rounds;

/* The answer for key i: every field from i. */
static void answer(int i, whence_frame *f) {
    f->pc = keys[i] - 1;
    f->func = (const whence_func *)(keys[i] * 3);
    f->function = names[i];
    f->file = files[i];
    f->line = 100 + i;
    f->column = 10 + i;
    f->entry = keys[i] - 64;
    f->inlined = i & 1;
}

static bool same(const whence_frame *a, const whence_frame *b) {
    return a->pc == b->pc && a->func == b->func && a->function == b->function &&
           a->file == b->file && a->line == b->line && a->column == b->column &&
           a->entry == b->entry && a->inlined == b->inlined;
}

/* NKEYS return-address-like keys that share one entry. */
static void find_keys(void) {
    uintptr_t k = 0x401000;
    struct wh_fc *slot = wh_fc_slot(k);
    int n = 0;
    for (; n < NKEYS; k += 16)
        if (wh_fc_slot(k) == slot)
            keys[n++] = k;
}

static void *writer(void *arg) {
    int w = (int)(intptr_t)arg;
    whence_frame f;
    for (long r = 0; !atomic_load(&stop); r++) {
        int i = (int)((r + w) % NKEYS);
        answer(i, &f);
        wh_fc_put(keys[i], &f, 0, wh_fc_now());
        if (r == NKEYS)
            atomic_fetch_add(&started, 1);
        /* A little room between writes, so that readers also find the
         * entry whole (and still often not). */
        for (volatile int j = 0; j < 64; j++)
            ;
    }
    return NULL;
}

static void *reader(void *arg) {
    (void)arg;
    whence_frame got, want;
    long h = 0, bad = 0;
    while (atomic_load(&started) < NWRITERS) /* every key written once */
        sched_yield();
    for (long r = 0; r < rounds; r++) {
        int i = (int)(r % NKEYS);
        if (wh_fc_read(keys[i], 0, &got, NULL)) {
            h++;
            answer(i, &want);
            bad += !same(&got, &want);
        }
    }
    atomic_fetch_add(&hits, h);
    atomic_fetch_add(&wrong, bad);
    return NULL;
}

static void test_no_torn_reads(void **state) {
    (void)state;
    find_keys();
    rounds = getenv("WHENCE_TEST_EMULATED") ? 1000000 : 20000000;
    pthread_t w[NWRITERS], r[NREADERS];
    atomic_store(&stop, 0);
    atomic_store(&started, 0);
    for (int i = 0; i < NWRITERS; i++)
        assert_int_equal(pthread_create(&w[i], NULL, writer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < NREADERS; i++)
        assert_int_equal(pthread_create(&r[i], NULL, reader, NULL), 0);
    for (int i = 0; i < NREADERS; i++)
        pthread_join(r[i], NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < NWRITERS; i++)
        pthread_join(w[i], NULL);
    assert_int_equal(atomic_load(&wrong), 0);
    assert_true(atomic_load(&hits) > 0);
}

static void test_forget(void **state) {
    (void)state;
    find_keys();
    whence_frame f, got;
    answer(2, &f);
    uint64_t salt = wh_fc_now();
    wh_fc_put(keys[2], &f, 0, salt);
    assert_true(wh_fc_read(keys[2], 0, &got, NULL));
    assert_true(same(&got, &f));
    wh_fc_forget_all();
    assert_int_not_equal(wh_fc_now(), salt);
    assert_false(wh_fc_read(keys[2], 0, &got, NULL));
    /* Resolved under the old salt, remembered after the unload: stale. */
    wh_fc_put(keys[2], &f, 0, salt);
    assert_false(wh_fc_read(keys[2], 0, &got, NULL));
    wh_fc_put(keys[2], &f, 0, wh_fc_now());
    assert_true(wh_fc_read(keys[2], 0, &got, NULL));
}

static void test_hop_needs_a_frame(void **state) {
    (void)state;
    find_keys();
    whence_frame f, got;
    answer(1, &f);
    wh_fc_put(keys[1], &f, WH_FC_HOP, wh_fc_now());
    assert_false(wh_fc_read(keys[1], 0, &got, NULL));
    /* A frame record whose return address is the answer's: taken.  fr[0..1]
     * is the asker's frame record, fr[2..3] its caller's. */
    uintptr_t fr[4] = {0, 0, 0, f.pc + 1};
    fr[0] = (uintptr_t)&fr[2];
    assert_true(wh_fc_read(keys[1], (uintptr_t)fr, &got, NULL));
    assert_true(same(&got, &f));
    fr[3] = f.pc + 2; /* another return address there: refused */
    assert_false(wh_fc_read(keys[1], (uintptr_t)fr, &got, NULL));
}

static void test_empty_matches_nothing(void **state) {
    (void)state;
    whence_frame got;
    /* An entry nobody wrote (the cache is static, zeroed), for any key,
     * even the salt's own bits (keys never have bit 63, salts always). */
    for (uintptr_t k = 0x7f0000001000; k < 0x7f0000001000 + 4096 * 64; k += 4096)
        if (!atomic_load(&wh_fc_slot(k)->tag))
            assert_false(wh_fc_read(k, 0, &got, NULL));
    uintptr_t s = (uintptr_t)wh_fc_now() & ~((uintptr_t)1 << 63);
    if (!atomic_load(&wh_fc_slot(s)->tag))
        assert_false(wh_fc_read(s, 0, &got, NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_torn_reads),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_hop_needs_a_frame),
        cmocka_unit_test(test_empty_matches_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
