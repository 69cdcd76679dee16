/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * whence_abi.h - the one contract between the whence pass (passes/) and the
 * whence runtimes (runtime/).
 *
 * Every section name, record layout, format version and compiler-inserted
 * hook name is defined here and nowhere else.  The pass is C on the LLVM-C
 * API, so it includes this header directly and spells nothing twice.
 *
 * Layout of what the pass emits per module (x86-64 ELF, little endian):
 *
 *   section whence_fn    one packed record per instrumented function, emitted
 *                        by function-level !pcsections (so it lives in the
 *                        function's comdat, is SHF_LINK_ORDER-tied to its text
 *                        and is dropped with it by --gc-sections):
 *                          int32  entry   (pc-relative to this field)
 *                          uint32 size    (bytes of code)
 *                          uint64 keysub  (module key << 24 | subprog index
 *                                          into that module's subprogs; the
 *                                          key is the module's 40-bit key,
 *                                          see whence_mod_header)
 *                        16 bytes, alignment 1: read with memcpy.
 *
 *   section whence_site  one record per call site, emitted by an inline asm
 *                        label placed before the call (a unique local label,
 *                        "ao" tied to that label, so it survives inlining and
 *                        unrolling and dies with its function):
 *                          int32  label   (pc-relative to this field)
 *                          uint32 loc     (a site word: index into the
 *                                          module's locs, or a flat
 *                                          position, see WHENCE_SITE_FLAT)
 *                        8 bytes, alignment 4.
 *
 *   section whence_line  line records of loads, stores and atomics: the first
 *                        memory operation of each source position in a
 *                        block carries instruction-level !pcsections (kept by
 *                        every instruction selector for memory operations;
 *                        code and line tables stay byte-identical), so a pc
 *                        that faults or is sampled between calls still has
 *                        its line.  The AsmPrinter emits, per distinct
 *                        metadata node, one pc word for every machine
 *                        instruction carrying it (FastISel labels each
 *                        instruction it makes for one IR instruction, and
 *                        equal nodes are shared) and then ONE aux word, so
 *                        the section is a stream of 32-bit words, alignment
 *                        1 (read with memcpy):
 *                          pc word   int32, pc = &word + value
 *                          loc word  WHENCE_LINE_LOC_TAG | loc: the loc of
 *                                    every pc word since the previous loc word
 *                        A pc-relative value with that top byte would be a
 *                        distance of ~2 GiB, which no image spans.
 *
 *   section whence_mod   one table per module (whence_mod_header + arrays +
 *                        strings), retained (llvm.used -> SHF_GNU_RETAIN),
 *                        8-aligned, a multiple of 8 bytes.  It holds no
 *                        address of code, so it keeps no function alive.
 *
 *   section whence_tab   room for the post-link lookup table (below).
 *
 * The linker concatenates each section across all objects of one image (an
 * executable or a DSO).  One module constructor per image (comdat-keyed on
 * its own name, like SanitizerCoverage's) hands the image's hidden
 * __start_/__stop_ bounds of the four sections to WHENCE_HOOK_REGISTER.
 * No record holds an absolute address: PIE and DSOs need no dynamic
 * relocations for any of it.
 */
#ifndef WHENCE_ABI_H
#define WHENCE_ABI_H

#include <stdint.h>

/* Bumped whenever any layout below changes.  A module or image built with a
 * different version is ignored by the runtime with one line on stderr. */
#define WHENCE_ABI_VERSION_NUM 6
#define WHENCE_ABI_VERSION ((uint32_t)WHENCE_ABI_VERSION_NUM)

/* ---- section names (C identifiers, so the linker defines __start_/__stop_) */
#define WHENCE_SECT_FN   "whence_fn"
#define WHENCE_SECT_SITE "whence_site"
#define WHENCE_SECT_MOD  "whence_mod"
#define WHENCE_SECT_LINE "whence_line"

#define WHENCE_START(sect) "__start_" sect
#define WHENCE_STOP(sect)  "__stop_" sect

/* ---- hooks and compiler-generated symbols --------------------------------
 * void WHENCE_HOOK_REGISTER(uint32_t abi_version,
 *                           const void *fn_start,   const void *fn_stop,
 *                           const void *site_start, const void *site_stop,
 *                           const void *mod_start,  const void *mod_stop,
 *                           const void *line_start, const void *line_stop);
 * void WHENCE_HOOK_UNREGISTER(const void *mod_start);
 * The pass references both extern_weak: an instrumented object linked into a
 * program without libwhence still links and runs (nothing registers). */
#define WHENCE_HOOK_REGISTER   "__whence_register"
#define WHENCE_HOOK_UNREGISTER "__whence_unregister"
#define WHENCE_MODULE_CTOR     "__whence.module_ctor"
#define WHENCE_MODULE_DTOR     "__whence.module_dtor"
/* Each image's module constructor also named by an ELF note, in a comdat
 * of its own (one per image): a library's initializer may call into the
 * program (a replaced operator new, a callback) before the program's
 * constructors ran, and the runtime then calls the program's registration
 * itself, found through its program headers (PT_NOTE).  Name
 * WHENCE_NOTE_NAME, type WHENCE_NOTE_TYPE; the descriptor is the ABI
 * version and the constructor's offset from that field (32 bits each; an
 * offset the linker resolves: no section bound, which may be an undefined
 * weak symbol that mold refuses to reach PC-relative). */
#define WHENCE_NOTE_SECT       ".note.whence"
#define WHENCE_NOTE_GLOBAL     "__whence.note"
#define WHENCE_NOTE_NAME       "whence"
#define WHENCE_NOTE_TYPE       0x57480001u
#define WHENCE_CTOR_PRIORITY   1
/* Module flag that marks a module as instrumented (LTO runs the pass again). */
#define WHENCE_DONE_FLAG       "whence.done"
/* Prefix of every symbol the pass creates or the runtime exports as a hook;
 * functions with this prefix are never instrumented. */
#define WHENCE_RESERVED_PREFIX "__whence"
/* The API functions whose answer starts at the frame of the function that
 * called them (whence.h): a call of one of them is never a tail call, even
 * where the pass keeps tail calls (-g), since a tail call would take that
 * frame off the stack and skip 1 would name its caller's caller. */
#define WHENCE_FRAME_API_NAMES \
  "whence_caller", "whence_callers", "whence_write_stack", "whence_write_all_stacks"

/* ---- record layouts ------------------------------------------------------ */

#define WHENCE_FN_RECORD_SIZE   16u  /* packed, see above; no struct on purpose */
#define WHENCE_FN_OFF_ENTRY      0u
#define WHENCE_FN_OFF_SIZE       4u
#define WHENCE_FN_OFF_KEYSUB     8u
/* keysub = key << WHENCE_FN_SUB_BITS | subprog.  40 bits of key keep a
 * collision between two modules of one image below 1e-6 for a thousand
 * modules (and the runtime reports one); 24 bits index 16 M subprogs. */
#define WHENCE_FN_SUB_BITS      24u
#define WHENCE_FN_SUB_MAX       ((1u << WHENCE_FN_SUB_BITS) - 1u)
#define WHENCE_KEY_MASK         ((UINT64_C(1) << (64 - WHENCE_FN_SUB_BITS)) - 1u)
/* A whence_fn record with this subprog is a fence, not a function: the
 * entry of a body the pass did not instrument, or of the tiny function that
 * ends a module.  The runtime takes FDEs between an instrumented function's
 * and the next record's for fragments of that function (code the backend
 * split off: -fsplit-machine-functions, -fbasic-block-sections); fences end
 * that run.  Tables never have this many subprogs (wp_table_fits). */
#define WHENCE_FN_FENCE         WHENCE_FN_SUB_MAX

struct whence_site_record {
    int32_t  label;   /* pc of the label = (char *)&label + label */
    uint32_t loc;     /* site word, below */
};

/* A site word is either an index into the module's whence_loc array, or,
 * with WHENCE_SITE_FLAT set, the position itself, for the common call that
 * is not inlined, is in its function's own file and fits:
 *   bits 30..11  line   (< WHENCE_SITE_FLAT_LINE_LIMIT; 0 when unknown)
 *   bits 10..0   column (<= WHENCE_SITE_FLAT_COL_MAX; 0 when unknown)
 * in the subprog of the function the label is in.  It costs no whence_loc
 * (16 bytes), and the runtime reads no table to name it.  Modules built
 * for LTO (whose functions may yet be inlined into another module's) never
 * use it: a copied flat word could not be told from the function's own. */
/* A module instrumented before an LTO link (WHENCE_MOD_PRELINK) names
 * each site's loc by its address instead: the word is the signed distance
 * from the word itself to the whence_loc (a pc-relative relocation).  LTO
 * copies a function's labels with the function into another module's
 * functions; an index would be read in that module's table, where it may
 * be one of its own calls, while an address names its module. */
#define WHENCE_SITE_FLAT            0x80000000u
#define WHENCE_SITE_FLAT_COL_BITS   11u
#define WHENCE_SITE_FLAT_COL_MAX    ((1u << WHENCE_SITE_FLAT_COL_BITS) - 1u)
#define WHENCE_SITE_FLAT_LINE_LIMIT 0xfffffu /* all-ones stays unused */
#define WHENCE_SITE_FLAT_LINE(w)    (((w) & ~WHENCE_SITE_FLAT) >> WHENCE_SITE_FLAT_COL_BITS)
#define WHENCE_SITE_FLAT_COL(w)     ((w) & WHENCE_SITE_FLAT_COL_MAX)

/* whence_line: see above. */
#define WHENCE_LINE_LOC_TAG  0x7a000000u
#define WHENCE_LINE_TAG_MASK 0xff000000u
#define WHENCE_LINE_LOC_MAX  0x00ffffffu /* larger locs get no line record */

#define WHENCE_MOD_MAGIC 0x314e4857u /* "WHN1" little endian */

/* flags of a module table */
#define WHENCE_MOD_LINES 0x1u  /* debug locations were present: lines are real */
#define WHENCE_MOD_SITES 0x2u  /* body-embedded site labels were emitted */
#define WHENCE_MOD_SLOTS 0x4u  /* caller-frame line slots were emitted */
#define WHENCE_MOD_FENCED 0x8u /* every other body of the module has a fence
                                  record, and its end marker one (WHENCE_FN_FENCE) */
#define WHENCE_MOD_LOC8 0x10u  /* its locs are struct whence_loc8 (8 bytes), not
                                  struct whence_loc */
#define WHENCE_MOD_PRELINK 0x20u /* instrumented before an LTO link: its site
                                  words are loc addresses (below) */
#define WHENCE_MOD_FLAGS_ALL 0x3fu /* every flag this version defines */

struct whence_mod_header {
    uint32_t magic;         /* WHENCE_MOD_MAGIC */
    uint16_t version;       /* WHENCE_ABI_VERSION */
    uint16_t header_size;   /* sizeof(struct whence_mod_header) */
    uint32_t total_size;    /* whole table incl. header; multiple of 8 */
    uint32_t flags;         /* WHENCE_MOD_* */
    uint64_t key;           /* module key (< 2^40); whence_fn records name it */
    uint32_t subprog_count; /* whence_subprog[subprog_count] at subprog_off */
    uint32_t subprog_off;   /* byte offsets are from the header's start */
    uint32_t loc_count;     /* whence_loc[loc_count] at loc_off (whence_loc8
                               with WHENCE_MOD_LOC8) */
    uint32_t loc_off;
    uint32_t str_size;      /* string pool: NUL-terminated, offset 0 is "" */
    uint32_t str_off;
    uint32_t module_name;   /* string: the module's source file */
    uint32_t file_count;    /* uint32_t file strings[file_count] at file_off: */
    uint32_t file_off;      /*   the files subprogs and locs name */
    uint32_t reserved;      /* 0 */
};

/* A function as the source names it: defined here, or inlined into a
 * function defined here.  8 bytes: */
struct whence_subprog {
    uint32_t name;      /* string offset */
    uint32_t line_file; /* WHENCE_SUBPROG_LINE: first line, 0 when unknown or
                           past the field; WHENCE_SUBPROG_FILE: 0 when
                           unknown, else 1 + index into the module's files */
};
#define WHENCE_SUBPROG_LINE_BITS 20u
#define WHENCE_SUBPROG_LINE_MAX  ((1u << WHENCE_SUBPROG_LINE_BITS) - 1u)
#define WHENCE_SUBPROG_FILE_MAX  ((1u << (32u - WHENCE_SUBPROG_LINE_BITS)) - 1u)
#define WHENCE_SUBPROG_LINE(s)   ((s)->line_file & WHENCE_SUBPROG_LINE_MAX)
#define WHENCE_SUBPROG_FILE(s)   ((s)->line_file >> WHENCE_SUBPROG_LINE_BITS)

/* One source position of a call: innermost first, linked outwards through
 * the parent to the position in the physical function.  12 bytes: */
struct whence_loc {
    uint32_t subprog_file;  /* WHENCE_LOC_SUBPROG: the function the position
                               is in; WHENCE_LOC_FILE: 0 for the subprog's
                               file, else 1 + index into the module's files
                               (code after a #line directive: bison and flex
                               output) */
    uint32_t line;          /* 0 when unknown */
    uint32_t parent_column; /* WHENCE_LOC_PARENT: 1 + index of the inlinedAt
                               position, 0 for none; WHENCE_LOC_COLUMN: 0 when
                               unknown, WHENCE_LOC_COLUMN_MAX for that or
                               wider */
};
#define WHENCE_LOC_SUBPROG_BITS 24u /* = WHENCE_FN_SUB_BITS */
#define WHENCE_LOC_FILE_MAX     ((1u << (32u - WHENCE_LOC_SUBPROG_BITS)) - 1u)
#define WHENCE_LOC_PARENT_BITS  20u
#define WHENCE_LOC_PARENT_MAX   ((1u << WHENCE_LOC_PARENT_BITS) - 1u)
#define WHENCE_LOC_COLUMN_MAX   ((1u << (32u - WHENCE_LOC_PARENT_BITS)) - 1u)
#define WHENCE_LOC_SUBPROG(l)   ((l)->subprog_file & ((1u << WHENCE_LOC_SUBPROG_BITS) - 1u))
#define WHENCE_LOC_FILE(l)      ((l)->subprog_file >> WHENCE_LOC_SUBPROG_BITS)
#define WHENCE_LOC_PARENT(l)    ((l)->parent_column & WHENCE_LOC_PARENT_MAX)
#define WHENCE_LOC_COLUMN(l)    ((l)->parent_column >> WHENCE_LOC_PARENT_BITS)

/* The same position in 8 bytes, in a module whose positions all fit
 * (WHENCE_MOD_LOC8: nearly every module; the pass decides per module):
 *   line_column     line (WHENCE_LOC8_LINE_BITS, exact) | file << 20
 *                   (WHENCE_LOC8_FILE_BITS) | column << 24 (exact)
 *   subprog_parent  subprog (WHENCE_LOC8_SUB_BITS) | parent << 16 (1 +
 *                   index, 0 for none, as in whence_loc) */
struct whence_loc8 {
    uint32_t line_column;
    uint32_t subprog_parent;
};
#define WHENCE_LOC8_LINE_BITS   20u
#define WHENCE_LOC8_FILE_BITS   4u
#define WHENCE_LOC8_SUB_BITS    16u
#define WHENCE_LOC8_LINE(l)     ((l)->line_column & ((1u << WHENCE_LOC8_LINE_BITS) - 1u))
#define WHENCE_LOC8_FILE(l)     \
    (((l)->line_column >> WHENCE_LOC8_LINE_BITS) & ((1u << WHENCE_LOC8_FILE_BITS) - 1u))
#define WHENCE_LOC8_COLUMN(l)   ((l)->line_column >> (WHENCE_LOC8_LINE_BITS + WHENCE_LOC8_FILE_BITS))
#define WHENCE_LOC8_SUBPROG(l)  ((l)->subprog_parent & ((1u << WHENCE_LOC8_SUB_BITS) - 1u))
#define WHENCE_LOC8_PARENT(l)   ((l)->subprog_parent >> WHENCE_LOC8_SUB_BITS)
#define WHENCE_LOC8_LINE_MAX    ((1u << WHENCE_LOC8_LINE_BITS) - 1u)
#define WHENCE_LOC8_FILE_MAX    ((1u << WHENCE_LOC8_FILE_BITS) - 1u)
#define WHENCE_LOC8_COLUMN_MAX  ((1u << (32u - WHENCE_LOC8_LINE_BITS - WHENCE_LOC8_FILE_BITS)) - 1u)
#define WHENCE_LOC8_SUB_MAX     ((1u << WHENCE_LOC8_SUB_BITS) - 1u)
#define WHENCE_LOC8_PARENT_MAX  ((1u << (32u - WHENCE_LOC8_SUB_BITS)) - 1u)

/* ---- frame slots (modules where site labels are off) ---------------------
 * Each instrumented function that makes calls keeps one struct whence_slot
 * in its own stack frame: at entry the pass stores its frame address
 * (llvm.frameaddress(0), the value of its frame pointer) into frame and its
 * module's WHENCE_SLOT_TAG into tag, and before each call the index of the
 * call's whence_loc in the module table into loc.  All stores are volatile
 * and store immediates or the frame pointer: no register is needed.  There
 * is no list and no thread-local state: the runtime finds the slot of a
 * calling frame whose frame pointer is F and whose stack pointer at the
 * call is S by looking in [S, F) for the word F followed by the tag of the
 * module the frame's pc lies in and the index of a loc of that function.
 * A frame that goes away without returning (tail call, longjmp, unwinding,
 * a fiber switch) leaves nothing to repair. */
struct whence_slot {
    const void *frame; /* the owner's frame address */
    uint32_t    loc;   /* the call in progress: whence_loc index */
    uint32_t    tag;   /* WHENCE_SLOT_TAG(the module's key) */
};
/* Top bit set: the word (tag << 32 | loc) is no user-space address and no
 * small integer, and differs from module to module. */
#define WHENCE_SLOT_TAG(key) \
    ((uint32_t)(((uint64_t)(key) ^ ((uint64_t)(key) >> 32)) | 0x80000000u))

/* ---- the post-link lookup table (whence-link) ---------------------------
 * Every module also reserves room in section whence_tab: SHT_NOBITS,
 * writable, retained (SHF_GNU_RETAIN), 8-aligned, so it costs no byte of
 * the file and no page of memory until written.  The linker concatenates
 * the reservations after .bss, at the end of the image's last segment.
 * The post-link tool whence-link (tools/whence-link/) builds one lookup
 * table for the whole image there, from the linked records: it makes the
 * reservation and the .bss before it part of the file and writes the
 * table into it.  The records stay as they are (a runtime that cannot use
 * the table answers from them), but a runtime that adopts the table reads
 * only the table and the module tables' headers, names and files (the
 * table holds packed copies of their subprogs and locs).
 *
 * The module constructor calls WHENCE_HOOK_REGISTER_TAB with the bounds of
 * the four record sections and of whence_tab when the runtime has it, else
 * WHENCE_HOOK_REGISTER (an older runtime: no table) with the same eleven
 * arguments, of which it reads its nine (the x86-64 caller pops stack
 * arguments):
 *   void WHENCE_HOOK_REGISTER_TAB(uint32_t abi_version,
 *                                 <the eight bounds of WHENCE_HOOK_REGISTER>,
 *                                 const void *tab_start, const void *tab_stop);
 *
 * The table (all offsets from the header's own address, so it needs no
 * relocation in a PIE or DSO; integers little endian, read with memcpy):
 *
 *   header     struct whence_tab_header
 *   functions  struct whence_tab_func[nfunc], sorted by start, not
 *              overlapping: the code ranges of the image's functions, of
 *              fences (bodies not instrumented), and of fragments (code
 *              the backend split off a function).  A whence_func of an
 *              image with a table is the address of its entry here.  An
 *              entry's word holds, fixed-width, what pc -> function and
 *              function -> name read (so that they decode nothing): its
 *              low WHENCE_TAB_SIZE_BITS(split) bits the range's size (0:
 *              in its description), the bits above a function's module
 *              index (its low WHENCE_TAB_MOD_BITS(split) bits) and
 *              subprog (the rest); those upper bits all ones for a fence,
 *              a fragment, or a function whose module and subprog do not
 *              fit (they are in its description)
 *   descs      uint32_t[nfunc], right after the functions: kind <<
 *              WHENCE_TAB_KIND_SHIFT | the offset of the range's
 *              description in data
 *   buckets    struct whence_tab_bucket[nbucket], one per 4 KiB of the
 *              span from the lowest range (Go's findfunctab): the range of
 *              the bucket's first byte, and per 128 bytes a delta to the
 *              range of that sub-bucket's first byte (the scan goes on
 *              from there; a delta past 255 reads 255), and a check word
 *              of the bucket and of the function entries a lookup in it
 *              reads (from its range to the one after the next bucket's)
 *   modules    struct whence_tab_mod[nmod], sorted by off: the module
 *              tables (whence_mod) the functions name, as validated, and
 *              where the table holds their subprogs and locs packed (below)
 *   subfn      uint32_t[nsubfn]: for modules with frame slots, the function
 *              index of each subprog (UINT32_MAX: none), so a slot's loc
 *              names its function
 *   data       the ranges' descriptions, varints (LEB128; signed ones
 *              zigzag), at desc & WHENCE_TAB_DATA_MASK, each group of
 *              WHENCE_TAB_GROUP ranges' after a check word of their
 *              description words and descriptions (to the next group's
 *              check word, or the data's end); each first its
 *              size when its entry's size bits are 0, then:
 *                function  when its entry's upper bits are all ones, its
 *                          module index and subprog; then its lines
 *                fence     nothing
 *                fragment  function index of its owner, flags
 *                          (WHENCE_TAB_FRAG_FRAMED), then its lines
 *              lines: the count n of changes (a varint); for n > 0 a
 *              16-bit little-endian word h of the widths wpc = h & 63 (<=
 *              32), wt = h >> 6 & 63 (<= 48) and wc = h >> 12 (<= 11),
 *              then n changes of wpc + wt bits each, change k at bit k *
 *              (wpc + wt) (bits as in the packs below), in pc order:
 *                pc        its offset from the range's start (wpc bits)
 *                t         (wt bits) t & 1: a loc index, t >> 1;
 *                          else a flat site word (whence_site_record):
 *                          z = t >> 1, its column z's low wc bits, its
 *                          line the first line of the function's subprog
 *                          + zigzag(z >> wc)
 *              so that the change at or below x is found by bisection and
 *              read in place; the data ends with 8 bytes of zeros (every
 *              change is read with 8-byte loads inside the data).
 *              The site word at x is the word of the last change at or
 *              below x: exactly the call label (or its stand-in) the
 *              runtime would find among the records; before the first
 *              change, the function's first line (WHENCE_SITE_FLAT, line
 *              0) in a function and "unknown" (flat line
 *              WHENCE_SITE_FLAT_LINE_LIMIT) in a fragment.
 *   packs      per module whose whence_tab_mod.pack is not 0: its subprogs
 *              and locs, the same values as its module table's arrays,
 *              bit-packed with the module's own field widths, so that entry
 *              i is still read in O(1).  A field of w (<= 32) bits at bit
 *              b is bits b % 8 .. b % 8 + w - 1 of the little-endian 64-bit
 *              word at byte b / 8.  At &pack + pack, subprog i at bit i * (the
 *              three subprog widths), fields in this order:
 *                name, WHENCE_SUBPROG_LINE, WHENCE_SUBPROG_FILE
 *              then, after the subprogs' last chunk (below), loc i at
 *              bit i * (the five loc widths), in this order:
 *                subprog     WHENCE_LOC_SUBPROG
 *                file        WHENCE_LOC_FILE
 *                line        0 for line 0, else line - line0 - line_bias + 1,
 *                            line0 being the first line of the loc's subprog
 *                            (0 when it names none)
 *                parent      i - the parent's index (0: none; a parent
 *                            index that is not below i is none, as in
 *                            whence_loc)
 *                column      WHENCE_LOC_COLUMN
 *              Both arrays are in chunks of WHENCE_TAB_CHUNK entries: a
 *              check word (uint32_t, unaligned) of the chunk's bytes,
 *              then the chunk's entries from the next byte (entry i at
 *              bit (i % WHENCE_TAB_CHUNK) * its width there: tabfmt.h,
 *              wh_pk_chunk_bytes);
 *              and 8 bytes of zeros after the last pack, so that every
 *              field is read with one 8-byte load inside the table.  A
 *              runtime that cannot use a module's pack (a wrong check or
 *              bounds) reads the module table's arrays instead.
 *   checks     uint32_t[ncheck]: one per WHENCE_TAB_CHUNK words of subfn
 *              (wh_tab_subfn_check, tabfmt.h).  The header's checksum
 *              vouches for the header alone; these, the buckets', the
 *              groups' and the chunks' let the runtime vouch for the rest
 *              where it first reads it, next to what it reads (no page
 *              more), so that a table
 *              damaged after whence-link wrote it (a bad block, a tool
 *              that rewrote the section) is not believed where it is
 *              damaged (the runtime answers from the records there),
 *              never another function's name or line.
 */
#define WHENCE_SECT_TAB          "whence_tab"
#define WHENCE_HOOK_REGISTER_TAB "__whence_register_tab"
#define WHENCE_TAB_MAGIC         0x31544857u /* "WHT1" little endian */
#define WHENCE_TAB_VERSION       5u /* 2: 128-byte sub-buckets; 3: packed subprogs and locs;
                                       4: fixed-width function entries and
                                       changes; 5: check words */

struct whence_tab_header {
    uint32_t magic;          /* WHENCE_TAB_MAGIC */
    uint16_t version;        /* WHENCE_TAB_VERSION */
    uint16_t header_size;    /* sizeof(struct whence_tab_header) */
    uint32_t total_size;     /* the whole table, a multiple of 8 */
    uint32_t split;          /* the function entries' word: WHENCE_TAB_SPLIT */
    /* The records it was built from: their sections' start minus the
     * header's address, and their sizes (a section the image lacks: 0, 0).
     * The runtime adopts the table only for exactly these records. */
    int64_t fn_rel, site_rel, mod_rel;
    int64_t text_rel;        /* start of the lowest range - header address */
    uint32_t fn_size, site_size, mod_size;
    uint32_t span;           /* end of the highest range - its start */
    uint32_t nfunc, func_off;
    uint32_t nbucket, bucket_off;
    uint32_t nmod, mod_off;
    uint32_t nsubfn, subfn_off;
    uint32_t data_size, data_off;
    uint32_t nfrag;          /* fragment ranges among the functions */
    uint32_t checksum;       /* wh_tab_checksum of the header, this field 0 */
    uint32_t ncheck, check_off; /* subfn's check words (below) */
};

struct whence_tab_func {
    uint32_t start;          /* from the lowest range's start */
    uint32_t word;           /* size | module index and subprog (above) */
};
/* The header's split: bits of a function entry's size (1..31) and of its
 * module index (at most 31 - the size bits) in its word. */
#define WHENCE_TAB_SPLIT(size_bits, mod_bits) ((uint32_t)(size_bits) | (uint32_t)(mod_bits) << 8)
#define WHENCE_TAB_SIZE_BITS(split) ((split) & 0xffu)
#define WHENCE_TAB_MOD_BITS(split)  ((split) >> 8 & 0xffu)
#define WHENCE_TAB_KIND_SHIFT 30u
#define WHENCE_TAB_DATA_MASK  ((1u << WHENCE_TAB_KIND_SHIFT) - 1u)
#define WHENCE_TAB_FUNCTION   0u
#define WHENCE_TAB_FENCE      1u
#define WHENCE_TAB_FRAGMENT   2u
#define WHENCE_TAB_FRAG_FRAMED 1u /* its function's frame is set up where it starts */

#define WHENCE_TAB_GROUP        8u  /* ranges per check word */
#define WHENCE_TAB_CHUNK        64u /* packed subprogs, locs or subfn words per check word */

#define WHENCE_TAB_BUCKET_SHIFT 12u
#define WHENCE_TAB_SUB_SHIFT    7u
#define WHENCE_TAB_NSUB         (1u << (WHENCE_TAB_BUCKET_SHIFT - WHENCE_TAB_SUB_SHIFT))
struct whence_tab_bucket {
    uint32_t idx;            /* range of the bucket's first byte (or the first range) */
    uint8_t sub[WHENCE_TAB_NSUB];
    uint32_t check;          /* wh_tab_bucket_check (runtime/tabfmt.h): the bucket
                                and the entries a lookup in it reads */
};

struct whence_tab_mod {
    uint32_t off;            /* its table's offset in whence_mod */
    uint32_t subfn;          /* index in subfn of its subprog 0, or UINT32_MAX */
    uint64_t key;            /* its key, as its header says */
    uint32_t pack;           /* offset of its packed subprogs and locs from
                                this field's own address; 0: none (its
                                module table's arrays answer) */
    int32_t line_bias;       /* of its packed loc lines */
    uint8_t width[8];        /* bits of each packed field: WHENCE_TAB_W_* */
    uint32_t check;          /* wh_tab_mod_check (runtime/tabfmt.h) of the
                                fields above */
    uint32_t reserved;       /* 0 */
};
/* The packed fields, in their order. */
enum {
    WHENCE_TAB_W_SNAME, WHENCE_TAB_W_SLINE, WHENCE_TAB_W_SFILE,
    WHENCE_TAB_W_LSUB, WHENCE_TAB_W_LFILE, WHENCE_TAB_W_LLINE, WHENCE_TAB_W_LPARENT,
    WHENCE_TAB_W_LCOL
};

/* The widths word of a range's lines. */
#define WHENCE_TAB_LW(wpc, wt, wc) ((uint16_t)((wpc) | (wt) << 6 | (wc) << 12))

/* Room a module reserves in whence_tab (the pass; bytes): per record of
 * whence_fn (functions and fences), per site, per subprog of a module with
 * frame slots, per WHENCE_TAB_RESERVE_INSTRS IR instructions (buckets),
 * per basic block (fragments), plus a base.  Generous: it costs only
 * address space until whence-link writes what it needs. */
#define WHENCE_TAB_RESERVE_BASE    512u
#define WHENCE_TAB_RESERVE_FUNC    24u
#define WHENCE_TAB_RESERVE_SITE    10u
#define WHENCE_TAB_RESERVE_SUBPROG 4u
#define WHENCE_TAB_RESERVE_INSTRS  4u
#define WHENCE_TAB_RESERVE_BLOCK   4u

/* ---- copies of the runtime in one process ---------------------------------
 * libwhence.a linked into several shared objects that a host loads
 * RTLD_LOCAL (a Python process and its C extensions, a plugin host) puts
 * several copies of the runtime in one process, each with its own registry,
 * each binding the images it was linked with.  Each copy exports a
 * struct whence_peer named WHENCE_PEER_SYMBOL; a registration or
 * unregistration at one copy is passed on to every other copy it finds in
 * the loaded objects' dynamic symbol tables, and a copy's first
 * registration (or its constructor) asks the others for the images they
 * were given (each), so that every copy names every image.  Copies of another WHENCE_PEER_VERSION
 * are left alone (one message).  A copy in a program linked without
 * -rdynamic exports nothing and is found by no other. */
#define WHENCE_PEER_SYMBOL  "__whence_peer"
#define WHENCE_PEER_VERSION 1u

/* An image as its module constructor registered it (the hooks' arguments;
 * tab_start = tab_stop = 0 when it called WHENCE_HOOK_REGISTER). */
struct whence_peer_image {
    uint32_t abi_version, reserved;
    uintptr_t fn_start, fn_stop, site_start, site_stop, mod_start, mod_stop;
    uintptr_t line_start, line_stop, tab_start, tab_stop;
};

struct whence_peer {
    uint32_t version;        /* WHENCE_PEER_VERSION */
    uint32_t size;           /* sizeof(struct whence_peer) */
    /* Register or unregister at this copy only (no message, nothing passed
     * on); callers hold the dynamic linker's lock (a constructor or a
     * destructor), so neither copy goes away meanwhile. */
    void (*add)(const struct whence_peer_image *img);
    void (*remove)(uintptr_t mod_start);
    /* Calls fn for every live image registered at this copy's own hooks. */
    void (*each)(void (*fn)(void *ctx, const struct whence_peer_image *img), void *ctx);
    /* from is another copy, which passes its registrations on here: this
     * copy passes its unregistrations on to from without a search (a
     * fork's child may find the dynamic linker's lock held at exit). */
    void (*hello)(const struct whence_peer *from);
    /* The copy's crash and SIGQUIT handlers (sigactions), for another
     * copy's to know them among the handlers installed before its own:
     * absent (size) in copies before them.  A copy that wrote its report
     * calls such a handler with si_errno WHENCE_PEER_REPORTED in a copy of
     * the siginfo: that one then writes none (one report, not one per
     * copy) and goes on to its previous handler and the default action. */
    const void *crash_handler;
    const void *quit_handler;
};
#define WHENCE_PEER_REPORTED 0x57484e43 /* "WHNC" */

#endif /* WHENCE_ABI_H */
