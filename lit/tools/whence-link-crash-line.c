// The faulting line with whence-link's table: the crash report, a SIGSEGV
// handler's whence_write_stack and whence_func_line name the same lines as
// without the table (lit/e2e/crash-line.c's checks, against its source):
// the line table for the faulting pc, "placed after the call at line N" from the
// table's call labels once the binary is stripped, inlined code said.  Also
// in a DSO.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{src} = %S/../e2e/crash-line.c
// DEFINE: %{chk} = FileCheck %S/../e2e/crash-line.c
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %{src} %whence_libs -o %t/t2
// RUN: %whence_link --strict -q %t/t2
// RUN: %whence_link --check %t/t2 2>&1 | FileCheck %s --check-prefix=HAS
// RUN: not --crash %run %t/t2 report 2> %t/t2.r && %{chk} --check-prefix=REPORT < %t/t2.r
// RUN: not --crash %run %t/t2 inl 2> %t/t2.i && %{chk} --check-prefix=INL < %t/t2.i
// RUN: %run %t/t2 handler | %{chk} --check-prefix=HANDLER
// Stripped after whence-link: no line table, the table's call labels.
// RUN: llvm-strip -s %t/t2 -o %t/t2s
// RUN: %whence_link --check %t/t2s 2>&1 | FileCheck %s --check-prefix=HAS
// RUN: not --crash %run %t/t2s report 2> %t/t2s.r && %{chk} --check-prefix=STRIP-LT < %t/t2s.r
// RUN: %run %t/t2s handler | %{chk} --check-prefix=STRIP-HANDLER
// -O0, and a DSO (its table written, the program's too).
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %{src} %whence_libs -o %t/t0
// RUN: %whence_link --strict -q %t/t0
// RUN: not --crash %run %t/t0 report 2> %t/t0.r && %{chk} --check-prefix=REPORT < %t/t0.r
// RUN: %run %t/t0 handler | %{chk} --check-prefix=HANDLER
// RUN: %clang -O2 -gline-tables-only -fPIC -shared -DIN_DSO %whence_cflags -I%inputs %{src} %whence_libs -o %t/lib.so
// RUN: %clang -O2 -gline-tables-only -DUSE_DSO %whence_cflags -I%inputs %{src} %t/lib.so %whence_libs -o %t/dso
// RUN: %whence_link --strict -q %t/lib.so && %whence_link --strict -q %t/dso
// RUN: not --crash %run %t/dso report 2> %t/dso.r && %{chk} --check-prefix=REPORT < %t/dso.r
// RUN: not --crash %run %t/dso inl 2> %t/dso.i && %{chk} --check-prefix=INL < %t/dso.i
// HAS: its table answers as its records do at every byte of its code
