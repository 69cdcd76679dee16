/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * debugfile.c - where an image's separate debug file may be, as gdb looks
 * for it, and the .gnu_debuglink record (name and CRC32) that tells a
 * debuglink file is the one the image was split from.
 *
 * Distributions (Debian's -dbgsym, Fedora's -debuginfo) and builds that
 * strip after linking (RelWithDebInfo, then `objcopy --only-keep-debug`
 * and `strip -g`) ship .debug_line and .symtab in another file.  gdb finds
 * it by the image's build id (<dir>/.build-id/xx/yyyy.debug, for each
 * debug-file-directory) and then by the name and CRC32 in the image's
 * .gnu_debuglink (<objdir>/<name>, <objdir>/.debug/<name>,
 * <dir>/<objdir>/<name>).  whence looks in the same places in the same
 * order, so that a machine set up for gdb gives the crash report the same
 * lines.  This file only builds the candidate paths and reads the
 * debuglink: no system call, no allocation (image.c opens and checks the
 * candidates).  The directory list comes from WHENCE_DEBUG_FILE_DIRECTORY
 * (gdb's "debug-file-directory": a colon-separated list; unset:
 * /usr/lib/debug; empty: none), copied once when the library is loaded,
 * because getenv is no business of a signal handler; ignored in a
 * set-user-ID program (secure_getenv), where a user's directory would
 * have it open, as root, files the user cannot read.
 */
#define _GNU_SOURCE
#include "lines.h"

#include <elf.h>
#include <link.h>
#include <stdlib.h>

/* The list as read at load time, NUL-terminated. */
static char wh_dbg_dirs[4096] = "/usr/lib/debug";

__attribute__((constructor)) WH_RT static void read_debug_dirs_env(void) {
    const char *s = secure_getenv("WHENCE_DEBUG_FILE_DIRECTORY");
    if (s)
        wh_dbg_set_dirs(s);
}

WH_RT void wh_dbg_set_dirs(const char *s) {
    size_t n = 0;
    while (s[n] && n + 1 < sizeof wh_dbg_dirs)
        n++;
    if (s[n]) /* longer than the buffer: a cut path would be another path */
        n = 0;
    memcpy(wh_dbg_dirs, s, n);
    wh_dbg_dirs[n] = 0;
}

/* Directory i of the list (empty entries skipped; at most WH_DBG_MAX_DIRS
 * are used); false past the end. */
WH_RT static bool dir_at(uint32_t i, const char **p, size_t *n) {
    const char *s = wh_dbg_dirs;
    uint32_t k = 0;
    while (*s && k < WH_DBG_MAX_DIRS) {
        size_t len = 0;
        while (s[len] && s[len] != ':')
            len++;
        if (len) {
            if (k == i) {
                *p = s;
                *n = len;
                return true;
            }
            k++;
        }
        s += len + (s[len] == ':');
    }
    return false;
}

WH_RT static uint32_t ndirs(void) {
    uint32_t k = 0;
    const char *p;
    size_t n;
    while (dir_at(k, &p, &n))
        k++;
    return k;
}

/* Appends [s, s + n) to buf at *at; false when it would not fit with a NUL. */
WH_RT static bool put(char *buf, size_t len, size_t *at, const char *s, size_t n) {
    if (n >= len - *at)
        return false;
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = 0;
    return true;
}

WH_RT int wh_dbg_candidate(const struct wh_dbg_key *k, uint32_t i, char *buf, size_t len) {
    static const char hex[] = "0123456789abcdef";
    uint32_t nd = ndirs();
    const char *d;
    size_t dn, at = 0;
    if (!len)
        return WH_DBG_END;
    buf[0] = 0;
    if (i < nd) { /* <dir>/.build-id/xx/yyyy.debug */
        if (k->bid_len < 2 || !dir_at(i, &d, &dn) || !put(buf, len, &at, d, dn) ||
            !put(buf, len, &at, "/.build-id/", 11))
            return WH_DBG_SKIP;
        for (uint32_t b = 0; b < k->bid_len; b++) {
            char x[3] = {hex[k->bid[b] >> 4], hex[k->bid[b] & 15], '/'};
            if (!put(buf, len, &at, x, b == 0 ? 3 : 2))
                return WH_DBG_SKIP;
        }
        return put(buf, len, &at, ".debug", 6) ? WH_DBG_BY_ID : WH_DBG_SKIP;
    }
    i -= nd;
    if (i >= 2 + nd)
        return WH_DBG_END;
    if (!k->link_len || !k->objdir_len)
        return WH_DBG_SKIP;
    if (i >= 2) { /* <dir>/<objdir>/<name>: objdir must be absolute */
        if (k->objdir[0] != '/' || !dir_at(i - 2, &d, &dn) || !put(buf, len, &at, d, dn))
            return WH_DBG_SKIP;
    }
    if (!put(buf, len, &at, k->objdir, k->objdir_len) ||
        (i == 1 && !put(buf, len, &at, "/.debug", 7)) || !put(buf, len, &at, "/", 1) ||
        !put(buf, len, &at, k->link, k->link_len))
        return WH_DBG_SKIP;
    return WH_DBG_BY_LINK;
}

WH_RT bool wh_debuglink(const uint8_t *base, size_t size, const char **name, size_t *len,
                        uint32_t *crc) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
    if (size < sizeof *eh || eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff > size ||
        (size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
        return false;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(base + eh->e_shoff);
    const ElfW(Shdr) *strs = &sh[eh->e_shstrndx];
    if (strs->sh_offset > size || strs->sh_size > size - strs->sh_offset || !strs->sh_size ||
        base[strs->sh_offset + strs->sh_size - 1] != 0)
        return false;
    const char *names = (const char *)base + strs->sh_offset;
    for (uint32_t i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_name >= strs->sh_size || sh[i].sh_type == SHT_NOBITS ||
            strcmp(names + sh[i].sh_name, ".gnu_debuglink") != 0 || sh[i].sh_offset > size ||
            sh[i].sh_size > size - sh[i].sh_offset)
            continue;
        /* The name, NUL, padding to 4, the CRC32 of the debug file in the
         * target's byte order (little-endian on both targets). */
        const char *p = (const char *)base + sh[i].sh_offset;
        size_t n = 0, sz = sh[i].sh_size;
        while (n < sz && p[n])
            n++;
        size_t c = (n + 4) & ~(size_t)3;
        if (!n || n == sz || c > sz || sz - c < 4 || memchr(p, '/', n))
            return false; /* a name with a '/' would leave the directories looked in */
        memcpy(crc, p + c, 4);
        *name = p;
        *len = n;
        return true;
    }
    return false;
}
