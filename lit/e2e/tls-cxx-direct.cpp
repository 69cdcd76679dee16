// C++ thread_local variables that clang 19 reaches without
// llvm.threadlocal.address: the guard of a function-local thread_local with
// a dynamic initializer, and the variable and its guard in the thread
// initializer of a namespace-scope one.  In a shared library code
// generation makes each such access a call of __tls_get_addr; the pass
// gives those accesses the intrinsic (passes/tls.c), so that each call has
// a label of its own.  Before, they took the label of the call before them:
// WRONG at every -O level (here: 1 in tl at -O0 to -O3, 2 in the
// initializer of ts at -O2).
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -I%whence_incdir %S/../../scripts/scan-calls.c %whence_libs -o %t.scan
// RUN: %clangxx -O0 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t0.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t0.so | FileCheck %s
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t2.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t2.so | FileCheck %s
// RUN: %clangxx -O3 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t3.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t3.so | FileCheck %s
// The guard's accesses go through the intrinsic in a shared library only;
// in a program (initial exec: no call) they are left as they were.
// RUN: %clangxx -O2 -gline-tables-only -fPIC -S -emit-llvm %whence_cflags %s -o - | FileCheck %s --check-prefix=PIC
// RUN: %clangxx -O2 -gline-tables-only -fno-pic -S -emit-llvm %whence_cflags %s -o - | FileCheck %s --check-prefix=EXEC
// PIC-LABEL: define {{.*}} @_Z2tli(
// PIC: call {{.*}}@llvm.threadlocal.address.p0(ptr {{.*}}@_ZGVZ2tliE1t)
// PIC: ret i32
// EXEC-LABEL: define {{.*}} @_Z2tli(
// EXEC-NOT: @llvm.threadlocal.address.p0(ptr {{.*}}@_ZGVZ2tliE1t)
// EXEC: load i1, ptr @_ZGVZ2tliE1t
// EXEC: ret i32
// CHECK: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown {{[0-9]+}}, dwarf 0 {{[0-9]+}}, WRONG 0,
#include <string>

int ext_work(int x) { return x & 7; }

int tl(int x) {
    int y = ext_work(x);
    thread_local int t = ext_work(y);
    return t + y;
}

thread_local std::string ts = std::to_string(ext_work(1));

int tg(int x) {
    int y = ext_work(x);
    return (int)ts.size() + y;
}

struct Counter {
    int n;
    Counter() : n(ext_work(3)) {}
};

int counted(int x) {
    static thread_local Counter c;
    c.n += ext_work(x);
    return c.n;
}
