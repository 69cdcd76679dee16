/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * mem.c - the runtime's only allocator: anonymous mmap.  Index building may
 * run inside a signal handler (the first lookup can happen there), and
 * malloc is not async-signal-safe; mmap is a plain system call.
 *
 * Made as the system call itself, not through the C library's symbol: an
 * allocator may define mmap, munmap and mremap (gperftools' libtcmalloc
 * does) and run the program's hooks from them (MallocHook_AddMmapHook),
 * inside whence's signal handlers: a hook that takes the program's lock
 * hung a crash report for good, and a profile (helper-124).  A sanitizer's
 * build keeps the library's calls, which its runtime intercepts to keep
 * its shadow of the mapping right.
 */
#define _GNU_SOURCE /* (mremap) */
#include "internal.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                       \
    __has_feature(memory_sanitizer) || __has_feature(dataflow_sanitizer)
#define WH_MAP_BY_LIBC 1
#endif
#endif

WH_RT void *wh_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
#ifdef WH_MAP_BY_LIBC
    return mmap(addr, len, prot, flags, fd, off);
#else
    long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);
    return r == -1 ? MAP_FAILED : (void *)r;
#endif
}

WH_RT int wh_sys_munmap(void *addr, size_t len) {
#ifdef WH_MAP_BY_LIBC
    return munmap(addr, len);
#else
    return (int)syscall(SYS_munmap, addr, len);
#endif
}

WH_RT void *wh_sys_mremap(void *old, size_t old_len, size_t len, int flags) {
#ifdef WH_MAP_BY_LIBC
    return mremap(old, old_len, len, flags);
#else
    long r = syscall(SYS_mremap, old, old_len, len, flags);
    return r == -1 ? MAP_FAILED : (void *)r;
#endif
}

/* (With the registration's code: the registry's first chunk of slots is
 * mapped here at every program's start.) */
WH_RT WH_ONCE void *wh_map(size_t size) {
    if (size == 0)
        size = 1;
    void *p = wh_sys_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

WH_RT void wh_unmap(void *p, size_t size) {
    if (p)
        wh_sys_munmap(p, size ? size : 1);
}
