; A module without debug info is still instrumented: subprogs named from the IR, file "" and line 0, every loc line 0, flags without LINES, no whence_line records (memory operations have no position to record); the pass says so once per module on stderr.
; With sites=off, slots take over (SLOTS, still no LINES, no line records).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' %s -o %t.bc 2>%t.err
; RUN: FileCheck %s --check-prefix=NOTE --implicit-check-not=whence: < %t.err
; RUN: %llc -filetype=obj %t.bc -o %t.o
; RUN: python3 %S/Inputs/whence-dump.py %t.o | FileCheck %s
; RUN: llvm-readelf -S %t.o | FileCheck %s --check-prefix=NOLINESECT
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' %s -S 2>/dev/null | FileCheck %s --check-prefix=SLOTSIR --implicit-check-not='!"whence_line"'
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off>' %s 2>/dev/null | %llc -filetype=obj -o %t.slots.o
; RUN: python3 %S/Inputs/whence-dump.py %t.slots.o | FileCheck %s --check-prefix=SLOTS

; NOTE: whence: note: nodebug.c: no debug info, lines will be 0 and functions inlined into others will show no frames of their own; compile with -gline-tables-only

source_filename = "nodebug.c"
target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

@gv = global i32 0

define void @first() {
  store i32 1, ptr @gv
  call void @ext()
  call void @ext()
  ret void
}

define internal void @second() {
  call void @ext()
  ret void
}

define void @third() {
  call void @second()
  ret void
}

; CHECK:      mod[0] name=nodebug.c key=0x{{[0-9a-f]+}} flags=SITES subprogs=3 locs=0 size={{[0-9]+}} version=6 header=64 layout=ok
; CHECK-NEXT:   subprog[0] name=first file= line=0{{$}}
; CHECK-NEXT:   subprog[1] name=second file= line=0{{$}}
; CHECK-NEXT:   subprog[2] name=third file= line=0{{$}}
; CHECK-NEXT: fn entry=.text+0 size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=first
; CHECK-NEXT: fn entry=.text+{{[0-9]+}} size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=second
; CHECK-NEXT: fn entry=.text+{{[0-9]+}} size={{[0-9]+}} key=0x{{[0-9a-f]+}} subprog=third
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=first:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=first:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=second:0:0
; CHECK-NEXT: site label=.text+{{[0-9]+}} loc=flat chain=third:0:0
; CHECK-NOT: line pc=
; (only the empty section that defines the bound)
; NOLINESECT: ] whence_line PROGBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 000000
; NOLINESECT-NOT: whence_line

; SLOTSIR-LABEL: define void @first()
; SLOTSIR: %whence.slot = alloca { ptr, i32, i32 }
; SLOTSIR: store i32 1, ptr @gv, align 4{{$}}
; SLOTSIR: store volatile i32 {{[0-9]+}}, ptr %{{[0-9]+}}, align 4{{$}}
; SLOTSIR-NEXT: call void @ext(){{$}}

; SLOTS:      mod[0] name=nodebug.c key=0x{{[0-9a-f]+}} flags=SLOTS subprogs=3 locs=3 size={{[0-9]+}} version=6 header=64 layout=ok
; SLOTS-NOT: site label
; SLOTS-NOT: line pc=
