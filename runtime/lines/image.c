/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * image.c - the file behind a loaded image, for its .debug_line (lines.h).
 *
 * The loader registered every image's path and load bias when it loaded
 * it; _dl_find_object (lock-free, async-signal-safe) hands that record out
 * for any pc.  The program itself is opened as /proc/self/exe (the file that
 * was executed, even if its path was replaced since), or, when that is not
 * it (started as `ld.so ./prog`), as the file mapped at its start.  Every
 * file is checked to be the image: build ids, when both have one, and the
 * ELF and program headers in memory must be the file's.  The file is mapped
 * read-only once per image and the mapping kept for the life of the
 * process (names returned point into it); a small table of such mappings is
 * the only state.  Every offset read from the file is checked against its
 * size.  A library's file is found by the path /proc/self/maps gives for
 * its mapping, else the loader's, either of which may name another build
 * by now (a rebuild, a package upgrade while the program runs, a bind
 * mount): when the image in memory and the file both carry a build id,
 * they must be the same, else the file must be the mapping's inode, still
 * linked, or the file is refused (a rebuild that only moved lines keeps
 * every code byte and changes every line).  Before any line is taken from the
 * file, the code bytes around the pc are compared between memory and file
 * too.  A file without .debug_line (or .symtab) has its separate debug
 * file looked for once (debugfile.c: gdb's places), kept only if it is
 * the image's build (build id, else the debuglink's CRC32), and mapped
 * like the image's file; the code is still compared with the image's own
 * file, since a debug file's .text holds no bytes.  Compressed line-program
 * sections (zlib: `-gz`, distributions' debug files) are inflated
 * (inflate.c) at the first lookup of a line in the file, once, into
 * memory kept with the mapping; zstd's are not read.
 */
#define _GNU_SOURCE
#include "lines.h"

#include "../sort.h"
#include "inflate.h"
#include "lineprog.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../dlfo.h"

/* All rows of .debug_line sorted by address, built at the first lookup
 * (one pass over the section, which a lookup without it costs anyway: a
 * single-unit program such as sqlite3.c has one 600 KB line program), so
 * that later lookups are a binary search.  Without it (too many rows, no
 * memory, malformed data) each lookup scans the units in order. */
struct row_ent {
    uint64_t addr;
    uint32_t line, file;
    uint32_t unit;      /* index into unit_off */
    uint32_t ord;       /* bit 31: ends a sequence; below: order in the section */
};
#define WH_ROW_END   0x80000000u
#define WH_MAX_ROWS  (8u << 20)
#define WH_MAX_UNITS (1u << 20)

/* A step taken once per file (looking for its debug file, inflating its
 * sections): by the first thread that asks (once_take). */
struct once_step {
    _Atomic int state; /* 0 to take, 1 being taken, 2 taken */
    _Atomic int taker; /* the thread taking it (while state is 1) */
};

struct lmap {
    const uint8_t *base;
    size_t size;
    dev_t dev;                  /* the file mapped (0, 0: none) */
    ino_t ino;
    struct timespec mtime;      /* its modification and change times when mapped */
    struct timespec ctime;
    char opened[512];           /* the path it was opened by ("": too long) */
    _Atomic bool changed;       /* written over since (changed_since) */
    dev_t name_dev;             /* the file a library's path named then */
    ino_t name_ino;
    int status;                 /* WH_LN_OK, or why the file is of no use */
    const ElfW(Phdr) *ph;
    uint32_t phnum;
    struct wh_dl_input in;
    uint8_t bid[64];            /* the file's build id (bid_len 0: none) */
    uint32_t bid_len;
    _Atomic uint64_t refused_dev, refused_ino; /* another build at the path, refused */
    _Atomic int table_state;    /* 0 none, 1 building, 2 ready, 3 failed, 4 left (below) */
    _Atomic int table_left;     /* builds left by a longjmp, taken over */
    _Atomic int table_builder;  /* the thread building it (0: not said yet) */
    const struct row_ent *rows;
    uint32_t nrows;
    const size_t *unit_off;
    const struct seq_ent *amb;  /* where two sequences overlap (namb ranges) */
    uint32_t namb;
    /* The image's separate debug file (debugfile.c), for an image file
     * without .debug_line or .symtab: looked for at the first need. */
    const char *path;           /* the path opened (its directory is looked in) */
    uintptr_t lo, hi;           /* the image in memory */
    bool unverified;            /* no build id, and /proc/self/maps unreadable */
    bool id_same;               /* the file's build id is the loaded image's */
    bool overlay;               /* on overlayfs: its inode need not be the mapping's */
    struct once_step dbg_once;  /* looking for it (find_debug) */
    struct lmap *dbg;           /* the debug file, checked; NULL: none */
    int dbg_why;                /* WH_LN_* why there is none */
    /* Compressed line-program sections (zsect_index's order), inflated
     * into in at the first lookup of a line (inflated). */
    struct wh_dl_sect zraw[3];  /* as in the file, header included */
    uint8_t zfmt[3];            /* WH_Z_*; WH_Z_NONE: not compressed */
    struct once_step z_once;    /* inflating them (inflate_all) */
    int z_why;                  /* WH_LN_OK, or why they could not be */
};

/* How a line-program section is compressed: ELF's SHF_COMPRESSED with
 * zlib (`-gz`, `objcopy --compress-debug-sections`, Debian's debug
 * packages) or zstd (`-gz=zstd`: not read), another ch_type, or GNU's
 * older .zdebug_* ("ZLIB", the size in 8 big-endian bytes, a zlib
 * stream). */
enum { WH_Z_NONE, WH_Z_ZLIB, WH_Z_GNU, WH_Z_ZSTD, WH_Z_OTHER };
#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2
#endif
/* The most a section is inflated to (per section; libc's .debug_line is
 * 1.3 MB): a larger size is refused unread. */
#define WH_Z_MAX_SIZE (256u << 20)
/* Deflate's best ratio: a 258-byte match in 2 bits. */
#define WH_Z_MAX_RATIO 1032u
/* How long a lookup waits for another thread's inflating: 64 yields, then
 * naps of 50 us, about 2 s in all. */
#define WH_Z_WAIT 40000u

/* A sequence's code, [lo, hi); where two overlap, an ambiguous range. */
struct seq_ent {
    uint64_t lo, hi;
    uint32_t first, n; /* its rows, in the section's order (while building) */
};

struct fill_ctx {
    struct row_ent *rows;
    uint32_t n, cap, unit;
    const struct wh_dl_input *in;
    uint32_t seq0;          /* the first row of the sequence being read */
    struct seq_ent *seqs;   /* the sequences kept (counting: NULL) */
    uint32_t nseq, seqcap;
};

WH_RT static bool count_row(void *vc, const struct wh_dl_row *row) {
    struct fill_ctx *c = vc;
    c->nseq += row->end_sequence;
    return ++c->n <= c->cap;
}

WH_RT static bool fill_row(void *vc, const struct wh_dl_row *row) {
    struct fill_ctx *c = vc;
    if (c->n == c->cap)
        return false;
    c->rows[c->n] = (struct row_ent){row->addr, row->line,
                                     row->file > UINT32_MAX ? UINT32_MAX : (uint32_t)row->file,
                                     c->unit, c->n | (row->end_sequence ? WH_ROW_END : 0)};
    c->n++;
    if (row->end_sequence) {
        /* (rows of a sequence go up: its first row is where it starts) */
        uint64_t lo = c->rows[c->seq0].addr;
        if (!wh_dl_in_code(c->in, lo, row->addr))
            c->n = c->seq0; /* code the linker dropped (lineprog.h) */
        else if (row->addr > lo && c->nseq < c->seqcap)
            c->seqs[c->nseq++] = (struct seq_ent){lo, row->addr, c->seq0, c->n - c->seq0};
        c->seq0 = c->n;
    }
    return true;
}

WH_RT static bool row_less(const struct row_ent *a, const struct row_ent *b) {
    return a->addr < b->addr ||
           (a->addr == b->addr && (a->ord & ~WH_ROW_END) < (b->ord & ~WH_ROW_END));
}

/* Heap sort: no allocation, no recursion, O(n log n) whatever the input. */
WH_RT static void sift(struct row_ent *r, uint32_t i, uint32_t n) {
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && row_less(&r[c], &r[c + 1]))
            c++;
        if (!row_less(&r[i], &r[c]))
            return;
        struct row_ent t = r[i];
        r[i] = r[c];
        r[c] = t;
        i = c;
    }
}

