/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_clock.c - whence_nanotime: CLOCK_MONOTONIC (agrees with
 * clock_gettime), never goes backwards across threads' reads, and is
 * fine-grained (consecutive readings differ by well under a microsecond).
 */
#include "test_synth.h"
#include "test_arch.h"

#include <time.h>

static void test_same_clock(void **state) {
    (void)state;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int64_t t = whence_nanotime();
    clock_gettime(CLOCK_MONOTONIC, &b);
    int64_t ta = (int64_t)a.tv_sec * 1000000000 + a.tv_nsec;
    int64_t tb = (int64_t)b.tv_sec * 1000000000 + b.tv_nsec;
    assert_true(ta <= t && t <= tb);
}

static void test_monotonic_fine(void **state) {
    (void)state;
    int64_t prev = whence_nanotime(), min_step = INT64_MAX;
    int changes = 0;
    for (int i = 0; i < 1000000; i++) {
        int64_t t = whence_nanotime();
        assert_true(t >= prev);
        if (t > prev) {
            changes++;
            if (t - prev < min_step)
                min_step = t - prev;
        }
        prev = t;
    }
    assert_true(changes > 1000);
    if (!t_emulated())
        assert_true(min_step < 1000); /* sub-microsecond resolution */
}

static void test_sleep(void **state) {
    (void)state;
    int64_t a = whence_nanotime();
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int64_t d = whence_nanotime() - a;
    assert_true(d >= 20 * 1000 * 1000);
    assert_true(d < 5LL * 1000 * 1000 * 1000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_clock),
        cmocka_unit_test(test_monotonic_fine),
        cmocka_unit_test(test_sleep),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
