/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * inlined.c - is the line .debug_line gives for an exact pc the function's
 * own, or code inlined into it (lines.h, wh_exact_inlined)?  And which of
 * the records' files is the line table's file?
 *
 * .debug_line gives the innermost position only; whether it is inlined code
 * is told from the functions the records know to be inlined: those of an
 * inline chain whose outermost function is the pc's (its call sites' locs:
 * exactly what was inlined into it) and the nameless subprogs the pass gives
 * functions inlined without a call (passes/records.c, wp_inlined_starts:
 * inlined somewhere in the module).  A function that merely starts in the
 * function's lines (a lambda, a block, an OpenMP region's outlined body, an
 * in-class method before a member initializer, a header included twice) is
 * not inlined code unless it is one of those.  A module instrumented before
 * an LTO link does not know what the link inlined: any function is.
 *
 * The answer takes searches of the module: its files, for the ones the
 * DWARF path names, and those inlined functions, for one of the line's file
 * that starts between the function's first line and the pc's line.
 * Scanned, they cost tens of instructions per subprog and per loc (the
 * subprogs alone: 162K per decision in a 6,000-function module, callgrind):
 * nothing for one crash report, too much for a profile that resolves
 * thousands of interrupted pcs.  So a module asked WH_IX_AFTER times gets an
 * index, built once and never changed (about 650 instructions per decision
 * in that module with the keys' search alone; the pairs' is one more binary
 * search):
 *
 *   keys   the distinct (file, first line) of the subprogs inlined anywhere
 *          in the module (all of a pre-link module's), as one sorted uint32
 *          (WHENCE_SUBPROG_FILE << 20 | WHENCE_SUBPROG_LINE, which is the
 *          record's own word): "an inlined function of file F starting in
 *          [a, b]" is one binary search;
 *   pairs  the distinct (function, inlined subprog's file and first line)
 *          of every inline chain, as one sorted uint64 (the outermost
 *          subprog << 32 | that word): "a function of file F inlined into
 *          this one starting in [a, b]" is one binary search;
 *   files  its file indexes sorted by a hash of their last path component,
 *          which a file the DWARF path names shares with it (the path ends
 *          the file's name at a '/'): the few files with that hash are
 *          compared, not all.
 *
 * 4 bytes per distinct inlined function start and per file (16 bits of the
 * hash, 16 of the index: a module of more files is not indexed), 8 per
 * distinct pair.  Indexes are
 * carved from one arena (mmap, async-signal-safe like every allocation of the
 * runtime: the first exact lookups can be in a signal handler) and never
 * freed: an index is immutable once published and names its module by
 * table address, image slot and the slot's generation, so one left behind
 * by an unloaded image is recognised and never used, and the entry that
 * pointed at it may be given to another module.  At most WH_IX_BYTES are
 * ever carved.  Until a module has an index, and whenever one cannot be
 * had (another thread or this thread's interrupted code building one, the
 * arena spent, a small module), the scan answers: the same answer.
 */
#include "lines.h"

/* A module is indexed on its WH_IX_AFTER-th decision (building costs about
 * two scans when its subprogs are in order, as the pass emits them; one
 * crash report rarely asks more than once), when it is big enough that the
 * scan costs more than the index's search (about 600 instructions). */
#define WH_IX_AFTER     4u
#define WH_IX_MIN_ITEMS 64u
#define WH_IX_ENTRIES   1024u
#define WH_IX_WAYS      8u
#define WH_IX_CHUNK     (64u << 10)
#define WH_IX_BYTES     (16u << 20)
#define WH_IX_HASH      0xffff0000u /* of a file's entry; the rest: its index */

struct mod_ix {
    uintptr_t base;             /* the module's table */
    const struct wh_slot *slot; /* its image's slot, of generation gen */
    uint32_t gen;
    uint32_t nkeys, nfiles, npairs;
    const uint32_t *keys;       /* sorted, distinct (file 0: unknown, line 0: unknown) */
    const uint64_t *pairs;      /* sorted, distinct */
    const uint32_t *files;      /* hash >> 16 << 16 | file index (1-based), sorted */
};

static struct {
    _Atomic uint32_t uses;           /* decisions without an index (a hint) */
    const struct mod_ix *_Atomic ix; /* NULL, or an index (maybe stale) */
} wh_ix[WH_IX_ENTRIES];

/* One build at a time in the process (the arena is not shared between
 * builders): the builder's thread id, 0 when none. */
static _Atomic int wh_ix_builder;
/* The arena's current chunk: each update is one store, so that a fork's
 * child taking over from a builder that was stopped anywhere finds it
 * consistent. */
struct ix_chunk {
    uint8_t *next, *end;
};
static struct ix_chunk *wh_ix_chunk;
static size_t wh_ix_total;
static _Atomic bool wh_ix_spent; /* no more indexes: the scan answers */

WH_RT static void *arena(size_t n) {
    n = (n + 7) & ~(size_t)7;
    struct ix_chunk *c = wh_ix_chunk;
    if (!c || (size_t)(c->end - c->next) < n) {
        bool own = n > WH_IX_CHUNK / 4; /* a mapping of its own */
        size_t sz = own ? (n + 4095) & ~(size_t)4095 : WH_IX_CHUNK;
        uint8_t *p = wh_ix_total + sz <= WH_IX_BYTES ? wh_map(sz) : NULL;
        if (!p) {
            atomic_store_explicit(&wh_ix_spent, true, memory_order_relaxed);
            return NULL;
        }
        wh_ix_total += sz;
        if (own)
            return p;
        c = (struct ix_chunk *)p;
        c->next = p + sizeof *c;
        c->end = p + sz;
        wh_ix_chunk = c;
    }
    void *p = c->next;
    c->next += n;
    return p;
}

/* ---- paths --------------------------------------------------------------------- */

/* The parts of the DWARF path, outermost first: base/dir/name, where a
 * part is left out when the next one is absolute or it is empty. */
WH_RT static uint32_t path_parts(const struct wh_dwarf_pos *d, const char **p, size_t *n) {
    uint32_t k = 0;
    bool name_abs = d->name_len && d->name[0] == '/';
    bool dir_abs = d->dir_len && d->dir[0] == '/';
    if (!name_abs && !dir_abs && d->base_len)
        p[k] = d->base, n[k++] = d->base_len;
    if (!name_abs && d->dir_len)
        p[k] = d->dir, n[k++] = d->dir_len;
    p[k] = d->name, n[k++] = d->name_len;
    return k;
}

/* The DWARF path names s: equal to it when it is absolute; a relative one
 * (DWARF 4's files of the compilation directory, whose name .debug_line
 * does not hold) ends s at a '/'; with whole, a relative one equals s.
 * Either way s's last component is the DWARF name's. */
WH_RT static bool path_is(const struct wh_dwarf_pos *d, const char *s, bool whole) {
    const char *part[3];
    size_t len[3];
    uint32_t k = path_parts(d, part, len);
    size_t total = 0;
    for (uint32_t i = 0; i < k; i++)
        total += len[i] + (i + 1 < k && len[i] && part[i][len[i] - 1] != '/');
    size_t sl = strlen(s);
    bool abs = len[0] && part[0][0] == '/';
    if (sl < total || ((abs || whole) && sl != total) ||
        (!abs && sl > total && s[sl - total - 1] != '/'))
        return false;
    const char *p = s + sl - total;
    for (uint32_t i = 0; i < k; i++) {
        if (memcmp(p, part[i], len[i]) != 0)
            return false;
        p += len[i];
        if (i + 1 < k && len[i] && part[i][len[i] - 1] != '/' && *p++ != '/')
            return false;
    }
    return true;
}

/* The DWARF path names s (path_is).  A relative s is a build's under a
 * prefix map to a relative name (-ffile-prefix-map=SRC=. or =src: the
 * records spell `./util.h`, and DWARF 5 joins the same name to its
 * directory 0, the compilation directory, absolute or mapped itself): it
 * also names the file when it is the DWARF path after that directory,
 * whole. */
WH_RT static bool same_path(const struct wh_dwarf_pos *d, const char *s) {
    if (path_is(d, s, false))
        return true;
    if (!*s || s[0] == '/')
        return false;
    struct wh_dwarf_pos t = *d;
    if (d->base_len && d->base_cu)
        t.base_len = 0;
    else if (d->dir_cu && d->dir_len)
        t.dir_len = 0;
    else
        return false;
    return path_is(&t, s, true);
}

/* FNV-1a of the last path component of s[0, n). */
WH_RT static uint32_t last_hash(const char *s, size_t n) {
    size_t i = n;
    while (i > 0 && s[i - 1] != '/')
        i--;
    uint32_t h = 2166136261u;
    for (; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

WH_RT static uint32_t file_hash(const struct wh_mod *m, uint32_t f) {
    const char *s = wh_file(m, f);
    return last_hash(s, strlen(s));
}

/* ---- the decision ---------------------------------------------------------------- */

/* The function's own file and first line, as its frame names them
 * (wh_fill_frame with no site: the subprog's). */
WH_RT static uint32_t own_of(const struct wh_mod *m, uint32_t sub, const char **fn_file) {
    const struct whence_subprog *me = wh_mod_subprog(m, sub, WH_SUB_BUF);
    *fn_file = wh_file(m, me ? WHENCE_SUBPROG_FILE(me) : 0);
    return me ? WHENCE_SUBPROG_LINE(me) : 0;
}

/* The first index of v[0, n) whose value is >= key (T: the keys' type). */
#define WH_LOWER_BOUND(name, T)                                                                  \
    WH_RT static uint32_t name(const T *v, uint32_t n, T key) {                                  \
        uint32_t lo = 0, hi = n;                                                                 \
        while (lo < hi) {                                                                        \
            uint32_t mid = lo + (hi - lo) / 2;                                                   \
            if (v[mid] < key)                                                                    \
                lo = mid + 1;                                                                    \
            else                                                                                 \
                hi = mid;                                                                        \
        }                                                                                        \
        return lo;                                                                               \
    }
WH_LOWER_BOUND(lower32, uint32_t)
WH_LOWER_BOUND(lower64, uint64_t)

/* A subprog inlined into some function of the module, not known which:
 * one the pass left nameless (inlined without a call: wp_inlined_starts,
 * after every function's own subprog and every call's chain was named),
 * or any one of a module instrumented before an LTO link.  An entry the
 * records cannot give might be one. */
WH_RT static bool loose(const struct wh_mod *m, const struct whence_subprog *sp) {
    return !sp || !sp->name || (m->flags & WHENCE_MOD_PRELINK);
}

/* The subprog of a loc that is not the outermost of its inline chain
 * (*root: the chain's outermost subprog), or UINT32_MAX: a function's own
 * position, or a loc the records cannot give. */
WH_RT static uint32_t inlined_level(const struct wh_mod *m, uint32_t l, uint32_t *root) {
    if (wh_loc_parent(m, l) == UINT32_MAX)
        return UINT32_MAX;
    const struct whence_loc *lc = wh_mod_loc(m, l, WH_LOC_BUF);
    const struct whence_loc *rc = wh_mod_loc(m, wh_loc_root(m, l), WH_LOC_BUF);
    if (!lc || !rc)
        return UINT32_MAX;
    *root = WHENCE_LOC_SUBPROG(rc);
    return WHENCE_LOC_SUBPROG(lc);
}

/* The record word (file << 20 | first line) of subprog s; 0 when the
 * records cannot give it (file and line unknown). */
WH_RT static uint32_t start_word(const struct wh_mod *m, uint32_t s) {
    const struct whence_subprog *sp = wh_mod_subprog(m, s, WH_SUB_BUF);
    return sp ? sp->line_file : 0;
}

/* Whether a function of file f (0: unknown) whose first line is in
 * [first, last] (0: unknown, which is the lowest) was inlined into
 * function sub: one of its inline chains', or a loose one (above).  ix
 * answers by two searches, else the module is scanned.  A function's own
 * start (sub itself, met in a chain of a recursion inlined into itself) is
 * never in the ranges asked. */
WH_RT static bool inlined_in(const struct wh_mod *m, const struct mod_ix *ix, uint32_t sub,
                             uint32_t f, uint32_t first, uint32_t last) {
    uint32_t top = last < WHENCE_SUBPROG_LINE_MAX ? last : WHENCE_SUBPROG_LINE_MAX;
    uint32_t from = f << WHENCE_SUBPROG_LINE_BITS | first, to = f << WHENCE_SUBPROG_LINE_BITS | top;
    if (first > top)
        return false;
    if (ix) {
        uint32_t k = lower32(ix->keys, ix->nkeys, from);
        if (k < ix->nkeys && ix->keys[k] <= to)
            return true;
        uint64_t base = (uint64_t)sub << 32;
        uint32_t p = lower64(ix->pairs, ix->npairs, base | from);
        return p < ix->npairs && ix->pairs[p] <= (base | to);
    }
    for (uint32_t i = 0; i < m->nsubprog; i++) {
        const struct whence_subprog *sp = wh_mod_subprog(m, i, WH_SUB_BUF);
        uint32_t w = sp ? sp->line_file : 0;
        if (loose(m, sp) && w >= from && w <= to)
            return true;
    }
    for (uint32_t l = 0, root; l < m->nloc; l++) {
        uint32_t s = inlined_level(m, l, &root), w;
        if (s != UINT32_MAX && root == sub && (w = start_word(m, s)) >= from && w <= to)
            return true;
    }
    return false;
}

/* Whether a function inlined into sub starts at or before line in file f
 * (1-based; 0: none of the records' files), or one whose file is not known
 * was inlined into it. */
WH_RT static bool inlined_by(const struct wh_mod *m, const struct mod_ix *ix, uint32_t sub,
                             uint32_t f, uint32_t line) {
    return (f && inlined_in(m, ix, sub, f, 0, line)) ||
           inlined_in(m, ix, sub, 0, 0, WHENCE_SUBPROG_LINE_MAX);
}

/* The decision around the two searches, which ix answers, or the scan when
 * ix is NULL. */
WH_RT static bool decide(const struct wh_mod *m, uint32_t sub, const struct wh_dwarf_pos *dw,
                         const struct mod_ix *ix, const char **file) {
    /* A DWARF 4 path relative to the compilation directory names the
     * records' file with that directory in front, not any file whose name
     * ends with it (#line "x/util.h" is not a/x/util.h): the directory is
     * the function's file without the unit's file name, when it is the
     * unit's file, else the records' module name's (an LTO module holds
     * several units, the first one's name). */
    struct wh_dwarf_pos dd = *dw;
    const struct wh_dwarf_pos *d = &dd;
    const char *fn_file;
    if (dw->unit_file_len && !dw->base_len) {
        (void)own_of(m, sub, &fn_file);
        const char *cand[2] = {fn_file, wh_mod_str(m, m->name)};
        size_t ul = dw->unit_file_len;
        for (int i = 0; i < 2 && !dd.base_len; i++) {
            size_t ml = strlen(cand[i]);
            if (ml > ul + 1 && cand[i][ml - ul - 1] == '/' &&
                memcmp(cand[i] + ml - ul, dw->unit_file, ul) == 0) {
                dd.base = cand[i];
                dd.base_len = ml - ul - 1;
            }
        }
    }
    uint32_t fn_line = own_of(m, sub, &fn_file);
    /* The records' files that the DWARF path names: one is the file, as
     * the records spell it (the string then lives in the image like every
     * other frame's); two or more name neither for sure. */
    const char *one = NULL;
    uint32_t matches = 0, one_ix = 0;
    if (!ix) {
        for (uint32_t i = 1; i <= m->nfile && matches < 2; i++)
            if (same_path(d, wh_file(m, i)))
                one = wh_file(m, i), one_ix = i, matches++;
    } else {
        uint32_t h = last_hash(d->name, d->name_len) & WH_IX_HASH;
        uint32_t lo = 0, hi = ix->nfiles;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if ((ix->files[mid] & WH_IX_HASH) < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (uint32_t i = lo; i < ix->nfiles && (ix->files[i] & WH_IX_HASH) == h && matches < 2;
             i++) {
            const char *s = wh_file(m, ix->files[i] & ~WH_IX_HASH);
            if (same_path(d, s))
                one = s, one_ix = ix->files[i] & ~WH_IX_HASH, matches++;
        }
    }
    bool ambiguous = matches > 1;
    *file = ambiguous ? NULL : one;
    /* (a file of the records that matched is the function's own string
     * when it is the function's file) */
    bool in_own = (one && one == fn_file) || same_path(d, fn_file);
    /* Another file: inlined code only if a function of that file (or one
     * whose file is not known) inlined into this one starts at or before
     * the line; else it is the function's own code after a #line
     * directive (bison's actions, flex's rules, a body that #includes a
     * .inc).  A module instrumented before an LTO link does not know what
     * the link inlined into it (another module's functions): any other
     * file is.  Two files of the records that the path names: not known
     * which, and not said to be the function's. */
    if (!in_own)
        return ambiguous || !d->line || (m->flags & WHENCE_MOD_PRELINK) ||
               inlined_by(m, ix, sub, one_ix, d->line);
    /* The function's own file: a line at or past the first line of a
     * function of that file inlined into it (before its own first line,
     * or after it), is taken for that function's body.  A function merely
     * starting there (a lambda, a block, an OpenMP region's body, another
     * inclusion of the same header) is not inlined code, nor is a line
     * before the function's first where no inlined function starts by it
     * (a C++ member initializer run by a constructor defined below it).
     * Still read as inlined: the function's own lines after a lambda of
     * its own that was inlined into it, or into another function without
     * a call (the records do not say where such code ends). */
    const struct whence_subprog *me = wh_mod_subprog(m, sub, WH_SUB_BUF);
    uint32_t own = me ? WHENCE_SUBPROG_FILE(me) : 0;
    if (!own)
        return false;
    if (d->line < fn_line)
        return inlined_in(m, ix, sub, own, 0, d->line);
    if (fn_line >= WHENCE_SUBPROG_LINE_MAX)
        return false; /* no line is above it */
    return inlined_in(m, ix, sub, own, fn_line + 1, d->line);
}

/* ---- the index ------------------------------------------------------------------- */

/* Heap sort of v[0, n): no allocation, no recursion; one pass when the
 * values are already in order (a module's subprogs usually are). */
#define WH_HEAP_SORT(T, sift, sort)                                                                \
    WH_RT static void sift(T *v, uint32_t i, uint32_t n) {                                         \
        for (;;) {                                                                                 \
            uint32_t c = 2 * i + 1;                                                                \
            if (c >= n)                                                                            \
                return;                                                                            \
            if (c + 1 < n && v[c] < v[c + 1])                                                      \
                c++;                                                                               \
            if (v[i] >= v[c])                                                                      \
                return;                                                                            \
            T t = v[i];                                                                            \
            v[i] = v[c];                                                                           \
            v[c] = t;                                                                              \
            i = c;                                                                                 \
        }                                                                                          \
    }                                                                                              \
    /* sorted, duplicates dropped: the number left */                                              \
    WH_RT static uint32_t sort(T *v, uint32_t n) {                                                 \
        uint32_t i = 1;                                                                            \
        while (i < n && v[i - 1] <= v[i])                                                          \
            i++;                                                                                   \
        if (i < n) {                                                                               \
            for (i = n / 2; i-- > 0;)                                                              \
                sift(v, i, n);                                                                     \
            for (uint32_t k = n; k-- > 1;) {                                                       \
                T t = v[0];                                                                        \
                v[0] = v[k];                                                                       \
                v[k] = t;                                                                          \
                sift(v, 0, k);                                                                     \
            }                                                                                      \
        }                                                                                          \
        uint32_t u = 0;                                                                            \
        for (i = 0; i < n; i++)                                                                    \
            if (!u || v[i] != v[u - 1])                                                            \
                v[u++] = v[i];                                                                     \
        return u;                                                                                  \
    }
WH_HEAP_SORT(uint32_t, sift32, sort32)
WH_HEAP_SORT(uint64_t, sift64, sort64)

/* Module m's index (slot s, generation gen), or NULL without memory. */
WH_RT static const struct mod_ix *build(const struct wh_mod *m, const struct wh_slot *s,
                                        uint32_t gen) {
    uint32_t nk = 0, np = 0, root;
    for (uint32_t i = 0; i < m->nsubprog; i++)
        nk += loose(m, wh_mod_subprog(m, i, WH_SUB_BUF));
    for (uint32_t l = 0; l < m->nloc; l++)
        np += inlined_level(m, l, &root) != UINT32_MAX;
    struct mod_ix *ix = arena(sizeof *ix + (size_t)np * sizeof(uint64_t) +
                              ((size_t)m->nfile + nk) * sizeof(uint32_t));
    if (!ix)
        return NULL;
    /* (the arena's pieces are 8-byte aligned, and so is the header) */
    uint64_t *pairs = (uint64_t *)(ix + 1);
    uint32_t *files = (uint32_t *)(pairs + np), *keys = files + m->nfile;
    uint32_t k = 0, p = 0;
    for (uint32_t i = 0; i < m->nsubprog && k < nk; i++) {
        const struct whence_subprog *sp = wh_mod_subprog(m, i, WH_SUB_BUF);
        if (loose(m, sp))
            keys[k++] = sp ? sp->line_file : 0;
    }
    for (uint32_t l = 0, sub; l < m->nloc && p < np; l++)
        if ((sub = inlined_level(m, l, &root)) != UINT32_MAX)
            pairs[p++] = (uint64_t)root << 32 | start_word(m, sub);
    k = sort32(keys, k);
    p = sort64(pairs, p);
    for (uint32_t f = 0; f < m->nfile; f++)
        files[f] = (file_hash(m, f + 1) & WH_IX_HASH) | (f + 1);
    (void)sort32(files, m->nfile);
    *ix = (struct mod_ix){.base = m->base, .slot = s, .gen = gen, .nkeys = k,
                          .nfiles = m->nfile, .npairs = p, .keys = keys, .pairs = pairs,
                          .files = files};
    return ix;
}

WH_RT static bool names(const struct mod_ix *ix, const struct wh_mod *m, const struct wh_slot *s,
                        uint32_t gen) {
    return ix && ix->base == m->base && ix->slot == s && ix->gen == gen;
}

/* The entry of module m among its WH_IX_WAYS: its index, or NULL. */
WH_RT static const struct mod_ix *find_ix(const struct wh_mod *m, const struct wh_slot *s,
                                          uint32_t gen, uint32_t *h) {
    *h = (uint32_t)(((uint64_t)m->base >> 3) * 0x9e3779b97f4a7c15ull >> 40) % WH_IX_ENTRIES;
    for (uint32_t j = 0; j < WH_IX_WAYS; j++) {
        const struct mod_ix *ix =
            atomic_load_explicit(&wh_ix[(*h + j) % WH_IX_ENTRIES].ix, memory_order_acquire);
        if (names(ix, m, s, gen))
            return ix;
    }
    return NULL;
}

/* An index of m: found, or built now if m was asked often enough and an
 * entry is free or holds one of an image gone; NULL: scan. */
WH_RT static const struct mod_ix *index_of(const struct wh_mod *m, const struct wh_slot *s) {
    if (!s || (size_t)m->nsubprog + m->nfile < WH_IX_MIN_ITEMS || m->nfile > 0xffffu)
        return NULL;
    uint32_t gen = atomic_load_explicit(&s->gen, memory_order_acquire), h;
    const struct mod_ix *ix = find_ix(m, s, gen, &h);
    if (ix || atomic_fetch_add_explicit(&wh_ix[h].uses, 1, memory_order_relaxed) + 1 < WH_IX_AFTER ||
        atomic_load_explicit(&wh_ix_spent, memory_order_relaxed))
        return ix;
    /* (whatever comes of this attempt, the next is WH_IX_AFTER decisions
     * away: a module that finds no entry scans at most that much more) */
    atomic_store_explicit(&wh_ix[h].uses, 0, memory_order_relaxed);
    /* A builder that is no thread of the process (a fork's child) is
     * replaced; one that is this thread (a signal handler interrupted it)
     * or another one is not waited for.  The claim, the build and the
     * release run with the asynchronous signals blocked (internal.h): a
     * handler that left by a longjmp between the claim and the release
     * (one pending is delivered at the restore) left this thread the
     * builder for good, and no index was built again. */
    int me = wh_gettid(), who = 0;
    sigset_t old;
    bool off = wh_async_off(&old);
    if (!atomic_compare_exchange_strong(&wh_ix_builder, &who, me) &&
        (who == me || !wh_tid_gone(who) ||
         !atomic_compare_exchange_strong(&wh_ix_builder, &who, me))) {
        wh_async_restore(off, &old);
        return NULL;
    }
    ix = find_ix(m, s, gen, &h); /* built meanwhile? */
    uint32_t e = UINT32_MAX;
    for (uint32_t j = 0; !ix && j < WH_IX_WAYS && e == UINT32_MAX; j++) {
        const struct mod_ix *o =
            atomic_load_explicit(&wh_ix[(h + j) % WH_IX_ENTRIES].ix, memory_order_acquire);
        if (!o || !atomic_load_explicit(&o->slot->live, memory_order_acquire) ||
            atomic_load_explicit(&o->slot->gen, memory_order_acquire) != o->gen)
            e = (h + j) % WH_IX_ENTRIES;
    }
    if (!ix && e != UINT32_MAX && (ix = build(m, s, gen)) != NULL)
        atomic_store_explicit(&wh_ix[e].ix, ix, memory_order_release);
    atomic_store_explicit(&wh_ix_builder, 0, memory_order_release);
    wh_async_restore(off, &old);
    return ix;
}

WH_RT bool wh_exact_inlined(const struct wh_pcinfo *pi, const struct wh_dwarf_pos *d,
                            const char **file) {
    uint32_t sub;
    const struct wh_mod *m = wh_mod_of(pi, &sub);
    return decide(m, sub, d, index_of(m, pi->slot), file);
}

WH_RT bool wh_exact_inlined_scan(const struct wh_pcinfo *pi, const struct wh_dwarf_pos *d,
                                 const char **file) {
    uint32_t sub;
    const struct wh_mod *m = wh_mod_of(pi, &sub);
    return decide(m, sub, d, NULL, file);
}

WH_RT bool wh_exact_indexed(const struct wh_pcinfo *pi) {
    uint32_t sub, h;
    const struct wh_mod *m = wh_mod_of(pi, &sub);
    return pi->slot &&
           find_ix(m, pi->slot, atomic_load_explicit(&pi->slot->gen, memory_order_acquire), &h);
}
