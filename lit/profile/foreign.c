// Frames of a library built without the plugin (and without frame
// pointers) stay in the profile, named: libplain.so's exported
// plain_exported_spin by its dynamic symbol, its static plain_hidden_spin
// (no dynamic symbol) by the library file's .symtab, or as
// libplain.so+0xSTART when the file is stripped; both hot, both with the
// instrumented callers below them (the walk goes through the library by
// its unwind tables and back into whence's frames), and the instrumented
// callback plain_run calls with its own stack above libplain.so's frames.
// pprof_check.py --foreign asks the unstripped library's symbol table about
// each of its locations: the function at the location's address must be the
// one the name says (the dynamic symbol, or the function starting at
// OBJECT+0xSTART).  The same with the library stripped (-s): the dynamic
// symbols are all that is left of its names, and the offsets still match.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t/s
// RUN: %clang -O2 -g -fomit-frame-pointer -fPIC -shared -DPLAIN %s -o %t/libplain.so
// RUN: llvm-strip -s %t/libplain.so -o %t/s/libplain.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -L%t -lplain -o %t/main
// RUN: env LD_LIBRARY_PATH=%t %run %t/main %t/p.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefixes=TOP,TOPU
// RUN: %pprof -traces -lines -symbolize=none %t/p.pb.gz > %t/p.traces
// RUN: FileCheck %s --check-prefix=EXP < %t/p.traces
// RUN: FileCheck %s --check-prefix=HIDU < %t/p.traces
// RUN: FileCheck %s --check-prefix=CB < %t/p.traces
// RUN: python3 %S/Inputs/pprof_check.py %t/p.pb.gz --min-samples 100 --named-leaves --foreign libplain.so=%t/libplain.so | FileCheck %s --check-prefix=FOREIGN
// RUN: env LD_LIBRARY_PATH=%t/s %run %t/main %t/s.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/s.pb.gz | FileCheck %s --check-prefixes=TOP,TOPS
// RUN: %pprof -raw -symbolize=none %t/s.pb.gz | FileCheck %s --check-prefix=SMAP
// RUN: %pprof -traces -lines -symbolize=none %t/s.pb.gz > %t/s.traces
// RUN: FileCheck %s --check-prefix=EXP < %t/s.traces
// RUN: FileCheck %s --check-prefix=HID < %t/s.traces
// RUN: FileCheck %s --check-prefix=CB < %t/s.traces
// RUN: python3 %S/Inputs/pprof_check.py %t/s.pb.gz --min-samples 100 --named-leaves --foreign libplain.so=%t/libplain.so | FileCheck %s --check-prefix=FOREIGN
//
// OUT-NOT: error
// OUT: done
// TOP: flat  flat%
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* plain_exported_spin$}}
// TOPU-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* plain_hidden_spin$}}
// TOPS-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* libplain.so\+0x[0-9a-f]+$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* callback$}}
// SMAP: Mappings
// SMAP: {{^[0-9]+: 0x[0-9a-f/x]+ .*/s/libplain.so }}
// FOREIGN: mismatches=0 samples=enough foreign={{[1-9][0-9]*$}}
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

#ifdef PLAIN
static volatile unsigned long psink;

NOINLINE static void plain_hidden_spin(unsigned long n) {
    for (unsigned long i = 0; i < n; i++)
        psink = (psink ^ i) * 0x9e3779b97f4a7c15ul;
}
NOINLINE void plain_exported_spin(unsigned long n) {
    for (unsigned long i = 0; i < n; i++)
        psink = (psink + i) * 0x9e3779b97f4a7c15ul;
}
NOINLINE void plain_run(void (*cb)(void)) {
    plain_hidden_spin(20000000);
    plain_exported_spin(20000000);
    cb();
    psink++; /* no tail call: plain_run stays on the stack */
}
#else
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

void plain_run(void (*cb)(void));
static volatile unsigned long sink;

/* The process's CPU time in ms: main drives until the profile holds
 * enough samples on a fast machine too (one drive gave 81 on one). */
static long cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

NOINLINE static void callback(void) {
    for (unsigned long i = 0; i < 20000000; i++)
        sink = (sink - i) * 0x9e3779b97f4a7c15ul;
    // CB: {{^ +[0-9.]+m?s +}}callback {{.*}}foreign.c{{(:[0-9]+)?$}}
    // CB-NEXT: {{^ +}}plain_run{{$}}
}

NOINLINE static void drive(void) {
    plain_run(callback);
    // EXP: {{^ +[0-9.]+m?s +}}plain_exported_spin{{$}}
    // EXP-NEXT: {{^ +}}plain_run{{$}}
    // EXP-NEXT: {{^ +}}drive {{.*}}foreign.c:[[@LINE-3]]{{$}}
    // HID: {{^ +[0-9.]+m?s +}}libplain.so+0x{{[0-9a-f]+$}}
    // HID-NEXT: {{^ +}}plain_run{{$}}
    // HID-NEXT: {{^ +}}drive {{.*}}foreign.c:[[@LINE-6]]{{$}}
    // HIDU: {{^ +[0-9.]+m?s +}}plain_hidden_spin{{$}}
    // HIDU-NEXT: {{^ +}}plain_run{{$}}
    // HIDU-NEXT: {{^ +}}drive {{.*}}foreign.c:[[@LINE-9]]{{$}}
    // CB-NEXT: {{^ +}}drive {{.*}}foreign.c:[[@LINE-10]]{{$}}
}

int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    if (e)
        printf("error: whence_profile_start: %d\n", e);
    do drive(); while (cpu_ms() < 250);
    // EXP-NEXT: {{^ +}}main {{.*}}foreign.c:[[@LINE-1]]{{$}}
    // HID-NEXT: {{^ +}}main {{.*}}foreign.c:[[@LINE-2]]{{$}}
    // HIDU-NEXT: {{^ +}}main {{.*}}foreign.c:[[@LINE-3]]{{$}}
    // CB-NEXT: {{^ +}}main {{.*}}foreign.c:[[@LINE-4]]{{$}}
    e = whence_profile_stop();
    if (e || close(fd))
        printf("error: whence_profile_stop: %d\n", e);
    printf("done\n");
    return 0;
}
#endif
