; Register and spill-slot roots (docs/LIVENESS.md, liveness_strict.c).  In
; a function that calls whence_gc itself (by default; with liveness=strict
; in every function that reaches it through direct calls), every pointer
; value live across a call is kept in a pass-owned slot (stored after its
; definition, reloaded after each call) that the ordinary clearing zeroes
; after its last reload, and each collecting call is preceded by an asm that
; zeroes rax, rbx, r12-r15 (declared clobbered) and the dead stack below the
; stack pointer.  Nothing of this in functions that never reach whence_gc,
; for integers or pointers into the stack or globals, in functions that call
; setjmp, or (the asm would clobber the base pointer) with a VLA.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,ON
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=strict>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,STRICT
; The asm: zero, declare clobbered, and the 256 bytes below rsp.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=ASM
; ASM: asm sideeffect "xorl %eax, %eax\0A\09xorl %ebx, %ebx\0A\09xorl %r12d, %r12d\0A\09xorl %r13d, %r13d\0A\09xorl %r14d, %r14d\0A\09xorl %r15d, %r15d\0A\09subq $$256, %rsp\0A\09movq %rsp, %rdi\0A\09movl $$32, %ecx\0A\09rep stosq\0A\09addq $$256, %rsp", "~{rax},~{rbx},~{rcx},~{rdi},~{r12},~{r13},~{r14},~{r15},~{memory},~{dirflag},~{fpsr},~{flags}"()
; AArch64: x19-x28 zeroed and declared clobbered, the same 256 bytes below
; sp in 16-byte pairs; the module assembles.
; RUN: sed -e 's/^target datalayout.*$//' -e 's/x86_64-unknown-linux-gnu/aarch64-unknown-linux-gnu/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S | FileCheck %s --check-prefix=A64
; RUN: sed -e 's/^target datalayout.*$//' -e 's/x86_64-unknown-linux-gnu/aarch64-unknown-linux-gnu/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on;slots=off;liveness=strict>' | %llc -O2 -filetype=obj -o %t.a64.o
; A64: asm sideeffect "mov x19, xzr\0A\09mov x20, xzr\0A\09{{.*}}mov x28, xzr\0A\09sub sp, sp, #256\0A\09mov x9, sp\0A\09add x10, x9, #256\0A1:\0A\09stp xzr, xzr, [x9], #16\0A\09cmp x9, x10\0A\09b.lo 1b\0A\09add sp, sp, #256", "~{x9},~{x10},~{x19},~{x20},~{x21},~{x22},~{x23},~{x24},~{x25},~{x26},~{x27},~{x28},~{memory},~{cc}"()
; Site labels stay right before their calls (the asm goes before the label).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=SITES
; SITES-LABEL: define void @direct(
; SITES: call void asm sideeffect "xorl
; SITES-NEXT: call void asm ".Lwhence_site
; SITES-NEXT: call void @whence_gc()

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare ptr @whence_gc_alloc(i64)
declare void @whence_gc()
declare void @keeps(ptr)
declare void @keeps_int(i64)
declare i32 @setjmp(ptr) returns_twice
@g = global [4 x ptr] zeroinitializer

; p is live across the first collection, dead after keeps(p).
; CHECK-LABEL: define void @direct(
; CHECK-NEXT: %whence.lv.v = alloca ptr, align 8
; CHECK-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; CHECK-NEXT: store ptr %p, ptr %whence.lv.v, align 8
; CHECK-NEXT: call void asm sideeffect "xorl
; CHECK-NEXT: call void @whence_gc()
; CHECK-NEXT: [[R:%.*]] = load ptr, ptr %whence.lv.v, align 8
; CHECK-NEXT: store volatile ptr null, ptr %whence.lv.v, align 8
; CHECK-NEXT: call void @keeps(ptr [[R]])
; CHECK-NEXT: call void asm sideeffect "xorl
; CHECK-NEXT: call void @whence_gc()
define void @direct() {
  %p = call ptr @whence_gc_alloc(i64 16)
  call void @whence_gc()
  call void @keeps(ptr %p)
  call void @whence_gc()
  ret void
}

; Reaches whence_gc only through @direct: strict mode only.
; CHECK-LABEL: define void @indirect_caller(
; ON-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; ON-NEXT: call void @direct()
; ON-NEXT: call void @keeps(ptr %p)
; STRICT-NEXT: %whence.lv.v = alloca ptr, align 8
; STRICT-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; STRICT-NEXT: store ptr %p, ptr %whence.lv.v, align 8
; STRICT-NEXT: call void asm sideeffect "xorl
; STRICT-NEXT: call void @direct()
; STRICT-NEXT: [[R:%.*]] = load ptr, ptr %whence.lv.v, align 8
; STRICT-NEXT: store volatile ptr null, ptr %whence.lv.v, align 8
; STRICT-NEXT: call void @keeps(ptr [[R]])
define void @indirect_caller() {
  %p = call ptr @whence_gc_alloc(i64 16)
  call void @direct()
  call void @keeps(ptr %p)
  call void @direct()
  ret void
}

; Negative: never reaches whence_gc.
; CHECK-LABEL: define void @never_collects(
; CHECK-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; CHECK-NEXT: call void @keeps(ptr null)
; CHECK-NEXT: call void @keeps(ptr %p)
define void @never_collects() {
  %p = call ptr @whence_gc_alloc(i64 16)
  call void @keeps(ptr null)
  call void @keeps(ptr %p)
  ret void
}

; Negative: an integer (a disguised pointer stays), a pointer into a
; global, a pointer to a local: none of them is demoted.
; CHECK-LABEL: define void @integers_and_stack(
; CHECK-NOT: whence.lv.v
; CHECK: call void @whence_gc()
; CHECK-NEXT: call void @keeps_int(i64 %i)
; CHECK-NEXT: call void @keeps(ptr %gp)
; CHECK-NEXT: call void @keeps(ptr %a)
define void @integers_and_stack() {
  %a = alloca ptr, align 8
  %p = call ptr @whence_gc_alloc(i64 16)
  %i = ptrtoint ptr %p to i64
  %gp = getelementptr inbounds [4 x ptr], ptr @g, i64 0, i64 1
  call void @whence_gc()
  call void @keeps_int(i64 %i)
  call void @keeps(ptr %gp)
  call void @keeps(ptr %a)
  ret void
}

; Negative: returns_twice - left alone entirely.
; CHECK-LABEL: define i32 @with_setjmp(
; CHECK-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; CHECK-NEXT: %r = call i32 @setjmp(ptr %jb)
; CHECK-NEXT: call void @whence_gc()
; CHECK-NEXT: call void @keeps(ptr %p)
define i32 @with_setjmp(ptr %jb) {
  %p = call ptr @whence_gc_alloc(i64 16)
  %r = call i32 @setjmp(ptr %jb)
  call void @whence_gc()
  call void @keeps(ptr %p)
  ret i32 %r
}

; Negative: a VLA (rbx may be the base pointer).
; CHECK-LABEL: define void @with_vla(
; CHECK-NEXT: %v = alloca ptr, i64 %n, align 8
; CHECK-NEXT: %p = call ptr @whence_gc_alloc(i64 16)
; CHECK-NEXT: call void @whence_gc()
; CHECK-NEXT: call void @keeps(ptr %p)
define void @with_vla(i64 %n) {
  %v = alloca ptr, i64 %n, align 8
  %p = call ptr @whence_gc_alloc(i64 16)
  call void @whence_gc()
  call void @keeps(ptr %p)
  call void @keeps(ptr %v)
  ret void
}

; A value made in one iteration and used in the next (a phi): reloaded at
; the end of the iteration, cleared once the loop is left.
; CHECK-LABEL: define void @loop(
; CHECK: loop:
; CHECK-NEXT: %i = phi i64
; CHECK-NEXT: %cur = phi ptr [ %p, %entry ], [ [[R:%.*]], %loop ]
; CHECK-NEXT: call void @keeps(ptr %cur)
; CHECK-NEXT: %q = call ptr @whence_gc_alloc(i64 16)
; CHECK-NEXT: store ptr %q, ptr %whence.lv.v, align 8
; CHECK-NEXT: call void asm sideeffect "xorl
; CHECK-NEXT: call void @whence_gc()
; CHECK: [[R]] = load ptr, ptr %whence.lv.v, align 8
; CHECK-NEXT: br i1 %c, label %loop, label %exit
; CHECK: exit:
; CHECK-NEXT: [[E:%.*]] = load ptr, ptr %whence.lv.v, align 8
; CHECK-NEXT: store volatile ptr null, ptr %whence.lv.v, align 8
; CHECK-NEXT: call void @keeps(ptr [[E]])
define void @loop(i64 %n) {
entry:
  %p = call ptr @whence_gc_alloc(i64 16)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %cur = phi ptr [ %p, %entry ], [ %q, %loop ]
  call void @keeps(ptr %cur)
  %q = call ptr @whence_gc_alloc(i64 16)
  call void @whence_gc()
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  call void @keeps(ptr %q)
  ret void
}
