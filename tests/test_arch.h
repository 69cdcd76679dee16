/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_arch.h - the machine code the unit tests put into synthetic images:
 * a call instruction ending a function (so that its end can be a return
 * address, after a noreturn call), for the architecture the tests run on;
 * and what the tests expect differently under an emulator (qemu-user) or
 * a sanitizer (T_SANITIZED).
 */
#ifndef WHENCE_TEST_ARCH_H
#define WHENCE_TEST_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
/* call rel32 */
static inline bool t_call_fits(size_t end, size_t size) {
    (void)end;
    return size >= 5;
}
/* call rel32 to the end itself: a direct call's target must be code (the
 * runtime asks, for a plain pc just past a function: image.c) */
static inline void t_put_call_end(unsigned char *text, size_t end) {
    text[end - 5] = 0xe8;
    memset(text + end - 4, 0, 4);
}
static inline bool t_has_call_end(const unsigned char *text, size_t end) {
    return text[end - 5] == 0xe8;
}
#else
/* bl (instructions are 4-byte aligned) */
static inline bool t_call_fits(size_t end, size_t size) { return size >= 4 && end % 4 == 0; }
static inline void t_put_call_end(unsigned char *text, size_t end) {
    const uint32_t bl = 0x94000000u;
    memcpy(text + end - 4, &bl, 4);
}
static inline bool t_has_call_end(const unsigned char *text, size_t end) {
    uint32_t w;
    memcpy(&w, text + end - 4, 4);
    return (w & 0xfc000000u) == 0x94000000u;
}
#endif

/* Tests that measure the machine (clock resolution) say nothing under an
 * emulator: the cross build's ctest sets this. */
static inline bool t_emulated(void) {
    const char *e = getenv("WHENCE_TEST_EMULATED");
    return e && *e == '1';
}

/* A thread's name as the kernel has it (what whence prints): under
 * qemu-user a program's threads are named after qemu unless renamed. */
static inline void t_thread_name(int tid, char *buf, size_t n) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(buf, (int)n, f))
            buf[0] = 0;
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = 0;
}

/* Built with a sanitizer (its runtime in the process, its instrumentation
 * in the tests' own code). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define T_SANITIZED 1
#endif
#endif

#endif /* WHENCE_TEST_ARCH_H */
