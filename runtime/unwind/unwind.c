/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * unwind.c - the system half of the .eh_frame unwinder (cfi.h): which image
 * holds a pc, where its .eh_frame_hdr and readable segments are, and one
 * step of a register state to its caller.
 *
 * The image comes from _dl_find_object (glibc 2.35+: lock-free and
 * async-signal-safe), whose answer gives the mapping's start, the load bias
 * and the PT_GNU_EH_FRAME address; the readable segments are then read from
 * the program headers at the mapping's start (the ELF header is mapped
 * there: the first PT_LOAD maps file offset 0, which is checked).  Without
 * _dl_find_object, and only outside signal context, dl_iterate_phdr answers
 * instead (it takes the loader's lock).
 *
 * A step reads the stack only at 8-aligned addresses inside the frame being
 * left, [sp, CFA), and accepts a CFA only above sp and at most WH_MAX_STRIDE
 * away: the same trust the frame-pointer walk gives a frame (but for the
 * two functions known to switch stacks: whence's own far_main and
 * -fsplit-stack's __morestack).
 */
#define _GNU_SOURCE
#include "cfi.h"

#include "../lookup.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>

#include "../dlfo.h"
#include "../lines/lines.h"

struct image {
    bool valid;
    uintptr_t hdr;           /* .eh_frame_hdr, 0 if none */
    struct wh_cfi_mem mem;   /* readable PT_LOADs */
    /* The last FDE and a few rows looked up: recursion inside foreign code
     * (glibc's merge sort) returns to the same few pcs again and again. */
    bool have_fde;
    struct wh_cfi_fde fde;
    uint32_t nrows, next_row;
    uintptr_t row_pc[4];
    struct wh_cfi_row rows[4];
    bool row_far[4]; /* the row is far_main's (below) */
    uint8_t row_above[4]; /* bytes its frame holds above its CFA (plt0_pushed) */
    uint8_t fde_above;    /* the same for the FDE fde */
    /* The frame left was the first of a handler's work on a stack of
     * whence's own (farstack.c), made to return into the handler's
     * caller, on the stack the handler ran on: above or below. */
    bool other_stack;
};

WH_RT static void add_load(struct wh_cfi_mem *mem, const ElfW(Phdr) *ph, uintptr_t bias) {
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_R) || mem->n == WH_CFI_MAXSEG)
        return;
    uintptr_t lo = bias + ph->p_vaddr;
    if (lo + ph->p_memsz < lo)
        return;
    mem->lo[mem->n] = lo;
    mem->hi[mem->n] = lo + ph->p_memsz;
    mem->n++;
}

#ifdef WH_HAVE_DLFO
/* The program headers of the object _dl_find_object found: at its mapping's
 * start when that maps the ELF header (every object the loader mapped), or
 * the auxiliary vector's for the main program (a static program's mapping
 * starts at its text).  Each candidate must have a PT_LOAD holding pc. */
WH_RT static bool phdrs_hold(const ElfW(Phdr) *ph, size_t n, uintptr_t bias, uintptr_t pc) {
    for (size_t i = 0; i < n; i++)
        if (ph[i].p_type == PT_LOAD && pc - (bias + ph[i].p_vaddr) < ph[i].p_memsz)
            return true;
    return false;
}

/* Program headers a post-link tool moved out of the first page (BOLT
 * writes a new table at the start of the segment it adds): at the file
 * offset the ELF header gives, taken only where the PT_LOAD of that very
 * table that holds the offset says it is loaded there (read with
 * wh_copy_in first: the object's span has holes between its segments). */
WH_RT static const ElfW(Phdr) *moved_phdrs(uintptr_t start, uintptr_t end, uintptr_t bias,
                                           uintptr_t pc, size_t *n) {
    ElfW(Ehdr) eh;
    if (!wh_copy_in(&eh, start, sizeof eh) || eh.e_phentsize != sizeof(ElfW(Phdr)) ||
        eh.e_phnum > 64 || eh.e_phoff < sizeof eh || eh.e_phoff > end - start ||
        (uint64_t)eh.e_phnum * sizeof(ElfW(Phdr)) > end - start - eh.e_phoff)
        return NULL;
    uintptr_t at = start + eh.e_phoff;
    bool self = false;
    for (size_t i = 0; i < eh.e_phnum; i++) {
        ElfW(Phdr) p;
        if (!wh_copy_in(&p, at + i * sizeof p, sizeof p))
            return NULL;
        if (p.p_type == PT_LOAD && eh.e_phoff >= p.p_offset &&
            eh.e_phoff - p.p_offset < p.p_filesz &&
            bias + p.p_vaddr + (eh.e_phoff - p.p_offset) == at)
            self = true;
    }
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)at;
    if (!self || !phdrs_hold(ph, eh.e_phnum, bias, pc))
        return NULL;
    *n = eh.e_phnum;
    return ph;
}

