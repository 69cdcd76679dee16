// A crash in code patched at run time (a hot-patcher rewriting the NOPs
// that -fpatchable-function-entry left at a function's entry; XRay's sleds
// and a debugger's breakpoints alike): the image is still the file's
// build (the build ids agree), and the fault's line is exact.  Was a bug:
// the bytes around the pc differed from the file's, and the report said
// "line unknown; the file on disk is not the loaded image".  Without a
// build id nothing else tells the file is this build: no line then.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// RUN: not --crash %run %t patch 2>&1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -Wl,--build-id=none %whence_cflags %s %whence_libs -o %t.noid
// RUN: not --crash %run %t.noid 2>&1 | FileCheck %s
// RUN: not --crash %run %t.noid patch 2>&1 | FileCheck %s --check-prefix=NOID
// CHECK: fault in crash at {{.*}}crash-patched-code.c:[[# @LINE + 11]]
// NOID: fault in crash at {{.*}}crash-patched-code.c (line unknown; the file on disk is not the loaded image)
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <whence.h>

static volatile int *volatile nowhere;

__attribute__((noinline, patchable_function_entry(5, 0))) int crash(int v) {
  *nowhere = v;
  return v + 1;
}

int main(int argc, char **argv) {
  whence_install_crash_handler();
  if (argc > 1) { /* five 1-byte NOPs become one 5-byte NOP */
    uintptr_t p = (uintptr_t)crash, page = p & ~(uintptr_t)4095;
    mprotect((void *)page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC);
    memcpy((void *)p, "\x0f\x1f\x44\x00\x00", 5);
    mprotect((void *)page, 8192, PROT_READ | PROT_EXEC);
  }
  printf("%d\n", crash(argc));
  return 0;
}
