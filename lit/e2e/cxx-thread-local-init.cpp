// A thread_local object's initialization routine (_ZTH..., which clang's
// debug info leaves nameless under -gline-tables-only and calls __tls_init
// under -g) was printed mangled: it reads as llvm-cxxfilt reads it, and
// so does the wrapper routine (_ZTW..., at -O0), a variable template's too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,O2
// RUN: %clangxx -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t0
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,O0
// CHECK: TLS::TLS
// O2: thread-local initialization routine for ns::tls_object
// O0: __tls_init
// O0: thread-local wrapper routine for ns::tls_object
// CHECK: use_tls
// O0: thread-local wrapper routine for tvar<int>
// CHECK: use_template
#include <cstdio>
#include <cstdlib>
#include <whence.h>
struct TLS {
    int v;
    __attribute__((noinline)) TLS() : v(std::rand()) {
        uintptr_t pcs[8];
        int n = whence_callers(0, pcs, 8);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        whence_frame f;
        while (whence_frames_next(&it, &f))
            std::printf("%s\n", f.function);
    }
};
namespace ns {
thread_local TLS tls_object;
}
template <class T> thread_local TLS tvar;
__attribute__((noinline)) int use_tls() { return ns::tls_object.v; }
__attribute__((noinline)) int use_template() { return tvar<int>.v; }
int main() { return (use_tls() | use_template()) < 0; }
