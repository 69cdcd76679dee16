/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * demo.c - what whence gives a C program: who called me (with file:line),
 * the whole stack with inlined frames, a function looked up by pointer, and
 * a Go-panic-like stack dump.  Built by scripts/demo.sh with
 *   clang-19 -O2 -gline-tables-only -fpass-plugin=whence-pass.so demo.c -lwhence
 */
#include <whence.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Go's log.Printf-style prefix: the caller's file:line, no DWARF involved. */
static void logf_here(const char *msg)
{
    whence_frame f;
    if (whence_caller(1, &f))
        printf("  [%s:%d %s] %s\n", base(f.file), f.line, f.function, msg);
}

static inline __attribute__((always_inline)) void print_stack(void)
{
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("  %-12s %s:%d%s\n", f.function, base(f.file), f.line,
               f.inlined ? "  (inlined)" : "");
}

__attribute__((noinline)) static int parse(const char *s)
{
    logf_here("parsing");
    print_stack();
    return atoi(s);
}

__attribute__((noinline)) static int load(const char *s)
{
    return parse(s) + 1;
}

int main(int argc, char **argv)
{
    printf("who called logf_here, and the stack from inside parse():\n");
    int v = load(argc > 1 ? argv[1] : "41");

    printf("\nlooked up by pointer:\n");
    const whence_func *fn = whence_func_for_pc((uintptr_t)&load);
    const char *file = "?";
    int line = whence_func_line(fn, whence_func_entry(fn), &file);
    printf("  %s at %s:%d (entry %s)\n", whence_func_name(fn), base(file), line,
           whence_func_entry(fn) == (uintptr_t)&load ? "matches &load" : "MISMATCH");

    printf("\nwhence_write_stack from main:\n");
    fflush(stdout);
    whence_write_stack(1, 0);
    printf("\nresult %d\n", v);
    return 0;
}
