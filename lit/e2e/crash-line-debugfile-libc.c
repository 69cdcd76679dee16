// The system's debug directory, as a distribution installs it: libc is
// stripped of .symtab, so its internal functions (strlen's AVX2 or EVEX
// variant, qsort's merge sort) had no name in the crash report; with
// libc6-dbg, /usr/lib/debug/.build-id/xx/yyyy.debug holds its .symtab,
// found by libc's build id when WHENCE_DEBUG_FILE_DIRECTORY is unset.
// Debian compresses that file's debug sections (zlib, SHF_COMPRESSED):
// they are inflated (lines/inflate.c) and each libc frame gets the line
// llvm-symbolizer gives for the same function and offset in the same
// debug file (it said "libc.so.6 +0x" before: no line).
// REQUIRES: x86_64-linux && libc-dbg
// RUN: %clang -O1 -g %whence_cflags %s %whence_libs -o %t
// RUN: not --crash env -u WHENCE_DEBUG_FILE_DIRECTORY %t strlen 2> %t.strlen.r
// RUN: FileCheck %s --check-prefix=STRLEN < %t.strlen.r
// RUN: python3 %inputs/debugfile.py same-lines %t.strlen.r %libc_so /usr/lib/debug llvm-symbolizer
// RUN: not --crash env -u WHENCE_DEBUG_FILE_DIRECTORY %t qsort 2> %t.qsort.r
// RUN: FileCheck %s --check-prefix=QSORT < %t.qsort.r
// RUN: python3 %inputs/debugfile.py same-lines %t.qsort.r %libc_so /usr/lib/debug llvm-symbolizer
// An empty list: no debug directory (the report names libc by address).
// RUN: not --crash env WHENCE_DEBUG_FILE_DIRECTORY= %t strlen 2>&1 | FileCheck %s --check-prefix=NONE
#include <stdlib.h>
#include <string.h>
#include <whence.h>

static const char *volatile null_s;
static int *volatile null_q;

__attribute__((noinline)) static int by_value(const void *a, const void *b) {
    return *null_q + *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "strlen"))
        return (int)strlen(null_s);
    int v[4] = {3, 1, 2, 0};
    qsort(v, 4, sizeof v[0], by_value);
    return v[0];
}
// STRLEN: fault in __strlen_{{[a-z0-9_]+}} (not instrumented) at {{.*}}/str{{[a-z0-9-]*}}.S:{{[0-9]+}} +0x
// STRLEN: stack:
// STRLEN-NEXT: __strlen_{{[a-z0-9_]+}}(...) (not instrumented)
// STRLEN-NEXT: {{.*}}/str{{[a-z0-9-]*}}.S:{{[0-9]+}} +0x
// STRLEN-NEXT: main(...)
//
// QSORT: stack:
// QSORT-NEXT: by_value(...)
// QSORT: {{^[a-z_][a-z_.0-9]*}}(...) (not instrumented)
// QSORT: qsort{{.*}}(...) (not instrumented)
// QSORT-NEXT: {{.*}}sort.c:{{[0-9]+}} +0x
// QSORT-NEXT: main(...)
//
// NONE: fault outside instrumented code, in {{.*}}libc.so.6+0x
// NONE: stack:
// NONE-NEXT: ?(...) (not instrumented)
