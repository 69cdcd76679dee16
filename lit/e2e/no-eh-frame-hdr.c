// A program linked without --eh-frame-hdr has no PT_GNU_EH_FRAME: gcc's
// driver passes none for -static (clang's does), and -Wl,--no-eh-frame-hdr
// drops it with any linker.  Its functions keep their FDEs in .eh_frame,
// but whence's unwinder (runtime/unwind/) finds an FDE only through that
// index, so a walk stops at the first uninstrumented frame that keeps no
// frame record (here mid, built -O2 -fomit-frame-pointer with unwind
// tables).  The end note said "no unwind tables say where its caller is:
// build with -fasynchronous-unwind-tables": wrong advice, the tables are
// there.  It now says what is missing, the image's .eh_frame_hdr, and the
// two reasons an image lacks one (no FDE at all: its linker makes none; or
// linked without the flag), with how to build and link it (capture.c,
// stopped_at; stack.c), in whence_write_stack, whence_callers_end and the
// crash report: whence cannot tell them apart without reading .eh_frame,
// whose place only the section headers (not loaded) or the index give.
// Linked with the index, the same objects give the whole stack.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fomit-frame-pointer -fasynchronous-unwind-tables -c -DFOREIGN %s -o %t/mid.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -c %s -o %t/main.o
// RUN: %clang %t/main.o %t/mid.o %whence_libs -o %t/hdr
// RUN: %clang -Wl,--no-eh-frame-hdr %t/main.o %t/mid.o %whence_libs -o %t/nohdr
// RUN: %clang -static -Wl,--no-eh-frame-hdr %t/main.o %t/mid.o %whence_static -lpthread -ldl -o %t/nohdr-static 2>/dev/null
// RUN: llvm-readelf -lW %t/hdr | FileCheck %s --check-prefix=PHDR
// RUN: llvm-readelf -lW %t/nohdr | FileCheck %s --check-prefix=NOPHDR
// RUN: llvm-readelf -lW %t/nohdr-static | FileCheck %s --check-prefix=NOPHDR
// RUN: %run %t/hdr write | FileCheck %s --check-prefix=FULL
// RUN: %run %t/nohdr write | FileCheck %s --check-prefix=WRITE
// RUN: %run %t/nohdr-static write | FileCheck %s --check-prefix=WRITE
// RUN: not --crash %run %t/nohdr crash 2> %t/crash.r
// RUN: FileCheck %s --check-prefix=CRASH < %t/crash.r
// RUN: not --crash %run %t/nohdr-static crash 2> %t/crash-static.r
// RUN: FileCheck %s --check-prefix=CRASH < %t/crash-static.r
// RUN: %if gcc %{ %gcc -static %t/main.o %t/mid.o %whence_static -lpthread -ldl -o %t/gcc-static 2>/dev/null %}
// RUN: %if gcc %{ llvm-readelf -lW %t/gcc-static | FileCheck %s --check-prefix=NOPHDR %}
// RUN: %if gcc %{ %run %t/gcc-static write | FileCheck %s --check-prefix=WRITE %}
// PHDR: GNU_EH_FRAME
// NOPHDR-NOT: GNU_EH_FRAME
// FULL: leaf(...)
// FULL-NEXT: no-eh-frame-hdr.c:[[#@LINE+35]]
// FULL-NEXT: main(...)
// FULL-NEXT: no-eh-frame-hdr.c:[[#@LINE+47]]
// FULL-NEXT: callers 2 end=(none)
// WRITE: leaf(...)
// WRITE-NEXT: no-eh-frame-hdr.c:[[#@LINE+30]]
// WRITE-NEXT: (the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and its image has no .eh_frame_hdr, by which whence finds unwind tables: the image has none, or was linked without --eh-frame-hdr, as gcc -static links: build it with -fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)
// WRITE-NEXT: callers 1 end=(the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and its image has no .eh_frame_hdr, by which whence finds unwind tables: the image has none, or was linked without --eh-frame-hdr, as gcc -static links: build it with -fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)
// CRASH: stack:
// CRASH-NEXT: leaf(...)
// CRASH-NEXT: no-eh-frame-hdr.c:[[#@LINE+24]]
// CRASH-NEXT: mid(...) (not instrumented)
// CRASH-NEXT: no-eh-frame-hdr.c:[[#@LINE+8]] +0x{{[0-9a-f]+$}}
// CRASH-NEXT: (the stack ends here: the frame above has no frame record at its pc, and its image has no .eh_frame_hdr, by which whence finds unwind tables: the image has none, or was linked without --eh-frame-hdr, as gcc -static links: build it with -fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)
#ifdef FOREIGN
/* Not instrumented; -O2 -fomit-frame-pointer keeps no frame record, its
 * FDE is in .eh_frame. */
volatile int g_sink;
int leaf(int x);
__attribute__((noinline)) int mid(int x) {
    int r = leaf(x * 3);
    g_sink = r;
    return r * 7;
}
#else
#include "whence_e2e.h"

#include <string.h>

int mid(int x);
static int g_crash;

NOINLINE int leaf(int x) {
    if (g_crash)
        *(volatile int *)(uintptr_t)g_crash = x;
    whence_write_stack(1, 0);
    fflush(stdout);
    uintptr_t pcs[32];
    int n = whence_callers(0, pcs, 32);
    const char *e = whence_callers_end();
    printf("callers %d end=%s\n", n, e ? e : "(none)");
    return x + 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "crash")) {
        whence_install_crash_handler();
        g_crash = 8;
    }
    int r = mid(argc);
    printf("r=%d\n", r);
    return 0;
}
#endif
