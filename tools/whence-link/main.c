/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * main.c - whence-link: after the link, writes the prebuilt lookup table
 * into a linked executable or shared library built with the whence plugin,
 * so that the first lookup in a process does no work and the runtime reads
 * only the compact table (whence_abi.h: whence_tab; docs/WHENCE-LINK.md).
 *
 *   whence-link [-o OUT] [--check] [--strict] [--verbose] [--quiet] FILE
 *
 * Exit status: 0 when FILE has its table now, or was left as it is for a
 * reason said on stderr (no records, no room, no section headers, a layout
 * the table cannot hold); 1 on an error (not a linked ELF file of this
 * tool's machine, an I/O error, a table that would answer differently
 * from the records), and with --strict also when FILE is left without a
 * table.  FILE is never
 * changed in place: the result is written to a new file that replaces it
 * (or OUT) only when complete.
 */
#include "link.h"
#include "tabfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION "1"

static const char *prog = "whence-link";

static void usage(FILE *to) {
    fprintf(to,
            "usage: %s [options] FILE\n"
            "Writes the whence lookup table into FILE, a linked executable or shared\n"
            "library built with the whence plugin (clang -fpass-plugin=whence-pass.so):\n"
            "its first lookup in a process then does no work, and the runtime reads only\n"
            "the compact table.  Idempotent; a file it cannot help is left as it is.\n"
            "\n"
            "  -o OUT         write the result to OUT instead of replacing FILE\n"
            "  --check        write nothing: check FILE's table (or the table it would get)\n"
            "                 against its records at every byte of its code\n"
            "  --strict       exit 1 when FILE is left without a table\n"
            "  --max-zeros=N  refuse when the file would have to hold more than N bytes of\n"
            "                 zeros before the table (its .bss; default 16777216)\n"
            "  -v, --verbose  say what the table holds\n"
            "  -q, --quiet    say nothing unless something is wrong\n"
            "  --version, --help\n",
            prog);
}

struct opts {
    const char *in, *out;
    bool check, strict, verbose, quiet;
    uint64_t max_zeros;
};

/* Whether FILE is left as it is (said, or it has its table already): with
 * -o OUT, OUT is then a copy of it (a build rule's output exists). */
static bool left;

/* Left as it is: said, and a failure only under --strict. */
static int leave(const struct opts *o, const char *why) {
    left = true;
    if (!o->quiet || o->strict)
        fprintf(stderr, "%s: %s: %s: left unchanged\n", prog, o->in, why);
    return o->strict ? 1 : 0;
}

/* BOLT's -use-old-text: the rewritten code is written in the place of the
 * original text, in the segment that held it (.bolt.org.text keeps only
 * what is left of it, often nothing, or the alignment before the new
 * .text); without it, the new .text is in a segment BOLT adds. */
static bool rewritten_in_place(const struct wl_file *f, int bolt) {
    int text = wl_section(f, ".text");
    if (text < 0 || f->sh[bolt].sh_size == 0)
        return f->sh[bolt].sh_size == 0;
    uint64_t a = f->sh[bolt].sh_addr, t = f->sh[text].sh_addr;
    for (unsigned i = 0; i < f->nph; i++) {
        const Elf64_Phdr *ph = &f->ph[i];
        if (ph->p_type == PT_LOAD && a >= ph->p_vaddr && a - ph->p_vaddr < ph->p_memsz)
            return t >= ph->p_vaddr && t - ph->p_vaddr < ph->p_memsz;
    }
    return false;
}

static int error(const struct opts *o, const char *why) {
    fprintf(stderr, "%s: %s: %s\n", prog, o->in, why);
    return 1;
}

/* What the runtime's code said while whence-link ran it (wl_hold), as the
 * file's: "whence: image at ADDRESS: dropped ..." -> "its records: dropped
 * ...", other "whence: " lines without their addresses (whence-link's own
 * copy's), and none of the runtime's words about the whence-link process
 * itself ("no code built with the whence plugin is loaded").  Other lines
 * (whence-link's own) as they are.  text is changed. */
static void say_held(const struct opts *o, char *text) {
    for (char *l = text, *nl; l && *l; l = nl ? nl + 1 : NULL) {
        nl = strchr(l, '\n');
        if (nl)
            *nl = 0;
        if (strncmp(l, "whence: ", 8)) {
            fprintf(stderr, "%s\n", l);
            continue;
        }
        if (o->quiet || !strncmp(l, "whence: no code built with the whence plugin", 44))
            continue;
        const char *at = strncmp(l, "whence: image at ", 17) ? NULL : strstr(l + 17, ": ");
        if (at) {
            fprintf(stderr, "%s: %s: its records: %s\n", prog, o->in, at + 2);
            continue;
        }
        char *m0;
        while ((m0 = strstr(l, " at 0x")) || (m0 = strstr(l, " 0x"))) {
            char *h = strstr(m0, "0x") + 2;
            size_t hex = strspn(h, "0123456789abcdef");
            memmove(m0, h + hex, strlen(h + hex) + 1);
        }
        fprintf(stderr, "%s: %s: %s\n", prog, o->in, l + 8);
    }
}

