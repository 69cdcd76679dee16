/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pass.c - the pass's entry point: run once per module (WHENCE_DONE_FLAG),
 * resolve the options (pass parameter, then environment, then module), plan
 * every record while only reading the IR, and only then change the module.
 * A module the pass cannot handle is left unchanged with one "whence: ..."
 * line on stderr; nothing here aborts.
 */
#include "internal.h"
#include "target.h"

#include <llvm-c/Target.h>

#include <llvm-c/TargetMachine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A return of F is at line `line` (its closing brace, as clang places
 * returns). */
static int returns_at(LLVMValueRef F, unsigned line) {
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb)) {
    LLVMValueRef t = LLVMGetBasicBlockTerminator(bb);
    LLVMMetadataRef L = t && LLVMGetInstructionOpcode(t) == LLVMRet ? LLVMInstructionGetDebugLoc(t)
                                                                     : NULL;
    if (L && !LLVMDILocationGetInlinedAt(L) && LLVMDILocationGetLine(L) == line)
      return 1;
  }
  return 0;
}

/* Where a site is.  A resume's is the end of the cleanup that unwinding
 * leaves, but clang gives a function one resume, shared by every cleanup,
 * with the position of the first one that needed it: a statement's line
 * inside one path (a throw's cleanup), or the function's closing brace,
 * where every cleanup ends.  A resume reached from several blocks keeps
 * its position only in the second case; else it is at line 0 (which
 * cleanup ran is not known), in the same scope. */
static LLVMMetadataRef site_loc(LLVMValueRef I) {
  LLVMMetadataRef L = LLVMInstructionGetDebugLoc(I);
  if (!L || LLVMGetInstructionOpcode(I) != LLVMResume)
    return L;
  LLVMBasicBlockRef bb = LLVMGetInstructionParent(I);
  LLVMValueRef pred = NULL;
  int shared = 0;
  for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(bb)); u && !shared;
       u = LLVMGetNextUse(u)) {
    LLVMValueRef user = LLVMGetUser(u);
    if (!LLVMIsAInstruction(user) || !LLVMIsATerminatorInst(user))
      continue;
    LLVMValueRef from = LLVMBasicBlockAsValue(LLVMGetInstructionParent(user));
    shared = pred && pred != from;
    pred = from;
  }
  if (!shared || (!LLVMDILocationGetInlinedAt(L) &&
                  returns_at(LLVMGetBasicBlockParent(bb), LLVMDILocationGetLine(L))))
    return L;
  return LLVMDIBuilderCreateDebugLocation(LLVMGetTypeContext(LLVMTypeOf(I)), 0, 0,
                                          LLVMDILocationGetScope(L), LLVMDILocationGetInlinedAt(L));
}

/* ---- options ------------------------------------------------------------- */

/* An auto option takes its value from the environment (clang has no other
 * channel to a -fpass-plugin pass): 0, 1 or auto (also off/on). */
static int resolve_env(int v, const char *var) {
  if (v != WHENCE_AUTO)
    return v;
  const char *e = getenv(var);
  if (!e || !*e || !strcmp(e, "auto"))
    return WHENCE_AUTO;
  if (!strcmp(e, "0") || !strcmp(e, "off"))
    return WHENCE_OFF;
  if (!strcmp(e, "1") || !strcmp(e, "on"))
    return WHENCE_ON;
  fprintf(stderr, "whence: warning: %s='%s' is not 0, 1 or auto; using auto\n", var, e);
  return WHENCE_AUTO;
}

/* ---- what the pass can handle ---------------------------------------------- */

static const char *module_name(LLVMModuleRef M) {
  size_t len = 0;
  const char *s = LLVMGetSourceFileName(M, &len);
  if (!s || !len)
    s = LLVMGetModuleIdentifier(M, &len);
  return s && *s ? s : "<module>";
}

/* Records are 64-bit little-endian ELF (target.c: x86-64 and AArch64): the
 * site asm is ELF assembler syntax and the runtime reads 32-bit pc-relative
 * fields. */
