/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * slots.c - the head of the per-thread caller-frame slot list
 * (whence_abi.h, WHENCE_SLOT_TOP).  Instrumented modules built without
 * site labels (by default: -g) link their frames' slots into it; the
 * capture path merges it with the frame-pointer walk.
 *
 * Initial-exec TLS, one pointer: instrumented code reaches it in two
 * instructions, and it fits dlopen's static-TLS surplus.  Every
 * instrumented image also defines it weakly (linkonce_odr) with default
 * visibility, so the dynamic linker binds all references, ours included,
 * to a single definition.
 */
#include "internal.h"

WH_EXPORT __attribute__((weak, tls_model("initial-exec"))) __thread struct whence_slot *__whence_slot_top;
