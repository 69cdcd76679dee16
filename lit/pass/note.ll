; Every module's constructor is also named by the image's note
; (.note.whence, in its comdat: one per image), so that the runtime can
; register the program before its constructors run (runtime/note.c,
; lit/link/program-note.c): for a -fPIE module, one with no position
; independence at all and a -fPIC one alike (a .preinit_array entry did
; this before, which GNU ld refuses in a shared object).  The note: name
; "whence", type 0x57480001, the ABI version and the constructor's offset
; from that field.
; RUN: rm -rf %t && split-file %s %t
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/pie.ll 2>/dev/null | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/nopic.ll 2>/dev/null | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %t/pic.ll 2>/dev/null | FileCheck %s
; CHECK: $__whence.note = comdat any
; CHECK: @__whence.note = linkonce_odr hidden constant { i32, i32, i32, [8 x i8], i32, i32 } { i32 7, i32 8, i32 1464336385, [8 x i8] c"whence\00\00", i32 {{[0-9]+}}, i32 trunc (i64 sub (i64 ptrtoint (ptr @__whence.module_ctor to i64), i64 ptrtoint (ptr getelementptr inbounds ({ i32, i32, i32, [8 x i8], i32, i32 }, ptr @__whence.note, i32 0, i32 5) to i64)) to i32) }, section ".note.whence", comdat, align 4
; CHECK: @llvm.used = {{.*}}ptr @__whence.note
; CHECK-NOT: preinit

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
