// clang names the lambdas of a function that is not inline "$_N", numbered
// per function, and the pass reads "Q::$_N" as "Q::{lambda(PARAMS)}" from
// the module's "Q::$_N::operator()" (passes/names.c).  Overloads meet
// there: f(int)'s and f(double)'s first lambdas are both "f::$_0".  Was a
// bug: the first met named both, so the (double, char) lambda read
// "f::{lambda(int)}".  A key with two readings now reads "{lambda}",
// without parameters; a key with one keeps them.  Two lambdas of one
// function with one parameter list read alike, one name for two
// functions (a profile added their times: helper-113); they are numbered
// as GNU numbers them, in the order clang did.
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %clangxx -O0 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// CHECK: f::{lambda}::operator()
// CHECK-NEXT: f::{lambda}::operator()
// CHECK-NEXT: g::{lambda(int)}::operator()
// CHECK-NEXT: h::{lambda(int)#1}::operator()
// CHECK-NEXT: h::{lambda(int)#2}::operator()
// CHECK-NEXT: h::{lambda(double)}::operator()
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) static void show() {
    whence_frame f;
    whence_caller(1, &f);
    printf("%s\n", f.function);
}

int f(int x) {
    auto l = [](int a) __attribute__((noinline)) { show(); return a + 1; };
    return l(x);
}

double f(double x) {
    auto l = [](double a, char c) __attribute__((noinline)) { show(); return a + c; };
    return l(x, 'c');
}

int g(int x) {
    auto l = [](int a) __attribute__((noinline)) { show(); return a + 2; };
    return l(x);
}

int h(int x) {
    auto first = [](int a) __attribute__((noinline)) { show(); return a + 3; };
    auto second = [](int a) __attribute__((noinline)) { show(); return a * 3; };
    auto third = [](double a) __attribute__((noinline)) { show(); return a * 2; };
    return first(x) + second(x) + (int)third(x);
}

int main() {
    f(1);
    f(2.0);
    g(3);
    h(4);
}
