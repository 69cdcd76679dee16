; The module constructor/destructor: linkonce_odr hidden, each in a comdat keyed on its own name, calling the extern_weak hooks (if linked) with the ABI version (2) and the hidden extern_weak __start_/__stop_ bounds of whence_fn, whence_site, whence_mod, whence_line (9 arguments); appended to llvm.global_ctors/llvm.global_dtors (priority 1, itself as associated data) after the user's entries, and the table appended to llvm.used after the user's.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence,verify' -S %s | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

@keep = internal global i32 0
@llvm.used = appending global [1 x ptr] [ptr @keep], section "llvm.metadata"
@llvm.global_ctors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }, { i32, ptr, ptr } { i32 101, ptr @user_ctor2, ptr @keep }]
@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_dtor, ptr null }]

; CHECK: $__whence.module_ctor = comdat any
; CHECK: $__whence.module_dtor = comdat any
; CHECK: @__whence.mod = private constant [{{[0-9]+}} x i8] c"WHN1{{.*}}", section "whence_mod", align 8
; CHECK: @__start_whence_fn = extern_weak hidden global [0 x i8]
; CHECK: @__stop_whence_fn = extern_weak hidden global [0 x i8]
; CHECK: @__start_whence_site = extern_weak hidden global [0 x i8]
; CHECK: @__stop_whence_site = extern_weak hidden global [0 x i8]
; CHECK: @__start_whence_mod = extern_weak hidden global [0 x i8]
; CHECK: @__stop_whence_mod = extern_weak hidden global [0 x i8]
; CHECK: @__start_whence_line = extern_weak hidden global [0 x i8]
; CHECK: @__stop_whence_line = extern_weak hidden global [0 x i8]
; CHECK: @llvm.global_ctors = appending global [3 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }, { i32, ptr, ptr } { i32 101, ptr @user_ctor2, ptr @keep }, { i32, ptr, ptr } { i32 1, ptr @__whence.module_ctor, ptr @__whence.module_ctor }]
; CHECK: @llvm.global_dtors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_dtor, ptr null }, { i32, ptr, ptr } { i32 1, ptr @__whence.module_dtor, ptr @__whence.module_dtor }]
; CHECK: @__whence.note = linkonce_odr hidden constant {{.*}} c"whence\00\00", i32 {{[0-9]+}}, i32 trunc (i64 sub (i64 ptrtoint (ptr @__whence.module_ctor to i64){{.*}} section ".note.whence", comdat, align 4
; CHECK: @llvm.used = appending global [6 x ptr] [ptr @keep, ptr @__whence.mod, ptr @__whence.fence, ptr @__whence.own_site, ptr @__whence.own_line, ptr @__whence.note], section "llvm.metadata"

define void @user_ctor() {
  ret void
}
define void @user_ctor2() {
  ret void
}
define void @user_dtor() {
  ret void
}

; CHECK: declare extern_weak void @__whence_register(i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr)
; CHECK: declare extern_weak void @__whence_register_tab(i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr)

; Its fence record (passes/split.c) goes with it.  It registers through
; the hook that takes the post-link table's room too when the runtime has
; it (whence-link), else through the older one, which ignores the last two
; arguments; one call, so that each section bound is referenced once.
; CHECK-LABEL: define linkonce_odr hidden void @__whence.module_ctor()
; CHECK-SAME: #[[ATTR:[0-9]+]] comdat !pcsections ![[FENCE:[0-9]+]] {
; CHECK-NEXT: entry:
; CHECK-NEXT: %have.pref = icmp ne ptr @__whence_register_tab, null
; CHECK-NEXT: %hook = select i1 %have.pref, ptr @__whence_register_tab, ptr @__whence_register
; CHECK-NEXT: %have = icmp ne ptr %hook, null
; CHECK-NEXT: br i1 %have, label %call, label %done
; CHECK: call:
; CHECK-NEXT: call void %hook(i32 6, ptr @__start_whence_fn, ptr @__stop_whence_fn, ptr @__start_whence_site, ptr @__stop_whence_site, ptr @__start_whence_mod, ptr @__stop_whence_mod, ptr @__start_whence_line, ptr @__stop_whence_line, ptr @__start_whence_tab, ptr @__stop_whence_tab)
; CHECK-NEXT: br label %done
; CHECK: done:
; CHECK-NEXT: ret void

; CHECK: declare extern_weak void @__whence_unregister(ptr)

; CHECK-LABEL: define linkonce_odr hidden void @__whence.module_dtor()
; CHECK-SAME: #[[ATTR]] comdat !pcsections ![[FENCE]] {
; CHECK-NEXT: entry:
; CHECK-NEXT: %have = icmp ne ptr @__whence_unregister, null
; CHECK-NEXT: br i1 %have, label %call, label %done
; CHECK: call:
; CHECK-NEXT: call void @__whence_unregister(ptr @__start_whence_mod)
; CHECK-NEXT: br label %done
; CHECK: done:
; CHECK-NEXT: ret void

; CHECK: attributes #[[ATTR]] = { disable_sanitizer_instrumentation nounwind }
