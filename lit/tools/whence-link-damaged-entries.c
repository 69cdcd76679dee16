// XFAIL: *
// Bug (runtime/table.c, the table's format): a table damaged past its
// header and module entries answers wrong lines.  The header carries a
// checksum and each module entry a check, but the function entries
// (struct whence_tab_func) and the line tables carry none, so one flipped
// bit in a function entry's word names another function and another line
// for every call of it, or (a size bit) moves every pc of the program
// into another function: "never print a line you are not sure of" does not
// hold for a file damaged after whence-link wrote it (a bad disk block, a
// tool that rewrote the section).  docs/WHENCE-LINK.md says so ("it is not
// detected at run time"); only whence-link --check finds it.  Fix
// direction: a check over the function entries (one 8-byte word per
// function: checked once when the table is adopted, as the header is) and
// per-range checks of the line tables verified when a range is first read.
// The program checks each call's line against __LINE__: wrong lines are
// counted, unknown ones (0) are allowed.  With the table intact: 0 wrong.
// REQUIRES: x86_64-linux
// DEFINE: %{edit} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/d
// RUN: %whence_link -o %t/d.tab %t/d
// RUN: %t/d.tab | FileCheck %s
// A bit of a subprog index (the first function entry's word):
// RUN: %{edit} %t/d.tab %t/d.sub flipfunc=whence_tab:0:5:1
// RUN: %t/d.sub | FileCheck %s
// A bit of a size:
// RUN: %{edit} %t/d.tab %t/d.size flipfunc=whence_tab:1:4:0x80
// RUN: %t/d.size | FileCheck %s
// CHECK: 9 calls, {{[0-9]+}} unknown, 0 wrong
#include <stdio.h>
#include <string.h>
#include <whence.h>
static int wrong, unknown, calls;
#define NOINLINE __attribute__((noinline))
NOINLINE static void check(const char *fn, int line) {
    whence_frame f;
    whence_caller(1, &f);
    calls++;
    if (f.line == 0) unknown++;
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
