// whence-link on ThinLTO and full LTO outputs: with the plugin at the lld
// link (the recommended setup: instrumented once, after inlining), at
// compile time only (labels placed before the link: a function LTO inlines
// into another module's has its copied labels passed over by the runtime,
// and whence-link drops them), with -gline-tables-only (site labels) and -g
// (frame slots: a slot names its call by the address of a loc, which the
// table maps to its function), and with --gc-sections.  The processed
// image, and the processed image with its records zeroed (the table alone
// answers), give the output of the original.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// DEFINE: %{rep} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs -I%S/../link/Inputs %S/../link/Inputs/rep.c -DREP_EXTERN_LEAF %S/../link/Inputs/rep-leaf.c -fuse-ld=lld %whence_libs
// DEFINE: %{inl} = %clang -O2 -I%whence_incdir -I%inputs -c %S/../e2e/lto-cross-module-inline.c
// DEFINE: %{zero} = python3 %S/Inputs/elfedit.py
// DEFINE: %{wl} = %whence_link -v
// RUN: rm -rf %t && mkdir -p %t
//
// RUN: %{rep} -flto=thin -Wl,--load-pass-plugin=%plugin -o %t/thin.link
// RUN: %{rep} -flto=full -Wl,--load-pass-plugin=%plugin -o %t/full.link
// RUN: %{rep} -flto=thin -o %t/thin.compile
// RUN: %{rep} -flto=full -ffunction-sections -Wl,--gc-sections -o %t/full.gc
// RUN: %{inl} -gline-tables-only -flto=thin -DTU_A -fpass-plugin=%plugin -o %t/ta.o
// RUN: %{inl} -gline-tables-only -flto=thin -DTU_B -fpass-plugin=%plugin -o %t/tb.o
// RUN: %clang -O2 -fuse-ld=lld -flto=thin %t/ta.o %t/tb.o %whence_libs -o %t/inl.compile
// RUN: %{inl} -g -flto=full -DTU_A -fpass-plugin=%plugin -o %t/gfa.o
// RUN: %{inl} -g -flto=full -DTU_B -fpass-plugin=%plugin -o %t/gfb.o
// RUN: %clang -O2 -fuse-ld=lld -flto=full -Wl,--load-pass-plugin=%plugin %t/gfa.o %t/gfb.o %whence_libs -o %t/inl.g
//
// RUN: %run %t/thin.link %t/thin.link.scan > %t/thin.link.out 2>&1
// RUN: %run %t/full.link %t/full.link.scan > %t/full.link.out 2>&1
// RUN: %run %t/thin.compile %t/thin.compile.scan > %t/thin.compile.out 2>&1
// RUN: %run %t/full.gc %t/full.gc.scan > %t/full.gc.out 2>&1
// RUN: %run %t/inl.compile > %t/inl.compile.out 2>&1
// RUN: %run %t/inl.g > %t/inl.g.out 2>&1
// RUN: FileCheck %S/../link/Inputs/rep.c --check-prefixes=CHECK,TWO_TU < %t/thin.link.out
// RUN: FileCheck %S/../e2e/lto-cross-module-inline.c --check-prefixes=CHECK,COMPILE,CSITES < %t/inl.compile.out
// RUN: FileCheck %S/../e2e/lto-cross-module-inline.c --check-prefixes=CHECK,EXACT < %t/inl.g.out
//
// RUN: %{wl} -o %t/thin.link.l %t/thin.link && %{zero} %t/thin.link.l %t/thin.link.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/thin.link.z %t/thin.link.z.scan > %t/thin.link.z.out 2>&1 && diff %t/thin.link.out %t/thin.link.z.out && diff %t/thin.link.scan %t/thin.link.z.scan
// RUN: %{wl} -o %t/full.link.l %t/full.link && %{zero} %t/full.link.l %t/full.link.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/full.link.z %t/full.link.z.scan > %t/full.link.z.out 2>&1 && diff %t/full.link.out %t/full.link.z.out && diff %t/full.link.scan %t/full.link.z.scan
// RUN: %{wl} -o %t/thin.compile.l %t/thin.compile && %{zero} %t/thin.compile.l %t/thin.compile.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/thin.compile.z %t/thin.compile.z.scan > %t/thin.compile.z.out 2>&1 && diff %t/thin.compile.out %t/thin.compile.z.out && diff %t/thin.compile.scan %t/thin.compile.z.scan
// RUN: %{wl} -o %t/full.gc.l %t/full.gc && %{zero} %t/full.gc.l %t/full.gc.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/full.gc.z %t/full.gc.z.scan > %t/full.gc.z.out 2>&1 && diff %t/full.gc.out %t/full.gc.z.out && diff %t/full.gc.scan %t/full.gc.z.scan
// The copies of mid's calls that LTO inlined into outer are gone:
// RUN: %{wl} -o %t/inl.compile.l %t/inl.compile 2>&1 | FileCheck %s --check-prefix=COPIES
// RUN: %{zero} %t/inl.compile.l %t/inl.compile.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/inl.compile.z > %t/inl.compile.z.out 2>&1 && diff %t/inl.compile.out %t/inl.compile.z.out
// RUN: %{wl} -o %t/inl.g.l %t/inl.g && %{zero} %t/inl.g.l %t/inl.g.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %run %t/inl.g.z > %t/inl.g.z.out 2>&1 && diff %t/inl.g.out %t/inl.g.z.out
//
// COPIES: site records ({{[1-9][0-9]*}} passed over:
