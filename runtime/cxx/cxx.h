/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * cxx.h - what the rest of libwhence sees of the C++ exception support in
 * runtime/cxx/ (exceptions.c).
 */
#ifndef WHENCE_RUNTIME_CXX_H
#define WHENCE_RUNTIME_CXX_H

/* Writes "exception thrown at:" and the throw site's frames to fd when the
 * calling thread is handling a C++ exception whose throw libwhence saw
 * (an uncaught one ends in std::terminate while being handled); nothing
 * otherwise.  Async-signal-safe: the crash handler calls it. */
__attribute__((visibility("hidden"))) void wh_exception_report(int fd, const void *uc);

#endif /* WHENCE_RUNTIME_CXX_H */
