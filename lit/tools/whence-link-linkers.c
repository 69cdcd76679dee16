// whence-link on what GNU ld and ld.lld make: PIE and non-PIE, -O0 and
// -O2, libwhence.so and libwhence.a, two modules in one image, and
// --gc-sections (lld; GNU ld with and without -z start-stop-gc).  For each
// image the processed copy gives the same output as the original (names,
// files and lines, every check of Inputs/rep.c, the runtime's view of
// every byte of the code, Inputs/scan.h: its function, and its frames as a
// return address, inlined ones included), and so does a processed copy
// whose whence_fn and whence_site records and whose module tables' subprog
// and loc arrays are zeroed: it answers from its table alone (the table's
// packed copies of the arrays; the module tables' names and files).  The
// same zeroing leaves an unprocessed image with nothing.
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{rep} = %clang -gline-tables-only %whence_cflags -I%inputs -I%S/../link/Inputs %S/../link/Inputs/rep.c
// DEFINE: %{gc} = %clang -O2 -gline-tables-only -ffunction-sections -fdata-sections %whence_cflags -I%inputs -I%S/../link/Inputs %S/../link/gc-sections.c
// DEFINE: %{check1} = FileCheck --check-prefixes=CHECK,ONE_TU %S/../link/Inputs/rep.c
// DEFINE: %{scan} = python3 %S/../link/Inputs/check-scan.py
// DEFINE: %{zero} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
//
// RUN: %{rep} -O2 -fuse-ld=bfd %whence_libs -o %t/bfd.pie
// RUN: %{rep} -O2 -fuse-ld=bfd -fno-pie -no-pie %whence_libs -o %t/bfd.nopie
// RUN: %{rep} -O0 -fuse-ld=lld %whence_libs -o %t/lld.O0
// RUN: %{rep} -O2 -fuse-ld=lld %whence_libs -Wl,-z,now -o %t/lld.pie
// RUN: %{rep} -O2 -fuse-ld=lld -fno-pie -no-pie %whence_libs -o %t/lld.nopie
// RUN: %{rep} -O2 -fuse-ld=lld -fno-pie -no-pie %whence_static -lpthread -ldl -o %t/lld.static
// RUN: %{rep} -O2 -DREP_EXTERN_LEAF %S/../link/Inputs/rep-leaf.c -fuse-ld=bfd %whence_libs -o %t/bfd.2tu
// RUN: %{gc} -fuse-ld=lld -Wl,--gc-sections %whence_libs -o %t/lld.gc
// RUN: %{gc} -fuse-ld=bfd -Wl,--gc-sections %whence_libs -o %t/bfd.gc
// RUN: %{gc} -fuse-ld=bfd -Wl,--gc-sections -Wl,-z,start-stop-gc %whence_libs -o %t/bfd.gc.ssg
//
// The originals, checked against the source and the symbol table:
// RUN: %t/bfd.pie %t/bfd.pie.scan > %t/bfd.pie.out && %{check1} < %t/bfd.pie.out
// RUN: %t/bfd.nopie %t/bfd.nopie.scan > %t/bfd.nopie.out && %{check1} < %t/bfd.nopie.out
// RUN: %t/lld.O0 %t/lld.O0.scan > %t/lld.O0.out && %{check1} < %t/lld.O0.out
// RUN: %t/lld.pie %t/lld.pie.scan > %t/lld.pie.out && %{check1} < %t/lld.pie.out
// RUN: %t/lld.nopie %t/lld.nopie.scan > %t/lld.nopie.out && %{check1} < %t/lld.nopie.out
// RUN: %t/lld.static %t/lld.static.scan > %t/lld.static.out && %{check1} < %t/lld.static.out
// RUN: %t/bfd.2tu %t/bfd.2tu.scan > %t/bfd.2tu.out
// RUN: FileCheck %S/../link/Inputs/rep.c --check-prefixes=CHECK,TWO_TU < %t/bfd.2tu.out
// RUN: %t/lld.gc %t/lld.gc.scan > %t/lld.gc.out && FileCheck %S/../link/gc-sections.c < %t/lld.gc.out
// RUN: %t/bfd.gc %t/bfd.gc.scan > %t/bfd.gc.out && FileCheck %S/../link/gc-sections.c < %t/bfd.gc.out
// RUN: %t/bfd.gc.ssg %t/bfd.gc.ssg.scan > %t/bfd.gc.ssg.out && FileCheck %S/../link/gc-sections.c < %t/bfd.gc.ssg.out
//
// Processed, then processed with the records zeroed: the same output.
// RUN: %whence_link -o %t/bfd.pie.l %t/bfd.pie && %{zero} %t/bfd.pie.l %t/bfd.pie.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/bfd.pie.l %t/bfd.pie.l.scan > %t/bfd.pie.l.out && diff %t/bfd.pie.out %t/bfd.pie.l.out && diff %t/bfd.pie.scan %t/bfd.pie.l.scan
// RUN: %t/bfd.pie.z %t/bfd.pie.z.scan > %t/bfd.pie.z.out && diff %t/bfd.pie.out %t/bfd.pie.z.out && diff %t/bfd.pie.scan %t/bfd.pie.z.scan
// RUN: %whence_link -o %t/bfd.nopie.l %t/bfd.nopie && %{zero} %t/bfd.nopie.l %t/bfd.nopie.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/bfd.nopie.z %t/bfd.nopie.z.scan > %t/bfd.nopie.z.out && diff %t/bfd.nopie.out %t/bfd.nopie.z.out && diff %t/bfd.nopie.scan %t/bfd.nopie.z.scan
// RUN: %whence_link -o %t/lld.O0.l %t/lld.O0 && %{zero} %t/lld.O0.l %t/lld.O0.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.O0.z %t/lld.O0.z.scan > %t/lld.O0.z.out && diff %t/lld.O0.out %t/lld.O0.z.out && diff %t/lld.O0.scan %t/lld.O0.z.scan
// RUN: %whence_link -o %t/lld.pie.l %t/lld.pie && %{zero} %t/lld.pie.l %t/lld.pie.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.pie.l %t/lld.pie.l.scan > %t/lld.pie.l.out && diff %t/lld.pie.out %t/lld.pie.l.out && diff %t/lld.pie.scan %t/lld.pie.l.scan
// RUN: %t/lld.pie.z %t/lld.pie.z.scan > %t/lld.pie.z.out && diff %t/lld.pie.out %t/lld.pie.z.out && diff %t/lld.pie.scan %t/lld.pie.z.scan
// RUN: %whence_link -o %t/lld.nopie.l %t/lld.nopie && %{zero} %t/lld.nopie.l %t/lld.nopie.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.nopie.z %t/lld.nopie.z.scan > %t/lld.nopie.z.out && diff %t/lld.nopie.out %t/lld.nopie.z.out && diff %t/lld.nopie.scan %t/lld.nopie.z.scan
// RUN: %whence_link -o %t/lld.static.l %t/lld.static && %{zero} %t/lld.static.l %t/lld.static.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.static.z %t/lld.static.z.scan > %t/lld.static.z.out && diff %t/lld.static.out %t/lld.static.z.out && diff %t/lld.static.scan %t/lld.static.z.scan
// RUN: %whence_link -o %t/bfd.2tu.l %t/bfd.2tu && %{zero} %t/bfd.2tu.l %t/bfd.2tu.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/bfd.2tu.z %t/bfd.2tu.z.scan > %t/bfd.2tu.z.out && diff %t/bfd.2tu.out %t/bfd.2tu.z.out && diff %t/bfd.2tu.scan %t/bfd.2tu.z.scan
// RUN: %whence_link -o %t/lld.gc.l %t/lld.gc && %{zero} %t/lld.gc.l %t/lld.gc.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.gc.z %t/lld.gc.z.scan > %t/lld.gc.z.out && diff %t/lld.gc.out %t/lld.gc.z.out && diff %t/lld.gc.scan %t/lld.gc.z.scan
// RUN: %whence_link -o %t/bfd.gc.l %t/bfd.gc && %{zero} %t/bfd.gc.l %t/bfd.gc.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/bfd.gc.z %t/bfd.gc.z.scan > %t/bfd.gc.z.out && diff %t/bfd.gc.out %t/bfd.gc.z.out && diff %t/bfd.gc.scan %t/bfd.gc.z.scan
// RUN: %whence_link -o %t/bfd.gc.ssg.l %t/bfd.gc.ssg && %{zero} %t/bfd.gc.ssg.l %t/bfd.gc.ssg.z zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/bfd.gc.ssg.z %t/bfd.gc.ssg.z.scan > %t/bfd.gc.ssg.z.out && diff %t/bfd.gc.ssg.out %t/bfd.gc.ssg.z.out && diff %t/bfd.gc.ssg.scan %t/bfd.gc.ssg.z.scan
//
// Every byte of code as the symbol table says, processed (zeroed) too:
// RUN: %{scan} %t/lld.pie.z %t/lld.pie.z.scan | FileCheck %s
// RUN: %{scan} %t/bfd.nopie.z %t/bfd.nopie.z.scan | FileCheck %s
// RUN: %{scan} %t/lld.static.z %t/lld.static.z.scan --ignore-from %whence_static | FileCheck %s
// RUN: %{scan} %t/lld.gc.z %t/lld.gc.z.scan | FileCheck %s --check-prefix=DROP
// RUN: %{scan} %t/bfd.gc.z %t/bfd.gc.z.scan | FileCheck %s --check-prefix=KEEP
//
// The scans name inlined frames (rep.c's always_inline helper), with lines:
// RUN: FileCheck %s --check-prefix=INL < %t/lld.pie.z.scan
// RUN: FileCheck %s --check-prefix=INL < %t/bfd.nopie.z.scan
//
// Without the table the zeroed records name nothing:
// RUN: %{zero} %t/lld.pie %t/lld.pie.z0 zero=whence_fn zero=whence_site arrays=whence_mod
// RUN: %t/lld.pie.z0 %t/lld.pie.z0.scan | FileCheck %s --check-prefix=NONE
//
// CHECK-NOT: BAD
// CHECK: check-scan: ok=1 runtime=[[N:[0-9]+]] symbols=[[N]]{{$}}
// DROP-NOT: BAD
// DROP: runtime functions: ext_sink link_scan_phdr live_by_pointer live_leaf live_mid main print_frames{{$}}
// DROP: check-scan: ok=1
// KEEP-NOT: BAD
// KEEP: runtime functions: dead_a dead_b dead_c ext_sink link_scan_phdr live_by_pointer live_leaf live_mid main print_frames{{$}}
// KEEP: check-scan: ok=1
// NONE: chain end frames=0
// INL: scan at=0x{{[0-9a-f]+}} frames={{[^;:]+}}:{{[^;]*}}rep.c:{{[1-9][0-9]*}}:{{[0-9]+}}:1;{{.*}}:0;{{$}}
