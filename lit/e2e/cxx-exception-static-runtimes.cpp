// C++ runtimes linked statically, beside libwhence (helper-80):
// - the vendor library (VENDOR_LIB): one (not instrumented) with its own static libstdc++,
//   exported, and -Bsymbolic-functions: its throws and frees bind its own
//   allocator, never libwhence's.  libwhence named the layout by the
//   library that its first __cxa_get_globals came from, took libS for an
//   unknown runtime and kept its traces in a table by address; libS freed
//   the program's exception without passing there, malloc gave its chunk to
//   the vendor's next exception, whose bytes still held the old trace: the
//   vendor's exception "was thrown at" a_thrower (2 sizes of 25).  Now the
//   trace is named by the object's header only, and only where the
//   allocator forwarded to is known to lay it out as libstdc++ does.
// - a copy (COPY_LIB): a library with its own copy of libwhence.a and
//   -Bsymbolic-functions: its throws go through its copy; the program's
//   copy, having seen no throw, did not ask libstdc++ for the exception
//   being handled, and the first one had no stack.
// - a static runtime (STATIC): a program linked with -static-libstdc++ and
//   libwhence.so whose std::exception_ptr pulls in libstdc++.a's eh_alloc.o:
//   its throws call its own allocator; the note blamed libc++abi.  (Without
//   eh_alloc.o in the link its throws bind libwhence's, and have stacks.)
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -g -fPIC -shared -static-libstdc++ -DVENDOR_LIB %s -Wl,-Bsymbolic-functions -o %t/libvendor.so
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -DVENDOR %s %whence_libs -L%t -l:libvendor.so -Wl,-rpath,%t -o %t/vendor
// RUN: %run %t/vendor | FileCheck %s --check-prefix=VENDOR
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared %whence_cflags -DCOPY_LIB %s %whence_static -Wl,-Bsymbolic-functions -o %t/libcopy.so
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -DCOPY %s %whence_libs -L%t -l:libcopy.so -Wl,-rpath,%t -o %t/copy
// RUN: %run %t/copy | FileCheck %s --check-prefix=COPY
// RUN: %clangxx -O2 -gline-tables-only -static-libstdc++ %whence_cflags -DSTATIC %s %whence_libs -o %t/static
// RUN: %run %t/static 2> %t/static.err | FileCheck %s --check-prefix=STATIC
// RUN: FileCheck %s --check-prefix=STATIC-ERR < %t/static.err
// VENDOR: a_thrower, exact line
// VENDOR: vendor sizes 25, with a stack 0
// COPY: round 0: lib_thrower, exact line
// COPY: round 1: lib_thrower, exact line
// STATIC: caught, 0 frames: (no stack: whence did not see this exception thrown: the program's throws call a __cxa_allocate_exception linked into the program itself (a static C++ runtime: -static-libstdc++), not libwhence's: link the C++ runtime dynamically)
// STATIC-ERR: whence: the program's throws call a __cxa_allocate_exception linked into the program itself
#include <cstdio>
#include <cstring>
#ifndef VENDOR_LIB
#include <whence.hpp>
/* The innermost frame: "name, exact line" when it is at line. */
static void innermost(const char *what, const whence::stacktrace &st, int line) {
    for (const whence::frame &f : st) {
        printf("%s%s, %s line\n", what, f.function(),
               f.line() == line && strstr(f.file(), "cxx-exception-static-runtimes.cpp") ? "exact"
                                                                                          : "WRONG");
        return;
    }
    printf("%s no stack\n", what);
}
#endif

#if defined(VENDOR_LIB)
template <int N> struct VendorErr {
    int code;
    char msg[N];
    VendorErr(int c) : code(c) { snprintf(msg, sizeof msg, "v"); }
};
template <int N> __attribute__((noinline)) void thr(int k) { throw VendorErr<N>(k); }
#define C(N)                                                                                       \
    case N:                                                                                        \
        thr<N>(k);                                                                                 \
        break;
extern "C" __attribute__((noinline)) void s_throw(int n, int k) {
    switch (n) { C(256) C(264) C(272) C(280) C(288) C(296) C(304) C(312) C(320) C(328) C(336) C(344) C(352) C(360) C(368) C(376) C(384) C(392) C(400) C(408) C(416) C(424) C(432) C(440) C(448) }
}
#elif defined(VENDOR)
extern "C" void s_throw(int n, int k);
struct AErr {
    int code;
    char msg[256];
    AErr(int c) : code(c) { snprintf(msg, sizeof msg, "a"); }
};
static const int a_line = __LINE__ + 1;
__attribute__((noinline)) void a_thrower(int k) { if (k) throw AErr(k); }
int main() {
    int sizes = 0, with = 0;
    for (int n = 256; n <= 448; n += 8, sizes++) {
        try {
            a_thrower(1);
        } catch (const AErr &) {
            if (n == 256)
                innermost("", whence::exception_stacktrace(), a_line);
        }
        try {
            s_throw(n, 1);
        } catch (...) {
            with += !whence::exception_stacktrace().empty();
        }
    }
    printf("vendor sizes %d, with a stack %d\n", sizes, with);
}
#elif defined(COPY_LIB)
#include <stdexcept>
extern "C" const int lib_line = __LINE__ + 3;
extern "C" __attribute__((noinline)) void lib_thrower(int k) {
    if (k)
        throw std::runtime_error("lib");
}
#elif defined(COPY)
#include <stdexcept>
extern "C" void lib_thrower(int k);
extern "C" const int lib_line;
int main() {
    for (int i = 0; i < 2; i++) {
        try {
            lib_thrower(1);
        } catch (const std::exception &) {
            char what[16];
            snprintf(what, sizeof what, "round %d: ", i);
            innermost(what, whence::exception_stacktrace(), lib_line);
        }
    }
}
#elif defined(STATIC)
#include <stdexcept>
__attribute__((noinline)) void thrower(int k) {
    if (k)
        throw std::runtime_error("x");
}
int main(int argc, char **) {
    std::exception_ptr p = std::make_exception_ptr(std::logic_error("made"));
    try {
        if (argc > 5)
            std::rethrow_exception(p);
        thrower(1);
    } catch (const std::exception &) {
        whence::stacktrace st = whence::exception_stacktrace();
        printf("caught, %zu frames: %s\n", st.size(), st.end_note() ? st.end_note() : "(none)");
    }
}
#endif
