; Calling conventions: GHC and HiPE functions pass arguments in %rbp, so a frame pointer would clobber them: they are not instrumented.  A function relying on guaranteed tail calls (a `tail` call in tailcc or swifttailcc) keeps its tail calls (no "disable-tail-calls", `tail` hints kept) but still gets its frame pointer and record; other conventions are instrumented as usual.
; Sites and slots off: this test is about attributes and tail calls; slot code in guaranteed-tail-call functions is covered by slots-tailcc.ll.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off>,verify' -S %s 2>/dev/null | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence' %s 2>/dev/null | %llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare ghccc void @k(i64, i64)
declare void @e()

; Not instrumented; a fence record only (passes/split.c), no attributes.
; CHECK-LABEL: define ghccc void @ghc(i64 %a, i64 %b)
; CHECK-SAME: {{^}} !pcsections !{{[0-9]+}} {
; ASM-LABEL: ghc:
; ASM-NOT: pushq %rbp
; ASM: jmp k@PLT
define ghccc void @ghc(i64 %a, i64 %b) {
  tail call ghccc void @k(i64 %a, i64 %b)
  ret void
}

; CHECK-LABEL: define tailcc void @loop(i64 %n)
; CHECK-SAME: #[[TCO:[0-9]+]] !pcsections
; CHECK: tail call tailcc void @loop(
; ASM-LABEL: loop:
; ASM: jmp loop
define tailcc void @loop(i64 %n) {
  call void @e()
  %m = sub i64 %n, 1
  tail call tailcc void @loop(i64 %m)
  ret void
}

; CHECK-LABEL: define swifttailcc void @swift()
; CHECK-SAME: #[[TCO]] !pcsections
; CHECK: tail call swifttailcc void @swift()
define swifttailcc void @swift() {
  tail call swifttailcc void @swift()
  ret void
}

; A plain tail call in a tailcc function is no guaranteed one: disabled.
; CHECK-LABEL: define tailcc void @plain_in_tailcc()
; CHECK-SAME: #[[PLAIN:[0-9]+]] !pcsections
; CHECK-NEXT: call void @e()
define tailcc void @plain_in_tailcc() {
  tail call void @e()
  ret void
}

; CHECK-LABEL: define x86_intrcc void @isr(ptr byval(i64) %f)
; CHECK-SAME: #[[PLAIN]] !pcsections
define x86_intrcc void @isr(ptr byval(i64) %f) {
  call void @e()
  ret void
}

; CHECK-DAG: attributes #[[TCO]] = { "frame-pointer"="non-leaf" "nooutline" }
; CHECK-DAG: attributes #[[PLAIN]] = { "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
