// -ffunction-sections -Wl,--gc-sections, counted: with lld (start-stop-gc
// by default, and with -z nostart-stop-gc too) and with GNU ld given
// -z start-stop-gc, the records (whence_fn and whence_site) of the three
// dropped functions are dropped with them and every live function keeps
// its record and all its sites: the decoded records of the GC'd link are
// exactly those of the same objects linked without --gc-sections, minus the
// dead functions'.  GNU ld without -z start-stop-gc keeps the dead functions
// and all records (safe: they are still correct).  The runtime agrees with
// the symbol table in every variant (Inputs/scan.h, Inputs/check-scan.py):
// live functions, and dead ones where they survive, are named with their
// exact entry and size; and the live stack is exact.
// (lit/e2e/gc-sections.c runs a program; this one counts records.)
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{cc} = %clang -O2 -gline-tables-only -ffunction-sections -fdata-sections %whence_cflags -I%inputs -I%S/Inputs -c %s
// DEFINE: %{ld} = %clang %whence_libs
// DEFINE: %{recs} = python3 %S/Inputs/records.py
// DEFINE: %{scan} = python3 %S/Inputs/check-scan.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -o %t/pie.o
// RUN: %{cc} -fno-pie -o %t/nopie.o
// RUN: %{ld} %t/pie.o -fuse-ld=lld -o %t/lld.nogc
// RUN: %{ld} %t/pie.o -fuse-ld=lld -Wl,--gc-sections -o %t/lld.gc
// RUN: %{ld} %t/pie.o -fuse-ld=lld -Wl,--gc-sections -Wl,-z,nostart-stop-gc -o %t/lld.gc.nossg
// RUN: %{ld} %t/pie.o -fuse-ld=bfd -o %t/bfd.nogc
// RUN: %{ld} %t/pie.o -fuse-ld=bfd -Wl,--gc-sections -o %t/bfd.gc
// RUN: %{ld} %t/pie.o -fuse-ld=bfd -Wl,--gc-sections -Wl,-z,start-stop-gc -o %t/bfd.gc.ssg
// RUN: %{ld} %t/nopie.o -no-pie -fuse-ld=lld -o %t/lld.nogc.nopie
// RUN: %{ld} %t/nopie.o -no-pie -fuse-ld=lld -Wl,--gc-sections -o %t/lld.gc.nopie
// RUN: %{ld} %t/nopie.o -no-pie -fuse-ld=bfd -o %t/bfd.nogc.nopie
// RUN: %{ld} %t/nopie.o -no-pie -fuse-ld=bfd -Wl,--gc-sections -Wl,-z,start-stop-gc -o %t/bfd.gc.ssg.nopie
//
// Records, as (function+offset, chain) lines, of each link:
// RUN: %{recs} %t/lld.nogc > %t/lld.nogc.recs
// RUN: %{recs} %t/lld.gc > %t/lld.gc.recs
// RUN: %{recs} %t/lld.gc.nossg > %t/lld.gc.nossg.recs
// RUN: %{recs} %t/bfd.nogc > %t/bfd.nogc.recs
// RUN: %{recs} %t/bfd.gc > %t/bfd.gc.recs
// RUN: %{recs} %t/bfd.gc.ssg > %t/bfd.gc.ssg.recs
// RUN: %{recs} %t/lld.nogc.nopie > %t/lld.nogc.nopie.recs
// RUN: %{recs} %t/lld.gc.nopie > %t/lld.gc.nopie.recs
// RUN: %{recs} %t/bfd.nogc.nopie > %t/bfd.nogc.nopie.recs
// RUN: %{recs} %t/bfd.gc.ssg.nopie > %t/bfd.gc.ssg.nopie.recs
// The sanity of one full set, then equalities:
// RUN: FileCheck %s --check-prefix=REC < %t/lld.nogc.recs
// RUN: not grep dead_ %t/lld.gc.recs
// RUN: grep -v dead_ %t/lld.nogc.recs | diff - %t/lld.gc.recs
// RUN: grep -v dead_ %t/lld.nogc.recs | diff - %t/lld.gc.nossg.recs
// RUN: diff %t/bfd.nogc.recs %t/bfd.gc.recs
// RUN: grep -v dead_ %t/bfd.nogc.recs | diff - %t/bfd.gc.ssg.recs
// RUN: grep -v dead_ %t/lld.nogc.nopie.recs | diff - %t/lld.gc.nopie.recs
// RUN: grep -v dead_ %t/bfd.nogc.nopie.recs | diff - %t/bfd.gc.ssg.nopie.recs
// RUN: diff %t/lld.nogc.recs %t/bfd.nogc.recs
//
// The runtime, in every link:
// RUN: %t/lld.nogc %t/lld.nogc.scan | FileCheck %s
// RUN: %{scan} %t/lld.nogc %t/lld.nogc.scan | FileCheck %s --check-prefix=SCAN-KEEP
// RUN: %t/lld.gc %t/lld.gc.scan | FileCheck %s
// RUN: %{scan} %t/lld.gc %t/lld.gc.scan | FileCheck %s --check-prefix=SCAN-DROP
// RUN: %t/lld.gc.nossg %t/lld.gc.nossg.scan | FileCheck %s
// RUN: %{scan} %t/lld.gc.nossg %t/lld.gc.nossg.scan | FileCheck %s --check-prefix=SCAN-DROP
// RUN: %t/bfd.nogc %t/bfd.nogc.scan | FileCheck %s
// RUN: %{scan} %t/bfd.nogc %t/bfd.nogc.scan | FileCheck %s --check-prefix=SCAN-KEEP
// RUN: %t/bfd.gc %t/bfd.gc.scan | FileCheck %s
// RUN: %{scan} %t/bfd.gc %t/bfd.gc.scan | FileCheck %s --check-prefix=SCAN-KEEP
// RUN: %t/bfd.gc.ssg %t/bfd.gc.ssg.scan | FileCheck %s
// RUN: %{scan} %t/bfd.gc.ssg %t/bfd.gc.ssg.scan | FileCheck %s --check-prefix=SCAN-DROP
// RUN: %t/lld.nogc.nopie %t/lld.nogc.nopie.scan | FileCheck %s
// RUN: %{scan} %t/lld.nogc.nopie %t/lld.nogc.nopie.scan | FileCheck %s --check-prefix=SCAN-KEEP
// RUN: %t/lld.gc.nopie %t/lld.gc.nopie.scan | FileCheck %s
// RUN: %{scan} %t/lld.gc.nopie %t/lld.gc.nopie.scan | FileCheck %s --check-prefix=SCAN-DROP
// RUN: %t/bfd.nogc.nopie %t/bfd.nogc.nopie.scan | FileCheck %s
// RUN: %{scan} %t/bfd.nogc.nopie %t/bfd.nogc.nopie.scan | FileCheck %s --check-prefix=SCAN-KEEP
// RUN: %t/bfd.gc.ssg.nopie %t/bfd.gc.ssg.nopie.scan | FileCheck %s
// RUN: %{scan} %t/bfd.gc.ssg.nopie %t/bfd.gc.ssg.nopie.scan | FileCheck %s --check-prefix=SCAN-DROP
//
// 10 functions, 3 of them dead; each with its sites (exact lines checked).
// REC-DAG: fn main
// REC-DAG: fn ext_sink
// REC-DAG: fn print_frames
// REC-DAG: fn live_leaf
// REC-DAG: fn live_mid
// REC-DAG: fn live_by_pointer
// REC-DAG: fn link_scan_phdr
// REC-DAG: fn dead_a
// REC-DAG: fn dead_b
// REC-DAG: fn dead_c
// REC-DAG: records bad=0 dynrelocs=0
//
// SCAN-DROP-NOT: BAD
// SCAN-DROP: runtime functions: ext_sink link_scan_phdr live_by_pointer live_leaf live_mid main print_frames{{$}}
// SCAN-DROP-NEXT: check-scan: ok=1 runtime=7 symbols=7
// SCAN-KEEP-NOT: BAD
// SCAN-KEEP: runtime functions: dead_a dead_b dead_c ext_sink link_scan_phdr live_by_pointer live_leaf live_mid main print_frames{{$}}
// SCAN-KEEP-NEXT: check-scan: ok=1 runtime=10 symbols=10
#include "scan.h"
#include "whence_e2e.h"

