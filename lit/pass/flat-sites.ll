; Which calls get a flat site word (line and column in the whence_site
; record, no whence_loc) and which a table loc: flat only for a call of the
; function itself (not inlined), in its own file, whose line is below
; 0xfffff and column at most 2047; never in a module built for LTO (its
; functions may still be inlined into another module's, site labels and
; all, and only a table loc, named by its address there, lets the runtime
; see that).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s
; RUN: sed 's/^!llvm.module.flags = !{!2}/!llvm.module.flags = !{!2, !3}/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -o %t.lto.bc
; RUN: %llc -O2 -filetype=obj %t.lto.bc -o %t.lto.o
; RUN: python3 %S/Inputs/whence-dump.py %t.lto.o | FileCheck %s --check-prefix=LTO

source_filename = "flat.c"
target triple = "x86_64-unknown-linux-gnu"

declare void @ext(i32)

define void @f() !dbg !10 {
  call void @ext(i32 1), !dbg !20   ; 5:3: flat
  call void @ext(i32 2), !dbg !21   ; column 2047: flat
  call void @ext(i32 3), !dbg !22   ; column 2048: table
  call void @ext(i32 4), !dbg !23   ; line 1048574: flat
  call void @ext(i32 5), !dbg !24   ; line 1048575: table
  call void @ext(i32 6), !dbg !25   ; after #line "other.y": table
  call void @ext(i32 7), !dbg !26   ; inlined from g: table
  ret void, !dbg !20
}

; CHECK:      site label=.text+{{[0-9]+}} loc=flat chain=f:5:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=f:6:2047
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=f:7:2048
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=f:1048574:1
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=f:1048575:1
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=f:100:4
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=g:3:1 <- f:9:3
; CHECK-NOT:  site

; LTO:      site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=f:5:3
; LTO-NEXT: site label=.text+{{[0-9]+}} loc={{[0-9]+}} chain=f:6:2047
; LTO-NOT:  loc=flat

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "flat.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 1, !"EnableSplitLTOUnit", i32 0}
!5 = !DISubroutineType(types: !{})
!6 = !DIFile(filename: "other.y", directory: "/src")
!7 = !DILexicalBlockFile(scope: !10, file: !6, discriminator: 0)
!10 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 4, type: !5, scopeLine: 4, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "g", scope: !1, file: !1, line: 2, type: !5, scopeLine: 2, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!12 = distinct !DILocation(line: 9, column: 3, scope: !10)
!20 = !DILocation(line: 5, column: 3, scope: !10)
!21 = !DILocation(line: 6, column: 2047, scope: !10)
!22 = !DILocation(line: 7, column: 2048, scope: !10)
!23 = !DILocation(line: 1048574, column: 1, scope: !10)
!24 = !DILocation(line: 1048575, column: 1, scope: !10)
!25 = !DILocation(line: 100, column: 4, scope: !7)
!26 = !DILocation(line: 3, column: 1, scope: !11, inlinedAt: !12)
