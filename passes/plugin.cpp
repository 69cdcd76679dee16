// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// plugin.cpp - the only C++ in the whence pass: registers the pass with
// LLVM's new pass manager (clang -fpass-plugin at OptimizerLast, an LTO
// link's backends, and `opt -passes='whence<...>'`), parses its parameters,
// hands the module to the C entry points, turns hot/cold splitting off, and
// fills the gaps of the LLVM 19 C API listed in whence_pass.h.  Every LLVM
// version conditional lives here so the C sources stay version-free.
#include "whence_pass.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Demangle/ItaniumDemangle.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DebugProgramInstruction.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/GlobalValue.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

#include <mutex>
#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>

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

// The start of an LTO backend: the pre-link instrumentation goes (lto.c).
struct WhenceStripPass : PassInfoMixin<WhenceStripPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    if (whence_strip_module(wrap(&M)) == WHENCE_UNCHANGED)
      return PreservedAnalyses::all();
    return PreservedAnalyses::none();
  }
  static bool isRequired() { return true; }
};

// Before inlining: remembers the linkage names that -gline-tables-only
// leaves out of the debug info, for the names of inlined frames, and
// clang's lambdas (names.c).
struct WhenceNamesPass : PassInfoMixin<WhenceNamesPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    whence_note_names(wrap(&M));
    return PreservedAnalyses::all(); // named metadata only: no analysis changes
  }
  static bool isRequired() { return true; }
};

whence_options autoOptions(whence_phase Phase) {
  return {WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO, WHENCE_AUTO, Phase};
}

// "sites=on;slots=auto" -> options.  Only StringError may come back: the
// pass builder asserts on any other error type.
Expected<whence_options> parseOptions(StringRef Params) {
  whence_options O = autoOptions(WHENCE_PHASE_COMPILE);
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

// Hot/cold splitting runs after OptimizerLast (and, under full LTO, before
// FullLinkTimeOptimizationLast) and makes *.cold.N functions of its own,
// which no record could name, from the code the pass instruments: wherever
// the plugin is loaded it is off (it has no per-function switch that leaves
// inlining alone).  Its option is a cl::opt<bool> in LLVM 19.
void hotColdSplittingOff() {
  static std::once_flag Once; // ThinLTO backends register from several threads
  std::call_once(Once, [] {
    auto &Opts = cl::getRegisteredOptions();
    auto It = Opts.find("hot-cold-split");
    if (It == Opts.end() || !static_cast<cl::opt<bool> *>(It->second)->getValue())
      return;
    static_cast<cl::opt<bool> *>(It->second)->setValue(false);
    errs() << "whence: note: hot/cold splitting (-hot-cold-split) is off where the whence "
              "plugin runs: its cold parts would be functions without records\n";
  });
}

// GlobalISel asked for by name (-global-isel; x86-64's is experimental)
// aborts the compile on what it cannot translate, by default, and it
// translates neither the label asm nor the module constructor's weak
// section bounds: it falls back to SelectionDAG for such functions
// instead, unless the user chose what an abort does.
void globalISelFallback() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    auto &Opts = cl::getRegisteredOptions();
    auto G = Opts.find("global-isel"), A = Opts.find("global-isel-abort");
    if (G == Opts.end() || A == Opts.end() || !G->second->getNumOccurrences() ||
        A->second->getNumOccurrences() ||
        static_cast<cl::opt<cl::boolOrDefault> *>(G->second)->getValue() != cl::BOU_TRUE)
      return;
    if (A->second->addOccurrence(0, "global-isel-abort", "0"))
      return;
    errs() << "whence: note: GlobalISel (-global-isel) falls back to SelectionDAG "
              "(-global-isel-abort=0) where it cannot translate whence's call labels and "
              "module constructor\n";
  });
}

