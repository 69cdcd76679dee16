; Site labels: one label asm before each call/invoke/callbr that can show up
; as a return address, carrying a line-0 location in the function's own
; DISubprogram and a !srcloc of its own; not before intrinsics (except
; memcpy/memmove/memset), inline asm, or calls to __whence* hooks.
; In optimized functions the asm has no side effects but clobbers memory (no
; "unmodeled side effect" for the machine passes, whose LiveRangeShrink would
; go quadratic in the calls of a block) and ties its record to the function's
; symbol through an "s" operand (one record section per function).  In -O0
; (optnone) functions it is the side-effect asm without operands that
; FastISel selects itself, tied to its own label; and so, without side
; effects, in modules compiled for LTO, whose functions may still be inlined
; into others.  The first label of each optimized function also gives its
; code a relocation without effect to its subprog of the module table
; (identical code folding then leaves apart functions whose records differ:
; lit/link/icf.c).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s | %llc -O2 -filetype=obj -o %t.o
; RUN: llvm-readelf -S %t.o | FileCheck %s --check-prefix=SECT
; RUN: llvm-readelf -r %t.o | FileCheck %s --check-prefix=RELOC
; RUN: sed 's/^!llvm.module.flags = !{!2, !3}/!llvm.module.flags = !{!2, !3, !9}\n!9 = !{i32 1, !"ThinLTO", i32 0}/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S | FileCheck %s --check-prefix=LTO

target triple = "x86_64-unknown-linux-gnu"

declare void @ext(i32)
declare void @__whence_hook()
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memcpy.inline.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.lifetime.start.p0(i64, ptr)
declare i32 @__gxx_personality_v0(...)

