// whence.hpp, the C++ wrapper (header-only over whence.h): a stacktrace
// value captured with stacktrace::current() (frame 0 is its caller, at the
// line of the call, with -gline-tables-only, -g, at -O0 and -O2: current()
// never shows as a frame of its own), skip, iteration over logical frames
// (inlined ones marked), copies, operator<< and to_string() (the same text,
// whence_write_stack's layout without offsets), exception_stacktrace() in a
// handler, an empty trace, a small capacity, from_entries, a stack deeper
// than the trace (truncated(), and the text says so).  Built as C++11
// and C++20 with -Wall -Wextra -pedantic -Werror: the header is clean.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cxx} = %clangxx -Wall -Wextra -pedantic -Werror %whence_cflags -I%inputs %s %whence_libs
// RUN: %{cxx} -std=c++11 -O2 -gline-tables-only -o %t.lt && %run %t.lt > %t.lt.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.lt.out
// RUN: %{cxx} -std=c++20 -O0 -g -o %t.g0 && %run %t.g0 > %t.g0.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.g0.out
// RUN: %{cxx} -std=c++17 -O2 -g -o %t.g2 && %run %t.g2 > %t.g2.out
// RUN: FileCheck %s --implicit-check-not=BAD < %t.g2.out
#include <whence.hpp>

#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;

// Frames as "<tag> <function> <basename>:<line> inl=<0|1>".
static void dump(const char *tag, const whence::stacktrace &st) {
    for (const whence::frame &f : st) {
        const char *b = strrchr(f.file(), '/');
        std::cout << tag << ' ' << f.function() << ' ' << (b ? b + 1 : f.file()) << ':' << f.line()
                  << " inl=" << f.inlined() << '\n';
    }
    std::cout << tag << " end\n";
}

// A stack deeper than the trace holds.
NOINLINE static whence::stacktrace deep(int n) {
    if (n == 0)
        return whence::stacktrace::current();
    whence::stacktrace st = deep(n - 1);
    sink = n;
    return st;
}

NOINLINE static void deep_throw(int n) {
    if (n == 0)
        throw std::logic_error("deep");
    deep_throw(n - 1);
    sink = n;
}

namespace shapes {
struct Circle {
    NOINLINE whence::stacktrace area(int skip) const {
        whence::stacktrace st = whence::stacktrace::current(skip);
        sink = 1;
        return st;
    }
};
} // namespace shapes

__attribute__((always_inline)) static inline whence::stacktrace inlined_helper() {
    return shapes::Circle().area(0);
}

NOINLINE static whence::stacktrace outer() {
    whence::stacktrace st = inlined_helper();
    sink = 1;
    return st;
}

NOINLINE static void thrower() {
    throw std::logic_error("x");
}

