/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * bench_first.c - the cost of the very first whence_func_for_pc (+ name) in a
 * fresh process whose binary holds 10,000 instrumented functions
 * (gen_funcs_10000.c), or the same functions in 100 translation units
 * (bench_first_many: gen_mods_10000*.c; without whence-link's table a first
 * lookup walks the module headers to its own).  One measurement per
 * process: scripts/bench.sh runs it many times and takes the median.
 *
 * Prints "first<TAB>ns" (the first lookup), "first_second<TAB>ns" (a second
 * lookup of another function, for scale), "first_faults<TAB>N" (page faults
 * taken by the first lookup: building the index touches the records and new
 * memory), "first_mem_fn<TAB>B" (the anonymous memory the first lookup
 * left behind, i.e. the runtime's index, minus 8 bytes per call site, per
 * function: targets.md asks <= 16 B per function + 8 per site) and
 * "bad_first<TAB>1" if the answer named the wrong function.  With --table, a
 * one-line human summary.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_util.h"
#include "whence.h"
#include "whence_abi.h"

/* This image's records (the linker's bounds of the sections). */
extern const char __start_whence_fn[] __attribute__((weak, visibility("hidden")));
extern const char __stop_whence_fn[] __attribute__((weak, visibility("hidden")));
extern const char __start_whence_site[] __attribute__((weak, visibility("hidden")));
extern const char __stop_whence_site[] __attribute__((weak, visibility("hidden")));

/* Anonymous memory of the process in KiB (page-granular, so the index of
 * 10,000 functions is measured to within 0.4 bytes per function). */
static long anon_kib(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Anonymous: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

extern int (*const bgen_table[])(int);
extern const int bgen_count;

void bgen_sink(int i)
{
    (void)i;
}

/* The first lookup, a function of its own so that callgrind can count its
 * instructions (scripts/bench.sh --callgrind: inclusive Ir of first_lookup). */
__attribute__((noinline)) static const char *first_lookup(uintptr_t pc)
{
    return whence_func_name(whence_func_for_pc(pc));
}

int main(int argc, char **argv)
{
    bool table = argc > 1 && !strcmp(argv[1], "--table");
    int k = bgen_count / 2, k2 = bgen_count / 3;
    /* an address inside the function (past its entry), as a pc would be */
    uintptr_t pc = (uintptr_t)bgen_table[k] + 1, pc2 = (uintptr_t)bgen_table[k2] + 1;

    /* warm the clock (vDSO) so its first-call cost is not counted */
    volatile int64_t warm = bench_now();
    warm += bench_now();
    (void)warm;

    long anon0 = anon_kib();
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    int64_t t0 = bench_now();
    const char *name = first_lookup(pc);
    volatile char c = name[0];
    int64_t t1 = bench_now();
    getrusage(RUSAGE_SELF, &ru1);
    long faults = (ru1.ru_minflt - ru0.ru_minflt) + (ru1.ru_majflt - ru0.ru_majflt);
    int64_t t1b = bench_now();
    const whence_func *f2 = whence_func_for_pc(pc2);
    c = whence_func_name(f2)[0];
    int64_t t2 = bench_now();
    t2 -= t1b - t1; /* not the getrusage call */
    (void)c;
    long anon1 = anon_kib();
    long nfn = (long)((__stop_whence_fn - __start_whence_fn) / WHENCE_FN_RECORD_SIZE);
    long nsite = (long)((__stop_whence_site - __start_whence_site) / 8);
    double mem_fn = anon0 >= 0 && anon1 >= 0 && nfn > 0
                        ? ((double)(anon1 - anon0) * 1024 - 8.0 * (double)nsite) / (double)nfn
                        : -1;

    char want[32];
    snprintf(want, sizeof want, "bgen_f%d", k);
    bool ok = !strcmp(name, want);
    if (!ok)
        fprintf(stderr, "bench_first: pc %#lx named \"%s\", want %s\n", (unsigned long)pc, name, want);
    if (table)
        printf("first whence_func_for_pc+name in a fresh process (%d funcs): %lld ns, %ld page faults "
               "(second lookup: %lld ns); index %.1f B per function + 8 per site (%ld functions, %ld sites)%s\n",
               bgen_count, (long long)(t1 - t0), faults, (long long)(t2 - t1), mem_fn, nfn, nsite,
               ok ? "" : " WRONG ANSWER");
    else
        printf("first\t%lld\nfirst_second\t%lld\nfirst_faults\t%ld\nfirst_mem_fn\t%.2f\n%s",
               (long long)(t1 - t0), (long long)(t2 - t1), faults, mem_fn, ok ? "" : "bad_first\t1\n");
    return 0;
}
