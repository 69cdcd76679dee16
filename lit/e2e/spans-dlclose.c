// whence_callers' code spans (runtime/spans.c) must not outlive the image
// they were learned in.  A plugin is loaded, called and unloaded 20 times,
// alternating between two builds of the same source at the same address:
// instrumented (its functions make one span, learned by the second walk
// of each load), and built without the plugin and without frame pointers.
// The program's callback walks its stack twice per call.  Over the
// uninstrumented build, a span left from the instrumented one would make
// the fast path trust a return address whose function keeps no frame
// record: the walk then reads the wrong record and loses main (it must
// name cb and main; with the instrumented build, the plugin's frames in
// between).  A native run must see the address reused.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -fPIC -shared -DPLUG %s %whence_libs -o %t/libinst.so
// RUN: %clang -O2 -fomit-frame-pointer -I%whence_incdir -I%inputs -fPIC -shared -DPLUG %s -o %t/libplain.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t/main
// RUN: %run %t/main %t/libinst.so %t/libplain.so | FileCheck %s
// CHECK: 20 loads, 0 bad
// CHECK-NEXT: address reused
#include "whence_e2e.h"

#ifdef PLUG
int (*volatile hook)(int);
NOINLINE static int p3(int x) {
    int r = hook(x) + 1;
    __asm__ volatile("" ::: "memory");
    return r;
}
NOINLINE static int p2(int x) {
    int r = p3(x + 1) * 3;
    __asm__ volatile("" ::: "memory");
    return r;
}
NOINLINE static int p1(int x) {
    int r = p2(x * 2) - 1;
    __asm__ volatile("" ::: "memory");
    return r;
}
int plug_entry(int (*cb)(int), int x) {
    hook = cb;
    int r = p1(x);
    __asm__ volatile("" ::: "memory");
    return r;
}
#else
#include <dlfcn.h>

static int bad, instrumented;

NOINLINE static int cb(int x) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    n = whence_callers(0, pcs, 16); /* the spans the first walk learned */
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    char got[512] = "";
    for (int k = 0; k < 8 && whence_frames_next(&it, &f); k++)
        if (f.func) {
            strncat(got, f.function, 64);
            strcat(got, " ");
        }
    const char *want = instrumented ? "cb p3 p2 p1 plug_entry main " : "cb main ";
    if (strncmp(got, want, strlen(want)) != 0) {
        bad++;
        printf("got '%s', want '%s'\n", got, want);
    }
    return x;
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    uintptr_t last = 0;
    int reused = 0;
    for (int i = 0; i < 20; i++) {
        instrumented = !(i & 1);
        void *h = dlopen(argv[1 + (i & 1)], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            printf("%s\n", dlerror());
            return 1;
        }
        int (*e)(int (*)(int), int) = (int (*)(int (*)(int), int))dlsym(h, "plug_entry");
        if (!e)
            return 1;
        if ((uintptr_t)e == last)
            reused++;
        last = (uintptr_t)e;
        for (int k = 0; k < 3; k++)
            e(cb, i);
        dlclose(h);
    }
    printf("20 loads, %d bad\naddress %s\n", bad, reused ? "reused" : "never reused");
    return 0;
}
#endif
