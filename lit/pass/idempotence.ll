; The pass instruments a module once: it sets the module flag whence.done (Override) and does nothing when the flag is there, as when LTO runs it again on an instrumented module.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,whence,verify' -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence' -S %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; CHECK: @__whence.mod = private constant
; CHECK-NOT: @__whence.mod.1
; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @__whence.module_ctor, ptr @__whence.module_ctor }]
; CHECK: @llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @__whence.module_dtor, ptr @__whence.module_dtor }]
; CHECK: @__whence.note = linkonce_odr hidden constant {{.*}} c"whence\00\00", i32 {{[0-9]+}}, i32 trunc (i64 sub (i64 ptrtoint (ptr @__whence.module_ctor to i64){{.*}} section ".note.whence", comdat, align 4
; CHECK: @llvm.used = appending global [5 x ptr] [ptr @__whence.mod, ptr @__whence.fence, ptr @__whence.own_site, ptr @__whence.own_line, ptr @__whence.note], section "llvm.metadata"

; CHECK-LABEL: define void @f()
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: call void @ext()
; CHECK-NEXT: ret void
define void @f() {
  call void @ext()
  ret void
}

; CHECK-NOT: define {{.*}}@__whence.module_ctor.1
; CHECK: !llvm.module.flags = !{![[FLAG:[0-9]+]]}
; CHECK: ![[FLAG]] = !{i32 4, !"whence.done", i32 1}