void registerCallbacks(PassBuilder &PB) {
  hotColdSplittingOff();
  globalISelFallback();
  // A compile's pipelines (per-module, ThinLTO and full LTO pre-link, -O0)
  // start at PipelineStart; an LTO backend's do not.  So OptimizerLast,
  // built after it, knows whether the code it sees is final (lto.c).  The
  // linkage names are noted there too, before inlining (names.c); an LTO
  // link reads the notes its modules carry.
  //
  // OptimizerLast: after inlining and unrolling, so every call's inlinedAt
  // chain describes the final code.  Clang invokes it at -O0 too; a ThinLTO
  // backend above -O0 too.  In a compile the pass must also come after the
  // sanitizers (ASan, TSan, MSan, coverage), whose calls (__asan_report_*,
  // __tsan_read4, ...) clang adds at OptimizerLast too, registered after
  // the plugins: without labels of their own, a frame at one would read the
  // line of the call before it.  So PipelineStart, which runs once every
  // callback is registered, registers the compile's pass last.
  auto Compiling = std::make_shared<bool>(false);
  auto Late = std::make_shared<bool>(false);
  PB.registerPipelineStartEPCallback(
      [&PB, Compiling, Late](ModulePassManager &MPM, OptimizationLevel) {
        *Compiling = true;
        MPM.addPass(WhenceNamesPass());
        if (!*Late) {
          *Late = true;
          PB.registerOptimizerLastEPCallback([](ModulePassManager &MPM, OptimizationLevel) {
            MPM.addPass(WhencePass(autoOptions(WHENCE_PHASE_COMPILE)));
          });
        }
      });
  PB.registerOptimizerLastEPCallback(
      [Compiling](ModulePassManager &MPM, OptimizationLevel) {
        if (!*Compiling) /* an LTO backend */
          MPM.addPass(WhencePass(autoOptions(WHENCE_PHASE_LINK)));
      });
  // Full LTO's link-time pipeline never reaches OptimizerLast: this is where
  // the merged module gets its records.
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(WhencePass(autoOptions(WHENCE_PHASE_LINK)));
      });
  // Before an LTO backend optimizes, the pre-link instrumentation goes (a
  // no-op in a compile, whose module is not instrumented yet).
  PB.registerPipelineEarlySimplificationEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(WhenceStripPass()); });
  PB.registerFullLinkTimeOptimizationEarlyEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(WhenceStripPass()); });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "whence-strip") { // what an LTO backend runs first
          MPM.addPass(WhenceStripPass());
          return true;
        }
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

extern "C" LLVMMetadataRef whence_di_subprogram_unit(LLVMMetadataRef SP) {
  auto *S = dyn_cast_or_null<DISubprogram>(unwrap(SP));
  return S && S->getUnit() ? wrap(S->getUnit()) : nullptr;
}

extern "C" void whence_di_subprogram_note_linkage_name(LLVMMetadataRef SP, const char *Name,
                                                       size_t Len) {
  auto *S = dyn_cast_or_null<DISubprogram>(unwrap(SP));
  // (a uniqued node would be uniqued again under its new operands)
  if (S && S->isDistinct())
    S->replaceLinkageName(MDString::get(S->getContext(), StringRef(Name, Len)));
}

extern "C" void whence_forget_noted_names(LLVMModuleRef M) {
  DenseSet<DISubprogram *> Seen;
  // (clang's own linkage names there are those of functions it names by
  // nothing else: thunks, initializers; whence_note_names never names them)
  auto Forget = [&](DISubprogram *S) {
    if (!S || !Seen.insert(S).second || !S->isDistinct() || S->getLinkageName().empty() ||
        S->getName().empty())
      return;
    DICompileUnit *CU = S->getUnit();
    if (CU && !CU->getDebugInfoForProfiling() &&
        (CU->getEmissionKind() == DICompileUnit::LineTablesOnly ||
         CU->getEmissionKind() == DICompileUnit::DebugDirectivesOnly))
      S->replaceLinkageName(nullptr);
  };
  for (Function &F : *unwrap(M)) {
    Forget(F.getSubprogram());
    const DILocation *Prev = nullptr;
    for (Instruction &I : instructions(F)) {
      const DILocation *DL = I.getDebugLoc().get();
      if (!DL || DL == Prev)
        continue;
      Prev = DL;
      for (const DILocation *L = DL; L; L = L->getInlinedAt())
        Forget(L->getScope()->getSubprogram());
    }
  }
}

