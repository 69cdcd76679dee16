/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * write.c - the new file: the table in the reservation, with no relinking.
 *
 * The reservation (whence_tab) is SHT_NOBITS at the end of the image's last
 * loadable segment, after .bss: memory the loader zero-fills, with no byte
 * in the file.  Writing the table there makes the segment's file part
 * longer (p_filesz) up to the table's end; the .bss before it becomes
 * file bytes too, zeros, as the loader would have made them (SHT_PROGBITS
 * from then on, so that strip and objcopy keep them).  Nothing that is
 * loaded moves: every address and every byte of code stays.  What follows
 * the segment in the file (section contents that are not loaded, the
 * section header table, notes) moves down by the added bytes, rounded so
 * that every alignment in it holds.
 *
 * Where the reservation is already file bytes (SHT_PROGBITS: a file whose
 * layout something else made), the table is written in place.
 *
 * The result goes to a temporary file next to the output, with the input's
 * mode, renamed over the output when complete: a crash leaves the old file.
 */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The PT_LOAD holding vaddr a (in its memory size), or -1. */
static int load_of(const struct wl_file *f, uint64_t a) {
    for (unsigned i = 0; i < f->nph; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type == PT_LOAD && a >= p->p_vaddr && a - p->p_vaddr < p->p_memsz)
            return (int)i;
    }
    return -1;
}

static bool has_bytes(const Elf64_Shdr *s) {
    return s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL && s->sh_size;
}

const char *wl_can_write(const struct wl_file *f, const struct wl_secs *s, uint64_t *extra) {
    const Elf64_Shdr *t = &f->sh[s->tab.index];
    *extra = 0;
    if (t->sh_addr % 8 || !(t->sh_flags & SHF_ALLOC))
        return "its whence_tab section is not 8-aligned allocated memory";
    int li = load_of(f, t->sh_addr);
    if (li < 0 || t->sh_addr + t->sh_size > f->ph[li].p_vaddr + f->ph[li].p_memsz)
        return "its whence_tab section is not inside a loadable segment";
    const Elf64_Phdr *L = &f->ph[li];
    if (t->sh_type == SHT_PROGBITS)
        return t->sh_addr + t->sh_size <= L->p_vaddr + L->p_filesz
                   ? NULL
                   : "its whence_tab section is not inside the file part of its segment";
    if (t->sh_type != SHT_NOBITS)
        return "its whence_tab section is neither NOBITS nor PROGBITS";
    uint64_t fend = L->p_offset + L->p_filesz, fvend = L->p_vaddr + L->p_filesz;
    if (t->sh_addr < fvend)
        return "its whence_tab section overlaps its segment's file bytes";
    /* The segment must be the last thing loaded from the file: what follows
     * it will move. */
    for (unsigned i = 0; i < f->nph; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if ((int)i == li || !p->p_filesz)
            continue;
        if (p->p_offset >= fend && p->p_type == PT_LOAD)
            return "another loadable segment follows the one of whence_tab in the file";
        if (p->p_offset < fend && p->p_offset + p->p_filesz > fend)
            return "a segment straddles the end of whence_tab's segment in the file";
    }
    /* Between the segment's file end and the reservation: only zero-filled
     * sections (.bss), which become zeros in the file. */
    for (unsigned i = 1; i < f->nsh; i++) {
        const Elf64_Shdr *c = &f->sh[i];
        if (has_bytes(c) && c->sh_offset < fend && c->sh_offset + c->sh_size > fend)
            return "a section straddles the end of whence_tab's segment in the file";
        if (!(c->sh_flags & SHF_ALLOC) || (int)i == s->tab.index || c->sh_addr >= t->sh_addr ||
            c->sh_addr + c->sh_size <= fvend)
            continue;
        if (c->sh_type != SHT_NOBITS)
            return "a section with file bytes lies between its segment's file end and whence_tab";
        if (c->sh_flags & SHF_TLS)
            continue; /* TLS takes no room in the segment's memory */
    }
    if (f->eh.e_shoff < fend)
        return "its section headers lie inside the loaded part of the file";
    *extra = t->sh_addr - fvend;
    return NULL;
}

static int commit_to(const char *out, const unsigned char *b, size_t n, mode_t mode, char *why,
                     size_t whylen);

/* Writes n bytes to a new file next to out, then renames it over out. */
static int commit(const char *out, const unsigned char *b, size_t n, mode_t mode, char *why,
                  size_t whylen) {
    /* A symbolic link (libfoo.so -> libfoo.so.1.2.3) is written through,
     * as the loader reads it: renamed over, the link would become a copy
     * and the file it names would keep no table. */
    struct stat st;
    char *real = NULL;
    if (lstat(out, &st) == 0 && S_ISLNK(st.st_mode)) {
        real = realpath(out, NULL);
        if (!real) {
            snprintf(why, whylen, "cannot follow the symbolic link %s: %s", out, strerror(errno));
            return -1;
        }
        out = real;
    }
    int rc = commit_to(out, b, n, mode, why, whylen);
    free(real);
    return rc;
}

