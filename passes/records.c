/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * records.c - the per-module table of whence_abi.h: subprogs, locs and a
 * string pool are planned here while the IR is only read, then serialized
 * into one private constant global in section WHENCE_SECT_MOD.  Also the
 * module key and the small containers the planning needs.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- containers ---------------------------------------------------------- */

int wp_grow(void **p, uint32_t *cap, uint32_t need, size_t elsz) {
  if (need <= *cap)
    return 0;
  uint64_t nc = *cap ? *cap : 16;
  while (nc < need)
    nc *= 2;
  if (nc > UINT32_MAX || nc * elsz > (uint64_t)SIZE_MAX / 2)
    return -1;
  void *q = realloc(*p, (size_t)nc * elsz);
  if (!q)
    return -1;
  *p = q;
  *cap = (uint32_t)nc;
  return 0;
}

static uint32_t hash_ptr(uintptr_t k) {
  uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15ull;
  return (uint32_t)(x >> 32);
}

uint32_t wp_map_get(const struct wp_map *m, uintptr_t key) {
  if (!m->cap)
    return UINT32_MAX;
  for (uint32_t i = hash_ptr(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return m->vals[i];
    if (!m->keys[i])
      return UINT32_MAX;
  }
}

static int map_rehash(struct wp_map *m, uint32_t ncap) {
  uintptr_t *nk = calloc(ncap, sizeof *nk);
  uint32_t *nv = calloc(ncap, sizeof *nv);
  if (!nk || !nv) {
    free(nk);
    free(nv);
    return -1;
  }
  for (uint32_t j = 0; j < m->cap; j++) {
    if (!m->keys[j])
      continue;
    uint32_t i = hash_ptr(m->keys[j]) & (ncap - 1);
    while (nk[i])
      i = (i + 1) & (ncap - 1);
    nk[i] = m->keys[j];
    nv[i] = m->vals[j];
  }
  free(m->keys);
  free(m->vals);
  m->keys = nk;
  m->vals = nv;
  m->cap = ncap;
  return 0;
}

int wp_map_put(struct wp_map *m, uintptr_t key, uint32_t val) {
  /* Keep the load under 1/2 so probes stay short. */
  if ((m->n + 1) * 2 > m->cap) {
    if (m->cap >= (1u << 30) || map_rehash(m, m->cap ? m->cap * 2 : 64))
      return -1;
  }
  uint32_t i = hash_ptr(key) & (m->cap - 1);
  while (m->keys[i] && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  if (!m->keys[i])
    m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
  return 0;
}

void wp_map_free(struct wp_map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---- strings --------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
#define FNV_OFFSET 0xcbf29ce484222325ull

void wp_table_init(struct wp_table *t, LLVMContextRef ctx) {
  memset(t, 0, sizeof *t);
  t->ctx = ctx;
  /* Offset 0 is the empty string. */
  if (wp_grow((void **)&t->str, &t->capstr, 1, 1))
    t->oom = 1;
  else
    t->str[t->nstr++] = 0;
}

void wp_table_free(struct wp_table *t) {
  free(t->files);
  free(t->sub);
  free(t->loc);
  free(t->str);
  wp_map_free(&t->submap);
  wp_map_free(&t->locmap);
  wp_map_free(&t->strmap);
  wp_map_free(&t->filemap);
  wp_names_free(&t->names);
  memset(t, 0, sizeof *t);
}

/* The string map is keyed on the (non-zero) hash; a collision of two
 * different strings is resolved by trying the next key, so every lookup
 * compares the pooled bytes. */
uint32_t wp_intern(struct wp_table *t, const char *s, size_t len) {
  if (!s || !len || t->oom)
    return 0;
  if (memchr(s, 0, len))
    len = strlen(s); /* a string in the pool ends at its first NUL */
  uintptr_t k = (uintptr_t)fnv1a(FNV_OFFSET, s, len) | 1;
  for (;; k += 2) {
    uint32_t v = wp_map_get(&t->strmap, k);
    if (v == UINT32_MAX)
      break;
    const char *p = t->str + (v - 1);
    if (strlen(p) == len && !memcmp(p, s, len))
      return v - 1;
  }
  if (len >= UINT32_MAX - t->nstr - 1 ||
      wp_grow((void **)&t->str, &t->capstr, t->nstr + (uint32_t)len + 1, 1)) {
    t->oom = 1;
    return 0;
  }
  uint32_t off = t->nstr;
  memcpy(t->str + off, s, len);
  t->str[off + len] = 0;
  t->nstr += (uint32_t)len + 1;
  if (wp_map_put(&t->strmap, k, off + 1))
    t->oom = 1;
  return off;
}

/* ---- subprogs and locs ------------------------------------------------------ */

/* Functions share the maps with metadata; tag their keys so the two kinds
 * can never collide (both are at least 8-aligned). */
static uintptr_t fn_key(LLVMValueRef F) { return (uintptr_t)F | 1; }

/* "dir/file" for a relative file name with a directory, else the name. */
static uint32_t intern_file(struct wp_table *t, LLVMMetadataRef file) {
  if (!file)
    return 0;
  unsigned flen = 0, dlen = 0;
  const char *f = LLVMDIFileGetFilename(file, &flen);
  const char *d = LLVMDIFileGetDirectory(file, &dlen);
  if (!f || !flen)
    return 0;
  if (f[0] == '/' || !d || !dlen)
    return wp_intern(t, f, flen);
  size_t n = (size_t)dlen + 1 + flen;
  char *buf = malloc(n);
  if (!buf) {
    t->oom = 1;
    return 0;
  }
  memcpy(buf, d, dlen);
  size_t at = dlen;
  if (d[dlen - 1] != '/')
    buf[at++] = '/';
  memcpy(buf + at, f, flen);
  uint32_t off = wp_intern(t, buf, at + flen);
  free(buf);
  return off;
}

/* 1 + index into t->files of the file whose string is at str (0: none). */
static uint32_t file_index(struct wp_table *t, uint32_t str) {
  if (!str || t->oom)
    return 0;
  uint32_t v = wp_map_get(&t->filemap, (uintptr_t)str + 1);
  if (v != UINT32_MAX)
    return v;
  if (wp_grow((void **)&t->files, &t->capfiles, t->nfiles + 1, sizeof *t->files)) {
    t->oom = 1;
    return 0;
  }
  t->files[t->nfiles++] = str;
  if (wp_map_put(&t->filemap, (uintptr_t)str + 1, t->nfiles))
    t->oom = 1;
  return t->nfiles;
}

static uint32_t add_subprog(struct wp_table *t, uintptr_t key,
                            struct wp_sub s) {
  if (t->oom || wp_grow((void **)&t->sub, &t->capsub, t->nsub + 1, sizeof s)) {
    t->oom = 1;
    return 0;
  }
  uint32_t idx = t->nsub;
  if (wp_map_put(&t->submap, key, idx)) {
    t->oom = 1;
    return 0;
  }
  t->sub[t->nsub++] = s;
  return idx;
}

/* Subprog of a DISubprogram; F (may be NULL) names it when the debug info
 * does not. */
static uint32_t subprog_for_sp(struct wp_table *t, LLVMMetadataRef sp,
                               LLVMValueRef F) {
  if (t->oom)
    return 0;
  uint32_t idx = wp_map_get(&t->submap, (uintptr_t)sp);
  if (idx == UINT32_MAX) {
    struct wp_sub s = {0, 0, 0, 0};
    int q = 0;
    s.name = wp_subprog_name(t, sp, F, &q);
    s.qualified = (uint32_t)q;
    s.file = file_index(t, intern_file(t, LLVMDIScopeGetFile(sp)));
    s.line = LLVMDISubprogramGetLine(sp);
    idx = add_subprog(t, (uintptr_t)sp, s);
    if (t->oom)
      return 0;
  }
  struct wp_sub *s = &t->sub[idx];
  /* First met as an inlined subprogram: its function knows more. */
  if (!s->qualified && F) {
    int q = 0;
    uint32_t name = wp_subprog_name(t, sp, F, &q);
    if (name && (q || !s->name)) {
      s->name = name;
      s->qualified = (uint32_t)q;
    }
  }
  return idx;
}

/* A function inlined into F whose code there makes no call has no loc, so
 * no subprog: the runtime, asked about an interrupted pc in that code
 * (a crash in it), takes the line .debug_line gives and decides whether
 * it is F's own or inlined code from the subprogs of the line's file that
 * start between F's first line and that line (runtime/lines/inlined.c).
 * A callee defined after F in the same file (a C++ class's later method,
 * a lambda inside F) started there unseen, and its line read as F's own.
 * Each such subprogram gets a subprog too, with its file and first line
 * and no name (no frame ever names it: 8 bytes, no string), also one that
 * has a named subprog of its own (its function's, an out-of-line copy: an
 * extern function, a C++ inline method), which the runtime does not take
 * for inlined code: its lines read as the caller's own (helper-135,
 * helper-136).  Keyed apart from the named one (sp | 2), so that a
 * function met later does not name it.  Not those of a chain of one of
 * F's labelled calls: their locs say they were inlined into F. */
/* A call the pass labels: its chain is a loc chain, whose levels the
 * runtime knows as inlined into F (the pairs of runtime/lines/inlined.c). */
static int labelled_call(LLVMValueRef I) {
  if (!LLVMIsACallInst(I) && !LLVMIsAInvokeInst(I))
    return 0;
  LLVMValueRef callee = LLVMGetCalledValue(I);
  return !(callee && LLVMIsAFunction(callee) && LLVMGetIntrinsicID(callee));
}

#define WP_CHAIN_SEEN 64 /* subprograms of F's calls' chains remembered */

void wp_inlined_starts(struct wp_table *t, LLVMValueRef F) {
  /* The subprograms of F's labelled calls' chains: known inlined into F. */
  LLVMMetadataRef seen[WP_CHAIN_SEEN];
  unsigned nseen = 0;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I)) {
      LLVMMetadataRef dl = labelled_call(I) ? LLVMInstructionGetDebugLoc(I) : NULL;
      for (LLVMMetadataRef L = dl; L && LLVMDILocationGetInlinedAt(L);
           L = LLVMDILocationGetInlinedAt(L)) {
        LLVMMetadataRef sp = whence_di_scope_subprogram(LLVMDILocationGetScope(L));
        unsigned k = 0;
        while (k < nseen && seen[k] != sp)
          k++;
        if (k == nseen && nseen < WP_CHAIN_SEEN)
          seen[nseen++] = sp;
      }
    }
  LLVMMetadataRef prev = NULL;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb && !t->oom;
       bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I && !t->oom;
         I = LLVMGetNextInstruction(I)) {
      LLVMMetadataRef dl = LLVMInstructionGetDebugLoc(I);
      if (!dl || dl == prev || !LLVMDILocationGetInlinedAt(dl))
        continue;
      prev = dl; /* (runs of one position share its node) */
      for (LLVMMetadataRef L = dl; L && !t->oom && LLVMDILocationGetInlinedAt(L);
           L = LLVMDILocationGetInlinedAt(L)) {
        LLVMMetadataRef sp = whence_di_scope_subprogram(LLVMDILocationGetScope(L));
        if (!sp || wp_map_get(&t->submap, (uintptr_t)sp | 2) != UINT32_MAX)
          continue;
        unsigned k = 0;
        while (k < nseen && seen[k] != sp)
          k++;
        if (k < nseen)
          continue;
        struct wp_sub sub = {0, file_index(t, intern_file(t, LLVMDIScopeGetFile(sp))),
                             LLVMDISubprogramGetLine(sp), 0};
        add_subprog(t, (uintptr_t)sp | 2, sub);
      }
    }
}