/* The program headers (as above) of the object holding pc, and its bias. */
WH_RT static bool image_phdrs(uintptr_t pc, struct dl_find_object *fop, const ElfW(Phdr) **php,
                              size_t *np, uintptr_t *biasp) {
    struct dl_find_object fo;
    if (_dl_find_object((void *)pc, &fo) != 0 || !fo.dlfo_link_map)
        return false;
    uintptr_t start = (uintptr_t)fo.dlfo_map_start, bias = fo.dlfo_link_map->l_addr;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)start;
    const ElfW(Phdr) *ph = NULL;
    size_t n = 0;
    if (!(start & 4095) && eh->e_ident[EI_MAG0] == ELFMAG0 && eh->e_ident[EI_MAG1] == ELFMAG1 &&
        eh->e_ident[EI_MAG2] == ELFMAG2 && eh->e_ident[EI_MAG3] == ELFMAG3 &&
        eh->e_phentsize == sizeof(ElfW(Phdr)) && eh->e_phnum <= 64 &&
        eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(ElfW(Phdr)) <= 4096) {
        ph = (const ElfW(Phdr) *)(start + eh->e_phoff);
        n = eh->e_phnum;
        bool mapped = false; /* the header is where the first PT_LOAD maps offset 0 */
        for (size_t i = 0; i < n; i++)
            if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 &&
                bias + (ph[i].p_vaddr & ~(uintptr_t)4095) == start)
                mapped = true;
        if (!mapped || !phdrs_hold(ph, n, bias, pc))
            ph = NULL;
    }
    if (!ph && !(start & 4095))
        ph = moved_phdrs(start, (uintptr_t)fo.dlfo_map_end, bias, pc, &n);
    if (!ph) {
        const char *name = fo.dlfo_link_map->l_name;
        if (name && *name)
            return false; /* not the main program */
        ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
        n = getauxval(AT_PHNUM);
        if (!ph || n > 64 || !phdrs_hold(ph, n, bias, pc))
            return false;
    }
    *fop = fo;
    *php = ph;
    *np = n;
    *biasp = bias;
    return true;
}

/* Only the readable segments and .eh_frame_hdr: wh_uw_readable asks it
 * from signal handlers on small stacks, where a whole struct image (its
 * cached rows: 1.6 KiB on AArch64) did not fit. */
WH_RT static bool image_dlfo(uintptr_t pc, struct wh_cfi_mem *mem, uintptr_t *hdr) {
    struct dl_find_object fo;
    const ElfW(Phdr) *ph;
    size_t n;
    uintptr_t bias;
    if (!image_phdrs(pc, &fo, &ph, &n, &bias))
        return false;
    mem->n = 0;
    for (size_t i = 0; i < n; i++)
        add_load(mem, &ph[i], bias);
    *hdr = (uintptr_t)fo.dlfo_eh_frame;
    return true;
}
#endif

struct phdr_probe {
    uintptr_t pc;
    struct image *im;
    bool found;
};

WH_RT static int probe_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct phdr_probe *p = arg;
    bool here = false;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && p->pc >= lo && p->pc - lo < ph->p_memsz)
            here = true;
    }
    if (!here)
        return 0;
    p->im->mem.n = 0;
    p->im->hdr = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        add_load(&p->im->mem, ph, info->dlpi_addr);
        if (ph->p_type == PT_GNU_EH_FRAME)
            p->im->hdr = info->dlpi_addr + ph->p_vaddr;
    }
    p->found = true;
    return 1;
}

WH_RT static bool image_of(uintptr_t pc, bool in_signal, struct image *im) {
    im->valid = false;
#ifdef WH_HAVE_DLFO
    if (_dl_find_object) {
        im->valid = image_dlfo(pc, &im->mem, &im->hdr);
        return im->valid;
    }
#endif
    if (in_signal)
        return false;
    struct phdr_probe p = {pc, im, false};
    dl_iterate_phdr(probe_cb, &p);
    im->valid = p.found;
    return im->valid;
}

/* The word at a GOT slot a: read in place inside a loaded object's
 * readable segment (process_vm_readv is not translated under qemu-user),
 * else through the kernel. */
WH_RT static bool got_word(uintptr_t a, uintptr_t *v) {
    if (wh_uw_readable(a, sizeof *v)) {
        memcpy(v, (const void *)a, sizeof *v);
        return true;
    }
    return wh_safe_read(a, v);
}

WH_RT int wh_uw_call_target(uintptr_t ra, uint32_t n, uintptr_t *t) {
    uintptr_t a, g;
    switch (wh_arch_call_target(ra, n, &a)) {
    case WH_STUB_DIRECT:
        break;
    case WH_STUB_GOT:
        if (!got_word(a, &a))
            return -1;
        break;
    default:
        return 0;
    }
    unsigned char c[WH_STUB_BYTES];
    *t = a;
    if (!wh_uw_readable(a, sizeof c))
        return 1;
    memcpy(c, (const void *)a, sizeof c); /* a PLT stub: its slot's target */
    uint32_t len;
    switch (wh_arch_stub_target(c, a, &g, &len)) {
    case WH_STUB_DIRECT:
        *t = g;
        return 1;
    case WH_STUB_GOT:
        return got_word(g, t) ? 1 : -1;
    default:
        return 1;
    }
}

/* a and b lie in the same loaded object (true where that cannot be told). */
WH_RT static bool same_object(uintptr_t a, uintptr_t b) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fa, fb;
    if (_dl_find_object)
        return _dl_find_object((void *)a, &fa) == 0 && _dl_find_object((void *)b, &fb) == 0 &&
               fa.dlfo_link_map == fb.dlfo_link_map;
#endif
    (void)a, (void)b;
    return true;
}

/* Could the call ending at ra have entered the function being stepped, which
 * holds pc (code without records)?  A function that set up no frame record
 * leaves its caller's at the frame pointer, and a step through it would
 * skip that caller; a frame pointer that such code uses for data may point
 * at a stale record.  The bytes before ra must be a call.  Where the call is
 * direct (through one PLT stub or GOT slot at most), its target must not be
 * instrumented code (the stepped function has no records, and an
 * instrumented target is the caller the step would skip) and must lie in
 * the stepped function's object at or below pc (a stale record's call went
 * elsewhere).  1: it could (*callee: the call's target); -1: it could not;
 * 0: the call is indirect (a destructor list, a callback) or cannot be
 * read, and says nothing. */
WH_RT static int called_here(uintptr_t ra, uintptr_t pc, uintptr_t *callee) {
    uintptr_t a;
    if (!wh_uw_readable(ra - 8, 8))
        return 0;
    if (!wh_arch_ends_call(ra))
        return -1;
    int k = wh_uw_call_target(ra, 8, &a);
    if (k <= 0)
        return k == 0 ? 0 : -1;
    /* (a retpoline's: the call is indirect; keeps_fp read from the thunk
     * on into the functions after it, helper-121) */
    unsigned char t[WH_ARCH_THUNK_BYTES];
    if (wh_uw_readable(a, sizeof t) && (memcpy(t, (const void *)a, sizeof t), true) &&
        wh_arch_is_thunk(t, sizeof t))
        return 0;
    struct wh_pcinfo pi;
    *callee = a;
    return !wh_find(a, false, &pi) && a < pc && same_object(a, pc - 1) ? 1 : -1;
}

