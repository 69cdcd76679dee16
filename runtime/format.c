/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * format.c - whence_format_stack: the text whence_write_stack prints, for
 * entries a program captured earlier with whence_callers, into the
 * program's own buffer, as snprintf does (at most len - 1 bytes and a NUL;
 * the return value is the length of the whole text, so a caller can size a
 * buffer with a first call of length 0).  Loggers keep the entries of an
 * event and format them later, or format them at once into a record.
 *
 * Entries are expanded as whence_frames_next expands them (a token's skip
 * included); an entry that names no instrumented code is left out, as
 * whence_write_stack leaves such frames out.  The depth limit applies as it
 * does to whence_write_stack.  Async-signal-safe.
 */
#include "lookup.h"

static size_t format_stack(char *buf, size_t len, const uintptr_t *pcs, int n) {
    if (!buf)
        len = 0;
    wh_check_built();
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = UINT32_MAX;
    struct wh_ent ring[wh_ring_size(limit)];
    struct wh_buf w = {.fd = WH_BUF_MEM, .dst = buf, .cap = len};
    struct wh_trace t;
    wh_trace_init(&t, limit, &w, NULL, 0, ring, wh_ring_size(limit));
    for (int i = 0; pcs && i < n; i++) {
        uintptr_t e = pcs[i];
        if (!e || wh_token_bad(e))
            continue;
        struct wh_pcinfo pi;
        pi.fn = NULL;
        uintptr_t raw = e & ~WH_SKIP_MASK;
        if (!wh_resolve(&pi, raw))
            continue;
        wh_trace_add(&t, raw, wh_token_skip(e), &pi);
    }
    wh_trace_finish(&t, &w);
    return wh_buf_finish_mem(&w);
}

/* (The pcs may be of an image another thread is unloading: readers.c.) */
WH_EXPORT WH_RT size_t whence_format_stack(char *buf, size_t len, const uintptr_t *pcs, int n) {
    struct wh_reader *rd = wh_read_enter();
    size_t r = format_stack(buf, len, pcs, n);
    wh_read_exit(rd);
    return r;
}
