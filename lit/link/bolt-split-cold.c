// BOLT on a program built with machine function splitting: G's cold part
// (G.cold, where its report is) stays where it was, but whence finds such
// a part by its FDE's place in .eh_frame (runtime/fragments.c), which BOLT
// rewrote in its own order.  The frame in G.cold was in no record and in
// the records' segment, so the walk skipped it uncounted as foreign code:
// G's whence_caller(1) named H's line, one frame too far (truth: F).  In
// an image BOLT rewrote (its added segment is there), any pc in no record
// is now taken as moved: unknown, and the frames beyond it uncounted.
// REQUIRES: x86_64-linux, bolt
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fprofile-instr-generate -I%whence_incdir %s %whence_libs -o %t/gen
// RUN: env LLVM_PROFILE_FILE=%t/p.profraw %t/gen p > /dev/null
// RUN: llvm-profdata merge -o %t/p.profdata %t/p.profraw
// RUN: %clang -O2 -gline-tables-only -fprofile-instr-use=%t/p.profdata -fsplit-machine-functions %whence_cflags %s %whence_libs -fuse-ld=lld -Wl,--emit-relocs -o %t/t
// RUN: llvm-nm %t/t | FileCheck %s --check-prefix=SPLIT
// RUN: %t/t c | FileCheck %s --check-prefix=BEFORE
// RUN: llvm-bolt %t/t -o %t/t.inst -instrument --instrumentation-file=%t/t.fdata > %t/log 2>&1
// RUN: %t/t.inst b > /dev/null
// RUN: llvm-bolt %t/t -o %t/t.bolt -data=%t/t.fdata -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions -split-all-cold -update-debug-sections >> %t/log 2>&1
// RUN: llvm-nm %t/t.bolt | FileCheck %s --check-prefix=INPLACE
// RUN: %t/t.bolt c | FileCheck %s --check-prefix=AFTER
// RUN: %t/t.bolt m 2>&1 >/dev/null | FileCheck %s --check-prefix=DROPS
// SPLIT: t G.cold
// BEFORE: G's caller: F {{.*}}bolt-split-cold.c:[[#@LINE+24]]
// INPLACE-DAG: {{^0*[0-9a-f]{1,5} }}T F
// INPLACE-DAG: {{^0*[0-9a-f]{1,5} }}t G.cold
// INPLACE-DAG: {{^0*[0-9a-f]{1,5} }}T H
// AFTER: G's caller: unknown
// DROPS: whence: image at 0x{{[0-9a-f]+}}: dropped {{[0-9]+}} of {{[0-9]+}} site records ({{[0-9]+}} outside any function); BOLT rewrote the image after the link: the split-off parts of functions that hold them are no longer found, and their frames are given as unknown
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>

__attribute__((noinline)) int G(int x) {
    int s = 0;
    for (int i = 0; i < 100; i++)
        s += i * x % 13;
    if (x == -1) {
        whence_frame f;
        if (whence_caller(1, &f))
            printf("G's caller: %s %s:%d\n", f.function, f.file, f.line);
        else
            printf("G's caller: unknown\n");
        fflush(stdout);
    }
    return s;
}
__attribute__((noinline)) int F(int x) { return G(x) + 1; }
__attribute__((noinline)) int H(int x) { return F(x) + 2; }
__attribute__((noinline)) int busy(int n) {
    int t = 0;
    for (int i = 0; i < n; i++)
        t += i % 7;
    return t;
}

int main(int argc, char **argv) {
    char mode = argc > 1 ? argv[1][0] : 'c';
    long t = 0;
    if (mode == 'p') /* the PGO training run: G hot, its report cold */
        for (int i = 0; i < 100000; i++)
            t += H(i);
    else if (mode == 'b') /* BOLT's training run: H, F and G never run */
        t += busy(1000000);
    else if (mode == 'm') /* lookups enough for the image's buckets */
        for (int i = 0; i < 2000; i++)
            t += H(-1);
    else
        t += H(-1);
    printf("%ld\n", t);
    return 0;
}
