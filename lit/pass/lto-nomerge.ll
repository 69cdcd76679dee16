; Before an LTO link the pass makes each call it labels nomerge, so that the
; LTO link's optimizations keep calls of one callee from several branches
; apart (merged, one call follows whichever label came last: Lua 5.4 had
; 10 calls that named another call's line), and marks it !whence.nomerge.
; An LTO backend that instruments again (whence-strip) takes off the
; nomerge it put there, and only that one: a call the program made nomerge
; itself keeps it.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o %t.pre.ll 2>/dev/null
; RUN: FileCheck %s --check-prefix=PRE < %t.pre.ll
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip,verify' -S %t.pre.ll -o - | FileCheck %s --check-prefix=STRIP
; A compile without LTO makes them nomerge too (instrument.c: that is what
; keeps them apart there), unmarked: nothing takes it off again.
; RUN: sed '/ThinLTO/d; s/^!llvm.module.flags.*//' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S 2>/dev/null | FileCheck %s --check-prefix=NOLTO
; So does the instrumentation for good that follows the strip (an LTO
; backend: not a pre-link module any more).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence-strip' -S %t.pre.ll | sed '/ThinLTO/d; s/^!llvm.module.flags.*//' | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S 2>/dev/null | FileCheck %s --check-prefix=NOLTO
target triple = "x86_64-unknown-linux-gnu"

declare void @fail(i32) noreturn nounwind
declare void @g()

; PRE-LABEL: define void @f(
; PRE: call void @g() #[[NM:[0-9]+]], !whence.nomerge
; PRE: call void @fail(i32 1) #[[NM]], !whence.nomerge
; PRE: call void @fail(i32 2) #[[NM]], !whence.nomerge
; PRE: call void @fail(i32 3) #[[NM]]{{$}}
; PRE: attributes #[[NM]] = { nomerge }
; STRIP-LABEL: define void @f(
; STRIP: call void @g(){{$}}
; STRIP: call void @fail(i32 1){{$}}
; STRIP: call void @fail(i32 2){{$}}
; STRIP: call void @fail(i32 3) #[[U:[0-9]+]]{{$}}
; STRIP: attributes #[[U]] = { nomerge }
; NOLTO-LABEL: define void @f(
; NOLTO-NOT: whence.nomerge
; NOLTO: call void @g() #[[N:[0-9]+]]{{$}}
; NOLTO: call void @fail(i32 1) #[[N]]{{$}}
; NOLTO: call void @fail(i32 2) #[[N]]{{$}}
; NOLTO: call void @fail(i32 3) #[[N]]{{$}}
; NOLTO-NOT: asm "", "~{memory}"
; NOLTO: attributes #[[N]] = { nomerge }
define void @f(i32 %x) {
entry:
  call void @g()
  switch i32 %x, label %done [ i32 1, label %a
                                i32 2, label %b
                                i32 3, label %c ]
a:
  call void @fail(i32 1)
  unreachable
b:
  call void @fail(i32 2)
  unreachable
c:
  call void @fail(i32 3) #0
  unreachable
done:
  ret void
}

attributes #0 = { nomerge }

!llvm.module.flags = !{!0}
!0 = !{i32 1, !"ThinLTO", i32 0}
