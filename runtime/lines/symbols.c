/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * symbols.c - frames outside instrumented code, for the crash report (the
 * function from the image's own symbol table, its line from .debug_line)
 * and the CPU profile (the names of static functions).
 *
 * whence's records name only the code the pass compiled.  A crash in libc
 * (strlen of NULL), in a library built without the plugin, or in code a
 * post-link optimizer moved (BOLT rewrites functions to new addresses that
 * no record names) would otherwise be "fault outside instrumented code"
 * and a stack that leaves those frames out.  The file behind the image is
 * already mapped for its line table (image.c, checked to be the loaded
 * image), so its .symtab (else .dynsym) names such a pc: the function
 * symbol whose [value, value + size) holds it, after the code bytes around
 * the pc are compared with the file's.  The line is the line table's for
 * that instruction: the innermost position, which may be in code inlined
 * into the function (the table alone does not say; docs/STACKS.md).
 * Async-signal-safe: reads the kept mapping only; a linear scan of the
 * symbol table per frame, bounded by its size.
 */
#define _GNU_SOURCE
#include "lines.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>

#include "../dlfo.h"

/* The section of the given type, bounds checked; NULL if none. */
WH_RT static const ElfW(Shdr) *section(const struct wh_ln_file *f, uint32_t type) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)f->base;
    if (f->size < sizeof *eh || eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff > f->size ||
        (f->size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum)
        return NULL;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(f->base + eh->e_shoff);
    for (uint32_t i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == type && sh[i].sh_link < eh->e_shnum &&
            sh[i].sh_entsize == sizeof(ElfW(Sym)) && sh[i].sh_offset % 8 == 0 &&
            sh[i].sh_offset <= f->size &&
            sh[i].sh_size <= f->size - sh[i].sh_offset) {
            const ElfW(Shdr) *str = &sh[sh[i].sh_link];
            if (str->sh_type == SHT_STRTAB && str->sh_offset <= f->size &&
                str->sh_size <= f->size - str->sh_offset && str->sh_size)
                return &sh[i];
        }
    return NULL;
}

/* A symbol table and its strings, bounds checked by section(). */
struct syms {
    const ElfW(Sym) *sym;
    size_t n;
    const char *strs;
    size_t strsz;
};

WH_RT static struct syms syms_of(const struct wh_ln_file *f, const ElfW(Shdr) *st) {
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(f->base + ((const ElfW(Ehdr) *)f->base)->e_shoff);
    const ElfW(Shdr) *str = &sh[st->sh_link];
    return (struct syms){(const ElfW(Sym) *)(f->base + st->sh_offset),
                         st->sh_size / sizeof(ElfW(Sym)),
                         (const char *)f->base + str->sh_offset, str->sh_size};
}

/* The name of s (*len its length) if it is a function with code and a
 * name that ends inside the strings; else NULL.  (An ifunc's value is its
 * resolver, not the code it picks.) */
WH_RT static const char *func_name(const struct syms *t, const ElfW(Sym) *s, size_t *len) {
    if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF || !s->st_size ||
        s->st_value + s->st_size < s->st_value || s->st_name >= t->strsz)
        return NULL;
    const char *nm = t->strs + s->st_name;
    size_t room = t->strsz - s->st_name, k = 0;
    while (k < room && nm[k])
        k++;
    if (k == room || !k)
        return NULL;
    *len = k;
    return nm;
}

/* The function symbol of table st holding file address a (a global one
 * before a local alias of it); false if none. */
WH_RT static bool holder(const struct wh_ln_file *f, const ElfW(Shdr) *st, uint64_t a,
                         const char **name, uint64_t *value, uint64_t *size) {
    struct syms t = syms_of(f, st);
    bool found = false, global = false;
    for (size_t i = 0; i < t.n; i++) {
        const ElfW(Sym) *s = &t.sym[i];
        if (a < s->st_value || a - s->st_value >= s->st_size)
            continue;
        bool g = ELF64_ST_BIND(s->st_info) != STB_LOCAL;
        size_t len;
        const char *nm;
        if ((found && (global || !g)) || !(nm = func_name(&t, s, &len)))
            continue;
        *name = nm;
        *value = s->st_value;
        *size = s->st_size;
        found = true;
        global = g;
    }
    return found;
}

