// BUG (XFAIL): -flto=full with the plugin only at the lld link
// (-Wl,--load-pass-plugin, no -fpass-plugin at compile time).  The pass
// registers at the OptimizerLast extension point only, which the full-LTO
// link pipeline (buildLTODefaultPipeline) never invokes: the program links
// with no records at all and every whence answer is "unknown", with no
// message.  The contract for a mode: exact answers (as -flto=thin with the
// same flags gives, lto-modes.c), or one clear message.  Expected here: the
// exact answers.  Fix idea: also register at
// registerFullLinkTimeOptimizationLastEPCallback (the pass is idempotent
// through the whence.done flag).
// XFAIL: *
// REQUIRES: x86_64-linux, lld
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -I%S/Inputs %S/Inputs/rep.c -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %whence_libs -o %t
// RUN: %t 2>&1 | FileCheck --check-prefixes=CHECK,ONE_TU %S/Inputs/rep.c
