// One executable holding instrumented code and an object built without the
// plugin (as every Rust program and many C programs do), linked by GNU ld
// and by lld: `go tool pprof -top` (which symbolizes again every mapping
// without the has_* flags) must show whence's names.  The executable's
// mapping had no flags (one of its locations was not named by the records)
// and pprof replaced every name in it: the whole profile read
// "[x.bfd] 100%", or instrumented functions took other functions' names.
// has_functions is now set when every location of a mapping has a
// function's name (from the records or a symbol table): pprof leaves a
// mapping with it alone.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -DPLAIN -c %s -o %t/plain.o
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags %s %t/plain.o %whence_libs -o %t/x.lld
// RUN: env WHENCE_CPUPROFILE=%t/lld.pb.gz %run %t/x.lld
// RUN: %pprof -top %t/lld.pb.gz 2>&1 | FileCheck %s
// RUN: %pprof -raw -symbolize=none %t/lld.pb.gz 2>&1 | FileCheck %s --check-prefix=RAW
// (GNU ld: the host's only)
// RUN: %if x86_64-linux %{ %clang -O2 -gline-tables-only -fuse-ld=bfd %whence_cflags %s %t/plain.o %whence_libs -o %t/x.bfd %}
// RUN: %if x86_64-linux %{ env WHENCE_CPUPROFILE=%t/bfd.pb.gz %run %t/x.bfd %}
// RUN: %if x86_64-linux %{ %pprof -top %t/bfd.pb.gz 2>&1 | FileCheck %s %}
// CHECK-NOT: [x.
// CHECK-DAG: {{ }}hot_leaf{{$}}
// CHECK-DAG: {{ }}plain_spin{{$}}
// CHECK-DAG: {{ }}hot_caller{{$}}
// CHECK-DAG: {{ }}main{{$}}
// RAW: Mappings
// RAW: x.lld{{.*}}[FN]
#ifdef PLAIN
static volatile unsigned long psink;
__attribute__((noinline)) unsigned long plain_spin(unsigned long n) {
    unsigned long s = 0;
    for (unsigned long i = 0; i < n; i++)
        s += i ^ psink;
    return s;
}
#else
#include <stdio.h>
#include <time.h>
#include <whence.h>
unsigned long plain_spin(unsigned long n);
static volatile unsigned long sink;
__attribute__((noinline)) static unsigned long hot_leaf(unsigned long n) {
    unsigned long s = 0;
    for (unsigned long i = 0; i < n; i++)
        s += i * i ^ (s >> 3) ^ sink;
    return s;
}
static int64_t cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
__attribute__((noinline)) static void hot_caller(void) {
    int64_t until = cpu_ns() + 600000000; /* 0.6 s of CPU (a loaded machine) */
    while (cpu_ns() < until) {
        sink += hot_leaf(200000);
        sink += plain_spin(2000000); /* (about as long as hot_leaf) */
    }
}
int main(void) {
    hot_caller();
    printf("%lu\n", sink);
    return 0;
}
#endif
