// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The runtime's demangler (runtime/cxx/demangle.c) against llvm-cxxfilt on
// every C++ symbol libstdc++ and libLLVM export, and, where rustc is
// installed, its Rust v0 reader (runtime/cxx/rust_v0.c) on every symbol of
// Rust's libstd and librustc_driver: each name must read exactly as
// llvm-cxxfilt prints it, or be left mangled (not supported), and the
// supported share must stay high.  This file is the driver: a
// mangled name a line in; "TEXT<tab>NAME_OFF<tab>NAME_LEN" out, or "-" when
// not supported; argv[1]: the output buffer's size (default 64 KiB; the
// crash report's is 1024).
//
// REQUIRES: x86_64-linux
// RUN: %clang -O2 %s %whence_static -lpthread -ldl -o %t
// RUN: python3 %S/Inputs/demangle-corpus.py %t libstdc++.so.6 libLLVM.so.1 --min-functions 97 | FileCheck %s
// RUN: %if rustc %{ python3 %S/Inputs/demangle-corpus.py %t %rust_libs --min-functions 99 | FileCheck %s --check-prefix=RUST %}
// CHECK: libstdc++.so.6: {{[0-9]+}} of {{[0-9]+}} names
// CHECK: libLLVM.so.1: {{[0-9]+}} of {{[0-9]+}} names
// CHECK: mismatches 0
// CHECK: share ok
// RUST: libstd-{{[0-9a-f]+}}.so: {{[0-9]+}} of {{[0-9]+}} names
// RUST: librustc_driver-{{[0-9a-f]+}}.so: {{[0-9]+}} of {{[0-9]+}} names
// RUST: mismatches 0
// RUST: share ok
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t wh_demangle(const char *mangled, char *out, size_t cap, size_t *name_off,
                   size_t *name_len);
size_t wh_rust_v0(const char *mangled, char *out, size_t cap, size_t *name_off,
                  size_t *name_len);

int main(int argc, char **argv) {
    static char line[1 << 17], out[1 << 16];
    size_t cap = argc > 1 ? (size_t)atoi(argv[1]) : sizeof out;
    if (cap > sizeof out)
        cap = sizeof out;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        size_t off = 0, len = 0;
        if ((line[1] == 'R' ? wh_rust_v0 : wh_demangle)(line, out, cap, &off, &len))
            printf("%s\t%zu\t%zu\n", out, off, len);
        else
            puts("-");
    }
    return 0;
}
