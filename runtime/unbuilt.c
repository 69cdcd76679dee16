/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * unbuilt.c - is "no code built with the whence plugin is loaded" true?
 *
 * A lookup made before any image registered says so once (msg.c), for the
 * user who forgot the plugin.  But an image registers from its own module
 * constructor, and the loader runs other libraries' constructors first
 * whenever the dependency order puts them first: a malloc hook built with
 * the plugin and preloaded into /bin/ls is asked for a stack from inside
 * libselinux's constructor, before its own ran, and the message named a
 * library built with the plugin as not built with it.
 *
 * So before it is said, the loaded objects' files are asked whether one
 * of them holds whence's records (a section named WHENCE_SECT_FN in its
 * section-name table): such an object will register when its own
 * constructor runs, and nothing is said.  A file that cannot be read (no
 * section headers, a sandbox that refuses opens: sandbox.c) counts as
 * holding none.  Outside signal handlers only: dl_iterate_phdr takes the
 * loader's lock (a handler that asks first keeps the message as it was).
 * The answer "yes" is kept: the check runs at most until it is found.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static _Atomic bool wh_pending_seen;

/* Whether a name in the string table at fd's [off, off + size) ends in
 * WHENCE_SECT_FN (a linker may keep one name as the tail of another: only
 * .relawhence_fn, of the same records, ends so), read in pieces that
 * overlap by the name's length. */
WH_RT static bool names_hold_fn(int fd, uint64_t off, uint64_t size) {
    static const char want[] = WHENCE_SECT_FN;
    const size_t wn = sizeof want; /* with its NUL */
    char buf[2048];
    uint64_t at = 0;
    while (at < size) {
        size_t n = size - at < sizeof buf ? (size_t)(size - at) : sizeof buf;
        ssize_t r = pread(fd, buf, n, (off_t)(off + at));
        if (r <= 0)
            return false;
        for (size_t i = 0; i + wn <= (size_t)r; i++)
            if (buf[i] == want[0] && !memcmp(buf + i, want, wn))
                return true;
        if ((size_t)r < wn || at + (uint64_t)r >= size)
            break;
        at += (uint64_t)r - wn + 1;
    }
    return false;
}

/* Whether the ELF file at path has a section named WHENCE_SECT_FN. */
WH_RT static bool file_holds_records(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool yes = false;
    ElfW(Ehdr) eh;
    ElfW(Shdr) strs;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
        eh.e_ident[EI_CLASS] == (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) &&
        eh.e_shentsize == sizeof strs && eh.e_shoff && eh.e_shstrndx != SHN_UNDEF &&
        eh.e_shstrndx < eh.e_shnum &&
        pread(fd, &strs, sizeof strs, (off_t)(eh.e_shoff + (uint64_t)eh.e_shstrndx * sizeof strs)) ==
            (ssize_t)sizeof strs &&
        strs.sh_type == SHT_STRTAB && strs.sh_size <= (1u << 24))
        yes = names_hold_fn(fd, strs.sh_offset, strs.sh_size);
    close(fd);
    return yes;
}

WH_RT static int holds_cb(struct dl_phdr_info *info, size_t size, void *ctx) {
    (void)size;
    bool *first = ctx;
    const char *path = info->dlpi_name;
    bool program = *first; /* the program itself, whose name the loader leaves empty */
    *first = false;
    if (program)
        return file_holds_records("/proc/self/exe") ||
               ((path = (const char *)getauxval(AT_EXECFN)) && *path && file_holds_records(path));
    return path && *path && file_holds_records(path);
}

WH_RT bool wh_unbuilt_pending(void) {
    if (atomic_load_explicit(&wh_pending_seen, memory_order_relaxed))
        return true;
    if (wh_signal_depth > 0 || wh_opens_refused())
        return false;
    bool first = true;
    int c = wh_cancel_off(); /* (the files are read under the loader's lock) */
    int held = dl_iterate_phdr(holds_cb, &first);
    wh_cancel_restore(c);
    if (!held)
        return false;
    atomic_store_explicit(&wh_pending_seen, true, memory_order_relaxed);
    return true;
}
