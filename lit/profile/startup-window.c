// WHENCE_CPUPROFILE starts the profiler in libwhence's constructor, before
// the program's own module constructor registers its records: a library
// that libwhence initializes before the program (here one that links it)
// and whose static initializer runs for a while is sampled while whence
// knows no image yet.  Those samples must not make whence say "no code
// built with the whence plugin is loaded" (the program is built with it:
// the runtime said it on every slow start-up under qemu-user), and the
// profile still names the library's frames and the program's.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -g -fPIC -shared -DSLOW %s -o %t/libslow.so %whence_libs
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s -L%t -lslow %whence_libs -o %t/main
// RUN: env WHENCE_CPUPROFILE=%t/p.pb.gz WHENCE_CPUPROFILE_HZ=1000 LD_LIBRARY_PATH=%t %run %t/main > %t/out 2> %t/err
// RUN: FileCheck %s --check-prefix=OUT < %t/out
// RUN: count 0 < %t/err
// RUN: %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=TOP
//
// OUT: main: work done
// TOP-DAG: {{ slow_init$}}
// TOP-DAG: {{ work$}}
#include <stdio.h>
#include <time.h>

static volatile unsigned long sink;

/* CPU time for at least ms milliseconds. */
static void burn(long ms) {
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    do {
        for (int i = 0; i < 100000; i++)
            sink = sink * 6364136223846793005ul + (unsigned long)i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

#ifdef SLOW
/* A static initializer that runs for a while. */
__attribute__((constructor, noinline)) void slow_init(void) { burn(300); }
#else
__attribute__((noinline)) void work(void) { burn(300); }

int main(void) {
    work();
    printf("main: work done\n");
    return 0;
}
#endif
