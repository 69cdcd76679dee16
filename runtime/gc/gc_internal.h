/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gc_internal.h - shared state of libwhence-gc's small files.
 *
 * BDWGC is used with its thread API but without its pthread_create
 * redirects (GC_THREADS plus GC_NO_THREAD_REDIRECTS): libwhence-gc cannot redirect its users' thread creation, so it
 * registers threads explicitly instead.  Mixing both crashes (verified).
 */
#ifndef WHENCE_GC_INTERNAL_H
#define WHENCE_GC_INTERNAL_H

#define GC_THREADS 1
#define GC_NO_THREAD_REDIRECTS 1
#include <gc/gc.h>

#include "whence_gc.h"

#define WHENCE_GC_HIDDEN __attribute__((visibility("hidden")))

/* Makes sure the collector is initialised and the calling thread is
 * registered; cheap after the first call on a thread (one TLS load). */
WHENCE_GC_HIDDEN void whence_gc_enter(void);

#endif
