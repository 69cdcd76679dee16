/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * check.c - the table against the records, by the runtime's own lookups:
 * the table is placed where the loader will map it, adopted as the runtime
 * adopts it (header check included), and every pc asked is looked up twice,
 * through the table (table.c) and through the records (image.c, accel.c),
 * as a return address and as an interrupted pc.  Function, entry, size,
 * module, subprog, the code's start, the site word and every logical frame
 * it gives (name, file, line, column, inlined) must be the same, and so
 * must whence_func_for_pc's and whence_func_name's answers, which read a
 * function's entry alone.
 *
 * whence-link checks every change of every function and both ends of every
 * range before it writes a file; --check asks every byte of the code.
 * Before that, every packed subprog and loc is compared with its module
 * table's (the pcs reach only the locs of calls and their inline chains;
 * a frame slot can name any loc).
 */
#include "link.h"
#include "tabfmt.h"

#include <stdio.h>
#include <string.h>

static bool same_frames(const struct wh_pcinfo *a, const struct wh_pcinfo *b, uintptr_t e) {
    if (a->loc != b->loc || a->depth != b->depth)
        return false;
    for (uint32_t k = 0; k < a->depth; k++) {
        whence_frame fa, fb;
        wh_fill_frame(a, k, e, &fa);
        wh_fill_frame(b, k, e, &fb);
        /* The functions differ as handles (a record, a table entry). */
        if (strcmp(fa.function, fb.function) || strcmp(fa.file, fb.file) || fa.line != fb.line ||
            fa.column != fb.column || fa.inlined != fb.inlined || fa.entry != fb.entry ||
            fa.pc != fb.pc)
            return false;
    }
    return true;
}

struct ctx {
    struct wl_plan *p;
    struct wh_slot *ts;
    const struct wl_image *m;
    long bad, asked;
};

static void report(struct ctx *c, uintptr_t pc, bool ra, const char *what) {
    if (c->bad++ < 10)
        fprintf(stderr, "whence-link: check: pc 0x%llx (%s): %s\n",
                (unsigned long long)wl_vaddr(c->m, pc), ra ? "return address" : "pc", what);
}

static void ask(struct ctx *c, uintptr_t pc) {
    for (int ra = 0; ra < 2; ra++) {
        struct wh_pcinfo a, b;
        a.fn = b.fn = NULL;
        bool fa = wh_find_in(&c->p->slot, pc, ra, &a);
        bool fb = wh_find_in(c->ts, pc, ra, &b);
        c->asked++;
        if (fa != fb) {
            report(c, pc, ra, fa ? "the table names no function" : "only the table names a function");
            continue;
        }
        if (!fa)
            continue;
        struct wh_pcinfo h;
        if (a.entry != b.entry || a.size != b.size || a.sub != b.sub || a.from != b.from ||
            a.m->base != b.m->base || !wh_tab_func(c->ts, (uintptr_t)b.fn, &h) ||
            h.entry != b.entry) {
            report(c, pc, ra, "another function");
            continue;
        }
        /* whence_func_for_pc's and whence_func_name's own paths, which
         * read the entry's word alone (a plain pc inside the function's
         * own code; elsewhere they ask the registry, which is empty here) */
        if (!ra && b.from == b.entry && pc - b.entry < b.size &&
            wh_tab_func_for_pc(c->ts, pc) != (const whence_func *)b.fn) {
            report(c, pc, ra, "whence_func_for_pc names another function");
            continue;
        }
        const struct whence_subprog *sp = wh_mod_subprog(a.m, a.sub, WH_SUB_BUF);
        if (!sp || strcmp(wh_mod_str(a.m, sp->name), wh_tab_name(c->ts, (uintptr_t)b.fn))) {
            report(c, pc, ra, "whence_func_name gives another name");
            continue;
        }
        wh_pcinfo_sites(&a, pc, !ra);
        wh_pcinfo_sites(&b, pc, !ra);
        if (!same_frames(&a, &b, ra ? pc : pc | WH_TOKEN_EXACT))
            report(c, pc, ra, "another line or inline chain");
    }
}

static void report_mod(struct ctx *c, uint32_t k, const char *what) {
    if (c->bad++ < 10)
        fprintf(stderr, "whence-link: check: module %u of the table: %s\n", k, what);
}

static bool same_loc(const struct wh_mod *a, const struct wh_mod *b, uint32_t l) {
    struct whence_loc x, y;
    const struct whence_loc *la = wh_mod_loc(a, l, &x), *lb = wh_mod_loc(b, l, &y);
    return la && lb && la->subprog_file == lb->subprog_file && la->line == lb->line &&
           WHENCE_LOC_COLUMN(la) == WHENCE_LOC_COLUMN(lb) &&
           wh_loc_parent(a, l) == wh_loc_parent(b, l);
}

