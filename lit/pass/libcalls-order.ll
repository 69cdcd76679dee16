; A library call that code generation makes of an operation on fp128 or
; half (x86-64 without F16C) hangs off nothing in the selection DAG: with
; its operands loaded before the site label, the scheduler put __multf3 and
; __extendhfsf2 before the label, after the call before it, whose line they
; then read.  Their operands now go through the label asm (a half as its
; 16 bits; a half's second operand through an empty asm ordered after the
; label), so every such call follows its label: no call between g's and
; the label.  And their values go through an empty asm that clobbers
; memory, so that each comes before the next label too.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=IR
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O2 %t.bc -o - | FileCheck %s --check-prefix=ASM
target triple = "x86_64-unknown-linux-gnu"

; IR-LABEL: define void @q_mul(
; IR: [[V:%[0-9]+]] = call fp128 asm "{{.*}}", "=x,0,s,~{memory}"(fp128 %a,
; IR-NEXT: %m = fmul fp128 [[V]], %b
; IR-NEXT: [[M:%[0-9]+]] = call fp128 asm "", "=x,0,~{memory}"(fp128 %m)
; IR-NEXT: [[W:%[0-9]+]] = call fp128 asm "{{.*}}", "=x,0,s,~{memory}"(fp128 [[M]],
; IR-NEXT: %i = fptosi fp128 [[W]] to i64
; IR-NEXT: [[I:%[0-9]+]] = call i64 asm "", "=r,0,~{memory}"(i64 %i)
; IR-NEXT: %o = or i64 %x, [[I]]
; ASM-LABEL: q_mul:
; ASM: callq g@PLT
; ASM-NOT: callq
; ASM: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM-NOT: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM: callq __multf3@PLT
; ASM: .Lfunc_end
define void @q_mul(ptr %p, ptr %q) #0 {
  call void @g()
  %x = load i64, ptr %p, align 8
  %a = load fp128, ptr %q, align 16
  %q1 = getelementptr inbounds i8, ptr %q, i64 16
  %b = load fp128, ptr %q1, align 16
  %m = fmul fp128 %a, %b
  %i = fptosi fp128 %m to i64
  %o = or i64 %x, %i
  store i64 %o, ptr %p, align 8
  ret void
}

; IR-LABEL: define void @h_mul(
; IR: [[A:%[0-9]+]] = bitcast half %a to i16
; IR-NEXT: [[VA:%[0-9]+]] = call i16 asm "{{.*}}", "=r,0,s,~{memory}"(i16 [[A]],
; IR-NEXT: [[HA:%[0-9]+]] = bitcast i16 [[VA]] to half
; IR-NEXT: [[B:%[0-9]+]] = bitcast half %b to i16
; IR-NEXT: [[VB:%[0-9]+]] = call i16 asm sideeffect "", "=r,0,~{memory}"(i16 [[B]])
; IR-NEXT: [[HB:%[0-9]+]] = bitcast i16 [[VB]] to half
; IR-NEXT: %m = fmul half [[HA]], [[HB]]
; ASM-LABEL: h_mul:
; ASM: callq g@PLT
; ASM-NOT: callq
; ASM: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM-NOT: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM: callq __extendhfsf2@PLT
; ASM-NOT: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM: callq __extendhfsf2@PLT
; ASM: .Lfunc_end
define void @h_mul(ptr %p, ptr %h) #0 {
  call void @g()
  %x = load i64, ptr %p, align 8
  %a = load half, ptr %h, align 2
  %h1 = getelementptr inbounds i8, ptr %h, i64 2
  %b = load half, ptr %h1, align 2
  %m = fmul half %a, %b
  %i = fptosi half %m to i64
  %o = or i64 %x, %i
  store i64 %o, ptr %p, align 8
  ret void
}

declare void @g()
attributes #0 = { nounwind "frame-pointer"="all" "target-features"="+cx8,+sse,+sse2" }
