; A bad pass parameter is an error: opt names the parameter and exits non-zero.
; RUN: not %opt -load-pass-plugin=%plugin -passes='whence<sites=maybe>' -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=VALUE
; RUN: not %opt -load-pass-plugin=%plugin -passes='whence<bogus=on>' -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=KEY
; RUN: not %opt -load-pass-plugin=%plugin -passes='whence<sites>' -S %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOVAL
; Every parameter at once, and an empty one, are fine.
; RUN: %opt -load-pass-plugin=%plugin -passes='whence<sites=off;slots=on;liveness=auto;>,verify' -S %s -o /dev/null

; VALUE: whence: invalid value 'maybe' for pass parameter 'sites' (expected on, off or auto)
; KEY: whence: unknown pass parameter 'bogus' (expected sites, slots, liveness or lines)
; NOVAL: whence: invalid value '' for pass parameter 'sites' (expected on, off or auto)

target triple = "x86_64-unknown-linux-gnu"

define void @f() {
  ret void
}
