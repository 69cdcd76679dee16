// -O0 -g: fast-isel materialises a call's argument that is a local's or a
// global's address (`this`, `&x`) before the call without a position; in
// a loop's condition block, and right after another call, that is what
// comes first.  The slot store, with the call's position, came first
// instead and started the call's row there: at the loop's back edge gdb's
// `next` stopped once where it stopped twice, and `finish` into a
// constructor named the next line.  Such a store now takes no position
// (slots.c, local_value_first).  (Helper's finding.)  The rows, without
// addresses, are the plain build's but for the entry's 0:0 row.
// REQUIRES: x86_64-linux
// RUN: %clangxx -O0 -g -c %s -o %t.base.o
// RUN: %clangxx -O0 -g -fpass-plugin=%plugin -c %s -o %t.plug.o
// RUN: llvm-dwarfdump --debug-line %t.base.o | awk '$1 ~ /^0x/ { print $2, $3, $8, $9 }' > %t.base.rows
// RUN: llvm-dwarfdump --debug-line %t.plug.o | awk '$1 ~ /^0x/ && !($2 == 0 && $3 == 0) { print $2, $3, $8, $9 }' > %t.plug.rows
// RUN: diff %t.base.rows %t.plug.rows
// Where each call returns (Inputs/return-rows.py): in such a block the
// plain calls before the invoke too, whose argument set-up has no
// position either (helper-119).
// RUN: %clangxx -O0 -g %s -o %t.base %whence_libs
// RUN: %clangxx -O0 -g -fpass-plugin=%plugin %s -o %t.plug %whence_libs
// RUN: %python %S/Inputs/return-rows.py %t.base %t.plug | FileCheck %s
// CHECK-NOT: returns into
// CHECK: calls {{[1-9][0-9]*}} differ 0
struct G {
  int n;
  ~G() { n = 0; }
  __attribute__((noinline)) bool next() { return n-- > 0; }
  __attribute__((noinline)) int value() const { return n; }
};

struct C {
  int a;
  __attribute__((noinline)) C(int x) : a(x) {}
  ~C() { a = 0; }
};
int gv;
__attribute__((noinline)) void h(int v) { gv += v; }
__attribute__((noinline)) void p(const void *q) { gv += q != 0; }

int main() {
  G g{2};
  int t = 0;
  while (g.next())
    t += g.value();
  h(1);
  p(&t);
  h(2);
  C c(3);
  h(4);
  p("str");
  return t - 1;
}