/* The function entered at entry sets up a frame pointer before return
 * address pc: an instruction that does (wh_arch_fp_setup_at) lies in its
 * first 1 KiB before pc, or those bytes cannot be read (then as before:
 * yes).  A call to it that matches the record at the frame pointer does
 * not make the record its own when it keeps none: a function built
 * -fomit-frame-pointer that ends in a jump through a register (a tail
 * call) can enter, from the record's call, an instrumented function that
 * calls it again; the record is then that function's, and taking it
 * would leave that caller out. */
WH_RT static bool keeps_fp(uintptr_t entry, uintptr_t pc) {
    uintptr_t end = pc - entry > 1024 ? entry + 1024 : pc;
    if (end - entry < WH_ARCH_FP_SETUP_LEN || !wh_uw_readable(entry, end - entry))
        return end - entry >= WH_ARCH_FP_SETUP_LEN;
    for (uintptr_t at = entry; at + WH_ARCH_FP_SETUP_LEN <= end; at += WH_ARCH_INSN_ALIGN)
        if (wh_arch_fp_setup_at((const unsigned char *)at, at - entry))
            return true;
    return false;
}

/* Code without records at return address pc may have set up a frame
 * pointer: an instruction that does (wh_arch_fp_setup_at) lies before pc
 * in the same function as far as its bytes say (back to what looks like
 * its start or the end of the function before: wh_arch_fn_boundary_at),
 * at most 1 KiB, as far as they are readable, outside instrumented code.
 * A function of a library built -fomit-frame-pointer finds none; one
 * that keeps a frame pointer has its own before pc (where a boundary is
 * not seen, another function before it may answer for one that does not:
 * the step is then taken, as before). */
WH_RT static bool may_keep_fp(uintptr_t pc) {
    uintptr_t lo = pc > 1024 ? (pc - 1024) & ~(uintptr_t)(WH_ARCH_INSN_ALIGN - 1) : 0;
    while (lo < pc && !wh_uw_readable(lo, pc - lo))
        lo = (lo | 4095) + 1; /* (from the first readable page on) */
    struct wh_pcinfo pi;
    for (uintptr_t a = pc & ~(uintptr_t)(WH_ARCH_INSN_ALIGN - 1); a >= lo + WH_ARCH_BOUNDARY_LEN;
         a -= WH_ARCH_INSN_ALIGN) {
        uintptr_t at = a - WH_ARCH_FP_SETUP_LEN;
        if (wh_arch_fp_setup_at((const unsigned char *)at, at - lo) && !wh_find(at, false, &pi))
            return true;
        if (wh_arch_fn_boundary_at((const unsigned char *)(a - WH_ARCH_BOUNDARY_LEN)))
            return false;
    }
    return false;
}

/* A return address in code whose CFI is missing (crtstuff's
 * __do_global_dtors_aux, which runs a shared object's C++ destructors at
 * exit or dlclose; a library built -fno-asynchronous-unwind-tables) or
 * says what this unwinder does not interpret (GCC's stack realignment,
 * DRAP: a CFA read through memory): a frame record at the frame pointer,
 * as code that keeps one has it once it made a call, gives the caller.
 * The walk ended there before.  Trusted only as far as a frame-pointer
 * walk trusts a frame: the record inside the stride above the stack
 * pointer, read without faulting, its return address in some object's
 * code after a call that can have entered this function (called_here).
 * Code that keeps no record (-fomit-frame-pointer) leaves its caller's at
 * the frame pointer, and a step through it would leave that caller out:
 * where the record's call cannot say (an indirect one, as libc calls
 * main), the step is taken only when code without records before pc may
 * set up a frame pointer (may_keep_fp: a library built without frame
 * pointers has none); where it names this function, only when this
 * function does (keeps_fp).  A record not taken is WH_CFI_STOPPED: the
 * stack goes on, and nothing says where.  (The caller's saved %rbp is
 * whatever the caller kept there: the dynamic linker, which runs those
 * destructors, keeps no frame pointer.) */
WH_RT static int fp_step(struct wh_uw_regs *r, int rc) {
    uintptr_t sp = r->v[WH_UW_SP], fp = r->v[WH_UW_FP], up, ra, pc = r->v[WH_UW_RA];
    if (!WH_UW_KNOWN(r, WH_UW_FP) || (fp & 7) || fp < sp || fp - sp > WH_MAX_STRIDE ||
        !wh_safe_read(fp, &up) || !wh_safe_read(fp + 8, &ra))
        return rc;
    ra = WH_UW_STRIP(ra);
    if (!ra || !wh_uw_readable(ra - 1, 1))
        return rc;
    uintptr_t callee = 0;
    int k = called_here(ra, pc, &callee);
    if (k > 0 && !keeps_fp(callee, pc))
        k = -1;
    if (k < 0 || (k == 0 && !may_keep_fp(pc)))
        return rc == WH_CFI_NOFDE ? WH_CFI_STOPPED : rc;
    struct wh_uw_regs n = {.known = WH_UW_BIT(WH_UW_RA) | WH_UW_BIT(WH_UW_SP) | WH_UW_BIT(WH_UW_FP)};
    n.v[WH_UW_RA] = ra;
    n.v[WH_UW_SP] = fp + 16;
    n.v[WH_UW_FP] = up;
    *r = n;
    return WH_CFI_OK;
}

