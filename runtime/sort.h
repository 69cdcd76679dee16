/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * sort.h - a bottom-up merge sort generator for the index builder: stable,
 * O(n log n), no recursion, scratch from the caller (mmap'ed), and a linear
 * pre-check because the linker usually emits records already in address
 * order, so the common case costs one pass.
 */
#ifndef WHENCE_RUNTIME_SORT_H
#define WHENCE_RUNTIME_SORT_H

#include <stddef.h>
#include <string.h>

#define WH_DEFINE_SORT(name, T, LESS)                                                   \
    WH_RT static void name(T *a, T *tmp, size_t n) {                                    \
        size_t i;                                                                       \
        for (i = 1; i < n; i++)                                                         \
            if (LESS(&a[i], &a[i - 1]))                                                 \
                break;                                                                  \
        if (i >= n)                                                                     \
            return;                                                                     \
        T *src = a, *dst = tmp;                                                         \
        for (size_t w = 1; w < n; w *= 2) {                                             \
            for (size_t lo = 0; lo < n; lo += 2 * w) {                                  \
                size_t mid = lo + w < n ? lo + w : n;                                   \
                size_t hi = lo + 2 * w < n ? lo + 2 * w : n;                            \
                size_t x = lo, y = mid, k = lo;                                         \
                while (x < mid && y < hi)                                               \
                    dst[k++] = LESS(&src[y], &src[x]) ? src[y++] : src[x++];            \
                while (x < mid)                                                         \
                    dst[k++] = src[x++];                                                \
                while (y < hi)                                                          \
                    dst[k++] = src[y++];                                                \
            }                                                                           \
            T *t = src;                                                                 \
            src = dst;                                                                  \
            dst = t;                                                                    \
        }                                                                               \
        if (src != a)                                                                   \
            memcpy(a, src, n * sizeof(T));                                              \
    }

#endif /* WHENCE_RUNTIME_SORT_H */
