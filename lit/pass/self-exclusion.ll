; Self-exclusion: declarations, available_externally bodies, naked and disable_sanitizer_instrumentation functions and every __whence* function are left exactly as they were, but for a fence record on the bodies the backend emits, naked ones included (passes/split.c: function metadata for a whence_fn record whose subprog is 0xffffff, so the runtime can tell split-off code of the function before them from theirs; LLVM 19 gives a naked body an FDE too); calls to __whence* hooks get no site label.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=on>,verify' -S %s | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; CHECK-LABEL: define void @instrumented()
; CHECK-SAME: #[[INSTR:[0-9]+]] !pcsections ![[REC:[0-9]+]]
; CHECK-NEXT: call void asm ".Lwhence_site
; CHECK-NEXT: call void @ext()
; CHECK-NEXT: call void @__whence_rt_hook()
; CHECK-NEXT: ret void
define void @instrumented() {
  call void @ext()
  call void @__whence_rt_hook()
  ret void
}

; CHECK-LABEL: define available_externally void @avail()
; CHECK-NOT: !pcsections
; CHECK-NEXT: call void @ext()
define available_externally void @avail() {
  call void @ext()
  ret void
}

; CHECK-LABEL: define void @naked()
; CHECK-SAME: #[[NAKED:[0-9]+]] !pcsections ![[FENCE:[0-9]+]] {
; CHECK-NEXT: call void asm sideeffect "ret", ""()
; CHECK-NEXT: unreachable
define void @naked() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; CHECK-LABEL: define void @nosan()
; CHECK-SAME: #[[NOSAN:[0-9]+]] !pcsections ![[FENCE]] {
; CHECK-NEXT: call void @ext()
define void @nosan() disable_sanitizer_instrumentation {
  call void @ext()
  ret void
}

; CHECK-LABEL: define void @__whence_rt_hook()
; CHECK-SAME: !pcsections ![[FENCE]] {
; CHECK-NEXT: call void @ext()
define void @__whence_rt_hook() {
  call void @ext()
  ret void
}

; CHECK-LABEL: define internal void @__whence.helper()
; CHECK-SAME: !pcsections ![[FENCE]] {
; CHECK-NEXT: call void @ext()
define internal void @__whence.helper() {
  call void @ext()
  ret void
}

; The module's end marker, then the constructor and destructor the pass
; adds are not instrumented either.
; CHECK-LABEL: define private i64 @__whence.fence()
; CHECK-SAME: #[[MARK:[0-9]+]] !pcsections ![[FENCE]] {
; CHECK: ret i64
; CHECK-LABEL: define linkonce_odr hidden void @__whence.module_ctor()
; CHECK-SAME: #[[CTOR:[0-9]+]] comdat !pcsections ![[FENCE]] {
; CHECK-NOT: asm
; CHECK: ret void
; CHECK-LABEL: define linkonce_odr hidden void @__whence.module_dtor()
; CHECK-SAME: #[[CTOR]] comdat !pcsections ![[FENCE]] {
; CHECK-NOT: asm
; CHECK: ret void

; CHECK-DAG: attributes #[[INSTR]] = { noinline "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
; CHECK-DAG: attributes #[[NAKED]] = { naked }
; CHECK-DAG: attributes #[[NOSAN]] = { disable_sanitizer_instrumentation }
; CHECK-DAG: attributes #[[CTOR]] = { disable_sanitizer_instrumentation nounwind }
; CHECK-DAG: attributes #[[MARK]] = { disable_sanitizer_instrumentation nounwind uwtable }
; Key << 24 | subprog 0, and key << 24 | 0xffffff (signed: a key of 2^39 or more sets the top bit).
; CHECK-DAG: ![[REC]] = !{!"whence_fn", ![[RECAUX:[0-9]+]]}
; CHECK-DAG: ![[RECAUX]] = !{i64 [[#%d,KS:]]}
; CHECK-DAG: ![[FENCE]] = !{!"whence_fn", ![[FENCEAUX:[0-9]+]]}
; CHECK-DAG: ![[FENCEAUX]] = !{i64 [[#%d,KS + 16777215]]}
