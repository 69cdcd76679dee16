// A table damaged past its header after whence-link wrote it (a bad disk
// block, a tool that rewrote the section) still answers right: the check
// words of the function entries' groups, of their lines and of the packs
// (whence_abi.h, checks; runtime/tabcheck.c) are checked where a lookup
// first reads what they cover, and what fails is not used, with one
// message: a range's pcs are answered from the records the table was
// built from, a pack's entries from the module table's arrays.  A damaged
// bucket or module entry is taken to the records as well.
// The program checks each call's frame against __func__ and __LINE__:
// wrong and unknown answers are counted.
// REQUIRES: (x86_64-linux || aarch64-linux)
// DEFINE: %{edit} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/d
// RUN: %whence_link -o %t/d.tab %t/d
// RUN: %run %t/d.tab 2>&1 | FileCheck %s --check-prefixes=CHECK,INTACT
// A bit of a subprog index (the first function entry's word):
// RUN: %{edit} %t/d.tab %t/d.sub flipfunc=whence_tab:0:5:1
// RUN: %run %t/d.sub 2>&1 | FileCheck %s --check-prefixes=CHECK,ENTRY
// A bit of a size:
// RUN: %{edit} %t/d.tab %t/d.size flipfunc=whence_tab:1:4:0x80
// RUN: %run %t/d.size 2>&1 | FileCheck %s --check-prefixes=CHECK,ENTRY
// A bit of a start:
// RUN: %{edit} %t/d.tab %t/d.start flipfunc=whence_tab:2:0:4
// RUN: %run %t/d.start 2>&1 | FileCheck %s --check-prefixes=CHECK,ENTRY
// Bits of the descriptions and line tables:
// RUN: %{edit} %t/d.tab %t/d.chg0 flipchg=whence_tab:0:0x11
// RUN: %run %t/d.chg0 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.chg3 flipchg=whence_tab:3:0x11
// RUN: %run %t/d.chg3 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.chg8 flipchg=whence_tab:8:0x11
// RUN: %run %t/d.chg8 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.chg13 flipchg=whence_tab:13:0x11
// RUN: %run %t/d.chg13 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.chg21 flipchg=whence_tab:21:0x11
// RUN: %run %t/d.chg21 | FileCheck %s
// A bucket's range index, a sub-bucket's delta, the module entry's offset:
// RUN: %{edit} %t/d.tab %t/d.b0 flipbucket=whence_tab:0:1
// RUN: %run %t/d.b0 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.b5 flipbucket=whence_tab:5:0x80
// RUN: %run %t/d.b5 | FileCheck %s
// RUN: %{edit} %t/d.tab %t/d.mod flipmod=whence_tab:0
// RUN: %run %t/d.mod 2>&1 | FileCheck %s --check-prefixes=CHECK,MOD
// Bits of the packed subprogs (names, first lines): read from the module
// table instead, and right:
// RUN: %{edit} %t/d.tab %t/d.pack flippack=whence_tab:0:0x21
// RUN: %run %t/d.pack 2>&1 | FileCheck %s --check-prefixes=PACK
// INTACT-NOT: whence:
// ENTRY: whence: lookup table at 0x{{[0-9a-f]+}}: its bucket and function entries for code bytes {{[0-9]+}}..{{[0-9]+}} fail their check (the lookup table was changed after whence-link wrote it; whence-link --check tells more): their pcs are answered from the records
// ENTRY-NOT: whence:
// MOD: whence: lookup table at 0x{{[0-9a-f]+}}: its module entry 0 fails its check {{.*}}: its functions are answered from the records
// MOD-NOT: whence:
// PACK: whence: module table at 0x{{[0-9a-f]+}}: its packed subprogs 0..{{[0-9]+}} fail their check {{.*}}: they are read from the module table
// PACK-NOT: whence:
// PACK: 9 calls, 0 unknown, 0 wrong
// CHECK: 9 calls, 0 unknown, 0 wrong
#include <stdio.h>
#include <string.h>
#include <whence.h>
static int wrong, unknown, calls;
#define NOINLINE __attribute__((noinline))
NOINLINE static void check(const char *fn, int line) {
    whence_frame f;
    whence_caller(1, &f);
    calls++;
    if (f.line == 0) {
        printf("unknown: %s:%d, want %s:%d\n", f.function ? f.function : "?", f.line, fn, line);
        unknown++;
    }
    else if (strcmp(f.function ? f.function : "", fn) || f.line != line) {
        printf("wrong: %s:%d, want %s:%d\n", f.function ? f.function : "?", f.line, fn, line);
        wrong++;
    }
}
NOINLINE void alpha(void) { check(__func__, __LINE__);
    check(__func__, __LINE__); }
NOINLINE void beta(void) { check(__func__, __LINE__);
    check(__func__, __LINE__);
    check(__func__, __LINE__); }
NOINLINE void gamma_(void) { check(__func__, __LINE__);
    check(__func__, __LINE__); }
NOINLINE void delta(void) {
    check(__func__, __LINE__);
    check(__func__, __LINE__); }
int main(void) {
    alpha(); beta(); gamma_(); delta();
    printf("%d calls, %d unknown, %d wrong\n", calls, unknown, wrong);
    return 0;
}
