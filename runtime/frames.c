/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * frames.c - whence_frames_init/next: expands whence_callers entries into
 * logical frames, innermost first.  An entry's site loc chain gives one frame
 * per inlined function (inlined = true), then the physical frame; a token
 * entry (pc | k << 56) starts k frames into that list.  Every frame of one
 * entry carries the physical function (func, entry).
 *
 * An interrupted pc (an exact entry from a signal handler's capture) is one
 * frame, its physical function at the line of the instruction itself
 * (lines/exact.c), line 0 when no line can be named, or when the line is of
 * code inlined into the function (whose function is not known); unless a
 * line record names it exactly, with its inline chain.
 *
 * Entries that are not in instrumented code (never produced by
 * whence_callers, but a caller may hand in any pc) yield one frame with the
 * unknown values (func NULL, "?", 0) and the entry as pc, so the frames stay
 * in step with the entries.  Untagged entries are looked up as return
 * addresses (pc-1 first, then pc); tagged ones as internal.h describes.
 *
 * The iterator keeps only indexes into the caller's array: no copies, no
 * allocation, async-signal-safe.
 */
#include "fcache.h"
#include "lines/lines.h"

WH_EXPORT WH_RT void whence_frames_init(whence_frames *it, const uintptr_t *pcs, int n) {
    if (!it)
        return;
    it->pcs = pcs;
    it->n = pcs && n > 0 ? n : 0;
    it->next = 0;
    it->cur = 0;
    it->depth = 0;
    it->pad_ = 0;
}

/* The frame the iterator stands at (it->cur set), resolved: the cache
 * missed.  Returns false when the entry has no frame left. */
WH_RT __attribute__((noinline)) static bool next_slow(whence_frames *it, whence_frame *out,
                                                      uintptr_t key) {
    uintptr_t e = it->cur & ~WH_SKIP_MASK;
    uint64_t salt = wh_fc_now();
    struct wh_pcinfo pi;
    pi.fn = NULL;
    if (!wh_resolve(&pi, e)) {
        /* (a return address's frame stands at its call, as a named one's
         * pc does: code BOLT moved, moved.c) */
        wh_unknown_frame(out, e && !(e & WH_TOKEN_LOC) ? wh_token_insn(e) : it->cur);
        it->cur = 0;
        return true;
    }
    if (it->depth >= pi.depth) { /* a token past the chain: nothing left */
        it->cur = 0;
        return false;
    }
    /* An interrupted pc is named by its own line (lines/exact.c), in its
     * physical function: the chain of the call before it is not its own.
     * Not cached: the answer depends on the image's file, which another
     * thread may be opening right now. */
    if ((e & WH_TOKEN_EXACT) && it->depth == 0 && wh_exact_api_frame(&pi, e, out)) {
        it->cur = 0;
        return true;
    }
    wh_fill_frame(&pi, it->depth, e, out);
    /* Cached only as whence_caller would name the same key: a return
     * address in a module with frame slots is named by its slot there
     * (a LOC token), not by its call label as here.  A hit steps on by
     * inlined (set exactly when the chain goes on). */
    if (key && !(!(e & (WH_TOKEN_LOC | WH_TOKEN_EXACT)) &&
                 (pi.m->flags & WHENCE_MOD_SLOTS)) &&
        out->inlined == (it->depth + 1 < pi.depth))
        wh_fc_put(key, out, 0, salt);
    if (++it->depth >= pi.depth)
        it->cur = 0;
    return true;
}

/* whence_frames_next where its fast path did not answer: the iterator's
 * state as the fast path left it (cur maybe a bad token). */
static inline __attribute__((always_inline)) bool frames_next_resolve(whence_frames *it,
                                                             whence_frame *out) {
    whence_frame tmp;
    if (!out)
        out = &tmp;
    if (!it) {
        wh_unknown_frame(out, 0);
        return false;
    }
    for (;;) {
        if (!it->cur) {
            if (it->next < 0 || it->next >= it->n || !it->pcs) {
                wh_unknown_frame(out, 0);
                return false;
            }
            uintptr_t e = it->pcs[it->next++];
            if (!e || wh_token_bad(e)) {
                wh_unknown_frame(out, e);
                return true;
            }
            it->cur = e;
            it->depth = wh_token_skip(e);
        } else if (wh_token_bad(it->cur)) {
            wh_unknown_frame(out, it->cur);
            it->cur = 0;
            return true;
        }
        /* A frame named before comes from the resolved-frame cache. */
        uintptr_t key = it->depth <= WH_TOKEN_MAX
                            ? wh_fc_key(it->cur & ~WH_SKIP_MASK, it->depth)
                            : 0;
        if (key && wh_fc_read(key, 0, out, NULL)) {
            if (out->inlined)
                it->depth++;
            else
                it->cur = 0;
            return true;
        }
        if (next_slow(it, out, key))
            return true;
    }
}

/* (A frame's pc may be of an image that another thread is unloading: the
 * fast path copies a cached answer, this one reads the image, readers.c.) */
WH_RT __attribute__((noinline)) static bool frames_next_slow(whence_frames *it, whence_frame *out) {
    struct wh_reader *rd = wh_read_enter();
    bool more = frames_next_resolve(it, out);
    wh_read_exit(rd);
    return more;
}

/* The fast path: the frame is in the resolved-frame cache.  It makes no
 * call, so it saves no registers. */
static inline __attribute__((always_inline)) bool frames_next(whence_frames *it, whence_frame *out) {
    if (WH_LIKELY(it != NULL && out != NULL)) {
        uintptr_t e = it->cur;
        uint32_t k = it->depth;
        if (!e) {
            int i = it->next;
            if (WH_UNLIKELY(i < 0 || i >= it->n || !it->pcs) || WH_UNLIKELY(!(e = it->pcs[i])))
                return frames_next_slow(it, out);
            it->next = i + 1;
            it->cur = e;
            it->depth = k = wh_token_skip(e);
        }
        uintptr_t key = WH_LIKELY(k <= WH_TOKEN_MAX) ? wh_fc_key(e & ~WH_SKIP_MASK, k) : 0;
        if (WH_LIKELY(key != 0) && WH_LIKELY(wh_fc_read(key, 0, out, NULL))) {
            if (out->inlined)
                it->depth = k + 1;
            else
                it->cur = 0;
            return true;
        }
    }
    return frames_next_slow(it, out);
}

WH_EXPORT WH_RT bool whence_frames_next(whence_frames *it, whence_frame *out) {
    return frames_next(it, out);
}
