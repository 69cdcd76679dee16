/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * dlfo.h - the loader's _dl_find_object, declared once for the runtime.
 * glibc 2.35 and later find the image of an address and its link_map
 * without a lock, safe in a signal handler, where dl_iterate_phdr takes
 * the loader's lock.  It is declared weak so that a runtime built on a
 * newer glibc still loads on an older one: the symbol is then 0, and each
 * user says what it does without it.  WH_HAVE_DLFO: the headers know its
 * struct (DLFO_STRUCT_HAS_EH_DBASE, which <link.h> defines with it).
 */
#ifndef WHENCE_RUNTIME_DLFO_H
#define WHENCE_RUNTIME_DLFO_H

#include <link.h>

#ifdef DLFO_STRUCT_HAS_EH_DBASE
#define WH_HAVE_DLFO 1
extern int _dl_find_object(void *address, struct dl_find_object *result) __attribute__((weak));
#endif

#endif /* WHENCE_RUNTIME_DLFO_H */