static int check_target(LLVMModuleRef M, char *why, size_t whylen) {
  const char *triple = LLVMGetTarget(M);
  char *def = NULL;
  if (!triple || !*triple)
    triple = def = LLVMGetDefaultTargetTriple();
  int ok = wp_triple_arch(triple) != WP_ARCH_NONE;
  if (!ok)
    snprintf(why, whylen, "target '%s' is not supported (x86_64 and aarch64 ELF only)",
             triple ? triple : "");
  if (def)
    LLVMDisposeMessage(def);
  if (!ok)
    return -1;
  /* Under the medium and large code models !pcsections writes a 64-bit pc
   * field: the whence_fn record would no longer be WHENCE_FN_RECORD_SIZE. */
  LLVMMetadataRef cm = LLVMGetModuleFlag(M, "Code Model", 10);
  if (cm) {
    /* The flag is ConstantAsMetadata; an MDNode operand reads back as the
     * constant itself. */
    LLVMContextRef C = LLVMGetModuleContext(M);
    LLVMValueRef node = LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, &cm, 1));
    LLVMValueRef v = NULL;
    LLVMGetMDNodeOperands(node, &v);
    /* llvm::CodeModel: 3 = Medium, 4 = Large. */
    if (v && LLVMIsAConstantInt(v) && LLVMConstIntGetZExtValue(v) >= 3) {
      snprintf(why, whylen, "the medium and large code models are not supported");
      return -1;
    }
  }
  return 0;
}

/* Modules compiled for LTO: their functions may still be inlined into
 * another module's, taking their site labels along, so their sites use
 * table locs whose chain the runtime checks against the function. */
static int lto_prelink(LLVMModuleRef M) {
  return LLVMGetModuleFlag(M, "ThinLTO", 7) != NULL ||
         LLVMGetModuleFlag(M, "EnableSplitLTOUnit", 18) != NULL;
}

/* ---- the pass ---------------------------------------------------------------- */

struct plan {
  struct wp_site *lines; /* memory operations that get a line record */
  uint32_t nlines, caplines;
  LLVMValueRef *fns;
  uint32_t *fn_sub;
  uint32_t nfns, capfns, capsub;
  struct wp_site *sites;
  uint32_t nsites, capsites;
  uint32_t *fn_site_end; /* sites of fns[i] end at fn_site_end[i] */
  uint32_t capend;
};

static void plan_free(struct plan *p) {
  free(p->lines);
  free(p->fns);
  free(p->fn_sub);
  free(p->sites);
  free(p->fn_site_end);
}

/* The debug level the module's mode follows (labels without -g, slots
 * with it): the module's, unless it holds units of different levels (an
 * LTO backend's: a ThinLTO import of a -g source's function brings its
 * unit into a -gline-tables-only source's module, full LTO merges every
 * unit), where the code the pass instruments decides: the most detailed
 * unit of a function it instruments.  The module's alone took one
 * imported -g unit for the whole module's mode: its -gline-tables-only
 * functions kept their tail calls, and their frames left stacks. */
static enum whence_debug_level code_debug_level(LLVMModuleRef M, const struct plan *p) {
  enum whence_debug_level m = whence_module_debug_level(M), own = WHENCE_DEBUG_NONE;
  if (m != WHENCE_DEBUG_FULL)
    return m;
  for (uint32_t i = 0; i < p->nfns && own != WHENCE_DEBUG_FULL; i++) {
    enum whence_debug_level l = whence_function_debug_level(p->fns[i]);
    if (l > own)
      own = l;
  }
  return own == WHENCE_DEBUG_NONE ? m : own;
}

static int fail(LLVMModuleRef M, const char *why) {
  fprintf(stderr, "whence: %s: %s; module left uninstrumented\n", module_name(M), why);
  return WHENCE_UNCHANGED;
}

static enum whence_result instrument(LLVMModuleRef M, const struct whence_options *opts);

enum whence_result whence_run_module(LLVMModuleRef M, const struct whence_options *opts) {
  /* Instrumented before: for good, or before an LTO link whose backend we
   * are (then that goes first, lto.c; normally an earlier extension point
   * of the backend did it already). */
  uint64_t done = wp_done_state(M);
  int stripped = 0;
  if (done == WHENCE_DONE_PRELINK && opts->phase == WHENCE_PHASE_LINK) {
    stripped = whence_strip_module(M) == WHENCE_CHANGED;
    done = wp_done_state(M);
  }
  if (done != WHENCE_DONE_NONE)
    return stripped ? WHENCE_CHANGED : WHENCE_UNCHANGED;
  enum whence_result r = instrument(M, opts);
  /* The names are in the table now; an LTO link that instruments again
   * reads them from the bitcode (names.c). */
  if (!(opts->phase == WHENCE_PHASE_COMPILE && lto_prelink(M)))
    whence_forget_noted_names(M);
  return stripped ? WHENCE_CHANGED : r;
}

