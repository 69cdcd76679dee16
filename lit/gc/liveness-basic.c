// Liveness suite, basic cases: an object whose last pointer is dead is
// finalized by the next whence_gc() in the same frame, as Go's precise
// collector would do.  With the plugin (clearing on: the module uses the
// finalizer API) every case must be finalized, at -O0 and -O2, by default
// and with strict.
//
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %run %t.p0 | FileCheck %s --check-prefix=PLUGIN
// RUN: env WHENCE_LIVENESS=1 %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.l0 %gc_libs
// RUN: %run %t.l0 | FileCheck %s --check-prefix=PLUGIN
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %run %t.p2 | FileCheck %s --check-prefix=PLUGIN
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %run %t.s2 | FileCheck %s --check-prefix=PLUGIN
// RUN: %if aarch64-linux %{ env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags %gc_inc %s -o %t.pac %gc_libs %}
// RUN: %if aarch64-linux %{ %run %t.pac | FileCheck %s --check-prefix=PLUGIN %}
//
// Without the plugin: only for the table in docs/GC.md, except one known fact
// that shows these tests can fail - at -O0 a dead local stays in its slot and
// keeps the object alive.
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %run %t.n0 | FileCheck %s --check-prefix=NOPLUGIN-O0
// RUN: %clang -O2 -gline-tables-only %gc_inc %s -o %t.n2 %gc_libs
// RUN: %run %t.n2 | FileCheck %s --check-prefix=ANY
//
// PLUGIN: dead-local: finalized
// PLUGIN-NEXT: dead-struct-field: finalized
// PLUGIN-NEXT: pointer-array: finalized
// PLUGIN-NEXT: noncapturing-callee: finalized
// PLUGIN-NEXT: after-keep-alive: finalized
// PLUGIN-NEXT: dead-on-one-branch: finalized
// PLUGIN-NEXT: returned-frame: finalized
// PLUGIN-NEXT: returned-frame-wrapper: finalized
// PLUGIN-NEXT: exited-thread: finalized
// PLUGIN-NEXT: liveness-basic OK
// NOPLUGIN-O0: dead-local: not finalized
// NOPLUGIN-O0: liveness-basic OK
// ANY: exited-thread:
// ANY: liveness-basic OK
#include "gctest.h"

#include <pthread.h>

enum { ID_LOCAL = 1, ID_FIELD, ID_CALLEE, ID_KEEP, ID_BRANCH, ID_RET, ID_RETW, ID_THREAD, ID_ARR = 100 };

static volatile int opaque_true = 1; /* defeats constant folding of branches */

/* The object's only pointer is a local that is dead after gt_touch. */
static NOINLINE void dead_local(void)
{
    struct gt_obj *p = gt_new(ID_LOCAL);
    uint64_t s = gt_touch(p);
    gt_gc(2);
    gt_report("dead-local", ID_LOCAL);
    if (s == 0)
        abort();
}

/* A struct whose pointer field is dead while its integer field is in use
 * after the collection. */
struct holder {
    struct gt_obj *obj;
    long count;
    struct gt_obj *other;
};

static NOINLINE void dead_struct_field(void)
{
    struct holder h;
    h.obj = gt_new(ID_FIELD);
    h.count = (long)gt_touch(h.obj) & 0xff;
    h.other = NULL;
    gt_gc(2);
    gt_report("dead-struct-field", ID_FIELD);
    if (h.count < 0 || h.other)
        abort();
}

/* An array of pointers, all dead after the summing loop. */
static NOINLINE void pointer_array(void)
{
    struct gt_obj *a[8];
    uint64_t s = 0;
    for (int i = 0; i < 8; i++)
        a[i] = gt_new(ID_ARR + i);
    for (int i = 0; i < 8; i++)
        s += gt_touch(a[i]);
    gt_gc(2);
    int all = 1;
    for (int i = 0; i < 8; i++)
        all &= gt_finalized(ID_ARR + i) == 1;
    printf("pointer-array: %s\n", all ? "finalized" : "not finalized");
    if (s == 0)
        abort();
}

