// A library built without the plugin, loaded at the address an instrumented
// one had and will have again: libb.so (instrumented) runs and is closed,
// then liba.so (plain, the same size: the loader puts it there) runs and is
// closed, then libb.so again.  The samples taken in liba.so's code are
// foreign entries whose object went away unseen: they must be written with
// their address only (PROFILE.md), never named by libb.so's functions at
// the same addresses.  The previous runtime took libb.so, back in its
// place, for the object the last snapshot had, and named them stage2 and
// plug_b (helper, profiles of real programs).  libb.so's own samples keep
// their names.
// REQUIRES: x86_64-linux, go
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O2 -g -fPIC -shared -DPLUGFN=plug_a %t/plug.c -o %t/liba.so
// RUN: %clang -O2 -g -fPIC -shared -DPLUGFN=plug_b %whence_cflags %t/plug.c %whence_libs -o %t/libb.so
// RUN: %clang -O2 -g %whence_cflags %t/host.c %whence_libs -ldl -o %t/host
// RUN: cd %t && env WHENCE_CPUPROFILE=%t/p.pb.gz WHENCE_CPUPROFILE_HZ=1000 ./host | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines -symbolize=none %t/p.pb.gz > %t/p.traces
// RUN: grep -B4 ' run_plain ' %t/p.traces | FileCheck %s --check-prefix=PLAIN
// RUN: grep -B4 ' run_twice ' %t/p.traces | FileCheck %s --check-prefix=TWICE
//
// OUT: libb.so at [[BASE:0x[0-9a-f]+]]
// OUT-NEXT: liba.so at [[BASE]]
// OUT-NEXT: libb.so at [[BASE]]
// PLAIN: <unknown>
// PLAIN-NOT: plug_b
// PLAIN-NOT: stage2
// PLAIN-NOT: mix
// TWICE: plug_b {{.*}}plug.c:

//--- host.c
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
typedef uint64_t (*fn_t)(long);
#define N 200000 /* some 0.2 s of CPU each */

__attribute__((noinline)) static uint64_t run(const char *path, const char *sym, long n) {
    void *h = dlopen(path, RTLD_NOW);
    if (!h) {
        printf("error: %s\n", dlerror());
        exit(1);
    }
    fn_t f = (fn_t)dlsym(h, sym);
    Dl_info di;
    if (dladdr((void *)f, &di))
        printf("%s at %p\n", path + 2, di.dli_fbase);
    uint64_t r = f(n);
    dlclose(h);
    return r;
}

static volatile uint64_t total;
/* (no tail calls: each keeps its frame) */
__attribute__((noinline)) static void run_once(void) { total += run("./libb.so", "plug_b", N); }
__attribute__((noinline)) static void run_plain(void) { total += run("./liba.so", "plug_a", N); }
__attribute__((noinline)) static void run_twice(void) { total += run("./libb.so", "plug_b", N); }

int main(void) {
    run_once();
    run_plain();
    run_twice();
    printf("done %d\n", (int)(total & 1));
    return 0;
}

//--- plug.c
#include <stdint.h>
static volatile uint64_t sink;
__attribute__((noinline)) static uint64_t mix(uint64_t x) {
    for (int i = 0; i < 1000; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x;
}
__attribute__((noinline)) static uint64_t stage2(uint64_t x) {
    x = mix(x);
    return mix(x ^ 7);
}
uint64_t PLUGFN(long n) {
    uint64_t x = 1;
    for (long i = 0; i < n; i++)
        x += stage2(x + i);
    sink = x;
    return x;
}
