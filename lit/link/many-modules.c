// A process's first lookups in a program of 60 translation units: before an
// image has its buckets, a lookup finds the module its record names by key,
// guessing where the module's table is from where the record is (the tables
// follow one another in link order, as the records do) before walking the
// headers from the start (runtime/image.c, mod_guess).  Every module's
// function must get its own name and file whatever the layout: modules of 1
// to 40 functions, some all cold (their code, and so their records, moved to
// the front of .text while their tables stay in link order: the guess
// misses there and the walk answers), the objects linked in module order and
// in reverse, with GNU ld and with lld, and with whence-link's table.  Each
// process asks 20 modules (an image's first 64 lookups take this path).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %S/Inputs/many-modules.py "%clang" "-O2 -gline-tables-only %whence_cflags" %s %t 60
// RUN: %clang -O2 -gline-tables-only -DHOST %whence_cflags %s %t/table.c @%t/objs.rsp %whence_libs -o %t/a
// RUN: %clang -O2 -gline-tables-only -DHOST %whence_cflags %s %t/table.c @%t/objs-rev.rsp %whence_libs -o %t/b
// RUN: %clang -O2 -gline-tables-only -DHOST -fuse-ld=lld %whence_cflags %s %t/table.c @%t/objs.rsp %whence_libs -o %t/c
// RUN: %whence_link -q -o %t/a.tab %t/a
// RUN: %run %t/a 0 0 && %run %t/a 1 20 && %run %t/a 2 40
// RUN: %run %t/b 0 0 && %run %t/b 1 20 && %run %t/b 2 40
// RUN: %run %t/c 0 0 && %run %t/c 1 20 && %run %t/c 2 40
// RUN: %run %t/a.tab 0 0 && %run %t/a.tab 3 20
// RUN: %run %t/a 0 0 2>&1 | FileCheck %s --implicit-check-not=whence: --implicit-check-not=BAD
// CHECK: asked=20 bad=0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

#ifdef MOD
#define CAT_(a, b, c) a##b##c
#define CAT(a, b, c) CAT_(a, b, c)
#ifdef COLD
#define ATTR __attribute__((noinline, cold))
#else
#define ATTR __attribute__((noinline))
#endif
int mm_sink(int);
#define F(i) ATTR int CAT(m, MOD, _f##i)(int x) { return mm_sink(x + i) * (i + 1); }
F(0)
#if NF > 1
F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12)
#endif
#if NF > 13
F(13) F(14) F(15) F(16) F(17) F(18) F(19) F(20) F(21) F(22) F(23) F(24) F(25) F(26)
F(27) F(28) F(29) F(30) F(31) F(32) F(33) F(34) F(35) F(36) F(37) F(38) F(39)
#endif
#endif

#ifdef HOST
extern const struct mm_fn {
    int (*fn)(int);
    const char *name;
    int mod;
} mm_fns[];
extern const int mm_nfns, mm_nmods;

int mm_sink(int x) {
    return x;
}

/* argv: which function of each module (modulo its count), and where in the
 * order of the modules (a permutation) to start. */
int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    int pick = atoi(argv[1]), from = atoi(argv[2]), asked = 0, bad = 0;
    int first[256], count[256] = {0};
    if (mm_nmods > 256 || mm_nmods % 37 == 0)
        return 2;
    for (int i = mm_nfns - 1; i >= 0; i--)
        first[mm_fns[i].mod] = i, count[mm_fns[i].mod]++;
    for (int j = from; j < from + 20 && j < mm_nmods; j++) {
        int k = j * 37 % mm_nmods, i = first[k] + pick % count[k];
        uintptr_t pc = (uintptr_t)mm_fns[i].fn + 1;
        const whence_func *f = whence_func_for_pc(pc);
        const char *name = whence_func_name(f), *file = NULL;
        int line = whence_func_line(f, pc, &file);
        const char *base = file ? strrchr(file, '/') : NULL;
        base = base ? base + 1 : file;
        if (!name || strcmp(name, mm_fns[i].name) || !base || strcmp(base, "many-modules.c") ||
            line <= 0) {
            printf("BAD module %d: %s at %s:%d, want %s\n", k, name ? name : "(none)",
                   base ? base : "(none)", line, mm_fns[i].name);
            bad++;
        }
        asked++;
    }
    printf("asked=%d bad=%d\n", asked, bad);
    return bad != 0;
}
#endif
