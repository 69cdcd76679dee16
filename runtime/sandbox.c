/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * sandbox.c - may a report open a file now?  A seccomp filter may trap or
 * kill the process for an openat (a sandbox: Chromium's renderers, a
 * program that confines itself), and a crash report or a thread dump that
 * opened a line table or /proc/self/task under one died before its end.
 * Filters cannot be read back, so the runtime goes by when the filter came:
 *
 *   - none (PR_GET_SECCOMP 0, or a kernel without seccomp): open;
 *   - one already active when this runtime was loaded (a container's
 *     default profile, systemd's SystemCallFilter=, a sandboxed parent):
 *     it let the dynamic loader open this object and the libraries, so
 *     openat is allowed: open;
 *   - one installed after (the program's own sandbox): open nothing.
 *
 * What this cannot see: a program started under a filter that installs a
 * stricter one of its own later is taken as the first case's; a report
 * then stops at its first open (after its header).  Documented in
 * docs/STACKS.md.
 */
#include "internal.h"

#include <stdatomic.h>
#include <sys/prctl.h>

/* The seccomp mode when the runtime was loaded; -1 before its constructor
 * ran (then any filter counts as installed after). */
static _Atomic int wh_seccomp_at_load = -1;

__attribute__((constructor)) WH_RT static void note_seccomp(void) {
    int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
    atomic_store_explicit(&wh_seccomp_at_load, mode < 0 ? 0 : mode, memory_order_relaxed);
}

WH_RT bool wh_opens_refused(void) {
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
        return false;
    return atomic_load_explicit(&wh_seccomp_at_load, memory_order_relaxed) != 2;
}
