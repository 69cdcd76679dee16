// whence_exception_callers (api.md): inside a catch handler, the stack where
// the exception being handled was thrown, innermost first, starting at the
// function that threw, with exact lines; checked from the handler itself and
// from a function it calls, after `throw;`, std::rethrow_exception (also of
// an exception_ptr copy, caught far from where it was thrown), nested
// exceptions (std::throw_with_nested / std::rethrow_if_nested, and an
// exception thrown and caught inside a handler, after which the outer one is
// the one being handled again), std::make_exception_ptr, an exception
// libstdc++ throws itself (std::vector::at), and 0 outside any handler.
// The same with -g (caller-frame slots), without debug info (names, lines
// 0), and with the static libwhence.
//
// trace(tag) prints each logical frame as "<tag> fn=<name> line=<n>" and then
// "<tag> end"; lines are [[@LINE]] expressions times D (0 without debug
// info).
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cxx} = %clangxx -std=c++17 %whence_cflags -I%inputs %s
// RUN: %{cxx} -O2 -gline-tables-only %whence_libs -o %t.lt && %run %t.lt > %t.lt.out
// RUN: FileCheck %s -D#D=1 --check-prefixes=CHECK,DBG --implicit-check-not=BAD < %t.lt.out
// RUN: %{cxx} -O0 -g %whence_libs -o %t.g0 && %run %t.g0 > %t.g0.out
// RUN: FileCheck %s -D#D=1 --check-prefixes=CHECK,DBG --implicit-check-not=BAD < %t.g0.out
// RUN: %{cxx} -O2 -g %whence_libs -o %t.g2 && %run %t.g2 > %t.g2.out
// RUN: FileCheck %s -D#D=1 --check-prefixes=CHECK,DBG --implicit-check-not=BAD < %t.g2.out
// RUN: %{cxx} -O2 %whence_libs -o %t.nd 2>/dev/null && %run %t.nd > %t.nd.out
// RUN: FileCheck %s -D#D=0 --check-prefixes=CHECK --implicit-check-not=BAD < %t.nd.out
// RUN: %{cxx} -O2 -gline-tables-only -fno-pie -no-pie %whence_static -lpthread -ldl -o %t.st && %run %t.st > %t.st.out
// RUN: diff %t.lt.out %t.st.out
#include "whence_e2e.h"

#include <exception>
#include <stdexcept>
#include <vector>

static volatile int sink;

NOINLINE static void print_trace(const char *tag, const uintptr_t *pcs, int n) {
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("%s fn=%s line=%d\n", tag, f.function, f.line);
    printf("%s end\n", tag);
}

NOINLINE static void trace(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_exception_callers(pcs, 64);
    // Never more than asked for, and the first entries of a longer answer.
    uintptr_t two[3] = {0, 0, 0x5a5a};
    int k = whence_exception_callers(two, 2);
    if (k != (n < 2 ? n : 2) || (k > 0 && two[0] != pcs[0]) || (k > 1 && two[1] != pcs[1]) ||
        two[2] != 0x5a5a)
        printf("BAD %s max=2 gave %d\n", tag, k);
    if (whence_exception_callers(pcs, 0) != 0 || whence_exception_callers(nullptr, 8) != 0)
        printf("BAD %s max=0 or NULL\n", tag);
    print_trace(tag, pcs, n);
}

struct Oops : std::runtime_error {
    int code;
    explicit Oops(int c) : std::runtime_error("oops"), code(c) {}
};

NOINLINE static void thrower(int c) {
    if (c > 0)
        throw Oops(c);
    sink++;
}

NOINLINE static void mid(int c) {
    thrower(c);
    sink++;
}

// Outside any handler (main's first line): nothing.
// CHECK:      none end

// ---- 1: from the handler, and from a function the handler calls
NOINLINE static void helper() {
    trace("helper");
    sink++;
}

NOINLINE static void basic() {
    try {
        mid(1);
        sink++;
    } catch (const Oops &e) {
        trace("basic");
        helper();
    }
    sink++;
}
// CHECK:      basic fn=thrower line=[[#mul(@LINE-28,D)]]
// CHECK-NEXT: basic fn=mid line=[[#mul(@LINE-24,D)]]
// CHECK-NEXT: basic fn=basic line=[[#mul(@LINE-10,D)]]
// CHECK-NEXT: basic fn=main line=[[#mul(@LINE+163,D)]]
// CHECK-NEXT: basic end
// CHECK-NEXT: helper fn=thrower line=[[#mul(@LINE-33,D)]]
// CHECK-NEXT: helper fn=mid line=[[#mul(@LINE-29,D)]]
// CHECK-NEXT: helper fn=basic line=[[#mul(@LINE-15,D)]]
// CHECK-NEXT: helper fn=main line=[[#mul(@LINE+158,D)]]
// CHECK-NEXT: helper end

// ---- 2: `throw;` keeps the throw site
NOINLINE static void relay() {
    try {
        mid(2);
    } catch (...) {
        sink++;
        throw;
    }
}

NOINLINE static void rethrow() {
    try {
        relay();
    } catch (const Oops &e) {
        trace("rethrow");
    }
}
// CHECK:      rethrow fn=thrower line=[[#mul(@LINE-56,D)]]
// CHECK-NEXT: rethrow fn=mid line=[[#mul(@LINE-52,D)]]
// CHECK-NEXT: rethrow fn=relay line=[[#mul(@LINE-16,D)]]
// CHECK-NEXT: rethrow fn=rethrow line=[[#mul(@LINE-8,D)]]
// CHECK-NEXT: rethrow fn=main line=[[#mul(@LINE+135,D)]]
// CHECK-NEXT: rethrow end

