// Linked images: a comdat (inline) function's whence_fn record and site labels live in its group, so the linker keeps exactly one copy of them with the function it keeps; with -ffunction-sections --gc-sections the records of a dropped function go with it (lld; GNU ld with -z start-stop-gc); records need no dynamic relocations in a DSO or a PIE.
// REQUIRES: lld
// RUN: rm -rf %t && split-file %s %t
// RUN: %clangxx -O1 -gline-tables-only -fPIC -ffunction-sections -fpass-plugin=%plugin -c %t/a.cpp -o %t/a.o
// RUN: %clangxx -O1 -gline-tables-only -fPIC -ffunction-sections -fpass-plugin=%plugin -c %t/b.cpp -o %t/b.o
// RUN: %clangxx -fuse-ld=lld -shared %t/a.o %t/b.o -o %t/lld.so
// RUN: python3 %S/Inputs/whence-dump.py %t/lld.so | FileCheck %s --check-prefixes=CHECK,KEEP
// RUN: %clangxx -fuse-ld=lld -shared -Wl,--gc-sections %t/a.o %t/b.o -o %t/lld-gc.so
// RUN: python3 %S/Inputs/whence-dump.py %t/lld-gc.so | FileCheck %s --check-prefixes=CHECK,GC
// RUN: %clangxx -fuse-ld=lld -pie %t/a.o %t/b.o %t/main.cpp -o %t/lld.pie
// RUN: python3 %S/Inputs/whence-dump.py %t/lld.pie | FileCheck %s --check-prefix=PIE
// RUN: %if ld.bfd %{ %clangxx -fuse-ld=bfd -shared %t/a.o %t/b.o -o %t/bfd.so %}
// RUN: %if ld.bfd %{ python3 %S/Inputs/whence-dump.py %t/bfd.so | FileCheck %s --check-prefixes=CHECK,KEEP %}
// RUN: %if ld.bfd %{ %clangxx -fuse-ld=bfd -shared -Wl,--gc-sections -Wl,-z,start-stop-gc %t/a.o %t/b.o -o %t/bfd-gc.so %}
// RUN: %if ld.bfd %{ python3 %S/Inputs/whence-dump.py %t/bfd-gc.so | FileCheck %s --check-prefixes=CHECK,GC %}

// Two tables (one per object), shared() recorded once, its one call site
// once, chained to the table of the object whose copy was kept.
// CHECK-DAG: mod[0] name={{.*}}a.cpp
// CHECK-DAG: mod[1] name={{.*}}b.cpp
// CHECK-DAG: fn entry=_Z6sharedv+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=shared
// CHECK-DAG: fn entry=_Z4useAv+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=useA
// CHECK-DAG: fn entry=_Z4useBv+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=useB
// KEEP-DAG:  fn entry=_Z6unusedv+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=unused
// CHECK-DAG: site label=_Z6sharedv+{{[0-9]+}} loc=flat chain=shared:2:50
// CHECK-DAG: site label=_Z4useAv+{{[0-9]+}} loc=flat chain=useA:3:15
// CHECK-DAG: site label=_Z4useBv+{{[0-9]+}} loc=flat chain=useB:3:15
// KEEP-DAG:  site label=_Z6unusedv+{{[0-9]+}} loc=flat chain=unused:5:55
// CHECK-DAG: dynrelocs in-whence=0
// CHECK-NOT: fn entry=_Z6sharedv
// CHECK-NOT: site label=_Z6sharedv
// GC-NOT:    unused

// PIE-DAG: fn entry=_Z4useAv+0
// PIE-DAG: dynrelocs in-whence=0

//--- common.h
void ext(int);
inline void __attribute__((noinline)) shared() { ext(1); }
//--- a.cpp
#include "common.h"
// placeholder line
void useA() { shared(); }
static void __attribute__((used)) x() {}
//--- b.cpp
#include "common.h"
// placeholder line
void useB() { shared(); }
// placeholder line
__attribute__((visibility("hidden"))) void unused() { ext(2); }
//--- main.cpp
void ext(int) {}
void useA();
int main() { useA(); }
