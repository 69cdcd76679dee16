/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * probe.c - a whence call inside a real project's code, for
 * scripts/realworld.sh.
 *
 * Linked into every program and library of a project together with
 *   -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
 * so every allocation the project's own objects make comes here first.  On a
 * sampled call the probe captures the stack with whence_callers(1, ...) (skip
 * 1: the function that called malloc, at the line of that call) and counts the
 * distinct stacks.  A new stack is expanded with whence_frames_next (inlined
 * frames included) when it is first seen: at exit the images that were
 * destructed before this one have unregistered their records, so their pcs
 * would no longer resolve.  At exit the stacks are written to
 * $WHENCE_PROBE_DIR/probe.<pid>.<n>.tsv:
 *
 *   S <count> <nframes>                       one sampled stack
 *   P <i> <address> <object> <mtime>          its physical frames: return address
 *                                             as a link-time address in object
 *   F <depth> <inlined> <function> <file> <line> <i>   its logical frames, caller
 *                                             first, i = the physical frame
 * (bench/realworld/probe-report.py checks the F lines against llvm-symbolizer's
 * answer for the P lines: the DWARF line tables of the same build.)
 *
 * Without WHENCE_PROBE_DIR the probe only passes calls through.  It must be
 * compiled with the whence plugin (the skip count relies on __wrap_malloc
 * being an instrumented frame).  Nothing here allocates with malloc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <whence.h>

/* Hidden: every image has its own.  Weak: some makefiles (zstd's) put
 * LDFLAGS, and so probe.o, twice on one link line. */
#define HIDDEN __attribute__((visibility("hidden"), weak))
#define DEPTH 8
#define NSTACKS 4096 /* distinct stacks kept per image */
#define NLOGICAL 24  /* logical frames kept per stack */

typedef struct {
    const char *function, *file; /* the module's strings stay mapped until exit */
    int         line;
    int         inlined;
    int         phys;                /* index of its physical frame in pcs */
} logical_frame;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);

typedef struct {
    uint64_t  hash;
    uint64_t  count;
    int       n, nlogical;
    uintptr_t pcs[DEPTH];
    uintptr_t addr[DEPTH];       /* pc - load bias of its object */
    const char *obj[DEPTH];      /* the object's path (the loader's string) */
    long        mtime[DEPTH];    /* its modification time: was it rebuilt since? */
    char        slot[DEPTH];     /* the entry is a slot frame's record, not a pc */
    logical_frame frames[NLOGICAL];
} stack_rec;

static stack_rec        stacks[NSTACKS];
static atomic_flag      lock = ATOMIC_FLAG_INIT;
static atomic_ullong    calls;
static unsigned long    dropped;
static int              enabled = -1; /* -1 unknown, 0 off, 1 on */
static _Thread_local int busy;

static int probe_on(void) {
    if (__builtin_expect(enabled < 0, 0)) enabled = getenv("WHENCE_PROBE_DIR") != NULL;
    return enabled;
}

static const char *exe_path(void) {
    static char buf[4096];
    if (!buf[0]) {
        ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n <= 0) return "?";
        buf[n] = 0;
    }
    return buf;
}