namespace {
namespace id = llvm::itanium_demangle;

// The demangler's nodes live in one arena per name.  LocalName is the one
// node made differently from LLVM's own demangler: a local entity's
// enclosing function is printed by its name alone ("pick<int>::L::g"),
// not by its whole encoding.  The encoding's text has its return type
// around the name when it is a declarator ("int (*pick<int>(int))(int)",
// "int (&a<int>(int)) [3]") and ends in a requires-clause, an expression
// that may itself end in a qualified name ("void f<int>(int) requires
// ns::Tr<int>::L::L::g"), so no scanner of the text can tell where the
// function ends and the entity begins; the tree knows.  Static locals,
// string literals and default arguments' entities read the same way.
struct DemangleArena {
  BumpPtrAllocator A;
  template <typename T, typename... Args> id::Node *makeNode(Args &&...args) {
    if constexpr (std::is_same_v<T, id::LocalName>)
      return makeLocal(args...);
    else
      return new (A.Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }
  id::Node *makeLocal(id::Node *Encoding, id::Node *Entity) {
    if (Encoding->getKind() == id::Node::KFunctionEncoding)
      Encoding = const_cast<id::Node *>(
          static_cast<const id::FunctionEncoding *>(Encoding)->getName());
    return new (A.Allocate(sizeof(id::LocalName), alignof(id::LocalName)))
        id::LocalName(Encoding, Entity);
  }
  void *allocateNodeArray(size_t Sz) {
    return A.Allocate(sizeof(id::Node *) * Sz, alignof(id::Node *));
  }
  void reset() { A.Reset(); }
};

// An estimate of the characters printing a node writes.  The tree is a
// DAG: a substitution (S_, T_) is one node printed wherever it is used, so
// a mangled name of a few hundred bytes can print gigabytes (every level
// of std::vector<std::vector<...>> prints its element type twice, once in
// the defaulted std::allocator<T>: 2^depth copies, 71 MB at depth 20, and
// the demangler aborts the process when realloc fails).  Counted over the
// DAG with a memo, so in time linear in its size: each node as 16
// characters (its fixed text: "::", "<>", ", ", " const"...) plus its
// strings, pack expansions (printed once per element of their packs) as
// their subtree times the largest pack in it, saturating at Limit + 1.
// What it must get right is the growth, not the constant: a node's own
// text is bounded, what multiplies it is how often it is printed.
struct PrintCost {
  struct Cost {
    uint64_t Chars;
    uint64_t Pack; // largest ParameterPack below
  };
  DenseMap<const id::Node *, Cost> Memo;
  uint64_t Limit = 0;

  static uint64_t add(uint64_t A, uint64_t B, uint64_t Cap) {
    return A + B > Cap || A + B < A ? Cap : A + B;
  }

  struct Members {
    PrintCost &P;
    Cost &C;
    void one(const id::Node *N) {
      if (!N)
        return;
      Cost K = P.of(N);
      C.Chars = add(C.Chars, K.Chars, P.Limit + 1);
      C.Pack = std::max(C.Pack, K.Pack);
    }
    void one(id::Node *N) { one(static_cast<const id::Node *>(N)); }
    void one(id::NodeArray A) {
      for (const id::Node *N : A)
        one(N);
    }
    void one(std::string_view S) { C.Chars = add(C.Chars, S.size(), P.Limit + 1); }
    // Flags, numbers, enums (Node * above: else this would be its exact match).
    template <typename T> void one(const T &) {}
    template <typename... T> void operator()(const T &...M) { (one(M), ...); }
  };

