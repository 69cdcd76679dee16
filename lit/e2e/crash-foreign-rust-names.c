// Frames of Rust code outside instrumented code (a Rust program's std and
// crates, hosting a C library built with the plugin) are named by their
// symbols, in rustc's legacy mangling: the report printed them as the
// Itanium demangler reads them, "main::cb_fault::_$u7b$$u7b$closure$u7d$$u7d$
// ::h0123456789abcdef".  They now read as Rust prints them, without the
// hash; and Rust's v0 names (_R..., Rust's own std is built with them)
// read as llvm-cxxfilt prints them: "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start
// _internal" is "std::rt::lang_start_internal".  The "Rust" frames here are
// C functions given Rust's symbols (a real Rust host: rust-host.c).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O1 -g0 -fno-inline -fPIC -shared -DFOREIGN %s -o %t/librs.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -L%t -Wl,-rpath,%t -lrs -o %t/main
// RUN: env LD_LIBRARY_PATH=%t not --crash %run %t/main 2>&1 | FileCheck %s
// CHECK: stack:
// CHECK-NEXT: fault_in_c(...)
// CHECK: main::cb_fault::{{[{][{]}}closure{{[}][}]}}(...) (not instrumented)
// CHECK: <main::Wrapper<T> as core::fmt::Debug>::fmt(...) (not instrumented)
// CHECK: std::rt::lang_start_internal::{closure#0}::{closure#0}::{closure#1}(...) (not instrumented)
// CHECK: <std::sync::once::Once>::call_once::<std::rt::cleanup::{closure#0}>::{closure#0}(...) (not instrumented)
// CHECK-NOT: $u7b$
// CHECK-NOT: _RN
#ifdef FOREIGN
void fault_in_c(void);
void closure(void) __asm__("_ZN4main8cb_fault28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE");
void closure(void) {
    fault_in_c();
    __asm__ volatile("" ::: "memory");
}
void fmt(void) __asm__("_ZN59_$LT$main..Wrapper$LT$T$GT$$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE");
void fmt(void) {
    closure();
    __asm__ volatile("" ::: "memory");
}
void v0_closure(void) __asm__("_RNCNCNCNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal00s_0B9_");
void v0_closure(void) {
    fmt();
    __asm__ volatile("" ::: "memory");
}
void v0_once(void) __asm__("_RNCINvMs0_NtNtCsjrHSEGnQ3l9_3std4sync4onceNtB8_4Once9call_onceNCNvNtBc_2rt7cleanup0E0Bc_");
void v0_once(void) {
    v0_closure();
    __asm__ volatile("" ::: "memory");
}
#else
#include <whence.h>
static int *volatile nullp;
void v0_once(void) __asm__("_RNCINvMs0_NtNtCsjrHSEGnQ3l9_3std4sync4onceNtB8_4Once9call_onceNCNvNtBc_2rt7cleanup0E0Bc_");
__attribute__((noinline)) void fault_in_c(void) {
    *nullp = 1;
}
int main(void) {
    whence_install_crash_handler();
    v0_once();
    return 0;
}
#endif
