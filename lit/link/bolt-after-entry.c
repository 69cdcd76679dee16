// A function BOLT placed right after the program's entry point (helper-82):
// the moved-frame rule (runtime/moved.c) left out every pc within 64 bytes
// of AT_ENTRY as _start's own (start code at the bottom of every stack),
// so F, moved to _start + 0x22, was skipped uncounted again: G's
// whence_caller(1) named H's line, and the written stack lost F.  A moved
// frame at the entry is now held until a frame follows it: only the one
// the stack ends at is left out.
// REQUIRES: x86_64-linux, bolt
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -fuse-ld=lld -Wl,--emit-relocs -o %t
// RUN: rm -f %t.fdata
// RUN: llvm-bolt %t -o %t.inst -instrument --instrumentation-file=%t.fdata > %t.log 2>&1
// RUN: %t.inst 1 > /dev/null
// RUN: printf '_start\nF\nmain\n__do_global_dtors_aux/1\nframe_dummy/1\nderegister_tm_clones/1\nregister_tm_clones/1\n__whence.module_ctor/1\n__whence.module_dtor/1\n_init/1\n_fini/1\n' > %t.order
// RUN: llvm-bolt %t -o %t.bolt -data=%t.fdata -reorder-blocks=none -reorder-functions=user -function-order=%t.order -align-functions=1 -update-debug-sections >> %t.log 2>&1
// RUN: llvm-nm %t.bolt | FileCheck %s --check-prefix=NM
// RUN: %t.bolt 1 x | FileCheck %s
// NM-DAG: [[#%x,START:]] T _start
// NM-DAG: [[#%x,START+0x22]] T F
// CHECK: G caller(1): unknown
// CHECK-NEXT: G(...)
// CHECK-NEXT: after-entry.c:[[#@LINE+17]]
// CHECK-NEXT: F(...) (instrumented code without records)
// CHECK-NEXT: after-entry.c:[[#@LINE+21]]
// CHECK-NEXT: H(...)
// CHECK-NEXT: after-entry.c:[[#@LINE+23]]
// CHECK-NOT: _start
#include <stdio.h>
#include <whence.h>

/* never run in the training run: left in place */
__attribute__((noinline)) int G(int x) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("G caller(1): %s %s:%d\n", f.function, f.file, f.line);
    else
        printf("G caller(1): unknown\n");
    fflush(stdout);
    whence_write_stack(1, 0);
    return x;
}
/* run once in the training run: moved, right after _start */
__attribute__((noinline)) int F(int x) {
    if (x < 0)
        return G(x) + 1;
    return x * 2;
}
/* never run in the training run: left in place */
__attribute__((noinline)) int H(int x) { return F(x) + 3; }
int main(int argc, char **argv) {
    long t = F(argc);
    if (argc > 2)
        t += H(-1);
    printf("%ld\n", t);
    return 0;
}
