// A CPU profile of a program started through the dynamic loader
// (`ld.so ./prog`): /proc/self/exe is then the loader, and the profile
// named the program's mapping ld-linux-x86-64.so.2 (with the program's
// build id) and the program's own uninstrumented code, in a stripped
// program, ld-linux-x86-64.so.2+0x1820 (helper-84).  The program's mapping
// is now named by the file mapped at its first segment
// (runtime/profile/api.c, program_path).
// REQUIRES: x86_64-linux, go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -DPLAIN -c %s -o %t/plain.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/plain.o %whence_libs -o %t/prog
// RUN: llvm-strip -s %t/prog
// RUN: /lib64/ld-linux-x86-64.so.2 %t/prog %t/p.pb.gz
// RUN: %pprof -raw -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=MAP
// RUN: %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=TOP
// MAP: Mappings
// MAP-NEXT: {{.*}}ldso-start.c.tmp/prog
// TOP-NOT: ld-linux
// TOP: prog+0x{{[0-9a-f]+}}
#ifdef PLAIN
/* Built without the plugin: named by the program's file and offset. */
unsigned long plain_spin(unsigned long n) {
    unsigned long x = 7;
    for (unsigned long i = 0; i < n; i++)
        x = x * 2862933555777941757UL + 3037000493UL + i;
    return x;
}
#else
#include <fcntl.h>
#include <time.h>
#include <whence.h>
unsigned long plain_spin(unsigned long n);
volatile unsigned long sink;
int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || whence_profile_start(fd, 1000) != 0)
        return 1;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        sink += plain_spin(1000000);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 300);
    return whence_profile_stop() != 0;
}
#endif
