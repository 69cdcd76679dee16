// libstdc++ ahead of libwhence in the symbol lookup order (-lstdc++ before
// -lwhence on the link line; `patchelf --add-needed libstdc++.so.6`, which
// puts it first in DT_NEEDED): the program's throws bind libstdc++'s
// __cxa_allocate_exception, libwhence's interposer (cxx/exceptions.c) never
// runs and no exception has a stack.  whence_callers_end() named three
// causes, none of them this one ("thrown through a C++ runtime other than
// libstdc++ (libc++abi), before libwhence was loaded, or while more than
// 4,096 exceptions were alive").  Now whence_exception_callers asks whether
// the definition bound is its own (its GOT's against a local alias:
// async-signal-safe) and says what happened and how to link, in
// whence_callers_end and once on stderr (as thread_altstack.c says of
// libwhence.so after the C library).  Linked in order, nothing changes.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t/ok
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -I%inputs %s -lstdc++ %whence_libs -o %t/order
// RUN: llvm-readelf -d %t/ok | FileCheck %s --check-prefix=NEEDED-OK
// RUN: llvm-readelf -d %t/order | FileCheck %s --check-prefix=NEEDED-ORDER
// RUN: %run %t/ok 2> %t/ok.err | FileCheck %s --check-prefix=OK
// RUN: count 0 < %t/ok.err
// RUN: %run %t/order 2> %t/order.err | FileCheck %s --check-prefix=ORDER
// RUN: FileCheck %s --check-prefix=WARN --implicit-check-not=whence: < %t/order.err
// A static program: libwhence.a's definition is weak, and libstdc++.a's
// eh_alloc.o, linked for std::rethrow_exception's
// __cxa_free_dependent_exception, brings the strong one (as mold takes it
// for any static C++ program: docs/LINKING.md).  The lookup order is not
// the cause there (the definition bound is in the program's own image),
// and the words say what is.
// RUN: %clangxx -O2 -gline-tables-only -static %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t/static 2>/dev/null
// RUN: %run %t/static 2> %t/static.err | FileCheck %s --check-prefix=STATIC
// RUN: FileCheck %s --check-prefix=SWARN --implicit-check-not=whence: < %t/static.err
// NEEDED-OK: libwhence.so
// NEEDED-OK: libstdc++.so.6
// NEEDED-ORDER: libstdc++.so.6
// NEEDED-ORDER: libwhence.so
// OK: first: 2 frames, thrower line [[#@LINE+36]]
// OK-NEXT: second: 2 frames, thrower line [[#@LINE+35]]
// OK-NEXT: rethrown: 2 frames, thrower line [[#@LINE+34]]
// OK-NEXT: outside a catch: 0 frames, end (none)
// ORDER: first: 0 frames, end (no stack: whence did not see this exception thrown: the program's throws call the C++ runtime's __cxa_allocate_exception, not libwhence's, which comes after the C++ runtime in the symbol lookup order (-lwhence linked after -lstdc++, libstdc++.so.6 first in DT_NEEDED, or libwhence loaded with dlopen): link the program with -lwhence before -lstdc++, or preload libwhence.so)
// ORDER-NEXT: second: 0 frames, end (no stack: whence did not see this exception thrown: the program's throws call the C++ runtime's __cxa_allocate_exception, not libwhence's, {{.*}})
// ORDER-NEXT: rethrown: 0 frames, end (no stack: whence did not see this exception thrown: the program's throws call the C++ runtime's __cxa_allocate_exception, not libwhence's, {{.*}})
// ORDER-NEXT: outside a catch: 0 frames, end (none)
// WARN: whence: libwhence comes after the C++ runtime in the symbol lookup order (-lwhence linked after -lstdc++, libstdc++.so.6 first in DT_NEEDED, or libwhence loaded with dlopen): the program's throws call the C++ runtime's __cxa_allocate_exception, not libwhence's, so whence sees no exception thrown and whence_exception_callers finds no stack; link the program with -lwhence before -lstdc++ and the libraries that need it, or preload it (LD_PRELOAD=libwhence.so)
// STATIC: first: 0 frames, end (no stack: whence did not see this exception thrown: the link took another, strong __cxa_allocate_exception over libwhence.a's weak one (a static C++ runtime's own allocator, such as libstdc++.a's eh_alloc.o, which std::exception_ptr's code pulls in))
// STATIC-NEXT: second: 0 frames, end (no stack: whence did not see this exception thrown: the link took another, strong {{.*}})
// STATIC-NEXT: rethrown: 0 frames, end (no stack: whence did not see this exception thrown: the link took another, strong {{.*}})
// STATIC-NEXT: outside a catch: 0 frames, end (none)
// SWARN: whence: the link took another, strong __cxa_allocate_exception over libwhence.a's weak one (a static C++ runtime's own allocator, such as libstdc++.a's eh_alloc.o, which std::exception_ptr's code pulls in), so whence sees no exception thrown and whence_exception_callers finds no stack
#include "whence_e2e.h"

#include <exception>
#include <stdexcept>

static void show(const char *what) {
    uintptr_t pcs[16];
    int n = whence_exception_callers(pcs, 16);
    if (n > 0) {
        whence_frames it;
        whence_frame f;
        whence_frames_init(&it, pcs, n);
        int line = whence_frames_next(&it, &f) ? f.line : -1;
        printf("%s: %d frames, thrower line %d\n", what, n, line);
    } else {
        const char *e = whence_callers_end();
        printf("%s: 0 frames, end %s\n", what, e ? e : "(none)");
    }
}

NOINLINE static void thrower(int x) {
    if (x >= 0)
        throw std::runtime_error("boom");
}

int main() {
    try {
        thrower(1);
    } catch (const std::exception &) {
        show("first");
    }
    try {
        thrower(2);
    } catch (const std::exception &) {
        show("second");
    }
    std::exception_ptr p;
    try {
        thrower(3);
    } catch (...) {
        p = std::current_exception();
    }
    try {
        std::rethrow_exception(p);
    } catch (const std::exception &) {
        show("rethrown");
    }
    show("outside a catch");
    return 0;
}
