/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * resolve.c - naming a profile's locations while the code they point into
 * is loaded.
 *
 *   instrumented entries   whence's own frames (whence_frames_next): the
 *                          function, file, line and column of each logical
 *                          frame, inlined ones first, from the records (so a
 *                          stripped binary is named as well as any); a line
 *                          whence does not know stays 0
 *   other entries          the loaded object that holds the pc, and the
 *                          dynamic symbol whose [value, value + size) holds
 *                          it, if one does (exported functions of libc and
 *                          of libraries built without the plugin); else no
 *                          name: pprof shows the object and the address (or
 *                          names it itself, from symbols it finds locally)
 *
 * Every location gets the mapping of its object's executable segment that
 * holds it: the segment's range, file offset, the object's path and GNU
 * build id, which pprof shows and uses to find the binary.  Objects come from dl_iterate_phdr; the dynamic symbols
 * are read inside its callback, where the loader's lock keeps the object
 * from being unmapped meanwhile.  The loader's load/unload counters tell
 * when the list of objects must be read again, and which objects went away
 * since (their ranges are named anew, agg.c).
 */
#define _GNU_SOURCE
#include "profile.h"
#include "../lines/lines.h"
#include "../lookup.h"
#include "../unwind/cfi.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the snapshot of loaded objects --------------------------------------------------- */

struct counters {
    unsigned long long adds, subs;
    bool known;
};

WH_RT static int count_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    struct counters *c = arg;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
        c->adds = info->dlpi_adds;
        c->subs = info->dlpi_subs;
        c->known = true;
    }
    return 1;
}

/* The GNU build id of an object as hex, interned; 0 when it has none. */
WH_RT static uint32_t build_id(struct wh_pr_agg *a, const struct dl_phdr_info *info) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
            size_t nsz = (nh->n_namesz + 3) & ~3u, dsz = (nh->n_descsz + 3) & ~3u;
            const unsigned char *name = p + sizeof *nh, *desc = name + nsz;
            if (desc + dsz > end || desc < name)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
                memcmp(name, "GNU", 4) == 0 && nh->n_descsz > 0 && nh->n_descsz <= 64) {
                char hex[129];
                static const char dig[] = "0123456789abcdef";
                for (uint32_t k = 0; k < nh->n_descsz; k++) {
                    hex[2 * k] = dig[desc[k] >> 4];
                    hex[2 * k + 1] = dig[desc[k] & 15];
                }
                return wh_str_intern(&a->str, hex, 2 * nh->n_descsz);
            }
            p = desc + dsz;
        }
    }
    return 0;
}

struct snap {
    struct wh_pr_agg *a;
    struct wh_vec objs;
    bool first;
};

/* The mapping of one executable segment ph of an object: an index into
 * maps, or UINT32_MAX. */
WH_RT static uint32_t mapping_for(struct wh_pr_agg *a, const struct dl_phdr_info *info,
                                  const ElfW(Phdr) *ph, uint32_t name) {
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz, off = ph->p_offset;
    if (lo >= hi)
        return UINT32_MAX;
    /* Page-aligned, as /proc/self/maps would say (pprof maps an address to
     * its file offset with addr - start + offset). */
    uintptr_t skew = lo & 4095;
    lo -= skew;
    off -= skew < off ? skew : off;
    uint32_t n = (uint32_t)WH_VEC_LEN(&a->maps, struct wh_pr_mapping);
    for (uint32_t i = 0; i < n; i++) {
        struct wh_pr_mapping *m = &WH_VEC_AT(&a->maps, struct wh_pr_mapping, i);
        if (m->start == lo && m->limit == hi && m->base == info->dlpi_addr && m->file == name) {
            m->live = true;
            return i;
        }
    }
    struct wh_pr_mapping m = {.start = lo, .limit = hi, .offset = off, .file = name,
                              .build_id = build_id(a, info), .base = info->dlpi_addr,
                              .live = true};
    if (!wh_vec_push(&a->maps, &m, sizeof m)) {
        a->oom = true;
        return UINT32_MAX;
    }
    return n;
}

/* The mappings of an object: one per executable segment, each with its own
 * file offset (one mapping from the first segment's offset put an address
 * in BOLT's added segment 4 KiB from its code: helper-81).  Returns how
 * many, in address order. */
