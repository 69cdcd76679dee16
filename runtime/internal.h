/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * internal.h - libwhence's private structures and constants: the image
 * registry, the per-image lookup index built from the records of
 * whence_abi.h, the token encoding of whence_callers entries, and the small
 * helpers shared by the runtime's files.  Nothing here is part of the ABI
 * with the pass; only whence_abi.h is.
 */
#ifndef WHENCE_RUNTIME_INTERNAL_H
#define WHENCE_RUNTIME_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>

#include "whence.h"
#include "whence_abi.h"

/* ---- attributes (WH_RT: attrs.h) ------------------------------------------ */
#include "attrs.h"

#include <dlfcn.h>
#include <sys/auxv.h>

/* dlsym(RTLD_NEXT, name), called through a pointer rather than the PLT:
 * under an LD_AUDIT module with la_pltexit, a PLT call reaches dlsym from
 * the loader's trampoline, which glibc takes for the caller (the next
 * definition after ld.so's: a crash at start-up of every program linked
 * with libwhence.so; helper-84).  Inline: the caller is libwhence. */
static inline __attribute__((always_inline)) void *wh_dlsym_next(const char *name) {
    void *(*volatile f)(void *, const char *) = dlsym;
    return f(RTLD_NEXT, name);
}
#define WH_HIDDEN __attribute__((visibility("hidden")))
/* Code a process runs once per image: registration and the first lookups
 * (before an image has buckets).  The linker groups it (GNU ld places
 * .text.unlikely.* first in .text), so a first lookup runs on pages the
 * registration already mapped instead of faulting in pages of lookup code
 * scattered over the library.  A section, not the cold attribute: that
 * one also optimizes for size, and calls memset/memcpy through the PLT
 * where the registration of every program would pay their binding. */
#define WH_ONCE __attribute__((section(".text.unlikely.whence")))
/* The entry points a first lookup enters by (whence_func_for_pc,
 * whence_func_name, and the table's wh_tab_func_for_pc and wh_tab_name,
 * which they call for an image with whence-link's table): grouped too,
 * right after (.text.hot.* follows .text.unlikely.* and .text.startup.*),
 * so they share those pages. */
#define WH_ENTRY __attribute__((section(".text.hot.whence")))
/* Capture entry points read their own frame: they must keep it (no tail call
 * may pop it before the walk reads it) and must not be inlined elsewhere. */
#if defined(__clang__)
#define WH_CAPTURE __attribute__((noinline, disable_tail_calls))
#else
#define WH_CAPTURE __attribute__((noinline, optimize("no-optimize-sibling-calls")))
#endif
#define WH_STR_(x) #x
#define WH_STR(x) WH_STR_(x)
#define WH_LIKELY(x)   __builtin_expect(!!(x), 1)
#define WH_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WH_EXPORT      __attribute__((visibility("default")))

/* ---- tokens ----------------------------------------------------------------
 * A whence_callers entry (and a whence_frame's pc) is one of
 *   ra                      a return address: looked up at ra-1, and a call
 *                           label is preferred over a line record
 *   rip | WH_TOKEN_EXACT    an interrupted pc (signal context): the
 *                           instruction itself, line records included
 *   loc | WH_TOKEN_LOC      the address of a whence_loc that a caller-frame
 *                           slot named: the exact call, found without any
 *                           label in the code (modules built with slots)
 * each optionally | k << 56: skip the first k (1..127) logical frames.
 * User-space addresses on x86-64 Linux are below 2^47, on AArch64 Linux
 * below 2^52 (return addresses with their authentication code stripped,
 * arch/), so bits 55..63 are free. */
#define WH_TOKEN_SHIFT 56
#define WH_TOKEN_MAX   127u
#define WH_TOKEN_EXACT (UINT64_C(1) << 55)
#define WH_TOKEN_LOC   (UINT64_C(1) << 63)
#define WH_PC_MASK     (WH_TOKEN_EXACT - 1)
#define WH_SKIP_MASK   ((uintptr_t)WH_TOKEN_MAX << WH_TOKEN_SHIFT)

static inline uintptr_t wh_token_pc(uintptr_t t) { return t & WH_PC_MASK; }
/* The instruction an entry stands for: an interrupted pc's own, a return
 * address's call (one byte before it). */
static inline uintptr_t wh_token_insn(uintptr_t t) {
    return (t & WH_TOKEN_EXACT) ? wh_token_pc(t) : wh_token_pc(t) - 1;
}
static inline uint32_t wh_token_skip(uintptr_t t) {
    return (uint32_t)(t >> WH_TOKEN_SHIFT) & WH_TOKEN_MAX;
}
static inline uintptr_t wh_token_make(uintptr_t pc, uint32_t k) {
    if (k > WH_TOKEN_MAX)
        k = WH_TOKEN_MAX;
    return (pc & ~WH_SKIP_MASK) | ((uintptr_t)k << WH_TOKEN_SHIFT);
}
/* Bits no valid entry has: an input with them is rejected. */
static inline bool wh_token_bad(uintptr_t t) {
    return (t & ~(WH_PC_MASK | WH_TOKEN_EXACT | WH_TOKEN_LOC | WH_SKIP_MASK)) != 0 ||
           ((t & WH_TOKEN_LOC) && (t & WH_TOKEN_EXACT));
}

/* ---- limits ---------------------------------------------------------------- */
#define WH_CHUNK_SLOTS    1024u          /* registry slots per chunk ...        */
#define WH_MAX_CHUNKS     256u           /* ... and chunks: 262,144 live images  */
#define WH_MAX_FN_SIZE    (64u << 20)    /* a bigger "function" is a bad record */
#define WH_LOST_FOLDED    (1u << 31)     /* wh_accel.lost: folded code (above any size) */
#define WH_MAX_SPAN       0xfffff000u    /* text of one image, offsets are u32 */
#define WH_MAX_STRIDE     (16u << 20)    /* largest frame the FP walk accepts */
#define WH_MAX_WALK       (1u << 20)     /* physical frames per walk, a loop guard */
/* Bits no frame pointer has: the low three (8-aligned) and the top seven
 * (no user address reaches bit 57, even with 5-level page tables). */
#define WH_FP_BAD_BITS    UINT64_C(0xfe00000000000007)
/* A saved frame pointer as an address: a Swift async frame's record
 * (swiftasynccall, on x86-64 and AArch64) holds its caller's with bit 60
 * set; 0 when it is no address even without that bit. */
static inline uintptr_t wh_fp_untag(uintptr_t x) {
    x &= ~(UINT64_C(1) << 60);
    return (x & WH_FP_BAD_BITS) ? 0 : x;
}
#define WH_BUCKET_SHIFT   12             /* 4 KiB buckets ...                   */
#define WH_SUB_SHIFT      7              /* ... of 32 sub-buckets of 128 bytes  */
#define WH_NSUB           (1u << (WH_BUCKET_SHIFT - WH_SUB_SHIFT))
#define WH_FSUB_SHIFT     6              /* ... and, for functions, 64 of 64 bytes */
#define WH_SBASE_SHIFT    10             /* a site base per 1 KiB */
#define WH_NSBASE         (1u << (WH_BUCKET_SHIFT - WH_SBASE_SHIFT))
#define WH_NFSUB          (1u << (WH_BUCKET_SHIFT - WH_FSUB_SHIFT))
#define WH_FN_AHEAD       2u             /* records and labels the warm paths */
#define WH_SITE_AHEAD     4u             /* count past a sub-bucket's first one */
#define WH_NEAR32         ((uintptr_t)INT32_MAX - 64) /* offsets that fit 32 bits: line_fast_recs */
#define WH_RAW_LOOKUPS    64u            /* lookups of an image answered straight
                                            from its records before its buckets
                                            are built */
/* A pc with no site record: the flat site word of line 0, column 0, which
 * reads as the function's own first line (see whence_abi.h). */
#define WH_NO_LOC         WHENCE_SITE_FLAT
/* A frame whose call is not known (a slot that was not found, a label that
 * names another function, a pc in split-off code with no label before it
 * there): the flat word of the reserved all-ones line, which reads as
 * line 0. */
#define WH_LOC_UNKNOWN    (WHENCE_SITE_FLAT | WHENCE_SITE_FLAT_LINE_LIMIT << WHENCE_SITE_FLAT_COL_BITS)
/* A loc word names a table loc (else it is a flat position). */
#define WH_LOC_IN_TABLE(w) (!((w) & WHENCE_SITE_FLAT))

/* ---- records as linked --------------------------------------------------------
 * Lookups read the linked whence_fn and whence_site records themselves: the
 * linker leaves both in address order (SHF_LINK_ORDER), so a binary search
 * answers the first lookup with no work, and a whence_func * is the address
 * of a function's whence_fn record.  Records are packed (memcpy reads). */
typedef struct wh_fn wh_fn;   /* a whence_fn record (WHENCE_FN_RECORD_SIZE bytes) */
#define WH_SITE_SIZE ((uintptr_t)sizeof(struct whence_site_record))

/* d / WHENCE_FN_RECORD_SIZE for d a multiple of it, else a number above
 * any record count (d rotated: its low bits land on top), so that one
 * compare checks that an address d bytes into the records is a record. */
_Static_assert(WHENCE_FN_RECORD_SIZE == 16, "wh_rec_index rotates by 4");
static inline uintptr_t wh_rec_index(uintptr_t d) {
    return d >> 4 | d << (sizeof d * 8 - 4);
}
static inline uintptr_t wh_rec_entry(const wh_fn *r) {
    int32_t rel;
    __builtin_memcpy(&rel, (const char *)r + WHENCE_FN_OFF_ENTRY, 4);
    return (uintptr_t)r + WHENCE_FN_OFF_ENTRY + (uintptr_t)(intptr_t)rel;
}
static inline intptr_t wh_rec_rel(const wh_fn *r) { /* wh_rec_entry(r) - r - WHENCE_FN_OFF_ENTRY */
    int32_t rel;
    __builtin_memcpy(&rel, (const char *)r + WHENCE_FN_OFF_ENTRY, 4);
    return rel;
}
static inline uint32_t wh_rec_size(const wh_fn *r) {
    uint32_t v;
    __builtin_memcpy(&v, (const char *)r + WHENCE_FN_OFF_SIZE, 4);
    return v;
}
static inline uint64_t wh_rec_keysub(const wh_fn *r) {
    uint64_t v;
    __builtin_memcpy(&v, (const char *)r + WHENCE_FN_OFF_KEYSUB, 8);
    return v;
}
/* A fence (whence_abi.h): the range of a body that is not instrumented,
 * no function.  It counts as a range wherever records are checked for
 * order and overlaps, and ends a run of fragments (fragments.c). */
