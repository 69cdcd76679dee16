; Non-capturing call arguments (docs/LIVENESS.md): a stack object whose
; address is passed to a call that does not keep it is still analysed; the
; call counts as an access of the whole object, and the object is cleared
; after it.  Nothing is cleared when the callee captures the pointer, stores
; it, passes it on to itself, receives it as a variadic argument or returns
; it.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s
; Without the pass's rules the same calls are escapes: nothing is cleared.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=off>,verify' -S %s | FileCheck %s --check-prefix=OFF
; OFF-NOT: store volatile

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.S = type { ptr, i64 }

declare ptr @whence_gc_alloc(i64)
declare void @collect()
declare void @whence_keep_alive(ptr)
declare void @reads(ptr nocapture)
declare void @keeps(ptr)
declare void @vararg(ptr nocapture, ...)
declare ptr @passthrough(ptr nocapture returned)
declare void @indirect_target(ptr nocapture)
@global = global ptr null
@fnptr = global ptr @indirect_target

; Two callers each, so that no callee clears its callers' objects here
; (liveness-callee.ll).
define internal void @internal_reads(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  ret void
}

define internal void @internal_keeps(ptr %p) {
  store ptr %p, ptr @global, align 8
  ret void
}

define internal void @internal_disguises(ptr %p) {
  %i = ptrtoint ptr %p to i64
  store i64 %i, ptr @global, align 8
  ret void
}

define internal void @internal_recurses(ptr %p, i64 %n) {
  %z = icmp eq i64 %n, 0
  br i1 %z, label %done, label %again
again:
  %m = sub i64 %n, 1
  call void @internal_recurses(ptr %p, i64 %m)
  br label %done
done:
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  ret void
}

; LLVM's nocapture: cleared right after the call, before the collection.
; CHECK-LABEL: define void @nocapture_attr(
; CHECK: call void @reads(ptr %s)
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
; CHECK-NEXT: call void @collect()
define void @nocapture_attr() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @reads(ptr %s)
  call void @collect()
  ret void
}

; whence_keep_alive keeps its argument alive up to the call and no longer,
; even when declared without nocapture.
; CHECK-LABEL: define void @keep_alive_arg(
; CHECK: call void @whence_keep_alive(ptr %s)
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
; CHECK-NEXT: call void @collect()
define void @keep_alive_arg() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @whence_keep_alive(ptr %s)
  call void @collect()
  ret void
}

; A local function analysed by the same rules: it only loads through p.
; CHECK-LABEL: define void @internal_callee(
; CHECK: call void @internal_reads(ptr %s)
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
; CHECK-NEXT: call void @collect()
define void @internal_callee() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @internal_reads(ptr %s)
  call void @collect()
  ret void
}

; The object is read after the call, then passed on again: the clear waits
; for the last of them.
; CHECK-LABEL: define i64 @read_after_call(
; CHECK: call void @reads(ptr %s)
; CHECK-NEXT: call void @collect()
; CHECK-NEXT: %v = load ptr, ptr %s, align 8
; CHECK-NEXT: call void @keeps(ptr %v)
; CHECK-NEXT: call void @internal_reads(ptr %s)
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
define i64 @read_after_call() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @reads(ptr %s)
  call void @collect()
  %v = load ptr, ptr %s, align 8
  call void @keeps(ptr %v)
  call void @internal_reads(ptr %s)
  ret i64 0
}

; Negative: the local callee stores the pointer in a global.
; CHECK-LABEL: define void @captured(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @captured() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @internal_keeps(ptr %s)
  call void @collect()
  ret void
}

; Negative: the local callee turns it into an integer (a disguised pointer).
; CHECK-LABEL: define void @disguised(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @disguised() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @internal_disguises(ptr %s)
  call void @collect()
  ret void
}

; Negative: recursion - the callee passes its parameter on to itself, so
; its own analysis cannot finish: treated as capturing.
; CHECK-LABEL: define void @recursion(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @recursion() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @internal_recurses(ptr %s, i64 3)
  call void @collect()
  ret void
}

; Negative: a variadic argument (va_arg may copy it anywhere).
; CHECK-LABEL: define void @variadic(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @variadic() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void (ptr, ...) @vararg(ptr %s, ptr %s)
  call void @collect()
  ret void
}

; Negative: `returned` - the call's result is the pointer itself.
; CHECK-LABEL: define void @returned(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @returned() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %r = call ptr @passthrough(ptr %s)
  call void @collect()
  ret void
}

; Negative: an indirect call (whatever its target's attributes).
; CHECK-LABEL: define void @indirect(
; CHECK-NOT: store volatile
; CHECK: ret void
define void @indirect() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %f = load ptr, ptr @fnptr, align 8
  call void %f(ptr %s)
  call void @collect()
  ret void
}

define void @second_callers() {
  %s = alloca %struct.S, align 8
  call void @internal_keeps(ptr %s)
  call void @internal_disguises(ptr %s)
  ret void
}
