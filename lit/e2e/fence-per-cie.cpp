// Code without records linked after an instrumented C++ object is nobody's:
// whence_func_for_pc gives NULL there, not the C++ object's last function.
// Was a wrong function: the runtime takes an FDE that follows a function's
// FDE in .eh_frame for a fragment of it (runtime/fragments.c), and the
// module's fence ended that run; but the assembler writes a module's FDEs
// grouped by CIE (functions with a personality after the others), so the
// fence ended only the first group.  The next object's first FDE followed
// the C++ object's last function with landing pads (before_fn here): a C
// function's (another CIE, which the runtime now checks), or, under the
// same merged CIE, an uninstrumented C++ function's (now a fence with the
// personality ends that group: passes/split.c).  Real fragments
// (split-layouts.c, split-hot-cold.c) are still named.
// REQUIRES: x86_64-linux, lld, ld.bfd
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -g %whence_cflags -DINSTR -c %s -o %t/a.o
// RUN: %clangxx -O2 -I%whence_incdir -DPLAINCXX -c %s -o %t/b.o
// RUN: %clang -O2 -I%whence_incdir -DPLAINC -x c -c %s -o %t/c.o
// RUN: %clangxx -O2 -g %whence_cflags -DMAIN -c %s -o %t/m.o
// RUN: %clangxx -fuse-ld=bfd %t/a.o %t/b.o %t/c.o %t/m.o %whence_libs -o %t/bfd
// RUN: %t/bfd | FileCheck %s
// RUN: %clangxx -fuse-ld=lld %t/a.o %t/b.o %t/c.o %t/m.o %whence_libs -o %t/lld
// RUN: %t/lld | FileCheck %s
// RUN: %clangxx -fuse-ld=bfd %t/a.o %t/c.o %t/b.o %t/m.o %whence_libs -o %t/bfd2
// RUN: %t/bfd2 | FileCheck %s
// The same objects built with -gline-tables-only (call labels):
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -DINSTR -c %s -o %t/a.o
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -DMAIN -c %s -o %t/m.o
// RUN: %clangxx -fuse-ld=bfd %t/a.o %t/b.o %t/c.o %t/m.o %whence_libs -o %t/bfd3
// RUN: %t/bfd3 | FileCheck %s
//
// CHECK-DAG: plain_cxx: NULL
// CHECK-DAG: plain_c: NULL
// CHECK-DAG: before_fn: before_fn
// CHECK-DAG: a_entry: a_entry

#include <stdint.h>
#include <stdio.h>

#ifdef INSTR
#include <string>
extern "C" int plain_cxx(int);
__attribute__((noinline)) int before_fn(std::string *s, int x) {
  s->append(std::to_string(x));
  return (int)s->size() + plain_cxx(x);
}
int a_entry(int x) {
  std::string s;
  return before_fn(&s, x);
}
#endif

#ifdef PLAINCXX
#include <string>
extern "C" int plain_c(int);
extern "C" int plain_cxx(int x) { /* a cleanup: an FDE under the personality's CIE */
  std::string s(std::to_string(x));
  return (int)s.size() + plain_c(x);
}
#endif

#ifdef PLAINC
int plain_c(int x) { return x + 1; }
#endif

#ifdef MAIN
#include <whence.h>
#include <string>
extern "C" int plain_cxx(int);
extern "C" int plain_c(int);
int before_fn(std::string *, int);
int a_entry(int);
static void show(const char *what, const void *fn) {
  /* a pc inside the function, past its first instruction */
  const whence_func *f = whence_func_for_pc((uintptr_t)fn + 4);
  printf("%s: %s\n", what, f ? whence_func_name(f) : "NULL");
}
int main() {
  a_entry(3);
  show("plain_cxx", (const void *)&plain_cxx);
  show("plain_c", (const void *)&plain_c);
  show("before_fn", (const void *)&before_fn);
  show("a_entry", (const void *)&a_entry);
  return 0;
}
#endif
