// A thread that calls whence_install_crash_handler gets an alternate
// signal stack of 128 KiB (libwhence.a's remedy for threads the program
// starts; with libwhence.so for a thread that was running before the
// install): it is freed when the thread exits.  It leaked: 500 such
// threads took 66 MB of address space more than 500 that did not call it
// (libwhence.a).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_static -lpthread -ldl -o %t.s
// RUN: %run %t.s | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_libs -o %t.x
// RUN: %run %t.x | FileCheck %s
// CHECK: growth within 16 MiB of the control's
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

#include "whence_emulated.h"

static void *worker(void *install) {
    if (install)
        whence_install_crash_handler();
    return NULL;
}

static long vm_kib(void) {
#if WHENCE_EMULATED
    /* qemu-user: /proc/self/status is qemu's own (its translation cache
     * grows under load: 205 MB against the control's 140 in one run). */
    long total = emulated_mapped_bytes();
    return total < 0 ? -1 : total >> 10;
#endif
    char l[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(l, sizeof l, f))
        if (!strncmp(l, "VmSize:", 7))
            kib = atol(l + 7);
    if (f)
        fclose(f);
    return kib;
}

static long growth(int install) {
    long before = vm_kib();
    for (int i = 0; i < 500; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, worker, install ? (void *)1 : NULL) != 0)
            return -1;
        pthread_join(t, NULL);
    }
    return vm_kib() - before;
}

int main(void) {
    /* (first a round of each, for what the C library keeps for later
     * threads: malloc's arenas) */
    growth(0);
    growth(1);
    long control = growth(0), with = growth(1);
    if (with - control < 16 << 10)
        printf("growth within 16 MiB of the control's\n");
    else
        printf("growth %ld KiB, control %ld KiB\n", with, control);
    return 0;
}
