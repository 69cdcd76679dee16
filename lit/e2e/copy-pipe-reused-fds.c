// whence copies bytes it is not sure are mapped (a PLT stub a function
// pointer may be, a foreign object's header) through a pipe it makes once.
// A program that closes every descriptor above 2 (a daemon, closefrom,
// close_range) and opens its own files gets the pipe's numbers: the next
// copy wrote code bytes into one of its files and read bytes out of another
// (helper-104).  Copies go through process_vm_readv now; the pipe only
// where that is refused (qemu-user: the AArch64 run), checked before each
// copy to be whence's still (and the process's own: a fork's child makes
// its own).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fno-pic -no-pie %whence_cflags %s %whence_libs -o %t/prog
// RUN: %run %t/prog %t | FileCheck %s
// CHECK: puts named: 0
// CHECK: a: 15 bytes read back, b: 0 bytes
// CHECK: child: a: 15 bytes read back, b: 0 bytes
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

static int named(void) {
    /* (-no-pie: &puts is the program's PLT entry, decoded through the pipe) */
    return whence_func_for_pc((uintptr_t)&puts) != NULL;
}

static void files(const char *dir, const char *who) {
    char pa[512], pb[512], got[32];
    snprintf(pa, sizeof pa, "%s/%s-a.txt", dir, who);
    snprintf(pb, sizeof pb, "%s/%s-b.txt", dir, who);
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    int a = open(pa, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int b = open(pb, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (write(a, "user data in a\n", 15) != 15)
        return;
    lseek(a, 0, SEEK_SET);
    named();
    struct stat sb;
    fstat(b, &sb);
    printf("%s%sa: %zd bytes read back, b: %ld bytes\n", who, *who ? ": " : "",
           read(a, got, sizeof got), (long)sb.st_size);
    fflush(stdout);
    close(a);
    close(b);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    printf("puts named: %d\n", named());
    files(dir, "");
    pid_t pid = fork();
    if (pid == 0) {
        files(dir, "child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