// ---- 3: std::exception_ptr, copied, rethrown elsewhere
NOINLINE static std::exception_ptr capture() {
    try {
        mid(3);
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

NOINLINE static void replay(std::exception_ptr p) {
    std::exception_ptr copy = p;
    try {
        std::rethrow_exception(copy);
    } catch (const Oops &e) {
        trace("eptr");
        if (e.code != 3)
            printf("BAD eptr code %d\n", e.code);
    }
}
// CHECK:      eptr fn=thrower line=[[#mul(@LINE-83,D)]]
// CHECK-NEXT: eptr fn=mid line=[[#mul(@LINE-79,D)]]
// CHECK-NEXT: eptr fn=capture line=[[#mul(@LINE-19,D)]]
// CHECK-NEXT: eptr fn=main line=[[#mul(@LINE+110,D)]]
// CHECK-NEXT: eptr end

// ---- 4: nested: throw_with_nested wraps, rethrow_if_nested unwraps
NOINLINE static void wrap() {
    try {
        mid(4);
    } catch (...) {
        std::throw_with_nested(std::logic_error("outer"));
    }
}

NOINLINE static void nested() {
    try {
        wrap();
    } catch (const std::logic_error &e) {
        trace("outer");
        try {
            std::rethrow_if_nested(e);
        } catch (const Oops &inner) {
            trace("inner");
        }
        trace("outer-again");
    }
}
// The outer exception's stack starts in the library's throw_with_nested,
// inlined or not, called from wrap's handler.
// DBG:        outer fn=std::throw_with_nested<std::logic_error> line={{[0-9]+}}
// CHECK:      outer fn=wrap line=[[#mul(@LINE-20,D)]]
// CHECK-NEXT: outer fn=nested line=[[#mul(@LINE-15,D)]]
// CHECK-NEXT: outer fn=main line=[[#mul(@LINE+82,D)]]
// CHECK-NEXT: outer end
// CHECK-NEXT: inner fn=thrower line=[[#mul(@LINE-118,D)]]
// CHECK-NEXT: inner fn=mid line=[[#mul(@LINE-114,D)]]
// CHECK-NEXT: inner fn=wrap line=[[#mul(@LINE-28,D)]]
// CHECK-NEXT: inner fn=nested line=[[#mul(@LINE-21,D)]]
// CHECK-NEXT: inner fn=main line=[[#mul(@LINE+76,D)]]
// CHECK-NEXT: inner end
// DBG:        outer-again fn=std::throw_with_nested<std::logic_error> line={{[0-9]+}}
// CHECK:      outer-again fn=wrap line=[[#mul(@LINE-31,D)]]
// CHECK-NEXT: outer-again fn=nested line=[[#mul(@LINE-26,D)]]
// CHECK-NEXT: outer-again fn=main line=[[#mul(@LINE+71,D)]]
// CHECK-NEXT: outer-again end

// ---- 5: an exception thrown and caught inside a handler
NOINLINE static void inside() {
    try {
        mid(5);
    } catch (const Oops &) {
        try {
            thrower(6);
        } catch (const Oops &) {
            trace("inside-inner");
        }
        trace("inside-outer");
    }
}
// CHECK:      inside-inner fn=thrower line=[[#mul(@LINE-143,D)]]
// CHECK-NEXT: inside-inner fn=inside line=[[#mul(@LINE-8,D)]]
// CHECK-NEXT: inside-inner fn=main line=[[#mul(@LINE+54,D)]]
// CHECK-NEXT: inside-inner end
// CHECK-NEXT: inside-outer fn=thrower line=[[#mul(@LINE-147,D)]]
// CHECK-NEXT: inside-outer fn=mid line=[[#mul(@LINE-143,D)]]
// CHECK-NEXT: inside-outer fn=inside line=[[#mul(@LINE-16,D)]]
// CHECK-NEXT: inside-outer fn=main line=[[#mul(@LINE+49,D)]]
// CHECK-NEXT: inside-outer end

// ---- 6: make_exception_ptr: where the exception_ptr was made
NOINLINE static std::exception_ptr make() {
    return std::make_exception_ptr(Oops(7));
}

NOINLINE static void made() {
    std::exception_ptr p = make();
    try {
        std::rethrow_exception(p);
    } catch (const Oops &) {
        trace("made");
    }
}
// DBG:        made fn=std::make_exception_ptr<Oops> line={{[0-9]+}}
// CHECK:      made fn=make line=[[#mul(@LINE-12,D)]]
// CHECK-NEXT: made fn=made line=[[#mul(@LINE-9,D)]]
// CHECK-NEXT: made fn=main line=[[#mul(@LINE+31,D)]]
// CHECK-NEXT: made end

// ---- 7: thrown by libstdc++ (not instrumented): from its first
// instrumented caller
NOINLINE static int at(const std::vector<int> &v, size_t i) {
    return v.at(i);
}

NOINLINE static void library() {
    std::vector<int> v(3);
    try {
        sink += at(v, 10);
    } catch (const std::out_of_range &) {
        trace("library");
    }
}
// DBG:        library fn=std::vector<int>::at line={{[0-9]+}}
// CHECK:      library fn=at line=[[#mul(@LINE-12,D)]]
// CHECK-NEXT: library fn=library line=[[#mul(@LINE-7,D)]]
// CHECK-NEXT: library fn=main line=[[#mul(@LINE+12,D)]]
// CHECK-NEXT: library end

int main() {
    trace("none");
    basic();
    rethrow();
    std::exception_ptr p = capture();
    replay(p);
    nested();
    inside();
    made();
    library();
    trace("after");
    // CHECK:      after end
    printf("done\n");
    // CHECK-NEXT: done
    return 0;
}
