// clang's "$_N" lambdas read "Q::{lambda(PARAMS)}" from their call
// operator "Q::$_N::operator()" (passes/names.c).  Two bugs:
// - at -O2 the call operator was inlined away before the pass ran, and
//   every name kept "f::$_0" (less than it could be): the operators are
//   now noted before inlining (whence_note_names);
// - under LTO, two files' static functions of one name ("f" here, f(int)
//   in one file, f(double) in the other) have lambdas of the same key:
//   ThinLTO imported A's lambda into B, which read it with B's
//   parameters, "f::{lambda(double)}" for the lambda(int) (a wrong name);
//   full LTO did the same.  A reading is now kept with its compile unit
//   and applies to that unit's names only.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clangxx -O2 -I%whence_incdir -c %s
// DEFINE: %{link} = %clangxx -O2 -fuse-ld=lld %whence_libs
// RUN: %{cc} -gline-tables-only -DTU_A -fpass-plugin=%plugin -o %t/a.o
// RUN: %{cc} -gline-tables-only -DTU_B -fpass-plugin=%plugin -o %t/b.o
// RUN: %{link} %t/a.o %t/b.o -o %t/plain && %run %t/plain | FileCheck %s
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_A -fpass-plugin=%plugin -o %t/ta.o
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_B -fpass-plugin=%plugin -o %t/tb.o
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/ta.o %t/tb.o -o %t/thin
// RUN: %run %t/thin | FileCheck %s
// RUN: %{cc} -g -flto=full -DTU_A -fpass-plugin=%plugin -o %t/fa.o
// RUN: %{cc} -g -flto=full -DTU_B -fpass-plugin=%plugin -o %t/fb.o
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/fa.o %t/fb.o -o %t/full
// RUN: %run %t/full | FileCheck %s
// CHECK: b-lambda f::{lambda(double)}::operator()
// CHECK-NEXT: b-inline g::{lambda(double, char)}::operator()
// CHECK-NEXT: a-lambda f::{lambda(int)}::operator()
void show(const char *tag);
#ifdef TU_A
static int f(int x) {
    auto l = [](int v) { show("a-lambda"); return v + 1; };
    return l(x);
}
int a_entry(int x) { return f(x); }
#else
#include <stdio.h>
#include <whence.h>

int a_entry(int x);

__attribute__((noinline)) void show(const char *tag) {
    whence_frame fr;
    if (whence_caller(1, &fr))
        printf("%s %s\n", tag, fr.function);
}

static double f(double x) {
    /* (kept out of line: B's module has A's key with B's parameters) */
    auto l = [](double v) __attribute__((noinline)) { show("b-lambda"); return v + 1; };
    return l(x);
}

static int g(int x) {
    auto m = [](double v, char c) { show("b-inline"); return v + c; };
    return (int)m(x, 'a');
}

int main(int argc, char **argv) {
    return (int)f(argc) + g(argc) + a_entry(argc) > 1000;
}
#endif
