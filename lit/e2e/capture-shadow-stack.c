// whence_caller(k) for every k and whence_callers + whence_frames, checked
// frame by frame against a shadow stack the program keeps itself (each
// call pushes its function's name and __LINE__): recursion through two
// functions (the same return addresses at other depths), two inlined
// frames under each probe, four threads at once, a SIGPROF handler that
// asks about itself while it interrupts them (its own frames: the line of
// its call and its function), and an instrumented plugin loaded and
// unloaded 200 times meanwhile (every dlclose makes the resolved-frame
// cache and the code spans stale while the threads fill them).  Every
// build mode the caches meet: -O0/-O2/-Os, call labels and frame slots,
// static, and whence-link's table.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cc} = %clang %whence_cflags -I%inputs %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -O2 -gline-tables-only -fPIC -shared -DPLUG %whence_libs -o %t/libplug.so
// RUN: %{cc} -O2 -gline-tables-only %whence_libs -o %t/o2 && %run %t/o2 %t/libplug.so | FileCheck %s
// RUN: %if x86_64-linux %{ %whence_link -o %t/o2.tab %t/o2 && %run %t/o2.tab %t/libplug.so | FileCheck %s %}
// RUN: %{cc} -O0 -g %whence_libs -o %t/o0g && %run %t/o0g %t/libplug.so | FileCheck %s
// RUN: %{cc} -Os -g %whence_libs -o %t/osg && %run %t/osg %t/libplug.so | FileCheck %s
// RUN: %{cc} -O2 -gline-tables-only -static %whence_static -lpthread -ldl -o %t/st 2>/dev/null && %run %t/st | FileCheck %s
// CHECK: handler: 0 wrong
// CHECK-NEXT: checks: 0 wrong
#include "whence_e2e.h"

#ifdef PLUG
int plug_entry(int (*cb)(int), int x) {
    int r = cb(x);
    __asm__ volatile("" ::: "memory");
    return r;
}
#else
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

struct want {
    const char *fn;
    int line;
};
static __thread struct want stk[64];
static __thread int top;
static _Atomic int wrong, hwrong;

#define PUSH(f) (stk[top].fn = (f), stk[top].line = __LINE__, top++)

static void bad(const char *what, int k, const whence_frame *f, const struct want *w) {
    if (wrong++ < 10)
        printf("%s %d: got %s:%d, want %s:%d\n", what, k, f->function, f->line, w->fn, w->line);
}

/* Every pushed frame, innermost first, after check's own (inlined, so
 * that whence_caller's callers are leaf's many: its cached answers one
 * frame record up must be checked against the record). */
ALWAYS_INLINE void check(void) {
    uintptr_t pcs[64];
    int n = whence_callers(1, pcs, 64), k = 0;
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    for (; k < top && whence_frames_next(&it, &f); k++)
        if (strcmp(f.function, stk[top - 1 - k].fn) != 0 || f.line != stk[top - 1 - k].line)
            bad("callers frame", k, &f, &stk[top - 1 - k]);
    if (k < top)
        bad("callers: too few frames", k, &f, &stk[0]);
    for (k = 0; k < top; k++) {
        whence_caller(k + 1, &f);
        if (strcmp(f.function, stk[top - 1 - k].fn) != 0 || f.line != stk[top - 1 - k].line)
            bad("caller", k + 1, &f, &stk[top - 1 - k]);
    }
}

NOINLINE static void leaf(void) {
    PUSH("leaf"); check();
    top--;
    __asm__ volatile("" ::: "memory");
}
ALWAYS_INLINE void inl2(void) {
    PUSH("inl2"); leaf();
    top--;
}
ALWAYS_INLINE void inl1(void) {
    PUSH("inl1"); inl2();
    top--;
}
NOINLINE static void rec(int d);
NOINLINE static void recb(int d) {
    PUSH("recb"); rec(d);
    top--;
    __asm__ volatile("" ::: "memory");
}
NOINLINE static void rec(int d) {
    if (d == 0) {
        PUSH("rec"); inl1();
        top--;
    } else if (d % 3 == 1) {
        PUSH("rec"); rec(d - 1);
        top--;
    } else {
        PUSH("rec"); inl1();
        top--;
        PUSH("rec"); recb(d - 1);
        top--;
    }
    __asm__ volatile("" ::: "memory");
}

/* The handler's own frames only: what it interrupted is anywhere. */
NOINLINE static void in_handler(int hl) {
    whence_frame f;
    int l = __LINE__ + 1;
    whence_caller(0, &f);
    if (strcmp(f.function, "in_handler") != 0 || f.line != l)
        hwrong++;
    whence_caller(1, &f);
    if (strcmp(f.function, "handler") != 0 || f.line != hl)
        hwrong++;
    uintptr_t pcs[4];
    l = __LINE__ + 1;
    int n = whence_callers(0, pcs, 4);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    if (!whence_frames_next(&it, &f) || strcmp(f.function, "in_handler") != 0 || f.line != l)
        hwrong++;
    if (!whence_frames_next(&it, &f) || strcmp(f.function, "handler") != 0 || f.line != hl)
        hwrong++;
}
static void handler(int sig) {
    (void)sig;
    in_handler(__LINE__);
    __asm__ volatile("" ::: "memory"); /* no tail call (-g keeps them) */
}

static void *thread_main(void *arg) {
    (void)arg;
    for (int r = 0; r < 100; r++)
        for (int d = 0; d < 9; d++) {
            PUSH("thread_main"); rec(d);
            top--;
        }
    return NULL;
}

static int plug_cb(int x) {
    uintptr_t pcs[8];
    whence_frame f;
    whence_callers(0, pcs, 8);
    whence_caller(1, &f);
    return x;
}

int main(int argc, char **argv) {
    for (int d = 0; d < 9; d++) {
        PUSH("main"); rec(d);
        top--;
    }
    signal(SIGPROF, handler);
    struct itimerval tv = {{0, 500}, {0, 500}};
    setitimer(ITIMER_PROF, &tv, NULL);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_main, NULL);
    for (int i = 0; argc > 1 && i < 200; i++) {
        void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("dlopen: %s\n", dlerror());
            return 1;
        }
        int (*e)(int (*)(int), int) = (int (*)(int (*)(int), int))dlsym(h, "plug_entry");
        if (e)
            e(plug_cb, i);
        dlclose(h);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    struct itimerval z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &z, NULL);
    printf("handler: %d wrong\nchecks: %d wrong\n", hwrong, wrong);
    return 0;
}
#endif
