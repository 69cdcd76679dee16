/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * plan.c - what the lookup table of an image says, computed from its records
 * with the runtime's own code, so that the table answers exactly what the
 * records answer:
 *
 *   functions  the runtime's buckets' build (accel.c) over the image's
 *              whence_fn records: in address order, exact duplicates once,
 *              records that name no module or subprog, have a bad size or
 *              overlap another dropped (zero padding, and records of code
 *              the linker dropped: they point nowhere or overlap live
 *              code); fences stay as ranges no pc of which is anybody's
 *   modules    the module tables the build validated, by address
 *   sites      for each function, the site word the runtime's lookup
 *              (image.c, wh_img_site) gives at each call label in it: the
 *              word changes only at labels, so the changes are the
 *              function's line table.  A label the lookup passes over (a
 *              call that LTO inlined from another module, naming that
 *              module's positions; a record naming no position) leaves no
 *              change: its copies are gone from the table
 *   subfn      the build's subprog -> function map of modules with frame
 *              slots
 *
 * Images the table cannot describe yet are left as they are (return 1):
 * line records (opt-in, WHENCE_LINES=1) and code split off functions
 * (fragments: -fsplit-machine-functions, basic block sections), which the
 * runtime finds in .eh_frame at run time.  Whether there are any is what
 * the buckets' build finds, with the runtime's own walk of .eh_frame
 * (runtime/fragments.c) over the image laid out from the file: not its
 * cheap "maybe" from .eh_frame_hdr alone, which also says yes for an
 * uninstrumented object or a backend's thunk linked between two
 * instrumented modules, where nothing was split.
 */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(char *why, size_t whylen, int rc, const char *what) {
    snprintf(why, whylen, "%s", what);
    return rc;
}

/* The record i of the buckets' order. */
static const wh_fn *fn_rec(const struct wl_plan *p, uint32_t i) {
    uint32_t k = p->ax->fperm ? p->ax->fperm[i] : i;
    return (const wh_fn *)(p->slot.fn_start + (uintptr_t)k * WHENCE_FN_RECORD_SIZE);
}

static uintptr_t site_rec(const struct wl_plan *p, uint32_t j) {
    uint32_t k = p->ax->sperm ? p->ax->sperm[j] : j;
    return p->slot.site_start + (uintptr_t)k * WH_SITE_SIZE;
}

/* Appends a change (its array grows by doubling). */
static int add_change(struct wl_range *r, uint32_t *cap, uint32_t pc, uint32_t word) {
    if (r->nchg == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 8;
        struct wl_change *v = realloc(r->chg, nc * sizeof *v);
        if (!v)
            return -1;
        r->chg = v;
        *cap = nc;
    }
    r->chg[r->nchg++] = (struct wl_change){pc, word};
    return 0;
}

/* The changes of function range r (the buckets' record i): the runtime's
 * site word at every label in [entry, entry + size]. */
