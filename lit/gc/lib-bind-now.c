// libwhence-gc is bound at load time (-z now): glibc's lazy PLT resolver
// saves the argument registers in a frame below the caller, and the first
// call of each libgc function from libwhence-gc would leave a stale copy of
// the object it passes (docs/GC.md).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: llvm-readelf -d %whence_libdir/libwhence-gc.so | FileCheck %s
// CHECK: (FLAGS_1) {{.*}}NOW
