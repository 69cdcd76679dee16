// A module that does not use the finalizer API compiles byte-identically with the clearing switch at auto and off.
// RUN: %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.auto.o
// RUN: env WHENCE_LIVENESS=0 %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.off.o
// RUN: cmp %t.auto.o %t.off.o
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.auto2.o
// RUN: env WHENCE_LIVENESS=0 %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.off2.o
// RUN: cmp %t.auto2.o %t.off2.o
// And forcing it on does change this -O0 module (the switch is live).
// RUN: env WHENCE_LIVENESS=1 %clang -O0 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.on.o
// RUN: not cmp -s %t.auto.o %t.on.o
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
