; Holder locals (docs/LIVENESS.md): a pointer local that a stack object's
; address is stored into, and that is only loaded and stored, keeps the
; object analysable: every pointer loaded from it counts as derived from the
; object, and the object is cleared after the last access through any of
; them.  Nothing is cleared when the holder escapes, is read as an integer,
; or is itself stored somewhere.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=off>,verify' -S %s | FileCheck %s --check-prefix=OFF
; No guarded clears here: every holder only ever holds the object's address
; (liveness-guarded.ll has them).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=NOGUARD
; NOGUARD-NOT: whence.lv.scratch
; OFF-NOT: store volatile

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.S = type { ptr, i64 }

declare ptr @whence_gc_alloc(i64)
declare void @collect()
declare void @keeps(ptr)
declare void @take_addr(ptr)
declare i32 @setjmp(ptr) returns_twice
@out = global ptr null
@n = global i64 0

; -O0's shape of `struct S s = {obj}; struct S *h = &s; collect(); keeps(h->p);
; collect();`: s is read through h after the first collection, and cleared
; right after that read (h, a pointer to the stack, after its load).
; CHECK-LABEL: define void @read_through_holder(
; CHECK: %p = load ptr, ptr %h, align 8
; CHECK-NEXT: store volatile ptr null, ptr %h, align 8
; CHECK-NEXT: %v = load ptr, ptr %p, align 8
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
; CHECK-NEXT: call void @keeps(ptr %v)
; CHECK-NEXT: call void @collect()
define void @read_through_holder() {
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  call void @collect()
  %p = load ptr, ptr %h, align 8
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

; The holder is read in a loop: s stays until the loop is left.
; CHECK-LABEL: define void @holder_in_loop(
; CHECK: loop:
; CHECK-NOT: store volatile ptr null, ptr %s
; CHECK: exit:
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
; CHECK-NEXT: store volatile ptr null, ptr %h, align 8
; CHECK-NEXT: call void @collect()
define void @holder_in_loop(i64 %k) {
entry:
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  call void @collect()
  %p = load ptr, ptr %h, align 8
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %k
  br i1 %c, label %loop, label %exit
exit:
  call void @collect()
  ret void
}

; Negative: the holder's own address escapes.
; CHECK-LABEL: define void @holder_escapes(
; CHECK-NOT: store volatile ptr null, ptr %s
; CHECK: ret void
define void @holder_escapes() {
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  call void @take_addr(ptr %h)
  call void @collect()
  ret void
}

; Negative: the holder is read as an integer (a disguised pointer).
; CHECK-LABEL: define void @holder_as_integer(
; CHECK-NOT: store volatile ptr null, ptr %s
; CHECK: ret void
define void @holder_as_integer() {
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  %i = load i64, ptr %h, align 8
  store i64 %i, ptr @n, align 8
  call void @collect()
  ret void
}

; Negative: a pointer loaded from the holder is stored somewhere else.
; CHECK-LABEL: define void @holder_value_escapes(
; CHECK-NOT: store volatile ptr null, ptr %s
; CHECK: ret void
define void @holder_value_escapes() {
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  %p = load ptr, ptr %h, align 8
  store ptr %p, ptr @out, align 8
  call void @collect()
  ret void
}

; Negative: the address goes into a struct (not a pointer local).
; CHECK-LABEL: define void @address_in_struct(
; CHECK-NOT: store volatile ptr null, ptr %s
; CHECK: ret void
define void @address_in_struct() {
  %s = alloca %struct.S, align 8
  %t = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %t, align 8
  call void @collect()
  %p = load ptr, ptr %t, align 8
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  ret void
}

; Negative: returns_twice - the whole function is left alone.
; CHECK-LABEL: define i32 @holder_and_setjmp(
; CHECK-NOT: store volatile
; CHECK: ret i32
define i32 @holder_and_setjmp(ptr %jb) {
  %s = alloca %struct.S, align 8
  %h = alloca ptr, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  store ptr %s, ptr %h, align 8
  %r = call i32 @setjmp(ptr %jb)
  call void @collect()
  %p = load ptr, ptr %h, align 8
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  ret i32 %r
}