WH_RT static void sort_rows(struct row_ent *r, uint32_t n) {
    for (uint32_t i = n / 2; i-- > 0;)
        sift(r, i, n);
    for (uint32_t k = n; k-- > 1;) {
        struct row_ent t = r[0];
        r[0] = r[k];
        r[k] = t;
        sift(r, 0, k);
    }
}

WH_RT static bool seq_less(const struct seq_ent *a, const struct seq_ent *b) {
    return a->lo < b->lo || (a->lo == b->lo && a->hi < b->hi);
}
WH_DEFINE_SORT(sort_seqs, struct seq_ent, seq_less)

/* Whether file fa of unit ua and file fb of unit ub have one name. */
WH_RT static bool same_file(const struct lmap *m, uint32_t ua, uint32_t fa, uint32_t ub,
                            uint32_t fb) {
    if (ua == ub && fa == fb)
        return true;
    struct wh_dl_unit a, b;
    struct wh_dl_file x, y;
    return wh_dl_unit_at(&m->in, m->unit_off[ua], &a) == WH_DL_OK &&
           wh_dl_unit_at(&m->in, m->unit_off[ub], &b) == WH_DL_OK &&
           wh_dl_file_at(&a, fa, &x) == WH_DL_OK && wh_dl_file_at(&b, fb, &y) == WH_DL_OK &&
           x.name.len == y.name.len && x.dir.len == y.dir.len &&
           !memcmp(x.name.p, y.name.p, x.name.len) && !memcmp(x.dir.p, y.dir.p, x.dir.len);
}

/* Whether sequences a and b (of the same range) have the same rows: the
 * same code's line program twice (a linker that points a discarded COMDAT
 * copy's at the copy it kept, two identical functions folded from one
 * source). */
WH_RT static bool same_rows(const struct lmap *m, const struct row_ent *rows,
                            const struct seq_ent *a, const struct seq_ent *b) {
    if (a->n != b->n)
        return false;
    for (uint32_t i = 0; i < a->n; i++) {
        const struct row_ent *x = &rows[a->first + i], *y = &rows[b->first + i];
        if (x->addr != y->addr || x->line != y->line ||
            (x->ord & WH_ROW_END) != (y->ord & WH_ROW_END) ||
            !same_file(m, x->unit, x->file, y->unit, y->file))
            return false;
    }
    return true;
}

/* Drops the second of two sequences with the same rows (their rows from
 * rows, n of them in the section's order; the sequences from s, sorted):
 * the count of rows left. */
WH_RT static uint32_t drop_copies(const struct lmap *m, struct row_ent *rows, uint32_t n,
                                  struct seq_ent *s, uint32_t *ns) {
    uint32_t k = 0, dropped = 0;
    for (uint32_t j = 0; j < *ns; j++) {
        if (k && s[j].lo == s[k - 1].lo && s[j].hi == s[k - 1].hi &&
            same_rows(m, rows, &s[k - 1], &s[j])) {
            for (uint32_t i = 0; i < s[j].n; i++)
                rows[s[j].first + i].unit = UINT32_MAX; /* (no unit is that) */
            dropped += s[j].n;
            continue;
        }
        s[k++] = s[j];
    }
    *ns = k;
    if (!dropped)
        return n;
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++)
        if (rows[i].unit != UINT32_MAX)
            rows[w++] = rows[i];
    return w;
}

/* The ranges that two of the n sequences at s cover, merged, in order,
 * written over s (the k-th range is written after the k+1-th sequence is
 * read); their count. */
WH_RT static uint32_t overlaps(struct seq_ent *s, uint32_t n) {
    uint32_t k = 0;
    uint64_t reach = 0; /* the furthest end so far */
    for (uint32_t j = 0; j < n; j++) {
        uint64_t lo = s[j].lo, hi = s[j].hi;
        if (j && lo < reach) {
            uint64_t end = hi < reach ? hi : reach;
            if (k && s[k - 1].hi >= lo) {
                if (end > s[k - 1].hi)
                    s[k - 1].hi = end;
            } else {
                s[k++] = (struct seq_ent){lo, end, 0, 0};
            }
        }
        if (hi > reach)
            reach = hi;
    }
    return k;
}

/* Builds m's row table; false if .debug_line is malformed or too big. */
WH_RT static bool build_table(struct lmap *m) {
    uint32_t nu = 0;
    struct wh_dl_unit u;
    struct fill_ctx c = {.cap = WH_MAX_ROWS};
    for (size_t off = 0; off < m->in.line.n; off = u.next, nu++) {
        int rc = wh_dl_unit_at(&m->in, off, &u);
        if (rc == WH_DL_BAD || u.next <= off || nu == WH_MAX_UNITS)
            return false;
        if (rc == WH_DL_OK && wh_dl_rows(&u, count_row, &c) == WH_DL_BAD)
            return false;
        if (c.n > c.cap)
            return false;
    }
    uint32_t nseq = c.nseq;
    size_t rsize = (size_t)c.n * sizeof(struct row_ent), usize = (size_t)nu * sizeof(size_t),
           ssize = (size_t)nseq * sizeof(struct seq_ent);
    struct row_ent *rows = c.n ? wh_map(rsize) : NULL;
    size_t *uoff = nu ? wh_map(usize) : NULL;
    struct seq_ent *seqs = nseq ? wh_map(2 * ssize) : NULL; /* and the sort's scratch */
    if ((c.n && !rows) || (nu && !uoff) || (nseq && !seqs)) {
        wh_unmap(rows, rsize);
        wh_unmap(uoff, usize);
        wh_unmap(seqs, 2 * ssize);
        return false;
    }
    c = (struct fill_ctx){.rows = rows, .cap = c.n, .in = &m->in, .seqs = seqs, .seqcap = nseq};
    uint32_t k = 0;
    for (size_t off = 0; off < m->in.line.n && k < nu; off = u.next, k++) {
        uoff[k] = off;
        c.unit = k;
        c.seq0 = c.n; /* (a sequence the unit before left open stays) */
        if (wh_dl_unit_at(&m->in, off, &u) == WH_DL_OK)
            (void)wh_dl_rows(&u, fill_row, &c);
    }
    m->unit_off = uoff; /* (same_file reads it) */
    uint32_t namb = 0;
    if (c.nseq) {
        sort_seqs(seqs, seqs + nseq, c.nseq);
        c.n = drop_copies(m, rows, c.n, seqs, &c.nseq);
        namb = overlaps(seqs, c.nseq);
    }
    /* Usually already in order (a unit's sequences follow its code, units
     * follow the link order): then there is nothing to sort. */
    uint32_t i = 1;
    while (i < c.n && !row_less(&rows[i], &rows[i - 1]))
        i++;
    if (i < c.n)
        sort_rows(rows, c.n);
    m->rows = rows;
    m->nrows = c.n;
    m->amb = seqs;
    m->namb = namb;
    return true;
}

_Static_assert(offsetof(struct row_ent, addr) == 0, "a row starts with its address");
_Static_assert(offsetof(struct seq_ent, lo) == 0, "a sequence starts with its address");

/* The first of n elements of size bytes at base, in order of the address
 * each starts with (row_ent.addr, seq_ent.lo), that starts above addr. */
