/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * build_vs_unload.c - a lookup that builds an image's index races with that
 * image's unregister + unmap (what dlclose does: the module destructor calls
 * __whence_unregister, then the loader unmaps the records).
 * Thread B: whence_func_for_pc(pc in no image), which builds the index of
 *           every live slot it meets (wh_find_slow -> wh_slot_index).
 * Main:     registers a large synthetic image, waits until B is building
 *           (a short sleep), unregisters it and munmaps its records.
 *   clang-19 -O1 -pthread -I runtime/include tests/stress/repro_build_vs_unload.c \
 *       -Lbuild/lib -Wl,-rpath,build/lib -lwhence -o /tmp/bvu && /tmp/bvu
 * Expected: B never touches the unmapped records.  Observed: SIGSEGV in
 * wh_index_build (or wh_parse_mods) reading the unmapped sections.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <whence.h>
#include <whence_abi.h>

/* ABI 2 adds the whence_line section to the hook (two more bounds). */
#ifdef WHENCE_SECT_LINE
#define REG_LINE_ARGS , NULL, NULL
void __whence_register(uint32_t, const void *, const void *, const void *, const void *,
                       const void *, const void *, const void *, const void *);
#else
#define REG_LINE_ARGS
void __whence_register(uint32_t, const void *, const void *, const void *, const void *,
                       const void *, const void *);
#endif
void __whence_unregister(const void *);

#define NFN (2u << 20)
static atomic_int go, stop;

static void *looker(void *a) {
    (void)a;
    while (!atomic_load(&go)) {}
    while (!atomic_load(&stop))
        whence_func_for_pc(0x1000);
    return NULL;
}

int main(void) {
    size_t text = (size_t)NFN * 16, fnsz = (size_t)NFN * WHENCE_FN_RECORD_SIZE, modsz = 4096;
    size_t total = text + fnsz + modsz;
    unsigned char *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *fn = m + text, *mod = fn + fnsz;
    static const char strs[] = "\0m.c\0f\0";
    struct whence_mod_header h = {0};
    h.magic = WHENCE_MOD_MAGIC; h.version = WHENCE_ABI_VERSION; h.header_size = sizeof h;
    h.key = 7; h.subprog_count = 1; h.subprog_off = sizeof h;
    h.str_off = h.subprog_off + sizeof(struct whence_subprog); h.str_size = sizeof strs;
    h.loc_off = h.str_off; h.module_name = 1;
    h.total_size = (uint32_t)((h.str_off + h.str_size + 7) & ~7u);
    struct whence_subprog sp = {5, 1}; /* "f", line 1, no file */
    memcpy(mod, &h, sizeof h);
    memcpy(mod + h.subprog_off, &sp, sizeof sp);
    memcpy(mod + h.str_off, strs, sizeof strs);
    for (uint32_t i = 0; i < NFN; i++) {
        unsigned char *r = fn + (size_t)i * WHENCE_FN_RECORD_SIZE;
        /* reverse order, so the builder has to sort */
        int32_t rel = (int32_t)((m + (size_t)(NFN - 1 - i) * 16) - r);
        uint32_t size = 16;
        uint64_t keysub = (uint64_t)7 << WHENCE_FN_SUB_BITS; /* key 7, subprog 0 */
        memcpy(r + WHENCE_FN_OFF_ENTRY, &rel, 4); memcpy(r + WHENCE_FN_OFF_SIZE, &size, 4);
        memcpy(r + WHENCE_FN_OFF_KEYSUB, &keysub, 8);
    }
    pthread_t t;
    pthread_create(&t, NULL, looker, NULL);
    __whence_register(WHENCE_ABI_VERSION, fn, fn + fnsz, NULL, NULL, mod, mod + h.total_size REG_LINE_ARGS);
    atomic_store(&go, 1);
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);             /* B is now building the index */
    __whence_unregister(mod);          /* "module destructor" */
    munmap(m, total);                  /* "dlclose unmaps" */
    nanosleep(&ts, NULL);
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    puts("survived");
    return 0;
}
