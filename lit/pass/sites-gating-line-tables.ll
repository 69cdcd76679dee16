; Gating: -gline-tables-only (LineTablesOnly compile units, here next to a NoDebug one) keeps site labels on by default; sites=off and WHENCE_SITES=0 turn them off.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,ON
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: env WHENCE_SITES=0 %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: env WHENCE_SITES=0 %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,ON
; A value that is not 0, 1 or auto is reported and treated as auto.
; RUN: env WHENCE_SITES=maybe %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s 2>%t.err | FileCheck %s --check-prefixes=CHECK,ON
; RUN: FileCheck %s --check-prefix=WARN < %t.err
; WARN: whence: warning: WHENCE_SITES='maybe' is not 0, 1 or auto; using auto

target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; CHECK-LABEL: define void @f()
; OFF-NOT: call void asm
; ON-NEXT: call void asm ".Lwhence_site${:uid}:
; CHECK: call void @ext()
define void @f() !dbg !10 {
  call void @ext(), !dbg !20
  ret void, !dbg !20
}

!llvm.dbg.cu = !{!0, !3}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!3 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: NoDebug)
!1 = !DIFile(filename: "lines.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 2, type: !5, scopeLine: 2, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!20 = !DILocation(line: 3, column: 5, scope: !10)
