; A call the optimizer merged from several branches carries a line-0
; location in their common scope: which branch ran is not known.  Its site
; keeps line 0, through the table (a flat word with line 0 means "no site",
; the function's first line), whatever the instructions before it say: the
; line of the code before a merged call is another line (Lua's luaD_precall
; read as its `goto retry;`, e2e/merged-call-line.c).  An inlined line-0
; call keeps its inline chain.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s

source_filename = "merged.c"
target triple = "x86_64-unknown-linux-gnu"

@gv = global i32 0

declare void @ext(i32)

define void @f(i32 %x) !dbg !10 {
entry:
  store i32 %x, ptr @gv, align 4, !dbg !20      ; f:7:5
  call void @ext(i32 1), !dbg !21               ; line 0 in f
  br label %next
next:
  call void @ext(i32 2), !dbg !21               ; line 0
  store i32 %x, ptr @gv, align 4, !dbg !22      ; inlined: g:3:1 <- f:9:3
  call void @ext(i32 3), !dbg !21               ; line 0
  call void @ext(i32 4), !dbg !23               ; inlined line 0 in g
  ret void, !dbg !20
}

define void @h() !dbg !13 {
  call void @ext(i32 5), !dbg !24               ; line 0
  store i32 1, ptr @gv, align 4, !dbg !25
  ret void, !dbg !25
}

; CHECK:      site label=.text+{{[0-9]+}} loc=[[L0:[0-9]+]] chain=f:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=[[L0]] chain=f:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=[[L0]] chain=f:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=g:0:0 <- f:9:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=h:0:0
; CHECK-NOT:  site

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "merged.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 5, type: !5, scopeLine: 5, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "g", scope: !1, file: !1, line: 2, type: !5, scopeLine: 2, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!12 = distinct !DILocation(line: 9, column: 3, scope: !10)
!13 = distinct !DISubprogram(name: "h", scope: !1, file: !1, line: 20, type: !5, scopeLine: 20, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!20 = !DILocation(line: 7, column: 5, scope: !10)
!21 = !DILocation(line: 0, scope: !10)
!22 = !DILocation(line: 3, column: 1, scope: !11, inlinedAt: !12)
!23 = !DILocation(line: 0, scope: !11, inlinedAt: !12)
!24 = !DILocation(line: 0, scope: !13)
!25 = !DILocation(line: 22, column: 3, scope: !13)
