// With full debug info (-g) site labels are off by default and caller-frame
// slots are on; the plugin then changes nothing a debugger relies on, checked
// against a build without the plugin that keeps the same frames
// (-fno-omit-frame-pointer -momit-leaf-frame-pointer; -O0 keeps all frame
// pointers anyway).  Tail calls are kept in -g modules, as the debugger would
// see them.
//  * .debug_line: the same rows (line, column, file, discriminator, flags) in
//    the same order once rows at line 0 are dropped (the slot's entry code
//    adds a 0:0 row after each prologue; addresses move).
//  * .debug_info: the same DIE tree (tags, names, decl_file/decl_line, types,
//    inline and call origins, call sites, every variable and parameter),
//    except for code addresses and locations (low_pc/high_pc, frame offsets).
//  * With WHENCE_SLOTS=0 the object's .text, .debug_line and .debug_info are
//    byte-identical to the baseline, as before slots.
//
// -O2, slots on (the default for -g):
// RUN: %clang -O2 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -c %s -o %t.base.o
// RUN: %clang -O2 -g -fpass-plugin=%plugin -c %s -o %t.plug.o
// RUN: python3 %S/Inputs/whence-dump.py %t.plug.o | FileCheck %s --check-prefix=SLOTS
// RUN: llvm-dwarfdump --debug-line %t.base.o > %t.base.line
// RUN: llvm-dwarfdump --debug-line %t.plug.o > %t.plug.line
// RUN: python3 %S/Inputs/dwarf-norm.py line %t.base.line > %t.base.nline
// RUN: python3 %S/Inputs/dwarf-norm.py line %t.plug.line > %t.plug.nline
// RUN: diff %t.base.nline %t.plug.nline
// RUN: FileCheck %s --check-prefix=ROWS < %t.plug.nline
// RUN: llvm-dwarfdump --debug-info %t.base.o > %t.base.info
// RUN: llvm-dwarfdump --debug-info %t.plug.o > %t.plug.info
// RUN: python3 %S/Inputs/dwarf-norm.py info %t.base.info > %t.base.ninfo
// RUN: python3 %S/Inputs/dwarf-norm.py info %t.plug.info > %t.plug.ninfo
// RUN: diff %t.base.ninfo %t.plug.ninfo
// RUN: FileCheck %s --check-prefix=INFO < %t.plug.ninfo
// The slot code is really there (so the comparisons above are not vacuous):
// RUN: llvm-objcopy -O binary --only-section=.text %t.base.o %t.base.text
// RUN: llvm-objcopy -O binary --only-section=.text %t.plug.o %t.plug.text
// RUN: not cmp -s %t.base.text %t.plug.text
// The records are there all the same (no site or line record: empty sections that define the bounds).
// RUN: llvm-readelf -S %t.plug.o | FileCheck %s
// CHECK: whence_fn
// CHECK: whence_mod
// CHECK-NEXT: whence_site PROGBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 000000
// CHECK-NEXT: whence_line PROGBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 000000
// SLOTS: mod[0] name={{.*}} flags=LINES|SLOTS
// SLOTS-NOT: site label
// (no line records: they are off unless lines=on / WHENCE_LINES=1)
// ROWS: row 109 0 {{[0-9]+}} 0 is_stmt{{$}}
// ROWS-NEXT: row 110 16 {{[0-9]+}} 0 is_stmt prologue_end
// INFO: DW_AT_name ("walk")
// INFO: DW_TAG_variable
// INFO-NEXT: DW_AT_name ("s")
// INFO-NEXT: DW_AT_decl_file ("{{.*}}debug-build-identical.c")
// INFO-NEXT: DW_AT_decl_line (115)
//
// -O2, WHENCE_SLOTS=0: byte-identical.
// RUN: env WHENCE_SLOTS=0 %clang -O2 -g -fpass-plugin=%plugin -c %s -o %t.noslot.o
// RUN: llvm-objcopy -O binary --only-section=.text %t.noslot.o %t.noslot.text
// RUN: cmp %t.base.text %t.noslot.text
// RUN: llvm-dwarfdump --debug-line %t.base.o | sed 1d > %t.base.line1
// RUN: llvm-dwarfdump --debug-line %t.noslot.o | sed 1d > %t.noslot.line1
// RUN: diff %t.base.line1 %t.noslot.line1
// RUN: llvm-dwarfdump --debug-info %t.base.o | sed 1d > %t.base.info1
// RUN: llvm-dwarfdump --debug-info %t.noslot.o | sed 1d > %t.noslot.info1
// RUN: diff %t.base.info1 %t.noslot.info1
// RUN: python3 %S/Inputs/whence-dump.py %t.noslot.o | FileCheck %s --check-prefix=NOSLOTS
// NOSLOTS: mod[0] name={{.*}} flags=LINES subprogs
// NOSLOTS-NOT: site label
// NOSLOTS-NOT: line pc=
//
// -O0, slots on.  Here a row is split: in a function whose last call is
// directly followed by its ret (finish below), the slot's pop after the call
// carries the ret's position (the closing brace), so the return address
// starts a row there and the epilogue gets a second row at the same position
// with epilogue_begin (without whence: one epilogue_begin row at the return
// address).  Same
// position, no is_stmt: no breakpoint or step moves, so consecutive rows at
// one position are compared as one (line-runs).
// RUN: %clang -O0 -g -c %s -o %t.base0.o
// RUN: %clang -O0 -g -fpass-plugin=%plugin -c %s -o %t.plug0.o
// RUN: llvm-dwarfdump --debug-line %t.base0.o > %t.base0.line
// RUN: llvm-dwarfdump --debug-line %t.plug0.o > %t.plug0.line
// RUN: python3 %S/Inputs/dwarf-norm.py line-runs %t.base0.line > %t.base0.nline
// RUN: python3 %S/Inputs/dwarf-norm.py line-runs %t.plug0.line > %t.plug0.nline
// RUN: diff %t.base0.nline %t.plug0.nline
// RUN: llvm-dwarfdump --debug-info %t.base0.o > %t.base0.info
// RUN: llvm-dwarfdump --debug-info %t.plug0.o > %t.plug0.info
// RUN: python3 %S/Inputs/dwarf-norm.py info %t.base0.info > %t.base0.ninfo
// RUN: python3 %S/Inputs/dwarf-norm.py info %t.plug0.info > %t.plug0.ninfo
// RUN: diff %t.base0.ninfo %t.plug0.ninfo
// RUN: llvm-objcopy -O binary --only-section=.text %t.base0.o %t.base0.text
// RUN: llvm-objcopy -O binary --only-section=.text %t.plug0.o %t.plug0.text
// RUN: not cmp -s %t.base0.text %t.plug0.text
//
// -O0, WHENCE_SLOTS=0: byte-identical.
// RUN: env WHENCE_SLOTS=0 %clang -O0 -g -fpass-plugin=%plugin -c %s -o %t.noslot0.o
// RUN: llvm-objcopy -O binary --only-section=.text %t.noslot0.o %t.noslot0.text
// RUN: cmp %t.base0.text %t.noslot0.text
// RUN: llvm-dwarfdump --debug-line %t.base0.o | sed 1d > %t.base0.line1
// RUN: llvm-dwarfdump --debug-line %t.noslot0.o | sed 1d > %t.noslot0.line1
// RUN: diff %t.base0.line1 %t.noslot0.line1
// RUN: llvm-dwarfdump --debug-info %t.base0.o | sed 1d > %t.base0.info1
// RUN: llvm-dwarfdump --debug-info %t.noslot0.o | sed 1d > %t.noslot0.info1
// RUN: diff %t.base0.info1 %t.noslot0.info1

#include <stdio.h>

struct pt { int x, y; };

static inline int sq(int v) { printf("sq %d\n", v); return v * v; }

int dist2(struct pt a, struct pt b) {
  int dx = a.x - b.x, dy = a.y - b.y;
  return sq(dx) + sq(dy);
}

int walk(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    struct pt p = {i, i + 1}, q = {0, 0};
    if (i & 1)
      s += dist2(p, q);
    else
      putchar('.');
  }
  return s;
}

void finish(int r) { printf("%d\n", r); }

int main(int argc, char **argv) {
  (void)argv;
  int r = walk(argc + 3);
  finish(r);
  return r == 0;
}

/* A call's argument whose cast emits no code, on a line of its own: the
 * slot store took the cast's line and started a row of it before the
 * call's (-O1 and up; slots.c, emits_no_code). */
__attribute__((noinline)) int add2(int a, int b) { return a + b; }

long multiline(long a, long b, long e, long g) {
  long t = add2((int)a, (int)b) +
           add2((int)e,
                (int)g);
  return t;
}