static inline bool wh_rec_fence(const wh_fn *r) {
    return (wh_rec_keysub(r) & WHENCE_FN_SUB_MAX) == WHENCE_FN_FENCE;
}
/* Two records of one function (harmless: an exact duplicate), not two
 * functions folded into one code by the linker (identical code folding:
 * neither names it). */
static inline bool wh_rec_same(const wh_fn *a, const wh_fn *b) {
    return wh_rec_entry(a) == wh_rec_entry(b) && wh_rec_size(a) == wh_rec_size(b) &&
           wh_rec_keysub(a) == wh_rec_keysub(b);
}
static inline uintptr_t wh_site_pc(uintptr_t r) {
    int32_t rel;
    __builtin_memcpy(&rel, (const void *)r, 4);
    return r + (uintptr_t)(intptr_t)rel;
}
static inline int32_t wh_site_rel(uintptr_t r) { /* wh_site_pc(r) - r */
    int32_t rel;
    __builtin_memcpy(&rel, (const void *)r, 4);
    return rel;
}
static inline uint32_t wh_site_word(uintptr_t r) {
    uint32_t v;
    __builtin_memcpy(&v, (const void *)(r + 4), 4);
    return v;
}

/* A module table whose header was checked (array bounds, a NUL-terminated
 * string pool): offsets are from the table's own start, base.  Everything
 * an index names is checked again where it is used (wh_mod_*), so no pass
 * over the whole table is needed before the first answer. */
struct wh_mod {
    uintptr_t base;
    uint64_t key;
    uint32_t subprog_off, loc_off, str_off, file_off;
    uint32_t nsubprog, nloc, str_size, nfile;
    uint32_t name, flags;
    uint32_t subfn;     /* accelerated images: index into wh_accel.subfn of
                           subprog 0 (frame-slot modules), else UINT32_MAX */
    int32_t line_bias;  /* a post-link table's packed loc lines (below) */
    /* Accelerated images: a record's key and subprog word minus keybase
     * (key << WHENCE_FN_SUB_BITS) is its subprog if the record is this
     * module's, else at least 1 << WHENCE_FN_SUB_BITS: one compare with
     * name_nsub (nsubprog, at most WHENCE_FN_FENCE, which no fence's
     * subprog is below) checks both, for whence_func_name; with line_nsub
     * (the same, 0 for a module with frame slots or instrumented before an
     * LTO link) for whence_func_line's fast path. */
    uint64_t keybase;
    uint32_t name_nsub, line_nsub;
    /* Accelerated images (accel.c, the module validated whole): its
     * subprogs and string pool as pointers, and the name of each file
     * (fnames[0], and a file whose name is empty: wh_unknown), so that the
     * warm paths index them at once. */
    const struct whence_subprog *sps;
    const char *strs;
    const char *const *fnames;
    /* Images with a post-link table: the module's subprogs and locs as the
     * table packs them, read instead of the arrays (tabloc.c), and the
     * widths and line bias of its entry, as they were checked; pack 0:
     * the arrays. */
    uintptr_t pack;
    /* A pack whose check words were not all checked (a process's first
     * lookups, tabcheck.c): each chunk is checked where it is read, through
     * wh_mod_subprog and wh_mod_loc (pack is 0 then). */
    uintptr_t pk_lazy;
    _Atomic uintptr_t *pk_memo;  /* the last chunk of pk_lazy that passed (its slot's) */
    uint8_t width[8];
    uint16_t pk_sbits, pk_lbits; /* bits of one packed subprog, one loc */
    uint32_t pk_locs;            /* the locs' offset in the pack */
    /* the masks of a packed subprog's name, line and file fields (from
     * width, so that a warm lookup makes none) */
    uint32_t pk_nmask, pk_lmask, pk_fmask;
};

/* The loc of module m that site word w of record r names when m was
 * instrumented before an LTO link (WHENCE_MOD_PRELINK: the word is the
 * loc's address relative to the word): its index, or UINT32_MAX when the
 * address is no loc of m (another module's, copied by LTO with an inlined
 * function, or none). */
static inline uint32_t wh_prelink_loc(const struct wh_mod *m, uintptr_t r, uint32_t w) {
    uintptr_t a = r + 4 + (uintptr_t)(intptr_t)(int32_t)w, base = m->base + m->loc_off;
    uintptr_t size = m->flags & WHENCE_MOD_LOC8 ? sizeof(struct whence_loc8)
                                                : sizeof(struct whence_loc);
    if (a < base || (a - base) % size || (a - base) / size >= m->nloc)
        return UINT32_MAX;
    return (uint32_t)((a - base) / size);
}

/* ---- buckets (built after WH_RAW_LOOKUPS lookups of an image) ----------------
 * Go's findfunctab, over the records: per 4 KiB of text (a bucket) the
 * index of the function record holding its first byte (and per 1 KiB of
 * the first site record at or after it), and a one-byte delta to each per
 * sub-bucket, 64 bytes for functions and 128 for sites (116 bytes per 4 KiB:
 * a lookup scans the few functions of 64 bytes and labels of 128).  Four flat arrays, so that a
 * lookup indexes them with shifts of the pc's offset alone.  The records stay where the linker put them; when
 * they are not in address order (no linker seen so far does that) the
 * accel holds a permutation of them. */
#define WH_BUCKET_BYTES ((1 + WH_NSBASE) * sizeof(uint32_t) + WH_NFSUB + WH_NSUB)

/* The function and the first site of the sub-bucket holding offset off
 * (< span) from ax->lo (as the build clamped them: accel.c). */
#define WH_BUCKET_FN(ax, off)                                                                      \
    ((ax)->bfn[(off) >> WH_BUCKET_SHIFT] + (ax)->fd[(off) >> WH_FSUB_SHIFT])
#define WH_BUCKET_SITE(ax, off)                                                                    \
    ((ax)->bsite[(off) >> WH_SBASE_SHIFT] + (ax)->sd[(off) >> WH_SUB_SHIFT])

/* Code of a function outside its record's range, split off by the backend
 * (fragments.c), as the buckets' builder found it in .eh_frame. */
struct wh_frag {
    uintptr_t start;
    uint32_t size;      /* bytes, | WH_FRAG_FRAMED: its function's frame is
                           set up where it starts (rbp/x29 is the frame
                           pointer) */
    uint32_t fn;        /* (perm) index of its function's record */
};
#define WH_FRAG_FRAMED  0x80000000u
#define WH_FRAG_SIZE(g) ((g)->size & ~WH_FRAG_FRAMED)
/* The fragment of v[0..n) (sorted, not overlapping) holding x, or NULL. */
static inline const struct wh_frag *wh_frag_at(const struct wh_frag *v, uint32_t n, uintptr_t x) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid].start <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && x - v[lo - 1].start < WH_FRAG_SIZE(&v[lo - 1]) ? &v[lo - 1] : NULL;
}

struct wh_accel {
    /* What the warm lookups read first, in one cache line. */
    uintptr_t lo;                  /* start of the lowest record or fragment */
    uint32_t span;                 /* end of the highest one - lo */
    uint32_t fn_span;              /* span when the function records are in
                                      place (fperm NULL) and more than
                                      WH_FN_AHEAD, else 0: one compare tells
                                      all (whence_func_for_pc) */
    const uint32_t *bfn;           /* per bucket: (perm) index of the function
                                      of its first byte */
    const uint8_t *fd;             /* per sub-bucket: + delta to its own */
    uint32_t nf, ns;               /* usable records (entries of fperm/sperm) */
    uint32_t fn_recs;              /* nf when the records are in place, else 0
                                      (whence_func_name, whence_func_line) */
    uint32_t nmods;
    const struct wh_mod *mods;     /* sorted by key */
    /* The module that answered last (a hint, one of mods; wh_no_mod while
     * there are none: its key is no module's). */
    const struct wh_mod *_Atomic last_mod;
    const uint32_t *bsite;         /* per 1 KiB: (perm) index of the first
                                      site record at or after its start */
    const uint8_t *sd;             /* per sub-bucket: + delta to its own */
    bool sites_warm;               /* site records in place, WH_SITE_AHEAD
                                      of them at least (wh_accel_site) */
    uint32_t line_recs;            /* fn_recs when sites_warm and there are
                                      no line records, else 0: whence_func_line's
                                      warm path may answer (lookup.c) */
    uintptr_t fn_start, site_start; /* the slot's (whence_func_line's fast path) */
    uint32_t line_fast_recs;       /* line_recs when every label and the whole
                                      span lie within WH_NEAR32 of each
                                      other, else 0: its fast path may answer
                                      (lookup.c: labels compared as 32-bit
                                      offsets from their records) */
    size_t map_size;
    uint32_t nbuckets, nlines;
    const uint32_t *fperm, *sperm; /* NULL: the records are in order */
    const uint32_t *mods_by_base;  /* module indexes sorted by table address */
    const uint32_t *subfn;         /* subprog -> function record index, UINT32_MAX
                                      if none (frame-slot modules only) */
    const uint64_t *lines;         /* opt-in line records: pc - lo << 32 | loc,
                                      sorted */
    uint32_t nfrag;
    const struct wh_frag *frags;   /* sorted by start; looked at only for a
                                      pc that no record holds */
    uint32_t nlost;
    const struct wh_span *lost;    /* instrumented functions no record names:
                                      sorted by entry (moved.c lost_at); fn is
                                      WH_LOST_FOLDED for the code of functions
                                      the linker folded into one, else 0 */
};