WH_RT static uint32_t mappings_for(struct wh_pr_agg *a, const struct dl_phdr_info *info,
                                   uint32_t name, uint32_t *maps) {
    const ElfW(Phdr) *seg[WH_PR_OBJ_MAPS];
    uint32_t n = 0;
    for (int i = 0; i < info->dlpi_phnum && n < WH_PR_OBJ_MAPS; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || !ph->p_memsz)
            continue;
        uint32_t k = n++;
        for (; k > 0 && seg[k - 1]->p_vaddr > ph->p_vaddr; k--)
            seg[k] = seg[k - 1];
        seg[k] = ph;
    }
    uint32_t got = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m = mapping_for(a, info, seg[i], name);
        if (m != UINT32_MAX)
            maps[got++] = m;
    }
    return got;
}

/* The file of an object dlopen'ed by a relative path, as the kernel knows
 * it (the process may have changed directory since): the link of its
 * first segment's mapping in /proc/self/map_files. */
WH_RT static bool absolute(const struct dl_phdr_info *info, char *out, size_t len) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t lo = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)4095;
        uintptr_t hi = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + 4095) & ~(uintptr_t)4095;
        char link[96];
        snprintf(link, sizeof link, "/proc/self/map_files/%lx-%lx", (unsigned long)lo,
                 (unsigned long)hi);
        ssize_t n = readlink(link, out, len - 1);
        if (n <= 0 || out[0] != '/')
            return false;
        out[n] = 0;
        return true;
    }
    return false;
}

WH_RT static int snap_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct snap *s = arg;
    struct wh_pr_agg *a = s->a;
    const char *path = info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name
                       : s->first && a->exe                   ? a->exe
                                                              : "";
    s->first = false;
    char abs[4096];
    if (path[0] && path[0] != '/' && absolute(info, abs, sizeof abs))
        path = abs;
    uintptr_t lo, hi;
    wh_load_span(info, false, &lo, &hi);
    if (lo >= hi)
        return 0;
    uint32_t name = wh_str_intern(&a->str, path, strlen(path));
    struct wh_pr_obj o = {.lo = lo, .hi = hi, .base = info->dlpi_addr, .name = name};
    o.nmap = mappings_for(a, info, name, o.maps);
    if (!o.nmap)
        return 0;
    if (!wh_vec_push(&s->objs, &o, sizeof o))
        a->oom = true;
    return 0;
}

WH_RT static int cmp_obj(const void *x, const void *y) {
    const struct wh_pr_obj *a = x, *b = y;
    return (a->lo > b->lo) - (a->lo < b->lo);
}

WH_RT static bool same_obj(const struct wh_pr_obj *a, const struct wh_pr_obj *b) {
    return a->lo == b->lo && a->hi == b->hi && a->base == b->base && a->name == b->name;
}

/* The dlclose hook's record of o's range, or SIZE_MAX. */
WH_RT static size_t handled_at(const struct wh_pr_agg *a, const struct wh_pr_obj *o) {
    const uint64_t *h = (const uint64_t *)a->handled.p;
    for (size_t i = 0; i < a->handled.n / 16; i++)
        if (h[2 * i] == o->lo && h[2 * i + 1] == o->hi)
            return i;
    return SIZE_MAX;
}

/* Whether an image's range is among the dlclose hook's records. */
WH_RT static bool in_handled(const struct wh_pr_agg *a, const struct wh_pr_obj *o) {
    return handled_at(a, o) != SIZE_MAX;
}

/* Whether o went away through the dlclose hook (the entry is used up). */
WH_RT static bool handled(struct wh_pr_agg *a, const struct wh_pr_obj *o) {
    size_t i = handled_at(a, o), n = a->handled.n / 16;
    if (i == SIZE_MAX)
        return false;
    uint64_t *h = (uint64_t *)a->handled.p;
    h[2 * i] = h[2 * (n - 1)];
    h[2 * i + 1] = h[2 * (n - 1) + 1];
    a->handled.n -= 16;
    return true;
}

