/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * hostcheck.c - the plugin says what is wrong, instead of crashing the
 * compiler or silently doing nothing, when it is loaded where it cannot
 * work:
 *
 *   - into another LLVM than the one it was built for (e.g. clang-14's
 *     -fpass-plugin): its first C++ call into LLVM would end the compiler
 *     with "symbol lookup error: ... undefined symbol: _ZN4llvm...".  A
 *     constructor, which runs when the host dlopens the plugin and before
 *     any LLVM code of ours, asks the host's LLVM for its version
 *     (LLVMGetVersion, LLVM 16 on; older ones are named by their libLLVM),
 *     prints "built for LLVM 19, this is LLVM N" and exits with status 1;
 *   - with -Xclang -load (the legacy pass manager's option): the plugin is
 *     loaded, nothing ever asks it for its passes (llvmGetPassPluginInfo),
 *     and the code comes out uninstrumented.  A destructor notices at exit
 *     and says to use -fpass-plugin.
 *
 * Only libc (dlsym, dladdr, write) is used here: nothing that could itself
 * fail to bind in the wrong host.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "whence_pass.h"

#include <dlfcn.h>
#include <llvm/Config/llvm-config.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static bool registered; /* llvmGetPassPluginInfo ran */
static bool host_ok;

void whence_plugin_registered(void) { registered = true; }

static void say(const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t r = write(2, s, n);
    if (r <= 0)
      return;
    s += r;
    n -= (size_t)r;
  }
}

static char *put_uint(char *p, unsigned v) {
  char t[12];
  int i = 12;
  do {
    t[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i < 12)
    *p++ = t[i++];
  return p;
}

/* The major version in a libLLVM file name: libLLVM-14.so.1, libLLVM.so.14,
 * libLLVM-19.so, libLLVM.so.19.1; 0 when there is none. */
static unsigned major_from_name(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *p = NULL;
  if (strncmp(b, "libLLVM-", 8) == 0)
    p = b + 8;
  else if (strncmp(b, "libLLVM.so.", 11) == 0)
    p = b + 11;
  unsigned v = 0;
  for (; p && *p >= '0' && *p <= '9' && v < 1000; p++)
    v = v * 10 + (unsigned)(*p - '0');
  return v;
}

__attribute__((constructor)) static void whence_check_host(void) {
  typedef void (*version_fn)(unsigned *, unsigned *, unsigned *);
  version_fn get = (version_fn)dlsym(RTLD_DEFAULT, "LLVMGetVersion");
  unsigned major = 0, minor = 0, patch = 0;
  const char *where = NULL;
  Dl_info info;
  void *any = dlsym(RTLD_DEFAULT, "LLVMContextCreate");
  if (any && dladdr(any, &info) && info.dli_fname)
    where = info.dli_fname;
  if (get)
    get(&major, &minor, &patch);
  else if (where)
    major = major_from_name(where);
  if (any && major == LLVM_VERSION_MAJOR) {
    host_ok = true;
    return;
  }
  char msg[1024], *p = msg;
  const char *a = "whence: this plugin was built for LLVM ";
  p = stpcpy(p, a);
  p = put_uint(p, LLVM_VERSION_MAJOR);
  if (!any) {
    p = stpcpy(p, ", but this program has no LLVM C API to give it");
  } else if (major) {
    p = stpcpy(p, ", this is LLVM ");
    p = put_uint(p, major);
  } else {
    p = stpcpy(p, ", this is an older LLVM (before 16)");
  }
  if (where && strlen(where) < 600) {
    p = stpcpy(p, " (");
    p = stpcpy(p, where);
    p = stpcpy(p, ")");
  }
  p = stpcpy(p, ": use clang-");
  p = put_uint(p, LLVM_VERSION_MAJOR);
  p = stpcpy(p, " (or opt-");
  p = put_uint(p, LLVM_VERSION_MAJOR);
  p = stpcpy(p, ", ld.lld-");
  p = put_uint(p, LLVM_VERSION_MAJOR);
  p = stpcpy(p, ")\n");
  say(msg);
  /* Going on would crash at the first call into LLVM, or (-Xclang -load)
   * build uninstrumented code: stop the compiler as a compile error does.
   * _exit: the host is half-way through dlopen, its exit handlers must not
   * run now. */
  _exit(1);
}

__attribute__((destructor)) static void whence_check_registered(void) {
  if (host_ok && !registered)
    say("whence: the plugin was loaded but never asked for its pass, so nothing was "
        "instrumented: -Xclang -load only loads legacy plugins; use "
        "-fpass-plugin=<path of whence-pass.so> (clang) or "
        "-load-pass-plugin=<path> (opt)\n");
}
