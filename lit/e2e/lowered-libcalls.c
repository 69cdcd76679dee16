// Calls that code generation makes out of IR that is not a call: llvm.floor
// without SSE4.1 becomes `call floor`, an __int128 division `call __divti3`.
// A signal landing in such a callee (libm, libgcc: uninstrumented) makes the
// caller a frame whose return address is one of these calls; its line must
// be that call's line.  Here the callees are stand-ins that ask whence who
// called them (the file built again with -DHOOK, without the plugin).
//
// XFAIL: *
// whence bug: the pass gives site labels (sites mode) and slot stores
// (slots mode) only to IR calls and to the memory intrinsics that may become
// libc calls (passes/instrument.c, intrinsic_may_call).  An llvm.floor, an
// i128 sdiv, llvm.pow with -fno-math-errno, frem (fmod) and the like get
// neither, so the caller reports the line of its previous call: with -g the
// slot still names that call; with -gline-tables-only the greatest label
// below the return address is that call's.  Every build below prints the
// line of g's call above each of them.  Fix: treat every intrinsic that may be
// lowered to a library call as a call (or every intrinsic but a short list
// known never to be: dbg.*, lifetime.*, assume, expect, ...), and the
// instructions that may become libcalls (sdiv/udiv/srem/urem on i128, frem,
// fptosi/sitofp on i128).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -DHOOK -I%whence_incdir -c %s -o %t.hook.o
// RUN: %clang -O0 -g %whence_cflags -c %s -o %t.0.o && %clang %t.0.o %t.hook.o %whence_libs -lm -o %t.0 && %t.0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -c %s -o %t.2.o && %clang %t.2.o %t.hook.o %whence_libs -lm -o %t.2 && %t.2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %s -o %t.l.o && %clang %t.l.o %t.hook.o %whence_libs -lm -o %t.l && %t.l | FileCheck %s
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#ifndef HOOK
__attribute__((noinline)) int g(int x) { return x + 1; }
static volatile double din = 2.5;
static volatile long lin = 7;

__attribute__((noinline)) double f(double x) {
  int a = g((int)x);
  return floor(x * a) + a;  // CHECK: floor called from f at lowered-libcalls.c:[[@LINE]]
}

__attribute__((noinline)) long h(__int128 n) {
  int a = g((int)n);
  return (long)(n / (n - a)) + a;  // CHECK: __divti3 called from h at lowered-libcalls.c:[[@LINE]]
}

int main(void) {
  printf("%g %ld\n", f(din), h(lin));
  return 0;
}
#else
/* Stand-ins for libm's floor and libgcc's __divti3: not instrumented. */
static void who(const char *name) {
  whence_frame fr;
  const char *file = "?";
  if (whence_caller(0, &fr)) {
    file = strrchr(fr.file, '/') ? strrchr(fr.file, '/') + 1 : fr.file;
    printf("%s called from %s at %s:%d\n", name, fr.function, file, fr.line);
  } else {
    printf("%s: no instrumented caller\n", name);
  }
}
double floor(double x) {
  who("floor");
  return (double)(long)x;
}
__int128 __divti3(__int128 a, __int128 b) {
  who("__divti3");
  long q = (long)a / (long)b;
  return q;
}
#endif
