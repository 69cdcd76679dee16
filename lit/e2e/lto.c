// -flto (full and thin, linked with lld): the plugin runs at compile time
// only (clang does not forward -fpass-plugin to the LTO link), and the
// records it emitted must survive LTO's link-time code generation unchanged
// in meaning.  Runs the exact-line tests of other files under LTO; the
// multi-TU program has no cross-module inlining (its functions are
// noinline), so every line stays exact.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: %clang -O2 -gline-tables-only -flto -fuse-ld=lld %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.full && %run %t.full | FileCheck %S/caller-skip.c
// RUN: %clang -O2 -gline-tables-only -flto=thin -fuse-ld=lld %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.thin && %run %t.thin | FileCheck %S/caller-skip.c
// RUN: %clang -O2 -gline-tables-only -flto=thin -fuse-ld=lld %whence_cflags -I%inputs %S/inline-frames.c %whence_libs -o %t.inl && %run %t.inl > %t.inl.out
// RUN: FileCheck %S/inline-frames.c --check-prefix=H < %t.inl.out && FileCheck %S/inline-frames.c --check-prefix=S < %t.inl.out
// RUN: %clang -O2 -gline-tables-only -flto -DTU1 %whence_cflags -I%inputs -c %S/multi-tu.c -o %t.1.o
// RUN: %clang -O2 -gline-tables-only -flto -DTU2 %whence_cflags -I%inputs -c %S/multi-tu.c -o %t.2.o
// RUN: %clang -O2 -flto -fuse-ld=lld %t.1.o %t.2.o %whence_libs -o %t.mtu && %run %t.mtu | FileCheck %S/multi-tu.c
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU1 %whence_cflags -I%inputs -c %S/multi-tu.c -o %t.3.o
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU2 %whence_cflags -I%inputs -c %S/multi-tu.c -o %t.4.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld %t.3.o %t.4.o %whence_libs -o %t.mtu2 && %run %t.mtu2 | FileCheck %S/multi-tu.c
