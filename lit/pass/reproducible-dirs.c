// Reproducible builds across build directories: the same source compiled in
// two directories with -ffile-prefix-map (or -fdebug-prefix-map) mapping each
// to one name gives byte-identical objects with the plugin too, from an
// absolute source path (CMake's default) or a relative one, with
// -gline-tables-only, -g and no debug info.  The module table names files
// exactly as the (mapped) debug info does; without debug info the module is
// named by the source's base name.
// RUN: rm -rf %t && mkdir -p %t/one/src %t/two/src
// RUN: cp %s %t/one/src/r.c && cp %s %t/two/src/r.c
// RUN: cd %t/one && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/one=/build -fpass-plugin=%plugin -c %t/one/src/r.c -o %t/lt1.o
// RUN: cd %t/two && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/two=/build -fpass-plugin=%plugin -c %t/two/src/r.c -o %t/lt2.o
// RUN: cmp %t/lt1.o %t/lt2.o
// RUN: cd %t/one && %clang -O2 -g -ffile-prefix-map=%t/one=/build -fpass-plugin=%plugin -c %t/one/src/r.c -o %t/g1.o
// RUN: cd %t/two && %clang -O2 -g -ffile-prefix-map=%t/two=/build -fpass-plugin=%plugin -c %t/two/src/r.c -o %t/g2.o
// RUN: cmp %t/g1.o %t/g2.o
// RUN: cd %t/one && %clang -O0 -g -fdebug-prefix-map=%t/one=/build -fpass-plugin=%plugin -c %t/one/src/r.c -o %t/d1.o
// RUN: cd %t/two && %clang -O0 -g -fdebug-prefix-map=%t/two=/build -fpass-plugin=%plugin -c %t/two/src/r.c -o %t/d2.o
// RUN: cmp %t/d1.o %t/d2.o
// RUN: cd %t/one && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/one=/build -fpass-plugin=%plugin -c src/r.c -o %t/rel1.o
// RUN: cd %t/two && %clang -O2 -gline-tables-only -ffile-prefix-map=%t/two=/build -fpass-plugin=%plugin -c src/r.c -o %t/rel2.o
// RUN: cmp %t/rel1.o %t/rel2.o
// RUN: cd %t/one && %clang -O2 -ffile-prefix-map=%t/one=/build -fpass-plugin=%plugin -c %t/one/src/r.c -o %t/n1.o 2>/dev/null
// RUN: cd %t/two && %clang -O2 -ffile-prefix-map=%t/two=/build -fpass-plugin=%plugin -c %t/two/src/r.c -o %t/n2.o 2>/dev/null
// RUN: cmp %t/n1.o %t/n2.o
// The names are the mapped ones, as in the debug info.
// RUN: python3 %S/Inputs/whence-dump.py %t/lt1.o | FileCheck %s
// RUN: python3 %S/Inputs/whence-dump.py %t/n1.o | FileCheck %s --check-prefix=NODEBUG
// RUN: llvm-dwarfdump --debug-line %t/lt1.o | FileCheck %s --check-prefix=DWARF
// CHECK: mod[0] name=/build/src/r.c
// CHECK: subprog[0] name=work file=/build/src/r.c line=[[#@LINE+7]]
// NODEBUG: mod[0] name=r.c
// DWARF: "/build/src/r.c"
#include <stdio.h>

int g[4];

int work(int n) {
    printf("%d\n", n);
    return g[n & 3];
}
