// Two calls the optimizer merges into one before the pass runs (SimplifyCFG
// sinks `f(x); return 0;` from two switch arms into their common successor;
// the merged call gets a line-0 location).  The shape of Lua 5.4's
// luaD_precall (ldo.c: the C-closure and light-C-function arms both call
// precallC), where scripts/realworld.sh --sample found it: 4548 of 55216
// sampled frames of `lua` built -O2 -g were reported at ldo.c:591, the
// `goto retry;` of the switch's default arm, a line without a call.  A
// frame of such a call may have line 0 (whence cannot know which arm ran)
// or the line of the arm that ran; never a line without that call.
//
// Was a bug: a line-0 call took the line of the nearest earlier
// instruction in IR block order (meant to match the row DWARF inherits in
// -gline-tables-only builds); here the default arm's `goto retry;`, laid
// out before the merged block.  Now a call at line 0 keeps line 0.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g2 && %run %t.g2 | FileCheck %s
// RUN: %clang -O1 -g %whence_cflags %s %whence_libs -o %t.g1 && %run %t.g1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.l2 && %run %t.l2 | FileCheck %s
// CHECK: closure arm: ok
// CHECK: light arm: ok
#include <stdio.h>
#include <whence.h>

typedef int (*cfn)(int);
struct closure { long pad[3]; cfn f; };
struct val { union { struct closure *cl; cfn f; } u; int tag; };

static volatile int want; /* the line of the call that runs */
static const char *arm;

__attribute__((noinline)) int callC(struct val *v, cfn f) {
  whence_frame fr;
  whence_caller(1, &fr);
  if (fr.line == want || fr.line == 0)
    printf("%s: ok\n", arm);
  else
    printf("%s: WRONG: %s line %d, want %d (or 0)\n", arm, fr.function, fr.line, want);
  return f(v->tag);
}

__attribute__((noinline)) struct val *fix(struct val *v) {
  v->tag -= 10;
  return v;
}

__attribute__((noinline)) int dispatch(struct val *v) {
retry:
  switch (v->tag) {
  case 1:
    want = __LINE__ + 1;
    callC(v, v->u.cl->f);
    return 0;
  case 2:
    want = __LINE__ + 1;
    callC(v, v->u.f);
    return 0;
  case 3:
    return 7;
  default:
    v = fix(v);
    goto retry;
  }
}

static int id(int x) { return x; }

int main(int argc, char **argv) {
  (void)argv;
  struct closure cl = {{0, 0, 0}, id};
  struct val a = {{.cl = &cl}, argc + 10}, b = {{.f = id}, argc + 1};
  arm = "closure arm";
  int r = dispatch(&a);
  arm = "light arm";
  return r + dispatch(&b);
}
