// pprof reads a Function's start_line in the Function's file, which whence
// gives as the frame's file.  Where a frame's position is in another file
// than the one its function starts in -- a loop body #included from a .inc,
// code after a #line directive (bison and flex output) -- the start line
// is not known in that file and must be 0, not the function's first line
// in its own file (was: `hot body.inc:2 s=6`, line 6 of main.c).  In the
// function's own file, the start line is the function's (s=N below).
// pprof_check.py compares every location's start line with DWARF's
// subprogram (-g), and, at -g, the calls frame slots name.  Such a file,
// which the records do not name, is the line table's under its directory
// (it was the bare "body.inc", unlike every other frame's file).
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O2 -g %whence_cflags %t/main.c %whence_libs -o %t/prog
// RUN: %run %t/prog %t/p.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: python3 %S/Inputs/pprof_check.py %t/p.pb.gz --min-samples 50 | FileCheck %s --check-prefix=DWARF
// RUN: %pprof -raw -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=RAW
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t/main.c %whence_libs -o %t/prog-lt
// RUN: %run %t/prog-lt %t/lt.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -raw -symbolize=none %t/lt.pb.gz | FileCheck %s --check-prefix=RAW
//
// OUT: stop=0
// DWARF: checked callers={{[1-9][0-9]*}} leaves={{[1-9][0-9]*}} mismatches=0 samples=enough
// RAW: Locations
// RAW-NOT: body.inc:{{[0-9]+}} s={{[1-9]}}
// RAW-NOT: parse.y:{{[0-9]+}} s={{[1-9]}}
// RAW-DAG: {{ hot_inc /.*/body.inc:[0-9]+ s=0$}}
// RAW-DAG: {{ hot_line /.*/parse.y:[0-9]+ s=0$}}
// RAW-DAG: {{ hot_own .*main.c:[0-9]+ s=21$}}
// RAW-DAG: {{ main .*main.c:[0-9]+ s=32$}}
// RAW-NOT: body.inc:{{[0-9]+}} s={{[1-9]}}
// RAW-NOT: parse.y:{{[0-9]+}} s={{[1-9]}}
// RAW: Mappings

//--- body.inc
for (unsigned long i = 0; i < n; i++)
    x = x * 6364136223846793005ul + (x >> 7) + i;

//--- main.c
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <whence.h>

static volatile unsigned long sink;
unsigned long hot_line(unsigned long n);

static long cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

__attribute__((noinline)) unsigned long hot_inc(unsigned long n) {
    unsigned long x = sink;
#include "body.inc"
    return x;
}

__attribute__((noinline)) unsigned long hot_own(unsigned long n) {
    unsigned long x = sink;
    for (unsigned long i = 0; i < n; i++)
        x = x * 3202034522624059733ul + (x >> 11) + i;
    return x;
}

/* The rounds go on until each function has had enough CPU time, on a fast
 * machine too. */
static volatile unsigned long n = 2000000;

int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    if (e)
        printf("error: whence_profile_start: %d\n", e);
    long t0 = cpu_ms();
    while (cpu_ms() - t0 < 600) {
        sink += hot_inc(n);
        sink += hot_line(n);
        sink += hot_own(n);
    }
    printf("stop=%d\n", whence_profile_stop());
    return 0;
}

/* Last: no line after the #line is this file's. */
__attribute__((noinline)) unsigned long hot_line(unsigned long n) {
    unsigned long x = sink;
#line 500 "parse.y"
    for (unsigned long i = 0; i < n; i++)
        x = x * 2862933555777941757ul + (x >> 9) + i;
    return x;
}
