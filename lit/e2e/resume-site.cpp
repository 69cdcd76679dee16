// The call of _Unwind_Resume that code generation makes of each resume
// instruction (DwarfEHPrepare, after the pass, with no position of its own)
// is named with the resume's position: the end of the cleanup that
// unwinding then leaves.  Before the label the pass now puts before each
// resume, it took the label of the call before it, often another cleanup's
// on another path: at -O0 whence said line 7 of a function whose
// _Unwind_Resume DWARF puts at line 5 (ShapeB below), and 236 such calls in
// six C++ libraries were WRONG.  At -O0 the line table gives the call the
// resume's row: every call there, _Unwind_Resume included, must be exact
// (no "dwarf 0"), but for ShapeB's: its one resume serves both landing pads
// and carries the first cleanup's position (line 34, the temporary's), not
// the closing brace, so whence says line 0 there (resume-shared.cpp).  At -O2 the table goes on with the instruction before (an
// inlined destructor's line): scan-calls.py counts those calls as "dwarf
// 0", and no call may be WRONG.
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -I%whence_incdir %S/../../scripts/scan-calls.c %whence_libs -o %t.scan
// RUN: %clangxx -O0 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t0.so
// RUN: python3 %S/../../scripts/scan-calls.py -v --no-program %t.scan %t0.so | FileCheck %s --check-prefix=O0 --implicit-check-not="dwarf 0" --implicit-check-not=unknown
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t2.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t2.so | FileCheck %s
// RUN: %clangxx -O3 -gline-tables-only -fPIC -shared %whence_cflags %s -o %t3.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t3.so | FileCheck %s
// RUN: %clangxx -Os -gline-tables-only -fPIC -shared %whence_cflags %s -o %ts.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %ts.so | FileCheck %s
// O0: unknown {{.*}}(in _Z7shape_bv) calling _Unwind_Resume{{.*}}: whence {{.*}}resume-site.cpp:0 (shape_b), dwarf {{.*}}resume-site.cpp:{{[1-9][0-9]*}}
// O0: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown 1, dwarf 0 0, WRONG 0,
// CHECK: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown {{[0-9]+}}, dwarf 0 {{[0-9]+}}, WRONG 0,

struct T { T(); ~T(); };
struct A { A(const T &); ~A(); };
struct B { int *p; ~B() { --*p; } };
void g();
void h(int);

// ShapeB: two landing pads (the temporary T and the A), one resume.
void shape_b() {
    A a = A(T());
    g();
}

// A destructor inlined into the cleanup before the resume.
void inlined_dtor(int *p) {
    B b{p};
    g();
}

// Nested scopes: two cleanups, calls between them.
void nested(int *p) {
    B b{p};
    {
        A a{T()};
        g();
    }
    ++*p;
    h(*p);
}

// A catch that rethrows, and a cleanup around it.
void rethrow(int *p) {
    B b{p};
    try {
        g();
    } catch (int) {
        h(1);
        throw;
    }
    h(2);
}

// Definitions (another translation unit's in a program; here, so that the
// library loads): no cleanups of their own.
T::T() {}
T::~T() {}
A::A(const T &) {}
A::~A() {}
void g() {}
void h(int) {}
