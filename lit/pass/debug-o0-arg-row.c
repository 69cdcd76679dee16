// -O0 -g: the slot store before a call went between an argument's load
// and the call, which kept fast-isel from folding the load into the call's
// set-up: the load became the line's first row, so `break main`, a
// breakpoint on the line and `step` landed at the argument's column (4:13)
// instead of the call's (4:11).  The store now goes before the
// instructions that only compute the call's arguments (slots.c,
// args_start).  (Helper's finding, from csmith programs, where it was in
// almost every one.)  The line's rows, without addresses, are the plain
// build's.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -g %s -o %t.base
// RUN: %clang -O0 -g -fpass-plugin=%plugin %s -o %t.plug %whence_libs
// RUN: llvm-dwarfdump --debug-line %t.base | awk '$2 == 21 { print $2, $3, $7, $8, $9 }' > %t.base.rows
// RUN: llvm-dwarfdump --debug-line %t.plug | awk '$2 == 21 { print $2, $3, $7, $8, $9 }' > %t.plug.rows
// RUN: diff %t.base.rows %t.plug.rows
// RUN: FileCheck %s < %t.plug.rows
// CHECK: 21 11 0 is_stmt prologue_end
unsigned short g = 5;
__attribute__((noinline)) int f(unsigned short x, int y) { return x + y; }
int main(void) {
  int r = f(g, 7);
  return r - 12;
}