/* ---- registry --------------------------------------------------------------- */
/* The hooks the pass's module constructor calls (whence_abi.h). */
void __whence_register(uint32_t abi_version, const void *fn_start, const void *fn_stop,
                       const void *site_start, const void *site_stop, const void *mod_start,
                       const void *mod_stop, const void *line_start, const void *line_stop);
void __whence_unregister(const void *mod_start);
void __whence_register_tab(uint32_t abi_version, const void *fn_start, const void *fn_stop,
                           const void *site_start, const void *site_stop, const void *mod_start,
                           const void *mod_stop, const void *line_start, const void *line_stop,
                           const void *tab_start, const void *tab_stop);

enum { WH_IX_NONE = 0, WH_IX_BUILDING = 1, WH_IX_READY = 2, WH_IX_FAILED = 3 };
/* What a slot's records are known to be (wh_slot.order). */
enum { WH_ORDER_UNCHECKED = 0, WH_ORDER_SORTED = 1, WH_ORDER_NEEDS_ACCEL = 2 };
/* Whether the image may have fragments (wh_slot.frags): found out by the
 * first pc in its range that no record holds, before its buckets exist. */
enum { WH_FRAGS_UNCHECKED = 0, WH_FRAGS_NONE = 1, WH_FRAGS_MAYBE = 2 };

/* An image's post-link lookup table (whence_abi.h, whence_tab; table.c),
 * adopted at registration after its header was checked (O(1)): absolute
 * addresses of its arrays.  base 0: none (the records answer). */
struct wh_tab_word { /* a function entry's word (the header's split) */
    uint32_t sbits, smask; /* its size's bits, their mask */
    uint32_t mbits, mmask; /* in the rest: the module index's bits, mask */
    uint32_t msall;        /* the rest all ones: not a plain function */
    uint32_t kmask;        /* mmask << sbits: the module index in place */
    uint32_t subshift;     /* sbits + mbits: where the subprog starts */
};
struct wh_tab {
    uintptr_t base;      /* the header */
    uintptr_t text;      /* start of the lowest range */
    uintptr_t func, desc, bucket, mod, subfn, data;
    uintptr_t check;     /* the check words (whence_abi.h, checks) */
    uint32_t span, nfunc, nbucket, nmod, nsubfn, data_size;
    uint32_t nfunc4;     /* nfunc - 4 (0 if fewer): a range with four after it is below */
    struct wh_tab_word w;
};

/* A table's module directory as the warm lookups read it (table.c): entry
 * k is filled the first time module k is asked for after the image's first
 * WH_RAW_LOOKUPS lookups, its header checked then, once (state: WH_TM_*).
 * One mmap per image, made by the slot's build (wh_slot_tmods_slow). */
enum { WH_TM_EMPTY = 0, WH_TM_FILLING = 1, WH_TM_OK = 2, WH_TM_BAD = 3 };
struct wh_tmod {
    _Atomic uint32_t state; /* WH_TM_*: m, subfn, k, wk and wlim are read only once OK */
    uint32_t subfn;         /* the directory's subfn of this module */
    uint32_t k;             /* its index in the directory */
    /* A function entry's word w names this module and one of its
     * subprogs exactly when (w & wh_tab_word.kmask) == wk (k << the size
     * bits) and w < wlim: m.nsubprog << the size and module bits, at most
     * the all-ones bits of an entry that names none (msall) << the size
     * bits, so that one compare checks the subprog and that the word names
     * one, and neither shifts the word. */
    uint32_t wk, wlim;
    struct wh_mod m;
};
struct wh_tmods {
    size_t map_size;
    uint32_t n, pad_;
    /* The entry that answered last (a hint, re-checked by its k; one that
     * is OK, or wh_tmod_none), as the buckets' last_mod. */
    const struct wh_tmod *_Atomic last;
    /* A bit per check word that passed (tabcheck.c): a group of ranges,
     * then a chunk of subfn; in the same mapping, after mod[]. */
    _Atomic uint64_t *ok;
    struct wh_tmod mod[];
};


/* wh_slot.live */
#define WH_LIVE      1u /* registered */
#define WH_LIVE_KEPT 2u /* registered, never unloaded (the main program) */

/* An image's .eh_frame_hdr, in an image laid out at [start, end). */
struct wh_ehloc {
    const void *hdr, *start, *end;
};

#define WH_XSEGS 4
#define WH_XREC_KNOWN (1u << 31)
struct wh_slot {
    /* Read by lookups, lock-free.  A slot is reused for another image once
     * its own went away: gen changes first, so a reader that saw one gen
     * and then another knows that what it read may be mixed. */
    _Atomic uint32_t live;       /* 1 while registered */
    _Atomic uint32_t gen;        /* bumped when the slot is (re)filled */
    _Atomic uint64_t seq;        /* wh_reg_seq's value it was filled with */
    _Atomic uintptr_t lo, hi;    /* the pcs this image answers for */
    _Atomic uintptr_t mod_start; /* the image's whence_mod section */
    const struct wh_accel *_Atomic ax; /* buckets, once built */
    _Atomic uint32_t build;      /* WH_IX_* in bits 0..1, builder's tid above */
    _Atomic uint32_t order;      /* WH_ORDER_* */
    _Atomic uint32_t lookups;    /* raw lookups so far (to WH_RAW_LOOKUPS) */
    _Atomic uint32_t frags;      /* WH_FRAGS_* */
    uint32_t nfn, nsite;         /* records */
    /* Written under the registry lock before live; read by lookups. */
    uintptr_t fn_start, site_start, mod_stop, line_start, line_stop;
    _Atomic uint64_t memo[4];    /* raw mode: key << 24 | table offset / 8 */
    struct wh_tab tab;           /* the post-link table, if adopted */
    const struct wh_tmods *_Atomic tmods; /* its modules, once asked for (s->build) */
    _Atomic uint64_t *_Atomic tab_ok;    /* tmods->ok: the checks that passed (tabcheck.c) */
    _Atomic uintptr_t chunk_ok;          /* before it: the pack chunk that passed last */
    /* (last: the fields above keep their cache lines) Where the image's
     * .eh_frame_hdr is (its fragments: fragments.c) when no dynamic linker
     * knows the image: whence-link's copy of a file.  NULL in a process
     * (_dl_find_object tells). */
    const struct wh_ehloc *eh;
    /* The builder's mark (left.c): its own thread, asking again, knows
     * whether the build was left by a longjmp. */
    _Atomic uintptr_t build_frame;
    _Atomic uint32_t build_stalled; /* a build word waited for too long */
    /* The image's executable segments (the first WH_XSEGS): code that a
     * post-link optimizer moved lies in the one BOLT adds, which holds
     * none of the records' code and holds the rewritten .eh_frame_hdr
     * (wh_moved).  xeh: bit i, segment i holds the PT_GNU_EH_FRAME; xrec:
     * bit i, segment i holds records' code, WH_XREC_KNOWN once computed. */
    uint32_t nx, xeh;
    _Atomic uint32_t xrec;
    /* Its code was rewritten where its records say it is (BOLT's
     * -use-old-text): the records answer nothing (lo = hi), and its
     * executable segments' pcs are moved code (wh_moved). */
    uint32_t stale;
    uintptr_t xlo[WH_XSEGS], xhi[WH_XSEGS];
};

/* Slot i (i < wh_nslots): chunks never move and are never freed. */
/* A slot's record ranges and table, read where a lookup does not yet know
 * that the slot holds what it asks about (a whence_func matched against
 * every slot, the slot that answered last): the registry may be filling the
 * slot again for another image meanwhile (registry.c fill, a seqlock), so
 * these fields are written and read as relaxed atomics.  Once a lookup
 * knows the slot holds its pc or record, the image cannot go away under it
 * (its unregistration waits for the lookups that may have seen it alive,
 * readers.c), and plain reads do. */
static inline uintptr_t wh_slot_fn_start(const struct wh_slot *s) {
    return __atomic_load_n(&s->fn_start, __ATOMIC_RELAXED);
}
static inline uint32_t wh_slot_nfn(const struct wh_slot *s) {
    return __atomic_load_n(&s->nfn, __ATOMIC_RELAXED);
}
static inline uintptr_t wh_slot_tab_base(const struct wh_slot *s) {
    return __atomic_load_n(&s->tab.base, __ATOMIC_RELAXED);
}
/* f is one of slot s's table function entries (their range read as above). */
static inline bool wh_slot_tab_holds(const struct wh_slot *s, uintptr_t f, size_t entry_size) {
    uintptr_t d = f - __atomic_load_n(&s->tab.func, __ATOMIC_RELAXED);
    /* (entries of 8 bytes: d / 8 < nfunc and d % 8 == 0 in one compare, the
     * low bits rotated to the top) */
    if (entry_size == 8)
        return (d >> 3 | d << (8 * sizeof d - 3)) <
               (uintptr_t)__atomic_load_n(&s->tab.nfunc, __ATOMIC_RELAXED);
    return d < (uintptr_t)__atomic_load_n(&s->tab.nfunc, __ATOMIC_RELAXED) * entry_size &&
           d % entry_size == 0;
}

WH_HIDDEN extern struct wh_slot *_Atomic wh_chunks[WH_MAX_CHUNKS];
WH_HIDDEN extern _Atomic uint32_t wh_nslots;
/* Registrations so far: an image registered after a pc was taken holds
 * its slot's seq above that count (a C++ exception's trace, kept past a
 * dlclose of its frames' library: cxx/exceptions.c). */
WH_HIDDEN extern _Atomic uint64_t wh_reg_seq;
WH_HIDDEN extern _Atomic int wh_started; /* constructors have run */
/* Too early for the calls that need the thread's TLS (whence's and the C
 * library's: pthread_once, pthread_setcancelstate): a static program's
 * ifunc resolvers run before its TLS exists, and whence_write_stack,
 * whence_write_all_stacks and the installs called from one died of
 * SIGSEGV (helper-94).  A dynamic program (one with an interpreter) has
 * its TLS before any of its code runs; libwhence.so is loaded after. */
