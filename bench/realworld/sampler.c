/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * sampler.c - a SIGPROF sampler that records, for every sample, what whence
 * says about the stack and what the stack really is, for
 * `scripts/realworld.sh --sample` (bench/realworld/sample-report.py compares
 * the two with the DWARF of the same build).
 *
 * Linked into a project's programs (not compiled with the plugin: its own
 * frames are not instrumented, so whence_callers(0, ...) in the handler
 * starts at the interrupted frame).  With WHENCE_SAMPLE_DIR set, a timer
 * sends SIGPROF every WHENCE_SAMPLE_US microseconds (default 500) of
 * CLOCK_MONOTONIC; the handler stores
 *
 *   - whence's entries: whence_callers(0, ...) (return addresses or tokens:
 *     in -g modules a calling frame is a LOC token naming its call), and
 *   - the raw frames: the instruction pointers libgcc's CFI unwinder
 *     (_Unwind_Backtrace) finds, with its "before the instruction" flag,
 *     which marks the interrupted frame below the signal frame,
 *
 * into a buffer mapped at start-up (no allocation in the handler).  At exit
 * (an atexit handler: every image is still loaded and registered) it writes
 * the distinct samples to $WHENCE_SAMPLE_DIR/sample.<pid>.tsv:
 *
 *   S <count> <whence entries> <raw frames>
 *   R <j> <ip> <before> <whence entry of ip's function or 0> <object> <ip - load bias>
 *   W <k> <entry value> <whence entry of its function or 0>
 *   L <k> <inlined> <function> <file> <line>      logical frames of W k, innermost first
 *
 * Raw frames and whence entries are paired by the function each lies in
 * (sample-report.py): whence lists the instrumented frames, the unwinder
 * every frame, both from the same stack.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <unwind.h>
#include <whence.h>

#define MAXF 64

struct sample {
    uint16_t nw, nr;
    uintptr_t w[MAXF];
    uintptr_t r[MAXF];
    uint64_t before; /* bit j: raw frame j's ip is the interrupted instruction */
};

static struct sample *buf;
static size_t cap;
static atomic_size_t taken;
static timer_t timer;
static int active;
static pid_t owner; /* a forked child inherits the atexit handler, not the timer */

struct uw {
    struct sample *s;
};

static _Unwind_Reason_Code uw_step(struct _Unwind_Context *ctx, void *arg) {
    struct uw *u = arg;
    struct sample *s = u->s;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!ip || s->nr >= MAXF)
        return _URC_END_OF_STACK;
    if (before)
        s->before |= (uint64_t)1 << s->nr;
    s->r[s->nr++] = ip;
    return _URC_NO_REASON;
}

static void on_prof(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    int saved = errno;
    size_t i = atomic_fetch_add_explicit(&taken, 1, memory_order_relaxed);
    if (i < cap) {
        struct sample *s = &buf[i];
        int n = whence_callers(0, s->w, MAXF);
        s->nw = (uint16_t)(n > 0 ? n : 0);
        s->nr = 0;
        s->before = 0;
        struct uw u = {s};
        _Unwind_Backtrace(uw_step, &u);
    }
    errno = saved;
}

static uintptr_t entry_of(uintptr_t pc) {
    return whence_func_entry(whence_func_for_pc(pc));
}

static int same(const struct sample *a, const struct sample *b) {
    return a->nw == b->nw && a->nr == b->nr && a->before == b->before &&
           !memcmp(a->w, b->w, a->nw * sizeof a->w[0]) && !memcmp(a->r, b->r, a->nr * sizeof a->r[0]);
}

static uint64_t hash(const struct sample *s) {
    uint64_t h = 1469598103934665603ull ^ s->before;
    for (int i = 0; i < s->nw; i++) h = (h ^ s->w[i]) * 1099511628211ull;
    for (int i = 0; i < s->nr; i++) h = (h ^ s->r[i]) * 1099511628211ull;
    return h;
}