static enum whence_result instrument(LLVMModuleRef M, const struct whence_options *opts) {
  char why[256];
  if (check_target(M, why, sizeof why))
    return fail(M, why);

  struct plan p;
  memset(&p, 0, sizeof p);
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (wp_skip_function(F))
      continue;
    if (wp_grow((void **)&p.fns, &p.capfns, p.nfns + 1, sizeof *p.fns)) {
      plan_free(&p);
      return fail(M, "out of memory");
    }
    p.fns[p.nfns++] = F;
  }
  if (!p.nfns) {
    plan_free(&p);
    return WHENCE_UNCHANGED; /* no code here: no table, no constructor */
  }
  if (wp_ctors_check(M, why, sizeof why)) {
    plan_free(&p);
    return fail(M, why);
  }

  enum whence_debug_level dbg = code_debug_level(M, &p);
  int sites = resolve_env(opts->sites, "WHENCE_SITES");
  if (sites == WHENCE_AUTO)
    sites = dbg == WHENCE_DEBUG_FULL ? WHENCE_OFF : WHENCE_ON;
  /* Slots give exact lines where site labels are off. */
  int slots = resolve_env(opts->slots, "WHENCE_SLOTS");
  if (slots == WHENCE_AUTO)
    slots = sites == WHENCE_ON ? WHENCE_OFF : WHENCE_ON;
  /* Line records cost nothing in code, but LLVM 19 emits the groups of one
   * function's !pcsections in the order of their metadata nodes' addresses,
   * so the order of whence_line words changes from one compile to the
   * next: objects are not reproducible.  Opt-in until that is fixed. */
  int lines = resolve_env(opts->lines, "WHENCE_LINES");
  if (lines == WHENCE_AUTO)
    lines = WHENCE_OFF;
  /* Before an LTO link (lto.c): the code may still change. */
  int prelink = opts->phase == WHENCE_PHASE_COMPILE && lto_prelink(M);
  /* Slots name a table loc; labels alone may be flat. */
  int flat_ok = slots != WHENCE_ON && !prelink;
  int liveness = wp_liveness_mode(M, opts->liveness);
  if (sites == WHENCE_ON || slots == WHENCE_ON)
    wp_tls_direct_accesses(M, p.fns, p.nfns); /* tls.c */

  /* Plan: subprogs in function order, each function's locs after its
   * subprog, sites in instruction order. */
  struct wp_table t;
  wp_table_init(&t, LLVMGetModuleContext(M));
  wp_names_load(&t, M);
  t.module_name = wp_module_name(&t, M);
  int oom = wp_grow((void **)&p.fn_sub, &p.capsub, p.nfns, sizeof *p.fn_sub) ||
            wp_grow((void **)&p.fn_site_end, &p.capend, p.nfns, sizeof *p.fn_site_end);
  for (uint32_t i = 0; i < p.nfns && !oom && !t.oom; i++) {
    LLVMValueRef F = p.fns[i];
    uint32_t sub = wp_subprog_for_function(&t, F);
    p.fn_sub[i] = sub;
    /* Line records: the first memory operation of each run of one source
     * position (line, column aside) in a block. */
    if (lines == WHENCE_ON && dbg != WHENCE_DEBUG_NONE) {
      for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb && !oom;
           bb = LLVMGetNextBasicBlock(bb)) {
        /* The position of the last record: line, scope, inlinedAt.  Only
         * a new one gets a record (and a loc in the table). */
        unsigned pline = 0;
        LLVMMetadataRef pscope = NULL, pinl = NULL;
        int have = 0;
        for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I && !oom;
             I = LLVMGetNextInstruction(I)) {
          /* A call between ends the run: its label (a site record) is
           * the nearest one before what follows, and a load after it of
           * the run's line would read the call's. */
          LLVMOpcode op = LLVMGetInstructionOpcode(I);
          if ((op == LLVMCall || op == LLVMInvoke || op == LLVMCallBr) && !wp_is_line_inst(I)) {
            LLVMValueRef callee = LLVMGetCalledValue(I);
            size_t nl = 0;
            const char *cn = callee && LLVMIsAFunction(callee) && LLVMGetIntrinsicID(callee)
                                 ? LLVMGetValueName2(callee, &nl)
                                 : NULL;
            if (!cn || (strncmp(cn, "llvm.dbg.", 9) && strncmp(cn, "llvm.lifetime.", 14)))
              have = 0;
          }
          if (!wp_is_line_inst(I))
            continue;
          LLVMMetadataRef dl = LLVMInstructionGetDebugLoc(I);
          unsigned line = LLVMDILocationGetLine(dl);
          LLVMMetadataRef scope = LLVMDILocationGetScope(dl), inl = LLVMDILocationGetInlinedAt(dl);
          if (have && line == pline && scope == pscope && inl == pinl)
            continue;
          have = 1;
          pline = line;
          pscope = scope;
          pinl = inl;
          uint32_t loc = wp_loc_for(&t, dl, F, sub);
          if (t.oom)
            break;
          if (loc > WHENCE_LINE_LOC_MAX)
            continue;
          if (wp_grow((void **)&p.lines, &p.caplines, p.nlines + 1, sizeof *p.lines))
            oom = 1;
          else
            p.lines[p.nlines++] = (struct wp_site){I, loc};
        }
      }
    }
    if ((sites == WHENCE_ON || slots == WHENCE_ON) && wp_function_allows_sites(F)) {
      for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb && !oom;
           bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I && !oom;
             I = LLVMGetNextInstruction(I)) {
          if (!wp_is_site_call(I))
            continue;
          /* The call's own position.  A call the optimizer merged from
          * several branches has line 0: which branch ran is not known, and
          * the line of the code before it would be another line.  (A
          * resume's slot store has no position: slots.c.) */
          uint32_t loc = wp_site_word(&t, site_loc(I), F, sub, flat_ok);
          if (wp_grow((void **)&p.sites, &p.capsites, p.nsites + 1, sizeof *p.sites))
            oom = 1;
          else
            p.sites[p.nsites++] = (struct wp_site){I, loc};
        }
    }
    p.fn_site_end[i] = p.nsites;
  }
  /* after every function's own subprog and locs: only code inlined without
   * a call is left (records.c) */
  for (uint32_t i = 0; i < p.nfns && !oom && !t.oom && dbg != WHENCE_DEBUG_NONE; i++)
    wp_inlined_starts(&t, p.fns[i]);
  uint32_t flags = (dbg != WHENCE_DEBUG_NONE ? WHENCE_MOD_LINES : 0) |
                   (sites == WHENCE_ON ? WHENCE_MOD_SITES : 0) |
                   (slots == WHENCE_ON ? WHENCE_MOD_SLOTS : 0) | WHENCE_MOD_FENCED |
                   (prelink && sites == WHENCE_ON ? WHENCE_MOD_PRELINK : 0);
  if (!oom && !t.oom && !wp_table_fits(&t)) {
    wp_table_free(&t);
    plan_free(&p);
    return fail(M, "more subprograms or inlined call positions than the records can index");
  }
  uint32_t size = 0;
  unsigned char *bytes = oom || t.oom ? NULL : wp_table_bytes(&t, 0, flags, &size);
  wp_table_free(&t);
  if (!bytes) {
    plan_free(&p);
    return fail(M, "out of memory or table too large");
  }
  uint64_t key = wp_module_key(M, p.fns, p.nfns, bytes, size);
  wp_table_set_key(bytes, key);

  /* A pre-link instrumentation is tagged so that an LTO backend can take
   * it out again (lto.c); without the tags it stays for good. */
  struct wp_lto_snap *snap = prelink ? wp_lto_snapshot(p.fns, p.nfns) : NULL;

  struct whence_mod_header hdr; /* its subprogs: the table's reservation */
  memcpy(&hdr, bytes, sizeof hdr);

  /* ---- mutation: from here on nothing can fail ---- */
  LLVMValueRef table = wp_emit_table(M, bytes, size);
  free(bytes);
  LLVMValueRef used[1 + WP_MAX_END_MARKERS] = {table};
  uint32_t nused = 1 + wp_split_end_markers(M, key, used + 1, WP_MAX_END_MARKERS);
  if (prelink)
    for (uint32_t i = 0; i < nused; i++)
      wp_lto_unlocalize(used[i], key);
  wp_append_used(M, used, nused);

  /* Before an LTO link a site names its loc by address (whence_abi.h). */
  struct wp_locref lref = {table, hdr.loc_off,
                           hdr.flags & WHENCE_MOD_LOC8 ? (uint32_t)sizeof(struct whence_loc8)
                                                       : (uint32_t)sizeof(struct whence_loc)};
  LLVMBuilderRef B = LLVMCreateBuilderInContext(LLVMGetModuleContext(M));
  uint32_t s = 0;
  for (uint32_t i = 0; i < p.nfns; i++) {
    /* Tail calls are kept in -g code only (instrument.c): in an LTO
     * module of -g and other units, by the function's own unit.  A
     * function without one (a unit built without -g, merged with -g
     * ones; nodebug) is no -g code: its frame would leave stacks. */
    int keep_tail_calls =
        dbg == WHENCE_DEBUG_FULL && whence_function_debug_level(p.fns[i]) == WHENCE_DEBUG_FULL;
    wp_instrument_function(p.fns[i], key, p.fn_sub[i], keep_tail_calls);
    uint32_t begin = s;
    if (sites == WHENCE_ON && p.fn_site_end[i] > s) {
      uint32_t n = p.fn_site_end[i] - s;
      unsigned char *apart = malloc(n);
      if (apart)
        wp_sites_apart(p.sites + s, n, prelink, apart);
      for (; s < p.fn_site_end[i]; s++)
        wp_insert_site(B, p.fns[i], &p.sites[s], s, !prelink, apart ? apart[s - begin] : 1,
                       s == begin ? table : NULL, p.fn_sub[i], prelink ? &lref : NULL);
      free(apart);
    }
    int labels = s > begin;
    s = p.fn_site_end[i];
    if (slots == WHENCE_ON && wp_insert_slots(M, B, p.fns[i], p.sites + begin, s - begin, key))
      labels = 1;
    if (!prelink && labels)
      wp_keep_out_of_line(p.fns[i]);
  }
  LLVMDisposeBuilder(B);
  for (uint32_t i = 0; i < p.nlines; i++)
    wp_attach_line(p.lines[i].call, p.lines[i].loc);
  if (liveness != WHENCE_OFF)
    wp_liveness_module(M, p.fns, p.nfns, liveness);
  wp_emit_ctors(M, prelink ? NULL : table);
  /* Split code layouts (split.c): after the constructors, so that they get
   * fences too. */
  wp_split_module(M, key, p.fns, p.nfns);
  wp_reserve_table(M, sites == WHENCE_ON ? p.nsites : 0,
                   slots == WHENCE_ON ? hdr.subprog_count : 0);
  if (snap)
    wp_lto_tag_inserted(snap);
  wp_lto_snapshot_free(snap);
  wp_set_done_state(M, snap ? WHENCE_DONE_PRELINK : WHENCE_DONE_FINAL);
  if (dbg == WHENCE_DEBUG_NONE)
    fprintf(stderr,
            "whence: note: %s: no debug info, lines will be 0 and functions inlined "
            "into others will show no frames of their own; compile with "
            "-gline-tables-only\n",
            module_name(M));
  /* clang then gives inlined code the position of its call: its frames
   * cannot be told apart, and stacks show the call's line instead. */
  for (uint32_t i = 0; i < p.nfns && dbg != WHENCE_DEBUG_NONE; i++)
    if (LLVMGetStringAttributeAtIndex(p.fns[i], LLVMAttributeFunctionIndex,
                                      "no-inline-line-tables", 21)) {
      fprintf(stderr,
              "whence: note: %s: built with -gno-inline-line-tables: code inlined into a "
              "function has the position of its call, so stacks show no inlined frames "
              "there\n",
              module_name(M));
      break;
    }
  plan_free(&p);
  return WHENCE_CHANGED;
}
