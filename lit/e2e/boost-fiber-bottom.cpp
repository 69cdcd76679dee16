// A Boost.Context fiber's stack starts with the address of make_fcontext's
// `finish` (which calls _exit) pushed by hand as its first frame's return
// address, in assembly without unwind tables (Boost 1.74, Debian 12): every
// stack taken in a fiber (whence_callers, whence_write_stack, crash
// reports) ended said to be cut by code without unwind tables, "build it
// with -fasynchronous-unwind-tables" (helper-127).  It is the fiber's
// bottom, as __start_context is a makecontext context's: the stack is
// complete, and a crash report names that frame make_fcontext, as gdb
// does.
// REQUIRES: x86_64-linux, boost-context
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -lboost_context -o %t
// RUN: %run %t 2>&1 | FileCheck %s
// RUN: not --crash %run %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// CHECK: in fiber: leaf leaf body {{.*}}fiber_entry{{.*}} end=complete
// CHECK-NOT: the stack ends here
// CHECK: between: runner main end=complete
// CRASH: fault in body
// CRASH: fiber_entry
// CRASH-NEXT: fiber_fcontext.hpp
// CRASH-NEXT: make_fcontext(...) (not instrumented)
// CRASH-NOT: the stack ends here
#include <boost/context/fiber.hpp>
#include <cstdio>
#include <cstring>
#include <whence.h>
namespace ctx = boost::context;
static volatile int sink;
static bool crash;
__attribute__((noinline)) static void show(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_callers(1, pcs, 64);
    const char *end = whence_callers_end();
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("%s:", tag);
    while (whence_frames_next(&it, &f))
        if (!f.inlined)
            printf(" %s", f.function);
    printf(" end=%s\n", end ? end : "complete");
    whence_write_stack(1, 1);
    fflush(stdout);
}
__attribute__((noinline)) void leaf(int d) {
    if (d) {
        leaf(d - 1);
        sink++;
        return;
    }
    show("in fiber");
    sink++;
}
__attribute__((noinline)) ctx::fiber body(ctx::fiber &&c) {
    leaf(1);
    c = std::move(c).resume();
    if (crash)
        *(volatile int *)(uintptr_t)sink = 1;
    return std::move(c);
}
__attribute__((noinline)) void runner() {
    ctx::fiber f{body};
    f = std::move(f).resume();
    show("between");
    f = std::move(f).resume();
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    crash = argc > 1 && !strcmp(argv[1], "crash");
    runner();
    sink++;
    return 0;
}