WH_RT void wh_resolve_objects(struct wh_pr_agg *a) {
    struct counters c = {0};
    dl_iterate_phdr(count_cb, &c);
    if (c.known && a->dl_known && c.adds == a->dl_adds && c.subs == a->dl_subs)
        return;
    struct snap s = {.a = a, .first = true};
    uint32_t nmaps = (uint32_t)WH_VEC_LEN(&a->maps, struct wh_pr_mapping);
    for (uint32_t i = 0; i < nmaps; i++)
        WH_VEC_AT(&a->maps, struct wh_pr_mapping, i).live = false;
    dl_iterate_phdr(snap_cb, &s);
    size_t nnew = WH_VEC_LEN(&s.objs, struct wh_pr_obj);
    if (nnew)
        qsort(s.objs.p, nnew, sizeof(struct wh_pr_obj), cmp_obj);
    size_t nold = WH_VEC_LEN(&a->objs, struct wh_pr_obj);
    /* What the last snapshot had and this one has not went away. */
    for (size_t i = 0, j = 0; i < nold; i++) {
        const struct wh_pr_obj *o = &WH_VEC_AT(&a->objs, struct wh_pr_obj, i);
        while (j < nnew && WH_VEC_AT(&s.objs, struct wh_pr_obj, j).lo < o->lo)
            j++;
        if (j < nnew && same_obj(o, &WH_VEC_AT(&s.objs, struct wh_pr_obj, j)))
            continue;
        if (handled(a, o))
            continue; /* drained at its dlclose: later samples are not its */
        uint64_t r[2] = {o->lo, o->hi};
        if (!wh_vec_push(&a->gone, r, sizeof r))
            a->oom = true;
        wh_agg_forget_range(a, o->lo, o->hi);
    }
    /* When something went away, what this one has and the last had not
     * may have come (and gone, and come again) since: unsure too.  So is
     * an image the last had too if an image went away unseen since (more
     * unloads than the dlclose hook drained: one built without the
     * plugin) and this one was unloaded meanwhile (the hook's record):
     * another may have been at its address in between. */
    uint64_t inprog = 0;
    for (size_t j = 0; j < nnew; j++)
        inprog += in_handled(a, &WH_VEC_AT(&s.objs, struct wh_pr_obj, j));
    if (a->dl_known && c.known && c.subs != a->dl_subs) {
        uint64_t seen = a->inprog_snap + (a->hooked - a->hooked_snap);
        bool unseen = c.subs - a->dl_subs + inprog > seen;
        for (size_t j = 0, i = 0; j < nnew; j++) {
            const struct wh_pr_obj *o = &WH_VEC_AT(&s.objs, struct wh_pr_obj, j);
            while (i < nold && WH_VEC_AT(&a->objs, struct wh_pr_obj, i).lo < o->lo)
                i++;
            if (i < nold && same_obj(o, &WH_VEC_AT(&a->objs, struct wh_pr_obj, i)) &&
                !(unseen && in_handled(a, o)))
                continue;
            uint64_t r[2] = {o->lo, o->hi};
            if (!wh_vec_push(&a->gone, r, sizeof r))
                a->oom = true;
        }
    }
    wh_vec_free(&a->objs);
    a->objs = s.objs;
    a->dl_adds = c.adds;
    a->dl_subs = c.subs;
    a->dl_known = c.known;
    a->hooked_snap = a->hooked;
    a->inprog_snap = inprog;
}

