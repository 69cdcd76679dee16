/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * plt.c - function pointers that are stubs: PLT entries and the jump
 * tables of -fsanitize=cfi.
 *
 * In a non-PIE program built from non-PIC code, the address of a shared
 * library's function is the program's PLT stub for it (its canonical
 * address: the library's own &f gives the same value).  api.md counts that
 * as "a function pointer to an instrumented function", so when a plain pc
 * names no function, whence_func_for_pc decodes a stub there (arch/):
 *
 *   [endbr64] [bnd] jmp *disp32(%rip)       (x86-64 .plt.sec / .plt.got / .plt)
 *   [endbr64] mov $i, %r11d; jmp *disp32(%rip)   (mold's x86-64 .plt)
 *   [bti c] adrp x16; ldr x17, [x16, #o]; add x16, x16, #o; [autia1716]; br x17
 *                                           (AArch64 .plt)
 *
 * and follows the GOT slot it jumps through to the target.  A slot that the
 * dynamic linker has not bound yet (lazy binding, before the first call)
 * still points back into the PLT: then the pointer stays unnamed.
 *
 * Under -fsanitize=cfi (and -fsanitize=cfi-icall) the address of a function
 * is its entry in a jump table, `[endbr64] jmp rel32` padded with int3
 * (AArch64: `[bti c] b f`): such an entry names the function it jumps to,
 * when that is an instrumented function's entry.
 *
 * The pc may be anything, so nothing is read directly: bytes are copied
 * through a pipe (write(2) reports EFAULT for an unreadable address instead
 * of faulting), which is async-signal-safe.  One copy at a time (a try-lock:
 * a pointer that arrives while another thread is decoding stays unnamed for
 * that call).
 */
#define _GNU_SOURCE
#include "lookup.h"
#include "dlfo.h" /* (without _dl_find_object, an AArch64 slot is not known) */
#include "unwind/cfi.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The pipe, and what it is: its inode (both ends share it) and the
 * process that made it.  Read and changed only by the holder of
 * wh_probe_busy. */
static int wh_probe[2] = {-1, -1};
static dev_t wh_probe_dev;
static ino_t wh_probe_ino;
static pid_t wh_probe_pid;
static atomic_flag wh_probe_busy = ATOMIC_FLAG_INIT;

/* The descriptors are still whence's pipe: a program that closes every
 * descriptor above 2 (a daemon, closefrom, close_range) and opens files
 * gets the same numbers, and the bytes were written into one of its files
 * and read out of another (helper-104). */
WH_RT static bool probe_intact(void) {
    struct stat a, b;
    return wh_probe[0] >= 0 && fstat(wh_probe[0], &a) == 0 && fstat(wh_probe[1], &b) == 0 &&
           S_ISFIFO(a.st_mode) && a.st_dev == wh_probe_dev && a.st_ino == wh_probe_ino &&
           b.st_dev == wh_probe_dev && b.st_ino == wh_probe_ino;
}

/* The pipe to copy through, made anew where the one made is gone (its
 * numbers are left alone: they are the program's now) or is a parent's
 * (after fork both processes would write and read one pipe: each could
 * read the other's bytes). */
WH_RT static bool probe_ready(bool strict) {
    pid_t me = getpid();
    /* (strict: fstat may be what the filter kills for; the pipe as made) */
    if (strict && wh_probe[0] >= 0 && wh_probe_pid == me)
        return true;
    bool intact = !strict && probe_intact();
    if (intact && wh_probe_pid == me)
        return true;
    if (intact) { /* the parent's, inherited: ours to close here */
        close(wh_probe[0]);
        close(wh_probe[1]);
    }
    wh_probe[0] = wh_probe[1] = -1;
    int fds[2];
    struct stat st;
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    memset(&st, 0, sizeof st);
    if (!strict && fstat(fds[0], &st) != 0) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    wh_probe_dev = st.st_dev;
    wh_probe_ino = st.st_ino;
    wh_probe_pid = me;
    wh_probe[0] = fds[0];
    wh_probe[1] = fds[1];
    return true;
}

/* Copies n (<= 64) bytes from an address that may be unmapped. */
WH_RT bool wh_copy_in(void *dst, uintptr_t src, size_t n) {
    int saved = errno;
    /* process_vm_readv on this process: no descriptor (a pipe's can be
     * closed and reused by another thread between any check and the write:
     * helper-107 saw the program's memory written into its file).  The
     * pipe where that call is refused (qemu-user does not translate it; a
     * seccomp filter), and under a filter installed after the runtime was
     * loaded, which may kill the process for it (sandbox.c), only the pipe
     * calls, as before. */
    bool strict = wh_opens_refused();
    if (!strict) {
        errno = 0;
        bool ok = wh_safe_copy(dst, src, n);
        /* (a part read, or EFAULT: not all of it is mapped) */
        if (ok || errno == 0 || errno == EFAULT) {
            errno = saved;
            return ok;
        }
    }
    /* One copy at a time: with two threads writing and reading the same
     * pipe, each could read the other's bytes.  A busy pipe means "cannot
     * tell" (never wait: this may run in a signal handler that interrupted
     * the holder). */
    if (atomic_flag_test_and_set_explicit(&wh_probe_busy, memory_order_acquire)) {
        errno = saved;
        return false;
    }
    bool ok = false;
    if (probe_ready(strict)) {
        /* Raw system calls: a sanitizer's write() interceptor would itself
         * read the buffer (its shadow) and fault on a wild address. */
        ssize_t k = syscall(SYS_write, wh_probe[1], (const void *)src, n);
        /* (drain what was written, whatever the status) */
        ssize_t got = k > 0 ? syscall(SYS_read, wh_probe[0], dst, (size_t)k) : 0;
        ok = k == (ssize_t)n && got == (ssize_t)n;
    }
    errno = saved;
    atomic_flag_clear_explicit(&wh_probe_busy, memory_order_release);
    return ok;
}

/* A PLT lies next to its image's text (same executable segment): only pcs
 * within this distance of a registered image's functions are decoded, so
 * that garbage pcs cost no system calls. */
#define WH_PLT_NEAR (16u << 20)

/* pc lies within margin bytes of a registered image's functions. */
WH_RT static bool near_an_image(uintptr_t pc, uintptr_t margin) {
    uint32_t n = atomic_load_explicit(&wh_nslots, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_slot *s = wh_slot_at(i);
        if (!atomic_load_explicit(&s->live, memory_order_acquire))
            continue;
        uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
        uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_relaxed);
        if (pc + margin >= lo && pc <= hi + margin)
            return true;
    }
    return false;
}

/* ---- calls code generation makes after the pass --------------------------
 * Some calls in instrumented code have no label and would take the label
 * before them, another call's line: the stack protector's failure call
 * (SelectionDAG, on x86-64 and AArch64, after the check), a -fsplit-stack
 * prologue's call of __morestack (the frame lowering, in a block of its
 * own that block placement puts after the body), and with -femulated-tls
 * every thread-local access's call of __emutls_get_address (an option the
 * pass cannot see: it reaches only code generation).  The first and the
 * last are known by their target: the function itself (a static link), a
 * PLT stub or a -fno-plt GOT slot that leads there (a stub not bound yet:
 * by its relocation's symbol); __morestack's by its shape
 * (wh_arch_morestack_call). */
extern void __stack_chk_fail(void);
/* libgcc's (libgcc_s.so.1, or libgcc_eh.a in a static link); weak: NULL
 * where no object the program links defines it. */
extern void *__emutls_get_address(void *) __attribute__((weak));

WH_RT static inline bool unlabelled_target(uintptr_t t) {
    return t == (uintptr_t)&__stack_chk_fail ||
           (t && t == (uintptr_t)&__emutls_get_address);
}

/* n (<= 64) bytes at a, which may be unmapped or outside any image (a
 * link_map on the heap). */
WH_RT static bool read_any(void *dst, uintptr_t a, size_t n) {
    if (!a)
        return false;
    if (wh_uw_readable(a, n)) {
        memcpy(dst, (const void *)a, n);
        return true;
    }
    return wh_copy_in(dst, a, n);
}

/* The tables of the dynamic section of the image whose link_map is at lm
 * (read with read_any: a link_map is on the loader's heap). */
struct dyn_tabs {
    uintptr_t l_addr, jmprel, pltrelsz, symtab, strtab, gnuhash, hash, versym, rela, relasz;
};
WH_RT static bool dyn_tabs_at(uintptr_t bias, uintptr_t dyn, struct dyn_tabs *t) {
    *t = (struct dyn_tabs){.l_addr = bias};
    for (int i = 0; i < 256; i++, dyn += sizeof(ElfW(Dyn))) {
        ElfW(Dyn) d;
        if (!read_any(&d, dyn, sizeof d) || d.d_tag == DT_NULL)
            break;
        /* (glibc relocates these in place; an image whose dynamic section
         * is read-only keeps them relative to its base) */
        uintptr_t v = d.d_un.d_ptr < bias ? d.d_un.d_ptr + bias : d.d_un.d_ptr;
        if (d.d_tag == DT_JMPREL)
            t->jmprel = v;
        else if (d.d_tag == DT_PLTRELSZ)
            t->pltrelsz = d.d_un.d_val;
        else if (d.d_tag == DT_SYMTAB)
            t->symtab = v;
        else if (d.d_tag == DT_STRTAB)
            t->strtab = v;
        else if (d.d_tag == DT_GNU_HASH)
            t->gnuhash = v;
        else if (d.d_tag == DT_HASH)
            t->hash = v;
        else if (d.d_tag == DT_VERSYM)
            t->versym = v;
        else if (d.d_tag == DT_RELA)
            t->rela = v;
        else if (d.d_tag == DT_RELASZ)
            t->relasz = d.d_un.d_val;
    }
    return t->symtab && t->strtab;
}

WH_RT static bool dyn_tabs_of(uintptr_t lm, struct dyn_tabs *t) {
    struct link_map m;
    if (!read_any(&m, lm, offsetof(struct link_map, l_ld) + sizeof m.l_ld))
        return false;
    return dyn_tabs_at(m.l_addr, (uintptr_t)m.l_ld, t);
}

/* The relocation at slot among the n bytes of relocations at rel, when
 * it is of type; by a search of the image's (the rare paths only: a stub
 * not bound, a profile's names). */
WH_RT static bool rela_at(const struct dyn_tabs *t, uintptr_t rel, size_t size, uintptr_t slot,
                          uint32_t type, ElfW(Rela) *r) {
    size_t n = size / sizeof(ElfW(Rela));
    for (size_t i = 0; rel && i < n && i < (1u << 22); i++) {
        if (!read_any(r, rel + i * sizeof *r, sizeof *r))
            return false;
        if (r->r_offset + t->l_addr == slot)
            return ELF64_R_TYPE(r->r_info) == type;
    }
    return false;
}

/* The jump-slot relocation of the GOT slot at slot. */
WH_RT static bool slot_rela(const struct dyn_tabs *t, uintptr_t slot, ElfW(Rela) *r) {
#if defined(__x86_64__)
    return rela_at(t, t->jmprel, t->pltrelsz, slot, R_X86_64_JUMP_SLOT, r);
#elif defined(__aarch64__)
    return rela_at(t, t->jmprel, t->pltrelsz, slot, R_AARCH64_JUMP_SLOT, r);
#else
    (void)t, (void)slot, (void)r;
    return false;
#endif
}

/* The name of relocation r's symbol into out[0, cap), NUL-terminated
 * (read in pieces: the string table may end right after it); false when
 * it does not fit. */
WH_RT static bool rela_name(const struct dyn_tabs *t, const ElfW(Rela) *r, char *out,
                            size_t cap) {
    ElfW(Sym) sym;
    if (!read_any(&sym, t->symtab + (uintptr_t)ELF64_R_SYM(r->r_info) * sizeof sym, sizeof sym))
        return false;
    for (size_t k = 0; k < cap; k += 16) {
        char piece[16];
        if (!read_any(piece, t->strtab + sym.st_name + k, sizeof piece))
            return false;
        for (size_t j = 0; j < sizeof piece && k + j < cap; j++)
            if (!(out[k + j] = piece[j]))
                return true;
    }
    return false;
}

/* Jump-slot relocation r names __stack_chk_fail or __emutls_get_address. */
WH_RT static bool names_unlabelled(const struct dyn_tabs *t, const ElfW(Rela) *r) {
    char name[sizeof "__emutls_get_address"];
    return rela_name(t, r, name, sizeof name) &&
           (!strcmp(name, "__stack_chk_fail") || !strcmp(name, "__emutls_get_address"));
}

/* A GOT slot the dynamic linker has not bound yet (lazy binding: before
 * the first call, always under LD_BIND_NOT=1, or a sample inside the lazy
 * resolver) holds t, an address in the PLT, not the target: the target is
 * then known by the symbol of the slot's jump-slot relocation, *r, of the
 * image whose tables are *tabs.  A stack protector's call is its
 * function's first and last (the program aborts): without this, its frame
 * was taken for a labelled call and read the line of the label before it
 * (lit/e2e/stack-smash.c, LD_BIND_NOT=1); a function pointer that is a
 * PLT entry was unnamed until the first call (helper-105).  stub: the
 * bytes of the PLT entry (WH_STUB_BYTES).  False for a bound slot.
 *   x86-64: t is the entry's own `[endbr64] push $index; [bnd] jmp PLT0`,
 * and PLT0's `push GOT+8(%rip)` gives the image's link_map; or, linked by
 * mold, t is PLT0 itself, `[endbr64] push %r11; push GOT+8(%rip)`, and the
 * index is the entry's `mov $index, %r11d`.
 *   AArch64: t is PLT0, in the slot's own image; the link_map is
 * _dl_find_object's, and the relocation the one whose offset is the
 * slot's. */
#if defined(__x86_64__)
WH_RT static bool unbound_rela(uintptr_t slot, uintptr_t t, const unsigned char *stub,
                               struct dyn_tabs *tabs, ElfW(Rela) *r) {
    unsigned char c[16];
    if (!read_any(c, t, sizeof c))
        return false;
    size_t p = wh_x86_after_endbr(c, sizeof c);
    uint32_t idx;
    uintptr_t plt0;
    if (c[p] == 0x41 && c[p + 1] == 0x53 && wh_x86_mold_plt(stub, &idx)) {
        plt0 = t + p + 2; /* (mold: at its push GOT+8) */
    } else {
        if (c[p] != 0x68)
            return false;
        memcpy(&idx, c + p + 1, 4);
        p += 5;
        if (c[p] == 0xf2)
            p++; /* bnd */
        if (c[p] != 0xe9)
            return false;
        int32_t rel;
        memcpy(&rel, c + p + 1, 4);
        plt0 = t + p + 5 + (uintptr_t)(intptr_t)rel;
    }
    if (!read_any(c, plt0, 6) || c[0] != 0xff || c[1] != 0x35)
        return false;
    int32_t disp;
    memcpy(&disp, c + 2, 4);
    uintptr_t lm;
    return read_any(&lm, plt0 + 6 + (uintptr_t)(intptr_t)disp, sizeof lm) &&
           dyn_tabs_of(lm, tabs) && tabs->jmprel &&
           read_any(r, tabs->jmprel + (uintptr_t)idx * sizeof *r, sizeof *r) &&
           ELF64_R_TYPE(r->r_info) == R_X86_64_JUMP_SLOT && r->r_offset + tabs->l_addr == slot;
}
#elif defined(__aarch64__) && defined(WH_HAVE_DLFO)
WH_RT static bool unbound_rela(uintptr_t slot, uintptr_t t, const unsigned char *stub,
                               struct dyn_tabs *tabs, ElfW(Rela) *r) {
    (void)stub;
    struct dl_find_object at_t, at_slot;
    return _dl_find_object && _dl_find_object((void *)t, &at_t) == 0 && at_t.dlfo_link_map &&
           _dl_find_object((void *)slot, &at_slot) == 0 &&
           at_slot.dlfo_link_map == at_t.dlfo_link_map &&
           dyn_tabs_of((uintptr_t)at_t.dlfo_link_map, tabs) && slot_rela(tabs, slot, r);
}
#else
WH_RT static bool unbound_rela(uintptr_t slot, uintptr_t t, const unsigned char *stub,
                               struct dyn_tabs *tabs, ElfW(Rela) *r) {
    (void)slot, (void)t, (void)stub, (void)tabs, (void)r;
    return false;
}
#endif

WH_RT static bool lazy_target_is_unlabelled(struct wh_slot *s, uintptr_t slot, uintptr_t t,
                                            const unsigned char *stub) {
    struct dyn_tabs tabs;
    ElfW(Rela) r;
    return wh_slot_holds(s, t) && unbound_rela(slot, t, stub, &tabs, &r) &&
           names_unlabelled(&tabs, &r);
}

/* ---- an unbound slot's target, by its symbol's name ---------------------- */

WH_RT static uint32_t gnu_hash(const char *n) {
    uint32_t h = 5381;
    for (; *n; n++)
        h = h * 33 + (unsigned char)*n;
    return h;
}

WH_RT static uint32_t elf_hash(const char *n) {
    uint32_t h = 0;
    for (; *n; n++) {
        h = (h << 4) + (unsigned char)*n;
        uint32_t g = h & 0xf0000000u;
        h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

/* Symbol i of tabs is a definition of function name that a reference
 * without a version binds to: 1 with its address in *at, 0 if not, -1
 * when it cannot be read. */
WH_RT static int sym_defines(const struct dyn_tabs *t, uint32_t i, const char *name,
                             uintptr_t *at) {
    ElfW(Sym) sym;
    char piece[16];
    size_t len = strlen(name);
    if (!read_any(&sym, t->symtab + (uintptr_t)i * sizeof sym, sizeof sym))
        return -1;
    for (size_t k = 0; k <= len; k += sizeof piece) {
        size_t m = len + 1 - k < sizeof piece ? len + 1 - k : sizeof piece;
        if (!read_any(piece, t->strtab + sym.st_name + k, m))
            return -1;
        if (memcmp(piece, name + k, m) != 0)
            return 0;
    }
    uint16_t ver = 0;
    if (t->versym && !read_any(&ver, t->versym + (uintptr_t)i * 2, 2))
        return -1;
    int bind = ELF64_ST_BIND(sym.st_info);
    if (sym.st_shndx == SHN_UNDEF || !sym.st_value || (bind != STB_GLOBAL && bind != STB_WEAK))
        return 0;
    /* (a versioned definition: which one an unversioned reference binds
     * to is the loader's rule, the oldest or the only one; helper-107 saw
     * the default version named where the oldest was bound) */
    if ((ver & 0x7fff) > 1)
        return -1;
    /* (an ifunc's address is its resolver's: what it chose is not known) */
    if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC)
        return -1;
    *at = t->l_addr + sym.st_value;
    return 1;
}

/* How many definitions of name the image of tabs has (0 or 1; the first in
 * *at); -1 when it cannot be told (no hash table read). */
WH_RT static int image_defines(const struct dyn_tabs *t, const char *name, uintptr_t *at) {
    if (t->gnuhash) {
        uint32_t hd[4], h = gnu_hash(name), b, c;
        if (!read_any(hd, t->gnuhash, sizeof hd) || !hd[0])
            return -1;
        uintptr_t buckets = t->gnuhash + 16 + (uintptr_t)hd[2] * sizeof(uintptr_t);
        uintptr_t chain = buckets + (uintptr_t)hd[0] * 4;
        if (!read_any(&b, buckets + (uintptr_t)(h % hd[0]) * 4, 4))
            return -1;
        if (b < hd[1])
            return 0;
        for (uint32_t i = b; i - b < (1u << 20); i++) {
            if (!read_any(&c, chain + (uintptr_t)(i - hd[1]) * 4, 4))
                return -1;
            if ((c | 1) == (h | 1)) {
                int d = sym_defines(t, i, name, at);
                if (d)
                    return d;
            }
            if (c & 1)
                return 0;
        }
        return -1;
    }
    if (t->hash) {
        uint32_t hd[2], h = elf_hash(name), i;
        if (!read_any(hd, t->hash, sizeof hd) || !hd[0] ||
            !read_any(&i, t->hash + 8 + (uintptr_t)(h % hd[0]) * 4, 4))
            return -1;
        for (uint32_t k = 0; i && k < hd[1]; k++) {
            int d = sym_defines(t, i, name, at);
            if (d)
                return d;
            if (!read_any(&i, t->hash + 8 + (uintptr_t)hd[0] * 4 + (uintptr_t)i * 4, 4))
                return -1;
        }
        return 0;
    }
    return -1;
}

struct def_search {
    const char *name;
    uintptr_t found;
    int n;         /* definitions found; -1: an object could not be searched */
};

WH_RT static int def_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct def_search *q = arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        struct dyn_tabs t;
        uintptr_t at;
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC)
            continue;
        if (!dyn_tabs_at(info->dlpi_addr, info->dlpi_addr + info->dlpi_phdr[i].p_vaddr, &t)) {
            q->n = -1;
            return 1;
        }
        int d = image_defines(&t, q->name, &at);
        if (d < 0 || (d && q->n)) {
            q->n = -1;
            return 1;
        }
        if (d) {
            q->found = at;
            q->n = 1;
        }
    }
    return 0;
}

