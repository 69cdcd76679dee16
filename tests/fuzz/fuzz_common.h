/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fuzz_common.h - what the libFuzzer targets over libwhence's records
 * (fuzz_records.c) and its post-link table (fuzz_table.c) share: failing
 * a check, the string check, and resetting the registry between inputs.
 * Included once per target, after internal.h; FUZZ_NAME names the target
 * in its messages.
 */
#ifndef WHENCE_FUZZ_COMMON_H
#define WHENCE_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, uintptr_t pc) {
    fprintf(stderr, FUZZ_NAME ": %s (pc %#lx)\n", what, (unsigned long)pc);
    abort();
}

static size_t up8(size_t n) { return (n + 7) & ~(size_t)7; }

/* A string the runtime returned: the "?" / "" constants, or NUL-terminated
 * inside [lo, hi) (whence_mod: names and files live in its string pools). */
static void check_str(const char *s, uintptr_t lo, uintptr_t hi, const char *what) {
    if (!s)
        fail(what, 0);
    uintptr_t p = (uintptr_t)s;
    if (p >= lo && p < hi) {
        if (!memchr(s, 0, hi - p))
            fail("string runs past the section", p);
        return;
    }
    if (strcmp(s, "?") != 0 && strcmp(s, "") != 0)
        fail("string outside the records", p);
}

/* Every slot dead and empty, their buckets and module arrays unmapped: the
 * next registrations reuse them.  (The runtime never frees an index, as a
 * reader may hold it, and keeps at most 1024 distinct images, which a
 * fuzzer would exhaust.) */
static void reset_registry(void) {
    uint32_t n = atomic_load(&wh_nslots);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *sl = wh_slot_at(i);
        const struct wh_accel *ax = atomic_load(&sl->ax);
        if (ax)
            wh_unmap((void *)ax, ax->map_size);
        wh_tmods_free(atomic_load(&sl->tmods));
        memset(sl, 0, sizeof *sl);
    }
    wh_forget_all();
}

#endif
