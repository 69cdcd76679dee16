/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * repro_negative_line.c - finding of fuzz_records (docs/PROOF.md): a
 * whence_loc line >= 2^31 passed the parser's checks and came back from
 * whence_func_line / whence_frames as a negative int (whence.h: "1-based;
 * 0 when unknown").  (ABI v1/v2 subprogs had the same problem; since v3
 * their line field is 20 bits wide.)  Since the fix the module is ignored
 * with one message and the answer is "?".
 *
 *   clang-19 -I runtime/include tests/fuzz/repro_negative_line.c \
 *       -Lbuild/lib -Wl,-rpath,build/lib -lwhence -o /tmp/neg && /tmp/neg
 * printed "line=-2147483648" before the fix.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

static _Alignas(8) unsigned char img[4096];

int main(void) {
    unsigned char *text = img, *fn = img + 256, *mod = img + 512;
    static const char strs[] = "\0m.c\0f\0"; /* "", "m.c" at 1, "f" at 5 */
    unsigned char *site = img + 384;
    struct whence_mod_header h = {0};
    h.magic = WHENCE_MOD_MAGIC;
    h.version = WHENCE_ABI_VERSION;
    h.header_size = sizeof h;
    h.key = 42;
    h.subprog_count = 1;
    h.subprog_off = sizeof h;
    h.loc_count = 1;
    h.loc_off = h.subprog_off + sizeof(struct whence_subprog);
    h.str_off = h.loc_off + sizeof(struct whence_loc);
    h.str_size = sizeof strs;
    h.module_name = 1;
    h.total_size = (uint32_t)((h.str_off + h.str_size + 7) & ~7u);
    struct whence_subprog sp = {5, 1};             /* "f" at line 1 */
    struct whence_loc lc = {0, 0x80000000u, 0};     /* in f, line 2^31 */
    memcpy(mod, &h, sizeof h);
    memcpy(mod + h.subprog_off, &sp, sizeof sp);
    memcpy(mod + h.loc_off, &lc, sizeof lc);
    memcpy(mod + h.str_off, strs, sizeof strs);
    int32_t rel = (int32_t)(text + 16 - fn);
    uint32_t size = 64;
    uint64_t keysub = (uint64_t)42 << WHENCE_FN_SUB_BITS; /* key 42, subprog 0 */
    memcpy(fn + WHENCE_FN_OFF_ENTRY, &rel, 4);
    memcpy(fn + WHENCE_FN_OFF_SIZE, &size, 4);
    memcpy(fn + WHENCE_FN_OFF_KEYSUB, &keysub, 8);
    struct whence_site_record sr = {(int32_t)(text + 18 - site), 0}; /* a call at +2, loc 0 */
    memcpy(site, &sr, sizeof sr);
    __whence_register(WHENCE_ABI_VERSION, fn, fn + WHENCE_FN_RECORD_SIZE, site, site + sizeof sr, mod,
                      mod + h.total_size REG_LINE_ARGS);
    const whence_func *f = whence_func_for_pc((uintptr_t)(text + 20));
    const char *file;
    int line = whence_func_line(f, (uintptr_t)(text + 20), &file);
    printf("func=%s file=%s line=%d\n", whence_func_name(f), file, line);
    return line < 0;
}