/* The function an unbound slot's relocation r (of the image of tabs)
 * names: its only definition among the loaded objects, which the dynamic
 * linker will bind the slot to; 0 when none defines it, more than one does
 * (interposition: the search order, which depends on how each was loaded,
 * would decide), a definition is versioned, or an object cannot be
 * searched.  The objects are walked under the loader's lock
 * (dl_iterate_phdr): a dlclose in another thread unmapped an object under
 * a walk without it (helper-107).  Not known: whether the object defining
 * it is in the program's search scope (a library opened with RTLD_LOCAL
 * is not; the call would fail). */
WH_RT static uintptr_t unbound_target(const struct dyn_tabs *tabs, const ElfW(Rela) *r) {
    char name[256];
    ElfW(Sym) ref;
    uint16_t ver = 0;
    if (!rela_name(tabs, r, name, sizeof name) || !name[0] ||
        !read_any(&ref, tabs->symtab + (uintptr_t)ELF64_R_SYM(r->r_info) * sizeof ref,
                  sizeof ref))
        return 0;
    /* (a reference with a version needed binds by version: not done) */
    if (tabs->versym &&
        (!read_any(&ver, tabs->versym + (uintptr_t)ELF64_R_SYM(r->r_info) * 2, 2) ||
         (ver & 0x7fff) > 1))
        return 0;
    struct def_search q = {name, 0, 0};
    dl_iterate_phdr(def_cb, &q);
    return q.n == 1 ? q.found : 0;
}

