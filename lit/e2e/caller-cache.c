// The resolved-frame cache behind whence_caller, as a program sees it:
//  * who_called_me() asks whence_caller(1) (and 0 and 2) while it is called
//    in turn from two functions, 300 times each: the cache holds the answer
//    under the return address into who_called_me, so every call must check
//    the caller's own return address before it takes the answer (one
//    remembered for from_a must never be handed to from_b).  Expected
//    lines are the __LINE__ of each call.
//  * Two plugins built from the same source (same code at the same
//    offsets, other function names) are loaded in turn, 40 times, and each
//    calls back into the program, whose callback asks whence_caller(1):
//    when a plugin lands where the other one was, a cached answer that
//    outlived dlclose would name the other plugin's function (a name in
//    unmapped memory) or its lines.  A native run must see an address
//    reused at least once (qemu-user maps each load elsewhere).
// With call labels (-gline-tables-only) and with frame slots (-g).
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cc} = %clang -O2 %whence_cflags -I%inputs %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -gline-tables-only -fPIC -shared -DPLUG -DPLUG_FN=plug_fn_one %whence_libs -o %t/libone.so
// RUN: %{cc} -gline-tables-only -fPIC -shared -DPLUG -DPLUG_FN=plug_fn_two -DSHIFT_LINES %whence_libs -o %t/libtwo.so
// RUN: %{cc} -gline-tables-only -DMAIN %whence_libs -o %t/main
// RUN: %run %t/main %t/libone.so %t/libtwo.so | FileCheck %s --check-prefixes=CHECK,%if qemu-user %{EMU%} %else %{NATIVE%}
// RUN: %{cc} -g -fPIC -shared -DPLUG -DPLUG_FN=plug_fn_one %whence_libs -o %t/libone-g.so
// RUN: %{cc} -g -fPIC -shared -DPLUG -DPLUG_FN=plug_fn_two -DSHIFT_LINES %whence_libs -o %t/libtwo-g.so
// RUN: %{cc} -g -DMAIN %whence_libs -o %t/main-g
// RUN: %run %t/main-g %t/libone-g.so %t/libtwo-g.so | FileCheck %s --check-prefixes=CHECK,%if qemu-user %{EMU%} %else %{NATIVE%}
// CHECK: alternating callers: 600 calls, 0 wrong
// CHECK-NEXT: plugins: 40 loads, 0 wrong
// NATIVE-NEXT: address reused
// EMU-NEXT: address
#include "whence_e2e.h"

#include <stdbool.h>

#ifdef PLUG
/* The same code in both plugins; the name of PLUG_FN and the lines
 * differ (the records, not the code), so a stale answer cannot pass for
 * the new plugin's even where its name is read from the same address. */
int plug_line;
#ifdef SHIFT_LINES
#line 5000
#endif

NOINLINE static int PLUG_FN(int (*cb)(void)) {
    plug_line = __LINE__ + 1;
    int r = cb();
    __asm__ volatile("" ::: "memory");
    return r + 1;
}

int plug_entry(int (*cb)(void)) {
    return PLUG_FN(cb);
}
#endif

#ifdef MAIN
#include <dlfcn.h>
#include <stdlib.h>

static int wrong;
static whence_frame got1;

/* whence_caller(0), (1), (2): itself, its caller, and its caller's caller
 * as named through the cache. */
NOINLINE static void who_called_me(int line0, const char *fn1, int line1, const char *fn2,
                                   int line2) {
    whence_frame f0, f1, f2;
    int here = __LINE__ + 1;
    bool ok0 = whence_caller(0, &f0);
    bool ok1 = whence_caller(1, &f1);
    bool ok2 = whence_caller(2, &f2);
    (void)line0;
    if (!ok0 || strcmp(f0.function, "who_called_me") != 0 || f0.line != here)
        wrong++;
    if (!ok1 || strcmp(f1.function, fn1) != 0 || f1.line != line1)
        wrong++;
    if (!ok2 || strcmp(f2.function, fn2) != 0 || f2.line != line2)
        wrong++;
    __asm__ volatile("" ::: "memory");
}

static int line_a, line_b, line_ab;

NOINLINE static void from_a(void) {
    line_a = __LINE__ + 1;
    who_called_me(0, "from_a", line_a, "alternate", line_ab);
    __asm__ volatile("" ::: "memory");
}

NOINLINE static void from_b(void) {
    line_b = __LINE__ + 1;
    who_called_me(0, "from_b", line_b, "alternate", line_ab);
    __asm__ volatile("" ::: "memory");
}

NOINLINE static void alternate(int i) {
    if (i & 1) {
        line_ab = __LINE__ + 1;
        from_a();
    } else {
        line_ab = __LINE__ + 1;
        from_b();
    }
    __asm__ volatile("" ::: "memory");
}

/* Called by a plugin: names the plugin's function that called it. */
NOINLINE static int callback(void) {
    bool ok = whence_caller(1, &got1);
    __asm__ volatile("" ::: "memory");
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    /* The whole call is 2 lines per branch: the line set just before it. */
    for (int i = 0; i < 600; i++)
        alternate(i);
    printf("alternating callers: 600 calls, %d wrong\n", wrong);

    int bad = 0;
    bool reused = false;
    uintptr_t last = 0;
    for (int i = 0; i < 40; i++) {
        const char *path = argv[1 + (i & 1)];
        const char *want = (i & 1) ? "plug_fn_two" : "plug_fn_one";
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("dlopen: %s\n", dlerror());
            return 1;
        }
        int (*entry)(int (*)(void)) = (int (*)(int (*)(void)))dlsym(h, "plug_entry");
        int *pline = (int *)dlsym(h, "plug_line");
        if (!entry || !pline)
            return 1;
        if ((uintptr_t)entry == last)
            reused = true;
        last = (uintptr_t)entry;
        for (int k = 0; k < 3; k++) { /* the second and third from the cache */
            memset(&got1, 0, sizeof got1);
            int r = entry(callback);
            if (r != 1 || strcmp(got1.function, want) != 0 || got1.line != *pline) {
                printf("load %d call %d: got %s:%d, want %s:%d\n", i, k, got1.function,
                       got1.line, want, *pline);
                bad++;
            }
        }
        dlclose(h);
    }
    printf("plugins: 40 loads, %d wrong\naddress %s\n", bad, reused ? "reused" : "never reused");
    return 0;
}
#endif
