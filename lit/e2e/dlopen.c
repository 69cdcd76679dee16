// A dlopen'ed instrumented library, loaded after the program has already used
// whence (so its lookup tables exist before the library registers): frames
// through it have the right names and lines, dlsym'ed pointers are accepted
// by whence_func_for_pc, and the program's own frames are still right.
// main -> run_plugin -> plug_entry (DSO) -> main_cb (exe) -> plug_leaf (DSO).
// One source: -DLIB builds the library, -DMAIN the program.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s %whence_libs -o %t-dir/libplug2.so
// RUN: %clang -O2 -gline-tables-only -DMAIN %whence_cflags -I%inputs %s %whence_libs -o %t-dir/main2
// RUN: %run %t-dir/main2 %t-dir/libplug2.so | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fPIC -shared -DLIB %whence_cflags -I%inputs %s %whence_libs -o %t-dir/libplug0.so
// RUN: %clang -O0 -gline-tables-only -fno-pie -no-pie -DMAIN %whence_cflags -I%inputs %s %whence_libs -o %t-dir/main0
// RUN: %run %t-dir/main0 %t-dir/libplug0.so | FileCheck %s
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -fPIC -shared -DLIB -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t-dir/libplugpac.so %}
// RUN: %if aarch64-linux %{ %clang -O0 -gline-tables-only -DMAIN -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t-dir/mainpac %}
// RUN: %if aarch64-linux %{ %run %t-dir/mainpac %t-dir/libplugpac.so | FileCheck %s %}
//
// CHECK:      before: n=1 fn=main
// CHECK-NEXT: loaded=1
// CHECK-NEXT: frame 0 fn=plug_leaf file=dlopen.c line=[[#LEAF:]] inl=0
// CHECK-NEXT: frame 1 fn=main_cb file=dlopen.c line=[[#CB:]] inl=0
// CHECK-NEXT: frame 2 fn=plug_entry file=dlopen.c line=[[#ENTRY:]] inl=0
// CHECK-NEXT: frame 3 fn=run_plugin file=dlopen.c line=[[#RUNP:]] inl=0
// CHECK-NEXT: frame 4 fn=main file=dlopen.c line=[[#MAIN:]] inl=0
// CHECK-NEXT: frames=5 entries=5
// CHECK-NEXT: for_pc dlsym plug_entry: name=plug_entry entry_ok=1
// CHECK-NEXT: for_pc dlsym plug_leaf: name=plug_leaf entry_ok=1
// CHECK-NEXT: after: n=1 fn=main
#include "whence_e2e.h"

#include <stdbool.h>

typedef void (*cb_t)(int);

#ifdef LIB
static volatile int lib_sink;
uintptr_t plug_pcs[16];
int plug_n;

void plug_leaf(int x) {
    plug_n = whence_callers(0, plug_pcs, 16);
    // CHECK: recap plug_leaf call=[[@LINE-1]]{{$}}
    lib_sink = x;
}

void plug_entry(cb_t cb, int x) {
    cb(x + 1);
    // CHECK-NEXT: recap plug_entry call=[[@LINE-1]]{{$}}
    lib_sink = x;
}
#endif

#ifdef MAIN
#include <dlfcn.h>

static volatile int sink;
static void (*leaf_fp)(int);

NOINLINE static void main_cb(int x) {
    leaf_fp(x * 2);
    // CHECK-NEXT: recap main_cb call=[[@LINE-1]]{{$}}
    sink = x;
}

NOINLINE static void run_plugin(void (*entry)(cb_t, int)) {
    entry(main_cb, 1);
    // CHECK-NEXT: recap run_plugin call=[[@LINE-1]]{{$}}
    sink = 0;
}

NOINLINE static void where_am_i(const char *tag) {
    uintptr_t pcs[8];
    int n = whence_callers(1, pcs, 8);
    whence_frame f;
    bool ok = whence_caller(1, &f);
    printf("%s: n=%d fn=%s\n", tag, n, ok ? f.function : "(none)");
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    // Use whence first: the lookup tables are built before the library loads.
    where_am_i("before");
    (void)whence_func_for_pc((uintptr_t)&main_cb);
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    printf("loaded=%d\n", h != NULL);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    void (*entry)(cb_t, int) = (void (*)(cb_t, int))dlsym(h, "plug_entry");
    leaf_fp = (void (*)(int))dlsym(h, "plug_leaf");
    uintptr_t *pcs = (uintptr_t *)dlsym(h, "plug_pcs");
    int *n = (int *)dlsym(h, "plug_n");
    run_plugin(entry);
    // CHECK-NEXT: recap main call=[[@LINE-1]]{{$}}
    whence_frames it;
    whence_frame f;
    int k = 0, line[5] = {0};
    whence_frames_init(&it, pcs, *n);
    while (whence_frames_next(&it, &f)) {
        char tag[16];
        snprintf(tag, sizeof tag, "frame %d", k);
        e2e_print(tag, &f);
        if (k < 5)
            line[k] = f.line;
        k++;
    }
    printf("frames=%d entries=%d\n", k, *n);
    const whence_func *fe = whence_func_for_pc((uintptr_t)entry);
    printf("for_pc dlsym plug_entry: name=%s entry_ok=%d\n", whence_func_name(fe),
           whence_func_entry(fe) == (uintptr_t)entry);
    const whence_func *fl = whence_func_for_pc((uintptr_t)leaf_fp);
    printf("for_pc dlsym plug_leaf: name=%s entry_ok=%d\n", whence_func_name(fl),
           whence_func_entry(fl) == (uintptr_t)leaf_fp);
    where_am_i("after");
    printf("recap plug_leaf call=%d\n", line[0]);
    printf("recap plug_entry call=%d\n", line[2]);
    printf("recap main_cb call=%d\n", line[1]);
    printf("recap run_plugin call=%d\n", line[3]);
    printf("recap main call=%d\n", line[4]);
    return 0;
}
#endif
