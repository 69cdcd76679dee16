; Two arms of a loop ending in the same call through the GOT (-fno-plt:
; the callee is `nonlazybind`).  `nomerge` does not keep them apart: the
; GOT load is loop-invariant, MachineLICM unfolds it from the call to hoist
; it, and the call it rebuilds (CALL64r) has lost the NoMerge flag, so
; branch folding merged the two calls into one after one label (LLVM 19;
; one arm's inline chain named for both).  Such calls keep the separator
; (instrument.c, keeps_its_call).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O2 -relocation-model=pic %t.bc -o - | FileCheck %s
; RUN: %llc -O3 -relocation-model=pic %t.bc -o - | FileCheck %s
; CHECK-LABEL: f:
; CHECK-COUNT-2: callq *
; CHECK-NOT: callq *
; CHECK: .Lfunc_end0:
target triple = "x86_64-unknown-linux-gnu"

declare void @a(i32)
declare void @b(i32)
declare void @ext(ptr, i64) nonlazybind

define void @f(ptr %p, ptr %q, i32 %n) !dbg !5 {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %latch ]
  %t = icmp sgt i32 %i, 3
  br i1 %t, label %x, label %y
x:
  call void @a(i32 %i), !dbg !8
  %l1 = load i64, ptr %q
  %m1 = add i64 %l1, 1
  %n1 = mul i64 %m1, 7
  call void @ext(ptr %p, i64 %n1), !dbg !9
  br label %latch
y:
  call void @b(i32 %i), !dbg !10
  %l2 = load i64, ptr %q
  %m2 = add i64 %l2, 1
  %n2 = mul i64 %m2, 7
  call void @ext(ptr %p, i64 %n2), !dbg !11
  br label %latch
latch:
  %i1 = add i32 %i, 1
  %c = icmp slt i32 %i1, %n
  br i1 %c, label %loop, label %out
out:
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "got.c", directory: "/tmp")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"Dwarf Version", i32 5}
!5 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 1, type: !6, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 4, column: 5, scope: !5)
!9 = !DILocation(line: 5, column: 5, scope: !5)
!10 = !DILocation(line: 7, column: 5, scope: !5)
!11 = !DILocation(line: 8, column: 5, scope: !5)
