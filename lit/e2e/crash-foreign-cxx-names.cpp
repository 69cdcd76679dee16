// C++ frames outside instrumented code (a library built without the
// plugin, libstdc++) are named by their symbols, which are mangled: the
// report printed _ZN5plain6WalkerIiE5visitIPFiiEEEiRKSt6vectorIiSaIiEET_(...).
// The runtime's demangler (runtime/cxx/demangle.c) now gives the qualified
// name as llvm-cxxfilt spells it, without the return type and parameters,
// as instrumented frames read: templates, an anonymous namespace, an
// operator, a conversion operator to std::string (which LLVM 19's
// demangler fails on; read as the plugin reads it), a lambda (clang's $_0,
// inside the full name of its function, as llvm-cxxfilt prints a local
// entity), a constructor, in the stack and in the "fault in" line;
// std::terminate when an exception escapes.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -std=c++17 -O1 -g0 -fno-inline -fPIC -shared -DFOREIGN %s -o %t/libplain.so
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only %whence_cflags %s %whence_libs -L%t -Wl,-rpath,%t -lplain -o %t/main
// RUN: not --crash %run %t/main callback 2>&1 | FileCheck %s --check-prefix=CB
// RUN: not --crash %run %t/main inside 2>&1 | FileCheck %s --check-prefix=IN
// RUN: not --crash %run %t/main throw 2>&1 | FileCheck %s --check-prefix=TERM
#include <stdexcept>
#include <string>
#include <string.h>
#include <vector>

#define NOINLINE __attribute__((noinline))

namespace plain {
using callback = int (*)(int);
int run(const std::vector<int> &v, callback cb, bool inside);
} // namespace plain

#ifdef FOREIGN
namespace plain {
static int *volatile null_p;

template <class T> struct Walker {
    template <class F> NOINLINE static int visit(const std::vector<T> &v, F f) {
        int s = 0;
        for (const T &x : v)
            s += f(x);
        return s;
    }
    NOINLINE static int deref(int x) { return *null_p + x; }
};

struct Apply {
    bool inside;
    NOINLINE explicit Apply(bool in) : inside(in) {}
    NOINLINE int operator()(const std::vector<int> &v, callback cb) const;
};

namespace {
NOINLINE int step(const std::vector<int> &v, callback cb, bool inside) {
    auto twice = [&](int k) NOINLINE { return Walker<int>::visit(v, cb) * k; };
    return inside ? Walker<int>::deref(v[0]) : twice(2);
}
} // namespace

int Apply::operator()(const std::vector<int> &v, callback cb) const {
    return step(v, cb, inside) + 1;
}

struct Runner {
    int r;
    NOINLINE Runner(const std::vector<int> &v, callback cb, bool inside)
        : r(Apply(inside)(v, cb) + 1) {}
};

// (a conversion operator to std::string: LLVM 19's demangler fails on it)
struct Result {
    const std::vector<int> &v;
    callback cb;
    bool inside;
    NOINLINE operator std::string() const { return std::to_string(Runner(v, cb, inside).r); }
};

int run(const std::vector<int> &v, callback cb, bool inside) {
    return std::stoi(std::string(Result{v, cb, inside})) + 1;
}
} // namespace plain
#else
#include <whence.h>

static int *volatile null_q;

NOINLINE static int fault_in_callback(int x) { return *null_q + x; }

int main(int argc, char **argv) {
    whence_install_crash_handler();
    const char *m = argc > 1 ? argv[1] : "callback";
    std::vector<int> v{1, 2, 3};
    if (!strcmp(m, "throw"))
        throw std::runtime_error("escaped");
    return plain::run(v, fault_in_callback, !strcmp(m, "inside"));
}
#endif
// CB:      fault in fault_in_callback at
// CB:      stack:
// CB-NEXT: fault_in_callback(...)
// CB-NEXT: crash-foreign-cxx-names.cpp:
// CB-NEXT: plain::Walker<int>::visit<int (*)(int)>(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::(anonymous namespace)::step(std::vector<int, std::allocator<int>> const&, int (*)(int), bool)::$_0::operator()(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::(anonymous namespace)::step(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::Apply::operator()(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::Runner::Runner(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::Result::operator std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: plain::run(...) (not instrumented)
// CB-NEXT: libplain.so +0x
// CB-NEXT: main(...)
//
// IN:      fault in plain::Walker<int>::deref (not instrumented) at {{.*}}libplain.so +0x
// IN:      stack:
// IN-NEXT: plain::Walker<int>::deref(...) (not instrumented)
//
// TERM:      fatal signal 6 (SIGABRT)
// TERM:      stack:
// TERM:      std::terminate(...) (not instrumented)
// TERM-NEXT: libstdc++.so.6 +0x
// TERM-NEXT: __cxa_throw(...) (not instrumented)
// TERM-NEXT: libstdc++.so.6 +0x
// TERM-NEXT: main(...)
