// The size target (issue 3): whence's records (whence_fn + whence_site +
// whence_line + whence_mod) are no larger than the same image's -gline-tables-only line
// tables (.debug_line + .debug_line_str).  Met since ABI v3 (flat site words
// for calls that are not inlined, 16-byte whence_fn, packed subprogs and locs): the
// representative program is ~0.85x (2.1x with v2's line records, 1.4x
// without); scripts/record-size.sh prints the full table and docs/LINKING.md
// has it.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -I%S/Inputs %S/Inputs/rep.c %whence_libs -o %t
// RUN: python3 %S/Inputs/record-size.py %t | FileCheck %s
// CHECK: within-target=1
