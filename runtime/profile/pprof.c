/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pprof.c - the aggregated profile as a profile.proto message (the format
 * of github.com/google/pprof, proto/profile.proto), hand-encoded: the
 * message is small and stable, and libwhence links nothing but libc.
 *
 *   sample_type     samples/count, cpu/nanoseconds (the last is pprof's default)
 *   sample          one per distinct stack: location ids innermost first,
 *                   values count and count * period
 *   location        one per distinct walk entry: its address, its mapping,
 *                   and its lines innermost first (an entry of inlined
 *                   frames has several; pprof: "the last entry represents
 *                   the caller into which the preceding entries were
 *                   inlined"); line 0 where whence does not know the line
 *   function        name, file and first line as recorded (C++ names come
 *                   demangled from the records); system_name = name, but
 *                   for a name pprof takes for a demangled C++ one (below)
 *   mapping         each executable segment of an object that holds a
 *                   location (its own file offset); has_functions when
 *                   every location in it has a function's name, from the
 *                   records or a symbol table, or whence's records named
 *                   some (the rest by offset), and the other has_* flags
 *                   when whence's records named them all (pprof symbolizes
 *                   again a mapping with none of has_functions, filenames,
 *                   line_numbers: the whole of it, and it named the
 *                   instrumented functions of a program with code of other
 *                   compilers wrongly)
 *   period_type     cpu/nanoseconds, period = 1e9 / hz
 *   time_nanos, duration_nanos, comment (dropped samples, timer kind,
 *                   threads that blocked SIGPROF)
 *
 * Submessages are written in place: a one-byte length is reserved and the
 * body moved when its length needs more (canonical varints throughout).
 */
#include "profile.h"

#include <string.h>

/* A name pprof's default view would shorten: a function whose system_name
 * equals its name it demangles again, and one it cannot demangle that
 * looks like C++ it simplifies, template arguments and all: two functions
 * (Acc<double>::add_many, Acc<unsigned long>::add_many) read as one,
 * their times added (helper-113).  Such a function gets no system_name:
 * pprof then keeps the name as demangled (its looksLikeDemangledCPlusPlus,
 * less its Java and Go exceptions, which only make it say yes less). */
WH_RT static bool cxx_like(const char *s) {
    return s && (strpbrk(s, "<>[]") || strstr(s, "::"));
}

/* ---- the encoder ------------------------------------------------------------------ */

WH_RT static void pb_varint(struct wh_vec *b, uint64_t v) {
    uint8_t t[10];
    size_t n = 0;
    do {
        t[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    wh_vec_push(b, t, n);
}

WH_RT static void pb_key(struct wh_vec *b, uint32_t field, uint32_t wire) {
    pb_varint(b, (uint64_t)field << 3 | wire);
}

/* A varint field; 0 is the default and is left out. */
WH_RT static void pb_uint(struct wh_vec *b, uint32_t field, uint64_t v) {
    if (!v)
        return;
    pb_key(b, field, 0);
    pb_varint(b, v);
}

WH_RT static void pb_int(struct wh_vec *b, uint32_t field, int64_t v) {
    pb_uint(b, field, (uint64_t)v); /* int64: two's complement, 10 bytes if negative */
}

WH_RT static void pb_bytes(struct wh_vec *b, uint32_t field, const char *p, size_t n) {
    pb_key(b, field, 2);
    pb_varint(b, n);
    wh_vec_push(b, p, n);
}

/* Opens a submessage (or packed field): returns where its length goes. */
WH_RT static size_t pb_begin(struct wh_vec *b, uint32_t field) {
    pb_key(b, field, 2);
    size_t at = b->n;
    wh_vec_push(b, NULL, 1);
    return at;
}

WH_RT static void pb_end(struct wh_vec *b, size_t at) {
    if (b->oom)
        return;
    size_t len = b->n - at - 1, k = 1;
    for (size_t v = len >> 7; v; v >>= 7)
        k++;
    if (k > 1) {
        if (!wh_vec_reserve(b, k - 1))
            return;
        memmove(b->p + at + k, b->p + at + 1, len);
        b->n += k - 1;
    }
    size_t v = len;
    for (size_t i = 0; i < k; i++, v >>= 7)
        b->p[at + i] = (char)((v & 0x7f) | (i + 1 < k ? 0x80 : 0));
}

WH_RT static void value_type(struct wh_vec *b, uint32_t field, uint32_t type, uint32_t unit) {
    size_t at = pb_begin(b, field);
    pb_uint(b, 1, type);
    pb_uint(b, 2, unit);
    pb_end(b, at);
}

/* ---- the profile ---------------------------------------------------------------------- */

WH_RT static uint32_t str(struct wh_pr_agg *a, const char *s) {
    return wh_str_intern(&a->str, s, strlen(s));
}

/* "whence: " + text, and n and rest when number is set, as a comment string. */
WH_RT static uint32_t comment(struct wh_pr_agg *a, const char *text, bool number, uint64_t n,
                              const char *rest) {
    char b[256];
    size_t k = 0;
    for (const char *s = "whence: "; *s; s++)
        b[k++] = *s;
    for (; *text && k < 200; text++)
        b[k++] = *text;
    if (number) {
        char d[24];
        int i = 24;
        do {
            d[--i] = (char)('0' + n % 10);
            n /= 10;
        } while (n);
        while (i < 24)
            b[k++] = d[i++];
        for (; *rest && k < 255; rest++)
            b[k++] = *rest;
    }
    return wh_str_intern(&a->str, b, k);
}

WH_RT bool wh_pprof_encode(struct wh_pr_agg *a, const struct wh_pr_meta *m, struct wh_vec *out) {
    /* Every string first: the string table is written last. */
    uint32_t s_samples = str(a, "samples"), s_count = str(a, "count");
    uint32_t s_cpu = str(a, "cpu"), s_ns = str(a, "nanoseconds");
    uint32_t comments[6], nc = 0;
    comments[nc++] = comment(a, m->itimer ? "setitimer(ITIMER_PROF), SIGPROF, sampled at "
                                          : "per-thread CPU timers, SIGPROF, sampled at ",
                             true, m->period_ns ? (uint64_t)(1000000000 / m->period_ns) : 0,
                             " Hz of CPU time");
    if (m->dropped)
        comments[nc++] = comment(a, "samples dropped (the sample buffer was full): ", true,
                                 m->dropped, "");
    if (m->overrun)
        comments[nc++] = comment(a, "timer periods merged into the next signal (each counted "
                                    "with that signal's stack): ",
                                 true, m->overrun, "");
    if (a->oom)
        comments[nc++] = comment(a, "out of memory while aggregating: the profile is incomplete",
                                 false, 0, "");
    if (m->taken)
        comments[nc++] = comment(a, "the program put a handler of its own on SIGPROF during the "
                                    "profile: samples after that were not taken",
                                 false, 0, "");
    if (m->blocked)
        comments[nc++] = comment(a, "CPU time of threads that blocked SIGPROF, not sampled, in "
                                    "[threads that blocked SIGPROF]: periods ",
                                 true, m->blocked, "");

    value_type(out, 1, s_samples, s_count);
    value_type(out, 1, s_cpu, s_ns);

    size_t nstack = WH_VEC_LEN(&a->stacks, struct wh_pr_stack);
    for (size_t i = 0; i < nstack; i++) {
        const struct wh_pr_stack *s = &WH_VEC_AT(&a->stacks, struct wh_pr_stack, i);
        size_t at = pb_begin(out, 2);
        size_t ids = pb_begin(out, 1);
        for (uint32_t k = 0; k < s->n; k++)
            pb_varint(out, (uint64_t)WH_VEC_AT(&a->stackpool, uint32_t, s->off + k) + 1);
        pb_end(out, ids);
        size_t vals = pb_begin(out, 2);
        pb_varint(out, s->count);
        pb_varint(out, s->count * (uint64_t)m->period_ns);
        pb_end(out, vals);
        pb_end(out, at);
    }

    size_t nmap = WH_VEC_LEN(&a->maps, struct wh_pr_mapping);
    size_t nloc = WH_VEC_LEN(&a->locs, struct wh_pr_loc);
    size_t nfunc = WH_VEC_LEN(&a->funcs, struct wh_pr_func);
    for (size_t i = 0; i < nmap; i++)
        WH_VEC_AT(&a->maps, struct wh_pr_mapping, i).nunnamed = 0;
    for (size_t i = 0; i < nloc; i++) {
        const struct wh_pr_loc *l = &WH_VEC_AT(&a->locs, struct wh_pr_loc, i);
        if (l->mapping && l->mapping <= nmap && (!l->nline || (l->flags & WH_LOC_OFFSET)))
            WH_VEC_AT(&a->maps, struct wh_pr_mapping, l->mapping - 1).nunnamed++;
    }
    for (size_t i = 0; i < nmap; i++) {
        const struct wh_pr_mapping *mp = &WH_VEC_AT(&a->maps, struct wh_pr_mapping, i);
        if (!mp->nloc)
            continue;
        /* (a mapping whence named any location of keeps its names: pprof
         * would name all of it again for one location it has by offset
         * only, without inlined frames: helper-137) */
        bool named = !mp->nunnamed || mp->nwhence, whole = mp->nwhence == mp->nloc;
        size_t at = pb_begin(out, 3);
        pb_uint(out, 1, i + 1);
        pb_uint(out, 2, mp->start);
        pb_uint(out, 3, mp->limit);
        pb_uint(out, 4, mp->offset);
        pb_uint(out, 5, mp->file);
        pb_uint(out, 6, mp->build_id);
        pb_uint(out, 7, named || whole);
        pb_uint(out, 8, whole);
        pb_uint(out, 9, whole);
        pb_uint(out, 10, whole);
        pb_end(out, at);
    }

    for (size_t i = 0; i < nloc; i++) {
        const struct wh_pr_loc *l = &WH_VEC_AT(&a->locs, struct wh_pr_loc, i);
        size_t at = pb_begin(out, 4);
        pb_uint(out, 1, i + 1);
        pb_uint(out, 2, l->mapping);
        pb_uint(out, 3, l->addr);
        for (uint32_t k = 0; k < l->nline; k++) {
            const struct wh_pr_line *ln = &WH_VEC_AT(&a->lines, struct wh_pr_line, l->line0 + k);
            if (ln->func >= nfunc)
                continue;
            size_t la = pb_begin(out, 4);
            pb_uint(out, 1, (uint64_t)ln->func + 1);
            pb_int(out, 2, ln->line);
            pb_int(out, 3, ln->column);
            pb_end(out, la);
        }
        pb_end(out, at);
    }

    for (size_t i = 0; i < nfunc; i++) {
        const struct wh_pr_func *f = &WH_VEC_AT(&a->funcs, struct wh_pr_func, i);
        size_t at = pb_begin(out, 5);
        pb_uint(out, 1, i + 1);
        pb_uint(out, 2, f->name);
        if (!cxx_like(wh_str_at(&a->str, f->name)))
            pb_uint(out, 3, f->name);
        pb_uint(out, 4, f->file);
        pb_uint(out, 5, f->start_line);
        pb_end(out, at);
    }

    uint32_t nstr = wh_str_count(&a->str);
    for (uint32_t i = 0; i < nstr; i++) {
        const char *s = wh_str_at(&a->str, i);
        pb_bytes(out, 6, s, strlen(s));
    }

    pb_int(out, 9, m->time_nanos);
    pb_int(out, 10, m->duration_nanos);
    value_type(out, 11, s_cpu, s_ns);
    pb_int(out, 12, m->period_ns);
    for (uint32_t i = 0; i < nc; i++)
        pb_uint(out, 13, comments[i]);
    return !out->oom;
}