/* An interrupted pc in a PLT entry, which lld and mold give no unwind
 * tables (GNU ld does): an entry that jumps through its GOT slot pushed
 * nothing, so its caller's return address is at the stack pointer (x86-64)
 * or in the link register (AArch64: an entry of 4 to 6 instructions, the
 * pc any of them; every sample there lost its callers, helper-122), after
 * a direct call of that entry.  A lazy entry's push, taken once per slot,
 * is not stepped on x86-64.  On AArch64 the PLT's header (PLT0, where a
 * lazy entry goes on to the loader's resolver) pushes {x16, x30} with its
 * first instruction: before it, the return address is in the link
 * register, after it also at sp+8, and the caller's stack pointer is
 * sp+16 (each sample in it ended said to be in code without unwind
 * tables, helper-126). */
WH_RT static int plt_step(struct wh_uw_regs *r, int rc) {
#ifdef WH_UW_LR
    uintptr_t pc = r->v[WH_UW_RA], lr, g, t, push;
    unsigned char c[WH_STUB_BYTES];
    uint32_t len;
    if (!WH_UW_KNOWN(r, WH_UW_LR) || !WH_UW_KNOWN(r, WH_UW_SP) || (pc & 3))
        return rc;
    lr = WH_UW_STRIP(r->v[WH_UW_LR]);
    /* (the link register after a direct call of a PLT entry: asked first,
     * the cheap test, so that pcs in no PLT cost no more) */
    if (!wh_uw_readable(lr - 4, 4) || wh_arch_call_target(lr, 4, &t) != WH_STUB_DIRECT ||
        !wh_uw_readable(t, sizeof c))
        return rc;
    memcpy(c, (const void *)t, sizeof c);
    if (wh_arch_stub_target(c, t, &g, &len) != WH_STUB_GOT)
        return rc;
    /* The PLT's header, before the entry in its section: the entry led
     * there (its slot not yet bound). */
    if (pc < t && t - pc < ((uintptr_t)1 << 20) && wh_uw_readable(pc, 4) &&
        wh_plt_header(pc, &push)) {
        uintptr_t sp = r->v[WH_UW_SP];
        if (pc > push) {
            /* (the pair pushed: x30 still holds what was pushed) */
            if ((sp & 15) || WH_UW_STRIP(((const uintptr_t *)sp)[1]) != lr)
                return rc;
            r->v[WH_UW_SP] = sp + 16;
        }
        r->v[WH_UW_RA] = lr;
        return WH_CFI_OK;
    }
    if (pc < t || pc - t >= len)
        return rc;
    r->v[WH_UW_RA] = lr; /* (its stack and frame pointers are the caller's) */
    return WH_CFI_OK;
#else
    uintptr_t pc = r->v[WH_UW_RA], sp = r->v[WH_UW_SP], g, ra, t;
    unsigned char c[WH_STUB_BYTES];
    if (!WH_UW_KNOWN(r, WH_UW_SP) || !wh_uw_readable(pc, sizeof c))
        return rc;
    memcpy(c, (const void *)pc, sizeof c);
    uint32_t len;
    if (wh_arch_stub_target(c, pc, &g, &len) != WH_STUB_GOT || !wh_safe_read(sp, &ra) ||
        !wh_uw_readable(ra - 8, 8) || wh_arch_call_target(ra, 8, &t) != WH_STUB_DIRECT ||
        pc - t >= WH_STUB_BYTES)
        return rc;
    r->v[WH_UW_RA] = ra;
    r->v[WH_UW_SP] = sp + 8;
    return WH_CFI_OK;
#endif
}

#ifdef WH_HAVE_DLFO
/* The program interpreter the main program names (PT_INTERP), from the
 * program headers the auxiliary vector gives; NULL without one (a static
 * program). */
WH_RT static const char *program_interp(void) {
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    size_t n = getauxval(AT_PHNUM);
    if (!ph || n > 64)
        return NULL;
    uintptr_t bias = wh_program_bias(ph, n);
    for (size_t i = 0; i < n; i++)
        if (ph[i].p_type == PT_INTERP && ph[i].p_filesz > 1)
            return (const char *)(bias + ph[i].p_vaddr);
    return NULL;
}

/* The object fo found is the dynamic loader: where the kernel loaded the
 * program's interpreter (AT_BASE), or, when the loader was run as a
 * command (ld.so ./prog: AT_BASE is 0), the object the program names as
 * its interpreter (the loader's link map takes that name). */
WH_RT static bool is_loader(const struct dl_find_object *fo) {
    uintptr_t base = (uintptr_t)getauxval(AT_BASE);
    if (base)
        return fo->dlfo_link_map->l_addr == base;
    const char *interp = program_interp(), *n = fo->dlfo_link_map->l_name;
    return interp && n && *n && !strcmp(n, interp);
}
#endif

WH_RT bool wh_uw_in_loader(uintptr_t pc) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    return _dl_find_object && _dl_find_object((void *)pc, &fo) == 0 && fo.dlfo_link_map &&
           is_loader(&fo);
#else
    (void)pc;
    return false;
#endif
}

/* Return address ra (no FDE covers it) is in the dynamic loader's start
 * code: the loader's entry point (_start, which calls _dl_start) and
 * _dl_start_user right after it, which calls _dl_init to run the
 * initializers (the program's .preinit_array, the constructors of the
 * libraries loaded at start) and then jumps to the program's entry.
 * glibc writes them in assembly without unwind tables (x86-64's and
 * AArch64's RTLD_START): the bottom of the stack, as the program's _start
 * is below main, though no CFI says so.  Found by the object (the
 * loader's) and the place: a call that ends at most WH_LOADER_START bytes
 * after the entry its ELF header gives. */