WH_RT bool wh_unlabelled_call(struct wh_slot *s, uintptr_t from, uintptr_t ra) {
    uintptr_t a, g;
    bool stub = false; /* through a PLT stub, which lazy binding binds late */
    unsigned char c[WH_STUB_BYTES];
    if (ra <= from)
        return false;
    switch (wh_arch_call_target(ra, (uint32_t)(ra - from), &a)) {
    case WH_STUB_DIRECT: {
        if (unlabelled_target(a))
            return true;
        /* (the byte at ra read only in the image's code: a noreturn call
         * may end it) */
        if (wh_slot_holds(s, ra) && wh_arch_morestack_call(ra, (uint32_t)(ra - from)))
            return true;
        /* a stub in the image's own code (read only there: the call's bytes
         * may be no call at all) */
        if (!wh_slot_holds(s, a) || !wh_slot_holds(s, a + WH_STUB_BYTES - 1))
            return false;
        memcpy(c, (const void *)a, sizeof c);
        uint32_t len;
        switch (wh_arch_stub_target(c, a, &g, &len)) {
        case WH_STUB_DIRECT:
            return unlabelled_target(g);
        case WH_STUB_GOT:
            a = g;
            stub = true;
            break;
        default:
            return false;
        }
        break;
    }
    case WH_STUB_GOT:
        break;
    default:
        return false;
    }
    uintptr_t t;
    if (!wh_uw_readable(a, sizeof t))
        return false;
    memcpy(&t, (const void *)a, sizeof t);
    return unlabelled_target(t) || (stub && lazy_target_is_unlabelled(s, a, t, c));
}

