/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * link.h - whence-link's pieces: the ELF file as read (elf.c), its image as
 * the dynamic linker would lay it out in memory (memimage.c), the plan of
 * the lookup table computed from the image's records with the runtime's
 * own code (plan.c), the table's bytes (encode.c), the new file (write.c)
 * and the comparison of the table with the records at every pc (check.c).
 */
#ifndef WHENCE_LINK_H
#define WHENCE_LINK_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lookup.h"

/* ---- the file ------------------------------------------------------------------ */

struct wl_file {
    const char *path;
    unsigned char *bytes;
    size_t size;
    mode_t mode;
    Elf64_Ehdr eh;
    Elf64_Phdr *ph; /* into bytes */
    unsigned nph;
    Elf64_Shdr *sh; /* a copy (0 when the file has no section headers) */
    unsigned nsh;
    const char *shstr;
    size_t shstr_size;
};

/* Reads and checks path (ELF64, little endian, the machine this tool is built
 * for, executable or shared object).  0, or -1 with the reason in why. */
int wl_read(const char *path, struct wl_file *f, char *why, size_t whylen);
void wl_file_free(struct wl_file *f);
/* The index of the section named name, or -1. */
int wl_section(const struct wl_file *f, const char *name);
const char *wl_section_name(const struct wl_file *f, unsigned i);

/* ---- the image in memory ------------------------------------------------------------ */

struct wl_image {
    unsigned char *map;  /* vaddr lo is map[0] */
    size_t map_size;
    uint64_t lo, hi;     /* the mapped vaddrs */
    uint64_t xlo, xhi;   /* the executable segments' span */
    uint64_t eh_hdr;     /* .eh_frame_hdr (PT_GNU_EH_FRAME), 0 if none */
};

/* Lays out every PT_LOAD of f at its vaddr (anonymous memory for the part
 * past the file's bytes), as the dynamic linker maps them, keeping every
 * address's offset within its page.  0 or -1 (why). */
int wl_load(const struct wl_file *f, struct wl_image *m, char *why, size_t whylen);
void wl_image_free(struct wl_image *m);
static inline uintptr_t wl_at(const struct wl_image *m, uint64_t vaddr) {
    return (uintptr_t)m->map + (uintptr_t)(vaddr - m->lo);
}
static inline uint64_t wl_vaddr(const struct wl_image *m, uintptr_t p) {
    return (uint64_t)(p - (uintptr_t)m->map) + m->lo;
}

/* ---- the plan --------------------------------------------------------------------------- */

struct wl_change {
    uint32_t pc;   /* from the range's start */
    uint32_t word; /* the site word from there on */
};

struct wl_range {
    uint64_t start;          /* vaddr */
    uint32_t size, kind;     /* WHENCE_TAB_FUNCTION / FENCE / FRAGMENT */
    uint32_t mod, sub;       /* functions: module (index in the plan's modules), subprog */
    uint32_t owner, flags;   /* fragments */
    uint32_t line0;          /* the first line of its function's subprog */
    uint32_t nchg;
    struct wl_change *chg;
};

struct wl_mod {
    uint32_t off, subfn;
    uint64_t key;
    const struct wh_mod *src; /* the module as the runtime's build read it */
};

/* The sections of the records, as vaddr + size (size 0: absent). */
struct wl_sect {
    int index;
    uint64_t addr, size;
};
struct wl_secs {
    struct wl_sect fn, site, mod, line, tab;
};

struct wl_plan {
    struct wl_range *r;
    uint32_t nr;
    struct wl_mod *mods;
    uint32_t nmod;
    uint32_t *subfn;
    uint32_t nsubfn;
    uint64_t text, span;
    /* what was seen (--verbose) */
    uint32_t fn_records, site_records, functions, fences, frags;
    uint32_t fn_dropped, sites_used, sites_passed, sites_outside, changes;
    /* what the runtime's build said on stderr (records it dropped), or NULL */
    char *said;
    /* the runtime's view, kept for the check: the slot over the image's
     * records and its buckets; where its .eh_frame_hdr is (slot.eh) */
    struct wh_slot slot;
    struct wh_ehloc eh;
    const struct wh_accel *ax;
};

