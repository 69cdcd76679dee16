; Stack-liveness clearing: which slots get a volatile zero-store and where (docs/LIVENESS.md).
; Sites and slots off: the only volatile stores are the clears.  Collections
; go through @collect, an opaque call: the strict treatment of whence_gc's
; own callers is in liveness-strict.ll.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=off>,verify' -S %s | FileCheck %s --check-prefix=OFF
; With slots on, the clears are the same and the slot (its address is
; published in the TLS head) is never cleared.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=SLOTS --implicit-check-not='store volatile ptr null, ptr %whence.slot'
; OFF-NOT: store volatile
; OFF-NOT: call void @llvm.memset

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.S = type { ptr, i64 }

declare ptr @whence_gc_alloc(i64)
declare void @collect()
declare void @use(ptr)
declare void @take_addr(ptr)
declare i32 @setjmp(ptr) returns_twice
declare i32 @plain_setjmp(ptr)
declare void @llvm.lifetime.start.p0(i64, ptr)
declare void @llvm.lifetime.end.p0(i64, ptr)

; A dead local: cleared right after its last read, before the collection.
; CHECK-LABEL: define i64 @dead_local(
; CHECK: [[V:%.*]] = load ptr, ptr [[P:%.*]], align 8
; CHECK-NEXT: store volatile ptr null, ptr [[P]], align 8
; CHECK-NEXT: call void @use(ptr [[V]])
; CHECK-NEXT: call void @collect()
; SLOTS-LABEL: define i64 @dead_local(
; SLOTS: %whence.slot = alloca { ptr, i32, i32 }
; SLOTS: [[V:%.*]] = load ptr, ptr %p, align 8
; SLOTS-NEXT: store volatile ptr null, ptr %p, align 8
; SLOTS-NEXT: [[F:%.*]] = getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; SLOTS-NEXT: store volatile i32 {{[0-9]+}}, ptr [[F]], align 4
; SLOTS-NEXT: call void @use(ptr [[V]])
define i64 @dead_local() {
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  call void @collect()
  ret i64 0
}

; Written and never read: cleared right after the store.
; CHECK-LABEL: define i64 @never_read(
; CHECK: store ptr %o, ptr [[P:%.*]], align 8
; CHECK-NEXT: store volatile ptr null, ptr [[P]], align 8
define i64 @never_read() {
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  call void @collect()
  ret i64 0
}

; The slot's address escapes into a call: never touched.
; CHECK-LABEL: define i64 @escapes(
; CHECK-NOT: store volatile
; CHECK: ret i64 0
define i64 @escapes() {
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  call void @take_addr(ptr %p)
  call void @collect()
  ret i64 0
}

; The address is stored somewhere: escapes, never touched.
; CHECK-LABEL: define i64 @address_stored(
; CHECK-NOT: store volatile
; CHECK: ret i64 0
define i64 @address_stored(ptr %out) {
  %p = alloca ptr, align 8
  store ptr %p, ptr %out, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  call void @collect()
  ret i64 0
}

; Read in the next iteration: not cleared inside the loop, only where the
; loop is left.
; CHECK-LABEL: define i64 @loop_carried(
; CHECK: loop:
; CHECK-NOT: store volatile
; CHECK: br i1 %c, label %loop, label %exit
; CHECK: exit:
; CHECK-NEXT: store volatile ptr null, ptr [[P:%.*]], align 8
; CHECK-NEXT: call void @collect()
define i64 @loop_carried(i64 %n) {
entry:
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  %o2 = call ptr @whence_gc_alloc(i64 16)
  store ptr %o2, ptr %p, align 8
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  call void @collect()
  ret i64 0
}

; Read on one path later: the other path clears at its start, the reading
; path clears after the read.
; CHECK-LABEL: define i64 @one_path_reads(
; CHECK: then:
; CHECK-NEXT: store volatile ptr null
; CHECK-NEXT: call void @collect()
; CHECK: else:
; CHECK-NEXT: call void @collect()
; CHECK-NEXT: [[V:%.*]] = load ptr
; CHECK-NEXT: store volatile ptr null
define i64 @one_path_reads(i1 %c) {
entry:
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  br i1 %c, label %then, label %else
then:
  call void @collect()
  ret i64 0
else:
  call void @collect()
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  ret i64 1
}

; A dead pointer field is cleared while the integer field is still used.
; CHECK-LABEL: define i64 @dead_field(
; CHECK: %v = load ptr, ptr [[S:%.*]], align 8
; CHECK-NEXT: store volatile ptr null, ptr [[S]], align 8
; CHECK-NOT: store volatile
; CHECK: load i64
define i64 @dead_field() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %n = getelementptr inbounds %struct.S, ptr %s, i64 0, i32 1
  store i64 3, ptr %n, align 8
  %v = load ptr, ptr %s, align 8
  call void @use(ptr %v)
  call void @collect()
  %r = load i64, ptr %n, align 8
  ret i64 %r
}

; Integers are never cleared, even when dead.
; CHECK-LABEL: define i64 @integer_slot(
; CHECK-NOT: store volatile
; CHECK: ret i64
define i64 @integer_slot() {
  %p = alloca i64, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  %i = ptrtoint ptr %o to i64
  store i64 %i, ptr %p, align 8
  call void @collect()
  %r = load i64, ptr %p, align 8
  ret i64 %r
}

; With lifetime markers the clear stays inside the lifetime.
; CHECK-LABEL: define i64 @lifetime(
; CHECK: %v = load ptr, ptr [[P:%.*]], align 8
; CHECK-NEXT: store volatile ptr null, ptr [[P]], align 8
; CHECK-NEXT: call void @use(
; CHECK-NEXT: call void @llvm.lifetime.end.p0(i64 8, ptr [[P]])
; CHECK-NOT: store volatile
; CHECK: ret i64 0
define i64 @lifetime() {
  %p = alloca ptr, align 8
  call void @llvm.lifetime.start.p0(i64 8, ptr %p)
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  call void @llvm.lifetime.end.p0(i64 8, ptr %p)
  call void @collect()
  ret i64 0
}

; The slot dies on the loop exit edge, but its lifetime ended inside the
; loop: a store at the exit could hit another slot that stack colouring put
; in the same memory, so nothing is stored there.
; CHECK-LABEL: define i64 @lifetime_per_iteration(
; CHECK: exit:
; CHECK-NOT: store volatile
; CHECK: ret i64 0
define i64 @lifetime_per_iteration(i64 %n) {
entry:
  %p = alloca ptr, align 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  call void @llvm.lifetime.start.p0(i64 8, ptr %p)
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  call void @llvm.lifetime.end.p0(i64 8, ptr %p)
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  call void @collect()
  ret i64 0
}

; A function that calls setjmp is left alone: after a longjmp the local is
; read again along an edge the CFG does not show.
; CHECK-LABEL: define i64 @calls_setjmp(
; CHECK-NOT: store volatile
; CHECK: ret i64
define i64 @calls_setjmp(ptr %jb) {
entry:
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %r = call i32 @setjmp(ptr %jb)
  %z = icmp eq i32 %r, 0
  br i1 %z, label %first, label %again
first:
  call void @collect()
  ret i64 0
again:
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  ret i64 1
}

; SLOTS-LABEL: define i64 @calls_setjmp(
; SLOTS-NOT: store volatile ptr null, ptr %p
; SLOTS: ret i64 1

; The same when only the call site says returns_twice.
; CHECK-LABEL: define i64 @calls_setjmp_callsite(
; CHECK-NOT: store volatile
; CHECK: ret i64
define i64 @calls_setjmp_callsite(ptr %jb) {
entry:
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %r = call i32 @plain_setjmp(ptr %jb) returns_twice
  %z = icmp eq i32 %r, 0
  br i1 %z, label %first, label %again
first:
  call void @collect()
  ret i64 0
again:
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  ret i64 1
}

; Control: the same function with a call that does not return twice is
; cleared on the path where the local is dead.
; CHECK-LABEL: define i64 @calls_plain(
; CHECK: first:
; CHECK-NEXT: store volatile ptr null, ptr %p, align 8
; CHECK-NEXT: call void @collect()
define i64 @calls_plain(ptr %jb) {
entry:
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %p, align 8
  %r = call i32 @plain_setjmp(ptr %jb)
  %z = icmp eq i32 %r, 0
  br i1 %z, label %first, label %again
first:
  call void @collect()
  ret i64 0
again:
  %v = load ptr, ptr %p, align 8
  call void @use(ptr %v)
  ret i64 1
}
