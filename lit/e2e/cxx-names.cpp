// C++ functions are named by their qualified, demangled name without the
// parameter list (api.md "Names"), computed at compile time: namespaces,
// class templates, constructors and destructors, operators, a virtual call,
// an anonymous namespace, lambdas (clang's "$_N" ones, a template's and a
// generic one, also inside template arguments), std::function's internals,
// an inlined member function; C functions keep their plain names.  The same
// names and lines with -gline-tables-only and -g at -O0 and -O2, without
// debug info (lines 0, no inlined frames), and after strip -s (no symbol
// table: nothing but whence's records names these frames).
//
// show(tag) prints each logical frame of whence_callers(1) as
// "<tag> fn=<name> line=<n> inl=<0|1>"; lines are [[@LINE]] expressions
// times D (1, or 0 where there is no debug info); the checks are at the
// end, in the order of the output.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cxx} = %clangxx -std=c++17 %whence_cflags -I%inputs %s %whence_libs
// RUN: %{cxx} -O0 -gline-tables-only -o %t.lt0 && %run %t.lt0 > %t.lt0.out
// RUN: FileCheck %s --check-prefixes=CHECK,DBG -D#D=1 --implicit-check-not=BAD < %t.lt0.out
// RUN: %{cxx} -O2 -gline-tables-only -o %t.lt2 && %run %t.lt2 > %t.lt2.out
// RUN: FileCheck %s --check-prefixes=CHECK,DBG -D#D=1 --implicit-check-not=BAD < %t.lt2.out
// RUN: %{cxx} -O0 -g -o %t.g0 && %run %t.g0 > %t.g0.out
// RUN: FileCheck %s --check-prefixes=CHECK,DBG -D#D=1 --implicit-check-not=BAD < %t.g0.out
// RUN: %{cxx} -O2 -g -o %t.g2 && %run %t.g2 > %t.g2.out
// RUN: FileCheck %s --check-prefixes=CHECK,DBG -D#D=1 --implicit-check-not=BAD < %t.g2.out
// RUN: %{cxx} -O2 -o %t.nd 2> %t.nd.err && %run %t.nd > %t.nd.out
// RUN: FileCheck %s --check-prefixes=CHECK,NODBG -D#D=0 --implicit-check-not=BAD < %t.nd.out
// Stripped of every symbol and all debug info: the same output.
// RUN: llvm-strip -s %t.lt2 -o %t.lt2.s && %run %t.lt2.s > %t.lt2.s.out
// RUN: llvm-readelf -S %t.lt2.s | FileCheck %s --check-prefix=STRIPPED
// RUN: diff %t.lt2.out %t.lt2.s.out
// RUN: llvm-strip -s %t.nd -o %t.nd.s && %run %t.nd.s > %t.nd.s.out && diff %t.nd.out %t.nd.s.out
// STRIPPED-NOT: .symtab
// STRIPPED-NOT: .debug_
#include "whence_e2e.h"

#include <functional>

static volatile int sink;

NOINLINE static void show(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_callers(1, pcs, 64);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        printf("%s fn=%s line=%d inl=%d\n", tag, f.function, f.line, (int)f.inlined);
        // whence_func_name agrees with the frame for a physical frame.
        if (!f.inlined && strcmp(whence_func_name(f.func), f.function) != 0)
            printf("BAD func_name %s\n", whence_func_name(f.func));
    }
    printf("%s end\n", tag);
}

namespace app {
namespace detail {
template <class T> struct Checker {
    T acc = 0;
    NOINLINE Checker() {
        show("ctor");
        sink++;
    }
    NOINLINE ~Checker() {
        show("dtor");
        sink++;
    }
    __attribute__((always_inline)) void twice(int x) {
        show("inl");
        sink += x;
    }
    NOINLINE void consume(int x) {
        acc += x;
        twice(x);
        sink++;
    }
    NOINLINE Checker &operator+=(int x) {
        consume(x);
        sink++;
        return *this;
    }
};
} // namespace detail

struct Base {
    virtual void start(int) = 0;
    virtual ~Base() {}
};
struct Runner : Base {
    NOINLINE void start(int x) override;
};
} // namespace app

namespace {
NOINLINE void anon(app::Base *b, int x) {
    b->start(x);
    sink++;
}
} // namespace

