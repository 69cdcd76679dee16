/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * demangle.h - the runtime's own Itanium C++ demangler (demangle.c), for
 * the names of frames outside instrumented code, which only the symbol
 * table names, mangled; and Rust's names (rust_legacy.c, rust_v0.c).
 * Instrumented frames never need it: the pass demangled their names at
 * compile time.
 */
#ifndef WHENCE_RUNTIME_CXX_DEMANGLE_H
#define WHENCE_RUNTIME_CXX_DEMANGLE_H

#include <stddef.h>

/* Buffer size the crash report gives wh_demangle (on the stack): a name
 * longer than this reads mangled. */
#define WH_DEMANGLE_CAP 1024

/* Writes the demangling of `mangled` ("_Z...") into out[0, cap), NUL-
 * terminated, exactly as llvm-cxxfilt prints it, and returns its length;
 * 0 when the name is not one this demangler can print exactly (malformed,
 * outside what it implements, longer than cap - 1 bytes, or more work than
 * its bounds allow): the caller then prints the mangled name.  *name_off,
 * *name_len (either may be NULL): the function's qualified name inside out,
 * without return type, parameters, cv/ref qualifiers or clone suffix
 * ("std::vector<int, std::allocator<int>>::at"); a thunk's reads "non-virtual
 * thunk to A::f".  Async-signal-safe: no allocation, no locks, no global
 * state, under 3 KiB of stack. */
__attribute__((visibility("hidden"))) size_t wh_demangle(const char *mangled, char *out,
                                                          size_t cap, size_t *name_off,
                                                          size_t *name_len);

/* name[0, n), the qualified name wh_demangle gave for a Rust legacy symbol
 * ("a::b::_$LT$T$GT$::h0123456789abcdef"), rewritten in place as Rust
 * prints it ("a::b::<T>") and NUL-terminated; returns its length, or 0
 * (name untouched) when it is no such name (rust_legacy.c). */
__attribute__((visibility("hidden"))) size_t wh_rust_legacy(char *name, size_t n);

/* wh_demangle's contract for Rust's v0 names ("_R..."), as llvm-cxxfilt
 * prints them; the name span leaves out a suffix such as ".llvm.123"
 * (rust_v0.c). */
__attribute__((visibility("hidden"))) size_t wh_rust_v0(const char *mangled, char *out, size_t cap,
                                                         size_t *name_off, size_t *name_len);

#endif /* WHENCE_RUNTIME_CXX_DEMANGLE_H */
