; Every defined function gets a whence_fn record (function-level !pcsections with {module key, subprog index}), "frame-pointer"="non-leaf" unless already "all", and "disable-tail-calls"="true" with its calls' `tail` hints dropped; !pcsections already there are kept.
; Sites and slots off: only the function-level changes are checked here (slot code is slots.ll's).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off>,verify' -S %s 2>/dev/null | FileCheck %s
; Slots change no record; a function that gets one is noinline.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on>,verify' -S %s 2>/dev/null | FileCheck %s --check-prefix=SLOTS

target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; `tail` hints go too (as with -fno-optimize-sibling-calls); notail stays.
; CHECK-LABEL: define void @plain()
; CHECK-SAME: #[[PLAIN:[0-9]+]]
; CHECK-SAME: !pcsections ![[R0:[0-9]+]]
; CHECK-NEXT: call void @ext()
; CHECK-NEXT: notail call void @ext()
; CHECK-NEXT: ret void
define void @plain() {
  tail call void @ext()
  notail call void @ext()
  ret void
}

; CHECK-LABEL: define void @fp_all()
; CHECK-SAME: #[[ALL:[0-9]+]]
; CHECK-SAME: !pcsections ![[R1:[0-9]+]]
define void @fp_all() "frame-pointer"="all" {
  call void @ext()
  ret void
}

; CHECK-LABEL: define void @fp_none()
; CHECK-SAME: #[[PLAIN]]
define void @fp_none() "frame-pointer"="none" {
  ret void
}

; A leaf without calls is still a function the runtime must name.
; CHECK-LABEL: define i32 @leaf(i32 %x)
; CHECK-SAME: !pcsections ![[R3:[0-9]+]]
define i32 @leaf(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

; CHECK-LABEL: define void @has_pcs()
; CHECK-SAME: !pcsections ![[MERGED:[0-9]+]]
define void @has_pcs() !pcsections !0 {
  ret void
}

; CHECK-DAG: attributes #[[PLAIN]] = { "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }

; SLOTS-LABEL: define void @plain()
; SLOTS-SAME: #[[SCALLS:[0-9]+]] !pcsections
; SLOTS: %whence.slot = alloca
; SLOTS: {{^}}  call void @ext()
; SLOTS: {{^}}  notail call void @ext()
; SLOTS-LABEL: define void @fp_all()
; SLOTS-SAME: #[[SALL:[0-9]+]] !pcsections
; SLOTS-LABEL: define void @fp_none()
; SLOTS-SAME: #[[SPLAIN:[0-9]+]] !pcsections
; SLOTS-NOT: whence.slot
; SLOTS-LABEL: define i32 @leaf(i32 %x)
; SLOTS-SAME: #[[SPLAIN]] !pcsections
; SLOTS-NOT: whence.slot
; SLOTS-LABEL: define void @has_pcs()
; SLOTS-SAME: #[[SPLAIN]] !pcsections
; A function with a slot is never inlined later (wp_keep_out_of_line).
; SLOTS-DAG: attributes #[[SCALLS]] = { noinline "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
; SLOTS-DAG: attributes #[[SPLAIN]] = { "disable-tail-calls"="true" "frame-pointer"="non-leaf" "nooutline" }
; SLOTS-DAG: attributes #[[SALL]] = { noinline "disable-tail-calls"="true" "frame-pointer"="all" "nooutline" }
; CHECK-DAG: attributes #[[ALL]] = { "disable-tail-calls"="true" "frame-pointer"="all" "nooutline" }

; Subprog indices follow function order; all records share one module key.
; CHECK-DAG: ![[R0]] = !{!"whence_fn", ![[A0:[0-9]+]]}
; CHECK-DAG: ![[A0]] = !{i64 [[#%d,KS:]]}
; CHECK-DAG: ![[R1]] = !{!"whence_fn", ![[A1:[0-9]+]]}
; CHECK-DAG: ![[A1]] = !{i64 [[#%d,KS+1]]}
; CHECK-DAG: ![[R3]] = !{!"whence_fn", ![[A3:[0-9]+]]}
; CHECK-DAG: ![[A3]] = !{i64 [[#%d,KS+3]]}
; CHECK-DAG: ![[MERGED]] = !{!"other_sect", ![[OTHER:[0-9]+]], !"whence_fn", ![[A4:[0-9]+]]}
; CHECK-DAG: ![[OTHER]] = !{i32 42}
; CHECK-DAG: ![[A4]] = !{i64 [[#%d,KS+4]]}

!0 = !{!"other_sect", !1}
!1 = !{i32 42}
