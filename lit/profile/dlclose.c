// Modules loaded and unloaded while the profile runs: libmoda.so is opened,
// its hot_a runs, it is closed; then libmodb.so (the same size: the loader
// puts it at the address libmoda.so had, checked below) runs hot_b and is closed;
// then libmoda.so again.  The profile is written after all of them are gone,
// and still names every frame right: hot_a and mod_run in libmoda.so,
// hot_b and mod_run in libmodb.so, each with its lines (checked against
// the modules' DWARF), and never one module's name on the other's code (nor a mapping of one
// for a location of the other).
// One source: -DMOD_A, -DMOD_B build the modules, nothing the program.
// REQUIRES: x86_64-linux, go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DMOD_A %whence_cflags %s %whence_libs -o %t/libmoda.so
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DMOD_B %whence_cflags %s %whence_libs -o %t/libmodb.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -ldl -o %t/main
// RUN: %t/main %t %t/p.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines -symbolize=none %t/p.pb.gz > %t/p.traces
// RUN: FileCheck %s --check-prefix=TA < %t/p.traces
// RUN: FileCheck %s --check-prefix=TB < %t/p.traces
// RUN: %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: python3 %S/Inputs/pprof_check.py %t/p.pb.gz --min-samples 50 --named-leaves | FileCheck %s --check-prefix=DWARF
//
// The loader did put libmodb.so where libmoda.so was (else this test
// would not test what it says):
// OUT-NOT: error
// OUT: libmoda.so loaded at [[BASE:0x[0-9a-f]+]]
// OUT-NEXT: libmodb.so loaded at [[BASE]]
// OUT-NEXT: libmoda.so loaded at [[BASE]]
// OUT: done
// TOP: flat  flat%
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* hot_a$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* hot_b$}}
// The check reads each location's module from its mapping (libmoda.so or
// libmodb.so) and asks that module's DWARF about its address; no sample
// may be spent at an unnamed place (the samples of a module still unread
// when it is closed are named by the dlclose hook, those of the next module
// at the same address by that one; a caller frame in the closing module's
// destructor, sampled after the hook, may stay unknown):
// DWARF: mismatches=0 samples=enough
#define _GNU_SOURCE /* dladdr */
#include <stdio.h>

#define NOINLINE __attribute__((noinline))
static volatile unsigned long sink;

#if defined(MOD_A)
NOINLINE void hot_a(void) {
    for (unsigned long i = 0; i < 20000000; i++)
        sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
    // TA: {{^ +[0-9.]+m?s +}}hot_a {{.*}}dlclose.c:{{[0-9]+$}}
}
void mod_run(void) {
    hot_a();
    // TA-NEXT: {{^ +}}mod_run {{.*}}dlclose.c:[[@LINE-1]]{{$}}
}
#elif defined(MOD_B)
NOINLINE void hot_b(void) {
    for (unsigned long i = 0; i < 20000000; i++)
        sink = (sink + i) * 0x9e3779b97f4a7c15ul;
    // TB: {{^ +[0-9.]+m?s +}}hot_b {{.*}}dlclose.c:{{[0-9]+$}}
}
void mod_run(void) {
    hot_b();
    // TB-NEXT: {{^ +}}mod_run {{.*}}dlclose.c:[[@LINE-1]]{{$}}
}
#else
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include <whence.h>

NOINLINE static void run_module(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("error: dlopen %s: %s\n", path, dlerror());
        return;
    }
    void (*run)(void) = (void (*)(void))dlsym(h, "mod_run");
    run();
    // TA-NEXT: {{^ +}}run_module {{.*}}dlclose.c:[[@LINE-1]]{{$}}
    // TB-NEXT: {{^ +}}run_module {{.*}}dlclose.c:[[@LINE-2]]{{$}}
    Dl_info info;
    if (dladdr((void *)run, &info))
        printf("%s loaded at %p\n", name, info.dli_fbase);
    if (dlclose(h))
        printf("error: dlclose %s\n", name);
}

int main(int argc, char **argv) {
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    if (e)
        printf("error: whence_profile_start: %d\n", e);
    run_module(argv[1], "libmoda.so");
    run_module(argv[1], "libmodb.so");
    run_module(argv[1], "libmoda.so");
    e = whence_profile_stop();
    if (e || close(fd))
        printf("error: whence_profile_stop: %d\n", e);
    printf("done\n");
    return 0;
}
#endif
