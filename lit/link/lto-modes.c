// The representative program (Inputs/rep.c) under every LTO mode, checked
// for exact names and lines, and the runtime's view of the image against its
// symbol table (Inputs/check-scan.py):
//   -flto=full / -flto=thin, plugin at compile time only (clang does not
//     forward -fpass-plugin to the link; the bitcode carries the records);
//   the same plus -Wl,--load-pass-plugin at the lld link (the LTO backend
//     takes the compile-time instrumentation out and instruments the final
//     code once, passes/lto.c);
//   -flto=thin with the plugin only at the lld link (the ThinLTO backends run
//     the optimizer's last extension point, so the pass instruments the
//     final, post-import code; full LTO: lto-full-link-plugin.c);
//   GNU ld through the LLVMgold plugin (compile-time plugin; LLVMgold cannot
//     load pass plugins), PIE and not.
// Two TUs (chain_leaf in Inputs/rep-leaf.c) in the link-time ThinLTO mode.
// Calls that LTO deletes after a compile-time instrumentation:
// lto-deleted-call.c; functions inlined across modules:
// e2e/lto-cross-module-inline.c.
// REQUIRES: x86_64-linux, lld, ld.bfd
// DEFINE: %{rep} = %clang -O2 -gline-tables-only -I%whence_incdir -I%inputs -I%S/Inputs %S/Inputs/rep.c
// DEFINE: %{check1} = FileCheck --check-prefixes=CHECK,ONE_TU %S/Inputs/rep.c --implicit-check-not=whence:
// DEFINE: %{scan} = python3 %S/Inputs/check-scan.py
// RUN: rm -rf %t && mkdir -p %t
//
// RUN: %{rep} -flto=full -fpass-plugin=%plugin -fuse-ld=lld %whence_libs -o %t/full.c
// RUN: %t/full.c %t/full.c.scan 2>&1 | %{check1}
// RUN: %{scan} %t/full.c %t/full.c.scan | FileCheck %s
// RUN: %{rep} -flto=thin -fpass-plugin=%plugin -fuse-ld=lld %whence_libs -o %t/thin.c
// RUN: %t/thin.c %t/thin.c.scan 2>&1 | %{check1}
// RUN: %{scan} %t/thin.c %t/thin.c.scan | FileCheck %s
//
// RUN: %{rep} -flto=full -fpass-plugin=%plugin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t/full.cl
// RUN: %t/full.cl %t/full.cl.scan 2>&1 | %{check1}
// RUN: %{scan} %t/full.cl %t/full.cl.scan | FileCheck %s
// RUN: %{rep} -flto=thin -fpass-plugin=%plugin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t/thin.cl
// RUN: %t/thin.cl %t/thin.cl.scan 2>&1 | %{check1}
// RUN: %{scan} %t/thin.cl %t/thin.cl.scan | FileCheck %s
//
// RUN: %{rep} -flto=thin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t/thin.l
// RUN: %t/thin.l %t/thin.l.scan 2>&1 | %{check1}
// RUN: %{scan} %t/thin.l %t/thin.l.scan | FileCheck %s
// RUN: %{rep} -DREP_EXTERN_LEAF %S/Inputs/rep-leaf.c -flto=thin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t/thin.l.2tu
// RUN: %t/thin.l.2tu %t/thin.l.2tu.scan > %t/thin.l.2tu.out 2>&1
// RUN: FileCheck %S/Inputs/rep.c --check-prefixes=CHECK,TWO_TU --implicit-check-not=whence: < %t/thin.l.2tu.out
// RUN: FileCheck %S/Inputs/rep-leaf.c --check-prefix=LEAF < %t/thin.l.2tu.out
// RUN: %{scan} %t/thin.l.2tu %t/thin.l.2tu.scan | FileCheck %s
//
// RUN: %{rep} -flto=full -fpass-plugin=%plugin -fuse-ld=bfd %whence_libs -o %t/full.bfd
// RUN: %t/full.bfd %t/full.bfd.scan 2>&1 | %{check1}
// RUN: %{scan} %t/full.bfd %t/full.bfd.scan | FileCheck %s
// RUN: %{rep} -flto=thin -fpass-plugin=%plugin -fuse-ld=bfd -fno-pie -no-pie %whence_libs -o %t/thin.bfd.nopie
// RUN: %t/thin.bfd.nopie %t/thin.bfd.nopie.scan 2>&1 | %{check1}
// RUN: %{scan} %t/thin.bfd.nopie %t/thin.bfd.nopie.scan | FileCheck %s
// RUN: %{rep} -flto=full -fpass-plugin=%plugin -fuse-ld=lld -fno-pie -no-pie -ffunction-sections -Wl,--gc-sections %whence_libs -o %t/full.gc.nopie
// RUN: %t/full.gc.nopie %t/full.gc.nopie.scan 2>&1 | %{check1}
// RUN: %{scan} %t/full.gc.nopie %t/full.gc.nopie.scan | FileCheck %s
//
// CHECK-NOT: BAD
// CHECK: runtime functions: chain_a chain_b chain_c chain_leaf cmp link_scan_phdr main rep_dump sort_things uses_helper{{$}}
// CHECK-NEXT: check-scan: ok=1 runtime=[[N:[0-9]+]] symbols=[[N]]{{$}}
