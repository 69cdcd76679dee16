; Before an LTO link the pass instruments too (a link without the plugin
; keeps that instrumentation), fences included: the callbr that ends a
; block before a thread-local access that becomes a call (tls.c) and the
; asms a value goes through (a label that orders a library call, the asms
; after a library call or a thread-local address).  When the link runs the
; plugin, whence-strip takes them all out again: the callbr becomes the
; branch it was, every asm hands back its operand, a half's two casts
; cancel.  Before, these asms (labels with their records) stayed.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o %t.pre.ll 2>/dev/null
; RUN: FileCheck %s --check-prefix=PRE < %t.pre.ll
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip,verify' -S %t.pre.ll -o - | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on>,verify' -S %s -o %t.slot.ll 2>/dev/null
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip,verify' -S %t.slot.ll -o - | FileCheck %s
target triple = "x86_64-unknown-linux-gnu"

@tv = thread_local global i64 0, align 8

; PRE-LABEL: define i64 @tls(
; PRE: callbr void asm
; PRE: call ptr asm "", "=r,0,~{memory}"
; CHECK-LABEL: define i64 @tls(
; CHECK-NOT: asm
; CHECK-NOT: callbr
; CHECK: %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
; CHECK-NEXT: %v = load i64, ptr %a
; CHECK: ret i64
define i64 @tls() #0 {
  call void @g()
  %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
  %v = load i64, ptr %a, align 8
  ret i64 %v
}

; PRE-LABEL: define double @fl(
; PRE: call double asm ".Lwhence_site
; PRE: call double asm "", "=x,0,~{memory}"
; CHECK-LABEL: define double @fl(
; CHECK-NOT: asm
; CHECK: %r = call double @llvm.floor.f64(double %x)
; CHECK-NEXT: ret double %r
define double @fl(double %x) #0 {
  call void @g()
  %r = call double @llvm.floor.f64(double %x)
  ret double %r
}

; PRE-LABEL: define half @hm(
; PRE: bitcast half %a to i16
; CHECK-LABEL: define half @hm(
; CHECK-NOT: asm
; CHECK-NOT: bitcast
; CHECK: %m = fmul half %a, %b
; CHECK-NEXT: ret half %m
define half @hm(half %a, half %b) #0 {
  call void @g()
  %m = fmul half %a, %b
  ret half %m
}

declare void @g()
declare ptr @llvm.threadlocal.address.p0(ptr)
declare double @llvm.floor.f64(double)
attributes #0 = { nounwind "target-features"="+sse,+sse2" }

!llvm.module.flags = !{!0, !1, !2}
!0 = !{i32 8, !"PIC Level", i32 2}
!1 = !{i32 7, !"PIE Level", i32 0}
!2 = !{i32 1, !"ThinLTO", i32 0}
