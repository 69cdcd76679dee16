/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * attrs.h - WH_RT, the attribute of every runtime function, alone, for the
 * readers that stand apart from the rest of the runtime (lines/lineprog.c)
 * as much as for internal.h.
 *
 * disable_sanitizer_instrumentation is an attribute the whence pass treats
 * as "never instrument" (as it does the __whence prefix), so compiling the
 * runtime with the plugin cannot make it instrument itself.  Under a
 * sanitizer build of the runtime we leave it out: that build exists to let
 * the sanitizer check the runtime's own code.
 */
#ifndef WHENCE_RUNTIME_ATTRS_H
#define WHENCE_RUNTIME_ATTRS_H

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define WH_SANITIZED 1
#endif
#endif
#if defined(__clang__) && !defined(WH_SANITIZED)
#define WH_RT __attribute__((disable_sanitizer_instrumentation))
#else
#define WH_RT
#endif

/* Never instrumented, also in a sanitizer build: libc functions the shared
 * runtime interposes (sigaction, sigprocmask, pthread_sigmask) and what
 * they call.  A sanitizer's own start-up calls them before it can run
 * instrumented code (TSan's Initialize installs its handlers with
 * sigaction: the TSan build of libwhence.so crashed there). */
#if defined(__clang__)
#define WH_NOSAN __attribute__((disable_sanitizer_instrumentation))
#else
#define WH_NOSAN
#endif

#endif /* WHENCE_RUNTIME_ATTRS_H */