/* The snapshot's object holding pc, or NULL. */
WH_RT static const struct wh_pr_obj *obj_at(const struct wh_pr_agg *a, uintptr_t pc) {
    size_t lo = 0, hi = WH_VEC_LEN(&a->objs, struct wh_pr_obj);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (WH_VEC_AT(&a->objs, struct wh_pr_obj, mid).lo <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const struct wh_pr_obj *o = &WH_VEC_AT(&a->objs, struct wh_pr_obj, lo - 1);
    return pc < o->hi ? o : NULL;
}

/* ---- instrumented entries ---------------------------------------------------------------------- */

/* The first line of the function of logical frame k of an entry (pprof's
 * Function.start_line); 0 when unknown.  The last frame is the physical
 * function; an inlined one's subprogram is found as wh_fill_frame finds
 * it.  pprof reads the start line in the Function's file, which is the
 * frame's: where the frame's position is in another file than the one the
 * function starts in (a body that #includes a .inc, code after #line),
 * the start line is not known there and stays 0. */
WH_RT static uint32_t start_line(const struct wh_pcinfo *pi, uint32_t k, const char *file) {
    const struct wh_mod *m = pi->m;
    const struct whence_subprog *p;
    struct whence_subprog pbuf;
    if (k + 1 >= pi->depth || !WH_LOC_IN_TABLE(pi->loc)) {
        p = wh_mod_subprog(m, pi->sub, &pbuf);
    } else {
        const struct whence_loc *lc = wh_mod_loc(m, wh_loc_up(m, pi->loc, k), WH_LOC_BUF);
        p = lc ? wh_mod_subprog(m, WHENCE_LOC_SUBPROG(lc), &pbuf) : NULL;
    }
    if (!p || !WHENCE_SUBPROG_FILE(p) || strcmp(wh_file(m, WHENCE_SUBPROG_FILE(p)), file) != 0)
        return 0;
    return WHENCE_SUBPROG_LINE(p);
}

WH_RT static uint32_t intern(struct wh_pr_agg *a, const char *s) {
    if (!s || (s[0] == '?' && !s[1]))
        return 0; /* whence's "unknown" is pprof's empty string */
    return wh_str_intern(&a->str, s, strlen(s));
}

/* The line of an interrupted pc (token e) when .debug_line gives it:
 * *x, and its file in path: the line table's own spelling under its
 * directory where it is none of the records' files (a `.inc` body, code
 * after #line), as the crash report prints it, else the records'. */
WH_RT static bool exact_line(uintptr_t e, struct wh_exact *x, char *path, size_t len) {
    struct wh_pcinfo q;
    q.fn = NULL;
    x->why = WH_LN_OK;
    if (!wh_resolve(&q, e))
        return false;
    wh_exact_pos(&q, wh_token_pc(e), x);
    if (x->how != WH_EXACT_LINE)
        return false;
    struct wh_buf w = {.fd = WH_BUF_MEM, .dst = path, .cap = len};
    if (x->file_dwarf)
        wh_put_exact_file(&w, x);
    else
        wh_buf_str(&w, x->file);
    return wh_buf_finish_mem(&w) < len;
}

/* A function's name with tail: " (inlined code)" for the frame of an
 * interrupted pc in code inlined into it, whose own function is not known
 * (the line is that code's; the physical frame's, outside it, is not
 * known); WH_FOLDED_INTO for code the linker folded. */
WH_RT static uint32_t name_with(struct wh_pr_agg *a, const char *function, const char *tail) {
    char b[1024];
    size_t n = strlen(function), t = strlen(tail);
    if (n + t + 1 > sizeof b)
        n = sizeof b - t - 1;
    memcpy(b, function, n);
    memcpy(b + n, tail, t + 1);
    return wh_str_intern(&a->str, b, n + t);
}

/* Names an instrumented entry: false if whence does not know it (then it
 * is named as foreign code). */
WH_RT static bool resolve_whence(struct wh_pr_agg *a, struct wh_pr_loc *l) {
    uintptr_t e = (uintptr_t)l->key;
    struct wh_pcinfo pi;
    pi.fn = NULL;
    if (!wh_resolve(&pi, e) || !pi.fn)
        return false;
    /* An interrupted pc is one logical frame, as whence_frames_next gives
     * it, unless a line record names it. */
    if (e & WH_TOKEN_EXACT)
        wh_exact_sites(&pi, wh_token_pc(e));
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, &e, 1);
    uint32_t first = (uint32_t)WH_VEC_LEN(&a->lines, struct wh_pr_line), n = 0;
    for (uint32_t k = 0; whence_frames_next(&it, &f); k++) {
        if (!f.func)
            break;
        char path[1024];
        struct wh_exact x;
        bool exact = !k && (e & WH_TOKEN_EXACT) && pi.depth == 1;
        if (exact && exact_line(e, &x, path, sizeof path)) {
            if (x.inlined_code) {
                /* (innermost: that code, at its line; then the function,
                 * whose line there whence_frames_next leaves unknown) */
                uint32_t in = wh_agg_func(a, name_with(a, f.function, " (inlined code)"),
                                          intern(a, path), 0);
                struct wh_pr_line il = {in, (int)x.line, (int)x.column};
                if (!wh_vec_push(&a->lines, &il, sizeof il)) {
                    a->oom = true;
                    break;
                }
                n++;
            } else {
                f.file = path;
            }
        }
        uint32_t name = exact && x.why == WH_LN_AMBIG ? name_with(a, f.function, WH_FOLDED_INTO)
                                                      : intern(a, f.function);
        uint32_t fn = wh_agg_func(a, name, intern(a, f.file),
                                  k < pi.depth ? start_line(&pi, k, f.file) : 0);
        struct wh_pr_line ln = {fn, f.line, f.column};
        if (!wh_vec_push(&a->lines, &ln, sizeof ln)) {
            a->oom = true;
            break;
        }
        n++;
        if (!f.inlined)
            break;
    }
    if (!n)
        return false;
    l->line0 = first;
    l->nline = n;
    /* The instruction: the call for a return address, and for a slot's
     * call (whose loc has no address) the one its frame returned to
     * (else, never seen, its function's entry). */
    l->addr = (e & WH_TOKEN_LOC) ? (l->ra ? l->ra - 1 : pi.entry)
              : (e & WH_TOKEN_EXACT) ? wh_token_pc(e)
                                     : wh_token_pc(e) - 1;
    l->flags |= WH_LOC_WHENCE;
    return true;
}

