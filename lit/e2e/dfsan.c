// A program built with -fsanitize=dataflow links and uses whence with the
// ABI list libwhence installs (share/whence/dfsan_abilist.txt): DFSan calls
// every function not in an ABI list by a ".dfsan" name, which libwhence,
// not built with DFSan, does not define ("undefined reference to
// `whence_caller.dfsan'").  Lines and the crash report as without DFSan.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -g -fsanitize=dataflow -fsanitize-ignorelist=%S/../../runtime/dfsan_abilist.txt %whence_cflags %s %whence_libs -o %t/o0
// RUN: %t/o0 | FileCheck %s
// RUN: not --crash %t/o0 crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: %clang -O2 -gline-tables-only -fsanitize=dataflow -fsanitize-ignorelist=%S/../../runtime/dfsan_abilist.txt %whence_cflags %s %whence_libs -o %t/o2
// RUN: %t/o2 | FileCheck %s
// RUN: not --crash %t/o2 crash 2>&1 | FileCheck %s --check-prefix=CRASH
#include <stdio.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) static void leaf(int crash) {
    if (crash)
        *nullp = 1; // CRASH: fault in leaf at {{.*}}dfsan.c:[[# @LINE]]
    whence_frame f;
    if (whence_caller(1, &f)) // the frame of leaf's caller
        printf("caller %s line %d\n", f.function, f.line);
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("frame %s line %d\n", f.function, f.line);
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    leaf(argc > 1); // CHECK: caller main line [[# @LINE]]
    // CHECK-NEXT: frame leaf line [[# @LINE-11]]
    // CHECK-NEXT: frame main line [[# @LINE-2]]
    return 0;
}
// CRASH: stack:
// CRASH-NEXT: leaf(...)
// CRASH-NEXT: dfsan.c:[[# @LINE-22]]
// CRASH-NEXT: main(...)
// CRASH-NEXT: dfsan.c:[[# @LINE-9]]
