// Inlined functions are frames of their own (as in Go):
//  * (prefix H) whence_caller from an always_inline helper: skip 0 is the helper at
//    its own line with inlined set, skip 1 the function it was inlined into,
//    at the line of the helper's call (not inlined), skip 2 main, skip 3 none.
//  * (prefix S) whence_callers + whence_frames through a two-level inline chain
//    inl1 <- inl2 <- outer2: the inlined frames come first (inlined = true),
//    then the physical frame, then main; skip 1 and 2 start inside the chain
//    (the first entry is then a token; it still counts as one entry).
//  * every frame of an inline chain reports the physical function's entry.
// always_inline is honoured at -O0 too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 > %t.O0.out
// RUN: FileCheck %s --check-prefix=H < %t.O0.out && FileCheck %s --check-prefix=S < %t.O0.out
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 > %t.O2.out
// RUN: FileCheck %s --check-prefix=H < %t.O2.out && FileCheck %s --check-prefix=S < %t.O2.out
// RUN: %clang -O3 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.O3 && %run %t.O3 > %t.O3.out
// RUN: FileCheck %s --check-prefix=H < %t.O3.out && FileCheck %s --check-prefix=S < %t.O3.out
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st > %t.st.out
// RUN: FileCheck %s --check-prefix=H < %t.st.out && FileCheck %s --check-prefix=S < %t.st.out
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac && %run %t.pac > %t.pac.out %}
// RUN: %if aarch64-linux %{ FileCheck %s --check-prefix=H < %t.pac.out && FileCheck %s --check-prefix=S < %t.pac.out %}
#include "whence_e2e.h"

#include <stdbool.h>

int main(void);
NOINLINE void outer(void);
NOINLINE void outer2(int skip);
static volatile int sink;
static int mismatches;

static const char *entry_name(uintptr_t e) {
    if (e == (uintptr_t)outer) return "outer";
    if (e == (uintptr_t)outer2) return "outer2";
    if (e == (uintptr_t)main) return "main";
    return e ? "unknown" : "0";
}

static void print_full(const char *tag, bool ok, const whence_frame *f) {
    printf("%s ok=%d fn=%s file=%s line=%d inl=%d entry=%s col>0=%d\n", tag, (int)ok,
           f->function, e2e_base(f->file), f->line, (int)f->inlined, entry_name(f->entry),
           f->column > 0);
}

ALWAYS_INLINE void helper(whence_frame *f, bool *ok) {
    for (int s = 0; s < 4; s++) ok[s] = whence_caller(s, &f[s]);
    // H: h0 ok=1 fn=helper file=inline-frames.c line=[[@LINE-1]] inl=1 entry=outer col>0=1
}

NOINLINE void outer(void) {
    whence_frame f[4];
    bool ok[4];
    memset(f, 0x5a, sizeof f);
    helper(f, ok);
    // H-NEXT: h1 ok=1 fn=outer file=inline-frames.c line=[[@LINE-1]] inl=0 entry=outer col>0=1
    print_full("h0", ok[0], &f[0]);
    print_full("h1", ok[1], &f[1]);
    print_full("h2", ok[2], &f[2]);
    print_full("h3", ok[3], &f[3]);
    if (ok[0] && !whence_func_for_pc(f[0].pc)) {
        printf("BAD h0 pc not accepted by whence_func_for_pc\n");
        mismatches++;
    }
}

ALWAYS_INLINE int inl1(uintptr_t *pcs, int skip) {
    return whence_callers(skip, pcs, 16);
    // S:      skip=0 n=2
    // S-NEXT: s0 fn=inl1 file=inline-frames.c line=[[#L1:@LINE-2]] inl=1
}

ALWAYS_INLINE int inl2(uintptr_t *pcs, int skip) {
    int n = inl1(pcs, skip);
    // S-NEXT: s0 fn=inl2 file=inline-frames.c line=[[#L2:@LINE-1]] inl=1
    sink = n;
    return n;
}

NOINLINE void outer2(int skip) {
    uintptr_t pcs[16];
    int n = inl2(pcs, skip);
    // S-NEXT: s0 fn=outer2 file=inline-frames.c line=[[#L3:@LINE-1]] inl=0
    char tag[8];
    snprintf(tag, sizeof tag, "s%d", skip);
    printf("skip=%d n=%d\n", skip, n);
    e2e_dump(tag, pcs, n);
    // Every frame of an inline chain reports the physical function's entry,
    // and every frame's pc and every entry is accepted by whence_func_for_pc.
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        uintptr_t want = strcmp(f.function, "main") == 0 ? (uintptr_t)main : (uintptr_t)outer2;
        if (f.entry != want || !whence_func_for_pc(f.pc)) {
            printf("BAD entry/pc of %s (skip %d)\n", f.function, skip);
            mismatches++;
        }
    }
    for (int i = 0; i < n; i++)
        if (!whence_func_for_pc(pcs[i])) {
            printf("BAD pcs[%d] not accepted by whence_func_for_pc (skip %d)\n", i, skip);
            mismatches++;
        }
}

int main(void) {
    outer();
    // H-NEXT: h2 ok=1 fn=main file=inline-frames.c line=[[@LINE-1]] inl=0 entry=main col>0=1
    // H-NEXT: h3 ok=0 fn=? file=? line=0 inl=0 entry=0 col>0=0
    // H-NOT:  BAD
    for (int s = 0; s < 5; s++) outer2(s);
    // S-NEXT: s0 fn=main file=inline-frames.c line=[[#LM:@LINE-1]] inl=0
    // S-NEXT: s0 end frames=4
    // skip 1 starts inside the inline chain.
    // S-NEXT: skip=1 n=2
    // S-NEXT: s1 fn=inl2 file=inline-frames.c line=[[#L2]] inl=1
    // S-NEXT: s1 fn=outer2 file=inline-frames.c line=[[#L3]] inl=0
    // S-NEXT: s1 fn=main file=inline-frames.c line=[[#LM]] inl=0
    // S-NEXT: s1 end frames=3
    // S-NEXT: skip=2 n=2
    // S-NEXT: s2 fn=outer2 file=inline-frames.c line=[[#L3]] inl=0
    // S-NEXT: s2 fn=main file=inline-frames.c line=[[#LM]] inl=0
    // S-NEXT: s2 end frames=2
    // S-NEXT: skip=3 n=1
    // S-NEXT: s3 fn=main file=inline-frames.c line=[[#LM]] inl=0
    // S-NEXT: s3 end frames=1
    // S-NEXT: skip=4 n=0
    // S-NEXT: s4 end frames=0
    printf("mismatches=%d\n", mismatches);
    // S-NEXT: mismatches=0
    // S-NOT:  BAD
    // H:      mismatches=0
    return 0;
}