static void say_plan(const struct opts *o, const struct wl_plan *p, size_t size, uint64_t zeros,
                     const struct wl_secs *s, const struct wl_packed *pk) {
    fprintf(stderr,
            "%s: %s: %u functions, %u fences in %llu bytes of code; %u modules\n"
            "%s: %s: records: %u function records (%u dropped), %u site records (%u passed "
            "over: copies of another function's calls or naming no position; %u outside every "
            "function), %llu + %llu + %llu bytes (whence_fn, whence_site, whence_mod)\n"
            "%s: %s: table: %zu bytes, %u line changes; the file holds %llu more bytes "
            "(%llu of them zeros before the table)\n",
            prog, o->in, p->functions, p->fences, (unsigned long long)p->span, p->nmod, prog, o->in,
            p->fn_records, p->fn_dropped, p->site_records, p->sites_passed, p->sites_outside,
            (unsigned long long)s->fn.size, (unsigned long long)s->site.size,
            (unsigned long long)s->mod.size, prog, o->in, size, p->changes,
            (unsigned long long)(zeros + size), (unsigned long long)zeros);
    fprintf(stderr,
            "%s: %s: packed: %u subprogs and %u locs of %u modules in %llu bytes of the table, "
            "for %llu bytes of whence_mod\n",
            prog, o->in, pk->subprogs, pk->locs, pk->mods, (unsigned long long)pk->bytes,
            (unsigned long long)pk->raw);
}

/* The record ABI version of FILE's first module table, when it is not
 * this whence's (0: it is, or the table cannot be read here). */
static unsigned other_abi(const struct wl_file *f, const struct wl_secs *s) {
    const Elf64_Shdr *h = &f->sh[s->mod.index];
    struct whence_mod_header m;
    if (h->sh_type != SHT_PROGBITS || h->sh_size < sizeof m || h->sh_offset > f->size ||
        f->size - h->sh_offset < sizeof m)
        return 0;
    memcpy(&m, f->bytes + h->sh_offset, sizeof m);
    return m.magic == WHENCE_MOD_MAGIC && m.version != WHENCE_ABI_VERSION ? m.version : 0;
}

/* The table already in FILE (a valid header of this version), or NULL. */
static const struct whence_tab_header *present(const struct wl_file *f, const struct wl_secs *s) {
    if (s->tab.index < 0 || f->sh[s->tab.index].sh_type != SHT_PROGBITS ||
        s->tab.size < sizeof(struct whence_tab_header))
        return NULL;
    const struct whence_tab_header *h =
        (const struct whence_tab_header *)(f->bytes + f->sh[s->tab.index].sh_offset);
    return h->magic == WHENCE_TAB_MAGIC && !wh_tab_check_header(h, s->tab.size) ? h : NULL;
}

