// BOLT's -use-old-text writes the code it rewrote over the original text
// when it fits there, and adds a segment that holds only its .eh_frame:
// every record then names code that is not there any more (helper-82).
// Every frame was named as another function (report, pad294, pad2 for
// hot.cold, in_place, main), some with lines as exact, and whence-link
// --check of a file processed before BOLT said its table answered right.
// Registration now asks whether any FDE of an image with BOLT's segment
// starts in that segment (runtime/moved.c); none does here, and the
// image's records are not used: its frames are unknown frames (named from
// the symbol and line tables in a written stack), said once.
// REQUIRES: x86_64-linux, bolt
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -fuse-ld=lld -Wl,--emit-relocs -o %t
// RUN: rm -f %t.fdata
// RUN: llvm-bolt %t -o %t.inst -instrument --instrumentation-file=%t.fdata > %t.log 2>&1
// RUN: %t.inst 3000 > /dev/null
// RUN: llvm-bolt %t -o %t.bolt -data=%t.fdata -reorder-blocks=ext-tsp -split-functions -split-all-cold -update-debug-sections -use-old-text -align-text=64 >> %t.log 2>&1
// RUN: llvm-readelf -SW %t.bolt | FileCheck %s --check-prefix=OLD
// RUN: %t.bolt 1 x 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// RUN: cp %t %t.wl && %whence_link %t.wl
// RUN: llvm-bolt %t.wl -o %t.wl.bolt -data=%t.fdata -reorder-blocks=ext-tsp -split-functions -split-all-cold -update-debug-sections -use-old-text -align-text=64 >> %t.log 2>&1
// RUN: not %whence_link --check %t.wl.bolt 2>&1 | FileCheck %s --check-prefix=WL
// RUN: %t.wl.bolt 1 x 2>/dev/null | FileCheck %s
// BOLT wrote the new .text in the old one's place (what is left of the old
// text before it is alignment, 0x30 bytes in a checkout whose path is longer).
// OLD: .bolt.org.text PROGBITS
// OLD-NEXT: .text PROGBITS
// ERR: whence: image at 0x{{[0-9a-f]+}}: BOLT rewrote its code over the text its records name (-use-old-text): its frames are given as unknown
// ERR-NOT: whence:
// CHECK: caller(0): unknown
// CHECK-NEXT: frame: ? ?:0
// CHECK-NEXT: frame: ? ?:0
// CHECK-NEXT: frame: ? ?:0
// CHECK-NEXT: report's caller(1): unknown
// CHECK-NEXT: hot{{.*}}(...) (instrumented code without records)
// CHECK-NEXT: bolt-old-text.c:[[#@LINE+31]]
// CHECK-NEXT: in_place(...) (instrumented code without records)
// CHECK-NEXT: bolt-old-text.c:[[#@LINE+36]]
// WL: BOLT rewrote the code over the text the records name (-use-old-text)
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>

__attribute__((noinline)) static void report(void) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("report's caller(1): %s %s:%d\n", f.function, f.file, f.line);
    else
        printf("report's caller(1): unknown\n");
    fflush(stdout);
}

__attribute__((noinline)) int hot(int x) {
    int s = 0;
    for (int i = 0; i < 1000; i++)
        s += (x * i) % 7;
    if (x == -1) {
        whence_frame f;
        printf("caller(0): %s\n", whence_caller(0, &f) ? f.function : "unknown");
        uintptr_t pcs[16];
        int n = whence_callers(0, pcs, 16);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &f))
            printf("frame: %s %s:%d\n", f.function, f.file, f.line);
        report();
        whence_write_stack(1, 0);
    }
    return s;
}

/* Never run in the training run. */
__attribute__((noinline)) int in_place(int x) {
    return hot(x) + 1;
}

/* Code enough for BOLT's rewritten functions to fit in the old text. */
int pad_sink(int j) { return j & 1; }
#define P(n)                                                                                       \
    __attribute__((noinline)) int pad##n(int x) {                                                  \
        int s = 0;                                                                                 \
        for (int j = 0; j < x; j++)                                                                \
            s += (j * (n + 3)) % (n + 5) + pad_sink(j);                                            \
        return s;                                                                                  \
    }
#define P10(n) P(n##0) P(n##1) P(n##2) P(n##3) P(n##4) P(n##5) P(n##6) P(n##7) P(n##8) P(n##9)
#define P100(n) P10(n##0) P10(n##1) P10(n##2) P10(n##3) P10(n##4) P10(n##5) P10(n##6) P10(n##7) P10(n##8) P10(n##9)
P100(1)
P100(2)
P100(3)

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    long t = 0;
    for (int i = 0; i < n; i++)
        t += hot(i);
    if (argc > 2)
        t += in_place(-1);
    printf("%ld\n", t);
    return 0;
}