uint32_t wp_subprog_for_function(struct wp_table *t, LLVMValueRef F) {
  if (t->oom)
    return 0;
  LLVMMetadataRef sp = LLVMGetSubprogram(F);
  if (sp)
    return subprog_for_sp(t, sp, F);
  uint32_t idx = wp_map_get(&t->submap, fn_key(F));
  if (idx != UINT32_MAX)
    return idx;
  int q = 0;
  struct wp_sub s = {wp_subprog_name(t, NULL, F, &q), 0, 0, 0};
  s.qualified = (uint32_t)q;
  return add_subprog(t, fn_key(F), s);
}

/* The file of a position, when it is not its subprog's: code after a
 * `#line N "other.y"` directive has a DILexicalBlockFile scope naming that
 * file.  0 (the subprog's file) or 1 + index into t->files. */
static uint32_t loc_file(struct wp_table *t, LLVMMetadataRef scope, uint32_t sub) {
  if (!scope || t->oom || sub >= t->nsub)
    return 0;
  uint32_t f = file_index(t, intern_file(t, LLVMDIScopeGetFile(scope)));
  return f == t->sub[sub].file ? 0 : f;
}

static uint32_t add_loc(struct wp_table *t, uintptr_t key, struct wp_loc l) {
  if (t->oom || wp_grow((void **)&t->loc, &t->caploc, t->nloc + 1, sizeof l)) {
    t->oom = 1;
    return 0;
  }
  uint32_t idx = t->nloc;
  if (wp_map_put(&t->locmap, key, idx)) {
    t->oom = 1;
    return 0;
  }
  t->loc[t->nloc++] = l;
  return idx;
}

