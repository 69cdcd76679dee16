// Under -flto the pass runs in the pre-link compile (clang does not hand -fpass-plugin to the LTO link): the bitcode carries the records and whence.done = 2 ("pre-link", passes/lto.c), everything the pass put into function bodies is tagged !whence.inserted (so that a backend that loads the plugin too can take it out), and the table and end marker are hidden weak_odr, named by the module key, not private: a local in llvm.used would make the ThinLTO summary mark every function with inline asm (the site labels) not eligible for import.  A second run over that bitcode changes nothing; records survive full and thin LTO links without dynamic relocations.
// REQUIRES: lld
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O2 -gline-tables-only -flto=thin -fpass-plugin=%plugin -c %t/a.c -o %t/a.thin.o
// RUN: %clang -O2 -gline-tables-only -flto=thin -fpass-plugin=%plugin -c %t/b.c -o %t/b.thin.o
// RUN: llvm-dis %t/a.thin.o -o - | FileCheck %s --check-prefix=BC
// RUN: %clang -O2 -flto=thin -fuse-ld=lld %t/a.thin.o %t/b.thin.o -o %t/thin.exe
// RUN: python3 %S/Inputs/whence-dump.py %t/thin.exe | FileCheck %s --check-prefixes=CHECK,THIN
// RUN: %clang -O2 -gline-tables-only -flto=full -fpass-plugin=%plugin -c %t/a.c -o %t/a.full.o
// RUN: %clang -O2 -gline-tables-only -flto=full -fpass-plugin=%plugin -c %t/b.c -o %t/b.full.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld %t/a.full.o %t/b.full.o -o %t/full.exe
// RUN: python3 %S/Inputs/whence-dump.py %t/full.exe | FileCheck %s --check-prefixes=CHECK,FULL
// A second run over instrumented bitcode changes nothing.
// RUN: %opt -load-pass-plugin=%plugin -passes='whence' %t/a.full.o -o - | llvm-dis -o - | grep -c '__whence.module_ctor()' | FileCheck %s --check-prefix=ONE
// The start of an LTO backend takes all of it out again: no label, record,
// table, marker or constructor left; full LTO's link pipeline then
// instruments the final code once.
// RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip' %t/a.full.o -S -o - | FileCheck %s --check-prefix=GONE
// RUN: %opt -load-pass-plugin=%plugin -passes='lto<O2>' %t/a.full.o -S -o - | FileCheck %s --check-prefix=FINAL

// BC: @__whence.mod.[[KEY:[0-9a-f]{10}]] = weak_odr hidden constant
// BC: @llvm.used = appending global [3 x ptr] [ptr @__whence.mod.[[KEY]], ptr @__whence.fence.[[KEY]], ptr @__whence.note]
// BC: define {{.*}} @work({{.*}} !pcsections
// BC: call void asm {{(sideeffect )?}}".Lwhence_site${:uid}:{{.*}}, !whence.inserted
// BC: !{i32 4, !"whence.done", i32 2}
// BC-NOT: notEligibleToImport: 1
// BC: gv: (name: "work", summaries: (function: {{.*}} notEligibleToImport: 0
// BC-NOT: notEligibleToImport: 1
// ONE: 1
// GONE-NOT: whence_
// GONE-NOT: __whence.{{mod|fence|module_ctor|module_dtor}}
// GONE-NOT: Lwhence_site
// GONE-NOT: whence.inserted
// GONE: !{i32 4, !"whence.done", i32 0}
// GONE-NOT: {{__whence|whence[._]|Lwhence}}
// FINAL-NOT: __whence.mod.
// FINAL: @__whence.mod = private constant
// FINAL-NOT: __whence.mod.
// FINAL-NOT: whence.inserted
// FINAL: !{i32 4, !"whence.done", i32 1}

// CHECK-DAG: mod[0] name={{.*}}a.c
// CHECK-DAG: mod[1] name={{.*}}b.c
// CHECK-DAG: fn entry=main+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=main
// CHECK-DAG: dynrelocs in-whence=0
// THIN-DAG: fn entry=work+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=work
// THIN-DAG: site label=work+{{[0-9]+}} loc={{[0-9]+}} chain=leaf:3:27 <- work:4:19
// Full LTO inlines work() (a.c) into main (b.c) after the pass ran: those
// labels keep a.c's loc indices inside a b.c function (a known limitation,
// see the runtime's outermost-loc check).  Only main keeps a record.
// FULL-NOT: fn entry=work

//--- a.c
void sink(int);
// placeholder
static void leaf(int x) { sink(x); }
int work(int n) { leaf(n); return n + 1; }
//--- b.c
#include <stdio.h>
void sink(int x) { printf("%d\n", x); }
int work(int);
int main(int argc, char **argv) { (void)argv; return work(argc) == 0; }
