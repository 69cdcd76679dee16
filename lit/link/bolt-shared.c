// A shared library BOLT rewrote (functions reordered and moved to a new
// segment, -reorder-functions=user: no profile needed).  BOLT also moves
// the program headers out of the first page, to the start of the segment
// it adds.  Was a bug: the crash report's stack ended at the first frame
// in the library, because the unwinder looked for an object's program
// headers only in its first page (the main program had the auxiliary
// vector's) and so found no unwind tables for the moved code.  Now the
// header's offset is followed where the table it points to says it is
// loaded there (runtime/unwind/unwind.c), and the stack goes on through
// the library into main.
// REQUIRES: x86_64-linux, bolt
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags -DLIB %s %whence_libs -Wl,--emit-relocs -o %t.d/libx.orig.so
// RUN: printf 'lib_other\nlib_leaf\nlib_mid\n' > %t.d/order.txt
// RUN: llvm-bolt %t.d/libx.orig.so -o %t.d/libx.so -reorder-functions=user -function-order=%t.d/order.txt -lite=0 -update-debug-sections > %t.d/bolt.log 2>&1
// RUN: llvm-readelf -h %t.d/libx.so | FileCheck %s --check-prefix=MOVED
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t.d -lx -Wl,-rpath,%t.d %whence_libs -o %t
// RUN: not --crash %t 9 2>&1 | FileCheck %s
// MOVED: Start of program headers: {{[1-9][0-9][0-9][0-9][0-9]+}}
// CHECK: fault in lib_leaf (instrumented code without records) at {{.*}}bolt-shared.c:[[# @LINE + 13]] +0x
// CHECK: stack:
// CHECK-NEXT: lib_leaf(...) (instrumented code without records)
// CHECK-NEXT: bolt-shared.c:[[# @LINE + 10]] +0x
// CHECK-NEXT: lib_mid(...) (instrumented code without records)
// CHECK-NEXT: bolt-shared.c:[[# @LINE + 10]] +0x
// CHECK-NEXT: main(...)
// CHECK-NEXT: bolt-shared.c:[[# @LINE + 15]] +0x
#include <stdlib.h>
#include <whence.h>
#ifdef LIB
int *volatile lib_null;
__attribute__((noinline)) void lib_other(void) {}
__attribute__((noinline)) void lib_leaf(int x) { if (x > 5) *lib_null = x; }
__attribute__((noinline)) void lib_mid(int x) {
    lib_leaf(x);
    lib_leaf(x + 1);
}
#else
void lib_mid(int);
int main(int argc, char **argv) {
    whence_install_crash_handler();
    lib_mid(atoi(argv[1]));
    return 0;
}
#endif
