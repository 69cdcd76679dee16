// Code the backend moves out of its function after the pass ran: machine
// function splitting with a real profile (foo.cold), basic block sections
// (foo.__part.N; a Propeller cluster list: foo.cold), at -O2 with
// -gline-tables-only (site labels) and -g (caller-frame slots).  A frame
// whose pc is in such a fragment is its function's, at the exact line; a
// crash there names the function and the exact line (the binary's
// .debug_line, or line records); stripped of its line tables, "line
// unknown" rather than a guess (no call of the fragment precedes the
// fault); and the whole stack
// (runtime/fragments.c, passes/split.c).  The machine outliner, which
// makes functions of its own, is off for instrumented functions and said
// once (the plain build shows that it would otherwise have outlined this
// program); hot/cold splitting: split-hot-cold.c.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clang -O2 %whence_cflags -I%inputs %s %whence_libs
//
// A real profile: only the common paths run.
// RUN: %clang -O2 -fprofile-instr-generate -I%whence_incdir -I%inputs %s %whence_libs -o %t/gen
// RUN: env LLVM_PROFILE_FILE=%t/p.profraw %t/gen train
// RUN: llvm-profdata merge -o %t/p.profdata %t/p.profraw
//
// RUN: %{cc} -gline-tables-only -fprofile-use=%t/p.profdata -fsplit-machine-functions -o %t/mfs
// RUN: llvm-nm %t/mfs | FileCheck %s --check-prefix=MFS
// RUN: %t/mfs cold | FileCheck %s --check-prefixes=CHECK,FRAG
// RUN: not --crash %t/mfs crash 2> %t/mfs.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHL < %t/mfs.crash
// RUN: llvm-objcopy --strip-debug %t/mfs %t/mfs.s
// RUN: not --crash %t/mfs.s crash 2> %t/mfs.s.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHU < %t/mfs.s.crash
// RUN: env WHENCE_LINES=1 %{cc} -gline-tables-only -fprofile-use=%t/p.profdata -fsplit-machine-functions -o %t/mfs.lines
// RUN: not --crash %t/mfs.lines crash 2> %t/mfs.lines.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHL < %t/mfs.lines.crash
// RUN: %{cc} -g -fprofile-use=%t/p.profdata -fsplit-machine-functions -o %t/mfs.g
// RUN: llvm-nm %t/mfs.g | FileCheck %s --check-prefix=MFS
// RUN: %t/mfs.g cold | FileCheck %s --check-prefixes=CHECK,FRAG
//
// RUN: %{cc} -gline-tables-only -fbasic-block-sections=all -o %t/bbs
// RUN: llvm-nm %t/bbs | FileCheck %s --check-prefix=BBS
// RUN: %t/bbs cold | FileCheck %s --check-prefixes=CHECK,FRAG
// RUN: not --crash %t/bbs crash 2> %t/bbs.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHL < %t/bbs.crash
// RUN: %{cc} -g -fbasic-block-sections=all -o %t/bbs.g
// RUN: %t/bbs.g cold | FileCheck %s --check-prefixes=CHECK,FRAG
// RUN: not --crash %t/bbs.g crash 2> %t/bbs.g.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHL < %t/bbs.g.crash
// A cluster list: work's and crash_leaf's entry blocks stay, the rest is cold.
// RUN: printf '!work\n!!0\n!crash_leaf\n!!0\n' > %t/list
// RUN: %{cc} -gline-tables-only -fbasic-block-sections=list=%t/list -o %t/list.exe
// RUN: llvm-nm %t/list.exe | FileCheck %s --check-prefix=MFS
// RUN: %t/list.exe cold | FileCheck %s --check-prefixes=CHECK,FRAG
// RUN: not --crash %t/list.exe crash 2> %t/list.crash
// RUN: FileCheck %s --check-prefixes=CRASH,CRASHL < %t/list.crash
//
// RUN: %clang -O2 -gline-tables-only -mllvm -enable-machine-outliner -I%whence_incdir -I%inputs %s %whence_libs -o %t/out.plain
// RUN: llvm-nm %t/out.plain | FileCheck %s --check-prefix=OUT-PLAIN
// RUN: %{cc} -gline-tables-only -mllvm -enable-machine-outliner -o %t/out 2> %t/out.err
// RUN: FileCheck %s --check-prefix=OUT-NOTE < %t/out.err
// RUN: llvm-nm %t/out | FileCheck %s --check-prefix=OUT
// RUN: %t/out cold | FileCheck %s
// RUN: %t/out mix | FileCheck %s --check-prefix=MIX
//
// MFS: {{ work.cold$}}
// BBS: {{ work.__part.[0-9]+$}}
// OUT-PLAIN: OUTLINED_FUNCTION_
// OUT-NOTE: whence: note: the machine outliner (-enable-machine-outliner) does not outline instrumented functions
// OUT-NOTE-NOT: whence:
// OUT-NOT: OUTLINED_FUNCTION_
#include "whence_e2e.h"

#include <stdlib.h>

static volatile int sink;
static int *volatile nullp;
static uintptr_t pcs[16];
static int npcs;