#define WH_LOADER_START 128u
WH_RT static bool loader_start(uintptr_t ra) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    if (!_dl_find_object || _dl_find_object((void *)(ra - 1), &fo) != 0 || !fo.dlfo_link_map ||
        !is_loader(&fo))
        return false;
    uintptr_t start = (uintptr_t)fo.dlfo_map_start;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)start;
    if ((start & 4095) || !wh_uw_readable(start, sizeof *eh) ||
        memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || !eh->e_entry)
        return false;
    uintptr_t entry = fo.dlfo_link_map->l_addr + eh->e_entry;
    return ra > entry && ra - entry <= WH_LOADER_START && wh_uw_readable(ra - 8, 8) &&
           wh_arch_ends_call(ra);
#else
    (void)ra;
    return false;
#endif
}

/* A return address that no call made: no unwind table covers the byte
 * before it, no call instruction ends there, and a function's table
 * starts at it.  The address of a function, pushed as the first frame's
 * return address when a stack was made: the start of a context, the
 * bottom of its stack, wherever that stack lies (a stack in its creator's
 * frame led the walk on into the creator's frames, and the end was said
 * to be code without unwind tables).  Only a function known to start
 * contexts so: the C library's (makecontext's __start_context) or an
 * instrumented one (a green-thread runtime's fiber exit).  Others are not
 * (helper-89): assembly that pushes a continuation and jumps, whose
 * frames below go on; a signal restorer of the program's own, which the
 * kernel pushed. */
WH_RT static bool pushed_start(struct image *im, uintptr_t ra) {
    struct wh_cfi_fde f;
    struct wh_pcinfo pi;
    return im->valid && im->hdr && wh_cfi_find_fde(&im->mem, im->hdr, ra, &f) == WH_CFI_OK &&
           f.pc_begin == ra && wh_uw_readable(ra - 8, 8) && !wh_arch_ends_call(ra) &&
           (wh_uw_in_libc(ra) || (wh_find(ra, false, &pi) && pi.entry == ra));
}

/* pc lies in the function whose symbol is name (a foreign function the
 * walk knows by its name, as gdb knows them: nothing in its code or tables
 * tells it from what a damaged stack makes up).  memo keeps the last pc
 * found to be [0] and not to be [1] in it: a profile's samples end at the
 * same frame again and again, and the symbol table's search is linear. */
WH_RT static bool in_named(uintptr_t pc, const char *name, _Atomic uintptr_t memo[2]) {
    if (pc == atomic_load_explicit(&memo[0], memory_order_relaxed))
        return true;
    if (pc == atomic_load_explicit(&memo[1], memory_order_relaxed))
        return false;
    struct wh_fsym s;
    bool is = wh_foreign_sym(pc, &s) && s.name && !strcmp(s.name, name);
    atomic_store_explicit(&memo[is ? 0 : 1], pc, memory_order_relaxed);
    return is;
}

/* The frame at pc is libgcc's __morestack (gcc's and clang's
 * -fsplit-stack: it runs the rest of a function that needs more stack on
 * a new segment, and returns to its caller on the old one): its CFA lies
 * on the segment it came from, anywhere, and the walk follows it there.
 * Only asked where a step would otherwise end, and only on x86-64 (the
 * other target's compilers have no -fsplit-stack; there a frame whose CFA
 * is its stack pointer, a leaf's, is common, and each would have searched
 * the symbol table: under qemu a profiling handler took longer than the
 * timer's period). */
WH_RT static bool split_stack_switch(uintptr_t pc) {
#if defined(__x86_64__)
    static _Atomic uintptr_t memo[2];
    return in_named(pc, "__morestack", memo);
#else
    (void)pc;
    return false;
#endif
}

/* Boost.Context's fibers (and Boost.Coroutine2's, Boost.Fiber's) start
 * with the address of make_fcontext's `finish` (which calls _exit) pushed
 * as their first frame's return address, after no call, in assembly
 * without unwind tables (Boost 1.74): the fiber's stack ends there, as a
 * makecontext context's ends at __start_context.  Before, every fiber's
 * stack ended said to be cut by code without unwind tables. */
WH_RT bool wh_uw_context_finish(uintptr_t ra) {
    static _Atomic uintptr_t memo[2];
    return wh_uw_readable(ra - 8, 8) && !wh_arch_ends_call(ra) &&
           in_named(ra, "make_fcontext", memo);
}

/* Bytes the frame of FDE f holds above the CFA its tables give: 16 for
 * glibc's AArch64 lazy-binding resolver (_dl_runtime_resolve,
 * sysdeps/aarch64/dl-trampoline.S), else 0.  It is entered from PLT0,
 * which pushed {x16, x30} below the caller's stack pointer (stp x16, x30,
 * [sp, #-16]!), and its tables leave those 16 bytes out: their CFA is the
 * stack pointer at its entry, 16 below the caller's, and x30 is saved at
 * CFA+8, above the CFA.  A walk took the save for a damaged stack (a
 * profile's samples in the resolver ended there, said complete), and with
 * the CFA as the caller's stack pointer a caller without a frame pointer
 * read its return address 16 bytes too low (the GOT slot's address PLT0
 * pushed: helper-126).  Known by that save in the loader's own code: the
 * FDE's last row (kept to its br) saves the return address at CFA+8 from
 * a CFA on the stack pointer.  Asked once per FDE the walk meets. */
WH_RT static uint8_t plt0_pushed(const struct wh_cfi_fde *f) {
#ifdef WH_UW_LR
    struct wh_cfi_row last;
    if (f->ra_reg != WH_UW_LR || f->pc_end <= f->pc_begin || !wh_uw_in_loader(f->pc_begin) ||
        wh_cfi_row_at(f, f->pc_end - 1, &last) != WH_CFI_OK || last.cfa_expr ||
        last.cfa_reg != WH_UW_SP || last.r[WH_UW_LR].kind != WH_RULE_OFFSET ||
        last.r[WH_UW_LR].off != 8)
        return 0;
    return 16;
#else
    (void)f;
    return 0;
#endif
}

/* One step: r (its pc exact or a return address) becomes its caller's
 * state; *sig says whether the frame left was a signal frame (its caller's
 * pc is then exact). */