/* The GOT slot at slot has a jump-slot relocation (a PLT entry's). */
WH_RT static bool jump_slot(uintptr_t slot) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    struct dyn_tabs tabs;
    ElfW(Rela) r;
    return _dl_find_object && _dl_find_object((void *)slot, &fo) == 0 && fo.dlfo_link_map &&
           dyn_tabs_of((uintptr_t)fo.dlfo_link_map, &tabs) && slot_rela(&tabs, slot, &r);
#else
    (void)slot;
    return false;
#endif
}

/* Where the stub at pc leads as a function pointer: the function a
 * jump-table entry jumps to, the word in a PLT entry's GOT slot; 0 when no
 * stub is there.  Not every jump is a stub: a function compiled without
 * the plugin whose code is one jump (`return f(x);` as a tail call; gcc's,
 * padded by lld with int3; -fno-plt's, through the GOT) is a function of
 * its own, and its unwind table says so, an FDE of exactly that jump.  A
 * jump-table entry lies in its table's FDE (the entries' int3 padding in
 * it), a whole number of entries from its start; a direct jump that no
 * FDE shows to be one is not taken (a forwarder without unwind tables).
 * On AArch64 a table of one entry, `[bti c] b f` with an FDE of its own,
 * reads as such a forwarder: its pointer stays unnamed.  *sure: false
 * for a jump that could be either. */
