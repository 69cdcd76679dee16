// whence_write_stack output format (api.md): one frame per two lines,
// innermost first: "function(...)" then a tab, "file:line", and " +0xOFF"
// when the pc offset from the entry is known; inlined frames are marked
// "(inlined)" (on either of their two lines).  Written to stdout (fd 1) and to
// a pipe; with skip 0 and skip 1; nothing after main's frame.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s --strict-whitespace
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s --strict-whitespace
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s --strict-whitespace
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac && %run %t.pac | FileCheck %s --strict-whitespace %}
#include "whence_e2e.h"

#include <stdlib.h>
#include <unistd.h>

static volatile int sink;
static int pipefd[2];
static char buf[2][8192];
static ssize_t len[2];

ALWAYS_INLINE void helper(int where) {
    if (where == 1) {
        fflush(stdout);
        whence_write_stack(1, 0);
        // CHECK:      BEGIN fd1
        // CHECK-NEXT: {{^}}helper(...){{( \(inlined\))?$}}
        // CHECK-NEXT: {{^	(.*/)?}}write-stack.c:[[#@LINE-3]]{{( \+0x[0-9a-f]+)?( \(inlined\))?$}}
        fflush(stdout);
    } else {
        whence_write_stack(pipefd[1], 0); len[0] = read(pipefd[0], buf[0], sizeof buf[0] - 1);
        whence_write_stack(pipefd[1], 1); len[1] = read(pipefd[0], buf[1], sizeof buf[1] - 1);
    }
}

NOINLINE void outer(int where) {
    helper(where);
    // CHECK-NEXT: {{^}}outer(...){{$}}
    // CHECK-NEXT: {{^	(.*/)?}}write-stack.c:[[#@LINE-2]] +0x{{[0-9a-f]+$}}
    sink = where;
}

// Splits the text into two-line frames and checks the marks and offsets:
// want_inl[i] says whether frame i is inlined.
static void check_text(const char *tag, char *text, const char *const *names, const int *want_inl, int nwant) {
    int bad = 0, k = 0;
    char *save = NULL;
    char *l1 = strtok_r(text, "\n", &save);
    while (l1) {
        char *l2 = strtok_r(NULL, "\n", &save);
        if (!l2 || l2[0] != '\t') { printf("BAD %s: frame %d has no location line\n", tag, k); bad++; break; }
        char want_head[64];
        snprintf(want_head, sizeof want_head, "%s(...)", k < nwant ? names[k] : "?");
        int inl = strstr(l1, "(inlined)") != NULL || strstr(l2, "(inlined)") != NULL;
        int has_off = strstr(l2, " +0x") != NULL;
        if (k >= nwant || strncmp(l1, want_head, strlen(want_head)) != 0 || inl != want_inl[k] ||
            (!want_inl[k] && !has_off) || !strstr(l2, "write-stack.c:")) {
            printf("BAD %s frame %d: '%s' / '%s'\n", tag, k, l1, l2);
            bad++;
        }
        k++;
        l1 = strtok_r(NULL, "\n", &save);
    }
    printf("%s frames=%d bad=%d\n", tag, k, bad);
}

int main(void) {
    printf("BEGIN fd1\n");
    outer(1);
    // CHECK-NEXT: {{^}}main(...){{$}}
    // CHECK-NEXT: {{^	(.*/)?}}write-stack.c:[[#@LINE-2]] +0x{{[0-9a-f]+$}}
    // CHECK-NEXT: {{^}}END fd1{{$}}
    printf("END fd1\n");
    if (pipe(pipefd) != 0)
        return 1;
    outer(2);
    static const char *const names0[] = {"helper", "outer", "main"};
    static const int inl0[] = {1, 0, 0};
    static const char *const names1[] = {"outer", "main"};
    static const int inl1[] = {0, 0};
    buf[0][len[0] > 0 ? len[0] : 0] = 0;
    buf[1][len[1] > 0 ? len[1] : 0] = 0;
    check_text("pipe skip0", buf[0], names0, inl0, 3);
    // CHECK-NEXT: pipe skip0 frames=3 bad=0
    check_text("pipe skip1", buf[1], names1, inl1, 2);
    // CHECK-NEXT: pipe skip1 frames=2 bad=0
    // CHECK-NOT: BAD
    return 0;
}
