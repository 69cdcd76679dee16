/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * gc_finalizer.c - Go-style finalizers on BDWGC.
 *
 * Registration uses GC_register_finalizer_ignore_self: ordered like Go (if A
 * points to B, A's finalizer runs first) while tolerating self-pointers.
 * The user's function and argument travel in a small collectable record
 * passed as BDWGC client data, which BDWGC keeps reachable until the
 * finalizer is invoked and which becomes garbage after it.
 *
 * Set/remove is serialised by one mutex so that the EEXIST check (register,
 * look at the previous finalizer, put it back) is atomic with respect to
 * other setters.  Finalizers never run under it.
 */
#include "gc_internal.h"

#include <errno.h>
#include <pthread.h>

struct fin_record {
    whence_finalizer fn;
    void *arg;
};

static pthread_mutex_t fin_lock = PTHREAD_MUTEX_INITIALIZER;

/* (Held only around the collector's calls: a thread that forks is never
 * inside it, and another thread's hold is not the child's.) */
static void fin_lock_in_child(void)
{
    fin_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}

__attribute__((constructor)) static void fin_lock_fork(void)
{
    pthread_atfork(NULL, NULL, fin_lock_in_child);
}

static void GC_CALLBACK fin_trampoline(void *obj, void *cd)
{
    struct fin_record *r = cd;
    r->fn(obj, r->arg);
}

int whence_set_finalizer(void *obj, whence_finalizer fn, void *arg)
{
    whence_gc_enter();
    if (obj == NULL || GC_base(obj) != obj)
        return EINVAL;

    if (fn == NULL) {
        pthread_mutex_lock(&fin_lock);
        GC_register_finalizer_ignore_self(obj, 0, 0, NULL, NULL);
        pthread_mutex_unlock(&fin_lock);
        return 0;
    }

    struct fin_record *r = GC_MALLOC(sizeof *r);
    if (r == NULL)
        return ENOMEM;
    r->fn = fn;
    r->arg = arg;

    int rc = 0;
    GC_finalization_proc old_fn = 0;
    void *old_cd = NULL;
    pthread_mutex_lock(&fin_lock);
    GC_register_finalizer_ignore_self(obj, fin_trampoline, r, &old_fn, &old_cd);
    if (old_fn != 0) {
        /* Go panics here; we report EEXIST and leave the first one set. */
        GC_register_finalizer_ignore_self(obj, old_fn, old_cd, NULL, NULL);
        rc = EEXIST;
    }
    pthread_mutex_unlock(&fin_lock);
    return rc;
}