static void write_frame_object(FILE *f, uintptr_t ip) {
    Dl_info info;
    struct link_map *lm = NULL;
    if (dladdr1((void *)ip, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm) {
        const char *obj = lm->l_name && lm->l_name[0] ? lm->l_name : NULL;
        static char exe[4096];
        if (!obj) {
            if (!exe[0]) {
                ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
                if (k > 0) exe[k] = 0;
                else strcpy(exe, "?");
            }
            obj = exe;
        }
        fprintf(f, "\t%s\t%lx", obj, (unsigned long)(ip - lm->l_addr));
    } else {
        fprintf(f, "\t?\t%lx", (unsigned long)ip);
    }
}

static void write_samples(void) {
    if (!active || getpid() != owner)
        return;
    active = 0;
    timer_delete(timer);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPROF);
    sigprocmask(SIG_BLOCK, &set, NULL);
    size_t n = atomic_load(&taken);
    size_t dropped = n > cap ? n - cap : 0;
    if (n > cap)
        n = cap;
    /* distinct samples: open addressing over indices, counts beside */
    size_t tsize = 1;
    while (tsize < 2 * n + 2) tsize <<= 1;
    size_t *slot = calloc(tsize, sizeof *slot); /* index + 1; 0 = empty */
    size_t *count = calloc(n + 1, sizeof *count);
    if (!slot || !count)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash(&buf[i]) & (tsize - 1);
        while (slot[h] && !same(&buf[slot[h] - 1], &buf[i])) h = (h + 1) & (tsize - 1);
        if (!slot[h]) slot[h] = i + 1;
        count[slot[h] - 1]++;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/sample.%d.tsv", getenv("WHENCE_SAMPLE_DIR"), (int)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "# samples %zu dropped %zu\n", n, dropped);
    for (size_t i = 0; i < n; i++) {
        if (!count[i])
            continue;
        const struct sample *s = &buf[i];
        fprintf(f, "S\t%zu\t%d\t%d\n", count[i], s->nw, s->nr);
        for (int j = 0; j < s->nr; j++) {
            /* a return address names its call's function: ip - 1 (a
             * noreturn call that ends a function returns to the next one) */
            int before = (int)(s->before >> j & 1);
            fprintf(f, "R\t%d\t%lx\t%d\t%lx", j, (unsigned long)s->r[j], before,
                    (unsigned long)entry_of(before ? s->r[j] : s->r[j] - 1));
            write_frame_object(f, s->r[j]);
            fputc('\n', f);
        }
        for (int k = 0; k < s->nw; k++) {
            fprintf(f, "W\t%d\t%lx\t%lx\n", k, (unsigned long)s->w[k], (unsigned long)entry_of(s->w[k]));
            whence_frames it;
            whence_frame fr;
            whence_frames_init(&it, &s->w[k], 1);
            while (whence_frames_next(&it, &fr))
                fprintf(f, "L\t%d\t%d\t%s\t%s\t%d\n", k, fr.inlined, fr.function, fr.file, fr.line);
        }
    }
    fclose(f);
    free(slot);
    free(count);
}

__attribute__((constructor)) static void sampler_start(void) {
    const char *dir = getenv("WHENCE_SAMPLE_DIR");
    if (!dir || !*dir)
        return;
    const char *us = getenv("WHENCE_SAMPLE_US");
    const char *mx = getenv("WHENCE_SAMPLE_MAX");
    long period = us ? atol(us) : 500;
    cap = mx ? (size_t)atol(mx) : 20000;
    if (period <= 0 || cap == 0)
        return;
    buf = mmap(NULL, cap * sizeof *buf, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        return;
    /* One sampler per process: every image of a project may carry a copy
     * (everything here is static; LDFLAGS may put sampler.o in a library
     * and in the program, or twice on one link line); the first one wins. */
    struct sigaction sa;
    if (sigaction(SIGPROF, NULL, &sa) || sa.sa_handler != SIG_DFL)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPROF, &sa, NULL))
        return;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGPROF;
    ev._sigev_un._tid = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer))
        return;
    struct itimerspec it = {{period / 1000000, period % 1000000 * 1000},
                            {period / 1000000, period % 1000000 * 1000}};
    if (timer_settime(timer, 0, &it, NULL))
        return;
    owner = getpid();
    active = 1;
    atexit(write_samples);
}