/* The name of s if it is a label of code without a function's type, or a
 * function symbol without a size, in an executable section (an assembly
 * function without .type or .size: Ruby's coroutine_transfer, OpenSSL's
 * __bn_postx4x_internal), and that section's end in *sec_end; else NULL.
 * Not AArch64's and Arm's mapping symbols ($x, $d), which mark code and
 * data, nor a section's or a file's symbol. */
WH_RT static const char *label_name(const struct wh_ln_file *f, const struct syms *t,
                                    const ElfW(Sym) *s, uint64_t *sec_end) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)f->base;
    unsigned type = ELF64_ST_TYPE(s->st_info);
    if ((type != STT_NOTYPE && (type != STT_FUNC || s->st_size)) || s->st_shndx == SHN_UNDEF ||
        s->st_shndx >= eh->e_shnum || s->st_name >= t->strsz)
        return NULL;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(f->base + eh->e_shoff) + s->st_shndx;
    if (!(sh->sh_flags & SHF_EXECINSTR) || s->st_value < sh->sh_addr ||
        s->st_value - sh->sh_addr >= sh->sh_size)
        return NULL;
    const char *nm = t->strs + s->st_name;
    size_t room = t->strsz - s->st_name, k = 0;
    while (k < room && nm[k])
        k++;
    if (k == room || !k || nm[0] == '$')
        return NULL;
    *sec_end = sh->sh_addr + sh->sh_size;
    return nm;
}

/* Nothing but (when labels) local code labels without a size lies
 * between lo and a in t (a global one is a function of its own: crtstuff's
 * frame_dummy, a function without a size, lies below programs' first
 * assembly); *end comes down to the next symbol above a. */
WH_RT static bool nothing_between(const struct syms *t, uint64_t lo, uint64_t a, bool labels,
                                  uint64_t *end) {
    for (size_t i = 0; i < t->n; i++) {
        const ElfW(Sym) *s = &t->sym[i];
        unsigned type = ELF64_ST_TYPE(s->st_info);
        /* (nor a mapping symbol: AArch64's $x after a data island) */
        if (s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_ABS || type == STT_SECTION ||
            type == STT_FILE || type == STT_TLS ||
            (type == STT_NOTYPE && s->st_name < t->strsz && t->strs[s->st_name] == '$'))
            continue;
        uint64_t v = s->st_value, e = v + s->st_size;
        if (v > lo && v <= a &&
            !(labels && type == STT_NOTYPE && !s->st_size &&
              ELF64_ST_BIND(s->st_info) == STB_LOCAL))
            return false; /* a symbol between: not the label's code */
        if (s->st_size && e > lo && e <= a)
            return false; /* a sized symbol ends between them */
        if (v > a && v < *end)
            *end = v;
    }
    return true;
}

/* No function symbol holds a: the label nearest below it (above), when
 * nothing else lies between them (no symbol starts or ends there: a pc in
 * the padding after a sized function is no label's), a is in the label's
 * section and, for a label with a size, inside it; its size is that, else
 * up to the next symbol or the section's end.  gdb and llvm-symbolizer
 * name such code so; before, a crash or a profile sample there had only
 * the object and an offset, and pprof took the whole mapping for unnamed
 * (helper-137, helper-138).  A function symbol without a size with only
 * local labels between it and a names it over them (a loop's label inside
 * an assembly function with .type and no .size: gdb names the label). */
