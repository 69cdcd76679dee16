// 1,000,000 arbitrary pcs (PCS; 200,000 under qemu-user) fed to whence_func_for_pc, whence_func_line and
// whence_frames: random 64-bit values, values within 1 MiB of main, stack and
// heap addresses, every byte offset within 64 bytes of each function's start
// and end, pcs in libc and libwhence, and tagged values (high byte set, the
// shape of a runtime token).  Nothing may crash, and the answers must agree
// with the ground truth read from this executable's own ELF symbol table:
// a pc inside one of this file's functions gives that function (name, entry,
// a line and this file); any other pc gives NULL (or the documented fallback
// through the dynamic symbol table: a foreign name and line 0).
// REQUIRES: x86_64-linux || aarch64-linux
// Emulated (AArch64 under qemu-user: %emulated_cflags defines
// WHENCE_EMULATED) a million pcs take minutes: fewer there.
// RUN: %clang -O2 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -fno-pie -no-pie %emulated_cflags %whence_cflags %s %whence_libs -o %t.np && %run %t.np | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %emulated_cflags %whence_cflags %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// -Os: no padding between functions, each one's end is the next one's entry.
// RUN: %clang -Os -gline-tables-only %emulated_cflags %whence_cflags %s %whence_libs -o %t.Os && %run %t.Os | FileCheck %s
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
#if WHENCE_EMULATED
#define PCS 200000
#else
#define PCS 1000000
#endif

struct range {
    const char *name;
    void *fn;
    uintptr_t lo, hi; // [lo, hi) from the symbol table; hi == 0 when absent
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static long n_checked, n_inside, n_null, n_fallback, n_end, n_line0, bad;

NOINLINE static uint64_t rnd(void);
NOINLINE static int load_ranges(void);
NOINLINE static const struct range *truth(uintptr_t pc);
NOINLINE static int is_ours(const char *name);
NOINLINE static void check_pc(uintptr_t pc, int tagged);
NOINLINE static void check_frames(const uintptr_t *pcs, int n);
NOINLINE static void check_batch(const uintptr_t *pcs, int n, int tagged);
static int base_is(const char *path, const char *want);
static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data);
int main(void);

// Every function defined in this file.  A pc inside any other code must not
// be named by whence.
static struct range R[] = {
    {"rnd", (void *)rnd},           {"load_ranges", (void *)load_ranges},
    {"truth", (void *)truth},       {"is_ours", (void *)is_ours},
    {"check_pc", (void *)check_pc}, {"check_frames", (void *)check_frames},
    {"check_batch", (void *)check_batch}, {"base_is", (void *)base_is},
    {"phdr_cb", (void *)phdr_cb},   {"main", (void *)main},
};
#define NR ((int)(sizeof R / sizeof R[0]))

NOINLINE static uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int base_is(const char *path, const char *want) {
    const char *s = strrchr(path, '/');
    return strcmp(s ? s + 1 : path, want) == 0;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    *(uintptr_t *)data = info->dlpi_addr; // the first object is the executable
    return 1;
}

// Sizes of this file's functions from /proc/self/exe's .symtab.
NOINLINE static int load_ranges(void) {
    int fd = open("/proc/self/exe", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    char *img = malloc(st.st_size);
    if (read(fd, img, st.st_size) != st.st_size)
        return -1;
    close(fd);
    uintptr_t bias = 0;
    dl_iterate_phdr(phdr_cb, &bias);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
    Elf64_Shdr *sh = (Elf64_Shdr *)(img + eh->e_shoff);
    int found = 0;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        Elf64_Sym *sym = (Elf64_Sym *)(img + sh[i].sh_offset);
        const char *strtab = img + sh[sh[i].sh_link].sh_offset;
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        for (size_t k = 0; k < n; k++) {
            if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0)
                continue;
            uintptr_t a = sym[k].st_value + bias;
            for (int r = 0; r < NR; r++)
                if (a == (uintptr_t)R[r].fn && strcmp(strtab + sym[k].st_name, R[r].name) == 0) {
                    R[r].lo = a;
                    R[r].hi = a + sym[k].st_size;
                    found++;
                }
        }
    }
    // Keep img: names above point into it only transiently.
    free(img);
    return found;
}

NOINLINE static const struct range *truth(uintptr_t pc) {
    for (int r = 0; r < NR; r++)
        if (R[r].hi && pc >= R[r].lo && pc < R[r].hi)
            return &R[r];
    return NULL;
}

NOINLINE static int is_ours(const char *name) {
    for (int r = 0; r < NR; r++)
        if (strcmp(name, R[r].name) == 0)
            return 1;
    return 0;
}

