// Samples in many functions of a library without dynamic symbols for them
// (static functions: libpython's, in a real Python process) are named by
// the library file's .symtab, or, stripped, by object and offset
// ("libforeign.so+0x1130").  Was a crash of the host:
// whence_profile_stop kept a pointer to the object's name in the profile's
// string table while interning those names, and the table moved when it
// grew (mremap): SIGSEGV in every run.  (All nodes listed: the samples
// spread over 3,000 functions, each under pprof's default cut, and on
// AArch64 under qemu on a loaded machine none of them made the list.)
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %S/Inputs/gen_static_funcs.py 3000 %t/foreign.c
// RUN: %clang -O2 -fPIC -shared %t/foreign.c -o %t/libforeign.so
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -lforeign -Wl,-rpath,%t %whence_libs -o %t/prog
// RUN: %run %t/prog %t/p.pb.gz | FileCheck %s
// RUN: %if go %{ %pprof -top -nodefraction=0 -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=NAMED %}
// RUN: llvm-strip -s %t/libforeign.so
// RUN: %run %t/prog %t/s.pb.gz | FileCheck %s
// RUN: %if go %{ %pprof -top -symbolize=none %t/s.pb.gz | FileCheck %s --check-prefix=TOP %}
// CHECK: start=0 stop=0
// NAMED: {{ f[0-9]+$}}
// NAMED-NOT: libforeign.so+0x
// TOP: libforeign.so+0x
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>

unsigned run_all(unsigned x);

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int s = whence_profile_start(fd, 5000);
    unsigned x = 1;
    struct timespec c;
    do { /* a second of CPU: about 5,000 samples over 3,000 functions */
        x = run_all(x);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    } while (c.tv_sec < 1);
    int e = whence_profile_stop();
    printf("start=%d stop=%d (%u)\n", s, e, x & 1);
    return 0;
}
