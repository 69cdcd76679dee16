; tls-sites.ll for AArch64 (passes/tls.c): in a shared library (PIC, no
; PIE), a variable of the general-dynamic (@tv) or local-dynamic (@stv:
; dso_local) model goes through its TLS descriptor's function (blr).  Its llvm.threadlocal.address gets a site label that ends
; its block (callbr: the call cannot be scheduled above it) and its value
; goes through an empty asm (nor below the next label).  Initial-exec
; (@iev) and every variable of an executable (PIE) are no call: no label.
; -O0 (optnone) code keeps program order: a plain label.  Slot mode: the
; slot's store, then an empty callbr, the same way.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=IR
; RUN: sed 's/"PIE Level", i32 0/"PIE Level", i32 2/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S -o - 2>/dev/null | FileCheck %s --check-prefix=PIE
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=SLOT
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O2 -relocation-model=pic %t.bc -o - | FileCheck %s --check-prefix=ASM
target triple = "aarch64-unknown-linux-gnu"

@tv = thread_local global i64 0, align 8
@stv = internal thread_local global i64 0, align 8
@iev = thread_local(initialexec) global i64 0, align 8

; IR-LABEL: define i64 @gd(
; IR: call void @g()
; IR-NEXT: callbr void asm ".Lwhence_site${:uid}:{{.*}}"({{.*}})
; IR-NEXT: to label %[[NEXT:.*]] []
; IR: [[NEXT]]:
; IR-NEXT: %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
; IR-NEXT: [[F:%[0-9]+]] = call ptr asm "", "=r,0,~{memory}"(ptr %a)
; IR-NEXT: %v = load i64, ptr [[F]]
; IR: store i64 %w, ptr [[F]]
; PIE-LABEL: define i64 @gd(
; PIE-NOT: callbr
; PIE: %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
; PIE-NEXT: %v = load i64, ptr %a
; SLOT-LABEL: define i64 @gd(
; SLOT: call void @g()
; SLOT-NEXT: getelementptr
; SLOT-NEXT: store volatile i32 {{.*}}, ptr %{{.*}}, align 4
; SLOT-NEXT: callbr void asm "", ""()
; SLOT-NEXT: to label %[[NEXT:.*]] []
; SLOT: [[NEXT]]:
; SLOT-NEXT: %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
; SLOT-NEXT: [[F:%[0-9]+]] = call ptr asm "", "=r,0,~{memory}"(ptr %a)
; ASM-LABEL: gd:
; ASM: bl g
; ASM-NOT: bl
; ASM: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM-NOT: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM: .tlsdesccall tv
; ASM-NEXT: blr
; ASM: .cfi_endproc
define i64 @gd() #0 {
  call void @g()
  %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
  %v = load i64, ptr %a, align 8
  %w = add nsw i64 %v, 1
  store i64 %w, ptr %a, align 8
  ret i64 %w
}

; IR-LABEL: define i64 @ld(
; IR: callbr void asm ".Lwhence_site
; IR: %a = call ptr @llvm.threadlocal.address.p0(ptr @stv)
; IR-NEXT: call ptr asm "", "=r,0,~{memory}"(ptr %a)
; ASM-LABEL: ld:
; ASM: bl g
; ASM-NOT: bl
; ASM: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM-NOT: {{^}}.Lwhence_site{{[0-9]+}}:
; ASM: .tlsdesccall
; ASM-NEXT: blr
; ASM: .cfi_endproc
define i64 @ld() #0 {
  call void @g()
  %a = call ptr @llvm.threadlocal.address.p0(ptr @stv)
  %v = load i64, ptr %a, align 8
  %w = add nsw i64 %v, 2
  store i64 %w, ptr %a, align 8
  ret i64 %w
}

; IR-LABEL: define i64 @ie(
; IR-NOT: callbr
; IR: %a = call ptr @llvm.threadlocal.address.p0(ptr @iev)
; IR-NEXT: %v = load i64, ptr %a
; ASM-LABEL: ie:
; ASM-NOT: tlsdesc
; ASM: .cfi_endproc
define i64 @ie() #0 {
  call void @g()
  %a = call ptr @llvm.threadlocal.address.p0(ptr @iev)
  %v = load i64, ptr %a, align 8
  %w = add nsw i64 %v, 3
  store i64 %w, ptr %a, align 8
  ret i64 %w
}

; IR-LABEL: define i64 @gd_O0(
; IR-NOT: callbr
; IR: call void @g()
; IR-NEXT: call void asm sideeffect ".Lwhence_site
; IR-NEXT: %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
; IR-NEXT: %v = load i64, ptr %a
define i64 @gd_O0() #1 {
  call void @g()
  %a = call ptr @llvm.threadlocal.address.p0(ptr @tv)
  %v = load i64, ptr %a, align 8
  ret i64 %v
}

declare void @g()
declare ptr @llvm.threadlocal.address.p0(ptr)
attributes #0 = { nounwind uwtable }
attributes #1 = { noinline optnone nounwind uwtable }

!llvm.module.flags = !{!0, !1}
!0 = !{i32 8, !"PIC Level", i32 2}
!1 = !{i32 7, !"PIE Level", i32 0}
