/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * memimage.c - the image of a linked file as the dynamic linker lays it out:
 * every PT_LOAD's file bytes at its vaddr, zeros for the rest of its memory
 * size.  The records are pc-relative (whence_abi.h), so with the segments
 * at their distances the runtime's own code reads them here as it reads
 * them in a process: whence-link computes the table from what the runtime
 * would answer.  One anonymous mapping (untouched .bss costs nothing); the
 * offset of every address within its page is kept, so alignments hold.
 */
#include "link.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096u

int wl_load(const struct wl_file *f, struct wl_image *m, char *why, size_t whylen) {
    memset(m, 0, sizeof *m);
    uint64_t lo = UINT64_MAX, hi = 0, xlo = UINT64_MAX, xhi = 0;
    for (unsigned i = 0; i < f->nph; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type != PT_LOAD || !p->p_memsz)
            continue;
        if (p->p_vaddr + p->p_memsz < p->p_vaddr) {
            snprintf(why, whylen, "a loadable segment wraps around");
            return -1;
        }
        if (p->p_vaddr < lo)
            lo = p->p_vaddr;
        if (p->p_vaddr + p->p_memsz > hi)
            hi = p->p_vaddr + p->p_memsz;
        if (p->p_flags & PF_X) {
            if (p->p_vaddr < xlo)
                xlo = p->p_vaddr;
            if (p->p_vaddr + p->p_memsz > xhi)
                xhi = p->p_vaddr + p->p_memsz;
        }
    }
    if (lo >= hi || xlo >= xhi) {
        snprintf(why, whylen, "no loadable code");
        return -1;
    }
    lo &= ~(uint64_t)(PAGE - 1);
    if (hi - lo > ((uint64_t)1 << 40)) {
        snprintf(why, whylen, "the image spans more than 1 TiB");
        return -1;
    }
    void *map = mmap(NULL, (size_t)(hi - lo), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) {
        snprintf(why, whylen, "out of memory laying out the image");
        return -1;
    }
    m->map = map;
    m->map_size = (size_t)(hi - lo);
    m->lo = lo, m->hi = hi, m->xlo = xlo, m->xhi = xhi;
    for (unsigned i = 0; i < f->nph; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type == PT_LOAD && p->p_filesz)
            memcpy(m->map + (p->p_vaddr - lo), f->bytes + p->p_offset, p->p_filesz);
        if (p->p_type == PT_GNU_EH_FRAME && p->p_vaddr >= lo && p->p_vaddr < hi)
            m->eh_hdr = p->p_vaddr;
    }
    return 0;
}

void wl_image_free(struct wl_image *m) {
    if (m->map)
        munmap(m->map, m->map_size);
    memset(m, 0, sizeof *m);
}
