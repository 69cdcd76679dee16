// The printing depth limit (whence_set_stack_depth, WHENCE_STACK_DEPTH): a
// stack deeper than the limit keeps its innermost and outermost frames
// (outer = min(limit / 2, 100), inner = the rest) with "...N more frames
// elided..." between them.  A 30-deep recursion whose every frame holds an
// inlined frame too (so the cut also falls inside a physical frame) is
// printed by whence_write_stack and by whence_format_stack at every limit
// from 0 (none) to 70; the program parses each text and compares it with
// the cut of the stack it knows from __LINE__.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// RUN: env WHENCE_STACK_DEPTH=7 %run %t.O2 env | FileCheck %s --check-prefix=ENV
// RUN: env WHENCE_STACK_DEPTH=7x %run %t.O2 env | FileCheck %s --check-prefix=BADENV
#define _GNU_SOURCE
#include "whence_e2e.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEPTH 30
#define MAXLIM 70

static volatile int sink;
static int fd;
static int l_write, l_callers, l_step, l_rec, l_main;
static uintptr_t pcs[256];
static int npcs;
static int bad, checked, env_mode;

struct fr {
    char fn[32];
    int line, inl;
};

// The whole stack, innermost first, with frame 0 at line first_line.
static int expected(struct fr *f, int first_line) {
    int n = 0;
    f[n++] = (struct fr){"rec", first_line, 0};
    for (int i = 0; i < DEPTH; i++) {
        f[n++] = (struct fr){"step", l_step, 1};
        f[n++] = (struct fr){"rec", l_rec, 0};
    }
    f[n++] = (struct fr){"main", l_main, 0};
    return n;
}

// Parses text into frames; *elided gets the "...N more frames elided..."
// count (-1 if none) and *at the number of frames before it.
static int parse(char *text, struct fr *f, long *elided, int *at) {
    int n = 0;
    *elided = -1;
    *at = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (sscanf(line, "...%ld more frames elided...", elided) == 1) {
            *at = n;
        } else if (line[0] == '\t') {
            if (n)
                f[n - 1].line = atoi(strrchr(line, ':') + 1);
        } else if (n < 300) {
            char *p = strstr(line, "(...)");
            snprintf(f[n].fn, sizeof f[n].fn, "%.*s", p ? (int)(p - line) : 31, line);
            f[n].inl = strstr(line, "(inlined)") != NULL;
            f[n++].line = -1;
        }
    }
    return n;
}

static int same(const struct fr *a, const struct fr *b) {
    return strcmp(a->fn, b->fn) == 0 && a->line == b->line && a->inl == b->inl;
}

// text must be the cut of the stack at limit lim (0: none).
static void check(const char *what, char *text, int lim, int first_line) {
    static struct fr want[300], got[300];
    int total = expected(want, first_line);
    long elided;
    int at;
    int n = parse(text, got, &elided, &at);
    int outer = lim ? (lim / 2 < 100 ? lim / 2 : 100) : 0;
    int inner = lim - outer;
    int ok;
    if (!lim || lim >= total) {
        ok = n == total && elided == -1;
        for (int i = 0; ok && i < n; i++)
            ok = same(&got[i], &want[i]);
    } else {
        ok = n == lim && elided == total - lim && at == inner;
        for (int i = 0; ok && i < inner; i++)
            ok = same(&got[i], &want[i]);
        for (int i = 0; ok && i < outer; i++)
            ok = same(&got[inner + i], &want[total - outer + i]);
    }
    checked++;
    if (!ok && bad++ < 3)
        printf("BAD %s limit %d: %d frames, %ld elided after %d\n", what, lim, n, elided, at);
}

static void check_written(int lim, int first_line) {
    static char text[65536];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    text[n > 0 ? n : 0] = 0;
    check("whence_write_stack", text, lim, first_line);
    static char fmt[65536];
    size_t len = whence_format_stack(fmt, sizeof fmt, pcs, npcs);
    if (len >= sizeof fmt)
        bad++;
    check("whence_format_stack", fmt, lim, l_callers);
}

NOINLINE static void rec(int n);

ALWAYS_INLINE void step(int n) {
    l_step = __LINE__; rec(n - 1);
    sink++;
}

NOINLINE static void rec(int n) {
    if (n == 0 && env_mode) {
        whence_write_stack(1, 0);
        return;
    }
    if (n == 0) {
        l_callers = __LINE__; npcs = whence_callers(0, pcs, 256);
        for (int lim = 0; lim <= MAXLIM; lim++) {
            whence_set_stack_depth(lim);
            if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
                exit(2);
            l_write = __LINE__; whence_write_stack(fd, 0);
            check_written(lim, l_write);
        }
        return;
    }
    l_rec = __LINE__; step(n);
    sink++;
}

int main(int argc, char **argv) {
    fd = memfd_create("stack", 0);
    if (argc > 1) { // env: the limit comes from WHENCE_STACK_DEPTH
        int from_env = whence_set_stack_depth(0);
        printf("from the environment: %d\n", from_env);
        // ENV: from the environment: 7
        // BADENV: from the environment: 0
        whence_set_stack_depth(from_env);
        env_mode = 1;
        fflush(stdout);
        l_main = __LINE__; rec(DEPTH); // ENV-NEXT: rec(...)
        // ENV-NEXT: stack-depth.c:{{[0-9]+}}
        // ENV-NEXT: step(...) (inlined)
        // ENV-NEXT: stack-depth.c:[[#STEP:]]{{$}}
        // ENV-NEXT: rec(...)
        // ENV-NEXT: stack-depth.c:[[#REC:]]
        // ENV-NEXT: step(...) (inlined)
        // ENV-NEXT: stack-depth.c:[[#STEP]]{{$}}
        // ENV-NEXT: ...55 more frames elided...
        // ENV-NEXT: step(...) (inlined)
        // ENV-NEXT: stack-depth.c:[[#STEP]]{{$}}
        // ENV-NEXT: rec(...)
        // ENV-NEXT: stack-depth.c:[[#REC]]
        // ENV-NEXT: main(...)
        // ENV-NEXT: stack-depth.c:[[#@LINE-14]]
        // BADENV-NOT: elided
        return 0;
    }
    printf("negative: %d, then %d\n", whence_set_stack_depth(-1), whence_set_stack_depth(5));
    // CHECK: negative: -1, then 0
    whence_set_stack_depth(0);
    l_main = __LINE__; rec(DEPTH);
    printf("checked=%d bad=%d\n", checked, bad);
    // CHECK-NEXT: checked=142 bad=0
    return 0;
}
