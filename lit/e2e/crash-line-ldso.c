// A program started through the dynamic loader (`ld.so ./prog`) gets the
// same faulting line as `./prog` alone: /proc/self/exe is then the loader,
// which is not the image (its build id differs, or without build ids its
// headers do), so the program's own file is found as the file mapped at
// the image's start.  The report and whence_func_line in the program's own
// SIGSEGV handler both say so, PIE and non-PIE, with and without a build
// id, and when the program was started by a relative path and changed
// directory before the fault.  The loader is the program's own PT_INTERP
// (mode "loader" execs it), not a path written here.  The truth is the
// source itself ([[@LINE]]).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.d/pie
// RUN: not --crash %t.d/pie report 2> %t.d/pie.r && FileCheck %s --check-prefix=REPORT < %t.d/pie.r
// RUN: not --crash %t.d/pie loader %t.d/pie report 2> %t.d/pie.lr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/pie.lr
// RUN: %t.d/pie loader %t.d/pie ucontext | FileCheck %s --check-prefix=UC
// RUN: cd %t.d && not --crash %t.d/pie loader ./pie report-cd 2> %t.d/pie.cr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/pie.cr
// RUN: %clang -O0 -g -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.d/nopie
// RUN: not --crash %t.d/nopie report 2> %t.d/nopie.r && FileCheck %s --check-prefix=REPORT < %t.d/nopie.r
// RUN: not --crash %t.d/nopie loader %t.d/nopie report 2> %t.d/nopie.lr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/nopie.lr
// RUN: %t.d/nopie loader %t.d/nopie ucontext | FileCheck %s --check-prefix=UC
// RUN: cd %t.d && not --crash %t.d/nopie loader ./nopie report-cd 2> %t.d/nopie.cr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/nopie.cr
// Without a build id the loader's file is refused by its headers:
// RUN: %clang -O2 -g -Wl,--build-id=none %whence_cflags -I%inputs %s %whence_libs -o %t.d/noid
// RUN: llvm-readelf -n %t.d/noid | FileCheck %s --check-prefix=NOID
// RUN: not --crash %t.d/noid loader %t.d/noid report 2> %t.d/noid.lr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/noid.lr
// RUN: %t.d/noid loader %t.d/noid ucontext | FileCheck %s --check-prefix=UC
// RUN: cd %t.d && not --crash %t.d/noid loader ./noid report-cd 2> %t.d/noid.cr && FileCheck %s --check-prefixes=REPORT,LDSO < %t.d/noid.cr
// NOID-NOT: Build ID
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

#include <link.h>
#include <stdlib.h>
#include <unistd.h>

static int *volatile nullp;
static volatile int sink;

NOINLINE static void faulty(int x) {
    sink = x;
    printf("%s", "");
    sink = x + 1;
    *nullp = x;
    // REPORT: fault in faulty at {{.*}}crash-line-ldso.c:[[@LINE-1]]{{$}}
    // LDSO-NEXT: thread {{[0-9]+}} "ld-linux
    // REPORT: faulty(...)
    // REPORT-NEXT: crash-line-ldso.c:[[@LINE-4]] +0x
    // UC: ucontext pc: faulty crash-line-ldso.c:[[@LINE-5]]{{$}}
    sink = x + 2;
}

/* The program's PT_INTERP: the loader it asks for. */
static int interp_of(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_INTERP)
            *(const char **)arg = (const char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    return 1; /* the first object is the program */
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "loader") == 0 && argc == 4) {
        const char *ldso = NULL;
        dl_iterate_phdr(interp_of, &ldso);
        if (!ldso) {
            fprintf(stderr, "no PT_INTERP\n");
            return 2;
        }
        char *args[] = {(char *)ldso, argv[2], argv[3], NULL};
        execv(ldso, args);
        perror("execv");
        return 2;
    }
    if (strncmp(argv[1], "report", 6) == 0) {
        whence_install_crash_handler();
        if (strcmp(argv[1], "report-cd") == 0 && chdir("/") != 0)
            return 2;
        faulty(1);
        return 0;
    }
    e2e_print_pc_line("ucontext pc", e2e_fault_pc(faulty, 1));
    return 0;
}