WH_RT static uintptr_t stub_dest(uintptr_t pc, bool *sure, uintptr_t *slot, unsigned char *c) {
    uintptr_t a, lo = 0, hi = 0, dest;
    uint32_t len;
    *sure = false;
    *slot = 0;
    if (!near_an_image(pc, WH_PLT_NEAR) || !wh_copy_in(c, pc, WH_STUB_BYTES))
        return 0;
    enum wh_stub k = wh_arch_stub_target(c, pc, &a, &len);
    if (k == WH_STUB_NONE)
        return 0;
    /* (in_signal: no loader lock; _dl_find_object needs none) */
    int fde = wh_uw_fde_span(pc, true, &lo, &hi);
    bool one_jump = fde == 1 && lo == pc && hi - pc == len;
    if (k == WH_STUB_DIRECT) {
        uint32_t e = wh_arch_jump_entry_size(len);
        *sure = fde == 1 && !one_jump && (pc - lo) % e == 0 && (hi - lo) % e == 0;
        return a;
    }
    *sure = !one_jump;
    /* A jump through a slot that no FDE covers is a PLT entry (lld's and
     * mold's have none) or a -fno-plt function built without unwind
     * tables (helper-107): only a jump-slot relocation of the slot says
     * PLT (mold's .plt.got, whose slots have none, stays unnamed). */
    if (*sure && fde != 1)
        *sure = jump_slot(a);
    *slot = a;
    return wh_copy_in(&dest, a, sizeof dest) ? dest : 0;
}

