; Locs of inlined calls: each DILocation becomes one loc, its inlinedAt one parent loc (1 + index), shared inlinedAt prefixes become one entry; scopes in lexical blocks name their enclosing subprogram; subprog files join a relative filename with its directory. Checked on the bytes of the object file.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s

source_filename = "inline-chain.c"
target triple = "x86_64-unknown-linux-gnu"

declare void @ext(i32)

; outer() had mid() inlined, which had leaf() inlined twice (at mid:21 and mid:22).
define void @outer() !dbg !10 {
  call void @ext(i32 1), !dbg !30   ; leaf:5:7 <- mid:21:3 <- outer:40:3
  call void @ext(i32 2), !dbg !31   ; leaf:6:7 <- mid:21:3 <- outer:40:3 (same chain)
  call void @ext(i32 3), !dbg !33   ; leaf:5:7 <- mid:22:3 <- outer:40:3
  call void @ext(i32 4), !dbg !34   ; mid:23:9 (in a lexical block) <- outer:40:3
  call void @ext(i32 5), !dbg !35   ; outer:41:3
  call void @ext(i32 6)             ; no location: outer:0:0
  call void @ext(i32 7), !dbg !30   ; same DILocation as the first: same loc
  ret void, !dbg !35
}

; CHECK:      mod[0] name=/src/inline-chain.c key=0x[[KEY:[0-9a-f]+]] flags=LINES|SITES subprogs=4 locs=7 size=[[SIZE:[0-9]+]] version=6 header=64 layout=ok
; CHECK-NEXT:   subprog[0] name=outer file=/src/inline-chain.c line=39{{$}}
; CHECK-NEXT:   subprog[1] name=mid file=/src/inline-chain.c line=20{{$}}
; CHECK-NEXT:   subprog[2] name=leaf file=/usr/include/leaf.h line=4{{$}}
; CHECK-NEXT:   subprog[3] name=rel file=rel.c line=8{{$}}
; CHECK-NEXT:   loc[0] subprog=outer line=40 col=3 parent=0
; CHECK-NEXT:   loc[1] subprog=mid line=21 col=3 parent=1
; CHECK-NEXT:   loc[2] subprog=leaf line=5 col=7 parent=2
; CHECK-NEXT:   loc[3] subprog=leaf line=6 col=7 parent=2
; CHECK-NEXT:   loc[4] subprog=mid line=22 col=3 parent=1
; CHECK-NEXT:   loc[5] subprog=leaf line=5 col=7 parent=5
; CHECK-NEXT:   loc[6] subprog=mid line=23 col=9 parent=1
; CHECK-NEXT: fn entry=.text+0 size={{[0-9]+}} key=0x[[KEY]] subprog=outer
; CHECK-NEXT: fn entry=.text+{{[0-9]+}} size={{[0-9]+}} key=0x[[KEY]] subprog=rel
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=2 chain=leaf:5:7 <- mid:21:3 <- outer:40:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=3 chain=leaf:6:7 <- mid:21:3 <- outer:40:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=5 chain=leaf:5:7 <- mid:22:3 <- outer:40:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=6 chain=mid:23:9 <- outer:40:3
; Calls of the function itself, not inlined, are flat site words: no loc.
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=outer:41:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=outer:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=2 chain=leaf:5:7 <- mid:21:3 <- outer:40:3
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=rel:9:1
; CHECK-NOT: site

; A subprogram whose file has no directory keeps its relative name.
define void @rel() !dbg !14 {
  call void @ext(i32 8), !dbg !36
  ret void, !dbg !36
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "inline-chain.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !DIFile(filename: "/usr/include/leaf.h", directory: "")
!4 = !DIFile(filename: "rel.c", directory: "")
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "outer", scope: !1, file: !1, line: 39, type: !5, scopeLine: 39, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "mid", scope: !1, file: !1, line: 20, type: !5, scopeLine: 20, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!12 = distinct !DISubprogram(name: "leaf", scope: !3, file: !3, line: 4, type: !5, scopeLine: 4, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!13 = distinct !DILexicalBlock(scope: !11, file: !1, line: 23, column: 5)
!14 = distinct !DISubprogram(name: "rel", scope: !4, file: !4, line: 8, type: !5, scopeLine: 8, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!20 = distinct !DILocation(line: 40, column: 3, scope: !10)
!21 = distinct !DILocation(line: 21, column: 3, scope: !11, inlinedAt: !20)
!22 = distinct !DILocation(line: 22, column: 3, scope: !11, inlinedAt: !20)
!30 = !DILocation(line: 5, column: 7, scope: !12, inlinedAt: !21)
!31 = !DILocation(line: 6, column: 7, scope: !12, inlinedAt: !21)
!33 = !DILocation(line: 5, column: 7, scope: !12, inlinedAt: !22)
!34 = !DILocation(line: 23, column: 9, scope: !13, inlinedAt: !20)
!35 = !DILocation(line: 41, column: 3, scope: !10)
!36 = !DILocation(line: 9, column: 1, scope: !14)
