/*
 * scan.h - ask the runtime about every byte of an image's code.  Included by
 * link tests after whence_e2e.h.  link_scan(addr) walks each executable
 * PT_LOAD segment of the image holding addr, calls whence_func_for_pc on
 * every pc, and prints one line per maximal run of pcs that resolve to the
 * same function:
 *   scan fn=<name> entry=0x<link-time address> size=<bytes> entry_ok=<0|1>
 * (link-time address = runtime address - load bias, so it compares with the
 * symbol table; entry_ok: whence_func_entry is the run's first pc).  Then
 *   scan end functions=<n> pcs=<instrumented bytes>
 * Inputs/check-scan.py compares these lines with the ELF symbol table.
 * Then, for the same pcs taken as return addresses, one line per maximal
 * run with the same logical frames (inlined ones included):
 *   scan at=0x<link-time address> frames=<fn:file:line:column:inlined;...>
 * so that two images' scans differ if any pc's name, line or inline chain
 * does.
 */
#ifndef LINK_SCAN_H
#define LINK_SCAN_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

struct link_scan_ctx {
    uintptr_t addr;
    int found;
    FILE *out;
};

static int link_scan_phdr(struct dl_phdr_info *info, size_t sz, void *arg) {
    (void)sz;
    struct link_scan_ctx *c = arg;
    int mine = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + p->p_vaddr;
        if (p->p_type == PT_LOAD && c->addr >= lo && c->addr < lo + p->p_memsz)
            mine = 1;
    }
    if (!mine)
        return 0;
    c->found = 1;
    long nfn = 0, npc = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + p->p_vaddr, hi = lo + p->p_memsz;
        const whence_func *cur = NULL;
        uintptr_t start = 0;
        for (uintptr_t pc = lo; pc <= hi; pc++) {
            const whence_func *f = pc < hi ? whence_func_for_pc(pc) : NULL;
            if (f == cur)
                continue;
            if (cur) {
                fprintf(c->out, "scan fn=%s entry=0x%lx size=%lu entry_ok=%d\n",
                        whence_func_name(cur), (unsigned long)(start - info->dlpi_addr),
                        (unsigned long)(pc - start), whence_func_entry(cur) == start);
                nfn++;
                npc += (long)(pc - start);
            }
            cur = f;
            start = pc;
        }
    }
    fprintf(c->out, "scan end functions=%ld pcs=%ld\n", nfn, npc);
    static char prev[4096], cur[4096];
    prev[0] = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + p->p_vaddr, hi = lo + p->p_memsz;
        for (uintptr_t pc = lo; pc < hi; pc++) {
            size_t n = 0;
            cur[0] = 0;
            if (whence_func_for_pc(pc)) {
                whence_frames it;
                whence_frame f;
                whence_frames_init(&it, &pc, 1);
                while (whence_frames_next(&it, &f) && n < sizeof cur - 512)
                    n += (size_t)snprintf(cur + n, sizeof cur - n, "%s:%s:%d:%d:%d;", f.function,
                                          f.file, f.line, f.column, (int)f.inlined);
            }
            if (strcmp(cur, prev)) {
                fprintf(c->out, "scan at=0x%lx frames=%s\n", (unsigned long)(pc - info->dlpi_addr),
                        cur);
                memcpy(prev, cur, n + 1);
            }
        }
    }
    return 1;
}

/* Scans the image that holds addr. */
__attribute__((unused)) static void link_scan(const void *addr, FILE *out) {
    struct link_scan_ctx c = {(uintptr_t)addr, 0, out};
    dl_iterate_phdr(link_scan_phdr, &c);
    if (!c.found)
        fprintf(out, "scan: no image holds %p\n", addr);
}

#endif