WH_RT static uint32_t first_above(const void *base, uint32_t n, size_t size, uint64_t addr) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint64_t at;
        memcpy(&at, (const char *)base + (size_t)mid * size, sizeof at);
        if (at <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether two sequences cover addr (overlaps' ranges of m). */
WH_RT static bool ambiguous(const struct lmap *m, uint64_t addr) {
    uint32_t lo = first_above(m->amb, m->namb, sizeof *m->amb, addr);
    return lo && addr < m->amb[lo - 1].hi;
}

/* This thread is building a row index: a signal handler that interrupted
 * the build and asks for a line gets none (FIND_BUILDING).  Decoding the
 * whole .debug_line instead, as another thread does meanwhile, takes
 * milliseconds; a sampling signal whose period is shorter came back as
 * each such handler returned, and the build never went on (a process hung
 * for good with a 50 us timer, or 1 kHz on a 0.5 MB line table). */
static __thread uintptr_t wh_building_rows __attribute__((tls_model("initial-exec"))); /* its mark (left.c) */
#define FIND_BUILDING (-1)
#define FIND_LEFT (-2)
/* A build left by a longjmp (out of a fault's handler: a file truncated
 * under its mapping) is taken over, but not for ever: the same fault
 * would leave each build again. */
#define WH_ROWS_RETAKES 3

/* (with the asynchronous signals blocked: wh_async_off) */
WH_RT static int build_rows(struct lmap *m) {
    sigset_t old;
    bool off = wh_async_off(&old);
    wh_building_rows = wh_claim_mark((uintptr_t)__builtin_frame_address(0));
    int st = build_table(m) ? 2 : 3;
    atomic_store_explicit(&m->table_state, st, memory_order_release);
    wh_building_rows = 0;
    wh_async_restore(off, &old);
    return st;
}

/* The row covering addr: the last row at the greatest address <= addr,
 * unless that one ends its sequence, or two sequences cover addr. */
WH_RT static int find(struct lmap *m, uint64_t addr, struct wh_dl_hit *hit) {
    int st = atomic_load_explicit(&m->table_state, memory_order_acquire);
    if (st == 0) {
        /* (the claim too with the asynchronous signals blocked: a handler
         * that left by a longjmp before the builder was said left a build
         * nobody takes over, and every lookup decoded the whole
         * .debug_line; one that left before its mark, a retake counted
         * against the faults') */
        int zero = 0;
        sigset_t old;
        bool off = wh_async_off(&old);
        if (atomic_compare_exchange_strong(&m->table_state, &zero, 1)) {
            atomic_store_explicit(&m->table_builder, wh_gettid(), memory_order_release);
            st = build_rows(m);
        }
        wh_async_restore(off, &old);
    } else if (st == 1) {
        /* This thread's build, left by a longjmp out of a signal handler
         * (a handler that interrupted it asks from below its frame). */
        if (wh_building_rows &&
            wh_claim_left(wh_building_rows, (uintptr_t)__builtin_frame_address(0)))
            wh_building_rows = 0;
        /* A build nobody will finish: of no thread of this process (a
         * fork's child, whose parent was building), or of this thread,
         * left by a longjmp: this thread builds in its place, else every
         * lookup here would decode the whole .debug_line. */
        int who = atomic_load_explicit(&m->table_builder, memory_order_acquire), me = 0;
        bool gone = false;
        if (!wh_building_rows && who && (who == (me = wh_gettid()) || (gone = wh_tid_gone(who)))) {
            sigset_t old;
            bool off = wh_async_off(&old);
            if (atomic_compare_exchange_strong(&m->table_builder, &who, me)) {
                if (!gone && atomic_fetch_add(&m->table_left, 1) + 1 >= WH_ROWS_RETAKES)
                    atomic_store_explicit(&m->table_state, st = 4, memory_order_release);
                else
                    st = build_rows(m);
            }
            wh_async_restore(off, &old);
        }
    }
    if (st == 4)
        return FIND_LEFT;
    if (st == 1 && wh_building_rows)
        return FIND_BUILDING;
    if (st != 2)
        return wh_dl_find(&m->in, addr, hit);
    if (ambiguous(m, addr))
        return WH_DL_AMBIG;
    uint32_t lo = first_above(m->rows, m->nrows, sizeof *m->rows, addr);
    if (lo == 0 || (m->rows[lo - 1].ord & WH_ROW_END))
        return WH_DL_NONE;
    const struct row_ent *e = &m->rows[lo - 1];
    if (wh_dl_unit_at(&m->in, m->unit_off[e->unit], &hit->unit) != WH_DL_OK)
        return WH_DL_BAD;
    hit->row = (struct wh_dl_row){.addr = e->addr, .file = e->file, .line = e->line};
    return WH_DL_OK;
}

/* Mappings, keyed by the loader's link_map and the load bias. */
#define WH_NMAPS 256
static struct {
    _Atomic uintptr_t key;      /* link_map address, 0 = free */
    _Atomic int opener;         /* the thread opening it (while m is NULL) */
    _Atomic uintptr_t opener_frame; /* and its mark (left.c; 0: not said yet) */
    _Atomic uintptr_t bias;
    struct lmap *_Atomic m;     /* NULL while being opened */
} wh_maps[WH_NMAPS];

WH_RT const char *wh_ln_reason(int why) {
    switch (why) {
    case WH_LN_NOFILE: return "the image's file cannot be read";
    case WH_LN_NODEBUG: return "no .debug_line";
    case WH_LN_COMPRESSED: return "debug sections compressed in an unknown format";
    case WH_LN_ZSTD: return "zstd-compressed debug sections";
    case WH_LN_ZBAD: return "a compressed debug section is damaged";
    case WH_LN_ZBIG: return "a compressed debug section inflates to over 256 MiB";
    case WH_LN_ZMEM: return "no memory to inflate the compressed debug sections";
    case WH_LN_DIFFERS: return "the file on disk is not the loaded image";
    case WH_LN_NOROW: return "no line for this pc";
    case WH_LN_AMBIG: return "the line tables of two functions cover this pc (identical code folded into one)";
    case WH_LN_BUILDING: return "the line index is being built by the code this signal interrupted";
    case WH_LN_LEFT:
        return "the line index's build was left by a longjmp out of a fault's handler, "
               "three times; not tried again";
    case WH_LN_BAD: return "unreadable .debug_line";
    case WH_LN_CHANGED: return "the file was written over on disk after it was read";
    case WH_LN_BUSY: return "the image's file is being opened";
    case WH_LN_NOIMAGE: return "not in a loaded file";
    case WH_LN_SANDBOX: return "a seccomp filter is active: the file was not opened";
    case WH_LN_UNVERIFIED: return "no build id, and no /proc to tell the file on disk is the loaded image";
    case WH_LN_DBG_OTHER: return "no .debug_line, and the separate debug file found is not this build's";
    default: return "";
    }
}

WH_RT static bool streq(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* The build id among the notes [p, p + n) (4-byte aligned, ELF64 notes
 * are laid out as ELF32's): its length, 0 if none. */
WH_RT static uint32_t note_build_id(const uint8_t *p, size_t n, const uint8_t **id) {
    while (n >= 12) {
        uint32_t h[3];
        memcpy(h, p, sizeof h);
        size_t nsz = ((size_t)h[0] + 3) & ~(size_t)3, dsz = ((size_t)h[1] + 3) & ~(size_t)3;
        if (nsz > n - 12 || dsz > n - 12 - nsz)
            return 0;
        if (h[2] == NT_GNU_BUILD_ID && h[0] == 4 && !memcmp(p + 12, "GNU", 4) && h[1] &&
            h[1] <= 64) {
            *id = p + 12 + nsz;
            return h[1];
        }
        p += 12 + nsz + dsz;
        n -= 12 + nsz + dsz;
    }
    return 0;
}

/* The file's build id, from its PT_NOTE segments. */
WH_RT static void file_build_id(struct lmap *m) {
    for (uint32_t i = 0; i < m->phnum && !m->bid_len; i++) {
        const ElfW(Phdr) *ph = &m->ph[i];
        const uint8_t *id;
        if (ph->p_type != PT_NOTE || ph->p_offset > m->size || ph->p_filesz > m->size - ph->p_offset)
            continue;
        uint32_t n = note_build_id(m->base + ph->p_offset, ph->p_filesz, &id);
        if (n) {
            memcpy(m->bid, id, n);
            m->bid_len = n;
        }
    }
}

/* Which line-program section name nm is: 0 .debug_line, 1
 * .debug_line_str, 2 .debug_str (*gnu: as .zdebug_*), -1 none. */
WH_RT static int zsect_index(const char *nm, bool *gnu) {
    if (nm[0] != '.')
        return -1;
    *gnu = nm[1] == 'z';
    const char *r = nm + (*gnu ? 2 : 1);
    return streq(r, "debug_line")       ? 0
           : streq(r, "debug_line_str") ? 1
           : streq(r, "debug_str")      ? 2
                                        : -1;
}

WH_RT static struct wh_dl_sect *sect_at(struct wh_dl_input *in, int k) {
    return k == 0 ? &in->line : k == 1 ? &in->line_str : &in->str;
}

/* How section s (named .zdebug_* when gnu, else SHF_COMPRESSED) is
 * compressed. */
WH_RT static int zformat(struct wh_dl_sect s, bool gnu) {
    if (gnu)
        return s.n >= 12 && !memcmp(s.p, "ZLIB", 4) ? WH_Z_GNU : WH_Z_NONE;
    ElfW(Chdr) ch;
    if (s.n < sizeof ch)
        return WH_Z_OTHER;
    memcpy(&ch, s.p, sizeof ch);
    return ch.ch_type == ELFCOMPRESS_ZLIB   ? WH_Z_ZLIB
           : ch.ch_type == ELFCOMPRESS_ZSTD ? WH_Z_ZSTD
                                            : WH_Z_OTHER;
}

/* What read_sections says of m's line-program sections once all are
 * found: no .debug_line, compressed in a way that is not read, or
 * readable (its compressed ones inflated at the first need). */
WH_RT static int sections_status(struct lmap *m) {
    if (!m->in.line.p && !m->zfmt[0])
        return WH_LN_NODEBUG;
    bool pending = false;
    for (int k = 0; k < 3; k++) {
        if (m->zfmt[k] == WH_Z_ZSTD)
            return WH_LN_ZSTD;
        if (m->zfmt[k] == WH_Z_OTHER)
            return WH_LN_COMPRESSED;
        pending |= m->zfmt[k] != WH_Z_NONE;
    }
    if (!pending)
        atomic_store_explicit(&m->z_once.state, 2, memory_order_relaxed);
    return WH_LN_OK;
}

/* Where m's code lies, for its line program (lineprog.h): its executable
 * PT_LOAD segments, which a separate debug file keeps too.  More than the
 * input holds, or none: not known. */
WH_RT static void code_ranges(struct lmap *m) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->phnum; i++) {
        const ElfW(Phdr) *p = &m->ph[i];
        if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || p->p_vaddr + p->p_memsz < p->p_vaddr)
            continue;
        if (n == WH_DL_MAX_CODE) {
            n = 0;
            break;
        }
        m->in.code_lo[n] = p->p_vaddr;
        m->in.code_hi[n] = p->p_vaddr + p->p_memsz;
        n++;
    }
    m->in.ncode = n;
}

/* The section headers of the mapped file m: the line-program sections. */
WH_RT static int read_sections(struct lmap *m) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)m->base;
    size_t size = m->size;
    if (size < sizeof *eh || eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
        eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(ElfW(Phdr)) ||
        eh->e_phoff > size || (size - eh->e_phoff) / sizeof(ElfW(Phdr)) < eh->e_phnum)
        return WH_LN_NOFILE;
    m->ph = (const ElfW(Phdr) *)(m->base + eh->e_phoff);
    m->phnum = eh->e_phnum;
    code_ranges(m);
    file_build_id(m);
    if (eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff > size ||
        (size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
        return WH_LN_NODEBUG;
    const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(m->base + eh->e_shoff);
    const ElfW(Shdr) *strs = &sh[eh->e_shstrndx];
    if (strs->sh_offset > size || strs->sh_size > size - strs->sh_offset || !strs->sh_size ||
        m->base[strs->sh_offset + strs->sh_size - 1] != 0)
        return WH_LN_NODEBUG;
    const char *names = (const char *)m->base + strs->sh_offset;
    for (uint32_t i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_name >= strs->sh_size)
            continue;
        const char *nm = names + sh[i].sh_name;
        /* A debug file's build id: its notes are kept as sections, and
         * its program headers may no longer point at them. */
        const uint8_t *id;
        uint32_t idn;
        if (sh[i].sh_type == SHT_NOTE && !m->bid_len && sh[i].sh_offset <= size &&
            sh[i].sh_size <= size - sh[i].sh_offset &&
            (idn = note_build_id(m->base + sh[i].sh_offset, sh[i].sh_size, &id))) {
            memcpy(m->bid, id, idn);
            m->bid_len = idn;
        }
        bool gnu;
        int k = zsect_index(nm, &gnu);
        if (k < 0 || sh[i].sh_type == SHT_NOBITS)
            continue;
        if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset)
            return WH_LN_BAD;
        struct wh_dl_sect s = {m->base + sh[i].sh_offset, sh[i].sh_size};
        int fmt = gnu || (sh[i].sh_flags & SHF_COMPRESSED) ? zformat(s, gnu) : WH_Z_NONE;
        if (fmt == WH_Z_NONE) {
            *sect_at(&m->in, k) = s;
        } else {
            m->zraw[k] = s;
            m->zfmt[k] = (uint8_t)fmt;
        }
    }
    for (int k = 0; k < 3; k++) /* (a section also there uncompressed is read as it is) */
        if (sect_at(&m->in, k)->p)
            m->zfmt[k] = WH_Z_NONE;
    return sections_status(m);
}