uint32_t wp_loc_for(struct wp_table *t, LLVMMetadataRef L, LLVMValueRef F,
                    uint32_t fn_sub) {
  if (!L) {
    uint32_t idx = wp_map_get(&t->locmap, fn_key(F));
    if (idx != UINT32_MAX)
      return idx;
    struct wp_loc l = {fn_sub, 0, 0, 0, 0};
    return add_loc(t, fn_key(F), l);
  }
  uint32_t idx = wp_map_get(&t->locmap, (uintptr_t)L);
  if (idx != UINT32_MAX)
    return idx;
  /* Parent first: recursion depth is the inline depth, which the inliner
   * keeps small.  Shared inlinedAt prefixes are memoized like any loc. */
  LLVMMetadataRef ia = LLVMDILocationGetInlinedAt(L);
  uint32_t parent = ia ? 1 + wp_loc_for(t, ia, F, fn_sub) : 0;
  if (t->oom)
    return 0;
  LLVMMetadataRef sp = whence_di_scope_subprogram(LLVMDILocationGetScope(L));
  struct wp_loc l;
  /* A location outside any subprogram cannot be valid IR; be defensive. */
  l.subprog = sp ? subprog_for_sp(t, sp, NULL) : fn_sub;
  l.line = LLVMDILocationGetLine(L);
  unsigned col = LLVMDILocationGetColumn(L);
  l.column = col > WHENCE_LOC_COLUMN_MAX ? WHENCE_LOC_COLUMN_MAX : col;
  l.file = loc_file(t, LLVMDILocationGetScope(L), l.subprog);
  l.parent = parent;
  return add_loc(t, (uintptr_t)L, l);
}

