// A real Rust program hosting a C library built with the plugin, faulting
// in it: the crash report names the C frames at their lines and the Rust
// frames by their symbols, the Rust program's own in rustc's legacy
// mangling ("main::callback"), Rust's std in v0 mangling, which it is
// built with ("std::rt::lang_start_internal"; it read
// "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal").
// REQUIRES: x86_64-linux, rustc
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %whence_cflags %s %whence_libs -o %t/libcl.so
// RUN: %rustc -O %S/Inputs/rust-host.rs -L %t -l cl -C link-arg=-Wl,-rpath,%t -o %t/main
// RUN: not --crash %t/main 2>&1 | FileCheck %s
// CHECK: fault in fault_here at {{.*}}rust-host.c:[[# @LINE + 13]]
// CHECK: stack:
// CHECK-NEXT: fault_here(...)
// CHECK: c_fault(...)
// CHECK-NEXT: {{.*}}rust-host.c:[[# @LINE + 11]]
// CHECK-NEXT: rust_host::callback(...) (not instrumented)
// CHECK: c_entry(...)
// CHECK-NEXT: {{.*}}rust-host.c:[[# @LINE + 7]]
// CHECK: std::rt::lang_start_internal(...) (not instrumented)
// CHECK-NOT: _RN
#include <whence.h>

static int *volatile nullp;
__attribute__((noinline)) static void fault_here(void) { *nullp = 1; }
void c_entry(void (*cb)(void)) { cb(); }
void c_fault(void) { fault_here(); }
void c_install(void) { whence_install_crash_handler(); }
