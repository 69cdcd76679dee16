; Stack-liveness clearing is on by default only in modules that reference the finalizer API; liveness=on forces it.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefix=AUTO
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<liveness=on>,verify' -S %s | FileCheck %s --check-prefix=ON
; AUTO-NOT: store volatile
; ON: store volatile ptr null

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare ptr @malloc(i64)
declare void @use(ptr)

define i64 @no_finalizers_here() {
  %p = alloca ptr, align 8
  %o = call ptr @malloc(i64 16)
  store ptr %o, ptr %p, align 8
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  ret i64 0
}
