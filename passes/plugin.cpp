// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// plugin.cpp - the only C++ in the whence pass: registers the pass with
// LLVM's new pass manager (clang -fpass-plugin at OptimizerLast, and
// `opt -passes='whence<...>'`), parses its parameters, hands the module to
// the C entry points, and fills the gaps of the LLVM 19 C API listed in
// whence_pass.h.  Every LLVM version conditional lives here so the C
// sources stay version-free.
#include "whence_pass.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Error.h"
#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#include <cstdlib>

using namespace llvm;

namespace {

struct WhencePass : PassInfoMixin<WhencePass> {
  whence_options Opts;
  explicit WhencePass(whence_options O) : Opts(O) {}

  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    if (whence_run_module(wrap(&M), &Opts) == WHENCE_UNCHANGED)
      return PreservedAnalyses::all();
    return PreservedAnalyses::none();
  }
  // Also run on optnone (-O0) functions' modules.
  static bool isRequired() { return true; }
};

// Before inlining: remembers the linkage names that -gline-tables-only
// leaves out of the debug info, for the names of inlined frames (names.c).
struct WhenceNamesPass : PassInfoMixin<WhenceNamesPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    whence_note_names(wrap(&M));
    return PreservedAnalyses::all(); // named metadata only: no analysis changes
  }
  static bool isRequired() { return true; }
};

// "sites=on;slots=auto" -> options.  Only StringError may come back: the
// pass builder asserts on any other error type.
Expected<whence_options> parseOptions(StringRef Params) {
  whence_options O{WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO};
  while (!Params.empty()) {
    StringRef Item;
    std::tie(Item, Params) = Params.split(';');
    if (Item.empty())
      continue;
    auto [Key, Val] = Item.split('=');
    int *Slot = StringSwitch<int *>(Key)
                    .Case("sites", &O.sites)
                    .Case("slots", &O.slots)
                    .Case("liveness", &O.liveness)
                    .Case("lines", &O.lines)
                    .Default(nullptr);
    if (!Slot)
      return make_error<StringError>(
          "whence: unknown pass parameter '" + Key +
              "' (expected sites, slots, liveness or lines)",
          inconvertibleErrorCode());
    int V = StringSwitch<int>(Val)
                .Case("on", WHENCE_ON)
                .Case("off", WHENCE_OFF)
                .Case("auto", WHENCE_AUTO)
                .Default(-2);
    // liveness=strict: also the register and spill-slot roots.
    if (Slot == &O.liveness && Val == "strict")
      V = WHENCE_STRICT;
    if (V == -2)
      return make_error<StringError>("whence: invalid value '" + Val +
                                         "' for pass parameter '" + Key +
                                         "' (expected on, off or auto" +
                                         (Slot == &O.liveness ? ", or strict)" : ")"),
                                     inconvertibleErrorCode());
    *Slot = V;
  }
  return O;
}

void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(WhenceNamesPass());
      });
  // OptimizerLast: after inlining and unrolling, so every call's inlinedAt
  // chain describes the final code.  Clang invokes it at -O0 too.
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(WhencePass({WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO}));
      });
  // Full LTO's link-time pipeline never reaches OptimizerLast: with the
  // plugin given only to the linker (-Wl,--load-pass-plugin) this is where
  // the merged module gets its records.  A module instrumented before (at
  // compile time) carries the done flag and is left alone.
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(WhencePass({WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO}));
      });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "whence-names") {
          MPM.addPass(WhenceNamesPass());
          return true;
        }
        if (!PassBuilder::checkParametrizedPassName(Name, "whence"))
          return false;
        auto O = PassBuilder::parsePassParameters(parseOptions, Name, "whence");
        if (!O) {
          // opt then adds "unknown pass name" and exits non-zero.
          errs() << toString(O.takeError()) << "\n";
          return false;
        }
        MPM.addPass(WhencePass(*O));
        return true;
      });
}

} // namespace

extern "C" __attribute__((visibility("default"))) PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  whence_plugin_registered();
  return {LLVM_PLUGIN_API_VERSION, "whence", "0.1", registerCallbacks};
}

// ---- C API gaps (see whence_pass.h) ---------------------------------------

extern "C" const char *whence_di_subprogram_name(LLVMMetadataRef SP,
                                                 size_t *Len) {
  *Len = 0;
  auto *S = dyn_cast_or_null<DISubprogram>(unwrap(SP));
  if (!S)
    return nullptr;
  StringRef N = S->getName();
  *Len = N.size();
  return N.empty() ? nullptr : N.data();
}

extern "C" const char *whence_di_subprogram_linkage_name(LLVMMetadataRef SP,
                                                         size_t *Len) {
  *Len = 0;
  auto *S = dyn_cast_or_null<DISubprogram>(unwrap(SP));
  if (!S)
    return nullptr;
  StringRef N = S->getLinkageName();
  *Len = N.size();
  return N.empty() ? nullptr : N.data();
}

extern "C" int whence_demangle_function(const char *Mangled, char **Name,
                                        char **Params) {
  *Name = *Params = nullptr;
  ItaniumPartialDemangler D;
  if (D.partialDemangle(Mangled) || !D.isFunction())
    return -1;
  size_t N = 0;
  *Name = D.getFunctionName(nullptr, &N);
  N = 0;
  *Params = D.getFunctionParameters(nullptr, &N);
  if (*Name && *Params)
    return 0;
  std::free(*Name);
  std::free(*Params);
  *Name = *Params = nullptr;
  return -1;
}

extern "C" LLVMMetadataRef whence_di_scope_subprogram(LLVMMetadataRef Scope) {
  auto *S = dyn_cast_or_null<DILocalScope>(unwrap(Scope));
  return S ? wrap(S->getSubprogram()) : nullptr;
}

extern "C" unsigned whence_md_operands(LLVMMetadataRef N, LLVMMetadataRef *Ops,
                                       unsigned Max) {
  auto *Node = dyn_cast_or_null<MDNode>(unwrap(N));
  if (!Node)
    return 0;
  for (unsigned I = 0; I < Node->getNumOperands() && I < Max; ++I)
    Ops[I] = wrap(Node->getOperand(I).get());
  return Node->getNumOperands();
}

extern "C" enum whence_debug_level whence_module_debug_level(LLVMModuleRef M) {
  whence_debug_level L = WHENCE_DEBUG_NONE;
  for (DICompileUnit *CU : unwrap(M)->debug_compile_units()) {
    switch (CU->getEmissionKind()) {
    case DICompileUnit::FullDebug:
      return WHENCE_DEBUG_FULL;
    case DICompileUnit::LineTablesOnly:
    case DICompileUnit::DebugDirectivesOnly:
      L = WHENCE_DEBUG_LINES;
      break;
    default:
      break;
    }
  }
  return L;
}
