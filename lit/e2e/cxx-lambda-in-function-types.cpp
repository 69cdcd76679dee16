// A closure type inside a function type of a template argument (a pointer
// to member function, a function pointer's parameters, a lambda's own
// parameters) is spelled as everywhere else in the name: the pass read the
// text between parentheses as it was, so one frame's name read
// "call<int (W<main::{lambda()}::operator()::'lambda'()>::*)(int),
// W<main::{lambda()}::operator()::{lambda()#1}>>" (helper-143, Boost.Fiber's
// worker_context<...>::* and std::visit's vtable frames).
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %clangxx -std=c++17 -O0 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
#include <whence.h>
#include <stdio.h>

template <class T> struct W {
  T t;
  __attribute__((noinline)) int run(int) { t(); return 0; }
};
template <class M, class O> __attribute__((noinline)) int call(M m, O *o) {
  int r = (o->*m)(1);
  asm volatile("");
  return r + 1;
}
template <class F, class O> __attribute__((noinline)) int callf(F f, O *o) {
  int r = f(o);
  asm volatile("");
  return r + 1;
}
inline auto make() {
  return [](auto *w) { return w->run(3); };
}

int main() {
  auto outer = [] {
    auto l = [] { whence_write_stack(1, 0); printf("--\n"); fflush(stdout); };
    W<decltype(l)> w{l};
    call(&W<decltype(l)>::run, &w);
    int (*fp)(W<decltype(l)> *) = [](W<decltype(l)> *p) { return p->run(2); };
    callf(fp, &w);
    callf(make(), &w);
    return 0;
  };
  return outer();
}
// CHECK:      W<main::{lambda()}::operator()::{lambda()#1}>::run(...)
// CHECK:      call<int (W<main::{lambda()}::operator()::{lambda()#1}>::*)(int), W<main::{lambda()}::operator()::{lambda()#1}>>(...)
// CHECK:      --
// CHECK:      main::{lambda()}::operator()::{lambda(W<main::{lambda()}::operator()::{lambda()#1}>*)#1}::operator()(...)
// CHECK:      callf<int (*)(W<main::{lambda()}::operator()::{lambda()#1}>*), W<main::{lambda()}::operator()::{lambda()#1}>>(...)
// CHECK:      --
// CHECK:      callf<make::{lambda(auto*)#1}, W<main::{lambda()}::operator()::{lambda()#1}>>(...)
// CHECK-NOT:  'lambda
// CHECK:      --
