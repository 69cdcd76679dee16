/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * rust_legacy.c - Rust's legacy symbol names, readable.  rustc's default
 * mangling is Itanium's nested name (_ZN...E) with '$' escapes inside the
 * identifiers and a hash as the last component, so the Itanium demangler
 * reads it as "main::cb_fault::_$u7b$$u7b$closure$u7d$$u7d$::h0123456789abcdef":
 * the escapes are decoded ($LT$ <, $GT$ >, $u7b$ {, .. ::, a leading _$
 * its $) and the hash dropped, as rustc-demangle prints it without
 * {:#}: "main::cb_fault::{{closure}}".  A Rust program's frames outside
 * instrumented code (its std, its own crates) name themselves so in crash
 * reports.  Rust's v0 names (_R...) are left as they are.
 */
#include "../attrs.h"
#include "demangle.h"

#include <stdbool.h>

WH_RT static bool hex(char c, unsigned *v) {
    if (c >= '0' && c <= '9')
        *v = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
        *v = (unsigned)(c - 'a' + 10);
    else
        return false;
    return true;
}

/* The character escape s[0, n) stands for (the text between the '$'s);
 * 0 when it is none. */
WH_RT static char escape(const char *s, size_t n) {
    static const struct {
        char code[3], c;
    } named[] = {{"SP", '@'}, {"BP", '*'}, {"RF", '&'}, {"LT", '<'},
                 {"GT", '>'}, {"LP", '('}, {"RP", ')'}, {"C", ','}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (__builtin_strlen(named[k].code) == n && !__builtin_memcmp(named[k].code, s, n))
            return named[k].c;
    unsigned hi, lo;
    if (n == 3 && s[0] == 'u' && hex(s[1], &hi) && hex(s[2], &lo)) {
        unsigned c = hi << 4 | lo;
        return c >= 0x20 && c < 0x7f ? (char)c : 0; /* (printable ASCII only) */
    }
    return 0;
}

/* One pass over the components of s[0, end): decoded into s when write
 * (never longer than it was), else only checked.  False at an escape
 * that is none of Rust's. */
WH_RT static bool decode(char *s, size_t end, bool write, size_t *len) {
    size_t o = 0;
    bool start = true; /* at a component's start */
    for (size_t i = 0; i < end;) {
        if (start && s[i] == '_' && i + 1 < end && s[i + 1] == '$')
            i++; /* (an identifier that starts with an escape gets a '_') */
        start = false;
        char c1 = s[i], c2 = 0;
        size_t step = 1;
        if (s[i] == '$') {
            size_t j = i + 1;
            while (j < end && s[j] != '$' && j - i <= 4)
                j++;
            if (!(j < end && s[j] == '$') || !(c1 = escape(s + i + 1, j - i - 1)))
                return false;
            step = j + 1 - i;
        } else if (s[i] == '.' && i + 1 < end && s[i + 1] == '.') {
            c1 = c2 = ':';
            step = 2;
        } else if (s[i] == ':' && i + 1 < end && s[i + 1] == ':') {
            c1 = c2 = ':';
            step = 2;
            start = true;
        }
        if (write) {
            s[o] = c1;
            if (c2)
                s[o + 1] = c2;
        }
        o += c2 ? 2 : 1;
        i += step;
    }
    *len = o;
    return true;
}

WH_RT size_t wh_rust_legacy(char *s, size_t n) {
    /* "...::h" and 16 hex digits */
    if (n < 20 || s[n - 19] != ':' || s[n - 18] != ':' || s[n - 17] != 'h')
        return 0;
    for (size_t i = n - 16; i < n; i++) {
        unsigned v;
        if (!hex(s[i], &v))
            return 0;
    }
    size_t len;
    if (!decode(s, n - 19, false, &len))
        return 0; /* not Rust's: the name stays as it was */
    decode(s, n - 19, true, &len);
    s[len] = 0;
    return len;
}
