// A -g frame whose slot the runtime does not find must have line 0
// (SLOTS.md: "never a line that might be another call's"), through every
// API: whence_caller, and whence_callers expanded by whence_frames_next.
// A call the pass cannot see (one in inline asm here; in real code a call
// code generation makes from an intrinsic, lit e2e/lowered-libcalls.c, or a
// `tail` call the backend keeps although likely_jump said "jump") leaves
// its function without a slot, so the frame's slot is not found.
//
// Was a bug: both reported viaasm's first line (the line of its name), the
// first-line fallback of issue #9.  capture.c's ra_frame sets the loc to
// WH_LOC_UNKNOWN and emits the raw return address, but wh_resolve
// (lookup.h) runs wh_pcinfo_sites on every return address it resolves, and
// in a module without site records that gave WH_NO_LOC, which
// wh_fill_frame turned into the subprogram's line.  Now a return address
// with no label before it resolves to WH_LOC_UNKNOWN (line 0).
// -mno-red-zone and force_align_arg_pointer: viaasm looks like a leaf to
// the compiler, and the asm's call must neither push over its locals nor
// leave target_fn on a misaligned stack.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -g -mno-red-zone %whence_cflags %s %whence_libs -o %t.2 && %t.2 | FileCheck %s
// RUN: %clang -O0 -g -mno-red-zone %whence_cflags %s %whence_libs -o %t.0 && %t.0 | FileCheck %s
// CHECK: whence_caller: ok
// CHECK: whence_callers+whence_frames_next: ok
#include <stdio.h>
#include <whence.h>

static int call_line; /* the asm call's line, set by viaasm */

static void judge(const char *api, const whence_frame *f) {
  if (f->line == 0 || f->line == call_line)
    printf("%s: ok\n", api);
  else
    printf("%s: WRONG: %s line %d, want 0 or %d\n", api, f->function, f->line, call_line);
}

__attribute__((noinline, used, force_align_arg_pointer)) int target_fn(void) {
  whence_frame f;
  whence_caller(1, &f);
  judge("whence_caller", &f);
  uintptr_t pcs[8];
  int n = whence_callers(1, pcs, 8);
  whence_frames it;
  whence_frames_init(&it, pcs, n);
  if (whence_frames_next(&it, &f))
    judge("whence_callers+whence_frames_next", &f);
  return 41;
}

__attribute__((noinline)) int viaasm(int x) {
  int r;
  call_line = __LINE__ + 1;
  __asm__ volatile("call target_fn" : "=a"(r) : : "rdi", "rsi", "rdx", "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
  return r + x;
}

int main(int argc, char **argv) {
  (void)argv;
  return viaasm(argc) != 42;
}
