// whence-link on code split off its functions (basic block sections,
// -fsplit-machine-functions): the file is left as it is with one message
// saying why.  Before, the runtime's record reader (run inside whence-link
// without the fragments it finds at run time) printed first
//   whence: image at 0x7f...: dropped 17 of 20 site records (17 outside any function)
// naming an address of whence-link's own copy of the file, and a drop that
// does not happen when the program runs.  Now the reader's words are said
// as the file's ("its records: dropped ...") and only when a table is made.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fbasic-block-sections=all %whence_cflags -I%inputs %s %whence_libs -o %t/bbs
// RUN: %whence_link -o %t/bbs.tab %t/bbs 2>&1 | FileCheck %s --implicit-check-not=whence
// RUN: cmp %t/bbs %t/bbs.tab
// RUN: %run %t/bbs 2>&1 | FileCheck %s --check-prefix=RUNS --implicit-check-not=dropped
// CHECK: whence-link: {{.*}}bbs: code was split off its functions ({{.*}}basic block sections), which the table does not hold yet: left unchanged
// RUNS: ok
#include "whence_e2e.h"

NOINLINE static int leaf(int x) {
    whence_frame f;
    whence_caller(1, &f);
    return x + f.line;
}

NOINLINE static int branchy(int x) {
    int r = 0;
    for (int i = 0; i < x; i++) {
        if (i % 3 == 0)
            r += leaf(i);
        else if (i % 3 == 1)
            r -= leaf(i * 2);
        else
            r ^= leaf(i + 7);
    }
    return r;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("%s %d\n", branchy(argc + 20) ? "ok" : "ok", 0);
    return 0;
}
