; How the pass keeps a block's last labelled call from being merged with an
; identical call of another arm (instrument.c, wp_sites_apart), and that it
; holds after code generation: each function below has two arms ending in
; the same call, which branch folding (and on AArch64 SimplifyCFG's sinking)
; merges into one call after one label unless something keeps them apart.
;  - `nomerge` on the IR call: direct, indirect, returning a value,
;    noreturn (`abort(); }` twice), invoke.  SelectionDAG makes it the
;    call's NoMerge flag, where branch folding ends a common tail.
;  - the separator (an empty asm) where code generation makes the call, so
;    that no IR call can carry nomerge (LLVM 19, checked with llc on IR that
;    had nomerge on these calls: they merged all the same): memcpy from
;    llvm.memcpy; a readnone sin, floor (no SSE4.1), ldexp, fmin (-Oz)
;    made nodes by SelectionDAG and library calls again; mempcpy made a
;    memcpy node; __memcpy_chk made llvm.memcpy by CodeGenPrepare.
; Every function keeps its two calls at -O1, -O2, -O3, -Os and -Oz on
; x86-64 and at -O2 and -Oz on AArch64.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s -o - 2>/dev/null | FileCheck %s --check-prefix=IR
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' %s -o %t.bc 2>/dev/null
; RUN: %llc -O1 %t.bc -o - | FileCheck %s --check-prefix=X86
; RUN: %llc -O2 %t.bc -o - | FileCheck %s --check-prefix=X86
; RUN: %llc -O3 %t.bc -o - | FileCheck %s --check-prefix=X86
; RUN: sed 's/^attributes #0 = { /&optsize /' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' -o %t.s.bc 2>/dev/null
; RUN: %llc -O2 %t.s.bc -o - | FileCheck %s --check-prefix=X86
; RUN: sed 's/^attributes #0 = { /&optsize minsize /' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' -o %t.z.bc 2>/dev/null
; RUN: %llc -O2 %t.z.bc -o - | FileCheck %s --check-prefix=X86
; RUN: sed 's/^target triple = .*/target triple = "aarch64-unknown-linux-gnu"/' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' -o %t.a.bc 2>/dev/null
; RUN: %llc -O2 %t.a.bc -o - | FileCheck %s --check-prefix=A64
; RUN: sed 's/^target triple = .*/target triple = "aarch64-unknown-linux-gnu"/; s/^attributes #0 = { /&optsize minsize /' %s | %opt -load-pass-plugin=%plugin -passes='whence<sites=on>' -o %t.az.bc 2>/dev/null
; RUN: %llc -O2 %t.az.bc -o - | FileCheck %s --check-prefix=A64
target triple = "x86_64-unknown-linux-gnu"

declare void @f(i32)
declare i32 @g(i32)
declare void @die(i32) noreturn nounwind
declare i32 @__gxx_personality_v0(...)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare double @sin(double) memory(none) nounwind
declare double @floor(double) memory(none) nounwind
declare double @ldexp(double, i32) memory(none) nounwind
declare double @fmin(double, double) memory(none) nounwind
declare ptr @mempcpy(ptr, ptr, i64)
declare ptr @__memcpy_chk(ptr, ptr, i64, i64)

; IR-LABEL: define void @direct(
; IR: call void @f(i32 7) #[[NM:[0-9]+]]
; IR-NEXT: store
; IR: call void @f(i32 7) #[[NM]]
; IR-NEXT: store
; IR-NOT: asm ""
; IR-LABEL: define i32 @retval(
; X86-LABEL: direct:
; X86-COUNT-2: callq f@PLT
; X86-NOT: callq f@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: direct:
; A64-COUNT-2: bl f
; A64-NOT: bl f
; A64-LABEL: .Lfunc_end
define void @direct(i32 %x, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  call void @f(i32 7)
  store i32 0, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  call void @f(i32 7)
  store i32 0, ptr %o
  ret void
z:
  ret void
}

; IR: call i32 @g(i32 7) #[[NM]]
; IR: call i32 @g(i32 7) #[[NM]]
; IR-NOT: asm ""
; IR-LABEL: define void @noret(
; X86-LABEL: retval:
; X86-COUNT-2: callq g@PLT
; X86-NOT: callq g@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: retval:
; A64-COUNT-2: bl g
; A64-NOT: bl g
; A64-LABEL: .Lfunc_end
define i32 @retval(i32 %x, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call i32 @g(i32 7)
  ret i32 %r1
b:
  store volatile i32 2, ptr %o
  %r2 = call i32 @g(i32 7)
  ret i32 %r2
z:
  ret i32 0
}

; IR: call void @die(i32 7) #[[NM]]
; IR-NEXT: unreachable
; IR: call void @die(i32 7) #[[NM]]
; IR-NEXT: unreachable
; IR-LABEL: define void @indirect(
; X86-LABEL: noret:
; X86-COUNT-2: callq die@PLT
; X86-NOT: callq die@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: noret:
; A64-COUNT-2: bl die
; A64-NOT: bl die
; A64-LABEL: .Lfunc_end
define void @noret(i32 %x, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  call void @die(i32 7)
  unreachable
b:
  store volatile i32 2, ptr %o
  call void @die(i32 7)
  unreachable
z:
  ret void
}

; IR: call void %p(i32 7) #[[NM]]
; IR: call void %p(i32 7) #[[NM]]
; IR-NOT: asm ""
; IR-LABEL: define void @inv(
; X86-LABEL: indirect:
; X86-COUNT-2: callq *
; X86-NOT: callq *
; X86-LABEL: .Lfunc_end
; A64-LABEL: indirect:
; A64-COUNT-2: blr
; A64-NOT: blr
; A64-LABEL: .Lfunc_end
define void @indirect(i32 %x, ptr %p, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  call void %p(i32 7)
  store i32 0, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  call void %p(i32 7)
  store i32 0, ptr %o
  ret void
z:
  ret void
}

; IR: invoke void @f(i32 7) #[[NM]]
; IR: invoke void @f(i32 7) #[[NM]]
; IR-LABEL: define void @mcpy(
; X86-LABEL: inv:
; X86-COUNT-2: callq f@PLT
; X86-NOT: callq f@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: inv:
; A64-COUNT-2: bl f
; A64-NOT: bl f
; A64-LABEL: .Lfunc_end
define void @inv(i32 %x, ptr %o) #0 personality ptr @__gxx_personality_v0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  invoke void @f(i32 7) to label %ok unwind label %lp
b:
  store volatile i32 2, ptr %o
  invoke void @f(i32 7) to label %ok unwind label %lp
ok:
  ret void
lp:
  %l = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %l
z:
  ret void
}

; What code generation makes a call: the separator, not nomerge.
; IR: call void @llvm.memcpy.p0.p0.i64({{.*}}){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR: call void @llvm.memcpy.p0.p0.i64({{.*}}){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_sin(
; X86-LABEL: mcpy:
; X86-COUNT-2: callq memcpy@PLT
; X86-NOT: callq memcpy@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: mcpy:
; A64-COUNT-2: bl memcpy
; A64-NOT: bl memcpy
; A64-LABEL: .Lfunc_end
define void @mcpy(i32 %x, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  store i32 0, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  store i32 0, ptr %o
  ret void
z:
  ret void
}

; A direct call SelectionDAG or CodeGenPrepare may remake keeps today's
; rule: of the calls of one callee all but the first whose block ends after
; it keep the separator (a call without it merges with none that has it).
; (floor and fmin are instructions on AArch64; floor is one on x86-64 with
; SSE4.1, fmin at -O2.)
; IR: call double @sin(double %u){{$}}
; IR: call double @sin(double %u){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_floor(
; X86-LABEL: t_sin:
; X86-COUNT-2: callq sin@PLT
; X86-NOT: callq sin@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: t_sin:
; A64-COUNT-2: bl sin
; A64-NOT: bl sin
; A64-LABEL: .Lfunc_end
define void @t_sin(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call double @sin(double %u)
  store double %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call double @sin(double %u)
  store double %r2, ptr %o
  ret void
z:
  ret void
}

; IR: call double @floor(double %u){{$}}
; IR: call double @floor(double %u){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_ldexp(
; X86-LABEL: t_floor:
; X86-COUNT-2: callq floor@PLT
; X86-NOT: callq floor@PLT
; X86-LABEL: .Lfunc_end
define void @t_floor(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call double @floor(double %u)
  store double %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call double @floor(double %u)
  store double %r2, ptr %o
  ret void
z:
  ret void
}

; IR: call double @ldexp(double %u, i32 %x){{$}}
; IR: call double @ldexp(double %u, i32 %x){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_fmin(
; X86-LABEL: t_ldexp:
; X86-COUNT-2: callq ldexp@PLT
; X86-NOT: callq ldexp@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: t_ldexp:
; A64-COUNT-2: bl ldexp
; A64-NOT: bl ldexp
; A64-LABEL: .Lfunc_end
define void @t_ldexp(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call double @ldexp(double %u, i32 %x)
  store double %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call double @ldexp(double %u, i32 %x)
  store double %r2, ptr %o
  ret void
z:
  ret void
}

; IR: call double @fmin(double %u, double %u){{$}}
; IR: call double @fmin(double %u, double %u){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_mempcpy(
define void @t_fmin(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call double @fmin(double %u, double %u)
  store double %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call double @fmin(double %u, double %u)
  store double %r2, ptr %o
  ret void
z:
  ret void
}

; IR: call ptr @mempcpy(ptr %d, ptr %s, i64 %n){{$}}
; IR: call ptr @mempcpy(ptr %d, ptr %s, i64 %n){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; IR-LABEL: define void @t_memcpy_chk(
; X86-LABEL: t_mempcpy:
; X86-COUNT-2: callq memcpy@PLT
; X86-NOT: callq memcpy@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: t_mempcpy:
; A64-COUNT-2: bl memcpy
; A64-NOT: bl memcpy
; A64-LABEL: .Lfunc_end
define void @t_mempcpy(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call ptr @mempcpy(ptr %d, ptr %s, i64 %n)
  store ptr %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call ptr @mempcpy(ptr %d, ptr %s, i64 %n)
  store ptr %r2, ptr %o
  ret void
z:
  ret void
}

; IR: call ptr @__memcpy_chk(ptr %d, ptr %s, i64 %n, i64 -1){{$}}
; IR: call ptr @__memcpy_chk(ptr %d, ptr %s, i64 %n, i64 -1){{$}}
; IR-NEXT: call void asm "", "~{memory}"()
; X86-LABEL: t_memcpy_chk:
; X86-COUNT-2: callq memcpy@PLT
; X86-NOT: callq memcpy@PLT
; X86-LABEL: .Lfunc_end
; A64-LABEL: t_memcpy_chk:
; A64-COUNT-2: bl memcpy
; A64-NOT: bl memcpy
; A64-LABEL: .Lfunc_end
define void @t_memcpy_chk(i32 %x, double %u, ptr %d, ptr %s, i64 %n, ptr %o) #0 {
entry:
  switch i32 %x, label %z [ i32 1, label %a
                             i32 2, label %b ]
a:
  store volatile i32 1, ptr %o
  %r1 = call ptr @__memcpy_chk(ptr %d, ptr %s, i64 %n, i64 -1)
  store ptr %r1, ptr %o
  ret void
b:
  store volatile i32 2, ptr %o
  %r2 = call ptr @__memcpy_chk(ptr %d, ptr %s, i64 %n, i64 -1)
  store ptr %r2, ptr %o
  ret void
z:
  ret void
}

; IR: attributes #[[NM]] = { nomerge }

attributes #0 = { nounwind }
