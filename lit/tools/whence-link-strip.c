// whence-link and strip, in either order: a stripped binary keeps its
// section headers (llvm-strip -s, GNU strip -s and --strip-debug remove
// only .symtab and the debug info), so whence-link finds the records in it;
// and the table written into a file stays what strip leaves (it is
// allocated, loaded data like .data).  Every output is the original's,
// also with the records zeroed (the table alone answers).  A file without
// section headers is left as it is, with a message.
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{rep} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs -I%S/../link/Inputs %S/../link/Inputs/rep.c %whence_libs
// DEFINE: %{zero} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{rep} -fuse-ld=lld -o %t/rep
// RUN: %t/rep %t/rep.scan > %t/rep.out
//
// Stripped, then processed:
// RUN: llvm-strip -s %t/rep -o %t/s1 && %whence_link %t/s1
// RUN: %{zero} %t/s1 %t/s1.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/s1.z %t/s1.z.scan > %t/s1.z.out && diff %t/rep.out %t/s1.z.out && diff %t/rep.scan %t/s1.z.scan
// RUN: strip --strip-debug %t/rep -o %t/s2 && %whence_link %t/s2
// RUN: %{zero} %t/s2 %t/s2.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/s2.z %t/s2.z.scan > %t/s2.z.out && diff %t/rep.out %t/s2.z.out && diff %t/rep.scan %t/s2.z.scan
//
// Processed, then stripped:
// RUN: %whence_link -o %t/l %t/rep
// RUN: llvm-strip -s %t/l -o %t/l1
// RUN: %{zero} %t/l1 %t/l1.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/l1.z %t/l1.z.scan > %t/l1.z.out && diff %t/rep.out %t/l1.z.out && diff %t/rep.scan %t/l1.z.scan
// RUN: strip -s %t/l -o %t/l2
// RUN: %{zero} %t/l2 %t/l2.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/l2.z %t/l2.z.scan > %t/l2.z.out && diff %t/rep.out %t/l2.z.out && diff %t/rep.scan %t/l2.z.scan
// RUN: llvm-readelf -S %t/l2 | FileCheck %s --check-prefix=SECT
// RUN: %whence_link %t/l2 2>&1 | FileCheck %s --check-prefix=AGAIN
//
// No section headers at all:
// RUN: %{zero} %t/rep %t/nosh noshdr
// RUN: cp %t/nosh %t/nosh.orig
// RUN: %whence_link %t/nosh 2>&1 | FileCheck %s --check-prefix=NOSH
// RUN: cmp %t/nosh %t/nosh.orig
// RUN: not %whence_link --strict %t/nosh 2>&1 | FileCheck %s --check-prefix=NOSH
// RUN: %t/nosh %t/nosh.scan > %t/nosh.out && diff %t/rep.out %t/nosh.out
//
// SECT: .bss PROGBITS
// SECT: whence_tab PROGBITS
// AGAIN: it has its lookup table already: nothing to do
// NOSH: nosh: it has no section headers (removed by sstrip or a packer), through which whence-link finds the records: left unchanged
