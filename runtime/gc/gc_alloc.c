/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gc_alloc.c - collectable allocation and keep-alive.
 */
#include "gc_internal.h"

void *whence_gc_alloc(size_t size)
{
    whence_gc_enter();
    /* GC_MALLOC returns zeroed memory and may be scanned conservatively. */
    return GC_MALLOC(size ? size : 1);
}

/* noinline plus an asm use: the call cannot be dropped and p must be
 * materialised until here, even under LTO. */
__attribute__((noinline)) void whence_keep_alive(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}
