// The records as a C reader sees them through whence_abi.h alone (no libwhence linked: the extern_weak hooks are null and the constructor does nothing): every whence_fn record decodes with the WHENCE_FN_OFF_* offsets to an entry equal to its function's address and a size covering it, its key names a whence_mod table in this image, and its subprog there names the function; every whence_site label lies inside an instrumented function of the same table and its loc chain ends in that function.  PIE at -O0 and -O2, and a non-PIE build.
// RUN: %clang -O2 -gline-tables-only -I%whence_incdir -fpass-plugin=%plugin %s -o %t.O2 && %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -I%whence_incdir -fpass-plugin=%plugin %s -o %t.O0 && %t.O0 | FileCheck %s
// RUN: %clang -O1 -gline-tables-only -fno-pie -no-pie -I%whence_incdir -fpass-plugin=%plugin %s -o %t.np && %t.np | FileCheck %s
// CHECK: fn main ok
// CHECK: fn helper ok
// CHECK: fn twice ok
// CHECK: sites>=3 flat>=3 bad=0
// CHECK: tables=1 bad=0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence_abi.h>

extern const char __start_whence_fn[] __attribute__((weak, visibility("hidden")));
extern const char __stop_whence_fn[] __attribute__((weak, visibility("hidden")));
extern const char __start_whence_site[] __attribute__((weak, visibility("hidden")));
extern const char __stop_whence_site[] __attribute__((weak, visibility("hidden")));
extern const char __start_whence_mod[] __attribute__((weak, visibility("hidden")));
extern const char __stop_whence_mod[] __attribute__((weak, visibility("hidden")));

static const struct whence_mod_header *table(uint64_t key) {
    for (const char *p = __start_whence_mod; p < __stop_whence_mod;) {
        const struct whence_mod_header *h = (const void *)p;
        if (h->magic != WHENCE_MOD_MAGIC || h->total_size % 8 || !h->total_size)
            return NULL;
        if (h->key == key)
            return h;
        p += h->total_size;
    }
    return NULL;
}

static const char *str(const struct whence_mod_header *h, uint32_t off) {
    return (const char *)h + h->str_off + off;
}

static const struct whence_subprog *sub(const struct whence_mod_header *h, uint32_t i) {
    return (const struct whence_subprog *)((const char *)h + h->subprog_off) + i;
}

/* The file string of a subprog ("" for none). */
static const char *sub_file(const struct whence_mod_header *h, const struct whence_subprog *s) {
    uint32_t f = WHENCE_SUBPROG_FILE(s);
    if (!f || f > h->file_count)
        return "";
    const uint32_t *files = (const uint32_t *)((const char *)h + h->file_off);
    return str(h, files[f - 1]);
}

static const struct whence_loc *loc(const struct whence_mod_header *h, uint32_t i) {
    return (const struct whence_loc *)((const char *)h + h->loc_off) + i;
}

struct fn { uintptr_t entry; uint32_t size; uint64_t key; uint32_t sub; };

static struct fn read_fn(const char *r) {
    struct fn f;
    int32_t rel;
    memcpy(&rel, r + WHENCE_FN_OFF_ENTRY, 4);
    f.entry = (uintptr_t)(r + WHENCE_FN_OFF_ENTRY) + (intptr_t)rel;
    memcpy(&f.size, r + WHENCE_FN_OFF_SIZE, 4);
    uint64_t keysub;
    memcpy(&keysub, r + WHENCE_FN_OFF_KEYSUB, 8);
    f.key = keysub >> WHENCE_FN_SUB_BITS;
    f.sub = (uint32_t)keysub & WHENCE_FN_SUB_MAX;
    return f;
}

__attribute__((noinline)) static int helper(int x) { return printf("%s", x > 100 ? "!" : ""); }
__attribute__((noinline)) int twice(int x) { return helper(x) + helper(x + 1); }

static void check_fn(const char *name, void *addr) {
    for (const char *r = __start_whence_fn; r + WHENCE_FN_RECORD_SIZE <= __stop_whence_fn;
         r += WHENCE_FN_RECORD_SIZE) {
        struct fn f = read_fn(r);
        if (f.entry != (uintptr_t)addr)
            continue;
        const struct whence_mod_header *h = table(f.key);
        int ok = h && f.size > 0 && f.sub < h->subprog_count &&
                 !strcmp(str(h, sub(h, f.sub)->name), name) &&
                 WHENCE_SUBPROG_LINE(sub(h, f.sub)) > 0 &&
                 strstr(sub_file(h, sub(h, f.sub)), "abi-selfcheck.c");
        printf("fn %s %s\n", name, ok ? "ok" : "BAD");
        return;
    }
    printf("fn %s MISSING\n", name);
}

int main(void) {
    check_fn("main", (void *)main);
    check_fn("helper", (void *)helper);
    check_fn("twice", (void *)twice);

    int nsites = 0, bad = 0, nflat = 0;
    const struct whence_site_record *s = (const void *)__start_whence_site;
    for (; (const char *)(s + 1) <= __stop_whence_site; s++, nsites++) {
        uintptr_t pc = (uintptr_t)&s->label + (intptr_t)s->label;
        const struct whence_mod_header *h = NULL;
        struct fn f = {0, 0, 0, 0};
        for (const char *r = __start_whence_fn; r + WHENCE_FN_RECORD_SIZE <= __stop_whence_fn;
             r += WHENCE_FN_RECORD_SIZE) {
            struct fn g = read_fn(r);
            if (pc >= g.entry && pc < g.entry + g.size)
                f = g, h = table(g.key);
        }
        if (!h) {
            bad++;
            continue;
        }
        if (s->loc & WHENCE_SITE_FLAT) { /* the function's own position */
            nflat++;
            bad += WHENCE_SITE_FLAT_LINE(s->loc) < WHENCE_SUBPROG_LINE(sub(h, f.sub));
            continue;
        }
        if (s->loc >= h->loc_count) {
            bad++;
            continue;
        }
        uint32_t i = s->loc, depth = 0;
        while (WHENCE_LOC_PARENT(loc(h, i)) && depth++ < 100)
            i = WHENCE_LOC_PARENT(loc(h, i)) - 1;
        bad += WHENCE_LOC_SUBPROG(loc(h, i)) != f.sub;
    }
    printf("sites>=%d flat>=%d bad=%d\n", nsites >= 3 ? 3 : nsites, nflat >= 3 ? 3 : nflat, bad);

    int ntables = 0, tbad = 0;
    for (const char *p = __start_whence_mod; p < __stop_whence_mod; ntables++) {
        const struct whence_mod_header *h = (const void *)p;
        tbad += h->magic != WHENCE_MOD_MAGIC || h->version != WHENCE_ABI_VERSION ||
                h->header_size != sizeof *h || h->total_size % 8 ||
                h->subprog_off != sizeof *h || !(h->flags & WHENCE_MOD_LINES) ||
                !(h->flags & WHENCE_MOD_SITES) || h->reserved ||
                strcmp(str(h, 0), "") || !strstr(str(h, h->module_name), "abi-selfcheck.c");
        if (!h->total_size)
            break;
        p += h->total_size;
    }
    printf("tables=%d bad=%d\n", ntables, tbad);
    return twice(0) < 0;
}
