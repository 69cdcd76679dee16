// A function pointer that is a PLT stub (-no-pie: &puts is the program's
// entry) under a seccomp filter the program installed after the runtime was
// loaded, which kills the process for fstat, or for process_vm_readv: the
// copies of the stub's bytes use only the calls they used before the copy
// pipe was checked (pipe2, write, read; helper-107: the process died of
// SIGSYS).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only -fno-pic -no-pie %whence_cflags %s %whence_libs -o %t
// RUN: %t fstat | FileCheck %s
// RUN: %t vm | FileCheck %s
// CHECK: puts named: 0, on_event named: on_event
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <whence.h>

__attribute__((noinline)) int on_event(int x) { return x + 1; }

int main(int argc, char **argv) {
    int vm = argc > 1 && !strcmp(argv[1], "vm");
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vm ? SYS_process_vm_readv : SYS_fstat, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vm ? SYS_process_vm_readv : SYS_newfstatat, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    setvbuf(stdout, NULL, _IONBF, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
        return 2;
    const whence_func *p = whence_func_for_pc((uintptr_t)&puts);
    const whence_func *e = whence_func_for_pc((uintptr_t)&on_event);
    printf("puts named: %d, on_event named: %s\n", p != NULL, e ? whence_func_name(e) : "-");
    return 0;
}