WH_RT static int cfi_step(struct wh_uw_regs *r, bool exact, bool in_signal, struct image *im,
                          bool *sig);

WH_RT static int step(struct wh_uw_regs *r, bool exact, bool in_signal, struct image *im,
                      bool *sig) {
    int rc = cfi_step(r, exact, in_signal, im, sig);
    if (rc == WH_CFI_NOFDE && exact && r->v[WH_UW_RA]) {
        *sig = false;
        return plt_step(r, rc);
    }
    /* (a return address only: an interrupted function may not have
     * pushed its record yet) */
    if ((rc == WH_CFI_NOFDE || rc == WH_CFI_UNSUP) && !exact && r->v[WH_UW_RA] &&
        wh_uw_readable(r->v[WH_UW_RA] - 1, 1)) {
        *sig = false;
        /* (the loader's start code: no frame record to follow either, its
         * %rbp is whatever it holds) */
        if (rc == WH_CFI_NOFDE &&
            (loader_start(r->v[WH_UW_RA]) || pushed_start(im, r->v[WH_UW_RA]) ||
             wh_uw_context_finish(r->v[WH_UW_RA])))
            return WH_CFI_END;
        return fp_step(r, rc);
    }
    return rc;
}

/* A CFA expression's load (wh_cfi_eval): of the frame's own stack only,
 * from its red zone below its stack pointer (OpenSSL's sha512 AVX2 loop
 * keeps the pointer at rsp - 8 while it moves rsp) up to the largest frame
 * the walk takes (a function that realigned its stack keeps its caller's
 * stack pointer there: OpenSSL's), read through the kernel, as a damaged
 * stack's word may point anywhere. */
#define WH_DEREF_STRIDE (1u << 20) /* a loaded CFA's distance from the stack pointer */
#if defined(__x86_64__)
#define WH_DEREF_BELOW 128u /* the red zone */
#else
#define WH_DEREF_BELOW 0u
#endif
struct deref_ctx {
    uintptr_t sp;
    unsigned loads;
};

WH_RT static bool frame_deref(void *ctx, uintptr_t a, unsigned size, uintptr_t *out) {
    struct deref_ctx *d = ctx;
    uintptr_t sp = d->sp, v = 0;
    if (a + WH_DEREF_BELOW < sp || a - (sp - WH_DEREF_BELOW) > WH_MAX_STRIDE - size ||
        !wh_copy_in(&v, a, size))
        return false;
    d->loads++;
    *out = v; /* (little-endian: the low bytes) */
    return true;
}

