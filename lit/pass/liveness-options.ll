; The liveness option takes strict besides on/off/auto (the other options do
; not); WHENCE_LIVENESS=strict does the same under clang, and an unknown
; value warns and falls back to auto.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=strict>,verify' -S %s | FileCheck %s --check-prefix=STRICT
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off;liveness=on>,verify' -S %s | FileCheck %s --check-prefix=ON
; RUN: env WHENCE_LIVENESS=strict %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off>,verify' -S %s | FileCheck %s --check-prefix=STRICT
; RUN: env WHENCE_LIVENESS=maybe %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=off>,verify' -S %s 2>&1 | FileCheck %s --check-prefixes=WARN,ON
; RUN: not %opt -load-pass-plugin=%plugin -passes='whence<sites=strict>' -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
; RUN: not %opt -load-pass-plugin=%plugin -passes='whence<liveness=maybe>' -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADLV
; WARN: whence: warning: WHENCE_LIVENESS='maybe' is not 0, 1, strict or auto; using auto
; BAD: whence: invalid value 'strict' for pass parameter 'sites' (expected on, off or auto)
; BADLV: whence: invalid value 'maybe' for pass parameter 'liveness' (expected on, off or auto, or strict)
; @outer reaches whence_gc only through @inner: strict treats it, on does not.
; STRICT-LABEL: define void @outer(
; STRICT: call void asm sideeffect "xorl
; STRICT-NEXT: call void @inner()
; ON-LABEL: define void @outer(
; ON-NOT: asm sideeffect
; ON: ret void

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare void @whence_gc()

define void @inner() {
  call void @whence_gc()
  ret void
}

define void @outer() {
  call void @inner()
  ret void
}
