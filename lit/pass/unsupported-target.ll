; A module the pass cannot handle is left unchanged with one line on stderr: a target other than x86-64 or little-endian AArch64 ELF (LP64), or the medium/large code model (where !pcsections would write 64-bit pc fields).
; RUN: sed -e 's/@TRIPLE@/riscv64-unknown-linux-gnu/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=ARCH < %t.err
; RUN: sed -e 's/@TRIPLE@/aarch64_be-unknown-linux-gnu/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=BE < %t.err
; RUN: sed -e 's/@TRIPLE@/aarch64-unknown-linux-gnu_ilp32/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=ILP32 < %t.err
; RUN: sed -e 's/@TRIPLE@/x86_64-pc-linux-gnux32/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=X32 < %t.err
; RUN: sed -e 's/@TRIPLE@/arm64-apple-macosx14.0.0/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=ARM64MACHO < %t.err
; RUN: sed -e 's/@TRIPLE@/x86_64-apple-macosx14.0.0/' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=MACHO < %t.err
; RUN: sed -e 's/@TRIPLE@/x86_64-unknown-linux-gnu/' -e 's/^;CM //' %s | %opt -load-pass-plugin=%plugin -passes='whence,verify' -S 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=CMODEL < %t.err

; ARCH: whence: unsupported.c: target 'riscv64-unknown-linux-gnu' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; BE: whence: unsupported.c: target 'aarch64_be-unknown-linux-gnu' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; ILP32: whence: unsupported.c: target 'aarch64-unknown-linux-gnu_ilp32' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; X32: whence: unsupported.c: target 'x86_64-pc-linux-gnux32' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; ARM64MACHO: whence: unsupported.c: target 'arm64-apple-macosx14.0.0' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; MACHO: whence: unsupported.c: target 'x86_64-apple-macosx14.0.0' is not supported (x86_64 and aarch64 ELF only); module left uninstrumented
; CMODEL: whence: unsupported.c: the medium and large code models are not supported; module left uninstrumented

source_filename = "unsupported.c"
target triple = "@TRIPLE@"

declare void @ext()

; CHECK-LABEL: define void @f() {
; CHECK-NEXT: call void @ext()
define void @f() {
  call void @ext()
  ret void
}
; CHECK-NOT: {{__whence|whence[._]|Lwhence}}

;CM !llvm.module.flags = !{!0}
;CM !0 = !{i32 1, !"Code Model", i32 4}
