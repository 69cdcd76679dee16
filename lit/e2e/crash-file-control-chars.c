// A file name with control characters (#line takes escapes) is written
// with them as \xNN: its newlines made lines of their own in a crash
// report and a printed stack, which could say anything ("fault in main at
// /etc/passwd:1" as a line of the report).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2> %t.r && FileCheck %s < %t.r
// RUN: %run %t stack 2> %t.s && FileCheck %s --check-prefix=STACK < %t.s
// CHECK-NOT: {{^}}fault in main
// CHECK: fault in f at {{.*}}/a\x0afault in main at /etc/passwd:1\x0a\x09b.y:7{{$}}
// CHECK-NOT: {{^}}fault in main
// STACK-NOT: {{^}}fault in main
// STACK: {{^}}f(...)
// STACK-NEXT: {{^}}	{{.*}}/a\x0afault in main at /etc/passwd:1\x0a\x09b.y:5
// STACK-NOT: {{^}}fault in main
#include <string.h>
#include <whence.h>

int *volatile nullp;
int show;

__attribute__((noinline)) void ext(int v) {
    if (show)
        whence_write_stack(2, 0);
    (void)v;
}

__attribute__((noinline)) void f(int x) {
#line 5 "a\nfault in main at /etc/passwd:1\n\tb.y"
    ext(x);
    if (!show)
        *nullp = 1;
}

int main(int argc, char **argv) {
    show = argc > 1 && !strcmp(argv[1], "stack");
    whence_install_crash_handler();
    f(argc);
    return 0;
}
