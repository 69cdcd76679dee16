; What is not a call in the IR but becomes one in code generation gets a
; site label (passes/libcalls.c), and what stays inline gets none: the
; labels (IR) match the calls llc emits (asm), function by function.  A
; float, double or fp128 operand of such a call (an i128's low half) goes
; through the label asm, so that the scheduler cannot put the call (chained
; to nothing) before it (libcalls-order.ll: the order).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=IR
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O2 %t.bc -o - | FileCheck %s --check-prefix=ASM
target triple = "x86_64-unknown-linux-gnu"

; IR-LABEL: define {{.*}} @floor_plain(
; IR-NEXT: [[V:%[0-9]+]] = call double asm "{{.*}}", "=x,0,s,s,~{memory}"(double %x, ptr @floor_plain,
; IR-NEXT: %r = call double @llvm.floor.f64(double [[V]])
; ASM-LABEL: floor_plain:
; ASM: callq floor@PLT
; ASM: .cfi_endproc
define double @floor_plain(double %x) #0 {
  %r = call double @llvm.floor.f64(double %x)
  ret double %r
}
; IR-LABEL: define {{.*}} @floor_sse41(
; IR-NEXT: %r = call double @llvm.floor
; ASM-LABEL: floor_sse41:
; ASM-NOT: call
; ASM: .cfi_endproc
define double @floor_sse41(double %x) #1 {
  %r = call double @llvm.floor.f64(double %x)
  ret double %r
}
; IR-LABEL: define {{.*}} @floor_x87(
; IR-NEXT: call void asm
; ASM-LABEL: floor_x87:
; ASM: callq floorl@PLT
; ASM: .cfi_endproc
define x86_fp80 @floor_x87(x86_fp80 %x) #1 {
  %r = call x86_fp80 @llvm.floor.f80(x86_fp80 %x)
  ret x86_fp80 %r
}
; IR-LABEL: define {{.*}} @sqrt_inline(
; IR-NEXT: %r = call double @llvm.sqrt
; ASM-LABEL: sqrt_inline:
; ASM-NOT: call
; ASM: .cfi_endproc
define double @sqrt_inline(double %x) #0 {
  %r = call double @llvm.sqrt.f64(double %x)
  ret double %r
}
; IR-LABEL: define {{.*}} @div64(
; IR-NEXT: %r = sdiv i64
; ASM-LABEL: div64:
; ASM-NOT: call
; ASM: .cfi_endproc
define i64 @div64(i64 %a, i64 %b) #0 {
  %r = sdiv i64 %a, %b
  ret i64 %r
}
; IR-LABEL: define {{.*}} @div128(
; IR-NEXT: [[L:%[0-9]+]] = trunc i128 %a to i64
; IR-NEXT: [[V:%[0-9]+]] = call i64 asm "{{.*}}", "=r,0,s,s,~{memory}"(i64 [[L]], ptr @div128,
; IR-NEXT: [[H:%[0-9]+]] = and i128 %a, -18446744073709551616
; IR-NEXT: [[Z:%[0-9]+]] = zext i64 [[V]] to i128
; IR-NEXT: [[A:%[0-9]+]] = or i128 [[H]], [[Z]]
; IR-NEXT: %r = udiv i128 [[A]], %b
; ASM-LABEL: div128:
; ASM: callq __udivti3@PLT
; ASM: .cfi_endproc
define i128 @div128(i128 %a, i128 %b) #0 {
  %r = udiv i128 %a, %b
  ret i128 %r
}
; IR-LABEL: define {{.*}} @frem(
; IR-NEXT: [[V:%[0-9]+]] = call double asm "{{.*}}", "=x,0,s,s,~{memory}"(double %a, ptr @frem,
; IR-NEXT: %r = frem double [[V]], %b
; ASM-LABEL: frem:
; ASM: callq fmod@PLT
; ASM: .cfi_endproc
define double @frem(double %a, double %b) #0 {
  %r = frem double %a, %b
  ret double %r
}
; IR-LABEL: define {{.*}} @quad(
; IR-NEXT: [[V:%[0-9]+]] = call fp128 asm "{{.*}}", "=x,0,s,s,~{memory}"(fp128 %a, ptr @quad,
; IR-NEXT: %r = fadd fp128 [[V]], %b
; ASM-LABEL: quad:
; ASM: callq __addtf3@PLT
; ASM: .cfi_endproc
define fp128 @quad(fp128 %a, fp128 %b) #0 {
  %r = fadd fp128 %a, %b
  ret fp128 %r
}
; IR-LABEL: define {{.*}} @atomic16(
; IR-NEXT: call void asm
; ASM-LABEL: atomic16:
; ASM: callq __atomic_load_16@PLT
; ASM: .cfi_endproc
define i128 @atomic16(ptr %p) #0 {
  %r = load atomic i128, ptr %p seq_cst, align 16
  ret i128 %r
}
; IR-LABEL: define {{.*}} @atomic16_cx16(
; IR-NEXT: %r = load atomic
; ASM-LABEL: atomic16_cx16:
; ASM-NOT: call
; ASM: .cfi_endproc
define i128 @atomic16_cx16(ptr %p) #1 {
  %r = load atomic i128, ptr %p seq_cst, align 16
  ret i128 %r
}
; IR-LABEL: define {{.*}} @atomic8(
; IR-NEXT: %r = atomicrmw
; ASM-LABEL: atomic8:
; ASM-NOT: call
; ASM: .cfi_endproc
define i64 @atomic8(ptr %p) #0 {
  %r = atomicrmw add ptr %p, i64 1 seq_cst, align 8
  ret i64 %r
}
declare double @llvm.floor.f64(double)
declare x86_fp80 @llvm.floor.f80(x86_fp80)
declare double @llvm.sqrt.f64(double)
attributes #0 = { "target-features"="+cx8,+sse,+sse2" }
attributes #1 = { "target-features"="+cx16,+sse4.1,+sse2" }
