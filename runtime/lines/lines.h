/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * lines.h - the line of an exact pc (a crash's faulting instruction, a pc
 * a signal interrupted) from the image's own .debug_line.
 *
 * whence's records name calls exactly, but a pc between calls has no record
 * (line records, WHENCE_LINES=1, are opt-in because LLVM orders them
 * unreproducibly).  The builds whence serves (-g, -gline-tables-only) carry
 * .debug_line in the file unless it was stripped, so for an exact pc the
 * file is opened and read, async-signal-safely (open, fstat, mmap; no
 * malloc, no stdio), once per image: image.c finds the file through the
 * loader's own record of the image (_dl_find_object: the path and load bias
 * it registered at load time; /proc/self/exe for the program itself, which
 * stays the executed file even if the path was replaced, unless it was
 * started as `ld.so ./prog`), checks that the file is the loaded image (build
 * id, headers, and the code bytes around the pc), and keeps the mapping
 * (file names point into it).  A stripped image's line and symbol tables
 * are read from its separate debug file (debugfile.c says where to look,
 * image.c checks it is this build's); compressed debug sections are
 * inflated first (inflate.c).  lineprog.c reads the line program.
 * exact.c decides what may be said: the line, or what is known without
 * claiming one ("line unknown; placed after the call at line 8", "line
 * unknown").
 */
#ifndef WHENCE_RUNTIME_LINES_H
#define WHENCE_RUNTIME_LINES_H

#include "../lookup.h"

/* Why an image's file gave no line. */
enum {
    WH_LN_OK = 0,
    WH_LN_NOFILE,      /* the image's file cannot be opened or read */
    WH_LN_NODEBUG,     /* no .debug_line (stripped) */
    WH_LN_COMPRESSED,  /* debug sections compressed in an unknown format */
    WH_LN_DIFFERS,     /* the file on disk is not the loaded image */
    WH_LN_NOROW,       /* no row covers the pc, or its line is 0 */
    WH_LN_BAD,         /* malformed line table */
    WH_LN_BUSY,        /* being opened by another thread right now */
    WH_LN_NOIMAGE,     /* pc is in no object the loader knows (records
                          registered from memory: tests, generated code) */
    WH_LN_UNVERIFIED,  /* a file without build id whose being the loaded one
                          cannot be checked (/proc/self/maps unreadable) */
    WH_LN_SANDBOX,     /* not opened: a seccomp filter is active (crash report) */
    WH_LN_DBG_OTHER,   /* stripped, and the separate debug file found is of
                          another build (build id or CRC differ) */
    WH_LN_ZSTD,        /* zstd-compressed debug sections (no decoder here) */
    WH_LN_ZBAD,        /* a zlib-compressed one does not inflate to its size */
    WH_LN_ZBIG,        /* one would inflate past WH_Z_MAX_SIZE (image.c) */
    WH_LN_ZMEM,        /* no memory to inflate them into */
    WH_LN_AMBIG,       /* two sequences cover the pc: code the linker folded */
    WH_LN_BUILDING,    /* the image's row index is being built by the code this
                          signal handler interrupted, on its own thread */
    WH_LN_LEFT,        /* its build was left (a longjmp out of a signal handler)
                          WH_ROWS_RETAKES times: not tried again */
    WH_LN_CHANGED,     /* the file was written over (size or mtime changed)
                          after it was mapped and checked */
};

/* Position of an exact pc per .debug_line.  name/dir point into the kept
 * mapping (not NUL-terminated). */
struct wh_dwarf_pos {
    const char *name, *dir, *base; /* base: what a relative dir is relative to */
    size_t name_len, dir_len, base_len;
    /* DWARF 4 and earlier, for a relative path (the compilation directory
     * is not in .debug_line): the unit's file 1 when it is a relative name
     * in the compilation directory, which the records' module name ends
     * with (inlined.c takes the directory from there); else len 0. */
    const char *unit_file;
    size_t unit_file_len;
    uint32_t line, column;
    bool dir_cu;  /* dir is DWARF 5's directory 0, the compilation directory */
    bool base_cu; /* base is that directory too (inlined.c puts a DWARF 4
                   * unit's directory there, taken from the records) */
};
/* pc lies in function [entry, entry + size) of a registered image. */
WH_HIDDEN int wh_dwarf_line(uintptr_t pc, uintptr_t entry, uint32_t size,
                            struct wh_dwarf_pos *out);
WH_HIDDEN const char *wh_ln_reason(int why);
/* Set by a crash report in a process under a seccomp filter: no file is
 * opened from then on (a filter that traps or kills openat would end the
 * process with SIGSYS in the middle of the report). */
WH_HIDDEN void wh_lines_no_open(void);
/* Opens and checks the file of the image holding pc now, outside any
 * signal (the crash handler's install: the program's own file, so that a
 * filter installed later leaves its report the lines). */
WH_HIDDEN void wh_lines_preopen(uintptr_t pc);

/* The file of the image holding pc, checked to be that image (symbols.c
 * reads its symbol table): WH_LN_OK, or why not.  base/size: the whole
 * file, mapped for the life of the process; bias: the image's load bias. */
struct lmap;
struct wh_ln_file {
    const uint8_t *base;
    size_t size;
    uintptr_t bias;
    const struct lmap *map;
};
WH_HIDDEN int wh_ln_file_of(uintptr_t pc, struct wh_ln_file *f);
/* The separate debug file of f's image (debugfile.c, image.c), checked to
 * be that image's: d->base/size its mapping, d->bias and d->map f's (the
 * code is compared with the image's own file: a debug file's .text is
 * NOBITS).  false if there is none. */
WH_HIDDEN bool wh_ln_debug_file(const struct wh_ln_file *f, struct wh_ln_file *d);

/* Separate debug files (debugfile.c): candidate i of an image's, in gdb's
 * order: by build id in each debug directory (WHENCE_DEBUG_FILE_DIRECTORY,
 * at most WH_DBG_MAX_DIRS), then by .gnu_debuglink name next to the image,
 * in its .debug/, and under each debug directory.  The path goes into buf
 * (NUL-terminated); WH_DBG_SKIP when candidate i does not apply (no build
 * id, no debuglink, a path longer than len), WH_DBG_END past the last. */
#define WH_DBG_MAX_DIRS 8
/* At most this many files are opened as candidates for one image (a
 * candidate that does not exist costs one failed open, and there are at
 * most 2 + 2 * WH_DBG_MAX_DIRS of those). */
#define WH_DBG_MAX_OPENED 4
struct wh_dbg_key {
    const uint8_t *bid;      /* the image's build id */
    uint32_t bid_len;        /* 0: none */
    const char *objdir;      /* the directory of the image's file */
    size_t objdir_len;       /* 0: unknown */
    const char *link;        /* the .gnu_debuglink name */
    size_t link_len;         /* 0: none */
};
enum { WH_DBG_END = -1, WH_DBG_SKIP = 0, WH_DBG_BY_ID, WH_DBG_BY_LINK };
/* Sets the debug directory list (at load time, from the environment;
 * tests).  Not while candidates are being built. */
WH_HIDDEN void wh_dbg_set_dirs(const char *list);
WH_HIDDEN int wh_dbg_candidate(const struct wh_dbg_key *k, uint32_t i, char *buf, size_t len);
/* The .gnu_debuglink section of the ELF file [base, base + size): its name
 * (not NUL-terminated, *len bytes, no '/') and CRC32.  Bounds checked. */
WH_HIDDEN bool wh_debuglink(const uint8_t *base, size_t size, const char **name, size_t *len,
                            uint32_t *crc);
/* CRC-32 as gdb checks a debuglink file: wh_crc32(0, file, size) (the
 * gzip trailer's, profile/gzip.c). */
WH_HIDDEN uint32_t wh_crc32(uint32_t crc, const uint8_t *p, size_t n);
/* The loaded code around pc (64 bytes each side, inside [entry, entry +
 * size)) is the file's. */
WH_HIDDEN bool wh_ln_same_code(const struct wh_ln_file *f, uintptr_t pc, uintptr_t entry,
                               size_t size);

/* A function outside instrumented code, from its image's symbol table
 * (symbols.c): name (NUL-terminated, in the file's mapping; NULL when no
 * symbol holds the pc), its start and size; object: the image's path. */
struct wh_fsym {
    const char *name;
    uintptr_t start;
    size_t size;
    const char *object;
    uintptr_t bias;
};
/* false when pc is in no loaded object; else *s (name NULL when the file
 * cannot be read or no function symbol holds pc). */
WH_HIDDEN bool wh_foreign_sym(uintptr_t pc, struct wh_fsym *s);
/* Calls fn for each function symbol of the .symtab of the file of the
 * image holding pc (name, its length, [lo, hi) in memory) until it returns
 * false; false when there is no such file or table (the profiler's names
 * of functions the dynamic symbol table leaves out). */
typedef bool (*wh_sym_fn)(void *ctx, const char *name, size_t len, uintptr_t lo, uintptr_t hi);
WH_HIDDEN bool wh_symtab_each(uintptr_t pc, wh_sym_fn fn, void *ctx);
/* pc is in an object the loader knows. */
WH_HIDDEN bool wh_in_object(uintptr_t pc);
/* "file:line +0xOFF" (the line table's line of at, the offset of pc in the
 * function), "object +0xOFF" without a line, "object+0xADDR" (the file
 * address) without a symbol (stack.c). */
struct wh_buf;
/* A foreign function's symbol as a frame's name: a C++ one demangled
 * (cxx/demangle.c: its qualified name, no parameters) when the demangler
 * can print it exactly, else the symbol as it is. */
WH_HIDDEN void wh_put_sym_name(struct wh_buf *w, const char *sym);
WH_HIDDEN void wh_put_foreign_pos(struct wh_buf *w, const struct wh_fsym *s, uintptr_t at,
                                  uintptr_t pc);
struct wh_exact;
/* The file of an exact position: the records' spelling, else the line
 * table's under its directory. */
WH_HIDDEN void wh_put_exact_file(struct wh_buf *w, const struct wh_exact *x);

/* What may be said about an exact pc. */
enum {
    WH_EXACT_RECORD,   /* a line record names pc: the site chain is exact */
    WH_EXACT_LINE,     /* .debug_line's line (file, line, column) */
    WH_EXACT_AFTER,    /* unknown; the last call before it is at `after` */
    WH_EXACT_UNKNOWN,  /* unknown */
};
struct wh_exact {
    int how;
    int why;               /* WH_LN_*: why .debug_line did not answer */
    const char *file;      /* always set (the function's file when unknown) */
    const char *fn_file;   /* the function's own file */
    uint32_t line, column; /* WH_EXACT_LINE */
    uint32_t after;        /* WH_EXACT_AFTER: line of the call, in the function, */
    const char *after_file; /* in this file (not the function's after a #line) */
    bool inlined_code;     /* the line belongs to code inlined into the function */
    bool file_dwarf;       /* file is the line table's name, none of the records' */
    struct wh_dwarf_pos pos; /* WH_EXACT_LINE: the line table's position */
};
/* inlined.c: for .debug_line's position d of an exact pc in pi's
 * function, whether it is code inlined into the function (a line of a
 * file at or past the start of a function of that file the records know
 * to be inlined into it, or into some function without a call; in the
 * function's own file, a start past its first line unless the line is
 * before it), and in *file the records' spelling of
 * d's file when exactly one of the module's files is d's (else NULL).
 * Answered from a per-module index once the module was asked often
 * enough, else by scanning the module (_scan: always; the same answer). */
WH_HIDDEN bool wh_exact_inlined(const struct wh_pcinfo *pi, const struct wh_dwarf_pos *d,
                                const char **file);
WH_HIDDEN bool wh_exact_inlined_scan(const struct wh_pcinfo *pi, const struct wh_dwarf_pos *d,
                                     const char **file);
/* pi's module has its index (tests). */
WH_HIDDEN bool wh_exact_indexed(const struct wh_pcinfo *pi);

/* wh_pcinfo_sites for an exact pc as the walk hands it on: one logical
 * frame unless a line record names pc (the chain of the call label before
 * pc is not the pc's). */
WH_HIDDEN void wh_exact_sites(struct wh_pcinfo *pi, uintptr_t pc);
/* pi: pc's function (sites need not be looked up). */
WH_HIDDEN void wh_exact_pos(const struct wh_pcinfo *pi, uintptr_t pc, struct wh_exact *out);
/* whence_frame k of an exact entry e (rip | WH_TOKEN_EXACT) when no line
 * record names it: frame 0 is the physical function at the position above
 * (line 0 unless .debug_line gave one); returns false when the site chain
 * is exact (the caller fills the frame as usual). *depth: the frames this
 * entry has. */
WH_HIDDEN bool wh_exact_frame(const struct wh_pcinfo *pi, uintptr_t e, whence_frame *out,
                              struct wh_exact *x);
/* wh_exact_frame as whence_frames and whence_caller give it: a line of
 * code inlined into the function is not the function's line (its own
 * function is not known): line 0, in the function's file. */
WH_HIDDEN bool wh_exact_api_frame(const struct wh_pcinfo *pi, uintptr_t e, whence_frame *out);
/* Said after the function's name where the line tables of two functions
 * cover an interrupted pc (WH_LN_AMBIG): code the linker folded, whose
 * record is the kept function's alone (lld drops the others' with their
 * code; helper-130: another function's fault named as the kept one's). */
#define WH_FOLDED_INTO " (or another function the linker folded into it)"

/* whence_func_line for a plain or exact pc t inside pi's function:
 * WH_FL_LINE with the instruction's own line (0: unknown) in *line and
 * *file; WH_FL_SITES when pc ends a call, pi's sites at pc looked up
 * (wh_pcinfo_sites, exact); WH_FL_RECORDS when a line record names it or
 * pc lies in no loaded object (the caller looks the sites up: the records
 * are all there is). */
enum { WH_FL_RECORDS, WH_FL_LINE, WH_FL_SITES };
WH_HIDDEN int wh_exact_func_line(struct wh_pcinfo *pi, uintptr_t t, const char **file, int *line);

#endif /* WHENCE_RUNTIME_LINES_H */
