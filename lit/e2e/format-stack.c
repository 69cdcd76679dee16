// whence_format_stack (api.md): the text whence_write_stack prints, for
// entries from whence_callers, into a buffer like snprintf.  Checked: the
// text equals whence_write_stack's for the same frames byte for byte; at
// every buffer length from 0 to past the end the return value is the whole
// length, the buffer holds the text's prefix and a NUL, and nothing past
// len is touched; a NULL buffer with length 0 measures; token entries
// (whence_callers with a skip inside an inlined chain) and entries outside
// instrumented code; the same from a signal handler.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
#include "whence_e2e.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int sink;
static uintptr_t pcs[64], tok[64];
static int npcs, ntok;
static char written[8192];
static size_t nwritten;
static int bad;

// Both captures skip capture() itself and see the same frames from its
// caller on: the texts must be identical, offsets included.
NOINLINE static void capture(void) {
    npcs = whence_callers(1, pcs, 64);
    // Skip 2 lands inside the first entry's inline chain: a token entry.
    ntok = whence_callers(2, tok, 64);
    int p[2];
    if (pipe(p) != 0)
        exit(2);
    whence_write_stack(p[1], 1);
    close(p[1]);
    ssize_t r;
    while ((r = read(p[0], written + nwritten, sizeof written - 1 - nwritten)) > 0)
        nwritten += (size_t)r;
    close(p[0]);
}

ALWAYS_INLINE void inlined_leaf(void) {
    capture(); // CHECK: inlined_leaf(...) (inlined)
    // CHECK-NEXT: format-stack.c:[[@LINE-1]]{{$}}
    sink++;
}

NOINLINE static void middle(void) {
    inlined_leaf(); // CHECK-NEXT: middle(...)
    // CHECK-NEXT: format-stack.c:[[@LINE-1]]{{( \+0x[0-9a-f]+)?$}}
    sink++;
}

NOINLINE static void outer(void) {
    middle(); // CHECK-NEXT: outer(...)
    // CHECK-NEXT: format-stack.c:[[@LINE-1]]{{( \+0x[0-9a-f]+)?$}}
    sink++;
}

static void check_lengths(const uintptr_t *p, int n, const char *full, size_t total) {
    static char buf[8192 + 64];
    for (size_t len = 0; len <= total + 2; len++) {
        memset(buf, 'X', sizeof buf);
        size_t r = whence_format_stack(buf, len, p, n);
        size_t kept = len ? (len - 1 < total ? len - 1 : total) : 0;
        if (r != total || (len && (memcmp(buf, full, kept) != 0 || buf[kept] != 0))) {
            printf("BAD len=%zu r=%zu\n", len, r);
            bad++;
        }
        for (size_t i = len; i < sizeof buf; i++)
            if (buf[i] != 'X') {
                printf("BAD len=%zu wrote past len at %zu\n", len, i);
                bad++;
                break;
            }
    }
}

static char in_handler[8192];
static size_t in_handler_len;

static void on_usr1(int sig) {
    (void)sig;
    in_handler_len = whence_format_stack(in_handler, sizeof in_handler, pcs, npcs);
}

int main(void) {
    outer(); // CHECK-NEXT: main(...)
    // CHECK-NEXT: format-stack.c:[[@LINE-1]]{{( \+0x[0-9a-f]+)?$}}
    written[nwritten] = 0;

    size_t total = whence_format_stack(NULL, 0, pcs, npcs);
    static char full[8192];
    size_t again = whence_format_stack(full, sizeof full, pcs, npcs);
    fputs(full, stdout);
    // CHECK-NEXT: entries=3 measured=1
    printf("entries=%d measured=%d\n", npcs, total > 0 && again == total && strlen(full) == total);
    printf("same as whence_write_stack: %d\n", nwritten == total && strcmp(written, full) == 0);
    // CHECK-NEXT: same as whence_write_stack: 1
    check_lengths(pcs, npcs, full, total);

    // Tokens: the first entry of tok carries a skip (middle's frame of the
    // entry whose innermost frame is inlined_leaf); the text starts there.
    static char skipped[8192];
    size_t ts = whence_format_stack(skipped, sizeof skipped, tok, ntok);
    printf("token text is the full text minus its first frame: %d\n",
           ts < total && strcmp(skipped, strstr(full, "middle(...)")) == 0);
    // CHECK-NEXT: token text is the full text minus its first frame: 1
    check_lengths(tok, ntok, skipped, ts);

    // Entries outside instrumented code are left out; zero and junk too.
    uintptr_t junk[8] = {0, (uintptr_t)&sink, 12345, pcs[0], ~(uintptr_t)0, (uintptr_t)puts};
    static char j[8192];
    size_t js = whence_format_stack(j, sizeof j, junk, 6);
    printf("junk: %d\n", js > 0 && strncmp(j, "inlined_leaf(...) (inlined)\n", 28) == 0 &&
                             strstr(j, "middle(...)") && !strstr(j, "outer"));
    // CHECK-NEXT: junk: 1
    printf("none: %zu %zu\n", whence_format_stack(j, sizeof j, NULL, 5),
           whence_format_stack(j, sizeof j, pcs, -1));
    // CHECK-NEXT: none: 0 0

    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("in a signal handler: %d\n", in_handler_len == total && strcmp(in_handler, full) == 0);
    // CHECK-NEXT: in a signal handler: 1
    printf("bad=%d\n", bad);
    // CHECK-NEXT: bad=0
    return 0;
}
