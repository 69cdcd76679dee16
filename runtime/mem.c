/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * mem.c - the runtime's only allocator: anonymous mmap.  Index building may
 * run inside a signal handler (the first lookup can happen there), and
 * malloc is not async-signal-safe; mmap is a plain system call.
 */
#include "internal.h"

#include <sys/mman.h>

/* (With the registration's code: the registry's first chunk of slots is
 * mapped here at every program's start.) */
WH_RT WH_ONCE void *wh_map(size_t size) {
    if (size == 0)
        size = 1;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

WH_RT void wh_unmap(void *p, size_t size) {
    if (p)
        munmap(p, size ? size : 1);
}
