/*
 * repro_negative_line.c - finding of fuzz_records (docs/PROOF.md): a
 * whence_subprog or whence_loc line >= 2^31 passes the parser's checks and
 * comes back from whence_func_line / whence_frames as a negative int
 * (whence.h: "1-based; 0 when unknown").  Same for columns.
 *
 *   clang-19 -I runtime/include tests/fuzz/repro_negative_line.c \
 *       -Lbuild/lib -Wl,-rpath,build/lib -lwhence -o /tmp/neg && /tmp/neg
 * prints "line=-2147483648" (expected: 0, or the module rejected).
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
    struct whence_mod_header h = {0};
    h.magic = WHENCE_MOD_MAGIC;
    h.version = WHENCE_ABI_VERSION;
    h.header_size = sizeof h;
    h.key = 42;
    h.subprog_count = 1;
    h.subprog_off = sizeof h;
    h.str_off = h.subprog_off + sizeof(struct whence_subprog);
    h.str_size = sizeof strs;
    h.loc_off = h.str_off;
    h.module_name = 1;
    h.total_size = (uint32_t)((h.str_off + h.str_size + 7) & ~7u);
    struct whence_subprog sp = {5, 1, 0x80000000u};
    memcpy(mod, &h, sizeof h);
    memcpy(mod + h.subprog_off, &sp, sizeof sp);
    memcpy(mod + h.str_off, strs, sizeof strs);
    int32_t rel = (int32_t)(text + 16 - fn);
    uint32_t size = 64, sub = 0;
    uint64_t key = 42;
    memcpy(fn, &rel, 4);
    memcpy(fn + 4, &size, 4);
    memcpy(fn + 8, &key, 8);
    memcpy(fn + 16, &sub, 4);
    __whence_register(WHENCE_ABI_VERSION, fn, fn + 20, NULL, NULL, mod, mod + h.total_size REG_LINE_ARGS);
    const whence_func *f = whence_func_for_pc((uintptr_t)(text + 20));
    const char *file;
    int line = whence_func_line(f, (uintptr_t)(text + 20), &file);
    printf("func=%s file=%s line=%d\n", whence_func_name(f), file, line);
    return line < 0;
}