WH_RT const struct wh_fn *wh_plt_target(uintptr_t pc, struct wh_pcinfo *pi) {
    /* Two stubs at most: under -fsanitize=cfi the address of a library's
     * function is a jump-table entry that jumps to the program's PLT entry
     * for it. */
    for (int hop = 0; hop < 2; hop++) {
        bool sure;
        uintptr_t slot;
        unsigned char c[WH_STUB_BYTES];
        uintptr_t t = stub_dest(pc, &sure, &slot, c);
        if (!t || !sure)
            return NULL;
        if (wh_find(t, false, pi))
            return pi->entry == t ? pi->fn : NULL;
        /* (a PLT entry whose slot is not bound yet leads back into the PLT) */
        struct dyn_tabs tabs;
        ElfW(Rela) r;
        if (slot && unbound_rela(slot, t, c, &tabs, &r)) {
            uintptr_t d = unbound_target(&tabs, &r);
            return d && wh_find(d, false, pi) && pi->entry == d ? pi->fn : NULL;
        }
        pc = t;
    }
    return NULL;
}

WH_RT bool wh_stub_into_images(uintptr_t pc) {
    bool sure;
    uintptr_t slot;
    unsigned char c[WH_STUB_BYTES];
    uintptr_t t = stub_dest(pc, &sure, &slot, c);
    return t && near_an_image(t, 0);
}

