// An allocator that defines mmap, munmap and mremap (gperftools'
// libtcmalloc) runs the program's hooks from them (MallocHook_AddMmapHook).
// whence mapped its memory through those symbols, also in its signal
// handlers: a crash report's first lookup ran a hook that took the lock
// the crashing code held, and hung for good (SIGTERM blocked in the
// handler); a profile's sample did the same (helper-124).  whence makes
// the system calls itself: here the program's own mmap, munmap and mremap
// say when they are called; whence's crash report, lookups, dumps and
// profile never call them.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t %t.pb.gz 2>&1 | FileCheck %s
// RUN: not --crash %run %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// CHECK: interposed calls: 0
// CRASH-NOT: interposed
// CRASH: fault in do_null at {{.*}}interposed-mmap.c:[[#@LINE+37]]
// CRASH: main(...)
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <whence.h>

static volatile int calls;

static void said(const char *what) {
    calls++;
    write(2, "interposed ", 11);
    write(2, what, strlen(what));
    write(2, " called\n", 8);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    said("mmap");
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}
int munmap(void *addr, size_t len) {
    said("munmap");
    return (int)syscall(SYS_munmap, addr, len);
}
void *mremap(void *old, size_t old_len, size_t len, int flags, ...) {
    said("mremap");
    return (void *)syscall(SYS_mremap, old, old_len, len, flags);
}

static volatile unsigned long sink;

__attribute__((noinline)) void do_null(int *p) {
    *p = 1;
}

__attribute__((noinline)) void work(void) {
    for (unsigned long i = 0; i < 30000000; i++)
        sink = (sink ^ i) * 0x9e3779b97f4a7c15ul;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    whence_install_quit_handler();
    if (argc > 1 && !strcmp(argv[1], "crash"))
        do_null(argc > 5 ? (int *)argv : 0);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    whence_profile_start(fd, 1000);
    work();
    whence_profile_stop();
    close(fd);
    const char *file;
    int line = whence_func_line(whence_func_for_pc((uintptr_t)work), (uintptr_t)work, &file);
    whence_write_stack(1, 0);
    whence_write_all_stacks(1);
    printf("line %d\ninterposed calls: %d\n", line, calls);
    return 0;
}
