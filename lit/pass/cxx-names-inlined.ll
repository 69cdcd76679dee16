; Under -gline-tables-only a subprogram has no linkage name, and a C++
; function that was inlined and then deleted leaves only its short name
; ("inner") in the inline chains.  whence-names (clang runs it at the start
; of the pipeline) gives each C++ function's subprogram its linkage name
; before inlining, so its inlined frames get the qualified name; without it
; the short name stays.  The linkage names are all it adds, and the pass
; takes them out again once its table has the names (no LTO link follows).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-names,always-inline,whence<sites=on>,verify' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s --check-prefix=NOTED
; RUN: %opt -load-pass-plugin=%plugin -passes='always-inline,whence<sites=on>,verify' %s -o %t.plain.bc
; RUN: %llc -O2 -filetype=obj %t.plain.bc -o %t.plain.o
; RUN: python3 %S/Inputs/whence-dump.py %t.plain.o | FileCheck %s --check-prefix=PLAIN
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-names' -S %s | FileCheck %s --check-prefix=IR
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-names,always-inline,whence<sites=on>' -S %s | FileCheck %s --check-prefix=FORGOT
; Not with full debug info (the subprograms carry linkage names there) or
; on a module instrumented before.
; RUN: sed 's/LineTablesOnly/FullDebug/' %s | %opt -load-pass-plugin=%plugin -passes='whence-names' -S | FileCheck %s --check-prefix=NONE
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,whence-names' -S %s | FileCheck %s --check-prefix=NONE

; NOTED:      subprog[0] name=ns::outer file=/src/a.cpp line=10{{$}}
; NOTED-NEXT: subprog[1] name=ns::inner file=/src/a.cpp line=3{{$}}
; NOTED:      loc[1] subprog=ns::inner line=4 col=3 parent=1
; PLAIN:      subprog[0] name=ns::outer file=/src/a.cpp line=10{{$}}
; PLAIN-NEXT: subprog[1] name=inner file=/src/a.cpp line=3{{$}}

; IR-NOT: !whence
; IR-DAG: distinct !DISubprogram(name: "outer", linkageName: "_ZN2ns5outerEv",
; IR-DAG: distinct !DISubprogram(name: "inner", linkageName: "_ZN2ns5innerEv",
; NONE-NOT: linkageName
; FORGOT-NOT: linkageName

source_filename = "a.cpp"
target triple = "x86_64-unknown-linux-gnu"

declare void @ext(i32)

define linkonce_odr void @_ZN2ns5innerEv() alwaysinline !dbg !20 {
  call void @ext(i32 1), !dbg !21
  ret void, !dbg !21
}

define void @_ZN2ns5outerEv() !dbg !10 {
  call void @_ZN2ns5innerEv(), !dbg !11
  call void @ext(i32 2), !dbg !12
  ret void, !dbg !12
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "a.cpp", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"Dwarf Version", i32 5}
!5 = !DISubroutineType(types: !6)
!6 = !{}
!10 = distinct !DISubprogram(name: "outer", scope: !1, file: !1, line: 10, type: !5, scopeLine: 10, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = !DILocation(line: 11, column: 3, scope: !10)
!12 = !DILocation(line: 12, column: 3, scope: !10)
!20 = distinct !DISubprogram(name: "inner", scope: !1, file: !1, line: 3, type: !5, scopeLine: 3, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!21 = !DILocation(line: 4, column: 3, scope: !20)
