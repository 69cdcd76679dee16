// A fault in a function's own code whose line is in another file than the
// function's -- after a #line directive (bison's actions, flex's rules), or
// in a loop body #included from a .inc -- is the function's own line, not
// "inlined code": no function of that file starts at or before the line.
// It read "fault in work (inlined code at grammar.y:101)".  Code inlined
// from a header's function still says so, in either build.  A file the
// records do not name is printed as the line table names it, under its
// directory (it was the bare "body.inc").
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %t/main.c %whence_libs -o %t/lt
// RUN: %clang -O0 -g %whence_cflags %t/main.c %whence_libs -o %t/g0
// RUN: not --crash %run %t/lt line 2> %t/lt-line.r && FileCheck %s --check-prefix=LINE < %t/lt-line.r
// RUN: not --crash %run %t/g0 line 2> %t/g0-line.r && FileCheck %s --check-prefix=LINE < %t/g0-line.r
// RUN: not --crash %run %t/lt inc 2> %t/lt-inc.r && FileCheck %s --check-prefix=INC < %t/lt-inc.r
// RUN: not --crash %run %t/g0 inc 2> %t/g0-inc.r && FileCheck %s --check-prefix=INC < %t/g0-inc.r
// RUN: not --crash %run %t/lt hdr 2> %t/lt-hdr.r && FileCheck %s --check-prefix=HDR < %t/lt-hdr.r
// RUN: not --crash %run %t/g0 hdr 2> %t/g0-hdr.r && FileCheck %s --check-prefix=HDR < %t/g0-hdr.r
//
// LINE: fault in action at {{.*}}grammar.y:101{{$}}
// LINE: action(...)
// LINE-NEXT: {{.*}}grammar.y:101 +0x{{[0-9a-f]+$}}
// INC: fault in loop at /{{.*}}/body.inc:2{{$}}
// INC: loop(...)
// INC-NEXT: {{^}}	/{{.*}}/body.inc:2 +0x{{[0-9a-f]+$}}
// HDR: fault in user (inlined code at {{.*}}util.h:2){{$}}
// HDR: user(...)
// HDR-NEXT: {{.*}}util.h:2 +0x{{[0-9a-f]+}} (inlined code){{$}}

//--- body.inc
for (int i = 0; i < n; i++)
    nullp[i] = i;

//--- util.h
static inline __attribute__((always_inline)) void store(int *p, int v) {
    p[1] = v;
}

//--- main.c
#include <string.h>
#include <whence.h>
#include "util.h"

int *volatile nullp;
volatile int sink;

__attribute__((noinline)) void ext(int v) { sink = v; }

__attribute__((noinline)) void loop(int n) {
    ext(n);
#include "body.inc"
}

__attribute__((noinline)) void user(int v) {
    ext(v);
    store(nullp, v);
}

__attribute__((noinline)) void action(int v);

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "line"))
        action(argc);
    if (argc > 1 && !strcmp(argv[1], "inc"))
        loop(argc);
    if (argc > 1 && !strcmp(argv[1], "hdr"))
        user(argc);
    return 0;
}

/* Last: no line after the #line is this file's. */
__attribute__((noinline)) void action(int v) {
    ext(v);
#line 100 "grammar.y"
    ext(v + 1);
    *nullp = v;
}
