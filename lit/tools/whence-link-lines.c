// whence_func_line at every byte of the program's code, as a plain pc and
// as a return-address token, answers the same with whence-link's table as
// from the records.  The table keeps where each site word starts, not each
// call label, so "this pc ends a call whose label lies just before it"
// takes another road there: calls back to back (the next call's label at
// the return address), calls on one line, inlined calls, a call far into a
// long run of code.  The call lines themselves are checked against
// __LINE__ (the return address - 1 of each call names the call).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -o %t/lines %whence_libs
// RUN: %whence_link -o %t/lines.tab %t/lines
// RUN: %run %t/lines > %t/records.out
// RUN: %run %t/lines.tab > %t/table.out
// RUN: FileCheck %s < %t/records.out
// RUN: diff %t/records.out %t/table.out
// CHECK: calls: 9 named, 0 wrong
// CHECK: scan: {{[1-9][0-9]*}} pcs
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "whence.h"

extern char __executable_start[], etext[];

static uintptr_t g_ra[16];
static int g_line[16], g_n;

// Remembers its return address and the line of the call that made it.
__attribute__((noinline)) void at(int line) {
    if (g_n < 16) {
        g_ra[g_n] = (uintptr_t)__builtin_return_address(0);
        g_line[g_n++] = line;
    }
    __asm__ volatile("");
}

__attribute__((noinline)) void back_to_back(void) {
    at(__LINE__);
    at(__LINE__);
    at(__LINE__); at(__LINE__);
}

static inline void inlined(int x) {
    if (x)
        at(__LINE__);
}

__attribute__((noinline)) int long_run(volatile int *v) {
    at(__LINE__);
    int s = 0;
    // A long stretch of code without calls, with call-shaped bytes in it
    // (0xe8: a call rel32's opcode) far from any call label.
    for (int i = 0; i < 64; i++)
        s += v[i & 7] * (i + 3) ^ (s >> 3);
    s = s * 0x12e8e8e8 + v[1];
    s = (s ^ 0x0e8e8e8e) * v[2] + 0x7e8e8e8;
    s = s * 0x22e8e8e8 + (v[3] ^ 0x0e8e8e81);
    s = (s + v[4]) * 0x32e8e8e8 ^ 0x6e8e8e82;
    inlined(s);
    at(__LINE__);
    return s;
}

__attribute__((noinline)) int one_line(void) { at(__LINE__); at(__LINE__); return 1; }

int main(void) {
    volatile int v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    back_to_back();
    long_run(v);
    one_line();
    int wrong = 0;
    for (int i = 0; i < g_n; i++) {
        const whence_func *f = whence_func_for_pc(g_ra[i] - 1);
        int line = f ? whence_func_line(f, g_ra[i] - 1, NULL) : -1;
        if (line != g_line[i]) {
            printf("call %d: line %d, want %d\n", i, line, g_line[i]);
            wrong++;
        }
    }
    printf("calls: %d named, %d wrong\n", g_n, wrong);
    unsigned long n = 0;
    for (uintptr_t pc = (uintptr_t)__executable_start; pc < (uintptr_t)etext; pc++) {
        const whence_func *f = whence_func_for_pc(pc);
        if (!f)
            continue;
        const char *file = NULL, *file2 = NULL;
        int line = whence_func_line(f, pc, &file);
        int line2 = whence_func_line(f, pc | (uintptr_t)1 << 56, &file2);
        const char *slash = file ? strrchr(file, '/') : NULL;
        printf("%s+%lx %d %s %d %d\n", whence_func_name(f), (unsigned long)(pc - whence_func_entry(f)),
               line, slash ? slash + 1 : file ? file : "-", line2, file2 != NULL);
        n++;
    }
    printf("scan: %lu pcs\n", n);
    return 0;
}
