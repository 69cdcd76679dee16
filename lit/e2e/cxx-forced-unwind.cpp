// A thread that is cancelled (or calls pthread_exit) is unwound by glibc
// with an exception object of class 0 (abi::__forced_unwind), which is
// caught but was never thrown.  whence::exception_stacktrace() in that
// catch has no stack, and says why.  Was wrong: it said the exception was
// "thrown through a C++ runtime other than libstdc++ (libc++abi), or
// another language's", with no such runtime in the process (helper-93).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -pthread -o %t
// RUN: %run %t 2>&1 | FileCheck %s
// CHECK: cancel: size=0 (no stack: no exception was thrown: this is the unwinding of a thread that is cancelled or calls pthread_exit)
// CHECK: exit: size=0 (no stack: no exception was thrown: this is the unwinding of a thread that is cancelled or calls pthread_exit)
// CHECK: joined 2
#include <cxxabi.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <whence.hpp>

static void say(const char *what) {
  auto st = whence::exception_stacktrace();
  printf("%s: size=%zu %s\n", what, st.size(), st.end_note() ? st.end_note() : "(complete)");
  fflush(stdout);
}

static void *cancelled(void *) {
  try {
    for (;;)
      pause();
  } catch (abi::__forced_unwind &) {
    say("cancel");
    throw;
  }
  return nullptr;
}

static void *exiting(void *) {
  try {
    pthread_exit(nullptr);
  } catch (abi::__forced_unwind &) {
    say("exit");
    throw;
  }
  return nullptr;
}

int main() {
  pthread_t t;
  int joined = 0;
  pthread_create(&t, nullptr, cancelled, nullptr);
  usleep(50000);
  pthread_cancel(t);
  joined += pthread_join(t, nullptr) == 0;
  pthread_create(&t, nullptr, exiting, nullptr);
  joined += pthread_join(t, nullptr) == 0;
  printf("joined %d\n", joined);
  return 0;
}
