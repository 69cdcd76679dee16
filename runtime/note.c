/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * note.c - the program's records registered before its constructors ran.
 *
 * The loader runs the libraries' initializers before the program's
 * constructors, and an initializer may call into the program: a replaced
 * operator new or malloc, a callback (yaml-cpp's and libbenchmark's do).
 * The program's frames were then nobody's: skipped, and whence_caller(0)
 * named the library's initializer below them as the caller, at its line,
 * as if exact.  So the first lookup that finds no image for a pc, and
 * libwhence's own constructor, call the program's module constructor
 * themselves, found by its note (whence_abi.h) through its program
 * headers, which the kernel mapped before anything ran: it registers the
 * program as it does when the loader calls it, and the loader's call is
 * then the same image again (idempotent).  Only while the program has not
 * registered: in an initializer (the loader's lock held, as for any
 * constructor) or in libwhence's own constructor.
 *
 * Not from a static program's start before its constructors (an ifunc
 * resolver: no TLS yet), not from whence's own walks (a profiler's
 * sample, a crash report), and not inside a registration of this
 * thread's (a signal handler that interrupted one): the next lookup tries
 * again.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>

/* 0: not tried, 1: being tried or done (internal.h) */
_Atomic int wh_noted;

/* The constructor a whence note in [p, end) names, read with fields
 * padded to align bytes (glibc's reading of a note segment); NULL if none. */
WH_RT static void (*ctor_in(const unsigned char *p, const unsigned char *end, size_t align))(void) {
    static const char name[] = WHENCE_NOTE_NAME;
    while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
        ElfW(Nhdr) h;
        memcpy(&h, p, sizeof h);
        size_t at = (sizeof h + h.n_namesz + align - 1) & ~(align - 1);
        if (at > (size_t)(end - p) || h.n_descsz > (size_t)(end - p) - at)
            return NULL;
        const unsigned char *d = p + at;
        if (h.n_type == WHENCE_NOTE_TYPE && h.n_namesz == sizeof name &&
            !memcmp(p + sizeof h, name, sizeof name) && h.n_descsz >= 8) {
            uint32_t v;
            int32_t off;
            memcpy(&v, d, 4);
            memcpy(&off, d + 4, 4);
            /* (another version's constructor is not called: its
             * registration, when the loader calls it, says why) */
            return v == WHENCE_ABI_VERSION
                       ? (void (*)(void))((uintptr_t)(d + 4) + (uintptr_t)(intptr_t)off)
                       : NULL;
        }
        size_t next = (at + h.n_descsz + align - 1) & ~(align - 1);
        if (next >= (size_t)(end - p))
            return NULL;
        p += next;
    }
    return NULL;
}

/* The program's module constructor, named by its note: NULL if none. */
WH_RT static void (*program_ctor(void))(void) {
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    size_t n = getauxval(AT_PHNUM);
    if (!ph)
        return NULL;
    uintptr_t bias = 0; /* (no PT_PHDR: a static program, not relocated) */
    for (size_t i = 0; i < n; i++)
        if (ph[i].p_type == PT_PHDR)
            bias = (uintptr_t)ph - ph[i].p_vaddr;
    for (size_t i = 0; i < n; i++) {
        if (ph[i].p_type != PT_NOTE)
            continue;
        const unsigned char *p = (const unsigned char *)(bias + ph[i].p_vaddr);
        /* Notes are padded to 4 bytes, or to 8 in a segment of 8-byte
         * aligned ones; but mold makes one segment of both (p_align 8):
         * it is read both ways. */
        void (*f)(void) = ctor_in(p, p + ph[i].p_memsz, 4);
        if (!f && ph[i].p_align == 8)
            f = ctor_in(p, p + ph[i].p_memsz, 8);
        if (f)
            return f;
    }
    return NULL;
}

WH_RT void wh_register_program_note_slow(void) {
#ifdef WH_STATIC_ARCHIVE
    /* A static program's start (ifunc resolvers) runs before its TLS
     * exists, which a registration's system calls need (errno): only once
     * the constructors run there.  A dynamic program's TLS is set up before
     * any of its code runs (libwhence.so is in dynamic ones only; a dynamic
     * one run as `ld.so PROG` has no AT_BASE, and waits as a static one). */
    if (!atomic_load_explicit(&wh_started, memory_order_relaxed) && !getauxval(AT_BASE))
        return;
#endif
    /* Not from a walk of whence's own (a profiler's sample, a crash
     * report: a signal handler, where a registration's locks and its
     * peers' are not to be taken), nor inside a registration of this
     * thread's. */
    if (wh_own_walk || wh_registering_here())
        return;
    if (atomic_exchange_explicit(&wh_noted, 1, memory_order_acq_rel) || wh_program_registered())
        return;
    void (*ctor)(void) = program_ctor();
    if (ctor)
        ctor();
}