WH_RT static int cfi_step(struct wh_uw_regs *r, bool exact, bool in_signal, struct image *im,
                          bool *sig) {
    uintptr_t pc = r->v[WH_UW_RA];
    if (!WH_UW_KNOWN(r, WH_UW_RA) || !WH_UW_KNOWN(r, WH_UW_SP) || !pc)
        return WH_CFI_END;
    uintptr_t at = exact ? pc : pc - 1;
    if (!im->valid || !wh_cfi_readable(&im->mem, at, 1)) {
        im->have_fde = false;
        im->nrows = 0;
        if (!image_of(at, in_signal, im))
            return WH_CFI_NOFDE;
    }
    if (!im->hdr)
        return WH_CFI_NOFDE;
    const struct wh_cfi_row *rowp = NULL;
    bool far = false;
    uintptr_t above = 0;
    for (uint32_t i = 0; i < im->nrows; i++)
        if (im->row_pc[i] == at) {
            rowp = &im->rows[i];
            far = im->row_far[i];
            above = im->row_above[i];
        }
    int rc;
    if (!rowp) {
        if (!im->have_fde || at < im->fde.pc_begin || at >= im->fde.pc_end) {
            im->have_fde = false;
            rc = wh_cfi_find_fde(&im->mem, im->hdr, at, &im->fde);
            if (rc != WH_CFI_OK)
                return rc;
            im->have_fde = true;
            im->fde_above = plt0_pushed(&im->fde);
        }
        uint32_t k = im->next_row;
        im->next_row = (k + 1) % 4;
        if (im->nrows < 4)
            im->nrows++;
        im->row_pc[k] = 0;
        rc = wh_cfi_row_at(&im->fde, at, &im->rows[k]);
        if (rc != WH_CFI_OK)
            return rc;
        im->row_pc[k] = at;
        rowp = &im->rows[k];
        far = im->row_far[k] = im->fde.pc_begin == wh_far_entry();
        above = im->row_above[k] = im->fde_above;
    }
    const struct wh_cfi_row *row = rowp;
    if (row->ra_reg < WH_UW_NREGS && row->r[row->ra_reg].kind == WH_RULE_UNDEF)
        return WH_CFI_END; /* _start, a thread's start: the bottom (whatever the CFA) */
    uintptr_t sp = r->v[WH_UW_SP], cfa;
    /* A CFA from an expression or a register other than the stack and
     * frame pointers (a loaded word, a register hand-written code keeps
     * anything in) may lie anywhere: its frame's saves are read through
     * the kernel (a guard page above a thread's stack faulted here,
     * helper-140), and one loaded from memory must stay within 1 MiB of
     * the stack pointer (a realigned frame's own; another thread's stack
     * lies further: a word that pointed there gave that thread's caller,
     * helper-140).  Not the frame pointer's: most frames' CFA on AArch64,
     * and on x86-64 in code built with frame pointers, read at every
     * sample (hand-written code whose tables give a frame-pointer CFA
     * while it keeps something else there is not guarded against). */
    bool loose = row->cfa_expr || (row->cfa_reg != WH_UW_SP && row->cfa_reg != WH_UW_FP);
    if (row->cfa_expr) {
        struct deref_ctx d = {sp, 0};
        if (!wh_cfi_eval(row->cfa_expr, row->cfa_expr_end, r->v, r->known, frame_deref, &d,
                         &cfa))
            return WH_CFI_UNSUP;
        if (d.loads && (cfa < sp || cfa - sp > WH_DEREF_STRIDE))
            return WH_CFI_FAR;
    } else {
        if (!WH_UW_KNOWN(r, row->cfa_reg))
            return WH_CFI_UNSUP;
        cfa = r->v[row->cfa_reg] + (uintptr_t)row->cfa_off;
    }
    /* With a link register, an interrupted leaf may have allocated nothing:
     * its CFA is its stack pointer.  A frame that made a call has saved
     * the link register somewhere below its CFA. */
    bool flat = false;
    /* The frame's top, its caller's stack pointer: the CFA, or above it
     * where the frame's tables leave out what PLT0 pushed (plt0_pushed).
     * Its saves are still found from the CFA. */
    uintptr_t top = cfa + above;
#ifdef WH_UW_LR
    flat = exact && top == sp;
#endif
    bool other = im->other_stack, sw = false;
    im->other_stack = far;
    if ((cfa & 7) || !cfa || top < cfa)
        return WH_CFI_BAD;
    if (!other && ((top <= sp && !flat) || top - sp > WH_MAX_STRIDE)) {
        if (!split_stack_switch(at))
            return WH_CFI_FAR;
        other = sw = true;
    }
    /* (on another stack the frame's stack pointer is not known: every
     * save below its CFA is taken as made) */
    uintptr_t lo = other ? 0 : sp;
    struct wh_uw_regs n = {.known = 0};
    for (uint32_t i = 0; i < WH_UW_NREGS; i++) {
        const struct wh_cfi_rule *ru = &row->r[i];
        uintptr_t a;
        switch (ru->kind) {
        case WH_RULE_SAME:
            n.v[i] = r->v[i];
            n.known |= r->known & WH_UW_BIT(i);
            break;
        case WH_RULE_OFFSET:
            a = cfa + (uintptr_t)ru->off;
            if (a < lo) {
                /* Below the stack pointer: an epilogue already popped the
                 * register (LLVM and glibc keep the rule until the ret), so
                 * it holds its caller's value again: known if it was known
                 * here (a walk from a signal context knows only the pc, sp
                 * and frame pointer; a callee-saved register it does not
                 * know stays unknown rather than ending the walk). */
                n.v[i] = r->v[i];
                n.known |= r->known & WH_UW_BIT(i);
                break;
            }
            if (a < lo || a >= top || (a & 7))
                return WH_CFI_BAD;
            /* (the other segment's frame, or a loose CFA's: read only
             * where it is mapped, through the kernel) */
            if (sw || loose) {
                if (!wh_copy_in(&n.v[i], a, sizeof n.v[i]))
                    return WH_CFI_FAR;
            } else {
                n.v[i] = *(const uintptr_t *)a;
            }
            n.known |= WH_UW_BIT(i);
            break;
        case WH_RULE_VAL_OFFSET:
            n.v[i] = cfa + (uintptr_t)ru->off;
            n.known |= WH_UW_BIT(i);
            break;
        case WH_RULE_REG:
            n.v[i] = r->v[ru->reg];
            n.known |= r->known & WH_UW_BIT(ru->reg) ? WH_UW_BIT(i) : 0;
            break;
        default: /* undefined, or saved by an expression */
            break;
        }
    }
    uint32_t ra_reg = row->ra_reg;
    if (row->r[ra_reg].kind == WH_RULE_UNDEF)
        return WH_CFI_END; /* _start, a thread's start: the bottom */
    if (!(n.known & WH_UW_BIT(ra_reg)))
        return WH_CFI_UNSUP;
    /* (a frame entered from PLT0: where the pair it pushed is not popped
     * yet, its return address is the one the tables give, at every row;
     * else this is no such frame) */
    if (above && cfa + 8 >= lo && *(const uintptr_t *)(cfa + 8) != n.v[ra_reg])
        return WH_CFI_BAD;
    uintptr_t ra = WH_UW_STRIP(n.v[ra_reg]);
    /* (a loose CFA's frame whose return address reads 0 is no bottom of a
     * stack: a word of a thread's TLS block, helper-140) */
    if (!ra && loose)
        return WH_CFI_BAD;
    n.v[WH_UW_RA] = ra;
    n.known |= WH_UW_BIT(WH_UW_RA);
    n.v[WH_UW_SP] = top;
    n.known |= WH_UW_BIT(WH_UW_SP);
    /* A Swift async frame saved its caller's frame pointer with a tag */
    uintptr_t untagged;
    if ((n.known & WH_UW_BIT(WH_UW_FP)) && (n.v[WH_UW_FP] >> 57) &&
        (untagged = wh_fp_untag(n.v[WH_UW_FP])) != 0)
        n.v[WH_UW_FP] = untagged;
    if (!ra)
        return WH_CFI_END;
    *r = n;
    *sig = row->signal_frame;
    return WH_CFI_OK;
}

WH_RT int wh_uw_walk(struct wh_uw_regs *r, bool exact, bool in_signal, uint32_t max,
                     wh_uw_visit_fn visit, void *ctx) {
    struct image im;
    im.valid = false;
    im.other_stack = false;
    im.have_fde = false;
    im.nrows = im.next_row = 0;
    for (uint32_t i = 0; i < max; i++) {
        if (!visit(ctx, r, exact))
            return WH_CFI_OK;
        bool sig = false;
        int rc = step(r, exact, in_signal, &im, &sig);
        if (rc != WH_CFI_OK)
            return rc;
        exact = sig;
    }
    return WH_CFI_BAD;
}

WH_RT bool wh_uw_in_libc(uintptr_t pc) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    if (!_dl_find_object || _dl_find_object((void *)pc, &fo) != 0 || !fo.dlfo_link_map)
        return false;
    const char *n = fo.dlfo_link_map->l_name, *b = n ? strrchr(n, '/') : NULL;
    b = b ? b + 1 : n;
    return b && !strncmp(b, "libc.so", 7);