int main() {
    whence::stacktrace st = outer();
    dump("cur", st);
    // CHECK:      cur shapes::Circle::area cxx-hpp.cpp:[[@LINE-24]] inl=0
    // CHECK-NEXT: cur inlined_helper cxx-hpp.cpp:[[@LINE-17]] inl=1
    // CHECK-NEXT: cur outer cxx-hpp.cpp:[[@LINE-14]] inl=0
    // CHECK-NEXT: cur main cxx-hpp.cpp:[[@LINE-5]] inl=0
    // CHECK-NEXT: cur end
    if (st.size() != 3 || st.empty())
        std::cout << "BAD size " << st.size() << '\n';

    // skip 1: from the caller of area.
    whence::stacktrace sk = shapes::Circle().area(1);
    dump("skip", sk);
    // CHECK:      skip main cxx-hpp.cpp:[[@LINE-2]] inl=0
    // CHECK-NEXT: skip end

    // A copy is the same trace; printing = to_string = the frames' text.
    whence::stacktrace copy = st;
    std::ostringstream os;
    os << copy;
    std::string text = copy.to_string(), frames;
    for (const whence::frame &f : st)
        frames += f.to_string();
    if (os.str() != text || text != frames)
        std::cout << "BAD text\n";
    std::cout << text;
    // CHECK:      shapes::Circle::area(...)
    // CHECK-NEXT: {{^}}	{{.*}}cxx-hpp.cpp:[[@LINE-49]]{{$}}
    // CHECK-NEXT: inlined_helper(...) (inlined)
    // CHECK-NEXT: {{^}}	{{.*}}cxx-hpp.cpp:[[@LINE-43]]{{$}}
    // CHECK-NEXT: outer(...)
    // CHECK-NEXT: {{^}}	{{.*}}cxx-hpp.cpp:[[@LINE-41]]{{$}}
    // CHECK-NEXT: main(...)

    // The iterator by hand: ++, ->, postfix, comparison with end().
    int n = 0;
    for (whence::stacktrace::iterator it = st.begin(); it != st.end(); it++, n++)
        if (!it->known() || !it->function() || it->line() <= 0)
            std::cout << "BAD frame " << n << '\n';
    std::cout << "logical " << n << '\n';
    // CHECK: logical 4

    // Where an exception was thrown, from its handler; nothing outside one.
    try {
        thrower();
    } catch (const std::exception &e) {
        dump("exc", whence::exception_stacktrace());
    }
    // CHECK:      exc thrower cxx-hpp.cpp:[[@LINE-52]] inl=0
    // CHECK-NEXT: exc main cxx-hpp.cpp:[[@LINE-5]] inl=0
    // CHECK-NEXT: exc end
    whence::stacktrace none = whence::exception_stacktrace();
    std::cout << "outside empty=" << none.empty() << " text=[" << none << "]\n";
    // CHECK: outside empty=1 text=[]

    // A small capacity keeps the innermost frames; from_entries copies.
    whence::basic_stacktrace<2> two = whence::basic_stacktrace<2>::current();
    whence::stacktrace again = whence::stacktrace::from_entries(st.entries(), st.size());
    std::cout << "two " << two.size() << " again " << (again.to_string() == text) << '\n';
    // CHECK: two 1 again 1
    std::cout << "truncated " << st.truncated() << two.truncated() << again.truncated() << '\n';
    // CHECK: truncated 000

    // Deeper than 64 frames: the innermost 64, and the text says so.
    whence::stacktrace d = deep(80);
    std::string dt = d.to_string();
    std::cout << "deep " << d.size() << ' ' << d.truncated() << '\n'
              << dt.substr(dt.rfind('\n', dt.size() - 2) + 1);
    // CHECK:      deep 64 1
    // CHECK-NEXT: ...more frames than the trace holds (64)...
    whence::stacktrace d2 = whence::stacktrace::from_entries(st.entries(), 65);
    std::cout << "from_entries " << d2.size() << ' ' << d2.truncated() << '\n';
    // CHECK: from_entries 64 1
    try {
        deep_throw(80);
    } catch (const std::exception &e) {
        whence::stacktrace et = whence::exception_stacktrace();
        whence::basic_stacktrace<128> et2 = whence::basic_stacktrace<128>::from_current_exception();
        std::cout << "deep exc " << et.size() << ' ' << et.truncated() << ' ' << et2.size() << ' '
                  << et2.truncated() << '\n';
    }
    // CHECK: deep exc 64 1 82 0
    // An exception's trace keeps its innermost 128 frames; a larger trace
    // says so in its text (whence_callers_end).
    try {
        deep_throw(150);
    } catch (const std::exception &e) {
        whence::basic_stacktrace<200> et = whence::basic_stacktrace<200>::from_current_exception();
        std::string t = et.to_string();
        std::cout << "kept " << et.size() << ' ' << et.truncated() << ' '
                  << t.substr(t.rfind('\n', t.size() - 2) + 1);
    }
    // CHECK: kept 128 0 (more frames: only the innermost 128 were kept)
    std::cout << "notes " << (d.end_note() == nullptr) << (st.end_note() == nullptr) << '\n';
    // CHECK: notes 11
    whence::frame unknown;
    std::cout << "unknown " << unknown.function() << ' ' << unknown.known() << '\n';
    // CHECK: unknown ? 0
    // (a frame without a line says so, as whence_write_stack does)
    std::cout << unknown;
    // CHECK-NEXT: ?(...)
    // CHECK-NEXT: {{^}}	? (line unknown){{$}}

    // The top frame through a temporary iterator: a frame of its own (it
    // was a reference into the iterator, read after it was gone: "?" at
    // -O2, a stack-use-after-scope under AddressSanitizer).
    const whence::frame &top = *st.begin();
    std::cout << "top " << top.function() << ' ' << (top.line() == st.begin()->line()) << '\n';
    // CHECK: top shapes::Circle::area 1
    whence::stacktrace::iterator i1 = st.begin(), i2 = i1;
    ++i2;
    std::cout << "eq " << (i1 == i1) << (i1 == st.begin()) << (i1 == i2) << (i1 == st.end())
              << '\n';
    // CHECK: eq 1100
    return 0;
}
