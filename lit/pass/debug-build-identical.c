// With full debug info (-g) site labels are off by default, and the plugin then changes nothing a debugger sees: .text, .debug_line and .debug_info are byte-identical to a build without the plugin that keeps the same frames (-fno-omit-frame-pointer -momit-leaf-frame-pointer; -O0 keeps all frame pointers anyway).  Tail calls are kept in -g modules, as the debugger would see them..
// RUN: %clang -O2 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -c %s -o %t.base.o
// RUN: %clang -O2 -g -fpass-plugin=%plugin -c %s -o %t.plug.o
// RUN: llvm-objcopy -O binary --only-section=.text %t.base.o %t.base.text
// RUN: llvm-objcopy -O binary --only-section=.text %t.plug.o %t.plug.text
// RUN: cmp %t.base.text %t.plug.text
// RUN: llvm-dwarfdump --debug-line %t.base.o | sed 1d > %t.base.line
// RUN: llvm-dwarfdump --debug-line %t.plug.o | sed 1d > %t.plug.line
// RUN: diff %t.base.line %t.plug.line
// RUN: llvm-dwarfdump --debug-info %t.base.o | sed 1d > %t.base.info
// RUN: llvm-dwarfdump --debug-info %t.plug.o | sed 1d > %t.plug.info
// RUN: diff %t.base.info %t.plug.info
// The records are there all the same.
// RUN: llvm-readelf -S %t.plug.o | FileCheck %s
// CHECK: whence_fn
// CHECK: whence_mod
// CHECK-NOT: whence_site
//
// RUN: %clang -O0 -g -c %s -o %t.base0.o
// RUN: %clang -O0 -g -fpass-plugin=%plugin -c %s -o %t.plug0.o
// RUN: llvm-objcopy -O binary --only-section=.text %t.base0.o %t.base0.text
// RUN: llvm-objcopy -O binary --only-section=.text %t.plug0.o %t.plug0.text
// RUN: cmp %t.base0.text %t.plug0.text
// RUN: llvm-dwarfdump --debug-line %t.base0.o | sed 1d > %t.base0.line
// RUN: llvm-dwarfdump --debug-line %t.plug0.o | sed 1d > %t.plug0.line
// RUN: diff %t.base0.line %t.plug0.line

#include <stdio.h>

struct pt { int x, y; };

static inline int sq(int v) { printf("sq %d\n", v); return v * v; }

int dist2(struct pt a, struct pt b) {
  int dx = a.x - b.x, dy = a.y - b.y;
  return sq(dx) + sq(dy);
}

int walk(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    struct pt p = {i, i + 1}, q = {0, 0};
    if (i & 1)
      s += dist2(p, q);
    else
      putchar('.');
  }
  return s;
}

void finish(int r) { printf("%d\n", r); }

int main(int argc, char **argv) {
  (void)argv;
  int r = walk(argc + 3);
  finish(r);
  return r == 0;
}