static int function_lines(struct wl_plan *p, struct wl_range *r, uint32_t i) {
    struct wh_pcinfo pi;
    if (!wh_img_fill(&pi, &p->slot, p->ax, fn_rec(p, i)))
        return -1;
    uintptr_t entry = pi.entry, end = entry + pi.size;
    const struct whence_subprog *sp = wh_mod_subprog(pi.m, pi.sub, WH_SUB_BUF);
    r->line0 = sp ? WHENCE_SUBPROG_LINE(sp) : 0;
    /* The first label at or after the entry. */
    uint32_t lo = 0, hi = p->ax->ns;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (wh_site_pc(site_rec(p, mid)) < entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t cap = 0, word = WH_NO_LOC;
    for (uint32_t j = lo; j < p->ax->ns;) {
        uintptr_t pc = wh_site_pc(site_rec(p, j));
        if (pc > end)
            break;
        uint32_t last = j; /* the labels at this pc: the last one is looked at first */
        while (last + 1 < p->ax->ns && wh_site_pc(site_rec(p, last + 1)) == pc)
            last++;
        uintptr_t at = 0;
        uint32_t w = wh_img_site(&pi, pc, &at);
        /* (counted once: a label at the end is the next function's
         * first, counted there; -v said 4294967295 outside, helper-138) */
        for (uint32_t k = j; k <= last && pc < end; k++) {
            uint32_t raw = wh_site_word(site_rec(p, k));
            if (pi.m->flags & WHENCE_MOD_PRELINK)
                raw = wh_prelink_loc(pi.m, site_rec(p, k), raw);
            if (raw == w && k == last && at == pc)
                p->sites_used++;
            else
                p->sites_passed++;
        }
        if (w != word && add_change(r, &cap, (uint32_t)(pc - entry), w))
            return -1;
        word = w;
        j = last + 1;
    }
    p->changes += r->nchg;
    return 0;
}

void wl_hold(struct wl_held *h) {
    fflush(stderr);
    h->saved = dup(2);
    h->f = h->saved >= 0 ? tmpfile() : NULL;
    if (h->f)
        dup2(fileno(h->f), 2);
}

char *wl_release(struct wl_held *h) {
    char *text = NULL;
    if (h->f) {
        fflush(stderr);
        dup2(h->saved, 2);
        off_t n = lseek(fileno(h->f), 0, SEEK_END);
        if (n > 0 && n < (1 << 24) && (text = calloc(1, (size_t)n + 1)) &&
            pread(fileno(h->f), text, (size_t)n, 0) != (ssize_t)n)
            text[0] = 0;
        fclose(h->f);
    }
    if (h->saved >= 0)
        close(h->saved);
    h->f = NULL;
    h->saved = -1;
    return text;
}

int wl_plan_build(const struct wl_image *m, const struct wl_secs *s, struct wl_plan *p, char *why,
                  size_t whylen) {
    memset(p, 0, sizeof *p);
    if (s->line.size)
        return fail(why, whylen, 1,
                    "it has line records (WHENCE_LINES=1), which the table does not hold yet");
    if (s->fn.size % WHENCE_FN_RECORD_SIZE || s->site.size % WH_SITE_SIZE ||
        s->fn.size / WHENCE_FN_RECORD_SIZE >= UINT32_MAX || s->mod.size > UINT32_MAX ||
        s->site.size / WH_SITE_SIZE >= UINT32_MAX)
        return fail(why, whylen, -1, "its record sections have odd sizes");
    for (const struct wl_sect *c = &s->fn; c <= &s->mod; c++)
        if (c->size && (c->addr < m->lo || c->addr + c->size > m->hi))
            return fail(why, whylen, -1, "its record sections are not loaded");

    /* The runtime's slot over the records, as registration fills it. */
    struct wh_slot *sl = &p->slot;
    sl->fn_start = s->fn.size ? wl_at(m, s->fn.addr) : 0;
    sl->nfn = (uint32_t)(s->fn.size / WHENCE_FN_RECORD_SIZE);
    sl->site_start = s->site.size ? wl_at(m, s->site.addr) : 0;
    sl->nsite = (uint32_t)(s->site.size / WH_SITE_SIZE);
    sl->mod_stop = wl_at(m, s->mod.addr + s->mod.size);
    atomic_store(&sl->mod_start, wl_at(m, s->mod.addr));
    atomic_store(&sl->lo, wl_at(m, m->xlo));
    atomic_store(&sl->hi, wl_at(m, m->xhi));
    /* Fragments: the build looks for them as it does in a process
     * (runtime/fragments.c), in the copy's .eh_frame, which no dynamic
     * linker knows of: the slot says where it is. */
    if (m->eh_hdr) {
        p->eh = (struct wh_ehloc){(const void *)wl_at(m, m->eh_hdr), m->map, m->map + m->map_size};
        sl->eh = &p->eh;
    }
    atomic_store(&sl->frags, m->eh_hdr ? WH_FRAGS_UNCHECKED : WH_FRAGS_NONE);
    atomic_store(&sl->live, 1);
    p->fn_records = sl->nfn;
    p->site_records = sl->nsite;

    /* The build says on stderr which records it drops, as it would in a
     * process ("whence: image at ADDRESS: dropped ..."), ADDRESS being this
     * tool's copy of the image.  Held back, and said as the file's
     * (main.c), unless the file is left as it is for split code (below). */
    struct wl_held held;
    wl_hold(&held);
    const struct wh_accel *ax = wh_accel_build(sl);
    p->said = wl_release(&held);
    if (!ax)
        return fail(why, whylen, -1, "out of memory reading its records");
    atomic_store(&sl->ax, ax);
    atomic_store(&sl->build, WH_IX_READY);
    p->ax = ax;
    if (!ax->nf || !ax->nmods)
        return fail(why, whylen, 1, "none of its records names a function");
    /* The runtime's own buckets keep these as unknown frames (moved.c);
     * the table has no entry for them, and a lookup there finding nothing
     * would skip the frame as foreign code. */
    if (ax->nlost)
        return fail(why, whylen, 1,
                    "some of its functions have records that name no module table (a "
                    "partial link, LINKING.md) or were folded into one by the linker "
                    "(identical code folding): the table cannot mark their code yet, and "
                    "without it the runtime gives their frames as unknown");

    if (ax->nfrag) {
        /* the runtime finds these fragments too: the table would have to
         * hold them.  (What the build said is not said: it was about this
         * copy's addresses.) */
        free(p->said);
        p->said = NULL;
        return fail(why, whylen, 1,
                    "code was split off its functions (-fsplit-machine-functions, "
                    "basic block sections), which the table does not hold yet");
    }

    /* Modules, by address; a key's index among them. */
    p->nmod = ax->nmods;
    p->mods = calloc(p->nmod, sizeof *p->mods);
    uint32_t *dir_of = calloc(p->nmod, sizeof *dir_of);
    p->nsubfn = 0;
    for (uint32_t i = 0; i < ax->nmods; i++)
        if (ax->mods[i].subfn != UINT32_MAX)
            p->nsubfn += ax->mods[i].nsubprog;
    p->subfn = calloc(p->nsubfn ? p->nsubfn : 1, sizeof *p->subfn);
    if (!p->mods || !dir_of || !p->subfn) {
        free(dir_of);
        return fail(why, whylen, -1, "out of memory");
    }
    uintptr_t ms = atomic_load(&sl->mod_start);
    for (uint32_t k = 0; k < ax->nmods; k++) {
        const struct wh_mod *md = &ax->mods[ax->mods_by_base[k]];
        dir_of[ax->mods_by_base[k]] = k;
        p->mods[k].off = (uint32_t)(md->base - ms);
        p->mods[k].subfn = md->subfn; /* the build's layout of subfn, kept */
        p->mods[k].key = md->key;
        p->mods[k].src = md;
    }
    memcpy(p->subfn, ax->subfn, (size_t)p->nsubfn * sizeof *p->subfn);

    /* Ranges: the build's records in its order, one to one (so that a
     * function index of subfn is a range index). */
    p->nr = ax->nf;
    p->r = calloc(p->nr, sizeof *p->r);
    if (!p->r) {
        free(dir_of);
        return fail(why, whylen, -1, "out of memory");
    }
    for (uint32_t i = 0; i < ax->nf; i++) {
        const wh_fn *rec = fn_rec(p, i);
        struct wl_range *r = &p->r[i];
        r->start = wl_vaddr(m, wh_rec_entry(rec));
        r->size = wh_rec_size(rec);
        r->owner = r->flags = UINT32_MAX;
        if (wh_rec_fence(rec)) {
            r->kind = WHENCE_TAB_FENCE;
            p->fences++;
            continue;
        }
        uint64_t keysub = wh_rec_keysub(rec);
        const struct wh_mod *md = wh_accel_mod(ax, keysub >> WHENCE_FN_SUB_BITS);
        if (!md || (uint32_t)(md - ax->mods) >= ax->nmods) {
            free(dir_of);
            return fail(why, whylen, -1, "a record names no module (the runtime's build kept it)");
        }
        r->kind = WHENCE_TAB_FUNCTION;
        r->mod = dir_of[md - ax->mods];
        r->sub = (uint32_t)(keysub & WHENCE_FN_SUB_MAX);
        p->functions++;
        if (function_lines(p, r, i)) {
            free(dir_of);
            return fail(why, whylen, -1, "out of memory");
        }
    }
    free(dir_of);
    p->fn_dropped = p->fn_records - ax->nf;
    p->sites_outside = p->site_records - p->sites_used - p->sites_passed;
    p->text = p->r[0].start;
    p->span = p->r[p->nr - 1].start + p->r[p->nr - 1].size - p->text;
    if (p->span == 0 || p->span > 0xfffff000u)
        return fail(why, whylen, 1, "its functions span more than 4 GiB");
    return 0;
}

void wl_plan_free(struct wl_plan *p) {
    for (uint32_t i = 0; i < p->nr; i++)
        free(p->r[i].chg);
    free(p->r);
    free(p->mods);
    free(p->subfn);
    free(p->said);
    wh_accel_free(p->ax);
    memset(p, 0, sizeof *p);
}