/* Passed by value to a callee that does not keep it, then dead. */
static NOINLINE uint64_t reads_only(struct gt_obj *o, int k)
{
    return o->w[k % 6] ^ o->sum;
}

static NOINLINE void noncapturing_callee(void)
{
    struct gt_obj *p = gt_new(ID_CALLEE);
    uint64_t s = reads_only(p, 3);
    gt_gc(2);
    gt_report("noncapturing-callee", ID_CALLEE);
    if (s == 0)
        abort();
}

/* Go's runtime.KeepAlive marks the last use; after it the object may go. */
static NOINLINE void after_keep_alive(void)
{
    struct gt_obj *p = gt_new(ID_KEEP);
    gt_gc(1);
    if (gt_finalized(ID_KEEP))
        printf("FAIL after-keep-alive: finalized before whence_keep_alive\n");
    whence_keep_alive(p);
    gt_gc(2);
    gt_report("after-keep-alive", ID_KEEP);
}

/* Read on one branch only: dead on entry to the other. */
static NOINLINE void dead_on_one_branch(void)
{
    struct gt_obj *p = gt_new(ID_BRANCH);
    uint64_t s = 1;
    if (!opaque_true) {
        s = gt_touch(p);
        printf("unreachable %llu\n", (unsigned long long)s);
    }
    gt_gc(2);
    gt_report("dead-on-one-branch", ID_BRANCH);
    if (s == 0)
        abort();
}

/* The only copies are in the frame of a callee that has returned. */
static NOINLINE uint64_t callee_with_copies(void)
{
    struct gt_obj *copies[16];
    copies[0] = gt_new(ID_RET);
    for (int i = 1; i < 16; i++)
        copies[i] = copies[i - 1];
    uint64_t s = 0;
    for (int i = 0; i < 16; i++)
        s += gt_touch(copies[i]);
    return s;
}

static NOINLINE uint64_t callee_with_copies_w(void)
{
    struct gt_obj *copies[16];
    copies[0] = gt_new(ID_RETW);
    for (int i = 1; i < 16; i++)
        copies[i] = copies[i - 1];
    uint64_t s = 0;
    for (int i = 0; i < 16; i++)
        s += gt_touch(copies[i]);
    return s;
}

static NOINLINE void returned_frame(void)
{
    uint64_t s = callee_with_copies();
    gt_gc(2);
    gt_report("returned-frame", ID_RET);
    if (s == 0)
        abort();
}

/* The same, but the collection goes through a wrapper function: the
 * wrapper's frame lies over the returned callee's and whence_gc clears only
 * below itself, so whatever the wrapper leaves uninitialised is scanned. */
static NOINLINE void gc_wrapper(int n)
{
    for (int i = 0; i < n; i++)
        whence_gc();
}

static NOINLINE void returned_frame_wrapper(void)
{
    uint64_t s = callee_with_copies_w();
    gc_wrapper(2);
    gt_report("returned-frame-wrapper", ID_RETW);
    if (s == 0)
        abort();
}

/* Made, used and dropped only in a thread that has exited. */
static void *thread_body(void *arg)
{
    (void)arg;
    struct gt_obj *p = gt_new(ID_THREAD);
    return (void *)(uintptr_t)(gt_touch(p) != 0);
}

static NOINLINE void exited_thread(void)
{
    pthread_t t;
    void *ok = NULL;
    if (pthread_create(&t, NULL, thread_body, NULL) != 0 || pthread_join(t, &ok) != 0 || !ok)
        abort();
    gt_gc(2);
    gt_report("exited-thread", ID_THREAD);
}

int main(void)
{
    dead_local();
    dead_struct_field();
    pointer_array();
    noncapturing_callee();
    after_keep_alive();
    dead_on_one_branch();
    returned_frame();
    returned_frame_wrapper();
    exited_thread();
    return gt_summary("liveness-basic");
}