/* The function the PLT entry holding pc calls, by the symbol of its GOT
 * slot's jump-slot relocation: "name@plt" into out (a profile's location
 * in a stub: perf and objdump name it so; an offset name there made pprof
 * symbolize the whole program again).  Entries are 16 bytes, 16-aligned
 * (.plt, .plt.sec, mold's, AArch64's); an entry of another size decodes
 * as none from pc's 16-byte boundary, or as the one that holds pc, and
 * only a jump-slot relocation of exactly its slot names it; GNU ld's
 * .plt.got entries (8 bytes, or 16 with IBT) by their slot's GLOB_DAT
 * relocation (gotplt_slot).  Not for signal handlers (dyn_tabs_of, a
 * linear search of the relocations). */
#if defined(__x86_64__)
/* GNU ld's .plt.got entry holding pc: the stub of a function whose GOT
 * slot the loader fills at start (its address is taken too: a GLOB_DAT
 * relocation, no lazy binding), `jmp *slot(%rip); xchg %ax,%ax` (8 bytes)
 * or, with IBT, `endbr64; jmp *slot(%rip); nopw 0(%rax,%rax)` (16): its
 * slot, or 0. */
WH_RT static uintptr_t gotplt_slot(uintptr_t pc) {
    static const unsigned char ibt[4] = {0xf3, 0x0f, 0x1e, 0xfa},
                               nopw[6] = {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00};
    unsigned char c[16];
    int32_t d;
    uintptr_t a = pc & ~(uintptr_t)15;
    if (read_any(c, a, 16) && !memcmp(c, ibt, 4) && c[4] == 0xff && c[5] == 0x25 &&
        !memcmp(c + 10, nopw, 6)) {
        memcpy(&d, c + 6, 4);
        return a + 10 + (uintptr_t)(intptr_t)d;
    }
    a = pc & ~(uintptr_t)7;
    if (read_any(c, a, 8) && c[0] == 0xff && c[1] == 0x25 && c[6] == 0x66 && c[7] == 0x90) {
        memcpy(&d, c + 2, 4);
        return a + 6 + (uintptr_t)(intptr_t)d;
    }
    return 0;
}

