; An llvm.global_ctors of the old two-field form ({ i32, ptr }, rejected by the LLVM 19 verifier, hence -disable-verify on the input) is rebuilt in the three-field form with null associated data, keeping the user's entries and order; an empty (zeroinitializer) llvm.used is extended too.
; RUN: %opt -load-pass-plugin=%plugin -disable-verify -passes='whence,verify' -S %s | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

@llvm.global_ctors = appending global [2 x { i32, ptr }] [{ i32, ptr } { i32 65535, ptr @a }, { i32, ptr } { i32 200, ptr @b }]
@llvm.used = appending global [0 x ptr] zeroinitializer, section "llvm.metadata"

; CHECK: @llvm.global_ctors = appending global [3 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @a, ptr null }, { i32, ptr, ptr } { i32 200, ptr @b, ptr null }, { i32, ptr, ptr } { i32 1, ptr @__whence.module_ctor, ptr @__whence.module_ctor }]
; CHECK: @llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @__whence.module_dtor, ptr @__whence.module_dtor }]
; CHECK: @__whence.note = linkonce_odr hidden constant {{.*}} c"whence\00\00", i32 {{[0-9]+}}, i32 trunc (i64 sub (i64 ptrtoint (ptr @__whence.module_ctor to i64){{.*}} section ".note.whence", comdat, align 4
; CHECK: @llvm.used = appending global [5 x ptr] [ptr @__whence.mod, ptr @__whence.fence, ptr @__whence.own_site, ptr @__whence.own_line, ptr @__whence.note], section "llvm.metadata"

define void @a() {
  ret void
}
define void @b() {
  ret void
}
