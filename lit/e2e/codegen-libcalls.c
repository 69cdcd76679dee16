// More operations that code generation makes calls of, after the pass
// (passes/libcalls.c): each now has a label, so its call is exact.  Before,
// each call read the label of the call before it (WRONG in the scan):
//   FMAXL   fmaxl/fminl of long double (x87 has no instruction for them)
//   F16C    half converted from double or long double and to long double
//           (__truncdfhf2, __truncxfhf2, __extendhfxf2: F16C converts only
//           from and to float), half fmax/fmin (promoted to fmaxf/fminf)
//   VRED    reductions of half vectors (__extendhfsf2, fmaxf, __truncsfhf2)
//   NOFPU   float and double without x87 and SSE (-mgeneral-regs-only:
//           __muldf3, __divdf3, __adddf3)
//   TRAP    __builtin_trap with -ftrap-function=F (a call of F)
//   FIXED   long _Accum division (a 128-bit division: __divti3)
//   XRAY    XRay's custom and typed event sleds (__xray_CustomEvent ...)
//   EMUTLS  -femulated-tls: every thread-local access a call of
//           __emutls_get_address, which the IR does not show: the runtime
//           knows the call by its target and says line 0 (unknown), as for
//           the stack protector's (-z now: the scan runs no code, and a
//           lazy PLT slot names no target yet)
// REQUIRES: x86_64-linux
// DEFINE: %{so} = %clang -gline-tables-only -fPIC -shared %whence_cflags %s
// DEFINE: %{scan} = python3 %S/../../scripts/scan-calls.py --no-program %t.scan
// RUN: %clang -O1 -I%whence_incdir %S/../../scripts/scan-calls.c %whence_libs -o %t.scan
// RUN: %{so} -O0 -DFMAXL -lm -o %t.fmaxl0.so && %{scan} %t.fmaxl0.so | FileCheck %s
// RUN: %{so} -O2 -DFMAXL -lm -o %t.fmaxl2.so && %{scan} %t.fmaxl2.so | FileCheck %s
// RUN: %{so} -O0 -mf16c -DF16C -lm -o %t.f16c0.so && %{scan} %t.f16c0.so | FileCheck %s
// RUN: %{so} -O2 -march=x86-64-v3 -DF16C -lm -o %t.f16c2.so && %{scan} %t.f16c2.so | FileCheck %s
// RUN: %{so} -O0 -DVRED -lm -o %t.vred0.so && %{scan} %t.vred0.so | FileCheck %s
// RUN: %{so} -O2 -DVRED -lm -o %t.vred2.so && %{scan} %t.vred2.so | FileCheck %s
// RUN: %{so} -O0 -mgeneral-regs-only -DNOFPU -rtlib=compiler-rt -o %t.nofpu0.so && %{scan} %t.nofpu0.so | FileCheck %s
// RUN: %{so} -O2 -mgeneral-regs-only -DNOFPU -rtlib=compiler-rt -o %t.nofpu2.so && %{scan} %t.nofpu2.so | FileCheck %s
// RUN: %{so} -O0 -ftrap-function=mytrap -DTRAP -o %t.trap0.so && %{scan} %t.trap0.so | FileCheck %s
// RUN: %{so} -O2 -ftrap-function=mytrap -DTRAP -o %t.trap2.so && %{scan} %t.trap2.so | FileCheck %s
// RUN: %{so} -O0 -ffixed-point -DFIXED -o %t.fixed0.so && %{scan} %t.fixed0.so | FileCheck %s
// RUN: %{so} -O2 -ffixed-point -DFIXED -o %t.fixed2.so && %{scan} %t.fixed2.so | FileCheck %s
// XRay's runtime links into executables only: the program itself is scanned.
// RUN: %clang -O2 -gline-tables-only -fxray-instrument %whence_cflags -DXRAY %s %S/../../scripts/scan-calls.c %whence_libs -o %t.xray
// RUN: python3 %S/../../scripts/scan-calls.py %t.xray | FileCheck %s --check-prefix=XRAY
// RUN: %clang -O0 -gline-tables-only -femulated-tls -Wl,-z,now %whence_cflags -DEMUTLS %s %S/../../scripts/scan-calls.c %whence_libs -o %t.emu0
// RUN: python3 %S/../../scripts/scan-calls.py %t.emu0 | FileCheck %s --check-prefix=XRAY
// RUN: %clang -O2 -gline-tables-only -femulated-tls -Wl,-z,now %whence_cflags -DEMUTLS %s %S/../../scripts/scan-calls.c %whence_libs -o %t.emu2
// RUN: python3 %S/../../scripts/scan-calls.py %t.emu2 | FileCheck %s --check-prefix=XRAY
// CHECK: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown {{[0-9]+}}, dwarf 0 {{[0-9]+}}, WRONG 0,
// XRAY: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown {{[0-9]+}}, dwarf 0 {{[0-9]+}}, WRONG 0,

__attribute__((noinline)) void ext(int x) { __asm__ volatile("" ::"r"(x)); }

#ifdef FMAXL
#include <math.h>
long double f_maxl(long double a, long double b) {
    ext(1);
    long double r = fmaxl(a, b);
    ext(2);
    return r + fminl(a, b);
}
#endif

#ifdef F16C
_Float16 f_trunc(double d, long double l) {
    ext(1);
    _Float16 r = (_Float16)d;
    ext(2);
    return r + (_Float16)l;
}
long double f_ext(_Float16 h) {
    ext(3);
    long double l = h;
    ext(4);
    return l;
}
_Float16 f_hmax(_Float16 a, _Float16 b) {
    ext(5);
    _Float16 r = __builtin_fmaxf16(a, b);
    ext(6);
    return r + __builtin_fminf16(a, b);
}
#endif

#ifdef VRED
typedef _Float16 h4 __attribute__((ext_vector_type(4)));
_Float16 f_vred(h4 v) {
    ext(1);
    _Float16 m = __builtin_reduce_max(v);
    ext(2);
    return m + __builtin_reduce_min(v);
}
#endif

#ifdef NOFPU
double f_soft(double a, double b) {
    ext(1);
    double r = a * b;
    ext(2);
    return r + a / b;
}
#endif

#ifdef TRAP
void mytrap(void) { __builtin_abort(); }
int f_trap(int n) {
    ext(1);
    if (n > 1000)
        __builtin_trap();
    ext(2);
    return n;
}
#endif

#ifdef FIXED
long f_fixed(long _Accum a, long _Accum b) {
    ext(1);
    long _Accum r = a / b;
    ext(2);
    return (long)r;
}
#endif

#ifdef XRAY
__attribute__((xray_always_instrument)) int f_xray(int n) {
    ext(1);
    __xray_customevent(&n, sizeof n);
    ext(2);
    __xray_typedevent(7, &n, sizeof n);
    ext(3);
    return n;
}
#endif

#ifdef EMUTLS
__thread int t_emu = 1;
int f_emu(int n) {
    ext(1);
    t_emu += n;
    ext(2);
    return t_emu;
}
#endif