/* Finds the record sections of f (whence_fn, whence_site, whence_mod,
 * whence_line, whence_tab). */
void wl_find_sections(const struct wl_file *f, struct wl_secs *s);
/* The table's plan from the records in m, as the runtime reads them (its
 * buckets' build, its site lookup).  0, or -1 with why (the image is left
 * as it is); 1 when the image has something the table cannot hold. */
int wl_plan_build(const struct wl_image *m, const struct wl_secs *s, struct wl_plan *p, char *why,
                  size_t whylen);
void wl_plan_free(struct wl_plan *p);
/* The runtime's code run inside whence-link writes its messages to stderr
 * as it would in a process, naming addresses of whence-link's copy of the
 * file.  wl_hold sends stderr to a temporary file; wl_release restores it
 * and returns what was written (malloc'd, or NULL); main.c says it as the
 * file's. */
struct wl_held {
    int saved;
    void *f; /* FILE * */
};
void wl_hold(struct wl_held *h);
char *wl_release(struct wl_held *h);

/* ---- the table -------------------------------------------------------------------------- */

/* What the packs of a table hold (--verbose, the size scripts). */
struct wl_packed {
    uint32_t mods, subprogs, locs;
    uint64_t bytes; /* the packs */
    uint64_t raw;   /* the module tables' arrays they stand for */
};

/* The table's bytes for plan p, to be placed at vaddr tab (8-aligned);
 * *size is its size; with packs, the modules' subprogs and locs packed
 * into it (what they hold in *pk).  NULL when out of memory or when it
 * cannot be encoded (why). */
unsigned char *wl_encode(const struct wl_plan *p, const struct wl_secs *s, uint64_t tab,
                         bool packs, struct wl_packed *pk, size_t *size, char *why, size_t whylen);
/* For the tests: the function entries' split (WHENCE_TAB_SPLIT) wl_encode
 * uses instead of the one it would choose; 0: its own. */
extern uint32_t wl_encode_split;
/* Module m's pack (pack.c): its widths and line bias into e, its bytes
 * (*n, and 8 more zeros) into *out (malloc'd).  0; 1 when it has nothing
 * to pack or cannot be packed (its arrays answer); -1: out of memory. */
int wl_pack(const struct wh_mod *m, struct whence_tab_mod *e, unsigned char **out, size_t *n);

/* ---- the new file ------------------------------------------------------------------------ */

/* Whether f's reservation can be made part of the file: NULL, or why not.
 * *extra: the bytes of the segment before the reservation that the file
 * would then hold as zeros (.bss). */
const char *wl_can_write(const struct wl_file *f, const struct wl_secs *s, uint64_t *extra);
/* Writes f with the table in its reservation to out (a temporary file in
 * out's directory, then renamed; f's mode).  0 or -1 (why). */
int wl_write(const struct wl_file *f, const struct wl_secs *s, const unsigned char *table,
             size_t size, const char *out, char *why, size_t whylen);

/* Writes f as it is to out (as wl_write does): -o OUT for a file left as
 * it is.  0 or -1 (why). */
int wl_copy(const struct wl_file *f, const char *out, char *why, size_t whylen);

/* ---- the check ---------------------------------------------------------------------------- */

/* Asks the runtime's table lookups and its record lookups about the pcs of
 * every range of p (every pc when all, else every change and both ends),
 * with the table at vaddr tab of m (copied there), and compares: returns
 * the number of differences (the first few printed to stderr), or -1 when
 * the table is not adopted (why); every module's pack too (what the packs
 * hold into *pk). */
long wl_check(struct wl_plan *p, struct wl_image *m, const struct wl_secs *s, const unsigned char *table,
              size_t size, bool all, struct wl_packed *pk, char *why, size_t whylen);

#endif /* WHENCE_LINK_H */
