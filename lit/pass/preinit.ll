; An executable's module constructor is also in .preinit_array, in its
; comdat (one per image), so that its records are registered before any
; library's initializer runs (lit/e2e/early-library-init.c): for a -fPIE
; module, or one with no position independence at all; not for a -fPIC
; module, which may go into a shared object (where .preinit_array is refused).
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/pie.ll 2>/dev/null | FileCheck %s --check-prefix=EXE
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/nopic.ll 2>/dev/null | FileCheck %s --check-prefix=EXE
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/pic.ll 2>/dev/null | FileCheck %s --check-prefix=DSO
; EXE: @__whence.module_preinit = linkonce_odr hidden global ptr @__whence.module_ctor, section ".preinit_array", comdat, align 8
; EXE: @llvm.used = {{.*}}ptr @__whence.module_preinit
; DSO-NOT: module_preinit

;--- pie.ll
target triple = "x86_64-unknown-linux-gnu"
define void @f() {
  call void @g()
  ret void
}
declare void @g()
!llvm.module.flags = !{!0, !1}
!0 = !{i32 8, !"PIC Level", i32 2}
!1 = !{i32 7, !"PIE Level", i32 2}

;--- nopic.ll
target triple = "x86_64-unknown-linux-gnu"
define void @f() {
  call void @g()
  ret void
}
declare void @g()

;--- pic.ll
target triple = "x86_64-unknown-linux-gnu"
define void @f() {
  call void @g()
  ret void
}
declare void @g()
!llvm.module.flags = !{!0}
!0 = !{i32 8, !"PIC Level", i32 2}