static inline bool wh_too_early(void) {
#ifdef WH_STATIC_ARCHIVE
    return !atomic_load_explicit(&wh_started, memory_order_relaxed) && !getauxval(AT_BASE);
#else
    return false;
#endif
}
static inline struct wh_slot *wh_slot_at(uint32_t i) {
    struct wh_slot *c = atomic_load_explicit(&wh_chunks[i / WH_CHUNK_SLOTS], memory_order_acquire);
    return &c[i % WH_CHUNK_SLOTS];
}

/* The buckets of a slot, built once WH_RAW_LOOKUPS raw lookups were made or
 * the records turned out to need them; NULL while there are none (answer
 * from the records) or while this very thread is building them. */
WH_HIDDEN const struct wh_accel *wh_slot_accel_slow(struct wh_slot *s);
/* Builds the buckets of slot s; called once, by the thread that won the CAS. */
WH_HIDDEN const struct wh_accel *wh_accel_build(struct wh_slot *s);
/* A table slot's module array (table.c), made once by the slot's build
 * as the buckets are for the others; NULL while there is none. */
WH_HIDDEN const struct wh_tmods *wh_slot_tmods_slow(struct wh_slot *s);
WH_HIDDEN const struct wh_tmods *wh_tmods_build(const struct wh_slot *s);
WH_HIDDEN void wh_tmods_free(const struct wh_tmods *tm);
/* tabcheck.c: whether the check word of bucket b (of range i's group, of
 * subfn word j) passes, checked now unless its bit says it passed before;
 * one message per process when one fails.  wh_tab_entry_ok: range i's
 * entry, by its bucket's. */
WH_HIDDEN bool wh_tab_bucket_ok_slow(struct wh_slot *s, uint32_t b);
WH_HIDDEN bool wh_tab_group_ok_slow(struct wh_slot *s, uint32_t i);
WH_HIDDEN bool wh_tab_entry_ok(struct wh_slot *s, uint32_t i);
WH_HIDDEN bool wh_tab_subfn_ok(struct wh_slot *s, uint32_t j);
/* tabcheck.c: says (once) that module entry k names no good module table. */
WH_HIDDEN void wh_tab_say_mod(const struct wh_tab *t, uint32_t k);
/* Bit k of slot s's module array (tabcheck.c): a check that passed.  Warm
 * lookups pay this bit test. */
static inline __attribute__((always_inline)) bool wh_tab_passed(struct wh_slot *s, uint32_t k) {
    _Atomic uint64_t *ok = atomic_load_explicit(&s->tab_ok, memory_order_acquire);
    return WH_LIKELY(ok != NULL) &&
           WH_LIKELY(atomic_load_explicit(&ok[k >> 6], memory_order_relaxed) >> (k & 63) & 1);
}
/* Bucket b (a pc's, off >> WHENCE_TAB_BUCKET_SHIFT) and the entries a
 * lookup in it reads passed their check. */
static inline __attribute__((always_inline)) bool wh_tab_bucket_ok(struct wh_slot *s, uint32_t b) {
    return wh_tab_passed(s, b) || wh_tab_bucket_ok_slow(s, b);
}
/* Range i's description word and description passed their check. */
static inline __attribute__((always_inline)) bool wh_tab_group_ok(struct wh_slot *s, uint32_t i) {
    return wh_tab_passed(s, s->tab.nbucket + i / WHENCE_TAB_GROUP) || wh_tab_group_ok_slow(s, i);
}
/* Releases the buckets of a slot whose image went away. */
WH_HIDDEN void wh_accel_free(const struct wh_accel *ax);
/* Checks that the records of s are in address order and do not overlap;
 * records the answer in s->order. */
WH_HIDDEN void wh_slot_check_order(struct wh_slot *s);

/* ---- code split off functions (fragments.c) ------------------------------------
 * A record as the fragment walk sees it; fn is what a fragment of it
 * reports as its function, UINT32_MAX for a record that owns none (a fence,
 * a function of a module without fences). */
struct wh_span {
    uintptr_t entry;
    uint32_t size;
    uint32_t fn;
};
/* Whether any FDE that starts in no record lies, in .eh_frame, among the
 * records' FDEs (only then can there be fragments): from .eh_frame_hdr's
 * table, without allocating.  The records are n spans, or with spans NULL
 * the linked records at fn_start; sorted, not overlapping.  eh: where the
 * image's .eh_frame_hdr is (wh_slot.eh), NULL to ask the dynamic linker. */
WH_HIDDEN bool wh_frags_possible(const struct wh_span *spans, uintptr_t fn_start, uint32_t n,
                                 const struct wh_ehloc *eh);
/* The fragments of the functions among spans[0..n) (sorted, not
 * overlapping), sorted by start and not overlapping, in *out (mmap'ed,
 * *map_size bytes); their count.  0 when the image has none or no usable
 * .eh_frame_hdr.  eh as above. */
WH_HIDDEN uint32_t wh_frags_find(const struct wh_span *spans, uint32_t n, const struct wh_ehloc *eh,
                                 struct wh_frag **out, size_t *map_size);

/* ---- module table parsing (parse.c) ---------------------------------------- */
/* Checks the header of the table at base (at most left bytes up to its
 * section's end) in O(1): magic, version, sizes, array bounds, the string
 * pool's final NUL; fills *m.  Returns NULL or why the table is bad. */
WH_HIDDEN const char *wh_mod_header(uintptr_t base, uintptr_t left, struct wh_mod *m);
/* The same without reading the string pool's final NUL (a page of its
 * own in a large module): strings of such an m are read only through
 * wh_pool_str, which checks that the one string ends inside the pool. */
WH_HIDDEN const char *wh_mod_header_lazy(uintptr_t base, uintptr_t left, struct wh_mod *m);
/* String off of m's pool if it ends inside the pool, else NULL. */
WH_HIDDEN const char *wh_pool_str(const struct wh_mod *m, uint32_t off);
/* Validates every table in [mod_start, mod_stop) completely (every string,
 * file and loc index, acyclic inline chains); writes the good ones to out
 * (capacity cap) and returns how many.  Reports each bad table once and
 * counts them in *ignored. */
WH_HIDDEN uint32_t wh_parse_mods(uintptr_t mod_start, uintptr_t mod_stop, struct wh_mod *out,
                                 uint32_t cap, uint32_t *ignored);

/* ---- lookup (lookup.c, image.c) ---------------------------------------------------
 * A resolved physical pc: the function, its image and module, and the site
 * that gives the line and the inline chain. */
struct wh_pcinfo {
    const wh_fn *fn;             /* its whence_fn record; NULL: pc is not in
                                    instrumented code */
    struct wh_slot *slot;
    uintptr_t entry;
    uint32_t size, sub;          /* bytes of code; subprog index */
    uintptr_t from;              /* start of the code holding the pc: entry,
                                    or the fragment's (code split off the
                                    function, fragments.c); labels below it
                                    are not that code's */
    const struct wh_mod *m;      /* the function's module table: in the
                                    image's buckets, or mbuf */
    struct wh_mod mbuf;          /* before the image has buckets */
    uint32_t loc;                /* innermost loc index of the site, or its
                                    flat word (WH_NO_LOC: no site) */
    uint32_t depth;              /* logical frames at this pc (>= 1 if fn) */
    uintptr_t ra;                /* a walk's frame named by its slot: its return
                                    address (the profiler's); else not set */
};

/* A walk's frame in code of an instrumented image that its records do
 * not describe, because a post-link optimizer moved it there (capture.c
 * wh_moved): pi->fn NULL, depth 0 (its logical frames are not known) and
 * pi->slot its image's; a foreign frame has pi->slot NULL. */
static inline bool wh_pi_moved(const struct wh_pcinfo *pi) {
    return !pi->fn && !pi->depth && pi->slot;
}
/* pc lies in code a post-link optimizer moved: in an executable segment
 * of an instrumented image that holds none of its records' code. */
WH_HIDDEN struct wh_slot *wh_moved(uintptr_t pc);
/* pc lies in code of several functions that the linker folded into one
 * (identical code folding): instrumented code no one name holds (moved.c). */
WH_HIDDEN bool wh_folded(uintptr_t pc);
/* s's image has the segment BOLT adds (moved.c). */
WH_HIDDEN bool wh_slot_bolted(struct wh_slot *s);
/* An image whose executable segments are xlo/xhi[0..nx) (xeh: those that
 * hold its .eh_frame_hdr, at eh, ehsize bytes) had its code rewritten over
 * the text its function records [fn_start, fn_stop) name (BOLT's
 * -use-old-text): the segment BOLT added holds no code (moved.c). */
WH_HIDDEN bool wh_rewritten_in_place(const uintptr_t *xlo, const uintptr_t *xhi, uint32_t nx,
                                     uint32_t xeh, uintptr_t eh, size_t ehsize,
                                     uintptr_t fn_start, uintptr_t fn_stop);

/* pi names record r of slot s, subprog sub of module pi->m (set by the
 * caller), at no call site yet. */
static inline void wh_pcinfo_func(struct wh_pcinfo *pi, struct wh_slot *s, const wh_fn *r,
                                  uint32_t sub) {
    pi->fn = r;
    pi->slot = s;
    pi->entry = pi->from = wh_rec_entry(r);
    pi->size = wh_rec_size(r);
    pi->sub = sub;
    pi->loc = WH_NO_LOC;
    pi->depth = 1;
}

/* The thread id an entry of /proc/self/task names; 0 for ".", "..". */
static inline int wh_task_tid(const char *name) {
    int tid = 0;
    const char *c = name;
    for (; *c >= '0' && *c <= '9' && tid < 1 << 27; c++)
        tid = tid * 10 + (*c - '0');
    return *c || tid <= 0 ? 0 : tid;
}

