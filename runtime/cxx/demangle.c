/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * demangle.c - wh_demangle: Itanium C++ names as llvm-cxxfilt prints them,
 * for the frames of a crash report that only a symbol table names.  It
 * runs in the crash handler, on the signal stack, so it cannot be LLVM's
 * demangler (a node tree in allocated memory) nor __cxa_demangle (malloc).
 *
 * No tree.  The parser prints as it reads, and what a tree would be needed
 * for is read again from the mangled text instead: a substitution (S_,
 * S0_, ...) or template parameter (T_, ...) is remembered as the offset of
 * the text it stands for and parsed again, printing, where it is used; a
 * declarator whose parts print on both sides of what encloses it (int
 * (*)[4], void (A::*)(int)) is parsed once for its left part and again for
 * its right; a function template's return type, printed before the name
 * that precedes it in the mangling, is printed after it and the two are
 * swapped in place.  State is a fixed table of substitution candidates and
 * template arguments (16-bit offsets) in wh_demangle's frame.
 *
 * Bounded.  Parsing again means work can grow with each reference: 24
 * nested std::vector<T> mangle in 284 bytes and print 570 MB.  The output
 * is capped (the caller's buffer), so is the recursion (by the stack it has
 * used, MAX_STACK, which no depth count could promise: frames differ by
 * compiler and target) and the total work (MAX_WORK parse steps and output
 * bytes): past any of them the name is "not supported" and the caller
 * prints it mangled.
 *
 * Never a wrong name.  Reading again is only right when the text means
 * what it meant the first time.  A template parameter's meaning depends on
 * the template argument list in force (an encoding's name's last one; a
 * local entity's own), so every list is kept, with an id, for the whole
 * parse; each candidate remembers the list it was read under and is read
 * again under it.  A nested name's prefix whose parameters were read under
 * an earlier list of the same name is marked and never read again (the
 * name is given up).  What is not implemented
 * (expressions and decltype, floating-point literals, vendor qualifiers,
 * modules, lambdas with explicit template parameters, requires-clauses, a
 * pack expansion that names no pack) fails the same way.  The printing
 * rules (spacing, "'lambda'(int)", "(anonymous namespace)", references
 * collapsing through template arguments, empty packs dropping their comma)
 * are LLVM 19's, checked against llvm-cxxfilt on every C++ symbol of
 * libstdc++ and libLLVM (lit/tools/demangle-corpus.c).  One name LLVM 19
 * fails on reads as the plugin reads it: a conversion operator's type with
 * a substitution with arguments inside its own template arguments
 * ("operator std::string", targs).
 */
#include "../attrs.h"
#include "demangle.h"

#include <stdbool.h>
#include <stdint.h>

/* (inlined or not for the stack each nesting level takes) */
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Stack the nested parses may take below wh_demangle's frame, its table
 * included (the runtime builds this file optimized whatever the build
 * type; a sanitizer's frames are several times larger). */
#ifndef WH_DEMANGLE_STACK
#if defined(WH_SANITIZED) || (defined(__has_feature) && __has_feature(undefined_behavior_sanitizer))
#define WH_DEMANGLE_STACK (4 * 2560)
#elif defined(__aarch64__)
#define WH_DEMANGLE_STACK 3072 /* (frames of 16-byte-aligned register pairs) */
#else
#define WH_DEMANGLE_STACK 2560
#endif
#endif

enum {
    MAX_SUBS = 56,
    MAX_TARGS = 40,
    MAX_GENS = 127,
    MAX_STACK = WH_DEMANGLE_STACK,
    MAX_WORK = 1 << 17,
    MAX_MANGLED = 65535,
};

/* Which part of a type to print: a declarator's right part (an array's
 * bounds, a function's parameters) follows whatever encloses it. */
enum side { FULL, LEFT, RIGHT };
/* What a substitution candidate is read as again: a type, or the first n
 * components of a nested name; K_LAMBDA: read inside a lambda's parameter
 * list, where a template parameter means "auto"; K_MIXED: its template
 * parameters were read under more than one argument list (not read again). */
enum { K_TYPE = 0, K_PREFIX = 1, K_LAMBDA = 2, K_MIXED = 4 };
/* A type's properties that decide its enclosing declarator's parentheses. */
#define FUNC_D(q) ((q)[1] == 'o' || (q)[1] == 'O' || (q)[1] == 'w' || (q)[1] == 'x')
enum { P_RHS = 1, P_ARRAY = 2, P_FUNC = 4 };
#define NO_PACK 0xffffu
#define NO_NAME 0xffffu

/* What the name of an encoding tells its function type. */
struct ninfo {
    uint8_t cv, ref;
    bool targs; /* ends in template arguments: a return type is mangled */
    bool cdc;   /* a constructor, destructor or conversion: no return type */
};

struct dm {
    const char *s, *p; /* the mangled name, the parse position */
    char *out;
    uint16_t cap, len;
    uint16_t noff, nlen;        /* the function's name in out */
    uint16_t base_len;
    const char *base;           /* the last unqualified name (a ctor's) */
    uintptr_t sp0;              /* the stack at wh_demangle's frame */
    uint32_t work;
    uint16_t nsub;
    uint16_t ntarg;             /* template arguments, of all lists */
    uint8_t gen, gens;          /* the list in force; the last one made */
    uint16_t pack_idx, pack_max;
    uint8_t quiet, in_lambda, in_dp;
    bool rec;                   /* first reading: candidates are recorded */
    bool cv_ctx;                /* a conversion operator's type */
    /* ... outside its template arguments and substitutions, where an I
     * after a substitution may begin the operator's own arguments */
    bool cv_noargs;
    bool bad;                   /* out of room */
    bool want_base;             /* reading for a ctor's name: follow substitutions */
    uint16_t tp_count;          /* template parameters resolved */
    uint16_t spos[MAX_SUBS], send[MAX_SUBS];
    uint8_t sgen[MAX_SUBS], skind[MAX_SUBS];
    uint16_t tpos[MAX_TARGS];   /* an argument's text */
    uint8_t tgen[MAX_TARGS];    /* and its list */
    uint8_t glist[(MAX_GENS + 8) / 8]; /* lists made (else "none": no I...E yet) */
};

static bool type(struct dm *d, int side);
static bool name(struct dm *d, struct ninfo *ni);
static bool encoding(struct dm *d, bool top);
static bool targs(struct dm *d, bool tag);
static bool targ(struct dm *d, int side);
static bool prefix(struct dm *d, struct ninfo *ni, const char *stop);
static bool skip_type(struct dm *d);

/* ---- reading ---- */

/* p[k], or 0 when the name ends before it (never reads past the NUL). */
WH_RT static char la(const struct dm *d, unsigned k) {
    for (unsigned i = 0; i < k; i++)
        if (!d->p[i])
            return 0;
    return d->p[k];
}

WH_RT static bool eat(struct dm *d, char c) {
    if (*d->p != c || !c)
        return false;
    d->p++;
    return true;
}

WH_RT static bool eat2(struct dm *d, char a, char b) {
    if (d->p[0] != a || d->p[1] != b || !a)
        return false;
    d->p += 2;
    return true;
}

WH_RT static bool digit(char c) { return c >= '0' && c <= '9'; }

/* Decimal digits into *v (small: a longer one is no real name). */
WH_RT static bool number(struct dm *d, size_t *v) {
    if (!digit(*d->p))
        return false;
    size_t n = 0;
    while (digit(*d->p)) {
        n = n * 10 + (size_t)(*d->p++ - '0');
        if (n > MAX_MANGLED)
            return false;
    }
    *v = n;
    return true;
}

/* [n] digits, skipped (the caller keeps where they start). */
WH_RT static bool snumber(struct dm *d, bool neg) {
    if (neg)
        eat(d, 'n');
    if (!digit(*d->p))
        return false;
    while (digit(*d->p))
        d->p++;
    return true;
}

/* Each nested parse checks the stack used so far, which bounds the
 * recursion (frames differ in size by compiler and architecture: a depth
 * count could not promise a stack size). */
WH_RT static inline bool enter(struct dm *d) {
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    return ++d->work <= MAX_WORK && d->sp0 - sp <= MAX_STACK;
}

/* ---- printing ---- */

WH_RT static void put(struct dm *d, const char *s, size_t n) {
    if (d->quiet)
        return;
    d->work += (uint32_t)n;
    if (n >= d->cap - d->len || d->work > MAX_WORK) {
        d->bad = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        d->out[d->len++] = s[i];
}

WH_RT static void puts_(struct dm *d, const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    put(d, s, n);
}

WH_RT static char back(const struct dm *d) { return d->len ? d->out[d->len - 1] : 0; }

WH_RT static void reverse(char *a, size_t n) {
    for (size_t i = 0; i < n / 2; i++) {
        char t = a[i];
        a[i] = a[n - 1 - i];
        a[n - 1 - i] = t;
    }
}

/* out[from, mid) and out[mid, len) trade places. */
WH_RT static NOINLINE void rotate(struct dm *d, size_t from, size_t mid) {
    if (d->quiet || d->bad)
        return;
    reverse(d->out + from, mid - from);
    reverse(d->out + mid, d->len - mid);
    reverse(d->out + from, d->len - from);
}

/* ", " before each element that prints something: an empty pack's
 * element takes its comma back. */
struct comma {
    size_t before;
    bool first;
};
WH_RT static void comma_pre(struct dm *d, struct comma *c) {
    c->before = d->len;
    if (!c->first)
        put(d, ", ", 2);
}
WH_RT static void comma_post(struct dm *d, struct comma *c, size_t after) {
    if (d->quiet)
        return;
    if (d->len == after)
        d->len = (uint16_t)c->before;
    else
        c->first = false;
}

/* ---- substitutions and template parameters ---- */

static const char sp_code[] = "absiod";
static const char *const sp_short[] = {"std::allocator", "std::basic_string", "std::string",
                                       "std::istream",   "std::ostream",      "std::iostream"};
static const char *const sp_long[] = {
    "std::allocator",
    "std::basic_string",
    "std::basic_string<char, std::char_traits<char>, std::allocator<char>>",
    "std::basic_istream<char, std::char_traits<char>>",
    "std::basic_ostream<char, std::char_traits<char>>",
    "std::basic_iostream<char, std::char_traits<char>>"};
static const char *const sp_base[] = {"allocator",     "basic_string",  "basic_string",
                                      "basic_istream", "basic_ostream", "basic_iostream"};
/* (the base name of an abbreviation not followed by a ctor: LLVM drops
 * "basic_" from those that name an instantiation) */
static const char *const sp_sbase[] = {"allocator", "basic_string", "string",
                                       "istream",   "ostream",      "iostream"};

/* After 'S': a candidate's index (>= 0), or -2 - k for the abbreviation
 * sp_code[k], or -1. */
WH_RT static int subst(struct dm *d) {
    char c = *d->p;
    if (c >= 'a' && c <= 'z') {
        for (int k = 0; sp_code[k]; k++)
            if (sp_code[k] == c) {
                d->p++;
                /* (an abbreviation with ABI tags is a candidate of its own) */
                return *d->p == 'B' ? -1 : -2 - k;
            }
        return -1;
    }
    if (eat(d, '_'))
        return d->nsub ? 0 : -1;
    size_t id = 0;
    if (!digit(c) && !(c >= 'A' && c <= 'Z'))
        return -1;
    while (digit(*d->p) || (*d->p >= 'A' && *d->p <= 'Z')) {
        id = id * 36 + (size_t)(digit(*d->p) ? *d->p - '0' : *d->p - 'A' + 10);
        d->p++;
        if (id > MAX_SUBS)
            return -1;
    }
    if (!eat(d, '_') || id + 1 >= d->nsub)
        return -1;
    return (int)id + 1;
}

/* Records the candidate [from, p), read again under the list in force now
 * (K_MIXED: a nested name's prefix whose template parameters were read
 * under an earlier list of its own). */
WH_RT static bool push(struct dm *d, const char *from, int kind) {
    if (!d->rec)
        return true;
    if (d->nsub >= MAX_SUBS)
        return false;
    unsigned i = d->nsub++;
    d->spos[i] = (uint16_t)(from - d->s);
    d->send[i] = (uint16_t)(d->p - d->s);
    d->sgen[i] = d->gen;
    d->skind[i] = (uint8_t)(kind | (d->in_lambda ? K_LAMBDA : 0));
    return true;
}

/* The context a text is read again in. */
struct ctx {
    const char *p;
    uint8_t gen;
    bool rec;
    bool cv_noargs;
    uint8_t in_lambda;
};
WH_RT static struct ctx save(const struct dm *d) {
    return (struct ctx){d->p, d->gen, d->rec, d->cv_noargs, d->in_lambda};
}
WH_RT static void restore(struct dm *d, struct ctx c) {
    d->p = c.p;
    d->gen = c.gen;
    d->rec = c.rec;
    d->cv_noargs = c.cv_noargs;
    d->in_lambda = c.in_lambda;
}
/* Read candidate i from now on (its text, under its argument list). */
WH_RT static bool enter_sub(struct dm *d, unsigned i) {
    d->p = d->s + d->spos[i];
    d->rec = false;
    /* (its text ends where it was recorded: nothing there is ambiguous) */
    d->cv_noargs = false;
    d->gen = d->sgen[i];
    d->in_lambda = (d->skind[i] & K_LAMBDA) ? 1 : 0;
    return !(d->skind[i] & K_MIXED);
}

/* Prints candidate i. */
WH_RT static ALWAYS_INLINE bool resub(struct dm *d, unsigned i, int side) {
    if (d->quiet || (side == RIGHT && (d->skind[i] & K_PREFIX)))
        return true;
    struct ctx c = save(d);
    const char *end = d->s + d->send[i];
    bool ok = enter_sub(d, i) && ((d->skind[i] & K_PREFIX) ? prefix(d, NULL, end) : type(d, side));
    ok = ok && d->p == end;
    restore(d, c);
    return ok;
}

/* After 'T': the parameter's index; false for TL (levels) or malformed. */
WH_RT static bool tindex(struct dm *d, size_t *idx) {
    if (eat(d, '_')) {
        *idx = 0;
        return true;
    }
    size_t n;
    if (!number(d, &n) || !eat(d, '_'))
        return false;
    *idx = n + 1;
    return true;
}

WH_RT static bool has_list(const struct dm *d) {
    return d->glist[d->gen >> 3] & (1u << (d->gen & 7));
}

/* The template argument a parameter stands for in the list in force: its
 * text, or NULL. */
WH_RT static const char *tresolve(struct dm *d, size_t idx) {
    if (d->cv_ctx || !has_list(d))
        return NULL;
    for (unsigned j = 0; j < d->ntarg; j++)
        if (d->tgen[j] == d->gen && idx-- == 0) {
            /* (a count that wraps could hide a mixed candidate) */
            if (++d->tp_count == 0xffff)
                return NULL;
            return d->s + d->tpos[j];
        }
    return NULL;
}

/* A template argument that is a type: a parameter used as a type must
 * name one (LLVM would print a literal or an encoding there with a type's
 * declarator rules of its own). */
WH_RT static bool is_type_arg(const char *a) {
    if (a[0] == 'T')
        return a[1] != 'y' && a[1] != 'p' && a[1] != 't' && a[1] != 'n' && a[1] != 'k';
    return a[0] != 'L' && a[0] != 'X' && a[0] != 'J';
}

/* Element k of the pack "J...E" at q: *elem its text (NULL past the end),
 * *n how many there are. */
WH_RT static NOINLINE bool pack_elem(struct dm *d, const char *q, unsigned k, const char **elem,
                            unsigned *n) {
    struct ctx c = save(d);
    d->p = q + 1;
    d->rec = false;
    d->quiet++;
    const char *hit = NULL;
    unsigned i = 0;
    bool ok = true;
    while (ok && *d->p != 'E') {
        if (i == k)
            hit = d->p;
        ok = targ(d, FULL);
        i++;
    }
    d->quiet--;
    restore(d, c);
    *n = i;
    *elem = hit;
    return ok;
}

/* A pack met by a template parameter inside a pack expansion starts the
 * expansion's count; outside one, it is not supported. */
WH_RT static NOINLINE bool pack_enter(struct dm *d, const char *q, const char **elem) {
    unsigned n = 0;
    if (!d->in_dp)
        return false;
    if (d->pack_max == NO_PACK) {
        if (!pack_elem(d, q, 0, elem, &n))
            return false;
        d->pack_max = (uint16_t)n;
        d->pack_idx = 0;
    }
    return pack_elem(d, q, d->pack_idx, elem, &n);
}

/* Properties of the type at q (read in the current context). */
WH_RT static NOINLINE int props(struct dm *d, const char *q) {
    struct ctx c = save(d);
    int mask = P_RHS | P_ARRAY | P_FUNC, r = 0;
    for (int guard = 0;; guard++) {
        if (guard > 64 || ++d->work > MAX_WORK) {
            r = -1;
            break;
        }
        d->p = q;
        char c0 = q[0];
        if (c0 == 'r' || c0 == 'V' || c0 == 'K') {
            while (*q == 'r' || *q == 'V' || *q == 'K')
                q++;
            if (*q == 'F' || (*q == 'D' && FUNC_D(q))) {
                r = P_RHS | P_FUNC;
                break;
            }
            continue;
        }
        if (c0 == 'P' || c0 == 'R' || c0 == 'O') {
            mask &= P_RHS;
            q++;
            continue;
        }
        if (c0 == 'M') {
            d->p = q + 1;
            d->rec = false;
            d->quiet++;
            bool ok = type(d, FULL);
            d->quiet--;
            if (!ok) {
                r = -1;
                break;
            }
            q = d->p;
            mask &= P_RHS;
            continue;
        }
        if (c0 == 'A') {
            r = P_RHS | P_ARRAY;
            break;
        }
        if (c0 == 'F' || (c0 == 'D' && FUNC_D(q))) {
            r = P_RHS | P_FUNC;
            break;
        }
        if (c0 == 'S' && q[1] != 't') {
            d->p = q + 1;
            int i = subst(d);
            if (i == -1) {
                r = -1;
                break;
            }
            if (i < 0 || *d->p == 'I' || (d->skind[i] & K_PREFIX))
                break;
            if (!enter_sub(d, (unsigned)i)) {
                r = -1;
                break;
            }
            q = d->p;
            continue;
        }
        if (c0 == 'T' && q[1] != 's' && q[1] != 'u' && q[1] != 'e') {
            d->p = q + 1;
            size_t idx;
            if (!tindex(d, &idx)) {
                r = -1;
                break;
            }
            if (*d->p == 'I' || d->in_lambda)
                break;
            const char *a = tresolve(d, idx);
            if (!a) {
                r = -1;
                break;
            }
            if (*a == 'J') {
                if (d->pack_max == NO_PACK) {
                    r = -1;
                    break;
                }
                unsigned n;
                if (!pack_elem(d, a, d->pack_idx, &a, &n)) {
                    r = -1;
                    break;
                }
                if (!a)
                    break;
            }
            if (!is_type_arg(a)) {
                r = -1;
                break;
            }
            d->rec = false;
            q = a;
            continue;
        }
        break;
    }
    restore(d, c);
    return r < 0 ? -1 : r & mask;
}

/* ---- names ---- */

/* A new template argument list in force (list: an I...E; else none,
 * which a generic lambda's "auto" parameters need).  Lists are never
 * reused on a first reading: a candidate read under one may be read again
 * after it is no longer in force. */
WH_RT static bool new_gen(struct dm *d, bool list) {
    if (d->gens == MAX_GENS)
        return false;
    d->gen = ++d->gens;
    if (list)
        d->glist[d->gen >> 3] |= (uint8_t)(1u << (d->gen & 7));
    else
        d->glist[d->gen >> 3] &= (uint8_t)~(1u << (d->gen & 7));
    return true;
}

struct frame {
    uint16_t ntarg;
    uint8_t gen, gens, in_lambda;
};
/* An encoding and a local entity start with no template arguments of
 * their own (LLVM's SaveTemplateParams).  Reading again, what they made
 * is dropped after them: no candidate can refer to it. */
WH_RT static bool frame_push(struct dm *d, struct frame *f) {
    *f = (struct frame){d->ntarg, d->gen, d->gens, d->in_lambda};
    d->in_lambda = 0;
    return new_gen(d, false);
}
WH_RT static void frame_pop(struct dm *d, const struct frame *f) {
    d->gen = f->gen;
    d->in_lambda = f->in_lambda;
    if (!d->rec) {
        d->ntarg = f->ntarg;
        d->gens = f->gens;
    }
}

struct opname {
    char code[2];
    const char *name;
};
static const struct opname ops[] = {
    {"aN", "operator&="}, {"aS", "operator="},   {"aa", "operator&&"},  {"ad", "operator&"},
    {"an", "operator&"},  {"aw", "operator co_await"}, {"cl", "operator()"}, {"cm", "operator,"},
    {"co", "operator~"},  {"dV", "operator/="},  {"da", "operator delete[]"}, {"de", "operator*"},
    {"dl", "operator delete"}, {"dv", "operator/"}, {"eO", "operator^="}, {"eo", "operator^"},
    {"eq", "operator=="}, {"ge", "operator>="},  {"gt", "operator>"},   {"ix", "operator[]"},
    {"lS", "operator<<="}, {"le", "operator<="}, {"ls", "operator<<"},  {"lt", "operator<"},
    {"mI", "operator-="}, {"mL", "operator*="},  {"mi", "operator-"},   {"ml", "operator*"},
    {"mm", "operator--"}, {"na", "operator new[]"}, {"ne", "operator!="}, {"ng", "operator-"},
    {"nt", "operator!"},  {"nw", "operator new"}, {"oR", "operator|="},  {"oo", "operator||"},
    {"or", "operator|"},  {"pL", "operator+="},  {"pl", "operator+"},   {"pp", "operator++"},
    {"ps", "operator+"},  {"pt", "operator->"},  {"qu", "operator?"},   {"rM", "operator%="},
    {"rS", "operator>>="}, {"rm", "operator%"},  {"rs", "operator>>"},  {"ss", "operator<=>"},
};

WH_RT static NOINLINE bool source_name(struct dm *d, const char **b, size_t *bl) {
    size_t n;
    if (!number(d, &n) || n == 0)
        return false;
    const char *q = d->p;
    for (size_t i = 0; i < n; i++)
        if (!q[i])
            return false;
    d->p += n;
    static const char anon[] = "_GLOBAL__N";
    size_t k = 0;
    while (k < sizeof anon - 1 && k < n && q[k] == anon[k])
        k++;
    if (k == sizeof anon - 1) {
        *b = "(anonymous namespace)";
        *bl = sizeof "(anonymous namespace)" - 1;
    } else {
        *b = q;
        *bl = n;
    }
    put(d, *b, *bl);
    return true;
}

/* Parameter types, comma-separated, until 'E' (or 'Q'): a lambda's. */
WH_RT static NOINLINE bool lambda_params(struct dm *d) {
    struct comma c = {0, true};
    if (eat(d, 'v'))
        return true;
    do {
        comma_pre(d, &c);
        size_t after = d->len;
        if (!type(d, FULL))
            return false;
        comma_post(d, &c, after);
    } while (*d->p && *d->p != 'E' && *d->p != 'Q');
    return true;
}

/* Ut [n] _ and Ul <params> E [n] _ */
WH_RT static NOINLINE bool unnamed(struct dm *d, struct ninfo *ni) {
    if (ni) {
        /* (their template parameters refer to their own arguments only) */
        if (!new_gen(d, false))
            return false;
    }
    if (eat2(d, 'U', 't')) {
        const char *n = d->p;
        snumber(d, false);
        size_t nl = (size_t)(d->p - n);
        if (!eat(d, '_'))
            return false;
        puts_(d, "'unnamed");
        put(d, n, nl);
        put(d, "'", 1);
        return true;
    }
    if (!eat2(d, 'U', 'l'))
        return false;
    if (*d->p == 'T' && la(d, 1) && (d->p[1] == 'y' || d->p[1] == 'p' || d->p[1] == 't' ||
                                     d->p[1] == 'n' || d->p[1] == 'k'))
        return false;
    const char *params = d->p;
    d->in_lambda++;
    d->quiet++;
    bool ok = lambda_params(d);
    d->quiet--;
    d->in_lambda--;
    if (!ok || !eat(d, 'E'))
        return false;
    const char *n = d->p;
    snumber(d, false);
    size_t nl = (size_t)(d->p - n);
    if (!eat(d, '_'))
        return false;
    const char *end = d->p;
    puts_(d, "'lambda");
    put(d, n, nl);
    puts_(d, "'(");
    if (!d->quiet) {
        struct ctx c = save(d);
        d->p = params;
        d->rec = false;
        d->in_lambda++;
        ok = lambda_params(d);
        restore(d, c);
        if (!ok)
            return false;
    }
    put(d, ")", 1);
    d->p = end;
    return true;
}

WH_RT static NOINLINE bool operator_name(struct dm *d, struct ninfo *ni) {
    if (eat2(d, 'c', 'v')) {
        puts_(d, "operator ");
        bool cv = d->cv_ctx, cvn = d->cv_noargs;
        d->cv_ctx = d->cv_noargs = true;
        bool ok = type(d, FULL);
        d->cv_ctx = cv;
        d->cv_noargs = cvn;
        if (ni)
            ni->cdc = true;
        return ok;
    }
    if (eat2(d, 'l', 'i')) {
        const char *b;
        size_t bl;
        puts_(d, "operator\"\" ");
        return source_name(d, &b, &bl);
    }
    if (!la(d, 1))
        return false;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].code[0] == d->p[0] && ops[i].code[1] == d->p[1]) {
            d->p += 2;
            puts_(d, ops[i].name);
            return true;
        }
    return false;
}

/* One unqualified name; bp: the enclosing class's name, for a ctor or dtor
 * (NULL where none may follow). */
WH_RT static NOINLINE bool unqualified(struct dm *d, struct ninfo *ni, const char *bp, size_t bl) {
    const char *b = NULL;
    size_t blen = 0;
    if (*d->p == 'W' || *d->p == 'F')
        return false;
    eat(d, 'L');
    char c = *d->p;
    bool ok;
    if (c >= '1' && c <= '9') {
        ok = source_name(d, &b, &blen);
    } else if (c == 'U') {
        ok = unnamed(d, ni);
    } else if (c == 'C' || c == 'D') {
        if (!bp)
            return false;
        if (c == 'C') {
            char v = la(d, 1);
            if (v < '1' || v > '5')
                return false;
        } else {
            char v = la(d, 1);
            if (v != '0' && v != '1' && v != '2' && v != '4' && v != '5')
                return false;
            put(d, "~", 1);
        }
        d->p += 2;
        put(d, bp, bl);
        if (ni)
            ni->cdc = true;
        ok = true;
    } else {
        ok = operator_name(d, ni);
    }
    if (!ok)
        return false;
    while (eat(d, 'B')) {
        size_t n;
        if (!number(d, &n) || n == 0)
            return false;
        for (size_t i = 0; i < n; i++)
            if (!d->p[i])
                return false;
        puts_(d, "[abi:");
        put(d, d->p, n);
        put(d, "]", 1);
        d->p += n;
    }
    d->base = b;
    d->base_len = (uint16_t)blen;
    return true;
}

WH_RT static void set_base(struct dm *d, const char *b) {
    d->base = b;
    d->base_len = 0;
    while (b[d->base_len])
        d->base_len++;
}

/* The unqualified name candidate i ends in (for a ctor named after it). */
WH_RT static NOINLINE void sub_base(struct dm *d, unsigned i) {
    d->base = NULL;
    char c0 = d->s[d->spos[i]];
    if (!(d->skind[i] & K_PREFIX) && c0 != 'N' && c0 != 'Z' && c0 != 'S' && !digit(c0))
        return; /* (no name: LLVM's ctor would be nameless) */
    struct ctx c = save(d);
    bool wb = d->want_base;
    bool ok = enter_sub(d, i);
    d->quiet++;
    d->want_base = true;
    const char *end = d->s + d->send[i];
    ok = ok && ((d->skind[i] & K_PREFIX) ? prefix(d, NULL, end) : type(d, FULL));
    d->want_base = wb;
    d->quiet--;
    restore(d, c);
    if (!ok)
        d->base = NULL;
}

/* The components of a nested name, "::" between them, until 'E' (stop
 * NULL: the name's own; its candidates are recorded) or stop (a
 * candidate's prefix read again). */
WH_RT static bool prefix(struct dm *d, struct ninfo *ni, const char *stop) {
    /* (prefixes read again nest through substitutions without a type
     * between them) */
    if (!enter(d))
        return false;
    const char *first = d->p, *bp = NULL;
    size_t bl = 0;
    /* (a name-level argument list inside the name changes the list in
     * force: a prefix read before it with template parameters is mixed) */
    uint16_t tp0 = d->tp_count;
    uint8_t g0 = d->gen;
    bool have = false, last_targs = false;
    for (;;) {
        if (stop ? d->p >= stop : eat(d, 'E'))
            break;
        if (!*d->p)
            return false;
        char c = *d->p;
        bool is_targs = false;
        if (ni)
            ni->targs = false;
        if (c == 'T') {
            if (have)
                return false;
            d->p++;
            size_t idx;
            if (!tindex(d, &idx))
                return false;
            const char *a = tresolve(d, idx);
            /* (a nested name that is one substitution or template
             * parameter is that node itself to LLVM, a function type's
             * declarator and all: no name, and no valid mangling) */
            if (!a || *a == 'J' || (!stop && *d->p == 'E'))
                return false;
            if (!d->quiet) {
                struct ctx cx = save(d);
                d->p = a;
                d->rec = false;
                bool ok = targ(d, FULL);
                restore(d, cx);
                if (!ok)
                    return false;
            }
            bp = NULL;
        } else if (c == 'I') {
            if (!have || last_targs)
                return false;
            if (!targs(d, ni != NULL))
                return false;
            if (ni)
                ni->targs = true;
            is_targs = true;
        } else if (c == 'D' && (la(d, 1) == 't' || la(d, 1) == 'T')) {
            return false;
        } else if (c == 'S' && la(d, 1) == 't') {
            if (have)
                return false;
            d->p += 2;
            puts_(d, "std");
            bp = NULL;
            have = true;
            continue;
        } else if (c == 'S') {
            if (have)
                return false;
            d->p++;
            int i = subst(d);
            if (i == -1 || (!stop && *d->p == 'E'))
                return false;
            if (i < -1) {
                int k = -2 - i;
                char n0 = d->p[0], n1 = n0 ? d->p[1] : 0;
                bool ctor = (n0 == 'C' && n1 >= '1' && n1 <= '5') ||
                            (n0 == 'D' && (n1 == '0' || n1 == '1' || n1 == '2' || n1 == '4' ||
                                           n1 == '5'));
                puts_(d, ctor ? sp_long[k] : sp_short[k]);
                bp = ctor ? sp_base[k] : sp_sbase[k];
                bl = 0;
                while (bp[bl])
                    bl++;
            } else {
                if (!resub(d, (unsigned)i, FULL))
                    return false;
                sub_base(d, (unsigned)i);
                bp = d->base;
                bl = d->base_len;
            }
            have = true;
            last_targs = false;
            continue;
        } else {
            if (have)
                put(d, "::", 2);
            if (!unqualified(d, ni, bp, bl))
                return false;
            bp = d->base;
            bl = d->base_len;
        }
        have = true;
        last_targs = is_targs;
        if (!push(d, first, K_PREFIX | (tp0 != d->tp_count && g0 != d->gen ? K_MIXED : 0)))
            return false;
        eat(d, 'M');
    }
    if (!have)
        return false;
    if (!stop && d->rec) {
        /* (the whole name is no candidate of its own: a type's is added
         * as a type) */
        if (!d->nsub)
            return false;
        d->nsub--;
    }
    d->base = bp;
    d->base_len = (uint16_t)bl;
    return true;
}

WH_RT static NOINLINE bool nested(struct dm *d, struct ninfo *ni) {
    if (!eat(d, 'N') || *d->p == 'H')
        return false;
    uint8_t cv = 0, ref = 0;
    if (eat(d, 'r'))
        cv |= 4;
    if (eat(d, 'V'))
        cv |= 2;
    if (eat(d, 'K'))
        cv |= 1;
    if (eat(d, 'O'))
        ref = 2;
    else if (eat(d, 'R'))
        ref = 1;
    if (ni) {
        ni->cv = cv;
        ni->ref = ref;
    }
    return prefix(d, ni, NULL);
}

/* A discriminator: _ digit, __ digits _, or digits that end the name. */
WH_RT static void discriminator(struct dm *d) {
    const char *q = d->p;
    if (q[0] == '_') {
        if (digit(q[1]))
            d->p = q + 2;
        else if (q[1] == '_') {
            const char *t = q + 2;
            while (digit(*t))
                t++;
            if (*t == '_')
                d->p = t + 1;
        }
    } else if (digit(q[0])) {
        const char *t = q + 1;
        while (digit(*t))
            t++;
        if (!*t)
            d->p = t;
    }
}

WH_RT static NOINLINE bool local(struct dm *d, struct ninfo *ni) {
    if (!eat(d, 'Z') || !encoding(d, false) || !eat(d, 'E'))
        return false;
    put(d, "::", 2);
    if (eat(d, 's')) {
        discriminator(d);
        puts_(d, "string literal");
        return true;
    }
    struct frame f;
    if (!frame_push(d, &f))
        return false;
    bool ok;
    if (eat(d, 'd')) {
        ok = (eat(d, '_') || (snumber(d, true) && eat(d, '_'))) && name(d, ni);
    } else {
        ok = name(d, ni);
        discriminator(d);
    }
    const char *b = d->base;
    size_t bl = d->base_len;
    frame_pop(d, &f);
    d->base = b;
    d->base_len = (uint16_t)bl;
    return ok;
}

WH_RT static ALWAYS_INLINE bool name(struct dm *d, struct ninfo *ni) {
    if (!enter(d))
        return false;
    if (*d->p == 'N')
        return nested(d, ni);
    if (*d->p == 'Z')
        return local(d, ni);
    const char *start = d->p;
    bool is_sub = false;
    if (eat2(d, 'S', 't')) {
        puts_(d, "std::");
        if (!unqualified(d, ni, NULL, 0))
            return false;
    } else if (eat(d, 'S')) {
        int i = subst(d);
        if (i == -1 || *d->p != 'I')
            return false;
        if (i < -1) {
            puts_(d, sp_short[-2 - i]);
            set_base(d, sp_sbase[-2 - i]);
        } else {
            if (!resub(d, (unsigned)i, FULL))
                return false;
            sub_base(d, (unsigned)i);
        }
        is_sub = true;
    } else if (!unqualified(d, ni, NULL, 0)) {
        return false;
    }
    if (*d->p == 'I') {
        const char *b = d->base;
        size_t bl = d->base_len;
        if (!is_sub && !push(d, start, K_PREFIX))
            return false;
        if (!targs(d, ni != NULL))
            return false;
        if (ni)
            ni->targs = true;
        d->base = b;
        d->base_len = (uint16_t)bl;
    }
    return true;
}

/* ---- template arguments ---- */

/* L <literal> E */
WH_RT static NOINLINE bool literal(struct dm *d, int side) {
    if (!eat(d, 'L'))
        return false;
    if (side == RIGHT)
        d->quiet++;
    bool ok = false;
    char c = *d->p;
    static const char casts[] = "wcahstno";
    static const char *const cast_names[] = {"wchar_t",        "char",     "signed char",
                                             "unsigned char",  "short",    "unsigned short",
                                             "__int128",       "unsigned __int128"};
    static const char sufs[] = "ijlmxy";
    static const char *const suf_names[] = {"", "u", "l", "ul", "ll", "ull"};
    if (c == 'b') {
        if (eat2(d, 'b', '0'))
            puts_(d, "false"), ok = true;
        else if (eat2(d, 'b', '1'))
            puts_(d, "true"), ok = true;
        ok = ok && eat(d, 'E');
    } else if (c == '_' && la(d, 1) == 'Z') {
        d->p += 2;
        ok = encoding(d, false) && eat(d, 'E');
    } else if (c == 'D' && la(d, 1) == 'n') {
        d->p += 2;
        eat(d, '0');
        ok = eat(d, 'E');
        if (ok)
            puts_(d, "nullptr");
    } else if (c) {
        const char *cc = NULL;
        for (int k = 0; casts[k]; k++)
            if (casts[k] == c)
                cc = cast_names[k];
        const char *suf = NULL;
        for (int k = 0; sufs[k]; k++)
            if (sufs[k] == c)
                suf = suf_names[k];
        if (cc || suf) {
            d->p++;
            if (cc) {
                put(d, "(", 1);
                puts_(d, cc);
                put(d, ")", 1);
            }
        } else if (c == 'f' || c == 'd' || c == 'e' || c == 'A' || c == 'T' || c == 'U' ||
                   c == '_' || c == 'D') {
            ok = false;
            goto out;
        } else {
            /* an enumerator: (type)value */
            put(d, "(", 1);
            if (!type(d, FULL))
                goto out;
            put(d, ")", 1);
        }
        const char *v = d->p;
        if (!snumber(d, true))
            goto out;
        if (*v == 'n') {
            put(d, "-", 1);
            v++;
        }
        put(d, v, (size_t)(d->p - v));
        if (suf)
            puts_(d, suf);
        ok = eat(d, 'E');
    }
out:
    if (side == RIGHT)
        d->quiet--;
    return ok;
}

WH_RT static bool targ(struct dm *d, int side) {
    if (!enter(d))
        return false;
    char c = *d->p;
    if (c == 'X') {
        /* the expressions that are a literal or a template parameter
         * (a non-type parameter's use: A<N> is mangled 1AIXT_EE) */
        d->p++;
        bool ok;
        if (*d->p == 'L') {
            ok = literal(d, side);
        } else if (*d->p == 'T' && !d->in_lambda) {
            d->p++;
            size_t idx;
            const char *a = tindex(d, &idx) ? tresolve(d, idx) : NULL;
            ok = a && *a != 'J';
            if (ok && !d->quiet) {
                struct ctx cx = save(d);
                d->p = a;
                d->rec = false;
                ok = targ(d, side);
                restore(d, cx);
            }
        } else {
            return false;
        }
        return ok && eat(d, 'E');
    }
    if (c == 'J') {
        d->p++;
        if (side == RIGHT)
            d->quiet++;
        struct comma cm = {0, true};
        bool ok = true;
        while (ok && !eat(d, 'E')) {
            if (!*d->p) {
                ok = false;
                break;
            }
            comma_pre(d, &cm);
            size_t after = d->len;
            ok = targ(d, FULL);
            comma_post(d, &cm, after);
        }
        if (side == RIGHT)
            d->quiet--;
        return ok;
    }
    if (c == 'L') {
        if (la(d, 1) == 'Z') {
            d->p += 2;
            if (side == RIGHT)
                d->quiet++;
            bool ok = encoding(d, false) && eat(d, 'E');
            if (side == RIGHT)
                d->quiet--;
            return ok;
        }
        return literal(d, side);
    }
    if (c == 'T' && la(d, 1) && (d->p[1] == 'y' || d->p[1] == 'p' || d->p[1] == 't' ||
                                 d->p[1] == 'n' || d->p[1] == 'k'))
        return false;
    return type(d, side);
}

/* I <arg>* E; tag: the arguments of the encoding's name, which its
 * template parameters refer to from now on. */
WH_RT static ALWAYS_INLINE bool targs_list(struct dm *d, bool tag) {
    uint8_t g = d->gen;
    if (tag) {
        if (!new_gen(d, true))
            return false;
        g = d->gen;
    }
    put(d, "<", 1);
    struct comma cm = {0, true};
    while (!eat(d, 'E')) {
        if (!*d->p || *d->p == 'Q')
            return false;
        /* (a parameter's declaration, typename or a non-type's type, is
         * not printed; the table holds the argument) */
        if (d->p[0] == 'T' && (d->p[1] == 'y' || d->p[1] == 'n')) {
            bool tn = d->p[1] == 'n';
            d->p += 2;
            if (tn && !skip_type(d))
                return false;
        }
        /* (an argument's own template parameters see only those before it) */
        uint16_t at = (uint16_t)(d->p - d->s);
        comma_pre(d, &cm);
        size_t after = d->len;
        if (!targ(d, FULL))
            return false;
        comma_post(d, &cm, after);
        if (tag) {
            if (d->ntarg >= MAX_TARGS)
                return false;
            d->tpos[d->ntarg] = at;
            d->tgen[d->ntarg++] = g;
        }
    }
    put(d, ">", 1);
    return true;
}

WH_RT static bool targs(struct dm *d, bool tag) {
    if (!eat(d, 'I'))
        return false;
    /* (in a conversion operator's type an I inside its arguments can only
     * begin arguments: LLVM's demangler fails there, "operator std::string";
     * the plugin reads such names the same way, passes/plugin.cpp) */
    bool cvn = d->cv_noargs;
    d->cv_noargs = false;
    bool ok = targs_list(d, tag);
    d->cv_noargs = cvn;
    return ok;
}

/* ---- types ---- */

static const char builtin_code[] = "vwbcahstijlmxynofdegz";
static const char *const builtin_names[] = {
    "void", "wchar_t", "bool", "char", "signed char", "unsigned char", "short",
    "unsigned short", "int", "unsigned int", "long", "unsigned long", "long long",
    "unsigned long long", "__int128", "unsigned __int128", "float", "double", "long double",
    "__float128", "..."};
static const char dbuiltin_code[] = "defhisuacn";
static const char *const dbuiltin_names[] = {"decimal64", "decimal128", "decimal32", "half",
                                             "char32_t", "char16_t", "char8_t", "auto",
                                             "decltype(auto)", "std::nullptr_t"};

WH_RT static NOINLINE void put_quals(struct dm *d, unsigned q) {
    if (q & 1)
        puts_(d, " const");
    if (q & 2)
        puts_(d, " volatile");
    if (q & 4)
        puts_(d, " restrict");
}

WH_RT static unsigned quals(struct dm *d) {
    unsigned q = 0;
    if (eat(d, 'r'))
        q |= 4;
    if (eat(d, 'V'))
        q |= 2;
    if (eat(d, 'K'))
        q |= 1;
    return q;
}

/* Skips a type without printing (its candidates recorded on a first
 * reading). */
WH_RT static NOINLINE bool skip_type(struct dm *d) {
    d->quiet++;
    bool ok = type(d, FULL);
    d->quiet--;
    return ok;
}

/* [quals] [Do] F [Y] <ret> <params> [R|O] E */
WH_RT static NOINLINE bool function_type(struct dm *d, int side) {
    unsigned q = quals(d);
    bool noexc = eat2(d, 'D', 'o');
    if (*d->p == 'D')
        return false; /* DO, Dw: expressions, types; Dx */
    if (!eat(d, 'F'))
        return false;
    eat(d, 'Y');
    const char *ret = d->p;
    if (side == LEFT) {
        if (!type(d, LEFT))
            return false;
        put(d, " ", 1);
        d->quiet++;
    } else if (!skip_type(d)) {
        return false;
    }
    if (side == RIGHT)
        put(d, "(", 1);
    struct comma cm = {0, true};
    unsigned ref = 0;
    bool ok = true;
    for (;;) {
        if (eat(d, 'E'))
            break;
        if (eat(d, 'v'))
            continue;
        if (eat2(d, 'R', 'E')) {
            ref = 1;
            break;
        }
        if (eat2(d, 'O', 'E')) {
            ref = 2;
            break;
        }
        if (!*d->p) {
            ok = false;
            break;
        }
        comma_pre(d, &cm);
        size_t after = d->len;
        if (!type(d, FULL)) {
            ok = false;
            break;
        }
        comma_post(d, &cm, after);
    }
    if (side == LEFT)
        d->quiet--;
    if (!ok)
        return false;
    if (side == RIGHT) {
        put(d, ")", 1);
        if (!d->quiet) {
            struct ctx c = save(d);
            d->p = ret;
            d->rec = false;
            ok = type(d, RIGHT);
            restore(d, c);
            if (!ok)
                return false;
        }
        put_quals(d, q);
        if (ref)
            puts_(d, ref == 1 ? " &" : " &&");
        if (noexc)
            puts_(d, " noexcept");
    }
    return true;
}

/* A declarator that points (*, &, &&) printed around its pointee, whose
 * properties are pr (props): on the left after the pointee's left side, a
 * space before an array's parenthesis and the parenthesis around an array's
 * or a function's declarator, then the mark; on the right, the closing
 * parenthesis and the pointee's right side. */
static ALWAYS_INLINE void decl_left(struct dm *d, int pr, const char *mark) {
    if (pr & P_ARRAY)
        put(d, " ", 1);
    if (pr & (P_ARRAY | P_FUNC))
        put(d, "(", 1);
    puts_(d, mark);
}
static ALWAYS_INLINE bool decl_right(struct dm *d, int pr) {
    if (pr & (P_ARRAY | P_FUNC))
        put(d, ")", 1);
    return type(d, RIGHT);
}

/* What a reference to the type at x finally refers to, references
 * collapsing through substitutions and template arguments (T& && is T&):
 * NULL when x is no reference at all; *kind 1 (&) or 2 (&&); the context
 * to read it in is left in d. */
WH_RT static NOINLINE const char *collapse(struct dm *d, const char *x, int *kind) {
    const char *q = x;
    bool moved = false;
    for (int guard = 0; guard < 64; guard++) {
        if (*q == 'R' || *q == 'O') {
            if (*q == 'R')
                *kind = 1;
            q++;
            moved = true;
            continue;
        }
        if (*q == 'S' && q[1] != 't') {
            d->p = q + 1;
            int i = subst(d);
            if (i < 0 || *d->p == 'I' || (d->skind[i] & K_PREFIX) || !enter_sub(d, (unsigned)i))
                break;
            q = d->p;
            continue;
        }
        if (*q == 'T' && q[1] != 's' && q[1] != 'u' && q[1] != 'e') {
            d->p = q + 1;
            size_t idx;
            if (!tindex(d, &idx) || *d->p == 'I' || d->in_lambda)
                break;
            const char *a = tresolve(d, idx);
            if (!a)
                break;
            if (*a == 'J') {
                if (!pack_enter(d, a, &a) || !a)
                    break;
            }
            if (!is_type_arg(a))
                break;
            d->rec = false;
            q = a;
            continue;
        }
        break;
    }
    return moved ? q : NULL;
}

WH_RT static NOINLINE bool ref_type(struct dm *d, int side) {
    int kind = *d->p == 'R' ? 1 : 2;
    d->p++;
    const char *x = d->p;
    if (d->quiet)
        return type(d, side);
    struct ctx c = save(d);
    const char *q = collapse(d, x, &kind);
    struct ctx at = save(d);
    restore(d, c);
    if (!q) {
        q = x;
        at = c;
        at.p = x;
    } else {
        /* (read x once for its candidates, print what it refers to) */
        if (!skip_type(d))
            return false;
        const char *end = d->p;
        bool rec = d->rec;
        restore(d, at);
        d->p = q;
        d->rec = false;
        int pr = props(d, q);
        bool ok = pr >= 0;
        if (ok && side == LEFT) {
            ok = type(d, LEFT);
            decl_left(d, pr, kind == 1 ? "&" : "&&");
        } else if (ok) {
            ok = decl_right(d, pr);
        }
        restore(d, c);
        d->p = end;
        d->rec = rec;
        return ok;
    }
    if (side == LEFT) {
        if (!type(d, LEFT))
            return false;
        int pr = props(d, x);
        if (pr < 0)
            return false;
        decl_left(d, pr, kind == 1 ? "&" : "&&");
        return true;
    }
    int pr = props(d, x);
    return pr >= 0 && decl_right(d, pr);
}

/* A template parameter used as a type (T_, or T_ <args>). */
WH_RT static NOINLINE bool tparam_type(struct dm *d, int side) {
    d->p++;
    size_t idx;
    if (!tindex(d, &idx))
        return false;
    if (d->in_lambda) {
        /* a generic lambda's "auto" parameter (LLVM: only where no
         * template arguments are in force, and not in a conversion
         * operator's type, where it reads T_ as a forward reference) */
        if ((d->rec && has_list(d)) || *d->p == 'I' || d->cv_ctx)
            return false;
        if (side != RIGHT)
            puts_(d, "auto");
        return true;
    }
    const char *a = tresolve(d, idx);
    if (!a)
        return false;
    if (*d->p == 'I') {
        if (!is_type_arg(a))
            return false;
        if (side != RIGHT && !d->quiet) {
            struct ctx c = save(d);
            d->p = a;
            d->rec = false;
            bool ok = targ(d, FULL);
            restore(d, c);
            if (!ok)
                return false;
        }
        if (side == RIGHT)
            d->quiet++;
        bool ok = targs(d, false);
        if (side == RIGHT)
            d->quiet--;
        return ok;
    }
    if (d->quiet)
        return true;
    if (*a == 'J') {
        if (!pack_enter(d, a, &a))
            return false;
        if (!a)
            return true;
    }
    if (!is_type_arg(a))
        return false;
    struct ctx c = save(d);
    d->p = a;
    d->rec = false;
    bool ok = type(d, side);
    restore(d, c);
    return ok;
}

/* A substitution used as a type (S_, Sa, ..., or one of them <args>). */
WH_RT static ALWAYS_INLINE bool subst_type(struct dm *d, int side, bool *args) {
    d->p++;
    int i = subst(d);
    if (i == -1)
        return false;
    *args = *d->p == 'I' && !d->cv_noargs;
    if (i < -1) {
        if (side != RIGHT)
            puts_(d, sp_short[-2 - i]);
        set_base(d, sp_sbase[-2 - i]);
    } else {
        if ((side != RIGHT || !*args) && !resub(d, (unsigned)i, *args ? FULL : side))
            return false;
        if (d->want_base)
            sub_base(d, (unsigned)i);
    }
    if (!*args)
        return true;
    const char *b = d->base;
    size_t bl = d->base_len;
    if (side == RIGHT)
        d->quiet++;
    bool ok = targs(d, false);
    if (side == RIGHT)
        d->quiet--;
    d->base = b;
    d->base_len = (uint16_t)bl;
    return ok;
}

WH_RT static ALWAYS_INLINE bool type_(struct dm *d, int side) {
    const char *start = d->p;
    char c = *d->p, c1 = la(d, 1);
    bool ok = true;
    for (int k = 0; builtin_code[k]; k++)
        if (builtin_code[k] == c) {
            d->p++;
            if (side != RIGHT)
                puts_(d, builtin_names[k]);
            return true;
        }
    switch (c) {
    case 'D':
        for (int k = 0; dbuiltin_code[k]; k++)
            if (dbuiltin_code[k] == c1) {
                d->p += 2;
                if (side != RIGHT)
                    puts_(d, dbuiltin_names[k]);
                return true;
            }
        if (c1 == 'F') {
            d->p += 2;
            const char *n = d->p;
            if (!snumber(d, false) || !eat(d, '_'))
                return false;
            if (side != RIGHT) {
                puts_(d, "_Float");
                put(d, n, (size_t)(d->p - 1 - n));
            }
            return true;
        }
        if (c1 == 'v') {
            d->p += 2;
            const char *n = d->p;
            if (*n < '1' || *n > '9' || !snumber(d, false))
                return false;
            size_t nl = (size_t)(d->p - n);
            if (!eat(d, '_') || *d->p == 'p')
                return false;
            if (side == RIGHT)
                d->quiet++;
            ok = type(d, FULL);
            puts_(d, " vector[");
            put(d, n, nl);
            put(d, "]", 1);
            if (side == RIGHT)
                d->quiet--;
            break;
        }
        if (c1 == 'o')
            ok = function_type(d, side);
        else
            return false;
        break;
    case 'r':
    case 'V':
    case 'K': {
        const char *q = d->p;
        while (*q == 'r' || *q == 'V' || *q == 'K')
            q++;
        if (*q == 'F' || (*q == 'D' && q[1] == 'o')) {
            ok = function_type(d, side);
            break;
        }
        unsigned qs = quals(d);
        ok = type(d, side);
        if (side == LEFT)
            put_quals(d, qs);
        break;
    }
    case 'F':
        ok = function_type(d, side);
        break;
    case 'A': {
        d->p++;
        const char *n = d->p;
        size_t nl = 0;
        if (digit(*n)) {
            snumber(d, false);
            nl = (size_t)(d->p - n);
        }
        if (!eat(d, '_'))
            return false;
        if (side == RIGHT) {
            if (back(d) != ']')
                put(d, " ", 1);
            put(d, "[", 1);
            put(d, n, nl);
            put(d, "]", 1);
        }
        ok = type(d, side);
        break;
    }
    case 'M': {
        d->p++;
        const char *cls = d->p;
        if (!skip_type(d))
            return false;
        const char *mem = d->p;
        if (side == LEFT) {
            if (!type(d, LEFT))
                return false;
            int pr = props(d, mem);
            if (pr < 0)
                return false;
            put(d, (pr & (P_ARRAY | P_FUNC)) ? "(" : " ", 1);
            if (!d->quiet) {
                struct ctx cx = save(d);
                d->p = cls;
                d->rec = false;
                ok = type(d, FULL);
                restore(d, cx);
                if (!ok)
                    return false;
            }
            puts_(d, "::*");
        } else {
            int pr = props(d, mem);
            if (pr < 0)
                return false;
            ok = decl_right(d, pr);
        }
        break;
    }
    case 'T':
        if (c1 == 's' || c1 == 'u' || c1 == 'e')
            return false;
        ok = tparam_type(d, side);
        break;
    case 'P': {
        d->p++;
        const char *x = d->p;
        if (side == LEFT) {
            if (!type(d, LEFT))
                return false;
            int pr = props(d, x);
            if (pr < 0)
                return false;
            decl_left(d, pr, "*");
        } else {
            int pr = props(d, x);
            if (pr < 0)
                return false;
            ok = decl_right(d, pr);
        }
        break;
    }
    case 'R':
    case 'O':
        ok = ref_type(d, side);
        break;
    case 'S':
        if (c1 != 't') {
            bool args = false;
            if (!subst_type(d, side, &args))
                return false;
            /* a substitution alone is no new candidate; with arguments it is */
            if (!args)
                return true;
            break;
        }
        /* fall through */
    default:
        if (c == 'U' || c == 'C' || c == 'G' || !c)
            return false;
        if (side == RIGHT)
            d->quiet++;
        ok = name(d, NULL);
        if (side == RIGHT)
            d->quiet--;
        break;
    }
    if (!ok)
        return false;
    return push(d, start, K_TYPE);
}

/* Dp <type>: the type once for each element of the pack it names. */
WH_RT static NOINLINE bool pack_expansion(struct dm *d, int side) {
    const char *start = d->p;
    d->p += 2;
    const char *x = d->p;
    if (d->quiet) {
        if (!type(d, FULL))
            return false;
        return push(d, start, K_TYPE);
    }
    if (side != FULL)
        return false;
    uint16_t idx = d->pack_idx, max = d->pack_max;
    d->pack_max = NO_PACK;
    d->pack_idx = 0;
    d->in_dp++;
    size_t o = d->len;
    bool ok = type(d, FULL);
    const char *end = d->p;
    if (ok && d->pack_max == NO_PACK)
        ok = false; /* (LLVM prints "..." after a pack it cannot see) */
    if (ok && d->pack_max == 0)
        d->len = (uint16_t)o;
    bool rec = d->rec;
    for (unsigned i = 1; ok && d->pack_max != NO_PACK && i < d->pack_max; i++) {
        put(d, ", ", 2);
        d->pack_idx = (uint16_t)i;
        d->p = x;
        d->rec = false;
        ok = type(d, FULL) && d->p == end;
    }
    d->rec = rec;
    d->p = end;
    d->in_dp--;
    d->pack_idx = idx;
    d->pack_max = max;
    return ok && push(d, start, K_TYPE);
}

WH_RT static bool type(struct dm *d, int side) {
    if (!enter(d))
        return false;
    bool ok;
    if (d->p[0] == 'D' && d->p[1] == 'p') {
        ok = pack_expansion(d, side);
    } else if (side == FULL && !d->quiet) {
        /* left part, then (if it has one) the right part read again */
        const char *start = d->p;
        ok = type_(d, LEFT);
        if (ok) {
            int pr = props(d, start);
            if (pr < 0) {
                ok = false;
            } else if (pr & P_RHS) {
                const char *end = d->p;
                bool rec = d->rec;
                d->p = start;
                d->rec = false;
                ok = type_(d, RIGHT) && d->p == end;
                d->rec = rec;
                d->p = end;
            }
        }
    } else {
        ok = type_(d, side == FULL ? LEFT : side);
    }
    return ok;
}

/* ---- encodings ---- */

/* h <number> _ | v <number> _ <number> _ */
WH_RT static bool call_offset(struct dm *d) {
    if (eat(d, 'h'))
        return snumber(d, true) && eat(d, '_');
    if (eat(d, 'v'))
        return snumber(d, true) && eat(d, '_') && snumber(d, true) && eat(d, '_');
    return false;
}

WH_RT static NOINLINE bool special(struct dm *d, bool top) {
    char c = *d->p, c1 = la(d, 1);
    static const char *const tnames[] = {"vtable for ", "VTT for ", "typeinfo for ",
                                         "typeinfo name for "};
    static const char tcodes[] = "VTIS";
    if (c == 'T') {
        for (int k = 0; tcodes[k]; k++)
            if (c1 == tcodes[k]) {
                d->p += 2;
                puts_(d, tnames[k]);
                return type(d, FULL);
            }
        if (c1 == 'W' || c1 == 'H') {
            d->p += 2;
            puts_(d, c1 == 'W' ? "thread-local wrapper routine for "
                               : "thread-local initialization routine for ");
            return name(d, NULL);
        }
        if (c1 == 'C') {
            d->p += 2;
            const char *first = d->p;
            if (!skip_type(d) || !snumber(d, true) || !eat(d, '_'))
                return false;
            puts_(d, "construction vtable for ");
            if (!type(d, FULL))
                return false;
            puts_(d, "-in-");
            if (!d->quiet) {
                struct ctx cx = save(d);
                d->p = first;
                d->rec = false;
                bool ok = type(d, FULL);
                restore(d, cx);
                return ok;
            }
            return true;
        }
        const char *what;
        if (c1 == 'c') {
            d->p += 2;
            if (!call_offset(d) || !call_offset(d))
                return false;
            what = "covariant return thunk to ";
        } else if (c1 == 'h' || c1 == 'v') {
            d->p++;
            what = c1 == 'h' ? "non-virtual thunk to " : "virtual thunk to ";
            if (!call_offset(d))
                return false;
        } else {
            return false;
        }
        puts_(d, what);
        if (!encoding(d, top))
            return false;
        if (top) {
            d->nlen += d->noff;
            d->noff = 0;
        }
        return true;
    }
    if (c == 'G' && (c1 == 'V' || c1 == 'R')) {
        d->p += 2;
        puts_(d, c1 == 'V' ? "guard variable for " : "reference temporary for ");
        if (!name(d, NULL))
            return false;
        if (c1 == 'R') {
            bool seq = digit(*d->p) || (*d->p >= 'A' && *d->p <= 'Z');
            while (digit(*d->p) || (*d->p >= 'A' && *d->p <= 'Z'))
                d->p++;
            if (!eat(d, '_') && seq)
                return false;
        }
        return true;
    }
    return false;
}

WH_RT static bool end_of_encoding(char c) { return !c || c == 'E' || c == '.' || c == '_'; }

WH_RT static bool encoding_(struct dm *d, bool top) {
    if (*d->p == 'T' || *d->p == 'G') {
        size_t o = d->len;
        if (!special(d, top))
            return false;
        if (top && d->noff == NO_NAME) {
            d->noff = (uint16_t)o;
            d->nlen = (uint16_t)(d->len - o);
        }
        return true;
    }
    struct ninfo ni = {0, 0, false, false};
    size_t n0 = d->len;
    if (!name(d, &ni))
        return false;
    size_t n1 = d->len;
    if (top) {
        d->noff = (uint16_t)n0;
        d->nlen = (uint16_t)(n1 - n0);
    }
    if (end_of_encoding(*d->p))
        return true;
    if (d->p[0] == 'U' && d->p[1] == 'a')
        return false; /* enable_if attributes */
    const char *ret = NULL;
    if (!ni.cdc && ni.targs) {
        ret = d->p;
        if (!type(d, LEFT))
            return false;
        int pr = props(d, ret);
        if (pr < 0)
            return false;
        if (!(pr & P_RHS))
            put(d, " ", 1);
        /* the return type's left part goes before the name */
        rotate(d, n0, n1);
        if (top && !d->quiet)
            d->noff = (uint16_t)(n0 + (d->len - n1));
    }
    put(d, "(", 1);
    if (!eat(d, 'v')) {
        struct comma cm = {0, true};
        do {
            comma_pre(d, &cm);
            size_t after = d->len;
            if (!type(d, FULL))
                return false;
            comma_post(d, &cm, after);
        } while (!end_of_encoding(*d->p) && *d->p != 'Q');
    }
    if (*d->p == 'Q')
        return false;
    put(d, ")", 1);
    if (ret && !d->quiet) {
        struct ctx c = save(d);
        d->p = ret;
        d->rec = false;
        bool ok = type(d, RIGHT);
        restore(d, c);
        if (!ok)
            return false;
    }
    put_quals(d, ni.cv);
    if (ni.ref)
        puts_(d, ni.ref == 1 ? " &" : " &&");
    return true;
}

WH_RT static bool encoding(struct dm *d, bool top) {
    if (!enter(d))
        return false;
    struct frame f;
    bool ok = frame_push(d, &f) && encoding_(d, top);
    frame_pop(d, &f);
    return ok;
}

WH_RT size_t wh_demangle(const char *mangled, char *out, size_t cap, size_t *name_off,
                         size_t *name_len) {
    if (out && cap)
        out[0] = 0;
    if (!mangled || !out || cap < 2 || mangled[0] != '_' || mangled[1] != 'Z')
        return 0;
    size_t n = 0;
    while (mangled[n])
        if (++n > MAX_MANGLED)
            return 0;
    struct dm d;
    d.s = mangled;
    d.p = mangled + 2;
    d.out = out;
    /* (offsets are 16-bit: a longer answer would be no frame's name) */
    d.cap = (uint16_t)(cap > 0xffff ? 0xffff : cap);
    d.len = 0;
    d.noff = NO_NAME;
    d.nlen = 0;
    d.base = NULL;
    d.base_len = 0;
    /* (the table counts too, wherever the target puts it in the frame) */
    d.sp0 = (uintptr_t)__builtin_frame_address(0);
    if ((uintptr_t)(&d + 1) > d.sp0)
        d.sp0 = (uintptr_t)(&d + 1);
    d.work = 0;
    d.nsub = 0;
    d.ntarg = 0;
    d.gen = d.gens = 0;
    d.tp_count = 0;
    d.glist[0] = 0;
    d.pack_idx = 0;
    d.pack_max = NO_PACK;
    d.quiet = d.in_lambda = d.in_dp = 0;
    d.rec = true;
    d.cv_ctx = d.cv_noargs = false;
    d.bad = false;
    d.want_base = false;
    bool ok = encoding(&d, true);
    if (ok && *d.p == '.') {
        put(&d, " (", 2);
        puts_(&d, d.p);
        put(&d, ")", 1);
        while (*d.p)
            d.p++;
    }
    if (!ok || d.bad || *d.p || d.noff == NO_NAME) {
        out[0] = 0;
        return 0;
    }
    out[d.len] = 0;
    if (name_off)
        *name_off = d.noff;
    if (name_len)
        *name_len = d.nlen;
    return d.len;
}