// tagged: pc has a high byte set on purpose (the shape of a runtime token
// "skip k inlined frames of pc"); whence may then read it as a token and name
// the function of the low 56 bits, or give NULL.
NOINLINE static void check_pc(uintptr_t pc, int tagged) {
    const struct range *t = truth(tagged ? pc & ((1ULL << 56) - 1) : pc);
    if (tagged) {
        // A token's pc is a return address: it may be looked up at pc-1.
        const whence_func *g = whence_func_for_pc(pc);
        const struct range *t1 = truth((pc & ((1ULL << 56) - 1)) - 1);
        if (!g)
            t = NULL;
        else if (t1 && strcmp(whence_func_name(g), t1->name) == 0)
            t = t1;
    }
    const whence_func *f = whence_func_for_pc(pc);
    const char *file = NULL;
    int line = whence_func_line(f, pc, &file);
    n_checked++;
    if (t) {
        n_inside++;
        // Line 0 (unknown) where the line table has no line for the pc:
        // alignment padding, compiler-generated code (api.md).
        if (line == 0)
            n_line0++;
        if (!f || strcmp(whence_func_name(f), t->name) != 0 || whence_func_entry(f) != t->lo ||
            line < 0 || !file || !base_is(file, "random-pcs.c")) {
            if (bad++ < 10)
                printf("BAD pc %#lx in %s+%#lx: got %s entry=%#lx line=%d file=%s\n",
                       (unsigned long)pc, t->name, (unsigned long)(pc - t->lo),
                       whence_func_name(f), (unsigned long)whence_func_entry(f), line,
                       file ? file : "(null)");
        }
        return;
    }
    // pc == the end of a function: also the return address of a call that
    // ends the function (a call to a noreturn function), which whence must
    // accept (api.md); so either NULL or the function that ends there.
    uintptr_t low = tagged ? pc & ((1ULL << 56) - 1) : pc;
    const struct range *before = truth(low - 1);
    if (before && low == before->hi && f && strcmp(whence_func_name(f), before->name) == 0 &&
        whence_func_entry(f) == before->lo) {
        n_end++;
        return;
    }
    if (!f) {
        n_null++;
        if (line != 0 || !file || strcmp(file, "?") != 0) {
            if (bad++ < 10)
                printf("BAD whence_func_line(NULL) = %d %s\n", line, file ? file : "(null)");
        }
        return;
    }
    n_fallback++;
    if (line != 0 || is_ours(whence_func_name(f)) || whence_func_entry(f) > pc) {
        if (bad++ < 10)
            printf("BAD pc %#lx outside instrumented code named %s entry=%#lx line=%d\n",
                   (unsigned long)pc, whence_func_name(f), (unsigned long)whence_func_entry(f),
                   line);
    }
}

// Expanding arbitrary entries must terminate and give only frames of ours or
// unknown frames.
NOINLINE static void check_frames(const uintptr_t *pcs, int n) {
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        if (++k > n * 64) {
            if (bad++ < 10)
                printf("BAD whence_frames does not terminate\n");
            return;
        }
        if (!f.function || !f.file) {
            if (bad++ < 10)
                printf("BAD NULL function/file in a frame\n");
            continue;
        }
        if (f.func == NULL && f.line != 0) {
            if (bad++ < 10)
                printf("BAD frame outside instrumented code with a line: %s:%d\n", f.function,
                       f.line);
        }
        if (f.line > 0 && !is_ours(f.function)) {
            if (bad++ < 10)
                printf("BAD frame names foreign function %s with line %d\n", f.function, f.line);
        }
    }
}

NOINLINE static void check_batch(const uintptr_t *pcs, int n, int tagged) {
    for (int i = 0; i < n; i++)
        check_pc(pcs[i], tagged);
    check_frames(pcs, n);
}

int main(void) {
    int found = load_ranges();
    int have_main = truth((uintptr_t)main) != NULL;
    printf("ranges found=%d main=%d\n", found >= 4, have_main);
    // CHECK: ranges found=1 main=1

    enum { B = 64 };
    uintptr_t batch[B];
    int nb = 0;
#define PUSH(v)                                                                                    \
    do {                                                                                           \
        batch[nb++] = (uintptr_t)(v);                                                              \
        if (nb == B) {                                                                             \
            check_batch(batch, nb, tagged);                                                        \
            nb = 0;                                                                                \
        }                                                                                          \
    } while (0)

    long total = 0;
    int tagged = 0;
    // 1. random 64-bit values
    for (int i = 0; i < PCS / 5; i++, total++) PUSH(rnd());
    // 2. within 1 MiB of main
    for (int i = 0; i < PCS * 3 / 10; i++, total++) PUSH((uintptr_t)main - (1 << 20) + rnd() % (2u << 20));
    // 3. stack and heap
    char local[4096];
    char *heap = malloc(1 << 20);
    for (int i = 0; i < PCS / 10; i++, total++) PUSH((uintptr_t)local - 65536 + rnd() % 131072);
    for (int i = 0; i < PCS / 10; i++, total++) PUSH((uintptr_t)heap + rnd() % (1 << 20));
    // 4. every byte offset within 64 bytes of each function's start and end
    long around = 0;
    while (around < PCS / 10) {
        for (int r = 0; r < NR; r++) {
            if (!R[r].hi)
                continue;
            for (int d = -64; d <= 64; d++, around++, total++) PUSH(R[r].lo + d);
            for (int d = -64; d <= 64; d++, around++, total++) PUSH(R[r].hi + d);
        }
    }
    // 5. libc and libwhence code
    for (int i = 0; i < PCS / 10; i++, total++)
        PUSH((i & 1 ? (uintptr_t)&printf : (uintptr_t)&whence_func_for_pc) - 4096 + rnd() % 8192);
    // 6. tagged values: the low bits inside our code or random, the high byte set
    if (nb)
        check_batch(batch, nb, tagged);
    nb = 0;
    tagged = 1;
    for (; total < PCS; total++) {
        uint64_t k = (rnd() % 255 + 1) << 56;
        PUSH(k | (rnd() & 1 ? ((uintptr_t)main - 4096 + rnd() % 8192) : (rnd() >> 8)));
    }
    if (nb)
        check_batch(batch, nb, tagged);
    free(heap);
    (void)local;

    printf("checked=%s inside>0=%d null>0=%d bad=%ld\n", n_checked == PCS ? "all" : "SOME",
           n_inside > 0, n_null > 0, bad);
    // Most pcs inside a function have a line (padding and line-0 code are few).
    printf("named>3/4=%d\n", n_line0 * 4 < n_inside);
    // CHECK-NEXT: checked=all inside>0=1 null>0=1 bad=0
    // CHECK-NEXT: named>3/4=1
    // CHECK-NOT: BAD
    return 0;
}
