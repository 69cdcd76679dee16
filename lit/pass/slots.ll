; Frame slots (slots=auto: on exactly where site labels are off; here a
; FullDebug module, so by default).  A function that makes a call that may
; keep its frame gets one { frame, loc, tag } slot (marked !whence.slot):
; its frame address and the module's tag (top bit set: negative) stored
; once after the allocas, and before each call the index of the call's
; whence_loc in @__whence.mod: immediates, which need no register.
; Nothing else: no thread-local list, nothing at ret, resume, landing pads or
; after setjmp, so nothing stands between a tail call and its ret, and
; CodeGenPrepare can still duplicate a ret into the blocks that branch to it.
; No slot for a leaf, nor for a function whose every call leaves its frame:
; certainly (musttail) or as the x86-64 backend's tail-call rules tell from
; the IR (a `tail` call in tail position, same convention, no stack
; argument that must be copied, the returned value is the call's).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<lines=on>,verify' -S %s | FileCheck %s --implicit-check-not=disable-tail-calls --implicit-check-not=__whence_slot_top
; Where tail calls are not kept (no FullDebug; sites=off turns slots on), the
; `tail` hints are dropped and every call stays: every function gets a slot.
; RUN: sed 's/emissionKind: FullDebug/emissionKind: LineTablesOnly/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=off>,verify' -S | FileCheck %s --check-prefix=NOKEEP
; slots=off (and sites=on, whose auto slots are off) leave no slot code.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<slots=off>,verify' -S %s | FileCheck %s --check-prefix=NONE --implicit-check-not=whence.slot
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s | FileCheck %s --check-prefix=NONE --implicit-check-not=whence.slot
; Both selectors compile it; the predicted jumps are jumps and the calls
; that keep their frame are calls; the table says SLOTS and the locs the IR
; points at are the ones the table holds.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<lines=on>' %s -o %t.bc
; RUN: %llc -O0 -filetype=obj %t.bc -o %t.O0.o
; RUN: %llc -O2 -filetype=obj %t.bc -o %t.O2.o
; RUN: python3 %S/Inputs/whence-dump.py %t.O2.o | FileCheck %s --check-prefix=TABLE
; RUN: %llc -O2 %t.bc -o - | FileCheck %s --check-prefix=ASM
; No thread-local storage at all.
; RUN: llvm-readelf -S -s %t.O2.o | FileCheck %s --check-prefix=NOTLS --implicit-check-not=" TLS " --implicit-check-not=.tbss

; TABLE: mod[0] name={{.*}} flags=LINES|SLOTS subprogs=16 locs=18
; TABLE:      loc[0] subprog=calls line=2 col=3 parent=0
; TABLE-NEXT: loc[1] subprog=calls line=3 col=3 parent=0
; TABLE-NEXT: loc[2] subprog=calls line=4 col=10 parent=0
; TABLE-NEXT: loc[3] subprog=calls line=5 col=3 parent=0
; TABLE-NEXT: loc[4] subprog=jumps line=21 col=3 parent=0
; TABLE-NEXT: loc[5] subprog=eh line=31 col=3 parent=0
; TABLE-NEXT: loc[6] subprog=tail_at_end line=41 col=3 parent=0
; TABLE-NEXT: loc[7] subprog=tail_not_last line=45 col=3 parent=0
; TABLE-NEXT: loc[8] subprog=only_tail line=49 col=3 parent=0
; TABLE-NEXT: loc[9] subprog=must line=53 col=3 parent=0
; TABLE-NEXT: loc[10] subprog=ret_other line=57 col=3 parent=0
; TABLE-NEXT: loc[11] subprog=early_return line=61 col=3 parent=0
; TABLE-NEXT: loc[12] subprog=other_cc line=65 col=3 parent=0
; TABLE-NEXT: loc[13] subprog=sret_caller line=69 col=3 parent=0
; TABLE-NEXT: loc[14] subprog=x87_unused line=73 col=3 parent=0
; TABLE-NEXT: loc[15] subprog=x87_returned line=77 col=3 parent=0
; TABLE-NEXT: loc[16] subprog=stack_arg_none_in line=81 col=3 parent=0
; TABLE-NEXT: loc[17] subprog=stack_arg_later line=85 col=3 parent=0
; TABLE-NOT: site label
; NOTLS: Section Headers:

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare void @e()
declare i32 @h(i32)
declare void @g(i32)
declare win64cc i32 @win(i32)
declare void @fill(ptr)
declare x86_fp80 @ld()
declare void @seven(i32, i32, i32, i32, i32, i32, i32)
declare i32 @setjmp(ptr) returns_twice
declare void @may_throw()
declare i32 @__gxx_personality_v0(...)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare i64 @llvm.ctpop.i64(i64)

; The slot first among the allocas; its frame word and tag after them, one
; store of the whole slot, which SROA cannot split should the IR be
; optimized again (line 0);
; a loc store before each call (memcpy may become a call), joining the row
; of the instruction before it; nothing before the returns.
; CHECK-LABEL: define i32 @calls(
; CHECK-SAME: #[[KEEP:[0-9]+]] !dbg ![[CALLS:[0-9]+]] !pcsections
; CHECK-NEXT: entry:
; CHECK-NEXT: %whence.slot = alloca { ptr, i32, i32 }, align 8, !whence.slot
; CHECK-NEXT: %x = alloca i32, align 4
; CHECK-NEXT: %whence.frame = call ptr @llvm.frameaddress.p0(i32 0), !dbg ![[L0:[0-9]+]]
; CHECK-NEXT: [[S0:%.*]] = insertvalue { ptr, i32, i32 } { ptr poison, i32 poison, i32 {{-[0-9]+}} }, ptr %whence.frame, 0, !dbg ![[L0]]
; CHECK-NEXT: store volatile { ptr, i32, i32 } [[S0]], ptr %whence.slot, align 8, !dbg ![[L0]]
; CHECK-NEXT: store i32 1, ptr %x, align 4, !dbg ![[L2:[0-9]+]]
; CHECK-NEXT: [[G:%.*]] = getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1, !dbg ![[L2]]
; CHECK-NEXT: store volatile i32 1, ptr [[G]], align 4, !dbg ![[L2]]
; CHECK-NEXT: call void @e(), !dbg ![[L3:[0-9]+]]
; CHECK-NEXT: br i1
; CHECK: a:
; CHECK-NEXT: [[G:%.*]] = getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; CHECK-NEXT: store volatile i32 2, ptr [[G]], align 4
; CHECK-NEXT: %r = call i32 @h(i32 1)
; CHECK-NEXT: ret i32 %r
; CHECK: b:
; CHECK-NEXT: [[G:%.*]] = getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; CHECK-NEXT: store volatile i32 3, ptr [[G]], align 4
; The stores are immediates: no register, no address of the table.
; ASM-LABEL: calls:
; ASM-NOT: __whence.mod
; ASM: movq %rbp, {{-[0-9]+}}(%rbp)
; ASM-NEXT: movl ${{-[0-9]+}}, {{-[0-9]+}}(%rbp)
; ASM-NOT: __whence.mod
; ASM: callq e@PLT
; ASM-NOT: __whence.mod
; ASM: movl $2, {{-[0-9]+}}(%rbp)
; ASM-NOT: __whence.mod
; ASM: callq h@PLT
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(
; CHECK-NEXT: ret i32 0
; CHECK-NEXT: }
define i32 @calls(i1 %c, ptr %p) !dbg !10 {
entry:
  %x = alloca i32, align 4
  store i32 1, ptr %x, align 4, !dbg !20
  call void @e(), !dbg !21
  br i1 %c, label %a, label %b, !dbg !21
a:
  %r = call i32 @h(i32 1), !dbg !22
  ret i32 %r, !dbg !22
b:
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %x, i64 4, i1 false), !dbg !23
  ret i32 0, !dbg !23
}

; A leaf (an intrinsic is no call) gets no slot.
; CHECK-LABEL: define i64 @leaf(
; CHECK-NEXT: %n = call i64 @llvm.ctpop.i64(
; CHECK-NEXT: ret i64 %n
define i64 @leaf(i64 %v) !dbg !11 {
  %n = call i64 @llvm.ctpop.i64(i64 %v), !dbg !24
  ret i64 %n, !dbg !24
}

; setjmp is a call like any other; after it nothing needs re-linking.
; CHECK-LABEL: define i32 @jumps(
; CHECK: store volatile i32 4, ptr
; CHECK-NEXT: %r = call i32 @setjmp(ptr %jb)
; CHECK-NEXT: getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; CHECK-NEXT: store volatile i32 4, ptr
; CHECK-NEXT: call void @e()
; CHECK-NEXT: ret i32 %r
define i32 @jumps(ptr %jb) !dbg !12 {
  %r = call i32 @setjmp(ptr %jb), !dbg !25
  call void @e(), !dbg !25
  ret i32 %r, !dbg !25
}

; Nothing at the landing pad; the resume's store has no position (its call
; of _Unwind_Resume has none of its own: the line table stays as it is).
; CHECK-LABEL: define void @eh(
; CHECK: store volatile i32 5, ptr
; CHECK-NEXT: invoke void @may_throw()
; CHECK: ok:
; CHECK-NEXT: ret void
; CHECK: lp:
; CHECK-NEXT: %lpad = landingpad { ptr, i32 }
; CHECK-NEXT: cleanup
; CHECK-NEXT: getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; CHECK-NEXT: store volatile i32 5, ptr
; CHECK-NEXT: call void @e()
; CHECK-NEXT: getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1{{$}}
; CHECK-NEXT: store volatile i32 5, ptr %{{[0-9]+}}, align 4{{$}}
; CHECK-NEXT: resume
define void @eh() personality ptr @__gxx_personality_v0 !dbg !13 {
entry:
  invoke void @may_throw() to label %ok unwind label %lp, !dbg !26
ok:
  ret void, !dbg !26
lp:
  %lpad = landingpad { ptr, i32 } cleanup, !dbg !26
  call void @e(), !dbg !26
  resume { ptr, i32 } %lpad, !dbg !26
}

; A call that keeps the frame and a tail call: the slot is there, and the
; tail call gets its store too (should the backend keep it, its line is
; right), yet it stays a jump: nothing comes between it and its ret.
; CHECK-LABEL: define i32 @tail_at_end(
; CHECK-SAME: #[[KEEP]]
; CHECK: store volatile i32 6, ptr
; CHECK-NEXT: call void @e()
; CHECK-NEXT: getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; CHECK-NEXT: store volatile i32 6, ptr
; CHECK-NEXT: %r = tail call i32 @h(i32 %a)
; CHECK-NEXT: ret i32 %r
; ASM-LABEL: tail_at_end:
; ASM: callq e@PLT
; ASM: jmp h@PLT # TAILCALL
; NOKEEP-LABEL: define i32 @tail_at_end(
; NOKEEP-SAME: #[[NOKEEP:[0-9]+]]
; NOKEEP: call void @e()
; NOKEEP-NEXT: getelementptr inbounds { ptr, i32, i32 }, ptr %whence.slot, i32 0, i32 1
; NOKEEP-NEXT: store volatile i32 {{[0-9]+}}, ptr
; NOKEEP-NEXT: %r = call i32 @h(i32 %a)
; NOKEEP-NEXT: ret i32 %r
define i32 @tail_at_end(i32 %a) !dbg !14 {
  call void @e(), !dbg !27
  %r = tail call i32 @h(i32 %a), !dbg !27
  ret i32 %r, !dbg !27
}

; A `tail` call not directly followed by ret stays in the frame: a slot.
; CHECK-LABEL: define i32 @tail_not_last(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 7, ptr
; CHECK-NEXT: %r = tail call i32 @h(i32 %a)
; CHECK-NEXT: %s = add i32 %r, 1
; CHECK-NEXT: ret i32 %s
define i32 @tail_not_last(i32 %a) !dbg !15 {
  %r = tail call i32 @h(i32 %a), !dbg !28
  %s = add i32 %r, 1, !dbg !28
  ret i32 %s, !dbg !28
}

; Only a call that will be a jump: no slot, the code is the plain one.
; CHECK-LABEL: define void @only_tail(
; CHECK-NEXT: tail call void @e()
; CHECK-NEXT: ret void
; ASM-LABEL: only_tail:
; ASM-NOT: rbp
; ASM: jmp e@PLT # TAILCALL
; NOKEEP-LABEL: define void @only_tail(
; NOKEEP-NEXT: %whence.slot = alloca { ptr, i32, i32 }, align 8
; NOKEEP: store volatile i32 {{[0-9]+}}, ptr
; NOKEEP-NEXT: call void @e()
define void @only_tail() !dbg !16 {
  tail call void @e(), !dbg !29
  ret void, !dbg !29
}

; musttail: no store before it (it certainly leaves the frame).
; CHECK-LABEL: define void @must(
; CHECK: store volatile i32 9, ptr
; CHECK-NEXT: call void @e()
; CHECK-NEXT: musttail call void @g(i32 %a)
; CHECK-NEXT: ret void
; ASM-LABEL: must:
; ASM: jmp g@PLT # TAILCALL
; NOKEEP-LABEL: define void @must(
; NOKEEP: call void @e()
; NOKEEP-NEXT: musttail call void @g(i32 %a)
; NOKEEP-NEXT: ret void
define void @must(i32 %a) !dbg !17 {
  call void @e(), !dbg !30
  musttail call void @g(i32 %a), !dbg !30
  ret void, !dbg !30
}

; `g(); return 0;`: marked tail, but the ret does not return its value, so
; the backend emits a call: a slot and its store.
; CHECK-LABEL: define i32 @ret_other(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 10, ptr
; CHECK-NEXT: tail call void @g(i32 %a)
; CHECK-NEXT: ret i32 0
; ASM-LABEL: ret_other:
; ASM: callq g@PLT
define i32 @ret_other(i32 %a) !dbg !18 {
  tail call void @g(i32 %a), !dbg !31
  ret i32 0, !dbg !31
}

; `if (x == 0) return 0; return h(x + 1);`: the ret block is a phi and a
; ret; CodeGenPrepare duplicates it into the call's block, and the call is a
; jump: no slot, nothing in the ret block.
; CHECK-LABEL: define i32 @early_return(
; CHECK-NOT: whence.slot
; CHECK: done:
; CHECK-NEXT: %v = phi i32
; CHECK-NEXT: ret i32 %v
; ASM-LABEL: early_return:
; ASM-NOT: rbp
; ASM: jmp h@PLT # TAILCALL
define i32 @early_return(i32 %x) !dbg !19 {
entry:
  %z = icmp eq i32 %x, 0, !dbg !32
  br i1 %z, label %done, label %more, !dbg !32
more:
  %y = add i32 %x, 1, !dbg !32
  %r = tail call i32 @h(i32 %y), !dbg !32
  br label %done, !dbg !32
done:
  %v = phi i32 [ 0, %entry ], [ %r, %more ]
  ret i32 %v, !dbg !32
}

; A tail call to a function of another convention (ms_abi) is no jump.
; CHECK-LABEL: define i32 @other_cc(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 12, ptr
; CHECK-NEXT: %r = tail call win64cc i32 @win(i32 %a)
; ASM-LABEL: other_cc:
; ASM: callq win@PLT
define i32 @other_cc(i32 %a) !dbg !33 {
  %r = tail call win64cc i32 @win(i32 %a), !dbg !34
  ret i32 %r, !dbg !34
}

; An x86-64 function returning through sret returns the pointer too: its
; `tail` call of a function that is not handed that sret stays a call (the
; previous pass gave it no slot: its frame's line was unknown in -g builds
; of every C++ function returning a large value that ended in a call).
; CHECK-LABEL: define void @sret_caller(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 13, ptr
; CHECK-NEXT: tail call void @fill(ptr %p)
; ASM-LABEL: sret_caller:
; ASM: callq fill@PLT
define void @sret_caller(ptr sret(i64) %p) !dbg !35 {
  tail call void @fill(ptr %p), !dbg !36
  ret void, !dbg !36
}

; A long double the function does not return must be popped off the x87
; stack after the call: x86-64 keeps the call (the previous pass took it for
; a jump: the frame's line was unknown).  Returned, it is a jump.
; CHECK-LABEL: define void @x87_unused(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 14, ptr
; CHECK-NEXT: %r = tail call x86_fp80 @ld()
; ASM-LABEL: x87_unused:
; ASM: callq ld@PLT
define void @x87_unused() !dbg !37 {
  %r = tail call x86_fp80 @ld(), !dbg !38
  ret void, !dbg !38
}

; CHECK-LABEL: define x86_fp80 @x87_returned(
; CHECK-NEXT: %r = tail call x86_fp80 @ld()
; CHECK-NEXT: ret x86_fp80 %r
; ASM-LABEL: x87_returned:
; ASM: jmp ld@PLT # TAILCALL
define x86_fp80 @x87_returned() !dbg !39 {
  %r = tail call x86_fp80 @ld(), !dbg !40
  ret x86_fp80 %r, !dbg !40
}

; A stack argument (the seventh integer) of a function that received none
; on the stack: no incoming argument can match it, so the backend keeps the
; call (the previous pass took the truncation for a possibly incoming value
; and the call for a jump: sqlite3.c's codeApplyAffinity).
; CHECK-LABEL: define void @stack_arg_none_in(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 16, ptr
; CHECK-NEXT: tail call void @seven(
; ASM-LABEL: stack_arg_none_in:
; ASM: callq seven@PLT
define void @stack_arg_none_in(i64 %x) !dbg !41 {
  %t = trunc i64 %x to i32, !dbg !42
  tail call void @seven(i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 %t), !dbg !42
  ret void, !dbg !42
}

; The caller's own stack argument passed on, out of the entry block: the
; backend matches it with its incoming slot only sometimes (CPython's
; compiler_comprehension_generator: of two such calls one a jump, the other
; a call), so it is no sure jump: a slot.
; CHECK-LABEL: define void @stack_arg_later(
; CHECK: %whence.slot = alloca
; CHECK: store volatile i32 17, ptr
; CHECK-NEXT: tail call void @seven(
define void @stack_arg_later(i32 %a, i32 %b, i32 %c, i32 %d, i32 %e, i32 %f, i32 %g) !dbg !43 {
entry:
  %z = icmp eq i32 %a, 0, !dbg !44
  br i1 %z, label %call, label %done, !dbg !44
call:
  tail call void @seven(i32 %a, i32 %b, i32 %c, i32 %d, i32 %e, i32 %f, i32 %g), !dbg !44
  br label %done, !dbg !44
done:
  ret void, !dbg !44
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "slots.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "calls", scope: !1, file: !1, line: 1, type: !5, scopeLine: 1, spFlags: DISPFlagDefinition, unit: !0)
!11 = distinct !DISubprogram(name: "leaf", scope: !1, file: !1, line: 10, type: !5, scopeLine: 10, spFlags: DISPFlagDefinition, unit: !0)
!12 = distinct !DISubprogram(name: "jumps", scope: !1, file: !1, line: 20, type: !5, scopeLine: 20, spFlags: DISPFlagDefinition, unit: !0)
!13 = distinct !DISubprogram(name: "eh", scope: !1, file: !1, line: 30, type: !5, scopeLine: 30, spFlags: DISPFlagDefinition, unit: !0)
!14 = distinct !DISubprogram(name: "tail_at_end", scope: !1, file: !1, line: 40, type: !5, scopeLine: 40, spFlags: DISPFlagDefinition, unit: !0)
!15 = distinct !DISubprogram(name: "tail_not_last", scope: !1, file: !1, line: 44, type: !5, scopeLine: 44, spFlags: DISPFlagDefinition, unit: !0)
!16 = distinct !DISubprogram(name: "only_tail", scope: !1, file: !1, line: 48, type: !5, scopeLine: 48, spFlags: DISPFlagDefinition, unit: !0)
!17 = distinct !DISubprogram(name: "must", scope: !1, file: !1, line: 52, type: !5, scopeLine: 52, spFlags: DISPFlagDefinition, unit: !0)
!18 = distinct !DISubprogram(name: "ret_other", scope: !1, file: !1, line: 56, type: !5, scopeLine: 56, spFlags: DISPFlagDefinition, unit: !0)
!19 = distinct !DISubprogram(name: "early_return", scope: !1, file: !1, line: 60, type: !5, scopeLine: 60, spFlags: DISPFlagDefinition, unit: !0)
!33 = distinct !DISubprogram(name: "other_cc", scope: !1, file: !1, line: 64, type: !5, scopeLine: 64, spFlags: DISPFlagDefinition, unit: !0)
!20 = !DILocation(line: 2, column: 3, scope: !10)
!21 = !DILocation(line: 3, column: 3, scope: !10)
!22 = !DILocation(line: 4, column: 10, scope: !10)
!23 = !DILocation(line: 5, column: 3, scope: !10)
!24 = !DILocation(line: 11, column: 3, scope: !11)
!25 = !DILocation(line: 21, column: 3, scope: !12)
!26 = !DILocation(line: 31, column: 3, scope: !13)
!27 = !DILocation(line: 41, column: 3, scope: !14)
!28 = !DILocation(line: 45, column: 3, scope: !15)
!29 = !DILocation(line: 49, column: 3, scope: !16)
!30 = !DILocation(line: 53, column: 3, scope: !17)
!31 = !DILocation(line: 57, column: 3, scope: !18)
!32 = !DILocation(line: 61, column: 3, scope: !19)
!34 = !DILocation(line: 65, column: 3, scope: !33)
!35 = distinct !DISubprogram(name: "sret_caller", scope: !1, file: !1, line: 68, type: !5, scopeLine: 68, spFlags: DISPFlagDefinition, unit: !0)
!36 = !DILocation(line: 69, column: 3, scope: !35)
!37 = distinct !DISubprogram(name: "x87_unused", scope: !1, file: !1, line: 72, type: !5, scopeLine: 72, spFlags: DISPFlagDefinition, unit: !0)
!38 = !DILocation(line: 73, column: 3, scope: !37)
!39 = distinct !DISubprogram(name: "x87_returned", scope: !1, file: !1, line: 76, type: !5, scopeLine: 76, spFlags: DISPFlagDefinition, unit: !0)
!40 = !DILocation(line: 77, column: 3, scope: !39)
!41 = distinct !DISubprogram(name: "stack_arg_none_in", scope: !1, file: !1, line: 80, type: !5, scopeLine: 80, spFlags: DISPFlagDefinition, unit: !0)
!42 = !DILocation(line: 81, column: 3, scope: !41)
!43 = distinct !DISubprogram(name: "stack_arg_later", scope: !1, file: !1, line: 84, type: !5, scopeLine: 84, spFlags: DISPFlagDefinition, unit: !0)
!44 = !DILocation(line: 85, column: 3, scope: !43)

; A function with a slot is never inlined later (wp_keep_out_of_line).
; CHECK: attributes #[[KEEP]] = { noinline "frame-pointer"="non-leaf" "nooutline" }
; CHECK: ![[L0]] = !DILocation(line: 0, scope: ![[CALLS]])
; CHECK: ![[L2]] = !DILocation(line: 2, column: 3, scope: ![[CALLS]])
; CHECK: ![[L3]] = !DILocation(line: 3, column: 3, scope: ![[CALLS]])
; NOKEEP: attributes #[[NOKEEP]] = { noinline "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
; NONE-LABEL: define i32 @calls(
; NONE-LABEL: define void @must(
; NONE: musttail call void @g(i32 %a)
