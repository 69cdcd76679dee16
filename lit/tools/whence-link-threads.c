// 32 threads make the process's very first whence calls at the same moment
// (../e2e/threads-first-call.c: a barrier releases them together, 12 fresh
// child processes, each checking every answer; 4 under qemu-user) in a binary processed by
// whence-link, in the same binary with its records zeroed (the table alone
// answers: nothing is built, nothing published, every thread reads it in
// place), and, as a reference, unprocessed.
// REQUIRES: (x86_64-linux || aarch64-linux)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -pthread %emulated_cflags %whence_cflags %S/../e2e/threads-first-call.c %whence_libs -o %t/plain
// RUN: %whence_link -o %t/linked %t/plain
// RUN: python3 %S/Inputs/elfedit.py %t/linked %t/zeroed zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/plain | FileCheck %s
// RUN: %run %t/linked | FileCheck %s
// RUN: %run %t/zeroed | FileCheck %s
// CHECK: trials={{12|4}} failed=0
