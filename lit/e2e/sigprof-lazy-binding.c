// Samples that interrupt the dynamic linker's lazy binding of a call
// through the PLT (_dl_runtime_resolve realigns the stack and keeps its
// CFA in %rbx; _dl_fixup and the symbol lookup below it have no frame
// pointers).  Was a bug: the unwinder started from the interrupted pc,
// stack and frame pointers only, so the CFA in %rbx was unknown and about
// three samples in four had no frame at all.  A walk from a signal context
// now starts with every register the context holds.  LD_BIND_NOT keeps the
// GOT unpatched, so that every call binds again; every sample must reach
// the instrumented caller.
// On AArch64, glibc's _dl_runtime_resolve leaves the 16 bytes PLT0 pushed
// out of its CFA and saves the return address above it: its samples and
// those of every frame above it ended there, said complete, and a caller
// without a frame pointer (libmid) read its return address 16 bytes too
// low; samples in PLT0 itself said "no unwind tables" (helper-126).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t-dir && mkdir -p %t-dir
// RUN: %clang -O2 -fPIC -shared -DLIB %s -o %t-dir/libext.so
// RUN: %clang -O2 -fomit-frame-pointer -fPIC -shared -DMID %s -L%t-dir -lext -Wl,-rpath,%t-dir -Wl,-z,lazy -o %t-dir/libmid.so
// RUN: %clang -O2 -c -I%whence_incdir %S/Inputs/sample_handler.c -o %t-dir/h.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t-dir/h.o -L%t-dir -lext -lmid -Wl,-rpath,%t-dir -Wl,-z,lazy %whence_libs -o %t-dir/main
// RUN: env LD_BIND_NOT=1 %run %t-dir/main | FileCheck %s
// RUN: env LD_BIND_NOT=1 %run %t-dir/main mid | FileCheck %s
// RUN: %clang -O0 -g -fno-pie -no-pie %whence_cflags %s %t-dir/h.o -L%t-dir -lext -lmid -Wl,-rpath,%t-dir -Wl,-z,lazy %whence_libs -o %t-dir/main.g
// RUN: env LD_BIND_NOT=1 %run %t-dir/main.g | FileCheck %s
// RUN: env LD_BIND_NOT=1 %run %t-dir/main.g mid | FileCheck %s
// CHECK: samples>=1000: 1 empty=0 all_reached=1
#if defined(LIB)
int ext_fn(int x) { return x * 3 + 1; }
#elif defined(MID)
int ext_fn(int);
__attribute__((noinline)) int mid_fn(int x) { return ext_fn(x) + ext_fn(x + 1); }
#else
#include <stdint.h>
#include <whence.h>

void sampler_start(const whence_func *f);
int sampler_count(void);
void sampler_stop(void);
int ext_fn(int);

int mid_fn(int);

static int mid;

__attribute__((noinline)) void loop(void) {
    volatile int s = 0;
    for (long i = 0; sampler_count() < 1000; i++)
        s += mid ? mid_fn((int)i) : ext_fn((int)i);
}

int main(int argc, char **argv) {
    (void)argv;
    mid = argc > 1;
    /* Every sample's stack holds a frame of loop(). */
    sampler_start(whence_func_for_pc((uintptr_t)loop));
    loop();
    sampler_stop();
    return 0;
}
#endif
