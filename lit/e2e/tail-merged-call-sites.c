// Two calls of the same function in two switch arms, each followed by the
// same return: the backend's branch folding merges their tails into one
// call instruction after the pass ran.  With frame slots (-g) each arm
// still stores its own call's loc before the merged call, so each frame has
// its own line.  With site labels (-gline-tables-only) there is one return
// address and one label for both arms.
//
// Was a bug with site labels: one arm's label named the merged call, so the
// other arm's frames got its line (both reported the second arm's line).
// DWARF's line table says the same (the merged call stays in the second
// arm's row), so a comparison with DWARF cannot see it; __LINE__ does.  The
// pass now puts an empty asm after the last call of each block, which
// branch folding does not merge across.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.l && %run %t.l | FileCheck %s
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %whence_libs -o %t.l1 && %run %t.l1 | FileCheck %s
// CHECK: first arm: ok
// CHECK: second arm: ok
#include <stdio.h>
#include <whence.h>

struct obj { int tag; int a; int b; };
static volatile int want;
static const char *arm;

__attribute__((noinline)) void callee(struct obj *o, int v) {
  whence_frame f;
  whence_caller(1, &f);
  if (f.line == want || f.line == 0)
    printf("%s: ok\n", arm);
  else
    printf("%s: WRONG: %s line %d, want %d (or 0)\n", arm, f.function, f.line, want);
  o->a += v;
}

__attribute__((noinline)) struct obj *fix(struct obj *o) {
  o->tag -= 10;
  return o;
}

__attribute__((noinline)) int dispatch(struct obj *o) {
retry:
  switch (o->tag) {
  case 1:
    want = __LINE__ + 1;
    callee(o, o->a);
    return 0;
  case 2:
    want = __LINE__ + 1;
    callee(o, o->b);
    return 0;
  case 3:
    return o->a + o->b;
  default:
    o = fix(o);
    goto retry;
  }
}

int main(int argc, char **argv) {
  (void)argv;
  struct obj o1 = {argc + 10, 5, 6}, o2 = {argc + 1, 7, 8};
  arm = "first arm";
  int r = dispatch(&o1);
  arm = "second arm";
  return r + dispatch(&o2);
}
