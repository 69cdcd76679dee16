// A library with a C++ runtime of its own (-static-libstdc++ with
// -Bsymbolic-functions, as manylinux wheels and vendor plugins are built)
// catches its exceptions in that runtime; libwhence asked the runtime it
// binds to (libstdc++.so's) which exception was being handled.  Called
// inside a host's catch, the library was given the host's exception's
// stack (host_thrower, for its mod_thrower); outside, no stack and no
// note (helper-85).  whence.hpp now asks the caller's own runtime
// (std::current_exception) and passes the object to
// whence_exception_callers_in its runtime's exception globals.  An
// exception_ptr's stack is asked by its object (whence_exception_callers_of)
// after its catch ended.  (The library keeps from std::exception_ptr: its
// code pulls libstdc++.a's allocator into the link, whose exceptions have
// no stack, said as such: cxx-exception-static-runtimes.cpp.)
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared -DMOD %whence_cflags %s %whence_static -ldl -lpthread -static-libstdc++ -Wl,-Bsymbolic-functions -o %t/mod.so
// RUN: %clangxx -O2 -gline-tables-only -fPIC -shared -DMOD %whence_cflags %s %whence_static -ldl -lpthread -static-libstdc++ -Wl,--exclude-libs,ALL -o %t/mod-ex.so
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -ldl -o %t/host
// RUN: %run %t/host %t/mod.so | FileCheck %s
// RUN: %run %t/host %t/mod-ex.so | FileCheck %s
// CHECK: outside: thrown at mod_thrower:[[#THROW:]]
// CHECK-NEXT: host's catch: thrown at host_thrower:[[#HOST:]]
// CHECK-NEXT: inside: thrown at mod_thrower:[[#THROW]]
// CHECK-NEXT: host's catch again: thrown at host_thrower:[[#HOST]]
// CHECK-NEXT: held: thrown at host_thrower:[[#HOST]]
// CHECK-NEXT: empty: no stack (none)
#include <whence.hpp>

#include <cstdio>
#include <exception>
#include <stdexcept>

#define NI __attribute__((noinline))

static void say(const char *who, const whence::stacktrace &st) {
    for (const whence::frame &f : st) {
        std::printf("%s: thrown at %s:%d\n", who, f.function(), f.line());
        return;
    }
    std::printf("%s: no stack (%s)\n", who, st.end_note() ? st.end_note() : "none");
}

#ifdef MOD
NI void mod_thrower() {
    throw std::logic_error("module exception");
}
extern "C" NI void mod_run(const char *who) {
    try {
        mod_thrower();
    } catch (std::logic_error &) {
        say(who, whence::exception_stacktrace());
    }
}
#else
#include <dlfcn.h>
NI void host_thrower() {
    throw std::runtime_error("host exception");
}
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        std::fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    auto mod = reinterpret_cast<void (*)(const char *)>(dlsym(h, "mod_run"));
    mod("outside");
    std::exception_ptr held;
    try {
        host_thrower();
    } catch (std::exception &) {
        say("host's catch", whence::exception_stacktrace());
        mod("inside");
        say("host's catch again", whence::exception_stacktrace());
        held = std::current_exception();
    }
    say("held", whence::exception_stacktrace(held));
    say("empty", whence::exception_stacktrace(std::exception_ptr()));
}
#endif