/* Every module's pack in table slot ts against its module table (the
 * plan's modules, in the table's order); what they hold into *pk. */
static void check_packs(struct ctx *c, struct wl_packed *pk) {
    const struct wh_tab *t = &c->ts->tab;
    memset(pk, 0, sizeof *pk);
    for (uint32_t k = 0; k < t->nmod; k++) {
        struct whence_tab_mod d;
        uintptr_t ea = t->mod + (uintptr_t)k * sizeof d;
        memcpy(&d, (const void *)ea, sizeof d);
        if (k >= c->p->nmod || d.off != c->p->mods[k].off) {
            report_mod(c, k, "its entry names another module");
            continue;
        }
        const struct wh_mod *raw = c->p->mods[k].src;
        struct wh_mod pm = *raw;
        if (!wh_pack_attach(t, ea, &d, &pm, true)) {
            report_mod(c, k, "its pack is not usable");
            continue;
        }
        if (!pm.pack)
            continue;
        pk->mods++;
        pk->subprogs += raw->nsubprog;
        pk->locs += raw->nloc;
        pk->bytes += wh_tab_pack_size(&d, raw->nsubprog, raw->nloc);
        pk->raw += (uint64_t)raw->nsubprog * sizeof(struct whence_subprog) +
                   (uint64_t)raw->nloc * wh_mod_loc_size(raw);
        for (uint32_t i = 0; i < raw->nsubprog; i++) {
            struct whence_subprog x, y;
            const struct whence_subprog *a = wh_mod_subprog(raw, i, &x), *b = wh_mod_subprog(&pm, i, &y);
            if (!a || !b || a->name != b->name || a->line_file != b->line_file)
                report_mod(c, k, "a packed subprog differs from its module table's");
        }
        for (uint32_t l = 0; l < raw->nloc; l++)
            if (!same_loc(raw, &pm, l))
                report_mod(c, k, "a packed loc differs from its module table's");
    }
}

long wl_check(struct wl_plan *p, struct wl_image *m, const struct wl_secs *s,
              const unsigned char *table, size_t size, bool all, struct wl_packed *pk, char *why,
              size_t whylen) {
    /* The table where the loader will map it. */
    uintptr_t ts0 = wl_at(m, s->tab.addr);
    if (table && (uintptr_t)table != ts0)
        memcpy((void *)ts0, table, size);
    static struct wh_slot tslot; /* big: not on the stack */
    memcpy(&tslot, &p->slot, sizeof tslot);
    atomic_store(&tslot.ax, NULL);
    atomic_store(&tslot.build, WH_IX_NONE);
    uint64_t room = s->tab.size > size ? s->tab.size : size;
    const char *w = wh_tab_adopt(&tslot.tab, ts0, ts0 + room, p->slot.fn_start,
                                 p->slot.fn_start + (uintptr_t)p->slot.nfn * WHENCE_FN_RECORD_SIZE,
                                 p->slot.site_start,
                                 p->slot.site_start + (uintptr_t)p->slot.nsite * WH_SITE_SIZE,
                                 atomic_load(&p->slot.mod_start), p->slot.mod_stop, 0, 0,
                                 wl_at(m, m->xlo), wl_at(m, m->xhi));
    if (w || !tslot.tab.base) {
        snprintf(why, whylen, "the runtime would not adopt the table: %s", w ? w : "no table");
        return -1;
    }
    struct ctx c = {p, &tslot, m, 0, 0};
    check_packs(&c, pk);
    if (all) {
        for (uint64_t v = m->xlo; v <= m->xhi; v++)
            ask(&c, wl_at(m, v));
    } else {
        for (uint32_t i = 0; i < p->nr; i++) {
            const struct wl_range *r = &p->r[i];
            uintptr_t a = wl_at(m, r->start);
            for (int d = -1; d <= 1; d++) {
                ask(&c, a + (uintptr_t)(intptr_t)d);
                ask(&c, a + r->size + (uintptr_t)(intptr_t)d);
            }
            for (uint32_t k = 0; k < r->nchg; k++)
                for (int d = -1; d <= 1; d++)
                    ask(&c, a + r->chg[k].pc + (uintptr_t)(intptr_t)d);
        }
    }
    if (c.bad > 10)
        fprintf(stderr, "whence-link: check: ... %ld differences in all\n", c.bad);
    (void)why;
    return c.bad;
}