static int commit_to(const char *out, const unsigned char *b, size_t n, mode_t mode, char *why,
                     size_t whylen) {
    char *dup = strdup(out);
    if (!dup) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.whence-link.XXXXXX", dirname(dup), basename((char *)out));
    free(dup);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, whylen, "cannot create a file next to %s: %s", out, strerror(errno));
        return -1;
    }
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, b + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    /* The file it replaces keeps its owner and group where this user may
     * give them (root); before the mode, which a change of owner clears
     * the set-user-ID bit of. */
    struct stat was;
    if (stat(out, &was) == 0 && (was.st_uid != geteuid() || was.st_gid != getegid()) &&
        fchown(fd, was.st_uid, was.st_gid) != 0) {
        /* not allowed: the new file is this user's, as a copy would be */
    }
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0 || close(fd) != 0) {
        snprintf(why, whylen, "cannot finish %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, out) != 0) {
        snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, out, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int wl_copy(const struct wl_file *f, const char *out, char *why, size_t whylen) {
    return commit(out, f->bytes, f->size, f->mode, why, whylen);
}

int wl_write(const struct wl_file *f, const struct wl_secs *s, const unsigned char *table,
             size_t size, const char *out, char *why, size_t whylen) {
    const Elf64_Shdr *t = &f->sh[s->tab.index];
    int li = load_of(f, t->sh_addr);
    const Elf64_Phdr *L = &f->ph[li];
    uint64_t tab_off = L->p_offset + (t->sh_addr - L->p_vaddr);

    if (t->sh_type == SHT_PROGBITS) { /* already file bytes: in place */
        unsigned char *b = malloc(f->size);
        if (!b) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        memcpy(b, f->bytes, f->size);
        memcpy(b + tab_off, table, size);
        memset(b + tab_off + size, 0, t->sh_size - size);
        int rc = commit(out, b, f->size, f->mode, why, whylen);
        free(b);
        return rc;
    }

    uint64_t old_end = L->p_offset + L->p_filesz;
    uint64_t new_end = tab_off + size;
    /* What follows moves by delta, a multiple of the largest alignment in
     * it. */
    uint64_t align = 8;
    for (unsigned i = 1; i < f->nsh; i++)
        if (has_bytes(&f->sh[i]) && f->sh[i].sh_offset >= old_end && f->sh[i].sh_addralign > align)
            align = f->sh[i].sh_addralign;
    for (unsigned i = 0; i < f->nph; i++)
        if (f->ph[i].p_filesz && f->ph[i].p_offset >= old_end && f->ph[i].p_align > align)
            align = f->ph[i].p_align;
    if (align > 4096 || (align & (align - 1))) {
        snprintf(why, whylen, "what follows its segment in the file has an alignment of %llu",
                 (unsigned long long)align);
        return -1;
    }
    uint64_t delta = (new_end - old_end + align - 1) & ~(align - 1);
    size_t n = f->size + (size_t)delta;
    unsigned char *b = calloc(1, n);
    if (!b) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    memcpy(b, f->bytes, old_end);
    memcpy(b + tab_off, table, size);
    memcpy(b + old_end + delta, f->bytes + old_end, f->size - old_end);

    /* Headers: the segment, what moved, what became file bytes. */
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    Elf64_Phdr *ph = (Elf64_Phdr *)(b + eh->e_phoff);
    ph[li].p_filesz = new_end - L->p_offset;
    for (unsigned i = 0; i < f->nph; i++)
        if ((int)i != li && ph[i].p_filesz && ph[i].p_offset >= old_end)
            ph[i].p_offset += delta;
    eh->e_shoff += delta;
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    uint64_t fvend = L->p_vaddr + L->p_filesz;
    for (unsigned i = 1; i < f->nsh; i++) {
        Elf64_Shdr *c = &sh[i];
        if ((int)i == s->tab.index) {
            c->sh_type = SHT_PROGBITS;
            c->sh_offset = tab_off;
            c->sh_size = size;
        } else if ((c->sh_flags & SHF_ALLOC) && !(c->sh_flags & SHF_TLS) &&
                   c->sh_addr >= fvend && c->sh_addr < t->sh_addr) {
            if (c->sh_type == SHT_NOBITS)
                c->sh_type = SHT_PROGBITS; /* .bss, now zeros in the file */
            c->sh_offset = L->p_offset + (c->sh_addr - L->p_vaddr);
        } else if (c->sh_type != SHT_NULL && c->sh_offset >= old_end) {
            /* NOBITS after the table: at the segment's new end */
            c->sh_offset = c->sh_type == SHT_NOBITS ? new_end : c->sh_offset + delta;
        }
    }
    int rc = commit(out, b, n, f->mode, why, whylen);
    free(b);
    return rc;
}
