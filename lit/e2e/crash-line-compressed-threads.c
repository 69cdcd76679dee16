// Compressed debug sections are inflated once per image, by the first
// thread that needs a line of it; the others wait for it and then read
// the same memory.  16 threads released together by a barrier each ask
// whence_func_line for every byte of two functions of a -gz program
// (plain pcs between calls take their line from .debug_line), in a fresh
// child process per trial (nothing inflated yet): every thread's lines
// must be the single-threaded answers of a process that has inflated
// them, and these must be the uncompressed build's (and not the zstd
// build's, whose .debug_line is not read).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O1 -g -gz -pthread %whence_cflags %s %whence_libs -o %t
// RUN: llvm-readelf -S %t | FileCheck %s --check-prefix=SECTIONS
// RUN: %run %t > %t.out && FileCheck %s < %t.out
// RUN: %clang -O1 -g -pthread %whence_cflags %s %whence_libs -o %t.plain
// RUN: %run %t.plain > %t.plain.out && FileCheck %s < %t.plain.out
// RUN: %clang -O1 -g -gz=zstd -pthread %whence_cflags %s %whence_libs -o %t.zstd
// RUN: %run %t.zstd > %t.zstd.out
// RUN: grep answers %t.out > %t.a && grep answers %t.plain.out > %t.b && grep answers %t.zstd.out > %t.c
// RUN: diff %t.a %t.b && not diff %t.a %t.c
// SECTIONS: .debug_line PROGBITS {{.*}} C {{.*}}
// CHECK: answers=
// CHECK: trials=8 failed=0
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

#define NT 16
#define TRIALS 8
#define SPAN 96

volatile int sink;

__attribute__((noinline)) int mix(int x) {
    int y = x * 3;
    sink = y;
    y ^= sink >> 1;
    sink = y + 7;
    return y - sink;
}

__attribute__((noinline)) int blend(int a, int b) {
    int c = a + b;
    sink = c;
    c *= sink;
    sink = c - a;
    return c ^ b;
}

static int (*const fns[2])() = {(int (*)())mix, (int (*)())blend};
static int want[2][SPAN];
static pthread_barrier_t go;
static int bad;

/* Lines of the first SPAN bytes of each function. */
static void lines_of(int out[2][SPAN]) {
    for (int k = 0; k < 2; k++) {
        uintptr_t lo = (uintptr_t)fns[k];
        const whence_func *f = whence_func_for_pc(lo);
        for (int i = 0; i < SPAN; i++)
            out[k][i] = f && whence_func_for_pc(lo + i) == f ? whence_func_line(f, lo + i, NULL) : -1;
    }
}

static void *worker(void *arg) {
    (void)arg;
    int got[2][SPAN];
    pthread_barrier_wait(&go);
    lines_of(got);
    if (memcmp(got, want, sizeof got) != 0)
        __atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
    return NULL;
}

static int trial(void) {
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t[NT];
        pthread_barrier_init(&go, NULL, NT);
        for (int i = 0; i < NT; i++)
            pthread_create(&t[i], NULL, worker, NULL);
        for (int i = 0; i < NT; i++)
            pthread_join(t[i], NULL);
        _exit(bad);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void) {
    /* The answers, computed in a child so that the trials' children
     * start with nothing inflated. */
    int fd[2];
    if (pipe(fd) != 0)
        return 1;
    if (fork() == 0) {
        lines_of(want);
        (void)!write(fd[1], want, sizeof want);
        _exit(0);
    }
    if (read(fd[0], want, sizeof want) != (ssize_t)sizeof want)
        return 1;
    wait(NULL);
    printf("answers=");
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < SPAN; i++)
            printf("%d,", want[k][i]);
    printf("\n");
    int failed = 0;
    for (int t = 0; t < TRIALS; t++)
        failed += !trial();
    printf("trials=%d failed=%d\n", TRIALS, failed);
    return 0;
}