  Cost of(const id::Node *N) {
    auto It = Memo.find(N);
    if (It != Memo.end())
      return It->second;
    Memo[N] = Cost{16, 0}; // a forward reference back to here: its cycle prints nothing
    Cost C{16, 0};
    N->visit([&](const auto *T) {
      using NT = std::remove_cv_t<std::remove_pointer_t<decltype(T)>>;
      if constexpr (std::is_same_v<NT, id::ForwardTemplateReference>) {
        Members{*this, C}.one(T->Ref);
      } else if constexpr (std::is_same_v<NT, id::ParameterPack>) {
        T->match([&](id::NodeArray Data) {
          Members{*this, C}.one(Data);
          C.Pack = std::max<uint64_t>(C.Pack, Data.size());
        });
      } else {
        T->match(Members{*this, C});
      }
    });
    // An expansion prints its pattern once per element of the first pack
    // in it (a fold expression expands its pack the same way); its packs
    // are used up there, an enclosing expansion counts its own.
    if (N->getKind() == id::Node::KParameterPackExpansion ||
        N->getKind() == id::Node::KFoldExpr) {
      uint64_t Times = std::max<uint64_t>(C.Pack, 1);
      C.Chars = C.Chars > (Limit + 1) / Times ? Limit + 1 : C.Chars * Times;
      C.Pack = 0;
    }
    return Memo[N] = C;
  }
};
} // namespace

// What a function's name and parameter list may print at most, by the
// estimate above (3 to 5 times the real text of real names).  The names of
// libstdc++, libLLVM and libclang-cpp (76,000) estimate at most 55,134
// (1,977 characters).  Past the budget the name is not demangled at all
// and keeps the debug info's name or the linkage name (names.c): honest,
// and free, where printing and scanning it took seconds of the compile
// (13 s at depth 23 of std::vector<std::vector<...>>) or the demangler's
// abort when realloc failed.  Depth 12 (140 KB of text) is the deepest
// such vector still read.
static constexpr uint64_t WhenceDemangleBudget = 1 << 20;

namespace {
// LLVM 19's parser reads a conversion operator's type with template
// arguments switched off, the ambiguity being whether "I...E" after it are
// the type's or the operator template's; it keeps them off inside that
// type's own template arguments, so "operator std::string" (its
// std::allocator<char>: SaIcE) and "operator std::vector<int>" are not
// demangled at all.  Inside template arguments nothing is ambiguous: the
// second reading switches them back on there.  Only for a name the first
// reading failed to read (every other name reads as LLVM reads it).
struct ArgsParser : id::AbstractManglingParser<ArgsParser, DemangleArena> {
  using Base = id::AbstractManglingParser<ArgsParser, DemangleArena>;
  using Base::AbstractManglingParser;
  id::Node *parseTemplateArgs(bool TagTemplates = false) {
    id::ScopedOverride<bool> Args(this->TryToParseTemplateArgs, true);
    return Base::parseTemplateArgs(TagTemplates);
  }
};
} // namespace

static char *printDemangled(const id::Node *N, const id::NodeArray *Params) {
  id::OutputBuffer OB;
  if (N) {
    N->print(OB);
  } else {
    OB += '(';
    Params->printWithComma(OB);
    OB += ')';
  }
  OB += '\0';
  return OB.getBuffer();
}

extern "C" int whence_demangle_function(const char *Mangled, char **Name,
                                        char **Params) {
  *Name = *Params = nullptr;
  // LLVM's ItaniumPartialDemangler (partialDemangle, isFunction,
  // getFunctionName, getFunctionParameters) with our arena and a budget.
  id::ManglingParser<DemangleArena> P(Mangled, Mangled + std::strlen(Mangled));
  std::optional<ArgsParser> Q;
  const id::Node *Root = P.parse();
  if (!Root) {
    Q.emplace(Mangled, Mangled + std::strlen(Mangled));
    Root = Q->parse();
  }
  if (!Root || Root->getKind() != id::Node::KFunctionEncoding)
    return -1;
  auto *FE = static_cast<const id::FunctionEncoding *>(Root);
  // The name and the parameters each within the budget; parameters over it
  // (only names.c's clang "$_N" lambdas read them) are left out ("").
  PrintCost Cost;
  Cost.Limit = WhenceDemangleBudget;
  if (Cost.of(FE->getName()).Chars > WhenceDemangleBudget)
    return -1;
  id::NodeArray Ps = FE->getParams();
  uint64_t ParamChars = 0;
  for (const id::Node *Param : Ps)
    ParamChars = PrintCost::add(ParamChars, Cost.of(Param).Chars, WhenceDemangleBudget + 1);
  *Name = printDemangled(FE->getName(), nullptr);
  *Params = ParamChars > WhenceDemangleBudget ? strdup("") : printDemangled(nullptr, &Ps);
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

static whence_debug_level unit_level(const DICompileUnit *CU) {
  switch (CU ? CU->getEmissionKind() : DICompileUnit::NoDebug) {
  case DICompileUnit::FullDebug:
    return WHENCE_DEBUG_FULL;
  case DICompileUnit::LineTablesOnly:
  case DICompileUnit::DebugDirectivesOnly:
    return WHENCE_DEBUG_LINES;
  default:
    return WHENCE_DEBUG_NONE;
  }
}

extern "C" enum whence_debug_level whence_module_debug_level(LLVMModuleRef M) {
  whence_debug_level L = WHENCE_DEBUG_NONE;
  for (DICompileUnit *CU : unwrap(M)->debug_compile_units())
    if (unit_level(CU) > L)
      L = unit_level(CU);
  return L;
}

extern "C" enum whence_debug_level whence_function_debug_level(LLVMValueRef F) {
  auto *Fn = dyn_cast_or_null<Function>(unwrap(F));
  DISubprogram *SP = Fn ? Fn->getSubprogram() : nullptr;
  return unit_level(SP ? SP->getUnit() : nullptr);
}

extern "C" int whence_llvm_option_on(const char *Name) {
  auto &Opts = cl::getRegisteredOptions();
  auto It = Opts.find(Name);
  return It != Opts.end() && It->second->getNumOccurrences() != 0;
}

extern "C" void whence_set_module_flag(LLVMModuleRef M, const char *Key, uint32_t Val) {
  unwrap(M)->setModuleFlag(Module::Override, Key, Val);
}

extern "C" void whence_erase_if_dead(LLVMValueRef V) {
  auto *G = dyn_cast_or_null<GlobalValue>(unwrap(V));
  if (!G)
    return;
  G->removeDeadConstantUsers();
  if (G->use_empty())
    G->eraseFromParent();
}

extern "C" int whence_global_dso_local(LLVMValueRef G) {
  auto *GV = dyn_cast_or_null<GlobalValue>(unwrap(G));
  return GV && GV->isDSOLocal();
}

extern "C" void whence_module_pic_levels(LLVMModuleRef M, unsigned *Pic, unsigned *Pie) {
  *Pic = (unsigned)unwrap(M)->getPICLevel();
  *Pie = (unsigned)unwrap(M)->getPIELevel();
}

extern "C" void whence_move_dbg_uses(LLVMValueRef From, LLVMValueRef To) {
  auto *F = dyn_cast<Instruction>(unwrap(From));
  auto *T = dyn_cast<Instruction>(unwrap(To));
  if (!F || !T || F == T || !F->isUsedByMetadata())
    return;
  SmallVector<DbgVariableIntrinsic *, 4> Intrinsics;
  SmallVector<DbgVariableRecord *, 4> Records;
  findDbgUsers(Intrinsics, F, &Records);
  BasicBlock *BB = T->getParent();
  for (DbgVariableIntrinsic *D : Intrinsics) {
    if (D->getParent() == BB && D->comesBefore(T))
      D->moveAfter(T);
    D->replaceVariableLocationOp(F, T);
  }
  for (DbgVariableRecord *R : Records) {
    Instruction *At = R->getMarker() ? R->getMarker()->MarkedInstr : nullptr;
    if (At && At->getParent() == BB && (At == T || At->comesBefore(T))) {
      R->removeFromParent();
      BB->insertDbgRecordAfter(R, T);
    }
    R->replaceVariableLocationOp(F, T);
  }
}

extern "C" LLVMBasicBlockRef whence_split_block(LLVMValueRef I) {
  auto *In = cast<Instruction>(unwrap(I));
  return wrap(In->getParent()->splitBasicBlock(In));
}
