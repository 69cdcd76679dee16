; Frame slots in a function relying on guaranteed tail calls
; (tailcc/swifttailcc), outside FullDebug modules: the pass keeps such a
; function's `tail` calls (calling-conventions.ll).  leaves_frame() in
; slots.c counts a guaranteed `tail` call (tailcc, swifttailcc, GHC) followed
; by ret as leaving the frame in every module: no loc store before it, and
; llc still emits `jmp loop`.  @swift has only a guaranteed tail call and
; gets no slot at all.
;
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' -S %s 2>/dev/null | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>' %s 2>/dev/null | %llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare void @e()

; CHECK-LABEL: define tailcc void @loop(i64 %n)
; CHECK: %whence.slot = alloca
; CHECK: call void @e()
; CHECK-NEXT: %m = sub i64 %n, 1
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
