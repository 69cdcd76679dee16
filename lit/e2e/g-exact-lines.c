// Exact lines in full debug info builds: with -g, site labels are off by
// default and exact lines come from the caller-frame line slots (api.md,
// WHENCE_SLOTS).  This runs the strict, exact-line tests of the other files,
// built with -g instead of -gline-tables-only, against their own CHECK lines.
// -O2 builds add -fno-optimize-sibling-calls: in -g modules whence keeps tail
// calls as the optimizer made them (debugger fidelity; g-tail-calls.c), and
// caller-skip.c has a call in tail position.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g -fno-optimize-sibling-calls %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.skip && %run %t.skip | FileCheck %S/caller-skip.c
// RUN: %clang -O0 -g %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.skip0 && %run %t.skip0 | FileCheck %S/caller-skip.c
// RUN: %clang -O2 -g -fno-optimize-sibling-calls %whence_cflags -I%inputs %S/longjmp.c %whence_libs -o %t.lj && %run %t.lj | FileCheck %S/longjmp.c
// RUN: %clang -O2 -g -fno-optimize-sibling-calls %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.qs && %run %t.qs | FileCheck %S/qsort-callback.c
// RUN: %clang -O2 -g -fno-optimize-sibling-calls %whence_cflags -I%inputs %S/inline-frames.c %whence_libs -o %t.inl && %run %t.inl > %t.inl.out
// RUN: FileCheck %S/inline-frames.c --check-prefix=H < %t.inl.out && FileCheck %S/inline-frames.c --check-prefix=S < %t.inl.out
// RUN: %clang -O2 -g -fno-optimize-sibling-calls -pthread %emulated_cflags %whence_cflags %S/threads-paths.c %whence_libs -o %t.thr && %run %t.thr | FileCheck %S/threads-paths.c
// RUN: %if aarch64-linux %{ %clang -O2 -g -fno-optimize-sibling-calls -mbranch-protection=standard %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.pac && %run %t.pac | FileCheck %S/caller-skip.c %}
// RUN: %if aarch64-linux %{ %clang -O0 -g -mbranch-protection=standard %whence_cflags -I%inputs %S/caller-skip.c %whence_libs -o %t.pac0 && %run %t.pac0 | FileCheck %S/caller-skip.c %}
