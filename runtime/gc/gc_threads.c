/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gc_threads.c - collector start-up and implicit thread registration.
 *
 * The collector is initialised by a library constructor, i.e. on the main
 * thread: GC_INIT from a secondary thread would take the main thread's stack
 * bounds for the caller's.  Other threads register on their first call into
 * libwhence-gc (a TLS flag keeps that to one load afterwards) and unregister
 * from a pthread key destructor, which runs on the exiting thread itself as
 * GC_unregister_my_thread requires.
 */
#define _GNU_SOURCE
#include "gc_internal.h"

#include <errno.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_once_t gc_once = PTHREAD_ONCE_INIT;
static pthread_key_t gc_exit_key;
/* 0: not known to be registered; 1: registered by us; 2: registered by
 * someone else (the main thread, or the application via BDWGC). */
static __thread int gc_registered;

/* The thread stays registered through every round of key destructors
 * but the last: the program's keys come after this one (it is created at
 * start-up), and glibc runs a round's destructors in key order, so a
 * destructor of the program's that still used an object its key held ran
 * unregistered, and the object was finalized and freed under it
 * (helper-99).  The key's value counts the rounds; setting it again asks
 * for one more. */
static void gc_thread_exit(void *round)
{
    uintptr_t r = (uintptr_t)round;
    if (gc_registered == 1 && r < PTHREAD_DESTRUCTOR_ITERATIONS) {
        pthread_setspecific(gc_exit_key, (void *)(r + 1));
        return;
    }
    if (gc_registered == 1) {
        gc_registered = 0;
        GC_unregister_my_thread();
    }
}

/* The main thread's thread-local variables are roots, as Go's globals
 * are: BDWGC scans each other thread's TLS (it lies in the thread's stack
 * mapping) but not the main thread's, which the dynamic linker allocates
 * apart, so an object held only by a __thread variable of the main thread
 * was finalized and freed while still in use.  The blocks of the objects
 * loaded at start-up (static TLS, never freed); an object loaded later
 * with dlopen gets its block when the thread first uses it, and is not
 * covered (docs/GC.md). */
static int add_tls_root(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void)size, (void)unused;
    if (!info->dlpi_tls_data)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_TLS && info->dlpi_phdr[i].p_memsz) {
            char *lo = info->dlpi_tls_data;
            GC_add_roots(lo, lo + info->dlpi_phdr[i].p_memsz);
        }
    return 0;
}

/* BDWGC warns at every collection of a cycle through an object with a
 * finalizer; such a cycle is never finalized, as in Go, which says
 * nothing (docs/GC.md). */
static GC_warn_proc gc_next_warn;

static void gc_warn(char *msg, GC_word arg)
{
    if (msg && strstr(msg, "Finalization cycle"))
        return;
    if (gc_next_warn)
        gc_next_warn(msg, arg);
}

/* libwhence.so's pthread_sigmask and sigprocmask keep this signal
 * unblocked (runtime/shared/thread_altstack.c); libwhence.a has none. */
extern void __whence_gc_keep_unblocked(int sig) __attribute__((weak));

static void gc_init_once(void)
{
    GC_INIT();
    if (__whence_gc_keep_unblocked)
        __whence_gc_keep_unblocked(GC_get_suspend_signal());
    gc_next_warn = GC_get_warn_proc();
    GC_set_warn_proc(gc_warn);
    if (syscall(SYS_gettid) == getpid())
        dl_iterate_phdr(add_tls_root, NULL);
    /* Finalizers run only inside whence_gc(), on its caller's thread, like
     * Go's runtime.GC(); never from inside an allocation. */
    GC_set_finalize_on_demand(1);
    GC_allow_register_threads();
    pthread_key_create(&gc_exit_key, gc_thread_exit);
}

__attribute__((constructor)) static void gc_ctor(void)
{
    pthread_once(&gc_once, gc_init_once);
}

static int gc_register_self(void)
{
    pthread_once(&gc_once, gc_init_once);
    if (GC_thread_is_registered()) {
        gc_registered = 2;
        return 0;
    }
    struct GC_stack_base sb;
    if (GC_get_stack_base(&sb) != GC_SUCCESS)
        return EAGAIN;
    int r = GC_register_my_thread(&sb);
    if (r == GC_DUPLICATE) {
        gc_registered = 2;
        return 0;
    }
    if (r != GC_SUCCESS)
        return EAGAIN;
    gc_registered = 1;
    pthread_setspecific(gc_exit_key, (void *)1);
    return 0;
}

void whence_gc_enter(void)
{
    if (__builtin_expect(gc_registered != 0, 1))
        return;
    gc_register_self();
}

int whence_gc_register_thread(void)
{
    if (gc_registered != 0)
        return 0;
    return gc_register_self();
}

int whence_gc_unregister_thread(void)
{
    if (gc_registered == 1) {
        gc_registered = 0;
        pthread_setspecific(gc_exit_key, NULL);
        GC_unregister_my_thread();
        return 0;
    }
    /* The main thread and threads registered by the application are not
     * ours to unregister. */
    return gc_registered == 0 ? 0 : EPERM;
}
