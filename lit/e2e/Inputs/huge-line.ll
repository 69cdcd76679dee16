; Calls at lines no C file can have (pass/huge-line.ll, e2e/huge-line.c).
declare void @report()

define void @g() !dbg !10 {
  call void @report(), !dbg !11
  call void @report(), !dbg !12
  ret void, !dbg !12
}

define void @ir_entry() !dbg !13 {
  call void @report(), !dbg !14
  call void @g(), !dbg !15
  ret void, !dbg !15
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
!15 = !DILocation(line: 8, column: 3, scope: !13)
