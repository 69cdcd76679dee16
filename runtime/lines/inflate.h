/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * inflate.h - a zlib stream (RFC 1950 around RFC 1951's deflate) into a
 * buffer of the size the stream's container declares: compressed debug
 * sections (ELF's SHF_COMPRESSED with ELFCOMPRESS_ZLIB, what `-gz` and
 * Debian's debug packages ship, and GNU's older .zdebug_*), read by the
 * crash report where no zlib may be linked and nothing may be allocated.
 *
 * Pure (no system calls, no allocation: the caller hands in the output
 * buffer and the decoder's tables), so that the runtime, a command-line
 * tool and a unit test link it alike.  Any input is answered without a
 * read or write outside the buffers, in time linear in the input and
 * output sizes: every symbol decoded consumes input bits and, but for a
 * block's end, writes output bytes.
 */
#ifndef WHENCE_RUNTIME_LINES_INFLATE_H
#define WHENCE_RUNTIME_LINES_INFLATE_H

#include <stddef.h>
#include <stdint.h>

enum {
    WH_INF_OK = 0,
    WH_INF_BAD,   /* not a zlib stream, a malformed block, or cut short */
    WH_INF_CHECK, /* complete, but its Adler-32 is not the output's */
    WH_INF_SIZE,  /* it inflates to more, or fewer, bytes than declared */
};

/* Fast-table width of a Huffman code: codes up to this many bits are
 * decoded by one lookup, longer ones (rare: deflate's are up to 15) bit by
 * bit. */
#define WH_INF_FAST_BITS 9

struct wh_inf_huff {
    uint16_t count[16];                  /* codes of each length */
    uint16_t sym[288];                   /* symbols in canonical order */
    uint16_t fast[1u << WH_INF_FAST_BITS]; /* len << 9 | sym; 0: decode slowly */
};
/* The decoder's tables (4.8 KiB): the caller's memory, so that a signal
 * handler on a small stack need not hold them. */
struct wh_inf_work {
    struct wh_inf_huff lit, dist, clen;
};

/* Inflates the zlib stream at [in, in + n) into out, which holds size
 * bytes: WH_INF_OK when the stream's last block ends with exactly size
 * bytes written and its Adler-32 trailer matches them.  Bytes after the
 * trailer are ignored.  out's contents are unspecified on failure. */
int wh_inflate(const uint8_t *in, size_t n, uint8_t *out, size_t size, struct wh_inf_work *w);

/* The Adler-32 of [p, p + n) (RFC 1950), continued from adler (1 to start). */
uint32_t wh_adler32(uint32_t adler, const uint8_t *p, size_t n);

#endif /* WHENCE_RUNTIME_LINES_INFLATE_H */
