// The module key: the same compilation gives the same key (reproducible builds); compilations of one file that differ in their functions or in any line, column or name in the table give different keys, so two such objects in one image never share one.  (Lines and columns of flat call sites are in the site records, not in the table: two tables that differ only there are identical, and the runtime lets them share a key.)
// RUN: %clang -O1 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.1.o
// RUN: %clang -O1 -gline-tables-only -fpass-plugin=%plugin -c %s -o %t.2.o
// RUN: %clang -O1 -gline-tables-only -fpass-plugin=%plugin -DSHIFT -c %s -o %t.shift.o
// RUN: %clang -O1 -gline-tables-only -fpass-plugin=%plugin -DEXTRA -c %s -o %t.extra.o
// RUN: python3 %S/Inputs/whence-dump.py %t.1.o | grep -o 'key=0x[0-9a-f]*' | sort -u > %t.k1
// RUN: python3 %S/Inputs/whence-dump.py %t.2.o | grep -o 'key=0x[0-9a-f]*' | sort -u > %t.k2
// RUN: python3 %S/Inputs/whence-dump.py %t.shift.o | grep -o 'key=0x[0-9a-f]*' | sort -u > %t.k3
// RUN: python3 %S/Inputs/whence-dump.py %t.extra.o | grep -o 'key=0x[0-9a-f]*' | sort -u > %t.k4
// One key per object, shared by its table and all its records.
// RUN: count 1 < %t.k1
// RUN: count 1 < %t.k3
// RUN: diff %t.k1 %t.k2
// RUN: not diff %t.k1 %t.k3
// RUN: not diff %t.k1 %t.k4
// RUN: not diff %t.k3 %t.k4

void ext(int);

#ifdef SHIFT
#line 100
#endif
static void __attribute__((noinline)) f(int x) {
  ext(x); ext(x + 1);
}

#ifdef EXTRA
void extra(void) { ext(3); }
#endif

void g(int x) { f(x); }
