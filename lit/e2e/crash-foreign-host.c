// A crash report shows the frames of code built without the plugin below
// the last instrumented frame: a host program that loaded an instrumented
// plugin (a Python interpreter under its C extension) and a foreign
// function that an instrumented main tail-called.  Only the start code
// below main and below a thread's start routine stays out (the C
// library's, the program's entry _start, by name in a static program, and
// when it is stripped the two nameless frames right above its entry).
// The previous runtime held every foreign frame back until an instrumented
// one followed, so these stacks ended, without a word, at the last
// instrumented frame.  A foreign frame whose call is `call *8(%rdi)` (a
// struct's function pointer) is named: the previous runtime printed "?".
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -g -DHOST %s -ldl -o %t.host
// RUN: %clang -O2 -g -fPIC -shared %whence_cflags -DPLUGIN %s %whence_libs -o %t.plugin.so
// RUN: not --crash %t.host %t.plugin.so 2> %t.h && FileCheck %s --check-prefix=HOST --implicit-check-not=_start < %t.h
// RUN: %clang -O2 -g -DFOREIGN -c %s -o %t.foreign.o
// RUN: %clang -O2 -g %whence_cflags -DMAIN %s %t.foreign.o %whence_libs -o %t.main
// RUN: not --crash %t.main 2> %t.m && FileCheck %s --check-prefix=TAIL --implicit-check-not=_start < %t.m
// RUN: %clang -O2 -g -static %whence_cflags -DMAIN %s %t.foreign.o %whence_static -lpthread -o %t.static
// RUN: not --crash %t.static 2> %t.s && FileCheck %s --check-prefix=TAIL --implicit-check-not=_start < %t.s
// Stripped: the C library's start functions have no name; the two right
// above the entry are start code, the third nameless frame (foreign_run)
// the program's own.
// RUN: strip -s %t.static -o %t.static.s
// RUN: not --crash %t.static.s 2> %t.ss && FileCheck %s --check-prefix=STRIP < %t.ss
// STRIP: stack:
// STRIP-NEXT: cb(...)
// STRIP-NEXT: +0x
// STRIP-NEXT: ?(...) (not instrumented)
// STRIP-NEXT: crash-foreign-host.c.tmp.static.s+0x
// STRIP-NOT: (not instrumented)
#include <stdio.h>

#if defined(PLUGIN) /* ---- the plugin, instrumented ------------------------------- */
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) static void boom(int x) {
    *nullp = x;
    // HOST: fault in boom at {{.*}}crash-foreign-host.c:[[@LINE-1]]
    // HOST: stack:
    // HOST-NEXT: boom(...)
}

void plugin_entry(int x) {
    whence_install_crash_handler();
    boom(x);
    // HOST-NEXT: crash-foreign-host.c:[[@LINE-9]] +0x
    // HOST-NEXT: plugin_entry(...)
    // HOST-NEXT: crash-foreign-host.c:[[@LINE-3]]
    __asm__ volatile("" ::: "memory");
}

#elif defined(HOST) /* ---- the host: no plugin, no frame pointers ------------------ */
#include <dlfcn.h>

struct ops {
    long pad;
    void (*fn)(int);
};
volatile int host_sink;

__attribute__((noinline)) void host_call(struct ops *o, int x) {
    o->fn(x); /* call *8(%rdi) */
    // HOST: host_call(...) (not instrumented)
    // HOST-NEXT: crash-foreign-host.c:[[@LINE-2]] +0x
    host_sink = x;
}

int main(int argc, char **argv) {
    void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 2;
    }
    struct ops o = {0, (void (*)(int))dlsym(h, "plugin_entry")};
    host_call(&o, 1);
    // HOST: main(...) (not instrumented)
    // HOST-NEXT: crash-foreign-host.c:[[@LINE-2]] +0x
    // HOST-NOT: (not instrumented)
    return host_sink;
}

#elif defined(MAIN) /* ---- main, instrumented: its call of foreign_run is a tail call */
#include <whence.h>

int foreign_run(int (*fn)(int), int x);
static int *volatile nullp;

__attribute__((noinline)) static int cb(int x) {
    return nullp[x];
    // TAIL: fault in cb at {{.*}}crash-foreign-host.c:[[@LINE-1]]
    // TAIL: stack:
    // TAIL-NEXT: cb(...)
    // TAIL-NEXT: crash-foreign-host.c:[[@LINE-4]] +0x
}

int main(void) {
    whence_install_crash_handler();
    return foreign_run(cb, 3);
}

#else /* ---- a library function, no plugin ----------------------------------------- */
__attribute__((noinline)) int foreign_run(int (*fn)(int), int x) {
    int r = fn(x);
    // TAIL: foreign_run(...) (not instrumented)
    // TAIL-NEXT: crash-foreign-host.c:[[@LINE-2]] +0x
    // TAIL-NOT: (not instrumented)
    return r + 1;
}
#endif
