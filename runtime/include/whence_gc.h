/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * whence_gc.h - collectable memory and Go-style finalizers on BDWGC.
 *
 * Link with -lwhence-gc -lwhence -lgc.  Programs that never use finalizers
 * never link BDWGC.
 *
 * Threads: a thread is registered with the collector automatically the
 * first time it calls any function here, and unregistered when it exits.
 * A thread that only *holds* collectable pointers (received from another
 * thread) without calling into whence_gc must call
 * whence_gc_register_thread() first, or the collector cannot see its stack.
 * Do not also create threads through BDWGC's GC_pthread_create redirects.
 * The collector stops threads with its suspend signal: with libwhence.so,
 * pthread_sigmask and sigprocmask keep it unblocked (as BDWGC's redirects
 * do); with libwhence.a, a thread must not block GC_get_suspend_signal().
 */
#ifndef WHENCE_GC_H
#define WHENCE_GC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WHENCE_GC_API __attribute__((visibility("default")))
#else
#define WHENCE_GC_API
#endif

/* "Does not keep the pointer": clang then marks the parameter nocapture, so
 * that a stack object passed to whence_keep_alive stays analysable by the
 * pass (docs/LIVENESS.md). */
#if defined(__has_attribute)
#if __has_attribute(noescape)
#define WHENCE_GC_NOESCAPE __attribute__((noescape))
#endif
#endif
#ifndef WHENCE_GC_NOESCAPE
#define WHENCE_GC_NOESCAPE
#endif

/* Zeroed, collectable memory; NULL only when out of memory. */
WHENCE_GC_API void *whence_gc_alloc(size_t size);

typedef void (*whence_finalizer)(void *obj, void *arg);

/* Go's runtime.SetFinalizer.  obj must be the start of a block from
 * whence_gc_alloc (else EINVAL and nothing changes).  fn == NULL removes the
 * finalizer (0 even if none was set).  A second finalizer while one is set
 * gives EEXIST.  The finalizer runs at most once, inside whence_gc(), after
 * obj became unreachable; obj stays valid during the call and may be
 * resurrected.  arg is kept alive until then; it must not
 * point to obj (that would keep obj reachable forever).  Returns 0 on success. */
WHENCE_GC_API int whence_set_finalizer(void *obj, whence_finalizer fn, void *arg);

/* Full collection, then every finalizer the collection made ready runs
 * before this returns, with no lock of the collector's held, one at a time
 * in the whole process as Go's single finalizer goroutine runs them: on the
 * calling thread, or on a thread already running finalizers (this call
 * waits for it).  Finalizers may allocate and call whence_gc themselves,
 * and must return (not longjmp or throw out).  Roots: the data of loaded
 * objects, registered threads' stacks, registers and thread-local
 * variables; not malloc'd memory, nor a suspended makecontext coroutine's
 * stack (docs/LIVENESS.md).  Called on a stack that is not its thread's
 * own (a signal stack, a coroutine stack allocated apart from the thread's
 * stack), it collects nothing and says so once; a coroutine stack that
 * lies inside the thread's own stack (an array in a frame) cannot be told
 * apart, and whence_gc must not be called on one.  Nor while another
 * registered thread runs on a coroutine stack: BDWGC scans that thread from
 * its stack pointer to its own stack's base (a crash, or objects only it
 * holds finalized in use; docs/LIVENESS.md).  With the pass, a function that
 * calls whence_gc keeps its pointers out of registers (docs/LIVENESS.md):
 * call it from hot code through a function that is not inlined. */
WHENCE_GC_API void whence_gc(void);

/* Go's runtime.KeepAlive: p counts as used up to this call. */
WHENCE_GC_API void whence_keep_alive(const void *p WHENCE_GC_NOESCAPE);

/* For threads that hold collectable pointers without calling any other
 * function here first.  0 on success (also when already registered).
 * Unregistering: 0, or EPERM for a thread whence did not register (the
 * main thread, one the program registered with the collector itself). */
WHENCE_GC_API int whence_gc_register_thread(void);
WHENCE_GC_API int whence_gc_unregister_thread(void);

#ifdef __cplusplus
}
#endif

#endif /* WHENCE_GC_H */