/* Inflates compressed section raw (format fmt, WH_Z_ZLIB or WH_Z_GNU)
 * into memory of its own, *out; WH_LN_OK or why not. */
WH_RT static int inflate_sect(struct wh_dl_sect raw, int fmt, struct wh_dl_sect *out,
                              struct wh_inf_work *w) {
    uint64_t size = 0;
    size_t hdr = fmt == WH_Z_GNU ? 12 : sizeof(ElfW(Chdr));
    if (raw.n < hdr)
        return WH_LN_ZBAD;
    if (fmt == WH_Z_GNU) {
        for (int i = 4; i < 12; i++)
            size = size << 8 | raw.p[i];
    } else {
        ElfW(Chdr) ch;
        memcpy(&ch, raw.p, sizeof ch);
        size = ch.ch_size;
    }
    if (size > WH_Z_MAX_SIZE)
        return WH_LN_ZBIG;
    if (size / WH_Z_MAX_RATIO > raw.n - hdr)
        return WH_LN_ZBAD; /* more than the stream could hold */
    uint8_t *buf = wh_map((size_t)size);
    if (!buf)
        return WH_LN_ZMEM;
    if (wh_inflate(raw.p + hdr, raw.n - hdr, buf, (size_t)size, w) != WH_INF_OK) {
        wh_unmap(buf, (size_t)size);
        return WH_LN_ZBAD;
    }
    *out = (struct wh_dl_sect){buf, (size_t)size};
    return WH_LN_OK;
}

/* Inflates m's compressed line-program sections into m->in (all, or
 * none: their memory is given back on failure); WH_LN_OK or why not. */
WH_RT __attribute__((noinline)) static int inflate_sections(struct lmap *m) {
    struct wh_inf_work *w = wh_map(sizeof *w);
    if (!w)
        return WH_LN_ZMEM;
    struct wh_dl_sect got[3] = {{0}};
    int why = WH_LN_OK;
    for (int k = 0; k < 3 && why == WH_LN_OK; k++)
        if (m->zfmt[k] != WH_Z_NONE)
            why = inflate_sect(m->zraw[k], m->zfmt[k], &got[k], w);
    wh_unmap(w, sizeof *w);
    for (int k = 0; k < 3; k++) {
        if (!got[k].p)
            continue;
        if (why == WH_LN_OK)
            *sect_at(&m->in, k) = got[k];
        else
            wh_unmap((void *)got[k].p, got[k].n);
    }
    return why;
}

/* Claims step o by swapping *word from expect to val and, if that won,
 * takes it (take(m)) and says its end: all with the asynchronous signals
 * blocked (wh_async_off; one pending is delivered after the end is said),
 * so that a handler that leaves by a longjmp cannot leave the step
 * claimed and never taken (a claim left before its taker was stored read
 * as this thread's own take in progress, for good). */
WH_RT static bool take_quietly(_Atomic int *word, int expect, int val, void (*take)(struct lmap *),
                               struct lmap *m, struct once_step *o) {
    sigset_t old;
    bool off = wh_async_off(&old);
    bool won = atomic_compare_exchange_strong(word, &expect, val);
    if (won) {
        atomic_store_explicit(&o->taker, wh_gettid(), memory_order_release);
        take(m);
        atomic_store_explicit(&o->state, 2, memory_order_release);
    }
    wh_async_restore(off, &old);
    return won;
}

/* Takes step o of m (take) once: by the first thread that asks; others
 * wait for it (up to wait turns, each a nap when nap, else a yield),
 * unless this thread is the one, in a signal handler that interrupted it,
 * or that thread is gone (a fork's child: this one takes it over).  False:
 * not taken yet (busy). */