static volatile int sink;

// Not inlined anywhere (noinline), so its callers keep a site for it.
NOINLINE void ext_sink(int x) { sink = x; }

// ---- dead: referenced only by each other --------------------------------
NOINLINE void dead_c(int x) { ext_sink(x + 3); }
// REC-DAG: site dead_c+{{[0-9]+}} dead_c:[[#@LINE-1]]:
NOINLINE void dead_b(int x) { dead_c(x + 2); sink = 1; }
// REC-DAG: site dead_b+{{[0-9]+}} dead_b:[[#@LINE-1]]:
NOINLINE void dead_a(int x) { dead_b(x + 1); sink = 2; }
// REC-DAG: site dead_a+{{[0-9]+}} dead_a:[[#@LINE-1]]:

// ---- live -----------------------------------------------------------------
NOINLINE void print_frames(const uintptr_t *pcs, int n) { e2e_dump("frames", pcs, n); }

NOINLINE void live_leaf(void) {
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    // CHECK:      frames fn=live_leaf file=gc-sections.c line=[[@LINE-1]] inl=0
    print_frames(pcs, n);
}

NOINLINE void live_mid(void) {
    live_leaf();
    // CHECK-NEXT: frames fn=live_mid file=gc-sections.c line=[[@LINE-1]] inl=0
    // REC-DAG: site live_mid+{{[0-9]+}} live_mid:[[#@LINE-2]]:
    sink++;
}

// Reached only through a pointer (kept by the relocation of that pointer).
NOINLINE static void live_by_pointer(int x) { ext_sink(x); sink = x; }
// REC-DAG: site live_by_pointer+{{[0-9]+}} live_by_pointer:[[#@LINE-1]]:
void (*volatile live_fp)(int) = live_by_pointer;

int main(int argc, char **argv) {
    live_mid();
    // CHECK-NEXT: frames fn=main file=gc-sections.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: frames end frames=3
    live_fp(1);
    printf("for_pc(live_fp)=%s\n", whence_func_name(whence_func_for_pc((uintptr_t)live_fp)));
    // CHECK-NEXT: for_pc(live_fp)=live_by_pointer
    FILE *out = argc > 1 ? fopen(argv[1], "w") : NULL;
    if (out) {
        link_scan((const void *)&main, out);
        fclose(out);
    }
    return 0;
}
