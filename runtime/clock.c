/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * clock.c - whence_nanotime: CLOCK_MONOTONIC in nanoseconds, the clock Go's
 * nanotime uses.  glibc serves it from the vDSO (no system call, tens of ns)
 * and it is async-signal-safe.
 */
#include "internal.h"

#include <time.h>

WH_EXPORT WH_RT int64_t whence_nanotime(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
