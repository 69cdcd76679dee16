; Line records: in a module with debug info, each load, store, atomicrmw and
; cmpxchg that has a debug location and starts a new source position in its
; block (line or inline chain differs from the previous *recorded* memory op
; of the block; the column does not count; operations without a location
; do not interrupt a run, calls do: a call's label is the nearest record
; before the code after it, and a load there of the run's line would read
; the call's) gets an instruction-level
; !pcsections !{!"whence_line", !{i32 <loc>}}, appended to any !pcsections
; already there.  They are independent of sites and slots, and never put on
; the pass's own slot code.  Without debug info there are none.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;lines=on>,verify' -S %s | FileCheck %s
; Off by default (objects must be reproducible; see pass.c), and lines=off.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off>,verify' -S %s | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='!"whence_line"'
; RUN: env WHENCE_LINES=1 %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;lines=off>,verify' -S %s | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='!"whence_line"'
; DEFAULT: define
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on;lines=on>,verify' -S %s | FileCheck %s --check-prefix=SLOTS
; RUN: %opt -strip-debug -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;lines=on>,verify' -S %s 2>/dev/null | FileCheck %s --check-prefix=NODEBUG --implicit-check-not='!"whence_line"'
;
; In the object: section whence_line, "WAL" (writable like whence_fn,
; link-order to its function's text), alignment 1, a stream of 32-bit words
; (whence_abi.h): per distinct node, one pc word (pc-relative, to the
; instruction) per instruction carrying it, then one loc word (tag | loc);
; a comdat function's words in its group ("WALG").  Code-generated at -O0
; and -O2; the pc is the address of the memory instruction itself.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;lines=on>' %s -o %t.bc
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.o
; RUN: llvm-readelf -S -g %t.o | FileCheck %s --check-prefix=SECT
; RUN: llvm-readelf -r %t.o | FileCheck %s --check-prefix=RELOC
; RUN: python3 %S/Inputs/whence-dump.py %t.o > %t.txt
; RUN: llvm-objdump -d --no-show-raw-insn %t.o >> %t.txt
; RUN: FileCheck %s --check-prefix=OBJ < %t.txt
; RUN: %llc -O0 -filetype=obj %t.bc -o %t.O0.o
; RUN: python3 %S/Inputs/whence-dump.py %t.O0.o > %t.O0.txt
; RUN: llvm-objdump -d --no-show-raw-insn %t.O0.o >> %t.O0.txt
; RUN: FileCheck %s --check-prefix=OBJ0 < %t.O0.txt
; Without debug info: no line records, only the empty section that
; defines the bound in every image (ctors.c).
; RUN: %opt -strip-debug -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;lines=on>' %s 2>/dev/null | %llc -O2 -filetype=obj -o %t.nodebug.o
; RUN: llvm-readelf -S %t.nodebug.o | FileCheck %s --check-prefix=NOSECT
; NOSECT: ] whence_line PROGBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 000000
; NOSECT-NOT: whence_line

source_filename = "lines.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

$shared = comdat any

@g = global i32 0
@h = global i64 0

declare void @ext()

; CHECK-LABEL: define i32 @mem(
; CHECK-NEXT: entry:
; CHECK-NEXT: %a = load i32, ptr %p, align 4, !dbg !{{[0-9]+}}, !pcsections ![[RA:[0-9]+]]
; Same line, other column: no record.
; CHECK-NEXT: store i32 %a, ptr @g, align 4, !dbg !{{[0-9]+}}{{$}}
; CHECK-NEXT: %old = atomicrmw add ptr @h, i64 1 seq_cst, align 8, !dbg ![[L11:[0-9]+]], !pcsections ![[RRMW:[0-9]+]]
; CHECK-NEXT: %pair = cmpxchg ptr @h, i64 0, i64 1 seq_cst seq_cst, align 8, !dbg !{{[0-9]+}}{{$}}
; No location: no record, and the run of line 11 goes on.
; CHECK-NEXT: %nodbg = load i32, ptr @g, align 4{{$}}
; CHECK-NEXT: store i32 3, ptr @g, align 4, !dbg ![[L11]]{{$}}
; Inlined (helper <- mem:12): a new chain.
; CHECK-NEXT: %b = load i32, ptr %p, align 4, !dbg !{{[0-9]+}}, !pcsections ![[RB:[0-9]+]]
; CHECK-NEXT: %b2 = load volatile i32, ptr %p, align 4, !dbg !{{[0-9]+}}{{$}}
; mem:12 itself: not the chain of the previous record.
; CHECK-NEXT: %d = load i32, ptr %p, align 4, !dbg ![[L12:[0-9]+]], !pcsections ![[RD:[0-9]+]]
; A call ends the run.
; CHECK-NEXT: call void @ext()
; CHECK-NEXT: %d2 = load i32, ptr %p, align 4, !dbg ![[L12]], !pcsections !{{[0-9]+}}{{$}}
; An existing !pcsections keeps its sections; ours is appended.
; CHECK-NEXT: %o = load i32, ptr %p, align 4, !dbg ![[L14:[0-9]+]], !pcsections ![[RO:[0-9]+]]
; CHECK-NEXT: br i1
; A new block starts a new run.
; CHECK: next:
; CHECK-NEXT: %e = load i32, ptr %p, align 4, !dbg ![[L14]], !pcsections ![[RE:[0-9]+]]
; The position of %a again, in a new block: a record, and the very same
; (uniqued) node as %a's.
; CHECK: again:
; CHECK-NEXT: %f = load volatile i32, ptr %p, align 4, !dbg !{{[0-9]+}}, !pcsections ![[RA]]
; CHECK: done:
; CHECK-NEXT: phi
; CHECK-NEXT: ret i32 %r
; SLOTS-LABEL: define i32 @mem(
; SLOTS: %whence.frame = call ptr @llvm.frameaddress.p0(i32 0), !dbg !{{[0-9]+}}{{$}}
; SLOTS: store volatile { ptr, i32, i32 } %{{[0-9]+}}, ptr %whence.slot, align 8, !dbg !{{[0-9]+}}{{$}}
; SLOTS-NEXT: %a = load i32, ptr %p, align 4, !dbg !{{[0-9]+}}, !pcsections ![[SRA:[0-9]+]]
; SLOTS: store volatile i32 {{[0-9]+}}, ptr %{{[0-9]+}}, align 4, !dbg !{{[0-9]+}}{{$}}
; SLOTS-NEXT: call void @ext()
; SLOTS: ![[SRA]] = !{!"whence_line", !{{[0-9]+}}}
; NODEBUG-LABEL: define i32 @mem(
; NODEBUG-NEXT: entry:
; NODEBUG-NEXT: %a = load i32, ptr %p, align 4{{$}}
; NODEBUG: %o = load i32, ptr %p, align 4, !pcsections ![[NO:[0-9]+]]
; NODEBUG: ![[NO]] = !{!"other_sect", !{{[0-9]+}}}
define i32 @mem(ptr %p, i1 %c) !dbg !10 {
entry:
  %a = load i32, ptr %p, align 4, !dbg !20
  store i32 %a, ptr @g, align 4, !dbg !21
  %old = atomicrmw add ptr @h, i64 1 seq_cst, align 8, !dbg !22
  %pair = cmpxchg ptr @h, i64 0, i64 1 seq_cst seq_cst, align 8, !dbg !23
  %nodbg = load i32, ptr @g, align 4
  store i32 3, ptr @g, align 4, !dbg !22
  %b = load i32, ptr %p, align 4, !dbg !30
  %b2 = load volatile i32, ptr %p, align 4, !dbg !31
  %d = load i32, ptr %p, align 4, !dbg !24
  call void @ext(), !dbg !25
  %d2 = load i32, ptr %p, align 4, !dbg !24
  %o = load i32, ptr %p, align 4, !dbg !26, !pcsections !40
  br i1 %c, label %next, label %done, !dbg !26
next:
  %e = load i32, ptr %p, align 4, !dbg !26
  br label %again
again:
  %f = load volatile i32, ptr %p, align 4, !dbg !20
  %ef = add i32 %e, %f
  br label %done
done:
  %r = phi i32 [ %a, %entry ], [ %ef, %again ]
  ret i32 %r, !dbg !26
}

; CHECK-LABEL: define linkonce_odr i32 @shared(
; CHECK-NEXT: %v = load i32, ptr %p, align 4, !dbg !{{[0-9]+}}, !pcsections ![[RV:[0-9]+]]
define linkonce_odr i32 @shared(ptr %p) comdat !dbg !11 {
  %v = load i32, ptr %p, align 4, !dbg !27
  ret i32 %v, !dbg !27
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "lines.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "mem", scope: !1, file: !1, line: 9, type: !5, scopeLine: 9, spFlags: DISPFlagDefinition, unit: !0)
!11 = distinct !DISubprogram(name: "shared", scope: !1, file: !1, line: 30, type: !5, scopeLine: 30, spFlags: DISPFlagDefinition, unit: !0)
!12 = distinct !DISubprogram(name: "helper", scope: !1, file: !1, line: 40, type: !5, scopeLine: 40, spFlags: DISPFlagDefinition, unit: !0)
!20 = !DILocation(line: 10, column: 11, scope: !10)
!21 = !DILocation(line: 10, column: 5, scope: !10)
!22 = !DILocation(line: 11, column: 3, scope: !10)
!23 = !DILocation(line: 11, column: 20, scope: !10)
!24 = !DILocation(line: 12, column: 7, scope: !10)
!25 = !DILocation(line: 13, column: 3, scope: !10)
!26 = !DILocation(line: 14, column: 3, scope: !10)
!27 = !DILocation(line: 31, column: 10, scope: !11)
!28 = !DILocation(line: 12, column: 3, scope: !10)
!30 = !DILocation(line: 41, column: 3, scope: !12, inlinedAt: !28)
!31 = !DILocation(line: 41, column: 9, scope: !12, inlinedAt: !28)
!40 = !{!"other_sect", !41}
!41 = !{i32 7}

; Aux word: WHENCE_LINE_LOC_TAG (0x7a000000 = 2046820352) | loc index.  Loc
; indices: only positions that get a record (and calls) are interned, in
; order.
; CHECK-DAG: ![[RA]] = !{!"whence_line", ![[A0:[0-9]+]]}
; CHECK-DAG: ![[A0]] = !{i32 2046820352}
; CHECK-DAG: ![[RRMW]] = !{!"whence_line", ![[A2:[0-9]+]]}
; CHECK-DAG: ![[A2]] = !{i32 2046820353}
; CHECK-DAG: ![[RB]] = !{!"whence_line", ![[A5:[0-9]+]]}
; CHECK-DAG: ![[A5]] = !{i32 2046820355}
; CHECK-DAG: ![[RD]] = !{!"whence_line", ![[A7:[0-9]+]]}
; CHECK-DAG: ![[A7]] = !{i32 2046820356}
; CHECK-DAG: ![[RO]] = !{!"other_sect", ![[SEVEN:[0-9]+]], !"whence_line", ![[A8:[0-9]+]]}
; CHECK-DAG: ![[SEVEN]] = !{i32 7}
; CHECK-DAG: ![[RE]] = !{!"whence_line", ![[A8]]}
; CHECK-DAG: ![[A8]] = !{i32 2046820357}
; CHECK-DAG: ![[RV]] = !{!"whence_line", ![[A9:[0-9]+]]}
; CHECK-DAG: ![[A9]] = !{i32 2046820358}

; SECT:      [{{ *}}[[TEXT:[0-9]+]]] .text PROGBITS
; .text at -O2: loc 0 (%a, %f: 2 pc words + 1 loc word), loc 1 (atomicrmw),
; loc 5 (%e; %o is dead): 7 words.
; SECT:      ] whence_line PROGBITS 0000000000000000 {{[0-9a-f]+}} 00001c 00 WAL [[TEXT]] 0 1
; SECT:      [{{ *}}[[SH:[0-9]+]]] .text.shared PROGBITS {{.*}} AXG 0 0 16
; SECT:      [{{ *}}[[SHL:[0-9]+]]] whence_line PROGBITS 0000000000000000 {{[0-9a-f]+}} 000008 00 WALG [[SH]] 0 1
; SECT:      COMDAT group section [{{ *[0-9]+}}] `.group' [shared] contains
; SECT-NEXT:    [Index] Name
; SECT-NEXT:    [{{ *}}[[SH]]] .text.shared
; SECT:         [{{ *}}[[SHL]]] whence_line
; Only the pc words are relocated (PC32; their order is not fixed).
; RELOC:      Relocation section '.relawhence_line'
; RELOC-NEXT: Offset
; RELOC-COUNT-4: {{^0000000000000[0-9a-f]{3} +[0-9a-f]+}} R_X86_64_PC32 0000000000000000 .text + {{[0-9a-f]+}}
; RELOC-EMPTY:
; RELOC:      Relocation section '.relawhence_line'
; RELOC-NEXT: Offset
; RELOC-NEXT: 0000000000000000 {{[0-9a-f]+}} R_X86_64_PC32 0000000000000000 .text.shared + 0
; RELOC-EMPTY:

; At -O2 the unused loads are gone with their records; the order of records
; inside a function is not fixed (reproducible.c), hence the DAGs.
; OBJ: mod[0] name=/src/lines.c key={{.*}} flags=LINES subprogs=4 locs=7
; OBJ-DAG: line pc=.text+[[#%d,PA:]] loc=0 chain=mem:10:11{{$}}
; OBJ-DAG: line pc=.text+[[#%d,PF:]] loc=0 chain=mem:10:11{{$}}
; OBJ-DAG: line pc=.text+[[#%d,PRMW:]] loc=1 chain=mem:11:3{{$}}
; OBJ-DAG: line pc=.text+{{[0-9]+}} loc=5 chain=mem:14:3{{$}}
; OBJ-DAG: line pc=.text.shared+0 loc=6 chain=shared:31:10{{$}}
; OBJ-NOT: line pc=
; OBJ: <mem>:
; OBJ: {{^ *}}[[#%x,PA]]: movl (%rdi),
; OBJ: {{^ *}}[[#%x,PRMW]]: lock
; OBJ-NEXT: incq (
; OBJ: <shared>:
; OBJ-NEXT: {{^ *}}0: movl (%rdi), %eax
; OBJ0: mod[0] name=/src/lines.c key={{.*}} flags=LINES subprogs=4 locs=7
; OBJ0-DAG: line pc=.text+[[#%d,QA:]] loc=0 chain=mem:10:11{{$}}
; OBJ0-DAG: line pc=.text+{{[0-9]+}} loc=0 chain=mem:10:11{{$}}
; OBJ0-DAG: line pc=.text+[[#%d,QRMW:]] loc=1 chain=mem:11:3{{$}}
; OBJ0-DAG: line pc=.text+{{[0-9]+}} loc=5 chain=mem:14:3{{$}}
; OBJ0-DAG: line pc=.text.shared+0 loc=6 chain=shared:31:10{{$}}
; OBJ0-NOT: line pc=
; OBJ0: <mem>:
; OBJ0: {{^ *}}[[#%x,QA]]: movl (%rdi),
; OBJ0: {{^ *}}[[#%x,QRMW]]: lock
; OBJ0-NEXT: incq (