// In the cold run the rare branches below run for the first time.
NOINLINE static void rare(int x) {
    sink = x;
    npcs = whence_callers(0, pcs, 16);
    // CHECK:      frame fn=rare file=split-layouts.c line=[[@LINE-1]] inl=0
    // MIX:        frame fn=rare file=split-layouts.c line=[[@LINE-2]] inl=0
    sink = x + 1;
}

NOINLINE static int work(int x) {
    int s = 0;
    for (int i = 0; i < 64; i++) {
        if (x > 100 && i == 63) {
            sink = i;
            rare(x);
            // CHECK-NEXT: frame fn=work file=split-layouts.c line=[[#WORK:@LINE-1]] inl=0
            s += sink;
        } else {
            s += i * x;
        }
    }
    return s;
}

// A leaf (no frame of its own): its rare branch faults where no record
// precedes it.
NOINLINE static int crash_leaf(int *p, int i) {
    if (i > 1000) {
        sink = i;
        *nullp = i;
        // CRASHL:      fault in crash_leaf at {{.*}}split-layouts.c:[[@LINE-1]]{{$}}
        // CRASHU:      fault in crash_leaf at {{.*}}split-layouts.c (line unknown; {{.*}}){{$}}
        // CRASH:       stack:
        // CRASH-NEXT:  crash_leaf(...)
        // CRASHL-NEXT: split-layouts.c:[[@LINE-5]]{{$}}
        // CRASHU-NEXT: split-layouts.c (line unknown){{$}}
        return sink;
    }
    return p[i & 7];
}

NOINLINE static int crash_mid(int *p, int i) {
    int r = crash_leaf(p, i);
    // CRASH-NEXT: crash_mid(...)
    // CRASH-NEXT: split-layouts.c:[[@LINE-2]]
    sink = r;
    return r;
}

// The machine outliner would make functions of the same long instruction
// sequences.
#define MIX(a, b, c)                                                             \
    a ^= b * 2654435761u; b += c >> 3; c ^= a << 7; a += b * 40503u; b ^= c >> 11; \
    c += a * 97u; a ^= b >> 5
NOINLINE unsigned mix_a(unsigned a, unsigned b, unsigned c) {
    MIX(a, b, c);
    rare((int)(a & 7) + 200);
    // MIX-NEXT: frame fn=mix_a file=split-layouts.c line=[[@LINE-1]] inl=0
    MIX(a, b, c);
    return a + b + c;
}
NOINLINE unsigned mix_b(unsigned a, unsigned b, unsigned c) {
    MIX(a, b, c);
    sink = (int)b;
    MIX(a, b, c);
    return a ^ b ^ c;
}
NOINLINE unsigned mix_c(unsigned a, unsigned b, unsigned c) {
    MIX(a, b, c);
    sink = (int)c;
    MIX(a, b, c);
    return a - b - c;
}

// The frame in work's split-off block is work's own through every API: its
// function, entry and line; printed, it has no offset (its pc is outside
// work's range; with the outliner build, where nothing is split, it has).
static void check_work_frame(void) {
    whence_frames it;
    whence_frame f;
    const whence_func *w = whence_func_for_pc((uintptr_t)work);
    whence_frames_init(&it, pcs, npcs);
    while (whence_frames_next(&it, &f) && strcmp(f.function, "work"))
        ;
    printf("ids func=%d entry=%d for_pc=%d line=%d\n", f.func == w && w,
           f.entry == (uintptr_t)work, whence_func_for_pc(pcs[1]) == w,
           whence_func_line(w, f.pc, NULL) == f.line);
    char buf[1024];
    whence_format_stack(buf, sizeof buf, pcs + 1, 1);
    fputs(buf, stdout);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    int a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "train")) {
        for (int k = 0; k < 20000; k++)
            sink += work(k & 15) + crash_mid(a, k & 7);
        return 0;
    }
    if (!strcmp(mode, "crash")) {
        int r = crash_mid(a, 5000);
        // CRASH-NEXT: main(...)
        // CRASH-NEXT: split-layouts.c:[[@LINE-2]]
        sink = r; /* not a tail call: -g keeps those, and main's frame would go */
        return r;
    }
    if (!strcmp(mode, "mix")) {
        unsigned u = (unsigned)argc;
        unsigned r = mix_a(u, u + 1, u + 2);
        // MIX-NEXT: frame fn=main file=split-layouts.c line=[[@LINE-1]] inl=0
        r += mix_b(r, u + 3, u + 4) + mix_c(r, u + 5, u + 6);
        sink = (int)r;
        e2e_dump("frame", pcs, npcs);
        return 0;
    }
    int r = work(argc + 500);
    // CHECK-NEXT: frame fn=main file=split-layouts.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: frame end frames=3
    // CHECK-NEXT: ids func=1 entry=1 for_pc=1 line=1
    // CHECK-NEXT: work(...)
    // FRAG-NEXT:  split-layouts.c:[[#WORK]]{{$}}
    sink = r;
    e2e_dump("frame", pcs, npcs);
    check_work_frame();
    return 0;
}
