// -flto=full with the plugin only at the lld link (-Wl,--load-pass-plugin,
// no -fpass-plugin at compile time): the full-LTO link pipeline never
// reaches OptimizerLast, so the plugin also registers at the full-LTO
// link-time extension point; the merged module gets its records there and
// every answer is exact.  (A module instrumented at compile time as well is
// taken out first and instrumented there once: passes/lto.c.)
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -I%S/Inputs %S/Inputs/rep.c -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t
// RUN: %run %t 2>&1 | FileCheck --check-prefixes=CHECK,ONE_TU %S/Inputs/rep.c
