// whence-link --check on a processed file whose table was damaged after
// it was written (a module entry: its packed positions): the messages are
// whence-link's and the file's.  Before, the runtime's code that --check
// runs printed, in the middle of whence-link's own lines,
//   whence: lookup table at 0x7f...: ignoring the packed positions of module table 0x7f... ...
//   whence: no code built with the whence plugin is loaded, so stacks are empty: compile with ...
// the first naming addresses of whence-link's own copy of the file, the
// second about the whence-link process itself, telling the user to
// rebuild a program that was built with the plugin.
// REQUIRES: x86_64-linux
// DEFINE: %{edit} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/p
// RUN: %whence_link -o %t/p.tab %t/p
// RUN: %{edit} %t/p.tab %t/p.bad flipmod=whence_tab:24
// RUN: not %whence_link --check %t/p.bad 2>&1 | FileCheck %s --implicit-check-not=0x --implicit-check-not="no code built" --implicit-check-not="whence: "
// CHECK: whence-link: {{.*}}p.bad: lookup table: ignoring the packed positions of module table (check or bounds); answering from the module table
// CHECK: whence-link: {{.*}}p.bad: its table answers differently from its records at {{[0-9]+}} pcs (damaged after whence-link wrote it?)
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) static void show(void) {
    whence_frame f;
    whence_caller(1, &f);
    printf("%s:%d\n", f.function, f.line);
}

int main(void) {
    show();
    show();
    return 0;
}
