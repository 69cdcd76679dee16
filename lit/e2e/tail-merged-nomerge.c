// Calls that code generation keeps as they are (direct, indirect, returning
// a value, noreturn) are kept in their arm by `nomerge`, no separator after
// them (instrument.c, wp_sites_apart).  In each function below the IR keeps
// two calls (the arms differ before them), and without the pass's care
// branch folding merges them into one call after one label, at every
// optimization level here (noreturn: -Os and -Oz); the other arm's frames
// then read the last arm's line.  DWARF puts the merged call in one arm's
// row, so only __LINE__ sees it.  (The separator stays after calls that
// code generation makes: tail-merged-kinds.c.)
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %whence_libs -o %t.1 && %run %t.1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.2 && %run %t.2 | FileCheck %s
// RUN: %clang -O3 -gline-tables-only %whence_cflags %s %whence_libs -o %t.3 && %run %t.3 | FileCheck %s
// RUN: %clang -Os -gline-tables-only %whence_cflags %s %whence_libs -o %t.s && %run %t.s | FileCheck %s
// RUN: %clang -Oz -gline-tables-only %whence_cflags %s %whence_libs -o %t.z && %run %t.z | FileCheck %s
// And no separator is left in those functions: only nomerge keeps them apart.
// RUN: %clang -O2 -gline-tables-only %whence_cflags -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// CHECK: guard 1: ok
// CHECK-NEXT: guard 2: ok
// CHECK-NEXT: arms 1: ok
// CHECK-NEXT: arms 2: ok
// CHECK-NEXT: rets 1: ok
// CHECK-NEXT: rets 2: ok
// CHECK-NEXT: ind 1: ok
// CHECK-NEXT: ind 2: ok
// CHECK-NOT: WRONG
// IR-LABEL: define {{.*}} @guard(
// IR-NOT: asm "", "~{memory}"
// IR: call void @die({{.*}}) #[[NM:[0-9]+]]
// IR-NOT: asm "", "~{memory}"
// IR: call void @die({{.*}}) #[[NM]]
// IR-NOT: asm "", "~{memory}"
// IR-LABEL: define {{.*}} @main(
// IR: attributes #[[NM]] = { {{.*}}nomerge
#include <setjmp.h>
#include <stdio.h>
#include <whence.h>

static volatile int want;
static const char *shape;
static int arm;
static jmp_buf env;

__attribute__((noinline)) static void check(void) {
  whence_frame f;
  whence_caller(2, &f);
  if (f.line == want || f.line == 0)
    printf("%s %d: ok\n", shape, arm);
  else
    printf("%s %d: WRONG: %s line %d, want %d (or 0)\n", shape, arm, f.function, f.line, want);
}

__attribute__((noinline)) int report(int v) {
  check();
  return v;
}

__attribute__((noreturn, noinline)) void die(int v) {
  check();
  longjmp(env, v);
}

/* `abort(); }` twice: noreturn calls, nothing after them */
__attribute__((noinline)) int guard(int k, int v) {
  if (k == 1) {
    want = __LINE__ + 1;
    die(v);
  }
  if (k == 2) {
    want = __LINE__ + 1;
    die(v);
  }
  return v + 1;
}

/* two switch arms: the same call, the same return */
__attribute__((noinline)) int arms(int k, int v) {
  switch (k) {
  case 1:
    want = __LINE__ + 1;
    report(v);
    return 0;
  case 2:
    want = __LINE__ + 1;
    report(v);
    return 0;
  case 3:
    return v * 3;
  }
  return v;
}

/* the call's value returned */
__attribute__((noinline)) int rets(int k, int v) {
  switch (k) {
  case 1:
    want = __LINE__ + 1;
    return report(v);
  case 2:
    want = __LINE__ + 1;
    return report(v);
  case 3:
    return v * 3;
  }
  return v;
}

/* indirect calls */
__attribute__((noinline)) int ind(int k, int v, int (*fp)(int)) {
  switch (k) {
  case 1:
    want = __LINE__ + 1;
    fp(v);
    return 0;
  case 2:
    want = __LINE__ + 1;
    fp(v);
    return 0;
  case 3:
    return v * 3;
  }
  return v;
}

static int (*volatile fpv)(int) = report;

int main(void) {
  for (arm = 1; arm <= 2; arm++) {
    shape = "guard";
    if (!setjmp(env))
      guard(arm, 1);
  }
  for (arm = 1; arm <= 2; arm++) {
    shape = "arms";
    arms(arm, 1);
  }
  for (arm = 1; arm <= 2; arm++) {
    shape = "rets";
    rets(arm, 1);
  }
  for (arm = 1; arm <= 2; arm++) {
    shape = "ind";
    ind(arm, 1, fpv);
  }
  return 0;
}
