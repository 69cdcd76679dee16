// A fault in an extern function inlined into another without a call left
// in its body: the function has an out-of-line copy of its own (named
// subprog), and the pass gave it no mark of being inlined anywhere, so
// the runtime read its line as the caller's own: "fault in outer at
// line 32", a line of helper (helper-135, helper-136: Lua's luaS_hash in
// luaS_newlstr, CPython's _PyCode_CheckLineNumber in PyCode_Addr2Line).
// Both orders: the function defined after its caller and before it.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: not --crash %run %t before 2>&1 | FileCheck %s --check-prefix=BEFORE
// AFTER: fault in outer (inlined code at {{.*}}crash-inlined-extern.c:32)
// BEFORE: fault in outer2 (inlined code at {{.*}}crash-inlined-extern.c:18)
#include <string.h>
#include <whence.h>

int before(volatile int *p) {
    return p[0] * 5; /* BEFORE */
}

int helper(volatile int *p);

__attribute__((noinline)) int outer(volatile int *p) {
    return helper(p) + 1;
}

__attribute__((noinline)) int outer2(volatile int *p) {
    return before(p) + 1;
}

int helper(volatile int *p) {
    return p[0] * 3; /* AFTER */
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    volatile int *p = NULL;
    if (argc > 1 && !strcmp(argv[1], "before"))
        return outer2(p);
    return outer(p) + helper(p);
}
