// GNU ld and ld.lld, PIE and non-PIE, -O0 and -O2, libwhence.so and
// libwhence.a: the representative program (Inputs/rep.c: caller chain,
// inline helper, qsort callback, function pointers) gives exact names and
// lines in every combination, and the runtime's view of every byte of the
// image's code (Inputs/scan.h) matches the symbol table exactly: each
// instrumented function is found, with its own name, entry and size, and
// nothing else is (Inputs/check-scan.py).
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{rep} = %clang -gline-tables-only %whence_cflags -I%inputs -I%S/Inputs %S/Inputs/rep.c
// DEFINE: %{check1} = FileCheck --check-prefixes=CHECK,ONE_TU %S/Inputs/rep.c
// DEFINE: %{scan} = python3 %S/Inputs/check-scan.py
// RUN: rm -rf %t && mkdir -p %t
//
// RUN: %{rep} -O2 -fuse-ld=bfd %whence_libs -o %t/bfd.pie
// RUN: %t/bfd.pie %t/bfd.pie.scan | %{check1}
// RUN: %{scan} %t/bfd.pie %t/bfd.pie.scan | FileCheck %s
// RUN: %{rep} -O2 -fuse-ld=bfd -fno-pie -no-pie %whence_libs -o %t/bfd.nopie
// RUN: %t/bfd.nopie %t/bfd.nopie.scan | %{check1}
// RUN: %{scan} %t/bfd.nopie %t/bfd.nopie.scan | FileCheck %s
// RUN: %{rep} -O0 -fuse-ld=bfd -fno-pie -no-pie %whence_libs -o %t/bfd.O0
// RUN: %t/bfd.O0 %t/bfd.O0.scan | %{check1}
// RUN: %{scan} %t/bfd.O0 %t/bfd.O0.scan | FileCheck %s
// RUN: %{rep} -O2 -fuse-ld=bfd %whence_static -lpthread -ldl -o %t/bfd.static
// RUN: %t/bfd.static %t/bfd.static.scan | %{check1}
// RUN: %{scan} %t/bfd.static %t/bfd.static.scan --ignore-from %whence_static | FileCheck %s
//
// RUN: %{rep} -O2 -fuse-ld=lld %whence_libs -o %t/lld.pie
// RUN: %t/lld.pie %t/lld.pie.scan | %{check1}
// RUN: %{scan} %t/lld.pie %t/lld.pie.scan | FileCheck %s
// RUN: %{rep} -O2 -fuse-ld=lld -fno-pie -no-pie %whence_libs -o %t/lld.nopie
// RUN: %t/lld.nopie %t/lld.nopie.scan | %{check1}
// RUN: %{scan} %t/lld.nopie %t/lld.nopie.scan | FileCheck %s
// RUN: %{rep} -O0 -fuse-ld=lld %whence_libs -o %t/lld.O0
// RUN: %t/lld.O0 %t/lld.O0.scan | %{check1}
// RUN: %{scan} %t/lld.O0 %t/lld.O0.scan | FileCheck %s
// RUN: %{rep} -O2 -fuse-ld=lld -fno-pie -no-pie %whence_static -lpthread -ldl -o %t/lld.static
// RUN: %t/lld.static %t/lld.static.scan | %{check1}
// RUN: %{scan} %t/lld.static %t/lld.static.scan --ignore-from %whence_static | FileCheck %s
//
// The two TU version (chain_leaf in Inputs/rep-leaf.c): two module tables in
// one image, each frame named from its own.
// RUN: %{rep} -O2 -DREP_EXTERN_LEAF %S/Inputs/rep-leaf.c -fuse-ld=bfd %whence_libs -o %t/bfd.2tu
// RUN: %t/bfd.2tu %t/bfd.2tu.scan > %t/bfd.2tu.out
// RUN: FileCheck %S/Inputs/rep-leaf.c --check-prefix=LEAF < %t/bfd.2tu.out
// RUN: FileCheck %S/Inputs/rep.c --check-prefixes=CHECK,TWO_TU < %t/bfd.2tu.out
// RUN: %{scan} %t/bfd.2tu %t/bfd.2tu.scan | FileCheck %s
// RUN: %{rep} -O2 -DREP_EXTERN_LEAF %S/Inputs/rep-leaf.c -fuse-ld=lld %whence_libs -o %t/lld.2tu
// RUN: %t/lld.2tu %t/lld.2tu.scan > %t/lld.2tu.out
// RUN: FileCheck %S/Inputs/rep-leaf.c --check-prefix=LEAF < %t/lld.2tu.out
// RUN: FileCheck %S/Inputs/rep.c --check-prefixes=CHECK,TWO_TU < %t/lld.2tu.out
// RUN: %{scan} %t/lld.2tu %t/lld.2tu.scan | FileCheck %s
//
// CHECK-NOT: BAD
// (-O0 keeps the printing helpers out of line: they are instrumented too.)
// CHECK: runtime functions: chain_a chain_b chain_c chain_leaf cmp {{(e2e_base e2e_print )?(link_scan )?}}link_scan_phdr main rep_dump sort_things uses_helper{{$}}
// CHECK-NEXT: check-scan: ok=1 runtime=[[N:[0-9]+]] symbols=[[N]]{{$}}