/* ---- foreign entries: dynamic symbols ------------------------------------------------------------ */

struct symq {
    struct wh_pr_agg *a;
    uint32_t *locs;     /* pending foreign locations, sorted by address */
    size_t n;
};

/* A dynamic-section pointer as an address in the object: the loader
 * relocates them in place for most objects, not in the vDSO. */
WH_RT static uintptr_t dyn_ptr(const struct wh_pr_obj *o, uintptr_t v) {
    if (v >= o->lo && v < o->hi)
        return v;
    if (v + o->base >= o->lo && v + o->base < o->hi)
        return v + o->base;
    return 0;
}

/* Number of symbols of a DT_GNU_HASH table. */
WH_RT static uint32_t gnu_hash_count(const uint32_t *gh) {
    uint32_t nb = gh[0], off = gh[1], bloom = gh[2];
    const uint32_t *buckets = gh + 4 + (size_t)bloom * (sizeof(ElfW(Addr)) / 4);
    const uint32_t *chain = buckets + nb;
    uint32_t max = 0;
    for (uint32_t b = 0; b < nb; b++)
        if (buckets[b] > max)
            max = buckets[b];
    if (max < off)
        return off;
    while (!(chain[max - off] & 1))
        max++;
    return max + 1;
}

/* l gets one line: the function called name, no file, no line. */
WH_RT static void name_loc(struct wh_pr_agg *a, struct wh_pr_loc *l, uint32_t name) {
    if (!name)
        return;
    struct wh_pr_line ln = {wh_agg_func(a, name, 0, 0), 0, 0};
    l->line0 = (uint32_t)WH_VEC_LEN(&a->lines, struct wh_pr_line);
    if (wh_vec_push(&a->lines, &ln, sizeof ln))
        l->nline = 1;
    else
        a->oom = true;
}

/* Names the locations in [lo, hi) of the sorted list locs[0..n) that have
 * no name yet. */
struct named {
    struct wh_pr_agg *a;
    uint32_t *locs;
    size_t n;
};
WH_RT static bool name_range(void *vr, const char *nm, size_t len, uintptr_t lo, uintptr_t hi) {
    struct named *r = vr;
    /* The locations in [lo, hi): a binary search, then the run. */
    size_t b = 0, e = r->n;
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        if (WH_VEC_AT(&r->a->locs, struct wh_pr_loc, r->locs[mid]).addr < lo)
            b = mid + 1;
        else
            e = mid;
    }
    for (; b < r->n; b++) {
        struct wh_pr_loc *l = &WH_VEC_AT(&r->a->locs, struct wh_pr_loc, r->locs[b]);
        if (l->addr >= hi)
            break;
        if (l->nline || (l->flags & WH_LOC_FOLDED))
            continue; /* an alias named it already; folded: by its offset */
        name_loc(r->a, l, wh_str_intern(&r->a->str, nm, len));
    }
    return true;
}