/* A flat word with line 0 means "no site" (the function's first line, at
 * its entry); a call at line 0 (merged from several lines) goes through the
 * table, whose line 0 means "not known". */
uint32_t wp_site_word(struct wp_table *t, LLVMMetadataRef L, LLVMValueRef F,
                      uint32_t fn_sub, int flat_ok) {
  if (flat_ok) {
    if (!L)
      return WHENCE_SITE_FLAT;
    unsigned line = LLVMDILocationGetLine(L), col = LLVMDILocationGetColumn(L);
    LLVMMetadataRef scope = LLVMDILocationGetScope(L);
    LLVMMetadataRef fsp = LLVMGetSubprogram(F);
    if (!LLVMDILocationGetInlinedAt(L) && fsp &&
        whence_di_scope_subprogram(scope) == fsp &&
        line && line < WHENCE_SITE_FLAT_LINE_LIMIT && col <= WHENCE_SITE_FLAT_COL_MAX &&
        !loc_file(t, scope, fn_sub))
      return WHENCE_SITE_FLAT | (uint32_t)line << WHENCE_SITE_FLAT_COL_BITS | col;
  }
  return wp_loc_for(t, L, F, fn_sub);
}

/* ---- module name ------------------------------------------------------------ */

uint32_t wp_module_name(struct wp_table *t, LLVMModuleRef M) {
  /* The first compile unit's file, as the debug info spells it: the
   * prefix maps (-ffile-prefix-map, -fdebug-prefix-map) apply there. */
  unsigned n = LLVMGetNamedMetadataNumOperands(M, "llvm.dbg.cu");
  if (n) {
    LLVMValueRef *cus = malloc(sizeof *cus * n);
    if (!cus) {
      t->oom = 1;
      return 0;
    }
    LLVMGetNamedMetadataOperands(M, "llvm.dbg.cu", cus);
    LLVMMetadataRef file = LLVMDIScopeGetFile(LLVMValueAsMetadata(cus[0]));
    free(cus);
    uint32_t off = intern_file(t, file);
    if (off)
      return off;
  }
  /* No debug info: the source file's base name (source_filename is not
   * prefix-mapped; a directory in it would make objects differ). */
  size_t len = 0;
  const char *s = LLVMGetSourceFileName(M, &len);
  if (!s)
    return 0;
  size_t b = len;
  while (b > 0 && s[b - 1] != '/')
    b--;
  return wp_intern(t, s + b, len - b);
}

/* ---- module key ------------------------------------------------------------ */