WH_HIDDEN void wh_unknown_frame(whence_frame *out, uintptr_t pc);
/* Bytes of code of a whence_func's function (0 for anything else). */
WH_HIDDEN uint32_t wh_func_size(const whence_func *f);
/* *dst = *src (m may point into src's own mbuf). */
static inline void wh_pcinfo_copy(struct wh_pcinfo *dst, const struct wh_pcinfo *src) {
    *dst = *src;
    if (src->m == &src->mbuf)
        dst->m = &dst->mbuf;
}

/* A module's subprogs and locs as its post-link table packs them (m->pack
 * set; the index checked by the caller), decoded into *buf: tabloc.h. */
#include "tabloc.h"
struct whence_tab_mod;
/* tabloc.c: sets m->pack from the table's module entry e (at address ea) once m's
 * header was checked: false when the entry has a pack that cannot be
 * used (m->pack stays 0: the arrays answer). */
WH_HIDDEN bool wh_pack_attach(const struct wh_tab *t, uintptr_t ea, const struct whence_tab_mod *e,
                              struct wh_mod *m, bool whole);
/* tabcheck.c: subprog s (< m->nsubprog), loc l (< m->nloc) of a module
 * whose pack is m->pk_lazy: its chunk's check word checked now, then read
 * there, else (a failed check) in the module table's arrays. */
WH_HIDDEN const struct whence_subprog *wh_lazy_subprog(const struct wh_mod *m, uint32_t s,
                                                       struct whence_subprog *buf);
WH_HIDDEN const struct whence_loc *wh_lazy_loc(const struct wh_mod *m, uint32_t l,
                                               struct whence_loc *buf);
/* tabcheck.c: whether every check word of m's pack at pack passes. */
WH_HIDDEN bool wh_pack_whole_ok(const struct wh_mod *m, uintptr_t pack);

/* A buffer for one decoded entry, living as long as the enclosing block (a
 * compound literal): wh_mod_loc(m, l, WH_LOC_BUF). */
#define WH_LOC_BUF (&(struct whence_loc){0})
#define WH_SUB_BUF (&(struct whence_subprog){0})

/* Bytes of one of m's locs (whence_abi.h: whence_loc or whence_loc8). */
static inline uint32_t wh_mod_loc_size(const struct wh_mod *m) {
    return m->flags & WHENCE_MOD_LOC8 ? (uint32_t)sizeof(struct whence_loc8)
                                      : (uint32_t)sizeof(struct whence_loc);
}
/* An 8-byte loc as the 12-byte one it stands for. */
static inline const struct whence_loc *wh_loc8_get(const struct whence_loc8 *p,
                                                   struct whence_loc *buf) {
    struct whence_loc8 v;
    __builtin_memcpy(&v, p, sizeof v);
    buf->subprog_file = WHENCE_LOC8_SUBPROG(&v) | WHENCE_LOC8_FILE(&v) << WHENCE_LOC_SUBPROG_BITS;
    buf->line = WHENCE_LOC8_LINE(&v);
    buf->parent_column = WHENCE_LOC8_PARENT(&v) | WHENCE_LOC8_COLUMN(&v) << WHENCE_LOC_PARENT_BITS;
    return buf;
}

/* Checked access to a module's arrays: an index out of range gives the
 * unknown value (NULL, "?"), so no table is trusted beyond its header.
 * Where a post-link table packs them, or a loc is 8 bytes, the entry is
 * decoded into *buf. */
static inline const struct whence_loc *wh_mod_loc(const struct wh_mod *m, uint32_t l,
                                                  struct whence_loc *buf) {
    if (l >= m->nloc)
        return NULL;
    if (m->pack)
        return wh_pack_loc(m, l, buf);
    if (WH_UNLIKELY(m->pk_lazy))
        return wh_lazy_loc(m, l, buf);
    if (m->flags & WHENCE_MOD_LOC8)
        return wh_loc8_get((const struct whence_loc8 *)(m->base + m->loc_off) + l, buf);
    return (const struct whence_loc *)(m->base + m->loc_off) + l;
}
static inline const struct whence_subprog *wh_mod_subprog(const struct wh_mod *m, uint32_t s,
                                                          struct whence_subprog *buf) {
    if (s >= m->nsubprog)
        return NULL;
    if (m->pack)
        return wh_pack_subprog(m, s, buf);
    if (WH_UNLIKELY(m->pk_lazy))
        return wh_lazy_subprog(m, s, buf);
    return (const struct whence_subprog *)(m->base + m->subprog_off) + s;
}
/* The first line of subprog s (0 when unknown or when m has no subprog s). */
static inline uint32_t wh_mod_subprog_line(const struct wh_mod *m, uint32_t s) {
    if (s >= m->nsubprog)
        return 0;
    if (m->pack)
        return wh_pack_subprog_line(m, s);
    if (WH_UNLIKELY(m->pk_lazy))
        return WHENCE_SUBPROG_LINE(wh_lazy_subprog(m, s, WH_SUB_BUF));
    return WHENCE_SUBPROG_LINE((const struct whence_subprog *)(m->base + m->subprog_off) + s);
}
static inline const char *wh_mod_str(const struct wh_mod *m, uint32_t off) {
    return off < m->str_size ? (const char *)(m->base + m->str_off + off) : "";
}
/* The parent of loc l (a loc index), or UINT32_MAX for none.  The pass adds
 * a loc's parent before the loc itself, so parents have smaller indexes:
 * anything else ends the chain, which is therefore acyclic. */
static inline uint32_t wh_loc_parent(const struct wh_mod *m, uint32_t l) {
    if (m->pack)
        return l < m->nloc ? wh_pack_parent(m, l) : UINT32_MAX;
    struct whence_loc buf;
    const struct whence_loc *lc = wh_mod_loc(m, l, &buf);
    uint32_t p = lc ? WHENCE_LOC_PARENT(lc) : 0;
    return p && p - 1 < l ? p - 1 : UINT32_MAX;
}
/* The outermost position of a loc's inline chain: the physical function's. */
static inline uint32_t wh_loc_root(const struct wh_mod *m, uint32_t l) {
    for (uint32_t p; (p = wh_loc_parent(m, l)) != UINT32_MAX;)
        l = p;
    return l;
}
/* The position k steps out along loc l's inline chain (at most its root). */
static inline uint32_t wh_loc_up(const struct wh_mod *m, uint32_t l, uint32_t k) {
    for (uint32_t i = 0, q; i < k && (q = wh_loc_parent(m, l)) != UINT32_MAX; i++)
        l = q;
    return l;
}
/* The index of the whence_loc at address a in m's table, or UINT32_MAX. */
static inline uint32_t wh_mod_loc_at(const struct wh_mod *m, uintptr_t a) {
    uintptr_t base = m->base + m->loc_off, rel = a - base, size = wh_mod_loc_size(m);
    if (a < base || rel % size || rel / size >= m->nloc)
        return UINT32_MAX;
    return (uint32_t)(rel / size);
}

/* ---- capture (capture.c) --------------------------------------------------------
 * The walk hands each physical frame (return address, or interrupted pc+1)
 * to a sink with its logical depth in pi->depth, and either the resolved
 * function and site (pi->fn set) or pi->fn == NULL (see wh_resolve in
 * lookup.h); the sink returns false to stop. */
typedef bool (*wh_emit_fn)(void *ctx, uintptr_t pc, struct wh_pcinfo *pi);
WH_HIDDEN void wh_walk_fp(uintptr_t fp, wh_emit_fn emit, void *ctx);
/* pi for a whence_loc address a slot or a LOC token named; false if it is
 * not a loc of any registered image. */
WH_HIDDEN bool wh_find_loc(uintptr_t loc_addr, struct wh_pcinfo *pi);
/* The instrumented function a PLT stub at pc jumps to, if bound (plt.c). */
WH_HIDDEN const struct wh_fn *wh_plt_target(uintptr_t pc, struct wh_pcinfo *pi);
/* A stub at pc (a jump-table entry, a PLT entry, or a function that is one
 * such jump: no telling them apart) leads into an instrumented image: a
 * pointer there is the stub's, not a return address of the function that
 * ends at pc. */
WH_HIDDEN bool wh_stub_into_images(uintptr_t pc);
/* "name@plt" for a pc inside a PLT entry, by its slot's relocation (plt.c;
 * not for signal handlers). */
WH_HIDDEN bool wh_plt_name(uintptr_t pc, char *out, size_t cap);
/* pc is in the PLT's header (PLT0): *push is its push of the GOT's word
 * (its first instruction, but for a bti) (plt.c; async-signal-safe). */
WH_HIDDEN bool wh_plt_header(uintptr_t pc, uintptr_t *push);
/* Copies n (<= 64) bytes from src, which may be unmapped: false when it
 * is, or when another thread is copying (plt.c; async-signal-safe). */
WH_HIDDEN bool wh_copy_in(void *dst, uintptr_t src, size_t n);
/* sandbox.c: a seccomp filter installed after the runtime was loaded may
 * refuse openat by killing the process: reports open no file. */
WH_HIDDEN bool wh_opens_refused(void);
/* ---- registration at this copy only (registry.c), and at the others (peers.c) */
/* Registers img here; quiet: passed on by another copy, which said what
 * there was to say about it. */
WH_HIDDEN void wh_register_local(const struct whence_peer_image *img, bool quiet);
/* Whether this thread is inside a registration (a signal handler that
 * interrupted one asks). */
WH_HIDDEN bool wh_registering_here(void);
/* Whether the program (the first object) has registered. */
WH_HIDDEN bool wh_program_registered(void);
/* The program's records, registered by its module constructor, which its
 * note names, before the loader calls it (note.c): once, at the first
 * lookup that finds no image for a pc, or at libwhence's constructor. */
WH_HIDDEN extern _Atomic int wh_noted;
WH_HIDDEN void wh_register_program_note_slow(void);
/* The note no longer names one of the program's constructors (moved by a
 * tool after linking): not called; a lookup's miss says so once. */
