/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * rust_v0.c - wh_rust_v0: Rust's v0 symbol names (_R..., RFC 2603) as
 * llvm-cxxfilt prints them ("<alloc::raw_vec::RawVec<u8>>::grow_one",
 * "std::rt::lang_start::<()>::{closure#0}"), for the frames of a crash
 * report that only a symbol table names.  Rust's standard library is built
 * with v0 names (rustc 1.95: 570 of a hello world's 577 Rust symbols), so
 * every Rust frame of a Rust program hosting instrumented C code has one.
 *
 * The grammar prints as it is read, left to right, except for back
 * references (B<base62>), which point at text read earlier: that text is
 * read again, printing, at the reference, as the substitutions of
 * demangle.c are.  Like it, the work is bounded: the output (the caller's
 * buffer), the recursion (by the stack used, MAX_STACK) and the parse steps
 * plus output bytes (MAX_WORK); past any of them, or at what this reader
 * does not implement (punycode identifiers), the name is "not supported"
 * and printed mangled.  Where it answers, the answer is LLVM 19's byte for
 * byte (tests/fuzz/fuzz_demangle.cpp, lit/tools/demangle-corpus.c).
 * Async-signal-safe: no allocation, no global state.
 */
#include "../attrs.h"
#include "demangle.h"

#include <stdbool.h>
#include <stdint.h>

#ifndef WH_RUST_V0_STACK
#if defined(WH_SANITIZED) || (defined(__has_feature) && __has_feature(undefined_behavior_sanitizer))
#define WH_RUST_V0_STACK (4 * 2560)
#else
#define WH_RUST_V0_STACK 2560
#endif
#endif

enum { MAX_STACK = WH_RUST_V0_STACK, MAX_WORK = 1 << 17 };

struct rv {
    const char *s; /* the name after "_R", up to its first '.' */
    size_t n, p;   /* its length, the parse position */
    char *out;
    size_t cap, len;
    size_t bound;  /* higher-ranked lifetimes in force (for<'a, ...>) */
    uintptr_t sp0;
    uint32_t work;
    unsigned quiet; /* >0: read, print nothing */
    bool bad;
};

static void type(struct rv *r);
static void konst(struct rv *r);
static bool path(struct rv *r, bool in_type, bool leave_open);

/* ---- reading ---- */

WH_RT static char look(const struct rv *r) { return !r->bad && r->p < r->n ? r->s[r->p] : 0; }

WH_RT static char next(struct rv *r) {
    if (r->bad || r->p >= r->n) {
        r->bad = true;
        return 0;
    }
    return r->s[r->p++];
}

WH_RT static bool eat(struct rv *r, char c) {
    if (look(r) != c || !c)
        return false;
    r->p++;
    return true;
}

WH_RT static bool lower(char c) { return c >= 'a' && c <= 'z'; }
WH_RT static bool upper(char c) { return c >= 'A' && c <= 'Z'; }
WH_RT static bool digit(char c) { return c >= '0' && c <= '9'; }

/* {0-9a-zA-Z} "_", one more than the digits say ("_" is 0, "0_" is 1). */
WH_RT static uint64_t base62(struct rv *r) {
    if (eat(r, '_'))
        return 0;
    uint64_t v = 0;
    for (;;) {
        char c = next(r);
        unsigned d;
        if (c == '_')
            break;
        if (digit(c))
            d = (unsigned)(c - '0');
        else if (lower(c))
            d = 10u + (unsigned)(c - 'a');
        else if (upper(c))
            d = 36u + (unsigned)(c - 'A');
        else {
            r->bad = true;
            return 0;
        }
        if (v > (UINT64_MAX - d) / 62) {
            r->bad = true;
            return 0;
        }
        v = v * 62 + d;
    }
    if (v == UINT64_MAX) {
        r->bad = true;
        return 0;
    }
    return v + 1;
}

/* [tag base62]: 0 without the tag, else one more than the number. */
WH_RT static uint64_t tagged(struct rv *r, char tag) {
    if (!eat(r, tag))
        return 0;
    uint64_t v = base62(r);
    if (r->bad || v == UINT64_MAX) {
        r->bad = true;
        return 0;
    }
    return v + 1;
}

/* "0" | [1-9]{0-9}, without leading zeros. */
WH_RT static uint64_t decimal(struct rv *r) {
    if (!digit(look(r))) {
        r->bad = true;
        return 0;
    }
    if (eat(r, '0'))
        return 0;
    uint64_t v = 0;
    while (digit(look(r))) {
        unsigned d = (unsigned)(next(r) - '0');
        if (v > (UINT64_MAX - d) / 10) {
            r->bad = true;
            return 0;
        }
        v = v * 10 + d;
    }
    return v;
}

/* "0_" | [1-9a-f]{0-9a-f} "_": *at, *len its digits; the value when they
 * are 16 or fewer. */
WH_RT static uint64_t hexnum(struct rv *r, size_t *at, size_t *len) {
    size_t start = r->p;
    uint64_t v = 0;
    char c = look(r);
    if (!(digit(c) || (c >= 'a' && c <= 'f')))
        r->bad = true;
    if (eat(r, '0')) {
        if (!eat(r, '_'))
            r->bad = true;
    } else {
        while (!r->bad && !eat(r, '_')) {
            c = next(r);
            if (digit(c))
                v = v * 16 + (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v = v * 16 + 10u + (unsigned)(c - 'a');
            else
                r->bad = true;
        }
    }
    *at = start;
    *len = r->bad ? 0 : r->p - 1 - start;
    return r->bad ? 0 : v;
}

struct ident {
    size_t at, len;
};

/* ["u"] decimal ["_"] bytes, each of [0-9a-zA-Z_].  Punycode ("u") is not
 * implemented: the name is given up. */
WH_RT static struct ident ident(struct rv *r) {
    struct ident id = {0, 0};
    if (eat(r, 'u'))
        r->bad = true;
    uint64_t len = decimal(r);
    eat(r, '_');
    if (r->bad || len > r->n - r->p) {
        r->bad = true;
        return id;
    }
    for (size_t i = 0; i < len; i++) {
        char c = r->s[r->p + i];
        if (!(digit(c) || lower(c) || upper(c) || c == '_')) {
            r->bad = true;
            return id;
        }
    }
    id.at = r->p;
    id.len = (size_t)len;
    r->p += (size_t)len;
    return id;
}

/* Each nested reading checks the stack it has used and counts a step. */
WH_RT static bool enter(struct rv *r) {
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    if (r->bad || ++r->work > MAX_WORK || r->sp0 - sp > MAX_STACK)
        r->bad = true;
    return !r->bad;
}

/* ---- printing ---- */

WH_RT static void put(struct rv *r, const char *s, size_t n) {
    if (r->quiet || r->bad)
        return;
    r->work += (uint32_t)n;
    if (n >= r->cap - r->len || r->work > MAX_WORK) {
        r->bad = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        r->out[r->len++] = s[i];
}

WH_RT static void puts_(struct rv *r, const char *s) { put(r, s, __builtin_strlen(s)); }

WH_RT static void putc_(struct rv *r, char c) { put(r, &c, 1); }

WH_RT static void putdec(struct rv *r, uint64_t v) {
    char t[20];
    size_t i = sizeof t;
    do
        t[--i] = (char)('0' + v % 10);
    while (v /= 10);
    put(r, t + i, sizeof t - i);
}

WH_RT static void putid(struct rv *r, struct ident id) { put(r, r->s + id.at, id.len); }

/* Lifetime i: 0 is an erased one ('_); others count binders outward. */
WH_RT static void lifetime(struct rv *r, uint64_t i) {
    if (i == 0) {
        puts_(r, "'_");
        return;
    }
    if (i - 1 >= r->bound) {
        r->bad = true;
        return;
    }
    uint64_t depth = r->bound - i;
    putc_(r, '\'');
    if (depth < 26)
        putc_(r, (char)('a' + depth));
    else {
        putc_(r, 'z');
        putdec(r, depth - 26 + 1);
    }
}

/* A back reference: the text at an earlier position read again, printing
 * (not followed while nothing prints: it was read where it stands). */
enum what { W_PATH, W_TYPE, W_CONST };

WH_RT static bool backref(struct rv *r, enum what w, bool in_type, bool leave_open) {
    uint64_t to = base62(r);
    if (r->bad || to >= r->p) {
        r->bad = true;
        return false;
    }
    if (r->quiet)
        return false;
    size_t here = r->p;
    bool open = false;
    r->p = (size_t)to;
    if (w == W_PATH)
        open = path(r, in_type, leave_open);
    else if (w == W_TYPE)
        type(r);
    else
        konst(r);
    r->p = here;
    return open;
}

/* ---- the grammar ---- */

/* a b c d e f h i j l m n o p s t u v x y z: the basic types; NULL else. */
WH_RT static const char *basic(char c) {
    switch (c) {
    case 'a': return "i8";
    case 'b': return "bool";
    case 'c': return "char";
    case 'd': return "f64";
    case 'e': return "str";
    case 'f': return "f32";
    case 'h': return "u8";
    case 'i': return "isize";
    case 'j': return "usize";
    case 'l': return "i32";
    case 'm': return "u32";
    case 'n': return "i128";
    case 'o': return "u128";
    case 'p': return "_";
    case 's': return "i16";
    case 't': return "u16";
    case 'u': return "()";
    case 'v': return "...";
    case 'x': return "i64";
    case 'y': return "u64";
    case 'z': return "!";
    default: return NULL;
    }
}

WH_RT static bool integer_type(char c) {
    return c == 'a' || c == 's' || c == 'l' || c == 'x' || c == 'n' || c == 'i' || c == 'h' ||
           c == 't' || c == 'm' || c == 'y' || c == 'o' || c == 'j';
}

/* ["G" base62]: for<'a, 'b> binds that many more lifetimes. */
WH_RT static void binder(struct rv *r) {
    uint64_t k = tagged(r, 'G');
    if (r->bad || k == 0)
        return;
    if (k >= r->n - r->bound) { /* each needs a byte that refers to it */
        r->bad = true;
        return;
    }
    puts_(r, "for<");
    for (uint64_t i = 0; i < k && !r->bad; i++) {
        r->bound++;
        if (i)
            puts_(r, ", ");
        lifetime(r, 1);
    }
    puts_(r, "> ");
}

WH_RT static void const_char(struct rv *r) {
    size_t at, len;
    uint64_t cp = hexnum(r, &at, &len);
    if (r->bad || len > 6) {
        r->bad = true;
        return;
    }
    putc_(r, '\'');
    switch (cp) {
    case '\t': puts_(r, "\\t"); break;
    case '\r': puts_(r, "\\r"); break;
    case '\n': puts_(r, "\\n"); break;
    case '\\': puts_(r, "\\\\"); break;
    case '"': putc_(r, '"'); break;
    case '\'': puts_(r, "\\'"); break;
    default:
        if (cp >= 0x20 && cp <= 0x7e)
            putc_(r, (char)cp);
        else {
            puts_(r, "\\u{");
            put(r, r->s + at, len);
            putc_(r, '}');
        }
    }
    putc_(r, '\'');
}

/* <const> = <basic-type> <const-data> | "p" | <backref> */
WH_RT static void konst(struct rv *r) {
    if (!enter(r))
        return;
    char c = next(r);
    size_t at, len;
    if (integer_type(c)) {
        if (eat(r, 'n'))
            putc_(r, '-');
        uint64_t v = hexnum(r, &at, &len);
        if (len <= 16)
            putdec(r, v);
        else {
            puts_(r, "0x");
            put(r, r->s + at, len);
        }
    } else if (c == 'b') {
        hexnum(r, &at, &len);
        if (len == 1 && r->s[at] == '0')
            puts_(r, "false");
        else if (len == 1 && r->s[at] == '1')
            puts_(r, "true");
        else
            r->bad = true;
    } else if (c == 'c') {
        const_char(r);
    } else if (c == 'p') {
        putc_(r, '_');
    } else if (c == 'B') {
        backref(r, W_CONST, false, false);
    } else {
        r->bad = true;
    }
}

/* <fn-sig> = [<binder>] ["U"] ["K" <abi>] {<type>} "E" <type> */
WH_RT static void fn_sig(struct rv *r) {
    size_t bound = r->bound;
    binder(r);
    if (eat(r, 'U'))
        puts_(r, "unsafe ");
    if (eat(r, 'K')) {
        puts_(r, "extern \"");
        if (eat(r, 'C'))
            putc_(r, 'C');
        else {
            struct ident id = ident(r);
            for (size_t i = 0; i < id.len && !r->bad; i++) /* ("-" mangles as "_") */
                putc_(r, r->s[id.at + i] == '_' ? '-' : r->s[id.at + i]);
        }
        puts_(r, "\" ");
    }
    puts_(r, "fn(");
    for (size_t i = 0; !r->bad && !eat(r, 'E'); i++) {
        if (i)
            puts_(r, ", ");
        type(r);
    }
    putc_(r, ')');
    if (!eat(r, 'u')) { /* (a unit return type is not printed) */
        puts_(r, " -> ");
        type(r);
    }
    r->bound = bound;
}

/* <dyn-trait> = <path> {"p" <undisambiguated-identifier> <type>} */
WH_RT static void dyn_trait(struct rv *r) {
    bool open = path(r, true, true);
    while (!r->bad && eat(r, 'p')) {
        if (!open) {
            open = true;
            putc_(r, '<');
        } else
            puts_(r, ", ");
        putid(r, ident(r));
        puts_(r, " = ");
        type(r);
    }
    if (open)
        putc_(r, '>');
}

/* <dyn-bounds> = [<binder>] {<dyn-trait>} "E" */
WH_RT static void dyn_bounds(struct rv *r) {
    size_t bound = r->bound;
    puts_(r, "dyn ");
    binder(r);
    for (size_t i = 0; !r->bad && !eat(r, 'E'); i++) {
        if (i)
            puts_(r, " + ");
        dyn_trait(r);
    }
    r->bound = bound;
}

WH_RT static void type(struct rv *r) {
    if (!enter(r))
        return;
    size_t start = r->p;
    char c = next(r);
    const char *b = basic(c);
    if (b) {
        puts_(r, b);
        return;
    }
    uint64_t l;
    switch (c) {
    case 'A':
        putc_(r, '[');
        type(r);
        puts_(r, "; ");
        konst(r);
        putc_(r, ']');
        break;
    case 'S':
        putc_(r, '[');
        type(r);
        putc_(r, ']');
        break;
    case 'T': {
        putc_(r, '(');
        size_t i = 0;
        for (; !r->bad && !eat(r, 'E'); i++) {
            if (i)
                puts_(r, ", ");
            type(r);
        }
        if (i == 1)
            putc_(r, ',');
        putc_(r, ')');
        break;
    }
    case 'R':
    case 'Q':
        putc_(r, '&');
        if (eat(r, 'L') && (l = base62(r)) != 0) {
            lifetime(r, l);
            putc_(r, ' ');
        }
        if (c == 'Q')
            puts_(r, "mut ");
        type(r);
        break;
    case 'P':
        puts_(r, "*const ");
        type(r);
        break;
    case 'O':
        puts_(r, "*mut ");
        type(r);
        break;
    case 'F':
        fn_sig(r);
        break;
    case 'D':
        dyn_bounds(r);
        if (!eat(r, 'L'))
            r->bad = true;
        else if ((l = base62(r)) != 0) {
            puts_(r, " + ");
            lifetime(r, l);
        }
        break;
    case 'B':
        backref(r, W_TYPE, false, false);
        break;
    default:
        r->p = start;
        path(r, true, false);
    }
}

/* <generic-arg> = "L" <base62> | "K" <const> | <type> */
WH_RT static void generic_arg(struct rv *r) {
    if (eat(r, 'L'))
        lifetime(r, base62(r));
    else if (eat(r, 'K'))
        konst(r);
    else
        type(r);
}

/* <impl-path> = [<disambiguator>] <path>: read, never printed. */
WH_RT static void impl_path(struct rv *r, bool in_type) {
    r->quiet++;
    tagged(r, 's');
    path(r, in_type, false);
    r->quiet--;
}

/* A path; in a type, generic arguments take no "::" before them.  With
 * leave_open, a path that ends in generic arguments leaves their ">" to the
 * caller (a dyn trait's associated types join them) and says so. */
WH_RT static bool path(struct rv *r, bool in_type, bool leave_open) {
    if (!enter(r))
        return false;
    char c = next(r);
    switch (c) {
    case 'C':
        tagged(r, 's');
        putid(r, ident(r));
        break;
    case 'M':
        impl_path(r, in_type);
        putc_(r, '<');
        type(r);
        putc_(r, '>');
        break;
    case 'X':
        impl_path(r, in_type);
        /* fall through */
    case 'Y':
        putc_(r, '<');
        type(r);
        puts_(r, " as ");
        path(r, true, false);
        putc_(r, '>');
        break;
    case 'N': {
        char ns = next(r);
        if (!lower(ns) && !upper(ns)) {
            r->bad = true;
            break;
        }
        path(r, in_type, false);
        uint64_t dis = tagged(r, 's');
        struct ident id = ident(r);
        if (upper(ns)) { /* closures, shims and the like */
            puts_(r, "::{");
            if (ns == 'C')
                puts_(r, "closure");
            else if (ns == 'S')
                puts_(r, "shim");
            else
                putc_(r, ns);
            if (id.len) {
                putc_(r, ':');
                putid(r, id);
            }
            putc_(r, '#');
            putdec(r, dis);
            putc_(r, '}');
        } else if (id.len) {
            puts_(r, "::");
            putid(r, id);
        }
        break;
    }
    case 'I':
        path(r, in_type, false);
        if (!in_type)
            puts_(r, "::");
        putc_(r, '<');
        for (size_t i = 0; !r->bad && !eat(r, 'E'); i++) {
            if (i)
                puts_(r, ", ");
            generic_arg(r);
        }
        if (leave_open)
            return !r->bad;
        putc_(r, '>');
        break;
    case 'B':
        return backref(r, W_PATH, in_type, leave_open);
    default:
        r->bad = true;
    }
    return false;
}

WH_RT size_t wh_rust_v0(const char *mangled, char *out, size_t cap, size_t *name_off,
                        size_t *name_len) {
    if (cap)
        out[0] = 0;
    if (cap < 2 || mangled[0] != '_' || mangled[1] != 'R')
        return 0;
    const char *s = mangled + 2;
    size_t n = 0, all;
    while (s[n] && s[n] != '.')
        n++;
    all = n;
    while (s[all])
        all++;
    struct rv r = {.s = s, .n = n, .out = out, .cap = cap,
                   .sp0 = (uintptr_t)__builtin_frame_address(0)};
    path(&r, false, false);
    if (r.p != n) { /* the instantiating crate: read, not printed */
        r.quiet++;
        path(&r, false, false);
        r.quiet--;
    }
    if (r.p != n)
        r.bad = true;
    size_t name = r.len;
    if (n != all) { /* a suffix (".llvm.123"): printed after the name */
        puts_(&r, " (");
        put(&r, s + n, all - n);
        putc_(&r, ')');
    }
    if (r.bad || r.len == 0) {
        out[0] = 0;
        return 0;
    }
    out[r.len] = 0;
    if (name_off)
        *name_off = 0;
    if (name_len)
        *name_len = name;
    return r.len;
}
