; libcalls.ll for AArch64 (passes/libcalls.c): what the AArch64 backend
; turns into a library call gets a site label, what it keeps inline gets
; none; the labels (IR) match the calls llc emits (asm), function by
; function.  long double is fp128 there, half and floor are hardware, and
; outline atomics (clang's default on Linux) make read-modify-writes calls
; unless LSE is there.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=IR
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O2 %t.bc -o - | FileCheck %s --check-prefix=ASM
target triple = "aarch64-unknown-linux-gnu"

; IR-LABEL: define {{.*}} @floor_hw(
; IR-NEXT: %r = call double @llvm.floor
; ASM-LABEL: floor_hw:
; ASM-NOT: bl
; ASM: .cfi_endproc
define double @floor_hw(double %x) #0 {
  %r = call double @llvm.floor.f64(double %x)
  ret double %r
}
; IR-LABEL: define {{.*}} @fma_hw(
; IR-NEXT: %r = call double @llvm.fma
; ASM-LABEL: fma_hw:
; ASM-NOT: bl
; ASM: .cfi_endproc
define double @fma_hw(double %a, double %b, double %c) #0 {
  %r = call double @llvm.fma.f64(double %a, double %b, double %c)
  ret double %r
}
; IR-LABEL: define {{.*}} @half_add(
; IR-NEXT: %r = fadd half
; ASM-LABEL: half_add:
; ASM-NOT: bl
; ASM: .cfi_endproc
define half @half_add(half %a, half %b) #0 {
  %r = fadd half %a, %b
  ret half %r
}
; IR-LABEL: define {{.*}} @long_double_add(
; IR-NEXT: [[V:%[0-9]+]] = call fp128 asm "{{.*}}", "=w,0,s,s,~{memory}"(fp128 %a, ptr @long_double_add,
; IR-NEXT: %r = fadd fp128 [[V]], %b
; IR-NEXT: [[R:%[0-9]+]] = call fp128 asm "", "=w,0,~{memory}"(fp128 %r)
; IR-NEXT: ret fp128 [[R]]
; ASM-LABEL: long_double_add:
; ASM: bl __addtf3
; ASM: .cfi_endproc
define fp128 @long_double_add(fp128 %a, fp128 %b) #0 {
  %r = fadd fp128 %a, %b
  ret fp128 %r
}
; IR-LABEL: define {{.*}} @div128(
; IR-NEXT: [[L:%[0-9]+]] = trunc i128 %a to i64
; IR-NEXT: [[V:%[0-9]+]] = call i64 asm "{{.*}}", "=r,0,s,s,~{memory}"(i64 [[L]], ptr @div128,
; IR-NEXT: [[H:%[0-9]+]] = and i128 %a, -18446744073709551616
; IR-NEXT: [[Z:%[0-9]+]] = zext i64 [[V]] to i128
; IR-NEXT: [[A:%[0-9]+]] = or i128 [[H]], [[Z]]
; IR-NEXT: %r = sdiv i128 [[A]], %b
; ASM-LABEL: div128:
; ASM: bl __divti3
; ASM: .cfi_endproc
define i128 @div128(i128 %a, i128 %b) #0 {
  %r = sdiv i128 %a, %b
  ret i128 %r
}
; IR-LABEL: define {{.*}} @frem(
; IR-NEXT: [[V:%[0-9]+]] = call double asm "{{.*}}", "=w,0,s,s,~{memory}"(double %a, ptr @frem,
; IR-NEXT: %r = frem double [[V]], %b
; ASM-LABEL: frem:
; ASM: bl fmod
; ASM: .cfi_endproc
define double @frem(double %a, double %b) #0 {
  %r = frem double %a, %b
  ret double %r
}
; IR-LABEL: define {{.*}} @rmw_outline(
; IR-NEXT: call void asm
; ASM-LABEL: rmw_outline:
; ASM: bl __aarch64_ldadd8_acq_rel
; ASM: .cfi_endproc
define i64 @rmw_outline(ptr %p) #1 {
  %r = atomicrmw add ptr %p, i64 1 seq_cst, align 8
  ret i64 %r
}
; IR-LABEL: define {{.*}} @rmw_lse(
; IR-NEXT: %r = atomicrmw
; ASM-LABEL: rmw_lse:
; ASM-NOT: bl
; ASM: .cfi_endproc
define i64 @rmw_lse(ptr %p) #2 {
  %r = atomicrmw add ptr %p, i64 1 seq_cst, align 8
  ret i64 %r
}
; IR-LABEL: define {{.*}} @load8(
; IR-NEXT: %r = load atomic
; ASM-LABEL: load8:
; ASM-NOT: bl
; ASM: .cfi_endproc
define i64 @load8(ptr %p) #1 {
  %r = load atomic i64, ptr %p seq_cst, align 8
  ret i64 %r
}
declare double @llvm.floor.f64(double)
declare double @llvm.fma.f64(double, double, double)
attributes #0 = { nounwind uwtable "target-features"="+neon,+fp-armv8" }
attributes #1 = { nounwind uwtable "target-features"="+neon,+fp-armv8,+outline-atomics" }
attributes #2 = { nounwind uwtable "target-features"="+neon,+fp-armv8,+outline-atomics,+lse" }