WH_RT static bool once_take(struct once_step *o, struct lmap *m, void (*take)(struct lmap *),
                            unsigned wait, bool nap) {
    for (unsigned spins = 0;; spins++) {
        int st = atomic_load_explicit(&o->state, memory_order_acquire);
        if (st == 2)
            return true;
        if (st == 0 && take_quietly(&o->state, 0, 1, take, m, o))
            return true;
        int who = atomic_load_explicit(&o->taker, memory_order_acquire);
        if ((who && who == wh_gettid()) || spins >= wait)
            return false;
        if ((spins & 63) == 63 && who && wh_tid_gone(who) &&
            take_quietly(&o->taker, who, wh_gettid(), take, m, o))
            return true;
        if (nap)
            wh_nap(spins);
        else
            sched_yield();
    }
}

WH_RT static void inflate_all(struct lmap *m) {
    m->z_why = inflate_sections(m);
}

/* m's compressed line-program sections, inflated once, at the first
 * lookup of a line that needs them (once_take).  WH_LN_OK, or why they
 * cannot be read. */
WH_RT static int inflated(struct lmap *m) {
    return once_take(&m->z_once, m, inflate_all, WH_Z_WAIT, true) ? m->z_why : WH_LN_BUSY;
}

/* The ELF header of the loaded image [lo, hi): its first page holds it and
 * the program headers, as the file does at offset 0.  NULL if they are
 * not where they should be. */
WH_RT static const ElfW(Ehdr) *mem_ehdr(uintptr_t lo, uintptr_t hi) {
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)lo;
    if (hi - lo < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(ElfW(Phdr)) ||
        eh->e_phoff > hi - lo || (hi - lo - eh->e_phoff) / sizeof(ElfW(Phdr)) < eh->e_phnum)
        return NULL;
    return eh;
}

/* The build id of the loaded image: its program headers name its notes,
 * which are in a loaded segment.  0 if it has none. */
WH_RT static uint32_t mem_build_id(uintptr_t lo, uintptr_t hi, uintptr_t bias,
                                   const uint8_t **id) {
    const ElfW(Ehdr) *eh = mem_ehdr(lo, hi);
    if (!eh)
        return 0;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(lo + eh->e_phoff);
    for (uint32_t i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE)
            continue;
        uintptr_t a = bias + ph[i].p_vaddr;
        bool loaded = false; /* inside a loaded segment, so mapped */
        for (uint32_t j = 0; j < eh->e_phnum && !loaded; j++)
            loaded = ph[j].p_type == PT_LOAD && ph[i].p_vaddr >= ph[j].p_vaddr &&
                     ph[i].p_memsz <= ph[j].p_memsz &&
                     ph[i].p_vaddr - ph[j].p_vaddr <= ph[j].p_memsz - ph[i].p_memsz;
        if (!loaded || a < lo || a > hi || ph[i].p_memsz > hi - a)
            continue;
        uint32_t n = note_build_id((const uint8_t *)a, ph[i].p_memsz, id);
        if (n)
            return n;
    }
    return 0;
}

/* Nothing in memory says the mapped file m is not the image loaded at
 * [lo, hi) with bias: when both carry a build id, the ids are equal, and
 * the ELF and program headers in memory, when they are readable there,
 * are the file's own (a file without build id, such as the dynamic loader
 * at /proc/self/exe, is told apart from the program it ran so). */
WH_RT static bool is_image(const struct lmap *m, uintptr_t lo, uintptr_t hi, uintptr_t bias) {
    const uint8_t *want = NULL;
    uint32_t want_len = mem_build_id(lo, hi, bias, &want);
    if (want_len && m->bid_len &&
        (m->bid_len != want_len || memcmp(m->bid, want, want_len) != 0))
        return false;
    const ElfW(Ehdr) *eh = mem_ehdr(lo, hi);
    if (!eh || !m->ph)
        return true;
    /* (equal ELF headers: the file's program headers, which read_sections
     * checked, are as many as those in memory) */
    return memcmp(eh, m->base, sizeof *eh) == 0 &&
           memcmp((const uint8_t *)eh + eh->e_phoff, m->ph,
                  (size_t)eh->e_phnum * sizeof(ElfW(Phdr))) == 0;
}

/* What /proc/self/maps says of the file mapped at an address. */
struct maps_at {
    bool found;       /* the address is a file's, and its path is in path */
    bool gone;        /* that file is deleted (or replaced by a rename) */
    bool unread;      /* /proc/self/maps could not be read */
    uint64_t ino;     /* the mapped file's inode (0: no line for the address) */
    char path[512];   /* absolute; "" when !found */
};
WH_RT static void maps_at(uintptr_t addr, struct maps_at *a);
WH_RT static struct lmap *open_library(const char *path, uintptr_t lo, uintptr_t hi,
                                       uintptr_t bias);

/* The file at path, WH_LN_DIFFERS unless it is the image at [lo, hi).
 * A library's path may name another build by now, and without build ids
 * on both sides nothing in the file tells a rebuild that only moved lines
 * from the build loaded (same code, same headers, every line moved): then
 * the file opened must be the one mapped, its inode the mapping's in
 * /proc/self/maps, and that file still linked (not " (deleted)", as once
 * a new file was renamed over it, the way linkers and package managers
 * replace files).  A path that resolves to another file than at load time
 * (relative to a directory changed since, a symbolic link pointed
 * elsewhere, a bind mount or a chroot) is told so.  On overlayfs the
 * mapping may show another layer's inode than the file's: there only the
 * file's being linked is asked. */
static _Atomic bool wh_no_open;

WH_RT void wh_lines_no_open(void) {
    atomic_store_explicit(&wh_no_open, true, memory_order_relaxed);
}

/* Maps the regular file at path into m (status: what read_sections
 * says, else WH_LN_NOFILE); false if it could not even be opened. */
WH_RT static bool map_into_(struct lmap *m, const char *path);
WH_RT static bool map_into(struct lmap *m, const char *path) {
    int c = wh_cancel_off(); /* (a cancel at close: the file kept open) */
    bool ok = map_into_(m, path);
    wh_cancel_restore(c);
    return ok;
}

WH_RT static bool map_into_(struct lmap *m, const char *path) {
    m->status = WH_LN_NOFILE;
    /* O_NONBLOCK: a path that names a FIFO now (or a device) must not
     * block the crash handler in open(2) for ever; only a regular file is
     * read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *p = wh_sys_mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        m->dev = st.st_dev;
        m->ino = st.st_ino;
        m->mtime = st.st_mtim;
        m->ctime = st.st_ctim;
        size_t n = strlen(path);
        if (n < sizeof m->opened)
            memcpy(m->opened, path, n + 1);
        struct statfs fs;
        m->overlay = fstatfs(fd, &fs) == 0 && fs.f_type == 0x794c7630; /* OVERLAYFS_SUPER_MAGIC */
        if (p != MAP_FAILED) {
            m->base = p;
            m->size = (size_t)st.st_size;
            m->status = read_sections(m);
        }
    }
    close(fd);
    return true;
}

/* The file at file (NULL: at path; path is kept for its directory),
 * checked against the image and, for a library, against ma: what
 * /proc/self/maps says of the image's start. */
WH_RT static struct lmap *open_map(const char *path, const char *file, uintptr_t lo, uintptr_t hi,
                                   uintptr_t bias, bool library, const struct maps_at *ma) {
    struct lmap *m = wh_map(sizeof *m);
    if (!m)
        return NULL;
    m->status = WH_LN_NOFILE;
    m->path = path;
    m->lo = lo;
    m->hi = hi;
    if (atomic_load_explicit(&wh_no_open, memory_order_relaxed)) {
        m->status = WH_LN_SANDBOX;
        return m;
    }
    if (map_into(m, file ? file : path)) {
        if (m->base) {
            const uint8_t *id;
            bool ids = m->bid_len && mem_build_id(lo, hi, bias, &id);
            bool unread = library && !ids && ma->unread;
            if (!is_image(m, lo, hi, bias) ||
                (library && !ids &&
                 (ma->gone || (ma->ino && ma->ino != (uint64_t)m->ino && !m->overlay))))
                m->status = WH_LN_DIFFERS;
            else if (unread && m->status == WH_LN_OK)
                /* Without /proc/self/maps nothing tells a file renamed
                 * over the loaded one (same code and headers, lines
                 * moved) from the loaded file: no line is claimed. */
                m->status = WH_LN_UNVERIFIED;
            /* (nor from its debug file, whose CRC the renamed file's
             * debuglink would match) */
            m->unverified = unread;
            m->id_same = ids && m->status != WH_LN_DIFFERS;
        }
    }
    return m;
}

