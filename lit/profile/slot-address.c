// In a -g build a caller's frame is named by its frame slot (its loc, which
// has no address), and its location's address must still lie in the call:
// the frame's return address - 1.  The runtime before gave the function's
// entry; a tool that symbolizes the mapping again from the binary (pprof
// did whenever one location was not whence's: spin, from an object built
// without the plugin; now the mapping's has_* flags say every location has
// a name, and -symbolize=force asks for it) read at the entry every
// caller's function's first line (`work main.c:4`, `main main.c:10`;
// helper, CPython).  Checked through pprof's own symbolization
// (pprof_check.py checks -g callers against DWARF: start-line.c).
// REQUIRES: x86_64-linux, go
// RUN: rm -rf %t && split-file %s %t
// RUN: %clang -O2 -g -c %t/spin.c -o %t/spin.o
// RUN: %clang -O2 -g %whence_cflags %t/main.c %t/spin.o %whence_libs -o %t/prog
// RUN: %t/prog %t/p.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -raw -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=FLAGS
// RUN: %pprof -traces -lines -symbolize=force %t/p.pb.gz | FileCheck %s --check-prefix=TRACES
//
// OUT: stop=0
// FLAGS: Mappings
// FLAGS: {{prog.*\[FN\]}}
// TRACES: -----------+-
// TRACES-NEXT: {{ms|s}} {{ *}}spin {{.*}}spin.c:{{[0-9]+}}
// TRACES-NEXT: {{^ +}}work {{.*}}main.c:6{{$}}
// TRACES-NEXT: {{^ +}}main {{.*}}main.c:14{{$}}
// TRACES-NOT: work {{.*}}main.c:4{{$}}
// TRACES-NOT: main {{.*}}main.c:10{{$}}

//--- main.c
#include <fcntl.h>
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) unsigned long work(unsigned long n) {
    unsigned long spin(unsigned long);
    unsigned long s = spin(n); /* line 6 */
    return s + 1;
}

int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    unsigned long t = 0;
    for (int i = 0; i < 3; i++) t += work(100000000ul + (unsigned long)i); /* line 14 */
    printf("%s%d %lu\n", e ? "error " : "", e, t & 1);
    printf("stop=%d\n", whence_profile_stop());
    return 0;
}

//--- spin.c
unsigned long spin(unsigned long n) {
    unsigned long x = n;
    for (unsigned long i = 0; i < n; i++)
        x = x * 6364136223846793005ul + (x >> 7) + i;
    return x;
}