WH_RT static void name_by_dynsym(struct wh_pr_agg *a, const struct dl_phdr_info *info,
                                 const struct wh_pr_obj *o, uint32_t *locs, size_t n) {
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    if (!dyn)
        return;
    uintptr_t symtab = 0, strtab = 0, hash = 0, gnuhash = 0;
    size_t strsz = 0, syment = sizeof(ElfW(Sym));
    for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: symtab = dyn_ptr(o, d->d_un.d_ptr); break;
        case DT_STRTAB: strtab = dyn_ptr(o, d->d_un.d_ptr); break;
        case DT_HASH: hash = dyn_ptr(o, d->d_un.d_ptr); break;
        case DT_GNU_HASH: gnuhash = dyn_ptr(o, d->d_un.d_ptr); break;
        case DT_STRSZ: strsz = d->d_un.d_val; break;
        case DT_SYMENT: syment = d->d_un.d_val; break;
        }
    }
    if (!symtab || !strtab || syment != sizeof(ElfW(Sym)) || (!hash && !gnuhash))
        return;
    uint32_t nsym = hash ? ((const uint32_t *)hash)[1] : gnu_hash_count((const uint32_t *)gnuhash);
    const ElfW(Sym) *syms = (const ElfW(Sym) *)symtab;
    for (uint32_t s = 0; s < nsym; s++) {
        const ElfW(Sym) *sym = &syms[s];
        int type = ELF64_ST_TYPE(sym->st_info);
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym->st_shndx == SHN_UNDEF ||
            !sym->st_size || sym->st_name >= strsz)
            continue;
        uintptr_t lo = info->dlpi_addr + sym->st_value;
        const char *nm = (const char *)strtab + sym->st_name;
        struct named r = {a, locs, n};
        name_range(&r, nm, strnlen(nm, strsz - sym->st_name), lo, lo + sym->st_size);
    }
}

/* The function around pc, from the object's unwind tables: the FDE that
 * covers it (runtime/unwind/, through .eh_frame_hdr's table). */
WH_RT static bool fde_range(const struct dl_phdr_info *info, uintptr_t pc, uintptr_t *start) {
    struct wh_cfi_mem mem = {0};
    uintptr_t hdr = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_EH_FRAME)
            hdr = info->dlpi_addr + ph->p_vaddr;
        else if (ph->p_type == PT_LOAD && (ph->p_flags & PF_R) && mem.n < WH_CFI_MAXSEG) {
            mem.lo[mem.n] = info->dlpi_addr + ph->p_vaddr;
            mem.hi[mem.n] = mem.lo[mem.n] + ph->p_memsz;
            mem.n++;
        }
    }
    struct wh_cfi_fde fde;
    if (!hdr || wh_cfi_find_fde(&mem, hdr, pc, &fde) != WH_CFI_OK || pc < fde.pc_begin ||
        pc >= fde.pc_end)
        return false;
    *start = fde.pc_begin;
    return true;
}

#define WH_PR_LABELS 64 /* unnamed locations per object looked up as labels */

/* Names the rest "OBJECT+0xSTART" from the unwind tables, or "OBJECT+0xPC"
 * when no FDE covers the pc. */
WH_RT static void name_by_offset(struct wh_pr_agg *a, const struct dl_phdr_info *info,
                                 const struct wh_pr_obj *o, uint32_t *locs, size_t n) {
    /* The object's base name, copied: each name interned below may grow
     * the string table, which mremap moves (a pointer into it faulted). */
    const char *path = wh_str_at(&a->str, o->name);
    const char *from = path;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            from = p + 1;
    char base[256];
    size_t bl = 0;
    while (from[bl] && bl < sizeof base - 1)
        base[bl] = from[bl], bl++;
    base[bl] = 0;
    uint32_t labels = 0;
    for (size_t i = 0; i < n; i++) {
        struct wh_pr_loc *l = &WH_VEC_AT(&a->locs, struct wh_pr_loc, locs[i]);
        if (l->nline)
            continue;
        uintptr_t s, at = (uintptr_t)l->addr;
        char buf[300];
        if (wh_plt_name(at, buf, sizeof buf)) { /* (a PLT entry: "strchr@plt") */
            name_loc(a, l, wh_str_intern(&a->str, buf, strlen(buf)));
            continue;
        }
        /* An assembly label without a function's type or size (Ruby's
         * coroutine_transfer, OpenSSL's __bn_postx4x_internal):
         * named as the crash report names it (symbols.c), for the first
         * few such locations (each looks through the symbol table).  One
         * location left "OBJECT+0x..." made the whole mapping unnamed to
         * pprof, which then named all of it again itself (helper-137). */
        struct wh_fsym fs;
        if (labels < WH_PR_LABELS && !(l->flags & WH_LOC_FOLDED)) {
            labels++;
            if (wh_foreign_sym(at, &fs) && fs.name) {
                name_loc(a, l, wh_str_intern(&a->str, fs.name, strlen(fs.name)));
                continue;
            }
        }
        if (fde_range(info, at, &s))
            at = s;
        int k = snprintf(buf, sizeof buf, "%s+0x%lx", *base ? base : "?",
                         (unsigned long)(at - info->dlpi_addr));
        if (k > 0) {
            name_loc(a, l, wh_str_intern(&a->str, buf, (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1));
            l->flags |= WH_LOC_OFFSET;
        }
    }
}

WH_RT static int sym_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct symq *q = arg;
    /* The snapshot's object at this address, if it is this very one. */
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        const struct wh_pr_obj *o = obj_at(q->a, info->dlpi_addr + ph->p_vaddr);
        if (!o || o->base != info->dlpi_addr)
            return 0;
        /* Its pending locations: a contiguous run of the sorted list. */
        size_t b = 0, e = q->n;
        while (b < e) {
            size_t mid = b + (e - b) / 2;
            if (WH_VEC_AT(&q->a->locs, struct wh_pr_loc, q->locs[mid]).addr < o->lo)
                b = mid + 1;
            else
                e = mid;
        }
        size_t end = b;
        while (end < q->n && WH_VEC_AT(&q->a->locs, struct wh_pr_loc, q->locs[end]).addr < o->hi)
            end++;
        if (end > b) {
            name_by_dynsym(q->a, info, o, q->locs + b, end - b);
            /* Static functions (and all of a program BOLT rewrote): the
             * .symtab of the object's file, when it is the loaded one. */
            struct named r = {q->a, q->locs + b, end - b};
            wh_symtab_each(o->lo, name_range, &r);
            name_by_offset(q->a, info, o, q->locs + b, end - b);
        }
        return 0;
    }
    return 0;
}

