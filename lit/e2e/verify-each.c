// The pass's output passes the IR verifier after every pass of the clang
// pipeline (-Xclang -llvm-verify-each; plain clang runs with
// -disable-llvm-verifier, so broken IR would otherwise go unnoticed): the
// e2e programs built at -O0 and -O2, with -gline-tables-only, -g and no debug
// info, and a DSO.  Two of them are run against their own checks too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/caller-skip.c -o %t.1.o
// RUN: %clang -O0 -g -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/caller-skip.c -o %t.2.o
// RUN: %clang -O2 -g -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/full-debug-info.c -o %t.3.o
// RUN: %clang -O2 -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/no-debug-info.c -o %t.4.o
// RUN: %clang -O0 -gline-tables-only -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/longjmp.c -o %t.5.o
// RUN: %clang -O2 -gline-tables-only -Xclang -llvm-verify-each %whence_cflags -c %S/threads-paths.c -o %t.6.o
// RUN: %clang -O2 -gline-tables-only -fPIC -DLIB -Xclang -llvm-verify-each %whence_cflags -I%inputs -c %S/dso.c -o %t.7.o
// RUN: %clang -O2 -gline-tables-only -Xclang -llvm-verify-each %whence_cflags -I%inputs %S/inline-frames.c %whence_libs -o %t.inl && %run %t.inl > %t.inl.out
// RUN: FileCheck %S/inline-frames.c --check-prefix=H < %t.inl.out && FileCheck %S/inline-frames.c --check-prefix=S < %t.inl.out
// RUN: %clang -O3 -gline-tables-only -Xclang -llvm-verify-each %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.qs && %run %t.qs | FileCheck %S/qsort-callback.c