WH_RT static void drop_map(struct lmap *m) {
    if (m->base)
        wh_sys_munmap((void *)m->base, m->size);
    wh_unmap(m, sizeof *m);
}

/* Whether the file m mapped was written over in place since it was checked
 * (a `cp` or a truncation over it: the same inode, whose new bytes the
 * mapping shows): a stripped program's separate debug file copied over
 * from another build then gave that build's lines as exact, and a
 * truncated one made the next read fault (SIGBUS).  A file renamed over
 * the path is another inode, and the one mapped keeps its bytes.  The
 * path it was opened by is stat'ed (/proc/self/map_files, which names the
 * mapped inode itself, is root's only), and its size, modification and
 * change times compared (a copy that keeps the mtime, cp -p, changes the
 * ctime).  At every use (about 1 us: a look once a millisecond let a
 * lookup right after a truncation read past the file's end, SIGBUS), but
 * not where a seccomp filter is active (the sandbox may kill stat; the
 * crash report then uses what it checked before).  Once changed, for
 * good. */
WH_RT static bool changed_since(struct lmap *m) {
    if (atomic_load_explicit(&m->changed, memory_order_relaxed))
        return true;
    if (!m->base || !m->opened[0] || atomic_load_explicit(&wh_no_open, memory_order_relaxed))
        return false;
    struct stat st;
    int c = wh_cancel_off();
    int rc = stat(m->opened, &st);
    wh_cancel_restore(c);
    if (rc != 0 || st.st_ino != m->ino || st.st_dev != m->dev)
        return false;
    if ((size_t)st.st_size == m->size && st.st_mtim.tv_sec == m->mtime.tv_sec &&
        st.st_mtim.tv_nsec == m->mtime.tv_nsec && st.st_ctim.tv_sec == m->ctime.tv_sec &&
        st.st_ctim.tv_nsec == m->ctime.tv_nsec)
        return false;
    atomic_store_explicit(&m->changed, true, memory_order_relaxed);
    return true;
}

/* A DSO unloaded and another one loaded with the same link_map address and
 * bias finds the old one's entry: when the path now names another file,
 * the entry is replaced (the old mapping stays: a reader may hold it; at
 * most WH_MAX_REMAPS are left behind so). */
#define WH_MAX_REMAPS 1024
static _Atomic uint32_t wh_remaps;

WH_RT static struct lmap *fresh(struct lmap *_Atomic *slot, struct lmap *m,
                                const struct link_map *lm, uintptr_t lo, uintptr_t hi,
                                uintptr_t bias) {
    const char *path = lm->l_name;
    struct stat st;
    if (atomic_load_explicit(&wh_no_open, memory_order_relaxed))
        return m;
    if (!path || !*path || stat(path, &st) != 0 ||
        (st.st_dev == m->name_dev && st.st_ino == m->name_ino))
        return m;
    if ((uint64_t)st.st_dev == atomic_load_explicit(&m->refused_dev, memory_order_relaxed) &&
        (uint64_t)st.st_ino == atomic_load_explicit(&m->refused_ino, memory_order_relaxed))
        return m;
    if (atomic_fetch_add(&wh_remaps, 1) >= WH_MAX_REMAPS)
        return m;
    struct lmap *n = open_library(path, lo, hi, bias);
    if (!n)
        return m;
    if ((n->status == WH_LN_DIFFERS || n->status == WH_LN_UNVERIFIED ||
         n->status == WH_LN_NOFILE) && m->base &&
        m->status != WH_LN_DIFFERS && m->status != WH_LN_UNVERIFIED &&
        is_image(m, lo, hi, bias)) {
        /* The path names another build now (replaced on disk); the one
         * loaded is still the file m mapped. */
        atomic_store_explicit(&m->refused_ino, (uint64_t)st.st_ino, memory_order_relaxed);
        atomic_store_explicit(&m->refused_dev, (uint64_t)st.st_dev, memory_order_relaxed);
        drop_map(n);
        return m;
    }
    if (!atomic_compare_exchange_strong(slot, &m, n))
        drop_map(n); /* nobody saw it */
    return atomic_load_explicit(slot, memory_order_acquire);
}

/* What /proc/self/maps says of the file mapped at addr: its inode, and
 * its path, which the kernel resolved when the file was mapped, so that
 * neither a relative path the program or library was loaded by nor a
 * chdir since matters.  Not found: anonymous memory, no /proc (unread), a
 * deleted or replaced file (gone), a path of 512 bytes or more (its end is
 * still read for " (deleted)").  Read in small pieces, parsed as it comes:
 * no allocation. */
WH_RT static void maps_at_(uintptr_t addr, struct maps_at *a);
WH_RT __attribute__((noinline)) static void maps_at(uintptr_t addr, struct maps_at *a) {
    int c = wh_cancel_off();
    maps_at_(addr, a);
    wh_cancel_restore(c);
}

WH_RT static void maps_at_(uintptr_t addr, struct maps_at *a) {
    a->found = a->gone = a->unread = false;
    a->ino = 0;
    a->path[0] = 0;
    if (atomic_load_explicit(&wh_no_open, memory_order_relaxed)) {
        a->unread = true;
        return;
    }
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        a->unread = true; /* no /proc, or not allowed */
        return;
    }
    char buf[256];
    uint64_t lo = 0, hi = 0, ino = 0;
    uint32_t field = 0; /* start-end perms offset dev inode path */
    static const char deleted[] = " (deleted)";
    enum { G = sizeof deleted - 1 };
    char tail[G]; /* the path's last G bytes, however long it is */
    size_t n = 0, total = 0, len = sizeof a->path;
    bool found = false, over = false;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            a->unread = true;
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++) {
            char c = buf[i];
            if (c == '\n') {
                if (field == 6 && lo <= addr && addr < hi) {
                    found = true;
                    goto done;
                }
                lo = hi = ino = 0, field = 0, n = 0, total = 0;
                continue;
            }
            uint32_t h = c >= '0' && c <= '9' ? (uint32_t)(c - '0')
                         : c >= 'a' && c <= 'f' ? (uint32_t)(c - 'a' + 10)
                                                : 16;
            if (field == 0 && c == '-')
                field = 1;
            else if (field == 0 && h < 16)
                lo = lo << 4 | h;
            else if (field == 1 && h < 16)
                hi = hi << 4 | h;
            else if (field == 5 && h < 10)
                ino = ino * 10 + h;
            else if (field < 6 && c == ' ')
                field++;
            else if (field == 6 && (total || c != ' ') && lo <= addr && addr < hi) {
                if (n + 1 < len)
                    a->path[n++] = c;
                else
                    over = true;
                memmove(tail, tail + 1, G - 1);
                tail[G - 1] = c;
                total++;
            }
        }
    }
done:
    close(fd);
    if (!found)
        return;
    a->ino = ino;
    if (total >= G && memcmp(tail, deleted, G) == 0) {
        a->gone = true;
        a->path[0] = 0;
        return;
    }
    if (over || !n || a->path[0] != '/') {
        a->path[0] = 0;
        return;
    }
    a->path[n] = 0;
    a->found = true;
}

/* A library's file: the one mapped, at the path /proc/self/maps gives
 * (the loader's path may be relative to a directory changed since, or a
 * symbolic link pointed elsewhere), else at the loader's path (the
 * kernel's path may name another file by now: a bind mount over it, a
 * chroot); checked against the mapping either way.  path is kept for the
 * directory of a debug file. */
WH_RT static struct lmap *open_library(const char *path, uintptr_t lo, uintptr_t hi,
                                       uintptr_t bias) {
    struct maps_at ma;
    maps_at(lo, &ma);
    struct lmap *m = ma.found ? open_map(path, ma.path, lo, hi, bias, true, &ma) : NULL;
    if (!m || !m->base || m->status == WH_LN_DIFFERS) {
        if (m)
            drop_map(m);
        m = open_map(path, NULL, lo, hi, bias, true, &ma);
    }
    /* (what the path names now: a later lookup that finds it naming
     * another file looks again, fresh) */
    struct stat st;
    if (m && stat(path, &st) == 0) {
        m->name_dev = st.st_dev;
        m->name_ino = st.st_ino;
    }
    return m;
}

#ifdef WH_HAVE_DLFO
/* The file of the program itself.  /proc/self/exe is the file that was
 * executed, which is the program unless it was started through the
 * dynamic loader (`ld.so ./prog`: the loader is then the executed file,
 * and the program is mapped as any library, its link_map named "").  So
 * when the executed file is not the image, the program's file is the one
 * mapped at the image's start, and last the path it was started by
 * (AT_EXECFN, which the loader sets to the program's when it runs one;
 * relative to the starting directory).  Each is taken only if it is the
 * image (is_image). */
