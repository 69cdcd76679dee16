// Reproducible output: compiling the same file twice with the same flags
// must give byte-identical objects.
//
// Line records (whence_line) would break this: LLVM 19 keeps a function's
// instruction-level !pcsections in a DenseMap keyed by the MDNode pointer
// (AsmPrinter::PCSectionsSymbols), so the order of their groups follows heap
// addresses and changes from run to run under ASLR.  That is why they are
// off unless asked for (WHENCE_LINES=1 / lines=on); everything the default
// emits is reproducible.
//
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.1.o
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.2.o
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.3.o
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.4.o
// RUN: cmp %t.1.o %t.2.o
// RUN: cmp %t.1.o %t.3.o
// RUN: cmp %t.1.o %t.4.o

int g[16];

int work(int *p, int n) {
    int s = p[0];
    g[1] = s;
    s += p[2];
    g[3] = s;
    s += p[4];
    g[5] = s;
    s += p[6];
    g[7] = s;
    for (int i = 0; i < n; i++)
        g[i & 15] += p[i];
    return s;
}
