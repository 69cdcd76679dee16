/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lineprog.h - a small reader of DWARF line programs (.debug_line, versions
 * 2 to 5): unit headers, their file and directory tables (DWARF 5's entry
 * formats included: .debug_line_str and .debug_str names, MD5 entries), and
 * the state machine that turns a program into rows.
 *
 * Pure and self-contained (no system calls, no allocation, no libc beyond
 * the freestanding headers), so that both the runtime (the faulting line of
 * a crash, runtime/lines/) and a command-line tool can link it.  Every read
 * is bounds-checked against the section buffers it is given; malformed
 * input gives WH_DL_BAD, never a read outside them; every loop is bounded
 * by the bytes it consumes.
 */
#ifndef WHENCE_LINEPROG_H
#define WHENCE_LINEPROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* WH_DL_AMBIG: two sequences cover the address (identical code the linker
 * folded into one copy, --icf): its rows are of either, and neither may be
 * taken. */
enum { WH_DL_OK = 0, WH_DL_BAD, WH_DL_UNSUP, WH_DL_NONE, WH_DL_AMBIG };

struct wh_dl_sect {
    const uint8_t *p;
    size_t n;
};
/* The sections a line program may refer to (absent ones: n = 0), and
 * where the image's code lies: [code_lo[i], code_hi[i]) for i < ncode, at
 * link-time addresses (ncode 0: not known, every sequence is taken).  The
 * line program of code the linker dropped (--gc-sections, a COMDAT copy
 * not kept) keeps its sequence, started at the linker's tombstone: 0 (GNU
 * ld; lld in .debug_line), or -1 or -2.  At 0 in a PIE it covers the first
 * functions' code, and their pcs would take the dropped function's lines:
 * a sequence that does not start in the code is no sequence. */
#define WH_DL_MAX_CODE 8
struct wh_dl_input {
    struct wh_dl_sect line, line_str, str;
    uint32_t ncode;
    uint64_t code_lo[WH_DL_MAX_CODE], code_hi[WH_DL_MAX_CODE];
};

/* Whether [lo, hi] (hi: a sequence's end, one past its code) lies in the
 * image's code; true when that is not known. */
bool wh_dl_in_code(const struct wh_dl_input *in, uint64_t lo, uint64_t hi);

/* One line program's header. */
struct wh_dl_unit {
    const struct wh_dl_input *in;
    size_t off, next;            /* this unit's offset, the next one's */
    uint16_t version;
    uint8_t offset_size, addr_size;
    uint8_t min_inst, max_ops, default_is_stmt, line_range, opcode_base;
    int8_t line_base;
    const uint8_t *std_lens;     /* opcode_base - 1 operand counts */
    const uint8_t *dirs, *files; /* the tables (their format depends on version) */
    const uint8_t *dir_fmt, *file_fmt;
    uint8_t dir_fmt_n, file_fmt_n;
    uint64_t ndirs, nfiles;      /* DWARF 5 only */
    const uint8_t *prog, *end;   /* the program */
};

struct wh_dl_row {
    uint64_t addr;
    uint64_t file;
    uint32_t line, column;
    bool is_stmt, end_sequence;
};

/* A string of the file table: not NUL-terminated in general (len bytes). */
struct wh_dl_str {
    const char *p;
    size_t len;
};
struct wh_dl_file {
    struct wh_dl_str name, dir;  /* dir.len == 0: none */
    /* What a relative dir is relative to: DWARF 5's directory 0 (the
     * compilation directory); len 0 where the table does not say (DWARF 4
     * keeps the compilation directory in .debug_info). */
    struct wh_dl_str base;
    bool dir0; /* dir is DWARF 5's directory 0 */
};

/* Parses the unit header at byte off of .debug_line. */
int wh_dl_unit_at(const struct wh_dl_input *in, size_t off, struct wh_dl_unit *u);
/* Runs the unit's program, calling fn for every row (fn returns false to
 * stop early). */
typedef bool (*wh_dl_row_fn)(void *ctx, const struct wh_dl_row *row);
int wh_dl_rows(const struct wh_dl_unit *u, wh_dl_row_fn fn, void *ctx);
/* File `index` of the unit as the rows number them (1-based before DWARF
 * 5, 0-based in 5). */
int wh_dl_file_at(const struct wh_dl_unit *u, uint64_t index, struct wh_dl_file *out);


/* The row covering addr in the whole section: the last row at the greatest
 * address <= addr of a sequence in the code that goes on past addr.
 * WH_DL_NONE when no sequence covers addr, WH_DL_AMBIG when two do (the
 * whole section is read then). */
struct wh_dl_hit {
    struct wh_dl_unit unit;
    struct wh_dl_row row;
};
int wh_dl_find(const struct wh_dl_input *in, uint64_t addr, struct wh_dl_hit *hit);

#endif /* WHENCE_LINEPROG_H */
