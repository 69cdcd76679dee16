// A thread-local variable of a shared library (-fPIC, general- or
// local-dynamic model) is reached through a call of __tls_get_addr that
// code generation adds.  Its frame must be named with the access's own
// line, not with the line of the call before it: the pass gives the access
// a site label or slot store of its own, ordered before the call by a
// block boundary and after it by an asm (passes/tls.c).  The program
// interposes __tls_get_addr to ask who called it.
// REQUIRES: x86_64-linux
// RUN: %clang -DLIB -O0 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t0.so
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %t0.so %whence_libs -o %t0 && %t0 | FileCheck %s
// RUN: %clang -DLIB -O2 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t2.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t2.so %whence_libs -o %t2 && %t2 | FileCheck %s
// RUN: %clang -DLIB -O2 -g -fPIC -shared %whence_cflags %s -o %t2g.so
// RUN: %clang -O2 -g %whence_cflags %s %t2g.so %whence_libs -o %t2g && %t2g | FileCheck %s
// RUN: %clang -DLIB -O0 -g -fPIC -shared %whence_cflags %s -o %t0g.so
// RUN: %clang -O0 -g %whence_cflags %s %t0g.so %whence_libs -o %t0g && %t0g | FileCheck %s
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <whence.h>

long gd(void);
long ld(void);
long keep(void);

#ifdef LIB
__attribute__((noinline)) void g(void) { __asm__ volatile(""); }
__thread long tv = 1;
static __thread long stv = 2;

long gd(void) {
  g();
  tv += 1; // CHECK: __tls_get_addr called from gd [[# @LINE]]
  return tv;
}

long ld(void) {
  g();
  stv += 2; // CHECK: __tls_get_addr called from ld [[# @LINE]]
  return stv;
}

long keep(void) {
  g();
  long *p = &tv; // CHECK: __tls_get_addr called from keep [[# @LINE]]
  g();
  *p += 3;
  g();
  return *p;
}
#else
static void *(*real)(void *);
static int inside;

void *__tls_get_addr(void *ti) {
  if (!real)
    real = (void *(*)(void *))dlsym(RTLD_NEXT, "__tls_get_addr");
  if (!inside) {
    inside = 1;
    whence_frame f;
    if (whence_caller(1, &f))
      printf("__tls_get_addr called from %s %d\n", f.function, f.line);
    inside = 0;
  }
  return real(ti);
}

int main(void) {
  long r = gd();
  r += ld();
  r += keep();
  printf("%ld\n", r); // CHECK-NEXT: 11
  return 0;
}
#endif
