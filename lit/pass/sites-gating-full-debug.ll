; Gating: in a module with a full-debug-info compile unit (-g), site labels are off by default (function records stay) and caller-frame slots are on instead (slots=auto: on exactly where sites are off); sites=on and WHENCE_SITES=1 turn labels on and slots off; an explicit pass parameter beats the environment; slots=off leaves neither.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=auto>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,ON
; RUN: env WHENCE_SITES=1 %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,ON
; RUN: env WHENCE_SITES=1 %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: env WHENCE_SITES=auto %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,OFF
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<slots=off>,verify' -S %s | FileCheck %s --check-prefixes=CHECK,NONE
; RUN: env WHENCE_SLOTS=0 %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s --check-prefixes=CHECK,NONE
; The table's flags say whether lines and sites are there.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence' %s | %llc -filetype=obj -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s --check-prefix=TABLE-OFF
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s | %llc -filetype=obj -o %t.on.o
; RUN: python3 %S/Inputs/whence-dump.py %t.on.o | FileCheck %s --check-prefix=TABLE-ON
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<slots=off>' %s | %llc -filetype=obj -o %t.none.o
; RUN: python3 %S/Inputs/whence-dump.py %t.none.o | FileCheck %s --check-prefix=TABLE-NONE

target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; CHECK-LABEL: define void @f()
; CHECK-SAME: !pcsections
; OFF-NOT: call void asm
; OFF: %whence.slot = alloca { ptr, i32, i32 }
; OFF: store volatile i32 0, ptr %{{[0-9]+}}, align 4
; OFF-NEXT: call void @ext()
; OFF-NEXT: ret void
; ON-NOT: whence.slot
; ON-NEXT: call void asm ".Lwhence_site${:uid}:
; ON-NEXT: call void @ext()
; NONE-NOT: call void asm
; NONE-NOT: whence.slot
; NONE-NEXT: call void @ext()
; NONE-NEXT: ret void
; CHECK: }
define void @f() !dbg !10 {
  call void @ext(), !dbg !20
  ret void, !dbg !20
}

; With slots the call's loc is in the table (the slot points at it) but there is no site record.
; TABLE-OFF: mod[0] name={{.*}} flags=LINES|SLOTS subprogs=1 locs=1
; TABLE-OFF: loc[0] subprog=f line=3 col=5 parent=0
; TABLE-OFF-NOT: site label
; TABLE-NONE: mod[0] name={{.*}} flags=LINES subprogs=1 locs=0
; TABLE-NONE-NOT: site label
; TABLE-ON: mod[0] name={{.*}} flags=LINES|SITES subprogs=1 locs=0
; TABLE-ON: site label=.text+{{[0-9]+}} loc=flat chain=f:3:5

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "full.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 2, type: !5, scopeLine: 2, spFlags: DISPFlagDefinition, unit: !0)
!20 = !DILocation(line: 3, column: 5, scope: !10)
