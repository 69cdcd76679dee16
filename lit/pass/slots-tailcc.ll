; Slots in a function relying on guaranteed tail calls (tailcc/swifttailcc),
; outside FullDebug modules: the pass keeps such a function's `tail` calls
; (calling-conventions.ll), so the slot must be popped before them and
; nothing may come between the call and its ret, as for musttail.
;
; XFAIL: *
; Known bug: slots.c's leaves_frame() treats a `tail` call as leaving the
; frame only when keep_tail_calls (FullDebug modules); here it is 0, so the
; pop is inserted between `tail call tailcc @loop` and `ret`.  The call is no
; longer in tail position: llc emits `callq loop` instead of `jmp loop`, and
; the guaranteed tail recursion grows the stack without bound.  @swift has
; only a guaranteed tail call and should get no slot at all.
;
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' -S %s 2>/dev/null | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>' %s 2>/dev/null | %llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare void @e()

; CHECK-LABEL: define tailcc void @loop(i64 %n)
; CHECK: call void @e()
; CHECK: call ptr asm sideeffect "movq __whence_slot_top@GOTTPOFF
; CHECK-NEXT: tail call tailcc void @loop(
; CHECK-NEXT: ret void
; ASM-LABEL: loop:
; ASM: callq e@PLT
; ASM: jmp loop
define tailcc void @loop(i64 %n) {
  call void @e()
  %m = sub i64 %n, 1
  tail call tailcc void @loop(i64 %m)
  ret void
}

; CHECK-LABEL: define swifttailcc void @swift()
; CHECK-NEXT: tail call swifttailcc void @swift()
; CHECK-NEXT: ret void
define swifttailcc void @swift() {
  tail call swifttailcc void @swift()
  ret void
}
