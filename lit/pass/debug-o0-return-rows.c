// -O0 -g: where a call returns, the line-table row must be the plain
// build's: `finish` and a step out of the callee stop there, and a row that
// starts at the return address names the next statement.  The store before
// the next call took no position when that call's first argument was a
// local's or a global's address, and so joined the returning call's row:
// `finish` from g(1) showed line `g(1);` again and every later `next` was a
// line behind (16 of 4,306 calls of Lua 5.4; helper-119).  Such a store
// has no position only in a block SelectionDAG selects (one that ends in an
// invoke: debug-o0-local-values.cpp), where the argument set-up has none.
// And a statement that makes no code, `(void)x;`, lent the store its
// position, so its line got a row, a breakpoint and a `next` stop of its
// own.  SelectionDAG also takes a call that fast-isel would have lowered
// when something after it in its block is beyond fast-isel (a switch,
// atomics, __int128, long double): the first version of this fix missed
// those (helper-123), and `(void)(x + 1);`.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -g %s -o %t.base %whence_libs
// RUN: %clang -O0 -g -fpass-plugin=%plugin %s -o %t.plug %whence_libs
// RUN: %python %S/Inputs/return-rows.py %t.base %t.plug | FileCheck %s
// RUN: llvm-dwarfdump --debug-line %t.base | awk '$1 ~ /^0x/ && $8 == "is_stmt" { print $2, $3 }' > %t.base.rows
// RUN: llvm-dwarfdump --debug-line %t.plug | awk '$1 ~ /^0x/ && $8 == "is_stmt" { print $2, $3 }' > %t.plug.rows
// RUN: diff %t.base.rows %t.plug.rows
// CHECK-NOT: returns into
// CHECK: calls {{[1-9][0-9]*}} differ 0
#include <stdio.h>
int gv;
extern int ext;
__attribute__((noinline)) void g(int v) { gv += v; }
__attribute__((noinline)) void p(const void *q) { gv += q != 0; }
static void fn(void) {}
__attribute__((noinline)) void voidstmt(int x) {
  g(1);
  (void)x;
  g(2);
}
_Atomic int ai;
__attribute__((noinline)) int sw(int x) {
  g(1);
  p(&x);
  switch (x) { case 1: g(2); break; case 5: g(3); break; }
  return x;
}
__attribute__((noinline)) int at(int x) {
  g(1);
  p(&x);
  ai += x;
  return x;
}
__attribute__((noinline)) int wide(int x) {
  __int128 a = x;
  g(1);
  p(&x);
  return (int)(a * a);
}
__attribute__((noinline)) int ldt(int x) {
  long double d = x;
  g(1);
  p(&x);
  d = d * d;
  p(&gv);
  return (int)d;
}
__attribute__((noinline)) int dead(int x) {
  g(1);
  (void)(x + 1);
  g(2);
  return x;
}
int main(void) {
  int x = 5;
  x += sw(x) + at(x) + wide(x) + ldt(x) + dead(x);
  g(1);
  printf("hello\n");
  g(2);
  p(&gv);
  g(3);
  p(&x);
  g(4);
  p((void *)fn);
  g(5);
  p(&ext);
  for (int i = 0; i < 3; i++)
    p("loop");
  while (gv < 100)
    p(&x), gv += 10;
  sscanf("7", "%d", &x);
  voidstmt(x);
  return 0;
}
int ext;
