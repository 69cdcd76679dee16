// whence_func_line on every byte of this file's functions answers the same
// before its image has buckets (the first lookups read the records: the
// full lookup) and after (the warm path, lookup.c, for plain pcs that end
// or follow a labelled call, and the full lookup for the others): the same
// line and file for each plain pc, whether it ends a call, follows one or
// neither (.debug_line answers those), and each call's return address and
// last byte name the call's own line (__LINE__).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// The stack protector's failure calls (made after the pass ran: the label
// before each is another call's), which the warm paths leave to the full one.
// RUN: %clang -O2 -gline-tables-only -fstack-protector-all %emulated_cflags %whence_cflags %s %whence_libs -o %t.ssp && %run %t.ssp | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %emulated_cflags %whence_cflags %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// The same with whence-link's table: its warm path (table.c) against its
// first lookups (the full lookup through the table).
// RUN: %if x86_64-linux %{ %whence_link --quiet --strict -o %t.O2.tab %t.O2 && %run %t.O2.tab | FileCheck %s %}
// RUN: %if x86_64-linux %{ %whence_link --quiet --strict -o %t.st.tab %t.st && %run %t.st.tab | FileCheck %s %}
// CHECK: cold lookups: 6
// CHECK: calls: {{[1-9][0-9]*}} of {{[1-9][0-9]*}} named by their own line
// CHECK: pcs: {{[1-9][0-9]+}} compared, 0 differ
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;
static uintptr_t ras[64];
static int lines[64], nra;

// Records its return address and the line of the call that reached it.
NOINLINE static int note(int line) {
    if (nra < 64) {
        ras[nra] = (uintptr_t)__builtin_return_address(0);
        lines[nra++] = line;
    }
    sink += line;
    return line;
}

static inline __attribute__((always_inline)) int twice(int x) {
    return note(__LINE__) + note(__LINE__) + x;
}

NOINLINE static int leaf(int x) { return x * 3 + sink; }

NOINLINE static int calls_a(int x) {
    int a = note(__LINE__);
    int b = leaf(x) + note(__LINE__);
    return a + b;
}

NOINLINE static int calls_b(int x) {
    int r = 0;
    for (int i = 0; i < 2; i++)
        r += note(__LINE__) + i;
    if (x > 100)
        abort();
    return r + twice(x);
}

NOINLINE static int calls_c(int (*fp)(int), int x) {
    int r = fp(x);                    // an indirect call
    r += note(__LINE__);
    r += (int)strlen((const char *)&sink) + note(__LINE__); // a call through the PLT
    return r;
}

NOINLINE static int calls_d(int x, int y, int z, int w, int v, int u, int t) {
    // arguments on the stack: moves between the label and the call
    return note(__LINE__) + leaf(x + y + z + w + v + u + t) + note(__LINE__);
}

static void *fns[] = {(void *)note, (void *)leaf, (void *)calls_a, (void *)calls_b,
                               (void *)calls_c, (void *)calls_d};
#define NF ((int)(sizeof fns / sizeof fns[0]))
#define MAXSZ 512

int main(void);

struct ans {
    int line;
    const char *file;
};
static struct ans cold[NF][MAXSZ];

// The sizes of fns[] from this executable's symbol table (a pc outside its
// function would be looked up as a pc: a lookup that counts towards the
// buckets).
static int sizes(uint32_t *size) {
    int fd = open("/proc/self/exe", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    const unsigned char *b = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (b == MAP_FAILED)
        return -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + eh->e_shoff);
    int found = 0;
    for (int k = 0; k < 2; k++) // main first (the load bias), then fns[]
        for (int i = 0; i < eh->e_shnum; i++) {
            if (sh[i].sh_type != SHT_SYMTAB)
                continue;
            const Elf64_Sym *sym = (const Elf64_Sym *)(b + sh[i].sh_offset);
            const char *str = (const char *)(b + sh[sh[i].sh_link].sh_offset);
            static uintptr_t bias;
            for (size_t j = 0; j < sh[i].sh_size / sizeof *sym; j++) {
                if (ELF64_ST_TYPE(sym[j].st_info) != STT_FUNC)
                    continue;
                if (k == 0 && !strcmp(str + sym[j].st_name, "main"))
                    bias = (uintptr_t)main - sym[j].st_value;
                for (int n = 0; k == 1 && n < NF; n++)
                    if (sym[j].st_value + bias == (uintptr_t)fns[n] && sym[j].st_size < MAXSZ) {
                        size[n] = (uint32_t)sym[j].st_size;
                        found++;
                    }
            }
        }
    return found;
}

int main(void) {
    sink = calls_a(1) + calls_b(2) + calls_c(leaf, 3) + calls_d(1, 2, 3, 4, 5, 6, 7);
    const whence_func *f[NF];
    uintptr_t entry[NF];
    uint32_t size[NF];
    if (sizes(size) != NF) {
        printf("no symbol table\n");
        return 1;
    }
    int lookups = 0;
    for (int i = 0; i < NF; i++) {
        f[i] = whence_func_for_pc((uintptr_t)fns[i]);
        lookups++;
        entry[i] = whence_func_entry(f[i]);
        if (entry[i] != (uintptr_t)fns[i]) {
            printf("entry %d\n", i);
            return 1;
        }
    }
    // the first lookups of the image (fewer than its buckets wait for):
    // whence_func_line reads its records as they are
    for (int i = 0; i < NF; i++)
        for (uint32_t o = 0; o <= size[i]; o++) { // the end too: a noreturn call's return address
            struct ans *a = &cold[i][o];
            a->line = whence_func_line(f[i], entry[i] + (uintptr_t)o, &a->file);
        }
    printf("cold lookups: %d\n", lookups);
    // the buckets: built after 64 lookups of the image
    for (int k = 0; k < 100; k++)
        (void)whence_func_for_pc((uintptr_t)fns[k % NF]);
    int right = 0;
    for (int i = 0; i < nra; i++) {
        const whence_func *g = whence_func_for_pc(ras[i] - 1);
        right += whence_func_line(g, ras[i], NULL) == lines[i] &&
                 whence_func_line(g, ras[i] - 1, NULL) == lines[i];
    }
    printf("calls: %d of %d named by their own line\n", right, nra);
    int compared = 0, differ = 0;
    for (int i = 0; i < NF; i++)
        for (uint32_t o = 0; o <= size[i]; o++) {
            const struct ans *a = &cold[i][o];
            const char *file;
            (void)whence_func_for_pc(entry[i]); // this image answered last
            int line = whence_func_line(f[i], entry[i] + (uintptr_t)o, &file);
            compared++;
            if (line != a->line || strcmp(file, a->file) != 0) {
                differ++;
                printf("differ: %s+%u: cold %s:%d, warm %s:%d\n", whence_func_name(f[i]), o,
                       a->file, a->line, file, line);
            }
        }
    printf("pcs: %d compared, %d differ\n", compared, differ);
    return 0;
}