#else
    (void)pc;
    return false;
#endif
}

WH_RT bool wh_uw_in_self(uintptr_t pc) {
#ifdef WH_HAVE_DLFO
    /* (this object's start, asked of the loader once; 1: the program's) */
    static _Atomic uintptr_t self;
    uintptr_t at = atomic_load_explicit(&self, memory_order_relaxed);
    struct dl_find_object fo;
    if (!at) {
        if (!_dl_find_object || _dl_find_object((void *)(uintptr_t)&wh_uw_in_self, &fo) != 0)
            return false;
        at = fo.dlfo_link_map == _r_debug.r_map ? 1 : (uintptr_t)fo.dlfo_map_start;
        atomic_store_explicit(&self, at, memory_order_relaxed);
    }
    return at != 1 && _dl_find_object((void *)pc, &fo) == 0 && (uintptr_t)fo.dlfo_map_start == at;
#else
    (void)pc;
    return false;
#endif
}

WH_RT bool wh_uw_outside_objects(uintptr_t pc, bool ra) {
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    if (!_dl_find_object || pc < 8 || _dl_find_object((void *)(ra ? pc - 1 : pc), &fo) == 0)
        return false;
    /* The 8 bytes before pc (a return address: they must end with a call),
     * copied to the same offset modulo 8 (qemu-user has no
     * process_vm_readv: the pipe then tells). */
    union {
        unsigned char b[24];
        uint64_t align;
    } u = {{0}};
    unsigned char *end = u.b + 8 + (pc & 7);
    /* (a call may end where pc's page starts: the page before, if it is
     * mapped; else not before pc's page, which may be the mapping's
     * first: helper-140's JIT code) */
    if (ra && (wh_safe_copy(end - 8, pc - 8, 8) || wh_copy_in(end - 8, pc - 8, 8)))
        return wh_arch_ends_call((uintptr_t)end);
    uintptr_t lo = pc - 8 < (pc & ~(uintptr_t)4095) ? pc & ~(uintptr_t)4095 : pc - 8;
    size_t n = pc - lo;
    if (!n) /* (pc starts its page: no call can end there) */
        return !ra && wh_safe_copy(u.b, pc, 1);
    if (!wh_safe_copy(end - n, lo, n) && !wh_copy_in(end - n, lo, n))
        return false;
    return !ra || wh_arch_ends_call((uintptr_t)end);
#else
    (void)pc, (void)ra;
    return false;
#endif
}

WH_RT static int no_index_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    uintptr_t pc = *(uintptr_t *)arg;
    bool here = false, hdr = false;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && pc >= lo && pc - lo < ph->p_memsz)
            here = true;
        if (ph->p_type == PT_GNU_EH_FRAME)
            hdr = true;
    }
    return !here ? 0 : hdr ? 1 : 2;
}

WH_RT bool wh_uw_no_index(uintptr_t pc, bool in_signal) {
#ifdef WH_HAVE_DLFO
    if (_dl_find_object) {
        struct dl_find_object fo;
        return _dl_find_object((void *)pc, &fo) == 0 && fo.dlfo_link_map && !fo.dlfo_eh_frame;
    }
#endif
    if (in_signal)
        return false;
    return dl_iterate_phdr(no_index_cb, &pc) == 2;
}

WH_RT int wh_uw_fde_span(uintptr_t pc, bool in_signal, uintptr_t *lo, uintptr_t *hi) {
    struct image im;
    struct wh_cfi_fde f;
    if (!image_of(pc, in_signal, &im) || !im.hdr)
        return -1;
    switch (wh_cfi_find_fde(&im.mem, im.hdr, pc, &f)) {
    case WH_CFI_OK:
        *lo = f.pc_begin;
        *hi = f.pc_end;
        return 1;
    case WH_CFI_NOFDE:
        return 0;
    default:
        return -1;
    }
}

/* Where pc lies: in no loaded object, in an executable segment of one, or
 * elsewhere in one (a data segment, a gap); CODE when that cannot be asked
 * without the loader's lock. */
enum { IN_NO_OBJECT, IN_CODE, IN_DATA };
WH_RT static int code_state(uintptr_t pc) {
#ifdef WH_HAVE_DLFO
    if (_dl_find_object) {
        struct dl_find_object fo;
        const ElfW(Phdr) *ph;
        size_t n;
        uintptr_t bias;
        if (!image_phdrs(pc, &fo, &ph, &n, &bias))
            return IN_NO_OBJECT;
        /* (an execute-only segment is code: ld.lld --execute-only) */
        for (size_t i = 0; i < n; i++)
            if (ph[i].p_type == PT_LOAD && pc - (bias + ph[i].p_vaddr) < ph[i].p_memsz)
                return ph[i].p_flags & PF_X ? IN_CODE : IN_DATA;
        return IN_DATA; /* in no segment: a gap */
    }
#endif
    (void)pc;
    return IN_CODE;
}

WH_RT bool wh_uw_no_code(uintptr_t pc) {
    return code_state(pc) != IN_CODE;
}

WH_RT bool wh_uw_object_data(uintptr_t pc) {
    return code_state(pc) == IN_DATA;
}

WH_RT bool wh_uw_readable(uintptr_t pc, size_t len) {
#ifdef WH_HAVE_DLFO
    if (_dl_find_object) {
        /* Inside a readable segment, not merely inside the object's span,
         * whose holes between segments may be unmapped or PROT_NONE. */
        struct wh_cfi_mem mem;
        uintptr_t hdr;
        if (!image_dlfo(pc, &mem, &hdr))
            return false;
        for (uint32_t i = 0; i < mem.n; i++)
            if (pc >= mem.lo[i] && len <= mem.hi[i] - pc)
                return true;
        return false;
    }
#endif
    (void)len;
    return true;
}
