; IR may give a call any 32-bit line (a generator's line 4294967295: the
; verifier accepts it; C's #line stops at 2^31 - 1).  The runtime's lines
; are ints and it ignores a whole module with a loc past INT32_MAX, with
; every frame of it: the pass writes such a position as unknown (line and
; column 0), as it does positions whose file does not fit.  The lines
; around it keep theirs, and the program names every frame
; (e2e/huge-line.c).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s

; CHECK-NOT:  line out of range
; CHECK:      site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=g:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=g:2147483647:5
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=inner:0:0 <- g:3:1
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=ir_entry:7:3
; CHECK-NOT:  site

target triple = "x86_64-unknown-linux-gnu"

declare void @report()

define void @g() !dbg !10 {
  call void @report(), !dbg !11
  call void @report(), !dbg !12
  call void @report(), !dbg !16
  ret void, !dbg !12
}

define void @ir_entry() !dbg !13 {
  call void @report(), !dbg !14
  ret void, !dbg !14
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "gen", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "gen.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "g", scope: !1, file: !1, line: 1, type: !5, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = !DILocation(line: 4294967295, column: 3, scope: !10)
!12 = !DILocation(line: 2147483647, column: 5, scope: !10)
!13 = distinct !DISubprogram(name: "ir_entry", scope: !1, file: !1, line: 6, type: !5, scopeLine: 6, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!14 = !DILocation(line: 7, column: 3, scope: !13)
!15 = distinct !DISubprogram(name: "inner", scope: !1, file: !1, line: 2, type: !5, scopeLine: 2, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!16 = !DILocation(line: 2147483648, column: 9, scope: !15, inlinedAt: !17)
!17 = distinct !DILocation(line: 3, column: 1, scope: !10)