uint64_t wp_module_key(LLVMModuleRef M, LLVMValueRef *fns, uint32_t nfns,
                       const unsigned char *table, uint32_t size) {
  static const char nul = 0;
  uint64_t h = FNV_OFFSET;
  size_t len = 0;
  const char *s;
  /* Not the module identifier or source_filename: -ffile-prefix-map does
   * not rewrite them, and objects must not depend on the build directory.
   * The table (hashed below) holds the module's name as wp_module_name
   * chose it and every file name as the debug info spells it, mapped. */
  for (uint32_t i = 0; i < nfns; i++) {
    s = LLVMGetValueName2(fns[i], &len);
    h = fnv1a(fnv1a(h, s, len), &nul, 1);
  }
  /* Defined variables too: two objects of one source that differ only in
   * the names of what they export (one file compiled twice with different
   * -D) are told apart although their tables are identical. */
  for (LLVMValueRef G = LLVMGetFirstGlobal(M); G; G = LLVMGetNextGlobal(G)) {
    if (LLVMIsDeclaration(G) || LLVMGetLinkage(G) == LLVMPrivateLinkage)
      continue;
    s = LLVMGetValueName2(G, &len);
    h = fnv1a(fnv1a(h, s, len), &nul, 1);
  }
  unsigned char cnt[8];
  for (int i = 0; i < 8; i++)
    cnt[i] = (unsigned char)((uint64_t)nfns >> (8 * i));
  h = fnv1a(fnv1a(h, cnt, sizeof cnt), table, size);
  /* Fold the 64 bits into the key's 40 rather than dropping 24. */
  return (h ^ (h >> 40)) & WHENCE_KEY_MASK;
}

/* ---- serialization --------------------------------------------------------- */