static int run(const struct opts *o) {
    char why[512];
    struct wl_file f;
    struct wl_image m = {0};
    struct wl_plan p;
    memset(&p, 0, sizeof p);
    unsigned char *table = NULL;
    int rc;
    if (wl_read(o->in, &f, why, sizeof why)) {
        rc = error(o, why);
        goto out;
    }
    if (!f.nsh) {
        rc = leave(o, "it has no section headers (removed by sstrip or a packer), through which "
                      "whence-link finds the records");
        goto out;
    }
    struct wl_secs s;
    wl_find_sections(&f, &s);
    if (s.fn.index < 0 && s.mod.index < 0) {
        rc = leave(o, "it holds no whence records (not built with the whence plugin): nothing to do");
        goto out;
    }
    if (s.fn.index < 0 || s.mod.index < 0 || !s.mod.size) {
        rc = leave(o, "it holds only part of the whence records");
        goto out;
    }
    unsigned abi = other_abi(&f, &s);
    if (abi) {
        snprintf(why, sizeof why,
                 "its records are of record ABI version %u, and this whence-link reads version %u "
                 "(rebuild it with this whence's plugin)",
                 abi, (unsigned)WHENCE_ABI_VERSION);
        rc = leave(o, why);
        goto out;
    }
    if (s.tab.index < 0) {
        rc = leave(o, "its records were built without room for the table (by a whence plugin "
                      "older than whence-link; rebuild it)");
        goto out;
    }
    const struct whence_tab_header *have = present(&f, &s);
    if (have && !o->check) {
        if (!o->quiet)
            fprintf(stderr, "%s: %s: it has its lookup table already: nothing to do\n", prog, o->in);
        left = true;
        rc = 0;
        goto out;
    }
    if (wl_load(&f, &m, why, sizeof why)) {
        rc = error(o, why);
        goto out;
    }
    int prc = wl_plan_build(&m, &s, &p, why, sizeof why);
    say_held(o, p.said);
    if (prc) {
        rc = prc > 0 ? leave(o, why) : error(o, why);
        goto out;
    }
    size_t size = 0;
    struct wl_packed pk = {0};
    if (have) { /* --check of a table written before */
        size = have->total_size;
    } else {
        table = wl_encode(&p, &s, s.tab.addr, true, &pk, &size, why, sizeof why);
        if (table && size > s.tab.size) {
            /* The packs are a saving, not a need: without them if they do
             * not fit (the modules' arrays answer). */
            free(table);
            table = wl_encode(&p, &s, s.tab.addr, false, &pk, &size, why, sizeof why);
        }
        if (!table) {
            rc = error(o, why);
            goto out;
        }
        if (size > s.tab.size) {
            snprintf(why, sizeof why,
                     "its table needs %zu bytes and its modules reserved %llu (whence_tab)", size,
                     (unsigned long long)s.tab.size);
            rc = leave(o, why);
            goto out;
        }
    }
    uint64_t zeros = 0;
    const char *no = have ? NULL : wl_can_write(&f, &s, &zeros);
    if (no) {
        rc = leave(o, no);
        goto out;
    }
    if (zeros > o->max_zeros) {
        snprintf(why, sizeof why,
                 "the file would have to hold %llu bytes of zeros (.bss) before the table "
                 "(more than --max-zeros=%llu)",
                 (unsigned long long)zeros, (unsigned long long)o->max_zeros);
        rc = leave(o, why);
        goto out;
    }
    struct wl_held held;
    wl_hold(&held);
    long bad = wl_check(&p, &m, &s, table, size, o->check, &pk, why, sizeof why);
    char *said = wl_release(&held);
    say_held(o, said);
    free(said);
    if (bad) {
        if (bad < 0)
            rc = error(o, why);
        else if (have) {
            snprintf(why, sizeof why,
                     "its table answers differently from its records at %ld pcs (damaged "
                     "after whence-link wrote it?)",
                     bad);
            rc = error(o, why);
        } else {
            snprintf(why, sizeof why,
                     "its table would answer differently from its records at %ld pcs (a bug: "
                     "please report it)%s",
                     bad, o->check ? "" : "; left unchanged");
            rc = error(o, why);
        }
        goto out;
    }
    if (o->verbose)
        say_plan(o, &p, size, zeros, &s, &pk);
    if (o->check) {
        /* (BOLT keeps the code as linked in .bolt.org.text and runs a copy
         * elsewhere: the records, and a table written before it, describe
         * the first) */
        int bolt = wl_section(&f, ".bolt.org.text");
        if (bolt >= 0 && rewritten_in_place(&f, bolt)) {
            rc = error(o, "BOLT rewrote the code over the text the records name "
                          "(-use-old-text): the records and the table describe code that "
                          "is not there; whence gives this file's frames as unknown");
            goto out;
        }
        if (!o->quiet && bolt >= 0)
            fprintf(stderr,
                    "%s: %s: %s answers as its records do at every byte of the code they "
                    "describe, but BOLT moved code after the link (.bolt.org.text): the code "
                    "it moved is in no record (whence_caller answers \"unknown\" there)\n",
                    prog, o->in, have ? "its table" : "the table it would get");
        else if (!o->quiet)
            fprintf(stderr,
                    "%s: %s: %s answers as its records do at every byte of its code\n", prog,
                    o->in, have ? "its table" : "the table it would get");
        rc = 0;
        goto out;
    }
    if (wl_write(&f, &s, table, size, o->out ? o->out : o->in, why, sizeof why)) {
        rc = error(o, why);
        goto out;
    }
    rc = 0;
out:
    if (left && rc == 0 && o->out && !o->check && wl_copy(&f, o->out, why, sizeof why))
        rc = error(o, why);
    free(table);
    wl_plan_free(&p);
    wl_image_free(&m);
    wl_file_free(&f);
    return rc;
}

int main(int argc, char **argv) {
    struct opts o = {0};
    o.max_zeros = 16u << 20;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") && i + 1 < argc)
            o.out = argv[++i];
        else if (!strncmp(a, "-o", 2) && a[2])
            o.out = a + 2;
        else if (!strcmp(a, "--check"))
            o.check = true;
        else if (!strcmp(a, "--strict"))
            o.strict = true;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            o.verbose = true;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            o.quiet = true;
        else if (!strncmp(a, "--max-zeros=", 12)) {
            char *end;
            o.max_zeros = strtoull(a + 12, &end, 0);
            if (*end || end == a + 12) {
                fprintf(stderr, "%s: bad --max-zeros value '%s'\n", prog, a + 12);
                return 2;
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("whence-link %s (table version %u, record ABI version %u)\n", VERSION,
                   WHENCE_TAB_VERSION, WHENCE_ABI_VERSION_NUM);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
            usage(stderr);
            return 2;
        } else if (!o.in) {
            o.in = a;
        } else {
            fprintf(stderr, "%s: one FILE at a time ('%s' and '%s')\n", prog, o.in, a);
            return 2;
        }
    }
    if (!o.in) {
        usage(stderr);
        return 2;
    }
    if (o.check && o.out) {
        fprintf(stderr, "%s: --check writes nothing: no -o with it\n", prog);
        return 2;
    }
    return run(&o);
}