WH_RT __attribute__((noinline)) static struct lmap *open_program(uintptr_t lo, uintptr_t hi, uintptr_t bias) {
    struct lmap *m = open_map("/proc/self/exe", NULL, lo, hi, bias, false, NULL);
    struct maps_at ma;
    for (int k = 0; k < 2 && m && (m->status == WH_LN_DIFFERS || m->status == WH_LN_NOFILE); k++) {
        if (k == 0)
            maps_at(lo, &ma);
        const char *p = k == 0 ? (ma.found ? ma.path : NULL) : (const char *)getauxval(AT_EXECFN);
        struct lmap *n = p && *p ? open_map(p, NULL, lo, hi, bias, true, &ma) : NULL;
        if (n && n->status != WH_LN_DIFFERS && n->status != WH_LN_NOFILE) {
            drop_map(m);
            if (k == 0)
                n->path = NULL; /* (path is this frame's buffer) */
            return n;
        }
        if (n)
            drop_map(n);
    }
    return m;
}

/* The file of the image fo describes. */
WH_RT static struct lmap *open_image(const struct dl_find_object *fo, uintptr_t bias) {
    const struct link_map *lm = fo->dlfo_link_map;
    uintptr_t lo = (uintptr_t)fo->dlfo_map_start, hi = (uintptr_t)fo->dlfo_map_end;
    if (lm->l_name && *lm->l_name)
        return open_library(lm->l_name, lo, hi, bias);
    return open_program(lo, hi, bias);
}

/* open_image, its result kept at *at, with the asynchronous signals
 * blocked (wh_async_off: one pending is delivered after it is kept). */
WH_RT static struct lmap *open_quietly(const struct dl_find_object *fo, uintptr_t bias,
                                       struct lmap *_Atomic *at) {
    sigset_t old;
    bool off = wh_async_off(&old);
    struct lmap *m = open_image(fo, bias);
    atomic_store_explicit(at, m, memory_order_release);
    wh_async_restore(off, &old);
    return m;
}
#endif

/* The kept mapping of the image holding pc; NULL (and *why) if none. */
WH_RT static struct lmap *map_of(uintptr_t pc, uintptr_t *bias, int *why) {
    *why = WH_LN_NOFILE;
#ifdef WH_HAVE_DLFO
    struct dl_find_object fo;
    if (!_dl_find_object)
        return NULL;
    if (_dl_find_object((void *)pc, &fo) != 0 || !fo.dlfo_link_map) {
        *why = WH_LN_NOIMAGE;
        return NULL;
    }
    const struct link_map *lm = fo.dlfo_link_map;
    uintptr_t key = (uintptr_t)lm, here = (uintptr_t)__builtin_frame_address(0);
    *bias = lm->l_addr;
    uint32_t h = (uint32_t)((key >> 4) * 0x9e3779b9u) % WH_NMAPS;
    for (uint32_t i = 0; i < WH_NMAPS; i++) {
        uint32_t j = (h + i) % WH_NMAPS;
        uintptr_t k = atomic_load_explicit(&wh_maps[j].key, memory_order_acquire);
        if (k == key) {
            struct lmap *m = atomic_load_explicit(&wh_maps[j].m, memory_order_acquire);
            /* Another thread opening the file: wait for it (it only opens
             * and maps; bounded), unless this thread is the one, in a
             * signal handler that interrupted it. */
            int me = m ? 0 : wh_gettid();
            for (unsigned spins = 0; !m && spins < 100000; spins++) {
                int who = atomic_load_explicit(&wh_maps[j].opener, memory_order_acquire);
                uintptr_t then = atomic_load_explicit(&wh_maps[j].opener_frame, memory_order_acquire);
                /* (mine with no mark yet: left right after its claim) */
                bool mine = who && who == me, left = mine && (!then || wh_claim_left(then, here));
                if (mine && !left)
                    break; /* (0: the opener has not said who it is yet) */
                /* An opener that will not finish: no thread of this process
                 * (a fork's child), or this thread, that left the opening
                 * by a longjmp out of a signal handler (left.c), or one
                 * that left it before it said who it is (a few
                 * instructions, waited for 1,024 turns): this thread opens
                 * the file in its place. */
                if ((left || ((spins & 63) == 63 && who && wh_tid_gone(who)) ||
                     (!who && spins >= 1024)) &&
                    atomic_compare_exchange_strong(&wh_maps[j].opener, &who, me)) {
                    atomic_store_explicit(&wh_maps[j].opener_frame, wh_claim_mark(here),
                                          memory_order_release);
                    m = open_quietly(&fo, *bias, &wh_maps[j].m);
                    if (!m) {
                        *why = WH_LN_NOFILE;
                        return NULL;
                    }
                    break;
                }
                sched_yield();
                m = atomic_load_explicit(&wh_maps[j].m, memory_order_acquire);
            }
            if (!m) {
                *why = WH_LN_BUSY;
                return NULL;
            }
            if (atomic_load_explicit(&wh_maps[j].bias, memory_order_acquire) != *bias)
                continue;
            return fresh(&wh_maps[j].m, m, lm, (uintptr_t)fo.dlfo_map_start,
                         (uintptr_t)fo.dlfo_map_end, *bias);
        }
        if (k)
            continue;
        /* A free entry: claim it and open the file.  (An image unloaded
         * and another loaded with the same link_map and bias finds the
         * old entry: the code comparison then refuses its file.) */
        uintptr_t zero = 0;
        if (!atomic_compare_exchange_strong(&wh_maps[j].key, &zero, key)) {
            i--; /* taken meanwhile: look at it again */
            continue;
        }
        atomic_store_explicit(&wh_maps[j].opener_frame, wh_claim_mark(here), memory_order_release);
        atomic_store_explicit(&wh_maps[j].opener, wh_gettid(), memory_order_release);
        atomic_store_explicit(&wh_maps[j].bias, *bias, memory_order_release);
        struct lmap *m = open_quietly(&fo, *bias, &wh_maps[j].m);
        return m;
    }
#else
    (void)pc;
    (void)bias;
#endif
    return NULL;
}

WH_RT static struct lmap *debug_of(struct lmap *m, int *why);

WH_RT void wh_lines_preopen(uintptr_t pc) {
    uintptr_t bias;
    int why;
    struct lmap *m = map_of(pc, &bias, &why);
    /* A stripped program's debug file too, while files may be opened. */
    if (m && m->status == WH_LN_NODEBUG)
        (void)debug_of(m, &why);
}

/* File offset of virtual address v, with n bytes in the file. */
WH_RT static bool file_off(const struct lmap *m, uintptr_t v, size_t n, size_t *off) {
    for (uint32_t i = 0; i < m->phnum; i++) {
        const ElfW(Phdr) *p = &m->ph[i];
        if (p->p_type != PT_LOAD || v < p->p_vaddr || v - p->p_vaddr > p->p_filesz ||
            n > p->p_filesz - (v - p->p_vaddr))
            continue;
        uint64_t o = p->p_offset + (v - p->p_vaddr);
        if (o > m->size || n > m->size - o)
            return false;
        *off = (size_t)o;
        return true;
    }
    return false;
}

/* The loaded code is the file's: up to 64 bytes on each side of pc,
 * inside [entry, entry + size).  Not compared when the build ids agree:
 * code patched at run time (XRay's sleds, a -fpatchable-function-entry
 * hot patch, a debugger's breakpoint, text relocations) keeps its lines,
 * and a fault there was "line unknown; the file on disk is not the loaded
 * image" (helper-92). */
WH_RT static bool same_code(const struct lmap *m, uintptr_t bias, uintptr_t pc, uintptr_t entry,
                            size_t size) {
    if (m->id_same)
        return true;
    uintptr_t lo = pc - entry > 64 ? pc - 64 : entry;
    uintptr_t hi = entry + size - pc > 64 ? pc + 64 : entry + size;
    size_t off;
    if (hi <= lo || !file_off(m, lo - bias, hi - lo, &off))
        return false;
    const volatile uint8_t *mem = (const volatile uint8_t *)lo;
    for (size_t i = 0; i < hi - lo; i++)
        if (mem[i] != m->base[off + i])
            return false;
    return true;
}

