// whence-link on a program with code of no record between two instrumented
// modules, where nothing was split: an object built without the plugin
// linked between two instrumented ones (i1.o u.o i2.o), and -mretpoline,
// whose backend thunk (__llvm_retpoline_r11, in the first module that makes
// an indirect call) has an FDE and no record.  Their FDEs lie in .eh_frame
// among the records' FDEs, after a module's end fence: the runtime's walk
// finds no fragment there.  Before, whence-link took the walk's cheap
// pre-check from .eh_frame_hdr ("fragments are possible") for a verdict
// and left the file as it was:
//   whence-link: ...: code was split off its functions (-fsplit-machine-
//   functions, basic block sections), which the table does not hold yet
// Now it writes the table, and the processed file answers as the original
// at every byte of its code (its function, its frames as a return
// address), with its records and with the table alone (records zeroed).
// Real split code is still refused (whence-link-split-message.c).
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{cc} = %clang -O2 -gline-tables-only -I%inputs -I%S/../link/Inputs -c %s
// DEFINE: %{zero} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} %whence_cflags -DPART=1 -o %t/i1.o
// RUN: %{cc} -DPART=2 -o %t/u.o
// RUN: %{cc} %whence_cflags -DPART=3 -o %t/i2.o
// RUN: %{cc} %whence_cflags -DPART=1 -mretpoline -o %t/r1.o
// RUN: %{cc} %whence_cflags -DPART=3 -mretpoline -o %t/r2.o
// RUN: llvm-nm %t/r1.o | FileCheck %s --check-prefix=THUNK
// THUNK: W __llvm_retpoline_r11
//
// RUN: %clang -fuse-ld=lld %t/i1.o %t/u.o %t/i2.o %whence_libs -o %t/lld
// RUN: %clang %t/i1.o %t/u.o %t/i2.o %whence_libs -o %t/ld
// RUN: %clang %t/r1.o %t/r2.o %t/u.o %whence_libs -o %t/retp
//
// RUN: %whence_link --strict -o %t/lld.tab %t/lld 2>&1 | count 0
// RUN: %whence_link --strict -o %t/ld.tab %t/ld 2>&1 | count 0
// RUN: %whence_link --strict -o %t/retp.tab %t/retp 2>&1 | count 0
// RUN: %whence_link --check %t/lld.tab 2>&1 | FileCheck %s --check-prefix=CHECKED
// RUN: %whence_link --check %t/ld.tab 2>&1 | FileCheck %s --check-prefix=CHECKED
// RUN: %whence_link --check %t/retp.tab 2>&1 | FileCheck %s --check-prefix=CHECKED
// CHECKED: its table answers as its records do at every byte of its code
//
// RUN: %{zero} %t/lld.tab %t/lld.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %{zero} %t/ld.tab %t/ld.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %{zero} %t/retp.tab %t/retp.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/lld %t/lld.scan > %t/lld.out && FileCheck %s < %t/lld.out
// RUN: %run %t/ld %t/ld.scan > %t/ld.out && FileCheck %s < %t/ld.out
// RUN: %run %t/retp %t/retp.scan > %t/retp.out && FileCheck %s < %t/retp.out
// RUN: FileCheck %s --check-prefix=SCAN < %t/lld.scan
// RUN: FileCheck %s --check-prefix=SCAN < %t/ld.scan
// RUN: FileCheck %s --check-prefix=SCAN < %t/retp.scan
// RUN: %run %t/lld.tab %t/lld.tab.scan > %t/lld.tab.out && diff %t/lld.out %t/lld.tab.out && diff %t/lld.scan %t/lld.tab.scan
// RUN: %run %t/lld.z %t/lld.z.scan > %t/lld.z.out && diff %t/lld.out %t/lld.z.out && diff %t/lld.scan %t/lld.z.scan
// RUN: %run %t/ld.tab %t/ld.tab.scan > %t/ld.tab.out && diff %t/ld.out %t/ld.tab.out && diff %t/ld.scan %t/ld.tab.scan
// RUN: %run %t/ld.z %t/ld.z.scan > %t/ld.z.out && diff %t/ld.out %t/ld.z.out && diff %t/ld.scan %t/ld.z.scan
// RUN: %run %t/retp.tab %t/retp.tab.scan > %t/retp.tab.out && diff %t/retp.out %t/retp.tab.out && diff %t/retp.scan %t/retp.tab.scan
// RUN: %run %t/retp.z %t/retp.z.scan > %t/retp.z.out && diff %t/retp.out %t/retp.z.out && diff %t/retp.scan %t/retp.z.scan
//
// The uninstrumented u1 and the thunk are nobody's code:
// SCAN-NOT: fn=u1
// SCAN-NOT: fn=__llvm_retpoline
// SCAN: scan end functions=4

#if PART == 1
#define _GNU_SOURCE /* (scan.h: dl_iterate_phdr) */
#include "whence_e2e.h"
#include "scan.h"

int u1(int);
int f2(int);
int (*volatile fp)(int) = f2;

NOINLINE int f1(int x) {
    whence_frame f;
    whence_caller(0, &f); // CHECK: f1 fn=f1 file=whence-link-mixed-objects.c line=[[#@LINE]] inl=0
    e2e_print("f1", &f);
    return u1(x) + 1; // f2's caller through u1, whose frame has no record:
    // CHECK: f2's caller fn=f1 file=whence-link-mixed-objects.c line=[[#@LINE-1]] inl=0
}

int main(int argc, char **argv) {
    int r = f1(argc);
    r += fp(argc); // an indirect call: through the thunk with -mretpoline
    // CHECK: f2's caller fn=main file=whence-link-mixed-objects.c line=[[#@LINE-1]] inl=0
    if (argc > 1) {
        FILE *out = fopen(argv[1], "w");
        if (!out)
            return 1;
        link_scan((const void *)main, out);
        fclose(out);
    }
    return r == 0;
}

#elif PART == 2 /* built without the plugin */
int f2(int);
__attribute__((noinline)) int u1(int x) { return f2(x * 3) + 1; }

#else
#include "whence_e2e.h"

NOINLINE int f2(int x) {
    whence_frame f;
    whence_caller(1, &f);
    e2e_print("f2's caller", &f);
    return x + 2;
}
#endif