/* Every call of the first 64, then one in 16. */
__attribute__((noinline)) static void sample(void) {
    unsigned long long n = atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    if (n >= 64 && (n & 15) != 0) return;
    busy = 1;
    uintptr_t pcs[DEPTH];
    /* skip 0 = sample (noinline), 1 = the __wrap_* function, 2 = the project
     * function that called malloc, at the line of that call. */
    int k = whence_callers(2, pcs, DEPTH);
    if (k > 0) {
        uint64_t h = 1469598103934665603ull;
        for (int i = 0; i < k; i++) h = (h ^ pcs[i]) * 1099511628211ull;
        while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {}
        size_t i = h % NSTACKS, probes = 0;
        for (; probes < NSTACKS; probes++, i = (i + 1) % NSTACKS) {
            stack_rec *s = &stacks[i];
            if (s->count == 0) {
                s->hash = h; s->n = k; memcpy(s->pcs, pcs, k * sizeof pcs[0]); s->count = 1;
                whence_frames it;
                whence_frame fr;
                whence_frames_init(&it, s->pcs, s->n);
                s->nlogical = 0;
                int phys = 0;
                while (s->nlogical < NLOGICAL && whence_frames_next(&it, &fr)) {
                    s->frames[s->nlogical++] = (logical_frame){fr.function, fr.file, fr.line, fr.inlined, phys};
                    if (!fr.inlined) phys++;
                }
                for (int j = 0; j < k; j++) {
                    /* entries may carry an inline-skip tag in the top byte */
                    uintptr_t pc = pcs[j] & (((uintptr_t)1 << 56) - 1);
                    Dl_info info;
                    struct link_map *lm = NULL;
                    s->obj[j] = "?";
                    s->addr[j] = pc;
                    s->mtime[j] = 0;
                    /* A frame of a -g module (caller-frame slot): the entry is
                     * the address of its call's record, not a return address
                     * (whence.h's tokens), so there is nothing to symbolize;
                     * its object and offset still identify it. */
                    s->slot[j] = (pcs[j] >> 63) != 0;
                    if (dladdr1((void *)pc, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm) {
                        if (lm->l_name && lm->l_name[0]) s->obj[j] = lm->l_name;
                        else s->obj[j] = exe_path(); /* the main program */
                        struct stat st;
                        s->mtime[j] = stat(s->obj[j], &st) == 0 ? (long)st.st_mtime : 0;
                        s->addr[j] = pc - lm->l_addr;
                    }
                }
                break;
            }
            if (s->hash == h && s->n == k && memcmp(s->pcs, pcs, k * sizeof pcs[0]) == 0) {
                s->count++;
                break;
            }
        }
        if (probes == NSTACKS) dropped++;
        atomic_flag_clear_explicit(&lock, memory_order_release);
    }
    busy = 0;
}

HIDDEN void *__wrap_malloc(size_t n) {
    if (probe_on() && !busy) sample();
    return __real_malloc(n);
}

HIDDEN void *__wrap_calloc(size_t n, size_t m) {
    if (probe_on() && !busy) sample();
    return __real_calloc(n, m);
}

HIDDEN void *__wrap_realloc(void *p, size_t n) {
    if (probe_on() && !busy) sample();
    return __real_realloc(p, n);
}

/* Field text without tabs or newlines. */
static void put_field(FILE *f, const char *s) {
    for (; *s; s++) fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

__attribute__((destructor)) static void probe_dump(void) {
    if (!probe_on() || atomic_load(&calls) == 0) return;
    const char *dir = getenv("WHENCE_PROBE_DIR");
    busy = 1;
    char path[4096];
    int fd = -1;
    for (int i = 0; i < 1000 && fd < 0; i++) {
        snprintf(path, sizeof path, "%s/probe.%ld.%d.tsv", dir, (long)getpid(), i);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    }
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    if (!f) { close(fd); return; }
    fprintf(f, "C\t%llu\t%lu\n", (unsigned long long)atomic_load(&calls), dropped);
    for (size_t i = 0; i < NSTACKS; i++) {
        stack_rec *s = &stacks[i];
        if (s->count == 0) continue;
        fprintf(f, "S\t%llu\t%d\n", (unsigned long long)s->count, s->n);
        for (int j = 0; j < s->n; j++) {
            fprintf(f, "P\t%d\t%#lx\t", j, (unsigned long)s->addr[j]);
            put_field(f, s->obj[j]);
            fprintf(f, "\t%ld%s\n", s->mtime[j], s->slot[j] ? "\tslot" : "");
        }
        for (int d = 0; d < s->nlogical; d++) {
            logical_frame *fr = &s->frames[d];
            fprintf(f, "F\t%d\t%d\t", d, fr->inlined ? 1 : 0);
            put_field(f, fr->function);
            fputc('\t', f);
            put_field(f, fr->file);
            fprintf(f, "\t%d\t%d\n", fr->line, fr->phys);
        }
    }
    fclose(f);
}