WH_HIDDEN extern _Atomic uint8_t wh_note_moved;
WH_HIDDEN void wh_note_moved_miss(uintptr_t pc);
/* The program's load bias, from its program headers phdrs[n] (AT_PHDR;
 * note.c). */
WH_HIDDEN uintptr_t wh_program_bias(const void *phdrs, size_t n);
/* (inline: every lookup's miss asks, a foreign frame of a walk among them) */
static inline void wh_register_program_note(void) {
    if (__builtin_expect(!atomic_load_explicit(&wh_noted, memory_order_relaxed), 0))
        wh_register_program_note_slow();
}
/* Unregisters mod_start here: false when it stays (the main program's). */
WH_HIDDEN bool wh_unregister_local(uintptr_t mod_start);
/* Passes a registration at this copy's hooks on to the other copies of the
 * runtime in the process (after the first, takes theirs). */
WH_HIDDEN void wh_peers_register(const struct whence_peer_image *img);
WH_HIDDEN void wh_peers_unregister(uintptr_t mod_start);
/* This copy of the runtime is libwhence.a linked into a shared object, not
 * into the program: what it installed goes when that object is unloaded
 * (crash.c, profile/api.c).  False for libwhence.so, and when it cannot
 * tell. */
WH_HIDDEN bool wh_copy_in_shared_object(void);
/* The call ending at ra, in code of image s from from on, is one the pass
 * never saw, with no label of its own: the stack protector's failure call
 * or a -fsplit-stack prologue's call of __morestack (plt.c). */
WH_HIDDEN bool wh_unlabelled_call(struct wh_slot *s, uintptr_t from, uintptr_t ra);
/* Walk from an interrupted context (crash handler): pc, fp, sp (and lr)
 * as arch/arch.h reads them from a ucontext_t. */
struct wh_regs;
WH_HIDDEN void wh_walk_context(const struct wh_regs *r, wh_emit_fn emit, void *ctx);
/* Why a walk from an interrupted context ended before the stack did, set by
 * the walk (capture.c) and said by the stack's writer: the signal stack was
 * too short for the CFI unwinder, or the last frame shown (NO_CFI), or
 * code below it not shown (NO_CFI_BELOW: outside instrumented code), had
 * no frame record at its pc to follow and its image no unwind tables;
 * NO_OBJECT: the next frame's code lies outside every loaded object (a
 * JIT's code: no records, no unwind tables whence can find); NO_INDEX and
 * NO_INDEX_BELOW: as NO_CFI and NO_CFI_BELOW, in an image without
 * .eh_frame_hdr (it has no FDE, or was linked without --eh-frame-hdr, as
 * gcc -static links), whose unwind tables, if any, whence cannot find;
 * MOVED: frames still to skip met a frame in code moved after the link
 * (wh_moved), whose logical frames cannot be counted; NO_CODE: the unwind
 * tables gave a return address in no code (an image's data, a stack
 * address): they describe a frame's stack wrongly, and the rest is not
 * the stack; FAR: the unwind tables put a caller's frame on another stack
 * (not the stack pointer's, or more than WH_MAX_STRIDE above it): a switch
 * of stacks whence does not know, or a damaged stack; CFI_UNREAD(_BELOW):
 * the unwind tables of the frame above (of foreign code below it) use a
 * rule the unwinder does not evaluate, or give a frame the stack cannot
 * hold (a misaligned or null CFA: tables that do not match the stack). */
enum {
    WH_WALK_DONE,
    WH_WALK_SHORT,
    WH_WALK_NO_CFI,
    WH_WALK_NO_CFI_BELOW,
    WH_WALK_NO_OBJECT,
    WH_WALK_NO_INDEX,
    WH_WALK_NO_INDEX_BELOW,
    WH_WALK_MOVED,
    WH_WALK_NO_CODE,
    WH_WALK_FAR,
    WH_WALK_CFI_UNREAD,
    WH_WALK_CFI_UNREAD_BELOW
};
WH_HIDDEN extern __thread uint8_t wh_walk_end __attribute__((tls_model("initial-exec")));
/* A walk crossed a signal frame into a pc it does not emit (foreign code,
 * a walk of instrumented frames only): the next frame a stack's writer
 * gets is the one the signal interrupted, below a handler (trace.c). */
WH_HIDDEN extern __thread uint8_t wh_walk_sig_skip __attribute__((tls_model("initial-exec")));
/* The line a walk that ended so (a WH_WALK_* value) ends its stack with;
 * nothing for WH_WALK_DONE (stack.c). */
struct wh_buf;
WH_HIDDEN void wh_put_walk_end(struct wh_buf *w, uint8_t end);
/* How this thread's last whence_callers or whence_exception_callers answer
 * ended (a WH_WALK_* value, or WH_WALK_KEPT: an exception's trace kept only
 * its innermost frames; WH_WALK_NO_TRACE: the exception being handled has
 * none; WH_WALK_NO_TRACE_LAYOUT: none, and whence has forwarded an
 * exception to an allocator whose layout it cannot tell;
 * WH_WALK_NO_TRACE_NOMEM: none, and malloc has failed at a throw (the
 * exception was then allocated without its trace); WH_WALK_NO_TRACE_FOREIGN:
 * none, its class not libstdc++'s; WH_WALK_NO_TRACE_FORCED: none, the
 * thread's cancellation unwinding it (glibc's class 0); WH_WALK_NO_HOOK: none, the program's __cxa_allocate_exception
 * being the C++ runtime's shared object's, first in the lookup order;
 * WH_WALK_NO_HOOK_LINKED: none, the link having taken a strong definition
 * over libwhence.a's weak one; WH_WALK_NO_HOOK_PROGRAM: none, the program's
 * throws calling its own, a static C++ runtime's; WH_WALK_NO_TRACE_OTHER_STACK:
 * none, the exception the C++ runtime names was caught on another stack),
 * for whence_callers_end. */
enum {
    WH_WALK_KEPT = WH_WALK_CFI_UNREAD_BELOW + 1,
    WH_WALK_NO_TRACE,
    WH_WALK_NO_TRACE_LAYOUT,
    WH_WALK_NO_TRACE_NOMEM,
    WH_WALK_NO_TRACE_FOREIGN,
    WH_WALK_NO_TRACE_FORCED,
    WH_WALK_NO_HOOK,
    WH_WALK_NO_HOOK_LINKED,
    WH_WALK_NO_HOOK_PROGRAM,
    WH_WALK_NO_TRACE_OTHER_STACK
};
/* Frames kept per exception: the innermost ones (cxx/exceptions.c). */
#define WH_EXC_PCS 128
#define WH_EXC_PCS_TEXT "128"
WH_HIDDEN extern __thread uint8_t wh_callers_end __attribute__((tls_model("initial-exec")));
/* The same, also emitting the frames outside instrumented code (the CPU
 * profiler, runtime/profile/): such a frame comes with pi->fn == NULL and
 * pi->depth == 0, its entry a return address or an interrupted pc |
 * WH_TOKEN_EXACT.  Frames below the last instrumented one are emitted as
 * far as the unwinder is asked for them: not at a remembered bottom of the
 * stack. */
WH_HIDDEN void wh_walk_context_all(const struct wh_regs *r, wh_emit_fn emit, void *ctx);
/* The span of an object's PT_LOAD segments (exec_only: the executable
 * ones), as the dynamic linker reports them: false when it has none. */
struct dl_phdr_info;
WH_HIDDEN bool wh_load_span(const struct dl_phdr_info *info, bool exec_only, uintptr_t *lo,
                            uintptr_t *hi);
/* Clears what the caches remember of any image (one went away, or its
 * full check refused records its first lookups had answered from). */
WH_HIDDEN void wh_forget_all(void);
/* The slot of a calling frame of a frame-slot module (slots.c): pi's
 * function, F its frame pointer, S its stack pointer at the call (0 when
 * unknown).  On success pi has the loc and *e the LOC token. */
WH_HIDDEN bool wh_slot_find(struct wh_pcinfo *pi, uintptr_t F, uintptr_t S, uintptr_t *e);
/* > 0 while this thread runs a signal handler of the runtime's own. */
WH_HIDDEN extern __thread int wh_signal_depth __attribute__((tls_model("initial-exec")));

/* An action saved to be chained or restored, as the kernel reads it: the
 * handler word alone says SIG_DFL or SIG_IGN, with or without SA_SIGINFO
 * (SA_SIGINFO with SIG_IGN was called at address 1 on a fault: a
 * "SIGSEGV at pc 0x1" report of a SIGFPE, helper-144). */
static inline void wh_action_plain(struct sigaction *a) {
    if (a->sa_handler == SIG_DFL || a->sa_handler == SIG_IGN)
        a->sa_flags &= ~SA_SIGINFO;
}

/* ---- stack printing (stack.c, trace.c) -------------------------------------------- */
/* foreign: also the frames outside instrumented code (the crash report). */
WH_HIDDEN void wh_write_stack_from(int fd, const struct wh_regs *r, bool foreign);
/* SIGPIPE blocked while a report is written to stderr, and one it raised
 * taken back (crash.c). */
/* The last wh_all_stacks of this thread printed its own stack (threads.c:
 * an -EBUSY of a stuck dump printed nothing). */
WH_HIDDEN extern __thread bool wh_dump_wrote_self __attribute__((tls_model("initial-exec")));
WH_HIDDEN bool wh_pipe_hold(sigset_t *old);
WH_HIDDEN void wh_pipe_release(bool masked, const sigset_t *old);
/* Bytes left below the caller's frame on the alternate signal stack it runs
 * on, SIZE_MAX when it runs on its thread's own stack (capture.c). */
WH_HIDDEN size_t wh_altstack_room(void);
/* The output of the wh_write_stack_from under way on this thread, or NULL:
 * a crash report that faults while walking flushes it (crash.c). */
WH_HIDDEN extern __thread struct wh_buf *wh_stack_buf __attribute__((tls_model("initial-exec")));

