// A processed image whose first module table (whence_mod) is damaged after
// whence-link ran: the table's header is intact, so the table is adopted,
// and every lookup of a function of the damaged module must say "unknown"
// while the other module still answers; the same before and after the
// image's first 64 lookups (from then on each module is checked once and
// remembered, a damaged one as damaged), in one thread and in 8 at once.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %S/Inputs/modcheck-other.c %whence_libs -o %t/plain
// RUN: %whence_link -o %t/linked %t/plain
// RUN: python3 %S/Inputs/elfedit.py %t/linked %t/bad flip=whence_mod:0
// RUN: %run %t/plain | FileCheck %s --check-prefix=GOOD
// RUN: %run %t/linked | FileCheck %s --check-prefix=GOOD
// RUN: %run %t/bad 2>&1 | FileCheck %s --check-prefix=BAD
// GOOD: rounds=2000 main_named=2000 other_named=2000 wrong=0
// BAD: rounds=2000 main_named=0 other_named=2000 wrong=0
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

int other_fn(int x);

__attribute__((noinline)) int main_fn(int x) { return x * 5 + 2; }

static _Atomic int main_named, other_named, wrong;

static void *ask(void *arg) {
    int n = *(const int *)arg;
    for (int i = 0; i < n; i++) {
        const whence_func *a = whence_func_for_pc((uintptr_t)&main_fn);
        const whence_func *b = whence_func_for_pc((uintptr_t)&other_fn);
        if (a) {
            if (strcmp(whence_func_name(a), "main_fn") == 0 && whence_func_entry(a) == (uintptr_t)&main_fn)
                main_named++;
            else
                wrong++;
        }
        if (b && strcmp(whence_func_name(b), "other_fn") == 0 && whence_func_entry(b) == (uintptr_t)&other_fn)
            other_named++;
        else
            wrong++;
    }
    return NULL;
}

int main(void) {
    int first = 400, each = 200; /* 400 in one thread, then 8 x 200 at once */
    ask(&first);
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, ask, &each);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    printf("rounds=%d main_named=%d other_named=%d wrong=%d\n", first + 8 * each, main_named,
           other_named, wrong);
    return main_fn(1) + other_fn(1) > 0 ? 0 : 1;
}
