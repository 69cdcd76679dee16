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
#include "dlfo.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>

/* 0: not tried, 1: being tried or done (internal.h) */
_Atomic int wh_noted;
_Atomic uint8_t wh_note_moved;
/* The program's executable segments' span, when its note moved. */
static uintptr_t wh_note_lo, wh_note_hi;

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

#ifdef WH_STATIC_ARCHIVE
/* A static program's constructors (the linker's bounds; hidden: in a
 * shared object linked with libwhence.a they are that object's, which has
 * a PT_DYNAMIC and does not use them). */
extern void (*const __init_array_start[])(void) __attribute__((weak, visibility("hidden")));
extern void (*const __init_array_end[])(void) __attribute__((weak, visibility("hidden")));
#endif

/* Whether f is one of the program's constructors: the loader calls each,
 * so calling one early runs nothing it would not run.  The note names the
 * constructor by its offset from the note, which holds only where the
 * linker put the note: a tool that moves notes into a new segment
 * (patchelf --set-rpath, --add-needed, --set-interpreter: Nix, conda,
 * auditwheel) leaves the offset pointing elsewhere, and calling it crashed
 * every such program before main.  The constructor array is the loader's
 * own (PT_DYNAMIC), which such a tool keeps right, and it is relocated
 * before any initializer runs. */
WH_RT static bool program_calls(const ElfW(Phdr) *ph, size_t n, uintptr_t bias, void (*f)(void)) {
    for (size_t i = 0; i < n; i++) {
        if (ph[i].p_type != PT_DYNAMIC)
            continue;
        uintptr_t arr = 0;
        size_t size = 0;
        for (const ElfW(Dyn) *d = (const ElfW(Dyn) *)(bias + ph[i].p_vaddr);
             (const char *)(d + 1) <= (const char *)(bias + ph[i].p_vaddr + ph[i].p_memsz) &&
             d->d_tag != DT_NULL;
             d++) {
            if (d->d_tag == DT_INIT_ARRAY)
                arr = bias + d->d_un.d_ptr;
            else if (d->d_tag == DT_INIT_ARRAYSZ)
                size = d->d_un.d_val;
        }
        void (*const *a)(void) = (void (*const *)(void))arr;
        for (size_t k = 0; arr && k < size / sizeof *a; k++)
            if (a[k] == f)
                return true;
        return false;
    }
#ifdef WH_STATIC_ARCHIVE
    for (void (*const *a)(void) = __init_array_start; a && a < __init_array_end; a++)
        if (*a == f)
            return true;
#endif
    return false;
}

/* The program's load bias, from its program headers ph[n] (at AT_PHDR):
 * by PT_PHDR; without one, the loader's (a static program: GNU ld's
 * -static-pie output has none and is relocated, where the note read at its
 * link-time address crashed every such program that loaded libwhence;
 * -static's is not relocated: 0). */
WH_RT uintptr_t wh_program_bias(const void *phdrs, size_t n) {
    const ElfW(Phdr) *ph = phdrs;
    for (size_t i = 0; i < n; i++)
        if (ph[i].p_type == PT_PHDR)
            return (uintptr_t)ph - ph[i].p_vaddr;
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    uintptr_t entry = getauxval(AT_ENTRY);
    if (entry && _dl_find_object && _dl_find_object((void *)entry, &fo) == 0 &&
        fo.dlfo_link_map)
        return fo.dlfo_link_map->l_addr;
#endif
    return 0;
}

/* The program's module constructor, named by its note: NULL if none, or
 * if the note no longer names one of the program's constructors (then
 * wh_note_moved: the program's frames are nobody's until its constructors
 * run, said by the first lookup that misses meanwhile). */
WH_RT static void (*program_ctor(void))(void) {
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    size_t n = getauxval(AT_PHNUM);
    if (!ph)
        return NULL;
    uintptr_t bias = wh_program_bias(ph, n);
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
        if (!f)
            continue;
        if (program_calls(ph, n, bias, f))
            return f;
        /* (the program's code, where a miss may be its frame) */
        for (size_t k = 0; k < n; k++)
            if (ph[k].p_type == PT_LOAD && (ph[k].p_flags & PF_X)) {
                uintptr_t lo = bias + ph[k].p_vaddr, hi = lo + ph[k].p_memsz;
                if (!wh_note_lo || lo < wh_note_lo)
                    wh_note_lo = lo;
                if (hi > wh_note_hi)
                    wh_note_hi = hi;
            }
        atomic_store_explicit(&wh_note_moved, 1, memory_order_release);
        return NULL;
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

/* A lookup found no image for pc, in the program's code, while the
 * program, whose note was moved, has not registered: pc may be the
 * program's frame, not foreign code's.  Said once, and only then: a moved
 * note costs nothing to a process whose first lookups come after the
 * program's constructors, or are of other code (a library initializer's
 * walk through the loader's frames), and patchelf'd programs are common
 * (Nix, conda, auditwheel). */
WH_RT void wh_note_moved_miss(uintptr_t pc) {
    if (pc - wh_note_lo >= wh_note_hi - wh_note_lo || wh_own_walk || wh_program_registered() ||
        !wh_once(WH_ONCE_NOTE_MOVED))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: the program's note was moved after linking (patchelf?) and no "
                   "longer names its registration: until its constructors run, the "
                   "program's frames are given as foreign code's\n");
    wh_buf_flush(&w);
}