/* A stack cut to its two ends (trace.c): the innermost frames, up to a
 * budget, are printed as they come (out set) or kept (inner); the rest go
 * through a ring that keeps the outermost ones; what falls out of the ring
 * is counted.  Budgets are in logical frames; an entry is one physical
 * frame: e is a walk value (return address or token, no skip bits) whose
 * logical frames k .. k+n-1 it stands for. */
struct wh_ent {
    uintptr_t e;
    uint32_t k, n;
};
struct wh_trace {
    struct wh_buf *out;     /* print inner frames at once; NULL: keep them */
    struct wh_ent *inner;   /* kept inner entries (out == NULL) */
    uint32_t inner_cap, ni;
    uint32_t inner_left;    /* logical frames still to take at the inner end */
    uint32_t outer_max;     /* logical frames to keep at the outer end */
    struct wh_ent *ring;    /* outer_max entries at least */
    uint32_t ring_cap, head, nr;
    uint64_t ring_frames;   /* logical frames in the ring */
    uint64_t dropped;       /* logical frames that fell out of the ring */
    uint64_t seen;          /* logical frames added */
};
/* The printing depth limit: WHENCE_STACK_DEPTH or whence_set_stack_depth;
 * 0 when unset (each printer then has its own default). */
WH_HIDDEN uint32_t wh_stack_depth(void);
#define WH_OUTER_MAX 100u   /* outermost frames kept at most (ring size) */
/* Ring entries a limit needs (>= 1, so it can size an array). */
static inline uint32_t wh_ring_size(uint32_t limit) {
    uint32_t outer = limit == UINT32_MAX ? 0 : limit / 2;
    return outer < 1 ? 1 : outer > WH_OUTER_MAX ? WH_OUTER_MAX : outer;
}
/* Sets t up for a limit of `limit` logical frames (UINT32_MAX: none). */
WH_HIDDEN void wh_trace_init(struct wh_trace *t, uint32_t limit, struct wh_buf *out,
                             struct wh_ent *inner, uint32_t inner_cap, struct wh_ent *ring,
                             uint32_t ring_cap);
/* Logical frames k .. depth-1 of walk value e; pi as the walk handed it
 * (resolved or only its depth set). */
WH_HIDDEN void wh_trace_add(struct wh_trace *t, uintptr_t e, uint32_t k, struct wh_pcinfo *pi);
/* One frame outside instrumented code (the crash report's walk), printed
 * by wh_put_foreign; its entry's k is WH_FOREIGN_K. */
#define WH_FOREIGN_K UINT32_MAX
WH_HIDDEN void wh_trace_add_foreign(struct wh_trace *t, uintptr_t e);
WH_HIDDEN void wh_put_foreign(struct wh_buf *w, uintptr_t e);
/* Prints what t kept: the inner entries (if kept), "...N more frames
 * elided...", the outer ones. */
WH_HIDDEN void wh_trace_finish(struct wh_trace *t, struct wh_buf *w);
/* An interrupted pc's frame (e: rip | WH_TOKEN_EXACT) as its own line
 * names it (stack.c); false when a line record names it exactly and the
 * usual frames apply. */
WH_HIDDEN bool wh_put_exact(struct wh_buf *w, const struct wh_pcinfo *pi, uintptr_t e);
/* One frame, whence_write_stack's two lines. */
WH_HIDDEN void wh_put_frame(struct wh_buf *w, const whence_frame *f);
/* A walk sink that feeds a trace, skipping the first `skip` logical frames. */
struct wh_trace_sink {
    struct wh_trace *t;
    uint32_t skip;
};
WH_HIDDEN bool wh_trace_emit(void *ctx, uintptr_t pc, struct wh_pcinfo *pi);

/* ---- threads (threads.c, crash.c, quit.c) ------------------------------------------ */
/* The calling thread's kernel id and name (from the kernel's comm; "" when
 * unknown); async-signal-safe. */
WH_HIDDEN int wh_gettid(void);
/* tid names no thread of this process: a lock or build word that a thread
 * of the parent held when the process forked (only the forking thread
 * lives on in the child), or whose thread was cancelled in it. */
WH_HIDDEN bool wh_tid_gone(int tid);
/* False when the /proc mounted here is another PID namespace's (a process
 * started by `unshare -p --fork` without a /proc of its own): it numbers
 * this process's threads as that namespace does, so its listing names no
 * thread whence can signal, or another one of its own. */
WH_HIDDEN bool wh_proc_ns_ours(void);
/* ---- calls a signal handler left by longjmp (left.c) ------------------------------- */
/* Whether the whence call whose frame was at `then` on this thread has
 * been left without returning, asked from a call whose frame is `now`. */
WH_HIDDEN bool wh_frame_left(uintptr_t then, uintptr_t now);
/* The same, now being the outermost of whence's own frames in the chain
 * from frame here (the API function's the program called); then_ra, the
 * return address the frame at then held (0: not known). */
WH_HIDDEN bool wh_call_left(uintptr_t then, uintptr_t then_ra, uintptr_t here);
/* What a claim (a build, an opening) records of the call that makes it,
 * here being that call's frame; and whether the call that recorded mark
 * was left, asked by a later call of the same thread (its frame here). */
WH_HIDDEN uintptr_t wh_claim_mark(uintptr_t here);
WH_HIDDEN bool wh_claim_left(uintptr_t mark, uintptr_t here);

/* A waiter's pause (registry.c): a yield, then 50 us sleeps. */
WH_HIDDEN void wh_nap(unsigned spins);
/* Deferred cancellation (pthread_cancel) acts at the cancellation points
 * whence's own calls make (open, read, close, write, poll, nanosleep,
 * sigtimedwait): a thread cancelled there would leave a lock, a claim or
 * a file of whence's held for good, and every later dump, profile or
 * collection waiting for it.  Where whence holds one, a pending cancel is
 * kept for the program's next cancellation point, as the C library does
 * inside its own functions (threads.c; async-signal-safe in glibc). */
WH_HIDDEN int wh_cancel_off(void);
WH_HIDDEN void wh_cancel_restore(int old);
/* A one-time piece of work another thread waits for or takes over (an
 * index's build, a file's opening, milliseconds) runs with the
 * asynchronous signals blocked (threads.c): a timer whose handler leaves
 * whatever it interrupts by siglongjmp (a 50 us timeout) left each attempt
 * anew, and no lookup returned; a profiler's handler meanwhile got no
 * answer.  They are delivered when it is done.  Fault signals stay. */
WH_HIDDEN bool wh_async_off(sigset_t *old);
WH_HIDDEN void wh_async_restore(bool off, const sigset_t *old);

/* ---- lookups of an image being unloaded (readers.c) --------------------------------- */
struct wh_reader {
    _Atomic uint32_t nest;    /* lookups of the thread in progress (handlers nest) */
    _Atomic uint32_t done;    /* outermost lookups finished */
    _Atomic int tid;          /* the owner; 0: free */
    _Atomic uintptr_t frame;  /* the outermost lookup's frame (left.c) */
    _Atomic uintptr_t ra;     /* and its return address */
    char pad_[32];            /* one cache line each */
};
WH_HIDDEN extern __thread struct wh_reader *wh_me __attribute__((tls_model("initial-exec")));
WH_HIDDEN struct wh_reader *wh_reader_new(void);
/* __whence_unregister, after marking the image gone: every lookup that may
 * have seen it alive has returned. */
WH_HIDDEN void wh_readers_wait(void);

/* A lookup that finds the thread inside another: nested in it (a signal
 * handler's), or that one was left by a longjmp and its record is taken
 * back.  The nesting depth to go on from. */
WH_HIDDEN uint32_t wh_read_nested(struct wh_reader *r, uintptr_t frame);

/* (always inlined into a noinline function of its own: the frame is that
 * function's, one per lookup) */
static inline __attribute__((always_inline)) struct wh_reader *wh_read_enter(void) {
    /* No image yet, nothing to guard: and the thread's TLS may not exist yet
     * (an ifunc resolver of a static program, early-start.c). */
    if (__builtin_expect(atomic_load_explicit(&wh_nslots, memory_order_relaxed) == 0, 0))
        return NULL;
    struct wh_reader *r = wh_me;
    if (__builtin_expect(r == NULL, 0))
        r = wh_reader_new();
    if (r) {
        uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
        uint32_t n = atomic_load_explicit(&r->nest, memory_order_relaxed);
        if (__builtin_expect(n != 0, 0))
            n = wh_read_nested(r, frame);
        if (n == 0) {
            atomic_store_explicit(&r->frame, frame, memory_order_relaxed);
            atomic_store_explicit(&r->ra, (uintptr_t)__builtin_return_address(0),
                                  memory_order_relaxed);
        }
        atomic_store_explicit(&r->nest, n + 1, memory_order_relaxed);
        atomic_signal_fence(memory_order_seq_cst);
    }
    return r;
}

static inline __attribute__((always_inline)) void wh_read_exit(struct wh_reader *r) {
    if (!r)
        return;
    uint32_t n = atomic_load_explicit(&r->nest, memory_order_relaxed) - 1;
    atomic_store_explicit(&r->nest, n, memory_order_release);
    if (n == 0)
        atomic_store_explicit(&r->done, atomic_load_explicit(&r->done, memory_order_relaxed) + 1,
                              memory_order_release);
}
/* The crash handler's alternate signal stack, per thread (crash.c, and
 * shared/thread_altstack.c for the threads the program starts later). */
#define WH_ALTSTACK_SIZE (128u << 10)
/* What a report needs at most (measured: ~10 KiB of whence's frames, a
 * fault whose line is read from .debug_line and a stack through foreign
 * frames read by CFI, above the kernel's signal frame, 3.6 KiB with
 * AVX-512 state), with room for a foreign handler that raised the signal
 * again on this stack (faulthandler's): a program's own
 * alternate stack smaller than this is replaced, or the report would
 * overflow it and the process would die without one.  A handler with less
 * left runs its work elsewhere (wh_handler_run). */
