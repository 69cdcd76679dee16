; A module without a function the pass instruments (only declarations and excluded bodies) is left unchanged: no table, no constructor, no done flag, no note.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s 2>%t.err | FileCheck %s
; RUN: count 0 < %t.err

target triple = "x86_64-unknown-linux-gnu"

@data = global i32 1

declare void @ext()

define available_externally void @avail() {
  call void @ext()
  ret void
}

define void @__whence_runtime_fn() {
  call void @ext()
  ret void
}

; CHECK-NOT: whence_mod
; CHECK-NOT: llvm.used
; CHECK-NOT: llvm.global_ctors
; CHECK-NOT: pcsections
; CHECK-NOT: .Lwhence_site
; CHECK-NOT: __whence.module_ctor
; CHECK-NOT: whence.done