; CHECK-LABEL: define void @calls(ptr %fp, ptr %d, ptr %s)
; CHECK-NEXT: call void asm ".Lwhence_site${:uid}:\0A.reloc ., BFD_RELOC_NONE, ${1:c}+[[SUB:[0-9]+]]\0A.pushsection whence_site,\22ao?\22,@progbits,${0:c}\0A.balign 4\0A.long .Lwhence_site${:uid} - .\0A.long [[L0:[0-9]+]]\0A.popsection", "s,s,~{memory}"(ptr @calls, ptr [[MOD:@[^ ]+]]) #[[NOUNWIND:[0-9]+]], !dbg [[ZERO:![0-9]+]], !srcloc [[S0:![0-9]+]]
; CHECK-NEXT: call void @ext(i32 1), !dbg [[D1:![0-9]+]]
; CHECK-NEXT: call void asm "{{.*}}.long [[L1:[0-9]+]]\0A.popsection", "s,~{memory}"(ptr @calls) #[[NOUNWIND]], !dbg [[ZERO]], !srcloc [[S1:![0-9]+]]
; CHECK-NEXT: call void %fp(i32 2), !dbg [[D2:![0-9]+]]
; CHECK-NEXT: call void @llvm.lifetime.start.p0(
; CHECK-NEXT: call void asm "{{.*}}.long [[L2:[0-9]+]]\0A.popsection", "s,~{memory}"(ptr @calls) #[[NOUNWIND]], !dbg [[ZERO]]
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(
; CHECK-NEXT: call void @llvm.memcpy.inline.p0.p0.i64(
; CHECK-NEXT: call void asm "{{.*}}", "s,~{memory}"(ptr @calls) #[[NOUNWIND]], !dbg [[ZERO]]
; CHECK-NEXT: call void @llvm.memset.p0.i64(
; CHECK-NEXT: call void asm "{{.*}}", "s,~{memory}"(ptr @calls) #[[NOUNWIND]], !dbg [[ZERO]]
; CHECK-NEXT: call void @llvm.memmove.p0.p0.i64(
; CHECK-NEXT: call void asm "", "~{memory}"()
; CHECK-NEXT: call void asm sideeffect "nop", ""()
; CHECK-NEXT: call void @__whence_hook()
; CHECK-NEXT: ret void
define void @calls(ptr %fp, ptr %d, ptr %s) !dbg !10 {
  call void @ext(i32 1), !dbg !20
  call void %fp(i32 2), !dbg !21
  call void @llvm.lifetime.start.p0(i64 8, ptr %d), !dbg !21
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 100, i1 false), !dbg !22
  call void @llvm.memcpy.inline.p0.p0.i64(ptr %d, ptr %s, i64 8, i1 false), !dbg !22
  call void @llvm.memset.p0.i64(ptr %d, i8 0, i64 100, i1 false), !dbg !22
  call void @llvm.memmove.p0.p0.i64(ptr %d, ptr %s, i64 100, i1 false), !dbg !22
  call void asm sideeffect "nop", ""(), !dbg !22
  call void @__whence_hook(), !dbg !22
  ret void, !dbg !22
}

; invoke gets a label too; callbr of inline asm (asm goto) does not; the landing pad stays first.
; CHECK-LABEL: define void @eh()
; CHECK-NEXT: entry:
; CHECK-NEXT: call void asm "{{.*}}", "s,s,~{memory}"(ptr @eh, ptr [[MOD]]) #[[NOUNWIND]], !dbg [[ZERO2:![0-9]+]]
; CHECK-NEXT: invoke void @ext(i32 3)
; CHECK: lpad:
; CHECK-NEXT: landingpad
; CHECK: asmgoto:
; CHECK-NEXT: callbr void asm "jmp ${0:l}", "!i"()
; CHECK: next:
; CHECK-NEXT: call void asm "{{.*}}", "s,~{memory}"(ptr @eh) #[[NOUNWIND]], !dbg [[ZERO2]]
; CHECK-NEXT: call void @ext(i32 4)
define void @eh() personality ptr @__gxx_personality_v0 !dbg !11 {
entry:
  invoke void @ext(i32 3) to label %asmgoto unwind label %lpad, !dbg !23
lpad:
  %lp = landingpad { ptr, i32 } cleanup, !dbg !23
  resume { ptr, i32 } %lp, !dbg !23
asmgoto:
  ; callbr of inline asm: not a call the runtime can see
  callbr void asm "jmp ${0:l}", "!i"() to label %next [label %next], !dbg !23
next:
  call void @ext(i32 4), !dbg !23
  ret void, !dbg !23
}

; No debug info on the function: the label carries none either.
; CHECK-LABEL: define void @nodbg()
; CHECK-NEXT: call void asm "{{.*}}", "s,s,~{memory}"(ptr @nodbg, ptr [[MOD]]) #[[NOUNWIND]], !srcloc !{{[0-9]+}}{{$}}
; CHECK-NEXT: call void @ext(i32 5)
define void @nodbg() {
  call void @ext(i32 5)
  ret void
}

; What keeps branch folding from merging a block's last call with another
; (instrument.c, wp_sites_apart): an IR call whose call code generation keeps
; gets `nomerge` (SelectionDAG makes it the call's NoMerge flag, at which
; branch folding ends a common tail); a call followed by another site needs
; nothing (that site's label ends the tail).  In @calls, the memmove
; intrinsic (its call is made by code generation: nothing to put nomerge
; on) keeps the separator, an empty asm.
; CHECK-LABEL: define void @apart(
; CHECK: call void @ext(i32 7) #[[NOMERGE:[0-9]+]]
; CHECK-NEXT: br label %join
; CHECK: call void @ext(i32 8) #[[NOMERGE]]
; CHECK-NEXT: br label %join
; CHECK: call void @once(i32 9) #[[NOMERGE]]
; CHECK-NEXT: ret void
; CHECK-NOT: asm ""
; CHECK-LABEL: define void @apart_first_open(
define void @apart(i1 %c) {
  br i1 %c, label %a, label %b
a:
  call void @ext(i32 7)
  br label %join
b:
  call void @ext(i32 8)
  br label %join
join:
  call void @once(i32 9)
  ret void
}
declare void @once(i32)

; Only a block's last site: a call followed by another site is kept apart
; by that site's label.
; CHECK: call void @ext(i32 1){{$}}
; CHECK-NEXT: call void asm {{.*}}whence_site
; CHECK-NEXT: call void @once(i32 2) #[[NOMERGE]]
; CHECK-NEXT: br label %b
; CHECK: call void @ext(i32 3) #[[NOMERGE]]
; CHECK-NEXT: br label %c
; CHECK: call void @ext(i32 4) #[[NOMERGE]]
; CHECK-NEXT: ret void
define void @apart_first_open(i1 %x) {
  call void @ext(i32 1)
  call void @once(i32 2)
  br label %b
b:
  call void @ext(i32 3)
  br label %c
c:
  call void @ext(i32 4)
  ret void
}

; An invoke can have nothing after it: nomerge (on AArch64, SimplifyCFG
; merges identical invokes that have no label before them).
; CHECK-LABEL: define void @apart_invoke(
; CHECK: call void @ext(i32 5) #[[NOMERGE]]
; CHECK-NEXT: br label %b
; CHECK: invoke void @ext(i32 6) #[[NOMERGE]]
define void @apart_invoke() personality ptr @__gxx_personality_v0 {
  call void @ext(i32 5)
  br label %b
b:
  invoke void @ext(i32 6) to label %ok unwind label %lp
ok:
  ret void
lp:
  %l = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %l
}

; Indirect calls as well.
; CHECK-LABEL: define void @apart_indirect(
; CHECK: call void @once(i32 10) #[[NOMERGE]]
; CHECK-NEXT: br label %b
; CHECK: call void %fp(i32 11) #[[NOMERGE]]
; CHECK-NEXT: ret void
define void @apart_indirect(i1 %c, ptr %fp) {
  br i1 %c, label %a, label %b
a:
  call void @once(i32 10)
  br label %b
b:
  call void %fp(i32 11)
  ret void
}

; -O0: the side-effect form FastISel selects, no operand, tied to its label;
; the first one names the module table (private: .L) for identical code folding.
; CHECK-LABEL: define void @unopt()
; CHECK-NEXT: call void asm sideeffect ".Lwhence_site${:uid}:\0A.reloc ., BFD_RELOC_NONE, .L__whence.mod+{{[0-9]+}}\0A.pushsection whence_site,\22ao?\22,@progbits,.Lwhence_site${:uid}\0A{{.*}}", ""() #[[NOUNWIND]], !srcloc
; CHECK-NEXT: call void @ext(i32 6)
define void @unopt() noinline optnone {
  call void @ext(i32 6)
  ret void
}

; One record section per optimized function (calls, eh, nodbg, apart,
; apart_first_open, apart_invoke, apart_indirect), one per label in the -O0 one,
; and the empty one that defines the bound (linked to whence_mod).
; SECT-COUNT-9: ] whence_site PROGBITS
; SECT-NOT: ] whence_site PROGBITS
; One R_X86_64_NONE per function with calls (the -O0 one too), at a subprog of its own.
; RELOC-COUNT-8: R_X86_64_NONE {{.*}} whence_mod + {{[0-7]}}
; RELOC-NOT: R_X86_64_NONE

; A module compiled for ThinLTO gets no side effects, a record tied to its
; own label, and as operands only the module table (hidden, named by its
; key) and the address of the site's loc in it, which is the record's word
; (WHENCE_MOD_PRELINK: a label LTO copies into another module's function
; still names its own module).
; LTO-LABEL: define void @calls(
; LTO-NEXT: call void asm ".Lwhence_site${:uid}:\0A.reloc ., BFD_RELOC_NONE, ${0:c}+0\0A.pushsection whence_site,\22ao?\22,@progbits,.Lwhence_site${:uid}\0A.balign 4\0A.long .Lwhence_site${:uid} - .\0A.long ${1:c} - .\0A.popsection", "s,s,~{memory}"(ptr @__whence.mod.[[KEY:[0-9a-f]+]], ptr getelementptr (i8, ptr @__whence.mod.[[KEY]], i64 {{[0-9]+}})) #{{[0-9]+}}, !dbg
; LTO: call void %fp(i32 2)
; LTO-NEXT: call void @llvm.lifetime.start.p0(
; LTO-NEXT: call void asm ".Lwhence_site${:uid}:\0A.pushsection whence_site,\22ao?\22,@progbits,.Lwhence_site${:uid}\0A.balign 4\0A.long .Lwhence_site${:uid} - .\0A.long ${0:c} - .\0A.popsection", "s,~{memory}"(ptr getelementptr (i8, ptr @__whence.mod.[[KEY]], i64 {{[0-9]+}})) #{{[0-9]+}}, !dbg

; CHECK: attributes #[[NOUNWIND]] = { nounwind willreturn }
; CHECK: attributes #[[NOMERGE]] = { nomerge }
; Every site has its own !srcloc (SelectionDAG's node set slows down with
; every asm that shares one).
; CHECK-DAG: [[S0]] = !{i64 0}
; CHECK-DAG: [[S1]] = !{i64 1}
; CHECK-DAG: [[ZERO]] = !DILocation(line: 0, scope: [[CALLS:![0-9]+]])
; CHECK-DAG: [[CALLS]] = distinct !DISubprogram(name: "calls"
; CHECK-DAG: [[ZERO2]] = !DILocation(line: 0, scope: [[EH:![0-9]+]])
; CHECK-DAG: [[EH]] = distinct !DISubprogram(name: "eh"

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "site.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"Dwarf Version", i32 5}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "calls", scope: !1, file: !1, line: 10, type: !5, scopeLine: 10, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "eh", scope: !1, file: !1, line: 30, type: !5, scopeLine: 30, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!20 = !DILocation(line: 11, column: 3, scope: !10)
!21 = !DILocation(line: 12, column: 3, scope: !10)
!22 = !DILocation(line: 13, column: 3, scope: !10)
!23 = !DILocation(line: 31, column: 3, scope: !11)
