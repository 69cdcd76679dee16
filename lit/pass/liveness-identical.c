// A module that does not use the finalizer API compiles byte-identically with the clearing switch at auto and off.
// The order of whence_line records inside a function is not reproducible
// from one compilation to the next (see reproducible.c, XFAIL): so the
// objects are compared byte for byte without whence_line and its
// relocations, and the line records are compared as sets (each one's pc
// and loc), which still sees any code the clearing would add.
// RUN: %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.auto.o
// RUN: env WHENCE_LIVENESS=0 %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.off.o
// RUN: llvm-objcopy --remove-section=whence_line --remove-section=.relawhence_line %t.auto.o %t.auto.nl.o
// RUN: llvm-objcopy --remove-section=whence_line --remove-section=.relawhence_line %t.off.o %t.off.nl.o
// RUN: cmp %t.auto.nl.o %t.off.nl.o
// RUN: python3 %S/Inputs/whence-dump.py %t.auto.o | sort > %t.auto.txt
// RUN: python3 %S/Inputs/whence-dump.py %t.off.o | sort > %t.off.txt
// RUN: diff %t.auto.txt %t.off.txt
// RUN: FileCheck %s --check-prefix=LINES < %t.auto.txt
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.auto2.o
// RUN: env WHENCE_LIVENESS=0 %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.off2.o
// RUN: llvm-objcopy --remove-section=whence_line --remove-section=.relawhence_line %t.auto2.o %t.auto2.nl.o
// RUN: llvm-objcopy --remove-section=whence_line --remove-section=.relawhence_line %t.off2.o %t.off2.nl.o
// RUN: cmp %t.auto2.nl.o %t.off2.nl.o
// RUN: python3 %S/Inputs/whence-dump.py %t.auto2.o | sort > %t.auto2.txt
// RUN: python3 %S/Inputs/whence-dump.py %t.off2.o | sort > %t.off2.txt
// RUN: diff %t.auto2.txt %t.off2.txt
// And forcing it on does change this -O0 module (the switch is live).
// RUN: env WHENCE_LIVENESS=1 %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.on.o
// RUN: llvm-objcopy --remove-section=whence_line --remove-section=.relawhence_line %t.on.o %t.on.nl.o
// RUN: not cmp -s %t.auto.nl.o %t.on.nl.o
// The line records compared above exist (-gline-tables-only has them).
// LINES: line pc=.text+{{[0-9]+}} loc={{[0-9]+}} chain=work:
#include <stdlib.h>

void consume(void *);

int work(int n) {
    void *p = malloc(16);
    consume(p);
    for (int i = 0; i < n; i++) {
        void *q = malloc(8);
        consume(q);
    }
    return n;
}
