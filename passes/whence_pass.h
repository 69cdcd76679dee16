/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * whence_pass.h - the C interface between the C++ registration shim
 * (plugin.cpp) and the pass logic written in C on the LLVM-C API.
 *
 * The shim owns everything LLVM-version specific and C++-only; the C side
 * sees only LLVM-C handles, this options struct and a result code.  The few
 * accessors declared at the bottom fill gaps in the LLVM 19 C API and are
 * implemented in the shim.
 */
#ifndef WHENCE_PASS_H
#define WHENCE_PASS_H

#include <llvm-c/Core.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tri-state setting: auto resolves from the environment, then from the
 * module (see pass.c). */
enum whence_tristate {
  WHENCE_AUTO = -1,
  WHENCE_OFF = 0,
  WHENCE_ON = 1,
  WHENCE_STRICT = 2, /* liveness only: registers and spill slots of every
                        function that can reach whence_gc */
};

/* Where in a pipeline the pass runs. */
enum whence_phase {
  WHENCE_PHASE_COMPILE = 0, /* a compile's pipeline (or an explicit opt
                               pipeline): before an LTO link if the module
                               was built for one */
  WHENCE_PHASE_LINK = 1,    /* an LTO backend (the linker loaded the plugin):
                               the code is final */
};

struct whence_options {
  int sites;    /* body-embedded call-site records */
  int slots;    /* caller-frame line slots */
  int liveness; /* stack-liveness clearing (also WHENCE_STRICT) */
  int lines;    /* line records of memory operations (off unless asked) */
  int phase;    /* enum whence_phase */
};

enum whence_result {
  WHENCE_UNCHANGED = 0, /* module untouched (done already, nothing to do, or
                           a module the pass cannot handle) */
  WHENCE_CHANGED = 1,
};

/* Entry point: instrument M once.  Never aborts; problems are reported on
 * stderr as one "whence: ..." line and leave the module unchanged. */
enum whence_result whence_run_module(LLVMModuleRef M,
                                     const struct whence_options *opts);

/* At the start of an LTO backend: take out what the pass put into M before
 * the link (lto.c), so that it instruments the final code once. */
enum whence_result whence_strip_module(LLVMModuleRef M);

/* hostcheck.c: called by llvmGetPassPluginInfo, so that a plugin loaded
 * but never registered (-Xclang -load) is reported at exit. */
void whence_plugin_registered(void);

/* Before inlining (PipelineStart; `opt -passes=whence-names`): give the
 * subprograms of a -gline-tables-only module's C++ functions the linkage
 * names its debug info lacks, so that the names of inlined C++ functions
 * can be demangled later, and note the call operators of clang's "$_N"
 * lambdas, which inlining deletes (names.c). */
void whence_note_names(LLVMModuleRef M);

/* ---- accessors implemented in plugin.cpp (gaps of the LLVM 19 C API) ---- */

/* Name of a DISubprogram (its source name, not the linkage name); NULL with
 * *len = 0 when it has none or SP is not a DISubprogram. */
const char *whence_di_subprogram_name(LLVMMetadataRef SP, size_t *len);

/* Linkage (mangled) name of a DISubprogram; NULL with *len = 0 when it has
 * none (C functions; every function under -gline-tables-only). */
const char *whence_di_subprogram_linkage_name(LLVMMetadataRef SP, size_t *len);

/* The DICompileUnit of a DISubprogram; NULL when it has none or SP is not
 * a DISubprogram. */
LLVMMetadataRef whence_di_subprogram_unit(LLVMMetadataRef SP);

/* Give a distinct DISubprogram the linkage name name[0..len)
 * (whence_note_names). */
void whence_di_subprogram_note_linkage_name(LLVMMetadataRef SP, const char *name, size_t len);

/* Take the linkage names whence_note_names gave out of the subprograms of
 * M's functions and of the code inlined into them: those of
 * -gline-tables-only (and -gline-directives-only) units made without
 * -fdebug-info-for-profiling, which clang leaves without.  Codegen then
 * sees the debug info clang made. */
void whence_forget_noted_names(LLVMModuleRef M);

/* The debug uses of instruction from (dbg.value and debug records: where a
 * variable lives) become uses of to, a later instruction of the same
 * block that stands for it; those placed before to move right after it. */
void whence_move_dbg_uses(LLVMValueRef from, LLVMValueRef to);

/* Itanium C++ ABI demangling of a function's NUL-terminated linkage name
 * (LLVM's demangler): its qualified name without return type and parameter
 * list ("ns::S<int>::f"; a local entity's enclosing function by its name
 * alone: "pick<int>::L::g", not "int (*pick<int>(int))(int)::L::g") and
 * its parameter list ("(int, char)", "" when it would print over the
 * budget), both malloc'ed.  0 on success; -1 (both NULL) when it is not a
 * mangled function name or its name would print over the budget (a
 * megabyte, by an estimate: substitutions can make a short mangled name
 * print gigabytes). */
int whence_demangle_function(const char *mangled, char **name, char **params);

/* The DISubprogram that encloses a local scope (a DISubprogram itself, a
 * DILexicalBlock or a DILexicalBlockFile); NULL for anything else. */
LLVMMetadataRef whence_di_scope_subprogram(LLVMMetadataRef Scope);

/* Operands of an MDNode as metadata, exactly (the LLVMValueRef route of
 * LLVMGetMDNodeOperands folds a node like !{i32 42} into the constant).
 * Returns the operand count; fills at most max entries (NULL operands stay
 * NULL).  0 when N is not an MDNode. */
unsigned whence_md_operands(LLVMMetadataRef N, LLVMMetadataRef *ops, unsigned max);

/* Most detailed debug info of the module's compile units. */
enum whence_debug_level {
  WHENCE_DEBUG_NONE = 0,   /* no compile unit, or only NoDebug ones */
  WHENCE_DEBUG_LINES = 1,  /* -gline-tables-only / -gline-directives-only */
  WHENCE_DEBUG_FULL = 2,   /* -g */
};
enum whence_debug_level whence_module_debug_level(LLVMModuleRef M);
/* The debug info of the compile unit function F's subprogram belongs to
 * (an LTO module holds several units, of each source's -g level). */
enum whence_debug_level whence_function_debug_level(LLVMValueRef F);

/* Non-zero when the LLVM command-line option `name` was given (-mllvm, or
 * the linker's -mllvm). */
int whence_llvm_option_on(const char *name);

/* Sets (replacing) the module flag key to val (behavior Override). */
void whence_set_module_flag(LLVMModuleRef M, const char *key, uint32_t val);

/* Erases the global value G if nothing but dead constants uses it. */
void whence_erase_if_dead(LLVMValueRef G);

/* G is dso_local (the C API has no reader). */
int whence_global_dso_local(LLVMValueRef G);
/* The module's PIC and PIE levels (0: none). */
void whence_module_pic_levels(LLVMModuleRef M, unsigned *pic, unsigned *pie);
/* Splits I's block before I (a branch to the new block ends the old one;
 * phis of the successors follow); returns the new block. */
LLVMBasicBlockRef whence_split_block(LLVMValueRef I);

#ifdef __cplusplus
}
#endif

#endif /* WHENCE_PASS_H */