static void put16(unsigned char *p, uint16_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

_Static_assert(sizeof(struct whence_mod_header) % 8 == 0, "header size");
_Static_assert(sizeof(struct whence_subprog) == 8, "subprog size");
_Static_assert(sizeof(struct whence_loc) == 12, "loc size");
_Static_assert(sizeof(struct whence_loc8) == 8, "8-byte loc size");
_Static_assert(WHENCE_LOC_SUBPROG_BITS == WHENCE_FN_SUB_BITS, "subprog index widths");

/* What does not fit a packed field is dropped to "unknown", not wrapped:
 * lines past 2^20 of a subprog's first line, files past the 4,095th (a
 * subprog's) or 255th (a #line position's).  Parents and subprogs never
 * exceed their fields (wp_table_fits).  A loc's file 0 is its subprog's
 * file, not "unknown": a position in another file (#line, a file
 * #included inside a function body) whose file does not fit loses its
 * line and column too, or it would read as that line of the subprog's
 * file.  A line past INT32_MAX (IR allows any 32-bit line; C's #line
 * stops at 2^31 - 1) is unknown too: the runtime's lines are ints, and
 * it ignores a module with such a loc. */
static void loc_fields(const struct wp_loc *l, uint32_t *file, uint32_t *line, uint32_t *col) {
  int lost = l->file > WHENCE_LOC_FILE_MAX || l->line > INT32_MAX;
  *file = l->file > WHENCE_LOC_FILE_MAX ? 0 : l->file;
  *line = lost ? 0 : l->line;
  *col = lost ? 0 : l->column;
}

static uint32_t pack_subprog(const struct wp_sub *s) {
  uint32_t line = s->line > WHENCE_SUBPROG_LINE_MAX ? 0 : s->line;
  uint32_t file = s->file > WHENCE_SUBPROG_FILE_MAX ? 0 : s->file;
  return file << WHENCE_SUBPROG_LINE_BITS | line;
}

/* Whether every loc of t fits the 8-byte form exactly (whence_loc8). */
static int locs_fit8(const struct wp_table *t) {
  if (!t->nloc)
    return 0;
  for (uint32_t i = 0; i < t->nloc; i++) {
    const struct wp_loc *l = &t->loc[i];
    uint32_t file, line, col;
    loc_fields(l, &file, &line, &col);
    if (line > WHENCE_LOC8_LINE_MAX || file > WHENCE_LOC8_FILE_MAX ||
        col > WHENCE_LOC8_COLUMN_MAX || l->subprog > WHENCE_LOC8_SUB_MAX ||
        l->parent > WHENCE_LOC8_PARENT_MAX)
      return 0;
  }
  return 1;
}

int wp_table_fits(const struct wp_table *t) {
  return t->nsub <= WHENCE_FN_SUB_MAX && t->nloc < WHENCE_LOC_PARENT_MAX;
}

unsigned char *wp_table_bytes(const struct wp_table *t, uint64_t key,
                              uint32_t flags, uint32_t *size) {
  const uint64_t hsz = sizeof(struct whence_mod_header);
  uint64_t sub_off = hsz;
  uint64_t loc_off = sub_off + (uint64_t)t->nsub * sizeof(struct whence_subprog);
  int loc8 = locs_fit8(t);
  uint64_t locsz = loc8 ? sizeof(struct whence_loc8) : sizeof(struct whence_loc);
  uint64_t file_off = loc_off + (uint64_t)t->nloc * locsz;
  uint64_t str_off = file_off + (uint64_t)t->nfiles * 4;
  uint64_t total = (str_off + t->nstr + 7) & ~(uint64_t)7;
  /* Offsets are u32; stay well inside that. */
  if (t->oom || total > 0x7fffffffu)
    return NULL;
  unsigned char *b = calloc(1, (size_t)total);
  if (!b)
    return NULL;
  /* Field by field at the header struct's own offsets. */
#define HDR(f) (b + offsetof(struct whence_mod_header, f))
  put32(HDR(magic), WHENCE_MOD_MAGIC);
  put16(HDR(version), (uint16_t)WHENCE_ABI_VERSION);
  put16(HDR(header_size), (uint16_t)hsz);
  put32(HDR(total_size), (uint32_t)total);
  put32(HDR(flags), loc8 ? flags | WHENCE_MOD_LOC8 : flags);
  put64(HDR(key), key);
  put32(HDR(subprog_count), t->nsub);
  put32(HDR(subprog_off), (uint32_t)sub_off);
  put32(HDR(loc_count), t->nloc);
  put32(HDR(loc_off), (uint32_t)loc_off);
  put32(HDR(str_size), t->nstr);
  put32(HDR(str_off), (uint32_t)str_off);
  put32(HDR(module_name), t->module_name);
  put32(HDR(file_count), t->nfiles);
  put32(HDR(file_off), (uint32_t)file_off);
  put32(HDR(reserved), 0);
#undef HDR
  for (uint32_t i = 0; i < t->nsub; i++) {
    unsigned char *p = b + sub_off + (uint64_t)i * sizeof(struct whence_subprog);
    put32(p + offsetof(struct whence_subprog, name), t->sub[i].name);
    put32(p + offsetof(struct whence_subprog, line_file), pack_subprog(&t->sub[i]));
  }
  for (uint32_t i = 0; i < t->nloc; i++) {
    const struct wp_loc *l = &t->loc[i];
    unsigned char *p = b + loc_off + (uint64_t)i * locsz;
    uint32_t file, line, col;
    loc_fields(l, &file, &line, &col);
    if (loc8) {
      put32(p + offsetof(struct whence_loc8, line_column),
            col << (WHENCE_LOC8_LINE_BITS + WHENCE_LOC8_FILE_BITS) |
                file << WHENCE_LOC8_LINE_BITS | line);
      put32(p + offsetof(struct whence_loc8, subprog_parent),
            l->parent << WHENCE_LOC8_SUB_BITS | l->subprog);
      continue;
    }
    put32(p + offsetof(struct whence_loc, subprog_file),
          file << WHENCE_LOC_SUBPROG_BITS | l->subprog);
    put32(p + offsetof(struct whence_loc, line), line);
    put32(p + offsetof(struct whence_loc, parent_column),
          col << WHENCE_LOC_PARENT_BITS | l->parent);
  }
  for (uint32_t i = 0; i < t->nfiles; i++)
    put32(b + file_off + (uint64_t)i * 4, t->files[i]);
  memcpy(b + str_off, t->str, t->nstr);
  *size = (uint32_t)total;
  return b;
}

void wp_table_set_key(unsigned char *table, uint64_t key) {
  put64(table + offsetof(struct whence_mod_header, key), key);
}

LLVMValueRef wp_emit_table(LLVMModuleRef M, const unsigned char *bytes,
                           uint32_t size) {
  LLVMContextRef C = LLVMGetModuleContext(M);
  LLVMValueRef init =
      LLVMConstStringInContext2(C, (const char *)bytes, size, /*DontNullTerminate=*/1);
  LLVMValueRef g = LLVMAddGlobal(M, LLVMTypeOf(init), WHENCE_RESERVED_PREFIX ".mod");
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetSection(g, WHENCE_SECT_MOD);
  LLVMSetAlignment(g, 8);
  return g;
}
