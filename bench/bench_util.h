/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * bench_util.h - timing and result helpers shared by the whence benchmarks.
 *
 * Results are "key<TAB>value" lines (ns per op, or instructions per op for
 * callgrind); the same key may appear many times (one per run) and the
 * report takes the median.  See docs/BENCH.md.
 */
#ifndef WHENCE_BENCH_UTIL_H
#define WHENCE_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NOINLINE __attribute__((noinline))

static inline int64_t bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
static inline double bench_median(double *v, int n)
{
    if (n <= 0)
        return -1;
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The same permutation of 0..n-1 as bench/go/main.go (xorshift64, fixed
 * seed): the 1,000-pc benchmarks visit their pcs in this order so that
 * neither side walks memory sequentially. */
static inline void bench_permutation(int *order, int n)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = n - 1; i > 0; i--) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        int j = (int)(s % (uint64_t)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

#endif