#define WH_ALTSTACK_MIN (32u << 10)
WH_HIDDEN bool wh_crash_handler_installed(void);
/* A thread's alternate stack of whence's, at the thread's exit: disabled
 * (unless a handler runs on it) and unmapped (crash.c). */
WH_HIDDEN void wh_altstack_drop(void *mem);
/* The program is putting handler on sig: when that is the default action
 * (or SIG_IGN) and its own handler of a fault chained first is running on
 * this thread, the report is written now (crash.c). */
WH_HIDDEN void wh_crash_prev_gives_up(int sig, void (*handler)(int));
/* The program is ending the process with _exit (crash.c: the report first
 * when its handler of a fault, chained first, is running). */
WH_HIDDEN void wh_crash_prev_exits(void);

/* ---- threads without a thread pointer (tp.c) */
/* False on a thread whose thread pointer is 0 (a raw clone without TLS):
 * there, errno and __thread variables fault; the handlers ask first, with
 * the ucontext of the signal. */
WH_HIDDEN bool wh_thread_pointer(const void *uc);
/* Such a thread's signal sig: forward, to the process (a dump asked of it:
 * another thread takes it, this one blocks it from the return to uc on);
 * else the default action (again on return for a fault, sent again
 * otherwise).  Direct system calls only. */
WH_HIDDEN void wh_no_tp_signal(int sig, const siginfo_t *info, void *uc, bool forward);
/* A system call made directly: the result or -errno, no errno written. */
WH_HIDDEN long wh_tp_syscall(long n, long a, long b, long c, long d);

/* A signal handler's work fn(sig, info, uc): run here, or, when the
 * alternate stack the handler runs on has less than need bytes left, on a
 * stack mapped for it, the thread's alternate stack meanwhile
 * (farstack.c).  errno is kept. */
WH_HIDDEN void wh_handler_run(size_t need, void (*fn)(int, siginfo_t *, void *), int sig,
                              siginfo_t *info, void *uc);
/* Calls the program's handler p of sig where the kernel would have run
 * it: below the interrupted stack pointer when it was installed without
 * SA_ONSTACK and this runs on the alternate stack (farstack.c). */
WH_HIDDEN void wh_call_handler(const struct sigaction *p, int sig, siginfo_t *info, void *uc);
/* The record of such a call in progress on this thread (NULL: none) and
 * where its stack starts (*top). */
WH_HIDDEN const void *wh_prev_work(uintptr_t *top);
/* fn on a stack of its own (farstack.c); false when none was mapped. */
WH_HIDDEN bool wh_run_elsewhere(void (*fn)(int, siginfo_t *, void *), int sig, siginfo_t *info,
                                void *uc);
/* The first function of that work: the unwinder lets the frame it
 * returns to lie on another stack. */
WH_HIDDEN uintptr_t wh_far_entry(void);
/* Says once when libwhence.so's thread hooks are not the ones the program
 * calls (shared/thread_altstack.c; absent from libwhence.a). */
WH_HIDDEN void wh_thread_hooks_check(void) __attribute__((weak));
/* The crash and SIGQUIT handlers (crash.c, quit.c), and whether fn is
 * one of this or another copy's (peers.c). */
WH_HIDDEN void wh_crash_sigaction(int sig, siginfo_t *info, void *ucv);
WH_HIDDEN void wh_quit_sigaction(int sig, siginfo_t *info, void *ucv);
WH_HIDDEN bool wh_peer_handler(const struct sigaction *a);
/* Calls the handler a whence handler chains (a peer's with the siginfo
 * marked reported: WHENCE_PEER_REPORTED) (peers.c). */
WH_HIDDEN void wh_chain_handler(const struct sigaction *p, bool peer, bool reported, int sig,
                                siginfo_t *info, void *ucv);
WH_HIDDEN void wh_thread_name(int tid, char *name, size_t len);
/* "thread TID "NAME"" into w. */
WH_HIDDEN void wh_put_thread(struct wh_buf *w, int tid);
/* whence_write_all_stacks with the calling thread's stack taken from an
 * interrupted context (uc: a ucontext_t *, from a signal handler) or, when
 * uc is NULL, from the frame pointer fp. */
WH_HIDDEN int wh_all_stacks(int fd, const void *uc, uintptr_t fp);
/* Claims the signal and maps the request table ahead of a dump, outside
 * signal context; 0 or an errno value. */
WH_HIDDEN int wh_threads_prepare(void);

/* ---- memory (mem.c): mmap, never malloc, so signal-context lookups are safe */
WH_HIDDEN void *wh_map(size_t size);
WH_HIDDEN void wh_unmap(void *p, size_t size);
/* mmap, munmap and mremap as system calls, not the C library's symbols,
 * which an allocator may define with hooks of the program's (mem.c). */
WH_HIDDEN void *wh_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
WH_HIDDEN int wh_sys_munmap(void *addr, size_t len);
WH_HIDDEN void *wh_sys_mremap(void *old, size_t old_len, size_t len, int flags);

/* ---- messages (msg.c): write(2) only ------------------------------------------------
 * A tiny async-signal-safe formatter: wh_buf collects text, flushes to fd. */
struct wh_buf {
    int fd;             /* WH_BUF_MEM: into dst instead (whence_format_stack) */
    uint32_t n;
    char b[512];
    char *dst;          /* memory mode: cap bytes; text past cap - 1 is only counted */
    size_t cap, total;
};
#define WH_BUF_MEM (-100)
/* Memory mode: NUL-terminates dst and returns the length the text needs. */
WH_HIDDEN size_t wh_buf_finish_mem(struct wh_buf *w);
WH_HIDDEN void wh_buf_flush(struct wh_buf *w);
WH_HIDDEN void wh_buf_str(struct wh_buf *w, const char *s);
/* A name from outside (a file name from the debug info, a thread's name),
 * with control bytes written as \xNN: a #line "a\nfault in ..." must not
 * make lines of its own in a report. */
WH_HIDDEN void wh_buf_name(struct wh_buf *w, const char *s);
WH_HIDDEN void wh_buf_name_n(struct wh_buf *w, const char *s, size_t len);
WH_HIDDEN void wh_buf_mem(struct wh_buf *w, const char *s, size_t n);
WH_HIDDEN void wh_buf_dec(struct wh_buf *w, uint64_t v);
WH_HIDDEN void wh_buf_hex(struct wh_buf *w, uint64_t v); /* "0x..." */
WH_HIDDEN void wh_write_all(int fd, const char *p, size_t n);
/* Says a problem once per process: returns true the first time for bit. */
WH_HIDDEN bool wh_once(uint32_t bit);
/* "whence: ignoring image at ADDR: WHY" on stderr. */
WH_HIDDEN void wh_say_image(uintptr_t addr, const char *why);
WH_HIDDEN void wh_say_no_buckets(uintptr_t addr);
/* How long wh_write_all waits for its fd to take more (ms), -1: as long as
 * it takes (crash.c bounds it for a report). */
WH_HIDDEN extern __thread int wh_write_wait_ms __attribute__((tls_model("initial-exec")));
/* Set (never cleared) when wh_write_all leaves bytes unwritten (an error,
 * a full fd that stayed full): whence_write_all_stacks clears it before a
 * thread's stack and counts the thread only if it stays clear. */
WH_HIDDEN extern __thread bool wh_write_dropped __attribute__((tls_model("initial-exec")));
/* How long a report waits for stderr to take more (milliseconds). */
#define WH_REPORT_WRITE_MS 5000
enum {
    WH_ONCE_VERSION = 1u << 0,
    WH_ONCE_FULL = 1u << 1,
    WH_ONCE_NOMEM = 1u << 2,
    WH_ONCE_UNALIGNED = 1u << 3,
    WH_ONCE_BADBOUNDS = 1u << 4,
    WH_ONCE_UNBUILT = 1u << 5,
    WH_ONCE_BADSITE = 1u << 6,
    WH_ONCE_BADPACK = 1u << 7,
    WH_ONCE_PEER = 1u << 8,
    WH_ONCE_BADCHECK = 1u << 9,
    WH_ONCE_HOOKS = 1u << 10,
    WH_ONCE_CXX_HOOK = 1u << 11,
    WH_ONCE_WAITING = 1u << 12,
    WH_ONCE_REWRITTEN = 1u << 13,
    WH_ONCE_NOTE_MOVED = 1u << 14,
};
/* The first API call in a process where no instrumented image ever
 * registered says, once, how to build with the plugin (msg.c). */
WH_HIDDEN void wh_say_unbuilt(void);
/* Whether a loaded object's file holds records of an image that has not
 * registered yet (its constructor has not run): then wh_say_unbuilt says
 * nothing (unbuilt.c). */
WH_HIDDEN bool wh_unbuilt_pending(void);
/* A module constructor registered an image without any records: its
 * section bounds were null (registry.c; said by wh_say_unbuilt). */
WH_HIDDEN extern _Atomic uint8_t wh_empty_image;
/* Nonzero while this thread walks a stack for whence itself rather than
 * for a caller waiting on the answer: a profiler's sample, a crash
 * report, a thread dump's handler, a throw's trace.  Such a walk may come
 * before the program's own images registered (WHENCE_CPUPROFILE starts
 * in libwhence's constructor, a library's static initializer throws), so
 * an empty registry says nothing about how the program was built there.
 * So do the runtime's own constructors: what they call may allocate (a
 * failing dlsym, setenv), and a malloc interposer built with the plugin
 * and preloaded asks whence from there, before its own image registered. */
WH_HIDDEN extern __thread uint8_t wh_own_walk __attribute__((tls_model("initial-exec")));
static inline void wh_check_built(void) {
    if (WH_UNLIKELY(atomic_load_explicit(&wh_nslots, memory_order_relaxed) == 0))
        wh_say_unbuilt();
}

/* FNV-1a style hash over a byte range, 8 bytes at a time. */
WH_HIDDEN uint64_t wh_hash(uint64_t h, const void *p, size_t n);

#endif /* WHENCE_RUNTIME_INTERNAL_H */