/* The directory of m's file, for a debuglink name next to it: a
 * library's path as the loader keeps it; the program's, for the file
 * /proc/self/exe links to (its link ends in " (deleted)" once replaced:
 * the directory is still where its debug file was put), else (no /proc;
 * started as `ld.so ./prog`: path NULL) the path it was started by.  buf
 * holds the program's path. */
WH_RT static void obj_dir(const struct lmap *m, char *buf, size_t len, struct wh_dbg_key *k) {
    const char *p = m->path;
    ssize_t n;
    if (p && streq(p, "/proc/self/exe"))
        p = (n = readlink(p, buf, len - 1)) > 0 && buf[0] == '/' ? (buf[n] = 0, buf) : NULL;
    if (!p)
        p = (const char *)getauxval(AT_EXECFN);
    if (!p)
        return;
    size_t slash = 0;
    for (size_t i = 0; p[i]; i++)
        if (p[i] == '/')
            slash = i + 1;
    k->objdir = slash ? p : ".";
    k->objdir_len = slash > 1 ? slash - 1 : 1;
}

/* Candidate d (found the way how says) is the debug file of image file
 * m: an ELF file for the same machine whose build id is m's when both
 * have one; else, for a debuglink, whose CRC32 is the one the image
 * recorded (reading the whole file: the build ids, when there, spare
 * that).  A file found by build id must carry that build id. */
WH_RT static bool debug_matches(const struct lmap *m, const struct lmap *d, int how,
                                uint32_t crc) {
    if (!d->base || d->status == WH_LN_NOFILE ||
        ((const ElfW(Ehdr) *)d->base)->e_machine != ((const ElfW(Ehdr) *)m->base)->e_machine)
        return false;
    if (m->bid_len && d->bid_len)
        return m->bid_len == d->bid_len && memcmp(m->bid, d->bid, m->bid_len) == 0;
    if (how != WH_DBG_BY_LINK)
        return false;
    return wh_crc32(0, d->base, d->size) == crc;
}

/* Looks for m's separate debug file in gdb's order (debugfile.c); opens
 * at most WH_DBG_MAX_OPENED candidates. */
WH_RT __attribute__((noinline)) static void find_debug(struct lmap *m) {
    m->dbg_why = WH_LN_NODEBUG;
    if (atomic_load_explicit(&wh_no_open, memory_order_relaxed)) {
        m->dbg_why = WH_LN_SANDBOX;
        return;
    }
    if (!m->base || m->unverified) {
        m->dbg_why = m->base ? WH_LN_UNVERIFIED : WH_LN_NOFILE;
        return;
    }
    struct wh_dbg_key k = {0};
    if (m->bid_len) {
        k.bid = m->bid;
        k.bid_len = m->bid_len;
    }
    uint32_t crc = 0;
    char prog[1024], path[2048];
    bool link = wh_debuglink(m->base, m->size, &k.link, &k.link_len, &crc);
    uint32_t opened = 0;
    for (uint32_t i = 0; opened < WH_DBG_MAX_OPENED; i++) {
        int how = wh_dbg_candidate(&k, i, path, sizeof path);
        if (how == WH_DBG_SKIP && link) {
            /* The debuglink's candidates need the image's directory
             * (for the program, a readlink): not before they come. */
            link = false;
            obj_dir(m, prog, sizeof prog, &k);
            how = wh_dbg_candidate(&k, i, path, sizeof path);
        }
        if (how == WH_DBG_END)
            break;
        if (how == WH_DBG_SKIP)
            continue;
        struct lmap *d = wh_map(sizeof *d);
        if (!d)
            return;
        if (!map_into(d, path)) {
            wh_unmap(d, sizeof *d);
            continue;
        }
        opened++;
        /* A debuglink named as the binary itself (`.debug/prog` for
         * prog): the first candidate is the binary, which has the same
         * build id and no debug sections; gdb passes over it too. */
        if (d->dev == m->dev && d->ino == m->ino) {
            drop_map(d);
            continue;
        }
        if (debug_matches(m, d, how, crc)) {
            m->dbg = d;
            m->dbg_why = d->status;
            return;
        }
        m->dbg_why = WH_LN_DBG_OTHER;
        drop_map(d);
    }
}

/* m's debug file, looked for once (once_take).  NULL and *why if there
 * is none. */
WH_RT static struct lmap *debug_of(struct lmap *m, int *why) {
    if (!once_take(&m->dbg_once, m, find_debug, 100000, false)) {
        *why = WH_LN_BUSY;
        return NULL;
    }
    *why = m->dbg_why;
    return m->dbg;
}

WH_RT bool wh_ln_debug_file(const struct wh_ln_file *f, struct wh_ln_file *d) {
    int why;
    struct lmap *g = debug_of((struct lmap *)f->map, &why);
    if (!g || changed_since(g))
        return false;
    *d = (struct wh_ln_file){g->base, g->size, f->bias, f->map};
    return true;
}

/* A file of this status is the image's, whether or not its lines can be
 * read: its symbol table and code bytes are. */
WH_RT static bool file_usable(int status) {
    return status == WH_LN_OK || status == WH_LN_NODEBUG || status == WH_LN_COMPRESSED ||
           status == WH_LN_ZSTD;
}

WH_RT int wh_ln_file_of(uintptr_t pc, struct wh_ln_file *f) {
    int why;
    struct lmap *m = map_of(pc, &f->bias, &why);
    if (!m)
        return why;
    if (!file_usable(m->status))
        return m->status;
    if (changed_since(m))
        return WH_LN_CHANGED;
    f->base = m->base;
    f->size = m->size;
    f->map = m;
    return WH_LN_OK;
}

WH_RT bool wh_ln_same_code(const struct wh_ln_file *f, uintptr_t pc, uintptr_t entry,
                           size_t size) {
    return same_code(f->map, f->bias, pc, entry, size);
}

WH_RT int wh_dwarf_line(uintptr_t pc, uintptr_t entry, uint32_t size, struct wh_dwarf_pos *out) {
    uintptr_t bias = 0;
    int why;
    struct lmap *m = map_of(pc, &bias, &why);
    if (!m)
        return why;
    if (!file_usable(m->status))
        return m->status;
    /* (the image's own file: a debug file has no code bytes) */
    if (!same_code(m, bias, pc, entry, size))
        return WH_LN_DIFFERS;
    if (m->status == WH_LN_NODEBUG) {
        /* Stripped: the lines of its separate debug file, if it has one
         * that is this build's. */
        struct lmap *d = debug_of(m, &why);
        if (!d)
            return why;
        m = d;
    }
    if (m->status != WH_LN_OK)
        return m->status;
    /* (the file the lines are read from, once per lookup) */
    if (changed_since(m))
        return WH_LN_CHANGED;
    int zwhy = inflated(m);
    if (zwhy != WH_LN_OK)
        return zwhy;
    struct wh_dl_hit hit;
    int rc = find(m, (uint64_t)(pc - bias), &hit);
    if (rc == FIND_BUILDING)
        return WH_LN_BUILDING;
    if (rc == FIND_LEFT)
        return WH_LN_LEFT;
    if (rc == WH_DL_BAD)
        return WH_LN_BAD;
    if (rc == WH_DL_AMBIG)
        return WH_LN_AMBIG;
    if (rc != WH_DL_OK || hit.row.line == 0)
        return WH_LN_NOROW;
    struct wh_dl_file f;
    if (wh_dl_file_at(&hit.unit, hit.row.file, &f) != WH_DL_OK || !f.name.len)
        return WH_LN_NOROW;
    out->name = f.name.p;
    out->name_len = f.name.len;
    out->dir = f.dir.p;
    out->dir_len = f.dir.len;
    out->base = f.base.p;
    out->base_len = f.base.len;
    out->dir_cu = f.dir0;
    out->base_cu = f.base.len != 0;
    out->unit_file = NULL;
    out->unit_file_len = 0;
    struct wh_dl_file u1;
    if (hit.unit.version < 5 && !(f.name.p[0] == '/') && !(f.dir.len && f.dir.p[0] == '/') &&
        wh_dl_file_at(&hit.unit, 1, &u1) == WH_DL_OK && u1.name.len && !u1.dir.len &&
        u1.name.p[0] != '/') {
        out->unit_file = u1.name.p;
        out->unit_file_len = u1.name.len;
    }
    out->line = hit.row.line;
    out->column = hit.row.column;
    return WH_LN_OK;
}
