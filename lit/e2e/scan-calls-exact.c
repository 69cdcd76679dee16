// scripts/scan-calls.py on a shared library full of calls that code
// generation adds after a labelled call: __tls_get_addr (x86-64) or a TLS
// descriptor call (AArch64) of general- and local-dynamic variables, fp128
// and half library calls, aggregate copies (memcpy).  Every call
// instruction's return address is asked of whence and compared with
// llvm-symbolizer on the same binary; one WRONG line fails the test
// (before passes/tls.c, 16 of the TLS calls here were WRONG at -O0 and 9 at
// -O2; with labels but without the block boundary, one in sched_c).  An
// access that LICM hoisted out of its loop has line 0: unknown, allowed.
// REQUIRES: x86_64-linux || aarch64-linux
// REQUIRES: lld
// RUN: %clang -O1 -I%whence_incdir %S/../../scripts/scan-calls.c %whence_libs -o %t.scan
// RUN: %clang -O0 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t0.so -lm
// RUN: python3 %S/../../scripts/scan-calls.py --run "%run" --no-program %t.scan %t0.so | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t2.so -lm
// RUN: python3 %S/../../scripts/scan-calls.py --run "%run" --no-program %t.scan %t2.so | FileCheck %s
// RUN: %clang -O3 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t3.so -lm
// RUN: python3 %S/../../scripts/scan-calls.py --run "%run" --no-program %t.scan %t3.so | FileCheck %s
// ThinLTO, the plugin at the compile only: the pre-link instrumentation
// (fences included) is what the library keeps.
// RUN: %clang -O2 -gline-tables-only -flto=thin -fPIC %whence_cflags -c %s -o %tl.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld -fPIC -shared %tl.o -o %tl.so -lm
// RUN: python3 %S/../../scripts/scan-calls.py --run "%run" --no-program %t.scan %tl.so | FileCheck %s
// CHECK: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]+}}, unknown {{[0-9]+}}, dwarf 0 {{[0-9]+}}, WRONG 0,
// A library the program cannot load fails the scan (it would answer "not
// ours" for every call):
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DSCAN_UNDEFINED %whence_cflags %s -o %tu.so -lm
// RUN: not python3 %S/../../scripts/scan-calls.py --run "%run" --no-program %t.scan %tu.so 2>&1 | FileCheck %s --check-prefix=UNLOADED
// UNLOADED: could not load a module:
// UNLOADED: undefined symbol: scan_calls_missing
#include <math.h>
#include <string.h>

#if defined(__x86_64__)
typedef __float128 quad;
#else
typedef long double quad; /* fp128 on AArch64 */
#endif

__attribute__((noinline)) long g(long x) { __asm__ volatile("" : "+r"(x)); return x; }
__thread long tv;
__thread long tw[8];
static __thread long stv;
static __thread long sta[4];

long tls_gd(void) {
  g(1);
  tv += 1;
  return tv;
}

long tls_ld(void) {
  g(2);
  stv += 2;
  return stv;
}

long tls_keep(long x) {
  long *p = &tv;
  g(x);
  long *q = &tw[1];
  g(x + 1);
  return *p + *q;
}

long tls_loop(long n) {
  long s = 0;
  for (long i = 0; i < n; i++) {
    g(i);
    s += tw[i & 3] + sta[i & 3];
  }
  return s;
}

long sched_a(long *p, long n) {
  long a = p[0], b = p[1], c = 0;
  c += g(tw[1] + a);
  c += g(tw[2] + a);
  for (long i = 0; i < n; i++) { c += g(i) + tw[2]; }
  a += g(b + 4);
  a += g(b + 5);
  b ^= tw[4];
  for (long i = 0; i < n; i++) { c += g(i) + tw[5]; }
  b ^= tw[6];
  a += g(b + 10);
  return a + b + c;
}

long sched_b(long *p, long n) {
  long a = p[0], b = p[1], c = 0;
  for (long i = 0; i < n; i++) { c += g(i) + tw[1]; }
  b ^= tw[3];
  for (long i = 0; i < n; i++) { c += g(i) + stv; }
  b ^= tv;
  a += g(b + 4);
  for (long i = 0; i < n; i++) { c += g(i) + stv; }
  return a + b + c;
}

long sched_c(long *p, long n) {
  long a = p[0], b = p[1], c = 0;
  for (long i = 0; i < n; i++) { c += g(i) + tw[0]; }
  a += g(b + 1);
  tw[1] = a * 3 + b;
  b ^= tw[2];
  sta[2] = a * 3 + b;
  for (long i = 0; i < n; i++) { c += g(i) + tw[5]; }
  b ^= sta[2];
  p[0] = a + b + c;
  a += g(b + 9);
  a += g(b + 10);
  return a + b + c;
}

long soft_q(long *p, quad *q, long n) {
  long a = p[0], b = p[1], c = 0;
  a += g(b);
  c += g((long)(quad)(a + 0) + a);
  a += g(b + 2);
  b ^= (long)(q[3] + (quad)p[2]);
  for (long i = 0; i < n; i++) { c += g(i) + (long)(q[2] * q[0]); }
  b ^= (long)(q[2] * q[0]);
  p[3] = a + b + c;
  c += g(a) + (q[1] < q[2]);
  return a + b + c;
}

long soft_h(long *p, _Float16 *h) {
  g(1);
  long a = *p;
  *p = (long)(h[0] * h[1]) | a;
  g(2);
  return (long)(float)h[2] + *p;
}

struct big { long w[64]; };
__attribute__((noinline)) long take(struct big b) { return b.w[3]; }
__attribute__((noinline)) struct big make(long x) {
  struct big b;
  memset(&b, (int)x, sizeof b);
  return b;
}
struct big gb;

long agg(struct big *d, struct big *s) {
  g(1);
  *d = *s;
  g(2);
  gb = make(3);
  return take(*s) + d->w[1];
}

#ifdef SCAN_UNDEFINED
int scan_calls_missing(void);
int scan_undefined(void) { return scan_calls_missing(); }
#endif
