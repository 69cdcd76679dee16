// The plugin in the wrong host says so instead of crashing or doing nothing
// (passes/hostcheck.c): loaded into another LLVM's clang (with -fpass-plugin
// or -Xclang -load) it names both versions and stops the compile with
// status 1, before any call that would end in "symbol lookup error"; loaded
// into clang 19 with -Xclang -load only (never asked for its pass) it says
// to use -fpass-plugin; loaded the right way, it says nothing.
// RUN: %if other-clang %{ not %other_clang -fpass-plugin=%plugin -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=OTHER %}
// RUN: %if other-clang %{ not %other_clang -Xclang -load -Xclang %plugin -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=OTHER %}
// RUN: %clang -gline-tables-only -Xclang -load -Xclang %plugin -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=LOAD
// RUN: %clang -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.o 2>&1 | count 0
// RUN: %clang -gline-tables-only -Xclang -load -Xclang %plugin -fpass-plugin=%plugin -c %s -o %t.o 2>&1 | count 0
// RUN: %clang -gline-tables-only -S -emit-llvm %s -o %t.ll
// RUN: %opt -load-pass-plugin=%plugin -passes=whence -disable-output %t.ll 2>&1 | count 0

// OTHER: whence: this plugin was built for LLVM 19, this is LLVM {{[0-9]+}} ({{.*}}): use clang-19 (or opt-19, ld.lld-19)
// OTHER-NOT: symbol lookup error
// LOAD: whence: the plugin was loaded but never asked for its pass, so nothing was instrumented: -Xclang -load only loads legacy plugins; use -fpass-plugin=<path of whence-pass.so> (clang) or -load-pass-plugin=<path> (opt)

int f(int x) { return x + 1; }
