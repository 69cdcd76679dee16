// A process whose sandbox refuses mmap (a seccomp filter, as browsers'
// and services' sandboxes install after start-up): the runtime cannot map
// an image's lookup buckets, says so once without calling the image
// ignored, and its records answer every lookup, past the first ones that
// never build anything: every frame of 1,000 walks names its call's own
// line (__LINE__).  With whence-link's table nothing needs building: no
// message, the same answers.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefixes=CHECK,MSG
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t.st
// RUN: %t.st 2>&1 | FileCheck %s --check-prefixes=CHECK,MSG
// RUN: %whence_link --quiet --strict -o %t.st.tab %t.st
// RUN: %t.st.tab 2>&1 | FileCheck %s --check-prefixes=CHECK,NOMSG
// MSG: whence: image at 0x{{[0-9a-f]+}}: out of memory building its lookup buckets; its records answer instead (slower lookups)
// MSG-NOT: whence:
// NOMSG-NOT: whence:
// CHECK: walks: 1000, frames right: 3000, wrong: 0
// NOMSG-NOT: whence:
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <whence.h>

static void refuse_mmap(void) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog p = {sizeof f / sizeof f[0], f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p))
        perror("seccomp");
}

static int right, wrong;

/* Frames 0-2 must be show, mid and main at the lines given. */
__attribute__((noinline)) void show(int l_mid, int l_main) {
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8), want[3] = {__LINE__, l_mid, l_main}, i = 0;
    static const char *name[3] = {"show", "mid", "main"};
    whence_frames it;
    whence_frame fr;
    whence_frames_init(&it, pcs, n);
    while (i < 3 && whence_frames_next(&it, &fr)) {
        if (fr.line == want[i] && !strcmp(fr.function, name[i]))
            right++;
        else
            wrong++, printf("frame %d: %s:%d, want %s:%d\n", i, fr.function, fr.line, name[i], want[i]);
        i++;
    }
    wrong += 3 - i;
}

__attribute__((noinline)) void mid(int l_main) {
    show(__LINE__, l_main);
}

int main(void) {
    refuse_mmap();
    for (int k = 0; k < 1000; k++)
        mid(__LINE__);
    printf("walks: 1000, frames right: %d, wrong: %d\n", right, wrong);
    return 0;
}