static struct wh_pr_agg *wh_sort_agg; /* qsort has no context argument */

WH_RT static int cmp_loc_addr(const void *x, const void *y) {
    uint64_t a = WH_VEC_AT(&wh_sort_agg->locs, struct wh_pr_loc, *(const uint32_t *)x).addr;
    uint64_t b = WH_VEC_AT(&wh_sort_agg->locs, struct wh_pr_loc, *(const uint32_t *)y).addr;
    return (a > b) - (a < b);
}

WH_RT void wh_resolve_pending(struct wh_pr_agg *a) {
    size_t n = WH_VEC_LEN(&a->pending, uint32_t);
    if (!n)
        return;
    uint32_t *pend = (uint32_t *)a->pending.p;
    size_t nforeign = 0;
    for (size_t i = 0; i < n; i++) {
        struct wh_pr_loc *l = &WH_VEC_AT(&a->locs, struct wh_pr_loc, pend[i]);
        l->flags &= ~(uint32_t)WH_LOC_PENDING;
        uintptr_t e = (uintptr_t)l->key;
        /* (resolve_whence grows other arrays than locs: l stays valid.) */
        if (!(e & WH_PR_FOREIGN) && resolve_whence(a, l)) {
        } else if (e & WH_TOKEN_LOC) {
            l->addr = 0; /* a slot's call whose image is gone: unknown */
        } else {
            l->addr = wh_token_insn(e);
            if (a->gone.n && wh_agg_gone_at(a, l->addr))
                continue; /* unsure which object it was: unknown */
            /* (code the linker folded from several instrumented
             * functions: any one symbol's name would be a guess) */
            if (wh_folded(l->addr))
                l->flags |= WH_LOC_FOLDED;
            pend[nforeign++] = pend[i]; /* named below, by dynamic symbol */
        }
        const struct wh_pr_obj *o = l->addr ? obj_at(a, l->addr) : NULL;
        if (o) {
            /* (the segment's mapping that holds it; else the first) */
            uint32_t mi = o->maps[0];
            for (uint32_t k = 0; k < o->nmap; k++) {
                const struct wh_pr_mapping *c = &WH_VEC_AT(&a->maps, struct wh_pr_mapping, o->maps[k]);
                if (l->addr >= c->start && l->addr < c->limit)
                    mi = o->maps[k];
            }
            l->mapping = mi + 1;
            struct wh_pr_mapping *m = &WH_VEC_AT(&a->maps, struct wh_pr_mapping, mi);
            m->nloc++;
            m->nwhence += (l->flags & WH_LOC_WHENCE) != 0;
        }
    }
    if (nforeign) {
        wh_sort_agg = a;
        qsort(pend, nforeign, sizeof *pend, cmp_loc_addr);
        struct symq q = {a, pend, nforeign};
        dl_iterate_phdr(sym_cb, &q);
    }
    a->pending.n = 0;
}