WH_RT static bool label_holder(const struct wh_ln_file *f, const ElfW(Shdr) *st, uint64_t a,
                               const char **name, uint64_t *value, uint64_t *size) {
    struct syms t = syms_of(f, st);
    const ElfW(Sym) *best = NULL, *fn = NULL;
    uint64_t end = 0, fn_end = 0;
    for (size_t i = 0; i < t.n; i++) {
        const ElfW(Sym) *s = &t.sym[i];
        uint64_t e;
        if (s->st_value > a || !label_name(f, &t, s, &e) || a >= e)
            continue;
        if (!best || s->st_value > best->st_value)
            best = s, end = e;
        /* (a function without a size: its inner labels do not name it) */
        if (ELF64_ST_TYPE(s->st_info) == STT_FUNC && (!fn || s->st_value > fn->st_value))
            fn = s, fn_end = e;
    }
    if (fn && fn != best && nothing_between(&t, fn->st_value, a, true, &fn_end))
        best = fn, end = fn_end;
    else if (!best || (best->st_size && a - best->st_value >= best->st_size))
        return false;
    else {
        if (best->st_size)
            end = best->st_value + best->st_size;
        if (!nothing_between(&t, best->st_value, a, false, &end))
            return false;
    }
    *name = t.strs + best->st_name;
    *value = best->st_value;
    *size = end - best->st_value;
    return true;
}

/* The .symtab of f's image: its own, else its separate debug file's (in
 * *in: the file the table is read from); NULL if neither has one. */
WH_RT static const ElfW(Shdr) *symtab(const struct wh_ln_file *f, struct wh_ln_file *in) {
    const ElfW(Shdr) *st = section(f, SHT_SYMTAB);
    *in = *f;
    if (!st && wh_ln_debug_file(f, in) && !(st = section(in, SHT_SYMTAB)))
        *in = *f;
    return st;
}

WH_RT bool wh_symtab_each(uintptr_t pc, wh_sym_fn fn, void *ctx) {
    struct wh_ln_file img, f;
    const ElfW(Shdr) *st;
    if (wh_ln_file_of(pc, &img) != WH_LN_OK || !(st = symtab(&img, &f)))
        return false;
    struct syms t = syms_of(&f, st);
    for (size_t i = 0; i < t.n; i++) {
        const ElfW(Sym) *s = &t.sym[i];
        size_t len;
        const char *nm = func_name(&t, s, &len);
        if (nm && !fn(ctx, nm, len, s->st_value + f.bias, s->st_value + s->st_size + f.bias))
            break;
    }
    return true;
}

WH_RT bool wh_in_object(uintptr_t pc) {
#ifdef DLFO_STRUCT_HAS_EH_DBASE
    struct dl_find_object fo;
    return _dl_find_object && _dl_find_object((void *)pc, &fo) == 0 && fo.dlfo_link_map;
#else
    (void)pc;
    return false;
#endif
}

WH_RT bool wh_foreign_sym(uintptr_t pc, struct wh_fsym *s) {
    *s = (struct wh_fsym){0};
#ifdef DLFO_STRUCT_HAS_EH_DBASE
    struct dl_find_object fo;
    if (!_dl_find_object || _dl_find_object((void *)pc, &fo) != 0 || !fo.dlfo_link_map)
        return false;
    const struct link_map *lm = fo.dlfo_link_map;
    s->object = lm->l_name && *lm->l_name ? lm->l_name : program_invocation_name;
    s->bias = lm->l_addr;
    struct wh_ln_file img, f;
    if (wh_ln_file_of(pc, &img) != WH_LN_OK)
        return true;
    s->bias = img.bias;
    /* .symtab (the image's, else its debug file's: values are the same
     * addresses; the code is compared with the image's own file below),
     * else the image's .dynsym. */
    const ElfW(Shdr) *st = symtab(&img, &f);
    const char *name;
    uint64_t value, size;
    if (!(st && holder(&f, st, pc - f.bias, &name, &value, &size))) {
        struct wh_ln_file in = f;
        const ElfW(Shdr) *ds;
        f = img;
        if (!((ds = section(&f, SHT_DYNSYM)) && holder(&f, ds, pc - f.bias, &name, &value, &size))) {
            /* (.symtab only: .dynsym leaves out the static functions
             * that may lie between a label and the pc, helper-140) */
            f = in;
            if (!(st && label_holder(&f, st, pc - f.bias, &name, &value, &size)))
                return true;
        }
    }
    if (size > UINT32_MAX || !wh_ln_same_code(&f, pc, value + f.bias, size))
        return true;
    s->name = name;
    s->start = value + f.bias;
    s->size = size;
    return true;
#else
    (void)pc;
    return false;
#endif
}
