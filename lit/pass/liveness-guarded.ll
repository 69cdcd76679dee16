; Guarded clears (docs/LIVENESS.md): when every later read of a stack object
; goes through a holder or a phi/select that may point elsewhere, the object
; is cleared at run time only if none of them points into it (writing the
; zero into a scratch slot otherwise).  Go's stackobj3 with b == false: the
; holder points to a global, so the struct is dead before the collection.
; No guarded clear when a guard could change before the reads (the address
; stored into the holder again, a phi recomputed in a loop), or when an
; address outside the object reached the guard.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.S = type { ptr }

declare ptr @whence_gc_alloc(i64)
declare void @collect()
declare void @keeps(ptr)
@null_obj = global %struct.S zeroinitializer

; -O0's stackobj3: p = b ? &s : &null_obj; collect(); keeps(p->h).
; CHECK-LABEL: define void @holder_guard(
; CHECK: %whence.lv.scratch = alloca [8 x i8], align 16
; CHECK: store ptr %sel, ptr %p, align 8
; CHECK-NEXT: %whence.lv.end = getelementptr inbounds i8, ptr %s, i64 8
; CHECK-NEXT: %whence.lv.guard = load ptr, ptr %p, align 8
; CHECK-NEXT: [[LO:%.*]] = icmp uge ptr %whence.lv.guard, %s
; CHECK-NEXT: [[HI:%.*]] = icmp ule ptr %whence.lv.guard, %whence.lv.end
; CHECK-NEXT: [[IN:%.*]] = and i1 [[LO]], [[HI]]
; CHECK-NEXT: %whence.lv.dst = select i1 [[IN]], ptr %whence.lv.scratch, ptr %s
; CHECK-NEXT: store volatile ptr null, ptr %whence.lv.dst, align 8
; CHECK-NEXT: call void @collect()
; and the plain clear after the last read through p:
; CHECK: %v = load ptr, ptr %q, align 8
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
define void @holder_guard(i1 %b) {
entry:
  %s = alloca %struct.S, align 8
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %sel = select i1 %b, ptr %s, ptr @null_obj
  store ptr %sel, ptr %p, align 8
  call void @collect()
  %q = load ptr, ptr %p, align 8
  %v = load ptr, ptr %q, align 8
  call void @keeps(ptr %v)
  ret void
}

; -O2's stackobj3: the select itself is the guard.
; CHECK-LABEL: define void @select_guard(
; CHECK: %sel = select i1 %b, ptr %s, ptr @null_obj
; CHECK-NEXT: %whence.lv.end = getelementptr inbounds i8, ptr %s, i64 8
; CHECK-NEXT: [[LO:%.*]] = icmp uge ptr %sel, %s
; CHECK-NEXT: [[HI:%.*]] = icmp ule ptr %sel, %whence.lv.end
; CHECK-NEXT: [[IN:%.*]] = and i1 [[LO]], [[HI]]
; CHECK-NEXT: %whence.lv.dst = select i1 [[IN]], ptr %whence.lv.scratch, ptr %s
; CHECK-NEXT: store volatile ptr null, ptr %whence.lv.dst, align 8
; CHECK-NEXT: call void @collect()
define void @select_guard(i1 %b) {
entry:
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %sel = select i1 %b, ptr %s, ptr @null_obj
  call void @collect()
  %v = load ptr, ptr %sel, align 8
  call void @keeps(ptr %v)
  ret void
}

; Negative: the address may be stored into the holder after the collection,
; so a guard read before the collection proves nothing; only after that
; store is a guard of any use.
; CHECK-LABEL: define void @stored_again(
; CHECK-NOT: whence.lv.dst
; CHECK: call void @collect()
; CHECK: store ptr %sel, ptr %p, align 8
; CHECK-NEXT: %whence.lv.end =
define void @stored_again(i1 %b) {
entry:
  %s = alloca %struct.S, align 8
  %p = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr @null_obj, ptr %p, align 8
  call void @collect()
  %sel = select i1 %b, ptr %s, ptr @null_obj
  store ptr %sel, ptr %p, align 8
  %q = load ptr, ptr %p, align 8
  %v = load ptr, ptr %q, align 8
  call void @keeps(ptr %v)
  ret void
}

; Negative: a phi of addresses recomputed in every iteration of a loop: its
; value where a guard would test it is not the value read later.  Nothing
; is cleared inside the loop.
; CHECK-LABEL: define void @phi_in_loop(
; CHECK-NOT: whence.lv.dst
; CHECK: loop:
; CHECK-NOT: store volatile
; CHECK: exit:
define void @phi_in_loop(i64 %k) {
entry:
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %cur = phi ptr [ @null_obj, %entry ], [ %s, %loop ]
  call void @collect()
  %v = load ptr, ptr %cur, align 8
  call void @keeps(ptr %v)
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %k
  br i1 %c, label %loop, label %exit
exit:
  call void @collect()
  ret void
}

; Negative: an address outside the object (a non-inbounds step back) went
; into the select: a range test could not tell whether it will be stepped
; back into the object.
; CHECK-LABEL: define void @outside_address(
; CHECK-NOT: whence.lv.dst
; CHECK: ret void
define void @outside_address(i1 %b) {
entry:
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %before = getelementptr i8, ptr %s, i64 -64
  %sel = select i1 %b, ptr %before, ptr @null_obj
  call void @collect()
  %back = getelementptr i8, ptr %sel, i64 64
  %v = load ptr, ptr %back, align 8
  call void @keeps(ptr %v)
  ret void
}

; Negative: a direct read follows: only the plain clear after it.
; CHECK-LABEL: define void @direct_read_later(
; CHECK-NOT: whence.lv.dst
; CHECK: %w = load ptr, ptr %s, align 8
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
define void @direct_read_later(i1 %b) {
entry:
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  %sel = select i1 %b, ptr %s, ptr @null_obj
  call void @collect()
  %v = load ptr, ptr %sel, align 8
  call void @keeps(ptr %v)
  %w = load ptr, ptr %s, align 8
  call void @keeps(ptr %w)
  ret void
}
