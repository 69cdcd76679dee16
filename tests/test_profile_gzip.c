/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_profile_gzip.c - the profiler's own deflate and gzip framing
 * (runtime/profile/gzip.c) against an independent reader, gzip(1): empty
 * input, one byte, text, random bytes (no matches), long runs (matches of
 * the maximum length, overlapping their source), inputs longer than the
 * 32 KiB window, and a byte-exact round trip of each.  Also the CRC-32 of
 * the standard check string.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "profile/profile.h"

/* gzip -dc of z: the bytes it gives, or NULL with *n = SIZE_MAX if gzip
 * said the stream is bad. */
static uint8_t *gunzip(const struct wh_vec *z, size_t *n) {
    char in[] = "/tmp/whence-gz-XXXXXX";
    int fd = mkstemp(in);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, z->p, z->n), (ssize_t)z->n);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "gzip -dc < %s", in);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    uint8_t *out = malloc(cap);
    size_t r;
    while ((r = fread(out + len, 1, cap - len, p)) > 0) {
        len += r;
        if (len == cap)
            out = realloc(out, cap *= 2);
    }
    int st = pclose(p);
    unlink(in);
    if (st != 0) {
        free(out);
        *n = SIZE_MAX;
        return NULL;
    }
    *n = len;
    return out;
}

static void round_trip(const uint8_t *data, size_t n) {
    struct wh_vec z = {0};
    assert_true(wh_gzip(data, n, &z));
    size_t got;
    uint8_t *back = gunzip(&z, &got);
    assert_non_null(back);
    assert_int_equal(got, n);
    assert_memory_equal(back, data, n);
    free(back);
    wh_vec_free(&z);
}

static void test_small(void **state) {
    (void)state;
    round_trip((const uint8_t *)"", 0);
    round_trip((const uint8_t *)"x", 1);
    round_trip((const uint8_t *)"abcabcabcabcabcabcabc", 21);
    const char *text = "samples count cpu nanoseconds main crunch churn /tmp/prof/hot.c "
                       "samples count cpu nanoseconds main crunch churn /tmp/prof/hot.c";
    round_trip((const uint8_t *)text, strlen(text));
}

static void test_random_and_runs(void **state) {
    (void)state;
    size_t n = 300000;
    uint8_t *d = malloc(n);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        d[i] = (uint8_t)x;
    }
    round_trip(d, n); /* no matches: literals only, 9-bit codes included */
    memset(d, 'z', n);
    round_trip(d, n); /* 258-byte matches at distance 1 */
    /* Repeats farther apart than the window, and near it. */
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)((i % 40000) * 2654435761u >> 24);
    round_trip(d, n);
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)((i % 32767) * 2654435761u >> 24);
    round_trip(d, n);
    free(d);
}

static void test_compresses(void **state) {
    (void)state;
    /* A profile-like stream shrinks (fixed codes: well under half). */
    size_t n = 200000;
    uint8_t *d = malloc(n);
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)("\x12\x04\x08\x01\x10\x02\x22\x0cmain crunch "[i % 20] + (i / 997) % 3);
    struct wh_vec z = {0};
    assert_true(wh_gzip(d, n, &z));
    assert_true(z.n < n / 2);
    wh_vec_free(&z);
    free(d);
}

static void test_crc32(void **state) {
    (void)state;
    assert_int_equal(wh_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_random_and_runs),
        cmocka_unit_test(test_compresses),
        cmocka_unit_test(test_crc32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