NOINLINE void app::Runner::start(int x) {
    detail::Checker<long> c;
    c += x;
    sink++;
}

template <class T> NOINLINE T tmpl(T v) {
    auto h = [](T y) NOINLINE {
        show("tmpl");
        sink++;
        return y + 1;
    };
    T r = h(v);
    sink++;
    return r;
}

NOINLINE inline int gen(int v) {
    auto g = [](auto y) NOINLINE {
        show("generic");
        sink++;
        return y;
    };
    int r = g(v);
    sink++;
    return r;
}

extern "C" NOINLINE void plain_c(int x) {
    show("plain");
    sink += x;
}

int main() {
    std::function<void(int)> fn = [](int x) NOINLINE {
        app::Runner r;
        anon(&r, x);
        sink++;
    };
    fn(3);
    sink += tmpl(1);
    sink += gen(2);
    plain_c(3);
    sink++;
    return 0;
}

// The constructor's caller is start's first line.  std::function's own
// frames are in the library's headers (their names and some line); at -O2
// the optimizer sees through fn and inlines them into main (inlined frames
// where there is debug info, nothing without).
// CHECK: ctor fn=app::detail::Checker<long>::Checker line=[[#mul(@LINE-91,D)]] inl=0
// CHECK-NEXT: ctor fn=app::Runner::start line=[[#mul(@LINE-51,D)]] inl=0
// CHECK-NEXT: ctor fn=(anonymous namespace)::anon line=[[#mul(@LINE-58,D)]] inl=0
// CHECK-NEXT: ctor fn=main::{lambda(int)}::operator() line=[[#mul(@LINE-18,D)]] inl=0
// DBG: ctor fn=std::_Function_handler<void (int), main::{lambda(int)}>::_M_invoke line={{[1-9][0-9]*}} inl={{[01]}}
// DBG: ctor fn=std::function<void (int)>::operator() line={{[1-9][0-9]*}} inl={{[01]}}
// CHECK: ctor fn=main line=[[#mul(@LINE-18,D)]] inl=0
// CHECK-NEXT: ctor end

// An always-inline member function: an inlined frame where there is debug
// info, nothing without.
// DBG: inl fn=app::detail::Checker<long>::twice line=[[#mul(@LINE-94,D)]] inl=1
// DBG-NEXT: inl fn=app::detail::Checker<long>::consume line=[[#mul(@LINE-90,D)]] inl=0
// NODBG: inl fn=app::detail::Checker<long>::consume line=0 inl=0
// CHECK-NEXT: inl fn=app::detail::Checker<long>::operator+= line=[[#mul(@LINE-88,D)]] inl=0
// CHECK-NEXT: inl fn=app::Runner::start line=[[#mul(@LINE-64,D)]] inl=0
// CHECK-NEXT: inl fn=(anonymous namespace)::anon line=[[#mul(@LINE-72,D)]] inl=0
// CHECK-NEXT: inl fn=main::{lambda(int)}::operator() line=[[#mul(@LINE-32,D)]] inl=0

// The destructor runs at the closing brace.
// CHECK: dtor fn=app::detail::Checker<long>::~Checker line=[[#mul(@LINE-107,D)]] inl=0
// CHECK-NEXT: dtor fn=app::Runner::start line=[[#mul(@LINE-68,D)]] inl=0

// CHECK: tmpl fn=tmpl<int>::{lambda(int)#1}::operator() line=[[#mul(@LINE-66,D)]] inl=0
// CHECK-NEXT: tmpl fn=tmpl<int> line=[[#mul(@LINE-63,D)]] inl=0
// CHECK-NEXT: tmpl fn=main line=[[#mul(@LINE-36,D)]] inl=0

// CHECK: generic fn=gen::{lambda(auto)#1}::operator()<int> line=[[#mul(@LINE-59,D)]] inl=0
// CHECK-NEXT: generic fn=gen line=[[#mul(@LINE-56,D)]] inl=0
// CHECK-NEXT: generic fn=main line=[[#mul(@LINE-39,D)]] inl=0

// CHECK: plain fn=plain_c line=[[#mul(@LINE-53,D)]] inl=0
// CHECK-NEXT: plain fn=main line=[[#mul(@LINE-41,D)]] inl=0
