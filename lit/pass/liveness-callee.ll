; A callee clears its caller's dead stack object (docs/LIVENESS.md; Go's
; stackobj: the collection inside g must find the object dead).  g, a local
; function called only directly, gets a whole alloca of its caller that is
; dead after every call; g zeroes its pointer fields through the parameter
; after its own last use, and loses the read-only claims it then breaks.
; Nothing is cleared when a caller reads the object after the call, when g
; is also reached another way (address taken, invoke), when the object goes
; to g twice, when g passes it on to itself, or when a caller calls setjmp.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s
; The read-only claims are gone: g's `memory(argmem: read)` and readonly.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=ATTR
; ATTR: define internal void @g(ptr noundef %p) [[G:#[0-9]+]]
; ATTR: attributes [[G]] = { "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
; Off: g is left as it was.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=off>,verify' -S %s | FileCheck %s --check-prefix=OFF
; OFF: define internal void @g(ptr noundef readonly %p) [[G:#[0-9]+]]
; OFF: attributes [[G]] = { memory(argmem: read,

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%struct.S = type { ptr }
%struct.T = type { ptr, ptr }

declare ptr @whence_gc_alloc(i64)
declare void @collect() memory(inaccessiblemem: readwrite)
declare void @keeps(ptr) memory(inaccessiblemem: readwrite)
declare i32 @setjmp(ptr) returns_twice
declare i32 @__gxx_personality_v0(...)
@fp = global ptr null

; CHECK-LABEL: define internal void @g(
; CHECK: call void @collect()
; CHECK-NEXT: %v = load ptr, ptr %p, align 8
; CHECK-NEXT: store volatile ptr null, ptr %p, align 8
; CHECK-NEXT: call void @keeps(ptr %v)
; CHECK-NEXT: call void @collect()
define internal void @g(ptr noundef readonly %p) memory(argmem: read, inaccessiblemem: readwrite) {
  call void @collect()
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

; The caller clears too, after the call (a plain clear).
; CHECK-LABEL: define void @f(
; CHECK: call void @g(ptr %s)
; CHECK-NEXT: store volatile ptr null, ptr %s, align 8
define void @f() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @g(ptr %s)
  call void @collect()
  ret void
}

; Only the fields dead after every call: t.b is read after the call.
; CHECK-LABEL: define internal void @g2(
; CHECK: %v = load ptr, ptr %p, align 8
; CHECK-NEXT: store volatile ptr null, ptr %p, align 8
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g2(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  %pb = getelementptr inbounds %struct.T, ptr %p, i64 0, i32 1
  %w = load ptr, ptr %pb, align 8
  call void @keeps(ptr %w)
  call void @collect()
  ret void
}

define void @f2() {
  %t = alloca %struct.T, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %t, align 8
  %tb = getelementptr inbounds %struct.T, ptr %t, i64 0, i32 1
  store ptr %o, ptr %tb, align 8
  call void @g2(ptr %t)
  %x = load ptr, ptr %tb, align 8
  call void @keeps(ptr %x)
  ret void
}

; Negative: one of two callers reads the object after the call.
; CHECK-LABEL: define internal void @g_read_after(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_read_after(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

define void @caller_done() {
  %s = alloca %struct.S, align 8
  call void @g_read_after(ptr %s)
  ret void
}

define void @caller_reads_after() {
  %s = alloca %struct.S, align 8
  %o = call ptr @whence_gc_alloc(i64 16)
  store ptr %o, ptr %s, align 8
  call void @g_read_after(ptr %s)
  %v = load ptr, ptr %s, align 8
  call void @keeps(ptr %v)
  ret void
}

; Negative: the address of the callee is taken.
; CHECK-LABEL: define internal void @g_address_taken(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_address_taken(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

define void @caller_of_address_taken() {
  %s = alloca %struct.S, align 8
  store ptr @g_address_taken, ptr @fp, align 8
  call void @g_address_taken(ptr %s)
  ret void
}

; Negative: an invoke (if g unwinds, the caller's handler might read s).
; CHECK-LABEL: define internal void @g_invoked(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_invoked(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

define void @caller_invokes() personality ptr @__gxx_personality_v0 {
entry:
  %s = alloca %struct.S, align 8
  invoke void @g_invoked(ptr %s) to label %ok unwind label %lp
ok:
  ret void
lp:
  %l = landingpad { ptr, i32 } cleanup
  %v = load ptr, ptr %s, align 8
  call void @keeps(ptr %v)
  resume { ptr, i32 } %l
}

; Negative: the object goes to g twice (through the second parameter g
; reads it after its last use of the first).
; CHECK-LABEL: define internal void @g_twice(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_twice(ptr %p, ptr %q) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  %w = load ptr, ptr %q, align 8
  call void @keeps(ptr %w)
  ret void
}

define void @caller_twice() {
  %s = alloca %struct.S, align 8
  call void @g_twice(ptr %s, ptr %s)
  ret void
}

; Negative: recursion - g passes the object on to itself.
; CHECK-LABEL: define internal void @g_recursive(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_recursive(ptr %p, i64 %n) {
entry:
  %z = icmp eq i64 %n, 0
  br i1 %z, label %done, label %again
again:
  %m = sub i64 %n, 1
  call void @g_recursive(ptr %p, i64 %m)
  br label %done
done:
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

define void @caller_recursive() {
  %s = alloca %struct.S, align 8
  call void @g_recursive(ptr %s, i64 2)
  ret void
}

; Negative: the caller calls setjmp (a longjmp may return into it and read
; s again).
; CHECK-LABEL: define internal void @g_setjmp_caller(
; CHECK-NOT: store volatile
; CHECK: ret void
define internal void @g_setjmp_caller(ptr %p) {
  %v = load ptr, ptr %p, align 8
  call void @keeps(ptr %v)
  call void @collect()
  ret void
}

define i32 @caller_setjmp(ptr %jb) {
  %s = alloca %struct.S, align 8
  %r = call i32 @setjmp(ptr %jb)
  call void @g_setjmp_caller(ptr %s)
  ret i32 %r
}
