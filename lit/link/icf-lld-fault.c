// A fault in code ld.lld's identical code folding made of several
// functions.  lld keeps the record of the function it keeps and drops the
// others' with their code: a fault in a leaf folded into another (or, with
// -fbasic-block-sections=all, in a block of pb folded into pa's identical
// one) was reported as the kept function's, without a word, though the
// line tables of both cover the pc and the line was withheld for that
// (helper-130).  The report, the printed stack and a profile now say that
// the code may be another function's.
// REQUIRES: x86_64-linux, lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -ffunction-sections %whence_cflags %s -fuse-ld=lld -Wl,--icf=all %whence_libs -o %t/leaf
// RUN: not --crash %t/leaf crash 2>&1 | FileCheck %s --check-prefix=LEAF
// RUN: %clang -O2 -gline-tables-only -ffunction-sections -fbasic-block-sections=all %whence_cflags %s -fuse-ld=lld -Wl,--icf=all %whence_libs -o %t/bb
// RUN: not --crash %t/bb part 2>&1 | FileCheck %s --check-prefix=PART
// RUN: %if go %{ %t/leaf profile %t/p.pb.gz %}
// RUN: %if go %{ %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=PROF %}
// LEAF: fault in {{leaf_one|leaf_two}} (or another function the linker folded into it) at {{.*}}icf-lld-fault.c (line unknown; the line tables of two functions cover this pc
// LEAF: stack:
// LEAF-NEXT: {{leaf_one|leaf_two}}(...) (or another function the linker folded into it)
// LEAF-NEXT: icf-lld-fault.c (line unknown)
// LEAF-NEXT: main(...)
// PART: fault in {{pa|pb}} (or another function the linker folded into it) at
// PART: stack:
// PART-NEXT: {{pa|pb}}(...) (or another function the linker folded into it)
// PART: main(...)
// PROF: {{leaf_one|leaf_two}} (or another function the linker folded into it)
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <whence.h>

volatile long buf[9];

__attribute__((noinline)) long leaf_one(volatile long *p, long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += p[i & 7] * 3 + *(volatile long *)p[8];
    return s;
}

__attribute__((noinline)) long leaf_two(volatile long *p, long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += p[i & 7] * 3 + *(volatile long *)p[8];
    return s;
}

/* different loops, the same faulting tail: only blocks fold */
__attribute__((noinline)) long pa(volatile long *p, long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += p[i & 7] * 3;
    if (n > 5)
        s += *(volatile long *)p[8];
    return s;
}

__attribute__((noinline)) long pb(volatile long *p, long n) {
    long s = 1;
    for (long i = 0; i < n; i++)
        s ^= p[i & 3] + 5;
    if (n > 5)
        s += *(volatile long *)p[8];
    return s;
}

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 2 && !strcmp(argv[1], "profile")) {
        buf[8] = (long)&buf[0];
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        whence_profile_start(fd, 1000);
        long s = 0;
        for (double end = cpu() + 0.3; cpu() < end;)
            s += leaf_two(buf, 100000);
        whence_profile_stop();
        return (int)(s & 1);
    }
    if (argc > 1 && !strcmp(argv[1], "part"))
        return (int)pb(buf, 10) + (int)pa(buf, 1);
    return (int)leaf_two(buf, 10) + (int)leaf_one(buf, 0);
}
