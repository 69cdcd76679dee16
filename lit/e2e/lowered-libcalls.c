// Calls that code generation makes out of IR that is not a call: llvm.floor
// without SSE4.1 becomes `call floor`, an __int128 division `call __divti3`.
// A signal landing in such a callee (libm, libgcc: uninstrumented) makes the
// caller a frame whose return address is one of these calls; its line must
// be that call's line.  Here the callees are stand-ins that ask whence who
// called them (the file built again with -DHOOK, without the plugin).
//
// Was a bug: the pass gave site labels (sites mode) and slot stores (slots
// mode) only to IR calls and to the memory intrinsics that may become libc
// calls, so the caller reported the line of its previous call.  Now what
// may become a library call is a call (passes/libcalls.c): math
// intrinsics (llvm.floor without SSE4.1, llvm.pow), frem (fmod), i128
// division (__divti3) and conversion (__floattidf).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -DHOOK -I%whence_incdir -c %s -o %t.hook.o
// RUN: %clang -O0 -g -fno-math-errno %whence_cflags -c %s -o %t.0.o && %clang %t.0.o %t.hook.o %whence_libs -lm -o %t.0 && %t.0 | FileCheck %s
// RUN: %clang -O2 -g -fno-math-errno %whence_cflags -c %s -o %t.2.o && %clang %t.2.o %t.hook.o %whence_libs -lm -o %t.2 && %t.2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-math-errno %whence_cflags -c %s -o %t.l.o && %clang %t.l.o %t.hook.o %whence_libs -lm -o %t.l && %t.l | FileCheck %s
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

__attribute__((noinline)) double k(double x) {
  int a = g((int)x);
  return fmod(x * a, 1.5) + a;  // CHECK: fmod called from k at lowered-libcalls.c:[[@LINE]]
}

__attribute__((noinline)) double p(double x) {
  int a = g((int)x);
  return pow(x, a) + a;  // CHECK: pow called from p at lowered-libcalls.c:[[@LINE]]
}

__attribute__((noinline)) double q(__int128 n) {
  int a = g((int)n);
  return (double)(n * a) + a;  // CHECK: __floattidf called from q at lowered-libcalls.c:[[@LINE]]
}

int main(void) {
  printf("%g %ld\n", f(din), h(lin));
  printf("%g %g %g\n", k(din), p(din), q(lin));
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
double fmod(double x, double y) {
  who("fmod");
  return x - y * (double)(long)(x / y);
}
double pow(double x, double y) {
  who("pow");
  double r = 1;
  for (int i = 0; i < (int)y; i++)
    r *= x;
  return r;
}
double __floattidf(__int128 n) {
  who("__floattidf");
  return (double)(long)n;
}
__int128 __divti3(__int128 a, __int128 b) {
  who("__divti3");
  long q = (long)a / (long)b;
  return q;
}
#endif
