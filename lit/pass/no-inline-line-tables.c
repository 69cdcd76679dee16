// -gno-inline-line-tables gives code inlined into a function the position
// of its call: the inlined function's frame and the line inside it are
// gone from every stack, and the pass says so once per module (before, the
// stack only lacked them).
// RUN: %clang -O2 -gline-tables-only -gno-inline-line-tables -fpass-plugin=%plugin -c %s -o /dev/null 2>&1 | FileCheck %s
// RUN: %clang -O2 -g -gno-inline-line-tables -fpass-plugin=%plugin -c %s -o /dev/null 2>&1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o /dev/null 2>&1 | count 0
// CHECK: whence: note: {{.*}}no-inline-line-tables.c: built with -gno-inline-line-tables: code inlined into a function has the position of its call, so stacks show no inlined frames there
// CHECK-NOT: whence:
void ext(int);
static inline void helper(int x) { ext(x); }
void f(int x) { helper(x + 1); }
void g(int x) { helper(x + 2); }