#endif

/* pc is in the PLT's header (PLT0), the code every lazy entry jumps to
 * first: it pushes the GOT's second word and jumps through its third
 * (x86-64: `pushq GOT+8(%rip); jmpq *GOT+16(%rip)`, either jump form;
 * AArch64: `[bti c;] stp x16, x30, [sp, #-16]!; adrp x16; ldr x17,
 * [x16, #GOT+16]; add x16; br x17`).  It has no relocation to name it by:
 * a profile sample there left the program's mapping without
 * has_functions, and pprof renamed the whole program (helper-122).
 * *push: the header's push (its first instruction but a bti). */
WH_RT bool wh_plt_header(uintptr_t pc, uintptr_t *push) {
#if defined(__x86_64__)
    for (uintptr_t a = pc & ~(uintptr_t)15, k = 0; k < 2; k++, a -= 16) {
        unsigned char c[16];
        int32_t d1, d2;
        if (!read_any(c, a, sizeof c) || c[0] != 0xff || c[1] != 0x35)
            continue;
        unsigned j = c[6] == 0xf2 ? 7 : 6; /* (bnd jmp) */
        if (c[j] != 0xff || c[j + 1] != 0x25 || pc - a >= j + 6 + 4)
            continue;
        memcpy(&d1, c + 2, 4);
        memcpy(&d2, c + j + 2, 4);
        if (a + j + 6 + (uintptr_t)(intptr_t)d2 == a + 6 + (uintptr_t)(intptr_t)d1 + 8) {
            *push = a;
            return true;
        }
    }
#elif defined(__aarch64__)
    for (uintptr_t a = pc & ~(uintptr_t)15, k = 0; k < 3; k++, a -= 16) {
        uint32_t w[8];
        if (!read_any(w, a, sizeof w))
            continue;
        unsigned p = w[0] == 0xd503245fu; /* bti c */
        if (w[p] == 0xa9bf7bf0u && (w[p + 1] & 0x9f00001fu) == 0x90000010u &&
            (w[p + 2] & 0xffc003ffu) == 0xf9400211u && (w[p + 3] & 0xffc003ffu) == 0x91000210u &&
            w[p + 4] == 0xd61f0220u && pc - a < 4 * (p + 5)) {
            *push = a + 4 * p;
            return true;
        }
    }
#else
    (void)pc;
#endif
    return false;
}

WH_RT bool wh_plt_name(uintptr_t pc, char *out, size_t cap) {
#ifdef WH_HAVE_DLFO
    uintptr_t at = pc & ~(uintptr_t)15, slot = 0;
    uint32_t len;
    unsigned char c[WH_STUB_BYTES];
    struct dl_find_object dlfo;
    if (cap < 8 || !_dl_find_object || _dl_find_object((void *)pc, &dlfo) != 0 ||
        !dlfo.dlfo_link_map || at < (uintptr_t)dlfo.dlfo_map_start)
        return false;
    bool stub = read_any(c, at, sizeof c) && wh_arch_stub_target(c, at, &slot, &len) == WH_STUB_GOT;
#if defined(__x86_64__)
    /* (GNU ld's .plt.got (Redis's malloc): its name kept a profile's
     * program mapping from has_functions, and pprof symbolized it all
     * again, helper-109) */
    uintptr_t got = gotplt_slot(pc);
#else
    uintptr_t got = 0;
#endif
    uintptr_t push;
    if (!stub && !got && wh_plt_header(pc, &push)) {
        memcpy(out, ".plt", 5); /* (objdump's and perf's name for it) */
        return true;
    }
    struct dyn_tabs tabs;
    if ((!stub && !got) || !dyn_tabs_of((uintptr_t)dlfo.dlfo_link_map, &tabs))
        return false;
    ElfW(Rela) r;
    size_t k;
    bool found = stub && slot_rela(&tabs, slot, &r);
#if defined(__x86_64__)
    if (!found && got)
        found = rela_at(&tabs, tabs.rela, tabs.relasz, got, R_X86_64_GLOB_DAT, &r);
#endif
    if (!found || !rela_name(&tabs, &r, out, cap - 4) || !(k = strlen(out)))
        return false;
    memcpy(out + k, "@plt", 5);
    return true;
#else
    (void)pc, (void)out, (void)cap;
#endif
    return false;
}
