// -flto=thin with a split LTO unit (-fwhole-program-vtables, -fsanitize=cfi):
// clang writes a ThinLTO module and a regular-LTO one cloned from it with
// its debug info stripped.  The pass once noted -gline-tables-only linkage
// names, and every level's lambdas, in named metadata holding subprograms
// and compile units; the clone kept it, and its units were no longer
// listed in llvm.dbg.cu: "DICompileUnit not listed in llvm.dbg.cu", and
// the linker's "ignoring invalid debug info".  The linkage names now live
// in the subprograms themselves (passes/names.c): both halves verify, and
// the LTO backend that instruments again still names the frames of code
// inlined at compile time.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{split} = %clangxx -O2 -flto=thin -fvisibility=hidden -fwhole-program-vtables %whence_cflags -c %s
// DEFINE: %{link} = %clangxx -O2 -flto=thin -fvisibility=hidden -fwhole-program-vtables -fuse-ld=lld
//
// Both modules of the object verify, at each debug level (reading a module,
// llvm-modextract already reports invalid debug info, and strips it):
// RUN: %{split} -gline-tables-only -o %t/lines.o
// RUN: %{split} -g -o %t/full.o
// RUN: %clangxx -O1 -gline-tables-only -flto=thin -fvisibility=hidden -fsanitize=cfi-vcall %whence_cflags -c %s -o %t/cfi.o
// RUN: llvm-modextract -n 0 %t/lines.o -o %t/lines.0.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/lines.0.bc -o /dev/null 2>&1 | count 0
// RUN: llvm-modextract -n 1 %t/lines.o -o %t/lines.1.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/lines.1.bc -o /dev/null 2>&1 | count 0
// RUN: llvm-modextract -n 0 %t/full.o -o %t/full.0.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/full.0.bc -o /dev/null 2>&1 | count 0
// RUN: llvm-modextract -n 1 %t/full.o -o %t/full.1.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/full.1.bc -o /dev/null 2>&1 | count 0
// RUN: llvm-modextract -n 0 %t/cfi.o -o %t/cfi.0.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/cfi.0.bc -o /dev/null 2>&1 | count 0
// RUN: llvm-modextract -n 1 %t/cfi.o -o %t/cfi.1.bc 2>&1 | count 0
// RUN: %opt -passes=verify %t/cfi.1.bc -o /dev/null 2>&1 | count 0
// The ThinLTO module carries the noted names, in its subprograms:
// RUN: llvm-dis %t/lines.0.bc -o - | FileCheck %s --check-prefix=IR
// IR-NOT: !whence.linkage_names
// IR: !DISubprogram(name: "inner", linkageName: "_ZN2ns5innerEv",
//
// Linked, with the pass at the link too (it instruments the final code
// again, naming the inlined frames from the bitcode), and without it:
// RUN: %{link} -Wl,--load-pass-plugin=%plugin %t/lines.o %whence_libs -o %t/lines.l 2>&1 | count 0
// RUN: %run %t/lines.l | FileCheck %s
// RUN: %{link} %t/lines.o %whence_libs -o %t/lines.c 2>&1 | count 0
// RUN: %run %t/lines.c | FileCheck %s
// RUN: %{link} -Wl,--load-pass-plugin=%plugin %t/full.o %whence_libs -o %t/full.l 2>&1 | count 0
// RUN: %run %t/full.l | FileCheck %s
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) void show(const char *tag) {
  whence_frame fr;
  if (whence_caller(1, &fr))
    printf("%s %s:%d\n", tag, fr.function, fr.line);
}

namespace ns {
inline void inner() { show("inner"); } // CHECK: inner ns::inner:[[#@LINE]]
} // namespace ns

static int twice(int x) {
  auto l = [](int v) { show("lambda"); return v + 1; }; // CHECK-NEXT: lambda twice::{lambda(int)}::operator():[[#@LINE]]
  return l(x) + l(x);
}

struct C {
  virtual int g(int);
  virtual ~C() {}
};
__attribute__((noinline)) int C::g(int x) {
  ns::inner();
  return twice(x);
}

C *volatile pc = new C;
int main() { return pc->g(0) != 2; }
