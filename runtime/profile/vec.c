/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * vec.c - the profiler's memory: growable arrays on mmap/mremap, a string
 * table that interns each string once (pprof's string_table), and a map
 * from 64-bit keys to indexes.  Not malloc: the arrays grow inside signal
 * handlers too (raw.c, timers.c), and a forked child drops all of it
 * without touching an allocator lock the parent may have held.  A failed
 * growth sets `oom` and the caller goes on with what it has (the profile
 * is written with a comment saying it is incomplete).
 */
#define _GNU_SOURCE
#include "profile.h"

#include <string.h>
#include <sys/mman.h>

WH_RT bool wh_vec_reserve(struct wh_vec *v, size_t more) {
    if (v->cap - v->n >= more)
        return true;
    size_t want = v->cap ? v->cap : 4096;
    while (want - v->n < more) {
        if (want > ((size_t)1 << 40))
            goto fail;
        want *= 2;
    }
    void *p = v->p ? wh_sys_mremap(v->p, v->cap, want, MREMAP_MAYMOVE)
                   : wh_sys_mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                                 -1, 0);
    if (p == MAP_FAILED)
        goto fail;
    v->p = p;
    v->cap = want;
    return true;
fail:
    v->oom = true;
    return false;
}

WH_RT void *wh_vec_push(struct wh_vec *v, const void *p, size_t n) {
    if (!wh_vec_reserve(v, n))
        return NULL;
    void *at = v->p + v->n;
    if (p)
        memcpy(at, p, n);
    else
        memset(at, 0, n);
    v->n += n;
    return at;
}

WH_RT void wh_vec_free(struct wh_vec *v) {
    if (v->p)
        wh_sys_munmap(v->p, v->cap);
    memset(v, 0, sizeof *v);
}

WH_RT uint64_t wh_mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

/* ---- strings ------------------------------------------------------------------ */

WH_RT static uint64_t str_hash(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

WH_RT const char *wh_str_at(const struct wh_strtab *t, uint32_t i) {
    if ((size_t)i >= t->offs.n / 4)
        return "";
    return t->bytes.p + WH_VEC_AT(&t->offs, uint32_t, i);
}

WH_RT uint32_t wh_str_count(const struct wh_strtab *t) { return (uint32_t)(t->offs.n / 4); }

WH_RT static bool str_rehash(struct wh_strtab *t, uint32_t cap) {
    uint32_t *h = wh_map((size_t)cap * 4);
    if (!h)
        return false;
    uint32_t n = wh_str_count(t);
    for (uint32_t i = 0; i < n; i++) {
        const char *s = wh_str_at(t, i);
        uint32_t j = (uint32_t)str_hash(s, strlen(s)) & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    wh_unmap(t->hash, (size_t)t->hcap * 4);
    t->hash = h;
    t->hcap = cap;
    return true;
}

/* The index of s[0..len) (which must not contain a NUL), added if new;
 * 0 ("") when out of memory. */
WH_RT uint32_t wh_str_intern(struct wh_strtab *t, const char *s, size_t len) {
    if (!t->offs.n) { /* string 0 is "" */
        uint32_t z = 0;
        if (!wh_vec_push(&t->bytes, "", 1) || !wh_vec_push(&t->offs, &z, 4))
            return 0;
    }
    if (!len)
        return 0;
    uint32_t n = wh_str_count(t);
    if ((uint64_t)(n + 1) * 2 > t->hcap && !str_rehash(t, t->hcap ? t->hcap * 2 : 1024))
        return 0;
    uint64_t h = str_hash(s, len);
    uint32_t j = (uint32_t)h & (t->hcap - 1);
    for (; t->hash[j]; j = (j + 1) & (t->hcap - 1)) {
        const char *c = wh_str_at(t, t->hash[j] - 1);
        if (strncmp(c, s, len) == 0 && c[len] == 0)
            return t->hash[j] - 1;
    }
    uint32_t off = (uint32_t)t->bytes.n;
    if (t->bytes.n + len + 1 > UINT32_MAX || !wh_vec_reserve(&t->bytes, len + 1) ||
        !wh_vec_reserve(&t->offs, 4))
        return 0;
    wh_vec_push(&t->bytes, s, len);
    wh_vec_push(&t->bytes, "", 1);
    wh_vec_push(&t->offs, &off, 4);
    t->hash[j] = n + 1;
    return n;
}

WH_RT void wh_str_free(struct wh_strtab *t) {
    wh_vec_free(&t->bytes);
    wh_vec_free(&t->offs);
    wh_unmap(t->hash, (size_t)t->hcap * 4);
    t->hash = NULL;
    t->hcap = 0;
}

/* ---- 64-bit keys -------------------------------------------------------------------- */

WH_RT bool wh_map64_get(const struct wh_map64 *m, uint64_t key, uint32_t *val) {
    if (!m->cap)
        return false;
    for (uint32_t j = (uint32_t)wh_mix64(key) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        if (m->keys[j] == key) {
            *val = m->vals[j];
            return true;
        }
        if (!m->keys[j])
            return false;
    }
}

WH_RT static bool map_resize(struct wh_map64 *m, uint32_t cap) {
    uint64_t *k = wh_map((size_t)cap * 8);
    uint32_t *v = wh_map((size_t)cap * 4);
    if (!k || !v) {
        wh_unmap(k, (size_t)cap * 8);
        wh_unmap(v, (size_t)cap * 4);
        m->oom = true;
        return false;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        uint32_t j = (uint32_t)wh_mix64(m->keys[i]) & (cap - 1);
        while (k[j])
            j = (j + 1) & (cap - 1);
        k[j] = m->keys[i];
        v[j] = m->vals[i];
    }
    wh_unmap(m->keys, (size_t)m->cap * 8);
    wh_unmap(m->vals, (size_t)m->cap * 4);
    m->keys = k;
    m->vals = v;
    m->cap = cap;
    return true;
}

/* Sets key (not 0) to val; false when out of memory. */
WH_RT bool wh_map64_put(struct wh_map64 *m, uint64_t key, uint32_t val) {
    if ((uint64_t)(m->n + 1) * 2 > m->cap && !map_resize(m, m->cap ? m->cap * 2 : 1024))
        return false;
    uint32_t j = (uint32_t)wh_mix64(key) & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != key)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j])
        m->n++;
    m->keys[j] = key;
    m->vals[j] = val;
    return true;
}

WH_RT void wh_map64_filter(struct wh_map64 *m, bool (*drop)(void *ctx, uint64_t key), void *ctx) {
    if (!m->cap)
        return;
    bool any = false;
    for (uint32_t i = 0; i < m->cap && !any; i++)
        any = m->keys[i] && drop(ctx, m->keys[i]);
    if (!any)
        return;
    /* Open addressing without tombstones: rebuild from the survivors. */
    struct wh_map64 fresh = {0};
    if (!map_resize(&fresh, m->cap)) {
        m->oom = true;
        return;
    }
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->keys[i] && !drop(ctx, m->keys[i]))
            wh_map64_put(&fresh, m->keys[i], m->vals[i]);
    wh_map64_free(m);
    *m = fresh;
}

WH_RT void wh_map64_free(struct wh_map64 *m) {
    wh_unmap(m->keys, (size_t)m->cap * 8);
    wh_unmap(m->vals, (size_t)m->cap * 4);
    memset(m, 0, sizeof *m);
}
