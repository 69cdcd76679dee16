/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * elf.c - reading a linked ELF file for whence-link: the whole file into
 * memory, its program headers and, when it has them, its section headers
 * and their names.  Only what the runtime linked into this whence-link
 * can load is accepted: ELF64, little endian, the machine it was built for
 * (EM_X86_64 or EM_AARCH64: the table is computed by the runtime's own
 * lookups, which read the image's code as that machine's), ET_EXEC or
 * ET_DYN.  Every offset and size is checked against the file before it is
 * used.
 */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#define WL_MACHINE EM_X86_64
#define WL_MACHINE_NAME "x86-64"
#elif defined(__aarch64__)
#define WL_MACHINE EM_AARCH64
#define WL_MACHINE_NAME "AArch64"
#else
#error "whence-link is built for x86-64 or AArch64 only"
#endif

/* The name of machine m, for a file of another machine than this tool's. */
static const char *machine_name(unsigned m) {
    switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    default: return NULL;
    }
}

static bool inside(const struct wl_file *f, uint64_t off, uint64_t size) {
    return off <= f->size && size <= f->size - off;
}

int wl_read(const char *path, struct wl_file *f, char *why, size_t whylen) {
    memset(f, 0, sizeof *f);
    f->path = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot open it: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(why, whylen, "not a regular file");
        return -1;
    }
    f->mode = st.st_mode & 07777;
    f->size = (size_t)st.st_size;
    f->bytes = malloc(f->size ? f->size : 1);
    if (!f->bytes) {
        close(fd);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    for (size_t got = 0; got < f->size;) {
        ssize_t n = read(fd, f->bytes + got, f->size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            snprintf(why, whylen, "cannot read it: %s", n < 0 ? strerror(errno) : "short file");
            return -1;
        }
        got += (size_t)n;
    }
    close(fd);

    if (f->size < sizeof f->eh || memcmp(f->bytes, ELFMAG, SELFMAG)) {
        snprintf(why, whylen, "not an ELF file");
        return -1;
    }
    memcpy(&f->eh, f->bytes, sizeof f->eh);
    const Elf64_Ehdr *e = &f->eh;
    if (e->e_ident[EI_CLASS] != ELFCLASS64 || e->e_ident[EI_DATA] != ELFDATA2LSB) {
        snprintf(why, whylen, "not a 64-bit little-endian ELF file (whence supports x86-64 "
                              "and AArch64 Linux)");
        return -1;
    }
    if (e->e_machine != WL_MACHINE) {
        const char *other = machine_name(e->e_machine);
        if (other)
            snprintf(why, whylen,
                     "an %s file: this whence-link is built for " WL_MACHINE_NAME
                     " (run the whence-link of an %s build of whence)",
                     other, other);
        else
            snprintf(why, whylen, "not an " WL_MACHINE_NAME " ELF file (machine %u)",
                     (unsigned)e->e_machine);
        return -1;
    }
    if (e->e_type != ET_EXEC && e->e_type != ET_DYN) {
        snprintf(why, whylen, "not a linked executable or shared library (ELF type %u)",
                 (unsigned)e->e_type);
        return -1;
    }
    if (e->e_phentsize != sizeof(Elf64_Phdr) || !e->e_phnum ||
        !inside(f, e->e_phoff, (uint64_t)e->e_phnum * sizeof(Elf64_Phdr)) || e->e_phoff % 8) {
        snprintf(why, whylen, "bad program headers");
        return -1;
    }
    f->ph = (Elf64_Phdr *)(f->bytes + e->e_phoff);
    f->nph = e->e_phnum;
    for (unsigned i = 0; i < f->nph; i++)
        if (f->ph[i].p_type == PT_LOAD && f->ph[i].p_filesz &&
            (!inside(f, f->ph[i].p_offset, f->ph[i].p_filesz) ||
             f->ph[i].p_filesz > f->ph[i].p_memsz)) {
            snprintf(why, whylen, "a loadable segment lies outside the file");
            return -1;
        }

    /* Section headers: optional (sstrip and some packers remove them). */
    if (!e->e_shoff || !e->e_shnum)
        return 0;
    if (e->e_shentsize != sizeof(Elf64_Shdr) ||
        !inside(f, e->e_shoff, (uint64_t)e->e_shnum * sizeof(Elf64_Shdr)) ||
        e->e_shstrndx >= e->e_shnum) {
        snprintf(why, whylen, "bad section headers");
        return -1;
    }
    f->nsh = e->e_shnum;
    f->sh = malloc(f->nsh * sizeof *f->sh);
    if (!f->sh) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    memcpy(f->sh, f->bytes + e->e_shoff, f->nsh * sizeof *f->sh);
    const Elf64_Shdr *ss = &f->sh[e->e_shstrndx];
    if (ss->sh_type != SHT_STRTAB || !inside(f, ss->sh_offset, ss->sh_size) || !ss->sh_size ||
        f->bytes[ss->sh_offset + ss->sh_size - 1] != 0) {
        snprintf(why, whylen, "bad section name table");
        return -1;
    }
    f->shstr = (const char *)f->bytes + ss->sh_offset;
    f->shstr_size = ss->sh_size;
    for (unsigned i = 0; i < f->nsh; i++)
        if (f->sh[i].sh_type != SHT_NOBITS && f->sh[i].sh_type != SHT_NULL &&
            !inside(f, f->sh[i].sh_offset, f->sh[i].sh_size)) {
            snprintf(why, whylen, "section %s lies outside the file", wl_section_name(f, i));
            return -1;
        }
    return 0;
}

void wl_file_free(struct wl_file *f) {
    free(f->bytes);
    free(f->sh);
    memset(f, 0, sizeof *f);
}

const char *wl_section_name(const struct wl_file *f, unsigned i) {
    if (i >= f->nsh || f->sh[i].sh_name >= f->shstr_size)
        return "?";
    return f->shstr + f->sh[i].sh_name;
}

int wl_section(const struct wl_file *f, const char *name) {
    for (unsigned i = 1; i < f->nsh; i++)
        if (!strcmp(wl_section_name(f, i), name))
            return (int)i;
    return -1;
}

void wl_find_sections(const struct wl_file *f, struct wl_secs *s) {
    struct {
        struct wl_sect *d;
        const char *name;
    } want[] = {{&s->fn, WHENCE_SECT_FN},     {&s->site, WHENCE_SECT_SITE},
                {&s->mod, WHENCE_SECT_MOD},   {&s->line, WHENCE_SECT_LINE},
                {&s->tab, WHENCE_SECT_TAB}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int k = wl_section(f, want[i].name);
        want[i].d->index = k;
        want[i].d->addr = k >= 0 ? f->sh[k].sh_addr : 0;
        want[i].d->size = k >= 0 ? f->sh[k].sh_size : 0;
    }
}
