; Tricky IR stays verifier-clean and compiles at -O0 and -O2: varargs, musttail (still musttail, label before it), invoke/landingpad, indirect calls, returns_twice (setjmp) and noreturn calls, phis, funclet EH pads (record but no labels), functions without calls.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o %t.ll 2>/dev/null
; RUN: FileCheck %s < %t.ll
; RUN: %llc -O0 -filetype=obj %t.ll -o /dev/null
; RUN: %llc -O2 -filetype=obj %t.ll -o /dev/null
; RUN: %llc -O2 %t.ll -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

%struct.jmp = type { [8 x i64] }
declare void @ext(i32)
declare i32 @vext(i32, ...)
declare i32 @setjmp(ptr) returns_twice
declare void @abort() noreturn nounwind
declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_end.p0(ptr)
declare i32 @__gxx_personality_v0(...)
declare i32 @__CxxFrameHandler3(...)

; CHECK-LABEL: define i32 @varargs(i32 %n, ...)
; CHECK: call void @llvm.va_start.p0(
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: call i32 (i32, ...) @vext(
define i32 @varargs(i32 %n, ...) {
  %ap = alloca ptr
  call void @llvm.va_start.p0(ptr %ap)
  %r = call i32 (i32, ...) @vext(i32 %n, ptr %ap)
  call void @llvm.va_end.p0(ptr %ap)
  ret i32 %r
}

; CHECK-LABEL: define i32 @forward(i32 %n, ...)
; CHECK-SAME: #[[ATTR:[0-9]+]]
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: %r = musttail call i32 (i32, ...) @vext(i32 %n, ...)
; CHECK-NEXT: ret i32 %r
; ASM-LABEL: forward:
; ASM: .Lwhence_site{{[0-9]+}}:
; ASM: jmp vext@PLT # TAILCALL
define i32 @forward(i32 %n, ...) {
  %r = musttail call i32 (i32, ...) @vext(i32 %n, ...)
  ret i32 %r
}

; CHECK-LABEL: define void @indirect(ptr %fp, i1 %c)
; CHECK: call void asm ".Lwhence_site
; CHECK-NEXT: call void %fp(i32 1)
; CHECK: phi i32
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: call void %fp(i32 %p)
define void @indirect(ptr %fp, i1 %c) {
entry:
  call void %fp(i32 1)
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %p = phi i32 [ 1, %entry ], [ 2, %a ]
  tail call void %fp(i32 %p)
  ret void
}

; CHECK-LABEL: define i32 @jumps(ptr %buf)
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: %r = call i32 @setjmp(ptr %buf)
; CHECK: call void asm ".Lwhence_site
; CHECK-NEXT: call void @abort()
; CHECK-NEXT: unreachable
define i32 @jumps(ptr %buf) {
  %r = call i32 @setjmp(ptr %buf) returns_twice
  %z = icmp eq i32 %r, 0
  br i1 %z, label %ok, label %die
ok:
  ret i32 %r
die:
  call void @abort()
  unreachable
}

; CHECK-LABEL: define void @eh()
; CHECK: call void asm ".Lwhence_site
; CHECK-NEXT: invoke void @ext(i32 1)
; CHECK: lpad:
; CHECK-NEXT: %lp = landingpad
; CHECK-NEXT: cleanup
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: call void @ext(i32 2)
define void @eh() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @ext(i32 1) to label %cont unwind label %lpad
cont:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  call void @ext(i32 2)
  resume { ptr, i32 } %lp
}

; Funclet pads need a "funclet" bundle on every call inside them: no labels
; in such a function, the record stays.
; CHECK-LABEL: define void @funclets()
; CHECK-SAME: !pcsections
; CHECK-NOT: .Lwhence_site
; CHECK: ret void
define void @funclets() personality ptr @__CxxFrameHandler3 {
entry:
  invoke void @ext(i32 1) to label %cont unwind label %cleanup
cont:
  ret void
cleanup:
  %cp = cleanuppad within none []
  call void @ext(i32 2) [ "funclet"(token %cp) ]
  cleanupret from %cp unwind to caller
}

; CHECK-LABEL: define i32 @nocalls(i32 %x)
; CHECK-SAME: !pcsections
; CHECK-NEXT: %y = mul i32 %x, %x
define i32 @nocalls(i32 %x) {
  %y = mul i32 %x, %x
  ret i32 %y
}

; CHECK: attributes #[[ATTR]] = { noinline "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
