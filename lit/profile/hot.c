// A CPU-bound program with known hot functions, profiled by whence and read
// by `go tool pprof`: crunch (called through stage, which is inlined into
// pipeline), churn (called from main) and cmp_slow (called by libc's qsort).
// pprof must show the three as the hot functions, every stack with the
// lines of its calls and the inlined frame stage, libc's frames between
// cmp_slow and sorter named (qsort_r by its dynamic symbol, the internal
// ones as libc.so.6+OFFSET) rather than left out, and every location whence
// named must agree with DWARF (pprof_check.py, llvm-symbolizer).
// The same with WHENCE_CPUPROFILE (the program then calls no whence
// function), and after strip -s (names from whence's records, not symbols).
// An interrupted pc's line comes from the binary's .debug_line: exact in
// the unstripped build (the loops' lines), 0 after strip -s (pprof then
// shows the file alone): whence never claims a line it does not know.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags
// DEFINE: %{check} = python3 %S/Inputs/pprof_check.py --min-samples 100
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} %s %whence_libs -o %t/hot
//
// The API, at 1,000 Hz:
// RUN: %run %t/hot %t/api.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines -symbolize=none %t/api.pb.gz > %t/api.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/api.traces
// RUN: FileCheck %s --check-prefix=CHURN < %t/api.traces
// RUN: FileCheck %s --check-prefix=QSORT < %t/api.traces
// RUN: %pprof -top -symbolize=none %t/api.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %pprof -top -lines -symbolize=none %t/api.pb.gz | FileCheck %s --check-prefix=LEAF
// RUN: %{check} %t/api.pb.gz | FileCheck %s --check-prefix=DWARF
//
// WHENCE_CPUPROFILE, the program unchanged (no argument: no whence call):
// RUN: env WHENCE_CPUPROFILE=%t/env.pb.gz WHENCE_CPUPROFILE_HZ=1000 %run %t/hot | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines -symbolize=none %t/env.pb.gz > %t/env.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/env.traces
// RUN: FileCheck %s --check-prefix=CHURN < %t/env.traces
// RUN: FileCheck %s --check-prefix=QSORT < %t/env.traces
// RUN: %pprof -top -symbolize=none %t/env.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %{check} %t/env.pb.gz | FileCheck %s --check-prefix=DWARF
//
// strip -s: no .symtab, no .debug_*; pprof reads the profile as it would on
// any machine (default symbolization: the stripped file gives it nothing);
// DWARF for the check comes from the unstripped file:
// RUN: llvm-strip -s %t/hot -o %t/hot-s
// RUN: llvm-readelf -S %t/hot-s | FileCheck %s --check-prefix=STRIPPED
// RUN: %run %t/hot-s %t/s.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines %t/s.pb.gz > %t/s.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/s.traces
// RUN: FileCheck %s --check-prefix=CHURN < %t/s.traces
// RUN: FileCheck %s --check-prefix=QSORT < %t/s.traces
// RUN: %{check} %t/s.pb.gz --binary hot-s=%t/hot | FileCheck %s --check-prefix=DWARF
// RUN: %pprof -top -lines -symbolize=none %t/s.pb.gz | FileCheck %s --check-prefix=NOLINE
// RUN: env WHENCE_CPUPROFILE=%t/senv.pb.gz WHENCE_CPUPROFILE_HZ=1000 %run %t/hot-s | FileCheck %s --check-prefix=OUT
// RUN: %pprof -traces -lines %t/senv.pb.gz > %t/senv.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/senv.traces
// RUN: FileCheck %s --check-prefix=QSORT < %t/senv.traces
// RUN: %{check} %t/senv.pb.gz --binary hot-s=%t/hot | FileCheck %s --check-prefix=DWARF
//
// OUT-NOT: error
// OUT: stop=0
// TOP: flat  flat%
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* crunch$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* churn$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* cmp_slow$}}
// DWARF: checked callers={{[1-9][0-9]*}} leaves={{[1-9][0-9]*}} mismatches=0 samples=enough
// STRIPPED-NOT: .symtab
// STRIPPED-NOT: .debug_line
// NOLINE: flat  flat%
// NOLINE-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* crunch .*hot.c$}}
// NOLINE-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* churn .*hot.c$}}
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile unsigned long sink;
static unsigned long buf[64];

/* The process's CPU time in ms: the rounds go on until the profile holds
 * enough samples on a fast machine too (20 rounds gave 55 on one). */
static long cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

NOINLINE unsigned long crunch(unsigned long n) {
    unsigned long x = 1;
    for (unsigned long i = 0; i < n; i++) { x = x * 6364136223846793005ul + buf[i & 63]; buf[(i * 7) & 63] = x; }
    // LEAF-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* crunch .*hot.c:}}[[@LINE-1]]{{$}}
    // TRACE: {{^ +[0-9.]+m?s +}}crunch {{.*}}hot.c{{(:[0-9]+)?$}}
    return x;
}

static inline __attribute__((always_inline)) unsigned long stage(unsigned long n) {
    return crunch(n) + 1;
    // TRACE-NEXT: {{^ +}}stage {{.*}}hot.c:[[@LINE-1]] (inline){{$}}
}

NOINLINE unsigned long pipeline(unsigned long n) {
    unsigned long r = stage(n);
    // TRACE-NEXT: {{^ +}}pipeline {{.*}}hot.c:[[@LINE-1]]{{$}}
    return r ^ n;
}

NOINLINE unsigned long churn(unsigned long n) {
    for (unsigned long i = 0; i < n; i++) sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
    // LEAF-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* churn .*hot.c:}}[[@LINE-1]]{{$}}
    // CHURN: {{^ +[0-9.]+m?s +}}churn {{.*}}hot.c{{(:[0-9]+)?$}}
    return sink;
}

NOINLINE int cmp_slow(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    for (unsigned i = 0; i < 64; i++) sink = sink + (x ^ i);
    return x < y ? -1 : x > y;
    // QSORT: {{^ +[0-9.]+m?s +}}cmp_slow {{.*}}hot.c{{(:[0-9]+)?$}}
    // QSORT-NEXT: {{^ +(libc.so.6\+0x[0-9a-f]+|qsort|qsort_r)$}}
    // QSORT-NOT: --------
    // QSORT: {{^ +(qsort|qsort_r)$}}
}

static unsigned v[4096];

NOINLINE void sorter(void) {
    for (unsigned i = 0; i < 4096; i++)
        v[i] = i * 2654435761u;
    qsort(v, 4096, sizeof v[0], cmp_slow);
    // QSORT-NEXT: {{^ +}}sorter {{.*}}hot.c:[[@LINE-1]]{{$}}
}

int main(int argc, char **argv) {
    int fd = -1;
    if (argc > 1) {
        fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = whence_profile_start(fd, 1000);
        if (e)
            printf("error: whence_profile_start: %d\n", e);
    }
    for (int r = 0; r < 20 || cpu_ms() < 300; r++) {
        sink += pipeline(1000000 + r);
        // TRACE-NEXT: {{^ +}}main {{.*}}hot.c:[[@LINE-1]]{{$}}
        sink += churn(600000 + r);
        // CHURN-NEXT: {{^ +}}main {{.*}}hot.c:[[@LINE-1]]{{$}}
        sorter();
        // QSORT-NEXT: {{^ +}}main {{.*}}hot.c:[[@LINE-1]]{{$}}
    }
    if (fd >= 0) {
        int e = whence_profile_stop();
        printf("stop=%d\n", e);
        if (e || close(fd))
            printf("error: whence_profile_stop: %d\n", e);
    } else {
        printf("stop=0\n");
    }
    return 0;
}
