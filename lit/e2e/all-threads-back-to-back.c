// whence_write_all_stacks called back to back while 6 threads run in
// instrumented code: every thread answers every dump.  A thread still
// returning from its answer to the previous dump has the dump signal
// blocked, and the next dump listed it as "not answering (signal
// blocked)" (34-41 of 700 entries per run on 2 cores); a dump now waits
// for the answers still returning before it reads a thread's mask.
// (x86-64 only: under qemu-user the emulator's own thread, which blocks every
// signal, is listed too)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t > %t.out 2>&1
// RUN: FileCheck %s --implicit-check-not="not answering" < %t.out
// CHECK: listed 700
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static atomic_int stop;
static volatile unsigned long sink;
__attribute__((noinline)) static void busy(void) {
    for (int i = 0; i < 1000; i++)
        sink += i;
}
static void *worker(void *a) {
    while (!atomic_load(&stop))
        busy();
    return a;
}

int main(void) {
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    usleep(100000);
    FILE *f = tmpfile();
    for (int i = 0; i < 100; i++)
        whence_write_all_stacks(fileno(f));
    atomic_store(&stop, 1);
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    rewind(f);
    char line[512];
    int threads = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "thread ", 7))
            threads++;
        if (strstr(line, "not answering"))
            fputs(line, stdout);
    }
    printf("listed %d\n", threads);
    return 0;
}
