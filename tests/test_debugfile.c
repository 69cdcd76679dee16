/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_debugfile.c - where a separate debug file is looked for
 * (runtime/lines/debugfile.c): gdb's order of candidates for every
 * combination of build id, debuglink and directory list, the list's
 * limits, paths too long for the buffer; the .gnu_debuglink reader on a
 * hand-built ELF file, whole and at every truncation; the CRC32.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <elf.h>
#include <link.h>

#include "lines/lines.h"

static const uint8_t bid[] = {0x12, 0x34, 0x56};

/* All candidates as one string, "|"-separated, "-" for a skipped one. */
static void all(const struct wh_dbg_key *k, char *out, size_t len, size_t buf) {
    char path[256];
    out[0] = 0;
    for (uint32_t i = 0; i < 100; i++) {
        int how = wh_dbg_candidate(k, i, path, buf);
        if (how == WH_DBG_END)
            return;
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", n ? "|" : "", how == WH_DBG_SKIP ? "-" : path);
    }
    fail_msg("no end");
}

static void test_order(void **state) {
    (void)state;
    char s[1024];
    struct wh_dbg_key k = {bid, 3, "/obj/dir", 8, "x.debug", 7};
    wh_dbg_set_dirs("/a:/b");
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "/a/.build-id/12/3456.debug|/b/.build-id/12/3456.debug|"
                           "/obj/dir/x.debug|/obj/dir/.debug/x.debug|"
                           "/a/obj/dir/x.debug|/b/obj/dir/x.debug");
    /* No build id; no debuglink; a relative directory (not under the
     * debug directories). */
    k.bid_len = 0;
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "-|-|/obj/dir/x.debug|/obj/dir/.debug/x.debug|/a/obj/dir/x.debug|"
                           "/b/obj/dir/x.debug");
    k.bid_len = 3;
    k.link_len = 0;
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "/a/.build-id/12/3456.debug|/b/.build-id/12/3456.debug|-|-|-|-");
    k = (struct wh_dbg_key){NULL, 0, ".", 1, "x.debug", 7};
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "-|-|./x.debug|./.debug/x.debug|-|-");
    /* A one-byte build id names no file. */
    k = (struct wh_dbg_key){bid, 1, NULL, 0, NULL, 0};
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "-|-|-|-|-|-");
    wh_dbg_set_dirs("/usr/lib/debug");
}

static void test_dirs(void **state) {
    (void)state;
    char s[2048];
    struct wh_dbg_key k = {bid, 3, NULL, 0, NULL, 0};
    wh_dbg_set_dirs("");
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "-|-");
    wh_dbg_set_dirs("::/a::/b:");
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "/a/.build-id/12/3456.debug|/b/.build-id/12/3456.debug|-|-|-|-");
    /* At most WH_DBG_MAX_DIRS directories. */
    wh_dbg_set_dirs("/1:/2:/3:/4:/5:/6:/7:/8:/9:/10");
    all(&k, s, sizeof s, 256);
    assert_non_null(strstr(s, "/8/.build-id"));
    assert_null(strstr(s, "/9/"));
    /* Too long for the buffer: skipped, never cut. */
    wh_dbg_set_dirs("/a-long-directory:/b");
    all(&k, s, sizeof s, 28);
    assert_string_equal(s, "-|/b/.build-id/12/3456.debug|-|-|-|-");
    /* A list longer than the copy is no list (a cut path is another). */
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[0] = '/';
    big[sizeof big - 1] = 0;
    wh_dbg_set_dirs(big);
    all(&k, s, sizeof s, 256);
    assert_string_equal(s, "-|-");
    wh_dbg_set_dirs("/usr/lib/debug");
}

/* An ELF file of a header, a .gnu_debuglink and .shstrtab. */
struct elf {
    ElfW(Ehdr) eh;
    char link[16];
    char strs[32];
    ElfW(Shdr) sh[3];
};

static void make(struct elf *e, const char *name, uint32_t crc) {
    memset(e, 0, sizeof *e);
    memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
    e->eh.e_ident[EI_CLASS] = ELFCLASS64;
    e->eh.e_shentsize = sizeof(ElfW(Shdr));
    e->eh.e_shnum = 3;
    e->eh.e_shstrndx = 2;
    e->eh.e_shoff = offsetof(struct elf, sh);
    strcpy(e->link, name);
    memcpy(e->link + 12, &crc, 4);
    memcpy(e->strs, "\0.gnu_debuglink\0.shstrtab", 26);
    e->sh[1] = (ElfW(Shdr)){.sh_name = 1, .sh_type = SHT_PROGBITS,
                            .sh_offset = offsetof(struct elf, link), .sh_size = 16};
    e->sh[2] = (ElfW(Shdr)){.sh_name = 16, .sh_type = SHT_STRTAB,
                            .sh_offset = offsetof(struct elf, strs), .sh_size = 26};
}

static void test_debuglink(void **state) {
    (void)state;
    struct elf e;
    const char *name;
    size_t len;
    uint32_t crc;
    make(&e, "prog.debug", 0xdeadbeef);
    assert_true(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
    assert_int_equal(len, 10);
    assert_memory_equal(name, "prog.debug", 10);
    assert_int_equal(crc, 0xdeadbeef);
    /* Every truncation: false or the same answer, nothing read past it
     * (the section headers are last: any cut loses them). */
    for (size_t n = 0; n < sizeof e; n++)
        assert_false(wh_debuglink((const uint8_t *)&e, n, &name, &len, &crc));
    /* A name that leaves the directory, an empty one, one without room
     * for the CRC. */
    make(&e, "../x/y", 1);
    assert_false(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
    make(&e, "", 1);
    assert_false(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
    make(&e, "prog.debug", 1);
    e.sh[1].sh_size = 13;
    assert_false(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
    /* Offsets outside the file. */
    make(&e, "prog.debug", 1);
    e.sh[1].sh_offset = sizeof e;
    assert_false(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
    make(&e, "prog.debug", 1);
    e.sh[1].sh_name = 100;
    assert_false(wh_debuglink((const uint8_t *)&e, sizeof e, &name, &len, &crc));
}

static void test_crc(void **state) {
    (void)state;
    /* The check value of CRC-32/ISO-HDLC, which gdb's debuglink uses. */
    assert_int_equal(wh_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
    assert_int_equal(wh_crc32(wh_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5),
                     0xcbf43926u);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_dirs),
        cmocka_unit_test(test_debuglink),
        cmocka_unit_test(test_crc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
